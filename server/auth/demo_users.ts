/**
 * Demo accounts, one per role, created in demo mode only (`ensureBootstrapUsers(deps, { demo: true })`).
 * Their scopes use the demo reference data of server/demo/henan.ts (郑州市 410100 and its districts).
 * Everyone shares {@linkcode DEMO_PASSWORD}, printed at start and shown on the login page in demo mode.
 *
 * @module
 */
import type { NewUser } from "./users.ts";

/** The password of every demo account. Demo mode only. */
export const DEMO_PASSWORD = "demo-jct-2026";

/** The demo ingest client's API key (demo mode only; production keys are random and shown once). */
export const DEMO_INGEST_KEY = "jct_demo-ingest-key-2026";

/** The demo evaluation platform's API key (account `pingjia`, sender kind `evaluation`; demo mode only). */
export const DEMO_EVALUATION_KEY = "jct_demo-evaluation-key-2026";

/** The demo's API keys by account. */
export const DEMO_KEYS: { username: string; key: string; name: string }[] = [
  { username: "jieru", key: DEMO_INGEST_KEY, name: "演示接入密钥" },
  { username: "pingjia", key: DEMO_EVALUATION_KEY, name: "演示好差评平台密钥" },
];

/** One account per role. */
export const DEMO_USERS: Omit<NewUser, "password">[] = [
  {
    username: "sheng",
    displayName: "省政务服务监察处",
    role: "province",
    departments: [],
    region: null,
    hall: null,
  },
  {
    username: "zhengzhou",
    displayName: "郑州市电子监察室",
    role: "region",
    departments: [],
    region: "410100",
    hall: null,
  },
  {
    username: "scjgj",
    displayName: "郑州市市场监督管理局窗口",
    role: "department",
    departments: ["410100-SCJGJ"],
    region: null,
    hall: null,
  },
  {
    username: "dating",
    displayName: "郑州市民之家大厅管理员",
    role: "hall_manager",
    departments: [],
    region: null,
    hall: "410100-ZWFW",
  },
  {
    username: "juzhang",
    displayName: "郑州市政务服务负责人",
    role: "director",
    departments: [],
    region: "410100",
    hall: null,
  },
  { username: "guanli", displayName: "系统管理员", role: "admin", departments: [], region: null, hall: null },
  {
    username: "jieru",
    displayName: "全省数据接入（演示）",
    role: "ingest",
    departments: [],
    region: "410000",
    hall: null,
    senderKind: "department",
  },
  {
    username: "pingjia",
    displayName: "河南政务服务网好差评平台（演示）",
    role: "ingest",
    departments: [],
    region: null,
    hall: null,
    senderKind: "evaluation",
  },
];
