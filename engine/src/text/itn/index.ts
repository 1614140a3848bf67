/**
 * Inverse text normalization (spoken → written form) for Chinese and English transcripts.
 * Rule-based, deterministic, synchronous, no model. House style: ./STYLE.md.
 */
import { inverseNormalizeEn, normalizeEnSpan } from './en/index.ts';
import { inverseNormalizeZh, normalizeZhSpan } from './zh/index.ts';

export { inverseNormalizeEn } from './en/index.ts';
export { inverseNormalizeZh } from './zh/index.ts';

export type ItnLanguage = 'zh' | 'en' | 'auto';

export interface ItnOptions {
  /** 'auto': Chinese rules for spans with Han characters, English rules for Latin-script spans between them. */
  language: ItnLanguage;
}

const HAN = /\p{Script=Han}/u;
/** A stretch of text without Han characters that contains at least one Latin letter (source only: a /g regex carries state). */
const LATIN_SPAN_SOURCE = '[^\\p{Script=Han}]*[A-Za-z][^\\p{Script=Han}]*';

/** Written form of a spoken-form transcript. Pure: the same input always gives the same output. */
export function inverseNormalize(text: string, opts: ItnOptions): string {
  switch (opts.language) {
    case 'zh':
      return inverseNormalizeZh(text);
    case 'en':
      return inverseNormalizeEn(text);
    case 'auto':
      return inverseNormalizeAuto(text);
  }
}

/** Mixed text: English rules on each Latin span (kept with its surrounding spaces), Chinese rules on the rest. */
function inverseNormalizeAuto(text: string): string {
  if (!HAN.test(text)) return inverseNormalizeEn(text);
  let out = '';
  let last = 0;
  for (const m of text.matchAll(new RegExp(LATIN_SPAN_SOURCE, 'gu'))) {
    const start = m.index;
    out += normalizeZhSpan(text.slice(last, start), false);
    const span = m[0];
    const lead = /^\s*/.exec(span)![0];
    const trail = /\s*$/.exec(span)![0];
    const core = span.slice(lead.length, span.length - trail.length);
    out += lead + normalizeEnSpan(core, false) + trail;
    last = start + span.length;
  }
  out += normalizeZhSpan(text.slice(last), last === 0);
  return out;
}
