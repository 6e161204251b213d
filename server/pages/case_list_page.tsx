/**
 * The case list (办件时限一览): the departments' live countdown desk — the filter form (search, status,
 * item, hall, department, alert rule and level, received dates, sort), the exports, and the CaseDesk
 * island with one keyset page of the list, kept live from the stream.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { CaseDesk, type CaseDeskProps } from "../../islands/CaseDesk.tsx";
import { RULE_IDS, ruleName } from "../../rules/names.ts";
import type { CaseListParams } from "../cases/list_params.ts";
import { Island, Layout, PRODUCT_NAME } from "./layout.tsx";

/** The status filter's choices. */
export const STATUS_FILTERS: [string, string][] = [
  ["open", "办理中（待受理、受理中）"],
  ["accepted", "受理中"],
  ["received", "待受理"],
  ["completed", "已办结"],
  ["rejected", "不予受理"],
  ["incomplete", "信息不全"],
  ["all", "全部"],
];

const SORT_CHOICES: [string, string][] = [
  ["remaining", "所剩时限（少→多）"],
  ["deadline", "办理期限（近→远）"],
  ["-received", "收件日期（新→旧）"],
  ["received", "收件日期（旧→新）"],
];

/** A code and its name, for a filter's choices. */
export interface Choice {
  code: string;
  name: string;
}

/** Props of {@linkcode CaseListPage}. */
export interface CaseListPageProps {
  params: CaseListParams;
  desk: CaseDeskProps;
  today: string;
  departments: Choice[];
  items: Choice[];
  halls: Choice[];
  canDecide: boolean;
  /** The search also finds applicants' names (roles shown full names: server/auth/scope.ts). */
  searchesApplicants: boolean;
  manifest: Manifest;
}

function Select(
  { name, label, value, choices, all }: {
    name: string;
    label: string;
    value: string | undefined;
    choices: Choice[];
    all: string;
  },
) {
  return (
    <label>
      {label}
      <select name={name}>
        <option value="">{all}</option>
        {choices.map((c) => <option key={c.code} value={c.code} selected={c.code === value}>{c.name}
        </option>)}
      </select>
    </label>
  );
}

/** The case list. */
export function CaseListPage(props: CaseListPageProps) {
  const { params: q, desk, today, manifest } = props;
  const alertRules = RULE_IDS.filter((r) => r.startsWith("8.")).map((r) => ({
    code: r,
    name: `${r} ${ruleName(r)}`,
  }));
  return (
    <Layout title={`办件时限一览 · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="case-page">
        <nav class="crumbs">
          <a href="/">首页</a>
          {props.canDecide && <a href="/queue">人工监察队列</a>}
        </nav>
        <h1>办件时限一览</h1>
        <p class="muted">截至 {today}，所剩时限按工作日计算，随办件进展实时更新。</p>
        <form method="get" action="/cases" class="filters" role="search">
          <label class="wide">
            搜索
            <input
              type="search"
              name="q"
              value={q.q ?? ""}
              placeholder={props.searchesApplicants ? "办件编号、申请人姓名或事项名称" : "办件编号或事项名称"}
              maxLength={128}
            />
          </label>
          <label>
            状态
            <select name="status">
              {STATUS_FILTERS.map(([v, text]) => (
                <option key={v} value={v} selected={v === q.status}>{text}</option>
              ))}
            </select>
          </label>
          {props.departments.length > 1 && (
            <Select
              name="department"
              label="部门"
              value={q.department}
              choices={props.departments}
              all="全部部门"
            />
          )}
          {props.items.length > 0 && (
            <Select name="item" label="事项" value={q.item} choices={props.items} all="全部事项" />
          )}
          {props.halls.length > 0 && (
            <Select name="hall" label="大厅" value={q.hall} choices={props.halls} all="全部大厅" />
          )}
          <Select name="rule" label="预警规则" value={q.rule} choices={alertRules} all="全部规则" />
          <label>
            级别
            <select name="level">
              <option value="">预警或红牌</option>
              <option value="warning" selected={q.level === "warning"}>预警</option>
              <option value="red" selected={q.level === "red"}>红牌</option>
            </select>
          </label>
          <label>
            收件日期起
            <input type="date" name="receivedFrom" value={q.receivedFrom ?? ""} />
          </label>
          <label>
            收件日期止
            <input type="date" name="receivedTo" value={q.receivedTo ?? ""} />
          </label>
          <label>
            排序
            <select name="sort">
              {SORT_CHOICES.map(([v, text]) => (
                <option key={v} value={v} selected={v === q.sort}>{text}</option>
              ))}
            </select>
          </label>
          <div class="filter-actions">
            <button type="submit">筛选</button>
            <a href="/cases">清除条件</a>
            <a href={`/cases.csv?${desk.query}`} download>导出 CSV</a>
            <a href={`/cases.xlsx?${desk.query}`} download>导出 Excel</a>
          </div>
        </form>
        <Island name="CaseDesk" component={CaseDesk} props={desk} manifest={manifest} />
      </main>
    </Layout>
  );
}
