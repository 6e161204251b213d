/**
 * The demo pusher's moves: a new case arriving at a window, and the next plausible step of a case
 * already under way (acceptance, a step, completion, the certificate, the applicant's evaluation).
 * Every event is dated at the given instant.
 *
 * @module
 */
import type { Calendar } from "../../rules/calendar.ts";
import { dateIn } from "../../rules/dates.ts";
import type { CaseEvent, Item } from "../../rules/types.ts";
import { hallCode } from "./henan.ts";
import type { DemoItem } from "./henan_items.ts";
import { handlersOf } from "./people.ts";
import type { Random } from "./random.ts";
import { applicantFor, certificateFields, evaluationAnswers, REJECT_REASONS } from "./texts.ts";

/** An event without its id and case, which the caller assigns. */
export type Move = { type: CaseEvent["type"] } & Record<string, unknown>;

const handler = (rng: Random, item: Item) => rng.pick(handlersOf(item.department));

/** The events of a case that arrives now: received and its materials; at a hall window usually accepted at once. */
export function arrival(rng: Random, d: DemoItem): Move[] {
  const it = d.item;
  const channel = rng.chance(0.7) ? "hall" : "online";
  const moves: Move[] = [
    {
      type: "received",
      item: it.code,
      channel,
      hall: hallCode(it.department.split("-")[0]),
      applicant: applicantFor(rng, d),
    },
    { type: "materials_submitted", materials: [...it.materials.required] },
  ];
  if (channel === "online") return moves;
  moves.push({ type: "accepted", handler: handler(rng, it) }, {
    type: "step",
    name: it.steps[0],
    handler: handler(rng, it),
  });
  // 即办件: done while the applicant waits.
  if (it.promisedDays === 0) moves.push(...finish(rng, it, it.steps.slice(1)));
  return moves;
}

/** The next move of a case given its events so far; empty when nothing is left to do. */
export function advance(
  rng: Random,
  events: readonly CaseEvent[],
  it: Item,
  cal: Calendar,
  now: number,
): Move[] {
  const count = (t: CaseEvent["type"]) => events.filter((e) => e.type === t).length;
  if (count("completed") || count("rejected")) return afterwards(rng, events, it, count);
  if (count("correction_requested") > count("correction_completed")) {
    const done: Move[] = [{ type: "correction_completed" }];
    if (!count("accepted") && rng.chance(0.6)) done.push(...accept(rng, it));
    return done;
  }
  if (!count("accepted")) {
    const r = rng.next();
    if (r < 0.1) return [{ type: "correction_requested", materials: [rng.pick(it.materials.required)] }];
    if (r < 0.13) return [{ type: "rejected", reason: rng.pick(REJECT_REASONS) }];
    return accept(rng, it);
  }
  const started = events.filter((e) => e.type === "special_started") as Extract<
    CaseEvent,
    { type: "special_started" }
  >[];
  if (started.length > count("special_completed")) {
    return [{ type: "special_completed", procedure: started[started.length - 1].procedure }];
  }
  const recorded = new Set(events.flatMap((e) => (e.type === "step" ? [e.name] : [])));
  const missing = it.steps.filter((s) => !recorded.has(s));
  const r = rng.next();
  if (r < 0.04 && it.materials.required.length) {
    return [{ type: "correction_requested", materials: [rng.pick(it.materials.required)] }];
  }
  if (r < 0.1 && it.specialProcedures.length && !started.length) {
    const procedure = rng.pick(it.specialProcedures);
    return [{ type: "special_started", procedure, until: cal.addWorkdays(dateIn(now), 5) }];
  }
  if (missing.length > 1 && r < 0.5) return [{ type: "step", name: missing[0], handler: handler(rng, it) }];
  return finish(rng, it, missing);
}

function accept(rng: Random, it: Item): Move[] {
  return [{ type: "accepted", handler: handler(rng, it) }, {
    type: "step",
    name: it.steps[0],
    handler: handler(rng, it),
  }];
}

function finish(rng: Random, it: Item, steps: string[]): Move[] {
  return [
    ...steps.map((name) => ({ type: "step" as const, name, handler: handler(rng, it) })),
    { type: "completed", result: "normal" },
  ];
}

function afterwards(
  rng: Random,
  events: readonly CaseEvent[],
  it: Item,
  count: (t: CaseEvent["type"]) => number,
): Move[] {
  if (count("rejected")) return [];
  const cert = it.certificate;
  if (cert && !count("certificate_uploaded")) {
    if (cert.nationallyDetermined && !count("certificate_determined")) {
      return [{ type: "certificate_determined" }];
    }
    const received = events.find((e) => e.type === "received") as
      | Extract<CaseEvent, { type: "received" }>
      | undefined;
    const holder = received?.applicant.name ?? "";
    const last = events.reduce((a, e) => (e.at > a ? e.at : a), "");
    return [{ type: "certificate_uploaded", fields: certificateFields(rng, it, holder, last.slice(0, 10)) }];
  }
  if (!count("evaluation") && rng.chance(0.7)) {
    return [{ type: "evaluation", ...evaluationAnswers(rng, false) }];
  }
  return [];
}
