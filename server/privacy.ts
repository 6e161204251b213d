/**
 * Masking of personal data for display edges (live stream, big screen, exports): an applicant's
 * name keeps its first and last characters; contact details are never shown there at all.
 *
 * @module
 */

/**
 * Mask an applicant's name: 张三丰 → 张*丰, 张三 → 张*, 郑州市某某科技有限公司 → 郑*********司.
 * One asterisk per hidden character for organisations (their length says little); a person's name
 * always shows a single asterisk so the length of a given name is not revealed either.
 */
export function maskName(
  name: string | null | undefined,
  kind: "person" | "organization" | null = "person",
): string {
  if (!name) return "";
  const chars = [...name.trim()];
  if (chars.length === 0) return "";
  if (chars.length === 1) return "*";
  if (chars.length === 2) return `${chars[0]}*`;
  const hidden = kind === "organization" ? "*".repeat(chars.length - 2) : "*";
  return `${chars[0]}${hidden}${chars.at(-1)}`;
}
