/**
 * Request and batch logs: one line per request and per ingested event batch, as JSON when
 * `LOG_FORMAT=json` (for a log shipper), else as readable text. Created in server/main.ts and injected
 * (`deps.log`); without it nothing is logged (tests).
 *
 * @module
 */

/** The fields of one log line. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Where log lines go. */
export interface Logger {
  /** One answered request: request id, method, route, path, status, duration, sender. */
  request(fields: LogFields): void;
  /** One ingested batch: request id, sender, stored, duplicates, refused, warnings, duration. */
  batch(fields: LogFields): void;
}

/** A logger writing `json` or `text` lines to `write` (default: stdout). */
export function createLogger(
  format: "json" | "text",
  write: (line: string) => void = (line) => console.log(line),
  clock: () => number = Date.now,
): Logger {
  const line = (msg: string, fields: LogFields) => {
    const time = new Date(clock()).toISOString();
    if (format === "json") return write(JSON.stringify({ time, level: "info", msg, ...fields }));
    const rest = Object.entries(fields)
      .filter(([, v]) => v !== undefined && v !== null && v !== "")
      .map(([k, v]) => `${k}=${typeof v === "string" && /\s/.test(v) ? JSON.stringify(v) : v}`);
    write(`${time} ${msg} ${rest.join(" ")}`);
  };
  return {
    request: (f) => line("request", f),
    batch: (f) => line("events", f),
  };
}

/** `LOG_FORMAT` as a format: `json` (any case), else `text`. */
export function logFormat(value: string | undefined): "json" | "text" {
  return value?.trim().toLowerCase() === "json" ? "json" : "text";
}
