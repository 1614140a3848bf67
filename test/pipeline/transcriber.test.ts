import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadAsrModel, type AsrModel } from '../../engine/src/models/asr-model.ts';
import { Transcriber } from '../../engine/src/pipeline/transcriber.ts';
import type { TranscribeProgress } from '../../engine/src/pipeline/types.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../../engine/src/vad/segmenter.ts';
import { SileroVad } from '../../engine/src/vad/silero.ts';
import { writeWav16 } from '../../models/fixtures/tone.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { TONE_FIXTURE_DIR, concatAudio, loadToneSpec, makeSpeechBed, toneSpeech } from '../helpers/tone-speech.ts';

const SENTENCES = ['二零二五年三月十二号下午三点', '上午十点半', '一百二十三元', '晚上八点一刻'];

let temp: { dir: string; cleanup: () => Promise<void> };
let model: AsrModel;
let vad: SileroVad;
let bed: Float32Array;

before(async () => {
  temp = await makeTempDir('pipeline');
  model = await loadAsrModel(TONE_FIXTURE_DIR, { threads: 1 });
  vad = await SileroVad.create({ threads: 1 });
  bed = await makeSpeechBed(temp.dir);
});

after(async () => {
  await vad.release();
  await model.release();
  await temp.cleanup();
});

test('a few minutes of utterances stream through VAD: every sentence, in order, with progress', async () => {
  const spec = loadToneSpec();
  const parts: Float32Array[] = [];
  const expected: string[] = [];
  for (let round = 0; round < 8; round++) {
    for (const sentence of SENTENCES) {
      parts.push(toneSpeech(sentence, spec, bed, { leadS: 0.8, trailS: 0.8 + (round % 3) }));
      expected.push(sentence);
    }
  }
  const file = join(temp.dir, 'long.wav');
  await writeWav16(file, concatAudio(...parts));
  const progress: TranscribeProgress[] = [];
  const result = await new Transcriber({ model, vad }).transcribeFile(file, {
    language: 'auto',
    useItn: true,
    vad: true,
    vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS),
    onProgress: (p) => progress.push(p),
  });
  assert.deepEqual(result.segments.map((s) => s.rawText), expected);
  assert.equal(result.rawText, expected.join(''));
  // The text layer (ITN on) writes numbers, dates and times as digits.
  assert.deepEqual(result.segments.slice(0, 3).map((s) => s.text), ['2025年3月12日下午3点', '上午10点半', '123元']);
  assert.ok(result.durationS > 60);
  for (let i = 1; i < result.segments.length; i++) assert.ok(result.segments[i]!.startS >= result.segments[i - 1]!.endS);
  assert.ok(progress.length > 10);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.processedS >= progress[i - 1]!.processedS);
  assert.ok(Math.abs(progress.at(-1)!.processedS - result.durationS) < 1e-6);
  assert.equal(result.vad?.numSegments, expected.length);
});

test('continuous speech longer than the maximum is split into segments no longer than it', async () => {
  const spec = loadToneSpec();
  // 24 sentences with no pause between them: one stretch of speech of more than a minute.
  const tones: Float32Array[] = [];
  for (let i = 0; i < 24; i++) tones.push(toneSpeech(SENTENCES[i % SENTENCES.length]!, spec, bed, { leadS: 0, trailS: 0 }));
  const file = join(temp.dir, 'continuous.wav');
  await writeWav16(file, concatAudio(new Float32Array(8000), ...tones, new Float32Array(8000)));
  const maxSegmentS = 12;
  const result = await new Transcriber({ model, vad }).transcribeFile(file, {
    language: 'zh',
    useItn: true,
    vad: true,
    vadOptions: validateVadOptions({ ...DEFAULT_VAD_OPTIONS, maxSegmentS }),
  });
  assert.ok(result.segments.length >= Math.ceil((result.durationS - 1) / maxSegmentS), `${result.segments.length} segments`);
  for (const segment of result.segments) assert.ok(segment.endS - segment.startS <= maxSegmentS + 1e-6, `segment of ${segment.endS - segment.startS} s`);
  // Cuts fall between tones at the least speech-like point, so nearly all text survives.
  const expectedLength = Array.from(tones.map((_, i) => SENTENCES[i % SENTENCES.length]!).join('')).length;
  const gotLength = Array.from(result.rawText).length;
  assert.ok(gotLength >= expectedLength * 0.9 && gotLength <= expectedLength * 1.05, `${gotLength} of ${expectedLength} characters`);
});

test('VAD off decodes the whole file in one call', async () => {
  const spec = loadToneSpec();
  const file = join(temp.dir, 'whole.wav');
  await writeWav16(file, concatAudio(toneSpeech(SENTENCES[0]!, spec, bed), toneSpeech(SENTENCES[1]!, spec, bed)));
  const result = await new Transcriber({ model, vad: null }).transcribeFile(file, {
    language: 'auto',
    useItn: true,
    vad: false,
    vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS),
  });
  assert.equal(result.segments.length, 1);
  assert.equal(result.segments[0]!.startS, 0);
  assert.equal(result.rawText, SENTENCES[0]! + SENTENCES[1]!);
  assert.equal(result.text, '2025年3月12日下午3点上午10点半');
  assert.equal(result.vad, null);
});

test('cancelling stops the run with ABORTED', async () => {
  const spec = loadToneSpec();
  const file = join(temp.dir, 'cancel.wav');
  const parts: Float32Array[] = [];
  for (let i = 0; i < 20; i++) parts.push(toneSpeech(SENTENCES[i % 4]!, spec, bed));
  await writeWav16(file, concatAudio(...parts));
  const controller = new AbortController();
  const transcriber = new Transcriber({ model, vad });
  await assert.rejects(
    transcriber.transcribeFile(file, {
      language: 'auto',
      useItn: true,
      vad: true,
      vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS),
      signal: controller.signal,
      onProgress: (p) => {
        if (p.processedS > 5) controller.abort();
      },
    }),
    (error: unknown) => (error as { code?: string }).code === 'ABORTED',
  );
  // The same transcriber (and VAD) is usable again afterwards.
  const again = await transcriber.transcribeFile(file, { language: 'auto', useItn: true, vad: true, vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS) });
  assert.equal(again.segments.length, 20);
});
