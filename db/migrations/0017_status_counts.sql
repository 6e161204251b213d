-- The case list's totals come from `counters` (metric 'status', the status in `rule`, day ''): every
-- case contributes the key 'status|<status>|' under its department and hall ('' when it has none),
-- added and moved by the write path like the other live keys (server/write/counts.ts). Cases stored
-- before that: their contributions gain the key, and each (department, hall, status) row is set to
-- the count of such cases (set, not added, so the figures are exact however often this runs). On a
-- fresh database there is nothing to count.
UPDATE "cases" SET "contributions" = "contributions" || jsonb_build_array('status|' || "status" || '|')
WHERE NOT "contributions" ? ('status|' || "status" || '|');
--> statement-breakpoint
INSERT INTO "counters" ("department", "hall", "metric", "rule", "day", "value")
SELECT coalesce("department", ''), coalesce("hall", ''), 'status', "status", '', count(*)
FROM "cases"
GROUP BY coalesce("department", ''), coalesce("hall", ''), "status"
ON CONFLICT ("department", "hall", "metric", "rule", "day") DO UPDATE SET "value" = excluded."value";
