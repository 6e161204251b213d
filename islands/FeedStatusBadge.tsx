/**
 * The live feed's state, so nobody trusts frozen figures: 实时 / 连接中… / 重新连接中….
 *
 * @module
 */
import type { FeedStatus } from "./live_feed.ts";

const LABELS: Record<FeedStatus, string> = {
  connecting: "连接中…",
  live: "实时",
  reconnecting: "重新连接中…",
};

/** A coloured pill with the feed's state and when the figures last changed. */
export function FeedStatusBadge({ status, updated }: { status: FeedStatus; updated: string | null }) {
  return (
    <div class="feed">
      <span class={`feed-pill feed-${status}`} role="status" data-status={status}>
        <span class="feed-dot" aria-hidden="true" />
        {LABELS[status]}
      </span>
      {updated && <span class="feed-updated">数据更新 {updated}</span>}
    </div>
  );
}
