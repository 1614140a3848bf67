/**
 * The transcriber runs the Whisper FIXTURE through the AsrModel interface: long audio is cut by the VAD into
 * segments of at most 30 s (each decoded like a direct recognize() call on the same samples), and with the VAD off
 * a file longer than Whisper's 30 s window is still decoded whole (in windows).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Transcriber } from '../../engine/src/pipeline/transcriber.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../../engine/src/vad/segmenter.ts';
import { WHISPER_FIXTURE_NAMES } from '../../models/fixtures/whisper-fixtures.ts';
import { recognizeSpan, useSpeechPipeline } from '../helpers/speech-pipeline.ts';
import { readWave16k } from '../models/sherpa-reference.ts';

const pipeline = useSpeechPipeline({
  tempPrefix: 'whisper-pipeline',
  fixtureName: WHISPER_FIXTURE_NAMES.multilingual,
  layout: ['zh', 'pause', 'en', 'pause', 'en', 'zh', 'en', 'pause', 'zh'],
  pauseSeconds: 1,
});

test('VAD segments of at most 30 s go through the Whisper model', async () => {
  const { model, vad, file } = pipeline;
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
  const direct = await recognizeSpan(model, file, first.startS, first.endS, { language: 'auto', useItn: false });
  assert.deepEqual(first.tokens, direct.tokens);
});

test('with the VAD off, a file longer than 30 s is decoded whole, window by window', async () => {
  const { model, file } = pipeline;
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
