/** `GET /health`: 200 when a model is ready, 503 while loading, without one, or after a failed load. Needs no token. */
import type { FastifyPluginAsync } from 'fastify';
import { VERSION } from '../../version.ts';

const MODEL_SCHEMA = {
  type: ['object', 'null'],
  properties: {
    family: { type: 'string' },
    dir: { type: 'string' },
    file: { type: 'string' },
    device: { type: 'string' },
    fixture: { type: 'boolean' },
  },
} as const;

const HEALTH_SCHEMA = {
  type: 'object',
  required: ['status', 'model', 'device', 'version'],
  properties: {
    status: { type: 'string', enum: ['ok', 'loading', 'no_model', 'error'] },
    model: MODEL_SCHEMA,
    device: { type: 'string' },
    version: { type: 'string' },
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
    },
  },
} as const;

export type HealthStatus = 'ok' | 'loading' | 'no_model' | 'error';

const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/health',
    { schema: { response: { 200: HEALTH_SCHEMA, 503: HEALTH_SCHEMA } } },
    async (_request, reply) => {
      const status = app.registry.status();
      const health: HealthStatus = status.state === 'ready' ? 'ok' : status.state === 'loading' ? 'loading' : status.state === 'error' ? 'error' : 'no_model';
      return reply.status(health === 'ok' ? 200 : 503).send({
        status: health,
        model: status.model,
        device: status.device,
        version: VERSION,
        ...(status.error ? { error: status.error } : {}),
      });
    },
  );
};

export default healthRoutes;
