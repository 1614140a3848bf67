import { ErrorCodes, TingxieError } from '../errors.ts';
import type { SileroVad } from './silero.ts';
import { SpeechCoverage, type VadStats } from './stats.ts';

export type { VadStats } from './stats.ts';

/**
 * Streaming speech segmentation over per-window speech probabilities, after Silero's `get_speech_timestamps`:
 *
 * - speech starts at the first window with p ≥ threshold;
 * - while in speech, a pause starts at a window with p < negThreshold and lasts until the next window with
 *   p ≥ threshold (hysteresis: windows in between neither end nor resume speech); once a pause has lasted
 *   minSilenceMs the segment ends where the pause began;
 * - segments shorter than minSpeechMs (unpadded) are dropped;
 * - kept segments are padded by speechPadMs on both sides, clamped to the stream and to their neighbours: when two
 *   segments are closer than 2·pad the gap is split in half so they touch but never overlap;
 * - no segment (padding included) is longer than maxSegmentS. When the open segment is about to exceed
 *   maxSegmentS − 2·pad, it is cut inside its last third (so every cut-off piece keeps ≥ 2/3 of the maximum):
 *     1. at the longest pause there lasting ≥ 98 ms (Silero's `min_silence_at_max_speech`; latest on ties): the
 *        piece ends where the pause begins and the remainder starts where speech resumes (or, if the pause is still
 *        going on, the segmenter returns to silence and waits for the next onset);
 *     2. otherwise at the centre of the least-likely-speech window there (lowest p, latest on ties): the two
 *        pieces touch, so no audio is lost.
 *   Cut-off pieces are always kept; the remainder follows the normal rules.
 *
 * Differences from Silero: pauses close after lasting minSilenceMs counted in whole windows (Silero waits one
 * extra window), and a segment's end padding is settled at the next speech onset even if that next segment is
 * later dropped as too short (Silero settles against the next kept one). Both keep the state bounded.
 *
 * Memory: only the audio of the open (or not yet padded) segment plus a pre-roll of speechPadMs is kept, and
 * probabilities only for the open segment, so the segmenter holds at most about maxSegmentS of audio whatever the
 * input length. Results do not depend on how the input is chunked.
 */

export interface VadOptions {
  /** Speech starts when p ≥ threshold. (0, 1]; default 0.5. */
  threshold: number;
  /** Speech pauses when p < negThreshold. [0, threshold]; default max(threshold − 0.15, 0.01) as in Silero. */
  negThreshold?: number;
  /** Segments shorter than this (before padding) are dropped. Default 250. */
  minSpeechMs: number;
  /**
   * A pause must last this long to end a segment. Default 300 rather than Silero's 100: for transcription fewer,
   * longer segments keep sentence context, and 100 ms splits inside phrases at stop closures and breaths; 300 ms is
   * still well below typical pauses between sentences.
   */
  minSilenceMs: number;
  /** Padding added on each side of a segment. Default 30. */
  speechPadMs: number;
  /** Longest segment, padding included, in seconds. Default 30 (what SenseVoice-class models handle well). */
  maxSegmentS: number;
  /** Samples per probability window (Silero v5 at 16 kHz). */
  windowSamples: 512;
  /** Hz. */
  sampleRate: 16000;
}

export const DEFAULT_VAD_OPTIONS: Readonly<VadOptions> = Object.freeze({
  threshold: 0.5,
  minSpeechMs: 250,
  minSilenceMs: 300,
  speechPadMs: 30,
  maxSegmentS: 30,
  windowSamples: 512,
  sampleRate: 16000,
});

/** Pauses at least this long are preferred cut points for over-long speech (Silero's min_silence_at_max_speech). */
export const MIN_SPLIT_PAUSE_MS = 98;
/** The open segment must fit this many windows before padding, so that its last third always holds a whole window. */
const MIN_MAX_SEGMENT_WINDOWS = 8;

const OPTION_KEYS: ReadonlySet<string> = new Set([
  'threshold',
  'negThreshold',
  'minSpeechMs',
  'minSilenceMs',
  'speechPadMs',
  'maxSegmentS',
  'windowSamples',
  'sampleRate',
]);

function invalid(field: string, message: string, value: unknown): TingxieError {
  return new TingxieError(ErrorCodes.CONFIG_INVALID, `Invalid VAD option ${field}: ${message} (got ${String(value)}).`, { field, value });
}

function requireFinite(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, 'must be a finite number', value);
  return value;
}

/** Fills defaults and checks every field; throws CONFIG_INVALID naming the offending field. */
export function validateVadOptions(o: Partial<VadOptions>): VadOptions {
  for (const key of Object.keys(o)) {
    if (!OPTION_KEYS.has(key)) throw invalid(key, 'unknown option', (o as Record<string, unknown>)[key]);
  }
  const pick = <K extends keyof VadOptions>(key: K): VadOptions[K] | undefined => (o[key] === undefined ? DEFAULT_VAD_OPTIONS[key] : o[key]);

  const threshold = requireFinite('threshold', pick('threshold'));
  if (threshold <= 0 || threshold > 1) throw invalid('threshold', 'must be in (0, 1]', threshold);
  const negThreshold = requireFinite('negThreshold', o.negThreshold ?? Math.max(threshold - 0.15, 0.01));
  if (negThreshold < 0 || negThreshold > threshold) throw invalid('negThreshold', `must be in [0, threshold = ${threshold}]`, negThreshold);
  const minSpeechMs = requireFinite('minSpeechMs', pick('minSpeechMs'));
  if (minSpeechMs < 0) throw invalid('minSpeechMs', 'must be ≥ 0', minSpeechMs);
  const minSilenceMs = requireFinite('minSilenceMs', pick('minSilenceMs'));
  if (minSilenceMs < 0) throw invalid('minSilenceMs', 'must be ≥ 0', minSilenceMs);
  const speechPadMs = requireFinite('speechPadMs', pick('speechPadMs'));
  if (speechPadMs < 0) throw invalid('speechPadMs', 'must be ≥ 0', speechPadMs);
  const windowSamples = pick('windowSamples');
  if (windowSamples !== 512) throw invalid('windowSamples', 'Silero VAD v5 at 16 kHz uses 512-sample windows', windowSamples);
  const sampleRate = pick('sampleRate');
  if (sampleRate !== 16000) throw invalid('sampleRate', 'the VAD runs at 16000 Hz', sampleRate);
  const maxSegmentS = requireFinite('maxSegmentS', pick('maxSegmentS'));
  const minMaxSegmentS = (2 * speechPadMs) / 1000 + (MIN_MAX_SEGMENT_WINDOWS * windowSamples) / sampleRate;
  if (maxSegmentS < minMaxSegmentS) {
    throw invalid('maxSegmentS', `must be ≥ ${minMaxSegmentS} s (2 × speechPadMs plus ${MIN_MAX_SEGMENT_WINDOWS} windows)`, maxSegmentS);
  }
  return { threshold, negThreshold, minSpeechMs, minSilenceMs, speechPadMs, maxSegmentS, windowSamples, sampleRate };
}

/** One stretch of speech. Times in seconds from the start of the stream; samples = audio[startSample, endSample). */
export interface SpeechSegment {
  startS: number;
  endS: number;
  /** First sample (inclusive), 16 kHz, from the start of the stream. */
  startSample: number;
  /** Last sample (exclusive). */
  endSample: number;
  /** 16 kHz mono, shape [endSample − startSample]; a copy the caller owns. */
  samples: Float32Array;
}

/** Append-only float series addressed by absolute index, dropping its head on request (amortised O(1)). */
class SlidingSeries {
  #data = new Float32Array(4096);
  /** Index in #data of the first live value. */
  #offset = 0;
  #length = 0;
  /** Absolute index of the first live value. */
  #first = 0;
  readonly #one = new Float32Array(1);

  get length(): number {
    return this.#length;
  }

  get first(): number {
    return this.#first;
  }

  get end(): number {
    return this.#first + this.#length;
  }

  append(values: Float32Array): void {
    const needed = this.#length + values.length;
    if (this.#offset + needed > this.#data.length) {
      if (needed <= this.#data.length / 2) {
        this.#data.copyWithin(0, this.#offset, this.#offset + this.#length);
      } else {
        let capacity = this.#data.length;
        while (capacity < needed * 2) capacity *= 2;
        const grown = new Float32Array(capacity);
        grown.set(this.#data.subarray(this.#offset, this.#offset + this.#length));
        this.#data = grown;
      }
      this.#offset = 0;
    }
    this.#data.set(values, this.#offset + this.#length);
    this.#length += values.length;
  }

  appendOne(value: number): void {
    this.#one[0] = value;
    this.append(this.#one);
  }

  at(index: number): number {
    return this.#data[this.#offset + index - this.#first];
  }

  /** Copy of [start, end); both must be live. */
  copy(start: number, end: number): Float32Array {
    if (start < this.#first || end > this.end || end < start) {
      throw new TingxieError(ErrorCodes.INTERNAL, `VAD buffer range [${start}, ${end}) outside [${this.#first}, ${this.end}).`);
    }
    const from = this.#offset + start - this.#first;
    return this.#data.slice(from, from + end - start);
  }

  /** Forgets everything before `index` (clamped to what is held). */
  dropBefore(index: number): void {
    const drop = Math.min(Math.max(index - this.#first, 0), this.#length);
    this.#offset += drop;
    this.#length -= drop;
    this.#first += drop;
  }
}

/** A pause inside the open segment, [startSample, endSample). */
interface Pause {
  startSample: number;
  endSample: number;
}

interface OpenSegment {
  /** First speech sample (window start), before padding. */
  rawStart: number;
  /** Start after padding, already clamped to the previous segment. */
  paddedStart: number;
  /** Completed pauses (speech resumed after them), in order. */
  pauses: Pause[];
  /** Start of the pause going on now, or null. */
  pauseStart: number | null;
}

/** A kept segment whose end padding waits on the next onset (or on 2·pad of silence). */
interface ClosedSegment {
  paddedStart: number;
  rawEnd: number;
}

/** Options converted to whole samples. */
interface SampleSettings {
  threshold: number;
  negThreshold: number;
  window: number;
  sampleRate: number;
  minSpeech: number;
  minSilence: number;
  pad: number;
  /** Longest open segment before padding. */
  maxRaw: number;
  minSplitPause: number;
}

function toSampleSettings(options: VadOptions): SampleSettings {
  const perMs = options.sampleRate / 1000;
  const pad = Math.round(options.speechPadMs * perMs);
  return {
    threshold: options.threshold,
    negThreshold: options.negThreshold ?? Math.max(options.threshold - 0.15, 0.01),
    window: options.windowSamples,
    sampleRate: options.sampleRate,
    minSpeech: Math.round(options.minSpeechMs * perMs),
    minSilence: Math.round(options.minSilenceMs * perMs),
    pad,
    maxRaw: Math.floor(options.maxSegmentS * options.sampleRate) - 2 * pad,
    minSplitPause: Math.round(MIN_SPLIT_PAUSE_MS * perMs),
  };
}

/** Pure streaming state machine: feed probabilities plus the matching audio, get final segments as they close. */
export class SpeechSegmenter {
  readonly #s: SampleSettings;
  readonly #audio = new SlidingSeries();
  /** Probabilities indexed by window number, kept for the open segment only. */
  readonly #probs = new SlidingSeries();
  readonly #coverage: SpeechCoverage;
  #windows = 0;
  /** Samples seen so far. */
  #position = 0;
  #open: OpenSegment | null = null;
  #pending: ClosedSegment | null = null;
  /** End of the last emitted segment (0 before the first): later padding never reaches back past it. */
  #lastEmittedEnd = 0;
  /** A push ended with a partial window, so the stream is over. */
  #sawPartialWindow = false;
  #finished = false;
  #out: SpeechSegment[] = [];

  constructor(opts: VadOptions) {
    this.#s = toSampleSettings(validateVadOptions(opts));
    this.#coverage = new SpeechCoverage(this.#s.sampleRate);
  }

  /** Audio samples currently held (open segment, unpadded tail, pre-roll). */
  get bufferedSamples(): number {
    return this.#audio.length;
  }

  /**
   * Feeds the next windows: probs[i] belongs to audio[i·512, (i+1)·512). `audio` may end with a partial window
   * (its probability computed on the zero-padded window) only on the last push. Returns segments now final.
   */
  push(audio: Float32Array, probs: Float32Array): SpeechSegment[] {
    const w = this.#s.window;
    if (this.#finished) throw new TingxieError(ErrorCodes.INTERNAL, 'SpeechSegmenter.push after finish().');
    if (this.#sawPartialWindow && audio.length > 0) {
      throw new TingxieError(ErrorCodes.INTERNAL, 'SpeechSegmenter.push after a partial window; only finish() may follow.');
    }
    if (probs.length !== Math.ceil(audio.length / w)) {
      throw new TingxieError(ErrorCodes.INTERNAL, `SpeechSegmenter.push: ${audio.length} samples need ${Math.ceil(audio.length / w)} probabilities, got ${probs.length}.`);
    }
    for (let i = 0; i < probs.length; i++) {
      this.#step(probs[i], audio.subarray(i * w, Math.min((i + 1) * w, audio.length)));
    }
    if (audio.length % w !== 0) this.#sawPartialWindow = true;
    return this.#takeOutput();
  }

  /** End of input: closes the open segment (ending at the end of the stream) and settles the last padding. */
  finish(): SpeechSegment[] {
    if (this.#finished) return [];
    this.#finished = true;
    const total = this.#position;
    const open = this.#open;
    if (open) {
      this.#open = null;
      if (total - open.rawStart >= this.#s.minSpeech) this.#pending = { paddedStart: open.paddedStart, rawEnd: total };
    }
    const pending = this.#pending;
    if (pending) {
      this.#pending = null;
      this.#emit(pending.paddedStart, Math.min(pending.rawEnd + this.#s.pad, total));
    }
    this.#coverage.finish(total);
    this.#audio.dropBefore(total);
    this.#probs.dropBefore(this.#windows);
    return this.#takeOutput();
  }

  stats(): VadStats {
    return this.#coverage.toStats(this.#position);
  }

  /** One window: `p` its probability, `audio` its samples (512, or fewer for a final partial window). */
  #step(p: number, audio: Float32Array): void {
    const s = this.#s;
    const start = this.#position;
    this.#audio.append(audio);
    this.#probs.appendOne(p);

    // Accepting this window would make the open segment too long: cut it first, using the windows before this one.
    if (this.#open && start + s.window - this.#open.rawStart > s.maxRaw) this.#split(start);

    const open = this.#open;
    if (open) {
      if (p >= s.threshold) {
        if (open.pauseStart !== null) {
          open.pauses.push({ startSample: open.pauseStart, endSample: start });
          open.pauseStart = null;
        }
      } else if (p < s.negThreshold) {
        open.pauseStart ??= start;
        if (start + s.window - open.pauseStart >= s.minSilence) this.#close(open.pauseStart, false);
      }
    } else if (p >= s.threshold) {
      this.#openAt(start);
    }

    this.#windows++;
    this.#position = start + audio.length;
    // No onset within 2·pad after the pending segment: its end padding can no longer be clamped by a neighbour.
    const pending = this.#pending;
    if (pending && this.#position >= pending.rawEnd + 2 * s.pad) {
      this.#pending = null;
      this.#emit(pending.paddedStart, pending.rawEnd + s.pad);
    }
    this.#dropUnneeded();
  }

  #openAt(rawStart: number): void {
    let paddedStart: number;
    const pending = this.#pending;
    if (pending) {
      this.#pending = null;
      const boundary = this.#settleBoundary(pending.rawEnd, rawStart);
      this.#emit(pending.paddedStart, boundary.prevEnd);
      paddedStart = boundary.nextStart;
    } else {
      paddedStart = Math.max(rawStart - this.#s.pad, this.#lastEmittedEnd);
    }
    this.#open = { rawStart, paddedStart, pauses: [], pauseStart: null };
  }

  /** Ends the open segment at `rawEnd`; keeps it if long enough (or always, for pieces cut by the length limit). */
  #close(rawEnd: number, alwaysKeep: boolean): void {
    const open = this.#open;
    if (!open) return;
    this.#open = null;
    if (alwaysKeep || rawEnd - open.rawStart >= this.#s.minSpeech) this.#pending = { paddedStart: open.paddedStart, rawEnd };
  }

  /** Cuts the open segment, which spans [rawStart, extentEnd), inside its last third (rules in the file comment). */
  #split(extentEnd: number): void {
    const open = this.#open;
    if (!open) return;
    const s = this.#s;
    const regionStart = open.rawStart + Math.ceil(((extentEnd - open.rawStart) * 2) / 3);

    let best: Pause | null = null;
    for (const pause of open.pauses) {
      const length = pause.endSample - pause.startSample;
      if (pause.startSample >= regionStart && length >= s.minSplitPause && (!best || length >= best.endSample - best.startSample)) best = pause;
    }
    const ongoing = open.pauseStart;
    if (ongoing !== null && ongoing >= regionStart && extentEnd - ongoing >= s.minSplitPause && (!best || extentEnd - ongoing >= best.endSample - best.startSample)) {
      // The longest pause is still going on: end here and wait for the next onset as after any segment.
      this.#close(ongoing, true);
      return;
    }
    if (best) {
      this.#cut(best.startSample, best.endSample);
      return;
    }

    // No usable pause: cut at the centre of the least-likely-speech window in the region (latest on ties).
    const firstWindow = Math.ceil(regionStart / s.window);
    const lastWindow = Math.floor(extentEnd / s.window) - 1;
    let cutWindow = lastWindow;
    let lowest = Number.POSITIVE_INFINITY;
    for (let window = firstWindow; window <= lastWindow; window++) {
      const p = this.#probs.at(window);
      if (p <= lowest) {
        lowest = p;
        cutWindow = window;
      }
    }
    const centre = cutWindow * s.window + s.window / 2;
    this.#cut(centre, centre);
  }

  /** Emits the open segment up to `cutEnd` and continues it as a new segment from `resume` (≥ cutEnd). */
  #cut(cutEnd: number, resume: number): void {
    const open = this.#open;
    if (!open) return;
    const boundary = this.#settleBoundary(cutEnd, resume);
    this.#emit(open.paddedStart, boundary.prevEnd);
    const pauses: Pause[] = [];
    for (const pause of open.pauses) {
      if (pause.endSample > resume) pauses.push({ startSample: Math.max(pause.startSample, resume), endSample: pause.endSample });
    }
    const pauseStart = open.pauseStart === null ? null : Math.max(open.pauseStart, resume);
    this.#open = { rawStart: resume, paddedStart: boundary.nextStart, pauses, pauseStart };
  }

  /** Padding between a segment ending at `prevRawEnd` and the next starting at `nextRawStart`: halve gaps < 2·pad. */
  #settleBoundary(prevRawEnd: number, nextRawStart: number): { prevEnd: number; nextStart: number } {
    const pad = this.#s.pad;
    const gap = nextRawStart - prevRawEnd;
    if (gap < 2 * pad) {
      const prevEnd = prevRawEnd + Math.floor(gap / 2);
      return { prevEnd, nextStart: prevEnd };
    }
    return { prevEnd: prevRawEnd + pad, nextStart: nextRawStart - pad };
  }

  #emit(startSample: number, endSample: number): void {
    const sr = this.#s.sampleRate;
    this.#out.push({
      startS: startSample / sr,
      endS: endSample / sr,
      startSample,
      endSample,
      samples: this.#audio.copy(startSample, endSample),
    });
    this.#coverage.addSegment(startSample, endSample);
    this.#lastEmittedEnd = endSample;
  }

  /** Keeps only audio a future segment can still include, and probabilities of the open segment. */
  #dropUnneeded(): void {
    const open = this.#open;
    const pending = this.#pending;
    let keepFrom: number;
    if (open) keepFrom = open.paddedStart;
    else if (pending) keepFrom = pending.paddedStart;
    else keepFrom = Math.max(this.#position - this.#s.pad, this.#lastEmittedEnd);
    this.#audio.dropBefore(keepFrom);
    this.#probs.dropBefore(open ? Math.floor(open.rawStart / this.#s.window) : this.#windows);
  }

  #takeOutput(): SpeechSegment[] {
    const out = this.#out;
    this.#out = [];
    return out;
  }
}

/**
 * SileroVad + SpeechSegmenter over chunks of any size. Resets the VAD on construction; the VAD must not be used by
 * anything else until this stream is finished.
 */
export class VadSegmentStream {
  readonly #vad: SileroVad;
  readonly #segmenter: SpeechSegmenter;
  readonly #window: Float32Array;
  /** Samples waiting in #window for the rest of their window. */
  #windowFill = 0;

  constructor(vad: SileroVad, opts: VadOptions) {
    const options = validateVadOptions(opts);
    this.#vad = vad;
    this.#segmenter = new SpeechSegmenter(options);
    this.#window = new Float32Array(options.windowSamples);
    vad.reset();
  }

  /** Audio samples held by the segmenter plus any partial window. */
  get bufferedSamples(): number {
    return this.#segmenter.bufferedSamples + this.#windowFill;
  }

  /** `chunk`: the next 16 kHz mono samples, any length. Returns segments now final. */
  async push(chunk: Float32Array): Promise<SpeechSegment[]> {
    const size = this.#window.length;
    const out: SpeechSegment[] = [];
    let offset = 0;
    if (this.#windowFill > 0) {
      offset = Math.min(size - this.#windowFill, chunk.length);
      this.#window.set(chunk.subarray(0, offset), this.#windowFill);
      this.#windowFill += offset;
      if (this.#windowFill < size) return out;
      const probs = await this.#vad.probabilities(this.#window);
      for (const segment of this.#segmenter.push(this.#window, probs)) out.push(segment);
      this.#windowFill = 0;
    }
    const wholeEnd = offset + Math.floor((chunk.length - offset) / size) * size;
    if (wholeEnd > offset) {
      const audio = chunk.subarray(offset, wholeEnd);
      const probs = await this.#vad.probabilities(audio);
      for (const segment of this.#segmenter.push(audio, probs)) out.push(segment);
    }
    this.#window.set(chunk.subarray(wholeEnd), 0);
    this.#windowFill = chunk.length - wholeEnd;
    return out;
  }

  /** End of input: runs the final partial window (zero-padded for the model) and closes the last segment. */
  async finish(): Promise<SpeechSegment[]> {
    const out: SpeechSegment[] = [];
    if (this.#windowFill > 0) {
      const fill = this.#windowFill;
      this.#windowFill = 0;
      this.#window.fill(0, fill);
      const prob = await this.#vad.probability(this.#window);
      for (const segment of this.#segmenter.push(this.#window.subarray(0, fill), Float32Array.of(prob))) out.push(segment);
    }
    for (const segment of this.#segmenter.finish()) out.push(segment);
    return out;
  }

  stats(): VadStats {
    return this.#segmenter.stats();
  }
}

export interface SegmentSpeechOptions {
  /** Called once with the final stats after the last segment. */
  onStats?: (stats: VadStats) => void;
}

/**
 * Speech segments of a stream of 16 kHz mono chunks (any sizes), yielded as soon as each is final.
 * The generator's return value (and `onStats`) carries the stream's VadStats.
 */
export async function* segmentSpeech(
  chunks: AsyncIterable<Float32Array>,
  vad: SileroVad,
  opts: VadOptions,
  options: SegmentSpeechOptions = {},
): AsyncGenerator<SpeechSegment, VadStats, undefined> {
  const stream = new VadSegmentStream(vad, opts);
  for await (const chunk of chunks) {
    for (const segment of await stream.push(chunk)) yield segment;
  }
  for (const segment of await stream.finish()) yield segment;
  const stats = stream.stats();
  options.onStats?.(stats);
  return stats;
}
