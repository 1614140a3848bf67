/** `POST /api/models/import`: an uploaded archive is installed like `tingxie models import FILE`; bad uploads are refused. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadCatalogue } from '../../engine/src/models/store/catalogue.ts';
import { ModelStore } from '../../engine/src/models/store/store.ts';
import { installErrorHandlers } from '../../engine/src/server/errors.ts';
import modelImportRoutes, { safeArchiveName } from '../../engine/src/server/routes/models-import.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';
import { multipart, testConfig } from '../server/server-helpers.ts';

const execFileAsync = promisify(execFile);

let temp: { dir: string; cleanup: () => Promise<void> };
let app: FastifyInstance;
let store: ModelStore;
let archive: Buffer;

before(async () => {
  temp = await makeTempDir('models-import');
  const archivePath = join(temp.dir, 'my-tone-model.tar.gz');
  await execFileAsync('tar', ['-czf', archivePath, '-C', dirname(TONE_FIXTURE_DIR), basename(TONE_FIXTURE_DIR)]);
  archive = await readFile(archivePath);
  const dataDir = join(temp.dir, 'data');
  store = new ModelStore({ modelsDir: join(dataDir, 'models'), catalogue: await loadCatalogue(), fetchImpl: () => Promise.reject(new Error('network used')) });
  app = Fastify();
  app.decorate('config', testConfig(dataDir));
  app.decorate('modelStore', store);
  installErrorHandlers(app);
  await app.register(modelImportRoutes, { maxArchiveBytes: 4 * 1024 * 1024 });
});

after(async () => {
  await app?.close();
  await temp?.cleanup();
});

test('an uploaded archive is installed, listed, and its upload deleted', async () => {
  const form = await multipart({ id: 'uploaded-tone' }, { name: 'my-tone-model.tar.gz', data: archive, type: 'application/gzip' });
  const response = await app.inject({ method: 'POST', url: '/api/models/import', ...form });
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json() as { id: string; dir: string; identifiedBy: string };
  assert.equal(body.id, 'uploaded-tone');
  assert.equal(body.identifiedBy, 'given-id');
  assert.deepEqual(await readFile(join(body.dir, 'tokens.txt')), await readFile(join(TONE_FIXTURE_DIR, 'tokens.txt')));
  const listed = (await store.list()).find((model) => model.id === 'uploaded-tone');
  assert.equal(listed?.status, 'installed');
  assert.deepEqual(await readdir(join(temp.dir, 'data', 'tmp', 'model-imports')), []);
  // Again without force: refused, the installed model left alone.
  const again = await app.inject({ method: 'POST', url: '/api/models/import', ...form });
  assert.equal(again.statusCode, 400, again.body);
});

test('not an archive, no file, or too large: refused with a typed error', async () => {
  const notArchive = await app.inject({ method: 'POST', url: '/api/models/import', ...(await multipart({}, { name: 'notes.txt', data: Buffer.from('hello') })) });
  assert.equal(notArchive.statusCode, 400);
  assert.equal((notArchive.json() as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
  const noFile = await app.inject({ method: 'POST', url: '/api/models/import', ...(await multipart({ id: 'x' })) });
  assert.equal((noFile.json() as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
  const big = await app.inject({ method: 'POST', url: '/api/models/import', ...(await multipart({}, { name: 'big.tar.gz', data: Buffer.alloc(5 * 1024 * 1024) })) });
  assert.equal(big.statusCode, 413, big.body);
  assert.deepEqual(await readdir(join(temp.dir, 'data', 'tmp', 'model-imports')), []);
});

test('safeArchiveName keeps a plain base name only', () => {
  assert.equal(safeArchiveName('../../etc/passwd.tar.gz'), 'passwd.tar.gz');
  assert.equal(safeArchiveName('C:\\models\\sense voice.tar.bz2'), 'sense_voice.tar.bz2');
  assert.equal(safeArchiveName('..'), 'model.tar.gz');
  assert.equal(safeArchiveName(undefined), 'model.tar.gz');
});
