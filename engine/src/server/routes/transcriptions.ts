/**
 * `POST /v1/audio/transcriptions`, compatible with OpenAI's: multipart `file`, `model`, `language`, `prompt`,
 * `response_format` (json | text | srt | vtt | verbose_json), `timestamp_granularities[]` (segment, word);
 * extensions `hotwords` (comma/newline separated or a JSON array), `itn` (default true), `vad` (default true).
 *
 * The upload streams to a temp file under `<dataDir>/tmp/uploads` (never held in memory) with a generated
 * name (the client's file name never touches the file system), and is deleted afterwards.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ErrorCodes, TingxieError, toTingxieError } from '../../errors.ts';
import { toSrt, toVtt } from '../../output/formats.ts';
import { LANGUAGES, type Language, type TranscriptionResult, type TranscriptSegment } from '../../pipeline/types.ts';
import { ERROR_BODY_SCHEMA } from '../errors.ts';

export const RESPONSE_FORMATS = ['json', 'text', 'srt', 'vtt', 'verbose_json'] as const;
export type ResponseFormat = (typeof RESPONSE_FORMATS)[number];

export interface TranscriptionForm {
  filePath: string;
  /** The client's file name, reduced to a safe display name (for history); never used as a path. */
  fileName: string;
  model: string | null;
  language: Language;
  responseFormat: ResponseFormat;
  granularities: Set<'segment' | 'word'>;
  hotwords: string[];
  itn: boolean;
  vad: boolean;
}

/** Whisper-style language names, as OpenAI's verbose_json reports them. */
const LANGUAGE_NAMES: Record<string, string> = { zh: 'chinese', en: 'english', ja: 'japanese', ko: 'korean', yue: 'cantonese' };

const MAX_HOTWORDS = 1000;

function validation(field: string, message: string): TingxieError {
  return new TingxieError(ErrorCodes.VALIDATION_FAILED, message, { field });
}

export function parseBooleanField(field: string, value: string): boolean {
  const v = value.trim().toLowerCase();
  if (v === 'true' || v === '1' || v === 'on' || v === 'yes') return true;
  if (v === 'false' || v === '0' || v === 'off' || v === 'no') return false;
  throw validation(field, `"${field}" must be true or false, got "${value.slice(0, 40)}".`);
}

/** Hotwords from a form field: a JSON array of strings, or entries separated by commas or newlines. */
export function parseHotwordsField(value: string): string[] {
  const text = value.trim();
  if (text === '') return [];
  let list: string[];
  if (text.startsWith('[')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw validation('hotwords', '"hotwords" starts with "[" but is not a valid JSON array.');
    }
    if (!Array.isArray(json) || !json.every((entry) => typeof entry === 'string')) throw validation('hotwords', '"hotwords" as JSON must be an array of strings.');
    list = json as string[];
  } else {
    list = text.split(/[,，\n\r]+/);
  }
  list = list.map((entry) => entry.trim()).filter((entry) => entry !== '');
  if (list.length > MAX_HOTWORDS) throw validation('hotwords', `At most ${MAX_HOTWORDS} hotwords per request.`);
  return list;
}

/** A display name from a client-supplied file name: the last path component, control characters removed. */
export function safeDisplayName(name: string | undefined): string {
  const last = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = last.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 255);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'upload' : cleaned;
}

/** A file extension safe to put on the temp file (helps format detection), or ''. */
function safeExtension(name: string): string {
  const match = /\.([A-Za-z0-9]{1,8})$/.exec(name);
  return match ? `.${match[1]!.toLowerCase()}` : '';
}

export interface ReceivedUpload {
  filePath: string;
  /** The client's file name reduced to a safe display name; never used as a path. */
  fileName: string;
  /** Text fields by name (a trailing "[]" dropped), in the order given. */
  fields: Map<string, string[]>;
  /** The one value of a field; VALIDATION_FAILED when it was given more than once. */
  single(name: string): string | undefined;
}

/**
 * Reads a multipart form with one audio part named "file", streaming it into `uploadDir` under a generated
 * name (pushed onto `cleanup`; the caller deletes it). Used by every route that takes an upload.
 */
export async function receiveUpload(request: FastifyRequest, uploadDir: string, cleanup: string[]): Promise<ReceivedUpload> {
  if (!request.isMultipart()) throw validation('file', 'Send the audio as multipart/form-data with a "file" field.');
  const fields = new Map<string, string[]>();
  let filePath: string | null = null;
  let fileName = 'upload';
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file' || filePath !== null) {
        part.file.resume();
        throw validation(part.fieldname, filePath !== null ? 'Only one "file" per request.' : `Unexpected file field "${part.fieldname}"; send the audio as "file".`);
      }
      fileName = safeDisplayName(part.filename);
      filePath = join(uploadDir, `upload-${randomUUID()}${safeExtension(fileName)}`);
      cleanup.push(filePath);
      await pipeline(part.file, createWriteStream(filePath, { flags: 'wx', mode: 0o600 }));
      if (part.file.truncated) throw new TingxieError(ErrorCodes.PAYLOAD_TOO_LARGE, 'The uploaded file is larger than this server accepts.');
    } else {
      const value = typeof part.value === 'string' ? part.value : String(part.value);
      const name = part.fieldname.endsWith('[]') ? part.fieldname.slice(0, -2) : part.fieldname;
      fields.set(name, [...(fields.get(name) ?? []), value]);
    }
  }
  if (filePath === null) throw validation('file', 'The form has no "file" field with the audio.');
  const single = (name: string): string | undefined => {
    const values = fields.get(name);
    if (values && values.length > 1) throw validation(name, `"${name}" was given more than once.`);
    return values?.[0];
  };
  return { filePath, fileName, fields, single };
}

/** Reads the transcription form (OpenAI's fields plus our extensions), streaming the file into `uploadDir`. */
async function readForm(request: FastifyRequest, uploadDir: string, cleanup: string[]): Promise<TranscriptionForm> {
  const { filePath, fileName, fields, single } = await receiveUpload(request, uploadDir, cleanup);

  const languageRaw = single('language')?.trim().toLowerCase() || 'auto';
  if (!(LANGUAGES as readonly string[]).includes(languageRaw)) {
    throw validation('language', `Unsupported language "${languageRaw.slice(0, 20)}". Use one of: ${LANGUAGES.join(', ')}.`);
  }
  const formatRaw = single('response_format')?.trim() || 'json';
  if (!(RESPONSE_FORMATS as readonly string[]).includes(formatRaw)) {
    throw validation('response_format', `Unsupported response_format "${formatRaw.slice(0, 20)}". Use one of: ${RESPONSE_FORMATS.join(', ')}.`);
  }
  const granularities = new Set<'segment' | 'word'>();
  for (const value of fields.get('timestamp_granularities') ?? []) {
    for (const g of value.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
      if (g !== 'segment' && g !== 'word') throw validation('timestamp_granularities', `Unknown timestamp granularity "${g.slice(0, 20)}"; use segment or word.`);
      granularities.add(g);
    }
  }
  if (granularities.size === 0) granularities.add('segment');
  const stream = single('stream');
  if (stream !== undefined && parseBooleanField('stream', stream)) throw validation('stream', 'Streamed responses are not supported here; use the WebSocket at /api/stream.');
  const temperature = single('temperature');
  if (temperature !== undefined && !Number.isFinite(Number(temperature))) throw validation('temperature', '"temperature" must be a number.');

  const hotwordsRaw = single('hotwords');
  const itnRaw = single('itn');
  const vadRaw = single('vad');
  return {
    filePath,
    fileName,
    model: single('model') ?? null,
    language: languageRaw as Language,
    responseFormat: formatRaw as ResponseFormat,
    granularities,
    hotwords: hotwordsRaw === undefined ? [] : parseHotwordsField(hotwordsRaw),
    itn: itnRaw === undefined ? true : parseBooleanField('itn', itnRaw),
    vad: vadRaw === undefined ? true : parseBooleanField('vad', vadRaw),
  };
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/**
 * Words with times from a segment's tokens: a token starting with a space (SentencePiece's word mark) starts a
 * word, as does every CJK character. Spoken form (the model's tokens, before ITN).
 */
export function segmentWords(segment: TranscriptSegment): { word: string; start: number; end: number }[] {
  const words: { word: string; start: number; end: number }[] = [];
  let previousCjk = true;
  segment.tokens.forEach((token, i) => {
    const start = segment.timestamps[i] ?? segment.startS;
    const end = segment.timestamps[i + 1] ?? segment.endS;
    const text = token.trim();
    if (text === '') return;
    const cjk = CJK.test(text);
    const last = words[words.length - 1];
    if (last && !cjk && !previousCjk && !token.startsWith(' ')) {
      last.word += text;
      last.end = end;
    } else {
      words.push({ word: text, start, end });
    }
    previousCjk = cjk;
  });
  return words.map((w) => ({ word: w.word, start: round3(w.start), end: round3(w.end) }));
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;

/** OpenAI's verbose_json, filled where Tingxie has the value, 0 where it has none; plus `raw_text`. */
export function toVerboseJson(result: TranscriptionResult, granularities: ReadonlySet<'segment' | 'word'>): Record<string, unknown> {
  const body: Record<string, unknown> = {
    task: 'transcribe',
    language: result.language ? (LANGUAGE_NAMES[result.language] ?? result.language) : 'unknown',
    duration: round3(result.durationS),
    text: result.text,
    raw_text: result.rawText,
  };
  if (granularities.has('segment')) {
    body.segments = result.segments.map((segment, id) => ({
      id,
      // Whisper counts seek in 10 ms frames.
      seek: Math.round(segment.startS * 100),
      start: round3(segment.startS),
      end: round3(segment.endS),
      text: segment.text,
      raw_text: segment.rawText,
      tokens: [],
      temperature: 0,
      avg_logprob: 0,
      compression_ratio: 0,
      no_speech_prob: 0,
    }));
  }
  if (granularities.has('word')) body.words = result.segments.flatMap(segmentWords);
  return body;
}

export interface TranscriptionRoutesOptions {
  uploadDir: string;
  maxUploadBytes: number;
  /** Log file names and transcript text (debug logging with logTranscripts only). */
  logTranscripts: boolean;
}

const transcriptionRoutes: FastifyPluginAsync<TranscriptionRoutesOptions> = async (app, opts) => {
  await mkdir(opts.uploadDir, { recursive: true, mode: 0o700 });
  await app.register(multipart, {
    limits: { fileSize: opts.maxUploadBytes, files: 1, fields: 32, fieldSize: 256 * 1024, parts: 40, headerPairs: 100 },
  });

  app.post(
    '/v1/audio/transcriptions',
    {
      schema: {
        consumes: ['multipart/form-data'],
        response: { '4xx': ERROR_BODY_SCHEMA, '5xx': ERROR_BODY_SCHEMA },
      },
    },
    async (request, reply) => {
      const cleanup: string[] = [];
      const abort = new AbortController();
      const onClose = (): void => {
        if (!reply.raw.writableFinished) abort.abort();
      };
      reply.raw.on('close', onClose);
      try {
        // Refuse before receiving the upload when no model is loaded or coming.
        const state = app.registry.status().state;
        if (state === 'empty' || state === 'error') {
          throw new TingxieError(ErrorCodes.MODEL_NOT_LOADED, 'No model is loaded. Load one with POST /api/models/load.', { state });
        }
        const form = await readForm(request, opts.uploadDir, cleanup);
        const result = await app.registry.transcribeFile(form.filePath, {
          language: form.language,
          useItn: form.itn,
          vad: form.vad,
          ...(form.hotwords.length > 0 ? { hotwords: form.hotwords } : {}),
          signal: abort.signal,
        });
        const named: TranscriptionResult = { ...result, file: form.fileName };
        request.log.info({ durationS: round3(result.durationS), segments: result.segments.length, format: form.responseFormat }, 'transcribed');
        if (opts.logTranscripts) request.log.debug({ file: form.fileName, transcript: result.text }, 'transcript');

        if (app.hasDecorator('history')) {
          try {
            const id = app.history.add({ filename: form.fileName, result: named, hotwords: form.hotwords, source: 'api' });
            void reply.header('x-tingxie-history-id', String(id));
          } catch (error) {
            request.log.warn({ code: toTingxieError(error).code }, 'could not save the transcription to history');
          }
        }

        switch (form.responseFormat) {
          case 'json':
            return reply.type('application/json; charset=utf-8').send({ text: named.text, raw_text: named.rawText });
          case 'text':
            return reply.type('text/plain; charset=utf-8').send(`${named.text}\n`);
          case 'srt':
            return reply.type('text/plain; charset=utf-8').send(toSrt(named));
          case 'vtt':
            return reply.type('text/vtt; charset=utf-8').send(toVtt(named));
          case 'verbose_json':
            return reply.type('application/json; charset=utf-8').send(toVerboseJson(named, form.granularities));
        }
      } finally {
        reply.raw.off('close', onClose);
        await Promise.all(cleanup.map((path) => rm(path, { force: true })));
      }
    },
  );
};

export default transcriptionRoutes;
