/**
 * One streaming transcription as a state machine, after whisper_streaming's online processor: audio in,
 * named actions out (messages to send, the close). No sockets here; the connection adapts it to a WebSocket.
 *
 *   awaiting-start ──onStart──▶ streaming ──onStop / limit / error──▶ finished
 *
 * While streaming, every 512-sample window gets a Silero probability and goes through a SpeechSegmenter, which
 * yields finished segments; each is decoded once over its whole audio and sent as a `final` (never dropped).
 * The open segment is decoded every `partialIntervalS` of its audio and sent as a `partial` — unless the session
 * is under pressure (decoding behind by more than `lagPartialsS` of audio, or the socket holding more than
 * `maxBufferedBytes` unsent), in which case partials are skipped and the client is told once with `lagging`.
 * A partial whose text has not changed since the segment's previous one is not sent again.
 *
 * Time: partials are scheduled on audio time (samples received), so results do not depend on how fast the audio
 * arrives; the clock is used only for the wall-time limit. Both limits (audio and wall) are `maxSessionS`: on
 * reaching either, what was said is finalized, then STREAM_TOO_LONG.
 *
 * The open segment's extent is tracked beside the segmenter with the same rules (threshold onset; a pause of
 * p < negThreshold lasting minSilenceMs ends it), because the segmenter keeps that state private.
 */
import { ErrorCodes, TingxieError, toTingxieError } from '../../errors.ts';
import type { RecognitionResult, RecognizeOptions } from '../../models/asr-model.ts';
import { finalizeSegmentText } from '../../text/postprocess.ts';
import { DEFAULT_VAD_OPTIONS, SpeechSegmenter, validateVadOptions, type SpeechSegment, type VadOptions } from '../../vad/segmenter.ts';
import type { Clock } from './clock.ts';
import { CloseCodes, closeCodeFor, pcm16ToFloat32, STREAM_SAMPLE_RATE, type FinalMessage, type ServerMessage, type StartMessage } from './protocol.ts';

export interface StreamSessionOptions {
  /** Seconds of open-segment audio between partial decodes. */
  partialIntervalS: number;
  /** Longest session, seconds of audio and of wall time. */
  maxSessionS: number;
  vadOptions: VadOptions;
  /** Decoding behind by more than this many seconds of audio → partials are skipped. */
  lagPartialsS: number;
  /** Unsent bytes on the socket beyond this → partials are skipped. */
  maxBufferedBytes: number;
}

export const DEFAULT_STREAM_SESSION_OPTIONS: Readonly<StreamSessionOptions> = Object.freeze({
  partialIntervalS: 2,
  maxSessionS: 2 * 3600,
  vadOptions: DEFAULT_VAD_OPTIONS,
  lagPartialsS: 5,
  maxBufferedBytes: 1 << 20,
});

/** How far behind the session is, as seen by whoever feeds it. */
export interface StreamPressure {
  /** Samples received but not yet given to the session. */
  backlogSamples: number;
  /** Bytes the socket has not sent yet. */
  bufferedBytes: number;
}

export interface StreamSessionDeps {
  recognize(samples: Float32Array, opts: RecognizeOptions): Promise<RecognitionResult>;
  /**
   * Speech probabilities of the next windows of the stream, in order. `samples`: 16 kHz; a whole number of
   * 512-sample windows, except on the last call, which may end with a partial window (zero-padded by the VAD).
   * Returns shape [ceil(samples.length / 512)].
   */
  vadProbabilities(samples: Float32Array): Promise<Float32Array>;
  /** Punctuates final text (partials stay as decoded: they change until the segment ends); absent = unchanged. */
  punctuate?(text: string): Promise<string>;
  clock: Clock;
  options?: Partial<StreamSessionOptions>;
  pressure?(): StreamPressure;
}

export type StreamAction = { type: 'send'; message: ServerMessage } | { type: 'close'; code: number; reason: string };

export type StreamState = 'awaiting-start' | 'streaming' | 'finished';

/** The open segment as tracked beside the segmenter. Samples from the start of the stream. */
interface OpenSpeech {
  /** First speech sample (window start), or where a split-off remainder begins. */
  onset: number;
  /** Start of the pause going on now, or null. */
  pauseStart: number | null;
  /** Next position (samples) at which a partial is due. */
  nextPartialAt: number;
  /** Raw text of the last partial sent for this segment: an unchanged text is not sent again. */
  lastPartial: string;
}

/** Float samples addressed by absolute index, dropping its head on request (amortised O(1) a sample). */
class AudioTail {
  #data = new Float32Array(16000);
  /** Index in #data of the first held sample. */
  #offset = 0;
  #length = 0;
  /** Absolute index of the first held sample. */
  #first = 0;

  get end(): number {
    return this.#first + this.#length;
  }

  append(values: Float32Array): void {
    if (this.#offset + this.#length + values.length > this.#data.length) {
      // Compact first; grow only when more than half the buffer is live.
      const needed = this.#length + values.length;
      const target = needed * 2 > this.#data.length ? new Float32Array(Math.max(this.#data.length * 2, needed * 2)) : this.#data;
      target.set(this.#data.subarray(this.#offset, this.#offset + this.#length));
      this.#data = target;
      this.#offset = 0;
    }
    this.#data.set(values, this.#offset + this.#length);
    this.#length += values.length;
  }

  /** Copy of [start, end), clamped to what is held. */
  copy(start: number, end: number): Float32Array {
    const from = Math.max(start, this.#first) - this.#first;
    const to = Math.min(end, this.end) - this.#first;
    return this.#data.slice(this.#offset + from, this.#offset + Math.max(from, to));
  }

  dropBefore(index: number): void {
    const drop = Math.min(Math.max(index - this.#first, 0), this.#length);
    this.#offset += drop;
    this.#length -= drop;
    this.#first += drop;
  }
}

export class StreamSession {
  readonly #deps: StreamSessionDeps;
  readonly #options: StreamSessionOptions;
  readonly #vad: VadOptions & { negThreshold: number };
  readonly #window: number;
  readonly #pad: number;
  readonly #minSilence: number;
  readonly #segmenter: SpeechSegmenter;
  readonly #audio = new AudioTail();
  /** Samples of an incomplete window waiting for the rest. */
  readonly #pendingWindow: Float32Array;
  #pendingFill = 0;
  #state: StreamState = 'awaiting-start';
  #start: StartMessage | null = null;
  #startedAtMs = 0;
  /** Samples received (and accepted) so far. */
  #received = 0;
  /** Samples through VAD and segmenter so far (whole windows). */
  #position = 0;
  #open: OpenSpeech | null = null;
  /** End of the last finished segment (samples): partials never reach back past it. */
  #lastSegmentEnd = 0;
  #lagging = false;
  #busy = false;

  constructor(deps: StreamSessionDeps) {
    this.#deps = deps;
    const options: StreamSessionOptions = { ...DEFAULT_STREAM_SESSION_OPTIONS, ...deps.options };
    if (!(options.partialIntervalS > 0)) throw new TingxieError(ErrorCodes.CONFIG_INVALID, 'partialIntervalS must be > 0.', { field: 'streamPartialIntervalS' });
    if (!(options.maxSessionS > 0)) throw new TingxieError(ErrorCodes.CONFIG_INVALID, 'maxSessionS must be > 0.', { field: 'maxStreamSessionS' });
    const vad = validateVadOptions(options.vadOptions);
    this.#options = { ...options, vadOptions: vad };
    this.#vad = { ...vad, negThreshold: vad.negThreshold ?? Math.max(vad.threshold - 0.15, 0.01) };
    this.#window = vad.windowSamples;
    this.#pad = Math.round((vad.speechPadMs * vad.sampleRate) / 1000);
    this.#minSilence = Math.round((vad.minSilenceMs * vad.sampleRate) / 1000);
    this.#segmenter = new SpeechSegmenter(vad);
    this.#pendingWindow = new Float32Array(this.#window);
  }

  get state(): StreamState {
    return this.#state;
  }

  /** Seconds of audio received. */
  get receivedS(): number {
    return this.#received / STREAM_SAMPLE_RATE;
  }

  onStart(message: StartMessage): StreamAction[] {
    if (this.#state !== 'awaiting-start') return this.#fail(new TingxieError(ErrorCodes.STREAM_PROTOCOL, 'The stream was already started.'));
    this.#start = message;
    this.#state = 'streaming';
    this.#startedAtMs = this.#deps.clock.now();
    return [send({ type: 'ready', sampleRate: STREAM_SAMPLE_RATE })];
  }

  /** Next audio: 16 kHz mono PCM16, any length. */
  async onAudio(pcm16: Int16Array): Promise<StreamAction[]> {
    if (this.#state === 'finished') return [];
    if (this.#state === 'awaiting-start') return this.#fail(new TingxieError(ErrorCodes.STREAM_PROTOCOL, 'Audio arrived before the start message.'));
    return this.#exclusive(async (actions) => {
      if (this.#wallTimeUp()) return this.#tooLong(actions);
      const limit = Math.floor(this.#options.maxSessionS * STREAM_SAMPLE_RATE);
      const accepted = Math.min(pcm16.length, limit - this.#received);
      this.#received += accepted;
      await this.#process(pcm16ToFloat32(pcm16.subarray(0, accepted)), actions);
      if (accepted < pcm16.length) await this.#tooLong(actions);
    });
  }

  /** The client is done: finalize the last segment, then `end` and a normal close. */
  async onStop(): Promise<StreamAction[]> {
    if (this.#state === 'finished') return [];
    if (this.#state === 'awaiting-start') return this.#fail(new TingxieError(ErrorCodes.STREAM_PROTOCOL, 'stop arrived before start.'));
    return this.#exclusive(async (actions) => {
      await this.#flush(actions);
      this.#state = 'finished';
      actions.push(send({ type: 'end', durationS: this.receivedS }), { type: 'close', code: CloseCodes.NORMAL, reason: 'end of stream' });
    });
  }

  /** Periodic check of the wall-time limit (the connection calls it on a timer). */
  async onTick(): Promise<StreamAction[]> {
    if (this.#state !== 'streaming' || !this.#wallTimeUp()) return [];
    return this.#exclusive((actions) => this.#tooLong(actions));
  }

  /**
   * Ends the stream with `error` after finalizing what was already processed (when that still works).
   * Used for limits and overload detected outside the session.
   */
  async abort(error: TingxieError): Promise<StreamAction[]> {
    if (this.#state !== 'streaming') return this.#fail(error);
    return this.#exclusive(async (actions) => {
      await this.#flush(actions);
      actions.push(...this.#fail(error));
    });
  }

  /** Runs one step; any failure becomes error + close and the session is finished. */
  async #exclusive(step: (actions: StreamAction[]) => Promise<void>): Promise<StreamAction[]> {
    // Steps share the VAD's recurrent state and the segmenter: they must run one after another.
    if (this.#busy) throw new TingxieError(ErrorCodes.INTERNAL, 'StreamSession calls must not overlap.');
    this.#busy = true;
    const actions: StreamAction[] = [];
    try {
      await step(actions);
      return actions;
    } catch (error) {
      return [...actions, ...this.#fail(toTingxieError(error))];
    } finally {
      this.#busy = false;
    }
  }

  #fail(error: TingxieError): StreamAction[] {
    this.#state = 'finished';
    return [send({ type: 'error', code: error.code, message: error.message }), { type: 'close', code: closeCodeFor(error.code), reason: error.code }];
  }

  #wallTimeUp(): boolean {
    return this.#deps.clock.now() - this.#startedAtMs >= this.#options.maxSessionS * 1000;
  }

  async #tooLong(actions: StreamAction[]): Promise<void> {
    await this.#flush(actions);
    actions.push(
      ...this.#fail(new TingxieError(ErrorCodes.STREAM_TOO_LONG, `Streaming sessions are limited to ${this.#options.maxSessionS} s; what was said so far has been finalized.`, {
        maxStreamSessionS: this.#options.maxSessionS,
      })),
    );
  }

  /** Feeds samples through VAD and segmenter, emitting finals as segments end and a partial when one is due. */
  async #process(samples: Float32Array, actions: StreamAction[]): Promise<void> {
    const w = this.#window;
    let offset = 0;
    let partialDue = false;
    const feed = async (audio: Float32Array): Promise<void> => {
      const probs = await this.#deps.vadProbabilities(audio);
      for (let i = 0; i < probs.length; i++) {
        if (await this.#step(audio.subarray(i * w, (i + 1) * w), probs[i], actions)) partialDue = true;
      }
    };
    if (this.#pendingFill > 0) {
      offset = Math.min(w - this.#pendingFill, samples.length);
      this.#pendingWindow.set(samples.subarray(0, offset), this.#pendingFill);
      this.#pendingFill += offset;
      if (this.#pendingFill < w) return;
      this.#pendingFill = 0;
      await feed(this.#pendingWindow.slice());
    }
    const wholeEnd = offset + Math.floor((samples.length - offset) / w) * w;
    if (wholeEnd > offset) await feed(samples.subarray(offset, wholeEnd));
    this.#pendingWindow.set(samples.subarray(wholeEnd), 0);
    this.#pendingFill = samples.length - wholeEnd;
    // One partial per call at most, however many intervals this chunk spanned.
    if (partialDue && this.#open) await this.#partial(this.#open, actions);
  }

  /** One window: track the open segment, feed the segmenter, decode what it finished. @returns a partial is due */
  async #step(audio: Float32Array, p: number, actions: StreamAction[]): Promise<boolean> {
    const start = this.#position;
    this.#audio.append(audio);
    this.#position = start + audio.length;
    const segments = this.#segmenter.push(audio, Float32Array.of(p));

    let open = this.#open;
    if (open) {
      if (p >= this.#vad.threshold) open.pauseStart = null;
      else if (p < this.#vad.negThreshold) {
        open.pauseStart ??= start;
        if (this.#position - open.pauseStart >= this.#minSilence) open = this.#open = null;
      }
    } else if (p >= this.#vad.threshold) {
      open = this.#open = { onset: start, pauseStart: null, nextPartialAt: start + this.#intervalSamples(), lastPartial: '' };
    }

    for (const segment of segments) {
      await this.#final(segment, actions);
      // A segment cut off by the length limit: the rest of the speech goes on as a new segment from its end.
      if (open && open.onset < segment.endSample) {
        open.onset = segment.endSample;
        open.nextPartialAt = segment.endSample + this.#intervalSamples();
        open.lastPartial = '';
      }
    }
    this.#audio.dropBefore(open ? this.#partialStart(open) : this.#position - this.#pad);

    if (!open || this.#position < open.nextPartialAt) return false;
    while (open.nextPartialAt <= this.#position) open.nextPartialAt += this.#intervalSamples();
    return true;
  }

  #intervalSamples(): number {
    return Math.max(1, Math.round(this.#options.partialIntervalS * STREAM_SAMPLE_RATE));
  }

  #partialStart(open: OpenSpeech): number {
    return Math.max(open.onset - this.#pad, this.#lastSegmentEnd, 0);
  }

  async #partial(open: OpenSpeech, actions: StreamAction[]): Promise<void> {
    const pressure = this.#deps.pressure?.() ?? { backlogSamples: 0, bufferedBytes: 0 };
    const behindS = pressure.backlogSamples / STREAM_SAMPLE_RATE;
    if (behindS > this.#options.lagPartialsS || pressure.bufferedBytes > this.#options.maxBufferedBytes) {
      if (!this.#lagging) actions.push(send({ type: 'lagging', behindS: round3(behindS) }));
      this.#lagging = true;
      return;
    }
    this.#lagging = false;
    const startSample = this.#partialStart(open);
    const result = await this.#recognize(this.#audio.copy(startSample, this.#position));
    if (result.text.trim() === '' || result.text === open.lastPartial) return;
    open.lastPartial = result.text;
    actions.push(send({ type: 'partial', text: this.#writtenText(result), rawText: result.text, start: startSample / STREAM_SAMPLE_RATE }));
  }

  async #final(segment: SpeechSegment, actions: StreamAction[]): Promise<void> {
    this.#lastSegmentEnd = segment.endSample;
    const result = await this.#recognize(segment.samples);
    // Segments the model hears nothing in (noise, breath) are not worth a message.
    if (result.text.trim() === '') return;
    const punctuated = this.#deps.punctuate ? await this.#deps.punctuate(result.text) : result.text;
    const message: FinalMessage = {
      type: 'final',
      text: this.#writtenText(result, punctuated),
      rawText: result.text,
      start: segment.startS,
      end: segment.endS,
      tokens: result.tokens,
      timestamps: result.timestamps.map((t) => round3(segment.startS + t)),
      language: this.#language(result),
    };
    actions.push(send(message));
  }

  /** Finalizes the open segment: the last partial window (zero-padded for the VAD), then the segmenter's end. */
  async #flush(actions: StreamAction[]): Promise<void> {
    if (this.#pendingFill > 0) {
      const rest = this.#pendingWindow.slice(0, this.#pendingFill);
      this.#pendingFill = 0;
      const probs = await this.#deps.vadProbabilities(rest);
      this.#position += rest.length;
      for (const segment of this.#segmenter.push(rest, probs)) await this.#final(segment, actions);
    }
    for (const segment of this.#segmenter.finish()) await this.#final(segment, actions);
    this.#open = null;
  }

  #recognize(samples: Float32Array): Promise<RecognitionResult> {
    const start = this.#start;
    if (!start) throw new TingxieError(ErrorCodes.INTERNAL, 'Decoding before start.');
    return this.#deps.recognize(samples, { language: start.language, useItn: start.itn, ...(start.hotwords ? { hotwords: start.hotwords } : {}) });
  }

  #language(result: RecognitionResult): string | null {
    const requested = this.#start?.language ?? 'auto';
    return result.language ?? (requested === 'auto' ? null : requested);
  }

  /** `text`: the recognised text, after the optional punctuation step. */
  #writtenText(result: RecognitionResult, text: string = result.text): string {
    return finalizeSegmentText(text, { itn: this.#start?.itn ?? true, language: this.#language(result) });
  }
}

function send(message: ServerMessage): StreamAction {
  return { type: 'send', message };
}

/** Seconds rounded to the millisecond, for messages. */
function round3(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
