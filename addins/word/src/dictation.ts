/**
 * One dictation session: the microphone → 16 kHz PCM16 frames → the engine's `/api/stream` socket, with
 * partials shown and finals handed on in order. `stop()` sends `stop` and waits for the engine's `end`,
 * so the last sentence is never lost.
 */
import { Resampler, STREAM_RATE, floatToPcm16 } from './audio.ts';
import { PaneError, keyForErrorCode, type EngineClient } from './engine-client.ts';

export interface DictationHandlers {
  onPartial(text: string): void;
  /** Called once per final segment, in order; the next waits for this one's promise. */
  onFinal(text: string): Promise<void>;
  /** A failure after start (socket closed, engine error). Text already inserted stays. */
  onError(error: PaneError): void;
}

/** ~100 ms of audio per frame. */
const FRAME_SAMPLES = STREAM_RATE / 10;
/** How long stop() waits for the engine's `end` before giving up. */
const END_TIMEOUT_MS = 30_000;

// The worklet copies each 128-sample render quantum to the main thread.
const WORKLET_SOURCE = `class TingxieCapture extends AudioWorkletProcessor {
  process(inputs) { const channel = inputs[0] && inputs[0][0]; if (channel) this.port.postMessage(channel.slice(0)); return true; }
}
registerProcessor('tingxie-capture', TingxieCapture);`;

interface StreamServerMessage {
  type: string;
  text?: string;
  code?: string;
  message?: string;
}

export class DictationSession {
  private ready = false;
  private stopping = false;
  private ended = false;
  private pending: Float32Array[] = [];
  private pendingSamples = 0;
  private readonly queued: ArrayBuffer[] = [];
  private inserts: Promise<void> = Promise.resolve();
  private resolveEnded: () => void = () => undefined;
  private readonly endedPromise: Promise<void>;
  private failure: PaneError | null = null;

  private socket: WebSocket | null = null;

  private constructor(
    private readonly stream: MediaStream,
    private audio: AudioContext,
    private readonly handlers: DictationHandlers,
  ) {
    this.endedPromise = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  /** Asks for the microphone, opens the socket and starts streaming. Rejects with a PaneError. */
  static async start(client: EngineClient, opts: { language: string; itn: boolean }, handlers: DictationHandlers): Promise<DictationSession> {
    let stream: MediaStream;
    try {
      // Raw audio: echo cancellation and noise suppression distort speech for recognition.
      stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    } catch (error) {
      const name = (error as { name?: string }).name;
      throw new PaneError(name === 'NotFoundError' || name === 'OverconstrainedError' ? 'errMicMissing' : 'errMicDenied');
    }
    // A 16 kHz context lets the browser resample (with proper filtering); where the host refuses that
    // (or refuses to connect a microphone to it), capture at the device rate and resample here.
    let audio: AudioContext;
    try {
      audio = new AudioContext({ sampleRate: STREAM_RATE });
    } catch {
      audio = new AudioContext();
    }
    const session = new DictationSession(stream, audio, handlers);
    try {
      // Capture first (frames queue until the engine is ready), so the first words are not lost while the socket opens.
      try {
        await session.capture();
      } catch (error) {
        if (session.audio.sampleRate === STREAM_RATE && session.audio.state !== 'closed') {
          void session.audio.close();
          session.audio = new AudioContext();
          await session.capture();
        } else throw error;
      }
      const socket = new WebSocket(client.streamUrl());
      socket.binaryType = 'arraybuffer';
      await new Promise<void>((resolve, reject) => {
        socket.onopen = () => resolve();
        socket.onerror = () => reject(new PaneError('errUnreachable', { url: client.baseUrl }));
      });
      session.socket = socket;
      session.listen(socket);
      socket.send(JSON.stringify({ type: 'start', language: opts.language, itn: opts.itn, sampleRate: STREAM_RATE }));
    } catch (error) {
      session.release();
      // A refused upgrade (wrong token, no model…) reaches the page only as a failed socket: ask the HTTP API why.
      if (error instanceof PaneError && error.key === 'errUnreachable') await client.check();
      throw error;
    }
    return session;
  }

  private listen(socket: WebSocket): void {
    socket.onerror = null;
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== 'string') return;
      const message = JSON.parse(event.data) as StreamServerMessage;
      switch (message.type) {
        case 'ready':
          this.ready = true;
          for (const frame of this.queued.splice(0)) socket.send(frame);
          break;
        case 'partial':
          this.handlers.onPartial(message.text ?? '');
          break;
        case 'final': {
          const text = message.text ?? '';
          this.handlers.onPartial('');
          this.inserts = this.inserts.then(() => this.handlers.onFinal(text));
          break;
        }
        case 'end':
          this.ended = true;
          this.resolveEnded();
          break;
        case 'error':
          this.failure = new PaneError(keyForErrorCode(message.code), { message: message.message ?? '' });
          break;
        default:
          break;
      }
    };
    socket.onclose = () => {
      if (!this.ended) {
        const failure = this.failure ?? new PaneError('errStreamClosed');
        this.release();
        this.handlers.onError(failure);
      }
      this.resolveEnded();
    };
  }

  private async capture(): Promise<void> {
    const url = URL.createObjectURL(new Blob([WORKLET_SOURCE], { type: 'application/javascript' }));
    try {
      await this.audio.audioWorklet.addModule(url);
    } finally {
      URL.revokeObjectURL(url);
    }
    const source = this.audio.createMediaStreamSource(this.stream);
    const node = new AudioWorkletNode(this.audio, 'tingxie-capture');
    const resampler = new Resampler(this.audio.sampleRate);
    node.port.onmessage = (event: MessageEvent<Float32Array>) => {
      if (this.stopping) return;
      this.push(resampler.push(event.data));
    };
    source.connect(node);
    // Chromium pulls a worklet only when it reaches the destination; it outputs silence.
    node.connect(this.audio.destination);
    if (this.audio.state === 'suspended') await this.audio.resume();
  }

  private push(samples: Float32Array): void {
    if (samples.length === 0) return;
    this.pending.push(samples);
    this.pendingSamples += samples.length;
    if (this.pendingSamples >= FRAME_SAMPLES) this.flush();
  }

  private flush(): void {
    if (this.pendingSamples === 0) return;
    const joined = new Float32Array(this.pendingSamples);
    let offset = 0;
    for (const part of this.pending) {
      joined.set(part, offset);
      offset += part.length;
    }
    this.pending = [];
    this.pendingSamples = 0;
    const frame = floatToPcm16(joined);
    if (this.ready && this.socket) this.socket.send(frame);
    else this.queued.push(frame);
  }

  private release(): void {
    for (const track of this.stream.getTracks()) track.stop();
    if (this.audio.state !== 'closed') void this.audio.close();
  }

  /** Stops the microphone, finishes the stream and resolves after every final is handled. */
  async stop(): Promise<void> {
    if (this.stopping) return this.endedPromise.then(() => this.inserts);
    this.stopping = true;
    this.flush();
    this.release();
    const socket = this.socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      for (const frame of this.queued.splice(0)) socket.send(frame);
      socket.send(JSON.stringify({ type: 'stop' }));
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, END_TIMEOUT_MS));
      await Promise.race([this.endedPromise, timeout]);
      if (socket.readyState === WebSocket.OPEN) socket.close(1000);
    }
    await this.inserts;
  }
}
