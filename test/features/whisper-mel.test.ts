/**
 * Whisper log-Mel features: the 400-point spectrum against a direct DFT, framing and edge mirroring against a
 * frame computed by hand, Slaney filter properties, and the log/clamp/scale normalisation. (Agreement with
 * sherpa-onnx's own features is covered by test/models/whisper-conformance.test.ts: identical tokens from 80- and
 * 128-bin fixtures whose outputs depend on every mel value and on the number of frames.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PowerSpectrum400,
  WhisperMelComputer,
  hzToMelSlaney,
  melToHzSlaney,
  normalizeWhisperLogMel,
  padOrTrimFrames,
  transposeFrames,
  whisperMelFilters,
  whisperNumFrames,
  whisperWindow,
} from '../../engine/src/features/whisper-mel.ts';
import { SeededRandom } from '../../models/fixtures/prng.ts';

function noise(length: number, seed: number, amplitude = 0.3): Float32Array {
  const rng = new SeededRandom(seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = rng.uniform(-amplitude, amplitude);
  return out;
}

/** |X[k]|² by the defining sum, in float64. */
function naivePower(frame: ArrayLike<number>): Float64Array {
  const n = frame.length;
  const out = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += frame[t] * Math.cos((2 * Math.PI * k * t) / n);
      im -= frame[t] * Math.sin((2 * Math.PI * k * t) / n);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

describe('whisper-mel: spectrum', () => {
  it('400-point power spectrum equals the direct DFT', () => {
    const frame = Float64Array.from(noise(400, 1));
    const ours = new Float64Array(201);
    new PowerSpectrum400().compute(frame, ours);
    const reference = naivePower(frame);
    for (let k = 0; k <= 200; k++) assert.ok(Math.abs(ours[k] - reference[k]) <= 1e-9 * Math.max(1, reference[k]), `bin ${k}: ${ours[k]} vs ${reference[k]}`);
  });

  it('a 1 kHz tone puts its energy in bin 25 (40 Hz per bin)', () => {
    const frame = new Float64Array(400);
    for (let t = 0; t < 400; t++) frame[t] = Math.sin((2 * Math.PI * 1000 * t) / 16000);
    const power = new Float64Array(201);
    new PowerSpectrum400().compute(frame, power);
    const peak = power.indexOf(Math.max(...power));
    assert.equal(peak, 25);
    assert.ok(Math.abs(power[25] - 200 * 200) < 1e-6, `amplitude 1 over 400 samples gives |X|² = (400/2)², got ${power[25]}`);
  });

  it('the window is the periodic Hann window', () => {
    const w = whisperWindow();
    assert.equal(w.length, 400);
    assert.equal(w[0], 0);
    assert.ok(Math.abs(w[200] - 1) < 1e-15);
    assert.ok(Math.abs(w[100] - 0.5) < 1e-12 && Math.abs(w[300] - 0.5) < 1e-12);
  });
});

describe('whisper-mel: filters', () => {
  it('Slaney scale: linear to 1 kHz (15 mels), logarithmic above, and invertible', () => {
    assert.ok(Math.abs(hzToMelSlaney(1000) - 15) < 1e-12);
    assert.ok(Math.abs(hzToMelSlaney(200) - 3) < 1e-12);
    assert.ok(Math.abs(hzToMelSlaney(6400) - (15 + 27)) < 1e-12, 'log step: 27 mels per factor 6.4');
    for (const hz of [0, 50, 999, 1000, 2500, 8000]) assert.ok(Math.abs(melToHzSlaney(hzToMelSlaney(hz)) - hz) < 1e-9);
  });

  for (const numMels of [80, 128]) {
    it(`${numMels} filters: non-negative triangles of unit area (Slaney norm), peaks rising with the bin`, () => {
      const f = whisperMelFilters(numMels);
      assert.equal(f.length, numMels * 201);
      let previousPeak = -1;
      for (let m = 0; m < numMels; m++) {
        const row = f.subarray(m * 201, (m + 1) * 201);
        assert.ok(row.every((v) => v >= 0), `filter ${m} has negative weights`);
        const peak = row.indexOf(Math.max(...row));
        assert.ok(peak >= previousPeak, `filter ${m} peaks at bin ${peak}, before filter ${m - 1} (${previousPeak})`);
        previousPeak = peak;
        // Triangles much wider than the 40 Hz bin spacing integrate to 1 (weights × 40 Hz).
        const leftHz = melToHzSlaney((hzToMelSlaney(8000) * m) / (numMels + 1));
        const rightHz = melToHzSlaney((hzToMelSlaney(8000) * (m + 2)) / (numMels + 1));
        if (rightHz - leftHz >= 5 * 40) {
          const area = row.reduce((a, b) => a + b, 0) * 40;
          assert.ok(Math.abs(area - 1) < 0.03, `filter ${m} area ${area}`);
        }
      }
    });
  }

  it('rejects mel counts other than 80 and 128', () => {
    assert.throws(() => whisperMelFilters(64), { code: 'CONFIG_INVALID' });
  });
});

describe('whisper-mel: frames', () => {
  it('frame count is round(N / 160): ⌊(N + 80) / 160⌋', () => {
    assert.equal(whisperNumFrames(0), 0);
    assert.equal(whisperNumFrames(79), 0);
    assert.equal(whisperNumFrames(80), 1);
    assert.equal(whisperNumFrames(16000), 100);
    assert.equal(whisperNumFrames(480000), 3000);
    const computer = new WhisperMelComputer(80);
    assert.equal(computer.melPower(new Float32Array(16239)).numFrames, 101);
    assert.equal(computer.melPower(new Float32Array(0)).numFrames, 0);
  });

  it('frame f covers samples [160f − 120, 160f + 280), mirrored Kaldi-style at the edges', () => {
    const samples = noise(2000, 2);
    const computer = new WhisperMelComputer(80);
    const feats = computer.melPower(samples);
    const filters = whisperMelFilters(80);
    const window = whisperWindow();
    const mirror = (s: number): number => (s < 0 ? -s - 1 : s >= samples.length ? 2 * samples.length - 1 - s : s);
    for (const f of [0, 5, feats.numFrames - 1]) {
      const frame = new Float64Array(400);
      for (let i = 0; i < 400; i++) frame[i] = samples[mirror(160 * f - 120 + i)] * window[i];
      const power = naivePower(frame);
      for (const m of [0, 10, 40, 79]) {
        let expected = 0;
        for (let k = 0; k <= 200; k++) expected += filters[m * 201 + k] * power[k];
        const got = feats.data[f * 80 + m];
        assert.ok(Math.abs(got - expected) <= 1e-5 * Math.max(expected, 1e-6), `frame ${f} bin ${m}: ${got} vs ${expected}`);
      }
    }
  });
});

describe('whisper-mel: normalisation and layout', () => {
  it('log10, clamp to max − 8, (x + 4) / 4', () => {
    const data = Float32Array.from([1e-12, 1e-10, 1e-3, 1, 100]);
    normalizeWhisperLogMel(data);
    // log10: −12 → clamped to 1e-10 → −10; −10; −3; 0; 2. max − 8 = −6.
    const expected = [-6, -6, -3, 0, 2].map((v) => (v + 4) / 4);
    data.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `${i}: ${v} vs ${expected[i]}`));
  });

  it('only the first `count` values are normalised (the padding keeps its value)', () => {
    const data = Float32Array.from([100, 1, 0, 0]);
    normalizeWhisperLogMel(data, 2);
    assert.deepEqual(Array.from(data), [1.5, 1, 0, 0]);
  });

  it('silence gives −1.5 everywhere; 10× louder audio adds 0.5 where nothing is clamped', () => {
    const computer = new WhisperMelComputer(80);
    const silent = computer.logMel(new Float32Array(3200));
    assert.ok(silent.data.every((v) => v === -1.5));
    const quiet = noise(8000, 3, 0.01);
    const loud = quiet.map((v) => v * 10);
    const a = computer.logMel(quiet);
    const b = computer.logMel(loud);
    const floorA = Math.min(...a.data);
    for (let i = 0; i < a.data.length; i++) {
      if (a.data[i] > floorA + 1e-3) assert.ok(Math.abs(b.data[i] - a.data[i] - 0.5) < 1e-4, `value ${i}: ${a.data[i]} → ${b.data[i]}`);
    }
    assert.ok(Math.max(...b.data) - Math.min(...b.data) <= 2 + 1e-6, 'dynamic range is at most 8 decades / 4');
  });

  it('pad/trim to 3000 frames and transpose to [n_mels][T]', () => {
    const feats = { data: Float32Array.from({ length: 6 }, (_, i) => i + 1), numFrames: 3, numMels: 2 };
    const padded = padOrTrimFrames(feats, 5, -1.5);
    assert.deepEqual(Array.from(padded.data), [1, 2, 3, 4, 5, 6, -1.5, -1.5, -1.5, -1.5]);
    const trimmed = padOrTrimFrames(feats, 2);
    assert.deepEqual(Array.from(trimmed.data), [1, 2, 3, 4]);
    assert.equal(padOrTrimFrames(feats).numFrames, 3000);
    assert.deepEqual(Array.from(transposeFrames(feats)), [1, 3, 5, 2, 4, 6]);
  });
});
