import { inverseNormalize, type ItnLanguage } from './itn/index.ts';
import { normalizePunctuationWidth } from './punctuation.ts';

export interface SegmentTextOptions {
  /** Apply Tingxie's rule-based ITN on top of whatever the model did. */
  itn: boolean;
  /** The segment's language (detected or requested); picks the ITN rules. */
  language: string | null;
}

/**
 * The text layer between decoding and output, for one segment: punctuation width per script, then
 * (when on) inverse text normalization with the rules of the segment's language.
 * @returns the written form; the caller keeps the model's raw text alongside it
 */
export function finalizeSegmentText(raw: string, opts: SegmentTextOptions): string {
  const text = normalizePunctuationWidth(raw.trim());
  if (!opts.itn) return text;
  const language: ItnLanguage = opts.language === 'zh' || opts.language === 'yue' ? 'zh' : opts.language === 'en' ? 'en' : 'auto';
  return inverseNormalize(text, { language });
}
