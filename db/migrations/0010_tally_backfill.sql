-- Cases evaluated before the ranking and trend keys existed (migration 0006) carry none of them in
-- their contributions: list them once, here, for server/reports/backfill.ts to re-evaluate in the
-- background. On a fresh database the list is empty.
CREATE TABLE IF NOT EXISTS "tally_backfill" ("case_id" text PRIMARY KEY NOT NULL);
--> statement-breakpoint
INSERT INTO "tally_backfill" ("case_id") SELECT "case_id" FROM "cases" ON CONFLICT DO NOTHING;
