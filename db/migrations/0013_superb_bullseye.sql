CREATE TABLE "case_claims" (
	"case_id" text NOT NULL,
	"sender" text NOT NULL,
	"item" text NOT NULL,
	"claimed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_claims_case_id_sender_item_pk" PRIMARY KEY("case_id","sender","item")
);
--> statement-breakpoint
CREATE INDEX "case_claims_sender_idx" ON "case_claims" USING btree ("sender","case_id");--> statement-breakpoint
INSERT INTO "case_claims" ("case_id", "sender", "item", "claimed_at")
  SELECT "case_id", "sender", "payload"->>'item', min("stored_at") FROM "events"
  WHERE "type" = 'received' AND "payload"->>'item' IS NOT NULL
  GROUP BY "case_id", "sender", "payload"->>'item' ON CONFLICT DO NOTHING;
