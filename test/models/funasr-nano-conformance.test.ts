/**
 * Fun-ASR-Nano: Tingxie's whole decode loop (features, prompt, audio splice, prefill, KV-cache steps, stopping)
 * equals sherpa-onnx-node's on the FIXTURE model — tokens and text exactly, timestamps to sherpa's printed
 * precision — for real and synthetic speech, silence and noise, languages, ITN on/off, hotwords, the
 * new-token cap and a KV cache too small for the prompt. Plus Tingxie's own guards (silence gate,
 * repetition stop, 30 s limit) and typed errors for broken folders.
 */
import assert from 'node:assert/strict';
import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TingxieError } from '../../engine/src/errors.ts';
import { loadAsrModel, type RecognitionLanguage, type RecognitionResult } from '../../engine/src/models/asr-model.ts';
import { cudaProviderInstalled } from '../../engine/src/models/device.ts';
import { detectModelFamily } from '../../engine/src/models/family.ts';
import {
  buildUserPrompt,
  FUNASR_NANO_LANGUAGE_NAMES,
  loadFunAsrNanoModel,
  promptHotwords,
  repeatedTail,
  type FunAsrNanoModel,
} from '../../engine/src/models/funasr-nano.ts';
import { parseHotwords } from '../../engine/src/text/hotwords/list.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { buildFixtureTokenizer, buildFunAsrNanoFixture, byteLevelAlphabet, FUNASR_NANO_FIXTURE_NAME } from '../../models/fixtures/funasr-nano-fixtures.ts';
import { FunAsrNanoTokenizer } from '../../engine/src/models/funasr-nano-tokenizer.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { readAishellClip, readLibrispeechClip, whiteNoise } from '../helpers/speech-clips.ts';
import { sherpaFunAsrNano, type SherpaNanoResult } from './sherpa-funasr-nano-reference.ts';

const BARE = { adaptiveCap: false, stopRepetition: false, silenceGate: false } as const;
const MAX_NEW_TOKENS = 48;

function mix(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, i) => v + (b[i] ?? 0));
}

function assertSameAsSherpa(ours: RecognitionResult, reference: SherpaNanoResult, label: string): void {
  assert.deepEqual(ours.tokens, reference.tokens, `${label}: tokens`);
  assert.equal(ours.text, reference.text, `${label}: text`);
  assert.equal(ours.timestamps.length, reference.timestamps.length, `${label}: number of timestamps`);
  // sherpa-onnx-node prints timestamps with 2 decimals.
  ours.timestamps.forEach((t, i) => assert.ok(Math.abs(t - reference.timestamps[i]!) <= 0.0051, `${label}: timestamp ${i}: ${t} vs ${reference.timestamps[i]}`));
}

async function writeFixture(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  const { dirname } = await import('node:path');
  for (const [file, contents] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), contents);
  }
}

async function rejectsWith(promise: Promise<unknown>, code: string, field: RegExp | string, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TingxieError, `expected a TingxieError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    const detail = error.detail ?? {};
    const named = `${String(detail.field ?? '')} ${String(detail.file ?? '')}`;
    assert.match(named, typeof field === 'string' ? new RegExp(field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : field, `detail names the field/file: ${JSON.stringify(detail)}`);
    assert.match(error.message, message);
    return true;
  });
}

describe('Fun-ASR-Nano conformance with sherpa-onnx-node (fixture)', () => {
  let dir: string;
  let model: FunAsrNanoModel;
  let temp: { dir: string; cleanup: () => Promise<void> };
  const inputs = new Map<string, Float32Array>();
  const bare = new Map<string, RecognitionResult>();

  before(async () => {
    dir = await fixtureDir(FUNASR_NANO_FIXTURE_NAME);
    model = await loadFunAsrNanoModel(dir, { threads: 1 }, { ...BARE, maxNewTokens: MAX_NEW_TOKENS });
    temp = await makeTempDir('funasr-nano');
    const aishell = readAishellClip();
    inputs.set('aishell (real zh speech)', aishell);
    inputs.set('librispeech (real en speech)', readLibrispeechClip());
    // Deterministic inputs only (espeak-ng's output varies from run to run, which would make a failure irreproducible).
    const librispeech = inputs.get('librispeech (real en speech)')!;
    inputs.set('librispeech 1.5 s slice', librispeech.slice(31676, 31676 + 24000));
    inputs.set('aishell 2.5 s slice + noise', mix(aishell.slice(15838, 15838 + 40000), whiteNoise(2.5, 0.02, 11)));
    inputs.set('3 s silence', new Float32Array(48000));
    inputs.set('white noise', whiteNoise(2.5, 0.1, 7));
    inputs.set('0.1 s noise (7 fbank frames: one LFR frame)', whiteNoise(0.1, 0.3, 8));
    inputs.set('speech cut at 1.2345 s', aishell.slice(8000, 8000 + 19752));
  });

  after(async () => {
    await model?.release();
    await temp?.cleanup();
  });

  const settings: Array<{ language: RecognitionLanguage; itn: boolean; hotwords: string[] }> = [
    { language: 'auto', itn: true, hotwords: [] },
    { language: 'zh', itn: false, hotwords: [] },
    { language: 'en', itn: true, hotwords: [] },
    { language: 'auto', itn: true, hotwords: ['科大讯飞', '阿里巴巴'] },
  ];

  for (const setting of settings) {
    const label = `language ${setting.language}, ITN ${setting.itn ? 'on' : 'off'}${setting.hotwords.length ? `, hotwords ${setting.hotwords.join('/')}` : ''}`;
    it(`gives sherpa-onnx's tokens and text: ${label}`, async () => {
      const reference = sherpaFunAsrNano(dir, {
        language: setting.language === 'auto' ? '' : FUNASR_NANO_LANGUAGE_NAMES[setting.language],
        itn: setting.itn,
        hotwords: setting.hotwords.join(','),
        maxNewTokens: MAX_NEW_TOKENS,
      });
      const hotwords = setting.hotwords.length ? parseHotwords(setting.hotwords.join('\n'), 'lines') : undefined;
      for (const [name, samples] of inputs) {
        const ours = await model.recognize(samples, { language: setting.language, useItn: setting.itn, ...(hotwords ? { hotwords } : {}) });
        assertSameAsSherpa(ours, reference(samples), `${name} (${label})`);
        bare.set(`${label}|${name}`, ours);
      }
    });
  }

  it('exercises the whole loop: real speech generates several tokens and stops on <|im_end|> before the cap; the prompt changes the output', () => {
    const speech = [...bare.entries()].filter(([key]) => key.includes('aishell') || key.includes('librispeech'));
    assert.ok(speech.length >= 12);
    const stoppedOnEos = speech.filter(([, r]) => r.tokens.length >= 3 && r.tokens.length < MAX_NEW_TOKENS && r.generation?.stoppedBy === 'eos');
    assert.ok(stoppedOnEos.length >= 3, `speech decodes ≥ 3 tokens and stops on EOS before the cap (${stoppedOnEos.length} cases)`);
    const aishell = settings.map((s) => {
      const label = `language ${s.language}, ITN ${s.itn ? 'on' : 'off'}${s.hotwords.length ? `, hotwords ${s.hotwords.join('/')}` : ''}`;
      return bare.get(`${label}|aishell (real zh speech)`)!.tokens.join('|');
    });
    assert.ok(new Set(aishell).size > 1, `different prompts give different outputs for the same audio: ${aishell.join(' ; ')}`);
  });

  it('decodes nothing for input under 7 fbank frames (sherpa-onnx 1.13.8 differs there: see funasr-nano.ts)', async () => {
    const result = await model.recognize(whiteNoise(0.025, 0.3, 8), { language: 'auto', useItn: true });
    assert.deepEqual([result.tokens.length, result.numFrames], [0, 0]);
  });

  it('stops at the new-token cap exactly as sherpa-onnx (max_new_tokens 3)', async () => {
    const capped = await loadFunAsrNanoModel(dir, { threads: 1 }, { ...BARE, maxNewTokens: 3 });
    try {
      const reference = sherpaFunAsrNano(dir, { language: '', itn: true, hotwords: '', maxNewTokens: 3 });
      let hitCap = 0;
      for (const [name, samples] of inputs) {
        const ours = await capped.recognize(samples, { language: 'auto', useItn: true });
        assertSameAsSherpa(ours, reference(samples), `${name} (cap 3)`);
        assert.ok(ours.tokens.length <= 3);
        if (ours.generation?.stoppedBy === 'max_new_tokens' && ours.tokens.length === 3) hitCap++;
      }
      assert.ok(hitCap > 0, 'at least one input reaches the cap');
    } finally {
      await capped.release();
    }
  });

  it('truncates audio placeholders like sherpa-onnx when the KV cache is smaller than the prompt (max_total_len 72)', async () => {
    const small = join(temp.dir, 'small-kv');
    await writeFixture(small, buildFunAsrNanoFixture({ shape: { maxTotalLen: 72 } }).files);
    const smallModel = await loadFunAsrNanoModel(small, { threads: 1 }, { ...BARE, maxNewTokens: MAX_NEW_TOKENS });
    try {
      const reference = sherpaFunAsrNano(small, { language: '', itn: true, hotwords: '', maxNewTokens: MAX_NEW_TOKENS });
      for (const name of ['aishell (real zh speech)', 'librispeech (real en speech)', 'aishell 2.5 s slice + noise']) {
        const ours = await smallModel.recognize(inputs.get(name)!, { language: 'auto', useItn: true });
        assertSameAsSherpa(ours, reference(inputs.get(name)!), `${name} (max_total_len 72)`);
        // aishell and librispeech need 96 and 170 positions: their audio placeholders are cut to fit 72.
        if (!name.includes('slice')) assert.equal(ours.generation?.promptTokens, 72, `${name}: prompt cut to the cache size`);
        assert.ok(ours.generation?.stoppedBy === 'context_full' || ours.generation?.stoppedBy === 'eos' || ours.tokens.length === 0);
      }
    } finally {
      await smallModel.release();
    }
  });

  it('with its guards on (the default), output is the bare output or a prefix of it, and silence is not decoded', async () => {
    const guarded = await loadFunAsrNanoModel(dir, { threads: 1 }, { maxNewTokens: MAX_NEW_TOKENS });
    try {
      for (const [name, samples] of inputs) {
        const ours = await guarded.recognize(samples, { language: 'auto', useItn: true });
        const reference = bare.get(`language auto, ITN on|${name}`)!;
        if (ours.skipped) {
          assert.equal(ours.tokens.length, 0);
          continue;
        }
        assert.deepEqual(ours.tokens, reference.tokens.slice(0, ours.tokens.length), `${name}: a prefix of the bare decode`);
      }
      const silence = await guarded.recognize(inputs.get('3 s silence')!, { language: 'auto', useItn: true });
      assert.equal(silence.skipped?.reason, 'silence');
      assert.match(silence.skipped!.detail, /not decoded/);
      assert.deepEqual([silence.text, silence.tokens.length], ['', 0]);
      const quiet = await guarded.recognize(whiteNoise(1, 0.002, 3), { language: 'auto', useItn: true });
      assert.equal(quiet.skipped?.reason, 'silence', 'noise at −57 dBFS RMS is silence');
      const short = await guarded.recognize(inputs.get('aishell (real zh speech)')!.slice(0, 1600), { language: 'auto', useItn: true });
      assert.equal(short.skipped?.reason, 'too_short');
      const speech = await guarded.recognize(inputs.get('aishell (real zh speech)')!, { language: 'auto', useItn: true });
      assert.equal(speech.skipped, undefined);
      assert.ok(speech.tokens.length > 0);
    } finally {
      await guarded.release();
    }
  });

  it('refuses more than 30 s in one call with CONFIG_INVALID', async () => {
    await rejectsWith(model.recognize(new Float32Array(16000 * 31), { language: 'auto', useItn: true }), 'CONFIG_INVALID', 'samples', /at most 30 s/);
  });

  it('runs on CUDA when onnxruntime-node has it, else says DEVICE_UNAVAILABLE or falls back to the CPU when asked', async () => {
    const reference = bare.get('language auto, ITN on|aishell (real zh speech)')!.tokens;
    const options = { threads: 1 } as const;
    if (cudaProviderInstalled()) {
      const onGpu = await loadFunAsrNanoModel(dir, { ...options, device: 'cuda' }, { ...BARE, maxNewTokens: MAX_NEW_TOKENS });
      try {
        assert.equal(onGpu.device, 'cuda:0');
        assert.deepEqual((await onGpu.recognize(inputs.get('aishell (real zh speech)')!, { language: 'auto', useItn: true })).tokens, reference);
      } finally {
        await onGpu.release();
      }
    } else {
      await rejectsWith(loadFunAsrNanoModel(dir, { ...options, device: 'cuda' }), 'DEVICE_UNAVAILABLE', /.*/, /CUDA is not available/);
    }
    const fallback = await loadFunAsrNanoModel(dir, { ...options, device: 'cuda:0', onCudaUnavailable: 'cpu' }, { ...BARE, maxNewTokens: MAX_NEW_TOKENS });
    try {
      if (!cudaProviderInstalled()) assert.equal(fallback.device, 'cpu');
      assert.deepEqual((await fallback.recognize(inputs.get('aishell (real zh speech)')!, { language: 'auto', useItn: true })).tokens, reference);
    } finally {
      await fallback.release();
    }
    await rejectsWith(loadFunAsrNanoModel(dir, { device: 'tpu' }), 'DEVICE_INVALID', /.*/, /unknown device/);
  });

  it('is found and loaded through loadAsrModel (family funasr_nano), with or without the install record', async () => {
    const detected = await detectModelFamily(dir);
    assert.equal(detected.family, 'funasr_nano');
    assert.equal(detected.detectedBy, 'manifest');
    assert.equal(detected.isFixture, true);
    const bareFolder = join(temp.dir, 'no-manifest');
    await cp(dir, bareFolder, { recursive: true });
    await rm(join(bareFolder, 'tingxie-model.json'));
    const byFiles = await detectModelFamily(bareFolder);
    assert.deepEqual([byFiles.family, byFiles.detectedBy, byFiles.isFixture], ['funasr_nano', 'metadata', true]);
    const loaded = await loadAsrModel(bareFolder, { threads: 1 });
    try {
      assert.equal(loaded.family, 'funasr_nano');
      assert.equal(loaded.device, 'cpu');
      const result = await loaded.recognize(inputs.get('aishell (real zh speech)')!, { language: 'auto', useItn: true });
      // Default guards on: the bare decode of aishell ends in a "`并" loop, which the repetition stop cuts.
      const bareTokens = bare.get('language auto, ITN on|aishell (real zh speech)')!.tokens;
      assert.ok(result.tokens.length > 3 && result.tokens.length < bareTokens.length, `${result.tokens.length} vs ${bareTokens.length}`);
      assert.deepEqual(result.tokens, bareTokens.slice(0, result.tokens.length));
      assert.equal(result.generation?.stoppedBy, 'repetition');
    } finally {
      await loaded.release();
    }
  });
});

describe('Fun-ASR-Nano tokenizer (fixture vocabulary)', () => {
  it('encodes the chat template with special tokens as single ids and decodes like sherpa-onnx', async () => {
    const dir = await fixtureDir(FUNASR_NANO_FIXTURE_NAME);
    const tokenizer = await FunAsrNanoTokenizer.load(join(dir, 'Qwen3-0.6B'));
    const fixture = buildFixtureTokenizer();
    const ids = tokenizer.encode('<|im_start|>user\n语音转写：<|im_end|>');
    assert.equal(ids[0], fixture.specialIds['<|im_start|>']);
    assert.equal(ids[ids.length - 1], fixture.specialIds['<|im_end|>']);
    assert.equal(tokenizer.imEndId, fixture.specialIds['<|im_end|>']);
    assert.equal(tokenizer.eosId, fixture.specialIds['<|endoftext|>']);
    assert.equal(tokenizer.padId, tokenizer.eosId, 'no <|pad|>: the placeholder is <|endoftext|>');
    // Whole characters are single tokens in the fixture vocabulary; special ids vanish from text; text is trimmed.
    const yu = fixture.vocab.get([...new TextEncoder().encode('语')].map((b) => byteLevelAlphabet()[b]).join(''))!;
    const space = fixture.vocab.get(byteLevelAlphabet()[0x20]!)!;
    assert.equal(tokenizer.decode([space, yu, tokenizer.imEndId, yu, space]), '语语');
    // A character split over two tokens shows on the second; a stray continuation byte is U+FFFD.
    const bytes = [...new TextEncoder().encode('语')].map((b) => byteLevelAlphabet()[b]!);
    const firstTwo = fixture.vocab.get(bytes[0]! + bytes[1]!)!;
    const last = fixture.vocab.get(bytes[2]!)!;
    assert.deepEqual(tokenizer.tokenStrings([firstTwo, last, yu]), ['', '语', '语']);
    assert.deepEqual(tokenizer.tokenStrings([last, yu]), ['\uFFFD', '语']);
    assert.deepEqual(tokenizer.tokenStrings([yu, firstTwo]), ['语', '\uFFFD\uFFFD'], 'leftover bytes after the last token');
    assert.equal(tokenizer.decode([firstTwo, last]), '语');
  });
});

describe('Fun-ASR-Nano prompt and guards', () => {
  it('builds Fun-ASR\'s user prompt from hotwords, language and ITN', () => {
    assert.equal(buildUserPrompt([], null, true), '语音转写：');
    assert.equal(buildUserPrompt([], '中文', false), '语音转写成中文，不进行文本规整：');
    assert.equal(
      buildUserPrompt(['科大讯飞', 'Tingxie'], '英文', true),
      '请结合上下文信息，更加准确地完成语音转写任务。如果没有相关信息，我们会留空。\n\n\n**上下文信息：**\n\n\n热词列表：[科大讯飞, Tingxie]\n语音转写成英文：',
    );
  });

  it('takes prompt hotwords from a hotword list (phrases, deduplicated, separators split)', () => {
    const list = parseHotwords('科大讯飞 20\nHELLO WORLD :2.5\n科大讯飞\n', 'lines');
    assert.deepEqual(promptHotwords(list), ['科大讯飞', 'HELLO WORLD']);
    assert.deepEqual(promptHotwords(undefined), []);
  });

  it('finds a repeating tail of 4+ copies covering 16+ tokens and keeps one copy', () => {
    assert.equal(repeatedTail([1, 2, 3]), 0);
    assert.equal(repeatedTail(new Array(15).fill(7)), 0, '15 copies of one token: span under 16');
    assert.equal(repeatedTail(new Array(16).fill(7)), 15);
    const unit = [5, 6, 7, 8];
    assert.equal(repeatedTail([1, 2, ...unit, ...unit, ...unit, ...unit]), 12);
    assert.equal(repeatedTail([...unit, ...unit, ...unit]), 0, 'three copies are allowed');
    assert.equal(repeatedTail([...unit, ...unit, ...unit, ...unit, 9]), 0, 'the repetition must be at the end');
  });
});

describe('Fun-ASR-Nano broken folders give typed errors naming the problem', () => {
  let temp: { dir: string; cleanup: () => Promise<void> };
  let source: string;
  before(async () => {
    source = await fixtureDir(FUNASR_NANO_FIXTURE_NAME);
    temp = await makeTempDir('funasr-nano-bad');
  });
  after(async () => temp?.cleanup());

  const copyWith = async (name: string, change: (dir: string) => Promise<void>): Promise<string> => {
    const dir = join(temp.dir, name);
    await cp(source, dir, { recursive: true });
    await change(dir);
    return dir;
  };

  it('missing llm, embedding or tokenizer files → MODEL_NOT_FOUND naming the file', async () => {
    await rejectsWith(loadAsrModel(await copyWith('no-llm', (d) => rm(join(d, 'llm.onnx')))), 'MODEL_NOT_FOUND', 'llm.onnx', /no llm model/);
    await rejectsWith(loadAsrModel(await copyWith('no-embedding', (d) => rm(join(d, 'embedding.onnx')))), 'MODEL_NOT_FOUND', 'embedding.onnx', /no embedding model/);
    await rejectsWith(loadAsrModel(await copyWith('no-tokenizer', (d) => rm(join(d, 'Qwen3-0.6B'), { recursive: true }))), 'MODEL_NOT_FOUND', 'tokenizer.json', /no tokenizer folder/);
    await rejectsWith(loadAsrModel(await copyWith('no-merges', (d) => rm(join(d, 'Qwen3-0.6B', 'merges.txt')))), 'MODEL_NOT_FOUND', 'merges.txt', /has no merges\.txt/);
  });

  it('wrong metadata → MODEL_INVALID naming the field', async () => {
    const files = (opts: Parameters<typeof buildFunAsrNanoFixture>[0]) => buildFunAsrNanoFixture(opts).files;
    const variant = async (name: string, opts: Parameters<typeof buildFunAsrNanoFixture>[0]): Promise<string> => {
      const dir = join(temp.dir, name);
      await writeFixture(dir, files(opts));
      return dir;
    };
    await rejectsWith(loadAsrModel(await variant('not-kv-delta', { llmMetadata: { model_type: 'qwen3_causallm' } })), 'MODEL_INVALID', 'metadata model_type', /kv_delta/);
    await rejectsWith(loadAsrModel(await variant('no-max-len', { llmMetadata: { max_total_len: null } })), 'MODEL_INVALID', 'metadata max_total_len', /missing/);
    await rejectsWith(loadAsrModel(await variant('bad-layers', { llmMetadata: { num_layers: '3' } })), 'MODEL_INVALID', 'metadata num_layers', /2 layers/);
    await rejectsWith(loadAsrModel(await variant('no-lfr', { encoderMetadata: { lfr_window_size: null } })), 'MODEL_INVALID', 'metadata lfr_window_size', /missing/);
    await rejectsWith(loadAsrModel(await variant('bad-llm-dim', { encoderMetadata: { llm_dim: 'sixteen' } })), 'MODEL_INVALID', 'metadata llm_dim', /not a non-negative integer/);
  });

  it('a tokenizer.json that is not JSON or has no <|im_end|> → MODEL_INVALID', async () => {
    const notJson = await copyWith('bad-json', (d) => writeFile(join(d, 'Qwen3-0.6B', 'tokenizer.json'), '{ nope'));
    await rejectsWith(loadAsrModel(notJson), 'MODEL_INVALID', 'tokenizer.json', /not valid JSON/);
    const noImEnd = await copyWith('no-im-end', async (d) => {
      const file = join(d, 'Qwen3-0.6B', 'tokenizer.json');
      const json = JSON.parse(await readFile(file, 'utf8')) as { added_tokens: Array<{ content: string }> };
      json.added_tokens = json.added_tokens.filter((t) => t.content !== '<|im_end|>');
      await writeFile(file, JSON.stringify(json));
    });
    await rejectsWith(loadAsrModel(noImEnd), 'MODEL_INVALID', '<|im_end|>', /no <\|im_end\|> token/);
  });
});
