-- Fewer indexes on cases: a case write (every evaluation; none is a HOT update, as the scheduler's
-- next_change_at and the list's columns change) inserts into every index whose predicate it meets.
--
-- The case list by remaining reads the frozen cases (paused and closed) one status at a time
-- (server/cases/list_query.ts), as the date sorts do: one (department, status, remaining, case_id) index
-- replaces the department's all-status and in-progress ones, and the province's all-status one goes
-- ((status, remaining, case_id) serves it). The province's, a region's and a hall's lists by deadline
-- get their (status, deadline, case_id) index.
--
-- The key: a unique index with text_pattern_ops replaces both the primary key and the prefix-search
-- index on case_id (a primary key must use the default operator class). Built before the primary key is
-- dropped, in this migration's transaction. 17 indexes on cases become 15.
CREATE UNIQUE INDEX "cases_case_id_key" ON "cases" USING btree ("case_id" text_pattern_ops);--> statement-breakpoint
ALTER TABLE "cases" DROP CONSTRAINT "cases_pkey";--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "case_id" SET NOT NULL;--> statement-breakpoint
DROP INDEX "cases_case_pattern_idx";--> statement-breakpoint
DROP INDEX "cases_dept_frozen_idx";--> statement-breakpoint
DROP INDEX "cases_dept_frozen_open_idx";--> statement-breakpoint
DROP INDEX "cases_frozen_idx";--> statement-breakpoint
CREATE INDEX "cases_dept_status_frozen_idx" ON "cases" USING btree ("department","status","remaining","case_id") WHERE countdown_zero is null;--> statement-breakpoint
CREATE INDEX "cases_status_deadline_idx" ON "cases" USING btree ("status","deadline","case_id");
