/**
 * Conformance: Tingxie's whole-file SenseVoice decode equals sherpa-onnx-node's (the reference) on the
 * FIXTURE models — tokens exactly, timestamps within 1e-6 s, language/emotion/event tags — for real
 * speech, synthetic speech, silence and noise, with language auto/zh/en and ITN on/off.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { loadAsrModel, type AsrModel, type RecognitionLanguage, type RecognitionResult } from '../../engine/src/models/asr-model.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { CONFORMANCE_FIXTURE_NAME, TONE_FIXTURE_NAME } from '../../models/fixtures/sensevoice-fixtures.ts';
import { synthesizeToneSpeech, type ToneSpec } from '../../models/fixtures/tone.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { whiteNoise } from '../helpers/speech-clips.ts';
import { addCommonConformanceInputs } from './conformance-inputs.ts';
import { sherpaSenseVoice, type SherpaResult } from './sherpa-reference.ts';

function assertSameAsSherpa(ours: RecognitionResult, reference: SherpaResult, label: string): void {
  assert.deepEqual(ours.tokens, reference.tokens, `${label}: tokens`);
  assert.equal(ours.timestamps.length, reference.timestamps.length, `${label}: number of timestamps`);
  ours.timestamps.forEach((t, i) => assert.ok(Math.abs(t - reference.timestamps[i]) <= 1e-6, `${label}: timestamp ${i}: ${t} vs ${reference.timestamps[i]}`));
  assert.equal(ours.text, reference.text.trim(), `${label}: text`);
  assert.equal(`<|${ours.language}|>`, reference.lang, `${label}: language`);
  assert.equal(`<|${ours.emotion}|>`, reference.emotion, `${label}: emotion`);
  assert.equal(`<|${ours.event}|>`, reference.event, `${label}: event`);
}

describe('conformance with sherpa-onnx-node: conformance fixture', () => {
  let dir: string;
  let model: AsrModel;
  let temp: { dir: string; cleanup: () => Promise<void> };
  const inputs = new Map<string, Float32Array>();

  before(async () => {
    dir = await fixtureDir(CONFORMANCE_FIXTURE_NAME);
    model = await loadAsrModel(dir, { threads: 1 });
    temp = await makeTempDir('conformance');
    await addCommonConformanceInputs(inputs, temp.dir);
    // Edges of LFR padding: one fbank frame (25 ms), and lengths just past a multiple of 6 frames.
    inputs.set('25 ms noise', whiteNoise(0.025, 0.3, 8));
    inputs.set('85.06 ms noise', whiteNoise(1361 / 16000, 0.3, 9));
    inputs.set('speech cut at 1.2345 s', inputs.get('aishell (real zh speech)')!.slice(8000, 8000 + 19752));
  });

  after(async () => {
    await model?.release();
    await temp?.cleanup();
  });

  it('model is marked as a fixture', () => {
    assert.equal(model.isFixture, true);
    assert.equal(model.family, 'sense_voice');
    assert.equal(model.device, 'cpu');
  });

  for (const language of ['auto', 'zh', 'en'] as RecognitionLanguage[]) {
    for (const useItn of [true, false]) {
      it(`same result as sherpa-onnx for every input, language ${language}, ITN ${useItn ? 'on' : 'off'}`, async () => {
        const reference = sherpaSenseVoice(dir, language, useItn);
        for (const [label, samples] of inputs) {
          const ours = await model.recognize(samples, { language, useItn });
          assertSameAsSherpa(ours, reference(samples), `${label} (${language}, itn ${useItn})`);
          assert.equal(ours.itn, useItn, `${label}: ITN tag`);
          if (language !== 'auto') assert.equal(ours.language, language, `${label}: requested language tag`);
        }
      });
    }
  }

  it('gives non-trivial, input-dependent token sequences on speech', async () => {
    const sequences = new Map<string, string>();
    for (const label of ['aishell (real zh speech)', 'librispeech (real en speech)', 'espeak cmn', 'espeak en']) {
      const result = await model.recognize(inputs.get(label)!, { language: 'auto', useItn: true });
      assert.ok(result.tokens.length >= 5, `${label}: only ${result.tokens.length} tokens`);
      sequences.set(label, result.tokenIds.join(','));
    }
    assert.equal(new Set(sequences.values()).size, sequences.size, 'different inputs must give different token sequences');
  });

  it('timestamps are increasing and within the audio', async () => {
    const samples = inputs.get('librispeech (real en speech)')!;
    const result = await model.recognize(samples, { language: 'en', useItn: false });
    for (let i = 1; i < result.timestamps.length; i++) assert.ok(result.timestamps[i] > result.timestamps[i - 1]);
    assert.ok(result.timestamps[0] >= 0);
    assert.ok(result.timestamps.at(-1)! < samples.length / 16000);
  });
});

describe('conformance with sherpa-onnx-node: tone fixture', () => {
  it('decodes synthesized tones to the exact text, identically to sherpa-onnx', async () => {
    const dir = await fixtureDir(TONE_FIXTURE_NAME);
    const spec = JSON.parse(await readFile(`${dir}/tone-spec.json`, 'utf8')) as ToneSpec;
    const model = await loadAsrModel(dir, { threads: 1 });
    try {
      const cases: Array<[string, string]> = [
        ['二零二五年三月十二号下午三点', '二零二五年三月十二号下午三点'],
        // Repeated tokens survive CTC collapse thanks to the silent gaps; ▁ pieces become spaces.
        ['一一二二三三，hello world。', '一一二二三三， hello world。'],
        ['晚上八点半 the test one', '晚上八点半 the test one'],
      ];
      for (const [text, expected] of cases) {
        const samples = synthesizeToneSpeech(text, spec);
        for (const language of ['auto', 'zh'] as RecognitionLanguage[]) {
          const ours = await model.recognize(samples, { language, useItn: true });
          const reference = sherpaSenseVoice(dir, language, true)(samples);
          assertSameAsSherpa(ours, reference, `tones for ${text}`);
          assert.equal(ours.text, expected);
          assert.equal(ours.language, 'zh');
        }
      }
    } finally {
      await model.release();
    }
  });
});
