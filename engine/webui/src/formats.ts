/** Subtitle and text exports of a transcription, built in the browser from its segments. */

export interface Segment {
  start: number;
  end: number;
  text: string;
  raw_text: string;
}

export interface Transcription {
  text: string;
  raw_text: string;
  language: string;
  duration: number;
  segments: Segment[];
}

function stamp(seconds: number, separator: ',' | '.'): string {
  const ms = Math.round(Math.max(0, seconds) * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = Math.floor((ms % 60_000) / 1000);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${separator}${pad(ms % 1000, 3)}`;
}

export function toSrt(result: Transcription, useItn: boolean): string {
  return result.segments
    .map((seg, i) => `${i + 1}\n${stamp(seg.start, ',')} --> ${stamp(seg.end, ',')}\n${useItn ? seg.text : seg.raw_text}\n`)
    .join('\n');
}

export function toVtt(result: Transcription, useItn: boolean): string {
  return `WEBVTT\n\n${result.segments.map((seg) => `${stamp(seg.start, '.')} --> ${stamp(seg.end, '.')}\n${useItn ? seg.text : seg.raw_text}\n`).join('\n')}`;
}

export function toTxt(result: Transcription, useItn: boolean): string {
  return `${useItn ? result.text : result.raw_text}\n`;
}

/** `speech.mp3` → `speech`. */
export function baseName(fileName: string): string {
  return fileName.replace(/\.[^.]+$/, '') || 'transcript';
}
