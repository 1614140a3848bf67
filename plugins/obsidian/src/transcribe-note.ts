/**
 * `transcribe-audio-in-note`: every audio attachment of a note to the engine, each transcript as a callout
 * right after the line with the link. Already transcribed attachments are skipped unless redo is asked for.
 * Each transcript is written as soon as it arrives (through `vault.process`, against the note's text at that
 * moment), so edits made meanwhile and earlier results survive a later failure or a cancel.
 */
import { scanNote } from './audio-links.ts';
import { EngineError, CLIENT_ERROR_CODES, type EngineClient } from './engine-client.ts';
import { placeTranscript } from './note-editing.ts';
import type { MetadataCachePort, Notify, VaultFile, VaultPort } from './ports.ts';
import type { TingxieSettings } from './settings.ts';
import { transcriptCallout } from './transcript-format.ts';

/** Cancels a running command between requests (requestUrl itself cannot be aborted). */
export class Cancellation {
  private cancelledFlag = false;
  get cancelled(): boolean {
    return this.cancelledFlag;
  }
  cancel(): void {
    this.cancelledFlag = true;
  }
}

/** History ids of transcriptions made in this session, by audio path (minutes reuse them instead of uploading). */
export type HistoryIds = Map<string, number>;

export interface NoteTranscriberDeps {
  vault: VaultPort;
  metadataCache: MetadataCachePort;
  client: EngineClient;
  notify: Notify;
  settings: () => TingxieSettings;
  historyIds: HistoryIds;
}

export interface TranscribeNoteOutcome {
  /** Titles of the callouts written. */
  transcribed: string[];
  /** Titles already transcribed and left alone. */
  skipped: string[];
  /** Link paths that resolve to no file. */
  missing: string[];
  failed: { title: string; message: string }[];
  cancelled: boolean;
}

interface Attachment {
  file: VaultFile;
  title: string;
}

export class NoteTranscriber {
  constructor(private readonly deps: NoteTranscriberDeps) {}

  async transcribeNote(note: VaultFile, opts: { redo: boolean; cancellation?: Cancellation }): Promise<TranscribeNoteOutcome> {
    const { vault, metadataCache, client, notify } = this.deps;
    const settings = this.deps.settings();
    const outcome: TranscribeNoteOutcome = { transcribed: [], skipped: [], missing: [], failed: [], cancelled: false };
    const scan = scanNote(await vault.read(note), settings.calloutType);

    const files = new Map<string, VaultFile>();
    for (const link of scan.links) {
      const file = metadataCache.getFirstLinkpathDest(link.linkpath, note.path);
      if (file === null) {
        if (!outcome.missing.includes(link.linkpath)) outcome.missing.push(link.linkpath);
      } else if (!files.has(file.path)) {
        files.set(file.path, file);
      }
    }
    for (const missing of outcome.missing) {
      notify(`Tingxie: "${missing}" is linked in ${note.name} but is not in the vault. Fix the link or add the file, then run the command again.`);
    }
    // The file name identifies a transcript; the path where two attachments share a name.
    const nameCounts = new Map<string, number>();
    for (const file of files.values()) nameCounts.set(file.name, (nameCounts.get(file.name) ?? 0) + 1);
    const existing = new Set(scan.blocks.map((b) => b.title));
    const todo: Attachment[] = [];
    for (const file of files.values()) {
      const title = nameCounts.get(file.name)! > 1 ? file.path : file.name;
      if (existing.has(title) && !(opts.redo || settings.redoTranscribed)) outcome.skipped.push(title);
      else todo.push({ file, title });
    }
    if (todo.length === 0) {
      if (files.size === 0 && outcome.missing.length === 0) notify(`Tingxie: no audio attachments in ${note.name}.`);
      else if (outcome.skipped.length > 0) notify(`Tingxie: ${outcome.skipped.join(', ')} already transcribed. Use "Retranscribe audio in note" to transcribe again.`);
      return outcome;
    }

    const progress = notify('', 0);
    try {
      for (const [index, { file, title }] of todo.entries()) {
        if (opts.cancellation?.cancelled) break;
        progress.setMessage(`Tingxie: transcribing ${index + 1}/${todo.length}: ${file.name}… (run "Tingxie: Cancel" to stop)`);
        let transcript;
        try {
          transcript = await client.transcribe(await vault.readBinary(file), file.name);
        } catch (error) {
          if (error instanceof EngineError && error.code === CLIENT_ERROR_CODES.ENGINE_UNREACHABLE) {
            notify(`Tingxie: ${error.message}`);
            outcome.failed.push({ title, message: error.message });
            break; // Nothing else can succeed either.
          }
          const message = error instanceof Error ? error.message : String(error);
          notify(`Tingxie: could not transcribe ${file.name}: ${message}`);
          outcome.failed.push({ title, message });
          continue;
        }
        if (opts.cancellation?.cancelled) break;
        if (transcript.historyId !== null) this.deps.historyIds.set(file.path, transcript.historyId);
        const block = transcriptCallout(title, transcript, settings);
        let action = '';
        await vault.process(note, (text) => {
          const placed = placeTranscript(text, settings.calloutType, {
            title,
            block,
            matches: (link) => metadataCache.getFirstLinkpathDest(link.linkpath, note.path)?.path === file.path,
          });
          action = placed.action;
          return placed.text;
        });
        if (action === 'link-gone') outcome.failed.push({ title, message: 'the link was removed while transcribing' });
        else outcome.transcribed.push(title);
      }
    } finally {
      progress.hide();
    }
    outcome.cancelled = opts.cancellation?.cancelled ?? false;
    if (outcome.cancelled) notify(`Tingxie: cancelled; ${outcome.transcribed.length} of ${todo.length} transcribed.`);
    else if (outcome.transcribed.length > 0) notify(`Tingxie: transcribed ${outcome.transcribed.join(', ')}.`);
    return outcome;
  }
}
