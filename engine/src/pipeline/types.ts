import type { VadStats } from '../vad/segmenter.ts';

export type Language = 'auto' | 'zh' | 'en' | 'ja' | 'ko' | 'yue';
export const LANGUAGES: readonly Language[] = ['auto', 'zh', 'en', 'ja', 'ko', 'yue'];

/** One decoded stretch of speech (a VAD segment, or the whole file with VAD off). Times in seconds from the start of the file. */
export interface TranscriptSegment {
  startS: number;
  endS: number;
  /** Written form: punctuation normalized and, with ITN on, numbers, dates and times as digits. */
  text: string;
  /** What the model produced (tags removed), before Tingxie's text layer. */
  rawText: string;
  /** Detected language of this segment, e.g. "zh"; null when the model gives none. */
  language: string | null;
  emotion: string | null;
  event: string | null;
  tokens: string[];
  /** Start time of each token, seconds from the start of the file; same length as tokens. */
  timestamps: number[];
}

export interface ModelDescription {
  family: string;
  dir: string;
  file: string;
  device: string;
  fixture: boolean;
}

export interface TranscriptionResult {
  file: string;
  durationS: number;
  /** The language of most of the speech (duration-weighted), or the requested one. */
  language: string | null;
  text: string;
  /** The segments' raw model texts joined. */
  rawText: string;
  segments: TranscriptSegment[];
  vad: VadStats | null;
  model: ModelDescription;
}

export interface TranscribeProgress {
  /** Seconds of audio decoded so far. */
  processedS: number;
  /** Total duration when known in advance. */
  totalS: number | null;
}
