/**
 * A map-like grid of Henan's prefecture-level cities and 济源示范区 (column, row), roughly as they lie:
 * 安阳 and 濮阳 in the north, 三门峡 in the west, 信阳 in the south, 商丘 in the east. 河南 has 17
 * prefecture-level cities; with 济源 (a provincially administered city) that makes the 18 tiles.
 *
 * @module
 */

/** Region code → name and grid cell (0-based column and row). */
export const HENAN_TILES: Record<string, { name: string; col: number; row: number }> = {
  "410500": { name: "安阳市", col: 4, row: 0 },
  "410900": { name: "濮阳市", col: 5, row: 0 },
  "419001": { name: "济源示范区", col: 1, row: 1 },
  "410800": { name: "焦作市", col: 2, row: 1 },
  "410700": { name: "新乡市", col: 3, row: 1 },
  "410600": { name: "鹤壁市", col: 4, row: 1 },
  "411200": { name: "三门峡市", col: 0, row: 2 },
  "410300": { name: "洛阳市", col: 1, row: 2 },
  "410100": { name: "郑州市", col: 2, row: 2 },
  "410200": { name: "开封市", col: 3, row: 2 },
  "411400": { name: "商丘市", col: 4, row: 2 },
  "410400": { name: "平顶山市", col: 2, row: 3 },
  "411000": { name: "许昌市", col: 3, row: 3 },
  "411300": { name: "南阳市", col: 1, row: 4 },
  "411100": { name: "漯河市", col: 3, row: 4 },
  "411600": { name: "周口市", col: 4, row: 4 },
  "411700": { name: "驻马店市", col: 3, row: 5 },
  "411500": { name: "信阳市", col: 3, row: 6 },
};
