/**
 * Whisper conformance: Tingxie and sherpa-onnx-node (the reference) on the same Whisper FIXTURE folders and the
 * same 16 kHz audio give the same tokens and language — real speech, synthetic speech, silence, noise, edge
 * lengths and a 29.4 s input — for a multilingual (80 mel), an English-only and a 128-mel fixture, with language
 * detection and with fixed languages. Plus: text across tokens, long-input windows, and bad folders giving typed
 * errors that name the file or field.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadAsrModel, type AsrModel, type RecognitionLanguage, type RecognitionResult } from '../../engine/src/models/asr-model.ts';
import { detectModelFamily } from '../../engine/src/models/family.ts';
import { decodeWhisperText, parseWhisperTokens, removeInvalidUtf8 } from '../../engine/src/models/whisper-config.ts';
import { maxNewTokens, WhisperModel } from '../../engine/src/models/whisper.ts';
import { whisperNumFrames } from '../../engine/src/features/whisper-mel.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { WHISPER_FIXTURE_NAMES, WHISPER_FIXTURE_PREFIX, buildWhisperFixture, buildWhisperVocabulary, whisperTokensTxt, type WhisperFixtureOptions } from '../../models/fixtures/whisper-fixtures.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { readAishellClip, whiteNoise } from '../helpers/speech-clips.ts';
import { addCommonConformanceInputs } from './conformance-inputs.ts';
import { sherpaWhisper, type SherpaWhisperResult } from './sherpa-whisper-reference.ts';

function concat(parts: Float32Array[], totalSamples: number): Float32Array {
  const out = new Float32Array(totalSamples);
  let offset = 0;
  while (offset < totalSamples) {
    for (const part of parts) {
      const n = Math.min(part.length, totalSamples - offset);
      out.set(part.subarray(0, n), offset);
      offset += n;
      if (offset >= totalSamples) break;
    }
  }
  return out;
}

function assertSameAsSherpa(ours: RecognitionResult, reference: SherpaWhisperResult, multilingual: boolean, label: string): void {
  assert.deepEqual(ours.tokens, reference.tokens, `${label}: tokens`);
  assert.deepEqual(ours.timestamps, [], `${label}: no per-token timestamps in no-timestamps mode`);
  assert.deepEqual(reference.timestamps, [], `${label}: sherpa gives none either`);
  // sherpa-onnx's text is its cleaned tokens joined (and trimmed); Tingxie's text decodes the joined bytes, so it
  // differs only where a character is split across tokens (see the UTF-8 test).
  assert.equal(ours.tokens.join('').trim(), reference.text, `${label}: tokens joined = sherpa's text`);
  if (ours.tokens.join('').trim() === ours.text) assert.equal(ours.text, reference.text, `${label}: text`);
  if (multilingual) assert.equal(ours.language, reference.lang, `${label}: language`);
  else assert.equal(ours.language, null, `${label}: an English-only model names no language`);
  assert.equal(ours.emotion, null);
  assert.equal(ours.event, null);
}

const FIXTURES = [
  { name: WHISPER_FIXTURE_NAMES.multilingual, multilingual: true, languages: ['auto', 'en', 'zh'] as RecognitionLanguage[] },
  { name: WHISPER_FIXTURE_NAMES.english, multilingual: false, languages: ['auto'] as RecognitionLanguage[] },
  { name: WHISPER_FIXTURE_NAMES.mel128, multilingual: true, languages: ['auto', 'ja'] as RecognitionLanguage[] },
];

describe('whisper conformance with sherpa-onnx-node', () => {
  const inputs = new Map<string, Float32Array>();
  let temp: { dir: string; cleanup: () => Promise<void> };

  before(async () => {
    temp = await makeTempDir('whisper-conformance');
    await addCommonConformanceInputs(inputs, temp.dir);
    const zh = inputs.get('aishell (real zh speech)')!;
    const en = inputs.get('librispeech (real en speech)')!;
    inputs.set('one frame (10 ms)', whiteNoise(0.01, 0.3, 8));
    inputs.set('0.2 s (1 token at most)', zh.slice(16000, 16000 + 3200));
    inputs.set('speech cut at 1.2345 s', zh.slice(8000, 8000 + 19752));
    // 2940 frames: the 1000 zero frames of tail padding are capped at 3000 frames in all.
    inputs.set('29.4 s of speech', concat([zh, en], 29.4 * 16000));
  });

  after(async () => {
    await temp?.cleanup();
  });

  for (const fixture of FIXTURES) {
    describe(fixture.name, () => {
      let dir: string;
      let model: AsrModel;
      const outcomes: { label: string; tokens: number; cap: number; language: string | null }[] = [];

      before(async () => {
        dir = await fixtureDir(fixture.name);
        model = await loadAsrModel(dir, { threads: 1 });
      });

      after(async () => {
        await model?.release();
      });

      it('is detected as a Whisper fixture', async () => {
        assert.equal(model.family, 'whisper');
        assert.equal(model.isFixture, true);
        assert.equal(model.device, 'cpu');
        assert.ok(model.modelFile.endsWith(`${WHISPER_FIXTURE_PREFIX}-encoder.onnx`));
        const detected = await detectModelFamily(dir);
        assert.equal(detected.family, 'whisper');
      });

      for (const language of fixture.languages) {
        it(`same tokens as sherpa-onnx for every input, language ${language}`, async () => {
          const reference = sherpaWhisper(dir, WHISPER_FIXTURE_PREFIX, language === 'auto' ? '' : language);
          for (const [label, samples] of inputs) {
            const ours = await model.recognize(samples, { language, useItn: false });
            assertSameAsSherpa(ours, reference(samples), fixture.multilingual, `${label} (${language})`);
            if (fixture.multilingual && language !== 'auto') assert.equal(ours.language, language, `${label}: requested language`);
            const frames = whisperNumFrames(samples.length);
            outcomes.push({ label, tokens: ours.tokenIds.length, cap: maxNewTokens(frames, 448), language: ours.language });
            assert.ok(ours.tokenIds.length <= maxNewTokens(frames, 448), `${label}: at most 6 tokens per second`);
          }
        });
      }

      it('the inputs exercise both stops: eot before the cap, and the cap', () => {
        assert.ok(outcomes.some((o) => o.tokens < o.cap && o.cap > 0), 'some decode ends at eot');
        assert.ok(outcomes.some((o) => o.tokens === o.cap && o.cap > 1), 'some decode ends at the token cap');
        assert.ok(outcomes.some((o) => o.cap === 0 && o.tokens === 0), 'a 10 ms input gives no tokens');
      });
    });
  }
});

describe('whisper: text, windows and options', () => {
  let model: WhisperModel;

  before(async () => {
    model = (await loadAsrModel(await fixtureDir(WHISPER_FIXTURE_NAMES.multilingual), { threads: 1 })) as WhisperModel;
  });

  after(async () => {
    await model?.release();
  });

  it('text joins token bytes before decoding, so a character split across tokens survives', () => {
    const vocab = buildWhisperVocabulary();
    const table = parseWhisperTokens(whisperTokensTxt(vocab), 'fixture-tokens.txt');
    const idOf = (bytes: Uint8Array): number => vocab.textTokens.findIndex((t) => t.length === bytes.length && t.every((b, i) => b === bytes[i]));
    const ni = new TextEncoder().encode('你');
    const hello = new TextEncoder().encode(' hello');
    const ids = [idOf(hello), idOf(ni.subarray(0, 2)), idOf(ni.subarray(2)), vocab.eot, idOf(Uint8Array.of(0xe4))];
    assert.ok(ids.every((id) => id >= 0));
    // ' hello' + '你' (2 + 1 bytes) + eot (no text) + a lone lead byte (dropped).
    assert.equal(decodeWhisperText(ids, table), ' hello你');
    assert.deepEqual(Array.from(removeInvalidUtf8(Uint8Array.of(0x41, 0xe4, 0xbd, 0x42, 0xc3, 0xa9))), [0x41, 0x42, 0xc3, 0xa9]);
  });

  it('input longer than 29.5 s is decoded in equal windows, each as on its own', async () => {
    const zh = readAishellClip();
    const long = concat([zh, whiteNoise(1, 0.05, 3)], 40 * 16000);
    const whole = await model.recognize(long, { language: 'zh', useItn: false });
    const first = await model.recognize(long.subarray(0, 20 * 16000), { language: 'zh', useItn: false });
    const second = await model.recognize(long.subarray(20 * 16000), { language: 'zh', useItn: false });
    assert.deepEqual(whole.tokenIds, [...first.tokenIds, ...second.tokenIds]);
    assert.ok(whole.tokenIds.length > maxNewTokens(2950, 448), 'more tokens than one 29.5 s window allows');
    assert.equal(whole.numFrames, 4000);
  });

  it('empty input gives an empty result', async () => {
    const result = await model.recognize(new Float32Array(0), { language: 'auto', useItn: false });
    assert.equal(result.text, '');
    assert.deepEqual(result.tokens, []);
  });

  it('CUDA without the CUDA provider: DEVICE_UNAVAILABLE, or the CPU when asked', async () => {
    const dir = await fixtureDir(WHISPER_FIXTURE_NAMES.english);
    await assert.rejects(loadAsrModel(dir, { device: 'cuda' }), { code: 'DEVICE_UNAVAILABLE' });
    const fallback = await loadAsrModel(dir, { device: 'cuda', onCudaUnavailable: 'cpu' });
    assert.equal(fallback.device, 'cpu');
    await fallback.release();
  });
});

describe('whisper: bad model folders give typed errors naming the problem', () => {
  let temp: { dir: string; cleanup: () => Promise<void> };
  let source: string;

  before(async () => {
    temp = await makeTempDir('whisper-bad');
    source = await fixtureDir(WHISPER_FIXTURE_NAMES.multilingual);
  });

  after(async () => {
    await temp?.cleanup();
  });

  async function copyOf(name: string, skip: string[] = []): Promise<string> {
    const dir = join(temp.dir, name);
    await mkdir(dir, { recursive: true });
    for (const file of await readdir(source)) if (!skip.includes(file)) await copyFile(join(source, file), join(dir, file));
    return dir;
  }

  async function variant(name: string, overrides: WhisperFixtureOptions['metadataOverrides']): Promise<string> {
    const dir = join(temp.dir, name);
    await mkdir(dir, { recursive: true });
    const built = buildWhisperFixture({ name, seed: 1, numMels: 80, multilingual: true, metadataOverrides: overrides });
    for (const [file, contents] of Object.entries(built.files)) await writeFile(join(dir, file), contents);
    return dir;
  }

  it('the int8 pair wins unless the manifest names the encoder; an int8 encoder needs an int8 decoder', async () => {
    const dir = await copyOf('int8');
    await copyFile(join(dir, 'fixture-encoder.onnx'), join(dir, 'fixture-encoder.int8.onnx'));
    await copyFile(join(dir, 'fixture-decoder.onnx'), join(dir, 'fixture-decoder.int8.onnx'));
    assert.ok((await detectModelFamily(dir)).modelFile.endsWith('fixture-encoder.int8.onnx'));
    const model = (await loadAsrModel(dir)) as WhisperModel;
    assert.ok(model.decoderFile.endsWith('fixture-decoder.int8.onnx'));
    await model.release();
    await writeFile(join(dir, 'tingxie-model.json'), JSON.stringify({ family: 'whisper', modelFile: 'fixture-encoder.onnx' }));
    assert.ok((await detectModelFamily(dir)).modelFile.endsWith('fixture-encoder.onnx'));
    await rm(join(dir, 'tingxie-model.json'));
    await rm(join(dir, 'fixture-decoder.int8.onnx'));
    await assert.rejects(detectModelFamily(dir), (error: { code: string; detail: { file: string } }) => {
      assert.equal(error.code, 'MODEL_NOT_FOUND');
      assert.ok(error.detail.file.endsWith('fixture-decoder.int8.onnx'));
      return true;
    });
  });

  it('missing decoder → MODEL_NOT_FOUND naming the decoder file', async () => {
    const dir = await copyOf('no-decoder', ['fixture-decoder.onnx']);
    await assert.rejects(loadAsrModel(dir), (error: { code: string; detail: { file: string } }) => {
      assert.equal(error.code, 'MODEL_NOT_FOUND');
      assert.ok(error.detail.file.endsWith('fixture-decoder.onnx'));
      return true;
    });
  });

  it('missing tokens file → MODEL_NOT_FOUND naming it', async () => {
    const dir = await copyOf('no-tokens', ['fixture-tokens.txt']);
    await assert.rejects(loadAsrModel(dir), (error: { code: string; detail: { file: string } }) => {
      assert.equal(error.code, 'MODEL_NOT_FOUND');
      assert.ok(error.detail.file.endsWith('fixture-tokens.txt'));
      return true;
    });
  });

  it('a tokens file that is not base64 → MODEL_INVALID naming the line', async () => {
    const dir = await copyOf('bad-tokens');
    await writeFile(join(dir, 'fixture-tokens.txt'), 'IQ== 0\n<unk> 1\n');
    await assert.rejects(loadAsrModel(dir), (error: { code: string; message: string; detail: { line: number } }) => {
      assert.equal(error.code, 'MODEL_INVALID');
      assert.equal(error.detail.line, 2);
      assert.match(error.message, /not base64/);
      return true;
    });
  });

  for (const [field, value, pattern] of [
    ['n_text_ctx', null, /metadata n_text_ctx is missing/],
    ['n_mels', '64', /metadata n_mels must be 80 or 128/],
    ['eot', '99999', /metadata eot 99999 is outside the vocabulary/],
    ['all_language_codes', 'en,zh', /has 2 codes but all_language_tokens has 10/],
    ['sot_sequence', 'abc', /metadata sot_sequence is not a comma-separated list/],
    ['is_multilingual', '2', /is_multilingual must be 0 or 1/],
  ] as const) {
    it(`metadata ${field} = ${JSON.stringify(value)} → MODEL_INVALID naming ${field}`, async () => {
      const dir = await variant(`bad-${field}`, { [field]: value });
      await assert.rejects(loadAsrModel(dir), (error: { code: string; message: string; detail: { field: string } }) => {
        assert.equal(error.code, 'MODEL_INVALID');
        assert.equal(error.detail.field, field);
        assert.match(error.message, pattern);
        return true;
      });
    });
  }

  it('a language the model lacks → CONFIG_INVALID naming the language', async () => {
    const vocab = buildWhisperVocabulary();
    const dir = await variant('no-japanese', { all_language_tokens: vocab.languageTokens.slice(0, 2).join(','), all_language_codes: 'en,zh' });
    const model = await loadAsrModel(dir);
    try {
      await assert.rejects(model.recognize(new Float32Array(16000), { language: 'ja', useItn: false }), { code: 'CONFIG_INVALID' });
      const auto = await model.recognize(new Float32Array(16000), { language: 'auto', useItn: false });
      assert.ok(auto.language === 'en' || auto.language === 'zh', 'detection picks among the model\'s languages');
    } finally {
      await model.release();
    }
  });

  it('an ONNX file named like an encoder without Whisper\'s signature → MODEL_INVALID', async () => {
    const dir = await copyOf('not-whisper');
    const senseVoice = await fixtureDir('sense-voice-fixture-conformance');
    await copyFile(join(senseVoice, 'model.onnx'), join(dir, 'fixture-encoder.onnx'));
    await assert.rejects(loadAsrModel(dir), { code: 'MODEL_INVALID' });
  });

  it('the decoder lacking an input → MODEL_INVALID naming the input', async () => {
    const dir = await copyOf('bad-decoder');
    await copyFile(join(dir, 'fixture-encoder.onnx'), join(dir, 'fixture-decoder.onnx'));
    await assert.rejects(loadAsrModel(dir), (error: { code: string; detail: { field: string; file: string } }) => {
      assert.equal(error.code, 'MODEL_INVALID');
      assert.equal(error.detail.field, 'tokens');
      assert.ok(error.detail.file.endsWith('fixture-decoder.onnx'));
      return true;
    });
  });

  it('the manifest naming family whisper in a folder without Whisper files → MODEL_NOT_FOUND', async () => {
    const dir = join(temp.dir, 'empty-whisper');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'tingxie-model.json'), JSON.stringify({ family: 'whisper' }));
    await assert.rejects(loadAsrModel(dir), { code: 'MODEL_NOT_FOUND' });
    await rm(dir, { recursive: true, force: true });
  });
});
