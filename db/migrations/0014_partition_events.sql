-- Partition the event log by month of "stored_at" (PostgreSQL declarative partitioning), like
-- alert_history and live_feed in 0005: a primary key of a partitioned table must include the partition
-- key, hence (seq, stored_at); "seq" stays unique on its own (one sequence) and keeps arrival order.
-- Event identity is kept apart in event_keys (0011), so no unique index is needed here. A DEFAULT
-- partition is the safety net; the server creates the months ahead (server/partitions.ts). Existing
-- rows are copied into their months in arrival order, seq values and the sequence are kept.
-- At volume this copies the whole table once (about a minute per few million rows here): run it in a
-- maintenance window, or see README "数据增长与归档 / Growth and retention" for the online path.
ALTER TABLE "events" RENAME TO "events_unpartitioned";
--> statement-breakpoint
ALTER TABLE "events_unpartitioned" RENAME CONSTRAINT "events_pkey" TO "events_unpartitioned_pkey";
--> statement-breakpoint
ALTER INDEX "events_case_idx" RENAME TO "events_unpartitioned_case_idx";
--> statement-breakpoint
CREATE TABLE "events" (
  "seq" bigint DEFAULT nextval('events_seq_seq'::regclass) NOT NULL,
  "id" text NOT NULL,
  "case_id" text NOT NULL,
  "type" text NOT NULL,
  "at" timestamp with time zone NOT NULL,
  "payload" jsonb NOT NULL,
  "content_hash" text NOT NULL,
  "sender" text NOT NULL,
  "stored_at" timestamp with time zone DEFAULT now() NOT NULL,
  "quarantined" text,
  CONSTRAINT "events_pkey" PRIMARY KEY ("seq", "stored_at")
) PARTITION BY RANGE ("stored_at");
--> statement-breakpoint
ALTER SEQUENCE "events_seq_seq" OWNED BY "events"."seq";
--> statement-breakpoint
CREATE TABLE "events_default" PARTITION OF "events" DEFAULT;
--> statement-breakpoint
SELECT jct_ensure_month_partitions('events',
  coalesce((SELECT min("stored_at") FROM "events_unpartitioned"), now())::date,
  (now() + interval '3 months')::date);
--> statement-breakpoint
INSERT INTO "events" ("seq", "id", "case_id", "type", "at", "payload", "content_hash", "sender", "stored_at", "quarantined")
  SELECT "seq", "id", "case_id", "type", "at", "payload", "content_hash", "sender", "stored_at", "quarantined"
  FROM "events_unpartitioned" ORDER BY "seq";
--> statement-breakpoint
DROP TABLE "events_unpartitioned";
--> statement-breakpoint
CREATE INDEX "events_case_idx" ON "events" USING btree ("case_id");
