/**
 * The start page's overview island props for a supervisor: the overview, the stream that keeps it
 * live (the whole province, or the agency's region) and the month's period for the case links.
 *
 * @module
 */
import type { ProvinceOverviewProps } from "../../islands/ProvinceOverview.tsx";
import type { Overview } from "../reports/overview.ts";
import { monthPeriod } from "../reports/params.ts";

/** Props for the island, or null when the scope has no region to overview. */
export function overviewProps(o: Overview, wholeProvince: boolean): ProvinceOverviewProps | null {
  if (o.units.length === 0) return null;
  const { from, to } = monthPeriod(o.month);
  const title = o.kind === "city"
    ? `${o.top?.name ?? "全省"}各地市实时概况`
    : `${o.top?.name ?? ""}各区县实时概况`;
  return {
    title,
    kind: o.kind,
    month: o.month,
    units: o.units,
    departmentUnit: o.departmentUnit,
    hasOrders: o.hasOrders,
    streamUrl: wholeProvince || !o.top
      ? "/api/v1/stream"
      : `/api/v1/stream?region=${encodeURIComponent(o.top.code)}`,
    overviewUrl: "/api/v1/overview",
    casesPeriod: new URLSearchParams({ receivedFrom: from, receivedTo: to }).toString(),
  };
}
