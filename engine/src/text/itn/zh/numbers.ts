/**
 * Chinese numeral reading: character tables, a strict cardinal parser, decimals and digit strings.
 *
 * The cardinal grammar is deliberately strict (the same rules as cn2an's "strict" mode): a spoken
 * form that is not a well-formed number (一百二, 三万五, 十万零一千, 一一) is rejected, so callers
 * leave it as spoken instead of guessing. Wrong conversions are worse than none.
 */

/** Plain digit characters (spoken and financial/traditional forms) and their values. */
const DIGIT_VALUES: ReadonlyMap<string, number> = new Map([
  ['零', 0], ['〇', 0],
  ['一', 1], ['壹', 1],
  ['二', 2], ['贰', 2], ['貳', 2], ['两', 2], ['兩', 2],
  ['三', 3], ['叁', 3], ['參', 3],
  ['四', 4], ['肆', 4],
  ['五', 5], ['伍', 5],
  ['六', 6], ['陆', 6], ['陸', 6],
  ['七', 7], ['柒', 7],
  ['八', 8], ['捌', 8],
  ['九', 9], ['玖', 9],
]);

/** Digits that may appear in a digit-by-digit reading (phone numbers, years, IDs); 幺 = 1, 洞 = 0, 拐 = 7 are radio-style. */
const DIGIT_STRING_VALUES: ReadonlyMap<string, number> = new Map([
  ...DIGIT_VALUES,
  ['幺', 1], ['洞', 0], ['拐', 7],
]);

/** Small units inside a four-digit section: position (power of ten). */
const SMALL_UNITS: ReadonlyMap<string, number> = new Map([
  ['十', 1], ['拾', 1], ['百', 2], ['佰', 2], ['千', 3], ['仟', 3],
]);

/** Section units: power of ten. 兆 is left out on purpose (10^6 or 10^12 depending on region). */
const BIG_UNITS: ReadonlyMap<string, number> = new Map([
  ['万', 4], ['萬', 4], ['亿', 8], ['億', 8],
]);

/** 廿 = 二十, 卅 = 三十. */
const TENS_SHORTHAND: ReadonlyMap<string, number> = new Map([['廿', 2], ['卅', 3]]);

const FINANCIAL_DIGITS = new Set(['壹', '贰', '貳', '叁', '參', '肆', '伍', '陆', '陸', '柒', '捌', '玖', '拾', '佰', '仟']);
const ZERO_CHARS = new Set(['零', '〇']);
const TWO_CHARS = new Set(['两', '兩']);

export function isDigitChar(ch: string): boolean {
  return DIGIT_VALUES.has(ch);
}

export function isDigitStringChar(ch: string): boolean {
  return DIGIT_STRING_VALUES.has(ch);
}

export function digitValue(ch: string): number | undefined {
  return DIGIT_STRING_VALUES.get(ch);
}

/** True for characters that can be part of a cardinal numeral run (digits, units, 廿/卅). Excludes 幺/洞/拐. */
export function isNumeralChar(ch: string): boolean {
  return DIGIT_VALUES.has(ch) || SMALL_UNITS.has(ch) || BIG_UNITS.has(ch) || TENS_SHORTHAND.has(ch);
}

export function hasFinancialDigit(s: string): boolean {
  for (const ch of s) if (FINANCIAL_DIGITS.has(ch)) return true;
  return false;
}

/** End index (exclusive) of the numeral run starting at `start`. */
export function numeralRunEnd(text: string, start: number): number {
  let j = start;
  while (j < text.length && isNumeralChar(text[j]!)) j++;
  return j;
}

interface SectionValue {
  value: number;
  /** Power of ten of the first (highest) non-zero place read. */
  top: number;
}

/**
 * One four-digit section (below 万): pairs of digit + unit, strictly descending, with 零 exactly
 * where places are skipped. `allowBareTen`: 十 without a leading digit (十一, 零十).
 */
function parseSection(s: string, allowBareTen: boolean): SectionValue | null {
  let value = 0;
  let lastPos = -1;
  let top = -1;
  let pendingZero = false;
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ZERO_CHARS.has(ch)) {
      if (pendingZero || lastPos < 0) return null;
      pendingZero = true;
      i++;
      continue;
    }
    let digit: number;
    let pos: number;
    const tens = TENS_SHORTHAND.get(ch);
    const unitPos = SMALL_UNITS.get(ch);
    if (tens !== undefined) {
      digit = tens;
      pos = 1;
      i++;
    } else if (unitPos !== undefined) {
      // A bare unit: only 十, and only at the very start of the number or right after 零.
      if (unitPos !== 1) return null;
      if (!((allowBareTen && lastPos < 0) || pendingZero)) return null;
      digit = 1;
      pos = 1;
      i++;
    } else {
      const d = DIGIT_VALUES.get(ch);
      if (d === undefined || d === 0) return null;
      const next = s[i + 1];
      const nextPos = next === undefined ? undefined : SMALL_UNITS.get(next);
      if (nextPos !== undefined) {
        // 两 reads as 2 before 百/千 only (两十 is not a number).
        if (TWO_CHARS.has(ch) && nextPos < 2) return null;
        digit = d;
        pos = nextPos;
        i += 2;
      } else {
        // Ones digit; 两 as ones digit only when it is the whole section (两万, 两亿, 两).
        if (TWO_CHARS.has(ch) && s.length !== 1) return null;
        digit = d;
        pos = 0;
        i += 1;
      }
    }
    if (lastPos >= 0) {
      if (pos >= lastPos) return null;
      const gap = lastPos - pos - 1;
      if (gap > 0 && !pendingZero) return null;
      if (gap === 0 && pendingZero) return null;
    } else {
      top = pos;
    }
    value += digit * 10 ** pos;
    lastPos = pos;
    pendingZero = false;
  }
  if (pendingZero || lastPos < 0) return null;
  return { value, top };
}

interface BigValue {
  value: bigint;
  top: number;
}

/** Lower part after a section unit of width `width` (4 for 万, 8 for 亿): 零 iff its top place is below width-1. */
function parseLower(s: string, width: number, parse: (t: string, bare: boolean) => BigValue | null): BigValue | null {
  if (s.length === 0) return { value: 0n, top: -1 };
  if (ZERO_CHARS.has(s[0]!)) {
    const rest = parse(s.slice(1), true);
    if (rest === null || rest.value === 0n || rest.top >= width - 1) return null;
    return rest;
  }
  const v = parse(s, false);
  if (v === null || v.top !== width - 1) return null;
  return v;
}

function parseBelowYi(s: string, allowBareTen: boolean): BigValue | null {
  let wanAt = -1;
  for (let k = s.length - 1; k >= 0; k--) {
    const u = BIG_UNITS.get(s[k]!);
    if (u === 4) {
      wanAt = k;
      break;
    }
  }
  if (wanAt < 0) {
    const sec = parseSection(s, allowBareTen);
    return sec === null ? null : { value: BigInt(sec.value), top: sec.top };
  }
  const high = parseSection(s.slice(0, wanAt), allowBareTen);
  if (high === null) return null;
  const low = parseLower(s.slice(wanAt + 1), 4, (t, bare) => {
    const sec = parseSection(t, bare);
    return sec === null ? null : { value: BigInt(sec.value), top: sec.top };
  });
  if (low === null) return null;
  return { value: BigInt(high.value) * 10000n + low.value, top: high.top + 4 };
}

function parseFull(s: string, allowBareTen: boolean): BigValue | null {
  let yiAt = -1;
  for (let k = s.length - 1; k >= 0; k--) {
    if (BIG_UNITS.get(s[k]!) === 8) {
      yiAt = k;
      break;
    }
  }
  if (yiAt < 0) return parseBelowYi(s, allowBareTen);
  const high = parseFull(s.slice(0, yiAt), allowBareTen);
  if (high === null) return null;
  const low = parseLower(s.slice(yiAt + 1), 8, parseBelowYi);
  if (low === null) return null;
  return { value: high.value * 100000000n + low.value, top: high.top + 8 };
}

/**
 * Strict cardinal value of a whole numeral string, or null when it is not a well-formed number.
 * "零" alone is 0; other strings must not start with 零.
 */
export function parseCardinal(s: string): bigint | null {
  if (s.length === 0) return null;
  if (s.length === 1 && ZERO_CHARS.has(s)) return 0n;
  const v = parseFull(s, true);
  return v === null ? null : v.value;
}

const WAN = 10000n;
const YI = 100000000n;

/**
 * Written form of a cardinal: plain digits without grouping, except round multiples of 万 or 亿
 * (below 10^4 of that unit), which keep the unit character the speaker used (3万, 2億).
 */
export function formatCardinal(value: bigint, spoken: string): string {
  const negative = value < 0n;
  const v = negative ? -value : value;
  const sign = negative ? '-' : '';
  if (v >= YI && v % YI === 0n && v / YI < WAN) return `${sign}${v / YI}${lastUnitChar(spoken, 8) ?? '亿'}`;
  if (v >= WAN && v % WAN === 0n && v / WAN < WAN) return `${sign}${v / WAN}${lastUnitChar(spoken, 4) ?? '万'}`;
  return `${sign}${v}`;
}

function lastUnitChar(spoken: string, power: number): string | undefined {
  for (let k = spoken.length - 1; k >= 0; k--) if (BIG_UNITS.get(spoken[k]!) === power) return spoken[k];
  return undefined;
}

/** Digits of a digit-by-digit reading (一八五…, 二零二五), or null if any character is not a digit. */
export function readDigitString(s: string): string | null {
  let out = '';
  for (const ch of s) {
    const d = DIGIT_STRING_VALUES.get(ch);
    if (d === undefined) return null;
    out += String(d);
  }
  return out;
}

/** Fractional digits after 点: plain digits only (no units, no radio digits). */
export function readFractionDigits(s: string): string | null {
  if (s.length === 0) return null;
  let out = '';
  for (const ch of s) {
    if (TWO_CHARS.has(ch)) return null;
    const d = DIGIT_VALUES.get(ch);
    if (d === undefined) return null;
    out += String(d);
  }
  return out;
}

/** True when the string is one plain digit character (一, 五, 两, 壹), the form kept as spoken inside sentences. */
export function isSingleDigit(s: string): boolean {
  return s.length === 1 && DIGIT_VALUES.has(s);
}
