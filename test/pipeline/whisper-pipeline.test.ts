/**
 * The transcriber runs the Whisper FIXTURE through the AsrModel interface: long audio is cut by the VAD into
 * segments of at most 30 s (each decoded like a direct recognize() call on the same samples), and with the VAD off
 * a file longer than Whisper's 30 s window is still decoded whole (in windows).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadAsrModel, type AsrModel } from '../../engine/src/models/asr-model.ts';
import { Transcriber } from '../../engine/src/pipeline/transcriber.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../../engine/src/vad/segmenter.ts';
import { SileroVad } from '../../engine/src/vad/silero.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { writeWav16 } from '../../models/fixtures/tone.ts';
import { WHISPER_FIXTURE_NAMES } from '../../models/fixtures/whisper-fixtures.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { readWave16k } from '../models/sherpa-reference.ts';

const SHARED = fileURLToPath(new URL('../../../shared/audio/wenet', import.meta.url));

let temp: { dir: string; cleanup: () => Promise<void> };
let model: AsrModel;
let vad: SileroVad;
let file: string;

before(async () => {
  temp = await makeTempDir('whisper-pipeline');
  model = await loadAsrModel(await fixtureDir(WHISPER_FIXTURE_NAMES.multilingual), { threads: 1 });
  vad = await SileroVad.create({ threads: 1 });
  const zh = readWave16k(`${SHARED}/aishell-BAC009S0724W0121.wav`);
  const en = readWave16k(`${SHARED}/librispeech-1995-1837-0001.wav`);
  const pause = new Float32Array(16000);
  const parts = [zh, pause, en, pause, en, zh, en, pause, zh];
  const total = parts.reduce((n, p) => n + p.length, 0);
  const samples = new Float32Array(total);
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

test('VAD segments of at most 30 s go through the Whisper model', async () => {
  const result = await new Transcriber({ model, vad }).transcribeFile(file, {
    language: 'auto',
    useItn: false,
    vad: true,
    vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS),
  });
  assert.equal(result.model.family, 'whisper');
  assert.equal(result.model.fixture, true);
  assert.ok(result.durationS > 40, `a long file (${result.durationS} s)`);
  assert.ok(result.segments.length >= 2, `split into segments (${result.segments.length})`);
  for (const segment of result.segments) {
    assert.ok(segment.endS - segment.startS <= 30 + 1e-6, `segment ${segment.startS}–${segment.endS} is at most 30 s`);
    assert.ok(segment.tokens.length > 0 && segment.rawText.length > 0);
    assert.equal(segment.emotion, null);
    assert.equal(segment.event, null);
    assert.deepEqual(segment.timestamps, []);
    assert.ok(segment.language !== null, 'a multilingual model names the detected language');
  }
  // A segment decodes like a direct call on the same samples.
  const first = result.segments[0]!;
  const all = readWave16k(file);
  const direct = await model.recognize(all.subarray(Math.round(first.startS * 16000), Math.round(first.endS * 16000)), { language: 'auto', useItn: false });
  assert.deepEqual(first.tokens, direct.tokens);
});

test('with the VAD off, a file longer than 30 s is decoded whole, window by window', async () => {
  const result = await new Transcriber({ model, vad: null }).transcribeFile(file, {
    language: 'en',
    useItn: false,
    vad: false,
    vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS),
  });
  assert.equal(result.segments.length, 1);
  const direct = await model.recognize(readWave16k(file), { language: 'en', useItn: false });
  assert.deepEqual(result.segments[0]!.tokens, direct.tokens);
  assert.ok(direct.tokenIds.length > 177, 'more tokens than one 29.5 s window can give');
});
