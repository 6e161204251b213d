/**
 * One big figure with its label, readable across the hall.
 *
 * @module
 */
import { formatCount } from "./format.ts";

/** Props of {@linkcode KpiTile}. */
export interface KpiTileProps {
  label: string;
  value: number | null;
  /** Colour theme: neutral, due (amber), warning (yellow), red. */
  tone: "neutral" | "due" | "warning" | "red";
  size?: "large" | "small";
  /** Stable hook for tests. */
  metric: string;
}

/** A labelled figure; a non-zero warning or red figure is coloured, zero stays calm. */
export function KpiTile({ label, value, tone, size = "large", metric }: KpiTileProps) {
  const active = value != null && value > 0 ? " is-active" : "";
  const text = formatCount(value);
  // Five digits and more (12,345) get a smaller size so they stay inside the tile.
  const long = text.length > (size === "large" ? 5 : 3) ? " is-long" : "";
  return (
    <div class={`kpi kpi-${size} kpi-${tone}${active}${long}`}>
      <div class="kpi-label">{label}</div>
      <div class="kpi-value" data-metric={metric}>{text}</div>
    </div>
  );
}
