/**
 * A believable slice of Henan for the demo: the province, four cities and some of their districts
 * (real administrative division codes), each one's government service hall, and the departments that
 * own the items in `henan_items.ts`. Shapes are EXCHANGE.md's reference data.
 *
 * @module
 */
import type { Department, Hall, Region } from "../reference.ts";

/** A city of the demo with its telephone area code and its districts (6-digit code → name). */
interface City {
  code: string;
  name: string;
  areaCode: string;
  hall: string;
  districts: Record<string, string>;
}

const CITIES: City[] = [
  {
    code: "410100",
    name: "郑州市",
    areaCode: "0371",
    hall: "郑州市民之家",
    districts: { "410102": "中原区", "410105": "金水区" },
  },
  {
    code: "410300",
    name: "洛阳市",
    areaCode: "0379",
    hall: "洛阳市政务服务中心",
    districts: { "410302": "老城区" },
  },
  {
    code: "410700",
    name: "新乡市",
    areaCode: "0373",
    hall: "新乡市政务服务中心",
    districts: { "410702": "红旗区" },
  },
  {
    code: "411300",
    name: "南阳市",
    areaCode: "0377",
    hall: "南阳市政务服务中心",
    districts: { "411303": "卧龙区" },
  },
];

/** Department kinds of a city government: code suffix → name. */
export const CITY_DEPARTMENTS: Record<string, string> = {
  SCJGJ: "市场监督管理局",
  ZRZYHGHJ: "自然资源和规划局",
  ZFHCXJSJ: "住房和城乡建设局",
  RLZYHSHBZJ: "人力资源和社会保障局",
  WSJKWYH: "卫生健康委员会",
  GAJ: "公安局",
  JTYSJ: "交通运输局",
  STHJJ: "生态环境局",
};

/** Department kinds of a district government. */
export const DISTRICT_DEPARTMENTS: Record<string, string> = {
  SCJGJ: "市场监督管理局",
  RLZYHSHBZJ: "人力资源和社会保障局",
  MZJ: "民政局",
};

/** The province and its demo cities and districts. */
export const HENAN_REGIONS: Region[] = [
  { code: "410000", name: "河南省", parent: null },
  ...CITIES.flatMap((c) => [
    { code: c.code, name: c.name, parent: "410000" },
    ...Object.entries(c.districts).map(([code, name]) => ({ code, name, parent: c.code })),
  ]),
];

/** The hall code of a region (one hall per city or district in the demo). */
export function hallCode(region: string): string {
  return `${region}-ZWFW`;
}

/** Each city's main hall and each district's hall. */
export const HENAN_HALLS: Hall[] = CITIES.flatMap((c) => [
  { code: hallCode(c.code), name: c.hall, region: c.code },
  ...Object.entries(c.districts).map(([code, name]) => ({
    code: hallCode(code),
    name: `${c.name}${name}政务服务中心`,
    region: code,
  })),
]);

/** Every city department and every district department, e.g. 410100-SCJGJ 郑州市市场监督管理局. */
export const HENAN_DEPARTMENTS: Department[] = CITIES.flatMap((c) => [
  ...Object.entries(CITY_DEPARTMENTS).map(([kind, name]) => ({
    code: `${c.code}-${kind}`,
    name: `${c.name}${name}`,
    region: c.code,
  })),
  ...Object.entries(c.districts).flatMap(([code, district]) =>
    Object.entries(DISTRICT_DEPARTMENTS).map(([kind, name]) => ({
      code: `${code}-${kind}`,
      name: `${c.name}${district}${name}`,
      region: code,
    }))
  ),
]);

/** The demo cities' codes, the first being the one that gets the full item catalogue. */
export const CITY_CODES: string[] = CITIES.map((c) => c.code);

/** District codes of a city. */
export function districtsOf(city: string): string[] {
  return Object.keys(CITIES.find((c) => c.code === city)?.districts ?? {});
}

/** The city a region belongs to (itself for a city), with its name and area code. */
export function cityOf(region: string): { code: string; name: string; areaCode: string } {
  const city = CITIES.find((c) => c.code === region || region in c.districts);
  if (!city) throw new RangeError(`not a demo region: ${region}`);
  return { code: city.code, name: city.name, areaCode: city.areaCode };
}
