/**
 * Believable applicants for demo cases: Chinese personal names, company names, mobile and landline
 * numbers, and window staff (handlers) per department. All invented; any likeness is chance.
 *
 * @module
 */
import type { Random } from "./random.ts";

const SURNAMES = [
  ..."王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文牛申楚",
];

const GIVEN = [
  ..."伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚辉鹏华飞玲桂婷健凯宁俊帅雪琳欣颖浩宇博阳",
  "秀英",
  "秀兰",
  "桂英",
  "建华",
  "志强",
  "海燕",
  "晓东",
  "红梅",
  "玉兰",
  "国庆",
  "建国",
  "春花",
  "子涵",
  "浩然",
  "梓萱",
  "一诺",
  "欣怡",
  "宇轩",
  "思远",
  "嘉怡",
  "俊杰",
  "雨桐",
  "明轩",
  "书豪",
  "佳琪",
  "振华",
  "卫东",
  "丽娟",
  "保国",
  "金凤",
  "永强",
];

const BRANDS = [
  "鑫源",
  "宏达",
  "华瑞",
  "中原",
  "金穗",
  "豫丰",
  "嘉禾",
  "恒信",
  "天成",
  "润泽",
  "博远",
  "瑞祥",
  "康泰",
  "永安",
  "鼎盛",
  "福临",
  "弘毅",
  "黄河",
  "牡丹",
  "伏牛",
  "太行",
  "银基",
  "绿城",
  "汇通",
  "信达",
  "广源",
  "盛世",
  "鸿运",
];

const MOBILE_PREFIXES = [
  "138",
  "139",
  "137",
  "135",
  "136",
  "150",
  "151",
  "152",
  "158",
  "159",
  "186",
  "187",
  "188",
  "177",
  "180",
  "189",
  "199",
  "133",
  "155",
  "176",
];

/** A personal name of 2 or 3 characters. */
export function personName(rng: Random): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN);
}

/** A company name such as 郑州市鑫源食品有限公司 (`city` like 郑州市, `trade` like 食品). */
export function companyName(rng: Random, city: string, trade: string): string {
  const form = rng.weighted(["有限公司", "有限责任公司", "股份有限公司"], [8, 3, 1]);
  const place = rng.chance(0.5) ? city : city.replace(/市$/, "");
  return `${place}${rng.pick(BRANDS)}${trade}${form}`;
}

/** A mobile number (11 digits). */
export function mobile(rng: Random): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, "0");
}

/** A landline with the city's area code, e.g. 0371-65551234. */
export function landline(rng: Random, areaCode: string): string {
  return `${areaCode}-${rng.int(5, 6)}${String(rng.int(0, 9_999_999)).padStart(7, "0")}`;
}

/** A department's window staff: a stable small pool of names per department code. */
export function handlersOf(department: string): string[] {
  let h = 2166136261;
  for (const ch of department) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  const out: string[] = [];
  for (let i = 0; i < 6; i++) {
    h = Math.imul(h ^ (i + 1), 2654435761) >>> 0;
    out.push(SURNAMES[h % SURNAMES.length] + GIVEN[(h >>> 8) % GIVEN.length]);
  }
  return out;
}
