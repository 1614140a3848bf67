/**
 * Model management:
 *   GET  /api/models            catalogue + installed models, and which one is loaded
 *   POST /api/models/pull       { id, force? } → a Server-Sent Events stream on the response:
 *                               `progress` events ({ phase, bytesDone, bytesTotal }), then one `done`
 *                               ({ id, dir, alreadyInstalled }) or `error` (an ErrorBody) event
 *   POST /api/models/load       { id } or { path }, optional device → hot swap; a failed load keeps the old model
 *   POST /api/device/release    unload every model session (frees GPU memory)
 * A pull is the only thing that makes the engine open an outbound connection.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorCodes, TingxieError, toTingxieError } from '../../errors.ts';
import { findCatalogueEntry } from '../../models/store/catalogue.ts';
import type { ModelStatus } from '../contracts.ts';
import { ERROR_BODY_SCHEMA, errorBody, statusForCode } from '../errors.ts';

const ERRORS = { '4xx': ERROR_BODY_SCHEMA, '5xx': ERROR_BODY_SCHEMA } as const;

const MODEL_DESCRIPTION_SCHEMA = {
  type: ['object', 'null'],
  properties: { family: { type: 'string' }, dir: { type: 'string' }, file: { type: 'string' }, device: { type: 'string' }, fixture: { type: 'boolean' } },
} as const;

const STATUS_SCHEMA = {
  type: 'object',
  required: ['state', 'model', 'device', 'error'],
  properties: {
    state: { type: 'string', enum: ['empty', 'loading', 'ready', 'error'] },
    model: MODEL_DESCRIPTION_SCHEMA,
    device: { type: 'string' },
    error: { type: ['object', 'null'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
} as const;

const LISTING_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    family: { type: ['string', 'null'] },
    status: { type: 'string' },
    inCatalogue: { type: 'boolean' },
    isDefault: { type: 'boolean' },
    bytes: { type: ['number', 'null'] },
    dir: { type: ['string', 'null'] },
    fixture: { type: 'boolean' },
    loaded: { type: 'boolean' },
  },
} as const;

const MODEL_ID = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[a-z0-9][a-z0-9._-]*$' } as const;

interface PullBody {
  id: string;
  force?: boolean;
}
interface LoadBody {
  id?: string;
  path?: string;
  device?: string;
}

const modelRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/api/models',
    { schema: { response: { 200: { type: 'object', properties: { models: { type: 'array', items: LISTING_SCHEMA }, status: STATUS_SCHEMA } }, ...ERRORS } } },
    async () => {
      const status = app.registry.status();
      const models = await app.modelStore.list();
      const loadedDir = status.model?.dir ?? null;
      return { models: models.map((m) => ({ ...m, loaded: loadedDir !== null && m.dir === loadedDir })), status };
    },
  );

  app.post<{ Body: PullBody }>(
    '/api/models/pull',
    {
      schema: {
        body: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: MODEL_ID, force: { type: 'boolean' } } },
        response: ERRORS,
      },
    },
    async (request, reply) => {
      // Unknown ids are refused before the stream starts, with a plain 404.
      findCatalogueEntry(app.modelStore.catalogue, request.body.id);
      const abort = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) abort.abort();
      });
      reply.hijack();
      const headers: Record<string, string | number | string[]> = {};
      for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = value;
      reply.raw.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
      const send = (event: string, data: unknown): void => {
        if (!reply.raw.writableEnded) reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      try {
        const result = await app.modelStore.pull(request.body.id, {
          force: request.body.force === true,
          signal: abort.signal,
          onProgress: (p) => send('progress', { phase: p.phase, bytesDone: p.bytesDone ?? null, bytesTotal: 'bytesTotal' in p ? p.bytesTotal : null }),
        });
        send('done', { id: result.id, dir: result.dir, alreadyInstalled: result.alreadyInstalled });
      } catch (error) {
        const typed = toTingxieError(error);
        request.log.warn({ code: typed.code }, 'model pull failed');
        send('error', errorBody(typed, statusForCode(typed.code)));
      } finally {
        reply.raw.end();
      }
    },
  );

  app.post<{ Body: LoadBody }>(
    '/api/models/load',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { id: MODEL_ID, path: { type: 'string', minLength: 1, maxLength: 4096 }, device: { type: 'string', pattern: '^(cpu|cuda(:[0-9]+)?)$' } },
        },
        response: { 200: STATUS_SCHEMA, ...ERRORS },
      },
    },
    async (request): Promise<ModelStatus> => {
      const { id, path, device } = request.body;
      if ((id === undefined) === (path === undefined)) {
        throw new TingxieError(ErrorCodes.VALIDATION_FAILED, 'Give exactly one of "id" (an installed model) or "path" (a model folder).', { field: 'id' });
      }
      let dir: string;
      if (id !== undefined) dir = app.modelStore.resolveInstalled(id);
      else {
        if (!isAbsolute(path!)) throw new TingxieError(ErrorCodes.VALIDATION_FAILED, '"path" must be an absolute folder path.', { field: 'path' });
        const info = await stat(path!).catch(() => null);
        if (!info?.isDirectory()) throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `Model folder not found: ${path}`, { field: 'path' });
        dir = path!;
      }
      const status = await app.registry.load(dir, device ? { device } : {});
      request.log.info({ model: status.model?.family, device: status.device }, 'model swapped in');
      return status;
    },
  );

  app.post('/api/device/release', { schema: { response: { 200: STATUS_SCHEMA, ...ERRORS } } }, async (request): Promise<ModelStatus> => {
    await app.registry.release();
    request.log.info('model sessions released');
    return app.registry.status();
  });
};

export default modelRoutes;
