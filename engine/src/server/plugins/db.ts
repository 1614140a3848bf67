/**
 * The engine's SQLite database (`<dataDir>/history.db`) and the history repository on it.
 * Decorates `app.db` and `app.history`; closes the database when the app closes.
 */
import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServerConfig } from '../contracts.ts';
import { historyDbPath, openDatabase } from '../db/database.ts';
import { HistoryStore } from '../db/history-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database.Database;
    history: HistoryStore;
  }
}

export interface DbPluginOptions {
  /** Defaults to `<app.config.dataDir>/history.db`. */
  path?: string;
}

async function dbPlugin(app: FastifyInstance, opts: DbPluginOptions): Promise<void> {
  const config = (app as FastifyInstance & { config?: ServerConfig }).config;
  const path = opts.path ?? (config ? historyDbPath(config.dataDir) : undefined);
  if (!path) throw new Error('The db plugin needs app.config.dataDir or a path option.');
  const db = openDatabase(path);
  app.decorate('db', db);
  app.decorate('history', new HistoryStore(db));
  app.addHook('onClose', async () => {
    db.close();
  });
}

export default fp(dbPlugin, { name: 'tingxie-db', fastify: '5.x' });
