/**
 * Tingxie for Obsidian: lifecycle only. Builds the services with the app's vault, metadata cache, workspace and
 * `requestUrl`, registers commands (stable ids), menus, the status bar and the settings tab. Every listener goes
 * through `register*` so unloading the plugin removes it.
 */
import { MarkdownView, Notice, Plugin, TFile, requestUrl, type Editor, type Menu, type TAbstractFile } from 'obsidian';
import { isAudioPath } from './audio-links.ts';
import { Dictation, type DictationState, type MicrophoneCapture, type OpenMicrophone, type OpenSocket } from './dictation.ts';
import { EngineClient, EngineError } from './engine-client.ts';
import { MinutesWriter } from './minutes.ts';
import type { Notify } from './ports.ts';
import { TingxieSettingTab, type SettingsHost } from './settings-tab.ts';
import { mergeSettings, type TingxieSettings } from './settings.ts';
import { FileTranscriber } from './transcribe-file.ts';
import { Cancellation, NoteTranscriber, type HistoryIds } from './transcribe-note.ts';

const notify: Notify = (message, timeoutMs) => {
  const notice = new Notice(message, timeoutMs);
  return { setMessage: (text) => void notice.setMessage(text), hide: () => notice.hide() };
};

const openBrowserSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url);
  socket.binaryType = 'arraybuffer';
  socket.onopen = () => handlers.onOpen();
  socket.onmessage = (event) => handlers.onMessage(event.data);
  socket.onerror = () => handlers.onError();
  socket.onclose = (event) => handlers.onClose(event.code, event.reason);
  return {
    get open() {
      return socket.readyState === WebSocket.OPEN;
    },
    send: (data) => socket.send(data),
    close: (code) => socket.close(code),
  };
};

/** The default microphone as mono float32 blocks at the audio context's rate (resampled to 16 kHz later). */
const openBrowserMicrophone: OpenMicrophone = async (onAudio) => {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  // ScriptProcessor needs no separate worklet file, which a single-file plugin cannot ship.
  const processor = context.createScriptProcessor(4096, 1, 1);
  processor.onaudioprocess = (event) => onAudio(new Float32Array(event.inputBuffer.getChannelData(0)), context.sampleRate);
  source.connect(processor);
  processor.connect(context.destination);
  const capture: MicrophoneCapture = {
    stop: () => {
      processor.disconnect();
      source.disconnect();
      for (const track of stream.getTracks()) track.stop();
      void context.close();
    },
  };
  return capture;
};

const DICTATION_LABELS: Record<DictationState, string> = { idle: '', connecting: '🎙 Connecting…', listening: '🎙 Listening', stopping: '🎙 Finishing…' };

export default class TingxiePlugin extends Plugin implements SettingsHost {
  override settings: TingxieSettings = mergeSettings(null);
  private running: { cancellation: Cancellation; done: Promise<unknown> } | null = null;
  private dictation: Dictation | null = null;

  override async onload(): Promise<void> {
    this.settings = mergeSettings(await this.loadData());
    const { vault, metadataCache, workspace } = this.app;
    const settings = (): TingxieSettings => this.settings;
    const client = new EngineClient(requestUrl, settings);
    const historyIds: HistoryIds = new Map();
    const noteTranscriber = new NoteTranscriber({ vault, metadataCache, client, notify, settings, historyIds });
    const fileTranscriber = new FileTranscriber({ vault, client, notify, settings, historyIds, now: () => new Date() });
    const minutesWriter = new MinutesWriter({ vault, metadataCache, client, notify, settings, historyIds });

    const statusBar = this.addStatusBarItem();
    const dictation = new Dictation({
      client,
      settings,
      openSocket: openBrowserSocket,
      openMicrophone: openBrowserMicrophone,
      notify,
      editor: () => workspace.getActiveViewOfType(MarkdownView)?.editor ?? null,
      onState: (state, partial) => {
        statusBar.setText(state === 'listening' && partial !== '' ? `${DICTATION_LABELS[state]}: ${partial}` : DICTATION_LABELS[state]);
        statusBar.toggleClass('tingxie-dictating', state !== 'idle');
      },
    });
    this.dictation = dictation;

    const transcribeNote = (redo: boolean) => (checking: boolean): boolean => {
      const note = workspace.getActiveFile();
      if (!note || note.extension !== 'md') return false;
      if (!checking) void this.exclusive((cancellation) => noteTranscriber.transcribeNote(note, { redo, cancellation }));
      return true;
    };
    this.addCommand({ id: 'transcribe-audio-in-note', name: 'Transcribe audio in note', checkCallback: transcribeNote(false) });
    this.addCommand({ id: 'retranscribe-audio-in-note', name: 'Retranscribe audio in note', checkCallback: transcribeNote(true) });
    this.addCommand({
      id: 'transcribe-audio-file',
      name: 'Transcribe audio file to a note',
      checkCallback: (checking) => {
        const file = workspace.getActiveFile();
        if (!file || !isAudioPath(file.path)) return false;
        if (!checking) void this.exclusive(() => fileTranscriber.transcribeFile(file, { redo: false }));
        return true;
      },
    });
    this.addCommand({
      id: 'insert-meeting-minutes',
      name: 'Insert meeting minutes',
      editorCheckCallback: (checking: boolean, editor: Editor, view) => {
        const note = view.file;
        if (!note) return false;
        if (!checking) {
          const line = editor.getCursor().line;
          void this.exclusive(async () => {
            const markdown = await minutesWriter.minutesFor(note, line);
            if (markdown === null) return;
            // Headings need a line of their own.
            const cursor = editor.getCursor();
            const before = editor.getLine(cursor.line).slice(0, cursor.ch);
            editor.replaceSelection(before.trim() === '' ? markdown : `\n\n${markdown}`);
          });
        }
        return true;
      },
    });
    this.addCommand({ id: 'start-dictation', name: 'Start dictation', editorCallback: () => void dictation.start() });
    this.addCommand({ id: 'stop-dictation', name: 'Stop dictation', callback: () => void dictation.stop() });
    this.addCommand({
      id: 'cancel',
      name: 'Cancel transcription',
      checkCallback: (checking) => {
        if (!this.running) return false;
        if (!checking) this.running.cancellation.cancel();
        return true;
      },
    });

    this.registerEvent(
      workspace.on('file-menu', (menu: Menu, file: TAbstractFile) => {
        if (!(file instanceof TFile) || !isAudioPath(file.path)) return;
        menu.addItem((item) =>
          item
            .setTitle('Transcribe with Tingxie')
            .setIcon('mic')
            .onClick(() => void this.exclusive(() => fileTranscriber.transcribeFile(file, { redo: false }))),
        );
      }),
    );
    this.addSettingTab(new TingxieSettingTab(this.app, this));
  }

  override onunload(): void {
    this.running?.cancellation.cancel();
    void this.dictation?.stop();
  }

  /** Runs one long command at a time, cancellable with the `cancel` command. */
  private async exclusive<T>(task: (cancellation: Cancellation) => Promise<T>): Promise<T | undefined> {
    if (this.running) {
      notify('Tingxie: still working on the previous command ("Tingxie: Cancel transcription" stops it).');
      return undefined;
    }
    const cancellation = new Cancellation();
    const done = task(cancellation);
    this.running = { cancellation, done };
    try {
      return await done;
    } catch (error) {
      notify(`Tingxie: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    } finally {
      this.running = null;
    }
  }

  /** Resolves once the running command (if any) has finished. */
  async idle(): Promise<void> {
    await this.running?.done;
  }

  async saveSettings(): Promise<void> {
    await this.saveData(this.settings);
  }

  async checkEngine(): Promise<string> {
    const client = new EngineClient(requestUrl, () => this.settings);
    try {
      return await client.health();
    } catch (error) {
      notify(`Tingxie: ${error instanceof EngineError ? error.message : String(error)}`);
      return 'Not reachable';
    }
  }
}
