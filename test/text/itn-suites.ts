/**
 * Loads the peers' ITN test suites from ../shared/conformance (read-only, see SOURCES.md there)
 * and scores our output against them. Shared by the conformance test and the bench script.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { inverseNormalize } from '../../engine/src/text/itn/index.ts';
import { houseExpectations } from './itn-style-differences.ts';

export const CONFORMANCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared/conformance');

/** How a case is judged: exact text, numeric value of the whole output (cn2an), or output must equal input. */
export type CaseKind = 'exact' | 'numeric' | 'unchanged';

export interface SuiteCase {
  /** e.g. "nemo/zh", "wetext/en", "cn2an". */
  suite: string;
  /** File name without extension, e.g. "cardinal_cased". */
  file: string;
  category: string;
  language: 'zh' | 'en';
  input: string;
  expected: string;
  kind: CaseKind;
  cased: boolean;
}

export type Verdict = 'pass' | 'style' | 'fail';

export interface CaseResult {
  case: SuiteCase;
  actual: string;
  verdict: Verdict;
  /** Id of the documented style difference that explains a 'style' verdict. */
  styleId?: string;
}

function readTsv(file: string): Array<[string, string]> {
  const text = readFileSync(file, 'utf8');
  const rows: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    rows.push([line.slice(0, tab), line.slice(tab + 1)]);
  }
  return rows;
}

const ZH_CATEGORY: Record<string, string> = { number: 'cardinal', inline_normalizer_test_py: 'sentence' };

function categoryOf(file: string): string {
  const base = file.replace(/_cased$/, '');
  if (base.startsWith('normalizer')) return 'sentence';
  return ZH_CATEGORY[base] ?? base;
}

/** All cases, or an empty list when the conformance folder is not there. */
export function loadSuites(root: string = CONFORMANCE_DIR): SuiteCase[] {
  if (!existsSync(root)) return [];
  const cases: SuiteCase[] = [];
  const peers: Array<[string, string, string, 'zh' | 'en']> = [
    ['nemo-text-processing/zh_itn', 'nemo', 'zh', 'zh'],
    ['nemo-text-processing/en_itn', 'nemo', 'en', 'en'],
    ['wetextprocessing/zh_itn', 'wetext', 'zh', 'zh'],
    ['wetextprocessing/en_itn', 'wetext', 'en', 'en'],
  ];
  for (const [dir, peer, lang, language] of peers) {
    const full = path.join(root, dir);
    if (!existsSync(full)) continue;
    for (const name of readdirSync(full).sort()) {
      if (!name.endsWith('.tsv')) continue;
      const file = name.slice(0, -4);
      for (const [input, expected] of readTsv(path.join(full, name))) {
        cases.push({ suite: `${peer}/${lang}`, file, category: categoryOf(file), language, input, expected, kind: 'exact', cased: file.endsWith('_cased') });
      }
    }
  }
  const cn2an = path.join(root, 'cn2an');
  if (existsSync(cn2an)) {
    // cn2an's lenient modes convert exactly the inputs its strict mode must reject; those are reported apart.
    const mustFailFile = path.join(cn2an, 'cn2an_default_mode_must_raise_ValueError.tsv');
    const mustFail = new Set(existsSync(mustFailFile) ? readTsv(mustFailFile).map(([input]) => input) : []);
    for (const name of readdirSync(cn2an).sort()) {
      if (!name.endsWith('.tsv')) continue;
      const file = name.slice(0, -4);
      let kind: CaseKind = 'exact';
      let category = 'sentence';
      if (file.endsWith('must_raise_ValueError')) {
        kind = 'unchanged';
        category = 'must-fail';
      } else if (/^cn2an_(strict|normal|smart)_mode$/.test(file)) {
        kind = 'numeric';
        category = file === 'cn2an_strict_mode' ? 'cardinal' : 'cardinal-lenient';
      } else if (file === 'cn2an_direct_mode') {
        category = 'digits';
      }
      for (const [input, expected] of readTsv(path.join(cn2an, name))) {
        const conflict = category === 'cardinal-lenient' && mustFail.has(input);
        cases.push({ suite: 'cn2an', file, category: conflict ? 'lenient-vs-must-fail' : category, language: 'zh', input, expected, kind, cased: false });
      }
    }
  }
  return cases;
}

const UNIT_MULTIPLIER: Record<string, number> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

/** Numeric value of a whole written output (123, -1.5, 3万, 11元整, 9665.18圆), or null. */
export function writtenValue(text: string): number | null {
  const m = /^(-?\d+(?:\.\d+)?)(万|萬|亿|億)?(?:元|圆)?(?:整|正)?$/.exec(text);
  if (m === null) return null;
  return Number(m[1]) * (m[2] === undefined ? 1 : UNIT_MULTIPLIER[m[2]]!);
}

function sameNumber(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
}

export function judge(c: SuiteCase, actual: string): CaseResult {
  if (c.kind === 'unchanged') return { case: c, actual, verdict: actual === c.input ? 'pass' : 'fail' };
  if (c.kind === 'numeric') {
    const v = writtenValue(actual);
    return { case: c, actual, verdict: v !== null && sameNumber(v, Number(c.expected)) ? 'pass' : 'fail' };
  }
  if (actual === c.expected) return { case: c, actual, verdict: 'pass' };
  for (const h of houseExpectations(c)) {
    if (h.expected === actual) return { case: c, actual, verdict: 'style', styleId: h.id };
  }
  return { case: c, actual, verdict: 'fail' };
}

export function runCase(c: SuiteCase): CaseResult {
  return judge(c, inverseNormalize(c.input, { language: c.language }));
}

export interface Tally {
  total: number;
  pass: number;
  style: number;
  fail: number;
}

/** Tallies keyed "suite category" (cased English files get their own " (cased)" key). */
export function tally(results: readonly CaseResult[]): Map<string, Tally> {
  const map = new Map<string, Tally>();
  for (const r of results) {
    const key = `${r.case.suite} ${r.case.category}${r.case.cased ? ' (cased)' : ''}`;
    const t = map.get(key) ?? { total: 0, pass: 0, style: 0, fail: 0 };
    t.total++;
    t[r.verdict]++;
    map.set(key, t);
  }
  return map;
}

/** Share of cases that pass, counting documented house-style differences as passes. */
export function houseRate(t: Tally): number {
  return t.total === 0 ? 1 : (t.pass + t.style) / t.total;
}
