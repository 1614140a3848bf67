import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { backupDatabase, historyDbPath, openDatabase } from '../../engine/src/server/db/database.ts';
import { HistoryStore } from '../../engine/src/server/db/history-store.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion } from '../../engine/src/server/db/migrations.ts';
import { runCli } from '../../engine/src/cli/main.ts';
import type { CliIo } from '../../engine/src/cli/io.ts';
import { isTingxieError } from '../../engine/src/errors.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { fakeResult } from './helpers/store-app.ts';

let temp: { dir: string; cleanup: () => Promise<void> };
before(async () => {
  temp = await makeTempDir('db');
});
after(async () => {
  await temp.cleanup();
});

test('a new database is in WAL mode at the latest schema version, recorded in schema_migrations and user_version', () => {
  const db = openDatabase(historyDbPath(join(temp.dir, 'fresh')));
  try {
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(schemaVersion(db), LATEST_SCHEMA_VERSION);
    assert.equal(db.pragma('user_version', { simple: true }), LATEST_SCHEMA_VERSION);
    const rows = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number; name: string }[];
    assert.deepEqual(rows, MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    // Opening again applies nothing.
    assert.deepEqual(migrate(db), { from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
  } finally {
    db.close();
  }
  assert.ok(existsSync(join(temp.dir, 'fresh', 'history.db')));
});

test('upgrading a version-1 database keeps its history and makes it searchable', () => {
  const path = join(temp.dir, 'old', 'history.db');
  const old = openDatabase(path, { targetVersion: 1 });
  assert.equal(schemaVersion(old), 1);
  assert.equal(old.prepare(`SELECT name FROM sqlite_master WHERE name = 'history_fts'`).get(), undefined);
  // A row written by the version-1 engine, straight into its schema.
  old.prepare(
    `INSERT INTO history (created_at, filename, source, language, duration_s, raw_text, itn_text, hotwords, segments, model)
     VALUES ('2026-01-02T03:04:05.000Z', 'old.wav', 'api', 'zh', 2.5, '上午十点半开会', '上午10点半开会', '[]', '[]', '{}')`,
  ).run();
  old.close();

  const db = openDatabase(path);
  try {
    assert.equal(schemaVersion(db), LATEST_SCHEMA_VERSION);
    const history = new HistoryStore(db);
    const page = history.search({ q: '十点半' });
    assert.equal(page.total, 1);
    assert.equal(page.items[0]!.filename, 'old.wav');
    assert.equal(history.search({ q: '10点半' }).total, 1);
    // The tables of later versions exist and work.
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n, 0);
  } finally {
    db.close();
  }
});

test('a failing migration rolls back whole: the database stays at the previous version', () => {
  const path = join(temp.dir, 'broken', 'history.db');
  const db = openDatabase(path, { migrate: false });
  try {
    const broken = [...MIGRATIONS.slice(0, 1), { version: 2, name: 'broken', sql: 'CREATE TABLE half (x INTEGER); INSERT INTO nowhere VALUES (1);' }];
    assert.throws(() => migrate(db, { migrations: broken }), /nowhere/);
    assert.equal(schemaVersion(db), 1);
    assert.equal(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'half'`).get(), undefined);
  } finally {
    db.close();
  }
});

test('a database from a newer engine is refused with DB_FAILED', () => {
  const path = join(temp.dir, 'newer', 'history.db');
  openDatabase(path).close();
  const raw = new Database(path);
  raw.prepare(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 'x')`).run(LATEST_SCHEMA_VERSION + 1);
  raw.close();
  assert.throws(() => openDatabase(path), (error: unknown) => isTingxieError(error) && error.code === 'DB_FAILED');
});

test('online backup copies a database another connection is writing to', async () => {
  const path = join(temp.dir, 'live', 'history.db');
  const db = openDatabase(path);
  const history = new HistoryStore(db);
  try {
    for (let i = 0; i < 200; i++) history.add({ filename: `f${i}.wav`, result: fakeResult(`f${i}.wav`, [`第${i}句话`]), hotwords: [], source: 'api' });
    // The writer keeps a transaction open (uncommitted rows must not appear in the copy).
    db.exec('BEGIN');
    history.add({ filename: 'uncommitted.wav', result: fakeResult('u.wav', ['不会出现']), hotwords: [], source: 'api' });
    const destination = join(temp.dir, 'backup', 'copy.db');
    const { totalPages } = await backupDatabase(path, destination);
    db.exec('COMMIT');
    assert.ok(totalPages > 0);
    const copy = new Database(destination, { readonly: true });
    try {
      assert.equal((copy.prepare('SELECT COUNT(*) AS n FROM history').get() as { n: number }).n, 200);
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      const copied = new HistoryStore(copy);
      assert.equal(copied.search({ q: '第137句' }).items[0]!.filename, 'f137.wav');
    } finally {
      copy.close();
    }
  } finally {
    db.close();
  }
});

test('backup of a missing database fails with DB_FAILED', async () => {
  await assert.rejects(backupDatabase(join(temp.dir, 'missing.db'), join(temp.dir, 'x.db')), (error: unknown) => isTingxieError(error) && error.code === 'DB_FAILED');
});

function captureIo(cwd: string): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stderrStream: process.stderr,
    stdin: process.stdin,
    env: {},
    cwd,
    homeDir: join(cwd, 'home'),
    cpuCount: 1,
  };
  return { io, out: () => out, err: () => err };
}

test('tingxie db backup FILE --data-dir DIR writes a consistent copy; usage and missing-database errors', async () => {
  const dataDir = join(temp.dir, 'cli-data');
  const db = openDatabase(historyDbPath(dataDir));
  new HistoryStore(db).add({ filename: 'cli.wav', result: fakeResult('cli.wav', ['命令行备份']), hotwords: ['备份'], source: 'api' });
  try {
    const ok = captureIo(temp.dir);
    assert.equal(await runCli(['db', 'backup', 'out/cli-copy.db', '--data-dir', dataDir], ok.io), 0, ok.err());
    assert.match(ok.out(), /Backed up/);
    const copy = new Database(join(temp.dir, 'out', 'cli-copy.db'), { readonly: true });
    try {
      assert.equal(new HistoryStore(copy).search({ q: '命令行' }).items[0]!.filename, 'cli.wav');
    } finally {
      copy.close();
    }
  } finally {
    db.close();
  }
  const usage = captureIo(temp.dir);
  assert.equal(await runCli(['db', 'backup', '--data-dir', dataDir], usage.io), 2);
  assert.match(usage.err(), /USAGE/);
  const missing = captureIo(temp.dir);
  assert.equal(await runCli(['db', 'backup', 'x.db', '--data-dir', join(temp.dir, 'nothing-here')], missing.io), 1);
  assert.match(missing.err(), /FILE_NOT_FOUND/);
});
