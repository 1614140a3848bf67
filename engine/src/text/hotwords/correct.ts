/**
 * Text post-correction with a hotword list: explicit replacements (`错=>对`) and Chinese homophone
 * correction, which replaces a recognised span by a hotword when their pinyin matches closely
 * (陈鹭 → 陈露, 科大迅飞 → 科大讯飞). Pinyin comes from pinyin-pro.
 *
 * Similarity of a span and a hotword of the same length n (Han characters only) is the mean over
 * characters of a syllable score, the best over each character's readings (polyphones):
 *   1     same syllable and tone
 *   0.75  same syllable, other tone; or a near-homophone (z/zh, c/ch, s/sh, n/l, f/h, r/l;
 *         an/ang, en/eng, in/ing, ian/iang, uan/uang) with the same tone
 *   0.5   a near-homophone with another tone
 *   0     otherwise
 * A span is replaced when the similarity is ≥ threshold (default 0.9) AND at least half of its
 * characters are already the hotword's (minSharedRatio), and it is neither the hotword itself nor
 * another listed hotword. Only hotwords of ≥ 2 Han characters are fuzzy targets. With the defaults a
 * 2-character hotword needs an exact homophone for its one differing character, so common words such
 * as 平常 are not turned into 平昌 (píngcháng vs píngchāng: tones differ).
 */
import { pinyin } from 'pinyin-pro';
import type { HotwordList } from './list.ts';

export interface TextReplacement {
  from: string;
  to: string;
  /** UTF-16 index of `from` in the input text. */
  start: number;
}

export interface CorrectHomophonesOptions {
  /** Minimum mean syllable similarity, 0..1 (default 0.9). */
  threshold?: number;
  /** Minimum share of span characters identical to the hotword's (default 0.5). */
  minSharedRatio?: number;
  /** Fuzzy (pinyin) matching on (default true); explicit replacements always apply. */
  fuzzy?: boolean;
}

export const DEFAULT_HOMOPHONE_THRESHOLD = 0.9;

const HAN = /^\p{Script=Han}$/u;
const INITIALS = ['zh', 'ch', 'sh', 'b', 'p', 'm', 'f', 'd', 't', 'n', 'l', 'g', 'k', 'h', 'j', 'q', 'x', 'r', 'z', 'c', 's', 'y', 'w'];
const NEAR_INITIALS = new Set(['z|zh', 'c|ch', 's|sh', 'n|l', 'f|h', 'r|l']);
const NEAR_FINALS = new Set(['an|ang', 'en|eng', 'in|ing', 'ian|iang', 'uan|uang']);

interface Syllable {
  initial: string;
  final: string;
  tone: string;
}

function splitSyllable(numbered: string): Syllable {
  const match = /^([a-zü:v]+?)([0-5]?)$/.exec(numbered.toLowerCase());
  const body = match ? match[1]! : numbered;
  const tone = match ? match[2]! : '';
  const initial = INITIALS.find((i) => body.startsWith(i) && body.length > i.length) ?? '';
  return { initial, final: body.slice(initial.length), tone };
}

const near = (set: Set<string>, a: string, b: string): boolean => a === b || set.has(`${a}|${b}`) || set.has(`${b}|${a}`);

function syllableScore(a: Syllable, b: Syllable): number {
  const sameTone = a.tone === b.tone;
  if (a.initial === b.initial && a.final === b.final) return sameTone ? 1 : 0.75;
  if (near(NEAR_INITIALS, a.initial, b.initial) && near(NEAR_FINALS, a.final, b.final)) return sameTone ? 0.75 : 0.5;
  return 0;
}

/** Readings of single Han characters, cached for one correction call. */
class PinyinReadings {
  readonly #cache = new Map<string, Syllable[]>();

  of(character: string): Syllable[] {
    let readings = this.#cache.get(character);
    if (readings === undefined) {
      const all = pinyin(character, { multiple: true, type: 'array', toneType: 'num' });
      readings = (all.length > 0 ? all : [character]).map(splitSyllable);
      this.#cache.set(character, readings);
    }
    return readings;
  }

  characterScore(a: string, b: string): number {
    if (a === b) return 1;
    let best = 0;
    for (const ra of this.of(a)) for (const rb of this.of(b)) best = Math.max(best, syllableScore(ra, rb));
    return best;
  }
}

/** Pinyin similarity (0..1) of two equal-length Han strings; 0 for different lengths. */
export function pinyinSimilarity(a: string, b: string): number {
  const ca = [...a];
  const cb = [...b];
  if (ca.length !== cb.length || ca.length === 0) return 0;
  const readings = new PinyinReadings();
  return ca.reduce((sum, c, i) => sum + readings.characterScore(c, cb[i]!), 0) / ca.length;
}

/**
 * Applies a hotword list to recognised text, left to right without overlaps: at each position an
 * explicit replacement (longest `from`) wins; otherwise the most similar fuzzy hotword span.
 */
export function correctHomophones(text: string, hotwords: HotwordList, opts: CorrectHomophonesOptions = {}): { text: string; replacements: TextReplacement[] } {
  const threshold = opts.threshold ?? DEFAULT_HOMOPHONE_THRESHOLD;
  const minSharedRatio = opts.minSharedRatio ?? 0.5;
  const explicit = [...hotwords.replacements].sort((a, b) => b.from.length - a.from.length);
  const listed = new Set(hotwords.hotwords.map((h) => h.phrase));
  const exactPhrases = [...listed].sort((a, b) => b.length - a.length);
  const targets =
    opts.fuzzy === false
      ? []
      : hotwords.hotwords.map((h) => [...h.phrase]).filter((chars) => chars.length >= 2 && chars.every((c) => HAN.test(c)));
  const readings = new PinyinReadings();
  const chars = [...text];
  // UTF-16 offset of each character, for `start`.
  const offsets: number[] = [];
  let offset = 0;
  for (const c of chars) {
    offsets.push(offset);
    offset += c.length;
  }

  const out: string[] = [];
  const replacements: TextReplacement[] = [];
  let i = 0;
  while (i < chars.length) {
    const rest = text.slice(offsets[i]);
    const rule = explicit.find((r) => rest.startsWith(r.from));
    if (rule) {
      replacements.push({ from: rule.from, to: rule.to, start: offsets[i]! });
      out.push(rule.to);
      i += [...rule.from].length;
      continue;
    }
    // A hotword already spelled right is kept whole, so no overlapping span rewrites part of it.
    const exact = exactPhrases.find((p) => rest.startsWith(p));
    if (exact) {
      out.push(exact);
      i += [...exact].length;
      continue;
    }
    let best: { to: string; length: number; similarity: number } | null = null;
    for (const target of targets) {
      const n = target.length;
      if (i + n > chars.length) continue;
      const span = chars.slice(i, i + n);
      const spanText = span.join('');
      if (listed.has(spanText) || !span.every((c) => HAN.test(c))) continue;
      let shared = 0;
      let total = 0;
      for (let k = 0; k < n; k++) {
        if (span[k] === target[k]) shared += 1;
        total += readings.characterScore(span[k]!, target[k]!);
      }
      const similarity = total / n;
      if (shared / n < minSharedRatio || similarity < threshold) continue;
      if (!best || similarity > best.similarity || (similarity === best.similarity && n > best.length)) {
        best = { to: target.join(''), length: n, similarity };
      }
    }
    if (best) {
      replacements.push({ from: chars.slice(i, i + best.length).join(''), to: best.to, start: offsets[i]! });
      out.push(best.to);
      i += best.length;
      continue;
    }
    out.push(chars[i]!);
    i += 1;
  }
  return { text: out.join(''), replacements };
}

/**
 * Rewrites decoded token texts for length-preserving replacements (`start` indexes the text that is
 * `tokens.join('')` without its first `textOffset` characters). Returns null when some replacement
 * changes the length or does not line up with the tokens; the caller then keeps the tokens as decoded.
 */
export function applyReplacementsToTokens(tokens: readonly string[], replacements: readonly TextReplacement[], textOffset: number): string[] | null {
  if (replacements.length === 0) return [...tokens];
  const joined = tokens.join('');
  const units = [...joined];
  if (units.length !== joined.length) return null; // astral characters: offsets are not per character
  for (const r of replacements) {
    if (r.from.length !== r.to.length || joined.slice(textOffset + r.start, textOffset + r.start + r.from.length) !== r.from) return null;
    for (let k = 0; k < r.to.length; k++) units[textOffset + r.start + k] = r.to[k]!;
  }
  const out: string[] = [];
  let at = 0;
  for (const token of tokens) {
    out.push(units.slice(at, at + token.length).join(''));
    at += token.length;
  }
  return out;
}
