import assert from "node:assert/strict";
import { sql } from "drizzle-orm";
import { openDatabase } from "../db/client.ts";
import { recordAudit } from "../server/audit.ts";

const script = new URL("./audit_check.ts", import.meta.url).pathname;

async function check(dataDir: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script],
    env: { DATA_DIR: dataDir, DATABASE_URL: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
}

Deno.test("audit:check exits 0 on an intact chain and 1 naming the record once a row is altered", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const database = await openDatabase({ dataDir: `${dir}/pg` });
    for (let i = 0; i < 3; i++) {
      await recordAudit(database.db, {
        actor: "sheng",
        role: "province",
        action: "case.review",
        target: `C${i}`,
        at: new Date(Date.parse("2024-10-15T10:00:00+08:00") + i * 1000),
      });
    }
    await database.close();
    const intact = await check(dir);
    assert.equal(intact.code, 0, intact.text);
    assert.match(intact.text, /3 records checked/);

    const again = await openDatabase({ dataDir: `${dir}/pg` });
    await again.db.execute(sql`alter table audit_log disable trigger user`);
    await again.db.execute(sql`update audit_log set target = 'C9' where id = 2`);
    await again.close();
    const broken = await check(dir);
    assert.equal(broken.code, 1, broken.text);
    assert.match(broken.text, /BROKEN\) at record 2/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
