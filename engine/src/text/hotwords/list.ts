/**
 * Hotword lists: parsing (FunASR-style lines and JSON), validation and merging.
 *
 * Lines form (one entry per line, UTF-8):
 *   陈露               a hotword (biased during decoding, and a target of homophone correction)
 *   科大讯飞 20        a hotword with a weight (FunASR's `词 权重`; a trailing number is the weight)
 *   HELLO WORLD :2.5   a weight in sherpa-onnx's `:score` form
 *   撒贝你=>撒贝宁      an explicit replacement (FunASR's spec form), applied to the text only
 *   # comment          ignored, as are blank lines
 * JSON form: an array of strings, `{ "phrase": "…", "weight": 2 }` or `{ "from": "…", "to": "…" }`; or an
 * object mapping a phrase to a weight (number) or to a replacement (string; a phrase mapped to itself is
 * a plain hotword, as in FunASR's dict input).
 *
 * A weight is the per-token log-domain boost during decoding (sherpa-onnx's hotword score); it is
 * clamped to MAX_HOTWORD_WEIGHT when used, so FunASR lists with weights like 20 still work without
 * letting a hotword overrule the acoustics.
 */
import { ErrorCodes, TingxieError } from '../../errors.ts';

export interface Hotword {
  phrase: string;
  /** Per-token boost; null → the decoder's default (hotword score). */
  weight: number | null;
}

export interface HotwordReplacement {
  from: string;
  to: string;
}

export interface HotwordList {
  hotwords: Hotword[];
  replacements: HotwordReplacement[];
}

export type HotwordFormat = 'lines' | 'json';

/** Largest per-token boost used in decoding (weights above are clamped). */
export const MAX_HOTWORD_WEIGHT = 5;
/** Longest accepted phrase, in characters. */
export const MAX_HOTWORD_LENGTH = 64;

export function emptyHotwordList(): HotwordList {
  return { hotwords: [], replacements: [] };
}

function invalid(message: string, where: string, detail: Record<string, unknown>): TingxieError {
  return new TingxieError(ErrorCodes.CONFIG_INVALID, `hotwords ${where}: ${message}`, { field: 'hotwords', ...detail });
}

function checkPhrase(phrase: string, where: string, detail: Record<string, unknown>): string {
  const normalized = phrase.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (normalized === '') throw invalid('empty phrase', where, detail);
  if ([...normalized].length > MAX_HOTWORD_LENGTH) throw invalid(`phrase longer than ${MAX_HOTWORD_LENGTH} characters`, where, detail);
  if (/[\u0000-\u001f\u007f]/.test(normalized)) throw invalid('phrase contains control characters', where, detail);
  return normalized;
}

function checkWeight(weight: number, where: string, detail: Record<string, unknown>): number {
  if (!Number.isFinite(weight) || weight <= 0) throw invalid(`weight must be a positive number, got ${weight}`, where, detail);
  return weight;
}

/** Adds an entry, later duplicates replacing earlier ones (so a list reads like settings). */
function addHotword(list: HotwordList, entry: Hotword): void {
  const at = list.hotwords.findIndex((h) => h.phrase === entry.phrase);
  if (at >= 0) list.hotwords[at] = entry;
  else list.hotwords.push(entry);
}

function addReplacement(list: HotwordList, entry: HotwordReplacement, where: string, detail: Record<string, unknown>): void {
  if (entry.from === entry.to) {
    addHotword(list, { phrase: entry.to, weight: null });
    return;
  }
  if (list.hotwords.some((h) => h.phrase === entry.from)) throw invalid(`"${entry.from}" is both a hotword and replaced`, where, detail);
  const at = list.replacements.findIndex((r) => r.from === entry.from);
  if (at >= 0) list.replacements[at] = entry;
  else list.replacements.push(entry);
}

function parseLines(text: string): HotwordList {
  const list = emptyHotwordList();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `line ${index + 1}`;
    const detail = { line: index + 1 };
    const arrow = line.indexOf('=>');
    if (arrow >= 0) {
      const from = checkPhrase(line.slice(0, arrow), where, detail);
      const to = checkPhrase(line.slice(arrow + 2), where, detail);
      if (to.includes('=>')) throw invalid('more than one "=>"', where, detail);
      addReplacement(list, { from, to }, where, detail);
      return;
    }
    // `phrase :2.5` (sherpa-onnx) or `phrase 20` (FunASR): a trailing number is the weight.
    const weighted = /^(.*?)\s+:?\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/.exec(line) ?? /^(.*?)\s*:\s*([+-]?[\d.]+(?:[eE][+-]?\d+)?)$/.exec(line);
    if (weighted && weighted[1]!.trim() !== '') {
      const weight = Number(weighted[2]);
      if (Number.isNaN(weight)) throw invalid(`weight "${weighted[2]}" is not a number`, where, detail);
      addHotword(list, { phrase: checkPhrase(weighted[1]!, where, detail), weight: checkWeight(weight, where, detail) });
      return;
    }
    addHotword(list, { phrase: checkPhrase(line, where, detail), weight: null });
  });
  return list;
}

function parseJson(text: string): HotwordList {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `hotwords: invalid JSON: ${(error as Error).message}`, { field: 'hotwords' }, { cause: error });
  }
  const list = emptyHotwordList();
  if (Array.isArray(value)) {
    value.forEach((item: unknown, index) => {
      const where = `entry ${index}`;
      const detail = { entry: index };
      if (typeof item === 'string') {
        addHotword(list, { phrase: checkPhrase(item, where, detail), weight: null });
      } else if (item !== null && typeof item === 'object') {
        const record = item as Record<string, unknown>;
        if (typeof record.phrase === 'string') {
          const weight = record.weight;
          if (weight !== undefined && weight !== null && typeof weight !== 'number') throw invalid('weight must be a number', where, detail);
          addHotword(list, { phrase: checkPhrase(record.phrase, where, detail), weight: typeof weight === 'number' ? checkWeight(weight, where, detail) : null });
        } else if (typeof record.from === 'string' && typeof record.to === 'string') {
          addReplacement(list, { from: checkPhrase(record.from, where, detail), to: checkPhrase(record.to, where, detail) }, where, detail);
        } else {
          throw invalid('expected a string, {"phrase", "weight"} or {"from", "to"}', where, detail);
        }
      } else {
        throw invalid('expected a string, {"phrase", "weight"} or {"from", "to"}', where, detail);
      }
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, target] of Object.entries(value as Record<string, unknown>)) {
      const where = `key ${JSON.stringify(key)}`;
      const detail = { key };
      const phrase = checkPhrase(key, where, detail);
      if (typeof target === 'number') addHotword(list, { phrase, weight: checkWeight(target, where, detail) });
      else if (target === null) addHotword(list, { phrase, weight: null });
      else if (typeof target === 'string') addReplacement(list, { from: phrase, to: checkPhrase(target, where, detail) }, where, detail);
      else throw invalid('value must be a weight (number) or a replacement (string)', where, detail);
    }
  } else {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, 'hotwords: JSON must be an array or an object', { field: 'hotwords' });
  }
  return list;
}

/**
 * Parses a hotword list. Without a format, text starting with `[` or `{` is JSON, anything else lines.
 * @throws TingxieError CONFIG_INVALID naming the bad line (lines) or entry/key (JSON).
 */
export function parseHotwords(text: string, format?: HotwordFormat): HotwordList {
  const chosen = format ?? (/^\s*[[{]/.test(text.replace(/^\uFEFF/, '')) ? 'json' : 'lines');
  return chosen === 'json' ? parseJson(text.replace(/^\uFEFF/, '')) : parseLines(text);
}

/**
 * Merges a global (saved) list with a per-request one: the request's entries win for the same phrase
 * (weight) or the same `from` (replacement); order is global entries first, then the request's new ones.
 * A phrase the request lists as a hotword drops a global replacement of that phrase, and vice versa.
 */
export function mergeHotwordLists(global: HotwordList, request: HotwordList): HotwordList {
  const requestHotwords = new Set(request.hotwords.map((h) => h.phrase));
  const requestFroms = new Set(request.replacements.map((r) => r.from));
  const merged: HotwordList = {
    hotwords: global.hotwords.filter((h) => !requestFroms.has(h.phrase)).map((h) => ({ ...h })),
    replacements: global.replacements.filter((r) => !requestHotwords.has(r.from)).map((r) => ({ ...r })),
  };
  for (const h of request.hotwords) addHotword(merged, { ...h });
  for (const r of request.replacements) {
    const at = merged.replacements.findIndex((m) => m.from === r.from);
    if (at >= 0) merged.replacements[at] = { ...r };
    else merged.replacements.push({ ...r });
  }
  return merged;
}

/** The weight used in decoding: the given weight or the default, clamped to (0, MAX_HOTWORD_WEIGHT]. */
export function effectiveWeight(hotword: Hotword, defaultWeight: number): number {
  return Math.min(hotword.weight ?? defaultWeight, MAX_HOTWORD_WEIGHT);
}
