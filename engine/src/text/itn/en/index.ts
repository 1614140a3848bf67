/**
 * English inverse text normalization, NeMo style ("one hundred twenty three" → "123",
 * "twenty first" → "21st", "five dollars" → "$5", "two thirty p m" → "02:30 p.m.").
 * Works on whitespace tokens; matching is case-insensitive, untouched tokens keep their case.
 */
import {
  DIGIT_WORDS,
  ONES,
  ORDINAL_WORDS,
  SCALES,
  TEENS,
  TENS,
  ordinalSuffix,
  parseCardinalWords,
  parseDigitWords,
  type CardinalParse,
} from './numbers.ts';

interface Match {
  /** Token index just past the consumed tokens. */
  end: number;
  out: string;
}

/** A spoken amount: "minus two point five billion" → { text: "-2.5", scale: "billion" }. */
interface Amount {
  end: number;
  /** Written number without scale word. */
  text: string;
  /** Scale word kept as a word (original case), e.g. "million". */
  scale?: string;
  /** A lone ones word (one … nine, zero): kept as a word outside money/measures. */
  single: boolean;
  integer: bigint | null;
  cardinal: CardinalParse | null;
}

interface Ctx {
  /** Original tokens. */
  raw: readonly string[];
  /** Lower-cased tokens. */
  low: readonly string[];
  /** The whole input is this one expression (a lone "first" is then 1st). */
  whole: boolean;
}

const MONTHS = new Set(['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']);
const PLURAL_TENS: ReadonlyMap<string, number> = new Map([
  ['tens', 10], ['twenties', 20], ['thirties', 30], ['forties', 40], ['fifties', 50], ['sixties', 60], ['seventies', 70], ['eighties', 80], ['nineties', 90],
]);
const DECIMAL_SCALES = new Set(['thousand', 'million', 'billion', 'trillion']);
const TIME_PREPOSITIONS = new Set(['at', 'by', 'until', 'till', 'before', 'after', 'around', 'from', 'to', 'since', 'about']);
const TIME_ZONES = new Set(['est', 'edt', 'cst', 'cdt', 'mst', 'mdt', 'pst', 'pdt', 'gmt', 'utc', 'cet', 'bst', 'ist']);
const TLDS = new Set(['com', 'org', 'net', 'edu', 'gov', 'io', 'ai', 'fr', 'de', 'uk', 'cn', 'jp', 'us', 'ca', 'au', 'in', 'co', 'info', 'biz', 'me', 'tv', 'ru', 'es', 'it', 'nl', 'sm']);

const CURRENCIES: ReadonlyArray<{ words: string[]; symbol: string; suffix?: boolean }> = [
  { words: ['united', 'states', 'dollars'], symbol: '$' },
  { words: ['united', 'states', 'dollar'], symbol: '$' },
  { words: ['us', 'dollars'], symbol: '$' },
  { words: ['dollars'], symbol: '$' },
  { words: ['dollar'], symbol: '$' },
  { words: ['euros'], symbol: '€' },
  { words: ['euro'], symbol: '€' },
  { words: ['pounds'], symbol: '£' },
  { words: ['pound'], symbol: '£' },
  { words: ['yen'], symbol: '¥' },
  { words: ['won'], symbol: '₩' },
  { words: ['rupees'], symbol: '₹' },
  { words: ['rupee'], symbol: '₹' },
  { words: ['yuan'], symbol: 'yuan', suffix: true },
];

/** Measure units, spoken words → written abbreviation (NeMo's forms). */
const UNIT_TABLE: ReadonlyArray<[string, string]> = [
  ['kilometers per hour', 'km/h'], ['kilometer per hour', 'km/h'], ['miles per hour', 'mph'], ['mile per hour', 'mph'],
  ['kilograms force per square centimeter', 'kgf/cm²'],
  ['square kilometers', 'km²'], ['square kilometer', 'km²'], ['square meters', 'm²'], ['square meter', 'm²'],
  ['square centimeters', 'cm²'], ['square centimeter', 'cm²'], ['square feet', 'sq ft'], ['square foot', 'sq ft'],
  ['square miles', 'sq mi'], ['square mile', 'sq mi'], ['cubic meters', 'm³'], ['cubic meter', 'm³'],
  ['cubic deci meters', 'dm³'], ['cubic decimeters', 'dm³'], ['cubic centimeters', 'cm³'], ['cubic centimeter', 'cm³'],
  ['kilometers', 'km'], ['kilometer', 'km'], ['centimeters', 'cm'], ['centimeter', 'cm'], ['millimeters', 'mm'],
  ['millimeter', 'mm'], ['micrometers', 'μm'], ['micrometer', 'μm'], ['nanometers', 'nm'], ['nanometer', 'nm'],
  ['meters', 'm'], ['meter', 'm'], ['miles', 'mi'], ['mile', 'mi'], ['feet', 'ft'], ['foot', 'ft'], ['inches', 'in'],
  ['yards', 'yd'], ['yard', 'yd'],
  ['kilograms', 'kg'], ['kilogram', 'kg'], ['milligrams', 'mg'], ['milligram', 'mg'], ['grams', 'g'], ['gram', 'g'],
  ['ounces', 'oz'], ['ounce', 'oz'],
  ['kilo liters', 'kl'], ['kilo liter', 'kl'], ['milliliters', 'ml'], ['milliliter', 'ml'], ['liters', 'l'], ['liter', 'l'],
  ['hours', 'h'], ['hour', 'h'],
  ['kilo watt hours', 'kWh'], ['kilowatt hours', 'kWh'], ['giga watt hours', 'gWh'], ['gigawatt hours', 'gWh'],
  ['mega watt hours', 'mWh'], ['kilowatts', 'kW'], ['kilowatt', 'kW'], ['megawatts', 'mW'], ['megawatt', 'mW'],
  ['watts', 'W'], ['watt', 'W'], ['milli volts', 'mv'], ['milli volt', 'mv'], ['volts', 'v'], ['volt', 'v'],
  ['mega siemens', 'ms'], ['kilohertz', 'khz'], ['megahertz', 'mhz'], ['gigahertz', 'ghz'], ['hertz', 'hz'],
  ['peta bytes', 'pb'], ['petabytes', 'pb'], ['tera bytes', 'tb'], ['terabytes', 'tb'], ['gigabytes', 'gb'],
  ['gigabyte', 'gb'], ['megabytes', 'mb'], ['megabyte', 'mb'], ['kilobytes', 'kb'], ['kilobyte', 'kb'],
  ['kilobits', 'kb'], ['kilobit', 'kb'], ['megabits', 'mb'],
  ['lumens', 'lm'], ['lumen', 'lm'], ['hectares', 'ha'], ['hectare', 'ha'], ['astronomical units', 'au'],
  ['horsepower', 'hp'], ['kilo calories', 'kcal'], ['kilocalories', 'kcal'], ['gigabits per second', 'gbps'], ['gigabit per second', 'gbps'],
  ['megabits per second', 'mbps'], ['megabit per second', 'mbps'], ['kelvin', 'K'], ['c c', 'cc'], ['percent', '%'], ['degrees celsius', '°C'], ['degrees fahrenheit', '°F'],
];
const UNITS: ReadonlyMap<string, string> = new Map(UNIT_TABLE);
const MAX_UNIT_WORDS = 5;

/** Words that can start something this module rewrites; anything else is copied with no work. */
const TRIGGERS = new Set<string>([
  ...ONES.keys(), ...TEENS.keys(), ...TENS.keys(), ...ORDINAL_WORDS.keys(), ...MONTHS, 'o', 'oh', 'point', 'minus', 'quarter',
  'half', 'the', 'plus', 'double', 'triple', 'mister', 'misses', 'doctor', 'saint', 'http', 'https',
]);

function isLetter(w: string): boolean {
  return w.length === 1 && w >= 'a' && w <= 'z';
}

/** "two hundred", "minus five point two million", "point o five". */
function readAmount(ctx: Ctx, i: number): Amount | null {
  const { low, raw } = ctx;
  let k = i;
  let sign = '';
  if (low[k] === 'minus') {
    sign = '-';
    k++;
  }
  const card = parseCardinalWords(low, k);
  let intText = '';
  if (card !== null) {
    intText = card.value.toString();
    k = card.end;
  } else if (low[k] !== 'point') {
    return null;
  }
  if (low[k] === 'point') {
    const frac = parseDigitWords(low, k + 1, false);
    if (frac !== null && (card === null || card.roundScale === undefined)) {
      let end = frac.end;
      let scale: string | undefined;
      if (DECIMAL_SCALES.has(low[end] ?? '')) {
        scale = raw[end];
        end++;
      }
      return { end, text: `${sign}${intText}.${frac.digits}`, ...(scale !== undefined ? { scale } : {}), single: false, integer: null, cardinal: card };
    }
    if (card === null) return null;
  }
  if (card === null) return null;
  if (card.roundScale !== undefined && card.roundScale.multiplier >= 1_000_000n) {
    return {
      end: card.end,
      text: `${sign}${card.value / card.roundScale.multiplier}`,
      scale: raw[card.roundScale.index]!,
      single: false,
      integer: sign === '-' ? -card.value : card.value,
      cardinal: card,
    };
  }
  const single = card.words === 1 && ONES.has(low[i]!) && sign === '';
  return { end: card.end, text: `${sign}${card.value}`, single, integer: sign === '-' ? -card.value : card.value, cardinal: card };
}

function amountText(a: Amount): string {
  return a.scale === undefined ? a.text : `${a.text} ${a.scale}`;
}

function matchCurrency(low: readonly string[], k: number): { end: number; symbol: string; suffix: boolean; plural: boolean } | null {
  for (const c of CURRENCIES) {
    if (c.words.every((w, j) => low[k + j] === w)) {
      const last = c.words[c.words.length - 1]!;
      return { end: k + c.words.length, symbol: c.symbol, suffix: c.suffix === true, plural: last.endsWith('s') };
    }
  }
  return null;
}

/** Cents after dollars: "and sixty nine cents", "fifty cents", or a bare "sixty three" at the end. */
function readCents(ctx: Ctx, k: number): { end: number; cents: bigint } | null {
  const { low } = ctx;
  let j = k;
  if (low[j] === 'and') j++;
  const c = parseCardinalWords(low, j);
  if (c === null || c.value < 1n || c.value > 99n) return null;
  if (low[c.end] === 'cents' || low[c.end] === 'cent') return { end: c.end + 1, cents: c.value };
  if (j === k && c.end === low.length) return { end: c.end, cents: c.value };
  return null;
}

function matchMoney(ctx: Ctx, i: number): Match | null {
  const { low } = ctx;
  let amount = readAmount(ctx, i);
  if (amount === null) return null;
  // "one fifty five dollars" = 155.
  if (amount.cardinal !== null && amount.cardinal.words === 1 && amount.cardinal.lastKind === 'ones' && amount.scale === undefined) {
    const rest = parseCardinalWords(low, amount.end);
    if (rest !== null && rest.value >= 10n && rest.value <= 99n && matchCurrency(low, rest.end) !== null) {
      const v = amount.cardinal.value * 100n + rest.value;
      amount = { end: rest.end, text: v.toString(), single: false, integer: v, cardinal: rest };
    }
  }
  // "one cent", "fifty cents".
  if ((low[amount.end] === 'cent' || low[amount.end] === 'cents') && amount.integer !== null && amount.integer > 0n && amount.integer < 100n) {
    return { end: amount.end + 1, out: `$0.${amount.integer.toString().padStart(2, '0')}` };
  }
  const cur = matchCurrency(low, amount.end);
  if (cur === null) return null;
  // "one dollars" is not grammatical English: leave it as spoken.
  if (amount.integer === 1n && cur.plural && amount.scale === undefined) return null;
  if (cur.suffix) return { end: cur.end, out: `${amountText(amount)} ${cur.symbol}` };
  if (amount.scale === undefined && amount.integer !== null && cur.symbol === '$') {
    const cents = readCents(ctx, cur.end);
    if (cents !== null) return { end: cents.end, out: `$${amount.text}.${cents.cents.toString().padStart(2, '0')}` };
  }
  return { end: cur.end, out: `${cur.symbol}${amountText(amount)}` };
}

function matchUnit(low: readonly string[], k: number): { end: number; abbr: string } | null {
  for (let n = Math.min(MAX_UNIT_WORDS, low.length - k); n >= 1; n--) {
    const phrase = low.slice(k, k + n).join(' ');
    const abbr = UNITS.get(phrase);
    if (abbr !== undefined) return { end: k + n, abbr };
  }
  return null;
}

function matchMeasure(ctx: Ctx, i: number): Match | null {
  const amount = readAmount(ctx, i);
  if (amount === null) return null;
  const { low } = ctx;
  if (low[amount.end] === 'per') {
    const u = matchUnit(low, amount.end + 1);
    if (u !== null) return { end: u.end, out: `${amountText(amount)} /${u.abbr}` };
  }
  const u = matchUnit(low, amount.end);
  if (u === null) return null;
  if (amount.integer === 1n && u.abbr !== '%' && /s$/.test(low[u.end - 1]!) && low[u.end - 1] !== 'hertz' && low[u.end - 1] !== 'siemens') return null;
  return { end: u.end, out: `${amountText(amount)} ${u.abbr}` };
}

/** An hour word one … twelve. */
function readHour(low: readonly string[], k: number): number | null {
  const w = low[k];
  if (w === undefined) return null;
  const v = ONES.get(w) ?? TEENS.get(w);
  if (v === undefined || v < 1 || v > 12) return null;
  return v;
}

/** "a m", "p m", "am", "pm", "a.m." → the written suffix keeping case. */
function readMeridiem(ctx: Ctx, k: number): { end: number; out: string } | null {
  const { low, raw } = ctx;
  const w = low[k];
  if (w === undefined) return null;
  let letter: string | null = null;
  let end = k;
  let upper = false;
  if ((w === 'a' || w === 'p') && low[k + 1] === 'm') {
    letter = w;
    upper = raw[k] === raw[k]!.toUpperCase() && raw[k + 1] === 'M';
    end = k + 2;
  } else if (w === 'am' || w === 'pm' || w === 'a.m.' || w === 'p.m.') {
    letter = w[0]!;
    upper = raw[k] === raw[k]!.toUpperCase();
    end = k + 1;
  }
  if (letter === null) return null;
  let out = upper ? `${letter.toUpperCase()}.M.` : `${letter}.m.`;
  const tz = readTimeZone(ctx, end);
  if (tz !== null) {
    out += ` ${tz.out}`;
    end = tz.end;
  }
  return { end, out };
}

function readTimeZone(ctx: Ctx, k: number): { end: number; out: string } | null {
  const { low, raw } = ctx;
  for (const n of [3, 1]) {
    const parts = low.slice(k, k + n);
    if (parts.length !== n) continue;
    const word = n === 1 ? parts[0]! : parts.every(isLetter) ? parts.join('') : '';
    if (!TIME_ZONES.has(word)) continue;
    const upper = raw.slice(k, k + n).join('') === raw.slice(k, k + n).join('').toUpperCase();
    return { end: k + n, out: upper ? word.toUpperCase() : word };
  }
  return null;
}

function clock(h: number, m: number): string {
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

function withMeridiem(ctx: Ctx, end: number, time: string): Match {
  const mer = readMeridiem(ctx, end);
  if (mer !== null) return { end: mer.end, out: `${time} ${mer.out}` };
  const tz = readTimeZone(ctx, end);
  if (tz !== null) return { end: tz.end, out: `${time} ${tz.out}` };
  return { end, out: time };
}

/** Minutes after an hour: "thirty", "fifty one", "o six". */
function readMinutes(low: readonly string[], k: number): { end: number; value: number } | null {
  const w = low[k];
  if (w === 'o' || w === 'oh') {
    const d = ONES.get(low[k + 1] ?? '');
    if (d === undefined || d === 0) return null;
    return { end: k + 2, value: d };
  }
  const c = parseCardinalWords(low, k);
  if (c === null || c.words > 2 || c.value < 10n || c.value > 59n) return null;
  return { end: c.end, value: Number(c.value) };
}

function matchTime(ctx: Ctx, i: number): Match | null {
  const { low } = ctx;
  // quarter/half past/to H
  if ((low[i] === 'quarter' || low[i] === 'half') && (low[i + 1] === 'past' || low[i + 1] === 'to' || low[i + 1] === 'till')) {
    const h = readHour(low, i + 2);
    if (h === null) return null;
    const minutes = low[i] === 'quarter' ? 15 : 30;
    if (low[i + 1] === 'past') return withMeridiem(ctx, i + 3, clock(h, minutes));
    if (low[i] === 'half') return null;
    return withMeridiem(ctx, i + 3, clock(h === 1 ? 12 : h - 1, 60 - minutes));
  }
  // M [min] to/past H
  const m = parseCardinalWords(low, i);
  if (m !== null && m.value >= 1n && m.value <= 59n) {
    let k = m.end;
    const hasMinWord = ['min', 'mins', 'minute', 'minutes'].includes(low[k] ?? '');
    if (hasMinWord) k++;
    if (low[k] === 'to' || low[k] === 'till' || low[k] === 'past') {
      const h = readHour(low, k + 1);
      const mer = h === null ? null : readMeridiem(ctx, k + 2);
      if (h !== null && (low[k] === 'past' || hasMinWord || mer !== null)) {
        const minutes = Number(m.value);
        const time = low[k] === 'past' ? clock(h, minutes) : clock(h === 1 ? 12 : h - 1, 60 - minutes);
        return withMeridiem(ctx, k + 2, time);
      }
    }
  }
  const h = readHour(low, i);
  if (h === null) return null;
  if (low[i + 1] === "o'clock" || low[i + 1] === 'oclock') return withMeridiem(ctx, i + 2, clock(h, 0));
  if ((low[i + 1] === "o'" || low[i + 1] === 'o') && low[i + 2] === 'clock') return withMeridiem(ctx, i + 3, clock(h, 0));
  const mins = readMinutes(low, i + 1);
  if (mins !== null) {
    const after = low[mins.end];
    if (after !== undefined && (ONES.has(after) || TEENS.has(after) || TENS.has(after) || SCALES.has(after) || after === 'hundred' || after === 'point')) return null;
    if (matchCurrency(low, mins.end) !== null || matchUnit(low, mins.end) !== null) return null;
    const timed = withMeridiem(ctx, mins.end, clock(h, mins.value));
    // "seven eleven stores", "l g a eleven fifty": without a.m./p.m., only a whole utterance or after a time preposition.
    if (timed.end === mins.end && mins.end < low.length && !/^[!?,.;:]+$/.test(low[mins.end]!) && !TIME_PREPOSITIONS.has(low[i - 1] ?? '')) return null;
    if (timed.end === mins.end && i > 0 && !TIME_PREPOSITIONS.has(low[i - 1] ?? '')) return null;
    return timed;
  }
  const mer = readMeridiem(ctx, i + 1);
  if (mer !== null) return { end: mer.end, out: `${clock(h, 0)} ${mer.out}` };
  return null;
}

/** Ordinal phrase: "twenty first", "one hundredth", "eleventh". */
function readOrdinal(ctx: Ctx, i: number): { end: number; value: bigint; words: number } | null {
  const { low } = ctx;
  const prefix = parseCardinalWords(low, i);
  const k = prefix === null ? i : prefix.end;
  const ord = ORDINAL_WORDS.get(low[k] ?? '');
  if (ord === undefined) return null;
  const ordBig = BigInt(ord);
  if (prefix === null) return { end: k + 1, value: ordBig, words: 1 };
  if (ord >= 100) {
    // "one hundredth", "five thousandth": multiply the group in front.
    if (prefix.lastKind === 'scale') return null;
    return { end: k + 1, value: prefix.value * ordBig, words: prefix.words + 1 };
  }
  const kind = prefix.lastKind;
  const okAfter = ord < 10 ? kind === 'tens' || kind === 'hundred' || kind === 'scale' : ord < 20 || ord % 10 === 0 ? kind === 'hundred' || kind === 'scale' : false;
  if (!okAfter) return null;
  return { end: k + 1, value: prefix.value + ordBig, words: prefix.words + 1 };
}

/** A year: "nineteen seventeen", "twenty twelve", "nineteen oh five", "two thousand eight", "sixteen hundred". */
function readYear(ctx: Ctx, i: number, allowSmallFirst: boolean): { end: number; text: string } | null {
  const { low } = ctx;
  const first = parseCardinalWords(low, i);
  if (first === null) return null;
  if (first.value >= 1000n && first.value <= 2999n && first.words >= 2) return { end: first.end, text: first.value.toString() };
  if (first.words > 2 || first.value < (allowSmallFirst ? 1n : 10n) || first.value > 99n || first.lastKind === 'hundred') return null;
  const w = low[first.end];
  if (w === 'o' || w === 'oh') {
    const d = ONES.get(low[first.end + 1] ?? '');
    if (d === undefined || d === 0) return null;
    return { end: first.end + 2, text: `${first.value}0${d}` };
  }
  if (w === 'hundreds' && first.value >= 10n) return { end: first.end + 1, text: `${first.value}00s` };
  const decade = PLURAL_TENS.get(w ?? '');
  if (decade !== undefined) return { end: first.end + 1, text: `${first.value}${decade}s` };
  const second = parseCardinalWords(low, first.end);
  if (second === null || second.words > 2 || second.value < 10n || second.value > 99n) return null;
  return { end: second.end, text: `${first.value}${second.value}` };
}

function readDay(ctx: Ctx, k: number): { end: number; value: bigint } | null {
  const ord = readOrdinal(ctx, k);
  if (ord !== null && ord.value >= 1n && ord.value <= 31n) return ord;
  const c = parseCardinalWords(ctx.low, k);
  if (c !== null && c.words <= 2 && c.value >= 1n && c.value <= 31n) return { end: c.end, value: c.value };
  return null;
}

function matchDate(ctx: Ctx, i: number): Match | null {
  const { low, raw } = ctx;
  if (MONTHS.has(low[i]!)) {
    const month = raw[i]!;
    // "march sixteen sixty five": a year directly after the month.
    const yearOnly = readYear(ctx, i + 1, true);
    const day = readDay(ctx, i + 1);
    if (day !== null) {
      // Prefer reading a longer year when the "day" is really the first half of a year.
      if (yearOnly !== null && yearOnly.end > day.end && readYear(ctx, day.end, false) === null) return { end: yearOnly.end, out: `${month} ${yearOnly.text}` };
      if (low[i] === 'may' && readOrdinal(ctx, i + 1) === null) return null;
      const year = readYear(ctx, day.end, false) ?? readPlainYear(ctx, day.end);
      if (year !== null) return { end: year.end, out: `${month} ${day.value} ${year.text}` };
      // "june thirty" ends the phrase; "march two miles" is a verb and a measure.
      const after = low[day.end];
      if (readOrdinal(ctx, i + 1) === null && after !== undefined && !PUNCTUATION_ONLY.test(after)) return null;
      return { end: day.end, out: `${month} ${day.value}` };
    }
    if (yearOnly !== null && low[i] !== 'may') return { end: yearOnly.end, out: `${month} ${yearOnly.text}` };
    return null;
  }
  if (low[i] === 'the') {
    const ord = readOrdinal(ctx, i + 1);
    if (ord === null || ord.value < 1n || ord.value > 31n || low[ord.end] !== 'of' || !MONTHS.has(low[ord.end + 1] ?? '')) return null;
    const month = raw[ord.end + 1]!;
    const year = readYear(ctx, ord.end + 2, false);
    if (year !== null) return { end: year.end, out: `${ord.value} ${month} ${year.text}` };
    return { end: ord.end + 2, out: `${ord.value} ${month}` };
  }
  // "second quarter of twenty twenty two" → Q2 2022, "first half of …" → H1 ….
  const part = ORDINAL_WORDS.get(low[i]!);
  if (part !== undefined && (low[i + 1] === 'quarter' || low[i + 1] === 'half') && low[i + 2] === 'of') {
    const max = low[i + 1] === 'quarter' ? 4 : 2;
    const y = readYear(ctx, i + 3, false) ?? readPlainYear(ctx, i + 3);
    if (part >= 1 && part <= max && y !== null) return { end: y.end, out: `${low[i + 1] === 'quarter' ? 'Q' : 'H'}${part} ${y.text}` };
  }
  // Years with an era: "seven fifty b c" → 750BC, "nineteen hundred a d" → 1900AD.
  const eraYear = readYear(ctx, i, true) ?? readPlainYear(ctx, i);
  if (eraYear !== null) {
    const era = readEra(low, eraYear.end);
    if (era !== null) return { end: era.end, out: `${eraYear.text}${era.text}` };
  }
  if (low[i] === 'two' && low[i + 1] === 'thousands') return { end: i + 2, out: '2000s' };
  const year = readYear(ctx, i, false);
  if (year !== null && year.text.length === 4) {
    const c = parseCardinalWords(low, i);
    // A plain cardinal (two thousand eight) is handled as a number; only two-part years here.
    if (c !== null && c.end === year.end) return null;
    return { end: year.end, out: year.text };
  }
  if (year !== null && year.text.endsWith('s')) return { end: year.end, out: year.text };
  return null;
}

/** A year said as a plain cardinal ("two thousand twelve", "seven hundred"). */
function readPlainYear(ctx: Ctx, i: number): { end: number; text: string } | null {
  const c = parseCardinalWords(ctx.low, i);
  if (c === null || c.value < 1n || c.value > 9999n || c.words < 2) return null;
  return { end: c.end, text: c.value.toString() };
}

const ERAS: ReadonlyArray<[string[], string]> = [
  [['b', 'c', 'e'], 'BCE'], [['b', 'c'], 'BC'], [['a', 'd'], 'AD'], [['c', 'e'], 'CE'], [['bc'], 'BC'], [['ad'], 'AD'], [['bce'], 'BCE'],
];

function readEra(low: readonly string[], k: number): { end: number; text: string } | null {
  for (const [words, text] of ERAS) if (words.every((w, j) => low[k + j] === w)) return { end: k + words.length, text };
  return null;
}

/** Digit-by-digit strings: phone numbers ("plus forty four …"), IP addresses, SSNs. Needs three digit words. */
function matchDigits(ctx: Ctx, i: number): Match | null {
  const { low } = ctx;
  let k = i;
  let prefix = '';
  if (low[k] === 'plus') {
    const cc = parseCardinalWords(low, k + 1);
    const ccDigits = parseDigitWords(low, k + 1, true);
    if (cc !== null && cc.value >= 10n && (ccDigits === null || ccDigits.end <= cc.end)) {
      prefix = `+${cc.value} `;
      k = cc.end;
    } else if (ccDigits !== null) {
      const rest = ccDigits.digits.length - 10;
      if (rest < 1) return null;
      const all = ccDigits.digits;
      return { end: ccDigits.end, out: `+${all.slice(0, rest)} ${phone(all.slice(rest))}` };
    } else {
      return null;
    }
  }
  // IP address: four dot-separated parts.
  const ip = readIp(ctx, k);
  if (ip !== null) return { end: ip.end, out: prefix + ip.out };
  const seq = parseDigitWords(low, k, true);
  if (seq === null) return null;
  const realDigits = low.slice(k, seq.end).filter((w) => w !== 'o' && w !== 'oh').length;
  if (seq.digits.length < 3 || realDigits < 2) return null;
  // "eight o six" is a time.
  if (seq.end - k === 3 && (low[k + 1] === 'o' || low[k + 1] === 'oh') && readHour(low, k) !== null) return null;
  return { end: seq.end, out: prefix + phone(seq.digits, low[i - 1] === 'is' && low[i - 2] === 'ssn') };
}

function phone(digits: string, ssn = false): string {
  if (ssn && digits.length === 9) return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
  if (digits.length === 10) return `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`;
  if (digits.length === 11) return `${digits[0]} ${digits.slice(1, 4)}-${digits.slice(4, 7)}-${digits.slice(7)}`;
  return digits;
}

function readIp(ctx: Ctx, k: number): { end: number; out: string } | null {
  const { low } = ctx;
  const parts: string[] = [];
  let j = k;
  for (let p = 0; p < 4; p++) {
    if (p > 0) {
      if (low[j] !== 'dot') return null;
      j++;
    }
    const seq = parseDigitWords(low, j, true);
    const card = parseCardinalWords(low, j);
    if (seq !== null && (card === null || card.end <= seq.end || seq.digits.length > 1)) {
      // "one twenty three": a digit then a cardinal.
      const tail = parseCardinalWords(low, seq.end);
      if (tail !== null && tail.value >= 10n && tail.value < 100n && seq.digits.length === 1) {
        parts.push(`${seq.digits}${tail.value}`);
        j = tail.end;
      } else {
        parts.push(seq.digits);
        j = seq.end;
      }
    } else if (card !== null && card.value < 256n) {
      parts.push(card.value.toString());
      j = card.end;
    } else {
      return null;
    }
  }
  return { end: j, out: parts.join('.') };
}

/** Letters and digits spelled out: "a b nine" → "ab9", "e s three" → "es3". Needs two letters and a digit. */
function matchCode(ctx: Ctx, i: number): Match | null {
  const { low, raw } = ctx;
  let k = i;
  let out = '';
  let letters = 0;
  let digits = 0;
  while (k < low.length) {
    const w = low[k]!;
    if (isLetter(w) && !(w === 'o' && digits > 0 && isDigitAhead(low, k + 1))) {
      out += raw[k];
      letters++;
    } else if (DIGIT_WORDS.has(w) && w !== 'o' && w !== 'oh') {
      out += String(DIGIT_WORDS.get(w));
      digits++;
    } else break;
    k++;
  }
  // Starting with a digit ("five w k r a three one") needs more letters, so "two a m" stays a time.
  const startsWithDigit = !isLetter(low[i]!);
  if (letters < (startsWithDigit ? 3 : 2) || digits < 1) return null;
  return { end: k, out };
}

function isDigitAhead(low: readonly string[], k: number): boolean {
  return DIGIT_WORDS.has(low[k] ?? '');
}

const EMAIL_SEPARATORS: ReadonlyMap<string, string> = new Map([['dot', '.'], ['hyphen', '-'], ['dash', '-'], ['underscore', '_']]);
const RESERVED = new Set(['dot', 'at', 'slash', 'colon', 'hyphen', 'dash', 'underscore']);

/** A domain label: single letters joined, optionally ending in one word ("g mail", "n vidia", "nvidia"). */
function readLabel(ctx: Ctx, k: number): { end: number; text: string; spelled: number } | null {
  const { low, raw } = ctx;
  let j = k;
  let text = '';
  let spelled = 0;
  while (j < low.length && isLetter(low[j]!) && !RESERVED.has(low[j]!)) {
    text += raw[j];
    spelled++;
    j++;
  }
  const w = low[j];
  if (w !== undefined && /^[a-z0-9]+$/.test(w) && !RESERVED.has(w) && w.length > 1) {
    text += raw[j];
    j++;
  }
  return text.length === 0 ? null : { end: j, text, spelled };
}

function readDomain(ctx: Ctx, k: number): { end: number; text: string; labels: string[]; spelled: number } | null {
  const { low } = ctx;
  const first = readLabel(ctx, k);
  if (first === null) return null;
  const labels = [first.text.toLowerCase()];
  let spelled = first.spelled;
  let j = first.end;
  let text = first.text;
  while (low[j] === 'dot' || low[j] === 'slash') {
    const next = readLabel(ctx, j + 1);
    if (next === null) break;
    text += low[j] === 'dot' ? `.${next.text}` : `/${next.text}`;
    if (low[j] === 'dot') labels.push(next.text.toLowerCase());
    spelled += next.spelled;
    j = next.end;
  }
  if (labels.length < 2) return null;
  return { end: j, text, labels, spelled };
}

/** Emails and URLs: "a b c at g mail dot com" → "abc@gmail.com", "h t t p colon slash slash …". */
function matchElectronic(ctx: Ctx, i: number): Match | null {
  const { low, raw } = ctx;
  // URL with a scheme.
  const schemeWords = low[i] === 'http' || low[i] === 'https' ? 1 : 4;
  if (low.slice(i, i + schemeWords).join('') === 'http' || low[i] === 'https') {
    let j = i + schemeWords;
    let scheme = 'http';
    if (low[i] === 'https') scheme = 'https';
    else if (low[j] === 's') {
      scheme += 's';
      j++;
    }
    if (low[j] === 'colon' && low[j + 1] === 'slash' && low[j + 2] === 'slash') {
      const d = readDomain(ctx, j + 3);
      if (d !== null) return { end: d.end, out: `${scheme}://${d.text}` };
    }
  }
  // Username: letters, digits, separators up to "at".
  let j = i;
  let user = '';
  while (j < low.length && low[j] !== 'at') {
    const w = low[j]!;
    const sep = EMAIL_SEPARATORS.get(w);
    if (sep !== undefined && j > i) user += sep;
    else if (isLetter(w)) user += raw[j];
    else if (DIGIT_WORDS.has(w) && w !== 'o' && w !== 'oh') user += String(DIGIT_WORDS.get(w));
    else if (/^[a-z0-9]+$/.test(w) && !RESERVED.has(w) && low[j + 1] === 'at') user += raw[j];
    else break;
    j++;
  }
  if (user.length > 0 && low[j] === 'at') {
    const d = readDomain(ctx, j + 1);
    if (d !== null) return { end: d.end, out: `${user}@${d.text}` };
    return null;
  }
  // Bare domain: www…, or a known top-level domain, or a spelled-out name.
  const d = readDomain(ctx, i);
  if (d !== null && !low.slice(i, d.end).some((w) => SCALES.has(w))) {
    const tld = d.labels[d.labels.length - 1]!;
    if (d.labels[0] === 'www' || TLDS.has(tld) || d.spelled >= 3) return { end: d.end, out: d.labels[0] === 'www' ? d.text.replace(/^www/i, 'www') : d.text };
  }
  return null;
}

/** Numbers, decimals and ordinals outside money, measures, times and dates. */
function matchNumber(ctx: Ctx, i: number): Match | null {
  const ord = readOrdinal(ctx, i);
  const amount = readAmount(ctx, i);
  if (ord !== null && (amount === null || ord.end > amount.end)) {
    if (ord.words === 1 && ord.value < 10n && !ctx.whole) return null;
    return { end: ord.end, out: `${ord.value}${ordinalSuffix(ord.value)}` };
  }
  if (amount === null) return null;
  if (amount.single) return null;
  return { end: amount.end, out: amountText(amount) };
}

function matchWhitelist(ctx: Ctx, i: number): Match | null {
  const w = ctx.low[i];
  if ((w === 'mister' || w === 'misses' || w === 'doctor' || w === 'saint') && i + 1 < ctx.low.length && !DETERMINERS.has(ctx.low[i - 1] ?? '')) {
    const short = TITLES.get(w)!;
    const upper = ctx.raw[i]![0] !== w[0];
    return { end: i + 1, out: upper ? short[0]!.toUpperCase() + short.slice(1) : short };
  }
  return null;
}

const TITLES: ReadonlyMap<string, string> = new Map([['mister', 'mr.'], ['misses', 'mrs.'], ['doctor', 'dr.'], ['saint', 'st.']]);
/** "the doctor", "a saint": a common noun, not a title before a name. */
const DETERMINERS = new Set(['the', 'a', 'an', 'my', 'your', 'his', 'her', 'our', 'their', 'this', 'that', 'every', 'no', 'good']);

const PUNCTUATION_ONLY = /^[!?,.;:)\]"'”’]+$/;
const TRAILING_PUNCT = /^(.*?)([!?,.;:)\]"'”’]+)$/;
const LEADING_PUNCT = /^([(\["'“‘]+)(.+)$/;

interface Tokens {
  raw: string[];
  /** glued[i]: no space before token i in the input (punctuation split off a word). */
  glued: boolean[];
}

/**
 * Whitespace tokens, with punctuation split off so "dollars." and "(five" can be read. A core that
 * itself holds a dot (a.m., U.S., www.a) keeps its trailing dot.
 */
function tokenize(text: string): Tokens {
  const raw: string[] = [];
  const glued: boolean[] = [];
  for (const t of text.split(/\s+/)) {
    if (t.length === 0) continue;
    let word = t;
    let first = true;
    const lead = LEADING_PUNCT.exec(word);
    if (lead !== null && /[A-Za-z0-9]/.test(lead[2]!)) {
      raw.push(lead[1]!);
      glued.push(false);
      word = lead[2]!;
      first = false;
    }
    const trail = TRAILING_PUNCT.exec(word);
    if (trail !== null && trail[1]!.length > 0) {
      let core = trail[1]!;
      let punct = trail[2]!;
      // a.m., U.S.: dots right after a dotted core belong to it.
      if (core.includes('.')) {
        const dots = /^\.*/.exec(punct)![0];
        core += dots;
        punct = punct.slice(dots.length);
      }
      // o' (o' clock) keeps its apostrophe.
      if (punct.length > 0 && !(punct === "'" && core.length === 1)) {
        raw.push(core, punct);
        glued.push(!first, true);
        continue;
      }
    }
    raw.push(word);
    glued.push(!first);
  }
  return { raw, glued };
}

/** English ITN of one sentence or paragraph. Pure; text with nothing to rewrite comes back unchanged. */
export function inverseNormalizeEn(text: string): string {
  return normalizeEnSpan(text, true);
}

/**
 * English ITN of a span. `wholeUtterance`: the span is all that was said, so a lone ordinal in it
 * is written in digits ("first" → 1st); false for pieces of mixed-language text.
 */
export function normalizeEnSpan(text: string, wholeUtterance: boolean): string {
  const { raw, glued } = tokenize(text);
  if (raw.length === 0) return text;
  const low = raw.map((t) => t.toLowerCase());
  let hasTrigger = false;
  for (const w of low) {
    if (TRIGGERS.has(w) || RESERVED.has(w)) {
      hasTrigger = true;
      break;
    }
  }
  if (!hasTrigger) return text;
  const ctx: Ctx = { raw, low, whole: false };
  let out = '';
  let changed = false;
  let i = 0;
  while (i < raw.length) {
    let m: Match | null = null;
    const w = low[i]!;
    if (TRIGGERS.has(w) || isLetter(w) || /^[a-z0-9]+$/.test(w)) {
      m = matchElectronic(ctx, i) ?? matchWhitelist(ctx, i);
      if (m === null && TRIGGERS.has(w)) {
        m = matchDigits(ctx, i) ?? matchTime(ctx, i) ?? matchDate(ctx, i) ?? matchMoney(ctx, i) ?? matchMeasure(ctx, i) ?? matchCode(ctx, i) ?? matchNumber(ctx, i);
        if (m === null && i === 0 && wholeUtterance) {
          // A lone ordinal said as the whole utterance ("first") is written 1st.
          const whole = matchNumber({ raw, low, whole: true }, i);
          if (whole !== null && raw.slice(whole.end).every((t) => PUNCTUATION_ONLY.test(t))) m = whole;
        }
      }
      if (m === null && (isLetter(w) || ONES.has(w))) m = matchCode(ctx, i);
    }
    const piece = m !== null && m.end > i ? m.out : raw[i]!;
    out += (out.length === 0 || glued[i] ? '' : ' ') + piece;
    if (m !== null && m.end > i) {
      i = m.end;
      changed = true;
    } else {
      i++;
    }
  }
  return changed ? out : text;
}
