/**
 * One error shape for every route: `{ error: { code, message, type } }` from a TingxieError, with the
 * HTTP status chosen by the code. Clients never see stack traces or internal error messages.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, TingxieError, type ErrorCode } from '../errors.ts';
import type { ErrorBody } from './contracts.ts';

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  AUDIO_EMPTY: 400,
  AUDIO_TRUNCATED: 400,
  AUDIO_UNSUPPORTED: 400,
  AUDIO_NOT_AUDIO: 400,
  AUDIO_DECODE_FAILED: 400,
  AUDIO_NO_STREAM: 400,
  VALIDATION_FAILED: 400,
  CONFIG_INVALID: 400,
  USAGE: 400,
  STREAM_PROTOCOL: 400,
  AUTH_REQUIRED: 401,
  AUTH_INVALID: 401,
  ORIGIN_NOT_ALLOWED: 403,
  IP_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  FILE_NOT_FOUND: 404,
  MODEL_NOT_FOUND: 404,
  CATALOGUE_UNKNOWN_ID: 404,
  JOB_NOT_FOUND: 404,
  HISTORY_NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  STREAM_TOO_LONG: 413,
  MODEL_INVALID: 422,
  MODEL_UNKNOWN_FAMILY: 422,
  MODEL_LOAD_FAILED: 422,
  DEVICE_INVALID: 422,
  DEVICE_UNAVAILABLE: 422,
  ARCHIVE_INVALID: 422,
  CHECKSUM_MISMATCH: 502,
  DOWNLOAD_FAILED: 502,
  RATE_LIMITED: 429,
  MODEL_NOT_LOADED: 503,
  SERVER_BUSY: 503,
  STREAM_OVERLOADED: 503,
  ABORTED: 503,
};

export function statusForCode(code: string): number {
  return STATUS_BY_CODE[code as ErrorCode] ?? 500;
}

/** OpenAI's error `type` for a status, so OpenAI clients raise their usual exception classes. */
export function errorTypeForStatus(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 400 && status < 500) return 'invalid_request_error';
  return 'server_error';
}

export function errorBody(error: TingxieError, status: number = statusForCode(error.code)): ErrorBody {
  const body: ErrorBody = { error: { code: error.code, message: error.message, type: errorTypeForStatus(status) } };
  if (error.detail) body.error.detail = { ...error.detail };
  return body;
}

/** Maps anything a handler or Fastify threw to a status and a TingxieError safe to show a client. */
export function toHttpError(error: unknown): { status: number; error: TingxieError } {
  if (error instanceof TingxieError) return { status: statusForCode(error.code), error };
  const fastify = error as Partial<FastifyError> & { validation?: unknown; validationContext?: string };
  if (fastify && typeof fastify === 'object' && fastify.validation) {
    return { status: 400, error: new TingxieError(ErrorCodes.VALIDATION_FAILED, fastify.message ?? 'Invalid request.', { context: fastify.validationContext }) };
  }
  const status = typeof fastify?.statusCode === 'number' ? fastify.statusCode : 500;
  if (status === 413) return { status, error: new TingxieError(ErrorCodes.PAYLOAD_TOO_LARGE, 'The request body or upload is larger than this server accepts.') };
  if (status === 429) return { status, error: new TingxieError(ErrorCodes.RATE_LIMITED, 'Too many requests; slow down and retry.') };
  if (status === 404) return { status, error: new TingxieError(ErrorCodes.NOT_FOUND, 'Not found.') };
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx messages (bad JSON, unsupported media type, malformed multipart) carry no secrets.
    return { status, error: new TingxieError(ErrorCodes.VALIDATION_FAILED, fastify.message ?? 'Invalid request.', fastify.code ? { reason: fastify.code } : undefined) };
  }
  return { status: 500, error: new TingxieError(ErrorCodes.INTERNAL, 'Internal server error.') };
}

/** Installs the error and not-found handlers on `app` (call on the root instance). */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, error: typed } = toHttpError(error);
    if (status >= 500) request.log.error({ err: error, code: typed.code }, 'request failed');
    else request.log.info({ code: typed.code, status }, 'request refused');
    if (reply.sent || reply.raw.headersSent) return;
    void reply.status(status).type('application/json; charset=utf-8').send(errorBody(typed, status));
  });
  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const error = new TingxieError(ErrorCodes.NOT_FOUND, `No route ${request.method} ${request.url.split('?')[0]}.`);
    void reply.status(404).send(errorBody(error, 404));
  });
}

/** JSON schema of `ErrorBody`, for route response schemas. */
export const ERROR_BODY_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'type'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        type: { type: 'string' },
        detail: { type: 'object', additionalProperties: true },
      },
    },
  },
} as const;
