/**
 * `POST /api/v1/events`: a batch of events as a JSON array or NDJSON (`application/x-ndjson`, or any
 * body that does not start with `[`). Answers EXCHANGE.md's ingestion response: 200, 207, 400, 413.
 *
 * Only ingest clients (`events:write`) may push, only the event types of their sender kind
 * (server/auth/sender_kinds.ts: never `review`), and only for cases of departments in their scope:
 * each event is checked against its case's department (server/write/ingest.ts) and refused alone when outside.
 * The stored `sender` is the authenticated account's name — never something the client says.
 *
 * @module
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Env } from "../app.ts";
import type { AppDeps } from "../deps.ts";
import { requirePermission } from "../auth/middleware.ts";
import { requirePrincipal } from "../auth/principal.ts";
import { mayIngestFor } from "../auth/scope.ts";
import { SENDER_TYPES, senderKindOf } from "../auth/sender_kinds.ts";
import { PayloadTooLargeError } from "../errors.ts";
import { describe } from "../openapi/describe.ts";
import { postEventsDoc } from "../openapi/docs/events.ts";
import { observeBatch } from "../ops/batch.ts";
import { ingestEvents, type IngestReport, MAX_BODY_BYTES, reportStatus } from "../write/ingest.ts";

/** The ingestion route, to mount under `/api/v1`. */
export function eventRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  app.post(
    "/events",
    describe(postEventsDoc),
    requirePermission("events:write"),
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new PayloadTooLargeError(`请求体超过 ${MAX_BODY_BYTES / 1024 / 1024} MB (body too large)`);
      },
    }),
    async (c) => {
      const started = performance.now();
      const principal = requirePrincipal(c);
      const kind = senderKindOf(principal.senderKind);
      const text = await c.req.text();
      const type = c.req.header("content-type") ?? "";
      const ndjson = type.includes("ndjson") || !text.trimStart().startsWith("[");
      let body: unknown[] | string = text;
      if (!ndjson) {
        try {
          body = JSON.parse(text);
        } catch (err) {
          const report: IngestReport = {
            stored: 0,
            duplicates: 0,
            refused: [{
              index: 0,
              id: null,
              field: "",
              error: `请求体不是有效的 JSON 数组 (malformed JSON: ${(err as Error).message})`,
            }],
          };
          observeBatch(deps, c, principal.name, report, started);
          return c.json(report, 400);
        }
      }
      const report = await ingestEvents(
        deps,
        body as unknown[] | string,
        principal.name,
        {
          authorize: (department) => mayIngestFor(principal, department),
          types: SENDER_TYPES[kind],
          senderKind: kind,
        },
      );
      observeBatch(deps, c, principal.name, report, started);
      return c.json(report, reportStatus(report));
    },
  );
  return app;
}
