/**
 * Due dates: finds a deadline expression in a sentence and resolves it against the meeting date.
 *
 * The sentence first goes through the ITN (三月十五号 → 3月15日, "march fifteenth" → "march 15"), then
 * these rules apply (D = meeting date, weeks are ISO weeks, Monday first):
 *
 * | Words                                           | Day                                                        |
 * |-------------------------------------------------|------------------------------------------------------------|
 * | 今天, 今晚, 下班前, today, tonight, EOD, COB      | D                                                          |
 * | 明天, tomorrow / 后天, day after tomorrow / 大后天 | D+1 / D+2 / D+3                                            |
 * | 周五, 星期五, by Friday (bare weekday)            | the coming Friday: the first Friday strictly after D       |
 * | 本周五, 这周五, this Friday                        | Friday of D's ISO week (even if already past)              |
 * | 下周五, next Friday, Friday next week            | Friday of the ISO week after D's                           |
 * | 下下周五                                          | Friday two ISO weeks after D's                             |
 * | 本周内, 这周, this week, end of the week, EOW     | Friday of D's ISO week (D itself on a weekend)             |
 * | 下周, 下周内, next week, end of next week         | Friday of the next ISO week                                |
 * | 周末, the weekend                                 | Sunday of D's ISO week                                     |
 * | 月底, end of (the) month, EOM                     | last day of D's month                                      |
 * | 8月底, 八月底, 8月末                               | last day of that month, D's year or the next when before D |
 * | 下个月底, end of next month                       | last day of the following month                            |
 * | 月中 / 年底, end of (the) year                    | the 15th of D's month / December 31 of D's year            |
 * | 3月15日, 3月15号, March 15, 15 March, 3/15        | that day in D's year, or the next year when it is before D |
 * | 2025年3月15日, March 15, 2025, 2025-03-15         | exactly that day                                           |
 * | 15号, the 15th                                   | the 15th of D's month, or of the next month when before D  |
 * | 下个月10号                                        | the 10th of the next month                                 |
 * | 三天内, 两周之内, within 3 days, in two weeks     | D + N days / weeks                                         |
 * | 3个工作日内, within 3 business days               | D + N working days (Monday–Friday)                         |
 *
 * When a sentence holds several expressions, one marked as a deadline (…前, …之前, …内, by/before/until/due …)
 * wins over an unmarked one; among equals the first wins. Without a meeting date the words are kept and
 * the date is null.
 */
import { inverseNormalize } from '../text/itn/index.ts';
import { isIsoDate } from './input.ts';
import type { DueDate } from './types.ts';

/** A calendar day as UTC midnight (time zones play no part: only the day counts). */
type Day = Date;

function parseDay(iso: string): Day {
  return new Date(`${iso}T00:00:00Z`);
}

export function formatDay(day: Day): string {
  return day.toISOString().slice(0, 10);
}

function addDays(day: Day, n: number): Day {
  return new Date(day.getTime() + n * 86_400_000);
}

/** ISO weekday, Monday = 1 … Sunday = 7. */
function isoWeekday(day: Day): number {
  const d = day.getUTCDay();
  return d === 0 ? 7 : d;
}

/** Weekday `weekday` (1–7) of the ISO week `weekOffset` weeks after the one holding `day`. */
function weekdayOfWeek(day: Day, weekday: number, weekOffset: number): Day {
  return addDays(day, weekOffset * 7 + weekday - isoWeekday(day));
}

/** The first `weekday` strictly after `day`. */
function comingWeekday(day: Day, weekday: number): Day {
  const delta = (weekday - isoWeekday(day) + 7) % 7;
  return addDays(day, delta === 0 ? 7 : delta);
}

function lastDayOfMonth(year: number, month0: number): Day {
  return new Date(Date.UTC(year, month0 + 1, 0));
}

/** Builds a day; null when the month/day do not exist (e.g. 2月30日). */
function makeDay(year: number, month0: number, date: number): Day | null {
  const d = new Date(Date.UTC(year, month0, date));
  return d.getUTCMonth() === ((month0 % 12) + 12) % 12 && d.getUTCDate() === date ? d : null;
}

/** Last day of month `month0` in D's year, or the next year's when that month is already over; null for no month. */
function monthEnd(d: Day, month0: number): Day | null {
  if (month0 < 0 || month0 > 11) return null;
  return lastDayOfMonth(d.getUTCFullYear() + (month0 < d.getUTCMonth() ? 1 : 0), month0);
}

/** Month/day without a year: D's year, or the next one when that day is already past. */
function monthDayOnOrAfter(meeting: Day, month0: number, date: number): Day | null {
  const year = meeting.getUTCFullYear();
  const thisYear = makeDay(year, month0, date);
  if (thisYear !== null && thisYear.getTime() >= meeting.getTime()) return thisYear;
  return makeDay(year + 1, month0, date) ?? thisYear;
}

/** Day of month without a month: this month, or the next when already past. */
function dayOfMonthOnOrAfter(meeting: Day, date: number): Day | null {
  const y = meeting.getUTCFullYear();
  const m = meeting.getUTCMonth();
  const thisMonth = makeDay(y, m, date);
  if (thisMonth !== null && thisMonth.getTime() >= meeting.getTime()) return thisMonth;
  return makeDay(y, m + 1, date) ?? makeDay(y + (m === 11 ? 1 : 0), (m + 1) % 12, date);
}

function addWorkingDays(day: Day, n: number): Day {
  let d = day;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isoWeekday(d) <= 5) left -= 1;
  }
  return d;
}

/** Friday of D's week, or D itself when D is already past Friday. */
function endOfWorkWeek(meeting: Day, weekOffset: number): Day {
  const friday = weekdayOfWeek(meeting, 5, weekOffset);
  return friday.getTime() < meeting.getTime() ? meeting : friday;
}

const ZH_DIGITS: Readonly<Record<string, number>> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Small numbers in Arabic digits or Chinese numerals (一 … 九十九); NaN otherwise. */
function smallNumber(text: string): number {
  if (/^\d+$/.test(text)) return Number(text);
  if (text === '十') return 10;
  const m = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(text);
  if (m) return (m[1] ? ZH_DIGITS[m[1]]! : 1) * 10 + (m[2] ? ZH_DIGITS[m[2]]! : 0);
  return text.length === 1 && ZH_DIGITS[text] !== undefined ? ZH_DIGITS[text]! : Number.NaN;
}

const EN_NUMBERS: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, fourteen: 14,
};

function enNumber(text: string): number {
  return /^\d+$/.test(text) ? Number(text) : (EN_NUMBERS[text.toLowerCase()] ?? Number.NaN);
}

const ZH_WEEKDAY: Readonly<Record<string, number>> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7 };
const EN_WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function enWeekday(word: string): number {
  const w = word.toLowerCase();
  return EN_WEEKDAYS.findIndex((name) => name === w || name.slice(0, 3) === w || (w === 'tues' && name === 'tuesday') || (w === 'thurs' && name === 'thursday')) + 1;
}

function enMonth0(word: string): number {
  return EN_MONTHS.indexOf(word.toLowerCase().slice(0, 3));
}

/** One kind of expression: a pattern and how its match resolves (null: words known, day not resolvable). */
interface DueRule {
  pattern: RegExp;
  resolve(m: RegExpExecArray, meeting: Day): Day | null;
}

const MONTH_NAME = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const EN_WEEKDAY_NAME = '(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs)?|fri)';
const ZH_NUM = '(\\d{1,2}|[一二两三四五六七八九十]{1,3})';

/** Ordered: longer, more specific expressions first so "下下周五" is not read as "下周五". */
const DUE_RULES: readonly DueRule[] = [
  { pattern: /(\d{4})年(\d{1,2})月(\d{1,2})[日号]/u, resolve: (m) => makeDay(Number(m[1]), Number(m[2]) - 1, Number(m[3])) },
  { pattern: /\b(\d{4})-(\d{2})-(\d{2})\b/u, resolve: (m) => (isIsoDate(m[0]) ? parseDay(m[0]) : null) },
  { pattern: /(下个?月|本月|这个月)(\d{1,2})[日号]/u, resolve: (m, d) => makeDay(d.getUTCFullYear(), d.getUTCMonth() + (m[1]!.startsWith('下') ? 1 : 0), Number(m[2])) },
  { pattern: /(\d{1,2})月(\d{1,2})[日号]?/u, resolve: (m, d) => monthDayOnOrAfter(d, Number(m[1]) - 1, Number(m[2])) },
  { pattern: /(?<![\d月])(\d{1,2})[号日](?![\p{Script=Han}]*(?:会议|开会))/u, resolve: (m, d) => dayOfMonthOnOrAfter(d, Number(m[1])) },
  { pattern: /((?<!一)下下|(?<!一)下个?|本|这个?)?(?:周|星期|礼拜)([一二三四五六日天1-7])/u, resolve: (m, d) => {
      const weekday = ZH_WEEKDAY[m[2]!]!;
      const prefix = m[1];
      if (prefix === undefined) return comingWeekday(d, weekday);
      if (prefix === '下下') return weekdayOfWeek(d, weekday, 2);
      return weekdayOfWeek(d, weekday, prefix.startsWith('下') ? 1 : 0);
    } },
  { pattern: /大后天/u, resolve: (_m, d) => addDays(d, 3) },
  { pattern: /后天/u, resolve: (_m, d) => addDays(d, 2) },
  { pattern: /明天|明早|明晚|明日/u, resolve: (_m, d) => addDays(d, 1) },
  { pattern: /今天|今晚|今日|下班前/u, resolve: (_m, d) => d },
  // A part of the day said alone ("那个口子下午我去补") is today's; after a day word (明天下午, 周三上午) that day wins.
  { pattern: /(?<![天日一二三四五六末早晚\d])(?:上午|下午|中午|今早)(?![班])/u, resolve: (_m, d) => d },
  { pattern: /(\d{1,2})月(?:底|末)/u, resolve: (m, d) => monthEnd(d, Number(m[1]) - 1) },
  { pattern: /下个?月底/u, resolve: (_m, d) => lastDayOfMonth(d.getUTCFullYear(), d.getUTCMonth() + 1) },
  { pattern: /(?:本月|这个月)?月底|月末/u, resolve: (_m, d) => lastDayOfMonth(d.getUTCFullYear(), d.getUTCMonth()) },
  { pattern: /月中/u, resolve: (_m, d) => makeDay(d.getUTCFullYear(), d.getUTCMonth(), 15) },
  { pattern: /年底|年末/u, resolve: (_m, d) => makeDay(d.getUTCFullYear(), 11, 31) },
  { pattern: new RegExp(`${ZH_NUM}个?工作日(?:之内|以内|内)`, 'u'), resolve: (m, d) => countOrNull(smallNumber(m[1]!), (n) => addWorkingDays(d, n)) },
  { pattern: new RegExp(`${ZH_NUM}天(?:之内|以内|内)`, 'u'), resolve: (m, d) => countOrNull(smallNumber(m[1]!), (n) => addDays(d, n)) },
  { pattern: new RegExp(`${ZH_NUM}(?:个)?(?:周|星期|礼拜)(?:之内|以内|内)`, 'u'), resolve: (m, d) => countOrNull(smallNumber(m[1]!), (n) => addDays(d, 7 * n)) },
  { pattern: /(?<!一)下下周(?:之内|内)?/u, resolve: (_m, d) => endOfWorkWeek(d, 2) },
  { pattern: /(?<!一)下周(?:之内|内)?/u, resolve: (_m, d) => endOfWorkWeek(d, 1) },
  { pattern: /(?:本周|这周|这个星期|这礼拜)(?:之内|内)?/u, resolve: (_m, d) => endOfWorkWeek(d, 0) },
  { pattern: /周末/u, resolve: (_m, d) => weekdayOfWeek(d, 7, 0) },
  // English (matched case-insensitively).
  { pattern: new RegExp(`\\b${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'i'), resolve: (m) => makeDay(Number(m[3]), enMonth0(m[1]!), Number(m[2])) },
  { pattern: new RegExp(`\\b${MONTH_NAME}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'i'), resolve: (m, d) => monthDayOnOrAfter(d, enMonth0(m[1]!), Number(m[2])) },
  { pattern: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_NAME}(?![a-z])`, 'i'), resolve: (m, d) => monthDayOnOrAfter(d, enMonth0(m[2]!), Number(m[1])) },
  { pattern: /\b(\d{1,2})\/(\d{1,2})\b/, resolve: (m, d) => monthDayOnOrAfter(d, Number(m[1]) - 1, Number(m[2])) },
  { pattern: /\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b/i, resolve: (m, d) => dayOfMonthOnOrAfter(d, Number(m[1])) },
  { pattern: new RegExp(`\\b${EN_WEEKDAY_NAME}\\s+(?:of\\s+)?next\\s+week\\b`, 'i'), resolve: (m, d) => weekdayOfWeek(d, enWeekday(m[1]!), 1) },
  { pattern: new RegExp(`\\b(next|this|coming)\\s+${EN_WEEKDAY_NAME}\\b`, 'i'), resolve: (m, d) => {
      const weekday = enWeekday(m[2]!);
      const which = m[1]!.toLowerCase();
      return which === 'next' ? weekdayOfWeek(d, weekday, 1) : which === 'this' ? weekdayOfWeek(d, weekday, 0) : comingWeekday(d, weekday);
    } },
  { pattern: new RegExp(`\\b${EN_WEEKDAY_NAME}\\b`, 'i'), resolve: (m, d) => comingWeekday(d, enWeekday(m[1]!)) },
  { pattern: /\bday after tomorrow\b/i, resolve: (_m, d) => addDays(d, 2) },
  // "today's changes", "tomorrow's demo": the possessive names a thing, not a deadline.
  { pattern: /\btomorrow\b(?!['’]s\b)/i, resolve: (_m, d) => addDays(d, 1) },
  { pattern: /\b(?:today|tonight|eod|cob|end of (?:the )?day|close of business|this (?:morning|afternoon|evening))\b(?!['’]s\b)/i, resolve: (_m, d) => d },
  { pattern: /\bend of next month\b/i, resolve: (_m, d) => lastDayOfMonth(d.getUTCFullYear(), d.getUTCMonth() + 1) },
  { pattern: /\b(?:(?:the )?end of (?:the |this )?month|month[- ]end|eom)\b/i, resolve: (_m, d) => lastDayOfMonth(d.getUTCFullYear(), d.getUTCMonth()) },
  { pattern: /\b(?:(?:the )?end of (?:the |this )?year|year[- ]end)\b/i, resolve: (_m, d) => makeDay(d.getUTCFullYear(), 11, 31) },
  { pattern: /\b(?:within|in)\s+(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+(business|working)\s+days?\b/i, resolve: (m, d) => countOrNull(enNumber(m[1]!), (n) => addWorkingDays(d, n)) },
  { pattern: /\b(?:within|in)\s+(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?\b/i, resolve: (m, d) => countOrNull(enNumber(m[1]!), (n) => addDays(d, n)) },
  { pattern: /\b(?:within|in)\s+(\d+|an?|one|two|three|four)\s+weeks?\b/i, resolve: (m, d) => countOrNull(enNumber(m[1]!), (n) => addDays(d, 7 * n)) },
  { pattern: /\b(?:end of next week|next week)\b/i, resolve: (_m, d) => endOfWorkWeek(d, 1) },
  { pattern: /\b(?:(?:the )?end of (?:the |this )?week|this week|eow)\b/i, resolve: (_m, d) => endOfWorkWeek(d, 0) },
  { pattern: /\b(?:the |this )?weekend\b/i, resolve: (_m, d) => weekdayOfWeek(d, 7, 0) },
];

function countOrNull(n: number, apply: (n: number) => Day): Day | null {
  return Number.isFinite(n) && n > 0 && n <= 366 ? apply(n) : null;
}

const ZH_DEADLINE_AFTER = /^\s*(?:之前|以前|前|之内|以内|内|为止|截止|下班前)/u;
const EN_DEADLINE_BEFORE = /\b(?:by|before|until|till|due|no later than|latest)\s+(?:the\s+)?$/i;

interface Found {
  index: number;
  text: string;
  day: Day | null;
  marked: boolean;
}

/** Every expression in `text`, non-overlapping, earlier rules taking their spans first. */
function findAll(text: string, meeting: Day | null): Found[] {
  const taken: Array<[number, number]> = [];
  const found: Found[] = [];
  for (const rule of DUE_RULES) {
    const global = new RegExp(rule.pattern.source, rule.pattern.flags.includes('g') ? rule.pattern.flags : `${rule.pattern.flags}g`);
    for (const m of text.matchAll(global)) {
      const start = m.index;
      const end = start + m[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      const exec = Object.assign([...m], { index: m.index, input: text, groups: m.groups }) as unknown as RegExpExecArray;
      const marked = ZH_DEADLINE_AFTER.test(text.slice(end)) || EN_DEADLINE_BEFORE.test(text.slice(0, start)) || /内$/u.test(m[0]);
      found.push({ index: start, text: m[0], day: meeting ? rule.resolve(exec, meeting) : null, marked });
    }
  }
  return found.sort((a, b) => a.index - b.index);
}

/**
 * ASR that spaces characters ("下 周 一 交 给") writes a date across the spaces: runs of single Han characters are
 * joined. Words stay apart, so "统计 一下 周四 之前" keeps 一下 away from 周四. (splitSentences joins a sentence only when
 * it is spaced that way throughout; a date in word-spaced ASR needs this local join.)
 */
function joinSpacedHan(text: string): string {
  return text
    .replace(/(?<![\p{Script=Han}])\p{Script=Han}(?:\s+\p{Script=Han}(?![\p{Script=Han}]))+/gu, (run) => run.replace(/\s+/gu, ''))
    // "下周 三 之前": a weekday split from its week word.
    .replace(/(周|星期|礼拜)\s+(?=[一二三四五六日天](?![\p{Script=Han}])|[一二三四五六日天](?:之前|以前|前))/gu, '$1');
}

/**
 * The due date named in a sentence, or null when it names none. `meetingDate` is `YYYY-MM-DD` or null
 * (then the words are returned with date null). The sentence is inverse-normalized first.
 */
export function findDueDate(sentence: string, meetingDate: string | null): DueDate | null {
  const meeting = meetingDate !== null && isIsoDate(meetingDate) ? parseDay(meetingDate) : null;
  const written = inverseNormalize(joinSpacedHan(sentence), { language: 'auto' });
  const all = findAll(written, meeting);
  if (all.length === 0) return null;
  const best = all.find((f) => f.marked) ?? all[0]!;
  return { date: best.day ? formatDay(best.day) : null, text: best.text };
}

/** Resolves a bare expression ("下周五", "end of month") against a meeting date; null when it is not one. */
export function resolveDueExpression(expression: string, meetingDate: string): string | null {
  return findDueDate(expression, meetingDate)?.date ?? null;
}
