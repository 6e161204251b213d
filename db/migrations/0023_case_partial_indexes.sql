-- Partial indexes for the columns most cases leave empty, so that those cases' writes (every evaluation
-- inserts into every index whose predicate the row meets: no case update is HOT) skip them: the alert
-- filter's GIN index takes only the cases with an active alert (the list adds the same clause), the
-- scheduler's next_change_at index only the cases with a next change (most closed cases have none; a
-- due-case claim `next_change_at <= …` and min(next_change_at) imply it). And cases' key, the unique
-- index cases_case_id_key (migration 0021: not a primary key), is its replica identity.
DROP INDEX "cases_next_change_idx";--> statement-breakpoint
DROP INDEX "cases_active_alerts_idx";--> statement-breakpoint
CREATE INDEX "cases_next_change_idx" ON "cases" USING btree ("next_change_at") WHERE next_change_at is not null;--> statement-breakpoint
CREATE INDEX "cases_active_alerts_idx" ON "cases" USING gin ("active_alerts") WHERE active_alerts <> '{}'::text[];--> statement-breakpoint
ALTER TABLE "cases" REPLICA IDENTITY USING INDEX "cases_case_id_key";
