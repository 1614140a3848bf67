import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { JobView } from '../../engine/src/server/db/job-store.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { FakeRegistry, buildStoreApp, multipartBody } from './helpers/store-app.ts';

let temp: { dir: string; cleanup: () => Promise<void> };
before(async () => {
  temp = await makeTempDir('jobs');
});
after(async () => {
  await temp.cleanup();
});

let dataDirCount = 0;
async function newApp(registry = new FakeRegistry(), opts: { batchSize?: number; dataDir?: string; heartbeatS?: number } = {}) {
  const dataDir = opts.dataDir ?? join(temp.dir, `data-${dataDirCount++}`);
  const app = await buildStoreApp({ dataDir, registry, config: { batchSize: opts.batchSize ?? 1 }, ...(opts.heartbeatS ? { heartbeatS: opts.heartbeatS } : {}) });
  await app.ready();
  return { app, registry, dataDir };
}

async function submit(app: FastifyInstance, files: { name: string; content: string }[], fields: Record<string, string> = {}) {
  const body = multipartBody(files, fields);
  return app.inject({ method: 'POST', url: '/api/jobs', ...body });
}

async function getJob(app: FastifyInstance, id: string): Promise<JobView> {
  const res = await app.inject({ method: 'GET', url: `/api/jobs/${id}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

async function waitFor(check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail('condition not reached');
}

/** Parses an SSE body into its events. */
function parseSse(body: string): { event: string; data: unknown }[] {
  return body
    .split('\n\n')
    .filter((block) => /^event: /m.test(block))
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)![1]!;
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as unknown;
      return { event, data };
    });
}

function uploadsLeft(dataDir: string): string[] {
  const dir = join(dataDir, 'uploads');
  return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
}

test('a batch runs every file; a non-audio file fails alone; SSE reports progress, files and the end', async () => {
  const { app, registry, dataDir } = await newApp();
  try {
    const res = await submit(
      app,
      [
        { name: 'a.wav', content: 'HOLD 第一句|第二句' },
        { name: 'notes.txt', content: 'just some text' },
        { name: 'c.mp3', content: 'SAY 上午十点半' },
      ],
      { language: 'zh', itn: 'false', vad: 'true', hotwords: '听写,Tingxie' },
    );
    assert.equal(res.statusCode, 202, res.body);
    const accepted = res.json() as JobView;
    assert.equal(res.headers.location, `/api/jobs/${accepted.id}`);
    assert.deepEqual(accepted.files.map((f) => f.filename), ['a.wav', 'notes.txt', 'c.mp3']);
    assert.deepEqual(accepted.options, { language: 'zh', itn: false, vad: true, hotwords: ['听写', 'Tingxie'] });

    // The stream replays the state, then follows the job to its end (and then ends).
    const stream = app.inject({ method: 'GET', url: `/api/jobs/${accepted.id}/events` });
    await waitFor(() => app.jobs.subscriberCount(accepted.id) === 1);
    await registry.waitForHold();
    registry.releaseHeld();
    const events = await stream;
    assert.equal(events.statusCode, 200);
    assert.match(events.headers['content-type'] as string, /^text\/event-stream/);
    const parsed = parseSse(events.body);
    assert.equal(parsed[0]!.event, 'snapshot');
    assert.equal(parsed.at(-1)!.event, 'job');
    const final = parsed.at(-1)!.data as JobView;

    assert.equal(final.status, 'done');
    assert.deepEqual(final.files.map((f) => f.status), ['done', 'failed', 'done']);
    assert.deepEqual(final.counts, { queued: 0, running: 0, done: 2, failed: 1, cancelled: 0 });
    assert.deepEqual(final.files.map((f) => f.text), ['第一句第二句', null, '上午十点半']);
    assert.equal(final.files[1]!.error!.code, 'AUDIO_NOT_AUDIO');
    // The server's upload path never reaches the client; the file's own name does.
    assert.doesNotMatch(final.files[1]!.error!.message, /uploads/);
    assert.match(final.files[1]!.error!.message, /notes\.txt/);
    assert.deepEqual(final.files.map((f) => f.progress), [1, 0, 1]);

    // Progress events before each file's "done" event, in 0..1 and rising.
    const progressA = parsed.filter((e) => e.event === 'progress' && (e.data as { index: number }).index === 0).map((e) => (e.data as { progress: number }).progress);
    assert.deepEqual(progressA, [0.5, 1]);
    const fileEvents = parsed.filter((e) => e.event === 'file').map((e) => (e.data as { file: { index: number; status: string } }).file);
    for (const index of [0, 1, 2]) assert.ok(fileEvents.some((f) => f.index === index && TERMINAL.has(f.status)), `file ${index} end event`);

    // Results are in the history, one row per file, linked by id.
    for (const file of final.files.filter((f) => f.status === 'done')) {
      const entry = await app.inject({ method: 'GET', url: `/api/history/${file.history_id}` });
      assert.equal(entry.statusCode, 200);
      assert.equal(entry.json().filename, file.filename);
      assert.equal(entry.json().source, 'job');
      assert.equal(entry.json().itn_text, file.text);
      assert.deepEqual(entry.json().hotwords, ['听写', 'Tingxie']);
    }
    assert.equal(app.history.search({}).total, 2);
    // Options reached the pipeline.
    assert.deepEqual(
      registry.requests.map((r) => [r.request.language, r.request.useItn, r.request.vad, r.request.hotwords]),
      Array(3).fill(['zh', false, true, ['听写', 'Tingxie']]),
    );
    await waitFor(() => uploadsLeft(dataDir).length === 0); // removed right after each file is committed
    // A finished job's stream is its snapshot and its end.
    const again = parseSse((await app.inject({ method: 'GET', url: `/api/jobs/${accepted.id}/events` })).body);
    assert.deepEqual(again.map((e) => e.event), ['snapshot', 'job']);
  } finally {
    await app.close();
  }
});

const TERMINAL = new Set(['done', 'failed', 'cancelled']);

test('path-like file names are stored inside the job folder and shown by their last part', async () => {
  const { app, registry, dataDir } = await newApp();
  try {
    const res = await submit(app, [
      { name: '../../escape.wav', content: 'SAY 一' },
      { name: '..\\..\\win.wav', content: 'SAY 二' },
      { name: '/etc/passwd', content: 'SAY 三' },
      { name: '..', content: 'SAY 四' },
    ]);
    assert.equal(res.statusCode, 202, res.body);
    const job = res.json() as JobView;
    assert.deepEqual(job.files.map((f) => f.filename), ['escape.wav', 'win.wav', 'passwd', 'upload']);
    await waitFor(async () => (await getJob(app, job.id)).status === 'done');
    const jobDir = join(dataDir, 'uploads', job.id);
    for (const { path } of registry.requests) assert.equal(join(path, '..'), jobDir);
    assert.equal(existsSync(join(dataDir, 'escape.wav')), false);
    const list = (await app.inject({ method: 'GET', url: '/api/jobs?limit=10' })).json() as { total: number; items: JobView[] };
    assert.equal(list.total, 1);
    assert.deepEqual(list.items.map((j) => [j.id, j.status]), [[job.id, 'done']]);
    assert.equal(existsSync(join(temp.dir, 'escape.wav')), false);
    await waitFor(() => uploadsLeft(dataDir).length === 0); // removed right after each file is committed
  } finally {
    await app.close();
  }
});

test('bad requests: no files, wrong field values, unknown fields, not multipart (400); unknown jobs (404)', async () => {
  const { app, registry, dataDir } = await newApp();
  try {
    const cases: [string, Awaited<ReturnType<typeof submit>>][] = [
      ['no files', await submit(app, [], { language: 'zh' })],
      ['language', await submit(app, [{ name: 'a.wav', content: 'SAY x' }], { language: 'klingon' })],
      ['itn', await submit(app, [{ name: 'a.wav', content: 'SAY x' }], { itn: 'maybe' })],
      ['vad', await submit(app, [{ name: 'a.wav', content: 'SAY x' }], { vad: '2' })],
      ['hotwords', await submit(app, [{ name: 'a.wav', content: 'SAY x' }], { hotwords: '[1, 2' })],
      ['unknown field', await submit(app, [{ name: 'a.wav', content: 'SAY x' }], { colour: 'blue' })],
      ['wrong file field', await app.inject({ method: 'POST', url: '/api/jobs', ...multipartBody([{ field: 'audio', name: 'a.wav', content: 'SAY x' }]) })],
      ['json body', await app.inject({ method: 'POST', url: '/api/jobs', payload: { file: 'a.wav' } })],
    ];
    for (const [name, res] of cases) {
      assert.equal(res.statusCode, 400, `${name}: ${res.body}`);
      assert.equal(res.json().error.code, 'VALIDATION_FAILED', name);
    }
    assert.equal(registry.requests.length, 0);
    await waitFor(() => uploadsLeft(dataDir).length === 0); // removed right after each file is committed
    assert.equal((await app.inject({ method: 'GET', url: '/api/jobs' })).json().total, 0);

    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [method, url] of [
      ['GET', `/api/jobs/${unknown}`],
      ['GET', `/api/jobs/${unknown}/events`],
      ['DELETE', `/api/jobs/${unknown}`],
      ['GET', '/api/jobs/nonsense'],
    ] as const) {
      const res = await app.inject({ method, url });
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.equal(res.json().error.code, 'JOB_NOT_FOUND');
    }
    const badQuery = await app.inject({ method: 'GET', url: '/api/jobs?limit=lots' });
    assert.equal(badQuery.statusCode, 400);
  } finally {
    await app.close();
  }
});

test('no model: a job is refused with 503 MODEL_NOT_LOADED; while one loads, files wait instead of failing', async () => {
  const { app, registry } = await newApp();
  try {
    registry.state = 'empty';
    const refused = await submit(app, [{ name: 'a.wav', content: 'SAY x' }]);
    assert.equal(refused.statusCode, 503);
    assert.equal(refused.json().error.code, 'MODEL_NOT_LOADED');
    registry.state = 'loading';
    const res = await submit(app, [{ name: 'a.wav', content: 'SAY 等一下' }]);
    assert.equal(res.statusCode, 202);
    const id = (res.json() as JobView).id;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await getJob(app, id)).files[0]!.status, 'queued');
    registry.state = 'ready';
    await waitFor(async () => (await getJob(app, id)).status === 'done');
    assert.equal((await getJob(app, id)).files[0]!.text, '等一下');
  } finally {
    await app.close();
  }
});

test('at most batchSize files run at once', async () => {
  const { app, registry } = await newApp(new FakeRegistry(), { batchSize: 2 });
  try {
    const res = await submit(app, ['一', '二', '三', '四'].map((s, i) => ({ name: `${i}.wav`, content: `HOLD ${s}` })));
    const id = (res.json() as JobView).id;
    await waitFor(() => registry.requests.length === 2);
    const job = await getJob(app, id);
    assert.equal(job.status, 'running');
    assert.deepEqual(job.counts, { queued: 2, running: 2, done: 0, failed: 0, cancelled: 0 });
    while ((await getJob(app, id)).status !== 'done') {
      registry.releaseHeld();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.equal(registry.requests.length, 4);
    assert.deepEqual((await getJob(app, id)).files.map((f) => f.text), ['一', '二', '三', '四']);
  } finally {
    await app.close();
  }
});

test('cancel aborts the running file and cancels the queued ones; heartbeats keep the stream alive', async () => {
  const { app, registry, dataDir } = await newApp(new FakeRegistry(), { heartbeatS: 0.02 });
  try {
    const res = await submit(app, [
      { name: 'long.wav', content: 'HOLD 很长' },
      { name: 'b.wav', content: 'SAY 二' },
      { name: 'c.wav', content: 'SAY 三' },
    ]);
    const id = (res.json() as JobView).id;
    await registry.waitForHold();
    const stream = app.inject({ method: 'GET', url: `/api/jobs/${id}/events` });
    await waitFor(() => app.jobs.subscriberCount(id) === 1);
    await new Promise((resolve) => setTimeout(resolve, 100)); // a few 20 ms heartbeats
    const cancel = await app.inject({ method: 'DELETE', url: `/api/jobs/${id}` });
    assert.equal(cancel.statusCode, 200);
    assert.deepEqual(
      (cancel.json() as JobView).files.map((f) => f.status),
      ['running', 'cancelled', 'cancelled'],
    );
    const body = (await stream).body;
    assert.match(body, /^: heartbeat$/m);
    const events = parseSse(body);
    const final = events.at(-1)!;
    assert.equal(final.event, 'job');
    assert.equal((final.data as JobView).status, 'cancelled');
    assert.deepEqual((final.data as JobView).files.map((f) => f.status), ['cancelled', 'cancelled', 'cancelled']);
    assert.equal(registry.requests.length, 1);
    assert.equal(app.history.search({}).total, 0);
    await waitFor(() => uploadsLeft(dataDir).length === 0); // removed right after each file is committed
    // Cancelling again changes nothing.
    const again = await app.inject({ method: 'DELETE', url: `/api/jobs/${id}` });
    assert.equal((again.json() as JobView).status, 'cancelled');
  } finally {
    await app.close();
  }
});

test('closing the app puts the running file back in the queue; the next start runs it once', async () => {
  const first = await newApp();
  const res = await submit(first.app, [
    { name: 'a.wav', content: 'SAY 一' },
    { name: 'b.wav', content: 'HOLD 二' },
    { name: 'c.wav', content: 'SAY 三' },
  ]);
  const id = (res.json() as JobView).id;
  await first.registry.waitForHold();
  // An open event stream ends when the engine stops (it does not hold the shutdown up).
  const stream = first.app.inject({ method: 'GET', url: `/api/jobs/${id}/events` });
  await waitFor(() => first.app.jobs.subscriberCount(id) === 1);
  await first.app.close();
  const events = parseSse((await stream).body);
  assert.deepEqual(events.map((e) => e.event), ['snapshot']);
  assert.equal((events[0]!.data as JobView).files[1]!.status, 'running');

  const second = await newApp(new FakeRegistry(), { dataDir: first.dataDir });
  try {
    await waitFor(async () => {
      second.registry.releaseHeld();
      return (await getJob(second.app, id)).status === 'done';
    });
    const job = await getJob(second.app, id);
    assert.deepEqual(job.files.map((f) => f.text), ['一', '二', '三']);
    assert.deepEqual(job.files.map((f) => f.attempts), [1, 2, 1]);
    // Only the interrupted and the never-started files ran again.
    assert.deepEqual(second.registry.requests.map((r) => r.path.split('/').pop()), ['0001.wav', '0002.wav']);
    assert.equal(second.app.history.search({}).total, 3);
    assert.deepEqual(uploadsLeft(first.dataDir), []);
  } finally {
    await second.app.close();
  }
});

test('a busy registry puts the file back in the queue instead of failing it', async () => {
  const registry = new FakeRegistry();
  registry.busyTimes = 2;
  const { app } = await newApp(registry);
  try {
    const id = ((await submit(app, [{ name: 'a.wav', content: 'SAY 稍后' }])).json() as JobView).id;
    await waitFor(async () => (await getJob(app, id)).status === 'done');
    const job = await getJob(app, id);
    assert.equal(job.files[0]!.text, '稍后');
    assert.equal(job.files[0]!.attempts, 3);
    assert.equal(registry.busyTimes, 0);
  } finally {
    await app.close();
  }
});

test('through buildApp: the routes are wired with the server error shape, and history rows link back', async () => {
  const { buildApp } = await import('../../engine/src/server/app.ts');
  const { defaultServerConfig } = await import('../../engine/src/server/config.ts');
  const dataDir = join(temp.dir, 'build-app');
  const registry = new FakeRegistry();
  const app = await buildApp({ config: defaultServerConfig(dataDir), registry, loadModelAtStart: false });
  await app.ready();
  try {
    const res = await submit(app, [
      { name: 'x.wav', content: 'SAY 整个应用' },
      { name: 'y.wav', content: 'garbage' },
    ]);
    assert.equal(res.statusCode, 202, res.body);
    const id = (res.json() as JobView).id;
    await waitFor(async () => (await getJob(app, id)).status === 'done');
    const job = await getJob(app, id);
    assert.deepEqual(job.files.map((f) => [f.status, f.error?.code ?? null]), [['done', null], ['failed', 'AUDIO_NOT_AUDIO']]);
    const history = await app.inject({ method: 'GET', url: '/api/history?q=整个应用' });
    assert.deepEqual(history.json().items.map((i: { id: number }) => i.id), [job.files[0]!.history_id]);
    const missing = await app.inject({ method: 'GET', url: '/api/history/424242' });
    assert.equal(missing.statusCode, 404);
    assert.deepEqual(missing.json(), { error: { code: 'HISTORY_NOT_FOUND', message: 'No history entry with id 424242.', type: 'not_found_error', detail: { id: 424242 } } });
    const noFiles = await submit(app, []);
    assert.equal(noFiles.statusCode, 400);
    assert.equal(noFiles.json().error.type, 'invalid_request_error');
  } finally {
    await app.close();
  }
  await waitFor(() => uploadsLeft(dataDir).length === 0);
});
