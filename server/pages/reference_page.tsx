/**
 * Reference data as people keep it (`/admin/reference`): for the item catalogue, departments, halls and
 * regions the count, downloads as XLSX or CSV, and an upload form whose file is validated row by row;
 * a refused file lists every problem by row and column (nothing of it is saved). Below, the items with
 * a search, each linking to its own page.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { AdminShell, type Banner, Csrf } from "./admin_shell.tsx";
import type { RowError } from "../reference_io/read.ts";
import { KIND_NAMES } from "../reference_io/columns.ts";
import type { ReferenceKind } from "../reference.ts";

/** The kinds, in the order they are best imported (regions before departments before items). */
export const PAGE_KINDS: ReferenceKind[] = ["regions", "departments", "halls", "items"];

/** Props of {@linkcode ReferencePage}. */
export interface ReferencePageProps {
  counts: Record<ReferenceKind, number>;
  items: { code: string; name: string; department: string; statutoryDays: number; promisedDays: number }[];
  query: string;
  csrf: string | null;
  manifest: Manifest;
  banner?: Banner;
  /** A refused file: its kind, name and problems. */
  refused?: { kind: ReferenceKind; file: string; errors: RowError[] };
}

/** The reference data page. */
export function ReferencePage({ counts, items, query, csrf, manifest, banner, refused }: ReferencePageProps) {
  return (
    <AdminShell title="基础数据" section="/admin/reference" manifest={manifest} banner={banner}>
      <p class="admin-hint">
        下载的文件即导入模板（中文表头）。导入时逐行校验，任何一处错误则整份文件不导入；按编码新增或替换，
        文件中没有的记录保持不变。建议按 行政区划 → 部门 → 大厅 → 事项目录 的顺序导入。
      </p>
      <div class="reference-kinds">
        {PAGE_KINDS.map((kind) => (
          <section class="reference-kind" id={`kind-${kind}`} key={kind}>
            <h2>{KIND_NAMES[kind]}</h2>
            <p class="count">共 {counts[kind]} 条</p>
            <p class="reference-downloads">
              下载：<a href={`/api/v1/reference/${kind}/export?format=xlsx`} download>XLSX</a>
              <a href={`/api/v1/reference/${kind}/export?format=csv`} download>CSV</a>
            </p>
            <form method="post" action={`/admin/reference/${kind}/import`} enctype="multipart/form-data">
              <Csrf token={csrf} />
              <label for={`file-${kind}`}>导入文件</label>
              <input id={`file-${kind}`} type="file" name="file" accept=".xlsx,.csv" required />
              <button type="submit">导入</button>
            </form>
            {refused?.kind === kind && (
              <div class="import-refused" role="alert">
                <p>
                  文件「{refused.file}」有 {refused.errors.length} 处错误，未导入任何记录：
                </p>
                <table class="import-errors">
                  <thead>
                    <tr>
                      <th>行</th>
                      <th>列</th>
                      <th>问题</th>
                    </tr>
                  </thead>
                  <tbody>
                    {refused.errors.slice(0, 500).map((e) => (
                      <tr>
                        <td class="row">{e.row > 0 ? `第 ${e.row} 行` : "文件"}</td>
                        <td>{e.column || "—"}</td>
                        <td>{e.error}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {refused.errors.length > 500 && <p>仅列出前 500 处。</p>}
              </div>
            )}
          </section>
        ))}
      </div>
      <h2 id="items">事项</h2>
      <form class="item-search" method="get" action="/admin/reference#items">
        <label>
          编码或名称
          <input type="search" name="q" value={query} />
        </label>
        <button type="submit">查找</button>
      </form>
      <table class="item-table">
        <thead>
          <tr>
            <th>事项编码</th>
            <th>事项名称</th>
            <th>实施部门</th>
            <th>法定 / 承诺时限（工作日）</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr>
              <td>
                <a href={`/admin/items/${encodeURIComponent(i.code)}`}>{i.code}</a>
              </td>
              <td>{i.name}</td>
              <td>{i.department}</td>
              <td>{i.statutoryDays} / {i.promisedDays}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && <p class="admin-hint">没有符合条件的事项。</p>}
    </AdminShell>
  );
}
