/**
 * The transcriber runs the Fun-ASR-Nano FIXTURE through the AsrModel interface: long audio is cut by the VAD
 * into speech segments of at most 30 s, each decoded like a direct recognize() call on the same samples; the
 * silence between them is never decoded; with the VAD off a file longer than 30 s is refused with a typed error.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TingxieError } from '../../engine/src/errors.ts';
import { loadAsrModel, type AsrModel } from '../../engine/src/models/asr-model.ts';
import { Transcriber } from '../../engine/src/pipeline/transcriber.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../../engine/src/vad/segmenter.ts';
import { SileroVad } from '../../engine/src/vad/silero.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { FUNASR_NANO_FIXTURE_NAME } from '../../models/fixtures/funasr-nano-fixtures.ts';
import { writeWav16 } from '../../models/fixtures/tone.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { readWave16k } from '../models/sherpa-reference.ts';

const SHARED = fileURLToPath(new URL('../../../shared/audio/wenet', import.meta.url));

let temp: { dir: string; cleanup: () => Promise<void> };
let model: AsrModel;
let vad: SileroVad;
let file: string;

before(async () => {
  temp = await makeTempDir('funasr-nano-pipeline');
  model = await loadAsrModel(await fixtureDir(FUNASR_NANO_FIXTURE_NAME), { threads: 1 });
  vad = await SileroVad.create({ threads: 1 });
  const zh = readWave16k(`${SHARED}/aishell-BAC009S0724W0121.wav`);
  const en = readWave16k(`${SHARED}/librispeech-1995-1837-0001.wav`);
  const pause = new Float32Array(3 * 16000);
  const parts = [pause, zh, pause, en, pause, en, zh, en, pause, zh, pause];
  const samples = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    samples.set(part, offset);
    offset += part.length;
  }
  file = join(temp.dir, 'long.wav');
  await writeWav16(file, samples);
});

after(async () => {
  await vad?.release();
  await model?.release();
  await temp?.cleanup();
});

test('VAD speech segments of at most 30 s go through the Fun-ASR-Nano model; pauses are not decoded', async () => {
  const result = await new Transcriber({ model, vad }).transcribeFile(file, {
    language: 'auto',
    useItn: true,
    vad: true,
    vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS),
  });
  assert.equal(result.model.family, 'funasr_nano');
  assert.equal(result.model.fixture, true);
  assert.ok(result.durationS > 50, `a long file (${result.durationS} s)`);
  assert.ok(result.segments.length >= 3, `split into segments (${result.segments.length})`);
  for (const segment of result.segments) {
    assert.ok(segment.endS - segment.startS <= 30 + 1e-6, `segment ${segment.startS}–${segment.endS} is at most 30 s`);
    assert.ok(segment.tokens.length > 0 && segment.rawText.length > 0);
    // Nothing starts inside the leading 3 s pause.
    assert.ok(segment.startS > 2.5, `segment at ${segment.startS} s is not in the leading pause`);
  }
  const first = result.segments[0]!;
  const all = readWave16k(file);
  const direct = await model.recognize(all.subarray(Math.round(first.startS * 16000), Math.round(first.endS * 16000)), { language: 'auto', useItn: true });
  assert.deepEqual(first.tokens, direct.tokens);
});

test('with the VAD off, a file longer than 30 s is refused with CONFIG_INVALID', async () => {
  await assert.rejects(
    new Transcriber({ model, vad: null }).transcribeFile(file, { language: 'auto', useItn: true, vad: false, vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS) }),
    (error: unknown) => error instanceof TingxieError && error.code === 'CONFIG_INVALID' && /at most 30 s/.test(error.message),
  );
});
