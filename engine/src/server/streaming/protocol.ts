/**
 * The `/api/stream` wire protocol: what the client sends, what the server answers, and how errors map to
 * WebSocket close codes. Pure: no sockets, no models.
 *
 * Client → server
 * - first a text frame `{ "type": "start", "language"?: "auto"|"zh"|"en"|"ja"|"ko"|"yue", "itn"?: boolean,
 *   "hotwords"?: string[], "sampleRate"?: 16000 }` (defaults: auto, true, none, 16000; unknown fields are refused);
 *   hotwords are entries in the lines form of the HTTP API (`词`, `词 2`, `错=>对`), merged over the saved list;
 * - then binary frames: 16 kHz mono PCM16 little-endian, a whole number of samples per frame, at most
 *   256 KiB (8 s) a frame;
 * - `{ "type": "stop" }` ends the stream: the last segment is finalized, then `end`, then close 1000.
 * Only 16 kHz is accepted (no resampling on the server: clients resample once, where the audio is captured);
 * any other `sampleRate` is a STREAM_PROTOCOL error naming the rate.
 *
 * Server → client (text frames, JSON): `ready` after start; `partial` (the open segment so far, every
 * streamPartialIntervalS of its audio); `final` per segment; `lagging` when partials are being skipped because
 * decoding is behind; `end` after stop; `error` before any close other than 1000. Times are seconds of audio
 * from the start of the stream.
 *
 * Close codes: 1000 after `end`; 1008 protocol errors (malformed JSON, binary before start or of odd length,
 * unknown message, second start, no start within 10 s) and STREAM_TOO_LONG; 1009 an oversized frame; 1013
 * STREAM_OVERLOADED (more than 60 s of audio waiting to be decoded), MODEL_NOT_LOADED, SERVER_BUSY; 1011 other
 * server errors.
 */
import { ErrorCodes, TingxieError, type ErrorCode } from '../../errors.ts';
import { LANGUAGES, type Language } from '../../pipeline/types.ts';
import { parseHotwords, type HotwordList } from '../../text/hotwords/list.ts';

/** The only sample rate accepted, Hz. */
export const STREAM_SAMPLE_RATE = 16000;
/** Most hotwords one stream may bring. */
export const MAX_STREAM_HOTWORDS = 1000;

/** WebSocket close codes used (RFC 6455 §7.4.1). */
export const CloseCodes = {
  NORMAL: 1000,
  /** The peer went away (server shutting down). */
  GOING_AWAY: 1001,
  /** Protocol errors and policy limits (STREAM_PROTOCOL, STREAM_TOO_LONG). */
  POLICY: 1008,
  /** A frame larger than allowed. */
  TOO_BIG: 1009,
  /** Unexpected server error (model inference failed, …). */
  SERVER_ERROR: 1011,
  /** Overloaded or no model loaded: the client may retry later. */
  TRY_AGAIN_LATER: 1013,
} as const;

export interface StartMessage {
  type: 'start';
  language: Language;
  /** Written form (digits, dates) on top of the model's output. Default true. */
  itn: boolean;
  /** Parsed hotword list; null when none were given. */
  hotwords: HotwordList | null;
  sampleRate: typeof STREAM_SAMPLE_RATE;
}

export interface StopMessage {
  type: 'stop';
}

export type ClientMessage = StartMessage | StopMessage;

export interface ReadyMessage {
  type: 'ready';
  sampleRate: typeof STREAM_SAMPLE_RATE;
}

/** The open segment decoded so far (may change; superseded by the segment's final). */
export interface PartialMessage {
  type: 'partial';
  text: string;
  rawText: string;
  /** Segment start, seconds from the stream start. */
  start: number;
}

/** One finished segment, decoded over its whole audio. Finals are never dropped. */
export interface FinalMessage {
  type: 'final';
  text: string;
  rawText: string;
  start: number;
  end: number;
  /** Model tokens and their start times (seconds from the stream start), same length. */
  tokens: string[];
  timestamps: number[];
  /** Detected (or requested) language; null when unknown. */
  language: string | null;
}

/** Decoding has fallen behind by `behindS` seconds of audio: partials are skipped until it catches up. */
export interface LaggingMessage {
  type: 'lagging';
  behindS: number;
}

export interface EndMessage {
  type: 'end';
  /** Seconds of audio received. */
  durationS: number;
}

export interface ErrorMessage {
  type: 'error';
  code: ErrorCode;
  message: string;
}

export type ServerMessage = ReadyMessage | PartialMessage | FinalMessage | LaggingMessage | EndMessage | ErrorMessage;

function protocolError(message: string, detail?: Record<string, unknown>): TingxieError {
  return new TingxieError(ErrorCodes.STREAM_PROTOCOL, message, detail);
}

const START_KEYS: ReadonlySet<string> = new Set(['type', 'language', 'itn', 'hotwords', 'sampleRate']);

/** Parses one client text frame. @throws TingxieError STREAM_PROTOCOL for anything malformed. */
export function parseClientMessage(text: string): ClientMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw protocolError('Text frames must be JSON messages ({"type":"start",…} or {"type":"stop"}).');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw protocolError('A message must be a JSON object with a "type".');
  const record = value as Record<string, unknown>;
  switch (record.type) {
    case 'stop':
      return { type: 'stop' };
    case 'start':
      return parseStart(record);
    default:
      throw protocolError(`Unknown message type ${JSON.stringify(record.type)}; expected "start" or "stop".`, { field: 'type' });
  }
}

function parseStart(record: Record<string, unknown>): StartMessage {
  for (const key of Object.keys(record)) {
    if (!START_KEYS.has(key)) throw protocolError(`Unknown field "${key}" in the start message.`, { field: key });
  }
  const language = record.language ?? 'auto';
  if (typeof language !== 'string' || !(LANGUAGES as readonly string[]).includes(language)) {
    throw protocolError(`language must be one of ${LANGUAGES.join(', ')}.`, { field: 'language' });
  }
  const itn = record.itn ?? true;
  if (typeof itn !== 'boolean') throw protocolError('itn must be true or false.', { field: 'itn' });
  const sampleRate = record.sampleRate ?? STREAM_SAMPLE_RATE;
  if (sampleRate !== STREAM_SAMPLE_RATE) {
    throw protocolError(`Only ${STREAM_SAMPLE_RATE} Hz mono PCM16 is accepted; resample on the client (got sampleRate ${JSON.stringify(sampleRate)}).`, {
      field: 'sampleRate',
    });
  }
  return { type: 'start', language: language as Language, itn, hotwords: parseStreamHotwords(record.hotwords), sampleRate: STREAM_SAMPLE_RATE };
}

/**
 * `hotwords`: an array of entries in the lines form, as the HTTP API takes them: `词`, `词 2` (weighted),
 * `错=>对` (a replacement).
 */
function parseStreamHotwords(value: unknown): HotwordList | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && !/[\r\n]/.test(item))) {
    throw protocolError('hotwords must be an array of strings, one entry each (no line breaks).', { field: 'hotwords' });
  }
  if (value.length === 0) return null;
  if (value.length > MAX_STREAM_HOTWORDS) throw protocolError(`At most ${MAX_STREAM_HOTWORDS} hotwords per stream.`, { field: 'hotwords' });
  try {
    return parseHotwords(value.join('\n'), 'lines');
  } catch (error) {
    throw protocolError(error instanceof Error ? error.message : String(error), { field: 'hotwords' });
  }
}

/**
 * PCM16 little-endian bytes → Int16Array (a copy, aligned). Shape [bytes.length / 2].
 * @throws TingxieError STREAM_PROTOCOL for an odd number of bytes
 */
export function pcm16FromBytes(bytes: Uint8Array): Int16Array {
  if (bytes.length % 2 !== 0) throw protocolError(`Binary frames carry 16-bit samples; got an odd length of ${bytes.length} bytes.`);
  const out = new Int16Array(bytes.length / 2);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = view.getInt16(2 * i, true);
  return out;
}

/** Int16 samples → float32 in [-1, 1). Shape kept. */
export function pcm16ToFloat32(pcm: Int16Array): Float32Array {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i] / 32768;
  return out;
}

/** The close code that follows an `error` message with this code. */
export function closeCodeFor(code: string): number {
  switch (code) {
    case ErrorCodes.STREAM_PROTOCOL:
    case ErrorCodes.STREAM_TOO_LONG:
    case ErrorCodes.VALIDATION_FAILED:
      return CloseCodes.POLICY;
    case ErrorCodes.PAYLOAD_TOO_LARGE:
      return CloseCodes.TOO_BIG;
    case ErrorCodes.STREAM_OVERLOADED:
    case ErrorCodes.SERVER_BUSY:
    case ErrorCodes.MODEL_NOT_LOADED:
      return CloseCodes.TRY_AGAIN_LATER;
    default:
      return CloseCodes.SERVER_ERROR;
  }
}
