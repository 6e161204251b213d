/**
 * Provisioning a fresh server the way an administrator would: log in as `admin` (JSON login, then the
 * session's CSRF token on every write), PUT the demo's Henan reference data, create the two senders
 * (a department system for the whole province, the evaluation platform) with API keys, and a provincial reader (a person: password and login session;
 * API keys are only for ingest accounts).
 *
 * @module
 */
import { HENAN_DEPARTMENTS, HENAN_HALLS, HENAN_REGIONS } from "../server/demo/henan.ts";
import { HENAN_ITEMS } from "../server/demo/henan_items.ts";
import type { SenderAuth } from "../bench/post_batch.ts";
import { call } from "./faults_env.ts";

/**
 * The two senders' `Authorization` values (EXCHANGE.md "Who may send what": the department system
 * sends a case's lifecycle, the evaluation platform its evaluations), and the reader's session headers.
 */
export interface Keys {
  ingest: SenderAuth;
  reader: Record<string, string>;
}

function expect(what: string, r: { status: number; body: unknown }, ok: number[]): void {
  if (!ok.includes(r.status)) throw new Error(`${what}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
}

/** Create the provincial reader with a password and log in as them: their session cookie. */
async function readerSession(url: string, admin: Record<string, string>): Promise<Record<string, string>> {
  const password = `faults-reader-${crypto.randomUUID()}`;
  const user = { username: "faults-reader", displayName: "故障测试省级", role: "province", password };
  const created = await call(`${url}/api/v1/admin/users`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify(user),
  });
  expect(`create user ${user.username}`, created, [201]);
  const login = await fetch(`${url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: user.username, password }),
    signal: AbortSignal.timeout(30_000),
  });
  await login.body?.cancel();
  if (login.status !== 200) throw new Error(`reader login: HTTP ${login.status}`);
  return { cookie: login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") };
}

/** Log in as the administrator and provision the reference data and the two keys. */
export async function provision(url: string, adminPassword: string): Promise<Keys> {
  const login = await fetch(`${url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: adminPassword }),
    signal: AbortSignal.timeout(30_000),
  });
  const me = await login.json() as { csrfToken?: string };
  if (login.status !== 200 || !me.csrfToken) throw new Error(`admin login: HTTP ${login.status}`);
  const cookie = login.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const headers = { "content-type": "application/json", cookie, "x-csrf-token": me.csrfToken };
  const put = async (kind: string, list: unknown[]) =>
    expect(
      `PUT /api/v1/${kind}`,
      await call(`${url}/api/v1/${kind}`, { method: "PUT", headers, body: JSON.stringify(list) }),
      [200],
    );
  await put("regions", HENAN_REGIONS);
  await put("departments", HENAN_DEPARTMENTS);
  await put("halls", HENAN_HALLS);
  await put("items", HENAN_ITEMS);

  const key = async (user: Record<string, unknown>) => {
    const created = await call(`${url}/api/v1/admin/users`, {
      method: "POST",
      headers,
      body: JSON.stringify(user),
    });
    expect(`create user ${user.username}`, created, [201]);
    const id = (created.body as { id: string }).id;
    const k = await call(`${url}/api/v1/admin/keys`, {
      method: "POST",
      headers,
      body: JSON.stringify({ userId: id, name: "故障测试" }),
    });
    expect(`create key of ${user.username}`, k, [201]);
    return `Bearer ${(k.body as { key: string }).key}`;
  };
  return {
    ingest: {
      department: await key({
        username: "faults-ingest",
        displayName: "故障测试接入",
        role: "ingest",
        region: "410000",
      }),
      // Evaluations come from the province's evaluation platform (好差评), as the demo's pingjia.
      evaluation: await key({
        username: "faults-pingjia",
        displayName: "故障测试好差评平台",
        role: "ingest",
        region: "410000",
        senderKind: "evaluation",
      }),
    },
    reader: await readerSession(url, headers),
  };
}
