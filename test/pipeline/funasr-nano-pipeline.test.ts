/**
 * The transcriber runs the Fun-ASR-Nano FIXTURE through the AsrModel interface: long audio is cut by the VAD
 * into speech segments of at most 30 s, each decoded like a direct recognize() call on the same samples; the
 * silence between them is never decoded; with the VAD off a file longer than 30 s is refused with a typed error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TingxieError } from '../../engine/src/errors.ts';
import { Transcriber } from '../../engine/src/pipeline/transcriber.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../../engine/src/vad/segmenter.ts';
import { FUNASR_NANO_FIXTURE_NAME } from '../../models/fixtures/funasr-nano-fixtures.ts';
import { recognizeSpan, useSpeechPipeline } from '../helpers/speech-pipeline.ts';

const pipeline = useSpeechPipeline({
  tempPrefix: 'funasr-nano-pipeline',
  fixtureName: FUNASR_NANO_FIXTURE_NAME,
  layout: ['pause', 'zh', 'pause', 'en', 'pause', 'en', 'zh', 'en', 'pause', 'zh', 'pause'],
  pauseSeconds: 3,
});

test('VAD speech segments of at most 30 s go through the Fun-ASR-Nano model; pauses are not decoded', async () => {
  const { model, vad, file } = pipeline;
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
  const direct = await recognizeSpan(model, file, first.startS, first.endS, { language: 'auto', useItn: true });
  assert.deepEqual(first.tokens, direct.tokens);
});

test('with the VAD off, a file longer than 30 s is refused with CONFIG_INVALID', async () => {
  await assert.rejects(
    new Transcriber({ model: pipeline.model, vad: null }).transcribeFile(pipeline.file, { language: 'auto', useItn: true, vad: false, vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS) }),
    (error: unknown) => error instanceof TingxieError && error.code === 'CONFIG_INVALID' && /at most 30 s/.test(error.message),
  );
});
