/**
 * The fault script's environment: a throw-away database on the local PostgreSQL, the real server as a
 * child process (`deno run -A server/main.ts`), restarting the local PostgreSQL cluster, and the few
 * HTTP calls the scenarios share. Everything is bounded in time and talks to 127.0.0.1 only.
 *
 * @module
 */
import postgres from "postgres";

/** The local PostgreSQL server, as superuser. */
export const ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres";
const REPO = new URL("../", import.meta.url).pathname;

/** Sleep for `ms`. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A database created for the run; `drop()` removes it (forcing out any connection left). */
export interface FaultDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Create a fresh database beside `postgres` on the local server. */
export async function createDatabase(): Promise<FaultDatabase> {
  const name = `jct_faults_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 10 });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      await waitPgReady(30_000);
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {}, connect_timeout: 10 });
      try {
        await a.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await a.end({ timeout: 5 });
      }
    },
  };
}

/** The real server running as a child process. */
export interface ChildServer {
  /** Base URL on 127.0.0.1, without a trailing slash. */
  url: string;
  pid: number;
  /** Send a signal and wait for the process to end (SIGTERM falls back to SIGKILL after 10 s). */
  stop(signal: "SIGKILL" | "SIGTERM"): Promise<Deno.CommandStatus>;
  /** The last lines the server printed (stdout and stderr). */
  log(): string[];
  /** The exit status once the process has ended (killed or crashed), else null. */
  exited(): Deno.CommandStatus | null;
}

/** Start `server/main.ts` on a free port and wait (≤ 60 s) for its "listening on" line. */
export async function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "server/main.ts"],
    cwd: REPO,
    env: { PORT: "0", DEMO: "0", NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: string[] = [];
  const listening = Promise.withResolvers<string>();
  const read = async (stream: ReadableStream<Uint8Array>) => {
    let buf = "";
    const decoder = new TextDecoder();
    for await (const bytes of stream) {
      buf += decoder.decode(bytes, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (lines.length > 200) lines.shift();
        const m = /listening on https?:\/\/[^:/]+:(\d+)/.exec(line);
        if (m) listening.resolve(`http://127.0.0.1:${m[1]}`);
      }
    }
  };
  const reading = Promise.all([read(child.stdout), read(child.stderr)]).catch(() => {});
  let status: Promise<Deno.CommandStatus> | null = null;
  let exit: Deno.CommandStatus | null = null;
  const ended = child.status.then((s) => {
    exit = s;
    listening.reject(new Error(`server exited (code ${s.code}) before listening:\n${lines.join("\n")}`));
    return s;
  });
  const stop = (signal: "SIGKILL" | "SIGTERM") =>
    status ??= (async () => {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 10_000);
      const s = await ended;
      clearTimeout(timer);
      await reading;
      return s;
    })();
  const timeout = setTimeout(() => listening.reject(new Error("server did not listen within 60 s")), 60_000);
  try {
    const url = await listening.promise;
    return { url, pid: child.pid, stop, log: () => [...lines], exited: () => exit };
  } catch (err) {
    await stop("SIGKILL");
    throw err;
  } finally {
    clearTimeout(timeout);
  }
}

async function run(cmd: string, args: string[], timeoutMs: number): Promise<{ ok: boolean; out: string }> {
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { ok: out.success, out: text.trim() };
}

/** Whether the local PostgreSQL accepts connections. */
export async function pgIsReady(): Promise<boolean> {
  return (await run("pg_isready", ["-h", "127.0.0.1", "-p", "5432", "-t", "2"], 5000)).ok;
}

/** Wait until the local PostgreSQL accepts connections; false after `timeoutMs`. */
export async function waitPgReady(timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await pgIsReady()) return true;
    await sleep(250);
  }
  return false;
}

/** The major version of the local cluster (the one folder in /etc/postgresql). */
export function pgVersion(): string {
  const versions = [...Deno.readDirSync("/etc/postgresql")].filter((e) => e.isDirectory).map((e) => e.name);
  if (versions.length !== 1) throw new Error(`expected one PostgreSQL version, found ${versions.join(", ")}`);
  return versions[0];
}

/** `pg_ctlcluster <version> main <action>` (restart or start), bounded to 60 s. */
export async function pgCtl(action: "restart" | "start"): Promise<void> {
  const r = await run("pg_ctlcluster", ["--skip-systemctl-redirect", pgVersion(), "main", action], 60_000);
  if (!r.ok) throw new Error(`pg_ctlcluster ${action} failed: ${r.out}`);
}

/** Put the local PostgreSQL back in service if it is not (the script's finally). */
export async function ensurePgRunning(): Promise<boolean> {
  if (await waitPgReady(3000)) return true;
  await pgCtl("start").catch((err) => console.error(String(err)));
  return await waitPgReady(60_000);
}

/** A JSON request with a timeout; the parsed body (or null) and the status. */
export async function call(
  url: string,
  init: RequestInit & { timeoutMs?: number } = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(init.timeoutMs ?? 30_000) });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}
