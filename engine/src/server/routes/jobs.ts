/**
 * Batch jobs: `POST /api/jobs` (multipart, several `file` parts), `GET /api/jobs`,
 * `GET /api/jobs/:id`, `GET /api/jobs/:id/events` (Server-Sent Events), `DELETE /api/jobs/:id`.
 * Uploads stream to `<dataDir>/uploads/<jobId>/`; the job is recorded (and so accepted) only
 * once every file is on disk. Needs `app.jobs` (the jobs plugin) and `app.registry`.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import { LANGUAGES, type Language } from '../../pipeline/types.ts';
import type { JobEvent, JobQueue } from '../db/job-queue.ts';
import { JOB_STATUSES, TERMINAL_STATUSES, type JobOptions, type NewJobFile } from '../db/job-store.ts';
import { ERROR_BODY_SCHEMA } from '../errors.ts';
import { parseBooleanField, parseHotwordsField, safeDisplayName } from './transcriptions.ts';

export interface JobRoutesOptions {
  /** Largest file accepted, bytes (default: `app.config.maxUploadBytes`). */
  maxUploadBytes?: number;
  /** Most files in one job (default 100). */
  maxFiles?: number;
  /** Seconds between SSE heartbeat comments (default 15). */
  heartbeatS?: number;
}

const ERRORS = { '4xx': ERROR_BODY_SCHEMA, '5xx': ERROR_BODY_SCHEMA } as const;
const OPTION_FIELDS = new Set(['language', 'itn', 'vad', 'hotwords']);
const DEFAULT_MAX_FILES = 100;

const FILE_SCHEMA = {
  type: 'object',
  required: ['index', 'filename', 'size_bytes', 'status', 'progress', 'attempts', 'history_id', 'text', 'error', 'started_at', 'finished_at'],
  properties: {
    index: { type: 'integer' },
    filename: { type: 'string' },
    size_bytes: { type: 'integer' },
    status: { type: 'string', enum: [...JOB_STATUSES] },
    progress: { type: 'number' },
    attempts: { type: 'integer' },
    history_id: { type: ['integer', 'null'] },
    text: { type: ['string', 'null'] },
    error: {
      anyOf: [{ type: 'null' }, { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } }],
    },
    started_at: { type: ['string', 'null'] },
    finished_at: { type: ['string', 'null'] },
  },
} as const;

const COUNT = { type: 'integer' } as const;
const JOB_SCHEMA = {
  type: 'object',
  required: ['id', 'created_at', 'updated_at', 'status', 'options', 'counts', 'files'],
  properties: {
    id: { type: 'string' },
    created_at: { type: 'string' },
    updated_at: { type: 'string' },
    status: { type: 'string', enum: [...JOB_STATUSES] },
    options: {
      type: 'object',
      properties: { language: { type: 'string' }, itn: { type: 'boolean' }, vad: { type: 'boolean' }, hotwords: { type: 'array', items: { type: 'string' } } },
    },
    counts: { type: 'object', properties: { queued: COUNT, running: COUNT, done: COUNT, failed: COUNT, cancelled: COUNT } },
    files: { type: 'array', items: FILE_SCHEMA },
  },
} as const;

const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

function validation(field: string, message: string): TingxieError {
  return new TingxieError(ErrorCodes.VALIDATION_FAILED, message, { field });
}

/** The stored name of upload number `index`: index-prefixed (unique), no path parts, a safe extension. */
export function storedUploadName(index: number, displayName: string): string {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(displayName);
  return `${String(index).padStart(4, '0')}${match ? `.${match[1]!.toLowerCase()}` : ''}`;
}

/** Reads the form, streaming every file to `dir`; fields are validated as they come. */
async function readJobForm(
  request: FastifyRequest,
  dir: string,
  limits: { maxUploadBytes: number; maxFiles: number },
): Promise<{ options: JobOptions; files: NewJobFile[] }> {
  if (!request.isMultipart()) throw validation('file', 'Send the files as multipart/form-data with one or more "file" fields.');
  const fields = new Map<string, string>();
  const files: NewJobFile[] = [];
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for await (const part of request.parts({ limits: { fileSize: limits.maxUploadBytes, files: limits.maxFiles, fields: 16, fieldSize: 256 * 1024 } })) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' && part.fieldname !== 'file[]' && part.fieldname !== 'files') {
        part.file.resume();
        throw validation(part.fieldname, `Unexpected file field "${part.fieldname}"; send each audio file as "file".`);
      }
      const filename = safeDisplayName(part.filename);
      const storedName = storedUploadName(files.length, filename);
      const path = join(dir, storedName);
      // Belt and braces: the stored name has no separators, but never write outside the job's folder.
      if (!resolve(path).startsWith(resolve(dir) + sep)) throw validation('file', 'Invalid file name.');
      await pipeline(part.file, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      if (part.file.truncated) {
        throw new TingxieError(ErrorCodes.PAYLOAD_TOO_LARGE, `"${filename}" is larger than this server accepts (${limits.maxUploadBytes} bytes).`, { file: filename });
      }
      files.push({ filename, storedName, sizeBytes: (await stat(path)).size });
    } else {
      if (!OPTION_FIELDS.has(part.fieldname)) throw validation(part.fieldname, `Unknown field "${part.fieldname.slice(0, 40)}". Fields: file, ${[...OPTION_FIELDS].join(', ')}.`);
      if (fields.has(part.fieldname)) throw validation(part.fieldname, `"${part.fieldname}" was given more than once.`);
      if (typeof part.value !== 'string') throw validation(part.fieldname, `"${part.fieldname}" must be text.`);
      fields.set(part.fieldname, part.value);
    }
  }
  if (files.length === 0) throw validation('file', 'A job needs at least one "file".');
  const language = (fields.get('language')?.trim().toLowerCase() || 'auto') as Language;
  if (!LANGUAGES.includes(language)) throw validation('language', `Unsupported language "${language.slice(0, 20)}". Use one of: ${LANGUAGES.join(', ')}.`);
  const itnField = fields.get('itn');
  const vadField = fields.get('vad');
  const hotwordsField = fields.get('hotwords');
  return {
    options: {
      language,
      itn: itnField === undefined ? true : parseBooleanField('itn', itnField),
      vad: vadField === undefined ? true : parseBooleanField('vad', vadField),
      hotwords: hotwordsField === undefined ? [] : parseHotwordsField(hotwordsField),
    },
    files,
  };
}

/** One SSE message. `data` is one line of JSON (JSON never contains a raw newline). */
function sseMessage(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function streamEvents(queue: JobQueue, jobId: string, request: FastifyRequest, reply: FastifyReply, heartbeatMs: number): void {
  const job = queue.get(jobId); // JOB_NOT_FOUND before anything is sent
  reply.hijack();
  const raw = reply.raw;
  // Headers set by hooks (CORS) on the reply are not sent by a hijacked reply: pass them on.
  const hookHeaders = Object.fromEntries(Object.entries(reply.getHeaders()).filter((entry): entry is [string, string | number | string[]] => entry[1] !== undefined));
  raw.writeHead(200, {
    ...hookHeaders,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    clearInterval(heartbeat);
    raw.end();
  };
  const unsubscribe = queue.subscribe(jobId, (event: JobEvent) => {
    if (ended) return;
    switch (event.type) {
      case 'progress':
        raw.write(sseMessage('progress', { job_id: event.job_id, index: event.index, progress: event.progress }));
        break;
      case 'file':
        raw.write(sseMessage('file', { job_id: event.job_id, file: event.file }));
        break;
      case 'job':
        raw.write(sseMessage('job', event.job));
        end();
        break;
      case 'closing':
        end();
        break;
    }
  });
  const heartbeat = setInterval(() => {
    if (!ended) raw.write(': heartbeat\n\n');
  }, heartbeatMs);
  heartbeat.unref();
  raw.on('close', end);
  request.raw.on('close', end);
  // Replay: the state now, then live events; a job already over ends the stream at once.
  raw.write(`retry: 2000\n${sseMessage('snapshot', job)}`);
  if (TERMINAL_STATUSES.has(job.status)) {
    raw.write(sseMessage('job', job));
    end();
  }
}

const jobRoutes: FastifyPluginAsync<JobRoutesOptions> = async (app, opts) => {
  if (!app.hasDecorator('jobs')) throw new Error('The job routes need app.jobs (register the jobs plugin first).');
  const maxUploadBytes = opts.maxUploadBytes ?? app.config.maxUploadBytes;
  const maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  const heartbeatMs = Math.max(0.01, opts.heartbeatS ?? 15) * 1000;
  // Encapsulated: other routes register their own multipart limits.
  await app.register(multipart, { limits: { fileSize: maxUploadBytes, files: maxFiles, fields: 16, fieldSize: 256 * 1024 } });

  app.post(
    '/api/jobs',
    { schema: { consumes: ['multipart/form-data'], response: { 202: JOB_SCHEMA, ...ERRORS } } },
    async (request, reply) => {
      const status = app.registry.status();
      if (status.state !== 'ready' && status.state !== 'loading') {
        throw new TingxieError(ErrorCodes.MODEL_NOT_LOADED, 'No model is loaded; load one before submitting a job.');
      }
      const jobId = app.jobs.newJobId();
      const dir = app.jobs.uploadDir(jobId);
      let accepted = false;
      try {
        const form = await readJobForm(request, dir, { maxUploadBytes, maxFiles });
        const job = app.jobs.accept(jobId, form.options, form.files);
        accepted = true;
        return reply.status(202).header('location', `/api/jobs/${jobId}`).send(job);
      } finally {
        if (!accepted) await rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.get(
    '/api/jobs',
    {
      schema: {
        querystring: {
          type: 'object',
          properties: { limit: { type: 'integer', minimum: 0, maximum: 200, default: 50 }, offset: { type: 'integer', minimum: 0, default: 0 } },
        },
        response: {
          200: { type: 'object', required: ['total', 'items'], properties: { total: { type: 'integer' }, items: { type: 'array', items: JOB_SCHEMA } } },
          ...ERRORS,
        },
      },
    },
    async (request) => {
      const { limit, offset } = request.query as { limit: number; offset: number };
      return app.jobs.list(limit, offset);
    },
  );

  app.get('/api/jobs/:id', { schema: { params: ID_PARAMS, response: { 200: JOB_SCHEMA, ...ERRORS } } }, async (request) => {
    return app.jobs.get((request.params as { id: string }).id);
  });

  app.get('/api/jobs/:id/events', { schema: { params: ID_PARAMS, response: ERRORS } }, async (request, reply) => {
    streamEvents(app.jobs, (request.params as { id: string }).id, request, reply, heartbeatMs);
  });

  app.delete('/api/jobs/:id', { schema: { params: ID_PARAMS, response: { 200: JOB_SCHEMA, ...ERRORS } } }, async (request) => {
    return app.jobs.cancel((request.params as { id: string }).id);
  });
};

export default jobRoutes;
