/**
 * What every browser test needs: the real app in-process over a test database with a fast live hub,
 * Debian's chromium with a fresh profile, and the accounts that seed the test world.
 *
 * @module
 */
import { type BrowserContext, chromium } from "playwright-core";
import { openTestDatabase, type TestDatabase } from "../db/testing.ts";
import { ruleName } from "../rules/names.ts";
import { buildIslands } from "../server/island_bundles.ts";
import { createApp } from "../server/app.ts";
import { createApiKey } from "../server/auth/api_keys.ts";
import { sessionHeaders, testPasswordHash } from "../server/auth/test_support.ts";
import { createUser } from "../server/auth/users.ts";
import type { AppDeps, Clock } from "../server/deps.ts";
import { dateIn, startOfDay } from "../rules/dates.ts";
import { LiveHub } from "../server/live/hub.ts";
import { DEPARTMENT_CODES, seedWorld } from "./world.ts";
import { openCalendarStore } from "../server/calendar_store.ts";
import { openKeyCache } from "../server/auth/key_cache.ts";

/** Debian's chromium; the browser tests are ignored without it. */
export const CHROMIUM = "/usr/bin/chromium";
/** Whether {@linkcode CHROMIUM} is installed. */
export const hasChromium: boolean = await Deno.stat(CHROMIUM).then(() => true, () => false);
/** Where screenshots go. */
export const OUTPUT: string = new URL("./output/", import.meta.url).pathname;

/** A running app and browser, with the keys of the world's administrator and ingest client. */
export interface Harness {
  database: TestDatabase;
  deps: AppDeps;
  /** The app's clock ({@linkcode testClock}): the tests date their events by it, never by Date.now(). */
  clock: Clock;
  base: string;
  browser: BrowserContext;
  /** Request headers of the administrator's login session (people have no API keys). */
  adminHeaders: Record<string, string>;
  ingestKey: string;
  /** The evaluation platform's key (sender kind `evaluation`: evaluations only). */
  evaluationKey: string;
  /** Close the browser, the hub, the server and the database. */
  close(): Promise<void>;
}

const HOUR = 3600_000;

/**
 * The browser tests' clock: real time, moved (by at most an hour, once) to lie between 01:00 and
 * 23:00 Asia/Shanghai, so that "today" and "a few minutes ago" fall on one day whenever the tests run
 * — also in the first minutes after midnight. Session cookies stay valid in the browser's real time.
 */
export function testClock(real: () => number = Date.now): Clock {
  const start = real();
  const ofDay = start - startOfDay(dateIn(start));
  const offset = ofDay < HOUR ? HOUR - ofDay : ofDay > 23 * HOUR ? 23 * HOUR - ofDay : 0;
  return () => real() + offset;
}

/** A browser test: ignored without chromium; `fn` runs on a fresh harness, closed afterwards. */
export function browserTest(name: string, fn: (h: Harness) => Promise<void>): void {
  Deno.test({
    name,
    ignore: !hasChromium,
    sanitizeOps: false,
    sanitizeResources: false,
    async fn() {
      const h = await startHarness();
      try {
        await fn(h);
      } finally {
        await h.close();
      }
    },
  });
}

/**
 * POST events as an ingest client would (the department system's `ingestKey` or the evaluation
 * platform's `evaluationKey`), requiring every one to be stored.
 */
export async function pushEvents(base: string, key: string, events: unknown[]): Promise<void> {
  const res = await fetch(`${base}/api/v1/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(events),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST /api/v1/events: ${res.status} ${text}`);
}

/** Start the app on a free port, seed the world's reference data, open chromium. */
export async function startHarness(): Promise<Harness> {
  const database = await openTestDatabase();
  const deps: AppDeps = {
    database,
    clock: testClock(),
    calendar: await openCalendarStore(database),
    keys: await openKeyCache(database),
    manifest: await buildIslands(),
  };
  const hub = new LiveHub(deps, { tickMs: 250, ruleName });
  await hub.start();
  deps.live = hub;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, createApp(deps).fetch);
  const base = `http://127.0.0.1:${server.addr.port}`;
  const userDataDir = await Deno.makeTempDir({ prefix: "jct-chromium-" });
  // Playwright takes the fresh profile folder itself (it refuses a --user-data-dir argument).
  const browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1920, height: 1080 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const close = async () => {
    await browser.close();
    await hub.stop();
    await server.shutdown();
    await database.drop();
    await Deno.remove(userDataDir, { recursive: true }).catch(() => {});
  };
  try {
    const now = deps.clock();
    const { db } = database;
    const none = { departments: [], region: null, hall: null };
    const admin = await createUser(
      db,
      {
        username: "e2e-admin",
        displayName: "管理员",
        role: "admin",
        ...none,
      },
      now,
      { passwordHash: await testPasswordHash() },
    );
    const adminHeaders = await sessionHeaders(db, admin.id, now);
    await seedWorld(base, adminHeaders);
    const ingest = await createUser(db, {
      username: "e2e-ingest",
      displayName: "接入",
      role: "ingest",
      ...none,
      departments: DEPARTMENT_CODES,
    }, now);
    const ingestKey = (await createApiKey(db, { userId: ingest.id, name: "e2e", createdBy: "e2e" })).key;
    const platform = await createUser(db, {
      username: "e2e-pingjia",
      displayName: "好差评平台",
      role: "ingest",
      ...none,
      senderKind: "evaluation",
    }, now);
    const evaluationKey =
      (await createApiKey(db, { userId: platform.id, name: "e2e", createdBy: "e2e" })).key;
    return {
      database,
      deps,
      clock: deps.clock,
      base,
      browser,
      adminHeaders,
      ingestKey,
      evaluationKey,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
