/**
 * Every supervision rule the evaluator runs, in one list. A new rule is a file beside this one and
 * a line here; the evaluator's shape does not change.
 *
 * @module
 */
import type { Rule } from "./projection.ts";
import { rule81 } from "./rule_8_1.ts";
import { rule82a, rule82b } from "./rule_8_2.ts";
import { rule83, rule83p } from "./rule_8_3.ts";
import { rule84 } from "./rule_8_4.ts";
import { rule85 } from "./rule_8_5.ts";
import { rule86 } from "./rule_8_6.ts";
import { rule87 } from "./rule_8_7.ts";
import { rule88 } from "./rule_8_8.ts";
import { rule89 } from "./rule_8_9.ts";
import { rule810 } from "./rule_8_10.ts";
import { rule9 } from "./rule_9.ts";

/** The rules of articles 8 and 9, in article order. */
export const RULES: readonly Rule[] = [
  rule81,
  rule82a,
  rule82b,
  rule83p,
  rule83,
  rule84,
  rule85,
  rule86,
  rule87,
  rule88,
  rule89,
  rule810,
  rule9,
];
