DROP INDEX "cases_department_received_idx";--> statement-breakpoint
DROP INDEX "cases_dept_deadline_idx";--> statement-breakpoint
DROP INDEX "cases_received_idx";--> statement-breakpoint
CREATE INDEX "cases_dept_status_received_idx" ON "cases" USING btree ("department","status","received_on","case_id");--> statement-breakpoint
CREATE INDEX "cases_dept_status_deadline_idx" ON "cases" USING btree ("department","status","deadline","case_id");--> statement-breakpoint
CREATE INDEX "cases_status_received_idx" ON "cases" USING btree ("status","received_on","case_id");