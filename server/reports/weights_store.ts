/**
 * The ranking score's weights in force: the newest row of `ranking_weights`, or RULES.md §5's defaults
 * while none was ever set. Setting them appends a row and an audit record (`ranking.weights`) in one
 * transaction; every month's figures are computed with the weights in force when they are asked for.
 *
 * @module
 */
import { desc } from "drizzle-orm";
import type { Db, Tx } from "../../db/client.ts";
import { rankingWeights } from "../../db/schema.ts";
import { recordAudit } from "../audit.ts";
import { parseOrThrow } from "../errors.ts";
import { DEFAULT_WEIGHTS, Weights } from "./score.ts";

/** The weights in force and where they come from. */
export interface WeightsInForce {
  weights: Weights;
  /** Who set them and when; null for the built-in defaults. */
  setBy: string | null;
  setAt: string | null;
}

/** The weights in force. */
export async function loadWeights(tx: Tx): Promise<WeightsInForce> {
  const [row] = await tx.select().from(rankingWeights).orderBy(desc(rankingWeights.id)).limit(1);
  if (!row) return { weights: { ...DEFAULT_WEIGHTS }, setBy: null, setAt: null };
  const parsed = Weights.safeParse(row.weights);
  // A stored row was valid when written; should the schema ever tighten, fall back to the defaults.
  return {
    weights: parsed.success ? parsed.data : { ...DEFAULT_WEIGHTS },
    setBy: row.setBy,
    setAt: row.setAt.toISOString(),
  };
}

/** Validate weights; throws a ValidationError naming the first bad field. */
export function parseWeights(raw: unknown): Weights {
  return parseOrThrow(Weights, raw);
}

/** Who sets the weights. */
export interface WeightsActor {
  name: string;
  role: string;
  ip?: string | null;
}

/** Store new weights (audited with the old and new values); returns them as in force. */
export async function saveWeights(
  db: Db,
  actor: WeightsActor,
  raw: unknown,
  now: Date,
): Promise<WeightsInForce> {
  const weights = parseWeights(raw);
  return await db.transaction(async (tx) => {
    const before = await loadWeights(tx);
    await tx.insert(rankingWeights).values({ weights, setBy: actor.name, setAt: now });
    await recordAudit(tx, {
      actor: actor.name,
      role: actor.role,
      action: "ranking.weights",
      target: "ranking_weights",
      detail: { before: before.weights, after: weights },
      ip: actor.ip ?? null,
      at: now,
    });
    return { weights, setBy: actor.name, setAt: now.toISOString() };
  });
}
