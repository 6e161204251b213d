CREATE TABLE "event_keys" (
	"sender" text NOT NULL,
	"event_id" text NOT NULL,
	"content_hash" text NOT NULL,
	"case_id" text NOT NULL,
	CONSTRAINT "event_keys_sender_event_id_pk" PRIMARY KEY("sender","event_id")
);
--> statement-breakpoint
DROP INDEX "events_id_key";--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "sender_kind" text;--> statement-breakpoint
INSERT INTO "event_keys" ("sender", "event_id", "content_hash", "case_id")
  SELECT "sender", "id", "content_hash", "case_id" FROM "events" ON CONFLICT DO NOTHING;--> statement-breakpoint
UPDATE "users" SET "sender_kind" = 'department' WHERE "role" = 'ingest';
