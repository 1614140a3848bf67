/**
 * Meeting minutes from a timed transcript: `buildMinutes` (structured) and `renderMinutesMarkdown` (document).
 * Everything but the optional LLM summary is deterministic and local.
 */
import { ErrorCodes, TingxieError, toTingxieError } from '../errors.ts';
import { loadBundledScorers } from './outcome-scorer.ts';
import { extractActionsAndDecisions } from './extract.ts';
import { isIsoDate } from './input.ts';
import { chatCompletionsUrl, llmSummary } from './llm.ts';
import { splitSentences } from './sentences.ts';
import { extractiveSummary } from './summary.ts';
import { scriptCounts } from './terms.ts';
import { segmentTopics } from './topics.ts';
import type { Minutes, MinutesInput, MinutesLanguage, MinutesOptions, SummaryPoint } from './types.ts';

export type * from './types.ts';
export { findDueDate, resolveDueExpression } from './dates.ts';
export { extractActionsAndDecisions, classifySentence, findOwner, resolveParticipant } from './extract.ts';
export { loadBundledScorers, loadSentenceScorer, sentenceProbability, BUNDLED_SCORER_FILES } from './outcome-scorer.ts';
export type { OutcomeKind, OutcomeScorers, SentenceScorer } from './outcome-scorer.ts';
export { parseMinutesInput, minutesInputFromTranscription, isIsoDate } from './input.ts';
export { chatCompletionsUrl } from './llm.ts';
export { renderMinutesMarkdown, clock } from './render.ts';
export { joinSpacedCharacters, splitSentences, splitSentenceTexts } from './sentences.ts';
export { extractiveSummary, lexRank } from './summary.ts';
export { segmentTopics, topicBoundaries } from './topics.ts';

/** 'zh' when Han characters clearly dominate, 'en' when Latin letters do (a Han character ≈ 3 letters), else 'mixed'. */
export function detectMeetingLanguage(text: string): MinutesLanguage {
  const { han, latin } = scriptCounts(text);
  const hanWeight = han * 3;
  if (hanWeight + latin === 0) return 'en';
  const share = hanWeight / (hanWeight + latin);
  return share >= 0.85 ? 'zh' : share <= 0.15 ? 'en' : 'mixed';
}

function defaultTitle(input: MinutesInput, language: MinutesLanguage, date: string | null): string {
  const base = input.file ? input.file.replace(/^.*[\\/]/, '').replace(/\.[^.]+$/, '') : null;
  if (language === 'en') return base ? `Meeting minutes: ${base}` : date ? `Meeting minutes ${date}` : 'Meeting minutes';
  return base ? `会议纪要：${base}` : date ? `会议纪要 ${date}` : '会议纪要';
}

/**
 * Builds minutes: sentences → action items and decisions (with owners and resolved due dates) → topics →
 * summary. With `opts.llm` the summary is asked from that endpoint; on any failure the extractive summary is
 * kept and a warning says why. Throws VALIDATION_FAILED for a bad date, CONFIG_INVALID for a non-loopback
 * LLM URL that was not allowed.
 */
export async function buildMinutes(input: MinutesInput, opts: MinutesOptions = {}): Promise<Minutes> {
  const date = opts.date ?? input.date ?? null;
  if (date !== null && !isIsoDate(date)) throw new TingxieError(ErrorCodes.VALIDATION_FAILED, `Meeting date must be YYYY-MM-DD, got "${date}".`, { field: 'date' });
  // A remote URL that was not allowed fails before any work, not after.
  if (opts.llm) chatCompletionsUrl(opts.llm);
  const warnings: string[] = [];
  const segments = [...input.segments].sort((a, b) => a.start - b.start);
  const sentences = splitSentences(segments);
  const detected = detectMeetingLanguage(sentences.map((s) => s.text).join(''));
  const language: MinutesLanguage = opts.language === 'zh' || opts.language === 'en' ? opts.language : detected;
  if (date === null) warnings.push('No meeting date given: relative due dates (明天, next Friday, ...) are left unresolved.');

  const scorers = opts.scorers === undefined ? loadBundledScorers() : opts.scorers;
  const { actionItems, decisions } = extractActionsAndDecisions(sentences, { meetingDate: date, scorers });
  const topics = segmentTopics(sentences);
  const outcomeSentences = new Set([...actionItems, ...decisions].map((x) => x.sentenceIndex));
  let summary: SummaryPoint[] = extractiveSummary(sentences, { outcomeSentences });
  let summaryBy: Minutes['generatedBy']['summary'] = 'extractive';

  if (opts.llm) {
    try {
      summary = await llmSummary(sentences, language, opts.llm, opts.fetch ?? fetch);
      summaryBy = `llm:${opts.llm.model}`;
    } catch (error) {
      const typed = toTingxieError(error);
      if (typed.code === ErrorCodes.CONFIG_INVALID) throw typed;
      warnings.push(`LLM summary failed (${typed.message}); kept the extractive summary.`);
    }
  }

  const lastEnd = segments.reduce((max, s) => Math.max(max, s.end), 0);
  return {
    title: opts.title ?? input.title ?? defaultTitle(input, language, date),
    date,
    duration: input.duration ?? lastEnd,
    language,
    topics,
    summary,
    decisions,
    actionItems,
    transcript: segments.map((s) => ({ start: s.start, end: s.end, speaker: s.speaker ?? null, text: s.text.trim() })),
    generatedBy: { summary: summaryBy },
    warnings,
  };
}
