import { TingxieError, ErrorCodes } from '../errors.ts';
import type { TranscriptionResult } from '../pipeline/types.ts';

export const OUTPUT_FORMATS = ['txt', 'json', 'srt', 'vtt', 'csv'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export function parseOutputFormat(value: string): OutputFormat {
  const lower = value.toLowerCase();
  if ((OUTPUT_FORMATS as readonly string[]).includes(lower)) return lower as OutputFormat;
  throw new TingxieError(ErrorCodes.USAGE, `Unknown output format "${value}". Use one of: ${OUTPUT_FORMATS.join(', ')}.`, { field: 'format' });
}

/** Splits seconds into whole hours, minutes, seconds and milliseconds (rounded to the millisecond). */
function clockParts(seconds: number): { h: number; m: number; s: number; ms: number } {
  const totalMs = Math.max(0, Math.round(seconds * 1000));
  return {
    h: Math.floor(totalMs / 3_600_000),
    m: Math.floor((totalMs % 3_600_000) / 60_000),
    s: Math.floor((totalMs % 60_000) / 1000),
    ms: totalMs % 1000,
  };
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** SRT timestamp: HH:MM:SS,mmm */
export function srtTime(seconds: number): string {
  const { h, m, s, ms } = clockParts(seconds);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)},${pad(ms, 3)}`;
}

/** WebVTT timestamp: HH:MM:SS.mmm */
export function vttTime(seconds: number): string {
  const { h, m, s, ms } = clockParts(seconds);
  return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms, 3)}`;
}

/** A cue's text must not contain the blank line that ends a cue, nor "-->" in VTT. */
function cueText(text: string): string {
  return text.replace(/\r?\n\s*\r?\n/g, '\n').replace(/-->/g, '->');
}

export function toSrt(result: TranscriptionResult): string {
  const cues = result.segments
    .filter((segment) => segment.text.length > 0)
    .map((segment, index) => `${index + 1}\n${srtTime(segment.startS)} --> ${srtTime(segment.endS)}\n${cueText(segment.text)}\n`);
  return cues.join('\n');
}

export function toVtt(result: TranscriptionResult): string {
  const cues = result.segments
    .filter((segment) => segment.text.length > 0)
    .map((segment) => `${vttTime(segment.startS)} --> ${vttTime(segment.endS)}\n${cueText(segment.text)}\n`);
  return ['WEBVTT', '', ...cues].join('\n');
}

/** RFC 4180 field quoting. */
function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(result: TranscriptionResult): string {
  const header = ['file', 'start', 'end', 'language', 'text'];
  const rows = result.segments.map((segment) =>
    [result.file, segment.startS.toFixed(3), segment.endS.toFixed(3), segment.language ?? '', segment.text].map(csvField).join(','),
  );
  return [header.join(','), ...rows].join('\r\n') + '\r\n';
}

export function toTxt(result: TranscriptionResult): string {
  return result.text.length > 0 ? `${result.text}\n` : '';
}

/** The JSON shape documented in the README (per file). Numbers in seconds, rounded to the millisecond. */
export function toJsonObject(result: TranscriptionResult): Record<string, unknown> {
  const round = (x: number): number => Math.round(x * 1000) / 1000;
  return {
    file: result.file,
    duration: round(result.durationS),
    language: result.language,
    text: result.text,
    raw_text: result.rawText,
    segments: result.segments.map((segment) => ({
      start: round(segment.startS),
      end: round(segment.endS),
      text: segment.text,
      raw_text: segment.rawText,
      language: segment.language,
      emotion: segment.emotion,
      event: segment.event,
      tokens: segment.tokens,
      timestamps: segment.timestamps.map(round),
    })),
    ...(result.vad ? { vad: result.vad } : {}),
    model: result.model,
  };
}

export function formatResult(result: TranscriptionResult, format: OutputFormat): string {
  switch (format) {
    case 'txt':
      return toTxt(result);
    case 'json':
      return JSON.stringify(toJsonObject(result), null, 2) + '\n';
    case 'srt':
      return toSrt(result);
    case 'vtt':
      return toVtt(result);
    case 'csv':
      return toCsv(result);
  }
}
