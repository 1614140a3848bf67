/** The WebUI's pure parts under Node: the microphone resampler, speech statistics, SSE parsing, language choice. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSse } from '../../engine/webui/src/sse.ts';
import { StreamingResampler, floatToPcm16, rmsLevel } from '../../engine/webui/src/audio/resample.ts';
import { pickLanguage } from '../../engine/webui/src/language.ts';
import { peaks, speechStats } from '../../engine/webui/src/vad-stats.ts';
import { sine, toneAmplitude } from '../helpers/audio-fixtures.ts';

/** Feeds `input` through a resampler in blocks of `block` samples (as the AudioWorklet does). */
function resampleInBlocks(input: Float32Array, from: number, to: number, block: number): Float32Array {
  const resampler = new StreamingResampler(from, to);
  const parts: Float32Array[] = [];
  for (let i = 0; i < input.length; i += block) parts.push(resampler.process(input.subarray(i, i + block)));
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

test('resampler: 48 kHz → 16 kHz keeps a 1 kHz tone at its level and length', () => {
  const input = sine(1000, 48000, 1, 0.5);
  const out = resampleInBlocks(input, 48000, 16000, 2048);
  // Output lags by the kernel's half-width; everything else comes out.
  assert.ok(Math.abs(out.length - 16000) <= 60, `length ${out.length}`);
  const steady = out.subarray(1000, 15000);
  assert.ok(Math.abs(toneAmplitude(steady, 16000, 1000) - 0.5) < 0.02, `amplitude ${toneAmplitude(steady, 16000, 1000)}`);
});

test('resampler: a tone above the new Nyquist is filtered out, not folded back (no sample dropping)', () => {
  // 10 kHz at 48 kHz would alias to 6 kHz if every third sample were kept.
  const input = sine(10_000, 48000, 1, 0.5);
  const out = resampleInBlocks(input, 48000, 16000, 2048).subarray(1000, 15000);
  assert.ok(toneAmplitude(out, 16000, 6000) < 0.005, `alias at 6 kHz: ${toneAmplitude(out, 16000, 6000)}`);
  assert.ok(rmsLevel(out) < 0.005, `rms ${rmsLevel(out)}`);
  // Dropping samples would have kept it loud: the test can tell the difference.
  const dropped = Float32Array.from({ length: 16000 }, (_, i) => input[3 * i]!);
  assert.ok(toneAmplitude(dropped.subarray(1000, 15000), 16000, 6000) > 0.4);
});

test('resampler: 44.1 kHz (a non-integer ratio) and block size do not change the result', () => {
  const input = sine(440, 44100, 0.5, 0.3);
  const a = resampleInBlocks(input, 44100, 16000, 128);
  const b = resampleInBlocks(input, 44100, 16000, 4096);
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < 1e-5, `sample ${i}`);
  assert.ok(Math.abs(toneAmplitude(a.subarray(500, 7500), 16000, 440) - 0.3) < 0.02);
});

test('floatToPcm16 clips and scales', () => {
  assert.deepEqual([...floatToPcm16(Float32Array.from([0, 1, -1, 2, -2, 0.5]))], [0, 32767, -32768, 32767, -32768, 16384]);
});

test('speechStats: ratio, pauses, longest silence and turns', () => {
  const stats = speechStats(
    [
      { start: 7, end: 9 },
      { start: 1, end: 4 },
    ],
    10,
  );
  assert.deepEqual(stats, { durationS: 10, speechS: 5, speechRatio: 0.5, pauses: 1, longestSilenceS: 3, turns: 2 });
  assert.deepEqual(speechStats([], 4), { durationS: 4, speechS: 0, speechRatio: 0, pauses: 0, longestSilenceS: 4, turns: 0 });
  // Overlaps are not counted twice.
  assert.equal(speechStats([{ start: 0, end: 2 }, { start: 1, end: 3 }], 3).speechS, 3);
});

test('peaks: min/max per column', () => {
  assert.deepEqual([...peaks(Float32Array.from([0.5, -0.25, 0, 1]), 2)], [-0.25, 0.5, 0, 1]);
});

test('parseSse: events split across chunks, comments skipped', () => {
  const first = parseSse('retry: 2000\nevent: snapshot\ndata: {"a":1}\n\n: heartbeat\n\nevent: progress\ndata: {"p"');
  assert.deepEqual(first.events, [{ event: 'snapshot', data: '{"a":1}' }]);
  const second = parseSse(`${first.rest}:0.5}\n\n`);
  assert.deepEqual(second.events, [{ event: 'progress', data: '{"p":0.5}' }]);
  assert.equal(second.rest, '');
});

test('pickLanguage: stored choice, else the browser language', () => {
  assert.equal(pickLanguage(null, ['zh-CN', 'en']), 'zh-CN');
  assert.equal(pickLanguage(null, ['zh-TW']), 'zh-CN');
  assert.equal(pickLanguage(null, ['en-US', 'zh-CN']), 'en');
  assert.equal(pickLanguage(null, ['fr-FR']), 'en');
  assert.equal(pickLanguage('en', ['zh-CN']), 'en');
});
