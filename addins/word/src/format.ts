/**
 * Pure text shaping for the Word add-in: timestamps, transcript rows and the labels of inserted content.
 * No Office.js, no DOM: shared by the Word operations, the task pane and the Node tests.
 */

/** How a transcript goes into the document. */
export type InsertFormat = 'paragraphs' | 'timestamps' | 'table';
export const INSERT_FORMATS: readonly InsertFormat[] = ['paragraphs', 'timestamps', 'table'];

/** One timed segment as the engine returns it (verbose_json `segments`, minutes `transcript`). Seconds. */
export interface TimedText {
  start: number;
  end: number;
  text: string;
}

/** The part of a transcription result the add-in inserts. */
export interface TranscriptForInsert {
  text: string;
  segments: TimedText[];
}

/** Language of inserted labels (table headers, minutes headings). */
export type DocLanguage = 'zh' | 'en';

/** `m:ss` below an hour, `h:mm:ss` from an hour on; `seconds` is rounded down to whole seconds. */
export function formatTimestamp(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Duration in words: `1小时2分3秒` / `1 h 2 min 3 s`. */
export function formatDuration(seconds: number, language: DocLanguage): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const parts: string[] = [];
  if (language === 'zh') {
    if (h) parts.push(`${h}小时`);
    if (m) parts.push(`${m}分`);
    if (s || parts.length === 0) parts.push(`${s}秒`);
    return parts.join('');
  }
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (s || parts.length === 0) parts.push(`${s} s`);
  return parts.join(' ');
}

/** Segments with text (empty ones are never inserted), trimmed. */
export function transcriptLines(result: TranscriptForInsert): TimedText[] {
  const lines = result.segments.map((segment) => ({ ...segment, text: segment.text.trim() })).filter((segment) => segment.text.length > 0);
  // A result without segments (plain json) still has its text.
  if (lines.length === 0 && result.text.trim()) return [{ start: 0, end: 0, text: result.text.trim() }];
  return lines;
}

/** `[m:ss] text`. */
export function timestampedLine(line: TimedText): string {
  return `[${formatTimestamp(line.start)}] ${line.text}`;
}

export interface DocLabels {
  time: string;
  text: string;
  date: string;
  duration: string;
  summary: string;
  decisions: string;
  actionItems: string;
  item: string;
  owner: string;
  due: string;
  transcript: string;
  none: string;
}

const LABELS: Record<DocLanguage, DocLabels> = {
  zh: {
    time: '时间',
    text: '内容',
    date: '日期',
    duration: '时长',
    summary: '摘要',
    decisions: '决定',
    actionItems: '待办事项',
    item: '事项',
    owner: '负责人',
    due: '截止',
    transcript: '完整记录',
    none: '无',
  },
  en: {
    time: 'Time',
    text: 'Text',
    date: 'Date',
    duration: 'Duration',
    summary: 'Summary',
    decisions: 'Decisions',
    actionItems: 'Action items',
    item: 'Item',
    owner: 'Owner',
    due: 'Due',
    transcript: 'Transcript',
    none: 'None',
  },
};

export function docLabels(language: DocLanguage): DocLabels {
  return LABELS[language];
}

/** Rows of the two-column transcript table, header first: [[time, text], ...]. */
export function transcriptTableValues(result: TranscriptForInsert, language: DocLanguage): string[][] {
  const labels = docLabels(language);
  return [[labels.time, labels.text], ...transcriptLines(result).map((line) => [formatTimestamp(line.start), line.text])];
}

/**
 * The text to insert for a dictated segment after `previous` (what the last segment ended with): a space
 * between two Latin-script words or after Latin sentence punctuation, nothing between CJK text.
 */
export function dictationPiece(previous: string, next: string): string {
  const text = next.trim();
  if (!previous || !text) return text;
  const last = previous[previous.length - 1]!;
  const first = text[0]!;
  const latinEnd = /[A-Za-z0-9.,;:!?%)\]"']/.test(last);
  const latinStart = /[A-Za-z0-9(["']/.test(first);
  return latinEnd && latinStart ? ` ${text}` : text;
}
