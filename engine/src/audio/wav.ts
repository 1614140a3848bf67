import { open, type FileHandle } from 'node:fs/promises';
import { ErrorCodes, TingxieError } from '../errors.ts';
import type { MonoAudio } from './types.ts';

/**
 * Native RIFF/WAVE reader (no ffmpeg needed).
 *
 * Supported: PCM 8-bit unsigned, 16/24/32-bit signed integer (also fewer valid bits in a wider container), IEEE float
 * 32/64-bit, WAVE_FORMAT_EXTENSIBLE wrapping any of those, RF64/BW64 (64-bit sizes), any sample rate and channel
 * count. Channels are mixed to mono by averaging. Other codecs (ADPCM, A-law, µ-law, MP3-in-WAV, big-endian RIFX)
 * raise AUDIO_UNSUPPORTED so callers can fall back to ffmpeg.
 *
 * Size rules:
 * - data size 0 or 0xFFFFFFFF (written by streaming recorders that never patched the header) → read to end of file;
 *   so do the placeholders 0x7FFFF000 (sox writing to a pipe), 0x7FFFFFFF, 0x80000000 and 0xFFFFFFFE when the file is
 *   shorter than they claim;
 * - a 32-bit data size that wrapped (file ≥ 4 GiB) is extended by multiples of 2^32 while it still fits the file;
 * - the header declaring more data than the file holds → AUDIO_TRUNCATED, except when only the final partial sample
 *   frame is missing (then the whole frames are decoded). We refuse rather than silently transcribe part of a
 *   recording: a cut-off download or copy is something the user should know about.
 * - a trailing partial frame (data size not a multiple of the frame size) is ignored.
 */

export type WavSampleEncoding = 'uint8' | 'int16' | 'int24' | 'int32' | 'float32' | 'float64';

export interface WavFormat {
  /** Effective WAVE format tag (the sub-format for WAVE_FORMAT_EXTENSIBLE): 1 = PCM, 3 = IEEE float. */
  formatTag: number;
  channels: number;
  /** Hz. */
  sampleRate: number;
  bitsPerSample: number;
  /** Bytes per sample frame (all channels). */
  blockAlign: number;
  encoding: WavSampleEncoding;
}

export interface WavLayout {
  format: WavFormat;
  /** Byte offset of the first audio byte in the file. */
  dataOffset: number;
  /** Audio bytes to read, whole frames only; null = read to end of file. */
  dataBytes: number | null;
  /** Whole sample frames, when known (from the header, or from the file size for read-to-EOF files). */
  frames: number | null;
}

/** Random-access byte source, so the same parser serves files and in-memory buffers. */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Reads up to `length` bytes at `offset`; fewer only at end of source. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export const WAVE_FORMAT_PCM = 0x0001;
export const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
export const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

const UNKNOWN_SIZE_32 = 0xffffffff;
/**
 * Data sizes that streaming writers put in headers they cannot patch later (sox writes 0x7FFFF000 to a pipe).
 * When the file is shorter than such a size, it means "until end of file" rather than a truncated file.
 */
const PLACEHOLDER_SIZES_32 = new Set([0x7ffff000, 0x7fffffff, 0x80000000, 0xfffffffe]);
const TWO_POW_32 = 2 ** 32;
const MAX_CHUNKS = 10_000;

const CODEC_NAMES: Readonly<Record<number, string>> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG audio',
  0x0055: 'MP3',
  0x00ff: 'AAC',
  0x1610: 'AAC',
  0xf1ac: 'FLAC',
};

/** Tail (bytes 2…15) of the standard KSDATAFORMAT_SUBTYPE GUID: xxxxxxxx-0000-0010-8000-00aa00389b71. */
const KS_SUBTYPE_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

function fourCc(bytes: Uint8Array, offset: number): string {
  return String.fromCharCode(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

function isPrintableId(bytes: Uint8Array, offset: number): boolean {
  for (let i = offset; i < offset + 4; i++) if (bytes[i] < 0x20 || bytes[i] > 0x7e) return false;
  return true;
}

function readU16(bytes: Uint8Array, offset: number): number {
  return bytes[offset] | (bytes[offset + 1] << 8);
}

function readU32(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

function readU64(bytes: Uint8Array, offset: number): number {
  return readU32(bytes, offset) + readU32(bytes, offset + 4) * TWO_POW_32;
}

/** True when the first bytes look like a little-endian RIFF/RF64/BW64 WAVE file (RIFX is reported as WAV too). */
export function hasWavMagic(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  const riff = fourCc(head, 0);
  return (riff === 'RIFF' || riff === 'RF64' || riff === 'BW64' || riff === 'RIFX') && fourCc(head, 8) === 'WAVE';
}

function corrupt(message: string, detail?: Record<string, unknown>): TingxieError {
  return new TingxieError(ErrorCodes.AUDIO_DECODE_FAILED, message, detail);
}

function parseFmtChunk(body: Uint8Array): WavFormat {
  if (body.length < 16) throw corrupt('The WAV file has a damaged format (fmt) chunk.', { fmtBytes: body.length });
  let formatTag = readU16(body, 0);
  const channels = readU16(body, 2);
  const sampleRate = readU32(body, 4);
  let blockAlign = readU16(body, 12);
  const bitsPerSample = readU16(body, 14);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (body.length < 40) throw corrupt('The WAV file has a damaged extensible format chunk.', { fmtBytes: body.length });
    const subFormat = readU16(body, 24);
    const standardGuid = KS_SUBTYPE_TAIL.every((value, i) => body[26 + i] === value);
    if (!standardGuid) {
      throw new TingxieError(ErrorCodes.AUDIO_UNSUPPORTED, 'This WAV file uses a non-standard sub-format that the built-in WAV reader does not support.', {
        formatTag,
      });
    }
    formatTag = subFormat;
  }
  if (channels < 1) throw corrupt('The WAV header says the file has no audio channels.', { channels });
  if (sampleRate < 1) throw corrupt('The WAV header has a sample rate of 0 Hz.', { sampleRate });
  if (formatTag !== WAVE_FORMAT_PCM && formatTag !== WAVE_FORMAT_IEEE_FLOAT) {
    const name = CODEC_NAMES[formatTag] ?? `format 0x${formatTag.toString(16).padStart(4, '0')}`;
    throw new TingxieError(ErrorCodes.AUDIO_UNSUPPORTED, `This WAV file holds ${name} audio, which the built-in WAV reader does not decode.`, {
      formatTag,
    });
  }
  // The container width wins over bitsPerSample (e.g. 20 valid bits left-justified in 3 bytes).
  let containerBytes = blockAlign > 0 && blockAlign % channels === 0 ? blockAlign / channels : Math.ceil(bitsPerSample / 8);
  if (containerBytes === 0) containerBytes = Math.ceil(bitsPerSample / 8);
  blockAlign = containerBytes * channels;
  const encoding = sampleEncoding(formatTag, containerBytes);
  if (!encoding) {
    throw new TingxieError(
      ErrorCodes.AUDIO_UNSUPPORTED,
      `This WAV file uses ${containerBytes * 8}-bit ${formatTag === WAVE_FORMAT_PCM ? 'integer' : 'float'} samples, which the built-in WAV reader does not decode.`,
      { formatTag, bitsPerSample },
    );
  }
  return { formatTag, channels, sampleRate, bitsPerSample, blockAlign, encoding };
}

function sampleEncoding(formatTag: number, containerBytes: number): WavSampleEncoding | null {
  if (formatTag === WAVE_FORMAT_PCM) {
    if (containerBytes === 1) return 'uint8';
    if (containerBytes === 2) return 'int16';
    if (containerBytes === 3) return 'int24';
    if (containerBytes === 4) return 'int32';
  } else if (formatTag === WAVE_FORMAT_IEEE_FLOAT) {
    if (containerBytes === 4) return 'float32';
    if (containerBytes === 8) return 'float64';
  }
  return null;
}

/**
 * Finds the format and the audio data in a WAVE file by walking its chunks (skipping LIST, fact, bext, … of any
 * size without reading them). Applies the size rules in the module comment; throws typed errors.
 */
export async function parseWavLayout(source: ByteSource): Promise<WavLayout> {
  const head = await source.read(0, 12);
  if (!hasWavMagic(head)) throw new TingxieError(ErrorCodes.AUDIO_NOT_AUDIO, 'This is not a WAV file (no RIFF/WAVE header).');
  const riff = fourCc(head, 0);
  if (riff === 'RIFX') {
    throw new TingxieError(ErrorCodes.AUDIO_UNSUPPORTED, 'This is a big-endian (RIFX) WAV file, which the built-in WAV reader does not decode.');
  }
  const is64 = riff === 'RF64' || riff === 'BW64';
  let format: WavFormat | null = null;
  let dataOffset: number | null = null;
  let declaredDataBytes: number | null = null;
  let ds64DataBytes: number | null = null;
  let position = 12;
  let previousOdd = false;

  // Real files have a handful of chunks; a cap keeps a hostile file from costing millions of reads.
  for (let chunkCount = 0; position + 8 <= source.size; chunkCount++) {
    if (chunkCount >= MAX_CHUNKS) throw corrupt('The WAV file is damaged: too many chunks before the audio data.', { chunks: chunkCount });
    let header = await source.read(position, 8);
    if (header.length < 8) break;
    if (!isPrintableId(header, 0) && previousOdd) {
      // Some writers forget the pad byte after an odd-sized chunk; retry one byte earlier.
      const unpadded = await source.read(position - 1, 8);
      if (unpadded.length === 8 && isPrintableId(unpadded, 0)) {
        position -= 1;
        header = unpadded;
      }
    }
    if (!isPrintableId(header, 0)) break;
    const id = fourCc(header, 0);
    const size = readU32(header, 4);
    const bodyOffset = position + 8;
    if (id === 'ds64' && is64) {
      const body = await source.read(bodyOffset, Math.min(size, 28));
      if (body.length >= 16) ds64DataBytes = readU64(body, 8);
    } else if (id === 'fmt ') {
      format = parseFmtChunk(await source.read(bodyOffset, Math.min(size, 64)));
    } else if (id === 'data') {
      dataOffset = bodyOffset;
      declaredDataBytes = is64 && size === UNKNOWN_SIZE_32 && ds64DataBytes !== null ? ds64DataBytes : size;
      if (format) break;
      // fmt after data (unusual but legal): keep walking when the data size lets us skip it.
      if (declaredDataBytes === 0 || declaredDataBytes === UNKNOWN_SIZE_32) break;
      position = bodyOffset + declaredDataBytes + (declaredDataBytes & 1);
      previousOdd = (declaredDataBytes & 1) === 1;
      continue;
    }
    position = bodyOffset + size + (size & 1);
    previousOdd = (size & 1) === 1;
  }

  if (!format) {
    throw corrupt('The WAV file is damaged: it has no format (fmt) chunk before the end of the file.');
  }
  if (dataOffset === null || declaredDataBytes === null) {
    throw new TingxieError(ErrorCodes.AUDIO_TRUNCATED, 'The WAV file ends before its audio data starts; it looks cut off.', {
      fileBytes: source.size,
    });
  }
  return resolveDataSize(format, dataOffset, declaredDataBytes, is64, source.size);
}

function resolveDataSize(format: WavFormat, dataOffset: number, declared: number, is64: boolean, fileSize: number): WavLayout {
  const available = Math.max(0, fileSize - dataOffset);
  const wholeFrames = (bytes: number): number => Math.floor(bytes / format.blockAlign);
  if (declared === 0 || declared === UNKNOWN_SIZE_32 || declared >= Number.MAX_SAFE_INTEGER) {
    return { format, dataOffset, dataBytes: null, frames: wholeFrames(available) };
  }
  if (!is64 && PLACEHOLDER_SIZES_32.has(declared) && available < declared) {
    return { format, dataOffset, dataBytes: null, frames: wholeFrames(available) };
  }
  let dataBytes = declared;
  // A 32-bit size field wraps for data ≥ 4 GiB; the file size tells how many times.
  if (!is64) while (dataBytes + TWO_POW_32 <= available) dataBytes += TWO_POW_32;
  if (dataBytes - available >= format.blockAlign) {
    throw new TingxieError(
      ErrorCodes.AUDIO_TRUNCATED,
      `The WAV file is cut off: its header promises ${formatSeconds(wholeFrames(dataBytes), format.sampleRate)} of audio but the file holds only ${formatSeconds(wholeFrames(available), format.sampleRate)}.`,
      { declaredBytes: dataBytes, availableBytes: available },
    );
  }
  // Only part of the final frame may be missing here; whole frames are what gets decoded.
  const frames = wholeFrames(Math.min(dataBytes, available));
  return { format, dataOffset, dataBytes: frames * format.blockAlign, frames };
}

function formatSeconds(frames: number, sampleRate: number): string {
  return `${(frames / sampleRate).toFixed(2)} s`;
}

/**
 * Converts whole interleaved sample frames to mono by averaging channels.
 * @param bytes interleaved frames, length a multiple of `format.blockAlign` (any trailing partial frame is ignored)
 * @returns shape [frames], float32 in [-1, 1] for integer input (float input is passed through, NaN → 0)
 */
export function framesToMono(bytes: Uint8Array, format: WavFormat): Float32Array {
  const { channels, blockAlign, encoding } = format;
  const frames = Math.floor(bytes.length / blockAlign);
  const out = new Float32Array(frames);
  const read = sampleReader(bytes, encoding);
  const step = blockAlign / channels;
  if (channels === 1) {
    for (let frame = 0, offset = 0; frame < frames; frame++, offset += step) out[frame] = read(offset);
  } else {
    const scale = 1 / channels;
    for (let frame = 0, offset = 0; frame < frames; frame++) {
      let sum = 0;
      for (let c = 0; c < channels; c++, offset += step) sum += read(offset);
      out[frame] = sum * scale;
    }
  }
  if (encoding === 'float32' || encoding === 'float64') {
    for (let i = 0; i < frames; i++) if (!Number.isFinite(out[i])) out[i] = 0;
  }
  return out;
}

/** Returns a reader of one little-endian sample at a byte offset, scaled to [-1, 1) for integers. */
function sampleReader(b: Uint8Array, encoding: WavSampleEncoding): (offset: number) => number {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  switch (encoding) {
    case 'uint8':
      return (offset) => (b[offset] - 128) / 128;
    case 'int16':
      return (offset) => (((b[offset] | (b[offset + 1] << 8)) << 16) >> 16) / 32768;
    case 'int24':
      return (offset) => (((b[offset] | (b[offset + 1] << 8) | (b[offset + 2] << 16)) << 8) >> 8) / 8388608;
    case 'int32':
      return (offset) => (b[offset] | (b[offset + 1] << 8) | (b[offset + 2] << 16) | (b[offset + 3] << 24)) / 2147483648;
    case 'float32':
      return (offset) => view.getFloat32(offset, true);
    case 'float64':
      return (offset) => view.getFloat64(offset, true);
  }
}

/** A {@link ByteSource} over an open file. */
export function fileByteSource(handle: FileHandle, size: number): ByteSource {
  return {
    size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const wanted = Math.max(0, Math.min(length, size - offset));
      const buffer = new Uint8Array(wanted);
      let filled = 0;
      while (filled < wanted) {
        const { bytesRead } = await handle.read(buffer, filled, wanted - filled, offset + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === wanted ? buffer : buffer.subarray(0, filled);
    },
  };
}

/** A {@link ByteSource} over bytes in memory. */
export function memoryByteSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (offset: number, length: number) => bytes.subarray(Math.max(0, offset), Math.max(0, Math.min(bytes.length, offset + length))),
  };
}

/** Reads the layout of a WAV file on disk. */
export async function readWavLayout(filePath: string): Promise<WavLayout> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    return await parseWavLayout(fileByteSource(handle, size));
  } finally {
    await handle.close();
  }
}

export interface WavStreamOptions {
  signal?: AbortSignal;
  /** Bytes per file read; rounded down to whole frames. Default 256 KiB. */
  readBytes?: number;
}

/**
 * Streams a WAV file's audio as mono float32 at the file's own sample rate, one block per file read, so memory use
 * is independent of the file length.
 * @yields shape [frames] chunks at `layout.format.sampleRate` Hz
 */
export async function* streamWavMono(filePath: string, layout: WavLayout, options: WavStreamOptions = {}): AsyncGenerator<Float32Array> {
  const { format, dataOffset, dataBytes } = layout;
  const blockBytes = Math.max(1, Math.floor((options.readBytes ?? 256 * 1024) / format.blockAlign)) * format.blockAlign;
  const handle = await open(filePath, 'r');
  try {
    const end = dataBytes === null ? Number.POSITIVE_INFINITY : dataOffset + dataBytes;
    const buffer = new Uint8Array(blockBytes + format.blockAlign);
    let carried = 0;
    let position = dataOffset;
    while (position < end) {
      throwIfAborted(options.signal);
      const want = Math.min(blockBytes, end - position);
      const { bytesRead } = await handle.read(buffer, carried, want, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const total = carried + bytesRead;
      const whole = total - (total % format.blockAlign);
      if (whole > 0) yield framesToMono(buffer.subarray(0, whole), format);
      // A read that ended mid-frame leaves the partial frame for the next read.
      buffer.copyWithin(0, whole, total);
      carried = total - whole;
    }
    if (dataBytes !== null && position - dataOffset + format.blockAlign <= dataBytes) {
      throw new TingxieError(ErrorCodes.AUDIO_TRUNCATED, 'The WAV file ended before all the audio its header promises (was it changed while reading?).', {
        declaredBytes: dataBytes,
        readBytes: position - dataOffset,
      });
    }
  } finally {
    await handle.close();
  }
}

/** Decodes a whole WAV held in memory to mono at its own sample rate. */
export async function decodeWavBytes(bytes: Uint8Array): Promise<MonoAudio> {
  const layout = await parseWavLayout(memoryByteSource(bytes));
  const end = layout.dataBytes === null ? bytes.length : layout.dataOffset + layout.dataBytes;
  const data = bytes.subarray(layout.dataOffset, end);
  return { samples: framesToMono(data.subarray(0, data.length - (data.length % layout.format.blockAlign)), layout.format), sampleRate: layout.format.sampleRate };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TingxieError(ErrorCodes.ABORTED, 'Decoding was cancelled.');
}
