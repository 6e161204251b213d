/**
 * A seeded, reproducible generator of realistic random cases for tests, the server's agreement test
 * and benchmarks. The same options always give the same items and events (mulberry32, never
 * Math.random). Every event is valid per EXCHANGE.md; events dated after `to` are left out, so cases
 * received near `to` are still in progress.
 *
 * @module
 */
import { builtinCalendar } from "./builtin_calendar.ts";
import type { Calendar } from "./calendar.ts";
import { addDays, dayNumber } from "./dates.ts";
import type { CaseEvent, EvaluationAnswers, IsoDate, Item, SpecialProcedure } from "./types.ts";
import { SPECIAL_PROCEDURES } from "./types.ts";
import { EVALUATION_RULES, triggeredRules } from "./rule_9.ts";

/** Options of {@linkcode generateCases}. */
export interface GenerateOptions {
  seed: number;
  /** Number of cases. */
  cases: number;
  /** Range of the `received` dates; no event is dated after `to`. */
  from: IsoDate;
  to: IsoDate;
  /** Items to draw from; a varied handful is generated when absent. */
  items?: Item[];
  /** Prefix of case numbers (default "C"); event ids start with the case number. */
  casePrefix?: string;
}

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = ReturnType<typeof helpers>;

function helpers(next: () => number) {
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    int,
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
    subset: <T>(xs: readonly T[]): T[] => xs.filter(() => next() < 0.5),
  };
}

let calendarCache: Calendar | undefined;

/** Generate items (unless given) and the events of `cases` cases. */
export function generateCases(opts: GenerateOptions): { items: Item[]; events: CaseEvent[] } {
  const r = helpers(mulberry32(opts.seed));
  const cal = calendarCache ??= builtinCalendar();
  const items = opts.items ?? generateItems(r);
  const span = Math.max(0, dayNumber(opts.to) - dayNumber(opts.from));
  const events: CaseEvent[] = [];
  for (let i = 1; i <= opts.cases; i++) {
    const caseId = `${opts.casePrefix ?? "C"}${String(i).padStart(5, "0")}`;
    const day = addDays(opts.from, r.int(0, span));
    const all = caseEvents(r, cal, caseId, r.pick(items), day);
    events.push(...all.filter((e) => e.at.slice(0, 10) <= opts.to));
  }
  return { items, events };
}

/** Events as NDJSON (one JSON object per line, trailing newline). */
export function toNdjson(events: readonly CaseEvent[]): string {
  return events.map((e) => JSON.stringify(e) + "\n").join("");
}

const MATERIALS = [
  "申请书",
  "营业执照",
  "身份证明",
  "场地证明",
  "平面图",
  "授权委托书",
  "检验报告",
  "承诺书",
];
const STEP_SETS = [["受理", "审查", "决定", "送达"], ["受理", "审核", "办结"], [
  "受理",
  "现场核查",
  "审批",
  "制证",
]];
const DEPARTMENTS = ["410100-SCJGJ", "410100-ZRZYJ", "410200-SCJGJ", "411000-WJW"];

function generateItems(r: Rand): Item[] {
  const promised = [0, 1, 2, 5, 10, 20];
  return promised.map((n, i) => {
    const required = MATERIALS.slice(0, r.int(1, 4));
    const cert = i % 3 === 0 ? null : {
      type: `证照${i}`,
      fields: ["编号", "名称", "住所"].slice(0, r.int(1, 3)),
      nationallyDetermined: i === 4,
    };
    return {
      code: `410000-GEN-${String(i + 1).padStart(4, "0")}`,
      name: `生成事项${i + 1}`,
      department: DEPARTMENTS[i % DEPARTMENTS.length],
      statutoryDays: n + r.int(0, 10),
      promisedDays: n,
      steps: r.pick(STEP_SETS),
      materials: { required, optional: r.chance(0.5) ? ["授权委托书"] : [] },
      specialProcedures: r.subset(SPECIAL_PROCEDURES),
      fee: i % 2 === 0 ? null : { max: r.int(1, 20) * 10, basis: "豫发改收费〔2019〕1号" },
      promisedVisits: r.int(0, 2),
      intermediaryFree: r.chance(0.6),
      certificate: cert,
    };
  });
}

/** A cursor over working days: each event is at or after the previous one. */
function cursor(r: Rand, cal: Calendar, start: IsoDate) {
  let date = start;
  let minute = r.int(8 * 60 + 30, 11 * 60);
  return {
    /** An instant k working days later (k = 0: later the same day). */
    after(k: number): string {
      if (k > 0) {
        date = cal.addWorkdays(date, k);
        minute = r.int(8 * 60 + 30, 17 * 60 + 30);
      } else {
        minute += r.int(1, 90);
        if (minute > 23 * 60 + 59) [date, minute] = [cal.addWorkdays(date, 1), r.int(8 * 60 + 30, 10 * 60)];
      }
      const hh = String(Math.floor(minute / 60)).padStart(2, "0");
      const mm = String(minute % 60).padStart(2, "0");
      return `${date}T${hh}:${mm}:${String(r.int(0, 59)).padStart(2, "0")}+08:00`;
    },
    get date() {
      return date;
    },
  };
}

function answers(r: Rand): EvaluationAnswers {
  const a: EvaluationAnswers = {};
  const maybe = <K extends keyof EvaluationAnswers>(k: K, p: number, v: () => EvaluationAnswers[K]) => {
    if (r.chance(p)) a[k] = v();
  };
  maybe("satisfied", 0.8, () => r.chance(0.75));
  maybe("satisfactionReason", 0.3, () => r.pick(["", "等待时间太长", "  "]));
  maybe("extraMaterials", 0.5, () => r.chance(0.15));
  maybe("overcharged", 0.5, () => r.chance(0.1));
  maybe("forcedIntermediary", 0.5, () => r.chance(0.1));
  maybe(
    "time",
    0.6,
    () => r.pick(["within", "within", "within", "within", "over_promised", "over_statutory"] as const),
  );
  maybe("visits", 0.5, () => r.chance(0.8) ? r.int(0, 1) : r.int(2, 3));
  maybe("attitude", 0.6, () => r.chance(0.8) ? "good" : "bad");
  maybe("attitudeReason", 0.3, () => r.pick(["", "态度冷淡"]));
  maybe("environment", 0.5, () => r.chance(0.85) ? "good" : "bad");
  maybe("environmentReason", 0.3, () => r.pick(["", "座位不足"]));
  maybe("other", 0.15, () => r.pick(["", "希望增加自助终端", "工作人员索要好处"]));
  return a;
}

function caseEvents(r: Rand, cal: Calendar, caseId: string, it: Item, day: IsoDate): CaseEvent[] {
  const out: CaseEvent[] = [];
  const add = (type: CaseEvent["type"], at: string, fields: object = {}) =>
    out.push({ id: `${caseId}-${out.length + 1}`, case: caseId, type, at, ...fields } as CaseEvent);
  const channel = r.pick(["online", "online", "hall", "hall", "other"] as const);
  // Online applications may arrive on a rest day; the others start on a working day.
  const start = channel === "online" || cal.isWorkday(day) ? day : cal.addWorkdays(day, 1);
  const c = cursor(r, cal, start);
  add("received", c.after(0), {
    item: it.code,
    channel,
    ...(channel === "hall" ? { hall: r.pick(["410100-HALL-01", "410100-HALL-02", "410200-HALL-01"]) } : {}),
    applicant: {
      ...(r.chance(0.95) ? { name: r.pick(["张三", "李四", "王五", "某某有限公司"]) } : {}),
      ...(r.chance(0.95) ? { contact: `138${String(r.int(0, 99999999)).padStart(8, "0")}` } : {}),
      kind: r.pick(["person", "organization"] as const),
    },
  });
  const required = it.materials.required;
  if (r.chance(0.25)) {
    add("correction_requested", c.after(r.int(0, 7)), { materials: [r.pick(required)] });
    if (r.chance(0.15)) add("correction_requested", c.after(r.int(1, 3)), { materials: ["补充说明"] });
    if (r.chance(0.8)) add("correction_completed", c.after(r.int(1, 5)));
  }
  if (r.chance(0.06)) return out; // never decided
  if (r.chance(0.1)) {
    add("rejected", c.after(r.int(0, 4)), r.chance(0.7) ? { reason: "不符合受理条件" } : {});
    return out;
  }
  add("accepted", c.after(r.int(0, 4)), r.chance(0.8) ? { handler: "赵六" } : {});
  const acceptedOn = c.date;
  if (r.chance(0.15)) {
    const allowed = it.specialProcedures.length > 0 && r.chance(0.8);
    const procedure: SpecialProcedure = allowed ? r.pick(it.specialProcedures) : r.pick(SPECIAL_PROCEDURES);
    const at = c.after(r.int(0, 2));
    add("special_started", at, { procedure, until: addDays(at.slice(0, 10), r.int(3, 15)) });
    if (r.chance(0.7)) add("special_completed", c.after(r.int(1, 12)), { procedure });
  }
  const steps = r.chance(0.9) ? it.steps : [...it.steps.slice(1), "其他环节"];
  for (const name of steps) {
    add("step", c.after(r.int(0, 1)), { name, ...(r.chance(0.95) ? { handler: "赵六" } : {}) });
  }
  if (it.fee ? r.chance(0.4) : r.chance(0.05)) {
    const max = it.fee?.max ?? 50;
    const kind = r.pick(["charge", "charge", "charge", "reduction", "exemption"] as const);
    const offending = r.chance(0.25);
    add("fee", c.after(0), {
      kind,
      amount: offending && kind === "charge" ? max + r.int(1, 50) : r.int(0, max),
      ...(offending && r.chance(0.5) ? {} : { basis: it.fee?.basis ?? "豫财综〔2020〕2号" }),
    });
  }
  if (r.chance(0.6)) {
    const list = r.chance(0.85)
      ? [...required, ...it.materials.optional]
      : [...required.slice(1), "无关材料"];
    add("materials_submitted", c.after(0), { materials: list });
  }
  if (r.chance(0.15)) return out; // still in progress
  // Most finish within the promise, some after it (0.3 N … 1.5 N working days after acceptance).
  const target = cal.addWorkdays(acceptedOn, Math.max(1, Math.round(it.promisedDays * r.int(3, 15) / 10)));
  const done = c.after(cal.workdaysBetween(c.date, target));
  const normal = r.chance(0.93);
  add(
    "completed",
    done,
    normal
      ? { result: "normal" }
      : { result: "abnormal", ...(r.chance(0.5) ? { reason: "申请人撤回" } : {}) },
  );
  if (it.certificate && r.chance(0.9)) {
    if (it.certificate.nationallyDetermined) add("certificate_determined", c.after(r.int(0, 3)));
    const fields = Object.fromEntries(it.certificate.fields.map((f) => [f, `${f}-${caseId}`]));
    if (r.chance(0.15)) fields[r.pick(it.certificate.fields)] = "";
    add("certificate_uploaded", c.after(r.int(0, 8)), { fields });
  }
  if (r.chance(0.1)) {
    add(
      "amended",
      c.after(r.int(0, 2)),
      r.pick([
        { applicant: { name: "张三", contact: "13900000000" } },
        { reason: "补录原因" },
        { steps: it.steps.map((name) => ({ name, handler: "赵六" })) },
      ]),
    );
  }
  if (r.chance(0.5)) {
    const first = answers(r);
    add("evaluation", c.after(r.int(0, 3)), first);
    if (r.chance(0.1)) add("evaluation", c.after(r.int(0, 2)), answers(r));
    if (first.other && r.chance(0.6)) {
      add("review", c.after(r.int(1, 5)), review("judge", "9.9", { abnormal: r.chance(0.5) }));
    }
    // Mostly an appeal of a finding the evaluation raised; sometimes of one it did not (refused).
    const raised = triggeredRules(first, it);
    if (r.chance(raised.length ? 0.6 : 0.1)) {
      const rule = raised.length && r.chance(0.85) ? r.pick(raised) : r.pick(EVALUATION_RULES);
      add("appeal", c.after(r.int(1, 13)), { rule, text: "办件人员已按规定办理，申请复核" });
      if (r.chance(0.6)) add("second_evaluation", c.after(r.int(1, 13)), r.chance(0.4) ? first : answers(r));
      else if (r.chance(0.5)) {
        add(
          "review",
          c.after(r.int(11, 14)),
          review("close_investigation", rule, { abnormal: r.chance(0.5) }),
        );
      }
    }
  }
  if (r.chance(0.08)) {
    add(
      "review",
      c.after(r.int(0, 5)),
      review("void", r.pick(["8.1", "8.7", "8.10"]), { reason: "数据有误" }),
    );
  }
  if (r.chance(0.08)) {
    const disposition = r.pick(["circulated_criticism", "accountability"] as const);
    add("review", c.after(r.int(0, 5)), review("dispose", r.pick(["8.1", "8.7"]), { disposition }));
  }
  return out;
}

function review(action: string, rule: string, extra: Record<string, unknown>): Record<string, unknown> {
  return { action, rule, reason: "经核实", by: "监察员甲", ...extra };
}
