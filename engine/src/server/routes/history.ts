/**
 * Transcription history: search, read, delete, export (all entries as CSV/JSON; one entry as
 * SRT/VTT/TXT/JSON). Needs `app.history` (the db plugin).
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import { formatResult } from '../../output/formats.ts';
import { MAX_HISTORY_PAGE, entryToResult, type HistorySummary } from '../db/history-store.ts';
import { ERROR_BODY_SCHEMA } from '../errors.ts';

const ERRORS = { '4xx': ERROR_BODY_SCHEMA, '5xx': ERROR_BODY_SCHEMA } as const;

const SUMMARY_PROPERTIES = {
  id: { type: 'integer' },
  created_at: { type: 'string' },
  filename: { type: 'string' },
  source: { type: 'string' },
  language: { type: ['string', 'null'] },
  duration_s: { type: 'number' },
  raw_text: { type: 'string' },
  itn_text: { type: 'string' },
  hotwords: { type: 'array', items: { type: 'string' } },
} as const;

const SUMMARY_SCHEMA = { type: 'object', required: Object.keys(SUMMARY_PROPERTIES), properties: SUMMARY_PROPERTIES } as const;

const ENTRY_SCHEMA = {
  type: 'object',
  required: [...Object.keys(SUMMARY_PROPERTIES), 'segments', 'model'],
  properties: {
    ...SUMMARY_PROPERTIES,
    segments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          start_s: { type: 'number' },
          end_s: { type: 'number' },
          text: { type: 'string' },
          raw_text: { type: 'string' },
          language: { type: ['string', 'null'] },
          emotion: { type: ['string', 'null'] },
          event: { type: ['string', 'null'] },
          tokens: { type: 'array', items: { type: 'string' } },
          timestamps: { type: 'array', items: { type: 'number' } },
        },
      },
    },
    vad: { type: ['object', 'null'], additionalProperties: true },
    model: { type: 'object', additionalProperties: true },
  },
} as const;

const ID_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } } as const;

/** Export fields, in column order (the list). */
export const HISTORY_EXPORT_FIELDS = ['id', 'created_at', 'filename', 'language', 'duration_s', 'raw_text', 'itn_text', 'hotwords'] as const;

export const ITEM_EXPORT_FORMATS = ['srt', 'vtt', 'txt', 'json'] as const;
type ItemExportFormat = (typeof ITEM_EXPORT_FORMATS)[number];

const CONTENT_TYPES: Record<ItemExportFormat | 'csv', string> = {
  srt: 'application/x-subrip; charset=utf-8',
  vtt: 'text/vtt; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/** Ids are positive integers; anything else names no entry (404, like an unknown number). */
function parseHistoryId(raw: string): number {
  const id = /^[1-9][0-9]{0,14}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id)) throw new TingxieError(ErrorCodes.HISTORY_NOT_FOUND, `No history entry with id ${raw.slice(0, 64)}.`, { id: raw.slice(0, 64) });
  return id;
}

/** RFC 4180 field quoting. */
function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function historyCsvRow(item: HistorySummary): string {
  return [item.id, item.created_at, item.filename, item.language, item.duration_s, item.raw_text, item.itn_text, item.hotwords.join('; ')]
    .map(csvField)
    .join(',');
}

/** `attachment` with an ASCII fallback name and the UTF-8 name (RFC 6266 / 5987). */
function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function baseName(fileName: string): string {
  const stem = fileName.replace(/\.[^.]*$/, '');
  return stem === '' ? 'transcript' : stem;
}

function requireHistory(app: FastifyInstance): void {
  if (!app.hasDecorator('history')) throw new Error('The history routes need app.history (register the db plugin first).');
}

const historyRoutes: FastifyPluginAsync = async (app) => {
  requireHistory(app);

  app.get(
    '/api/history',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            q: { type: 'string', maxLength: 1000 },
            limit: { type: 'integer', minimum: 0, maximum: MAX_HISTORY_PAGE, default: 50 },
            offset: { type: 'integer', minimum: 0, default: 0 },
          },
        },
        response: {
          200: {
            type: 'object',
            required: ['total', 'limit', 'offset', 'items'],
            properties: { total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' }, items: { type: 'array', items: SUMMARY_SCHEMA } },
          },
          ...ERRORS,
        },
      },
    },
    async (request) => {
      const { q = '', limit, offset } = request.query as { q?: string; limit: number; offset: number };
      const page = app.history.search({ q, limit, offset });
      return { total: page.total, limit, offset, items: page.items };
    },
  );

  app.get(
    '/api/history/export',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', enum: ['csv', 'json'], default: 'json' }, q: { type: 'string', maxLength: 1000 } },
        },
        response: ERRORS,
      },
    },
    async (request, reply) => {
      const { format, q = '' } = request.query as { format: 'csv' | 'json'; q?: string };
      const items = [...app.history.iterate(q)];
      void reply.type(CONTENT_TYPES[format]).header('content-disposition', attachment(`tingxie-history.${format}`));
      if (format === 'csv') {
        // BOM: spreadsheet programs then read the Chinese text as UTF-8.
        return `\ufeff${[HISTORY_EXPORT_FIELDS.join(','), ...items.map(historyCsvRow)].join('\r\n')}\r\n`;
      }
      const rows = items.map((item) => Object.fromEntries(HISTORY_EXPORT_FIELDS.map((field) => [field, item[field]])));
      return `${JSON.stringify(rows, null, 2)}\n`;
    },
  );

  app.get(
    '/api/history/:id',
    { schema: { params: ID_PARAMS, response: { 200: ENTRY_SCHEMA, ...ERRORS } } },
    async (request) => {
      const entry = app.history.get(parseHistoryId((request.params as { id: string }).id));
      return {
        ...entry,
        segments: entry.segments.map((segment) => ({
          start_s: segment.startS,
          end_s: segment.endS,
          text: segment.text,
          raw_text: segment.rawText,
          language: segment.language,
          emotion: segment.emotion,
          event: segment.event,
          tokens: segment.tokens,
          timestamps: segment.timestamps,
        })),
      };
    },
  );

  app.get(
    '/api/history/:id/export',
    {
      schema: {
        params: ID_PARAMS,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { type: 'string', enum: [...ITEM_EXPORT_FORMATS], default: 'txt' } },
        },
        response: ERRORS,
      },
    },
    async (request, reply) => {
      const entry = app.history.get(parseHistoryId((request.params as { id: string }).id));
      const { format } = request.query as { format: ItemExportFormat };
      void reply.type(CONTENT_TYPES[format]).header('content-disposition', attachment(`${baseName(entry.filename)}.${format}`));
      return formatResult(entryToResult(entry), format);
    },
  );

  app.delete(
    '/api/history/:id',
    { schema: { params: ID_PARAMS, response: { 204: { type: 'null' }, ...ERRORS } } },
    async (request, reply) => {
      app.history.delete(parseHistoryId((request.params as { id: string }).id));
      return reply.status(204).send();
    },
  );
};

export default historyRoutes;
