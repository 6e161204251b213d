/**
 * Two server processes on one PostgreSQL database: a change ingested through either must reach the
 * live streams of both (NOTIFY jct_changes → each process's hub). Runs only with TEST_DATABASE_URL.
 */
import assert from "node:assert/strict";
import { openTestDatabase, type TestDatabase } from "../db/testing.ts";
import { shanghaiInstant } from "../rules/dates.ts";
import { item } from "../rules/test_fixtures.ts";
import { createApiKey } from "./auth/api_keys.ts";
import { sessionHeaders, testPasswordHash } from "./auth/test_support.ts";
import { createUser } from "./auth/users.ts";
import { type SseMessage, SseReader } from "./live/test_helpers.ts";
import { upsertItems, upsertReference } from "./reference.ts";

const MAIN = new URL("./main.ts", import.meta.url).pathname;

interface Instance {
  url: string;
  child: Deno.ChildProcess;
  output: string[];
}

/** Start `deno run -A server/main.ts` on a free port and wait for its "listening on" line. */
async function spawnServer(databaseUrl: string, name: string): Promise<Instance> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN],
    env: { PORT: "0", DATABASE_URL: databaseUrl, ADMIN_PASSWORD: "two-instances-test" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output: string[] = [];
  const found = Promise.withResolvers<string>();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      output.push(decoder.decode(chunk, { stream: true }));
      const m = /listening on (http:\/\/localhost:\d+\/)/.exec(output.join(""));
      if (m) found.resolve(m[1]);
    }
  };
  pump(child.stdout);
  pump(child.stderr);
  const timer = setTimeout(
    () => found.reject(new Error(`${name} did not start:\n${output.join("")}`)),
    90_000,
  );
  child.status.then(() => found.reject(new Error(`${name} exited:\n${output.join("")}`)));
  try {
    return { url: await found.promise, child, output };
  } finally {
    clearTimeout(timer);
  }
}

async function untilMessage(reader: SseReader, want: (m: SseMessage) => boolean, ms = 15_000) {
  const deadline = Date.now() + ms;
  const seen: SseMessage[] = [];
  while (Date.now() < deadline) {
    const m = await reader.next(deadline - Date.now());
    if (!m) break;
    seen.push(m);
    if (want(m)) return m;
  }
  throw new Error(`no such message; saw ${JSON.stringify(seen)}`);
}

Deno.test({
  name: "a change ingested through either of two processes reaches the live streams of both",
  ignore: !Deno.env.get("TEST_DATABASE_URL"),
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const database: TestDatabase = await openTestDatabase();
    const instances: Instance[] = [];
    try {
      const db = database.db;
      const now = Date.now();
      await upsertReference(db, "regions", [{ code: "419900", name: "测试市", parent: null }]);
      await upsertReference(db, "departments", [{ code: "TWO-D", name: "测试局", region: "419900" }]);
      await upsertReference(db, "halls", [{ code: "TWO-H", name: "测试大厅", region: "419900" }]);
      const it = item({ code: "TWO-ITEM", department: "TWO-D", promisedDays: 1, statutoryDays: 5 });
      await upsertItems(db, [it]);
      const reader = await createUser(
        db,
        {
          username: "watcher",
          displayName: "watcher",
          role: "province",
          departments: [],
          region: null,
          hall: null,
        },
        now,
        { passwordHash: await testPasswordHash() },
      );
      const pusher = await createUser(db, {
        username: "pusher",
        displayName: "pusher",
        role: "ingest",
        departments: ["TWO-D"],
        region: null,
        hall: null,
      }, now);
      const readAs = await sessionHeaders(db, reader.id, now);
      const pushKey = (await createApiKey(db, { userId: pusher.id, name: "p", createdBy: "test" })).key;

      instances.push(
        ...await Promise.all([spawnServer(database.url!, "A"), spawnServer(database.url!, "B")]),
      );
      const streams = await Promise.all(instances.map(async (inst) => {
        const res = await fetch(`${inst.url}api/v1/stream?department=TWO-D`, {
          headers: readAs,
        });
        assert.equal(res.status, 200);
        const r = new SseReader(res.body!);
        const first = await untilMessage(r, (m) => m.event === "counts");
        assert.equal(JSON.parse(first.data!).totals.warnings, 0);
        return r;
      }));

      // N = 1: received and accepted now → the 8.1 warning is raised at acceptance.
      for (const [i, inst] of instances.entries()) {
        const caseId = `TWO-${i}`;
        const at = shanghaiInstant(Date.now() - 60_000);
        const res = await fetch(`${inst.url}api/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${pushKey}`, "content-type": "application/json" },
          body: JSON.stringify([
            {
              id: `${caseId}-r`,
              case: caseId,
              type: "received",
              at,
              item: it.code,
              channel: "hall",
              hall: "TWO-H",
              applicant: { name: "王小明", contact: "13800000000", kind: "person" },
            },
            { id: `${caseId}-a`, case: caseId, type: "accepted", at, handler: "李四" },
          ]),
        });
        assert.equal(res.status, 200, await res.text());
        for (const stream of streams) {
          const alert = await untilMessage(
            stream,
            (m) =>
              m.event === "alert" && JSON.parse(m.data!).case === caseId &&
              JSON.parse(m.data!).rule === "8.1",
          );
          assert.equal(JSON.parse(alert.data!).applicant, "王*明");
          const counts = await untilMessage(stream, (m) => m.event === "counts");
          assert.equal(JSON.parse(counts.data!).totals.warnings, i + 1);
        }
      }

      // Shutdown does not hang on the open streams.
      for (const inst of instances) inst.child.kill("SIGTERM");
      const codes = await Promise.race([
        Promise.all(instances.map((inst) => inst.child.status.then((s) => s.code))),
        new Promise<"hung">((r) => setTimeout(() => r("hung"), 10_000)),
      ]);
      assert.deepEqual(codes, [0, 0]);
      for (const stream of streams) {
        while (await stream.next(2000));
        assert.equal(stream.done, true);
      }
    } finally {
      for (const inst of instances) {
        try {
          inst.child.kill("SIGKILL");
        } catch {
          // already exited
        }
      }
      await database.drop();
    }
  },
});
