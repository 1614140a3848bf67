/** Opening the engine's SQLite database (`<dataDir>/history.db`). */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import { migrate } from './migrations.ts';

export const HISTORY_DB_FILE = 'history.db';

export function historyDbPath(dataDir: string): string {
  return join(dataDir, HISTORY_DB_FILE);
}

export interface OpenDatabaseOptions {
  /** Apply pending migrations (default true). */
  migrate?: boolean;
  /** Stop migrating at this version (tests of upgrades). */
  targetVersion?: number;
}

/**
 * Opens (creating when missing) a database in WAL mode, so readers — such as `tingxie db backup`
 * in another process — never block the server, with foreign keys on and full sync so a
 * committed job result survives the process being killed.
 */
export function openDatabase(path: string, opts: OpenDatabaseOptions = {}): Database.Database {
  let db: Database.Database | undefined;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (opts.migrate ?? true) migrate(db, opts.targetVersion === undefined ? {} : { target: opts.targetVersion });
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof TingxieError) throw error;
    throw new TingxieError(ErrorCodes.DB_FAILED, `Cannot open the database ${path}: ${(error as Error).message}`, { path }, { cause: error });
  }
}

/**
 * Copies a live database to `destination` with SQLite's online backup API: consistent even
 * while another process writes to the source.
 */
export async function backupDatabase(sourcePath: string, destination: string): Promise<{ totalPages: number }> {
  let db: Database.Database | undefined;
  try {
    db = new Database(sourcePath, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    mkdirSync(dirname(destination), { recursive: true });
    const result = await db.backup(destination);
    return { totalPages: result.totalPages };
  } catch (error) {
    throw new TingxieError(ErrorCodes.DB_FAILED, `Backup of ${sourcePath} failed: ${(error as Error).message}`, { path: sourcePath }, { cause: error });
  } finally {
    db?.close();
  }
}
