/**
 * `deno task audit:check`: verify the audit trail's hash chain and say where it breaks.
 * Reads DATABASE_URL (PostgreSQL) or else the PGlite database in `$DATA_DIR/pg` (DATA_DIR defaults to
 * ./data, as for the server; PGlite allows one process per folder, so stop the server first).
 * Exit status 0 when intact, 1 when broken.
 *
 * @module
 */
import { openDatabase } from "../db/client.ts";
import { verifyAuditChain } from "../server/audit.ts";

const url = Deno.env.get("DATABASE_URL");
// Never migrate here: a checker must not create tables in a database it was pointed at by mistake.
const database = await openDatabase(
  url
    ? { url, max: 1, migrate: false }
    : { dataDir: `${Deno.env.get("DATA_DIR") || "./data"}/pg`, migrate: false },
);
try {
  const report = await verifyAuditChain(database.db);
  if (report.ok) {
    console.log(`审计日志完整 (audit chain intact): ${report.checked} records checked`);
  } else {
    const bad = report.firstBad!;
    console.error(
      `审计日志被篡改 (audit chain BROKEN) at record ${bad.id}: ${bad.reason}; ${report.checked} records before it are intact`,
    );
  }
  Deno.exitCode = report.ok ? 0 : 1;
} finally {
  await database.close();
}
