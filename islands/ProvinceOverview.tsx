/**
 * The supervisors' overview on the start page: a map-like tile grid of the province's cities (or a
 * city's districts) and the same figures as a table, live over the scope's SSE stream. Each unit links
 * to its halls, its cases and its rankings. The month's on-time rate, red cards of the month and
 * overdue orders come from the server (refetched every few minutes); the rest moves with each
 * `event: counts`. When the feed drops, the figures dim and say since when they are stale.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { type CountsMessage, parseCounts, SSE_EVENTS } from "../server/live/wire.ts";
import { connectLiveFeed, type FeedStatus } from "./live_feed.ts";
import { FeedStatusBadge } from "./FeedStatusBadge.tsx";
import { applyCounts, changedFields, type OverviewRow } from "./overview_state.ts";
import { HENAN_TILES } from "./overview_tiles.ts";

/** Props of {@linkcode ProvinceOverview}. */
export interface ProvinceOverviewProps {
  title: string;
  kind: "city" | "district";
  month: string;
  units: OverviewRow[];
  departmentUnit: Record<string, string>;
  hasOrders: boolean;
  streamUrl: string;
  /** Where fresh figures are fetched (`GET /api/v1/overview`). */
  overviewUrl: string;
  /** Query string of the month's cases for the /cases links (`receivedFrom=…&receivedTo=…`). */
  casesPeriod: string;
}

const REFETCH_MS = 5 * 60_000;
const FLASH_MS = 2_500;
const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
const hhmm = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(11, 16);

function tone(r: OverviewRow): string {
  if (r.redToday > 0) return "tone-red";
  if (r.warnings > 0) return "tone-warning";
  return "tone-ok";
}

function Links({ r, casesPeriod }: { r: OverviewRow; casesPeriod: string }) {
  return (
    <span class="overview-links">
      <a href={`#halls-${r.code}`} data-link="halls">大厅{r.halls.length ? `(${r.halls.length})` : ""}</a>
      <a href={`/cases?region=${encodeURIComponent(r.code)}&${casesPeriod}`} data-link="cases">办件</a>
      <a href={`/reports?unit=${encodeURIComponent(r.code)}#trend`} data-link="rankings">排名</a>
    </span>
  );
}

function Tile({ r, flash, casesPeriod, style }: {
  r: OverviewRow;
  flash: Set<string>;
  casesPeriod: string;
  style?: string;
}) {
  const f = (k: string) => (flash.has(`${r.code}:${k}`) ? "flash" : undefined);
  return (
    <li class={`overview-tile ${tone(r)}`} data-unit={r.code} style={style}>
      <a class="tile-name" href={`/reports?unit=${encodeURIComponent(r.code)}#trend`}>{r.name}</a>
      <dl>
        <dt>在办</dt>
        <dd data-field="inProgress" class={f("inProgress")}>{r.inProgress}</dd>
        <dt>预警</dt>
        <dd data-field="warnings" class={f("warnings")}>{r.warnings}</dd>
        <dt>今日红牌</dt>
        <dd data-field="redToday" class={f("redToday")}>{r.redToday}</dd>
        <dt>按时率</dt>
        <dd data-field="onTimeRate" data-label="本月按时办结率">{pct(r.onTimeRate)}</dd>
      </dl>
      <Links r={r} casesPeriod={casesPeriod} />
    </li>
  );
}

/** The overview. */
export function ProvinceOverview(p: ProvinceOverviewProps) {
  const [base, setBase] = useState(p.units);
  const [rows, setRows] = useState(p.units);
  const [status, setStatus] = useState<FeedStatus>("connecting");
  const [staleSince, setStaleSince] = useState<number | null>(null);
  const [flash, setFlash] = useState<Set<string>>(new Set());
  const last = useRef<CountsMessage | null>(null);
  const baseRef = useRef(base);
  baseRef.current = base;

  const show = (next: OverviewRow[]) => {
    setRows((prev) => {
      const before = new Map(prev.map((r) => [r.code, r]));
      const changed = next.flatMap((r) => changedFields(before.get(r.code), r).map((k) => `${r.code}:${k}`));
      if (changed.length) {
        setFlash(new Set(changed));
        setTimeout(() => setFlash(new Set()), FLASH_MS);
      }
      return next;
    });
  };

  useEffect(() => {
    const stop = connectLiveFeed({
      url: p.streamUrl,
      on: {
        [SSE_EVENTS.counts]: (data) => {
          const c = parseCounts(data);
          if (!c) return;
          last.current = c;
          show(applyCounts(baseRef.current, p.departmentUnit, c));
        },
      },
      onStatus: (s) => {
        setStatus(s);
        if (s === "live") setStaleSince(null);
        else setStaleSince((prev) => prev ?? Date.now());
      },
    });
    const refetch = setInterval(async () => {
      try {
        const res = await fetch(p.overviewUrl, { headers: { accept: "application/json" } });
        if (!res.ok) return;
        const fresh = (await res.json()).units as OverviewRow[];
        setBase(fresh);
        baseRef.current = fresh;
        show(last.current ? applyCounts(fresh, p.departmentUnit, last.current) : fresh);
      } catch {
        // The next attempt comes with the next interval; the stream keeps the live part current.
      }
    }, REFETCH_MS);
    return () => {
      stop();
      clearInterval(refetch);
    };
  }, []);

  const stale = status !== "live" && staleSince !== null;
  const totals = rows.reduce(
    (t, r) => ({
      inProgress: t.inProgress + r.inProgress,
      warnings: t.warnings + r.warnings,
      redToday: t.redToday + r.redToday,
    }),
    { inProgress: 0, warnings: 0, redToday: 0 },
  );
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const map = p.kind === "city";
  return (
    <section class={`overview${stale ? " is-stale" : ""}`} data-status={status}>
      <header class="overview-head">
        <h2>{p.title}</h2>
        <span class="overview-totals">
          在办 <b data-total="inProgress">{totals.inProgress}</b> · 预警 <b>{totals.warnings}</b> · 今日红牌
          {" "}
          <b>{totals.redToday}</b>
        </span>
        <FeedStatusBadge status={status} updated={null} />
        {stale && <span class="stale-note" role="status">数据自 {hhmm(staleSince!)} 起未更新</span>}
      </header>
      <ul class={map ? "overview-map" : "overview-grid"}>
        {map
          ? Object.entries(HENAN_TILES).map(([code, t]) => {
            const r = byCode.get(code);
            const style = `grid-column:${t.col + 1};grid-row:${t.row + 1}`;
            return r
              ? <Tile key={code} r={r} flash={flash} casesPeriod={p.casesPeriod} style={style} />
              : (
                <li key={code} class="overview-tile tile-absent" style={style} data-unit={code}>
                  <span class="tile-name">{t.name}</span>
                  <span class="muted">未接入</span>
                </li>
              );
          })
          : rows.map((r) => <Tile key={r.code} r={r} flash={flash} casesPeriod={p.casesPeriod} />)}
        {map &&
          rows.filter((r) => !(r.code in HENAN_TILES)).map((r) => (
            <Tile key={r.code} r={r} flash={flash} casesPeriod={p.casesPeriod} />
          ))}
      </ul>
      <div class="table-scroll">
        <table class="data overview-table">
          <thead>
            <tr>
              <th>{map ? "地市" : "区县"}</th>
              <th class="num">在办</th>
              <th class="num">今日到期</th>
              <th class="num">预警</th>
              <th class="num">今日红牌</th>
              <th class="num">本月红牌</th>
              <th class="num">本月办结</th>
              <th class="num">本月按时办结率</th>
              {p.hasOrders && <th class="num">逾期督办</th>}
              <th>查看</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const f = (k: string) => (flash.has(`${r.code}:${k}`) ? "num flash" : "num");
              return (
                <tr key={r.code} data-unit={r.code} class={tone(r)}>
                  <td>{r.name}</td>
                  <td class={f("inProgress")} data-field="inProgress" data-label="在办">{r.inProgress}</td>
                  <td class={f("dueToday")} data-field="dueToday" data-label="今日到期">{r.dueToday}</td>
                  <td class={f("warnings")} data-field="warnings" data-label="预警">{r.warnings}</td>
                  <td class={f("redToday")} data-field="redToday" data-label="今日红牌">{r.redToday}</td>
                  <td class={f("redMonth")} data-field="redMonth" data-label="本月红牌">{r.redMonth}</td>
                  <td class="num" data-field="completedMonth" data-label="本月办结">{r.completedMonth}</td>
                  <td class="num" data-field="onTimeRate" data-label="本月按时办结率">{pct(r.onTimeRate)}</td>
                  {p.hasOrders && (
                    <td class="num" data-field="overdueOrders" data-label="逾期督办">{r.overdueOrders}</td>
                  )}
                  <td>
                    <Links r={r} casesPeriod={p.casesPeriod} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p class="muted overview-foot">
        在办、今日到期、预警、今日红牌随实时数据更新；本月按时办结率为 {p.month}{" "}
        已办结件的统计，每 5 分钟刷新。
        {!p.hasOrders && "督办功能尚无督办单，逾期督办列在有督办单后显示。"}
      </p>
    </section>
  );
}
