CREATE TABLE "order_steps" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" bigint NOT NULL,
	"action" text NOT NULL,
	"text" text,
	"due_on" date,
	"by" text NOT NULL,
	"by_office" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"department" text
);
--> statement-breakpoint
CREATE TABLE "queue_assignments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"queue_id" bigint NOT NULL,
	"assignee" text,
	"due_on" date,
	"by" text NOT NULL,
	"by_office" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spot_check_cases" (
	"spot_check_id" bigint NOT NULL,
	"position" integer NOT NULL,
	"case_id" text NOT NULL,
	"hash" text NOT NULL,
	"department" text,
	"region" text,
	CONSTRAINT "spot_check_cases_spot_check_id_position_pk" PRIMARY KEY("spot_check_id","position")
);
--> statement-breakpoint
CREATE TABLE "spot_check_results" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"spot_check_id" bigint NOT NULL,
	"case_id" text NOT NULL,
	"result" text NOT NULL,
	"note" text NOT NULL,
	"by" text NOT NULL,
	"by_office" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "spot_checks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"scope_kind" text NOT NULL,
	"scope_code" text NOT NULL,
	"from_on" date NOT NULL,
	"to_on" date NOT NULL,
	"size" integer NOT NULL,
	"seed" text NOT NULL,
	"population" integer NOT NULL,
	"created_by" text NOT NULL,
	"created_by_office" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"region" text
);
--> statement-breakpoint
CREATE TABLE "supervision_orders" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" text NOT NULL,
	"rule" text NOT NULL,
	"level" text NOT NULL,
	"on" date NOT NULL,
	"subject" text,
	"spot_check_id" bigint,
	"spot_check_result_id" bigint,
	"department" text,
	"region" text,
	"text" text NOT NULL,
	"days" integer NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"issued_by" text NOT NULL,
	"issued_by_office" text NOT NULL,
	"due_on" date NOT NULL,
	"overdue_at" timestamp with time zone NOT NULL,
	"state" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notifications_outbox" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications_outbox" ADD COLUMN "next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "notifications_outbox" ADD COLUMN "last_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notifications_outbox" ADD COLUMN "last_error" text;--> statement-breakpoint
ALTER TABLE "notifications_outbox" ADD COLUMN "dead_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "order_steps_order_idx" ON "order_steps" USING btree ("order_id");--> statement-breakpoint
CREATE INDEX "order_steps_action_idx" ON "order_steps" USING btree ("action","at");--> statement-breakpoint
CREATE INDEX "queue_assignments_queue_idx" ON "queue_assignments" USING btree ("queue_id","id");--> statement-breakpoint
CREATE INDEX "spot_check_results_check_idx" ON "spot_check_results" USING btree ("spot_check_id","case_id");--> statement-breakpoint
CREATE INDEX "supervision_orders_case_idx" ON "supervision_orders" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "supervision_orders_department_idx" ON "supervision_orders" USING btree ("department","state");--> statement-breakpoint
CREATE INDEX "supervision_orders_due_idx" ON "supervision_orders" USING btree ("overdue_at") WHERE state = 'open';--> statement-breakpoint
CREATE INDEX "cases_department_received_idx" ON "cases" USING btree ("department","received_on");--> statement-breakpoint
CREATE INDEX "cases_region_received_idx" ON "cases" USING btree ("region","received_on");--> statement-breakpoint
CREATE INDEX "notifications_outbox_due_idx" ON "notifications_outbox" USING btree ("next_attempt_at") WHERE sent_at is null and dead_at is null;