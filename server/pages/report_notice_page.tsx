/**
 * The red-card notice page (`/reports/notice?from=&to=`): a period picker (plain GET form), the
 * generated notice (通报) with per-department counts and lists, and the CSV export. Printable: the
 * forms and links are hidden in print (static/css/report.css).
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { chineseDate } from "../reports/notice.ts";
import type { Notice } from "../reports/notice_data.ts";
import { Layout, PRODUCT_NAME } from "./layout.tsx";

/** Props of {@linkcode NoticePage}. */
export interface NoticePageProps {
  notice: Notice;
  /** The date the notice is issued (today). */
  issuedOn: string;
  manifest: Manifest;
}

/** The notice page. */
export function NoticePage({ notice, issuedOn, manifest }: NoticePageProps) {
  const { period, text } = notice;
  const q = new URLSearchParams({ from: period.from, to: period.to });
  return (
    <Layout title={`${text.title} · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="case-page report-page">
        <nav class="crumbs no-print">
          <a href="/">首页</a>
          <a href={`/reports?month=${period.from.slice(0, 7)}`}>效率排名</a>
        </nav>
        <form class="report-form no-print" method="get" action="/reports/notice">
          <label>
            自 <input type="date" name="from" value={period.from} required />
          </label>
          <label>
            至 <input type="date" name="to" value={period.to} required />
          </label>
          <button type="submit">生成通报</button>
          <a href={`/api/v1/reports/red-cards.csv?${q}`}>导出红牌清单CSV</a>
          <span class="muted">打印：使用浏览器的打印功能（Ctrl+P）。</span>
        </form>
        <article class="notice" data-total={notice.total}>
          <h1 class="notice-title">{text.title}</h1>
          <p class="notice-to">各有关部门：</p>
          <p class="notice-para">{text.opening}</p>
          {text.sections.map((s) => (
            <section key={s.heading} class="notice-section">
              <h2>{s.heading}</h2>
              <ol>
                {s.lines.map((line, i) => <li key={i}>{line}</li>)}
              </ol>
            </section>
          ))}
          <p class="notice-para">{text.closing}</p>
          <p class="notice-sign">
            {notice.area === "全省" ? "河南省" : notice.area}政务服务电子监察机构
            <br />
            {chineseDate(issuedOn)}
          </p>
        </article>
      </main>
    </Layout>
  );
}
