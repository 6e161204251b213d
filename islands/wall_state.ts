/**
 * The wall screen's live state: signals fed by the stream, and the pure functions that update them.
 *
 * @module
 */
import { type Signal, signal } from "@preact/signals";
import { alertKey } from "../rules/alert_key.ts";
import type { AlertMessage, CountsMessage, InitialAlert, Totals } from "../server/live/wire.ts";
import type { FeedStatus } from "./live_feed.ts";

/** An alert as shown in the ticker: the message plus when this screen received it. */
export interface AlertEntry extends AlertMessage {
  key: string;
  receivedAt: number;
}

/** Warnings and red cards sampled from this session's `counts` messages, as uPlot columns. */
export interface History {
  /** Unix seconds (uPlot's x scale). */
  at: number[];
  warnings: number[];
  red: number[];
}

/** How many alerts the ticker keeps. */
export const MAX_ALERTS = 40;
/** How far back the trend chart reaches. */
export const HISTORY_WINDOW_MS = 30 * 60_000;

/** Put a new alert on top, dropping a repeat of the same alert (a resumed stream may resend it). */
export function prependAlert(
  list: AlertEntry[],
  alert: AlertMessage,
  receivedAt: number,
  max = MAX_ALERTS,
): AlertEntry[] {
  const key = alertKey(alert);
  return [{ ...alert, key, receivedAt }, ...list.filter((a) => a.key !== key)].slice(0, max);
}

/** The ticker's first rows: today's alerts from the page (newest first), deduplicated like live ones. */
export function initialAlertEntries(initial: readonly InitialAlert[], max = MAX_ALERTS): AlertEntry[] {
  let list: AlertEntry[] = [];
  for (let i = initial.length - 1; i >= 0; i--) {
    list = prependAlert(list, initial[i].alert, initial[i].at, max);
  }
  return list;
}

/**
 * Add a sample to the history, forgetting samples older than the window. Samples less than a second
 * apart replace each other so a burst of messages does not crowd the chart.
 */
export function appendSample(
  h: History,
  totals: Totals,
  nowMs: number,
  windowMs = HISTORY_WINDOW_MS,
): History {
  const t = Math.floor(nowMs / 1000);
  const from = (nowMs - windowMs) / 1000;
  let start = 0;
  while (start < h.at.length && h.at[start] < from) start++;
  let end = h.at.length;
  if (end > start && h.at[end - 1] >= t) end--;
  return {
    at: [...h.at.slice(start, end), t],
    warnings: [...h.warnings.slice(start, end), totals.warnings],
    red: [...h.red.slice(start, end), totals.redToday],
  };
}

/** The wall screen's signals and the handlers that feed them. */
export interface WallState {
  counts: Signal<CountsMessage | null>;
  alerts: Signal<AlertEntry[]>;
  history: Signal<History>;
  status: Signal<FeedStatus>;
  onCounts(msg: CountsMessage, nowMs: number): void;
  onAlert(msg: AlertMessage, nowMs: number): void;
}

/** Fresh state for one screen, the ticker starting with `initial` (today's alerts, newest first). */
export function createWallState(initial: readonly InitialAlert[] = []): WallState {
  const counts = signal<CountsMessage | null>(null);
  const alerts = signal<AlertEntry[]>(initialAlertEntries(initial));
  const history = signal<History>({ at: [], warnings: [], red: [] });
  const status = signal<FeedStatus>("connecting");
  return {
    counts,
    alerts,
    history,
    status,
    onCounts(msg, nowMs) {
      counts.value = msg;
      history.value = appendSample(history.value, msg.totals, nowMs);
    },
    onAlert(msg, nowMs) {
      alerts.value = prependAlert(alerts.value, msg, nowMs);
    },
  };
}
