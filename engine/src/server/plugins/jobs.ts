/**
 * The durable batch-job queue. Decorates `app.jobs`; needs `app.db`, `app.history` (the db
 * plugin), `app.registry` and `app.config`. The queue starts (re-queuing files a killed engine
 * left behind) when the app is ready, and stops before the database closes.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ModelRegistry, ServerConfig } from '../contracts.ts';
import { JobQueue } from '../db/job-queue.ts';
import { JobStore } from '../db/job-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    jobs: JobQueue;
  }
}

export interface JobsPluginOptions {
  /** Defaults to `<app.config.dataDir>/uploads`. */
  uploadsDir?: string;
  /** Defaults to `app.config.batchSize`. */
  concurrency?: number;
  modelPollMs?: number;
}

/** What the plugin reads from the app (decorated by the core app and the db plugin). */
type AppWithDeps = FastifyInstance & { config?: ServerConfig; registry?: ModelRegistry };

async function jobsPlugin(app: FastifyInstance, opts: JobsPluginOptions): Promise<void> {
  const { config, registry } = app as AppWithDeps;
  if (!registry) throw new Error('The jobs plugin needs app.registry.');
  const uploadsDir = opts.uploadsDir ?? (config ? join(config.dataDir, 'uploads') : undefined);
  if (!uploadsDir) throw new Error('The jobs plugin needs app.config.dataDir or an uploadsDir option.');
  const queue = new JobQueue({
    store: new JobStore(app.db, app.history),
    registry,
    uploadsDir,
    concurrency: opts.concurrency ?? config?.batchSize ?? 1,
    log: app.log,
    ...(opts.modelPollMs === undefined ? {} : { modelPollMs: opts.modelPollMs }),
  });
  app.decorate('jobs', queue);
  app.addHook('onReady', async () => {
    await queue.start();
  });
  // Event streams end before the HTTP server waits for its connections to close.
  app.addHook('preClose', async () => {
    queue.endSubscriptions();
  });
  app.addHook('onClose', async () => {
    await queue.close();
  });
}

export default fp(jobsPlugin, { name: 'tingxie-jobs', fastify: '5.x', dependencies: ['tingxie-db'] });
