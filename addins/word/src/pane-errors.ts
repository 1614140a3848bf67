/** Failures the pane explains to the user, and which message each engine error code gets. No DOM. */
import type { MessageKey } from './i18n.ts';

/** A failure the pane can explain: `key` picks the message, `values` fill it. */
export class PaneError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly values: Record<string, string> = {},
  ) {
    super(`${key}${values.message ? `: ${values.message}` : ''}`);
    this.name = 'PaneError';
  }
}

/** The message key for an engine error code (the `{ error: { code } }` body or a stream `error`). */
export function keyForErrorCode(code: string | undefined, status = 0): MessageKey {
  switch (code) {
    case 'AUTH_REQUIRED':
      return 'errAuthRequired';
    case 'AUTH_INVALID':
      return 'errAuthInvalid';
    case 'MODEL_NOT_LOADED':
    case 'MODEL_NOT_FOUND':
    case 'MODEL_LOAD_FAILED':
      return 'errNoModel';
    case 'ORIGIN_NOT_ALLOWED':
      return 'errOrigin';
    case 'SERVER_BUSY':
    case 'STREAM_OVERLOADED':
    case 'RATE_LIMITED':
      return 'errBusy';
    case 'PAYLOAD_TOO_LARGE':
      return 'errTooLarge';
    case 'AUDIO_NOT_AUDIO':
    case 'AUDIO_UNSUPPORTED':
    case 'AUDIO_DECODE_FAILED':
    case 'AUDIO_NO_STREAM':
    case 'AUDIO_EMPTY':
      return 'errAudio';
    default:
      if (status === 401) return 'errAuthRequired';
      if (status === 413) return 'errTooLarge';
      return 'errGeneric';
  }
}

