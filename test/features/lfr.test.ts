import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyCmvn, applyLfr, numLfrFrames } from '../../engine/src/features/lfr.ts';
import type { FeatureMatrix } from '../../engine/src/features/fbank.ts';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';

/** [numFrames, dim] matrix with value 1000·t + d, so every element says where it came from. */
function indexMatrix(numFrames: number, dim: number): FeatureMatrix {
  const data = new Float32Array(numFrames * dim);
  for (let t = 0; t < numFrames; t++) for (let d = 0; d < dim; d++) data[t * dim + d] = 1000 * t + d;
  return { data, numFrames, dim };
}

/** Source row of output element (i, j·dim + d), read back from the 1000·t + d encoding. */
function sourceRow(feats: FeatureMatrix, i: number, j: number, inDim: number): number {
  const value = feats.data[i * feats.dim + j * inDim];
  return Math.round(value / 1000);
}

function isConfigError(field: string): (error: unknown) => boolean {
  return (error: unknown) =>
    error instanceof TingxieError && error.code === ErrorCodes.CONFIG_INVALID && error.detail?.field === field;
}

test("LFR 'none' (sherpa-onnx): floor((T − m)/n) + 1 frames, rows [i·n, i·n + m) concatenated", () => {
  const m = 7;
  const n = 6;
  for (const frames of [0, 1, 6, 7, 8, 12, 13, 14, 19, 100]) {
    const input = indexMatrix(frames, 4);
    const out = applyLfr(input, m, n);
    const expectedFrames = frames < m ? 0 : Math.floor((frames - m) / n) + 1;
    assert.equal(out.numFrames, expectedFrames, `T=${frames}`);
    assert.equal(numLfrFrames(frames, m, n), expectedFrames);
    assert.equal(out.dim, 4 * m);
    assert.equal(out.data.length, expectedFrames * 4 * m);
    for (let i = 0; i < out.numFrames; i++) {
      for (let j = 0; j < m; j++) {
        for (let d = 0; d < 4; d++) {
          assert.equal(out.data[i * out.dim + j * 4 + d], 1000 * (i * n + j) + d, `T=${frames} out ${i}, slot ${j}, dim ${d}`);
        }
      }
    }
  }
});

test('LFR with m = n = 1 is the identity, and does not alias its input', () => {
  const input = indexMatrix(5, 3);
  const out = applyLfr(input, 1, 1);
  assert.deepEqual(out.data, input.data);
  assert.notEqual(out.data.buffer, input.data.buffer);
});

test("LFR 'funasr': (m−1)/2 copies of the first frame in front, ceil(T/n) frames, last frame repeated", () => {
  const m = 7;
  const n = 6;
  const leftPad = 3;
  for (const frames of [1, 5, 6, 7, 13, 20]) {
    const out = applyLfr(indexMatrix(frames, 2), m, n, { padding: 'funasr' });
    assert.equal(out.numFrames, Math.ceil(frames / n), `T=${frames}`);
    assert.equal(numLfrFrames(frames, m, n, 'funasr'), Math.ceil(frames / n));
    for (let i = 0; i < out.numFrames; i++) {
      for (let j = 0; j < m; j++) {
        const padded = i * n + j - leftPad;
        const expected = Math.min(Math.max(padded, 0), frames - 1);
        assert.equal(sourceRow(out, i, j, 2), expected, `T=${frames} out ${i}, slot ${j}`);
        assert.equal(out.data[i * out.dim + j * 2 + 1], 1000 * expected + 1);
      }
    }
  }
  // First output frame starts with three copies of frame 0, then frames 0..3.
  const first = applyLfr(indexMatrix(8, 1), m, n, { padding: 'funasr' });
  assert.equal(first.numFrames, 2);
  assert.deepEqual(Array.from(first.data.subarray(0, 7)), [0, 0, 0, 0, 1000, 2000, 3000]);
  // T=8: the padded input has 11 rows; output 1 starts at padded row 6 (input 3), only 5 rows remain, so the last
  // input frame fills the remaining two slots.
  assert.deepEqual(Array.from(first.data.subarray(7, 14)), [3000, 4000, 5000, 6000, 7000, 7000, 7000]);
});

test('LFR rejects bad arguments naming them', () => {
  const input = indexMatrix(10, 2);
  assert.throws(() => applyLfr(input, 0, 1), isConfigError('windowSize'));
  assert.throws(() => applyLfr(input, 7, 0), isConfigError('windowShift'));
  assert.throws(() => applyLfr(input, 7, 1.5), isConfigError('windowShift'));
  assert.throws(() => applyLfr(input, 7, 6, { padding: 'both' as 'none' }), isConfigError('padding'));
  assert.throws(() => applyLfr({ data: new Float32Array(5), numFrames: 3, dim: 2 }, 7, 6), isConfigError('feats.data'));
});

test('CMVN computes (x + negMean)·invStddev per dimension, in place', () => {
  const feats = indexMatrix(3, 4);
  const original = feats.data.slice();
  const negMean = Float32Array.from([-1, 2, -3, 0.5]);
  const invStddev = Float32Array.from([2, 0.5, 1, 4]);
  const out = applyCmvn(feats, negMean, invStddev);
  assert.equal(out, feats);
  for (let t = 0; t < 3; t++) {
    for (let d = 0; d < 4; d++) {
      const expected = Math.fround((original[t * 4 + d] + negMean[d]) * invStddev[d]);
      assert.equal(feats.data[t * 4 + d], expected, `frame ${t}, dim ${d}`);
    }
  }
});

test('CMVN after LFR uses the stacked dimension (560 = 80 × 7 for SenseVoice)', () => {
  const stacked = applyLfr(indexMatrix(20, 80), 7, 6);
  assert.equal(stacked.dim, 560);
  const negMean = new Float32Array(560).fill(-5);
  const invStddev = new Float32Array(560).fill(0.1);
  applyCmvn(stacked, negMean, invStddev);
  assert.ok(Math.abs(stacked.data[0] - -0.5) < 1e-6);
  assert.ok(Math.abs(stacked.data[561] - Math.fround((1000 * 6 + 1 - 5) * 0.1)) < 1e-3);
});

test('CMVN rejects vectors of the wrong length naming them', () => {
  const feats = indexMatrix(2, 4);
  assert.throws(() => applyCmvn(feats, new Float32Array(3), new Float32Array(4)), isConfigError('negMean'));
  assert.throws(() => applyCmvn(feats, new Float32Array(4), new Float32Array(5)), isConfigError('invStddev'));
});
