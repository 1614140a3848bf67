import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';
import { segmentSpeech, validateVadOptions, VadSegmentStream, type SpeechSegment, type VadStats } from '../../engine/src/vad/segmenter.ts';
import { bundledSileroModelPath, DEFAULT_SILERO_MODEL_FILE, SileroVad } from '../../engine/src/vad/silero.ts';

const SR = 16000;
const W = 512;
const AISHELL = fileURLToPath(new URL('../../../shared/audio/wenet/aishell-BAC009S0724W0121.wav', import.meta.url));

/** Any audio file → 16 kHz mono float32 via sox. */
function decode16k(path: string): Float32Array {
  const raw = execFileSync('sox', [path, '-r', String(SR), '-c', '1', '-t', 'f32', '-'], { maxBuffer: 1 << 28 });
  return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4).slice();
}

async function* chunksOf(audio: Float32Array, size: number): AsyncGenerator<Float32Array> {
  for (let offset = 0; offset < audio.length; offset += size) yield audio.subarray(offset, offset + size);
}

async function segmentAll(vad: SileroVad, audio: Float32Array, chunkSize: number): Promise<{ segments: SpeechSegment[]; stats: VadStats }> {
  const segments: SpeechSegment[] = [];
  let stats: VadStats | null = null;
  for await (const segment of segmentSpeech(chunksOf(audio, chunkSize), vad, validateVadOptions({}), { onStats: (s) => (stats = s) })) {
    segments.push(segment);
  }
  assert.ok(stats, 'onStats was called');
  return { segments, stats };
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('SileroVad', () => {
  let vad: SileroVad;
  let workDir: string;

  before(async () => {
    vad = await SileroVad.create({});
    workDir = mkdtempSync(join(tmpdir(), 'tingxie-vad-'));
  });
  after(async () => {
    await vad.release();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('loads the bundled default variant from the installed package', () => {
    assert.equal(basename(vad.modelPath), DEFAULT_SILERO_MODEL_FILE);
    assert.equal(vad.modelPath, bundledSileroModelPath());
  });

  it('gives one probability per window, the last partial window zero-padded, reproducibly after reset()', async () => {
    const audio = decode16k(AISHELL);
    const partial = audio.subarray(0, 20 * W + 100);
    vad.reset();
    const probs = await vad.probabilities(partial);
    assert.equal(probs.length, 21);
    for (const p of probs) assert.ok(p >= 0 && p <= 1);

    // Window by window through probability(), including the zero-padded tail, gives the same numbers.
    vad.reset();
    for (let w = 0; w < 20; w++) assert.equal(await vad.probability(partial.subarray(w * W, (w + 1) * W)), probs[w]);
    const tail = new Float32Array(W);
    tail.set(partial.subarray(20 * W));
    assert.equal(await vad.probability(tail), probs[20]);

    // The state carries across calls: a split call equals one call, and differs from a fresh start mid-stream.
    vad.reset();
    const first = await vad.probabilities(audio.subarray(0, 40 * W));
    const second = await vad.probabilities(audio.subarray(40 * W, 80 * W));
    vad.reset();
    const whole = await vad.probabilities(audio.subarray(0, 80 * W));
    assert.deepEqual(Float32Array.from([...first, ...second]), whole);
    vad.reset();
    const fresh = await vad.probabilities(audio.subarray(40 * W, 80 * W));
    assert.notDeepEqual(fresh, second);
  });

  it('matches the bit-exact 16 kHz reference export (silero_vad_16k_op15.onnx) within float rounding', async () => {
    const audio = decode16k(AISHELL);
    const reference = await SileroVad.create({ modelPath: bundledSileroModelPath('silero_vad_16k_op15.onnx') });
    try {
      reference.reset();
      vad.reset();
      const expected = await reference.probabilities(audio);
      const actual = await vad.probabilities(audio);
      let maxDiff = 0;
      for (let i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
      assert.ok(maxDiff < 1e-4, `max |Δp| = ${maxDiff}`);
      assert.ok(Math.max(...actual) > 0.9 && Math.min(...actual) < 0.1, 'the clip has both speech and non-speech');
    } finally {
      await reference.release();
    }
  });

  it('finds no speech in digital silence or in low-level white noise', async () => {
    const silence = new Float32Array(5 * SR);
    const quiet = await segmentAll(vad, silence, 4000);
    assert.deepEqual(quiet.segments, []);
    assert.equal(quiet.stats.speechRatio, 0);
    assert.equal(quiet.stats.durationS, 5);

    const random = mulberry32(42);
    const noise = new Float32Array(10 * SR);
    for (let i = 0; i < noise.length; i++) noise[i] = (random() * 2 - 1) * 0.01;
    const noisy = await segmentAll(vad, noise, 4000);
    assert.deepEqual(noisy.segments, []);
  });

  it('splits two espeak-ng sentences around a 2 s gap', async () => {
    const sentences = ['The quick brown fox jumps over the lazy dog.', 'Please send the report to the office before noon tomorrow.'];
    const clips = sentences.map((text, i) => {
      const wav = join(workDir, `sentence-${i}.wav`);
      execFileSync('espeak-ng', ['-v', 'en', '-w', wav, text]);
      return decode16k(wav);
    });
    const gap = new Float32Array(2 * SR);
    const audio = new Float32Array(clips[0].length + gap.length + clips[1].length);
    audio.set(clips[0], 0);
    audio.set(clips[1], clips[0].length + gap.length);
    // Where the voices really stop and start (espeak pads its output with a little silence).
    const loud = (x: number): boolean => Math.abs(x) > 0.01;
    let lastLoud = clips[0].length - 1;
    while (lastLoud > 0 && !loud(clips[0][lastLoud])) lastLoud--;
    const gapStartS = lastLoud / SR;
    const gapEndS = (clips[0].length + gap.length + clips[1].findIndex(loud)) / SR;
    assert.ok(gapEndS - gapStartS >= 2);

    const { segments, stats } = await segmentAll(vad, audio, 3333);
    assert.equal(segments.length, 2, JSON.stringify(segments.map((s) => [s.startS, s.endS])));
    assert.ok(Math.abs(segments[0].endS - gapStartS) <= 0.3, `first ends at ${segments[0].endS}, voice stops at ${gapStartS}`);
    assert.ok(Math.abs(segments[1].startS - gapEndS) <= 0.3, `second starts at ${segments[1].startS}, voice resumes at ${gapEndS}`);
    assert.equal(stats.numPauses, 1);
    assert.ok(stats.longestSilenceS >= gapEndS - gapStartS - 0.6);
  });

  it('detects speech in a real Mandarin recording (ratio > 0.5), identically for any chunk size', async () => {
    const audio = decode16k(AISHELL);
    const reference = await segmentAll(vad, audio, audio.length);
    assert.ok(reference.segments.length >= 1);
    assert.ok(reference.stats.speechRatio > 0.5, `speech ratio ${reference.stats.speechRatio}`);
    for (const segment of reference.segments) assert.deepEqual(segment.samples, audio.subarray(segment.startSample, segment.endSample));
    for (const size of [100, 512, 1000, 4097]) {
      const chunked = await segmentAll(vad, audio, size);
      assert.deepEqual(chunked.segments, reference.segments, `chunks of ${size}`);
      assert.deepEqual(chunked.stats, reference.stats);
    }
  });

  it('VadSegmentStream returns the generator results and holds at most a partial window beyond the segmenter', async () => {
    const audio = decode16k(AISHELL);
    const stream = new VadSegmentStream(vad, validateVadOptions({}));
    const segments: SpeechSegment[] = [];
    for (let offset = 0; offset < audio.length; offset += 777) {
      segments.push(...(await stream.push(audio.subarray(offset, offset + 777))));
      assert.ok(stream.bufferedSamples <= audio.length);
    }
    segments.push(...(await stream.finish()));
    const generated = await segmentAll(vad, audio, 2048);
    assert.deepEqual(segments, generated.segments);
    assert.deepEqual(stream.stats(), generated.stats);
    assert.equal(stream.stats().durationS, audio.length / SR);
  });

  it('segmentSpeech returns the stats as its return value', async () => {
    const audio = decode16k(AISHELL);
    const generator = segmentSpeech(chunksOf(audio, 5000), vad, validateVadOptions({}));
    let count = 0;
    let step = await generator.next();
    while (!step.done) {
      count++;
      step = await generator.next();
    }
    assert.equal(step.value.numSegments, count);
    assert.ok(step.value.speechRatio > 0.5);
  });

  it('rejects wrong window sizes and overlapping calls', async () => {
    await assert.rejects(vad.probability(new Float32Array(W - 1)), TingxieError);
    vad.reset();
    const running = vad.probabilities(new Float32Array(10 * W));
    await assert.rejects(vad.probability(new Float32Array(W)), /must not overlap/);
    assert.equal((await running).length, 10);
  });
});

describe('SileroVad.create failures', () => {
  it('a missing file → VAD_LOAD_FAILED', async () => {
    await assert.rejects(SileroVad.create({ modelPath: '/nonexistent/silero.onnx' }), (error: unknown) => {
      return error instanceof TingxieError && error.code === ErrorCodes.VAD_LOAD_FAILED && error.detail?.modelPath === '/nonexistent/silero.onnx';
    });
  });

  it('a file that is not ONNX → VAD_LOAD_FAILED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tingxie-vad-bad-'));
    try {
      const path = join(dir, 'not-a-model.onnx');
      writeFileSync(path, 'this is not a protobuf model');
      await assert.rejects(SileroVad.create({ modelPath: path }), (error: unknown) => error instanceof TingxieError && error.code === ErrorCodes.VAD_LOAD_FAILED);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('bad thread counts → CONFIG_INVALID; a released instance refuses work', async () => {
    await assert.rejects(SileroVad.create({ threads: 0 }), (error: unknown) => error instanceof TingxieError && error.code === ErrorCodes.CONFIG_INVALID && error.detail?.field === 'threads');
    const vad = await SileroVad.create({ threads: 2 });
    assert.ok((await vad.probabilities(new Float32Array(W)))[0] < 0.5);
    await vad.release();
    await assert.rejects(vad.probability(new Float32Array(W)), /released/);
  });
});
