/**
 * `POST /api/minutes`: meeting minutes (structured JSON + Markdown) from
 *   - JSON `{ historyId }`: a saved transcription;
 *   - JSON `{ transcript }` / `{ segments: [{ start, end, text, speaker? }] }`: `tingxie transcribe --format json`
 *     output or bare timed segments;
 *   - multipart with a `file`: the recording, transcribed first (and saved to the history).
 * Options (JSON fields or form fields): `date` (YYYY-MM-DD, the default is the transcription's day),
 * `title`, `language` (auto|zh|en); multipart also takes `itn` and `hotwords` for the transcription.
 * With `llmUrl`/`llmModel` in the server config the summary is asked from that endpoint
 * (`minutes.generatedBy.summary` = `llm:<model>`); every other field still comes from the deterministic
 * extractor, and a failing endpoint leaves the extractive summary with a warning.
 */
import multipart from '@fastify/multipart';
import { mkdir, rm } from 'node:fs/promises';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import { buildMinutes, loadBundledScorers, minutesInputFromTranscription, parseMinutesInput, renderMinutesMarkdown, type OutcomeScorers } from '../../minutes/index.ts';
import type { LlmSummaryConfig, MinutesInput, MinutesLanguageOption, MinutesOptions } from '../../minutes/types.ts';
import type { ServerConfig } from '../contracts.ts';
import { entryToResult } from '../db/history-store.ts';
import { ERROR_BODY_SCHEMA } from '../errors.ts';
import { parseBooleanField, parseHotwordsField, receiveUpload } from './transcriptions.ts';

export interface MinutesRoutesOptions {
  uploadDir: string;
  maxUploadBytes: number;
}

interface MinutesJsonBody {
  historyId?: number | string;
  transcript?: Record<string, unknown>;
  segments?: unknown[];
  date?: string;
  title?: string;
  language?: MinutesLanguageOption;
}

const LANGUAGE_OPTIONS: readonly MinutesLanguageOption[] = ['auto', 'zh', 'en'];

function validation(field: string, message: string): TingxieError {
  return new TingxieError(ErrorCodes.VALIDATION_FAILED, message, { field });
}

function minutesOptions(fields: { date?: string | undefined; title?: string | undefined; language?: string | undefined }): MinutesOptions {
  const language = fields.language?.trim().toLowerCase() || 'auto';
  if (!(LANGUAGE_OPTIONS as readonly string[]).includes(language)) throw validation('language', `"language" must be one of ${LANGUAGE_OPTIONS.join(', ')}.`);
  return {
    language: language as MinutesLanguageOption,
    ...(fields.date ? { date: fields.date.trim() } : {}),
    ...(fields.title ? { title: fields.title.trim() } : {}),
  };
}

/** The summary LLM of the server config, or null when none is configured (the default). */
export function llmFromConfig(config: Pick<ServerConfig, 'llmUrl' | 'llmModel' | 'allowRemoteLlm'> | undefined): LlmSummaryConfig | null {
  if (!config?.llmUrl || !config.llmModel) return null;
  return { url: config.llmUrl, model: config.llmModel, allowRemote: config.allowRemoteLlm === true };
}

const minutesRoutes: FastifyPluginAsync<MinutesRoutesOptions> = async (app, opts) => {
  const llm = llmFromConfig(app.hasDecorator('config') ? app.config : undefined);
  // The shipped minutes scorers, read from disk on the first request and kept for this app's lifetime.
  let scorers: OutcomeScorers | undefined;
  await mkdir(opts.uploadDir, { recursive: true, mode: 0o700 });
  // Encapsulated: this route's own upload limits.
  await app.register(multipart, { limits: { fileSize: opts.maxUploadBytes, files: 1, fields: 16, fieldSize: 256 * 1024 } });

  const fromHistory = (id: number | string): { input: MinutesInput; date: string } => {
    if (!app.hasDecorator('history')) throw new TingxieError(ErrorCodes.HISTORY_NOT_FOUND, 'This server keeps no history.');
    const numeric = typeof id === 'number' ? id : Number(id);
    if (!Number.isInteger(numeric) || numeric <= 0) throw new TingxieError(ErrorCodes.HISTORY_NOT_FOUND, `No history entry ${String(id).slice(0, 40)}.`);
    const entry = app.history.get(numeric);
    return { input: minutesInputFromTranscription(entryToResult(entry)), date: entry.created_at.slice(0, 10) };
  };

  const fromUpload = async (request: FastifyRequest, cleanup: string[]): Promise<{ input: MinutesInput; options: MinutesOptions; historyId: number | null }> => {
    const state = app.registry.status().state;
    if (state === 'empty' || state === 'error') throw new TingxieError(ErrorCodes.MODEL_NOT_LOADED, 'No model is loaded. Load one with POST /api/models/load.', { state });
    const upload = await receiveUpload(request, opts.uploadDir, cleanup);
    const itn = upload.single('itn');
    const hotwords = upload.single('hotwords');
    const result = await app.registry.transcribeFile(upload.filePath, {
      language: 'auto',
      useItn: itn === undefined ? true : parseBooleanField('itn', itn),
      vad: true,
      ...(hotwords ? { hotwords: parseHotwordsField(hotwords) } : {}),
    });
    const named = { ...result, file: upload.fileName };
    const historyId = app.hasDecorator('history') ? Number(app.history.add({ filename: upload.fileName, result: named, hotwords: [], source: 'api' })) : null;
    const options = minutesOptions({ date: upload.single('date'), title: upload.single('title'), language: upload.single('language') });
    return { input: minutesInputFromTranscription(named), options: { date: new Date().toISOString().slice(0, 10), ...options }, historyId };
  };

  app.post<{ Body: MinutesJsonBody }>(
    '/api/minutes',
    {
      schema: {
        // JSON bodies are checked here; multipart bodies are read field by field below.
        body: {
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: {
                  historyId: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', maxLength: 40 }] },
                  transcript: { type: 'object' },
                  segments: { type: 'array', maxItems: 100_000 },
                  date: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
                  title: { type: 'string', maxLength: 500 },
                  language: { type: 'string', enum: ['auto', 'zh', 'en'] },
                },
              },
            },
            'multipart/form-data': { schema: {} },
          },
        },
        response: { '4xx': ERROR_BODY_SCHEMA, '5xx': ERROR_BODY_SCHEMA },
      },
    },
    async (request) => {
      const cleanup: string[] = [];
      try {
        let input: MinutesInput;
        let options: MinutesOptions;
        let historyId: number | null = null;
        if (request.isMultipart()) {
          ({ input, options, historyId } = await fromUpload(request, cleanup));
        } else {
          const body = request.body ?? {};
          const sources = [body.historyId !== undefined, body.transcript !== undefined, body.segments !== undefined].filter(Boolean).length;
          if (sources !== 1) throw validation('historyId', 'Give exactly one of "historyId", "transcript" or "segments" (or upload a "file" as multipart).');
          options = minutesOptions(body);
          if (body.historyId !== undefined) {
            const saved = fromHistory(body.historyId);
            input = saved.input;
            historyId = Number(body.historyId);
            options = { date: saved.date, ...options };
          } else {
            input = parseMinutesInput(body.transcript ?? { segments: body.segments, ...(body.date ? { date: body.date } : {}), ...(body.title ? { title: body.title } : {}) });
          }
        }
        scorers ??= loadBundledScorers();
        const minutes = await buildMinutes(input, { ...options, scorers, ...(llm ? { llm } : {}) });
        return { minutes, markdown: renderMinutesMarkdown(minutes, { language: minutes.language }), historyId };
      } finally {
        await Promise.all(cleanup.map((path) => rm(path, { force: true })));
      }
    },
  );
};

export default minutesRoutes;
