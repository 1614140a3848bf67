import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { TingxieError } from '../../engine/src/errors.ts';
import { archiveFileName, findCatalogueEntry, loadCatalogue, parseCatalogue } from '../../engine/src/models/store/catalogue.ts';
import { createPullProgressRenderer, formatBytes, type ProgressStream } from '../../engine/src/models/store/progress.ts';
import { defaultModelsDir, resolveDataDir } from '../../engine/src/models/store/store.ts';

const DEFAULT_ID = 'sense-voice-zh-en-ja-ko-yue-int8-2024-07-17';

function validCatalogueJson(): { schemaVersion: number; defaultModelId: string; models: Array<Record<string, unknown>> } {
  return {
    schemaVersion: 1,
    defaultModelId: 'a-model',
    models: [
      {
        id: 'a-model',
        name: 'A',
        family: 'sense_voice',
        status: 'available',
        languages: ['zh'],
        license: 'MIT',
        description: 'test',
        archive: { url: 'https://example.invalid/a-model.tar.bz2', format: 'tar.bz2', bytes: 10, sha256: null },
        files: [{ path: 'model.int8.onnx', bytes: null, sha256: null }],
      },
    ],
  };
}

function configError(json: unknown): TingxieError {
  try {
    parseCatalogue(json, 'cat.json');
  } catch (error) {
    assert.ok(error instanceof TingxieError);
    assert.equal(error.code, 'CONFIG_INVALID');
    return error;
  }
  assert.fail('expected CONFIG_INVALID');
}

test('the shipped catalogue loads, defaults to SenseVoice-Small int8 and lists the planned families', async () => {
  const catalogue = await loadCatalogue();
  assert.equal(catalogue.defaultModelId, DEFAULT_ID);
  const entry = findCatalogueEntry(catalogue, DEFAULT_ID);
  assert.equal(entry.family, 'sense_voice');
  assert.equal(entry.status, 'available');
  assert.equal(archiveFileName(entry.archive.url), `sherpa-onnx-${DEFAULT_ID}.tar.bz2`);
  assert.ok(entry.archive.url.startsWith('https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/'));
  assert.deepEqual(entry.files.map((file) => file.path), ['model.int8.onnx', 'tokens.txt']);
  // Paraformer is runnable: its sherpa-onnx exports can be pulled.
  const paraformers = catalogue.models.filter((model) => model.family === 'paraformer');
  assert.ok(paraformers.length > 0 && paraformers.every((model) => model.status === 'available'), 'paraformer entries are available');
  for (const model of paraformers) {
    assert.equal(archiveFileName(model.archive.url), `sherpa-onnx-${model.id}.tar.bz2`);
    assert.ok(model.archive.url.startsWith('https://github.com/k2-fsa/sherpa-onnx/releases/download/asr-models/'));
    assert.deepEqual(model.files.map((file) => file.path), ['model.int8.onnx', 'tokens.txt']);
  }
  // Whisper is runnable: sherpa-onnx's encoder/decoder exports can be pulled.
  const whispers = catalogue.models.filter((model) => model.family === 'whisper');
  assert.ok(whispers.length > 0 && whispers.every((model) => model.status === 'available'), 'whisper entries are available');
  for (const model of whispers) {
    assert.equal(archiveFileName(model.archive.url), `sherpa-onnx-${model.id}.tar.bz2`);
    const prefix = model.id.replace(/^whisper-/, '');
    assert.deepEqual(model.files.map((file) => file.path), [`${prefix}-encoder.int8.onnx`, `${prefix}-decoder.int8.onnx`, `${prefix}-tokens.txt`]);
  }
  // Fun-ASR-Nano is runnable: sherpa-onnx's encoder_adaptor/embedding/llm export with its Qwen3 tokenizer folder.
  const nanos = catalogue.models.filter((model) => model.family === 'funasr_nano');
  assert.ok(nanos.length > 0 && nanos.every((model) => model.status === 'available'), 'funasr_nano entries are available');
  for (const model of nanos) {
    assert.equal(archiveFileName(model.archive.url), `sherpa-onnx-${model.id}.tar.bz2`);
    assert.deepEqual(model.files.map((file) => file.path), [
      'encoder_adaptor.int8.onnx',
      'llm.int8.onnx',
      'embedding.int8.onnx',
      'Qwen3-0.6B/tokenizer.json',
      'Qwen3-0.6B/vocab.json',
      'Qwen3-0.6B/merges.txt',
    ]);
  }
  assert.deepEqual(
    catalogue.models.filter((model) => model.family === 'whisper').map((model) => model.id),
    ['whisper-tiny', 'whisper-tiny.en', 'whisper-base', 'whisper-small'],
  );
  assert.ok(catalogue.models.every((model) => !model.id.includes('fixture')));
});

test('catalogue validation names the offending field', () => {
  const cases: Array<[string, (json: ReturnType<typeof validCatalogueJson>) => void]> = [
    ['models[0].archive.sha256', (json) => ((json.models[0].archive as Record<string, unknown>).sha256 = 'ABC')],
    ['models[0].archive.bytes', (json) => ((json.models[0].archive as Record<string, unknown>).bytes = -1)],
    ['models[0].archive.url', (json) => ((json.models[0].archive as Record<string, unknown>).url = 'ftp://x/y.tar.bz2')],
    ['models[0].family', (json) => (json.models[0].family = 'kaldi')],
    ['models[0].status', (json) => (json.models[0].status = 'maybe')],
    ['models[0].id', (json) => (json.models[0].id = '../up')],
    ['models[0].id', (json) => (json.models[0].id = 'sense-voice-fixture-tiny')],
    ['models[0].files[0].path', (json) => (json.models[0].files = [{ path: '../model.onnx', bytes: null, sha256: null }])],
    ['models[0].languages', (json) => (json.models[0].languages = [])],
    ['models[1].id', (json) => json.models.push({ ...json.models[0] })],
    ['defaultModelId', (json) => (json.defaultModelId = 'missing')],
    ['schemaVersion', (json) => (json.schemaVersion = 2)],
  ];
  for (const [field, mutate] of cases) {
    const json = validCatalogueJson();
    mutate(json);
    const error = configError(json);
    assert.equal(error.detail?.field, field, error.message);
    assert.ok(error.message.includes(field), error.message);
  }
  // The unmodified document is valid, so each failure above comes from its one change.
  assert.equal(parseCatalogue(validCatalogueJson()).models.length, 1);
});

test('loadCatalogue reports unreadable and malformed files', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-catalogue-'));
  try {
    await assert.rejects(loadCatalogue(join(dir, 'none.json')), (error: unknown) => error instanceof TingxieError && error.code === 'FILE_NOT_FOUND');
    writeFileSync(join(dir, 'bad.json'), '{ "schemaVersion": 1,');
    await assert.rejects(loadCatalogue(join(dir, 'bad.json')), (error: unknown) => error instanceof TingxieError && error.code === 'CONFIG_INVALID');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resolveDataDir prefers TINGXIE_HOME, else ~/.tingxie; models live in <dataDir>/models', () => {
  assert.equal(resolveDataDir({}, '/home/li'), '/home/li/.tingxie');
  assert.equal(resolveDataDir({ TINGXIE_HOME: '  ' }, '/home/li'), '/home/li/.tingxie');
  assert.equal(resolveDataDir({ TINGXIE_HOME: '/data/tx' }, '/home/li'), '/data/tx');
  assert.equal(defaultModelsDir('/data/tx'), '/data/tx/models');
});

function fakeStream(isTTY: boolean): { stream: ProgressStream; output: () => string } {
  const chunks: Buffer[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 100 });
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, output: () => Buffer.concat(chunks).toString('utf8') };
}

test('the pull progress renderer draws a bar on a TTY and stays silent otherwise', async () => {
  const events = [
    { phase: 'download', bytesDone: 0, bytesTotal: 4 * 1024 * 1024, resumedFrom: 0, bytesPerSecond: 0 },
    { phase: 'download', bytesDone: 2 * 1024 * 1024, bytesTotal: 4 * 1024 * 1024, resumedFrom: 0, bytesPerSecond: 1024 * 1024 },
    { phase: 'download', bytesDone: 4 * 1024 * 1024, bytesTotal: 4 * 1024 * 1024, resumedFrom: 0, bytesPerSecond: 1024 * 1024 },
    { phase: 'extract', bytesDone: 4 * 1024 * 1024, bytesTotal: 4 * 1024 * 1024 },
    { phase: 'verify' },
    { phase: 'install' },
  ] as const;

  const piped = fakeStream(false);
  const quiet = createPullProgressRenderer(piped.stream);
  for (const event of events) quiet.update(event);
  quiet.stop();

  const terminal = fakeStream(true);
  const renderer = createPullProgressRenderer(terminal.stream);
  for (const event of events) renderer.update(event);
  renderer.stop();
  await new Promise((resolve) => setImmediate(resolve));

  assert.equal(piped.output(), '');
  const drawn = terminal.output();
  assert.match(drawn, /downloading/);
  assert.match(drawn, /4\.0 MiB/);
  assert.match(drawn, /1\.0 MiB\/s/);
  assert.match(drawn, /extracting/);
});

test('formatBytes uses binary units', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(163_002_883), '155.5 MiB');
  assert.equal(formatBytes(3 * 1024 ** 3), '3.0 GiB');
});
