/**
 * One demo case's life, as the department's system would report it: received, perhaps a correction
 * notice, accepted, steps, perhaps a special procedure or a fee, completed, the certificate uploaded,
 * an evaluation and now and then an appeal. Most cases go well; small, fixed shares go wrong in the
 * ways the rules supervise (late notices, missing handlers, late completions, late uploads, …).
 *
 * The flow is planned by date; instants are then spread over each date's office hours in plan order.
 *
 * @module
 */
import type { Calendar } from "../../rules/calendar.ts";
import { addDays, shanghaiInstant, startOfDay } from "../../rules/dates.ts";
import { type CaseEvent, type IsoDate, SPECIAL_PROCEDURES } from "../../rules/types.ts";
import { hallCode } from "./henan.ts";
import type { DemoItem } from "./henan_items.ts";
import { handlersOf } from "./people.ts";
import type { Random } from "./random.ts";
import { APPEAL_TEXTS, applicantFor, certificateFields, evaluationAnswers, REJECT_REASONS } from "./texts.ts";

type Planned = { date: IsoDate; type: CaseEvent["type"]; fields: Record<string, unknown> };

/** Plan the events of one case received on `received`; only those at or before `now` are returned. */
export function planCase(
  cal: Calendar,
  rng: Random,
  caseId: string,
  d: DemoItem,
  received: IsoDate,
  now: number,
): CaseEvent[] {
  const plan: Planned[] = [];
  const push = (date: IsoDate, type: CaseEvent["type"], fields: Record<string, unknown> = {}) =>
    plan.push({ date, type, fields });
  const it = d.item;
  const wd = (date: IsoDate, k: number) => cal.addWorkdays(date, k);
  const handlers = handlersOf(it.department);
  const step = (name: string) => rng.chance(0.001) ? { name } : { name, handler: rng.pick(handlers) };
  const required = it.materials.required;

  const applicant = applicantFor(rng, d);
  if (rng.chance(0.01)) delete applicant.contact;
  else if (rng.chance(0.004)) delete applicant.name;
  const channel = rng.weighted(["hall", "online", "other"] as const, [60, 35, 5]);
  const hall = channel === "other" ? {} : { hall: hallCode(it.department.split("-")[0]) };
  push(received, "received", { item: it.code, channel, ...hall, applicant });
  const full = [...required, ...rng.subset(it.materials.optional, 0.5)];
  const short = required.length > 1 && rng.chance(0.03);
  push(received, "materials_submitted", {
    materials: short ? full.filter((m) => m !== rng.pick(required)) : full,
  });
  if (!applicant.contact && rng.chance(0.7)) {
    push(wd(received, 1), "amended", {
      applicant: { contact: "13" + String(rng.int(100_000_000, 999_999_999)) },
    });
  }

  // Acceptance opinion: most on the day (hall) or the next working day (online); a few lag (8.10).
  const lag = rng.next();
  if (lag < 0.005) return finish(caseId, plan, rng, now);
  let acceptOn = lag < 0.015
    ? wd(received, rng.int(3, 5))
    : channel === "hall" || rng.chance(0.5)
    ? received
    : wd(received, 1);
  if (rng.chance(0.08)) {
    const late = rng.chance(0.1); // 8.2a: notice more than 5 working days after receipt
    const notice = late ? wd(received, rng.int(6, 7)) : wd(received, rng.int(0, 1));
    const asked = rng.subset(required, 0.3);
    if (asked.length === 0) asked.push(rng.pick(required));
    push(notice, "correction_requested", { materials: asked });
    let confirmed = wd(notice, rng.int(1, 3));
    const others = required.filter((m) => !asked.includes(m));
    if (others.length && rng.chance(0.1)) { // 8.2b: a second notice asks for something new
      push(confirmed, "correction_completed");
      push(confirmed, "correction_requested", { materials: [rng.pick(others)] });
      confirmed = wd(confirmed, rng.int(1, 2));
    }
    push(confirmed, "correction_completed");
    acceptOn = confirmed;
  }
  if (short && rng.chance(0.6)) push(acceptOn, "materials_submitted", { materials: full });
  if (rng.chance(0.02)) {
    push(acceptOn, "rejected", rng.chance(0.9) ? { reason: rng.pick(REJECT_REASONS) } : {});
    return finish(caseId, plan, rng, now);
  }
  const A = acceptOn;
  push(A, "accepted", { handler: rng.pick(handlers) });
  push(A, "step", step(it.steps[0] ?? "受理"));
  if (it.fee) push(A, "fee", feeEvent(rng, it.fee));
  else if (rng.chance(0.003)) push(A, "fee", { kind: "charge", amount: 50, basis: "工本费" });

  // Working days of the promise the case will use, and the pauses on the way.
  const N = it.promisedDays;
  const r = rng.next();
  // Most cases finish well inside the promise (the used share skewed low); 2.5 % finish on the last
  // day and 1.5 % late (8.1 red card). Items with N ≤ 2 meet the warning threshold by design.
  const used = N === 0
    ? 0
    : r < 0.015
    ? N + rng.int(1, 3)
    : r < 0.04
    ? N
    : Math.floor((N - 1) * rng.next() ** 3);
  let paused = 0;
  if (used >= 2 && rng.chance(0.06)) {
    const notice = wd(A, rng.int(1, Math.min(3, used - 1)));
    push(notice, "correction_requested", { materials: [rng.pick(required)] });
    if (rng.chance(0.1)) return finish(caseId, plan, rng, now); // still waiting for the applicant
    const len = rng.int(1, 4);
    push(wd(notice, len), "correction_completed");
    paused += len;
  }
  const allowed = it.specialProcedures;
  const foreign = rng.chance(0.004); // 8.9: a procedure the item does not allow
  if (used >= 1 && ((allowed.length && rng.chance(0.3)) || foreign)) {
    const procedure = foreign
      ? rng.pick(SPECIAL_PROCEDURES.filter((p) => !allowed.includes(p)))
      : rng.pick(allowed);
    const start = wd(A, rng.int(1, 2));
    const late = rng.chance(0.1); // 8.3 / 8.3p
    const len = procedure === "批前公示" ? 5 : rng.int(5, 15);
    const until = wd(start, len);
    const end = late
      ? wd(until, rng.int(2, 4))
      : wd(start, procedure === "批前公示" ? len + 1 : rng.int(2, len - 1));
    push(start, "special_started", { procedure, until });
    push(end, "special_completed", { procedure });
    paused += cal.workdaysBetween(start, end);
  }

  const C = wd(A, used + paused);
  const span = cal.workdaysBetween(A, C);
  const middle = it.steps.slice(1, -1);
  middle.forEach((name, k) => {
    const wrong = rng.chance(0.003) ? "初审" : name; // 8.6
    push(wd(A, Math.round(((k + 1) * span) / (middle.length + 1))), "step", step(wrong));
  });
  if (it.steps.length > 1) push(C, "step", step(it.steps[it.steps.length - 1]));
  const abnormal = rng.chance(0.01);
  push(
    C,
    "completed",
    abnormal
      ? (rng.chance(0.7) ? { result: "abnormal", reason: "申请人主动撤回申请" } : { result: "abnormal" })
      : { result: "normal" },
  );
  if (abnormal) return finish(caseId, plan, rng, now);

  certificate(rng, it, applicant.name ?? "", C, wd, push);
  if (rng.chance(0.45)) {
    const on = addDays(C, rng.int(0, 2));
    const answers = evaluationAnswers(rng, used > N);
    push(on, "evaluation", { ...answers });
    const rule = answers.satisfied === false ? "9.1" : answers.attitude === "bad" ? "9.7" : null;
    if (rule && rng.chance(0.4)) {
      const appealOn = wd(on, rng.int(1, 5));
      push(appealOn, "appeal", { rule, text: rng.pick(APPEAL_TEXTS) });
      if (rng.chance(0.5)) {
        const second = rng.chance(0.5) ? { satisfied: true, attitude: "good" } : answers;
        push(wd(appealOn, rng.int(1, 5)), "second_evaluation", { ...second });
      }
    }
  }
  return finish(caseId, plan, rng, now);
}

function feeEvent(rng: Random, fee: { max: number; basis: string }): Record<string, unknown> {
  const r = rng.next();
  if (r < 0.02) return { kind: "charge", amount: fee.max }; // 8.4: no legal basis given
  if (r < 0.03) return { kind: "charge", amount: fee.max + 20, basis: fee.basis }; // 8.4: above the standard
  if (r < 0.08) return { kind: "exemption", amount: fee.max, basis: "小微企业免收登记费(财税〔2019〕45号)" };
  return { kind: "charge", amount: fee.max, basis: fee.basis };
}

function certificate(
  rng: Random,
  it: DemoItem["item"],
  holder: string,
  C: IsoDate,
  wd: (d: IsoDate, k: number) => IsoDate,
  push: (date: IsoDate, type: CaseEvent["type"], fields?: Record<string, unknown>) => void,
): void {
  const cert = it.certificate;
  if (!cert) return;
  let from = C;
  if (cert.nationallyDetermined) {
    from = rng.chance(0.7) ? C : wd(C, 1);
    push(from, "certificate_determined");
  }
  const r = rng.next();
  if (r < 0.01) return; // never uploaded (8.5a / 8.5b)
  const uploadOn = r < 0.025 ? wd(from, rng.int(4, 7)) : wd(from, rng.int(0, 2));
  const fields = certificateFields(rng, it, holder, uploadOn);
  if (rng.chance(0.03) && cert.fields.length) { // 8.5c: a face field left empty
    push(uploadOn, "certificate_uploaded", { fields: { ...fields, [rng.pick(cert.fields)]: "" } });
    if (rng.chance(0.6)) push(wd(uploadOn, rng.int(1, 2)), "certificate_uploaded", { fields });
    return;
  }
  push(uploadOn, "certificate_uploaded", { fields });
}

/** Give the planned events instants in office hours, in plan order within each date, and ids. */
function finish(caseId: string, plan: Planned[], rng: Random, now: number): CaseEvent[] {
  plan.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const out: CaseEvent[] = [];
  let date = "";
  let ms = 0;
  plan.forEach((p, i) => {
    if (p.date !== date) {
      date = p.date;
      ms = startOfDay(date) + (510 + rng.int(0, 420)) * 60_000 + rng.int(0, 59) * 1000;
    } else ms += rng.int(2, 40) * 60_000;
    if (ms > now) return;
    const id = `${caseId}-${String(i + 1).padStart(2, "0")}`;
    out.push({ id, case: caseId, type: p.type, at: shanghaiInstant(ms), ...p.fields } as CaseEvent);
  });
  return out;
}
