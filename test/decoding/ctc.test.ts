import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { argmaxRow, ctcGreedyDecode } from '../../engine/src/decoding/ctc.ts';

/** Logits [frames, vocab] with a clear winner per frame (score 5, others 0). */
function oneHotLogits(bestPerFrame: number[], vocabSize: number): Float32Array {
  const out = new Float32Array(bestPerFrame.length * vocabSize);
  bestPerFrame.forEach((best, t) => {
    out[t * vocabSize + best] = 5;
  });
  return out;
}

describe('argmaxRow', () => {
  it('finds the largest value of the row, first one on ties', () => {
    const logits = Float32Array.from([0, 1, 3, 3, /* row 1 */ -1, -2, -0.5, -3]);
    assert.equal(argmaxRow(logits, 0, 4), 2);
    assert.equal(argmaxRow(logits, 1, 4), 2);
    assert.equal(argmaxRow(Float32Array.from([7, 7, 7]), 0, 3), 0);
  });
});

describe('ctcGreedyDecode', () => {
  it('collapses repeats, drops blanks, keeps tokens separated by blank', () => {
    // frames:  0  1  2  3  4  5  6  7
    const best = [0, 3, 3, 0, 3, 2, 2, 0];
    const result = ctcGreedyDecode(oneHotLogits(best, 5), best.length, 5, { blankId: 0 });
    assert.deepEqual(result.tokenIds, [3, 3, 2]);
    assert.deepEqual(result.frames, [1, 4, 5]);
    assert.equal(result.logProb, null);
  });

  it('respects a non-zero blank id', () => {
    const best = [4, 1, 4, 1, 1, 0];
    const result = ctcGreedyDecode(oneHotLogits(best, 5), best.length, 5, { blankId: 4 });
    assert.deepEqual(result.tokenIds, [1, 1, 0]);
    assert.deepEqual(result.frames, [1, 3, 5]);
  });

  it('starts at startFrame with no previous token, reporting absolute frames', () => {
    const best = [2, 2, 2, 0, 1];
    const result = ctcGreedyDecode(oneHotLogits(best, 3), best.length, 3, { blankId: 0, startFrame: 1 });
    // Frame 1 repeats frame 0's token but decoding starts there, so it is emitted.
    assert.deepEqual(result.tokenIds, [2, 1]);
    assert.deepEqual(result.frames, [1, 4]);
  });

  it('stops before endFrame', () => {
    const best = [1, 0, 2, 0, 1];
    const result = ctcGreedyDecode(oneHotLogits(best, 3), best.length, 3, { blankId: 0, endFrame: 3 });
    assert.deepEqual(result.tokenIds, [1, 2]);
  });

  it('returns nothing for all-blank or empty input', () => {
    assert.deepEqual(ctcGreedyDecode(oneHotLogits([0, 0, 0], 3), 3, 3, { blankId: 0 }).tokenIds, []);
    assert.deepEqual(ctcGreedyDecode(new Float32Array(0), 0, 3, { blankId: 0 }).tokenIds, []);
  });

  it('rejects a logits view that is too small or a bad frame range', () => {
    assert.throws(() => ctcGreedyDecode(new Float32Array(5), 2, 3, { blankId: 0 }), RangeError);
    assert.throws(() => ctcGreedyDecode(new Float32Array(6), 2, 3, { blankId: 0, startFrame: 3 }), RangeError);
    assert.throws(() => ctcGreedyDecode(new Float32Array(6), 2, 3, { blankId: 0, endFrame: 3 }), RangeError);
  });
});
