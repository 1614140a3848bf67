import { open, stat } from 'node:fs/promises';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { decodeWithFfmpeg, probeWithFfmpeg, resolveFfmpeg } from './ffmpeg.ts';
import { StreamingResampler } from './resample.ts';
import { TARGET_SAMPLE_RATE, type FfmpegLocation, type MonoAudio } from './types.ts';
import { fileByteSource, hasWavMagic, parseWavLayout, streamWavMono, type WavLayout } from './wav.ts';

export interface AudioStreamInfo {
  /** Sample rate of the source audio in Hz, when known. */
  sourceSampleRate: number | null;
  /** Channel count of the source audio, when known. */
  channels: number | null;
  /** Expected duration in seconds, for progress display; null when the container does not say. */
  durationS: number | null;
  decoder: 'wav' | 'ffmpeg';
  ffmpeg?: FfmpegLocation;
}

export interface OpenAudioOptions {
  /** ffmpeg to use; resolved from `env` (FFMPEG_PATH, ffmpeg-static, PATH) only when a file needs it. */
  ffmpeg?: FfmpegLocation;
  /** Environment used to find ffmpeg. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Samples per yielded chunk (the last one may be shorter). Default 16000 (1 s). */
  chunkSamples?: number;
  /** Cancels decoding: iteration then throws ABORTED and ffmpeg is killed. */
  signal?: AbortSignal;
  /** Decode PCM/float WAV natively instead of through ffmpeg. Default true. */
  preferNativeWav?: boolean;
}

export interface AudioStream {
  info: AudioStreamInfo;
  /**
   * 16 kHz mono float32 samples in [-1, 1], in chunks of `chunkSamples` (last one shorter). Iterate once.
   * Decoding starts on the first iteration; breaking out early stops it and releases the file and ffmpeg.
   * Errors thrown while iterating are TingxieErrors.
   */
  chunks: AsyncIterable<Float32Array>;
}

const DEFAULT_CHUNK_SAMPLES = TARGET_SAMPLE_RATE;
const SNIFF_BYTES = 4096;

/**
 * Regroups a stream of sample arrays into arrays of exactly `size` samples.
 * Keeps at most one partial chunk.
 */
export class SampleChunker {
  readonly #size: number;
  #pending: Float32Array;
  #filled = 0;

  constructor(size: number) {
    this.#size = size;
    this.#pending = new Float32Array(size);
  }

  /** @returns the complete chunks (each shape [size]) now available */
  push(samples: Float32Array): Float32Array[] {
    const ready: Float32Array[] = [];
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(this.#size - this.#filled, samples.length - offset);
      this.#pending.set(samples.subarray(offset, offset + take), this.#filled);
      this.#filled += take;
      offset += take;
      if (this.#filled === this.#size) {
        ready.push(this.#pending);
        this.#pending = new Float32Array(this.#size);
        this.#filled = 0;
      }
    }
    return ready;
  }

  /** @returns the final partial chunk, or null when none */
  flush(): Float32Array | null {
    if (this.#filled === 0) return null;
    const last = this.#pending.slice(0, this.#filled);
    this.#filled = 0;
    return last;
  }
}

/** Clamps to [-1, 1] and replaces NaN with 0, in place (float sources may overshoot; NaN would poison models). */
function sanitize(samples: Float32Array): Float32Array {
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i];
    if (value > 1) samples[i] = 1;
    else if (value < -1) samples[i] = -1;
    else if (value !== value) samples[i] = 0;
  }
  return samples;
}

function aborted(): TingxieError {
  return new TingxieError(ErrorCodes.ABORTED, 'Decoding was cancelled.');
}

/** Resamples (if needed), sanitises and rechunks a decoder's output; turns every failure into a TingxieError. */
async function* finishChunks(
  source: AsyncIterable<Float32Array>,
  sourceRate: number,
  chunkSamples: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<Float32Array> {
  const resampler = sourceRate === TARGET_SAMPLE_RATE ? null : new StreamingResampler(sourceRate, TARGET_SAMPLE_RATE);
  const chunker = new SampleChunker(chunkSamples);
  let total = 0;
  try {
    for await (const piece of source) {
      if (signal?.aborted) throw aborted();
      const samples = resampler ? resampler.push(piece) : piece;
      for (const chunk of chunker.push(samples)) {
        total += chunk.length;
        yield sanitize(chunk);
      }
    }
    if (signal?.aborted) throw aborted();
    const tail = resampler ? chunker.push(resampler.flush()) : [];
    const last = chunker.flush();
    if (last) tail.push(last);
    for (const chunk of tail) {
      total += chunk.length;
      yield sanitize(chunk);
    }
    if (total === 0) throw new TingxieError(ErrorCodes.AUDIO_EMPTY, 'The file decoded to no audio at all (zero samples).');
  } catch (error) {
    if (error instanceof TingxieError) throw error;
    throw new TingxieError(ErrorCodes.AUDIO_DECODE_FAILED, `Decoding failed: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
  }
}

/** True when the bytes are clearly plain text (valid UTF-8, no control characters besides whitespace). */
function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0) return false;
  // Allow a multi-byte character cut at the end of the sniffed prefix.
  let end = head.length;
  while (end > 0 && end > head.length - 3 && head[end - 1] >= 0x80) end--;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
  } catch {
    return false;
  }
  return !/[\u0000-\u0008\u000e-\u001f\u007f]/.test(text);
}

async function statInput(filePath: string): Promise<number> {
  try {
    const info = await stat(filePath);
    if (info.isDirectory()) throw new TingxieError(ErrorCodes.FILE_NOT_FOUND, `${filePath} is a folder, not an audio file.`, { file: filePath });
    if (!info.isFile()) {
      // Pipes and devices cannot be sniffed and probed without consuming them.
      throw new TingxieError(ErrorCodes.FILE_NOT_FOUND, `${filePath} is not a regular file (pipes and devices are not supported); save the audio to a file first.`, {
        file: filePath,
      });
    }
    return info.size;
  } catch (error) {
    if (error instanceof TingxieError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : 'cannot be opened';
    throw new TingxieError(ErrorCodes.FILE_NOT_FOUND, `The input file ${filePath} ${reason}.`, { file: filePath }, { cause: error });
  }
}

/** Reads the start of the file and, for WAV, its layout (with one open). */
async function sniff(filePath: string, size: number): Promise<{ head: Uint8Array; wav: WavLayout | TingxieError | null }> {
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    throw new TingxieError(ErrorCodes.FILE_NOT_FOUND, `The input file ${filePath} cannot be opened.`, { file: filePath }, { cause: error });
  }
  try {
    const source = fileByteSource(handle, size);
    const head = await source.read(0, SNIFF_BYTES);
    if (!hasWavMagic(head)) return { head, wav: null };
    try {
      return { head, wav: await parseWavLayout(source) };
    } catch (error) {
      if (error instanceof TingxieError) return { head, wav: error };
      throw error;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Opens an audio or video file for streaming decode to 16 kHz mono float32.
 *
 * Checks what can be checked up front, so most problems surface here rather than mid-stream: missing file
 * (FILE_NOT_FOUND), 0-byte file (AUDIO_EMPTY), damaged or cut-off WAV (AUDIO_DECODE_FAILED / AUDIO_TRUNCATED), and,
 * for ffmpeg inputs, a quick probe: not audio (AUDIO_NOT_AUDIO), no audio track (AUDIO_NO_STREAM), ffmpeg missing
 * (FFMPEG_NOT_FOUND). PCM/float WAV is read natively (no ffmpeg needed); WAV codecs the native reader lacks
 * (ADPCM, µ-law, …) and every other format go through ffmpeg.
 */
export async function openAudioStream(filePath: string, opts: OpenAudioOptions = {}): Promise<AudioStream> {
  const { signal } = opts;
  const chunkSamples = opts.chunkSamples ?? DEFAULT_CHUNK_SAMPLES;
  if (!Number.isInteger(chunkSamples) || chunkSamples < 1) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `chunkSamples must be a positive whole number, got ${chunkSamples}.`, { field: 'chunkSamples' });
  }
  if (signal?.aborted) throw aborted();

  const size = await statInput(filePath);
  if (size === 0) throw new TingxieError(ErrorCodes.AUDIO_EMPTY, `The input file ${filePath} is empty (0 bytes).`, { file: filePath });
  const { head, wav } = await sniff(filePath, size);

  let wavFallbackReason: TingxieError | null = null;
  if (wav !== null && opts.preferNativeWav !== false) {
    if (wav instanceof TingxieError) {
      if (wav.code !== ErrorCodes.AUDIO_UNSUPPORTED) throw wav;
      wavFallbackReason = wav;
    } else {
      if (wav.frames === 0) throw new TingxieError(ErrorCodes.AUDIO_EMPTY, 'The WAV file contains no audio samples.', { file: filePath });
      const { format } = wav;
      return {
        info: {
          sourceSampleRate: format.sampleRate,
          channels: format.channels,
          durationS: wav.frames === null ? null : wav.frames / format.sampleRate,
          decoder: 'wav',
        },
        chunks: finishChunks(streamWavMono(filePath, wav, { signal }), format.sampleRate, chunkSamples, signal),
      };
    }
  }

  let ffmpeg: FfmpegLocation;
  try {
    ffmpeg = opts.ffmpeg ?? resolveFfmpeg(opts.env ?? process.env);
  } catch (error) {
    if (!(error instanceof TingxieError)) throw error;
    if (wavFallbackReason) {
      throw new TingxieError(ErrorCodes.FFMPEG_NOT_FOUND, `${wavFallbackReason.message} Decoding it needs ffmpeg. ${error.message}`, { ...wavFallbackReason.detail, ...error.detail });
    }
    if (wav === null && looksLikeText(head)) {
      throw new TingxieError(ErrorCodes.AUDIO_NOT_AUDIO, `${filePath} is a text file, not audio.`, { file: filePath });
    }
    throw error;
  }

  const probe = await probeWithFfmpeg(ffmpeg, filePath, { signal });
  if (probe.problem) throw new TingxieError(probe.problem.code, probe.problem.message, { file: filePath, container: probe.container });
  return {
    info: { sourceSampleRate: probe.sampleRate, channels: probe.channels, durationS: probe.durationS, decoder: 'ffmpeg', ffmpeg },
    chunks: finishChunks(decodeWithFfmpeg(ffmpeg, { kind: 'file', path: filePath }, { signal, channels: probe.channels }), TARGET_SAMPLE_RATE, chunkSamples, signal),
  };
}

/**
 * Decodes a whole file into memory as 16 kHz mono float32. Meant for short inputs and tests; long recordings
 * should be consumed chunk by chunk through {@link openAudioStream}.
 */
export async function decodeAudioFile(filePath: string, opts: OpenAudioOptions = {}): Promise<MonoAudio & { info: AudioStreamInfo; durationS: number }> {
  const stream = await openAudioStream(filePath, opts);
  const chunks: Float32Array[] = [];
  let total = 0;
  for await (const chunk of stream.chunks) {
    chunks.push(chunk);
    total += chunk.length;
  }
  const samples = new Float32Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    samples.set(chunk, offset);
    offset += chunk.length;
  }
  return { samples, sampleRate: TARGET_SAMPLE_RATE, info: stream.info, durationS: total / TARGET_SAMPLE_RATE };
}
