/**
 * buildApp through `inject()`: health while loading / without a model, hot swap where a failed load keeps the
 * old model serving, release, the models and ITN routes, and the one error shape.
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { AsrModel } from '../../engine/src/models/asr-model.ts';
import { buildApp } from '../../engine/src/server/app.ts';
import { LocalModelRegistry } from '../../engine/src/server/plugins/registry.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';
import { DATE_WRITTEN, multipart, testConfig, waitForModel, wavUpload, writeAudioFixtures, type AudioFixtures } from './server-helpers.ts';

let temp: { dir: string; cleanup: () => Promise<void> };
let audio: AudioFixtures;

before(async () => {
  temp = await makeTempDir('srv-app');
  audio = await writeAudioFixtures(temp.dir);
});

after(async () => {
  await temp.cleanup();
});

interface ErrorJson {
  error: { code: string; message: string; type: string; detail?: Record<string, unknown> };
}

async function transcribeDate(app: FastifyInstance) {
  const body = await multipart({}, await wavUpload(audio.date));
  return app.inject({ method: 'POST', url: '/v1/audio/transcriptions', payload: body.payload, headers: body.headers });
}

test('health: 503 loading while the model loads, then 200 ok with model, device and version', async () => {
  let finishLoad: (() => void) | null = null;
  const gate = new Promise<void>((resolve) => (finishLoad = resolve));
  const registry = new LocalModelRegistry({
    device: 'cpu',
    threads: 1,
    onCudaUnavailable: 'fail',
    batchSize: 1,
    maxLen: 30,
    loadModel: async (dir, opts) => {
      await gate;
      const { loadAsrModel } = await import('../../engine/src/models/asr-model.ts');
      return loadAsrModel(dir, opts);
    },
  });
  const app = await buildApp({ config: testConfig(join(temp.dir, 'health')), registry });
  try {
    const loading = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(loading.statusCode, 503);
    assert.equal((loading.json() as { status: string }).status, 'loading');
    const refused = await transcribeDate(app);
    assert.equal(refused.statusCode, 503);
    assert.equal((refused.json() as ErrorJson).error.code, 'MODEL_NOT_LOADED');
    finishLoad!();
    await waitForModel(app);
    const ok = await app.inject({ method: 'GET', url: '/health' });
    assert.equal(ok.statusCode, 200);
    const body = ok.json() as { status: string; model: { family: string; dir: string; fixture: boolean }; device: string; version: string };
    assert.equal(body.status, 'ok');
    assert.equal(body.model.family, 'sense_voice');
    assert.equal(body.model.dir, TONE_FIXTURE_DIR);
    assert.equal(body.model.fixture, true);
    assert.equal(body.device, 'cpu');
    assert.match(body.version, /^\d+\.\d+\.\d+/);
  } finally {
    await app.close();
  }
});

test('health: 503 no_model without a model, 503 error after a failed start-up load', async () => {
  const none = await buildApp({ config: testConfig(join(temp.dir, 'none'), { modelPath: null }) });
  try {
    const response = await none.inject({ method: 'GET', url: '/health' });
    assert.equal(response.statusCode, 503);
    assert.equal((response.json() as { status: string }).status, 'no_model');
  } finally {
    await none.close();
  }
  const brokenDir = join(temp.dir, 'broken-model');
  await mkdir(brokenDir, { recursive: true });
  await writeFile(join(brokenDir, 'model.onnx'), 'not a model');
  await writeFile(join(brokenDir, 'tokens.txt'), 'a 0\n');
  const broken = await buildApp({ config: testConfig(join(temp.dir, 'broken'), { modelPath: brokenDir }) });
  try {
    let body: { status: string; error?: { code: string } } = { status: 'loading' };
    for (let i = 0; i < 200 && body.status === 'loading'; i++) {
      body = (await broken.inject({ method: 'GET', url: '/health' })).json() as typeof body;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(body.status, 'error');
    assert.match(body.error!.code, /^MODEL_/);
  } finally {
    await broken.close();
  }
});

test('models: list, a failed hot swap keeps the old model, release unloads, load by path swaps back in', async () => {
  const app = await buildApp({ config: testConfig(join(temp.dir, 'swap')) });
  try {
    await waitForModel(app);
    const list = await app.inject({ method: 'GET', url: '/api/models' });
    assert.equal(list.statusCode, 200);
    const listed = list.json() as { models: { id: string; status: string }[]; status: { state: string; model: { dir: string } } };
    assert.ok(listed.models.length > 0, 'the catalogue is listed');
    assert.equal(listed.status.state, 'ready');
    assert.equal(listed.status.model.dir, TONE_FIXTURE_DIR);

    const emptyDir = join(temp.dir, 'empty-model');
    await mkdir(emptyDir, { recursive: true });
    const failed = await app.inject({ method: 'POST', url: '/api/models/load', payload: { path: emptyDir } });
    assert.ok(failed.statusCode >= 400 && failed.statusCode < 500, failed.body);
    assert.match((failed.json() as ErrorJson).error.code, /^MODEL_/);
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'health still ok');
    const still = await transcribeDate(app);
    assert.equal(still.statusCode, 200);
    assert.equal((still.json() as { text: string }).text, DATE_WRITTEN);

    const missing = await app.inject({ method: 'POST', url: '/api/models/load', payload: { path: join(temp.dir, 'nope') } });
    assert.equal(missing.statusCode, 404);
    const unknownId = await app.inject({ method: 'POST', url: '/api/models/load', payload: { id: 'no-such-model' } });
    assert.equal(unknownId.statusCode, 404);
    assert.equal((unknownId.json() as ErrorJson).error.code, 'MODEL_NOT_FOUND');
    const both = await app.inject({ method: 'POST', url: '/api/models/load', payload: { id: 'a', path: '/x' } });
    assert.equal(both.statusCode, 400);
    const wrongType = await app.inject({ method: 'POST', url: '/api/models/load', payload: { path: 42 } });
    assert.equal(wrongType.statusCode, 400);
    assert.equal((wrongType.json() as ErrorJson).error.code, 'VALIDATION_FAILED');
    const relative = await app.inject({ method: 'POST', url: '/api/models/load', payload: { path: 'models/x' } });
    assert.equal(relative.statusCode, 400);

    const released = await app.inject({ method: 'POST', url: '/api/device/release' });
    assert.equal(released.statusCode, 200);
    assert.equal((released.json() as { state: string }).state, 'empty');
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 503);
    const refused = await transcribeDate(app);
    assert.equal(refused.statusCode, 503);
    assert.equal((refused.json() as ErrorJson).error.code, 'MODEL_NOT_LOADED');

    const loaded = await app.inject({ method: 'POST', url: '/api/models/load', payload: { path: TONE_FIXTURE_DIR, device: 'cpu' } });
    assert.equal(loaded.statusCode, 200, loaded.body);
    assert.equal((loaded.json() as { state: string }).state, 'ready');
    const again = await transcribeDate(app);
    assert.equal((again.json() as { text: string }).text, DATE_WRITTEN);
  } finally {
    await app.close();
  }
});

test('pull: unknown ids are a 404 before any stream starts; bad bodies a 400', async () => {
  const app = await buildApp({ config: testConfig(join(temp.dir, 'pull')), loadModelAtStart: false });
  try {
    const unknown = await app.inject({ method: 'POST', url: '/api/models/pull', payload: { id: 'no-such-model' } });
    assert.equal(unknown.statusCode, 404);
    assert.equal((unknown.json() as ErrorJson).error.code, 'CATALOGUE_UNKNOWN_ID');
    const bad = await app.inject({ method: 'POST', url: '/api/models/pull', payload: { id: '../../etc' } });
    assert.equal(bad.statusCode, 400);
    assert.equal((bad.json() as ErrorJson).error.code, 'VALIDATION_FAILED');
  } finally {
    await app.close();
  }
});

test('a swapped-out model is released only after the requests using it finish', async () => {
  const released: string[] = [];
  const fakeModel = (name: string): AsrModel => ({
    family: 'sense_voice',
    dir: `/models/${name}`,
    modelFile: `/models/${name}/model.onnx`,
    device: 'cpu',
    isFixture: true,
    recognize: async () => {
      throw new Error('not used');
    },
    release: async () => {
      released.push(name);
    },
  });
  const registry = new LocalModelRegistry({ device: 'cpu', threads: 1, onCudaUnavailable: 'fail', batchSize: 2, maxLen: 30, loadModel: async (dir) => {
      if (dir === 'fail-me') throw new Error('boom');
      return fakeModel(dir);
    },
  });
  await registry.load('a');
  const lease = await registry.lease();
  assert.equal(lease.model.dir, '/models/a');
  await registry.load('b');
  assert.equal(registry.status().model?.dir, '/models/b');
  assert.deepEqual(released, [], 'a is still leased');
  lease.release();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(released, ['a']);
  await assert.rejects(registry.load('fail-me'), (error: unknown) => (error as { code: string }).code === 'MODEL_LOAD_FAILED');
  assert.equal(registry.status().state, 'ready');
  assert.equal(registry.status().model?.dir, '/models/b', 'the failed load kept b serving');
  await registry.close();
  assert.deepEqual(released, ['a', 'b']);
  assert.equal(registry.status().state, 'empty');
});

test('itn: text or lines, language aware; both or neither is a 400', async () => {
  const app = await buildApp({ config: testConfig(join(temp.dir, 'itn')), loadModelAtStart: false });
  try {
    const text = await app.inject({ method: 'POST', url: '/api/itn', payload: { text: '二零二五年三月十二号下午三点', language: 'zh' } });
    assert.equal(text.statusCode, 200, text.body);
    assert.deepEqual(text.json(), { text: DATE_WRITTEN });
    const lines = await app.inject({ method: 'POST', url: '/api/itn', payload: { lines: ['上午十点半', '二零二五年三月十二号下午三点'] } });
    assert.deepEqual(lines.json(), { lines: ['上午10点半', DATE_WRITTEN] });
    for (const payload of [{}, { text: 'a', lines: ['b'] }, { text: { a: 1 } }, { lines: [{}] }, { text: 'a', language: 'fr' }]) {
      const response = await app.inject({ method: 'POST', url: '/api/itn', payload });
      assert.equal(response.statusCode, 400, JSON.stringify(payload));
      assert.equal((response.json() as ErrorJson).error.code, 'VALIDATION_FAILED');
    }
    const badJson = await app.inject({ method: 'POST', url: '/api/itn', payload: '{"text": ', headers: { 'content-type': 'application/json' } });
    assert.equal(badJson.statusCode, 400);
    assert.equal((badJson.json() as ErrorJson).error.code, 'VALIDATION_FAILED');
  } finally {
    await app.close();
  }
});

test('unknown routes and ids answer the one error shape, never a stack trace', async () => {
  const app = await buildApp({ config: testConfig(join(temp.dir, 'errors')), loadModelAtStart: false });
  try {
    const missing = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
    assert.equal(missing.statusCode, 404);
    const body = missing.json() as ErrorJson;
    assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'type']);
    assert.equal(body.error.code, 'NOT_FOUND');
    assert.equal(body.error.type, 'not_found_error');
    const history = await app.inject({ method: 'GET', url: '/api/history/999999' });
    assert.equal(history.statusCode, 404);
    for (const response of [missing, history]) assert.doesNotMatch(response.body, /at .*\.ts:\d+/);
  } finally {
    await app.close();
  }
});

test('buildApp refuses a non-loopback host without a token', async () => {
  await assert.rejects(buildApp({ config: testConfig(join(temp.dir, 'open'), { host: '0.0.0.0' }), loadModelAtStart: false }), (error: unknown) => {
    assert.equal((error as { code: string }).code, 'CONFIG_INVALID');
    return true;
  });
});

test('logging: requests are logged without transcript text or file names, unless debug + logTranscripts', async () => {
  const { Writable } = await import('node:stream');
  const pino = (await import('pino')).default;
  const { serverLoggerOptions } = await import('../../engine/src/server/logging.ts');
  const run = async (overrides: Partial<import('../../engine/src/server/contracts.ts').ServerConfig>): Promise<string> => {
    let lines = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines += chunk.toString('utf8');
        callback();
      },
    });
    const config = testConfig(join(temp.dir, `log-${overrides.logLevel}`), { logLevel: 'info', ...overrides });
    const app = await buildApp({ config, logger: pino(serverLoggerOptions(config), sink) });
    try {
      await waitForModel(app);
      const body = await multipart({}, await wavUpload(audio.date, 'private-meeting.wav'));
      const response = await app.inject({ method: 'POST', url: '/v1/audio/transcriptions?token=abc', payload: body.payload, headers: { ...body.headers, authorization: 'Bearer xyz-should-not-appear' } });
      assert.equal(response.statusCode, 200);
      await app.inject({ method: 'POST', url: '/api/itn', payload: { text: '上午十点半' } });
    } finally {
      await app.close();
    }
    return lines;
  };
  const info = await run({ logLevel: 'info', logTranscripts: true });
  assert.match(info, /"url":"\/v1\/audio\/transcriptions"/, 'the request is logged, without its query string');
  assert.match(info, /"msg":"transcribed"/);
  for (const secret of [DATE_WRITTEN, '二零二五', '上午', 'private-meeting', 'xyz-should-not-appear', 'token=abc']) assert.equal(info.includes(secret), false, `info log contains ${secret}`);
  const debugOnly = await run({ logLevel: 'debug', logTranscripts: false });
  for (const secret of [DATE_WRITTEN, 'private-meeting']) assert.equal(debugOnly.includes(secret), false, `debug log without logTranscripts contains ${secret}`);
  const debug = await run({ logLevel: 'debug', logTranscripts: true });
  assert.ok(debug.includes(DATE_WRITTEN), 'debug + logTranscripts logs the transcript');
  assert.ok(debug.includes('private-meeting.wav'));
  assert.equal(debug.includes('xyz-should-not-appear'), false, 'tokens never');
});

test('pull streams progress as Server-Sent Events, then the pulled model loads and transcribes', async () => {
  const { execFileSync } = await import('node:child_process');
  const { cp, readFile: read } = await import('node:fs/promises');
  const { createHash } = await import('node:crypto');
  const { parseCatalogue } = await import('../../engine/src/models/store/catalogue.ts');
  const { ModelStore } = await import('../../engine/src/models/store/store.ts');
  const { startFixtureServer } = await import('../helpers/http-fixture-server.ts');
  const id = 'tone-pull-test';
  const work = join(temp.dir, 'pull-archive');
  await cp(TONE_FIXTURE_DIR, join(work, id), { recursive: true });
  execFileSync('tar', ['-czf', join(work, `${id}.tar.gz`), '-C', work, id]);
  const archive = await read(join(work, `${id}.tar.gz`));
  const server = await startFixtureServer();
  server.setRoute(`/${id}.tar.gz`, { kind: 'file', body: archive });
  const catalogue = parseCatalogue({
    schemaVersion: 1,
    defaultModelId: id,
    models: [
      {
        id,
        name: 'Tone fixture (pull test)',
        family: 'sense_voice',
        status: 'available',
        languages: ['zh'],
        license: 'none (test data)',
        description: 'the tone test fixture, served from loopback',
        archive: { url: `${server.baseUrl}/${id}.tar.gz`, format: 'tar.gz', bytes: archive.length, sha256: createHash('sha256').update(archive).digest('hex') },
        files: [
          { path: 'model.onnx', bytes: null, sha256: null },
          { path: 'tokens.txt', bytes: null, sha256: null },
        ],
      },
    ],
  });
  const dataDir = join(temp.dir, 'pull-data');
  const modelStore = new ModelStore({ modelsDir: join(dataDir, 'models'), catalogue });
  const app = await buildApp({ config: testConfig(dataDir, { modelPath: null }), modelStore });
  try {
    assert.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 503, 'nothing installed yet');
    const pulled = await app.inject({ method: 'POST', url: '/api/models/pull', payload: { id } });
    assert.equal(pulled.statusCode, 200);
    assert.match(String(pulled.headers['content-type']), /^text\/event-stream/);
    const events = pulled.body
      .trim()
      .split('\n\n')
      .map((block) => {
        const [eventLine, dataLine] = block.split('\n');
        return { event: eventLine!.replace(/^event: /, ''), data: JSON.parse(dataLine!.replace(/^data: /, '')) as Record<string, unknown> };
      });
    const progress = events.filter((e) => e.event === 'progress');
    assert.ok(progress.some((e) => e.data.phase === 'download'), JSON.stringify(events));
    const last = events[events.length - 1]!;
    assert.equal(last.event, 'done', JSON.stringify(last));
    assert.equal(last.data.id, id);
    assert.equal(last.data.alreadyInstalled, false);

    const listed = (await app.inject({ method: 'GET', url: '/api/models' })).json() as { models: { id: string; status: string; loaded: boolean }[] };
    assert.deepEqual(listed.models.map((m) => [m.id, m.status, m.loaded]), [[id, 'installed', false]]);
    const loaded = await app.inject({ method: 'POST', url: '/api/models/load', payload: { id } });
    assert.equal(loaded.statusCode, 200, loaded.body);
    const text = await transcribeDate(app);
    assert.equal((text.json() as { text: string }).text, DATE_WRITTEN);
    const after = (await app.inject({ method: 'GET', url: '/api/models' })).json() as { models: { loaded: boolean }[] };
    assert.equal(after.models[0]!.loaded, true);

    const again = await app.inject({ method: 'POST', url: '/api/models/pull', payload: { id } });
    assert.match(again.body, /"alreadyInstalled":true/);
  } finally {
    await app.close();
    await server.close();
  }
});

test('the registry runs at most batchSize transcriptions at once and queues the rest', async () => {
  let running = 0;
  let peak = 0;
  let calls = 0;
  const model: AsrModel = {
    family: 'sense_voice',
    dir: '/models/slow',
    modelFile: '/models/slow/model.onnx',
    device: 'cpu',
    isFixture: true,
    recognize: async () => {
      running += 1;
      calls += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running -= 1;
      return { text: '好', tokens: ['好'], tokenIds: [1], timestamps: [0], language: 'zh', emotion: null, event: null, itn: false, numFrames: 1 };
    },
    release: async () => undefined,
  };
  const registry = new LocalModelRegistry({ device: 'cpu', threads: 1, onCudaUnavailable: 'fail', batchSize: 2, maxLen: 30, loadModel: async () => model });
  await registry.load('/models/slow');
  const results = await Promise.all(Array.from({ length: 5 }, () => registry.transcribeFile(audio.date, { language: 'zh', useItn: false, vad: false })));
  assert.equal(calls, 5);
  assert.equal(peak, 2);
  assert.deepEqual(results.map((r) => r.text), ['好', '好', '好', '好', '好']);
  await registry.close();
});
