/**
 * Importing a reference data file: read and validate every row (read.ts), then save them all in one
 * transaction (save.ts). Any problem and nothing is saved: a {@linkcode ValidationError} whose details
 * list every problem by row and column.
 *
 * @module
 */
import { departments, regions } from "../../db/schema.ts";
import type { AppDeps } from "../deps.ts";
import { ValidationError } from "../errors.ts";
import type { ReferenceKind } from "../reference.ts";
import { KIND_NAMES } from "./columns.ts";
import { readReferenceFile } from "./read.ts";
import { type SaveActor, saveReference } from "./save.ts";

/** Import `bytes` (XLSX or CSV) as `kind`. */
export async function importFile(
  deps: AppDeps,
  actor: Omit<SaveActor, "via">,
  kind: ReferenceKind,
  bytes: Uint8Array,
  file: string,
): Promise<{ stored: number; recalculated?: number }> {
  const { db } = deps.database;
  const [deps_, regions_] = await Promise.all([
    kind === "items" ? db.select({ code: departments.code }).from(departments) : Promise.resolve([]),
    kind === "departments" || kind === "halls"
      ? db.select({ code: regions.code }).from(regions)
      : Promise.resolve([]),
  ]);
  const known = {
    departments: new Set(deps_.map((r) => r.code)),
    regions: new Set(regions_.map((r) => r.code)),
  };
  const read = await readReferenceFile(kind, bytes, known);
  if (!read.ok) {
    const first = read.errors[0];
    const where = first.row ? `第 ${first.row} 行${first.column ? `「${first.column}」` : ""}：` : "";
    throw new ValidationError(
      `${KIND_NAMES[kind]}文件有 ${read.errors.length} 处错误，未导入任何记录。${where}${first.error}`,
      { errors: read.errors },
    );
  }
  return await saveReference(
    deps,
    { ...actor, via: { kind: "import", file } },
    kind,
    read.records as { code: string }[],
  );
}
