/**
 * `buildApp`: the engine's Fastify app, apart from `listen` (tests drive it with `inject()`).
 * Order matters: error handlers and security hooks first (they guard every route), then the shared
 * infrastructure plugins (registry, history db, job queue), then the encapsulated route plugins.
 */
import { join } from 'node:path';
import websocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { loadCatalogue } from '../models/store/catalogue.ts';
import { ModelStore, defaultModelsDir } from '../models/store/store.ts';
import { isLoopbackHost } from './config.ts';
import type { ModelRegistry, ServerConfig } from './contracts.ts';
import { installErrorHandlers } from './errors.ts';
import { logsTranscripts } from './logging.ts';
import dbPlugin from './plugins/db.ts';
import jobsPlugin from './plugins/jobs.ts';
import registryPlugin from './plugins/registry.ts';
import securityPlugin from './plugins/security.ts';
import healthRoutes from './routes/health.ts';
import historyRoutes from './routes/history.ts';
import hotwordRoutes from './routes/hotwords.ts';
import itnRoutes from './routes/itn.ts';
import jobRoutes from './routes/jobs.ts';
import minutesRoutes from './routes/minutes.ts';
import modelImportRoutes from './routes/models-import.ts';
import modelRoutes from './routes/models.ts';
import streamRoutes, { STREAM_MAX_PAYLOAD_BYTES } from './routes/stream.ts';
import transcriptionRoutes from './routes/transcriptions.ts';
import webuiRoutes from './routes/webui.ts';
import wordAddinRoutes from './routes/word-addin.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: ServerConfig;
    modelStore: ModelStore;
  }
}

export interface BuildAppOptions {
  config: ServerConfig;
  /** A registry to use instead of a LocalModelRegistry built from `config` (tests). */
  registry?: ModelRegistry;
  /** The model store (default: `<dataDir>/models` with the bundled catalogue). */
  modelStore?: ModelStore;
  /** A pino logger (see `createServerLogger`); default: no logging. */
  logger?: FastifyBaseLogger;
  /** Serve HTTPS with this key and certificate (PEM). */
  https?: { key: string; cert: string } | null;
  /** Load `config.modelPath` (or the installed default model) in the background at start (default true). */
  loadModelAtStart?: boolean;
}

/** Where uploads are streamed to while they are transcribed. */
export function uploadDir(config: ServerConfig): string {
  return join(config.dataDir, 'tmp', 'uploads');
}

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { config } = opts;
  if (!isLoopbackHost(config.host) && !config.token) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `Binding ${config.host} (not loopback) requires a bearer token.`, { field: 'token' });
  }
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    ...(opts.https ? { https: { key: opts.https.key, cert: opts.https.cert } } : {}),
    // JSON bodies are small (ITN lines, load requests); audio goes through multipart with its own limit.
    bodyLimit: 8 * 1024 * 1024,
    trustProxy: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }) as unknown as FastifyInstance;

  app.decorate('config', config);
  installErrorHandlers(app);
  // Before the security hooks, so a refused WebSocket handshake (401/403/429) is closed by the plugin's own cleanup.
  await app.register(websocket, { options: { maxPayload: STREAM_MAX_PAYLOAD_BYTES } });
  await app.register(securityPlugin);

  const modelStore = opts.modelStore ?? new ModelStore({ modelsDir: defaultModelsDir(config.dataDir), catalogue: await loadCatalogue() });
  app.decorate('modelStore', modelStore);

  let initialModelDir: string | null = null;
  let noModelReason: string | undefined;
  if (opts.loadModelAtStart !== false) {
    if (config.modelPath !== null) initialModelDir = config.modelPath;
    else {
      try {
        initialModelDir = modelStore.resolveInstalled(modelStore.catalogue.defaultModelId);
      } catch (error) {
        noModelReason = `No model to load at start: ${(error as Error).message}`;
      }
    }
  }
  await app.register(registryPlugin, { ...(opts.registry ? { registry: opts.registry } : {}), initialModelDir, ...(noModelReason ? { noModelReason } : {}) });
  await app.register(dbPlugin);
  await app.register(jobsPlugin);

  await app.register(healthRoutes);
  await app.register(transcriptionRoutes, { uploadDir: uploadDir(config), maxUploadBytes: config.maxUploadBytes, logTranscripts: logsTranscripts(config) });
  await app.register(modelRoutes);
  await app.register(modelImportRoutes);
  await app.register(itnRoutes);
  await app.register(hotwordRoutes);
  await app.register(minutesRoutes, { uploadDir: uploadDir(config), maxUploadBytes: config.maxUploadBytes });
  await app.register(historyRoutes);
  await app.register(jobRoutes);
  await app.register(streamRoutes);
  await app.register(wordAddinRoutes);
  await app.register(webuiRoutes);
  return app;
}
