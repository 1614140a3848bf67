/**
 * Chinese inverse text normalization: spoken numerals in a sentence → written digits, house style
 * (see ../STYLE.md). Rule-based, one left-to-right scan; anything that does not match a rule exactly
 * is copied unchanged.
 */
import {
  digitValue,
  formatCardinal,
  hasFinancialDigit,
  isDigitChar,
  isDigitStringChar,
  isNumeralChar,
  isSingleDigit,
  numeralRunEnd,
  parseCardinal,
  readDigitString,
  readFractionDigits,
} from './numbers.ts';
import {
  CLOCK_BLOCKERS,
  CLOCK_FOLLOWERS,
  CURRENCY_WORDS,
  DIGIT_CONTEXT_WORDS,
  ERA_WORDS,
  MEASURE_UNITS,
  PROTECTED_WORDS,
  TEN_FOLLOWERS,
  TIME_OF_DAY_WORDS,
  type ProtectedWord,
} from './lexicon.ts';

interface Match {
  /** Index just past the consumed input. */
  end: number;
  /** Written form of the consumed input. */
  out: string;
}

interface CardinalRead {
  end: number;
  value: bigint;
  raw: string;
}

interface NumberRead {
  end: number;
  out: string;
  raw: string;
  kind: 'cardinal' | 'decimal';
  /** Integer value (cardinals only). */
  value: bigint;
}

const POINT_CHARS = new Set(['点', '點']);
const NEGATIVE_CHARS = new Set(['负', '負']);
const ZERO_CHARS = new Set(['零', '〇']);
/** Units written after a bare 千 that turn it into a prefix (十千米 = 10 千米). */
const KILO_FOLLOWERS = new Set([...'克米瓦伏帕赫焦卡']);
/** Units after which a trailing digit pair counts one place lower (一万六七, 三千四五). */
const SECTION_UNIT_POWERS: ReadonlyMap<string, number> = new Map([['万', 4], ['萬', 4], ['千', 3], ['仟', 3], ['百', 2], ['佰', 2]]);
const PROTECTED_BY_FIRST_CHAR: ReadonlyMap<string, readonly ProtectedWord[]> = groupProtected(PROTECTED_WORDS);
const MEASURE_UNITS_LONGEST_FIRST = [...MEASURE_UNITS].sort((a, b) => b.length - a.length);
const CURRENCY_LONGEST_FIRST = [...CURRENCY_WORDS].sort((a, b) => b.length - a.length);

function groupProtected(words: readonly ProtectedWord[]): Map<string, ProtectedWord[]> {
  const map = new Map<string, ProtectedWord[]>();
  for (const w of words) {
    const first = w.word[0]!;
    const list = map.get(first) ?? [];
    list.push(w);
    map.set(first, list);
  }
  for (const list of map.values()) list.sort((a, b) => b.word.length - a.word.length);
  return map;
}

function isAsciiDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function startsWithAny(text: string, at: number, words: readonly string[]): string | undefined {
  for (const w of words) if (text.startsWith(w, at)) return w;
  return undefined;
}

function endsWithAny(text: string, at: number, words: readonly string[]): string | undefined {
  for (const w of words) if (at >= w.length && text.startsWith(w, at - w.length)) return w;
  return undefined;
}

/** Length of a protected word starting at `i`, or 0. */
function protectedLength(text: string, i: number): number {
  const candidates = PROTECTED_BY_FIRST_CHAR.get(text[i]!);
  if (candidates === undefined) return 0;
  for (const c of candidates) {
    if (!text.startsWith(c.word, i)) continue;
    const after = text[i + c.word.length];
    if (c.exceptBefore !== undefined && after !== undefined && c.exceptBefore.includes(after)) continue;
    return c.word.length;
  }
  return 0;
}

/** A whole numeral run read as a strict cardinal; a trailing 千 before 克/米/… is left to the unit (十千米). */
function readCardinal(text: string, i: number): CardinalRead | null {
  const end = numeralRunEnd(text, i);
  if (end === i) return null;
  const raw = text.slice(i, end);
  const value = parseCardinal(raw);
  if (value !== null) return { end, value, raw };
  if (raw.length > 1 && (raw.endsWith('千') || raw.endsWith('仟')) && KILO_FOLLOWERS.has(text[end] ?? '')) {
    const shorter = raw.slice(0, -1);
    const v = parseCardinal(shorter);
    if (v !== null) return { end: end - 1, value: v, raw: shorter };
  }
  return null;
}

/** 零五 style minute/second (零 + one digit) or a cardinal. */
function readClockField(text: string, i: number, max: number): { end: number; value: number; hasTen: boolean; zeroLed: boolean } | null {
  if (ZERO_CHARS.has(text[i] ?? '')) {
    const d = digitValue(text[i + 1] ?? '');
    if (d === undefined || d === 0 || isNumeralChar(text[i + 2] ?? '')) return null;
    return { end: i + 2, value: d, hasTen: false, zeroLed: true };
  }
  const c = readCardinal(text, i);
  if (c === null || c.value > BigInt(max)) return null;
  return { end: c.end, value: Number(c.value), hasTen: /[十拾]/.test(c.raw), zeroLed: false };
}

/** A cardinal or decimal (一点五, 二十点一万) at `i`. */
function readNumber(text: string, i: number): NumberRead | null {
  const c = readCardinal(text, i);
  if (c === null) return null;
  if (POINT_CHARS.has(text[c.end] ?? '')) {
    let k = c.end + 1;
    while (k < text.length && isDigitChar(text[k]!)) k++;
    const frac = readFractionDigits(text.slice(c.end + 1, k));
    if (frac !== null && !isNumeralChar(text[k] ?? '')) {
      if (c.value === 0n && frac.endsWith('0')) return null;
      const intPart = c.value.toString();
      return { end: k, out: `${intPart}.${frac}`, raw: text.slice(i, k), kind: 'decimal', value: c.value };
    }
    if (frac !== null && (text[k] === '万' || text[k] === '萬' || text[k] === '亿' || text[k] === '億') && !isNumeralChar(text[k + 1] ?? '')) {
      return { end: k + 1, out: `${c.value}.${frac}${text[k]}`, raw: text.slice(i, k + 1), kind: 'decimal', value: c.value };
    }
    if (c.value === 0n && frac === null) return null;
  }
  return { end: c.end, out: formatCardinal(c.value, c.raw), raw: c.raw, kind: 'cardinal', value: c.value };
}

/** Characters after a number that mean it was not really complete (ASCII digits, 几, a decimal we refused). */
function badRightContext(text: string, end: number): boolean {
  const next = text[end];
  if (next === undefined) return false;
  // 兆 is 10^6 or 10^12 depending on the region: leave numbers with it as spoken.
  if (isAsciiDigit(next) || next === '几' || next === '幾' || next === '兆') return true;
  if (POINT_CHARS.has(next)) {
    const after = text[end + 1];
    return isAsciiDigit(after) || (after !== undefined && isDigitStringChar(after));
  }
  return false;
}

function badLeftContext(text: string, i: number): boolean {
  const prev = text[i - 1];
  // 数十万 ("several hundred thousand") is not 10万.
  if (prev === '数' && text[i] === '十') return true;
  // Inside a dotted chain (一点二点三点四, an unknown version or address): leave all of it.
  if (prev !== undefined && POINT_CHARS.has(prev) && isDigitStringChar(text[i - 2] ?? '')) return true;
  return isAsciiDigit(prev) || prev === '.' || prev === '几' || prev === '幾' || prev === '兆';
}

/** 百分之三十 → 30%, 百分百 → 100%, 百分之负三点八 → -3.8%. */
function matchPercent(text: string, i: number): Match | null {
  if (text.startsWith('百分百', i) || text.startsWith('百分之百', i)) {
    const end = i + (text[i + 2] === '之' ? 4 : 3);
    if (isNumeralChar(text[end] ?? '')) return null;
    return { end, out: '100%' };
  }
  if (!text.startsWith('百分', i)) return null;
  let k = i + 2;
  const withZhi = text[k] === '之';
  if (withZhi) k++;
  let sign = '';
  if (NEGATIVE_CHARS.has(text[k] ?? '')) {
    sign = '-';
    k++;
  }
  const n = readNumber(text, k);
  if (n === null || badRightContext(text, n.end)) return null;
  if (!withZhi && n.kind === 'cardinal' && n.value < 10n) return null;
  const first: Match = { end: n.end, out: `${sign}${n.out}%` };
  // A range: 百分之三十到四十一 / 百分之三十到百分之四十.
  const link = text[first.end];
  if (link === '到' || link === '至') {
    const second = matchPercent(text, first.end + 1) ?? percentTail(text, first.end + 1);
    if (second !== null) return { end: second.end, out: `${sign}${n.out}~${second.out}` };
  }
  return first;
}

function percentTail(text: string, k: number): Match | null {
  const n = readNumber(text, k);
  if (n === null || badRightContext(text, n.end)) return null;
  return { end: n.end, out: `${n.out}%` };
}

/** 三分之二 → 2/3, 三又五分之一 → 3又1/5. */
function matchFraction(text: string, i: number): Match | null {
  const den = readCardinal(text, i);
  if (den === null) return null;
  if (text[den.end] === '又') {
    const rest = matchFraction(text, den.end + 1);
    if (rest === null) return null;
    return { end: rest.end, out: `${den.value}又${rest.out}` };
  }
  if (den.value === 0n || !text.startsWith('分之', den.end)) return null;
  const num = readNumber(text, den.end + 2);
  if (num === null || badRightContext(text, num.end)) return null;
  const numOut = num.kind === 'cardinal' ? num.value.toString() : num.out;
  return { end: num.end, out: `${numOut}/${den.value}` };
}

/** Year / month / day: 二零二五年三月十二号 → 2025年3月12日. */
function matchDate(text: string, i: number): Match | null {
  let k = i;
  let out = '';
  let hasYear = false;
  // Year read digit by digit.
  let d = i;
  while (d < text.length && isDigitChar(text[d]!) && text[d] !== '两' && text[d] !== '兩') d++;
  if (text[d] === '年' && !isNumeralChar(text[i - 1] ?? '')) {
    const digits = readDigitString(text.slice(i, d));
    const len = d - i;
    const era = endsWithAny(text, i, ERA_WORDS) !== undefined;
    const monthFollows = readMonth(text, d + 1) !== null;
    if (digits !== null && (len === 4 || (len === 3 && era) || (len === 2 && monthFollows))) {
      out += `${digits}年`;
      k = d + 1;
      hasYear = true;
    }
  }
  if (!hasYear) {
    // Year said as a cardinal (两千零五年八月) only when a month follows.
    const c = readCardinal(text, i);
    if (c !== null && text[c.end] === '年' && c.value >= 1000n && readMonth(text, c.end + 1) !== null) {
      out += `${c.value}年`;
      k = c.end + 1;
      hasYear = true;
    }
  }
  const month = readMonth(text, k);
  if (month === null) return hasYear ? { end: k, out } : null;
  if (!hasYear) {
    const prev = text[i - 1];
    if (prev === '个' || prev === '個' || prev === '几' || prev === '第') return null;
  }
  out += `${month.value}月`;
  k = month.end;
  const day = readCardinal(text, k);
  if (day !== null && day.value >= 1n && day.value <= 31n && (text[day.end] === '日' || text[day.end] === '号' || text[day.end] === '號')) {
    out += `${day.value}日`;
    k = day.end + 1;
  }
  return { end: k, out };
}

function readMonth(text: string, i: number): { end: number; value: bigint } | null {
  const c = readCardinal(text, i);
  if (c === null || c.value < 1n || c.value > 12n || text[c.end] !== '月') return null;
  if (text[c.end + 1] === '亮') return null;
  return { end: c.end + 1, value: c.value };
}

function hasTimeOfDayBefore(text: string, i: number): boolean {
  return endsWithAny(text, i, TIME_OF_DAY_WORDS) !== undefined;
}

/** Clock times: 三点 → 3点, 八点三十 → 8:30, 十三点五分十秒 → 13:05:10, 五点半 → 5点半, 五点一刻 → 5点1刻. */
function matchTime(text: string, i: number): Match | null {
  const h = readCardinal(text, i);
  if (h === null || h.value > 24n || !POINT_CHARS.has(text[h.end] ?? '')) return null;
  const hour = Number(h.value);
  // Midnight hour is written 00:10, other hours unpadded (8:05, 13:10).
  const hh = hour === 0 ? '00' : String(hour);
  const q = h.end + 1;
  const prefixed = hasTimeOfDayBefore(text, i);
  // 这三点, 有两点, 第三点: points, not o'clock.
  if (!prefixed && CLOCK_BLOCKERS.has(text[i - 1] ?? '')) return null;
  if (text[q] === '半') return { end: q + 1, out: `${hour}点半` };
  const quarter = readCardinal(text, q);
  if (quarter !== null && text[quarter.end] === '刻' && quarter.value >= 1n && quarter.value <= 3n) {
    return { end: quarter.end + 1, out: `${hour}点${quarter.value}刻` };
  }
  const minute = readClockField(text, q, 59);
  if (minute !== null) {
    const mm = String(minute.value).padStart(2, '0');
    if (text[minute.end] === '分' && text[minute.end + 1] !== '钟' && text[minute.end + 1] !== '之') {
      const second = readClockField(text, minute.end + 1, 59);
      if (second !== null && text[second.end] === '秒') {
        return { end: second.end + 1, out: `${hh}:${mm}:${String(second.value).padStart(2, '0')}` };
      }
      return { end: minute.end + 1, out: `${hh}:${mm}` };
    }
    const next = text[minute.end] ?? '';
    const clean = !isNumeralChar(next) && !POINT_CHARS.has(next) && !isAsciiDigit(next) && !isDigitStringChar(next) && !startsWithAny(text, minute.end, MEASURE_UNITS_LONGEST_FIRST) && !startsWithAny(text, minute.end, CURRENCY_LONGEST_FIRST);
    if (clean && (minute.hasTen || (prefixed && minute.zeroLed))) return { end: minute.end, out: `${hh}:${mm}` };
    return null;
  }
  // A bare hour.
  const next = text[q];
  if (next !== undefined && (isNumeralChar(next) || isDigitStringChar(next))) return null;
  const followerOk = next === undefined || CLOCK_FOLLOWERS.has(next) || !/\p{Script=Han}/u.test(next);
  if (prefixed || (hour >= 2 && followerOk) || (next === '钟' || next === '整')) return { end: q, out: `${hour}点` };
  return null;
}

/** Digit-by-digit strings: phone numbers, IDs, codes (幺三五…, 尾号一二三四). */
function matchDigitString(text: string, i: number): Match | null {
  let k = i;
  while (k < text.length && isDigitStringChar(text[k]!)) k++;
  if (POINT_CHARS.has(text[k] ?? '')) return matchIpAddress(text, i);
  if (isNumeralChar(text[k] ?? '')) return null;
  const s = text.slice(i, k);
  if (s.length < 2) return null;
  const hasYao = s.includes('幺');
  const hasContext = endsWithAny(text, i, DIGIT_CONTEXT_WORDS) !== undefined;
  if (/[两兩洞拐]/.test(s) && !hasYao && !hasContext) return null;
  if (!(hasYao || hasContext || s.length >= 7)) return null;
  const digits = readDigitString(s);
  if (digits === null) return null;
  if (s.length === 17 && (text[k] === 'X' || text[k] === 'x')) return { end: k + 1, out: `${digits}X` };
  return { end: k, out: digits };
}

/** 幺九二点幺六八点零点幺 → 192.168.0.1: four digit strings joined by 点, said with 幺 or after "IP"/"地址". */
function matchIpAddress(text: string, i: number): Match | null {
  const parts: string[] = [];
  let k = i;
  for (let p = 0; p < 4; p++) {
    if (p > 0) {
      if (!POINT_CHARS.has(text[k] ?? '')) return null;
      k++;
    }
    const start = k;
    while (k < text.length && isDigitStringChar(text[k]!)) k++;
    const digits = readDigitString(text.slice(start, k));
    if (digits === null || digits.length === 0 || digits.length > 3 || Number(digits) > 255) return null;
    parts.push(digits);
  }
  if (isNumeralChar(text[k] ?? '') || isDigitStringChar(text[k] ?? '') || POINT_CHARS.has(text[k] ?? '')) return null;
  const spoken = text.slice(i, k);
  if (!spoken.includes('幺') && endsWithAny(text, i, ['IP', 'ip', '地址', '地址是', '地址为']) === undefined) return null;
  return { end: k, out: parts.join('.') };
}

/** Money with 元/角/分 or 块/毛: 三千三百八十元五角八分 → 3380.58元, 十二块五 → 12块5. */
/** 'keep' means the amount must stay as spoken (ill-formed financial amount, or pieces rather than money). */
function matchMoney(text: string, n: NumberRead): Match | 'keep' | null {
  const at = n.end;
  const word = startsWithAny(text, at, CURRENCY_LONGEST_FIRST);
  if (word === '元' || word === '圆') {
    const sub = n.kind === 'cardinal' ? readSubUnits(text, at + 1, ['角', '毛'], ['分']) : null;
    if (sub !== null) return { end: sub.end, out: `${n.value}.${sub.tenths}${sub.hundredths}${word}` };
    // Financial numerals (壹拾壹元) are only well formed with 整/正 after 元 (PRC cheque rules).
    if (hasFinancialDigit(n.raw) && text[at + 1] !== '整' && text[at + 1] !== '正') return 'keep';
    return { end: at + 1, out: `${n.out}${word}` };
  }
  if (word !== undefined) return { end: at + word.length, out: `${n.out}${word}` };
  if (text[at] === '块' || text[at] === '塊') {
    if (n.kind !== 'cardinal') return { end: at + 1, out: `${n.out}${text[at]}` };
    let out = `${n.out}${text[at]}`;
    let k = at + 1;
    const jiao = readSingleDigit(text, k);
    if (jiao !== null && (text[k + 1] === '毛' || text[k + 1] === '角')) {
      out += `${jiao}${text[k + 1]}`;
      k += 2;
      const fen = readSingleDigit(text, k);
      if (fen !== null && text[k + 1] === '分') {
        out += `${fen}分`;
        k += 2;
      }
      return { end: k, out };
    }
    if (jiao !== null && !isNumeralChar(text[k + 1] ?? '') && !isDigitStringChar(text[k + 1] ?? '') && !/\p{Script=Han}/u.test(text[k + 1] ?? '')) {
      return { end: k + 1, out: `${out}${jiao}` };
    }
    // A lone digit before 块 is as likely "pieces" (两块蛋糕) as money.
    if (isSingleDigit(n.raw)) return 'keep';
    return { end: at + 1, out };
  }
  return null;
}

function readSingleDigit(text: string, i: number): number | null {
  const ch = text[i];
  if (ch === undefined || !isDigitChar(ch)) return null;
  return digitValue(ch) ?? null;
}

function readSubUnits(text: string, k: number, tenthWords: string[], hundredthWords: string[]): { end: number; tenths: number; hundredths: string } | null {
  let tenths = 0;
  let hundredths = '';
  let found = false;
  const j = readSingleDigit(text, k);
  if (j !== null && tenthWords.includes(text[k + 1] ?? '')) {
    tenths = j;
    k += 2;
    found = true;
  }
  const f = readSingleDigit(text, k);
  if (f !== null && hundredthWords.includes(text[k + 1] ?? '') && text[k + 2] !== '钟') {
    hundredths = String(f);
    k += 2;
    found = true;
  }
  return found ? { end: k, tenths, hundredths } : null;
}

/** A number with what follows it: money, a range, a unit, or a plain cardinal. */
function matchNumber(text: string, i: number): Match | null {
  const n = readNumber(text, i);
  if (n === null || badRightContext(text, n.end)) return null;
  const money = matchMoney(text, n);
  if (money === 'keep') return null;
  if (money !== null) return money;
  const link = text[n.end];
  if (link === '到' || link === '至') {
    const m = readNumber(text, n.end + 1);
    if (m !== null && !badRightContext(text, m.end)) {
      const mMoney = matchMoney(text, m);
      const second = mMoney === null || mMoney === 'keep' ? { end: m.end, out: m.out } : mMoney;
      // 从一到十 keeps its 到; a bare range is written with ~.
      const joiner = text[i - 1] === '从' ? link : '~';
      return { end: second.end, out: `${n.out}${joiner}${second.out}` };
    }
  }
  // 三十八度五 is 38.5度.
  if (text[n.end] === '度' && n.kind === 'cardinal') {
    const tenth = readSingleDigit(text, n.end + 1);
    const after = text[n.end + 2] ?? '';
    if (tenth !== null && !isNumeralChar(after) && !isDigitStringChar(after) && !/\p{Script=Han}/u.test(after)) {
      return { end: n.end + 2, out: `${n.value}.${tenth}度` };
    }
  }
  if (n.kind === 'cardinal' && (n.raw === '十' || n.raw === '拾') && !TEN_FOLLOWERS.has(text[n.end] ?? '')) {
    if (startsWithAny(text, n.end, MEASURE_UNITS_LONGEST_FIRST) === undefined) return null;
  }
  if (n.kind === 'cardinal' && isSingleDigit(n.raw)) {
    if (startsWithAny(text, n.end, MEASURE_UNITS_LONGEST_FIRST) === undefined) return null;
  }
  return { end: n.end, out: n.out };
}

/** Everything that may start at a numeral character. */
function matchNumeralAt(text: string, i: number): Match | null {
  if (badLeftContext(text, i)) return null;
  if (text[i] === '百') {
    const p = matchPercent(text, i);
    if (p !== null) return p;
  }
  return (
    matchDate(text, i) ??
    matchTime(text, i) ??
    matchFraction(text, i) ??
    matchDigitString(text, i) ??
    matchNumber(text, i) ??
    matchApproximateRange(text, i)
  );
}

/**
 * Approximate ranges with two neighbouring digits: 三四十万 → 30~40万, 十七八 → 17~18, 三五百 → 300~500,
 * 七八公斤 → 7~8公斤. Two bare digits need a unit after them (三五成群, 七八个 stay as spoken).
 */
function matchApproximateRange(text: string, i: number): Match | null {
  let end = numeralRunEnd(text, i);
  // 十五六千瓦时: the 千 belongs to the unit.
  if (end - i > 2 && (text[end - 1] === '千' || text[end - 1] === '仟') && KILO_FOLLOWERS.has(text[end] ?? '')) end--;
  const run = text.slice(i, end);
  let pairAt = -1;
  for (let k = 0; k + 1 < run.length; k++) {
    if (!isDigitChar(run[k]!) || !isDigitChar(run[k + 1]!)) continue;
    const a = digitValue(run[k]!)!;
    const b = digitValue(run[k + 1]!)!;
    // 三五 (three or five) only leads a number (三五百); inside one it is a name (十三五规划).
    if (a >= 1 && (b === a + 1 || (a === 3 && b === 5 && k === 0))) {
      if (pairAt >= 0) return null;
      pairAt = k;
    }
  }
  if (pairAt < 0 || badRightContext(text, end)) return null;
  // 一万六七 = 16000~17000: a pair right after a unit counts in the next lower place.
  const unitPower = pairAt > 0 ? SECTION_UNIT_POWERS.get(run[pairAt - 1]!) : undefined;
  if (unitPower !== undefined && pairAt + 2 === run.length) {
    const base = parseCardinal(run.slice(0, pairAt));
    const place = 10n ** BigInt(unitPower - 1);
    if (base === null || base % (place * 10n) !== 0n) return null;
    const a = BigInt(digitValue(run[pairAt]!)!);
    const b = BigInt(digitValue(run[pairAt + 1]!)!);
    return { end, out: `${base + a * place}~${base + b * place}` };
  }
  const lowSpoken = run.slice(0, pairAt + 1) + run.slice(pairAt + 2);
  const highSpoken = run.slice(0, pairAt) + run.slice(pairAt + 1);
  const low = parseCardinal(lowSpoken);
  const high = parseCardinal(highSpoken);
  if (low === null || high === null || low >= high) return null;
  if (run.length === 2 && startsWithAny(text, end, MEASURE_UNITS_LONGEST_FIRST) === undefined && startsWithAny(text, end, CURRENCY_LONGEST_FIRST) === undefined) return null;
  let lowOut = formatCardinal(low, lowSpoken);
  const highOut = formatCardinal(high, highSpoken);
  const unit = highOut.slice(-1);
  if (/[万萬亿億]/.test(unit) && lowOut.endsWith(unit)) lowOut = lowOut.slice(0, -1);
  return { end, out: `${lowOut}~${highOut}` };
}

/** 负 / 正负 before a number, percentage or fraction. */
function matchSigned(text: string, i: number, signLength: number, sign: string): Match | null {
  // 负的百分之二十 reads as -20%.
  const k = i + signLength + (text[i + signLength] === '的' && text[i + signLength + 1] === '百' ? 1 : 0);
  const inner = (text[k] === '百' ? matchPercent(text, k) : null) ?? matchFraction(text, k) ?? signedNumber(text, k);
  if (inner === null) return null;
  return { end: inner.end, out: `${sign}${inner.out}` };
}

function signedNumber(text: string, k: number): Match | null {
  const n = readNumber(text, k);
  if (n === null || badRightContext(text, n.end)) return null;
  return { end: n.end, out: n.out };
}

/** 第 + a number that is not a lone digit: 第一百 → 第100 (第一, 第三天 stay as spoken). */
function matchOrdinal(text: string, i: number): Match | null {
  const c = readCardinal(text, i + 1);
  if (c === null || isSingleDigit(c.raw) || badRightContext(text, c.end)) return null;
  return { end: c.end, out: `第${formatCardinal(c.value, c.raw)}` };
}

/** 纪元前一九三四年 → 公元前1934年 (the two era names are the same era). */
function matchEra(text: string, i: number): Match | null {
  const word = text.startsWith('纪元前', i) ? '纪元前' : text.startsWith('纪元', i) ? '纪元' : undefined;
  if (word === undefined) return null;
  const date = matchDate(text, i + word.length);
  if (date === null || !date.out.includes('年')) return null;
  return { end: date.end, out: `${word.replace('纪元', '公元')}${date.out}` };
}

/**
 * Chinese ITN of one sentence or paragraph. Pure; text without Chinese numerals comes back unchanged.
 */
export function inverseNormalizeZh(text: string): string {
  return normalizeZhSpan(text, true);
}

/**
 * Chinese ITN of a span. `wholeUtterance`: the span is all that was said, so a lone digit in it is
 * a number (五 → 5); false for pieces of mixed-language text.
 */
export function normalizeZhSpan(text: string, wholeUtterance: boolean): string {
  const trimmed = text.trim();
  // A lone digit said as the whole utterance is a number (〇 alone is a symbol, not speech).
  if (wholeUtterance && isSingleDigit(trimmed) && trimmed !== '〇') return text.replace(trimmed, String(digitValue(trimmed)));
  if (wholeUtterance && (trimmed === '十' || trimmed === '拾')) return text.replace(trimmed, '10');
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    const p = protectedLength(text, i);
    if (p > 0) {
      out += text.slice(i, i + p);
      i += p;
      continue;
    }
    let m: Match | null = null;
    if (isNumeralChar(ch) || ch === '幺') {
      m = matchNumeralAt(text, i);
      if (m === null) {
        const end = Math.max(numeralRunEnd(text, i), i + 1);
        out += text.slice(i, end);
        i = end;
        continue;
      }
    } else if (NEGATIVE_CHARS.has(ch)) {
      if (!badLeftContext(text, i)) m = matchSigned(text, i, 1, '-');
    } else if (ch === '正' && NEGATIVE_CHARS.has(text[i + 1] ?? '')) {
      m = matchSigned(text, i, 2, '±');
    } else if (ch === '第') {
      m = matchOrdinal(text, i);
    } else if (ch === '纪') {
      m = matchEra(text, i);
    }
    if (m !== null) {
      out += m.out;
      i = m.end;
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}
