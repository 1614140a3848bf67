/**
 * Hotwords end to end on the tone FIXTURE: a tone between 陈 (bin 78) and 晨 (bin 79), a little nearer
 * 晨, gives posteriors nearly tied between the two (晨 ahead by ~0.6 nats), followed by a clear
 * 露. Without hotwords that decodes to 晨露; with 陈露 listed, biased beam search decodes 陈露; an
 * unrelated hotword changes nothing; silence and noise stay empty whatever the list.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadAsrModel, type AsrModel, type RecognizeOptions } from '../../engine/src/models/asr-model.ts';
import { Transcriber } from '../../engine/src/pipeline/transcriber.ts';
import { parseHotwords, parseHotwordScore, readHotwordsArgument, type HotwordList } from '../../engine/src/text/hotwords/index.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../../engine/src/vad/segmenter.ts';
import { SileroVad } from '../../engine/src/vad/silero.ts';
import { SeededRandom } from '../../models/fixtures/prng.ts';
import { synthesizeToneSpeech, writeWav16, type ToneItem, type ToneSpec } from '../../models/fixtures/tone.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { REPO_ROOT, TONE_FIXTURE_DIR, concatAudio, loadToneSpec, makeSpeechBed } from '../helpers/tone-speech.ts';

/** Mel position between 陈 (0) and 晨 (1): 晨 slightly ahead. */
const NEAR_CHEN = 0.64;
const AMBIGUOUS: ToneItem[] = [{ between: ['陈', '晨'], fraction: NEAR_CHEN }, '露'];
/**
 * 60 ms tones: one output frame per token, as a peaky CTC model gives. (Over several frames of tied
 * posteriors CTC's most probable label sequence alternates, 晨陈晨…, so beam search and greedy differ.)
 */
const SHORT = { toneMs: 60 } as const;

let model: AsrModel;
let spec: ToneSpec;

before(async () => {
  model = await loadAsrModel(TONE_FIXTURE_DIR, { threads: 1 });
  spec = loadToneSpec();
});
after(async () => {
  await model.release();
});

const recognize = (samples: Float32Array, hotwords?: HotwordList, extra: Partial<RecognizeOptions> = {}) =>
  model.recognize(samples, { language: 'zh', useItn: false, ...(hotwords ? { hotwords } : {}), ...extra });

describe('biasing an ambiguous posterior (tone fixture)', () => {
  it('decodes the slightly more likely 晨露 without hotwords, and each pure tone to its own token', async () => {
    assert.equal((await recognize(synthesizeToneSpeech(AMBIGUOUS, spec, SHORT))).text, '晨露');
    assert.equal((await recognize(synthesizeToneSpeech('陈露晨', spec, SHORT))).text, '陈露晨');
    // The mirror-image blend is 陈露: the tie really is a tie, only the fraction tips it.
    assert.equal((await recognize(synthesizeToneSpeech([{ between: ['陈', '晨'], fraction: 0.45 }, '露'], spec, SHORT))).text, '陈露');
  });

  it('decodes the hotword 陈露 when it is listed: by biased decoding, not by text correction', async () => {
    const result = await recognize(synthesizeToneSpeech(AMBIGUOUS, spec, SHORT), parseHotwords('陈露'));
    assert.equal(result.text, '陈露');
    assert.deepEqual(result.hotwords, { matched: ['陈露'], corrections: [] });
    assert.deepEqual(result.tokens, ['陈', '露']);
    assert.equal(result.timestamps.length, 2);
  });

  it('leaves the result unchanged with an unrelated hotword (tokenizable, so beam search runs)', async () => {
    const samples = synthesizeToneSpeech(AMBIGUOUS, spec, SHORT);
    for (const list of ['九九', '露晨', '一二三\n上午 3']) {
      const result = await recognize(samples, parseHotwords(list));
      assert.equal(result.text, '晨露', list);
      assert.deepEqual(result.hotwords?.corrections, [], list);
    }
  });

  it('with a negligible boost the decoder keeps 晨露 and homophone correction turns it into 陈露', async () => {
    const result = await recognize(synthesizeToneSpeech(AMBIGUOUS, spec, SHORT), parseHotwords('陈露'), { hotwordScore: 0.01 });
    assert.equal(result.text, '陈露');
    assert.deepEqual(result.hotwords, { matched: [], corrections: [{ from: '晨露', to: '陈露', start: 0 }] });
    assert.deepEqual(result.tokens, ['陈', '露'], 'same-length corrections rewrite the tokens too');
  });

  it('applies explicit replacements and reports phrases the model cannot spell', async () => {
    const list = parseHotwords('晨露=>朝露\n撒贝宁\nhello world');
    assert.equal((await recognize(synthesizeToneSpeech(AMBIGUOUS, spec, SHORT), list)).text, '朝露');
    const compiled = model.compileHotwords?.(list);
    assert.ok(compiled);
    assert.deepEqual(compiled.phrases.map((p) => p.phrase), ['hello world']);
    assert.deepEqual(compiled.skipped.map((s) => s.phrase), ['撒贝宁']);
  });

  it('keeps greedy decoding, bit for bit, when no hotwords are given', async () => {
    const samples = synthesizeToneSpeech('二零二五年三月十二号陈露', spec);
    const plain = await recognize(samples);
    const empty = await recognize(samples, parseHotwords('# nothing\n'));
    assert.equal(plain.hotwords, undefined);
    assert.deepEqual({ ...empty, hotwords: undefined }, { ...plain, hotwords: undefined });
  });
});

describe('no hotwords out of silence or noise', () => {
  const everything = parseHotwords('一二三\n零一\n九九八\n陈露 5\n晨露 5\n露 5\n陈 5\n零零零 5');

  it('silence, low-level noise (−60 dBFS, silence to this fixture) and low-passed speech decode to empty text with a strong hotword list', async () => {
    const rng = new SeededRandom(3);
    const noise = new Float32Array(3 * 16000).map(() => 0.001 * rng.normal());
    const temp = await makeTempDir('hotwords-bed');
    try {
      const bed = (await makeSpeechBed(temp.dir)).subarray(0, 5 * 16000);
      for (const [name, samples] of [
        ['silence', new Float32Array(3 * 16000)],
        ['noise', noise],
        ['speech bed', bed],
      ] as const) {
        const plain = await recognize(samples);
        const biased = await recognize(samples, everything, { hotwordScore: 5 });
        assert.equal(plain.text, '', name);
        assert.equal(biased.text, '', name);
        assert.deepEqual(biased.tokenIds, [], name);
      }
    } finally {
      await temp.cleanup();
    }
  });

  it('through the pipeline (VAD on and off): silence + hotwords gives no segments', async () => {
    const temp = await makeTempDir('hotwords-e2e');
    const vad = await SileroVad.create({ threads: 1 });
    try {
      const file = join(temp.dir, 'silence.wav');
      await writeWav16(file, concatAudio(new Float32Array(2 * 16000)));
      const transcriber = new Transcriber({ model, vad });
      for (const useVad of [true, false]) {
        const result = await transcriber.transcribeFile(file, { language: 'zh', useItn: false, vad: useVad, vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS), hotwords: everything, hotwordScore: 5 });
        assert.equal(result.text, '', `vad ${useVad}`);
        assert.deepEqual(result.segments, []);
      }
      // And the ambiguous tones through the pipeline (VAD off: pure tones are not speech to Silero).
      const tones = join(temp.dir, 'tones.wav');
      await writeWav16(tones, synthesizeToneSpeech(AMBIGUOUS, spec, SHORT));
      const opts = { language: 'zh', useItn: false, vad: false, vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS) } as const;
      assert.equal((await transcriber.transcribeFile(tones, opts)).text, '晨露');
      assert.equal((await transcriber.transcribeFile(tones, { ...opts, hotwords: parseHotwords('陈露') })).text, '陈露');
    } finally {
      await vad.release();
      await temp.cleanup();
    }
  });
});

describe('tingxie transcribe --hotwords', () => {
  const CLI = join(REPO_ROOT, 'engine/bin/tingxie.js');
  const run = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
    });

  it('biases toward a listed word (inline list or file), warns about unspellable ones, rejects a bad score', async () => {
    const temp = await makeTempDir('hotwords-cli');
    try {
      const tones = join(temp.dir, 'tones.wav');
      await writeWav16(tones, synthesizeToneSpeech(AMBIGUOUS, spec, SHORT));
      const base = ['transcribe', '--model-path', TONE_FIXTURE_DIR, '--vad', 'off', '--language', 'zh', tones];
      assert.equal((await run(base)).stdout, '晨露\n');
      const inline = await run([...base, '--hotwords', '陈露,撒贝宁']);
      assert.equal(inline.code, 0, inline.stderr);
      assert.equal(inline.stdout, '陈露\n');
      assert.match(inline.stderr, /hotwords: "撒贝宁" cannot be spelled with this model's tokens \(no token for "撒" at character 1\)/);
      const file = join(temp.dir, 'hotwords.txt');
      await writeFile(file, '# list\n陈露 2\n');
      assert.equal((await run([...base, '--hotwords', file, '--hotword-score', '2'])).stdout, '陈露\n');
      const bad = await run([...base, '--hotwords', '陈露', '--hotword-score', '99']);
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, /--hotword-score must be a number in \(0, 5\]/);
      const missing = await run([...base, '--hotwords', join(temp.dir, 'nope.txt')]);
      assert.notEqual(missing.code, 0);
      assert.match(missing.stderr, /hotwords file not found/);
      const badLine = join(temp.dir, 'bad.txt');
      await writeFile(badLine, '陈露\n科大讯飞 -1\n');
      assert.match((await run([...base, '--hotwords', badLine])).stderr, /hotwords line 2: weight must be a positive number/);
    } finally {
      await temp.cleanup();
    }
  });
});

describe('readHotwordsArgument', () => {
  it('reads files (lines or JSON) and inline lists', async () => {
    const temp = await makeTempDir('hotwords-arg');
    try {
      const json = join(temp.dir, 'list.json');
      await writeFile(json, '{"陈露": 2, "康灰": "康辉"}');
      assert.deepEqual(await readHotwordsArgument(json), { hotwords: [{ phrase: '陈露', weight: 2 }], replacements: [{ from: '康灰', to: '康辉' }] });
      assert.deepEqual(await readHotwordsArgument('陈露，康辉 3,撒贝你=>撒贝宁'), {
        hotwords: [
          { phrase: '陈露', weight: null },
          { phrase: '康辉', weight: 3 },
        ],
        replacements: [{ from: '撒贝你', to: '撒贝宁' }],
      });
      assert.deepEqual((await readHotwordsArgument('["hello world"]')).hotwords, [{ phrase: 'hello world', weight: null }]);
      await assert.rejects(readHotwordsArgument('missing.txt'), { code: 'FILE_NOT_FOUND' });
      assert.equal(parseHotwordScore('2.5'), 2.5);
      for (const bad of ['0', '-1', 'x', '', '6']) assert.throws(() => parseHotwordScore(bad), { code: 'USAGE' });
    } finally {
      await temp.cleanup();
    }
  });
});
