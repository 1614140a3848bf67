/**
 * The FIXTURE models: generation is deterministic and idempotent, they carry sherpa-onnx's SenseVoice
 * metadata and signature, they are labelled as fixtures, and the tone fixture's helpers work.
 */
import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadAsrModel } from '../../engine/src/models/asr-model.ts';
import { readOnnxModelInfo } from '../../engine/src/models/onnx-metadata.ts';
import { readTokens } from '../../engine/src/models/tokens.ts';
import { ensureFixtures, fixtureDir } from '../../models/fixtures/generate.ts';
import { CONFORMANCE_FIXTURE_NAME, FIXTURE_COMMENT, TONE_FIXTURE_NAME } from '../../models/fixtures/sensevoice-fixtures.ts';
import { melBinCentreHz, synthesizeToneSpeech, tokenizeForTones, writeWav16, type ToneSpec } from '../../models/fixtures/tone.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { readWave16k } from './sherpa-reference.ts';

/** Every metadata key sherpa-onnx's SenseVoice export writes (scripts/sense-voice/export-onnx.py). */
const SHERPA_KEYS = [
  'lfr_window_size',
  'lfr_window_shift',
  'normalize_samples',
  'neg_mean',
  'inv_stddev',
  'model_type',
  'version',
  'model_author',
  'maintainer',
  'vocab_size',
  'comment',
  'lang_auto',
  'lang_zh',
  'lang_en',
  'lang_yue',
  'lang_ja',
  'lang_ko',
  'lang_nospeech',
  'with_itn',
  'without_itn',
  'url',
];

describe('fixture generation', () => {
  let a: { dir: string; cleanup: () => Promise<void> };
  let b: { dir: string; cleanup: () => Promise<void> };

  before(async () => {
    a = await makeTempDir('fixtures-a');
    b = await makeTempDir('fixtures-b');
  });
  after(async () => {
    await a?.cleanup();
    await b?.cleanup();
  });

  it('is deterministic: two runs give byte-identical files', async () => {
    await ensureFixtures(a.dir);
    await ensureFixtures(b.dir);
    for (const name of [CONFORMANCE_FIXTURE_NAME, TONE_FIXTURE_NAME]) {
      const files = (await readdir(join(a.dir, name))).sort();
      assert.deepEqual(files, (await readdir(join(b.dir, name))).sort());
      assert.ok(files.includes('model.onnx') && files.includes('tokens.txt') && files.includes('tingxie-model.json'));
      for (const file of files) {
        assert.ok((await readFile(join(a.dir, name, file))).equals(await readFile(join(b.dir, name, file))), `${name}/${file} differs`);
      }
    }
  });

  it('is idempotent: an up-to-date folder is left alone, a stale stamp regenerates it', async () => {
    const again = await ensureFixtures(a.dir);
    assert.ok(again.length >= 2);
    assert.ok(again.every((r) => !r.generated), 'nothing regenerated');
    await writeFile(join(a.dir, TONE_FIXTURE_NAME, '.fixture-stamp'), 'stale\n');
    const reports = await ensureFixtures(a.dir);
    // Only the folder with the stale stamp is regenerated (every family's fixtures are listed).
    assert.deepEqual(
      reports.filter((r) => r.generated).map((r) => r.name),
      [TONE_FIXTURE_NAME],
    );
    assert.ok(reports.some((r) => r.name === CONFORMANCE_FIXTURE_NAME && !r.generated));
  });

  for (const name of [CONFORMANCE_FIXTURE_NAME, TONE_FIXTURE_NAME]) {
    it(`${name}: SenseVoice signature, sherpa-onnx metadata keys, labelled as a FIXTURE`, async () => {
      await ensureFixtures(a.dir);
      const dir = join(a.dir, name);
      assert.match(name, /fixture/);
      const info = await readOnnxModelInfo(join(dir, 'model.onnx'));
      for (const key of SHERPA_KEYS) assert.ok(info.metadata.has(key), `missing metadata ${key}`);
      assert.equal(info.metadata.get('comment'), FIXTURE_COMMENT);
      assert.doesNotMatch(info.metadata.get('comment')!, /Nano/);
      assert.equal(info.metadata.get('model_type'), 'sense_voice_ctc');
      assert.equal(info.irVersion, 8);
      const tokens = await readTokens(join(dir, 'tokens.txt'));
      assert.equal(Number(info.metadata.get('vocab_size')), tokens.size);
      assert.equal(tokens.symbol(0), '<unk>');
      for (const tag of ['<|zh|>', '<|en|>', '<|ja|>', '<|ko|>', '<|yue|>', '<|withitn|>', '<|woitn|>', '<|NEUTRAL|>', '<|Speech|>']) {
        assert.notEqual(tokens.id(tag), undefined, `missing token ${tag}`);
      }
      assert.equal(info.metadata.get('neg_mean')!.split(',').length, 560);
      assert.equal(info.metadata.get('inv_stddev')!.split(',').length, 560);
      assert.deepEqual(
        info.inputs.map((i) => [i.name, i.elemType, i.shape]),
        [
          ['x', 'float32', ['N', 'T', 560]],
          ['x_length', 'int32', ['N']],
          ['language', 'int32', ['N']],
          ['text_norm', 'int32', ['N']],
        ],
      );
      assert.deepEqual(
        info.outputs.map((o) => [o.name, o.elemType, o.shape]),
        [['logits', 'float32', ['N', 'T_out', tokens.size]]],
      );
      const manifest = JSON.parse(await readFile(join(dir, 'tingxie-model.json'), 'utf8')) as Record<string, unknown>;
      assert.equal(manifest.fixture, true);
      assert.equal(manifest.family, 'sense_voice');
    });
  }

  it('conformance fixture: realistic CMVN (normalized inputs are O(1))', async () => {
    await ensureFixtures(a.dir);
    const info = await readOnnxModelInfo(join(a.dir, CONFORMANCE_FIXTURE_NAME, 'model.onnx'));
    const negMean = info.metadata.get('neg_mean')!.split(',').map(Number);
    const invStddev = info.metadata.get('inv_stddev')!.split(',').map(Number);
    assert.ok(negMean.every((v) => v < -5 && v > -20));
    assert.ok(invStddev.every((v) => v > 0.1 && v < 0.35));
  });
});

describe('tone fixture helpers', () => {
  let dir: string;
  let spec: ToneSpec;
  before(async () => {
    dir = await fixtureDir(TONE_FIXTURE_NAME);
    spec = JSON.parse(await readFile(join(dir, 'tone-spec.json'), 'utf8')) as ToneSpec;
  });

  it('has the required vocabulary, each token on its own mel bin at its centre frequency', () => {
    const symbols = new Set(spec.tokens.map((t) => t.symbol));
    for (const ch of '零一二三四五六七八九十百千万亿两年月日号点分秒上下午晚半刻元块角，。') assert.ok(symbols.has(ch), `missing ${ch}`);
    for (const word of ['▁hello', '▁world', '▁the']) assert.ok(symbols.has(word), `missing ${word}`);
    assert.equal(new Set(spec.tokens.map((t) => t.melBin)).size, spec.tokens.length);
    for (const t of spec.tokens) {
      assert.ok(Math.abs(t.frequencyHz - melBinCentreHz(t.melBin, 80, 20, 8000)) < 1e-9);
      assert.ok(t.frequencyHz > 1000 && t.frequencyHz < 7800);
    }
  });

  it('tokenizes text by greedy longest match, spaces marking word starts', () => {
    assert.deepEqual(
      tokenizeForTones('十二号 hello world', spec).map((t) => t.symbol),
      ['十', '二', '号', '▁hello', '▁world'],
    );
    assert.deepEqual(
      tokenizeForTones('hello', spec).map((t) => t.symbol),
      ['▁hello'],
    );
    assert.throws(() => tokenizeForTones('二零X', spec), /no token for "X" at position 2/);
  });

  it('synthesizes tone + gap per token, in [-1, 1]', () => {
    const samples = synthesizeToneSpeech('一二三', spec, { toneMs: 200, gapMs: 120, amplitude: 0.5 });
    assert.equal(samples.length, 1920 + 3 * (3200 + 1920));
    assert.ok(samples.every((s) => Math.abs(s) <= 0.5));
    assert.ok(samples.subarray(0, 1920).every((s) => s === 0), 'leading gap is silent');
    assert.ok(Math.max(...samples.subarray(1920, 1920 + 3200)) > 0.49);
    assert.throws(() => synthesizeToneSpeech(['▁nope'], spec), /no token "▁nope"/);
  });

  it('writeWav16 writes a 16-bit WAV that decodes to the same text', async () => {
    const temp = await makeTempDir('tone-wav');
    try {
      const samples = synthesizeToneSpeech('下午三点十五分', spec);
      const path = join(temp.dir, 'tones.wav');
      await writeWav16(path, samples);
      const back = readWave16k(path);
      assert.equal(back.length, samples.length);
      let maxError = 0;
      for (let i = 0; i < samples.length; i++) maxError = Math.max(maxError, Math.abs(back[i] - samples[i]));
      assert.ok(maxError < 1 / 16000, `max error ${maxError}`);
      const model = await loadAsrModel(dir, { threads: 1 });
      try {
        const result = await model.recognize(back, { language: 'auto', useItn: false });
        assert.equal(result.text, '下午三点十五分');
        assert.equal(result.itn, false);
        // Each token starts with its tone: (gap + i·(tone + gap)) ms, to the 60 ms frame.
        result.timestamps.forEach((t, i) => assert.ok(Math.abs(t - (0.12 + i * 0.32)) <= 0.06, `token ${i} at ${t} s`));
      } finally {
        await model.release();
      }
    } finally {
      await temp.cleanup();
    }
  });

  it('decodes at other tone lengths and levels; silence gives no text', async () => {
    const model = await loadAsrModel(dir, { threads: 1 });
    try {
      for (const opts of [{ amplitude: 0.05 }, { amplitude: 0.9 }, { toneMs: 120 }, { toneMs: 400, gapMs: 200 }]) {
        const result = await model.recognize(synthesizeToneSpeech('九九八百元', spec, opts), { language: 'zh', useItn: true });
        assert.equal(result.text, '九九八百元', JSON.stringify(opts));
      }
      const silent = await model.recognize(new Float32Array(16000), { language: 'zh', useItn: true });
      assert.equal(silent.text, '');
      assert.equal(silent.language, 'zh');
    } finally {
      await model.release();
    }
  });
});
