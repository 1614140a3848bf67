/** `transcribe-audio-file`: a transcript note next to an audio file, from the settings' template. */
import type { EngineClient } from './engine-client.ts';
import type { Notify, VaultFile, VaultPort } from './ports.ts';
import type { TingxieSettings } from './settings.ts';
import { localDate, renderTemplate, segmentLines } from './transcript-format.ts';
import type { HistoryIds } from './transcribe-note.ts';

export interface FileTranscriberDeps {
  vault: VaultPort;
  client: EngineClient;
  notify: Notify;
  settings: () => TingxieSettings;
  historyIds: HistoryIds;
  /** Today, for {{date}}. */
  now: () => Date;
}

/** `folder/name.m4a` → `folder/name transcript.md` (root files: `name transcript.md`). */
export function transcriptNotePath(audio: VaultFile): string {
  const folder = audio.parent && audio.parent.path !== '/' && audio.parent.path !== '' ? `${audio.parent.path}/` : '';
  return `${folder}${audio.basename} transcript.md`;
}

function isVaultFile(value: unknown): value is VaultFile {
  return typeof value === 'object' && value !== null && typeof (value as { path?: unknown }).path === 'string' && typeof (value as { extension?: unknown }).extension === 'string';
}

export class FileTranscriber {
  constructor(private readonly deps: FileTranscriberDeps) {}

  /**
   * Transcribes `audio` and writes the transcript note; returns it, or null when nothing was written (an
   * existing transcript note is kept unless `redo`; errors are shown as notices).
   */
  async transcribeFile(audio: VaultFile, opts: { redo: boolean }): Promise<VaultFile | null> {
    const { vault, client, notify } = this.deps;
    const settings = this.deps.settings();
    const path = transcriptNotePath(audio);
    const existing = vault.getAbstractFileByPath(path);
    if (existing !== null && !(opts.redo || settings.redoTranscribed)) {
      notify(`Tingxie: ${path} already exists. Delete it, or turn on "Always transcribe again" in Settings → Tingxie.`);
      return null;
    }
    if (existing !== null && !isVaultFile(existing)) {
      notify(`Tingxie: ${path} is a folder; rename it to write the transcript.`);
      return null;
    }
    const progress = notify(`Tingxie: transcribing ${audio.name}…`, 0);
    let content: string;
    try {
      const transcript = await client.transcribe(await vault.readBinary(audio), audio.name);
      if (transcript.historyId !== null) this.deps.historyIds.set(audio.path, transcript.historyId);
      content = renderTemplate(settings.transcriptTemplate, {
        text: transcript.text,
        segments: segmentLines(transcript, settings.timestampFormat).join('\n'),
        file: audio.name,
        date: localDate(this.deps.now()),
      });
    } catch (error) {
      notify(`Tingxie: could not transcribe ${audio.name}: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    } finally {
      progress.hide();
    }
    if (existing !== null) {
      await vault.modify(existing, content);
      notify(`Tingxie: rewrote ${path}.`);
      return existing;
    }
    const created = await vault.create(path, content);
    notify(`Tingxie: wrote ${path}.`);
    return created;
  }
}
