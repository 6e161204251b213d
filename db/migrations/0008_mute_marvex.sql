CREATE TABLE "explanations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"kind" text NOT NULL,
	"rule" text NOT NULL,
	"subject" text DEFAULT '' NOT NULL,
	"level" text DEFAULT '' NOT NULL,
	"on" date NOT NULL,
	"text" text NOT NULL,
	"by" text NOT NULL,
	"by_name" text,
	"at" timestamp with time zone NOT NULL,
	"department" text,
	"region" text
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "countdown_zero" integer;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "active_alerts" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
CREATE INDEX "explanations_case_idx" ON "explanations" USING btree ("case_id","id");--> statement-breakpoint
CREATE INDEX "cases_dept_running_idx" ON "cases" USING btree ("department","countdown_zero","case_id") WHERE countdown_zero is not null;--> statement-breakpoint
CREATE INDEX "cases_running_idx" ON "cases" USING btree ("countdown_zero","case_id") WHERE countdown_zero is not null;--> statement-breakpoint
CREATE INDEX "cases_dept_frozen_idx" ON "cases" USING btree ("department","remaining","case_id") WHERE countdown_zero is null;--> statement-breakpoint
CREATE INDEX "cases_dept_deadline_idx" ON "cases" USING btree ("department","deadline","case_id");--> statement-breakpoint
CREATE INDEX "cases_received_idx" ON "cases" USING btree ("received_on","case_id");--> statement-breakpoint
CREATE INDEX "cases_dept_evaluated_idx" ON "cases" USING btree ("department","evaluated_at","case_id");--> statement-breakpoint
CREATE INDEX "cases_active_alerts_idx" ON "cases" USING gin ("active_alerts");--> statement-breakpoint
CREATE INDEX "cases_case_pattern_idx" ON "cases" USING btree ("case_id" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "cases_applicant_pattern_idx" ON "cases" USING btree ("applicant_name" text_pattern_ops);--> statement-breakpoint
-- Cases evaluated before countdown_zero and active_alerts existed: the scheduler re-evaluates them once.
UPDATE "cases" SET "next_change_at" = now() WHERE "status" <> 'incomplete';
