/** Turning engine results into Markdown: timestamps, transcript callouts, templated transcript notes. Pure. */
import type { CalloutFold, TimestampFormat } from './settings.ts';

export interface TranscriptSegment {
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  text: string;
}

export interface Transcript {
  text: string;
  segments: TranscriptSegment[];
  /** Seconds. */
  duration: number;
  /** The engine's history entry, when it keeps history (for minutes without uploading again). */
  historyId: number | null;
}

/** A time in seconds as `mm:ss` (minutes grow past 59), `hh:mm:ss`, or whole seconds (`754s`). */
export function formatTimestamp(seconds: number, format: TimestampFormat): string {
  const total = Math.max(0, Math.floor(seconds));
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (format === 'seconds') return `${total}s`;
  if (format === 'hh:mm:ss') return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
  return `${pad(Math.floor(total / 60))}:${pad(total % 60)}`;
}

/** Lines `[mm:ss] text`, one per segment. */
export function segmentLines(transcript: Transcript, format: TimestampFormat): string[] {
  return transcript.segments.filter((s) => s.text.trim() !== '').map((s) => `[${formatTimestamp(s.start, format)}] ${s.text.trim()}`);
}

export const NO_SPEECH = '*(no speech detected)*';

/**
 * The transcript callout for one attachment, as lines:
 * `> [!transcript]- a.m4a` then `> [00:01] text` per segment. The title is how a second run recognises it.
 */
export function transcriptCallout(title: string, transcript: Transcript, opts: { calloutType: string; calloutFold: CalloutFold; timestampFormat: TimestampFormat }): string[] {
  const body = segmentLines(transcript, opts.timestampFormat);
  return [`> [!${opts.calloutType}]${opts.calloutFold} ${title}`, ...(body.length > 0 ? body : [NO_SPEECH]).map((line) => `> ${line}`)];
}

/** Fills `{{text}}`, `{{segments}}`, `{{file}}`, `{{date}}` in one pass (values are not re-expanded). */
export function renderTemplate(template: string, values: { text: string; segments: string; file: string; date: string }): string {
  return template.replace(/\{\{\s*(text|segments|file|date)\s*\}\}/g, (_, key: keyof typeof values) => values[key]);
}

/** Local calendar day `YYYY-MM-DD`. */
export function localDate(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
