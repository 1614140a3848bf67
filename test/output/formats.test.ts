import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatResult, parseOutputFormat, srtTime, toCsv, toJsonObject, vttTime } from '../../engine/src/output/formats.ts';
import { joinSegmentTexts, dominantLanguage, needsSpaceBetween } from '../../engine/src/pipeline/assemble.ts';
import type { TranscriptionResult } from '../../engine/src/pipeline/types.ts';

function sampleResult(): TranscriptionResult {
  return {
    file: 'meeting, part "1".m4a',
    durationS: 3725.5,
    language: 'zh',
    text: '你好 hello',
    rawText: '你好 hello',
    segments: [
      { startS: 0.5, endS: 2.25, text: '你好', rawText: '你好', language: 'zh', emotion: 'NEUTRAL', event: 'Speech', tokens: ['你', '好'], timestamps: [0.56, 0.62] },
      { startS: 3661.0, endS: 3662.0004, text: 'hello, "world"\n\nagain --> on', rawText: 'hello, "world"\n\nagain --> on', language: 'en', emotion: null, event: null, tokens: [' hello'], timestamps: [3661.06] },
    ],
    vad: null,
    model: { family: 'sense_voice', dir: '/m', file: 'model.onnx', device: 'cpu', fixture: false },
  };
}

test('subtitle timestamps carry hours and round to the millisecond', () => {
  assert.equal(srtTime(3661.0004), '01:01:01,000');
  assert.equal(srtTime(0.0015), '00:00:00,002');
  assert.equal(vttTime(59.9996), '00:01:00.000');
  assert.equal(srtTime(-1), '00:00:00,000');
});

test('SRT numbers cues from 1 and keeps a cue from being split by blank lines', () => {
  const srt = formatResult(sampleResult(), 'srt');
  const cues = srt.trim().split('\n\n');
  assert.equal(cues.length, 2);
  assert.equal(cues[0], '1\n00:00:00,500 --> 00:00:02,250\n你好');
  assert.ok(cues[1]!.startsWith('2\n01:01:01,000 --> 01:01:02,000\n'));
});

test('VTT starts with the header and escapes the cue arrow in text', () => {
  const vtt = formatResult(sampleResult(), 'vtt');
  assert.ok(vtt.startsWith('WEBVTT\n\n00:00:00.500 --> 00:00:02.250\n你好\n'));
  assert.equal((vtt.match(/-->/g) ?? []).length, 2);
});

test('CSV quotes fields with commas, quotes and newlines (RFC 4180)', () => {
  const csv = toCsv(sampleResult());
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'file,start,end,language,text');
  assert.equal(lines[1], '"meeting, part ""1"".m4a",0.500,2.250,zh,你好');
  assert.ok(csv.includes('"hello, ""world""\n\nagain --> on"'));
});

test('JSON carries file, duration, language, text and per-segment tokens with timestamps', () => {
  const json = toJsonObject(sampleResult());
  assert.equal(json.file, 'meeting, part "1".m4a');
  assert.equal(json.duration, 3725.5);
  const segments = json.segments as { start: number; end: number; tokens: string[]; timestamps: number[] }[];
  assert.deepEqual(segments[0], { start: 0.5, end: 2.25, text: '你好', raw_text: '你好', language: 'zh', emotion: 'NEUTRAL', event: 'Speech', tokens: ['你', '好'], timestamps: [0.56, 0.62] });
  assert.equal(segments[1]!.end, 3662);
});

test('unknown formats are a usage error naming the field', () => {
  assert.equal(parseOutputFormat('SRT'), 'srt');
  assert.throws(() => parseOutputFormat('docx'), (error: unknown) => (error as { code: string }).code === 'USAGE');
});

test('segment texts join with spaces only between non-CJK text', () => {
  assert.equal(joinSegmentTexts(['你好', '世界', 'hello', 'world', '。', ' ', '再见']), '你好世界hello world。再见');
  assert.equal(needsSpaceBetween('abc', 'def'), true);
  assert.equal(needsSpaceBetween('abc', '中文'), false);
  assert.equal(needsSpaceBetween('abc ', 'def'), false);
});

test('the dominant language is the one with the most speech time', () => {
  assert.equal(
    dominantLanguage([
      { language: 'en', startS: 0, endS: 5 },
      { language: 'zh', startS: 5, endS: 8 },
      { language: 'zh', startS: 9, endS: 12 },
    ]),
    'zh',
  );
  assert.equal(dominantLanguage([{ language: null, startS: 0, endS: 1 }]), null);
});
