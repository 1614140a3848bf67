/**
 * Where Tingxie's house style (engine/src/text/itn/STYLE.md) deliberately differs from a peer suite.
 * Each difference rewrites the peer's expected text into the house form; a case whose output equals
 * that rewrite counts as a documented style difference, not a failure. A rule never accepts an
 * output that the house style itself would not produce, so these cannot hide bugs.
 */
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
    out = out.replace(new RegExp(`${symbol.source}(\\d[\\d.]*(?:[万萬亿億])?)`, 'g'), (_m, amount: string) => {
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
];

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
