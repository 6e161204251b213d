/**
 * Run tests one at a time, each alone in its own `deno test` process (`--filter` with the exact
 * name), to prove that no test depends on another having run first.
 *
 * ```
 * deno task test:alone                 # a random sample of 12 tests
 * deno task test:alone --sample 40 --seed 7
 * deno task test:alone --all           # every test (takes a while)
 * deno task test:alone --list          # just list "file :: name"
 * deno task test:alone --all server/write/apply_test.ts rules/   # only these files or folders
 * deno task test:alone --all --jobs 2 --resume run.log server/   # two at a time; skip what run.log passed
 * ```
 *
 * With `TEST_DATABASE_URL` set the tests run on PostgreSQL, as `deno task test` does. Test names are
 * read from the sources: `Deno.test("…")`, `Deno.test({ name: "…" })`, `browserTest("…", fn)` and template names, whose
 * `${…}` parts match anything. The files are type-checked once; each run uses `--no-check`.
 * Prints one line per test (a failure's output right after it) and `N passed, M failed`; exits 1 if
 * any failed. `--resume LOG` skips the tests a previous run's output LOG reports as ok or ignored.
 *
 * @module
 */

/** One test: its file and the name it is registered under (a template name keeps its `${…}`). */
export interface TestRef {
  file: string;
  name: string;
}

const ROOT = new URL("../", import.meta.url).pathname;
const SKIP_DIRS = new Set(["node_modules", ".git", "static", "data", "e2e/output", "bench/results"]);

/** Test files under the given folders or files (default: the whole repository). */
export async function testFiles(roots: string[] = ["."]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    const info = await Deno.stat(`${ROOT}${rel}`);
    if (info.isFile) {
      if (/_test\.tsx?$/.test(rel)) out.push(rel);
      return;
    }
    for await (const e of Deno.readDir(`${ROOT}${rel}`)) {
      const child = rel === "." ? e.name : `${rel.replace(/\/$/, "")}/${e.name}`;
      if (e.isDirectory && !SKIP_DIRS.has(child) && !e.name.startsWith(".")) await walk(child);
      else if (e.isFile && /_test\.tsx?$/.test(e.name)) out.push(child);
    }
  };
  for (const r of roots) await walk(r.replace(/^\.\//, ""));
  return [...new Set(out)].sort();
}

const STRING = /^(["'`])((?:\\.|(?!\1)[^\\])*)\1/s;

/** The names of the tests a source registers, in source order. */
export function testNames(source: string): string[] {
  const names: string[] = [];
  // Browser tests register through e2e/harness.ts `browserTest(name, fn)` (and a local one of that name).
  const re = /(?:Deno\.test|\bbrowserTest)\(\s*(\{\s*name:\s*)?/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    const s = STRING.exec(source.slice(m.index + m[0].length));
    if (s) names.push(s[1] === "`" ? s[2] : unescape(s[2]));
  }
  return names;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, "$1");
}

/** The `--filter` that selects exactly this name (template parts match anything). */
export function exactFilter(name: string): string {
  const parts = name.split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"));
  return `/^${parts.join(".*")}$/`;
}

/** A small seeded generator (mulberry32) so a sample can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `count` tests drawn without repetition. */
export function sample<T>(list: readonly T[], count: number, seed: number): T[] {
  const rnd = random(seed);
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, count);
}

/** What one test's run reported. */
export interface AloneResult extends TestRef {
  ok: boolean;
  passed: number;
  /** The test is `ignore`d here (e.g. it needs PostgreSQL or chromium): it did not run. */
  ignored: boolean;
  ms: number;
  output: string;
}

/**
 * Run one test alone. It passes when its process exits 0 having passed at least one test; a test its
 * file ignores in this environment is reported as ignored.
 */
export async function runAlone(ref: TestRef): Promise<AloneResult> {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--no-check", ref.file, "--filter", exactFilter(ref.name)],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const output = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  const summary = /(?:ok|FAILED) \| (\d+) passed/.exec(output);
  const passed = summary ? Number(summary[1]) : 0;
  const ignored = out.success && passed === 0 && / \| [1-9]\d* ignored/.test(output);
  return {
    ...ref,
    ok: out.success && (passed > 0 || ignored),
    passed,
    ignored,
    ms: performance.now() - started,
    output,
  };
}

async function main(args: string[]) {
  const flag = (name: string) => args.includes(name);
  const value = (name: string, fallback: number) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const roots = args.filter((a, i) =>
    !a.startsWith("--") && !["--sample", "--seed", "--jobs", "--resume"].includes(args[i - 1])
  );
  const resume = args.includes("--resume") ? await Deno.readTextFile(args[args.indexOf("--resume") + 1]) : "";
  const done = new Set(
    [...resume.matchAll(/^(?:ok {5}|ignored) \S+ {2}(.+)$/gm)].map((m) => m[1]),
  );
  const refs: TestRef[] = [];
  for (const file of await testFiles(roots.length ? roots : ["."])) {
    for (const name of testNames(await Deno.readTextFile(`${ROOT}${file}`))) refs.push({ file, name });
  }
  if (flag("--list")) {
    for (const r of refs) console.log(`${r.file} :: ${r.name}`);
    console.log(`${refs.length} tests`);
    return;
  }
  const seed = value("--seed", Date.now() % 100_000);
  const chosen = (flag("--all") ? refs : sample(refs, value("--sample", 12), seed))
    .filter((r) => !done.has(`${r.file} :: ${r.name}`));
  console.log(
    `${chosen.length} of ${refs.length} tests, each alone${flag("--all") ? "" : ` (seed ${seed})`}`,
  );
  const files = [...new Set(chosen.map((r) => r.file))];
  const check = await new Deno.Command(Deno.execPath(), { args: ["check", ...files], cwd: ROOT }).output();
  if (!check.success) {
    console.error(new TextDecoder().decode(check.stderr));
    Deno.exit(1);
  }
  const jobs = Math.max(1, value("--jobs", 1));
  const failures: AloneResult[] = [];
  let next = 0, passed = 0, ignored = 0;
  const worker = async () => {
    while (next < chosen.length) {
      const r = await runAlone(chosen[next++]);
      const label = r.ignored ? "ignored" : r.ok ? "ok     " : "FAILED ";
      console.log(`${label} ${(r.ms / 1000).toFixed(1)}s  ${r.file} :: ${r.name}`);
      if (r.ignored) ignored++;
      else if (r.ok) passed++;
      else {
        failures.push(r);
        console.log(`\n== ${r.file} :: ${r.name}\n${r.output.slice(-3000)}\n==\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  for (const f of failures) console.log(`FAILED  ${f.file} :: ${f.name}`);
  console.log(`\n${passed} passed, ${failures.length} failed${ignored ? `, ${ignored} ignored` : ""}`);
  if (failures.length) Deno.exit(1);
}

if (import.meta.main) await main(Deno.args);
