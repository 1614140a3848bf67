import { ErrorCodes, TingxieError } from '../errors.ts';
import type { TranscriptionResult } from '../pipeline/types.ts';
import type { MinutesInput, MinutesSegment } from './types.ts';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar day written `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function invalid(message: string, field: string): TingxieError {
  return new TingxieError(ErrorCodes.VALIDATION_FAILED, message, { field });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finiteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A TranscriptionResult from the pipeline as minutes input. */
export function minutesInputFromTranscription(result: TranscriptionResult): MinutesInput {
  return {
    segments: result.segments.map((s) => ({ start: s.startS, end: s.endS, text: s.text })),
    duration: result.durationS,
    file: result.file,
  };
}

/**
 * Reads minutes input from parsed JSON: the `tingxie transcribe --format json` object, a TranscriptionResult
 * (startS/endS), or `{ segments: [{ start, end, text, speaker? }], date?, title? }`. Throws VALIDATION_FAILED
 * naming the first bad field.
 */
export function parseMinutesInput(value: unknown): MinutesInput {
  if (!isRecord(value)) throw invalid('Minutes input must be a JSON object with a "segments" array.', 'segments');
  const rawSegments = value.segments;
  if (!Array.isArray(rawSegments)) throw invalid('Minutes input needs a "segments" array.', 'segments');
  const segments: MinutesSegment[] = rawSegments.map((raw: unknown, i: number) => {
    if (!isRecord(raw)) throw invalid(`segments[${i}] must be an object.`, `segments[${i}]`);
    const start = finiteNumber(raw.start) ?? finiteNumber(raw.startS);
    const end = finiteNumber(raw.end) ?? finiteNumber(raw.endS);
    if (start === undefined || end === undefined || end < start || start < 0) {
      throw invalid(`segments[${i}] needs numeric start ≤ end (seconds).`, `segments[${i}].start`);
    }
    if (typeof raw.text !== 'string') throw invalid(`segments[${i}].text must be a string.`, `segments[${i}].text`);
    const speaker = typeof raw.speaker === 'string' && raw.speaker.trim().length > 0 ? raw.speaker.trim() : null;
    return { start, end, text: raw.text, speaker };
  });
  const input: MinutesInput = { segments };
  if (value.date !== undefined && value.date !== null) {
    if (typeof value.date !== 'string' || !isIsoDate(value.date)) throw invalid('"date" must be a calendar day YYYY-MM-DD.', 'date');
    input.date = value.date;
  }
  if (typeof value.title === 'string' && value.title.trim().length > 0) input.title = value.title.trim();
  const duration = finiteNumber(value.duration) ?? finiteNumber(value.durationS);
  if (duration !== undefined) input.duration = duration;
  if (typeof value.file === 'string') input.file = value.file;
  return input;
}
