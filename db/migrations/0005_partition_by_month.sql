ALTER TABLE "cases" ADD COLUMN "timeline" jsonb;
--> statement-breakpoint
-- Partition the tables that only grow by month (PostgreSQL declarative partitioning): alert_history by
-- "at", live_feed by "created_at". A primary key of a partitioned table must include the partition key,
-- hence (id, at) and (id, created_at). Each table gets a DEFAULT partition as a safety net; the server
-- creates the months ahead (server/partitions.ts calls jct_ensure_month_partitions at start-up and daily).
-- Existing rows are copied into their months; ids and sequences are kept.
CREATE OR REPLACE FUNCTION jct_ensure_month_partitions(parent text, first_month date, last_month date)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  m date := date_trunc('month', first_month)::date;
  made integer := 0;
  part text;
BEGIN
  WHILE m <= last_month LOOP
    part := format('%s_p%s', parent, to_char(m, 'YYYYMM'));
    IF to_regclass(part) IS NULL THEN
      BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
          part, parent, m::timestamptz, (m + interval '1 month')::timestamptz);
        made := made + 1;
      EXCEPTION WHEN check_violation THEN
        -- Rows of that month already sit in the DEFAULT partition: leave them there.
        RAISE NOTICE 'partition % not created: rows in the default partition', part;
      END;
    END IF;
    m := (m + interval '1 month')::date;
  END LOOP;
  RETURN made;
END $$;
--> statement-breakpoint
ALTER TABLE "alert_history" RENAME TO "alert_history_unpartitioned";
--> statement-breakpoint
ALTER TABLE "alert_history_unpartitioned" RENAME CONSTRAINT "alert_history_pkey" TO "alert_history_unpartitioned_pkey";
--> statement-breakpoint
ALTER INDEX "alert_history_alert_idx" RENAME TO "alert_history_unpartitioned_alert_idx";
--> statement-breakpoint
CREATE TABLE "alert_history" (
  "id" bigint DEFAULT nextval('alert_history_id_seq'::regclass) NOT NULL,
  "alert_id" bigint NOT NULL,
  "change" text NOT NULL,
  "on" date,
  "at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "alert_history_pkey" PRIMARY KEY ("id", "at")
) PARTITION BY RANGE ("at");
--> statement-breakpoint
ALTER SEQUENCE "alert_history_id_seq" OWNED BY "alert_history"."id";
--> statement-breakpoint
CREATE INDEX "alert_history_alert_idx" ON "alert_history" ("alert_id");
--> statement-breakpoint
CREATE TABLE "alert_history_default" PARTITION OF "alert_history" DEFAULT;
--> statement-breakpoint
SELECT jct_ensure_month_partitions('alert_history',
  coalesce((SELECT min("at") FROM "alert_history_unpartitioned"), now())::date,
  (now() + interval '3 months')::date);
--> statement-breakpoint
INSERT INTO "alert_history" SELECT "id", "alert_id", "change", "on", "at" FROM "alert_history_unpartitioned";
--> statement-breakpoint
DROP TABLE "alert_history_unpartitioned";
--> statement-breakpoint
ALTER TABLE "live_feed" RENAME TO "live_feed_unpartitioned";
--> statement-breakpoint
ALTER TABLE "live_feed_unpartitioned" RENAME CONSTRAINT "live_feed_pkey" TO "live_feed_unpartitioned_pkey";
--> statement-breakpoint
CREATE TABLE "live_feed" (
  "id" bigint DEFAULT nextval('live_feed_id_seq'::regclass) NOT NULL,
  "kind" text NOT NULL,
  "department" text,
  "hall" text,
  "region" text,
  "payload" jsonb NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "live_feed_pkey" PRIMARY KEY ("id", "created_at")
) PARTITION BY RANGE ("created_at");
--> statement-breakpoint
ALTER SEQUENCE "live_feed_id_seq" OWNED BY "live_feed"."id";
--> statement-breakpoint
CREATE TABLE "live_feed_default" PARTITION OF "live_feed" DEFAULT;
--> statement-breakpoint
SELECT jct_ensure_month_partitions('live_feed',
  coalesce((SELECT min("created_at") FROM "live_feed_unpartitioned"), now())::date,
  (now() + interval '3 months')::date);
--> statement-breakpoint
INSERT INTO "live_feed" SELECT "id", "kind", "department", "hall", "region", "payload", "created_at"
  FROM "live_feed_unpartitioned";
--> statement-breakpoint
DROP TABLE "live_feed_unpartitioned";
