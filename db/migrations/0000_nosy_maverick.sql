CREATE TABLE "alert_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"alert_id" bigint NOT NULL,
	"change" text NOT NULL,
	"on" date,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "alerts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"rule" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"level" text NOT NULL,
	"on" date NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"resolved_on" date,
	"voided_on" date,
	"withdrawn_at" timestamp with time zone,
	"department" text,
	"hall" text,
	"region" text,
	"item_code" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"holidays" jsonb NOT NULL,
	"workdays" jsonb NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"case_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"item_code" text,
	"department" text,
	"hall" text,
	"region" text,
	"applicant_name" text,
	"received_on" date,
	"accepted_on" date,
	"closed_on" date,
	"deadline" date,
	"remaining" integer,
	"paused" boolean DEFAULT false NOT NULL,
	"next_change_at" timestamp with time zone,
	"result" jsonb NOT NULL,
	"contributions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"calendar_missing" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"error" text,
	"evaluated_at" timestamp with time zone NOT NULL,
	"event_count" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "counters" (
	"department" text NOT NULL,
	"hall" text NOT NULL,
	"metric" text NOT NULL,
	"rule" text NOT NULL,
	"day" text NOT NULL,
	"value" integer NOT NULL,
	CONSTRAINT "counters_department_hall_metric_rule_day_pk" PRIMARY KEY("department","hall","metric","rule","day")
);
--> statement-breakpoint
CREATE TABLE "departments" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"seq" bigserial PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"case_id" text NOT NULL,
	"type" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"payload" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"sender" text NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"case_id" text NOT NULL,
	"rule" text NOT NULL,
	"on" date NOT NULL,
	"state" text NOT NULL,
	"department" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "findings_case_id_rule_on_pk" PRIMARY KEY("case_id","rule","on")
);
--> statement-breakpoint
CREATE TABLE "halls" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"region" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "items" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"department" text NOT NULL,
	"data" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "live_feed" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"department" text,
	"hall" text,
	"region" text,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "manual_queue" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"rule" text NOT NULL,
	"kind" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"department" text,
	"region" text
);
--> statement-breakpoint
CREATE TABLE "notifications_outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"rule" text NOT NULL,
	"department" text,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "regions" (
	"code" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"parent" text
);
--> statement-breakpoint
CREATE INDEX "alert_history_alert_idx" ON "alert_history" USING btree ("alert_id");--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_identity_key" ON "alerts" USING btree ("case_id","rule","subject","level","on");--> statement-breakpoint
CREATE INDEX "alerts_department_idx" ON "alerts" USING btree ("department","on");--> statement-breakpoint
CREATE INDEX "cases_next_change_idx" ON "cases" USING btree ("next_change_at");--> statement-breakpoint
CREATE INDEX "cases_department_idx" ON "cases" USING btree ("department");--> statement-breakpoint
CREATE INDEX "cases_hall_idx" ON "cases" USING btree ("hall");--> statement-breakpoint
CREATE UNIQUE INDEX "events_id_key" ON "events" USING btree ("id");--> statement-breakpoint
CREATE INDEX "events_case_idx" ON "events" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "manual_queue_identity_key" ON "manual_queue" USING btree ("case_id","rule","kind","subject","opened_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_outbox_key" ON "notifications_outbox" USING btree ("case_id","rule","payload");