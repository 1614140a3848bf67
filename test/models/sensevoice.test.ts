/**
 * SenseVoice loading: ONNX metadata reading, tokens.txt parsing, family detection (manifest override),
 * metadata validation, device selection, and recognize() edge cases — on the FIXTURE models.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { InferenceSession } from 'onnxruntime-node';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';
import { loadAsrModel } from '../../engine/src/models/asr-model.ts';
import { createDeviceSession, cudaProviderInstalled, parseDevice, sessionOptionsFor } from '../../engine/src/models/device.ts';
import { detectModelFamily, senseVoiceConfig } from '../../engine/src/models/family.ts';
import { readOnnxModelInfo } from '../../engine/src/models/onnx-metadata.ts';
import { parseTokens } from '../../engine/src/models/tokens.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { CONFORMANCE_FIXTURE_NAME, buildConformanceFixture, type MetadataOverrides } from '../../models/fixtures/sensevoice-fixtures.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';

/** Asserts that `fn` rejects with a TingxieError of `code` whose message matches every pattern. */
async function rejectsWith(fn: () => Promise<unknown>, code: string, ...patterns: Array<RegExp | string>): Promise<TingxieError> {
  let caught: unknown;
  try {
    await fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof TingxieError, `expected a TingxieError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  for (const p of patterns) {
    if (typeof p === 'string') assert.ok(caught.message.includes(p), `message ${JSON.stringify(caught.message)} lacks ${JSON.stringify(p)}`);
    else assert.match(caught.message, p);
  }
  return caught;
}

let temp: { dir: string; cleanup: () => Promise<void> };
let counter = 0;

/** Writes a conformance fixture variant into a fresh folder; `withoutManifest` drops tingxie-model.json. */
async function writeVariant(overrides: MetadataOverrides = {}, opts: { withoutManifest?: boolean; manifest?: Record<string, unknown> } = {}): Promise<string> {
  const dir = join(temp.dir, `variant-${counter++}`);
  await mkdir(dir, { recursive: true });
  const { files } = buildConformanceFixture(20251125, overrides);
  for (const [name, contents] of Object.entries(files)) await writeFile(join(dir, name), contents);
  if (opts.withoutManifest) await rm(join(dir, 'tingxie-model.json'));
  if (opts.manifest) await writeFile(join(dir, 'tingxie-model.json'), JSON.stringify(opts.manifest));
  return dir;
}

before(async () => {
  temp = await makeTempDir('sensevoice');
});
after(async () => {
  await temp?.cleanup();
});

describe('readOnnxModelInfo', () => {
  it('reads custom metadata and the graph inputs/outputs of a fixture', async () => {
    const dir = await fixtureDir(CONFORMANCE_FIXTURE_NAME);
    const info = await readOnnxModelInfo(join(dir, 'model.onnx'));
    assert.equal(info.metadata.get('lfr_window_size'), '7');
    assert.equal(info.metadata.get('lang_en'), '4');
    assert.equal(info.producerName, 'tingxie-fixture-writer');
    assert.deepEqual(
      info.inputs.map((i) => i.name),
      ['x', 'x_length', 'language', 'text_norm'],
    );
  });

  it('a truncated file is MODEL_INVALID naming the file', async () => {
    const dir = await writeVariant();
    const file = join(dir, 'model.onnx');
    await truncate(file, 5000);
    await rejectsWith(() => readOnnxModelInfo(file), ErrorCodes.MODEL_INVALID, file);
  });

  it('a non-ONNX file is MODEL_INVALID, a missing one MODEL_NOT_FOUND', async () => {
    const file = join(temp.dir, 'not-a-model.onnx');
    await writeFile(file, 'this is plain text, not protobuf\n');
    await rejectsWith(() => readOnnxModelInfo(file), ErrorCodes.MODEL_INVALID, file);
    const empty = join(temp.dir, 'empty.onnx');
    await writeFile(empty, '');
    await rejectsWith(() => readOnnxModelInfo(empty), ErrorCodes.MODEL_INVALID, 'empty');
    await rejectsWith(() => readOnnxModelInfo(join(temp.dir, 'nope.onnx')), ErrorCodes.MODEL_NOT_FOUND, 'nope.onnx');
  });
});

describe('parseTokens', () => {
  it('parses SYMBOL ID lines; ▁ at the start becomes a space in text()', () => {
    const table = parseTokens('<unk> 0\n▁hello 1\n你 2\n\n', 'tokens.txt');
    assert.equal(table.size, 3);
    assert.equal(table.symbol(1), '▁hello');
    assert.equal(table.text(1), ' hello');
    assert.equal(table.text(2), '你');
    assert.equal(table.id('你'), 2);
  });

  it('names the file and line of each problem', () => {
    const bad = (contents: string, ...patterns: RegExp[]): void => {
      assert.throws(
        () => parseTokens(contents, '/m/tokens.txt'),
        (error: unknown) => error instanceof TingxieError && error.code === ErrorCodes.MODEL_INVALID && patterns.every((p) => p.test(error.message)),
      );
    };
    bad('<unk> 0\na b c\n', /\/m\/tokens\.txt line 2/, /expected "SYMBOL ID"/);
    bad('<unk> 0\nx one\n', /line 2/, /not a non-negative integer/);
    bad('<unk> 0\nx 0\n', /line 2/, /used twice/);
    bad('<unk> 0\nx 2\n', /id 1 is missing/);
    bad('\n\n', /has no tokens/);
  });
});

describe('detectModelFamily', () => {
  it('uses the manifest family when present, the metadata otherwise; fixtures are flagged either way', async () => {
    const withManifest = await detectModelFamily(await writeVariant());
    assert.equal(withManifest.family, 'sense_voice');
    assert.equal(withManifest.detectedBy, 'manifest');
    assert.equal(withManifest.isFixture, true);
    const withoutManifest = await detectModelFamily(await writeVariant({}, { withoutManifest: true }));
    assert.equal(withoutManifest.detectedBy, 'metadata');
    assert.equal(withoutManifest.isFixture, true, 'the fixture comment marks it');
    assert.match(withoutManifest.modelFile, /model\.onnx$/);
  });

  it('the manifest family overrides what the metadata says', async () => {
    const dir = await writeVariant({ model_type: 'something_else' }, { manifest: { family: 'sense_voice', schemaVersion: 1, id: 'x' } });
    assert.equal((await detectModelFamily(dir)).family, 'sense_voice');
    const unknown = await writeVariant({ model_type: 'something_else' }, { withoutManifest: true });
    await rejectsWith(() => detectModelFamily(unknown), ErrorCodes.MODEL_UNKNOWN_FAMILY, 'something_else');
    const unsupported = await writeVariant({}, { manifest: { family: 'moonshine' } });
    await rejectsWith(() => detectModelFamily(unsupported), ErrorCodes.MODEL_UNKNOWN_FAMILY, '"moonshine"');
    // Whisper is supported, but a SenseVoice folder has no Whisper files.
    const whisper = await writeVariant({}, { manifest: { family: 'whisper' } });
    await rejectsWith(() => detectModelFamily(whisper), ErrorCodes.MODEL_NOT_FOUND, 'no Whisper model');
  });

  it('rejects Fun-ASR-Nano (comment with "Nano") without a manifest', async () => {
    const dir = await writeVariant({ comment: 'Fun-ASR-Nano test' }, { withoutManifest: true });
    await rejectsWith(() => detectModelFamily(dir), ErrorCodes.MODEL_UNKNOWN_FAMILY, 'Nano');
  });

  it('prefers model.int8.onnx unless the manifest names the file', async () => {
    const dir = await writeVariant({}, { withoutManifest: true });
    await copyFile(join(dir, 'model.onnx'), join(dir, 'model.int8.onnx'));
    assert.match((await detectModelFamily(dir)).modelFile, /model\.int8\.onnx$/);
    await writeFile(join(dir, 'tingxie-model.json'), JSON.stringify({ family: 'sense_voice', modelFile: 'model.onnx' }));
    assert.match((await detectModelFamily(dir)).modelFile, /[/\\]model\.onnx$/);
    await writeFile(join(dir, 'tingxie-model.json'), JSON.stringify({ modelFile: 'missing.onnx' }));
    await rejectsWith(() => detectModelFamily(dir), ErrorCodes.MODEL_NOT_FOUND, 'missing.onnx');
  });

  it('reports missing folders, model files and tokens, and broken manifests', async () => {
    await rejectsWith(() => detectModelFamily(join(temp.dir, 'no-such-dir')), ErrorCodes.MODEL_NOT_FOUND, 'no-such-dir');
    const noModel = await writeVariant();
    await rm(join(noModel, 'model.onnx'));
    await rejectsWith(() => detectModelFamily(noModel), ErrorCodes.MODEL_NOT_FOUND, 'model.int8.onnx or model.onnx');
    const noTokens = await writeVariant();
    await rm(join(noTokens, 'tokens.txt'));
    await rejectsWith(() => detectModelFamily(noTokens), ErrorCodes.MODEL_NOT_FOUND, 'tokens.txt');
    const badManifest = await writeVariant();
    await writeFile(join(badManifest, 'tingxie-model.json'), '{ not json');
    await rejectsWith(() => detectModelFamily(badManifest), ErrorCodes.MODEL_INVALID, 'tingxie-model.json', 'not valid JSON');
  });
});

describe('SenseVoice metadata validation', () => {
  for (const key of ['vocab_size', 'lfr_window_size', 'lfr_window_shift', 'normalize_samples', 'with_itn', 'without_itn', 'lang_auto', 'lang_ko', 'neg_mean', 'inv_stddev']) {
    it(`a model without ${key} is MODEL_INVALID naming ${key} and the file`, async () => {
      const dir = await writeVariant({ [key]: null });
      await rejectsWith(() => loadAsrModel(dir), ErrorCodes.MODEL_INVALID, key, join(dir, 'model.onnx'), 'missing');
    });
  }

  it('explains wrong CMVN lengths and bad values', async () => {
    const eighty = Array.from({ length: 80 }, () => '-10').join(',');
    await rejectsWith(
      async () => loadAsrModel(await writeVariant({ neg_mean: eighty })),
      ErrorCodes.MODEL_INVALID,
      'neg_mean has 80 values, expected 560 (lfr_window_size 7 × 80 bins)',
    );
    const withNaN = Array.from({ length: 560 }, (_, i) => (i === 3 ? 'abc' : '0.2')).join(',');
    await rejectsWith(async () => loadAsrModel(await writeVariant({ inv_stddev: withNaN })), ErrorCodes.MODEL_INVALID, 'inv_stddev value 3');
    await rejectsWith(async () => loadAsrModel(await writeVariant({ vocab_size: 'many' })), ErrorCodes.MODEL_INVALID, 'vocab_size is not an integer');
    await rejectsWith(async () => loadAsrModel(await writeVariant({ blank_id: '100000' })), ErrorCodes.MODEL_INVALID, 'blank_id');
    await rejectsWith(async () => loadAsrModel(await writeVariant({ normalize_samples: '2' })), ErrorCodes.MODEL_INVALID, 'normalize_samples');
  });

  it('vocab_size must match tokens.txt', async () => {
    const dir = await writeVariant({ vocab_size: '10' });
    await rejectsWith(() => loadAsrModel(dir), ErrorCodes.MODEL_INVALID, 'tokens.txt', 'vocab_size 10');
  });

  it('builds the config with sherpa-onnx defaults (blank_id 0)', async () => {
    const info = await readOnnxModelInfo(join(await fixtureDir(CONFORMANCE_FIXTURE_NAME), 'model.onnx'));
    const config = senseVoiceConfig(info);
    assert.equal(config.blankId, 0);
    assert.equal(config.lfrWindowSize, 7);
    assert.equal(config.lfrWindowShift, 6);
    assert.equal(config.normalizeSamples, false);
    assert.deepEqual(config.languageIds, { auto: 0, zh: 3, en: 4, ja: 11, ko: 12, yue: 7 });
    assert.equal(config.withItnId, 14);
    assert.equal(config.withoutItnId, 15);
    assert.equal(config.integerInputType, 'int32');
  });
});

describe('devices', () => {
  it('parses cpu, cuda and cuda:N; rejects anything else with DEVICE_INVALID', () => {
    assert.deepEqual(parseDevice('cpu'), { kind: 'cpu' });
    assert.deepEqual(parseDevice('CUDA'), { kind: 'cuda', deviceId: 0 });
    assert.deepEqual(parseDevice(' cuda:2 '), { kind: 'cuda', deviceId: 2 });
    for (const bad of ['gpu', 'cuda:', 'cuda:x', 'cuda:-1', '', 'cpu:0']) {
      assert.throws(
        () => parseDevice(bad),
        (e: unknown) => e instanceof TingxieError && e.code === ErrorCodes.DEVICE_INVALID && e.message.includes(JSON.stringify(bad)),
      );
    }
  });

  it('session options: threads intra-op, one inter-op, all optimizations, CUDA then CPU providers', () => {
    assert.deepEqual(sessionOptionsFor({ kind: 'cpu' }, 3), {
      executionProviders: ['cpu'],
      intraOpNumThreads: 3,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      logSeverityLevel: 4,
    });
    assert.deepEqual(sessionOptionsFor({ kind: 'cuda', deviceId: 1 }, 2).executionProviders, [{ name: 'cuda', deviceId: 1 }, 'cpu']);
    assert.throws(() => sessionOptionsFor({ kind: 'cpu' }, 0), (e: unknown) => e instanceof TingxieError && e.code === ErrorCodes.CONFIG_INVALID);
  });

  it('a failing CUDA session is DEVICE_UNAVAILABLE, or a CPU session when falling back', async () => {
    const fakeSession = {} as InferenceSession;
    const requested: InferenceSession.SessionOptions[] = [];
    const createSession = async (options: InferenceSession.SessionOptions): Promise<InferenceSession> => {
      requested.push(options);
      if (options.executionProviders?.some((p) => p !== 'cpu')) throw new Error('Failed to load libcudart.so.12\nmore detail');
      return fakeSession;
    };
    const error = await rejectsWith(
      () => createDeviceSession({ device: { kind: 'cuda', deviceId: 0 }, threads: 1, createSession, cudaInstalled: () => true }),
      ErrorCodes.DEVICE_UNAVAILABLE,
      'CUDA is not available on cuda:0',
      'libcudart.so.12',
      "README 'GPU'",
    );
    assert.doesNotMatch(error.message, /more detail/);
    const fallback = await createDeviceSession({ device: { kind: 'cuda', deviceId: 0 }, threads: 1, createSession, cudaInstalled: () => true, onCudaUnavailable: 'cpu' });
    assert.equal(fallback.session, fakeSession);
    assert.deepEqual(fallback.device, { kind: 'cpu' });
    assert.match(fallback.fallbackReason ?? '', /CUDA is not available/);
    assert.deepEqual(requested.at(-1)?.executionProviders, ['cpu']);
    // Without the provider library, no CUDA session is even attempted.
    const before = requested.length;
    await rejectsWith(
      () => createDeviceSession({ device: { kind: 'cuda', deviceId: 0 }, threads: 1, createSession, cudaInstalled: () => false }),
      ErrorCodes.DEVICE_UNAVAILABLE,
      'installed without its CUDA binaries',
    );
    assert.equal(requested.length, before);
  });

  it('loadAsrModel on cuda: DEVICE_UNAVAILABLE here (no CUDA binaries), CPU with the fallback', async () => {
    const dir = await fixtureDir(CONFORMANCE_FIXTURE_NAME);
    if (!cudaProviderInstalled()) {
      await rejectsWith(() => loadAsrModel(dir, { device: 'cuda' }), ErrorCodes.DEVICE_UNAVAILABLE, 'CUDA is not available', "README 'GPU'");
      const model = await loadAsrModel(dir, { device: 'cuda:0', onCudaUnavailable: 'cpu', threads: 1 });
      assert.equal(model.device, 'cpu');
      await model.release();
    } else {
      // A machine with the CUDA binaries: the model loads on the GPU or reports DEVICE_UNAVAILABLE, never anything else.
      try {
        const model = await loadAsrModel(dir, { device: 'cuda' });
        assert.equal(model.device, 'cuda:0');
        await model.release();
      } catch (error) {
        assert.ok(error instanceof TingxieError && error.code === ErrorCodes.DEVICE_UNAVAILABLE, String(error));
      }
    }
    await rejectsWith(() => loadAsrModel(dir, { device: 'tpu' }), ErrorCodes.DEVICE_INVALID, 'tpu');
  });
});

describe('SenseVoiceModel.recognize', () => {
  it('audio shorter than one fbank frame gives an empty result; one frame is enough to decode', async () => {
    const model = await loadAsrModel(await fixtureDir(CONFORMANCE_FIXTURE_NAME), { threads: 1 });
    try {
      const empty = await model.recognize(new Float32Array(399), { language: 'auto', useItn: true });
      assert.deepEqual(empty, { text: '', tokens: [], tokenIds: [], timestamps: [], language: null, emotion: null, event: null, itn: null, numFrames: 0 });
      assert.equal((await model.recognize(new Float32Array(0), { language: 'auto', useItn: true })).numFrames, 0);
      const one = await model.recognize(new Float32Array(400), { language: 'ko', useItn: false });
      assert.equal(one.numFrames, 1);
      assert.equal(one.language, 'ko');
      assert.equal(one.itn, false);
      // 161 fbank frames → ⌈161 / 6⌉ LFR frames
      assert.equal((await model.recognize(new Float32Array(400 + 160 * 160), { language: 'auto', useItn: true })).numFrames, 27);
    } finally {
      await model.release();
    }
    await rejectsWith(() => model.recognize(new Float32Array(16000), { language: 'auto', useItn: true }), ErrorCodes.INTERNAL, 'release');
  });

  it('an inference error is MODEL_INFERENCE_FAILED', async () => {
    // lang_zh = 99 is outside the fixture's 16-row language table, so Gather fails at run time.
    const model = await loadAsrModel(await writeVariant({ lang_zh: '99' }), { threads: 1 });
    try {
      await rejectsWith(() => model.recognize(new Float32Array(16000), { language: 'zh', useItn: true }), ErrorCodes.MODEL_INFERENCE_FAILED, 'inference failed');
    } finally {
      await model.release();
    }
  });
});
