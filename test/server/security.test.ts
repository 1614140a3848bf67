/**
 * Security guards through `inject()`: bearer token, CORS origins (refused with 403, not just left without
 * headers), IP allowlist, rate limit, body size limits, and the token file.
 */
import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/src/server/app.ts';
import type { AsrModel } from '../../engine/src/models/asr-model.ts';
import type { ServerConfig } from '../../engine/src/server/contracts.ts';
import { LocalModelRegistry } from '../../engine/src/server/plugins/registry.ts';
import { buildAllowList, ensureTokenFile, ipAllowed, tokenMatches } from '../../engine/src/server/plugins/security.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { multipart, testConfig } from './server-helpers.ts';

const TOKEN = 'secret-token-abcdefghijklmnop';

let temp: { dir: string; cleanup: () => Promise<void> };
let counter = 0;

before(async () => {
  temp = await makeTempDir('srv-security');
});

after(async () => {
  await temp.cleanup();
});

/** A registry with a stand-in model "loaded", so routes get past the model check without running inference. */
async function readyRegistry(): Promise<LocalModelRegistry> {
  const model: AsrModel = {
    family: 'sense_voice',
    dir: '/models/stand-in',
    modelFile: '/models/stand-in/model.onnx',
    device: 'cpu',
    isFixture: true,
    recognize: async () => {
      throw new Error('not used');
    },
    release: async () => undefined,
  };
  const registry = new LocalModelRegistry({ device: 'cpu', threads: 1, onCudaUnavailable: 'fail', batchSize: 1, maxLen: 30, loadModel: async () => model });
  await registry.load('/models/stand-in');
  return registry;
}

async function withApp(overrides: Partial<ServerConfig>, run: (app: FastifyInstance) => Promise<void>, withModel = false): Promise<void> {
  counter += 1;
  const config = testConfig(join(temp.dir, `d${counter}`), { port: 7860, ...overrides });
  const app = await buildApp({ config, loadModelAtStart: false, ...(withModel ? { registry: await readyRegistry() } : {}) });
  try {
    await run(app);
  } finally {
    await app.close();
  }
}

const ITN = { method: 'POST' as const, url: '/api/itn', payload: { text: '三点' } };

function code(response: { json: () => unknown }): string {
  return (response.json() as { error: { code: string } }).error.code;
}

test('token: every route but /health needs it; missing → AUTH_REQUIRED, wrong → AUTH_INVALID (401)', async () => {
  await withApp({ token: TOKEN }, async (app) => {
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 503, '/health answers (no model) without a token');
    const missing = await app.inject(ITN);
    assert.equal(missing.statusCode, 401);
    assert.equal(code(missing), 'AUTH_REQUIRED');
    assert.equal((missing.json() as { error: { type: string } }).error.type, 'authentication_error');
    const wrong = await app.inject({ ...ITN, headers: { authorization: 'Bearer not-the-token' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(code(wrong), 'AUTH_INVALID');
    const basic = await app.inject({ ...ITN, headers: { authorization: `Basic ${TOKEN}` } });
    assert.equal(basic.statusCode, 401);
    const right = await app.inject({ ...ITN, headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(right.statusCode, 200);
    for (const url of ['/api/models', '/api/history', '/api/jobs', '/v1/nothing']) {
      const response = await app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 401, url);
    }
    const upload = await multipart({}, { name: 'a.wav', data: new Uint8Array(10) });
    assert.equal((await app.inject({ method: 'POST', url: '/v1/audio/transcriptions', ...upload })).statusCode, 401);
  });
});

test('without a token on loopback no token is needed', async () => {
  await withApp({}, async (app) => {
    assert.equal((await app.inject(ITN)).statusCode, 200);
  });
});

test('CORS: built-in and configured origins get CORS headers; any other Origin is refused with 403', async () => {
  await withApp({ corsOrigins: ['https://example.org'] }, async (app) => {
    for (const origin of ['app://obsidian.md', 'capacitor://localhost', 'http://localhost', 'https://localhost:7860', 'http://127.0.0.1:7860', 'https://example.org']) {
      const response = await app.inject({ ...ITN, headers: { origin } });
      assert.equal(response.statusCode, 200, origin);
      assert.equal(response.headers['access-control-allow-origin'], origin, origin);
    }
    for (const origin of ['https://evil.example', 'http://localhost:9999', 'https://localhost.evil.example:7860', 'null', 'http://127.0.0.1:7861']) {
      const response = await app.inject({ ...ITN, headers: { origin } });
      assert.equal(response.statusCode, 403, origin);
      assert.equal(code(response), 'ORIGIN_NOT_ALLOWED');
      assert.equal(response.headers['access-control-allow-origin'], undefined);
    }
    // A "simple" cross-origin form POST would run in the browser if only the CORS headers were missing.
    const simple = await multipart({}, { name: 'a.wav', data: new Uint8Array(10) });
    const refused = await app.inject({ method: 'POST', url: '/v1/audio/transcriptions', payload: simple.payload, headers: { ...simple.headers, origin: 'https://evil.example' } });
    assert.equal(refused.statusCode, 403);
    // Requests without Origin (curl, the OpenAI client) are not browser requests and pass.
    assert.equal((await app.inject(ITN)).statusCode, 200);
  });
});

test('CORS preflight: allowed origins get 204 with methods and headers, without a token', async () => {
  await withApp({ token: TOKEN }, async (app) => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/audio/transcriptions',
      headers: { origin: 'app://obsidian.md', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.equal(preflight.statusCode, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'app://obsidian.md');
    assert.match(String(preflight.headers['access-control-allow-headers']), /Authorization/);
    const refused = await app.inject({
      method: 'OPTIONS',
      url: '/v1/audio/transcriptions',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(refused.statusCode, 403);
  });
});

test('IP allowlist: other addresses get 403 IP_NOT_ALLOWED; listed ones and loopback pass', async () => {
  await withApp({ allowIps: ['10.0.0.0/8', '192.168.1.7', 'fd00::/8'] }, async (app) => {
    const outside = await app.inject({ ...ITN, remoteAddress: '192.168.1.8' });
    assert.equal(outside.statusCode, 403);
    assert.equal(code(outside), 'IP_NOT_ALLOWED');
    assert.equal((await app.inject({ method: 'GET', url: '/health', remoteAddress: '203.0.113.5' })).statusCode, 403, 'health too');
    for (const ip of ['10.1.2.3', '::ffff:10.9.9.9', '192.168.1.7', 'fd00::1', '127.0.0.1', '::1']) {
      assert.equal((await app.inject({ ...ITN, remoteAddress: ip })).statusCode, 200, ip);
    }
  });
  const list = buildAllowList(['10.0.0.0/8']);
  assert.equal(ipAllowed(list, 'garbage'), false);
  assert.equal(ipAllowed(null, '203.0.113.1'), true, 'no list: everyone (subject to the token)');
});

test('rate limit: 429 RATE_LIMITED with Retry-After after N requests a minute; /health is not limited', async () => {
  await withApp({ rateLimitPerMinute: 3 }, async (app) => {
    for (let i = 0; i < 3; i++) assert.equal((await app.inject(ITN)).statusCode, 200);
    const limited = await app.inject(ITN);
    assert.equal(limited.statusCode, 429);
    assert.equal(code(limited), 'RATE_LIMITED');
    assert.equal((limited.json() as { error: { type: string } }).error.type, 'rate_limit_error');
    assert.ok(Number(limited.headers['retry-after']) > 0);
    // Another client has its own budget.
    assert.equal((await app.inject({ ...ITN, remoteAddress: '127.0.0.2' })).statusCode, 200);
    for (let i = 0; i < 5; i++) assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 503);
  });
});

test('size limits: oversized uploads and JSON bodies are 413 PAYLOAD_TOO_LARGE', async () => {
  await withApp({ maxUploadBytes: 4096 }, async (app) => {
    const upload = await multipart({}, { name: 'big.wav', data: new Uint8Array(64 * 1024) });
    const big = await app.inject({ method: 'POST', url: '/v1/audio/transcriptions', ...upload });
    assert.equal(big.statusCode, 413);
    assert.equal(code(big), 'PAYLOAD_TOO_LARGE');
    const json = await app.inject({ method: 'POST', url: '/api/itn', payload: { text: 'x'.repeat(9 * 1024 * 1024) } });
    assert.equal(json.statusCode, 413);
    assert.equal(code(json), 'PAYLOAD_TOO_LARGE');
  }, true);
});

test('token file: generated once, owner-only, reused; tokens compare in constant time', async () => {
  const dir = join(temp.dir, 'token-dir');
  const first = await ensureTokenFile(dir);
  assert.equal(first.generated, true);
  assert.equal((await stat(first.path)).mode & 0o777, 0o600);
  assert.ok(first.token.length >= 32);
  const second = await ensureTokenFile(dir);
  assert.equal(second.generated, false);
  assert.equal(second.token, first.token);
  await writeFile(first.path, 'short\n');
  const replaced = await ensureTokenFile(dir);
  assert.equal(replaced.generated, true, 'an unusable token file is replaced');
  assert.equal((await readFile(first.path, 'utf8')).trim(), replaced.token);
  assert.equal(tokenMatches('abc', 'abc'), true);
  assert.equal(tokenMatches('abc', 'abd'), false);
  assert.equal(tokenMatches('abc', 'abcd'), false);
});
