import { spawn } from 'node:child_process';
import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { delimiter, isAbsolute, join, resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';
import { ErrorCodes, TingxieError, type ErrorCode } from '../errors.ts';
import { TARGET_SAMPLE_RATE, type FfmpegLocation } from './types.ts';

const INSTALL_HINT =
  'Install ffmpeg (Debian/Ubuntu: sudo apt-get install ffmpeg; Fedora: sudo dnf install ffmpeg; macOS: brew install ffmpeg; ' +
  'Windows: winget install ffmpeg) or set FFMPEG_PATH to the full path of an ffmpeg binary.';

export interface ResolveFfmpegOptions {
  /** Defaults to process.platform; decides executable suffixes (PATHEXT on Windows). */
  platform?: NodeJS.Platform;
  /**
   * Returns what `require('ffmpeg-static')` returns (a path or null); throws when the package is not installed.
   * Injectable for tests; the default loads the optional package if present.
   */
  loadFfmpegStatic?: () => unknown;
}

function defaultLoadFfmpegStatic(): unknown {
  return createRequire(import.meta.url)('ffmpeg-static');
}

function isExecutableFile(candidate: string, platform: NodeJS.Platform): boolean {
  try {
    if (!statSync(candidate).isFile()) return false;
    // Windows has no execute bit; existence of a .exe is what counts.
    if (platform !== 'win32') accessSync(candidate, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds ffmpeg, in this order: FFMPEG_PATH (must name an executable file, else FFMPEG_NOT_FOUND naming it), the
 * ffmpeg-static package's binary when that optional package is installed and its binary exists, then `ffmpeg` in
 * the PATH directories. Reads only `env`, so callers and tests control the environment.
 * @throws TingxieError FFMPEG_NOT_FOUND with install instructions
 */
export function resolveFfmpeg(env: NodeJS.ProcessEnv, options: ResolveFfmpegOptions = {}): FfmpegLocation {
  const platform = options.platform ?? process.platform;
  const configured = env.FFMPEG_PATH?.trim();
  if (configured) {
    const candidate = resolvePath(configured);
    if (isExecutableFile(candidate, platform)) return { path: candidate, source: 'FFMPEG_PATH' };
    throw new TingxieError(
      ErrorCodes.FFMPEG_NOT_FOUND,
      `FFMPEG_PATH is set to "${configured}", but that is not an executable file. Point FFMPEG_PATH at the ffmpeg binary, or unset it to use ffmpeg from PATH.`,
      { FFMPEG_PATH: configured },
    );
  }

  let staticPath: unknown = null;
  try {
    staticPath = (options.loadFfmpegStatic ?? defaultLoadFfmpegStatic)();
  } catch {
    staticPath = null; // Optional package not installed.
  }
  if (typeof staticPath === 'string' && staticPath.length > 0 && isExecutableFile(staticPath, platform)) {
    return { path: staticPath, source: 'ffmpeg-static' };
  }

  const pathValue = env.PATH ?? env.Path ?? '';
  const suffixes = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';').filter(Boolean).map((ext) => ext.toLowerCase())] : [''];
  const separator = platform === 'win32' ? ';' : delimiter;
  for (const rawDir of pathValue.split(separator)) {
    const dir = rawDir.trim().replace(/^"(.*)"$/, '$1');
    if (!dir || !isAbsolute(dir)) continue; // Relative PATH entries depend on the cwd; skip them.
    for (const suffix of suffixes) {
      const candidate = join(dir, `ffmpeg${suffix}`);
      if (isExecutableFile(candidate, platform)) return { path: candidate, source: 'PATH' };
    }
  }
  throw new TingxieError(ErrorCodes.FFMPEG_NOT_FOUND, `ffmpeg was not found. Tingxie needs it to decode audio formats other than plain WAV. ${INSTALL_HINT}`);
}

/** What a quick `ffmpeg -i` tells about an input. */
export interface FfmpegProbe {
  /** Container name as ffmpeg reports it (e.g. "mp3", "mov,mp4,m4a,3gp,3g2,mj2"), or null. */
  container: string | null;
  durationS: number | null;
  /** Of the first audio stream. */
  sampleRate: number | null;
  channels: number | null;
  audioStreams: number;
  videoStreams: number;
  /** Set when the probe already shows the input cannot be decoded. */
  problem: { code: ErrorCode; message: string } | null;
}

const LAYOUT_CHANNELS: Readonly<Record<string, number>> = {
  mono: 1,
  stereo: 2,
  '2.1': 3,
  '3.0': 3,
  '3.0(back)': 3,
  '3.1': 4,
  '4.0': 4,
  quad: 4,
  'quad(side)': 4,
  '4.1': 5,
  '5.0': 5,
  '5.0(side)': 5,
  '5.1': 6,
  '5.1(side)': 6,
  '6.0': 6,
  '6.1': 7,
  '7.0': 7,
  '7.1': 8,
  '7.1(wide)': 8,
  octagonal: 8,
};

/** Container names of ffmpeg's still-image demuxers (image2, png_pipe, jpeg_pipe, …). */
function isImageContainer(container: string | null): boolean {
  return container !== null && (container === 'image2' || container.endsWith('_pipe'));
}

/**
 * Parses the stderr of `ffmpeg -hide_banner -i <input>` (which always exits 1: no output given).
 * Pure function over text, so it is tested without ffmpeg.
 */
export function parseFfmpegProbe(stderr: string): FfmpegProbe {
  const lines = stderr.split(/\r?\n/);
  let container: string | null = null;
  let durationS: number | null = null;
  let sampleRate: number | null = null;
  let channels: number | null = null;
  let audioStreams = 0;
  let videoStreams = 0;
  let audioWithoutChannels = false;
  for (const line of lines) {
    const input = /^Input #0, (.+?), from '/.exec(line);
    if (input) container = input[1];
    const duration = /^\s+Duration: (\d+):(\d{2}):(\d{2}(?:\.\d+)?)/.exec(line);
    if (duration) durationS = Number(duration[1]) * 3600 + Number(duration[2]) * 60 + Number(duration[3]);
    const stream = /^\s+Stream #0:\d+.*?: (Audio|Video): (.*)$/.exec(line);
    if (!stream) continue;
    if (stream[1] === 'Video') {
      if (!/\(attached pic\)/.test(stream[2])) videoStreams++;
      continue;
    }
    audioStreams++;
    if (audioStreams > 1) continue;
    const rate = /(\d+) Hz/.exec(stream[2]);
    if (rate) sampleRate = Number(rate[1]);
    const fields = stream[2].split(', ').map((field) => field.trim());
    for (const field of fields) {
      const counted = /^(\d+) channels/.exec(field);
      if (counted) channels = Number(counted[1]);
      else if (LAYOUT_CHANNELS[field] !== undefined) channels = LAYOUT_CHANNELS[field];
    }
    if (channels === 0) audioWithoutChannels = true;
  }

  let problem: FfmpegProbe['problem'] = classifyFfmpegStderr(stderr, { duringProbe: true });
  if (!problem && audioWithoutChannels && /Could not find codec parameters/.test(stderr)) {
    // Random bytes sometimes pass ffmpeg's MP3 sniffing with the lowest score; no real stream comes of it.
    problem = { code: ErrorCodes.AUDIO_NOT_AUDIO, message: 'This file does not contain audio ffmpeg can recognise (it may not be an audio file).' };
  }
  const openFailure = /^file:.*: (.+)$/m.exec(stderr);
  if (!problem && container === null && openFailure) {
    // ffmpeg could not open the input at all ("file:<path>: <reason>").
    problem = /End of file/.test(openFailure[1])
      ? { code: ErrorCodes.AUDIO_TRUNCATED, message: 'The file ends before any audio could be read; it is empty or cut off.' }
      : (classifyFfmpegStderr(stderr) ?? { code: ErrorCodes.AUDIO_DECODE_FAILED, message: `ffmpeg could not open this file (${openFailure[1].trim().slice(0, 200)}).` });
  }
  if (!problem && container !== null && audioStreams === 0) {
    problem = isImageContainer(container)
      ? { code: ErrorCodes.AUDIO_NOT_AUDIO, message: 'This file is an image, not audio.' }
      : { code: ErrorCodes.AUDIO_NO_STREAM, message: 'This file has no audio track (it may be a video without sound).' };
  }
  return { container, durationS, sampleRate, channels, audioStreams, videoStreams, problem };
}

/** Maps ffmpeg's error output to a stable code and a human message; null when nothing recognisable is there. */
export function classifyFfmpegStderr(stderr: string, context: { duringProbe: boolean } = { duringProbe: false }): { code: ErrorCode; message: string } | null {
  if (/No such file or directory/.test(stderr)) return { code: ErrorCodes.FILE_NOT_FOUND, message: 'ffmpeg could not find the input file.' };
  if (/Permission denied/.test(stderr)) return { code: ErrorCodes.FILE_NOT_FOUND, message: 'ffmpeg is not allowed to read the input file (permission denied).' };
  if (/moov atom not found/.test(stderr)) {
    return { code: ErrorCodes.AUDIO_TRUNCATED, message: 'This MP4/M4A file is incomplete (its index is missing); it looks cut off.' };
  }
  if (/does not contain any stream|matches no streams/.test(stderr)) {
    return { code: ErrorCodes.AUDIO_NO_STREAM, message: 'This file has no audio track (it may be a video without sound).' };
  }
  if (/Decoder \(codec [^)]*\) not found|Unknown decoder|Unsupported codec|codec not currently supported|is not implemented/i.test(stderr)) {
    return { code: ErrorCodes.AUDIO_UNSUPPORTED, message: 'This file uses an audio codec that this ffmpeg cannot decode.' };
  }
  // A format guessed from the file name alone ("detected only with low score") that then fails to open: not media.
  if (/detected only with low score/.test(stderr) && /^[^\n]*: (Invalid argument|Invalid data found when processing input)\s*$/m.test(stderr)) {
    return { code: ErrorCodes.AUDIO_NOT_AUDIO, message: 'This file is not audio or video that ffmpeg recognises.' };
  }
  // "path: Invalid data found when processing input" when opening (not per-packet decode errors).
  if (/^.*: Invalid data found when processing input\s*$/m.test(stderr) && !/^Error while decoding stream/m.test(stderr)) {
    return { code: ErrorCodes.AUDIO_NOT_AUDIO, message: 'This file is not audio or video that ffmpeg recognises.' };
  }
  if (context.duringProbe) return null;
  if (/Invalid data found when processing input|Header missing|Error while decoding/.test(stderr)) {
    return { code: ErrorCodes.AUDIO_DECODE_FAILED, message: 'ffmpeg could not decode this file; it may be damaged.' };
  }
  if (/End of file|Truncat|partial file|Packet corrupt|invalid frame size/i.test(stderr)) {
    return { code: ErrorCodes.AUDIO_TRUNCATED, message: 'This file appears to be cut off or damaged.' };
  }
  return null;
}

/** Last non-empty stderr line, trimmed, for error details (never audio content; ffmpeg only prints diagnostics). */
function lastLine(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  return (lines.at(-1) ?? '').slice(0, 300);
}

/** Keeps the head and tail of a possibly huge, repetitive stderr stream. */
class StderrCollector {
  #head = '';
  #tail = '';
  readonly #limit: number;
  constructor(limit = 16 * 1024) {
    this.#limit = limit;
  }
  add(text: string): void {
    if (this.#head.length < this.#limit) {
      const room = this.#limit - this.#head.length;
      this.#head += text.slice(0, room);
      text = text.slice(room);
    }
    if (text) this.#tail = (this.#tail + text).slice(-this.#limit);
  }
  get text(): string {
    return this.#tail ? `${this.#head}\n${this.#tail}` : this.#head;
  }
}

/** `file:` prefix stops ffmpeg from reading "name:with:colons" as a protocol URL or "-name" as an option. */
export function ffmpegFileUrl(filePath: string): string {
  return `file:${resolvePath(filePath)}`;
}

export interface ProbeOptions {
  signal?: AbortSignal;
  /** Kill the probe after this long (ms). Default 60 s. */
  timeoutMs?: number;
}

/** Runs `ffmpeg -i <file>` and parses what it reports. */
export async function probeWithFfmpeg(location: FfmpegLocation, filePath: string, options: ProbeOptions = {}): Promise<FfmpegProbe> {
  const args = ['-hide_banner', '-nostdin', '-i', ffmpegFileUrl(filePath)];
  const stderr = new StderrCollector();
  const child = spawn(location.path, args, { stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true });
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => stderr.add(text));
  const timeout = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const onAbort = (): void => {
    child.kill('SIGKILL');
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const outcome = await waitForExit(child);
    if (outcome.spawnError) throw spawnFailure(location, outcome.spawnError);
    if (options.signal?.aborted) throw aborted();
    if (outcome.signal === 'SIGKILL' && !options.signal?.aborted) {
      throw new TingxieError(ErrorCodes.AUDIO_DECODE_FAILED, 'ffmpeg took too long to read the file header.', { ffmpeg: location.path });
    }
    return parseFfmpegProbe(stderr.text);
  } finally {
    clearTimeout(timeout);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

interface ExitOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  spawnError: Error | null;
}

function waitForExit(child: ReturnType<typeof spawn>): Promise<ExitOutcome> {
  return new Promise((resolve) => {
    let spawnError: Error | null = null;
    child.once('error', (error) => {
      spawnError = error;
      // A process that never started emits no 'close' on some Node versions.
      if (child.pid === undefined) resolve({ code: null, signal: null, spawnError });
    });
    child.once('close', (code, signal) => resolve({ code, signal, spawnError }));
  });
}

function spawnFailure(location: FfmpegLocation, error: Error): TingxieError {
  return new TingxieError(
    ErrorCodes.FFMPEG_NOT_FOUND,
    `ffmpeg at ${location.path} (found via ${location.source}) could not be started: ${error.message}. ${INSTALL_HINT}`,
    { ffmpeg: location.path, source: location.source },
    { cause: error },
  );
}

function inputFailure(error: Error): TingxieError {
  return new TingxieError(ErrorCodes.AUDIO_DECODE_FAILED, `Reading the audio input failed: ${error.message}`, undefined, { cause: error });
}

function aborted(): TingxieError {
  return new TingxieError(ErrorCodes.ABORTED, 'Decoding was cancelled.');
}

export type FfmpegInput = { kind: 'file'; path: string } | { kind: 'stream'; stream: Readable };

/**
 * ffmpeg's filter for an equal-weight mono mix of `channels` channels. ffmpeg's own `-ac 1` downmix weights stereo
 * as (L + R)/√2, which clips when both channels carry the same full-scale signal and disagrees with the native WAV
 * reader; averaging keeps both decoders' levels identical.
 */
export function averagingPanFilter(channels: number): string {
  const weight = (1 / channels).toPrecision(17);
  const terms = Array.from({ length: channels }, (_, c) => `${weight}*c${c}`);
  return `pan=mono|c0=${terms.join('+')}`;
}

/** Highest channel count the averaging pan filter is used for (ffmpeg's pan filter limit). */
const MAX_PAN_CHANNELS = 64;

/**
 * ffmpeg arguments that decode the first usable audio track to raw 16 kHz mono float32 on stdout.
 * @param channels source channel count when known (from a probe): mixes by averaging; otherwise ffmpeg's `-ac 1`.
 */
export function ffmpegDecodeArgs(input: FfmpegInput, channels: number | null = null, sampleRate: number = TARGET_SAMPLE_RATE): string[] {
  const mix = channels !== null && channels > 1 && channels <= MAX_PAN_CHANNELS ? ['-af', averagingPanFilter(channels)] : [];
  return [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    '-i',
    input.kind === 'file' ? ffmpegFileUrl(input.path) : 'pipe:0',
    '-vn',
    '-sn',
    '-dn',
    ...mix,
    '-ac',
    '1',
    '-ar',
    String(sampleRate),
    '-c:a',
    'pcm_f32le',
    '-f',
    'f32le',
    'pipe:1',
  ];
}

export interface FfmpegDecodeOptions {
  signal?: AbortSignal;
  /** Source channel count, when a probe found it: channels are then averaged (see {@link averagingPanFilter}). */
  channels?: number | null;
  /** Called with the child process id once ffmpeg is running (tests use it to check the process is gone). */
  onSpawn?: (pid: number) => void;
}

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/**
 * Converts raw little-endian float32 bytes to samples, carrying a partial sample (0–3 bytes) between calls.
 * Copies into a fresh, aligned buffer because pipe buffers may start at any byte offset.
 */
export class F32leDecoder {
  #pending = new Uint8Array(0);

  /** @returns shape [floor((pending + bytes) / 4)] */
  push(bytes: Uint8Array): Float32Array {
    let input = bytes;
    if (this.#pending.length > 0) {
      input = new Uint8Array(this.#pending.length + bytes.length);
      input.set(this.#pending, 0);
      input.set(bytes, this.#pending.length);
    }
    const count = Math.floor(input.length / 4);
    const out = new Float32Array(count);
    if (LITTLE_ENDIAN_HOST) {
      new Uint8Array(out.buffer).set(input.subarray(0, count * 4));
    } else {
      const view = new DataView(input.buffer, input.byteOffset, count * 4);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4, true);
    }
    this.#pending = input.slice(count * 4);
    return out;
  }

  /** Bytes of an incomplete final sample, if any. */
  get pendingBytes(): number {
    return this.#pending.length;
  }
}

/**
 * Streams decoded audio from ffmpeg: spawns it, yields 16 kHz mono float32 as stdout delivers it (pipe-sized
 * chunks), then waits for ffmpeg to exit and checks its status. Ending the iteration early (break, return, throw) or
 * aborting the signal kills ffmpeg and waits for it to exit, so no process outlives the iterator.
 * @yields shape [n] float32 at 16 kHz, n varies per chunk
 * @throws TingxieError (AUDIO_*, FFMPEG_NOT_FOUND when ffmpeg cannot start, ABORTED)
 */
export async function* decodeWithFfmpeg(location: FfmpegLocation, input: FfmpegInput, options: FfmpegDecodeOptions = {}): AsyncGenerator<Float32Array> {
  const { signal } = options;
  if (signal?.aborted) throw aborted();
  const stdinMode = input.kind === 'stream' ? 'pipe' : 'ignore';
  const child = spawn(location.path, ffmpegDecodeArgs(input, options.channels ?? null), { stdio: [stdinMode, 'pipe', 'pipe'], windowsHide: true });
  const exited = waitForExit(child);
  const stderr = new StderrCollector();
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (text: string) => stderr.add(text));
  if (child.pid !== undefined) options.onSpawn?.(child.pid);

  const kill = (): void => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  };
  signal?.addEventListener('abort', kill, { once: true });

  let inputError: Error | null = null;
  if (input.kind === 'stream' && child.stdin) {
    // ffmpeg may stop reading (error or enough data) before the source ends: EPIPE is expected then, not a crash.
    child.stdin.on('error', () => undefined);
    input.stream.once('error', (error) => {
      inputError = error;
      kill();
    });
    input.stream.pipe(child.stdin);
  }

  const decoder = new F32leDecoder();
  let finished = false;
  try {
    if (child.stdout) {
      for await (const piece of child.stdout as AsyncIterable<Buffer>) {
        const samples = decoder.push(piece);
        if (samples.length > 0) yield samples;
      }
    }
    const outcome = await exited;
    finished = true;
    if (signal?.aborted) throw aborted();
    if (outcome.spawnError) throw spawnFailure(location, outcome.spawnError);
    if (inputError) throw inputFailure(inputError);
    if (outcome.code !== 0) {
      const text = stderr.text;
      const known = classifyFfmpegStderr(text);
      if (known) throw new TingxieError(known.code, known.message, { ffmpegMessage: lastLine(text) });
      const how = outcome.signal ? `was stopped by signal ${outcome.signal}` : `exited with status ${outcome.code}`;
      throw new TingxieError(ErrorCodes.AUDIO_DECODE_FAILED, `ffmpeg could not decode this file (it ${how}).`, { ffmpegMessage: lastLine(text) });
    }
  } catch (error) {
    if (signal?.aborted) throw aborted();
    if (error instanceof TingxieError) throw error;
    // A stream error here most often means the process failed to start or the input failed.
    kill();
    const outcome = await exited;
    finished = true;
    if (outcome.spawnError) throw spawnFailure(location, outcome.spawnError);
    if (inputError) throw inputFailure(inputError);
    throw new TingxieError(ErrorCodes.AUDIO_DECODE_FAILED, `Reading decoded audio from ffmpeg failed: ${error instanceof Error ? error.message : String(error)}`, undefined, {
      cause: error,
    });
  } finally {
    signal?.removeEventListener('abort', kill);
    if (!finished) {
      kill();
      if (input.kind === 'stream') input.stream.unpipe(child.stdin ?? undefined);
      await exited;
    }
  }
}
