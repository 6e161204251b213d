CREATE TABLE "ranking_weights" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"weights" jsonb NOT NULL,
	"set_by" text NOT NULL,
	"set_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "counters_metric_day_idx" ON "counters" USING btree ("metric","day");