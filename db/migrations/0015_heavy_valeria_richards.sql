DROP INDEX "cases_department_idx";--> statement-breakpoint
CREATE INDEX "cases_frozen_status_idx" ON "cases" USING btree ("status","remaining","case_id") WHERE countdown_zero is null;