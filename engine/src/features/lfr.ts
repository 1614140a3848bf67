import { ErrorCodes, TingxieError } from '../errors.ts';
import type { FeatureMatrix } from './fbank.ts';

/**
 * Low frame rate (LFR) stacking and CMVN for SenseVoice / Paraformer style encoders.
 */

/**
 * How LFR treats the edges:
 * - 'none' (sherpa-onnx's SenseVoice ApplyLFR): outNumFrames = ⌊(T − m)/n⌋ + 1 (0 when T < m); output frame i is
 *   input frames [i·n, i·n + m) concatenated. No padding, trailing frames that do not fill a window are dropped.
 * - 'funasr' (FunASR's WavFrontend apply_lfr): ⌊(m−1)/2⌋ copies of the first frame are prepended,
 *   outNumFrames = ⌈T/n⌉, and a window running past the end is filled with copies of the last frame.
 */
export type LfrPadding = 'none' | 'funasr';

export interface LfrOptions {
  /** Edge handling; default 'none' (matches sherpa-onnx). */
  padding?: LfrPadding;
}

function invalid(field: string, value: unknown, requirement: string): TingxieError {
  return new TingxieError(ErrorCodes.CONFIG_INVALID, `Invalid ${field}=${String(value)}: ${requirement}`, { field, value });
}

function checkMatrix(feats: FeatureMatrix, field: string): void {
  if (!Number.isInteger(feats.numFrames) || feats.numFrames < 0 || !Number.isInteger(feats.dim) || feats.dim < 1) {
    throw invalid(field, `${feats.numFrames}x${feats.dim}`, 'numFrames must be an integer ≥ 0 and dim an integer ≥ 1');
  }
  if (feats.data.length !== feats.numFrames * feats.dim) {
    throw invalid(`${field}.data`, feats.data.length, `length must equal numFrames·dim = ${feats.numFrames * feats.dim}`);
  }
}

/** Number of LFR output frames for `numFrames` input frames. */
export function numLfrFrames(numFrames: number, windowSize: number, windowShift: number, padding: LfrPadding = 'none'): number {
  if (padding === 'funasr') return Math.ceil(numFrames / windowShift);
  return numFrames < windowSize ? 0 : Math.floor((numFrames - windowSize) / windowShift) + 1;
}

/**
 * Stacks `windowSize` (lfr_m) consecutive frames every `windowShift` (lfr_n) frames.
 * @param feats input [T, D]
 * @returns new matrix [numLfrFrames(T, m, n, padding), m·D]; output row i = input rows
 *          [i·n, i·n + m) concatenated (indices relative to the padded input for 'funasr').
 */
export function applyLfr(feats: FeatureMatrix, windowSize: number, windowShift: number, options: LfrOptions = {}): FeatureMatrix {
  checkMatrix(feats, 'feats');
  if (!Number.isInteger(windowSize) || windowSize < 1) throw invalid('windowSize', windowSize, 'must be an integer ≥ 1');
  if (!Number.isInteger(windowShift) || windowShift < 1) throw invalid('windowShift', windowShift, 'must be an integer ≥ 1');
  const padding = options.padding ?? 'none';
  if (padding !== 'none' && padding !== 'funasr') throw invalid('padding', padding, "must be 'none' or 'funasr'");

  const { data: input, numFrames: inFrames, dim: inDim } = feats;
  const outFrames = numLfrFrames(inFrames, windowSize, windowShift, padding);
  const outDim = inDim * windowSize;
  const out = new Float32Array(outFrames * outDim);

  if (padding === 'none') {
    for (let i = 0; i < outFrames; i++) {
      const from = i * windowShift * inDim;
      out.set(input.subarray(from, from + outDim), i * outDim);
    }
    return { data: out, numFrames: outFrames, dim: outDim };
  }

  // FunASR: padded row r maps to input row clamp(r − leftPad, 0, T − 1).
  const leftPad = Math.floor((windowSize - 1) / 2);
  for (let i = 0; i < outFrames; i++) {
    for (let j = 0; j < windowSize; j++) {
      const row = Math.min(Math.max(i * windowShift + j - leftPad, 0), inFrames - 1);
      out.set(input.subarray(row * inDim, (row + 1) * inDim), i * outDim + j * inDim);
    }
  }
  return { data: out, numFrames: outFrames, dim: outDim };
}

/**
 * Global CMVN as in sherpa-onnx / FunASR: x[t, d] ← (x[t, d] + negMean[d]) · invStddev[d].
 * Modifies `feats.data` IN PLACE and returns the same matrix object.
 * @param negMean [dim] negated means
 * @param invStddev [dim] reciprocal standard deviations
 */
export function applyCmvn(feats: FeatureMatrix, negMean: Float32Array, invStddev: Float32Array): FeatureMatrix {
  checkMatrix(feats, 'feats');
  const dim = feats.dim;
  if (negMean.length !== dim) throw invalid('negMean', negMean.length, `length must equal the feature dim ${dim}`);
  if (invStddev.length !== dim) throw invalid('invStddev', invStddev.length, `length must equal the feature dim ${dim}`);
  const data = feats.data;
  for (let t = 0, base = 0; t < feats.numFrames; t++, base += dim) {
    // fround after the sum reproduces float32 arithmetic (sherpa-onnx computes in float) bit for bit.
    for (let d = 0; d < dim; d++) data[base + d] = Math.fround(data[base + d] + negMean[d]) * invStddev[d];
  }
  return feats;
}
