/**
 * `insert-meeting-minutes`: minutes of the note's recording as Markdown — headings, summary, decisions, action
 * items as tasks (`- [ ] … 📅 YYYY-MM-DD`, Tasks-plugin style, with the owner), and timestamps that link into
 * the audio (`[[a.m4a#t=754|12:34]]`).
 */
import type { Minutes } from '../../../engine/src/minutes/types.ts';
import { frontmatterRange, scanNote } from './audio-links.ts';
import type { EngineClient } from './engine-client.ts';
import type { MetadataCachePort, Notify, VaultFile, VaultPort } from './ports.ts';
import type { TingxieSettings, TimestampFormat } from './settings.ts';
import { formatTimestamp } from './transcript-format.ts';
import type { HistoryIds } from './transcribe-note.ts';

const LABELS = {
  en: { date: 'Date', duration: 'Duration', recording: 'Recording', summary: 'Summary', topics: 'Topics', decisions: 'Decisions', actions: 'Action items' },
  zh: { date: '日期', duration: '时长', recording: '录音', summary: '摘要', topics: '议题', decisions: '决定', actions: '待办事项' },
} as const;

/** Minutes as Markdown for a note; `linkpath` is how the note links the recording. */
export function renderMinutes(minutes: Minutes, linkpath: string, format: TimestampFormat): string {
  const labels = minutes.language === 'zh' ? LABELS.zh : LABELS.en;
  const at = (seconds: number): string => `[[${linkpath}#t=${Math.max(0, Math.floor(seconds))}|${formatTimestamp(seconds, format)}]]`;
  const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();
  const out: string[] = [`## ${oneLine(minutes.title)}`, ''];
  const meta = [...(minutes.date ? [`${labels.date}: ${minutes.date}`] : []), `${labels.duration}: ${formatTimestamp(minutes.duration, format)}`, `${labels.recording}: [[${linkpath}]]`];
  out.push(meta.join(' · '), '');
  if (minutes.summary.length > 0) {
    out.push(`### ${labels.summary}`, ...minutes.summary.map((p) => `- ${oneLine(p.text)}${p.start === null ? '' : ` ${at(p.start)}`}`), '');
  }
  const topics = minutes.topics.filter((t) => t.keywords.length > 0);
  if (topics.length > 0) {
    out.push(`### ${labels.topics}`, ...topics.map((t) => `- ${t.keywords.join(', ')} ${at(t.start)}`), '');
  }
  if (minutes.decisions.length > 0) {
    out.push(`### ${labels.decisions}`, ...minutes.decisions.map((d) => `- ${oneLine(d.text)} ${at(d.start)}`), '');
  }
  if (minutes.actionItems.length > 0) {
    out.push(
      `### ${labels.actions}`,
      ...minutes.actionItems.map((item) => {
        const owner = item.owner ? `**${item.owner}**: ` : '';
        const due = item.due?.date ? ` 📅 ${item.due.date}` : '';
        // The due date goes last: the Tasks plugin reads its fields from the end of the line.
        return `- [ ] ${owner}${oneLine(item.text)} ${at(item.start)}${due}`;
      }),
      '',
    );
  }
  return out.join('\n');
}

/** The meeting day from the note's frontmatter (`date: YYYY-MM-DD`), so relative due dates resolve against it. */
export function frontmatterDate(text: string): string | null {
  const lines = text.split('\n');
  const range = frontmatterRange(lines);
  if (!range) return null;
  for (const line of lines.slice(range.start + 1, range.end)) {
    const match = /^date:\s*["']?(\d{4}-\d{2}-\d{2})\b/.exec(line);
    if (match) return match[1]!;
  }
  return null;
}

function isMinutes(value: unknown): value is Minutes {
  const m = value as Partial<Minutes> | null;
  return typeof m === 'object' && m !== null && typeof m.title === 'string' && typeof m.duration === 'number' && Array.isArray(m.summary) && Array.isArray(m.topics) && Array.isArray(m.decisions) && Array.isArray(m.actionItems);
}

export interface MinutesWriterDeps {
  vault: VaultPort;
  metadataCache: MetadataCachePort;
  client: EngineClient;
  notify: Notify;
  settings: () => TingxieSettings;
  historyIds: HistoryIds;
}

export class MinutesWriter {
  constructor(private readonly deps: MinutesWriterDeps) {}

  /**
   * Minutes for the recording linked in `note` — the one on `cursorLine` if that line links one, else the
   * first — or null (with a notice saying why) when there is none or the engine fails. Reuses this session's
   * transcription of the file when there is one, otherwise uploads the audio.
   */
  async minutesFor(note: VaultFile, cursorLine: number | null): Promise<string | null> {
    const { vault, metadataCache, client, notify, historyIds } = this.deps;
    const settings = this.deps.settings();
    const text = await vault.read(note);
    const links = scanNote(text, settings.calloutType).links;
    const date = frontmatterDate(text);
    const options = date ? { date } : {};
    const ordered = [...links.filter((l) => l.line === cursorLine), ...links.filter((l) => l.line !== cursorLine)];
    let chosen: { file: VaultFile; linkpath: string } | null = null;
    for (const link of ordered) {
      const file = metadataCache.getFirstLinkpathDest(link.linkpath, note.path);
      if (file) {
        chosen = { file, linkpath: link.linkpath };
        break;
      }
    }
    if (!chosen) {
      notify(links.length === 0 ? `Tingxie: ${note.name} links no recording; embed one (![[meeting.m4a]]) first.` : `Tingxie: the recordings linked in ${note.name} are not in the vault.`);
      return null;
    }
    const progress = notify(`Tingxie: writing minutes for ${chosen.file.name}…`, 0);
    try {
      const historyId = historyIds.get(chosen.file.path);
      let result;
      try {
        result = historyId !== undefined ? await client.minutes({ historyId }, options) : await client.minutes({ audio: await vault.readBinary(chosen.file), fileName: chosen.file.name }, options);
      } catch (error) {
        // A history entry deleted on the engine since: upload instead.
        if (historyId === undefined || !(error instanceof Error && 'code' in error && error.code === 'HISTORY_NOT_FOUND')) throw error;
        historyIds.delete(chosen.file.path);
        result = await client.minutes({ audio: await vault.readBinary(chosen.file), fileName: chosen.file.name }, options);
      }
      if (result.historyId !== null) historyIds.set(chosen.file.path, result.historyId);
      if (!isMinutes(result.minutes)) {
        notify('Tingxie: the engine sent minutes in an unknown shape; update the plugin or the engine.');
        return null;
      }
      return renderMinutes(result.minutes, chosen.linkpath, settings.timestampFormat);
    } catch (error) {
      notify(`Tingxie: could not write minutes for ${chosen.file.name}: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    } finally {
      progress.hide();
    }
  }
}
