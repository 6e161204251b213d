/**
 * The wall screen's live state: signals fed by the stream, and the pure functions that update them.
 *
 * @module
 */
import { type Signal, signal } from "@preact/signals";
import type {
  AlertMessage,
  CountsMessage,
  DepartmentCounts,
  FeedStatus,
  InitialAlert,
  RuleCounts,
  Totals,
} from "./wall_types.ts";

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

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === "string" ? v : v == null ? "" : String(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/** Read a `counts` message; null when it is not one. Missing figures read as 0. */
export function parseCounts(data: string): CountsMessage | null {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(raw) || !isObject(raw.totals)) return null;
  const t = raw.totals;
  const totals: Totals = {
    inProgress: num(t.inProgress),
    dueToday: num(t.dueToday),
    warnings: num(t.warnings),
    redToday: num(t.redToday),
    redMonth: num(t.redMonth),
    abnormal: num(t.abnormal),
  };
  const list = (v: unknown) => (Array.isArray(v) ? v.filter(isObject) : []);
  const byDepartment: DepartmentCounts[] = list(raw.byDepartment).map((d) => ({
    department: str(d.department),
    name: str(d.name) || str(d.department),
    inProgress: num(d.inProgress),
    dueToday: num(d.dueToday),
    warnings: num(d.warnings),
    redToday: num(d.redToday),
  }));
  const byRule: RuleCounts[] = list(raw.byRule).map((r) => ({
    rule: str(r.rule),
    name: str(r.name) || str(r.rule),
    warnings: num(r.warnings),
    redToday: num(r.redToday),
  }));
  return { at: str(raw.at), totals, byDepartment, byRule };
}

/** Read an `alert` message; null when it is not one. */
export function parseAlert(data: string): AlertMessage | null {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return null;
  }
  if (!isObject(raw) || typeof raw.case !== "string" || typeof raw.rule !== "string") return null;
  return {
    case: raw.case,
    rule: raw.rule,
    name: str(raw.name) || raw.rule,
    level: raw.level === "red" ? "red" : "warning",
    on: str(raw.on),
    department: str(raw.department),
    item: str(raw.item),
    applicant: typeof raw.applicant === "string" ? raw.applicant : null,
  };
}

/** Put a new alert on top, dropping a repeat of the same alert (a resumed stream may resend it). */
export function prependAlert(
  list: AlertEntry[],
  alert: AlertMessage,
  receivedAt: number,
  max = MAX_ALERTS,
): AlertEntry[] {
  const key = `${alert.case}|${alert.rule}|${alert.level}|${alert.on}`;
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
