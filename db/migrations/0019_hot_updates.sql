-- Alerts are inserted once and updated later (resolved, voided, withdrawn, reinstated); counters are
-- updated in place all day (every ingested batch and every midnight adds to them). None of those
-- updates changes an indexed column, so PostgreSQL can make them HOT (heap-only: no new index entry,
-- no index bloat while dead versions wait for a vacuum) — but only when the row's page has room for
-- the new version. Leave that room. Applies to pages written from now on (existing pages keep their
-- fill until rewritten); no data changes.
ALTER TABLE "alerts" SET (fillfactor = 90);
--> statement-breakpoint
ALTER TABLE "counters" SET (fillfactor = 70);
