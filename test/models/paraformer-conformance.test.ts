/**
 * Paraformer: Tingxie's decode equals sherpa-onnx-node's (the reference) on the Paraformer FIXTURE models
 * — tokens, text and timestamps — for real speech, synthetic speech, silence and noise; the text/timestamp
 * rules on sherpa-onnx's documented outputs; and bad model folders give typed errors naming the field.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';
import { loadAsrModel, type AsrModel } from '../../engine/src/models/asr-model.ts';
import { detectModelFamily } from '../../engine/src/models/family.ts';
import { paraformerGreedyDecode, paraformerText, paraformerTimestamps } from '../../engine/src/models/paraformer.ts';
import { Transcriber } from '../../engine/src/pipeline/transcriber.ts';
import { parseHotwords } from '../../engine/src/text/hotwords/list.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../../engine/src/vad/segmenter.ts';
import { SileroVad } from '../../engine/src/vad/silero.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { PARAFORMER_FIXTURE_NAME, PARAFORMER_NO_TIMESTAMPS_FIXTURE_NAME, buildParaformerFixture, type ParaformerFixtureOptions } from '../../models/fixtures/paraformer-fixtures.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { LIBRISPEECH_CLIP, whiteNoise } from '../helpers/speech-clips.ts';
import { addCommonConformanceInputs } from './conformance-inputs.ts';
import { readWave16k, sherpaParaformer } from './sherpa-reference.ts';

let temp: { dir: string; cleanup: () => Promise<void> };
const inputs = new Map<string, Float32Array>();

before(async () => {
  temp = await makeTempDir('paraformer');
  await addCommonConformanceInputs(inputs, temp.dir);
  const aishell = inputs.get('aishell (real zh speech)')!;
  // LFR edges: one fbank frame (25 ms), lengths just past a multiple of 6 frames, and too short for any frame.
  inputs.set('25 ms noise', whiteNoise(0.025, 0.3, 8));
  inputs.set('85.06 ms noise', whiteNoise(1361 / 16000, 0.3, 9));
  inputs.set('10 ms noise (no fbank frame)', whiteNoise(0.01, 0.3, 10));
  inputs.set('speech cut at 1.2345 s', aishell.slice(8000, 8000 + 19752));
});

after(async () => {
  await temp?.cleanup();
});

const SPEECH = ['aishell (real zh speech)', 'librispeech (real en speech)', 'espeak cmn', 'espeak en'];

for (const [fixtureName, withTimestamps] of [
  [PARAFORMER_FIXTURE_NAME, true],
  [PARAFORMER_NO_TIMESTAMPS_FIXTURE_NAME, false],
] as const) {
  describe(`conformance with sherpa-onnx-node: ${fixtureName}`, () => {
    let dir: string;
    let model: AsrModel;

    before(async () => {
      dir = await fixtureDir(fixtureName);
      model = await loadAsrModel(dir, { threads: 1 });
    });
    after(async () => {
      await model?.release();
    });

    it('loads as a Paraformer fixture on the CPU', () => {
      assert.equal(model.family, 'paraformer');
      assert.equal(model.isFixture, true);
      assert.equal(model.device, 'cpu');
    });

    it('gives the same tokens, text and timestamps as sherpa-onnx for every input', async () => {
      const reference = sherpaParaformer(dir);
      for (const [label, samples] of inputs) {
        const ours = await model.recognize(samples, { language: 'auto', useItn: false });
        const theirs = reference(samples);
        assert.deepEqual(ours.tokens, theirs.tokens, `${label}: tokens`);
        assert.equal(ours.text, theirs.text.trim(), `${label}: text`);
        assert.equal(ours.timestamps.length, theirs.timestamps.length, `${label}: number of timestamps`);
        ours.timestamps.forEach((t, i) => assert.ok(Math.abs(t - theirs.timestamps[i]!) <= 1e-6, `${label}: timestamp ${i}: ${t} vs ${theirs.timestamps[i]}`));
        assert.equal(ours.language, null);
        assert.equal(ours.itn, null);
      }
    });

    it('gives non-trivial, input-dependent token sequences on speech', async () => {
      const sequences = new Set<string>();
      for (const label of SPEECH) {
        const result = await model.recognize(inputs.get(label)!, { language: 'auto', useItn: false });
        assert.ok(result.tokens.length >= 5, `${label}: only ${result.tokens.length} tokens`);
        assert.equal(result.tokenIds.length, result.tokens.length);
        sequences.add(result.tokenIds.join(','));
      }
      assert.equal(sequences.size, SPEECH.length, 'different inputs must give different token sequences');
    });

    it(withTimestamps ? 'gives one increasing timestamp per token on speech, within the audio' : 'gives no timestamps (the export has no us_cif_peak)', async () => {
      for (const label of SPEECH) {
        const samples = inputs.get(label)!;
        const result = await model.recognize(samples, { language: 'auto', useItn: false });
        if (!withTimestamps) {
          assert.deepEqual(result.timestamps, [], label);
          continue;
        }
        assert.equal(result.timestamps.length, result.tokens.length, `${label}: timestamps per token`);
        for (let i = 1; i < result.timestamps.length; i++) assert.ok(result.timestamps[i]! > result.timestamps[i - 1]!, `${label}: increasing`);
        assert.ok(result.timestamps[0]! >= 0 && result.timestamps.at(-1)! < samples.length / 16000, `${label}: within the audio`);
      }
    });
  });
}

describe('Paraformer with hotwords', () => {
  it('corrects the text with the list (decoding itself is not biased: same token ids)', async () => {
    const model = await loadAsrModel(await fixtureDir(PARAFORMER_FIXTURE_NAME), { threads: 1 });
    try {
      const samples = inputs.get('aishell (real zh speech)')!;
      const plain = await model.recognize(samples, { language: 'auto', useItn: false });
      const from = plain.text.slice(0, 2);
      assert.equal([...from].length, 2, 'the fixture gives at least two CJK characters here');
      const corrected = await model.recognize(samples, { language: 'auto', useItn: false, hotwords: parseHotwords(`${from}=>梓涌`, 'lines') });
      assert.equal(corrected.text, `梓涌${plain.text.slice(2)}`);
      assert.deepEqual(corrected.tokenIds, plain.tokenIds);
      assert.deepEqual(corrected.hotwords?.corrections.map((c) => [c.from, c.to, c.start]), [[from, '梓涌', 0]]);
      assert.deepEqual(corrected.tokens.slice(0, 2), ['梓', '涌']);
    } finally {
      await model.release();
    }
  });
});

describe('Paraformer decoding rules', () => {
  it('joins tokens into text as sherpa-onnx does (its documented paraformer-zh output)', () => {
    const tokens = ['ye@@', 'ster@@', 'day', 'was', '星', '期', '一', 'today', 'is', 'tu@@', 'es@@', 'day', '明', '天', '是', '星', '期', '三'];
    assert.equal(paraformerText(tokens), 'yesterday was 星期一 today is tuesday 明天是星期三');
    assert.equal(paraformerText(['after', 'early', 'ni@@', 'ght@@', 'fall', 'the']), 'after early nightfall the');
    assert.equal(paraformerText(['对', '我', '做', '了']), '对我做了');
    assert.equal(paraformerText([]), '');
  });

  it('greedy decoding takes each row’s argmax and stops at </s>', () => {
    const V = 4;
    const eos = 2;
    // Rows: argmax 3, 1, 2 (</s>), 3.
    const logits = Float32Array.from([0, 1, 0, 5, 0, 9, 1, 2, 0, 0, 7, 1, 0, 0, 0, 8]);
    assert.deepEqual(paraformerGreedyDecode(logits, 4, V, eos), [3, 1]);
    assert.deepEqual(paraformerGreedyDecode(logits, 2, V, eos), [3, 1]);
    // Ties go to the first maximum.
    assert.deepEqual(paraformerGreedyDecode(Float32Array.from([4, 4, 0, 4]), 1, V, eos), [0]);
  });

  it('timestamps: 20 ms per peak sub-frame, the last peak dropped, none when the count differs', () => {
    const peaks = new Float32Array(30);
    for (const k of [3, 10, 17, 29]) peaks[k] = 1.2;
    peaks[5] = 0.99; // below 1 − 1e-4: not a peak
    const times = paraformerTimestamps(peaks, 3);
    assert.deepEqual(times.map((t) => Math.round(t * 1000)), [60, 200, 340]);
    assert.deepEqual(paraformerTimestamps(peaks, 4), []);
    assert.deepEqual(paraformerTimestamps(new Float32Array(5), 0), []);
  });
});

describe('Paraformer model folders', () => {
  let counter = 0;
  async function writeVariant(opts: ParaformerFixtureOptions = {}, edit?: (dir: string) => Promise<void>): Promise<string> {
    const dir = join(temp.dir, `variant-${counter++}`);
    await mkdir(dir, { recursive: true });
    for (const [name, contents] of Object.entries(buildParaformerFixture(undefined, opts).files)) await writeFile(join(dir, name), contents);
    await edit?.(dir);
    return dir;
  }

  async function rejects(dir: string, code: string, field: string | null, ...fragments: string[]): Promise<void> {
    let caught: unknown;
    try {
      const model = await loadAsrModel(dir, { threads: 1 });
      await model.release();
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof TingxieError, `expected a TingxieError ${code}, got ${String(caught)}`);
    assert.equal(caught.code, code, caught.message);
    if (field !== null) assert.equal(caught.detail?.field, field, caught.message);
    for (const fragment of fragments) assert.ok(caught.message.includes(fragment), `message ${JSON.stringify(caught.message)} lacks ${JSON.stringify(fragment)}`);
  }

  it('is detected by model_type without the install record, and by its signature without model_type', async () => {
    const byType = await writeVariant({}, (dir) => rm(join(dir, 'tingxie-model.json')));
    const detected = await detectModelFamily(byType);
    assert.equal(detected.family, 'paraformer');
    assert.equal(detected.detectedBy, 'metadata');
    assert.equal(detected.isFixture, true, 'the FIXTURE comment marks it');
    const bySignature = await writeVariant({ metadataOverrides: { model_type: null } }, (dir) => rm(join(dir, 'tingxie-model.json')));
    assert.equal((await detectModelFamily(bySignature)).family, 'paraformer');
  });

  it('prefers model.int8.onnx when both exports are present, as sherpa-onnx folders ship them', async () => {
    const dir = await writeVariant({}, (d) => copyFile(join(d, 'model.onnx'), join(d, 'model.int8.onnx')));
    const model = await loadAsrModel(dir, { threads: 1 });
    try {
      assert.equal(model.modelFile, join(dir, 'model.int8.onnx'));
      assert.equal(model.family, 'paraformer');
    } finally {
      await model.release();
    }
  });

  it('missing files are MODEL_NOT_FOUND naming what is missing', async () => {
    await rejects(await writeVariant({}, (dir) => rm(join(dir, 'model.onnx'))), ErrorCodes.MODEL_NOT_FOUND, null, 'model.int8.onnx or model.onnx');
    await rejects(await writeVariant({}, (dir) => rm(join(dir, 'tokens.txt'))), ErrorCodes.MODEL_NOT_FOUND, null, 'tokens.txt');
  });

  it('bad or missing metadata is MODEL_INVALID naming the field', async () => {
    await rejects(await writeVariant({ metadataOverrides: { neg_mean: null } }), ErrorCodes.MODEL_INVALID, 'neg_mean', 'neg_mean', 'missing');
    await rejects(await writeVariant({ metadataOverrides: { inv_stddev: '1,2,3' } }), ErrorCodes.MODEL_INVALID, 'inv_stddev', 'has 3 values, expected 560');
    await rejects(await writeVariant({ metadataOverrides: { lfr_window_size: 'seven' } }), ErrorCodes.MODEL_INVALID, 'lfr_window_size', 'not an integer');
    await rejects(await writeVariant({ metadataOverrides: { lfr_window_shift: '0' } }), ErrorCodes.MODEL_INVALID, 'lfr_window_shift', 'must be positive');
    await rejects(await writeVariant({ metadataOverrides: { vocab_size: '9999' } }), ErrorCodes.MODEL_INVALID, 'vocab_size', 'vocab_size 9999');
  });

  it('a graph without Paraformer’s inputs is MODEL_INVALID naming the input', async () => {
    const renamed = await writeVariant({ inputRenames: { speech_lengths: 'x_length' } });
    await rejects(renamed, ErrorCodes.MODEL_INVALID, 'speech_lengths', 'no input "speech_lengths"');
  });

  it('tokens.txt without </s> is MODEL_INVALID', async () => {
    const dir = await writeVariant({}, async (d) => {
      const text = await readFile(join(d, 'tokens.txt'), 'utf8');
      await writeFile(join(d, 'tokens.txt'), text.replace('</s> 2\n', '<eos> 2\n'));
    });
    await rejects(dir, ErrorCodes.MODEL_INVALID, '</s>', 'no </s> token');
  });
});

describe('Paraformer in the transcription pipeline', () => {
  it('transcribes a real recording through VAD segments (≤ 30 s) and whole-file, with per-token times inside each segment', async () => {
    const dir = await fixtureDir(PARAFORMER_FIXTURE_NAME);
    const model = await loadAsrModel(dir, { threads: 1 });
    const vad = await SileroVad.create({ threads: 1 });
    const file = LIBRISPEECH_CLIP;
    try {
      const base = { language: 'auto' as const, useItn: false, vadOptions: validateVadOptions({ ...DEFAULT_VAD_OPTIONS, maxSegmentS: 30 }) };
      const segmented = await new Transcriber({ model, vad }).transcribeFile(file, { ...base, vad: true });
      assert.equal(segmented.model.family, 'paraformer');
      assert.equal(segmented.model.fixture, true);
      assert.ok(segmented.segments.length >= 1);
      for (const segment of segmented.segments) {
        assert.ok(segment.endS - segment.startS <= 30 + 1e-6);
        assert.ok(segment.tokens.length > 0 && segment.text.length > 0);
        assert.equal(segment.timestamps.length, segment.tokens.length);
        for (const t of segment.timestamps) assert.ok(t >= segment.startS && t < segment.endS, `${t} outside [${segment.startS}, ${segment.endS})`);
      }
      const whole = await new Transcriber({ model, vad: null }).transcribeFile(file, { ...base, vad: false });
      const direct = await model.recognize(readWave16k(file), { language: 'auto', useItn: false });
      assert.equal(whole.rawText, direct.text);
      assert.deepEqual(whole.segments[0]?.tokens, direct.tokens);
    } finally {
      await vad.release();
      await model.release();
    }
  });

  it('CUDA without the CUDA provider is DEVICE_UNAVAILABLE, or runs on the CPU when asked to fall back', async () => {
    const dir = await fixtureDir(PARAFORMER_FIXTURE_NAME);
    let caught: unknown;
    try {
      const model = await loadAsrModel(dir, { device: 'cuda', threads: 1, onCudaUnavailable: 'fail' });
      // A machine with a usable CUDA provider gets a CUDA session instead.
      assert.match(model.device, /^cuda:0$/);
      await model.release();
      return;
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof TingxieError && caught.code === ErrorCodes.DEVICE_UNAVAILABLE, String(caught));
    const fallback = await loadAsrModel(dir, { device: 'cuda', threads: 1, onCudaUnavailable: 'cpu' });
    try {
      assert.equal(fallback.device, 'cpu');
      const result = await fallback.recognize(inputs.get('aishell (real zh speech)')!, { language: 'auto', useItn: false });
      assert.ok(result.tokens.length > 0);
    } finally {
      await fallback.release();
    }
  });
});
