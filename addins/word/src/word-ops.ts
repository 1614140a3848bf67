/// <reference types="office-js" />
/**
 * Everything the add-in does to the document. Each function takes the `Word.RequestContext` of the caller's
 * single `Word.run` (one per user action), queues its operations and syncs once at the end (or, for
 * dictation, once to find its tracking point and once to apply): never a sync inside a loop.
 *
 * Values are Office.js' string forms ('After', 'Heading1', ...) rather than the `Word.*` enums, which are the
 * same strings but need the `Word` global (absent in the Node unit tests).
 */
import type { Minutes } from '../../../engine/src/minutes/types.ts';
import {
  docLabels,
  formatDuration,
  formatTimestamp,
  timestampedLine,
  transcriptLines,
  transcriptTableValues,
  type DocLanguage,
  type InsertFormat,
  type TranscriptForInsert,
} from './format.ts';

/**
 * Where dictation continues: a hidden content control with this tag wraps the text dictated so far, so
 * each final segment goes in right after the previous one even if the user clicks elsewhere meanwhile.
 * Plain data (no Office objects), so it survives across `Word.run` batches.
 */
export interface DictationTracker {
  tag: string;
  /** Segments inserted so far. */
  inserted: number;
}

export function newDictationTracker(id: string): DictationTracker {
  return { tag: `tingxie-dictation-${id}`, inserted: 0 };
}

/**
 * Inserts a transcript after the paragraph holding the cursor: plain paragraphs, `[m:ss] text`
 * paragraphs, or a two-column table (time | text) with a header row. Leaves the cursor after it.
 */
export async function insertTranscript(context: Word.RequestContext, result: TranscriptForInsert, format: InsertFormat, language: DocLanguage = 'zh'): Promise<void> {
  const selection = context.document.getSelection();
  if (format === 'table') {
    const values = transcriptTableValues(result, language);
    const table = selection.insertTable(values.length, 2, 'After', values);
    table.headerRowCount = 1;
    table.styleBuiltIn = 'GridTable4_Accent1';
    table.getRange('After').select('Start');
  } else {
    const lines = transcriptLines(result).map((line) => (format === 'timestamps' ? timestampedLine(line) : line.text));
    let anchor: Word.Range | Word.Paragraph = selection;
    for (const text of lines) {
      const paragraph: Word.Paragraph = anchor.insertParagraph(text, 'After');
      paragraph.styleBuiltIn = 'Normal';
      anchor = paragraph;
    }
    if (anchor !== selection) anchor.getRange('End').select('End');
  }
  await context.sync();
}

/** Language of the minutes' headings: the meeting's language, Chinese for mixed meetings. */
export function minutesDocLanguage(minutes: Pick<Minutes, 'language'>): DocLanguage {
  return minutes.language === 'en' ? 'en' : 'zh';
}

/**
 * Inserts meeting minutes after the cursor with Word's built-in styles: title (Heading 1), date and
 * duration, summary and decisions (bulleted Word lists), action items (table: item | owner | due),
 * full timestamped transcript (Heading 2 then one paragraph per line).
 */
export async function insertMinutes(context: Word.RequestContext, minutes: Minutes): Promise<void> {
  const language = minutesDocLanguage(minutes);
  const labels = docLabels(language);
  const selection = context.document.getSelection();
  let anchor: Word.Range | Word.Paragraph = selection;
  const add = (text: string, style: 'Heading1' | 'Heading2' | 'Normal'): Word.Paragraph => {
    const paragraph: Word.Paragraph = anchor.insertParagraph(text, 'After');
    paragraph.styleBuiltIn = style;
    anchor = paragraph;
    return paragraph;
  };
  // A bulleted Word list: the first item starts it, the others are appended to the list itself.
  const addList = (items: readonly string[]): void => {
    if (items.length === 0) {
      add(labels.none, 'Normal');
      return;
    }
    const first = add(items[0]!, 'Normal');
    first.styleBuiltIn = 'ListParagraph';
    const list = first.startNewList();
    list.setLevelBullet(0, 'Solid');
    for (const text of items.slice(1)) anchor = list.insertParagraph(text, 'End');
  };
  const colon = language === 'zh' ? '：' : ': ';
  add(minutes.title, 'Heading1');
  const meta = [`${labels.duration}${colon}${formatDuration(minutes.duration, language)}`];
  if (minutes.date) meta.unshift(`${labels.date}${colon}${minutes.date}`);
  add(meta.join(language === 'zh' ? '　' : '  ·  '), 'Normal');

  add(labels.summary, 'Heading2');
  addList(minutes.summary.map((point) => point.text));

  add(labels.decisions, 'Heading2');
  addList(minutes.decisions.map((decision) => decision.text));

  const actionsHeading = add(labels.actionItems, 'Heading2');
  if (minutes.actionItems.length === 0) add(labels.none, 'Normal');
  else {
    const values = [
      [labels.item, labels.owner, labels.due],
      ...minutes.actionItems.map((item) => [item.text, item.owner ?? '', item.due ? (item.due.date ?? item.due.text) : '']),
    ];
    const table = actionsHeading.insertTable(values.length, 3, 'After', values);
    table.headerRowCount = 1;
    table.styleBuiltIn = 'GridTable4_Accent1';
    // The transcript heading goes after the table: a paragraph placed after the table's range.
    const afterTable: Word.Paragraph = table.insertParagraph(labels.transcript, 'After');
    afterTable.styleBuiltIn = 'Heading2';
    anchor = afterTable;
  }
  if (minutes.actionItems.length === 0) add(labels.transcript, 'Heading2');
  for (const line of minutes.transcript) {
    const who = line.speaker ? `${line.speaker}${colon}` : '';
    add(`[${formatTimestamp(line.start)}] ${who}${line.text}`, 'Normal');
  }
  (anchor as Word.Paragraph).getRange('End').select('End');
  await context.sync();
}

/**
 * Inserts one final dictation segment: the first goes at the cursor inside a new hidden content control
 * tagged `tracker.tag`; each later one at the end of that control, so segments continue where the last one
 * ended. Each call is one batch, so Word's Undo removes dictated text segment by segment.
 */
export async function insertDictation(context: Word.RequestContext, tracker: DictationTracker, text: string): Promise<void> {
  if (!text) return;
  let control: Word.ContentControl | null = null;
  if (tracker.inserted > 0) {
    const existing = context.document.contentControls.getByTag(tracker.tag).getFirstOrNullObject();
    await context.sync();
    // Gone when the user deleted the dictated text: start again at the cursor.
    if (existing.isNullObject !== true) control = existing;
  }
  if (control === null) {
    const point = context.document.getSelection().getRange('End');
    control = point.insertContentControl();
    control.tag = tracker.tag;
    control.title = 'Tingxie';
    control.appearance = 'Hidden';
  }
  const inserted = control.insertText(text, 'End');
  inserted.select('End');
  tracker.inserted += 1;
  await context.sync();
}

/** Ends dictation: removes the tracking control and keeps its text. */
export async function finishDictation(context: Word.RequestContext, tracker: DictationTracker): Promise<void> {
  if (tracker.inserted === 0) return;
  const existing = context.document.contentControls.getByTag(tracker.tag).getFirstOrNullObject();
  await context.sync();
  if (existing.isNullObject !== true) existing.delete(true);
  await context.sync();
}
