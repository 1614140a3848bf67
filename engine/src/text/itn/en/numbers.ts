/**
 * English number words: tables and a token-level cardinal parser ("one hundred and twenty three").
 * Tokens are lower-cased words; parsers return the index just past what they consumed.
 */

export const ONES: ReadonlyMap<string, number> = new Map([
  ['zero', 0], ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7], ['eight', 8], ['nine', 9],
]);

export const TEENS: ReadonlyMap<string, number> = new Map([
  ['ten', 10], ['eleven', 11], ['twelve', 12], ['thirteen', 13], ['fourteen', 14], ['fifteen', 15], ['sixteen', 16],
  ['seventeen', 17], ['eighteen', 18], ['nineteen', 19],
]);

export const TENS: ReadonlyMap<string, number> = new Map([
  ['twenty', 20], ['thirty', 30], ['forty', 40], ['fifty', 50], ['sixty', 60], ['seventy', 70], ['eighty', 80], ['ninety', 90],
]);

/** Scale words above hundred, including the Indian lakh and crore. */
export const SCALES: ReadonlyMap<string, bigint> = new Map([
  ['thousand', 10n ** 3n], ['lakh', 10n ** 5n], ['million', 10n ** 6n], ['crore', 10n ** 7n], ['billion', 10n ** 9n],
  ['trillion', 10n ** 12n], ['quadrillion', 10n ** 15n], ['quintillion', 10n ** 18n], ['sextillion', 10n ** 21n],
]);

/** Ordinal words → value; a multi-word ordinal ends in one of these (twenty first, one hundredth). */
export const ORDINAL_WORDS: ReadonlyMap<string, number> = new Map([
  ['zeroth', 0], ['first', 1], ['second', 2], ['third', 3], ['fourth', 4], ['fifth', 5], ['sixth', 6], ['seventh', 7],
  ['eighth', 8], ['ninth', 9], ['tenth', 10], ['eleventh', 11], ['twelfth', 12], ['thirteenth', 13], ['fourteenth', 14],
  ['fifteenth', 15], ['sixteenth', 16], ['seventeenth', 17], ['eighteenth', 18], ['nineteenth', 19], ['twentieth', 20],
  ['thirtieth', 30], ['fortieth', 40], ['fiftieth', 50], ['sixtieth', 60], ['seventieth', 70], ['eightieth', 80],
  ['ninetieth', 90], ['hundredth', 100], ['thousandth', 1000], ['millionth', 1_000_000], ['billionth', 1_000_000_000],
]);

/** Digit words in digit-by-digit readings (after "point", phone numbers): o and oh are zero there. */
export const DIGIT_WORDS: ReadonlyMap<string, number> = new Map([...ONES, ['o', 0], ['oh', 0]]);

export interface CardinalParse {
  end: number;
  value: bigint;
  /** Number of number words consumed (not counting "and"). */
  words: number;
  /** The last word was a scale word ≥ thousand, and the number is a round multiple of it (400 million). */
  roundScale?: { index: number; multiplier: bigint };
  /** Shape of the last group below thousand, for callers that need to know (e.g. "twenty" vs "twenty one"). */
  lastKind: 'ones' | 'teens' | 'tens' | 'tens-ones' | 'hundred' | 'scale';
}

/**
 * Longest cardinal starting at `i`. Rejects sequences that are not one number ("one two", "twenty thirty").
 */
export function parseCardinalWords(tokens: readonly string[], i: number): CardinalParse | null {
  let total = 0n;
  let group = 0n; // value below the current scale
  let lastKind: CardinalParse['lastKind'] | null = null;
  let lastScale: bigint | null = null;
  let words = 0;
  let k = i;
  let end = i;
  let endState: { total: bigint; group: bigint; kind: CardinalParse['lastKind']; words: number; scaleIndex: number } | null = null;
  let scaleIndex = -1;
  while (k < tokens.length) {
    const w = tokens[k]!;
    if (w === 'and') {
      // "two hundred and fifty", "two thousand and nine": only inside a number.
      if (lastKind !== 'hundred' && lastKind !== 'scale') break;
      const next = tokens[k + 1];
      if (next === undefined || !(ONES.has(next) || TEENS.has(next) || TENS.has(next)) || next === 'zero') break;
      k++;
      continue;
    }
    const one = ONES.get(w);
    const teen = TEENS.get(w);
    const ten = TENS.get(w);
    const scale = SCALES.get(w);
    if (one !== undefined) {
      if (one === 0 && (lastKind !== null)) break;
      if (lastKind === 'ones' || lastKind === 'teens' || lastKind === 'tens-ones') break;
      if (lastKind === 'tens') {
        group += BigInt(one);
        lastKind = 'tens-ones';
      } else {
        group += BigInt(one);
        lastKind = 'ones';
      }
    } else if (teen !== undefined) {
      if (lastKind === 'ones' || lastKind === 'teens' || lastKind === 'tens' || lastKind === 'tens-ones') break;
      group += BigInt(teen);
      lastKind = 'teens';
    } else if (ten !== undefined) {
      if (lastKind === 'ones' || lastKind === 'teens' || lastKind === 'tens' || lastKind === 'tens-ones') break;
      group += BigInt(ten);
      lastKind = 'tens';
    } else if (w === 'hundred') {
      // "two hundred", "eleven hundred", "twenty one hundred"; not "hundred" alone or twice.
      const inGroup = group % 1000n;
      if (lastKind === null || lastKind === 'hundred' || lastKind === 'scale' || inGroup === 0n || inGroup >= 100n) break;
      group = group - inGroup + inGroup * 100n;
      lastKind = 'hundred';
    } else if (scale !== undefined) {
      if (lastKind === null || lastKind === 'scale' || group === 0n) break;
      if (lastScale !== null && scale >= lastScale) break;
      total += group * scale;
      group = 0n;
      lastScale = scale;
      lastKind = 'scale';
      scaleIndex = k;
    } else {
      break;
    }
    words++;
    k++;
    end = k;
    endState = { total, group, kind: lastKind, words, scaleIndex };
  }
  if (endState === null) return null;
  const value = endState.total + endState.group;
  const result: CardinalParse = { end, value, words: endState.words, lastKind: endState.kind };
  if (endState.kind === 'scale' && endState.group === 0n) {
    const scaleWord = tokens[end - 1]!;
    const multiplier = SCALES.get(scaleWord)!;
    if (value % multiplier === 0n && value / multiplier < 1000n) result.roundScale = { index: end - 1, multiplier };
  }
  return result;
}

/** Digits of a digit-by-digit reading starting at `i` ("o five", "double seven"); null when none. */
export function parseDigitWords(tokens: readonly string[], i: number, allowRepeat: boolean): { end: number; digits: string } | null {
  let digits = '';
  let k = i;
  while (k < tokens.length) {
    const w = tokens[k]!;
    const repeat = allowRepeat ? (w === 'double' ? 2 : w === 'triple' ? 3 : 0) : 0;
    if (repeat > 0) {
      const d = DIGIT_WORDS.get(tokens[k + 1] ?? '');
      if (d === undefined) break;
      digits += String(d).repeat(repeat);
      k += 2;
      continue;
    }
    const d = DIGIT_WORDS.get(w);
    if (d === undefined) break;
    digits += String(d);
    k++;
  }
  return digits.length === 0 ? null : { end: k, digits };
}

export function ordinalSuffix(n: bigint): string {
  const lastTwo = n % 100n;
  if (lastTwo >= 11n && lastTwo <= 13n) return 'th';
  switch (n % 10n) {
    case 1n:
      return 'st';
    case 2n:
      return 'nd';
    case 3n:
      return 'rd';
    default:
      return 'th';
  }
}
