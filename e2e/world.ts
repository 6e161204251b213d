/**
 * A small Zhengzhou hall for browser tests: reference data through the API and cases at various stages.
 *
 * @module
 */
import { item as testItem } from "../rules/test_fixtures.ts";

const DEPARTMENTS = [
  { code: "410100-SCJGJ", name: "郑州市市场监督管理局" },
  { code: "410100-GAJ", name: "郑州市公安局" },
  { code: "410100-RSJ", name: "郑州市人力资源和社会保障局" },
  { code: "410100-ZFJ", name: "郑州市住房保障和房地产管理局" },
  { code: "410100-WJW", name: "郑州市卫生健康委员会" },
  { code: "410100-JTJ", name: "郑州市交通运输局" },
];

function item(code: string, name: string, department: string, promisedDays: number) {
  return testItem({ code, name, department, promisedDays, statutoryDays: Math.max(promisedDays, 20) });
}

const ITEMS = [
  item("ZZ-SC-01", "食品经营许可", "410100-SCJGJ", 1),
  item("ZZ-SC-02", "营业执照变更登记", "410100-SCJGJ", 3),
  item("ZZ-GA-01", "居住证签注", "410100-GAJ", 2),
  item("ZZ-RS-01", "职业资格证书补办", "410100-RSJ", 5),
  item("ZZ-ZF-01", "商品房预售许可", "410100-ZFJ", 10),
  item("ZZ-WJ-01", "医疗机构执业登记", "410100-WJW", 3),
  item("ZZ-JT-01", "道路运输经营许可", "410100-JTJ", 8),
];

/** The departments' codes, for an ingest account's scope. */
export const DEPARTMENT_CODES = DEPARTMENTS.map((d) => d.code);

/** PUT the regions, departments, hall H-ZZ and items, as an administrator's API key. */
export async function seedWorld(base: string, adminHeaders: Record<string, string>): Promise<void> {
  const put = async (kind: string, body: unknown[]) => {
    const res = await fetch(`${base}/api/v1/${kind}`, {
      method: "PUT",
      headers: { "content-type": "application/json", ...adminHeaders },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`PUT ${kind}: ${res.status} ${text}`);
  };
  await put("regions", [
    { code: "410000", name: "河南省", parent: null },
    { code: "410100", name: "郑州市", parent: "410000" },
  ]);
  await put("departments", DEPARTMENTS.map((d) => ({ ...d, region: "410100" })));
  await put("halls", [{ code: "H-ZZ", name: "郑州市民之家政务服务大厅", region: "410100" }]);
  await put("items", ITEMS);
}

/** An instant as RFC 3339 with the +08:00 offset. */
export function shanghai(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "+08:00");
}

const NAMES = [
  "张伟",
  "李娜",
  "刘洋",
  "陈静",
  "杨帆",
  "赵磊",
  "黄敏",
  "周杰",
  "吴霞",
  "郑州某某餐饮有限公司",
];
const DAY = 86_400_000;

/** An applicant of a case: a person unless said otherwise. */
export interface Applicant {
  name: string;
  contact: string;
  kind?: "person" | "organization";
}

/** Case `c` received at hall H-ZZ at instant `ms` (as event `<c>-r`, unless `id` is given). */
export function receivedAtHall(
  c: string,
  ms: number,
  item: string,
  { name, contact, kind = "person" }: Applicant,
  id = `${c}-r`,
) {
  return {
    id,
    case: c,
    type: "received",
    at: shanghai(ms),
    item,
    channel: "hall",
    hall: "H-ZZ",
    applicant: { name, contact, kind },
  };
}

function openCase(id: string, itemCode: string, acceptedMs: number, n: number) {
  const applicant = { name: NAMES[n % NAMES.length], contact: `1380013${String(1000 + n).slice(-4)}` };
  return [
    receivedAtHall(id, acceptedMs - 600_000, itemCode, applicant),
    { id: `${id}-a`, case: id, type: "accepted", at: shanghai(acceptedMs - 300_000), handler: "窗口 3 号" },
  ];
}

/** Cases accepted over the last weeks: some in time, some near their deadline, some past it. */
export function worldEvents(now: number): unknown[] {
  const plan: [string, number][] = [
    ["ZZ-SC-02", 1],
    ["ZZ-SC-02", 6],
    ["ZZ-SC-02", 12],
    ["ZZ-GA-01", 0],
    ["ZZ-GA-01", 9],
    ["ZZ-RS-01", 2],
    ["ZZ-RS-01", 20],
    ["ZZ-ZF-01", 3],
    ["ZZ-ZF-01", 16],
    ["ZZ-ZF-01", 30],
    ["ZZ-WJ-01", 1],
    ["ZZ-WJ-01", 4],
    ["ZZ-WJ-01", 8],
    ["ZZ-JT-01", 5],
    ["ZZ-JT-01", 25],
  ];
  return plan.flatMap(([itemCode, daysAgo], n) =>
    openCase(`ZZ2024-${String(n + 1).padStart(4, "0")}`, itemCode, now - daysAgo * DAY, n)
  );
}

/** A case of a one-day item received and accepted just now: an 8.1 warning at acceptance. */
export function warningEvents(now: number): unknown[] {
  return [
    receivedAtHall("E2E-NEW", now - 60_000, "ZZ-SC-01", { name: "王小明", contact: "13800138000" }),
    { id: "E2E-NEW-a", case: "E2E-NEW", type: "accepted", at: shanghai(now - 30_000), handler: "窗口 1 号" },
  ];
}

/** A completed case `c` whose applicant left other feedback: a 9.9 item in the manual queue. */
export function feedbackEvents(now: number, c: string): unknown[] {
  return [
    receivedAtHall(c, now - 900_000, "ZZ-GA-01", { name: "李娜", contact: "13800138002" }),
    { id: `${c}-a`, case: c, type: "accepted", at: shanghai(now - 840_000), handler: "窗口 5 号" },
    { id: `${c}-c`, case: c, type: "completed", at: shanghai(now - 300_000), result: "normal" },
    { id: `${c}-e`, case: c, type: "evaluation", at: shanghai(now - 240_000), other: "取号机故障，排队较久" },
  ];
}
