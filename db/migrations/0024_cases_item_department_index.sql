DROP INDEX "cases_item_idx";--> statement-breakpoint
CREATE INDEX "cases_item_idx" ON "cases" USING btree ("item_code","department");