/**
 * Versioned schema migrations for `<dataDir>/history.db`.
 *
 * Each migration is one step of SQL applied in its own transaction together with its row in
 * `schema_migrations` and `PRAGMA user_version`, so a crash leaves the database at a whole
 * version. Migrations are append-only: never edit a released step, add a new one.
 */
import type Database from 'better-sqlite3';
import { ErrorCodes, TingxieError } from '../../errors.ts';

export interface Migration {
  /** 1, 2, 3, … in order, without gaps. */
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'history',
    sql: `
      CREATE TABLE history (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at  TEXT    NOT NULL,
        filename    TEXT    NOT NULL,
        source      TEXT    NOT NULL,
        language    TEXT,
        duration_s  REAL    NOT NULL,
        raw_text    TEXT    NOT NULL,
        itn_text    TEXT    NOT NULL,
        hotwords    TEXT    NOT NULL DEFAULT '[]', -- JSON array of strings
        segments    TEXT    NOT NULL DEFAULT '[]', -- JSON TranscriptSegment[]
        vad         TEXT,                          -- JSON VadStats or NULL
        model       TEXT    NOT NULL DEFAULT '{}'  -- JSON ModelDescription
      );
      CREATE INDEX history_created_at ON history (created_at DESC, id DESC);
    `,
  },
  {
    version: 2,
    name: 'history full-text search',
    // The default FTS5 tokenizer keeps a run of Chinese characters as one token; trigram
    // matches any substring of three or more characters in either script.
    sql: `
      CREATE VIRTUAL TABLE history_fts USING fts5(
        raw_text, itn_text, content = 'history', content_rowid = 'id', tokenize = 'trigram'
      );
      INSERT INTO history_fts (history_fts) VALUES ('rebuild');
      CREATE TRIGGER history_fts_insert AFTER INSERT ON history BEGIN
        INSERT INTO history_fts (rowid, raw_text, itn_text) VALUES (new.id, new.raw_text, new.itn_text);
      END;
      CREATE TRIGGER history_fts_delete AFTER DELETE ON history BEGIN
        INSERT INTO history_fts (history_fts, rowid, raw_text, itn_text) VALUES ('delete', old.id, old.raw_text, old.itn_text);
      END;
      CREATE TRIGGER history_fts_update AFTER UPDATE OF raw_text, itn_text ON history BEGIN
        INSERT INTO history_fts (history_fts, rowid, raw_text, itn_text) VALUES ('delete', old.id, old.raw_text, old.itn_text);
        INSERT INTO history_fts (rowid, raw_text, itn_text) VALUES (new.id, new.raw_text, new.itn_text);
      END;
    `,
  },
  {
    version: 3,
    name: 'batch jobs',
    sql: `
      CREATE TABLE jobs (
        id               TEXT    PRIMARY KEY,
        created_at       TEXT    NOT NULL,
        updated_at       TEXT    NOT NULL,
        status           TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        options          TEXT    NOT NULL -- JSON JobOptions
      );
      CREATE INDEX jobs_created_at ON jobs (created_at DESC);
      CREATE TABLE job_files (
        job_id        TEXT    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        idx           INTEGER NOT NULL,
        filename      TEXT    NOT NULL, -- sanitized display name
        stored_name   TEXT    NOT NULL, -- name inside <dataDir>/uploads/<job_id>/
        size_bytes    INTEGER NOT NULL,
        status        TEXT    NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        attempts      INTEGER NOT NULL DEFAULT 0,
        history_id    INTEGER REFERENCES history (id) ON DELETE SET NULL,
        text          TEXT,
        error_code    TEXT,
        error_message TEXT,
        started_at    TEXT,
        finished_at   TEXT,
        PRIMARY KEY (job_id, idx)
      );
      CREATE INDEX job_files_status ON job_files (status);
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** The version recorded in `schema_migrations` (0 for a new database). */
export function schemaVersion(db: Database.Database): number {
  ensureMigrationsTable(db);
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Applies every migration above the database's version, up to `target` (default: the latest).
 * @returns the version before and after
 */
export function migrate(
  db: Database.Database,
  opts: { target?: number; migrations?: readonly Migration[] } = {},
): { from: number; to: number } {
  const migrations = opts.migrations ?? MIGRATIONS;
  const latest = migrations.at(-1)?.version ?? 0;
  const target = opts.target ?? latest;
  migrations.forEach((migration, i) => {
    if (migration.version !== i + 1) throw new Error(`Migration list out of order at "${migration.name}".`);
  });
  const from = schemaVersion(db);
  if (from > latest) {
    throw new TingxieError(
      ErrorCodes.DB_FAILED,
      `The history database is at schema version ${from}, newer than this Tingxie knows (${latest}). Upgrade Tingxie or use another data folder.`,
      { version: from, known: latest },
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    if (migration.version <= from || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return { from, to: schemaVersion(db) };
}

function ensureMigrationsTable(db: Database.Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at TEXT    NOT NULL
  )`);
}
