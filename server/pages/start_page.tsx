/**
 * The start page: the product name and every hall, grouped by region, each linking to its wall screen.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { Island, Layout, PRODUCT_NAME } from "./layout.tsx";
import { ProvinceOverview, type ProvinceOverviewProps } from "../../islands/ProvinceOverview.tsx";

/** The halls of one region. */
export interface RegionGroup {
  code: string;
  /** E.g. `郑州市 金水区` (the province itself is left out unless the hall is provincial). */
  title: string;
  halls: { code: string; name: string }[];
}

/** Props of {@linkcode StartPage}. */
export interface StartPageProps {
  groups: RegionGroup[];
  /** Years around today with no working-day calendar loaded; null when that could not be checked. */
  missingYears: number[] | null;
  /** Whether the caller's role may watch wall screens at all. */
  canView: boolean;
  /** The supervisors' live overview of their cities or districts (province and region agencies). */
  overview?: ProvinceOverviewProps | null;
  manifest: Manifest;
}

/** The list of halls. */
export function StartPage({ groups, missingYears, canView, overview, manifest }: StartPageProps) {
  return (
    <Layout title={`${PRODUCT_NAME} · 河南省政务服务电子监察`} manifest={manifest}>
      <div class="start">
        <header class="start-header">
          <h1>{PRODUCT_NAME} · 河南省政务服务电子监察</h1>
          <p>
            {overview
              ? "各地实时监察概况；下方选择政务服务大厅，打开其大屏画面。"
              : "选择政务服务大厅，打开其大屏实时监察画面。"}
          </p>
        </header>
        {overview && (
          <Island name="ProvinceOverview" component={ProvinceOverview} props={overview} manifest={manifest} />
        )}
        {missingYears && missingYears.length > 0 && (
          <p class="notice" role="alert" data-missing-years={missingYears.join(",")}>
            <strong>工作日历缺失：</strong>
            {missingYears.map((y) =>
              `${y}年`
            ).join("、")}
            的节假日安排尚未录入，办理时限暂按周一至周五计算。请系统管理员根据国务院办公厅通知补录。
          </p>
        )}
        {!canView && <p class="notice">您的账户无权查看大厅大屏。</p>}
        {canView && groups.length === 0 && <p class="notice">您的权限范围内尚无政务服务大厅。</p>}
        {groups.map((g) => (
          <section class="region" key={g.code} data-region={g.code} id={`halls-${g.code}`}>
            <h2>{g.title}</h2>
            <ul class="hall-list">
              {g.halls.map((h) => (
                <li key={h.code}>
                  <a href={`/hall/${encodeURIComponent(h.code)}`}>
                    {h.name}
                    <span class="hall-code">{h.code}</span>
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
    </Layout>
  );
}
