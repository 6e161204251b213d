/**
 * Pages for reference data and the audit trail:
 *
 * - `GET /admin/reference` — counts, downloads, uploads, the items with a search (`reference:write`);
 * - `POST /admin/reference/:kind/import` — a file upload (multipart), saved whole or refused with its
 *   problems listed by row and column;
 * - `GET|POST /admin/items/:code` — one item, as a form;
 * - `GET /admin/calendar/:year` — the year as a month grid (island CalendarGrid), `calendar:write`;
 * - `GET /audit` — the audit trail, filterable (`audit:read`, the provincial agency).
 *
 * @module
 */
import { asc, count, eq, ilike, or } from "drizzle-orm";
import { type Context, Hono } from "hono";
import { departments, halls, items, regions } from "../../db/schema.ts";
import { parseItem } from "../../rules/event_schema.ts";
import type { Item } from "../../rules/types.ts";
import type { Env } from "../app.ts";
import type { Principal } from "../auth/principal.ts";
import { verifyAuditChain } from "../audit.ts";
import { auditRecords } from "../audit_query.ts";
import type { AppDeps } from "../deps.ts";
import { NotFoundError, ValidationError } from "../errors.ts";
import { Island } from "../pages/layout.tsx";
import { AdminShell, errorBanner, type FieldErrors } from "../pages/admin_shell.tsx";
import { AuditPage } from "../pages/audit_page.tsx";
import { ITEM_LABELS, type ItemForm, ItemPage } from "../pages/item_page.tsx";
import { PAGE_KINDS, ReferencePage, type ReferencePageProps } from "../pages/reference_page.tsx";
import { listReference, type ReferenceKind } from "../reference.ts";
import { importFile } from "../reference_io/import.ts";
import { KIND_NAMES } from "../reference_io/columns.ts";
import type { RowError } from "../reference_io/read.ts";
import { saveReference } from "../reference_io/save.ts";
import { AuditQuery } from "../admin_schemas.ts";
import { actorOf } from "./admin.ts";
import { adminPageKit } from "./admin_page_kit.tsx";
import { CalendarGrid } from "../../islands/CalendarGrid.tsx";

/** The reference data and audit pages. */
export function referencePageRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();
  const kit = adminPageKit(deps);
  const { page, csrf, html, form, manifest, db } = kit;

  const renderReference = async (c: Context, p: Principal, extra: Partial<ReferencePageProps> = {}) => {
    const q = (c.req.query("q") ?? "").trim();
    const tables = { items, departments, halls, regions } as const;
    const counts = Object.fromEntries(
      await Promise.all(
        PAGE_KINDS.map(async (k) => [k, (await db.select({ n: count() }).from(tables[k]))[0].n]),
      ),
    ) as Record<ReferenceKind, number>;
    const like = `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const rows = await db.select({ data: items.data }).from(items)
      .where(q ? or(ilike(items.code, like), ilike(items.name, like)) : undefined)
      .orderBy(asc(items.code)).limit(200);
    const list = rows.map((r) => r.data as Item);
    const props = { counts, items: list, query: q, csrf: csrf(p), manifest: await manifest(), ...extra };
    return html(c, <ReferencePage {...props} />, extra.refused ? 400 : 200);
  };

  app.get(
    "/admin/reference",
    page("reference:write", (c, p) => {
      const kind = c.req.query("imported") as ReferenceKind | undefined;
      const n = c.req.query("n");
      const banner = kind && kind in KIND_NAMES
        ? {
          tone: "ok" as const,
          text: `已导入${KIND_NAMES[kind]} ${n ?? 0} 条（一次性全部保存，已记入审计）。`,
        }
        : undefined;
      return renderReference(c, p, { banner });
    }),
  );

  app.post(
    "/admin/reference/:kind/import",
    page("reference:write", async (c, p) => {
      const kind = (c.req.param("kind") ?? "") as ReferenceKind;
      if (!PAGE_KINDS.includes(kind)) throw new NotFoundError("没有此类基础数据");
      const body = await c.req.parseBody();
      const file = body.file;
      if (!(file instanceof File) || file.size === 0) {
        const errors: RowError[] = [{ row: 0, column: "", error: "请选择要导入的 XLSX 或 CSV 文件" }];
        return renderReference(c, p, { refused: { kind, file: "", errors } });
      }
      try {
        const r = await importFile(
          deps,
          actorOf(c, deps),
          kind,
          new Uint8Array(await file.arrayBuffer()),
          file.name,
        );
        return c.redirect(`/admin/reference?imported=${kind}&n=${r.stored}`, 303);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        const errors = (err.details as { errors?: RowError[] })?.errors ??
          [{ row: 0, column: "", error: err.message }];
        return renderReference(c, p, {
          refused: { kind, file: file.name, errors },
          banner: { tone: "error", text: err.message },
        });
      }
    }),
  );

  const renderItem = async (c: Context, p: Principal, code: string, f: ItemForm, errors?: FieldErrors) => {
    const deps_ = await listReference(db, "departments") as { code: string; name: string }[];
    const saved = c.req.query("saved") !== undefined;
    const banner = errors ? errorBanner("事项", errors, ITEM_LABELS) : saved
      ? {
        tone: "ok" as const,
        text: `已保存事项 ${code}，已重新计算 ${c.req.query("recalculated") ?? 0} 件办件。`,
      }
      : undefined;
    const props = {
      code,
      form: f,
      departments: deps_,
      csrf: csrf(p),
      manifest: await manifest(),
      banner,
      errors,
    };
    return html(c, <ItemPage {...props} />, errors ? 400 : 200);
  };

  app.get(
    "/admin/items/:code",
    page("reference:write", async (c, p) => {
      const code = c.req.param("code") ?? "";
      const [row] = await db.select({ data: items.data }).from(items).where(eqCode(code));
      if (!row) throw new NotFoundError(`没有此事项：${code}`);
      return renderItem(c, p, code, formOfItem(row.data as Item));
    }),
  );

  app.post(
    "/admin/items/:code",
    page("reference:write", async (c, p) => {
      const code = c.req.param("code") ?? "";
      const [row] = await db.select({ code: items.code }).from(items).where(eqCode(code));
      if (!row) throw new NotFoundError(`没有此事项：${code}`);
      const f = await form(c);
      const values: ItemForm = {};
      for (const name of Object.keys(ITEM_LABELS)) {
        if (["intermediaryFree", "certificate.nationallyDetermined"].includes(name)) {
          values[name] = f.text(name) === "1";
        } else if (name === "specialProcedures") values[name] = f.all(name);
        else values[name] = f.text(name) ?? "";
      }
      const parsed = parseItem(itemOfForm(code, values));
      if (!parsed.ok) {
        const field = Object.keys(ITEM_LABELS).find((n) =>
          parsed.field === n || parsed.field.startsWith(n + ".")
        ) ??
          (parsed.field.startsWith("fee")
            ? "fee.max"
            : parsed.field.startsWith("certificate")
            ? "certificate.type"
            : "name");
        return renderItem(c, p, code, values, { [field]: parsed.error });
      }
      const r = await saveReference(deps, actorOf(c, deps), "items", [parsed.item]);
      return c.redirect(
        `/admin/items/${encodeURIComponent(code)}?saved&recalculated=${r.recalculated ?? 0}`,
        303,
      );
    }),
  );

  app.get(
    "/admin/calendar/:year",
    page("calendar:write", async (c, p) => {
      const yearText = c.req.param("year") ?? "";
      const year = Number(yearText);
      if (!/^\d{4}$/.test(yearText) || year < 2000 || year > 2099) {
        throw new NotFoundError("年度应为 2000–2099");
      }
      const row = deps.calendar?.rows.find((r) => r.year === year);
      const props = {
        year,
        holidays: row?.holidays ?? [],
        workdays: row?.workdays ?? [],
        source: row?.source ?? "管理员录入",
        csrf: csrf(p),
      };
      const m = await manifest();
      return html(
        c,
        <AdminShell title={`${year} 年节假日安排`} section="/admin/calendar" manifest={m}>
          <p>
            <a href="/admin/calendar">← 全部年度（JSON 载入）</a>
            {" · "}
            <a href={`/admin/calendar/${year - 1}`}>{year - 1} 年</a>
            {" · "}
            <a href={`/admin/calendar/${year + 1}`}>{year + 1} 年</a>
          </p>
          {!row && (
            <p class="admin-banner tone-warning">{year} 年尚未载入：在下方标出放假与调休上班日后保存。</p>
          )}
          <Island name="CalendarGrid" component={CalendarGrid} props={props} manifest={m} />
        </AdminShell>,
      );
    }),
  );

  app.get(
    "/audit",
    page("audit:read", async (c) => {
      const raw = c.req.query();
      const filter = {
        actor: raw.actor ?? "",
        action: raw.action ?? "",
        from: raw.from ?? "",
        to: raw.to ?? "",
      };
      const day = /^\d{4}-\d{2}-\d{2}$/;
      const q = AuditQuery.safeParse({
        limit: "100",
        before: raw.before || undefined,
        actor: filter.actor || undefined,
        action: filter.action || undefined,
        from: day.test(filter.from) ? `${filter.from}T00:00:00+08:00` : undefined,
        to: day.test(filter.to) ? `${filter.to}T23:59:59.999+08:00` : undefined,
      });
      const [page_, chain] = await Promise.all([
        q.success ? auditRecords(db, q.data) : Promise.resolve({ records: [], next: null }),
        verifyAuditChain(db),
      ]);
      return html(
        c,
        <AuditPage
          rows={page_.records}
          filter={filter}
          next={page_.next}
          chain={chain}
          error={q.success ? undefined : "筛选条件无效"}
          manifest={await manifest()}
        />,
      );
    }),
  );
  return app;
}

function eqCode(code: string) {
  return eq(items.code, code);
}

/** An item as the form's values. */
export function formOfItem(i: Item): ItemForm {
  return {
    name: i.name,
    department: i.department,
    statutoryDays: String(i.statutoryDays),
    promisedDays: String(i.promisedDays),
    steps: i.steps,
    "materials.required": i.materials.required,
    "materials.optional": i.materials.optional,
    specialProcedures: [...i.specialProcedures],
    "fee.max": i.fee ? String(i.fee.max) : "",
    "fee.basis": i.fee?.basis ?? "",
    promisedVisits: String(i.promisedVisits),
    intermediaryFree: i.intermediaryFree,
    "certificate.type": i.certificate?.type ?? "",
    "certificate.fields": i.certificate?.fields ?? [],
    "certificate.nationallyDetermined": i.certificate?.nationallyDetermined ?? false,
  };
}

/** The form's values as an item to validate (numbers parsed, lists split by line). */
function itemOfForm(code: string, f: ItemForm): Record<string, unknown> {
  const s = (k: string) => String(f[k] ?? "").trim();
  const num = (k: string) => (s(k) === "" ? undefined : Number(s(k)));
  const list = (k: string) =>
    [f[k]].flat().flatMap((v) => String(v ?? "").split(/\r?\n/)).map((x) => x.trim()).filter(Boolean);
  return {
    code,
    name: s("name"),
    department: s("department"),
    statutoryDays: num("statutoryDays"),
    promisedDays: num("promisedDays"),
    steps: list("steps"),
    materials: { required: list("materials.required"), optional: list("materials.optional") },
    specialProcedures: [f.specialProcedures].flat().filter(Boolean),
    fee: s("fee.max") === "" && s("fee.basis") === "" ? null : { max: num("fee.max"), basis: s("fee.basis") },
    promisedVisits: num("promisedVisits"),
    intermediaryFree: f.intermediaryFree === true,
    certificate: s("certificate.type") === "" && list("certificate.fields").length === 0 ? null : {
      type: s("certificate.type"),
      fields: list("certificate.fields"),
      nationallyDetermined: f["certificate.nationallyDetermined"] === true,
    },
  };
}
