-- An item's cases are all its department's (rules/case_department.ts), so the planner must not multiply
-- the two columns' selectivities: a department's busiest item (32,000 cases) was estimated at 1,462 and
-- its page sorted every one of them instead of walking the department's index. Extended statistics
-- (functional dependencies) give the planner the dependency; ANALYZE fills them now (a sample of the
-- table, seconds), autovacuum's analyses keep them.
CREATE STATISTICS IF NOT EXISTS "cases_item_department_stats" (dependencies) ON "item_code", "department" FROM "cases";--> statement-breakpoint
ANALYZE "cases";
