/**
 * The live stream's wire format (EXCHANGE.md "Live stream"), shared by the server that writes it and
 * the islands that read it: the event names, the message shapes, the readers that turn a `data` line
 * back into a message, and the props the hall page hands to the WallScreen island.
 *
 * This module imports nothing, so the browser bundles and the server load the same file.
 *
 * @module
 */

/**
 * The named events of the stream. `changed` (beyond EXCHANGE.md's two; EventSource clients that do not
 * listen for it never see it): cases of the scope changed without the scope's counts changing — a
 * list of cases (the /cases desk) reads its page again.
 */
export const SSE_EVENTS = { counts: "counts", alert: "alert", changed: "changed" } as const;

/** `event: changed`. */
export interface ChangedMessage {
  at: string;
}

/** The scope's headline figures. */
export interface Totals {
  inProgress: number;
  dueToday: number;
  warnings: number;
  redToday: number;
  redMonth: number;
  abnormal: number;
}

/** One department's figures within the scope. */
export interface DepartmentCounts {
  department: string;
  name: string;
  inProgress: number;
  dueToday: number;
  warnings: number;
  redToday: number;
}

/** Active warnings and today's red cards of one rule. */
export interface RuleCounts {
  rule: string;
  name: string;
  warnings: number;
  redToday: number;
}

/** `event: counts`: the scope's figures at an instant (`at`, Asia/Shanghai ISO). */
export interface CountsMessage {
  at: string;
  totals: Totals;
  byDepartment: DepartmentCounts[];
  byRule: RuleCounts[];
}

/** `event: alert` — the applicant's name is already masked by the server. */
export interface AlertMessage {
  case: string;
  rule: string;
  name: string;
  level: "warning" | "red";
  on: string;
  /** What the alert is about when a rule raises one per thing (e.g. a material); null otherwise. */
  subject: string | null;
  /** The case's department and item; null while the case has no `received` event. */
  department: string | null;
  item: string | null;
  applicant: string | null;
}

/** An alert raised earlier today, shown when the screen opens: the message and when it was raised (epoch ms). */
export interface InitialAlert {
  alert: AlertMessage;
  at: number;
}

/**
 * The wall screen's trend from the server (server/live/trend.ts): today by hour and the last 30 days
 * by day — warnings raised, red cards, completed cases — as column arrays.
 */
export interface WallTrend {
  /** The instant the figures were read (RFC 3339). */
  at: string;
  today: string;
  hours: { hour: number[]; warnings: number[]; reds: number[]; completed: number[] };
  days: { date: string[]; warnings: number[]; reds: number[]; completed: number[] };
}

/** The props the hall page passes to the WallScreen island. */
export interface WallScreenProps {
  hall: { code: string; name: string; regionName: string | null };
  /** Department code → name, to name alerts' departments. */
  departments: Record<string, string>;
  /** Item code → name, to name alerts' items. */
  items: Record<string, string>;
  /** The stream URL, e.g. `/api/v1/stream?hall=H1`. */
  streamUrl: string;
  /** When the server rendered the page (epoch ms), so the first paint shows a sensible time. */
  renderedAt: number;
  /** The hall's newest alerts of today, newest first, to show before the stream brings new ones. */
  alerts?: InitialAlert[];
  /** The live feed position `alerts` were read at: the stream resumes after it (`lastEventId`). */
  feedPosition?: number;
  /** The trend as of the page (so a reload shows the same), and where fresh figures come from. */
  trend?: WallTrend;
  trendUrl?: string;
}

const num = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) ? v : 0);
const str = (v: unknown): string => (typeof v === "string" ? v : v == null ? "" : String(v));
const strOrNull = (v: unknown): string | null => (typeof v === "string" ? v : null);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** Read a `counts` message; null when it is not one. Missing figures read as 0. */
export function parseCounts(data: string): CountsMessage | null {
  const raw = parseJson(data);
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

/**
 * Read an `alert` message (a JSON string, or a payload already parsed, as a jsonb column gives it);
 * null when it is not one. Only the message's own fields come through.
 */
export function parseAlert(data: unknown): AlertMessage | null {
  const raw = typeof data === "string" ? parseJson(data) : data;
  if (!isObject(raw) || typeof raw.case !== "string" || typeof raw.rule !== "string") return null;
  return {
    case: raw.case,
    rule: raw.rule,
    name: str(raw.name) || raw.rule,
    level: raw.level === "red" ? "red" : "warning",
    on: str(raw.on),
    subject: strOrNull(raw.subject) || null,
    department: strOrNull(raw.department),
    item: strOrNull(raw.item),
    applicant: strOrNull(raw.applicant),
  };
}
