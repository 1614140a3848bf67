/**
 * Where Tingxie's house style (engine/src/text/itn/STYLE.md) deliberately differs from a peer suite.
 * Each difference rewrites the peer's expected text into the house form; a case whose output equals
 * that rewrite counts as a documented style difference, not a failure. A rule never accepts an
 * output that the house style itself would not produce, so these cannot hide bugs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SuiteCase } from './itn-suites.ts';

export interface StyleDifference {
  id: string;
  reason: string;
  /** The house-style expectation for a case, or null when the rule does not apply. */
  rewrite(c: SuiteCase): string | null;
}

const CURRENCY_SYMBOLS: Array<[RegExp, string[]]> = [
  [/JPY¥/g, ['日元']],
  [/US\$/g, ['美元']],
  [/CNY/g, ['人民币']],
  [/HKD/g, ['港元', '港币']],
  [/TWD/g, ['新台币']],
  [/A\$/g, ['澳元']],
  [/RM/g, ['马来西亚令吉']],
  [/¥/g, ['元', '圆']],
  [/\$/g, ['美元']],
  [/€/g, ['欧元']],
  [/£/g, ['英镑']],
  [/₩/g, ['韩元']],
  [/₹/g, ['印度卢布']],
  [/₽/g, ['卢布']],
];

/** Symbol-prefixed amounts back to the Chinese currency word the speaker used, after the number. */
function zhCurrencyWords(c: SuiteCase): string | null {
  let out = c.expected;
  let changed = false;
  for (const [symbol, words] of CURRENCY_SYMBOLS) {
    const word = words.find((w) => c.input.includes(w));
    if (word === undefined) continue;
    out = out.replace(new RegExp(`${symbol.source}(\\d[\\d.~-]*(?:[万萬亿億])?)`, 'g'), (_m, amount: string) => {
      changed = true;
      return `${amount}${word}`;
    });
  }
  return changed ? out : null;
}

/** WeText's 2008/08/08, 2008/08, 08/08 → 2008年8月8日, 2008年8月, 8月8日. */
function zhDateWords(c: SuiteCase): string | null {
  let out = c.expected.replace(/(\d{2,4})\/(\d{2})\/(\d{2})/g, (_m, y: string, mo: string, d: string) => `${y}年${Number(mo)}月${Number(d)}日`);
  out = out.replace(/(\d{4})\/(\d{2})(?!\d)/g, (_m, y: string, mo: string) => `${y}年${Number(mo)}月`);
  out = out.replace(/(?<![\d/])(\d{2})\/(\d{2})(?![\d/])/g, (_m, mo: string, d: string) => `${Number(mo)}月${Number(d)}日`);
  return out === c.expected ? null : out;
}

const TIME_WORD_SUFFIX = /(\d{1,2}:\d{2}(?::\d{2})?)(a\.m\.|p\.m\.)/g;

/** WeText's 8:30a.m. → the speaker's own time-of-day word before the time (上午8:30 / 上午8点半). */
function zhTimeOfDayWords(c: SuiteCase): string | null {
  const words = c.input.match(/上午|下午|早上|晚上|凌晨|中午|傍晚/g);
  if (words === null) return null;
  let k = 0;
  const out = c.expected.replace(TIME_WORD_SUFFIX, (_m, time: string) => `${words[k++] ?? ''}${time}`);
  return out === c.expected ? null : out;
}

/** WeText's shorthand range 15-6 / 730-40 / 45-6万 → the full 15~16 / 730~740 / 45~46万. */
function zhFullRanges(c: SuiteCase): string | null {
  const out = c.expected.replace(/(\d+)-(\d+)/g, (m, a: string, b: string) => (b.length < a.length ? `${a}~${a.slice(0, a.length - b.length)}${b}` : m));
  return out === c.expected ? null : out;
}

const ZH_UNIT_WORDS: Array<[string, string[]]> = [
  ['kwh', ['千瓦时']], ['kg', ['千克', '公斤']], ['km', ['公里', '千米']], ['°C', ['摄氏度']], ['m²', ['平方米']],
  ['ms', ['毫秒']], ['℃', ['摄氏度']], ['mol', ['摩尔']], ['min', ['分钟']], ['g', ['克']], ['s', ['秒']], ['°', ['度']], ['Wv', ['伏特']],
];

/** WeText's unit symbols (25kg, 10km/h, 38°C) → the Chinese unit word the speaker used, in the speaker's order. */
function zhUnitWords(c: SuiteCase): string | null {
  let out = c.expected;
  const perHourFirst = c.input.startsWith('每小时');
  out = out.replace(/(\d[\d.~万]*)km\/h/g, (_m, n: string) => {
    const word = c.input.includes('公里') ? '公里' : '千米';
    return perHourFirst ? `每小时${n}${word}` : `${n}${word}每小时`;
  });
  for (const [symbol, words] of ZH_UNIT_WORDS) {
    const word = words.find((w) => c.input.includes(w));
    if (word === undefined) continue;
    out = out.replace(new RegExp(`(\\d[\\d.~万]*)${symbol}(?![a-zA-Z²])`, 'g'), (_m, n: string) => `${n}${word}`);
  }
  return out === c.expected ? null : out;
}

export const STYLE_DIFFERENCES: readonly StyleDifference[] = [
  {
    id: 'zh-no-digit-grouping',
    reason: 'NeMo groups thousands with commas (1,000); Chinese text is written without grouping (1000).',
    rewrite: (c) => (c.suite === 'nemo/zh' && /\d,\d{3}/.test(c.expected) ? c.expected.replace(/(\d),(?=\d{3})/g, '$1') : null),
  },
  {
    id: 'zh-clock-hour-unpadded',
    reason: 'NeMo pads the hour (05:05); the house writes 5:05, as Chinese clock times usually are.',
    rewrite: (c) => (c.suite === 'nemo/zh' && /(^|\D)0\d:/.test(c.expected) ? c.expected.replace(/(^|\D)0(\d):/g, '$1$2:') : null),
  },
  {
    id: 'zh-currency-word-kept',
    reason: 'Peers write ¥1000 / US$1000 / $1000 (and disagree on 美元); the house keeps the spoken currency word after the number (1000元, 1000美元), as the product example keeps 下午 and 点.',
    rewrite: (c) => (c.language === 'zh' ? zhCurrencyWords(c) : null),
  },
  {
    id: 'zh-date-words',
    reason: 'WeText writes dates as 2008/08/08; the house writes 2008年8月8日 (product example: 2025年3月12日).',
    rewrite: (c) => (c.suite === 'wetext/zh' ? zhDateWords(c) : null),
  },
  {
    id: 'zh-time-of-day-word-kept',
    reason: 'WeText turns 上午八点半 into 8:30a.m.; the house keeps the Chinese time-of-day word in front (上午8点半), as in 下午3点.',
    rewrite: (c) => (c.suite === 'wetext/zh' ? zhTimeOfDayWords(c) : null),
  },
  {
    id: 'zh-half-hour-kept',
    reason: 'WeText writes 八点半 as 8:30; the house keeps 8点半 (NeMo agrees: 5点半).',
    rewrite: (c) => (c.suite === 'wetext/zh' && /半/.test(c.input) ? c.expected.replace(/(\d{1,2}):30/g, '$1点半') : null),
  },
  {
    id: 'zh-full-ranges',
    reason: 'WeText shortens approximate ranges (十五六 → 15-6, 七百三四十 → 730-40); the house writes both ends in full with ~ (15~16, 730~740), since 15-6 reads as a subtraction or a date.',
    rewrite: (c) => (c.suite === 'wetext/zh' ? zhFullRanges(c) : null),
  },
  {
    id: 'zh-unit-words-kept',
    reason: 'WeText writes units as symbols (25kg, 10km/h, 38°C); the house keeps the spoken Chinese unit word (25千克, 每小时10公里, 38摄氏度), like the currency and time words.',
    rewrite: (c) => (c.suite === 'wetext/zh' || c.suite === 'cn2an' ? zhUnitWords(c) : null),
  },
  {
    id: 'zh-no-translation',
    reason: 'NeMo\'s zh whitelist replaces Chinese terms with English acronyms (人力资源 → HR, 博士 → PhD); that is translation, not ITN, so the house leaves the words.',
    rewrite: (c) => (c.suite === 'nemo/zh' && c.category === 'whitelist' ? c.input : null),
  },
  {
    id: 'outer-whitespace-kept',
    reason: 'NeMo strips whitespace around the whole input; the house changes only what it rewrites.',
    rewrite: (c) => (/\s$/.test(c.input) && !/\s$/.test(c.expected) ? c.expected + /\s*$/.exec(c.input)![0] : null),
  },
  {
    id: 'en-punctuation-attached',
    reason: 'NeMo detaches punctuation from a rewritten number ("twenty!" → "20 !"); the house keeps it attached as spoken ("20!").',
    rewrite: (c) => (c.language === 'en' && /\w[!?,.;:]/.test(c.input) && / [!?,.;:]/.test(c.expected) ? c.expected.replace(/ ([!?,.;:]+)/g, '$1') : null),
  },
  {
    id: 'en-hour-minute-is-time',
    reason: 'NeMo\'s date suite reads "eleven fifty five" as the year 1155 while its time suite reads "eight fifty one" as 08:51; the house reads an hour (one to twelve) followed by minutes as a time.',
    rewrite: (c) =>
      c.language === 'en' && c.category === 'date' && /^(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve) (ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty)( [a-z]+)?$/i.test(c.input) && /^\d{3,4}$/.test(c.expected)
        ? `${c.expected.slice(0, -2).padStart(2, '0')}:${c.expected.slice(-2)}`
        : null,
  },
  ...caseDifferences(),
];

/** Single cases, from itn-style-differences.tsv: suite, input, house output, reason. */
function caseDifferences(): StyleDifference[] {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'itn-style-differences.tsv');
  const rules: StyleDifference[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.length === 0 || line.startsWith('#')) continue;
    const [suite, input, house, reason] = line.split('\t');
    if (suite === undefined || input === undefined || house === undefined || reason === undefined) continue;
    rules.push({ id: `case:${reason.split(':')[0]}`, reason, rewrite: (c) => (c.suite === suite && c.input === input ? house : null) });
  }
  return rules;
}

/** Chains of rules: a case may need several rewrites at once (a date and a currency in one sentence). */
export function houseExpectations(c: SuiteCase): Array<{ id: string; expected: string }> {
  const results: Array<{ id: string; expected: string }> = [];
  let current: SuiteCase = c;
  const ids: string[] = [];
  for (const rule of STYLE_DIFFERENCES) {
    const single = rule.rewrite(c);
    if (single !== null) results.push({ id: rule.id, expected: single });
    const chained = rule.rewrite(current);
    if (chained !== null) {
      current = { ...current, expected: chained };
      ids.push(rule.id);
    }
  }
  if (ids.length > 1) results.push({ id: ids.join('+'), expected: current.expected });
  return results;
}
