-- The case list by remaining reads the frozen cases (paused and closed) one status at a time
-- (server/cases/list_query.ts), as the date sorts do: one (department, status, remaining, case_id) index
-- replaces the department's all-status and in-progress ones, and the province's all-status one goes
-- ((status, remaining, case_id) serves it). The province's, a region's and a hall's lists by deadline
-- get their (status, deadline, case_id) index. 17 indexes on cases become 16; each non-HOT write of a
-- case row inserts into every index whose predicate it meets.
DROP INDEX "cases_dept_frozen_idx";--> statement-breakpoint
DROP INDEX "cases_dept_frozen_open_idx";--> statement-breakpoint
DROP INDEX "cases_frozen_idx";--> statement-breakpoint
CREATE INDEX "cases_dept_status_frozen_idx" ON "cases" USING btree ("department","status","remaining","case_id") WHERE countdown_zero is null;--> statement-breakpoint
CREATE INDEX "cases_status_deadline_idx" ON "cases" USING btree ("status","deadline","case_id");