import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** A temporary folder removed by `cleanup()`. */
export async function makeTempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `tingxie-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A sine tone.
 * @returns shape [round(seconds · sampleRate)], amplitude `amplitude`, phase `phase` rad at t = 0
 */
export function sine(frequencyHz: number, sampleRate: number, seconds: number, amplitude = 0.5, phase = 0): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRate + phase);
  return out;
}

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
export function pseudoRandomBytes(length: number, seed = 0x9e3779b9): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

export type WavEncoding = 'uint8' | 'int16' | 'int24' | 'int32' | 'float32' | 'float64';

export interface WavWriteOptions {
  sampleRate: number;
  encoding: WavEncoding;
  /** Write WAVE_FORMAT_EXTENSIBLE instead of the plain format tag. */
  extensible?: boolean;
  /** Chunks inserted between fmt and data (id must be 4 characters); odd sizes get a pad byte. */
  extraChunks?: { id: string; body: Uint8Array }[];
  /** Overrides the data chunk's declared size (e.g. 0, 0xFFFFFFFF or a lie). */
  declaredDataBytes?: number;
  /** Overrides the format tag (e.g. 7 for µ-law) without changing how samples are written. */
  formatTagOverride?: number;
}

const BYTES: Record<WavEncoding, number> = { uint8: 1, int16: 2, int24: 3, int32: 4, float32: 4, float64: 8 };

/**
 * Writes a RIFF/WAVE file from per-channel float samples in [-1, 1] (written independently of the code under test).
 * @param channels shape [channelCount][frames]
 */
export function encodeWav(channels: Float32Array[], options: WavWriteOptions): Uint8Array {
  const channelCount = channels.length;
  const frames = channels[0].length;
  const bytesPerSample = BYTES[options.encoding];
  const blockAlign = bytesPerSample * channelCount;
  const isFloat = options.encoding === 'float32' || options.encoding === 'float64';
  const fmtSize = options.extensible ? 40 : isFloat ? 18 : 16;
  const extras = options.extraChunks ?? [];
  const extrasBytes = extras.reduce((sum, chunk) => sum + 8 + chunk.body.length + (chunk.body.length & 1), 0);
  const dataBytes = frames * blockAlign;
  const total = 12 + 8 + fmtSize + extrasBytes + 8 + dataBytes + (dataBytes & 1);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const writeId = (offset: number, id: string): void => {
    for (let i = 0; i < 4; i++) bytes[offset + i] = id.charCodeAt(i);
  };
  writeId(0, 'RIFF');
  view.setUint32(4, total - 8, true);
  writeId(8, 'WAVE');
  writeId(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  const baseTag = isFloat ? 3 : 1;
  view.setUint16(20, options.formatTagOverride ?? (options.extensible ? 0xfffe : baseTag), true);
  view.setUint16(22, channelCount, true);
  view.setUint32(24, options.sampleRate, true);
  view.setUint32(28, options.sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bytesPerSample * 8, true);
  if (fmtSize >= 18) view.setUint16(36, fmtSize - 18, true);
  if (options.extensible) {
    view.setUint16(38, bytesPerSample * 8, true);
    view.setUint32(40, channelCount === 2 ? 0x3 : 0, true);
    // KSDATAFORMAT_SUBTYPE_PCM / _IEEE_FLOAT: {0000000X-0000-0010-8000-00AA00389B71}
    view.setUint16(44, baseTag, true);
    bytes.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], 46);
  }
  let offset = 20 + fmtSize;
  for (const chunk of extras) {
    writeId(offset, chunk.id);
    view.setUint32(offset + 4, chunk.body.length, true);
    bytes.set(chunk.body, offset + 8);
    offset += 8 + chunk.body.length + (chunk.body.length & 1);
  }
  writeId(offset, 'data');
  view.setUint32(offset + 4, options.declaredDataBytes ?? dataBytes, true);
  offset += 8;
  for (let frame = 0; frame < frames; frame++) {
    for (let c = 0; c < channelCount; c++) {
      const raw = channels[c][frame];
      // Integers are clipped to their range; floats are written as given (even NaN or ±Infinity).
      const value = options.encoding === 'float32' || options.encoding === 'float64' ? raw : Math.max(-1, Math.min(1, raw));
      switch (options.encoding) {
        case 'uint8':
          bytes[offset] = Math.max(0, Math.min(255, Math.round(value * 128 + 128)));
          break;
        case 'int16':
          view.setInt16(offset, Math.max(-32768, Math.min(32767, Math.round(value * 32768))), true);
          break;
        case 'int24': {
          const v = Math.max(-8388608, Math.min(8388607, Math.round(value * 8388608)));
          bytes[offset] = v & 0xff;
          bytes[offset + 1] = (v >> 8) & 0xff;
          bytes[offset + 2] = (v >> 16) & 0xff;
          break;
        }
        case 'int32':
          view.setInt32(offset, Math.max(-2147483648, Math.min(2147483647, Math.round(value * 2147483648))), true);
          break;
        case 'float32':
          view.setFloat32(offset, value, true);
          break;
        case 'float64':
          view.setFloat64(offset, value, true);
          break;
      }
      offset += bytesPerSample;
    }
  }
  return bytes;
}

/** Runs the system ffmpeg quietly (test fixture generation only). */
export async function runFfmpeg(args: string[]): Promise<void> {
  await execFileAsync('ffmpeg', ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', ...args]);
}

/**
 * Amplitude of the component at `frequencyHz` (least-squares fit of a sine and cosine).
 * @param samples shape [n] at `sampleRate` Hz
 */
export function toneAmplitude(samples: Float32Array, sampleRate: number, frequencyHz: number): number {
  let ss = 0;
  let cc = 0;
  let sc = 0;
  let ys = 0;
  let yc = 0;
  for (let i = 0; i < samples.length; i++) {
    const angle = (2 * Math.PI * frequencyHz * i) / sampleRate;
    const s = Math.sin(angle);
    const c = Math.cos(angle);
    ss += s * s;
    cc += c * c;
    sc += s * c;
    ys += samples[i] * s;
    yc += samples[i] * c;
  }
  const det = ss * cc - sc * sc;
  const a = (ys * cc - yc * sc) / det;
  const b = (yc * ss - ys * sc) / det;
  return Math.hypot(a, b);
}

/** Root mean square. */
export function rms(samples: Float32Array): number {
  let sum = 0;
  for (const value of samples) sum += value * value;
  return Math.sqrt(sum / Math.max(1, samples.length));
}

/**
 * Dominant frequency from interpolated positive-going zero crossings (for a clean tone).
 * @param samples shape [n] at `sampleRate` Hz
 */
export function zeroCrossingFrequency(samples: Float32Array, sampleRate: number): number {
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = 1; i < samples.length; i++) {
    if (samples[i - 1] < 0 && samples[i] >= 0) {
      const position = i - 1 + -samples[i - 1] / (samples[i] - samples[i - 1]);
      if (first < 0) first = position;
      last = position;
      count++;
    }
  }
  if (count < 2) return 0;
  return ((count - 1) * sampleRate) / (last - first);
}

/** Collects an async iterable of sample chunks into one array. */
export async function collectSamples(chunks: AsyncIterable<Float32Array>): Promise<Float32Array> {
  const parts: Float32Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    parts.push(chunk);
    total += chunk.length;
  }
  const out = new Float32Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** True while a process with this id exists (signal 0 probes without signalling). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
