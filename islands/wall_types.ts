/**
 * The live stream's message shapes (EXCHANGE.md "Live stream"), as the wall screen reads them.
 *
 * @module
 */

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

/** `event: counts`. */
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
  department: string;
  item: string;
  applicant: string | null;
}

/** An alert raised earlier today, shown when the screen opens: the message and when it was raised (epoch ms). */
export interface InitialAlert {
  alert: AlertMessage;
  at: number;
}

/** The state of the live connection shown on the screen. */
export type FeedStatus = "connecting" | "live" | "reconnecting";

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
}
