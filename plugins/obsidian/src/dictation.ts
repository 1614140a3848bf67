/**
 * Dictation: microphone → the engine's `/api/stream` WebSocket → final segments inserted at the cursor.
 * The socket and the microphone are injected (the browser's in the plugin; `ws` and file audio in tests).
 */
import type { EngineClient } from './engine-client.ts';
import type { EditorPort, Notify } from './ports.ts';
import { hotwordList, type TingxieSettings } from './settings.ts';

/** The engine accepts 16 kHz only; clients resample where the audio is captured. */
export const STREAM_SAMPLE_RATE = 16000;

/**
 * Streaming linear-interpolation resampler to 16 kHz PCM16 (LE on every platform Obsidian runs on). Keeps the
 * fractional read position and the previous block's last sample so blocks join without clicks.
 */
export class Pcm16Resampler {
  /** Position of the next output sample, in input samples relative to the current block's first sample. */
  private position = 0;
  private previous = 0;
  private readonly step: number;

  constructor(readonly inputRate: number) {
    if (!(inputRate > 0)) throw new RangeError(`input rate must be positive, got ${inputRate}`);
    this.step = inputRate / STREAM_SAMPLE_RATE;
  }

  /** `samples`: mono float32 in [-1, 1] at inputRate, shape [n]. Returns 16 kHz PCM16, shape [≈ n / step]. */
  push(samples: Float32Array): Int16Array<ArrayBuffer> {
    const out: number[] = [];
    // Index -1 is the previous block's last sample.
    const at = (i: number): number => (i < 0 ? this.previous : samples[i]!);
    while (this.position <= samples.length - 1) {
      const base = Math.floor(this.position);
      const frac = this.position - base;
      const value = frac === 0 ? at(base) : at(base) + (at(base + 1) - at(base)) * frac;
      out.push(Math.round(Math.max(-1, Math.min(1, value)) * 32767));
      this.position += this.step;
    }
    if (samples.length > 0) {
      this.position -= samples.length;
      this.previous = samples[samples.length - 1]!;
    }
    return Int16Array.from(out);
  }
}

/** What the dictation does on socket events. */
export interface SocketHandlers {
  onOpen(): void;
  /** A message: text frames as strings. */
  onMessage(data: unknown): void;
  onError(): void;
  onClose(code: number, reason: string): void;
}

/** An open(ing) WebSocket: the browser's in the plugin, `ws` in tests, each behind a few lines of adapter. */
export interface SocketConnection {
  readonly open: boolean;
  send(data: string | ArrayBuffer): void;
  close(code?: number): void;
}

export type OpenSocket = (url: string, handlers: SocketHandlers) => SocketConnection;

export interface MicrophoneCapture {
  stop(): void;
}

/** Starts capturing; `onAudio` gets mono float32 blocks at `sampleRate`. Rejects when access is denied. */
export type OpenMicrophone = (onAudio: (samples: Float32Array, sampleRate: number) => void) => Promise<MicrophoneCapture>;

export type DictationState = 'idle' | 'connecting' | 'listening' | 'stopping';

export interface DictationDeps {
  client: EngineClient;
  settings: () => TingxieSettings;
  openSocket: OpenSocket;
  openMicrophone: OpenMicrophone;
  notify: Notify;
  /** Where final text goes (the active editor's cursor); null when no editor is open. */
  editor: () => EditorPort | null;
  onState: (state: DictationState, partial: string) => void;
  /** How long stop waits for the engine's `end`, ms. */
  stopTimeoutMs?: number;
}

const LATIN_END = /[A-Za-z0-9.,;:!?)]$/;
const LATIN_START = /^[A-Za-z0-9(]/;

/** Inserts dictated text at the cursor, with a space between Latin words (none between Han characters). */
export function insertDictated(editor: EditorPort, text: string): void {
  const cursor = editor.getCursor();
  const before = editor.getLine(cursor.line).slice(0, cursor.ch);
  editor.replaceSelection(LATIN_END.test(before) && LATIN_START.test(text) ? ` ${text}` : text);
}

export class Dictation {
  private socket: SocketConnection | null = null;
  private microphone: MicrophoneCapture | null = null;
  private currentState: DictationState = 'idle';
  private ended: (() => void) | null = null;

  constructor(private readonly deps: DictationDeps) {}

  get state(): DictationState {
    return this.currentState;
  }

  private setState(state: DictationState, partial = ''): void {
    this.currentState = state;
    this.deps.onState(state, partial);
  }

  /** Connects, sends `start`, and once the engine is `ready` streams the microphone. */
  async start(): Promise<void> {
    if (this.currentState !== 'idle') return;
    this.setState('connecting');
    const settings = this.deps.settings();
    let socket: SocketConnection | null = null;
    const ready = new Promise<void>((resolve, reject) => {
      socket = this.deps.openSocket(this.deps.client.streamUrl(), {
        onOpen: () => {
          socket?.send(JSON.stringify({ type: 'start', language: settings.language, itn: settings.itn, hotwords: hotwordList(settings.hotwords), sampleRate: STREAM_SAMPLE_RATE }));
        },
        onMessage: (data) => {
          if (this.socket !== socket) return;
          const message = parseMessage(data);
          if (message?.type === 'ready') resolve();
          else this.handle(message);
        },
        onError: () => reject(new Error(`Cannot reach the Tingxie engine at ${settings.engineUrl}. Start it with "tingxie serve", or fix the engine URL in Settings → Tingxie.`)),
        onClose: (code, reason) => {
          reject(new Error(`The engine closed the stream (${code}${reason ? `: ${reason}` : ''}).`));
          if (this.socket === socket) this.finish();
        },
      });
      this.socket = socket;
    });
    const opened = this.socket as SocketConnection | null;
    try {
      await ready;
      let current: { rate: number; resampler: Pcm16Resampler } | null = null;
      this.microphone = await this.deps.openMicrophone((samples, sampleRate) => {
        if (opened === null || this.socket !== opened || !opened.open || this.currentState === 'stopping') return;
        if (current === null || current.rate !== sampleRate) current = { rate: sampleRate, resampler: new Pcm16Resampler(sampleRate) };
        const pcm = current.resampler.push(samples);
        if (pcm.length > 0) opened.send(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength));
      });
      if (this.socket === opened && (this.currentState as DictationState) === 'connecting') this.setState('listening');
    } catch (error) {
      this.deps.notify(`Tingxie: dictation failed: ${error instanceof Error ? error.message : String(error)}`);
      if (this.socket === opened) this.finish();
    }
  }

  /** Stops the microphone, sends `stop`, and waits for the engine's last final and `end`. */
  async stop(): Promise<void> {
    const socket = this.socket;
    if (socket === null || this.currentState === 'stopping') return;
    this.microphone?.stop();
    this.microphone = null;
    this.setState('stopping');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ended = new Promise<void>((resolve) => {
      this.ended = resolve;
      timer = setTimeout(resolve, this.deps.stopTimeoutMs ?? 10_000);
    });
    if (socket.open) socket.send(JSON.stringify({ type: 'stop' }));
    else this.finish();
    await ended;
    clearTimeout(timer);
    this.finish();
  }

  private handle(message: StreamMessage | null): void {
    if (message === null) return;
    if (message.type === 'partial' && typeof message.text === 'string') this.deps.onState(this.currentState, message.text);
    else if (message.type === 'final' && typeof message.text === 'string' && message.text !== '') {
      const editor = this.deps.editor();
      if (editor) insertDictated(editor, message.text);
      else this.deps.notify(`Tingxie: no editor open; dictated "${message.text}" was not inserted.`);
      this.deps.onState(this.currentState, '');
    } else if (message.type === 'error') {
      this.deps.notify(`Tingxie: dictation stopped: ${typeof message.message === 'string' ? message.message : String(message.code)}`);
    } else if (message.type === 'end') {
      this.ended?.();
    }
  }

  private finish(): void {
    this.microphone?.stop();
    this.microphone = null;
    const socket = this.socket;
    this.socket = null;
    if (socket?.open) socket.close(1000);
    this.ended?.();
    this.ended = null;
    if (this.currentState !== 'idle') this.setState('idle');
  }
}

interface StreamMessage {
  type: string;
  text?: unknown;
  code?: unknown;
  message?: unknown;
}

function parseMessage(data: unknown): StreamMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed = JSON.parse(data) as unknown;
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { type?: unknown }).type === 'string' ? (parsed as StreamMessage) : null;
  } catch {
    return null;
  }
}
