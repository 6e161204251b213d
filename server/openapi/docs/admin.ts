/**
 * Descriptions of the administration routes (/api/v1/admin/…), the audit trail and `GET /api/v1/me`.
 *
 * @module
 */
import { z } from "zod";
import { UserCreate, UserUpdate } from "../../auth/users.ts";
import { AuditQuery, KeyCreate, TokenCreate } from "../../admin_schemas.ts";
import { named, type RouteDoc, routeDocs } from "../describe.ts";

const ADMIN = "管理 Administration";
const AUDIT = "审计 Audit";

const user = named(
  "User",
  z.looseObject({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.string(),
    departments: z.array(z.string()),
    region: z.string().nullable(),
    hall: z.string().nullable(),
    active: z.boolean(),
    hasPassword: z.boolean(),
  }),
);
const apiKey = named(
  "ApiKey",
  z.looseObject({ id: z.string(), userId: z.string(), name: z.string(), prefix: z.string() }),
);
const displayToken = named(
  "DisplayToken",
  z.looseObject({ id: z.string(), hall: z.string(), name: z.string(), prefix: z.string() }),
);
const revoked = z.object({ revoked: z.string() });
const auditRecord = named(
  "AuditRecord",
  z.looseObject({
    id: z.number().int(),
    at: z.unknown(),
    actor: z.string(),
    role: z.string(),
    action: z.string().describe("如 user.create、item.upsert、calendar.update、review.record"),
    target: z.string(),
    detail: z.unknown(),
    ip: z.string().nullable(),
    prevHash: z.string(),
    hash: z.string(),
  }),
);

/** Descriptions by route. */
export const adminDocs = routeDocs({
  listUsers: {
    tags: [ADMIN],
    summary: "账户列表",
    responses: { 200: { description: "全部账户（不含密码）", schema: z.array(user) } },
    examples: [{ name: "list", summary: "账户列表", value: undefined, status: 200 }],
  },
  createUser: {
    tags: [ADMIN],
    summary: "新建账户",
    body: {
      schema: UserCreate,
      examples: [
        {
          name: "department",
          summary: "部门工作人员",
          value: {
            username: "wangwu",
            displayName: "王五",
            role: "department",
            password: "Wangwu-Chuangkou-2026",
            departments: ["410100-SCJGJ"],
          },
          status: 201,
        },
        {
          name: "weak_password",
          summary: "密码过于常见（人员账户须设置符合要求的密码）",
          value: {
            username: "sunqi",
            displayName: "孙七",
            role: "province",
            password: "qwerty123456",
          },
          status: 400,
        },
        {
          name: "no_scope",
          summary: "部门工作人员缺少部门",
          value: {
            username: "zhaoliu",
            displayName: "赵六",
            role: "department",
            password: "Zhaoliu-Chuangkou-2026",
          },
          status: 400,
        },
      ],
    },
    responses: { 201: { description: "已建立", schema: user }, 409: { description: "用户名已存在" } },
  },
  updateUser: {
    tags: [ADMIN],
    summary: "修改账户（显示名、角色、范围、密码、停用）",
    params: { id: "账户 id" },
    body: { schema: UserUpdate },
    responses: {
      200: { description: "修改后的账户", schema: user },
      404: { description: "没有此账户" },
      409: { description: "不能停用自己或取消自己的管理员角色" },
    },
  },
  listKeys: {
    tags: [ADMIN],
    summary: "API 密钥列表（不含密钥本身）",
    query: z.object({ user: z.string().optional().describe("只看某账户的密钥") }),
    responses: { 200: { description: "密钥", schema: z.array(apiKey) } },
    examples: [{ name: "list", summary: "密钥列表", value: undefined, status: 200 }],
  },
  createKey: {
    tags: [ADMIN],
    summary: "为账户签发 API 密钥（密钥只在此响应中出现一次）",
    body: {
      schema: KeyCreate,
      examples: [{
        name: "unknown_user",
        summary: "没有此账户",
        value: { userId: "nobody", name: "市场监管局接入" },
        status: 404,
      }],
    },
    responses: {
      201: {
        description: "新密钥",
        schema: z.object({ id: z.string(), key: z.string(), prefix: z.string() }),
      },
      404: { description: "没有此账户" },
    },
  },
  revokeKey: {
    tags: [ADMIN],
    summary: "吊销 API 密钥",
    params: { id: "密钥 id" },
    responses: { 200: { description: "已吊销", schema: revoked }, 404: { description: "没有此有效密钥" } },
    examples: [{
      name: "unknown",
      summary: "没有此密钥",
      value: undefined,
      status: 404,
      params: { id: "nope" },
    }],
  },
  listTokens: {
    tags: [ADMIN],
    summary: "大厅显示屏令牌列表",
    responses: { 200: { description: "令牌（不含令牌本身）", schema: z.array(displayToken) } },
    examples: [{ name: "list", summary: "令牌列表", value: undefined, status: 200 }],
  },
  createToken: {
    tags: [ADMIN],
    summary: "为大厅签发显示屏令牌（只在此响应中出现一次）",
    body: {
      schema: TokenCreate,
      examples: [
        {
          name: "ok",
          summary: "郑州大厅二楼大屏",
          value: { hall: "410100-HALL", name: "二楼大屏" },
          status: 201,
        },
        {
          name: "unknown_hall",
          summary: "没有此大厅",
          value: { hall: "419999-HALL", name: "大屏" },
          status: 400,
        },
      ],
    },
    responses: {
      201: {
        description: "新令牌",
        schema: z.object({ id: z.string(), token: z.string(), prefix: z.string() }),
      },
    },
  },
  revokeToken: {
    tags: [ADMIN],
    summary: "吊销显示屏令牌",
    params: { id: "令牌 id" },
    responses: { 200: { description: "已吊销", schema: revoked }, 404: { description: "没有此有效令牌" } },
    examples: [{
      name: "unknown",
      summary: "没有此令牌",
      value: undefined,
      status: 404,
      params: { id: "nope" },
    }],
  },
  audit: {
    tags: [AUDIT],
    summary: "审计记录（新的在前，可按操作人、操作、时间筛选）",
    query: AuditQuery,
    responses: {
      200: {
        description: "记录与下一页的 before",
        schema: z.object({ records: z.array(auditRecord), next: z.number().int().nullable() }),
      },
    },
    examples: [
      { name: "recent", summary: "最近的记录", value: undefined, status: 200 },
      { name: "by_action", summary: "事项变更", value: undefined, status: 200, query: { action: "item." } },
      { name: "bad_limit", summary: "limit 无效", value: undefined, status: 400, query: { limit: "0" } },
    ],
  },
  auditVerify: {
    tags: [AUDIT],
    summary: "校验审计链（每条记录的哈希与前一条相连）",
    responses: {
      200: {
        description: "校验结果",
        schema: z.looseObject({
          ok: z.boolean(),
          checked: z.number().int(),
          firstBad: z.object({ id: z.number().int(), reason: z.string() }).optional(),
        }),
      },
    },
    examples: [{ name: "verify", summary: "校验", value: undefined, status: 200 }],
  },
});

/** `GET /api/v1/me`. */
export const meDoc: RouteDoc = {
  tags: ["账户 Account"],
  summary: "当前登录者：角色、范围，以及会话的 CSRF 令牌",
  responses: {
    200: {
      description: "当前登录者",
      schema: z.object({
        kind: z.enum(["session", "key", "display"]),
        username: z.string(),
        displayName: z.string(),
        role: z.string(),
        roleName: z.string(),
        departments: z.array(z.string()),
        region: z.string().nullable(),
        hall: z.string().nullable(),
        csrfToken: z.string().nullable().describe("会话的写操作须以 X-CSRF-Token 头带回"),
        sessionExpiresAt: z.string().nullable(),
      }),
    },
  },
  examples: [{ name: "me", summary: "我是谁", value: undefined, status: 200 }],
};
