/**
 * CTC decoding over a model's logits.
 *
 * Logits are a row-major view `[numFrames, vocabSize]` (one row of unnormalised scores per output
 * frame). Greedy decoding takes the best token of each frame and collapses repeats: token y at frame t
 * is emitted when y is not blank and differs from the best token of frame t-1 (a blank between two
 * equal tokens therefore keeps both). This matches sherpa-onnx's offline CTC greedy search.
 */

/** A decoded token sequence with the frame (row index into the logits) at which each token starts. */
export interface CtcHypothesis {
  tokenIds: number[];
  /** Same length as tokenIds; absolute frame indices into the logits. */
  frames: number[];
  /** Total log-probability, when the decoder computes one (greedy search does not). */
  logProb: number | null;
}

export interface CtcGreedyOptions {
  blankId: number;
  /** First frame to decode (default 0); the previous token is taken as blank there. */
  startFrame?: number;
  /** One past the last frame to decode (default numFrames). */
  endFrame?: number;
}

/** Index of the largest value in row `frame` of a [numFrames, vocabSize] view; the first maximum wins ties. */
export function argmaxRow(logits: Float32Array, frame: number, vocabSize: number): number {
  const base = frame * vocabSize;
  let best = 0;
  let bestValue = logits[base];
  for (let v = 1; v < vocabSize; v++) {
    const value = logits[base + v];
    if (value > bestValue) {
      bestValue = value;
      best = v;
    }
  }
  return best;
}

/**
 * Greedy CTC decoding of frames [startFrame, endFrame) of a [numFrames, vocabSize] logits view.
 * @throws RangeError when the view is smaller than numFrames × vocabSize or the frame range is invalid.
 */
export function ctcGreedyDecode(logits: Float32Array, numFrames: number, vocabSize: number, opts: CtcGreedyOptions): CtcHypothesis {
  const start = opts.startFrame ?? 0;
  const end = opts.endFrame ?? numFrames;
  if (vocabSize <= 0 || logits.length < numFrames * vocabSize) {
    throw new RangeError(`logits hold ${logits.length} values, fewer than ${numFrames} frames × ${vocabSize} tokens`);
  }
  if (start < 0 || end > numFrames || start > end) throw new RangeError(`invalid frame range [${start}, ${end}) for ${numFrames} frames`);
  const tokenIds: number[] = [];
  const frames: number[] = [];
  let previous = opts.blankId;
  for (let t = start; t < end; t++) {
    const y = argmaxRow(logits, t, vocabSize);
    if (y !== opts.blankId && y !== previous) {
      tokenIds.push(y);
      frames.push(t);
    }
    previous = y;
  }
  return { tokenIds, frames, logProb: null };
}
