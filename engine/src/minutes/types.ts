/**
 * Data model of meeting minutes: what goes in (timed transcript segments) and what comes out
 * (title, date, topics, summary, decisions, action items, the transcript). Times are seconds from
 * the start of the recording; calendar dates are ISO `YYYY-MM-DD` strings (no time zone: a meeting date
 * is a local calendar day).
 */
import type { OutcomeScorers } from './outcome-scorer.ts';

/** One timed stretch of transcript, optionally with who spoke it. */
export interface MinutesSegment {
  start: number;
  end: number;
  text: string;
  speaker?: string | null;
}

/** A transcript ready for minutes: segments plus whatever the caller knows about the meeting. */
export interface MinutesInput {
  segments: MinutesSegment[];
  title?: string;
  /** Meeting date, `YYYY-MM-DD`; relative due dates resolve against it. */
  date?: string;
  /** Recording length in seconds; defaults to the last segment's end. */
  duration?: number;
  /** Source file name, used for the default title. */
  file?: string;
}

export type MinutesLanguageOption = 'auto' | 'zh' | 'en';
/** What the meeting was held in, by share of Han versus Latin letters. */
export type MinutesLanguage = 'zh' | 'en' | 'mixed';

/** A local OpenAI-compatible chat endpoint that may rewrite the summary. */
export interface LlmSummaryConfig {
  /** Base URL, e.g. `http://127.0.0.1:8080` or `http://127.0.0.1:8080/v1`. Loopback only unless allowRemote. */
  url: string;
  model: string;
  /** Allow a non-loopback address (the transcript leaves this machine). */
  allowRemote?: boolean;
  /** Give up after this many milliseconds (default 60 000) and keep the extractive summary. */
  timeoutMs?: number;
}

export interface MinutesOptions {
  /** Meeting date `YYYY-MM-DD`; overrides input.date. Without either, relative due dates stay unresolved. */
  date?: string;
  /** Language of headings and of the extraction rules; 'auto' detects it from the text (default). */
  language?: MinutesLanguageOption;
  /** Title; overrides input.title. */
  title?: string;
  llm?: LlmSummaryConfig;
  /**
   * Learned decision and action scorers combined with the rules; default: the ones shipped with the engine; null:
   * the rules alone (tests pass scorers trained without the meetings they score).
   */
  scorers?: OutcomeScorers | null;
  /** Injected fetch (tests, servers with their own agent); defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** One sentence of the transcript, the unit every extractor works on. */
export interface Sentence {
  /** Position in the meeting's sentence list. */
  index: number;
  text: string;
  start: number;
  end: number;
  speaker: string | null;
  /** Index of the input segment the sentence came from. */
  segmentIndex: number;
}

/** A due date: the words used and, when they could be resolved against the meeting date, the calendar day. */
export interface DueDate {
  /** `YYYY-MM-DD`, or null when the words name no resolvable day (or the meeting date is unknown). */
  date: string | null;
  /** The expression as it appears in the (inverse-normalized) sentence, e.g. "下周五", "by Friday". */
  text: string;
}

export interface ActionItem {
  /** The sentence the item came from. */
  text: string;
  /** Who does it: a name from the sentence, or the speaker for "我来…"/"I'll…"; null when nobody is named. */
  owner: string | null;
  due: DueDate | null;
  /** Start/end of the source sentence, seconds. */
  start: number;
  end: number;
  speaker: string | null;
  sentenceIndex: number;
}

export interface Decision {
  text: string;
  start: number;
  end: number;
  speaker: string | null;
  sentenceIndex: number;
}

export interface Topic {
  /** Characteristic terms of the stretch, most distinctive first. */
  keywords: string[];
  start: number;
  end: number;
  /** Inclusive range of sentence indices. */
  firstSentence: number;
  lastSentence: number;
}

export interface SummaryPoint {
  text: string;
  /** Start of the source sentence; null for points a language model wrote. */
  start: number | null;
}

export interface TranscriptLine {
  start: number;
  end: number;
  speaker: string | null;
  text: string;
}

export interface Minutes {
  title: string;
  date: string | null;
  /** Seconds. */
  duration: number;
  language: MinutesLanguage;
  topics: Topic[];
  summary: SummaryPoint[];
  decisions: Decision[];
  actionItems: ActionItem[];
  transcript: TranscriptLine[];
  /** Which parts a model wrote; every other field comes from the deterministic extractor. */
  generatedBy: { summary: 'extractive' | `llm:${string}` };
  /** Things the caller should know (no meeting date, the LLM failed and the extractive summary was kept, ...). */
  warnings: string[];
}
