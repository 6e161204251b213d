/**
 * Request schemas of the administration API (server/routes/admin.ts), apart from the routes so that
 * the API document can use them without an import cycle.
 *
 * @module
 */
import { z } from "zod";

/** A new API key: its owner (an ingest account), a label, an optional expiry. */
export const KeyCreate = z.object({
  userId: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
})
  .strict();
/** A new display token: its hall, a label, an optional expiry. */
export const TokenCreate = z.object({
  hall: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(100),
  expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
}).strict();
/** The query of `GET /api/v1/audit`. */
export const AuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
  actor: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
