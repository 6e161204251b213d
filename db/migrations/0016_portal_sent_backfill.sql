-- The admin page's count of messages sent to the work portal is kept in `counters` (metric
-- 'portal_sent', one row per Shanghai day, department/hall/rule ''), added to in the transaction that
-- marks a message sent (server/portal/worker.ts). Messages sent before that: each day's row is set to
-- the count of that day's sent messages (set, not added, so the figures are exact however often this
-- runs). On a fresh database there is nothing to count.
INSERT INTO "counters" ("department", "hall", "metric", "rule", "day", "value")
SELECT '', '', 'portal_sent', '', to_char("sent_at" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), count(*)
FROM "notifications_outbox" WHERE "sent_at" IS NOT NULL
GROUP BY to_char("sent_at" AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD')
ON CONFLICT ("department", "hall", "metric", "rule", "day") DO UPDATE SET "value" = excluded."value";
