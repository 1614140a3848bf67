/**
 * One list of stable error codes for everything Tingxie reports to users.
 * Codes never change meaning once released; messages are for humans.
 */
export const ErrorCodes = {
  // Audio input
  AUDIO_EMPTY: 'AUDIO_EMPTY',
  AUDIO_TRUNCATED: 'AUDIO_TRUNCATED',
  AUDIO_UNSUPPORTED: 'AUDIO_UNSUPPORTED',
  AUDIO_NOT_AUDIO: 'AUDIO_NOT_AUDIO',
  AUDIO_DECODE_FAILED: 'AUDIO_DECODE_FAILED',
  AUDIO_NO_STREAM: 'AUDIO_NO_STREAM',
  FILE_NOT_FOUND: 'FILE_NOT_FOUND',
  FFMPEG_NOT_FOUND: 'FFMPEG_NOT_FOUND',
  // Models
  MODEL_NOT_FOUND: 'MODEL_NOT_FOUND',
  MODEL_INVALID: 'MODEL_INVALID',
  MODEL_UNKNOWN_FAMILY: 'MODEL_UNKNOWN_FAMILY',
  MODEL_LOAD_FAILED: 'MODEL_LOAD_FAILED',
  MODEL_INFERENCE_FAILED: 'MODEL_INFERENCE_FAILED',
  CATALOGUE_UNKNOWN_ID: 'CATALOGUE_UNKNOWN_ID',
  DOWNLOAD_FAILED: 'DOWNLOAD_FAILED',
  CHECKSUM_MISMATCH: 'CHECKSUM_MISMATCH',
  ARCHIVE_INVALID: 'ARCHIVE_INVALID',
  // Device
  DEVICE_UNAVAILABLE: 'DEVICE_UNAVAILABLE',
  DEVICE_INVALID: 'DEVICE_INVALID',
  // VAD
  VAD_LOAD_FAILED: 'VAD_LOAD_FAILED',
  // Server
  MODEL_NOT_LOADED: 'MODEL_NOT_LOADED',
  AUTH_REQUIRED: 'AUTH_REQUIRED',
  AUTH_INVALID: 'AUTH_INVALID',
  ORIGIN_NOT_ALLOWED: 'ORIGIN_NOT_ALLOWED',
  IP_NOT_ALLOWED: 'IP_NOT_ALLOWED',
  RATE_LIMITED: 'RATE_LIMITED',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  NOT_FOUND: 'NOT_FOUND',
  JOB_NOT_FOUND: 'JOB_NOT_FOUND',
  HISTORY_NOT_FOUND: 'HISTORY_NOT_FOUND',
  STREAM_PROTOCOL: 'STREAM_PROTOCOL',
  STREAM_TOO_LONG: 'STREAM_TOO_LONG',
  STREAM_OVERLOADED: 'STREAM_OVERLOADED',
  SERVER_BUSY: 'SERVER_BUSY',
  DB_FAILED: 'DB_FAILED',
  // Config / usage
  CONFIG_INVALID: 'CONFIG_INVALID',
  USAGE: 'USAGE',
  ABORTED: 'ABORTED',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** The one error type the engine throws at users: a stable code plus a human message. */
export class TingxieError extends Error {
  readonly code: ErrorCode;
  /** Optional structured detail (field name, file, offending value); never audio or transcript text. */
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, detail?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TingxieError';
    this.code = code;
    this.detail = detail;
  }

  toJSON(): { code: ErrorCode; message: string; detail?: Readonly<Record<string, unknown>> } {
    return this.detail ? { code: this.code, message: this.message, detail: this.detail } : { code: this.code, message: this.message };
  }
}

export function isTingxieError(value: unknown): value is TingxieError {
  return value instanceof TingxieError;
}

/** Wraps anything thrown into a TingxieError, keeping typed errors as they are. */
export function toTingxieError(value: unknown, fallback: ErrorCode = ErrorCodes.INTERNAL): TingxieError {
  if (value instanceof TingxieError) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new TingxieError(fallback, message, undefined, { cause: value });
}
