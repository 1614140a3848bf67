/**
 * Adapts a StreamSession to one WebSocket connection: frame checks, the start handshake (model lease + VAD),
 * one job at a time in arrival order, backpressure accounting, limits and cleanup. Socket-free: the route passes
 * a StreamTransport, tests a fake one.
 *
 * Errors end the connection with `{type:"error"}` then a close whose code says why (closeCodeFor). Protocol
 * errors (bad JSON, odd-length or early binary frames, a second start) and oversize frames close at once,
 * dropping queued audio; limits and overload first finalize what was already decoded. A client that disconnects
 * mid-stream has its queued audio dropped; the lease and VAD are released once the job in flight is done.
 */
import { ErrorCodes, TingxieError, toTingxieError } from '../../errors.ts';
import type { RecognitionResult, RecognizeOptions } from '../../models/asr-model.ts';
import { emptyHotwordList, mergeHotwordLists, type HotwordList } from '../../text/hotwords/list.ts';
import type { Clock } from './clock.ts';
import { closeCodeFor, parseClientMessage, pcm16FromBytes, STREAM_SAMPLE_RATE, type ClientMessage, type ServerMessage, type StartMessage } from './protocol.ts';
import { StreamSession, type StreamAction, type StreamSessionOptions } from './session.ts';

export interface StreamTransport {
  send(text: string): void;
  close(code: number, reason: string): void;
  /** Bytes queued on the socket but not yet sent. */
  readonly bufferedAmount: number;
}

/** Model and VAD for one stream, released when the stream ends. */
export interface StreamResources {
  recognize(samples: Float32Array, opts: RecognizeOptions): Promise<RecognitionResult>;
  vadProbabilities(samples: Float32Array): Promise<Float32Array>;
  /** Punctuates a final segment's text when the engine has a punctuation model; absent = text unchanged. */
  punctuate?(text: string): Promise<string>;
  release(): Promise<void>;
}

export interface StreamConnectionOptions {
  session: Partial<StreamSessionOptions>;
  /** Largest binary frame, bytes (PCM16: 2 bytes a sample). */
  maxFrameBytes: number;
  /** Largest text frame, bytes. */
  maxTextBytes: number;
  /** The start message must arrive within this many seconds of connecting. */
  startTimeoutS: number;
  /** Audio waiting to be processed beyond this many seconds → STREAM_OVERLOADED. */
  maxBacklogS: number;
}

export const DEFAULT_STREAM_CONNECTION_OPTIONS: Readonly<StreamConnectionOptions> = Object.freeze({
  session: {},
  maxFrameBytes: 256 * 1024,
  maxTextBytes: 64 * 1024,
  startTimeoutS: 10,
  maxBacklogS: 60,
});

/** What the connection may log: never audio or transcript text. */
export interface StreamLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

export interface StreamConnectionDeps {
  transport: StreamTransport;
  /** Acquires the model and a fresh VAD; called once, on start. */
  openResources(): Promise<StreamResources>;
  /** The saved (global) hotword list, merged under the stream's own as for file transcriptions. */
  savedHotwords?(): Promise<HotwordList>;
  clock: Clock;
  options?: Partial<StreamConnectionOptions>;
  log?: StreamLog;
}

/** `draining`: failing after finalizing what was decoded; further input is ignored. */
export type ConnectionState = 'awaiting-start' | 'opening' | 'streaming' | 'draining' | 'closed';

interface Job {
  /** Samples of audio this job carries (0 for control jobs). */
  samples: number;
  run(): Promise<void>;
}

export class StreamConnection {
  readonly #deps: StreamConnectionDeps;
  readonly #options: StreamConnectionOptions;
  readonly #connectedAtMs: number;
  #state: ConnectionState = 'awaiting-start';
  #session: StreamSession | null = null;
  #resources: StreamResources | null = null;
  #queue: Job[] = [];
  /** Samples in #queue. */
  #queuedSamples = 0;
  #running = false;
  #tickQueued = false;
  #released = false;
  #transportClosed = false;
  readonly #idleWaiters: (() => void)[] = [];
  readonly #done: Promise<void>;
  #resolveDone: () => void = () => {};

  constructor(deps: StreamConnectionDeps) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_STREAM_CONNECTION_OPTIONS, ...deps.options };
    this.#connectedAtMs = deps.clock.now();
    this.#done = new Promise((resolve) => {
      this.#resolveDone = resolve;
    });
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Resolves once the connection is closed and its model lease and VAD are released. */
  get done(): Promise<void> {
    return this.#done;
  }

  onText(text: string): void {
    if (this.#state === 'closed' || this.#state === 'draining') return;
    if (Buffer.byteLength(text) > this.#options.maxTextBytes) {
      this.#failNow(new TingxieError(ErrorCodes.PAYLOAD_TOO_LARGE, `Text frames are limited to ${this.#options.maxTextBytes} bytes.`));
      return;
    }
    let message: ClientMessage;
    try {
      message = parseClientMessage(text);
    } catch (error) {
      this.#failNow(toTingxieError(error, ErrorCodes.STREAM_PROTOCOL));
      return;
    }
    if (message.type === 'start') {
      if (this.#state !== 'awaiting-start') {
        this.#failNow(new TingxieError(ErrorCodes.STREAM_PROTOCOL, 'The stream was already started.'));
        return;
      }
      this.#state = 'opening';
      this.#enqueue({ samples: 0, run: () => this.#open(message) });
      return;
    }
    if (this.#state === 'awaiting-start') {
      this.#failNow(new TingxieError(ErrorCodes.STREAM_PROTOCOL, 'stop arrived before start.'));
      return;
    }
    this.#enqueue({ samples: 0, run: () => this.#runSession((session) => session.onStop()) });
  }

  onBinary(bytes: Uint8Array): void {
    if (this.#state === 'closed' || this.#state === 'draining') return;
    if (bytes.length > this.#options.maxFrameBytes) {
      this.#failNow(new TingxieError(ErrorCodes.PAYLOAD_TOO_LARGE, `Audio frames are limited to ${this.#options.maxFrameBytes} bytes; send smaller frames.`, {
        maxFrameBytes: this.#options.maxFrameBytes,
      }));
      return;
    }
    if (this.#state === 'awaiting-start') {
      this.#failNow(new TingxieError(ErrorCodes.STREAM_PROTOCOL, 'Audio arrived before the start message.'));
      return;
    }
    let pcm: Int16Array;
    try {
      pcm = pcm16FromBytes(bytes);
    } catch (error) {
      this.#failNow(toTingxieError(error, ErrorCodes.STREAM_PROTOCOL));
      return;
    }
    if ((this.#queuedSamples + pcm.length) / STREAM_SAMPLE_RATE > this.#options.maxBacklogS) {
      this.#overloaded();
      return;
    }
    this.#queuedSamples += pcm.length;
    this.#enqueue({ samples: pcm.length, run: () => this.#runSession((session) => session.onAudio(pcm)) });
  }

  /** Timer: start timeout and the session's wall-time limit. */
  onTick(): void {
    if (this.#state === 'awaiting-start') {
      if (this.#deps.clock.now() - this.#connectedAtMs >= this.#options.startTimeoutS * 1000) {
        this.#failNow(new TingxieError(ErrorCodes.STREAM_PROTOCOL, `No start message within ${this.#options.startTimeoutS} s.`));
      }
      return;
    }
    if (this.#state !== 'streaming' || this.#tickQueued) return;
    this.#tickQueued = true;
    this.#enqueue({
      samples: 0,
      run: async () => {
        this.#tickQueued = false;
        await this.#runSession((session) => session.onTick());
      },
    });
  }

  /** Resolves once every job received so far has run (tests, shutdown). */
  whenIdle(): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** The socket closed (client went away, or after our own close). */
  onClose(): void {
    if (this.#state !== 'closed') this.#deps.log?.info({ receivedS: this.#session?.receivedS ?? 0 }, 'stream client disconnected');
    this.#state = 'closed';
    this.#transportClosed = true;
    this.#dropQueue();
    this.#releaseWhenIdle();
  }

  async #open(requested: StartMessage): Promise<void> {
    let resources: StreamResources;
    let start: StartMessage;
    try {
      start = await this.#withSavedHotwords(requested);
      resources = await this.#deps.openResources();
    } catch (error) {
      this.#failNow(toTingxieError(error));
      return;
    }
    this.#resources = resources;
    if (this.#state === 'closed') return; // gone while loading; released when the worker goes idle
    const session = new StreamSession({
      recognize: (samples, opts) => resources.recognize(samples, opts),
      vadProbabilities: (samples) => resources.vadProbabilities(samples),
      ...(resources.punctuate ? { punctuate: resources.punctuate.bind(resources) } : {}),
      clock: this.#deps.clock,
      options: this.#options.session,
      pressure: () => ({ backlogSamples: this.#queuedSamples, bufferedBytes: this.#deps.transport.bufferedAmount }),
    });
    this.#session = session;
    if (this.#state === 'opening') this.#state = 'streaming';
    this.#apply(session.onStart(start));
  }

  async #withSavedHotwords(start: StartMessage): Promise<StartMessage> {
    if (!this.#deps.savedHotwords) return start;
    const merged = mergeHotwordLists(await this.#deps.savedHotwords(), start.hotwords ?? emptyHotwordList());
    return { ...start, hotwords: merged.hotwords.length + merged.replacements.length > 0 ? merged : null };
  }

  async #runSession(step: (session: StreamSession) => Promise<StreamAction[]>): Promise<void> {
    const session = this.#session;
    if (!session || (this.#state !== 'streaming' && this.#state !== 'draining')) return;
    this.#apply(await step(session));
  }

  /** Backlog too deep: drop the unprocessed audio, finalize what was decoded, then STREAM_OVERLOADED. */
  #overloaded(): void {
    const behindS = this.#queuedSamples / STREAM_SAMPLE_RATE;
    this.#deps.log?.warn({ behindS }, 'stream overloaded');
    this.#dropQueue();
    this.#state = 'draining';
    const error = new TingxieError(ErrorCodes.STREAM_OVERLOADED, `Decoding fell more than ${this.#options.maxBacklogS} s of audio behind; send audio no faster than it can be decoded.`, {
      behindS,
    });
    this.#enqueue({ samples: 0, run: () => this.#runSession((session) => session.abort(error)) });
  }

  #apply(actions: StreamAction[]): void {
    for (const action of actions) {
      if (this.#transportClosed) return;
      if (action.type === 'send') this.#send(action.message);
      else this.#close(action.code, action.reason);
    }
  }

  #send(message: ServerMessage): void {
    this.#deps.transport.send(JSON.stringify(message));
  }

  #close(code: number, reason: string): void {
    if (this.#transportClosed) return;
    this.#transportClosed = true;
    this.#state = 'closed';
    this.#dropQueue();
    this.#deps.transport.close(code, reason);
    this.#releaseWhenIdle();
  }

  /** Error message and close now, whatever is queued. */
  #failNow(error: TingxieError): void {
    if (this.#transportClosed) return;
    if (error.code !== ErrorCodes.STREAM_PROTOCOL && error.code !== ErrorCodes.PAYLOAD_TOO_LARGE) {
      this.#deps.log?.warn({ code: error.code, err: error.message }, 'stream failed');
    }
    this.#send({ type: 'error', code: error.code, message: error.message });
    this.#close(closeCodeFor(error.code), error.code);
  }

  #enqueue(job: Job): void {
    this.#queue.push(job);
    if (!this.#running) void this.#work();
  }

  async #work(): Promise<void> {
    this.#running = true;
    try {
      for (let job = this.#queue.shift(); job; job = this.#queue.shift()) {
        this.#queuedSamples -= job.samples;
        try {
          await job.run();
        } catch (error) {
          this.#failNow(toTingxieError(error));
        }
      }
    } finally {
      this.#running = false;
      this.#releaseWhenIdle();
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  #dropQueue(): void {
    this.#queue = [];
    this.#queuedSamples = 0;
  }

  #releaseWhenIdle(): void {
    if (this.#state !== 'closed' || this.#running || this.#released) return;
    this.#released = true;
    const resources = this.#resources;
    this.#resources = null;
    this.#session = null;
    const finish = (): void => this.#resolveDone();
    if (!resources) {
      finish();
      return;
    }
    resources.release().then(finish, (error: unknown) => {
      this.#deps.log?.warn({ err: error instanceof Error ? error.message : String(error) }, 'releasing stream resources failed');
      finish();
    });
  }
}
