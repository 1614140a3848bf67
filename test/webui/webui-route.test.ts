/** Serving the WebUI: `/` and hashed assets with the right caching, a 503 page without a bundle, API routes untouched; bundle size. */
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/src/server/app.ts';
import webuiRoutes from '../../engine/src/server/routes/webui.ts';
import { WEBUI_DIST } from '../../engine/webui/build.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { testConfig } from '../server/server-helpers.ts';
import { ensureBuilt } from './webui-helpers.ts';

/** The budget for the whole bundle, gzipped. */
const MAX_GZIPPED_BYTES = 200 * 1024;

let temp: { dir: string; cleanup: () => Promise<void> };
let app: FastifyInstance;

before(async () => {
  temp = await makeTempDir('webui-route');
  await ensureBuilt();
  app = await buildApp({ config: testConfig(join(temp.dir, 'data')), loadModelAtStart: false });
});

after(async () => {
  await app?.close();
  await temp?.cleanup();
});

test('GET / serves index.html (revalidated) that points at hashed assets served with a long cache', async () => {
  const index = await app.inject({ method: 'GET', url: '/' });
  assert.equal(index.statusCode, 200);
  assert.match(String(index.headers['content-type']), /^text\/html/);
  assert.equal(index.headers['cache-control'], 'no-cache');
  const assets = [...index.body.matchAll(/\/assets\/([A-Za-z0-9._-]+)/g)].map((m) => m[1]!);
  assert.equal(assets.length, 2, index.body);
  for (const name of assets) {
    assert.match(name, /-[A-Z0-9]{8}\.(js|css)$/);
    const asset = await app.inject({ method: 'GET', url: `/assets/${name}` });
    assert.equal(asset.statusCode, 200, name);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(asset.body, await readFile(join(WEBUI_DIST, 'assets', name), 'utf8'));
  }
  // Nothing the page loads comes from off the machine.
  assert.doesNotMatch(index.body, /(src|href)=["']?(https?:)?\/\//);
});

test('unknown assets and path tricks are 404s; the API routes are not shadowed', async () => {
  for (const url of ['/assets/nope-ABCDEFGH.js', '/assets/..%2Fbuild.ts', '/assets/../../package.json', '/index.html.bak']) {
    const response = await app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 404, url);
  }
  const health = await app.inject({ method: 'GET', url: '/health' });
  assert.match(String(health.headers['content-type']), /application\/json/);
  const models = await app.inject({ method: 'GET', url: '/api/models' });
  assert.equal(models.statusCode, 200);
  assert.match(String(models.headers['content-type']), /application\/json/);
  const unknownApi = await app.inject({ method: 'GET', url: '/api/nothing-here' });
  assert.equal(unknownApi.statusCode, 404);
  assert.match(String(unknownApi.headers['content-type']), /application\/json/);
  const v1 = await app.inject({ method: 'GET', url: '/v1/nothing' });
  assert.equal(v1.statusCode, 404);
  assert.doesNotMatch(v1.body, /<html/i);
});

test('without a built bundle, / answers 503 with the command that fixes it', async () => {
  const empty = await makeTempDir('webui-empty');
  const bare = Fastify();
  try {
    await bare.register(webuiRoutes, { distDir: empty.dir });
    const response = await bare.inject({ method: 'GET', url: '/' });
    assert.equal(response.statusCode, 503);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.match(response.body, /npm run build/);
    assert.equal((await bare.inject({ method: 'GET', url: '/assets/app-ABCDEFGH.js' })).statusCode, 404);
  } finally {
    await bare.close();
    await empty.cleanup();
  }
});

test(`the whole bundle is at most ${MAX_GZIPPED_BYTES / 1024} kB gzipped`, async () => {
  const files = [join(WEBUI_DIST, 'index.html'), ...(await readdir(join(WEBUI_DIST, 'assets'))).map((name) => join(WEBUI_DIST, 'assets', name))];
  let gzipped = 0;
  for (const file of files) gzipped += gzipSync(await readFile(file), { level: 9 }).length;
  assert.ok(files.length >= 4, files.join(', '));
  assert.ok(gzipped <= MAX_GZIPPED_BYTES, `${gzipped} bytes gzipped`);
  process.stdout.write(`# WebUI bundle: ${files.length} files, ${gzipped} bytes gzipped\n`);
});
