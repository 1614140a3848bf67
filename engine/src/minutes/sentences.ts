import type { MinutesSegment, Sentence } from './types.ts';

/**
 * Sentence ends: Chinese full stops/question/exclamation marks end a sentence wherever they are; Latin ones only
 * before whitespace or the end (so "3.5", "e.g." inside a word and "v1.2" stay whole).
 */
const SENTENCE_END = /[。！？!?；;]+[”"’』」)）]*|\.+[”"’)]*(?=\s|$)|…+/gu;

/** Abbreviations whose trailing period does not end an English sentence. */
const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'prof', 'vs', 'etc', 'e.g', 'i.e', 'approx', 'no', 'st', 'jr', 'sr']);

/** Splits one segment's text into sentences, keeping each end mark with its sentence. */
export function splitSentenceTexts(text: string): string[] {
  const parts: string[] = [];
  let last = 0;
  for (const m of text.matchAll(SENTENCE_END)) {
    const endIndex = m.index + m[0].length;
    if (m[0].startsWith('.')) {
      const word = /([A-Za-z.]+)$/.exec(text.slice(last, m.index))?.[1]?.toLowerCase();
      if (word !== undefined && ABBREVIATIONS.has(word)) continue;
    }
    parts.push(text.slice(last, endIndex));
    last = endIndex;
  }
  parts.push(text.slice(last));
  return parts.map((p) => p.trim()).filter((p) => /[\p{L}\p{N}]/u.test(p));
}

const HAN_PAIR_SPACE = /(\p{Script=Han})\s+(?=\p{Script=Han})/gu;

/**
 * Joins Han characters that character-level ASR separates with spaces ("一 律 带 中 继 台" → "一律带中继台") when
 * the sentence is written that way throughout (at least 4 Han tokens, ≥ 80 % of them one character); word-spaced
 * ASR ("工位 的 问题") keeps its spaces, which mark pauses.
 */
export function joinSpacedCharacters(text: string): string {
  const hanTokens = text.split(/\s+/u).filter((t) => /\p{Script=Han}/u.test(t));
  if (hanTokens.length < 4) return text;
  const single = hanTokens.filter((t) => /^\p{Script=Han}$/u.test(t)).length;
  return single / hanTokens.length >= 0.8 ? text.replace(HAN_PAIR_SPACE, '$1') : text;
}

/**
 * Joins word-spaced ASR ("行 那 就 这么 定 了", Han words of 1–2 characters between spaces) into written Chinese, for
 * reading outcomes (round 20). Unpunctuated ASR that spaces clauses ("行 那就改成异步 这周五之前能出来吗") keeps its
 * spaces: they end clauses.
 */
export function joinWordSpacedHan(text: string): string {
  const hanTokens = text.split(/\s+/u).filter((t) => /^\p{Script=Han}+$/u.test(t));
  if (hanTokens.length < 4) return text;
  const meanLength = hanTokens.reduce((sum, t) => sum + t.length, 0) / hanTokens.length;
  return meanLength <= 2.5 ? text.replace(HAN_PAIR_SPACE, '$1') : text;
}

/**
 * The meeting's sentences: each segment split at punctuation; a segment boundary always ends a sentence
 * (VAD cuts at pauses); character-spaced ASR joined (`joinSpacedCharacters`). Sentence times are interpolated
 * within the segment by character position, since segments carry no per-sentence timing.
 */
export function splitSentences(segments: readonly MinutesSegment[]): Sentence[] {
  const sentences: Sentence[] = [];
  segments.forEach((segment, segmentIndex) => {
    const texts = splitSentenceTexts(segment.text);
    const total = texts.reduce((sum, t) => sum + t.length, 0);
    const span = Math.max(0, segment.end - segment.start);
    let offset = 0;
    for (const raw of texts) {
      const text = joinSpacedCharacters(raw);
      const start = segment.start + (total > 0 ? (span * offset) / total : 0);
      offset += raw.length;
      const end = segment.start + (total > 0 ? (span * offset) / total : span);
      sentences.push({
        index: sentences.length,
        text,
        start: Math.round(start * 1000) / 1000,
        end: Math.round(end * 1000) / 1000,
        speaker: segment.speaker ?? null,
        segmentIndex,
      });
    }
  });
  return sentences;
}
