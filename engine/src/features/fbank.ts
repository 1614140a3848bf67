import { ErrorCodes, TingxieError } from '../errors.ts';
import { RealFft, roundUpToPowerOfTwo } from './fft.ts';

/**
 * Kaldi-compatible log-Mel filterbank features ("fbank"), computed the way Kaldi's `compute-fbank-feats` and
 * kaldi-native-fbank (used by sherpa-onnx) compute them.
 *
 * Per frame (frame f covers samples [f·shift, f·shift + length) with snipEdges):
 *   copy frame (× sampleScale) → remove DC offset → [raw log energy] → pre-emphasis
 *   (x[i] −= c·x[i−1] for i = N−1…1, then x[0] −= c·x[0]) → window → zero-pad to the FFT size →
 *   power spectrum |X[k]|², k ∈ [0, fftSize/2) → triangular mel filters → log(max(e, FLT_EPSILON)).
 *
 * Kaldi works in float32. Here the signal path is float64 while the precomputed tables (window, mel weights, frame
 * sizes) are rounded to float32 exactly as kaldi-native-fbank computes them, so results agree with it to float32
 * rounding noise (test/features/fbank-sherpa.test.ts: max |Δ| ≈ 1e-4, mean ≈ 1e-6 in log-mel units against
 * sherpa-onnx-node on real speech).
 *
 * Defaults are Kaldi's (povey window). sherpa-onnx's SenseVoice/Paraformer front end is
 * `{ windowType: 'hamming', highFreq: 0, snipEdges: true, sampleScale: normalize_samples ? 1 : 32768 }`.
 */

/**
 * Window functions as kaldi-native-fbank defines them (N = frame length in samples, a = 2π/(N−1)):
 * - 'povey': (0.5 − 0.5·cos(a·i))^0.85 (Kaldi's default)
 * - 'hamming': 0.54 − 0.46·cos(a·i)
 * - 'hanning': 0.5 − 0.5·cos(a·i) (Kaldi's symmetric Hann)
 * - 'hann': 0.5 − 0.5·cos(2π·i/N) (kaldi-native-fbank's periodic Hann, as torch.hann_window)
 * - 'sine': sin(π·i/(N−1))
 * - 'rectangular': 1
 * - 'blackman': 0.42 − 0.5·cos(a·i) + 0.08·cos(2a·i)
 */
export type WindowType = 'povey' | 'hamming' | 'hann' | 'hanning' | 'sine' | 'rectangular' | 'blackman';

export const WINDOW_TYPES: readonly WindowType[] = ['povey', 'hamming', 'hann', 'hanning', 'sine', 'rectangular', 'blackman'];

export interface FbankOptions {
  /** Sample rate of the input, Hz. Default 16000. */
  sampleRate: number;
  /** Frame length, ms. Default 25 (400 samples at 16 kHz). */
  frameLengthMs: number;
  /** Frame shift, ms. Default 10 (160 samples at 16 kHz). */
  frameShiftMs: number;
  /** Number of triangular mel filters = feature dimension (plus one with useEnergy). Default 80. */
  numBins: number;
  /** Lower edge of the first mel filter, Hz. Default 20. */
  lowFreq: number;
  /** Upper edge of the last mel filter, Hz; a value ≤ 0 means nyquist + highFreq (so 0 → 8000 at 16 kHz). Default 0. */
  highFreq: number;
  /** Pre-emphasis coefficient; 0 disables. Default 0.97. */
  preemphCoeff: number;
  /** Subtract each frame's mean before pre-emphasis. Default true. */
  removeDcOffset: boolean;
  /** Dither amount. Only 0 is supported (deterministic features); any other value is rejected. Default 0. */
  dither: number;
  /** Window function. Default 'povey' (Kaldi's default; sherpa-onnx uses 'hamming' for SenseVoice). */
  windowType: WindowType;
  /** Zero-pad frames to the next power of two for the FFT (400 → 512). Default true. */
  roundToPowerOfTwo: boolean;
  /**
   * true: only frames that fit entirely in the signal (numFrames = 1 + ⌊(n − length)/shift⌋, 0 if n < length).
   * false: Kaldi's centred frames, numFrames = ⌊(n + ⌊shift/2⌋)/shift⌋, samples beyond the ends reflected.
   * Default true.
   */
  snipEdges: boolean;
  /** Use power spectrum (true) or magnitude spectrum (false). Default true. */
  usePower: boolean;
  /** Take log(max(energy, FLT_EPSILON)) of mel energies. Default true. */
  useLog: boolean;
  /** Prepend (or with htkCompat append) the frame's raw log energy as an extra column. Default false. */
  useEnergy: boolean;
  /** With useEnergy: floor for the energy, linear scale (0 = no floor beyond FLT_EPSILON). Default 0. */
  energyFloor: number;
  /** With useEnergy: energy of the frame before pre-emphasis and windowing (Kaldi's raw_energy). Default true. */
  rawEnergy: boolean;
  /** HTK compatibility: energy column last, mel energies floored at 1, first weight of bin 0 zeroed. Default false. */
  htkCompat: boolean;
  /**
   * Every input sample is multiplied by this before anything else. 1 for inputs in [−1, 1];
   * 32768 for models that expect int16-scale input (sherpa-onnx metadata normalize_samples=0, e.g. SenseVoice).
   * Default 1.
   */
  sampleScale: number;
}

export const DEFAULT_FBANK_OPTIONS: Readonly<FbankOptions> = Object.freeze({
  sampleRate: 16000,
  frameLengthMs: 25,
  frameShiftMs: 10,
  numBins: 80,
  lowFreq: 20,
  highFreq: 0,
  preemphCoeff: 0.97,
  removeDcOffset: true,
  dither: 0,
  windowType: 'povey',
  roundToPowerOfTwo: true,
  snipEdges: true,
  usePower: true,
  useLog: true,
  useEnergy: false,
  energyFloor: 0,
  rawEnergy: true,
  htkCompat: false,
  sampleScale: 1,
});

/** FLT_EPSILON, the floor Kaldi applies before every log. */
export const FLT_EPSILON = 1.1920928955078125e-7;

/** Feature frames, row-major [numFrames, dim]. */
export interface FeatureMatrix {
  /** row-major [numFrames, dim] */
  data: Float32Array;
  numFrames: number;
  dim: number;
}

function invalid(field: string, value: unknown, requirement: string): TingxieError {
  return new TingxieError(
    ErrorCodes.CONFIG_INVALID,
    `Invalid fbank option ${field}=${String(value)}: ${requirement}`,
    { field, value },
  );
}

const OPTION_KEYS = Object.keys(DEFAULT_FBANK_OPTIONS) as (keyof FbankOptions)[];

const f32 = Math.fround;

/** Milliseconds → samples in float32 arithmetic, as kaldi-native-fbank: int(rate · 0.001f · ms). */
function msToSamples(sampleRate: number, ms: number): number {
  return Math.trunc(f32(f32(f32(sampleRate) * f32(0.001)) * f32(ms)));
}

/** Frame length in samples: int(sampleRate · 0.001 · frameLengthMs) (400 at 16 kHz, 25 ms). */
export function frameLengthSamples(opts: FbankOptions): number {
  return msToSamples(opts.sampleRate, opts.frameLengthMs);
}

/** Frame shift in samples: int(sampleRate · 0.001 · frameShiftMs) (160 at 16 kHz, 10 ms). */
export function frameShiftSamples(opts: FbankOptions): number {
  return msToSamples(opts.sampleRate, opts.frameShiftMs);
}

/** FFT size: frame length rounded up to a power of two when roundToPowerOfTwo (400 → 512). */
export function paddedFrameLength(opts: FbankOptions): number {
  const length = frameLengthSamples(opts);
  return opts.roundToPowerOfTwo ? roundUpToPowerOfTwo(length) : length;
}

/** The effective upper mel edge in Hz (highFreq ≤ 0 means nyquist + highFreq). */
export function effectiveHighFreq(opts: FbankOptions): number {
  return opts.highFreq > 0 ? opts.highFreq : 0.5 * opts.sampleRate + opts.highFreq;
}

/**
 * Fills defaults and checks every field; throws TingxieError CONFIG_INVALID with `detail.field` naming the first bad
 * field (unknown fields too). Whether numBins filters fit the FFT resolution is checked when an
 * {@link FbankComputer} builds them (also CONFIG_INVALID, field 'numBins').
 */
export function validateFbankOptions(opts: Partial<FbankOptions> = {}): FbankOptions {
  if (opts === null || typeof opts !== 'object') throw invalid('options', opts, 'must be an object');
  for (const key of Object.keys(opts)) {
    if (!(OPTION_KEYS as string[]).includes(key)) throw invalid(key, (opts as Record<string, unknown>)[key], 'unknown option');
  }
  const merged: FbankOptions = { ...DEFAULT_FBANK_OPTIONS };
  for (const key of OPTION_KEYS) {
    const value = opts[key];
    if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
  }
  const finite = (field: keyof FbankOptions): number => {
    const value = merged[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, value, 'must be a finite number');
    return value;
  };
  const bool = (field: keyof FbankOptions): void => {
    if (typeof merged[field] !== 'boolean') throw invalid(field, merged[field], 'must be a boolean');
  };

  const sampleRate = finite('sampleRate');
  if (sampleRate <= 0) throw invalid('sampleRate', sampleRate, 'must be > 0');
  if (finite('frameLengthMs') <= 0) throw invalid('frameLengthMs', merged.frameLengthMs, 'must be > 0');
  if (finite('frameShiftMs') <= 0) throw invalid('frameShiftMs', merged.frameShiftMs, 'must be > 0');
  if (frameLengthSamples(merged) < 2) throw invalid('frameLengthMs', merged.frameLengthMs, 'frame must span at least 2 samples');
  if (frameShiftSamples(merged) < 1) throw invalid('frameShiftMs', merged.frameShiftMs, 'shift must span at least 1 sample');
  const numBins = finite('numBins');
  if (!Number.isInteger(numBins) || numBins < 3) throw invalid('numBins', numBins, 'must be an integer ≥ 3');
  const nyquist = 0.5 * sampleRate;
  const lowFreq = finite('lowFreq');
  if (lowFreq < 0 || lowFreq >= nyquist) throw invalid('lowFreq', lowFreq, `must be in [0, ${nyquist})`);
  finite('highFreq');
  const highFreq = effectiveHighFreq(merged);
  if (!(highFreq > 0 && highFreq <= nyquist && highFreq > lowFreq)) {
    throw invalid('highFreq', merged.highFreq, `effective high frequency ${highFreq} Hz must be in (lowFreq, ${nyquist}]`);
  }
  const preemph = finite('preemphCoeff');
  if (preemph < 0 || preemph > 1) throw invalid('preemphCoeff', preemph, 'must be in [0, 1]');
  bool('removeDcOffset');
  if (finite('dither') !== 0) throw invalid('dither', merged.dither, 'only 0 is supported (features are deterministic)');
  if (!WINDOW_TYPES.includes(merged.windowType)) {
    throw invalid('windowType', merged.windowType, `must be one of ${WINDOW_TYPES.join(', ')}`);
  }
  bool('roundToPowerOfTwo');
  bool('snipEdges');
  bool('usePower');
  bool('useLog');
  bool('useEnergy');
  if (finite('energyFloor') < 0) throw invalid('energyFloor', merged.energyFloor, 'must be ≥ 0');
  bool('rawEnergy');
  bool('htkCompat');
  if (finite('sampleScale') <= 0) throw invalid('sampleScale', merged.sampleScale, 'must be > 0');
  return merged;
}

/**
 * Number of frames Kaldi produces for `numSamples` samples:
 * snipEdges: numSamples < L ? 0 : 1 + ⌊(numSamples − L)/S⌋; otherwise ⌊(numSamples + ⌊S/2⌋)/S⌋
 * (L = frame length, S = frame shift, in samples).
 */
export function numFbankFrames(numSamples: number, opts: FbankOptions): number {
  const length = frameLengthSamples(opts);
  const shift = frameShiftSamples(opts);
  if (opts.snipEdges) return numSamples < length ? 0 : 1 + Math.floor((numSamples - length) / shift);
  return Math.floor((numSamples + Math.floor(shift / 2)) / shift);
}

/** First sample of frame `frame` (may be negative without snipEdges), as Kaldi's FirstSampleOfFrame. */
function firstSampleOfFrame(frame: number, length: number, shift: number, snipEdges: boolean): number {
  if (snipEdges) return frame * shift;
  const midpoint = shift * frame + Math.floor(shift / 2);
  return midpoint - Math.floor(length / 2);
}

/**
 * Window coefficients w[i], i ∈ [0, length), with kaldi-native-fbank's definitions (see {@link WindowType}),
 * computed in float64 and rounded to float32 as kaldi-native-fbank stores them.
 */
export function windowFunction(type: WindowType, length: number): Float64Array {
  const w = new Float64Array(length);
  const a = type === 'hann' ? (2 * Math.PI) / length : (2 * Math.PI) / (length - 1);
  for (let i = 0; i < length; i++) {
    switch (type) {
      case 'hann':
      case 'hanning':
        w[i] = 0.5 - 0.5 * Math.cos(a * i);
        break;
      case 'sine':
        w[i] = Math.sin(0.5 * a * i);
        break;
      case 'hamming':
        w[i] = 0.54 - 0.46 * Math.cos(a * i);
        break;
      case 'povey':
        w[i] = Math.pow(0.5 - 0.5 * Math.cos(a * i), 0.85);
        break;
      case 'rectangular':
        w[i] = 1;
        break;
      case 'blackman': {
        const blackmanCoeff = 0.42;
        w[i] = blackmanCoeff - 0.5 * Math.cos(a * i) + (0.5 - blackmanCoeff) * Math.cos(2 * a * i);
        break;
      }
    }
    w[i] = f32(w[i]);
  }
  return w;
}

/** Kaldi's mel scale: mel(f) = 1127 · ln(1 + f/700), f in Hz (float64). */
export function melScale(freqHz: number): number {
  return 1127 * Math.log(1 + freqHz / 700);
}

/** Inverse of {@link melScale}: f = 700 · (exp(mel/1127) − 1). */
export function inverseMelScale(mel: number): number {
  return 700 * (Math.exp(mel / 1127) - 1);
}

/** {@link melScale} in float32 arithmetic, step by step as kaldi-native-fbank's MelScale(float). */
function melScaleF32(freqHz: number): number {
  return f32(1127 * f32(Math.log(f32(1 + f32(f32(freqHz) / 700)))));
}

/**
 * Sparse triangular mel filters over FFT bins [0, fftSize/2) (Kaldi's MelBanks, without VTLN).
 * Filter b covers FFT bins [offsets[b], offsets[b] + lengths[b]) with weights
 * weights[weightStarts[b] + j]; centerFreqs[b] is its centre in Hz.
 */
export interface MelBanks {
  numBins: number;
  /** Number of FFT bins the filters read, fftSize/2 (the Nyquist bin is not used, as in Kaldi). */
  numFftBins: number;
  offsets: Int32Array;
  lengths: Int32Array;
  weightStarts: Int32Array;
  weights: Float64Array;
  /** The first risingLengths[b] FFT bins of filter b lie on its rising edge (mel ≤ centre), the rest on its falling edge. */
  risingLengths: Int32Array;
  centerFreqs: Float64Array;
}

/**
 * Builds Kaldi's mel filters: numBins+2 points evenly spaced in mel between mel(lowFreq) and mel(highFreq);
 * FFT bin i (centre frequency i·sampleRate/fftSize, i ∈ [0, fftSize/2)) gets weight
 * (mel − left)/(centre − left) on the rising edge and (right − mel)/(right − centre) on the falling edge,
 * strictly inside (left, right).
 * Every step is rounded to float32 like kaldi-native-fbank's float code, so the weights (and which FFT bins sit
 * exactly on a filter edge) are the ones sherpa-onnx uses.
 */
export function createMelBanks(opts: FbankOptions, fftSize: number): MelBanks {
  const numBins = opts.numBins;
  const numFftBins = fftSize >>> 1;
  const fftBinWidth = f32(f32(opts.sampleRate) / fftSize);
  const melLow = melScaleF32(f32(opts.lowFreq));
  const melHigh = melScaleF32(f32(effectiveHighFreq(opts)));
  const melDelta = f32(f32(melHigh - melLow) / (numBins + 1));
  const offsets = new Int32Array(numBins);
  const lengths = new Int32Array(numBins);
  const weightStarts = new Int32Array(numBins);
  const centerFreqs = new Float64Array(numBins);
  const risingLengths = new Int32Array(numBins);
  const allWeights: number[] = [];
  const fftBinMels = new Float64Array(numFftBins);
  for (let i = 0; i < numFftBins; i++) fftBinMels[i] = melScaleF32(f32(fftBinWidth * i));
  for (let bin = 0; bin < numBins; bin++) {
    const leftMel = f32(melLow + f32(bin * melDelta));
    const centerMel = f32(melLow + f32((bin + 1) * melDelta));
    const rightMel = f32(melLow + f32((bin + 2) * melDelta));
    centerFreqs[bin] = inverseMelScale(centerMel);
    let first = -1;
    let last = -1;
    const binWeights: number[] = [];
    for (let i = 0; i < numFftBins; i++) {
      const mel = fftBinMels[i];
      if (mel > leftMel && mel < rightMel) {
        const weight =
          mel <= centerMel
            ? f32(f32(mel - leftMel) / f32(centerMel - leftMel))
            : f32(f32(rightMel - mel) / f32(rightMel - centerMel));
        if (first === -1) first = i;
        if (mel <= centerMel) risingLengths[bin]++;
        // Bins inside (left, right) are contiguous because mel is monotonic in i.
        last = i;
        binWeights.push(weight);
      }
    }
    if (first === -1) {
      throw invalid('numBins', numBins, `mel filter ${bin} covers no FFT bin; use fewer bins or a longer frame`);
    }
    if (opts.htkCompat && bin === 0 && melLow !== 0) binWeights[0] = 0;
    offsets[bin] = first;
    lengths[bin] = last - first + 1;
    weightStarts[bin] = allWeights.length;
    for (const w of binWeights) allWeights.push(w);
  }
  return {
    numBins,
    numFftBins,
    offsets,
    lengths,
    weightStarts,
    weights: Float64Array.from(allWeights),
    risingLengths,
    centerFreqs,
  };
}

/**
 * The mel filters rearranged by FFT bin: segment s ∈ [0, numBins] holds FFT bins [segmentStarts[s],
 * segmentStarts[s+1]), each with its weight on the falling edge of filter s−1 and on the rising edge of filter s
 * (0 where a bin is outside that filter). Kaldi's triangles overlap only with their neighbours, so this covers them.
 */
interface SegmentedMelLayout {
  segmentStarts: Int32Array;
  fallingWeights: Float64Array;
  risingWeights: Float64Array;
}

function segmentMelBanks(banks: MelBanks): SegmentedMelLayout {
  const numBins = banks.numBins;
  const numFftBins = banks.numFftBins;
  const fallingWeights = new Float64Array(numFftBins);
  const risingWeights = new Float64Array(numFftBins);
  // segmentOf[k]: the filter on whose rising edge bin k lies (its falling edge belongs to filter − 1); −1 = unused.
  const segmentOf = new Int32Array(numFftBins).fill(-1);
  const assign = (k: number, segment: number): void => {
    if (segmentOf[k] !== -1 && segmentOf[k] !== segment) {
      throw new TingxieError(ErrorCodes.INTERNAL, `FFT bin ${k} lies in non-adjacent mel filters`, { fftBin: k });
    }
    segmentOf[k] = segment;
  };
  for (let b = 0; b < numBins; b++) {
    const offset = banks.offsets[b];
    const start = banks.weightStarts[b];
    for (let j = 0; j < banks.lengths[b]; j++) {
      const k = offset + j;
      if (j < banks.risingLengths[b]) {
        assign(k, b);
        risingWeights[k] = banks.weights[start + j];
      } else {
        assign(k, b + 1);
        fallingWeights[k] = banks.weights[start + j];
      }
    }
  }
  // Segments must be contiguous runs in increasing order of FFT bin.
  const segmentStarts = new Int32Array(numBins + 2);
  let firstUsed = -1;
  let lastUsed = -1;
  for (let k = 0; k < numFftBins; k++) {
    if (segmentOf[k] === -1) continue;
    if (firstUsed === -1) firstUsed = k;
    lastUsed = k;
  }
  let k = firstUsed;
  for (let segment = 0; segment <= numBins; segment++) {
    segmentStarts[segment] = k;
    while (k <= lastUsed && (segmentOf[k] === segment || segmentOf[k] === -1)) k++;
  }
  segmentStarts[numBins + 1] = k;
  if (k !== lastUsed + 1) {
    throw new TingxieError(ErrorCodes.INTERNAL, 'mel filter segments are not ordered by FFT bin', { fftBin: k });
  }
  return { segmentStarts, fallingWeights, risingWeights };
}

/**
 * Computes fbank features with fixed options. The window, mel filters and FFT tables are built once in the
 * constructor; compute() allocates only its output and may be called any number of times. Its scratch buffers are
 * used only inside one synchronous call, so an instance can serve any number of callers (not across worker
 * threads, which cannot share it anyway).
 */
export class FbankComputer {
  readonly options: Readonly<FbankOptions>;
  /** Feature dimension: numBins, plus 1 with useEnergy. */
  readonly dim: number;
  readonly frameLength: number;
  readonly frameShift: number;
  readonly fftSize: number;
  readonly melBanks: MelBanks;
  private readonly window: Float64Array;
  private readonly fft: RealFft;
  /** Unscaled copy of a frame that reaches past the signal's ends (snipEdges false), reflected as Kaldi does. */
  private readonly edgeFrame: Float32Array;
  /** The windowed frame, zero-padded to fftSize (the padding is never written). */
  private readonly frame: Float64Array;
  private readonly power: Float64Array;
  private readonly logEnergyFloor: number;
  private readonly melLayout: SegmentedMelLayout;

  constructor(opts: Partial<FbankOptions> = {}) {
    const options = validateFbankOptions(opts);
    this.options = Object.freeze(options);
    this.frameLength = frameLengthSamples(options);
    this.frameShift = frameShiftSamples(options);
    this.fftSize = paddedFrameLength(options);
    if (!options.roundToPowerOfTwo && (this.fftSize & (this.fftSize - 1)) !== 0) {
      throw invalid('roundToPowerOfTwo', false, `frame length ${this.fftSize} is not a power of two; this FFT needs one`);
    }
    this.dim = options.numBins + (options.useEnergy ? 1 : 0);
    this.window = windowFunction(options.windowType, this.frameLength);
    this.fft = new RealFft(this.fftSize);
    this.melBanks = createMelBanks(options, this.fftSize);
    this.melLayout = segmentMelBanks(this.melBanks);
    this.edgeFrame = new Float32Array(this.frameLength);
    this.frame = new Float64Array(this.fftSize);
    this.power = new Float64Array(this.fftSize / 2 + 1);
    this.logEnergyFloor = options.energyFloor > 0 ? Math.log(options.energyFloor) : -Infinity;
  }

  /** Number of frames compute() returns for `numSamples` samples. */
  numFrames(numSamples: number): number {
    return numFbankFrames(numSamples, this.options);
  }

  /**
   * @param samples mono samples [numSamples] at options.sampleRate, nominally in [−1, 1] (scaled by sampleScale).
   * @returns log-mel features [numFrames, dim] (row-major); column 0 (or the last with htkCompat) is the log
   *          energy when useEnergy.
   */
  compute(samples: Float32Array): FeatureMatrix {
    const numFrames = this.numFrames(samples.length);
    const dim = this.dim;
    const data = new Float32Array(numFrames * dim);
    for (let f = 0; f < numFrames; f++) this.computeFrame(samples, f, data, f * dim);
    return { data, numFrames, dim };
  }

  private computeFrame(samples: Float32Array, frameIndex: number, out: Float32Array, outOffset: number): void {
    const opts = this.options;
    const rawLogEnergy = this.loadFrame(samples, frameIndex);
    const banks = this.melBanks;
    const power = this.power;
    this.fft.powerSpectrum(this.frame, power, banks.numFftBins);
    if (!opts.usePower) {
      for (let k = 0; k < banks.numFftBins; k++) power[k] = Math.sqrt(power[k]);
    }
    this.applyMelBanks(out, outOffset);
    if (opts.useEnergy) {
      const energyIndex = opts.htkCompat ? outOffset + banks.numBins : outOffset;
      out[energyIndex] = rawLogEnergy > this.logEnergyFloor ? rawLogEnergy : this.logEnergyFloor;
    }
  }

  /**
   * Extracts frame `frameIndex`, applies DC removal, pre-emphasis and the window, and writes it into this.frame. Returns the frame's log energy when useEnergy (else 0).
   */
  private loadFrame(samples: Float32Array, frameIndex: number): number {
    const opts = this.options;
    const length = this.frameLength;
    const scale = opts.sampleScale;
    const numSamples = samples.length;
    let start = firstSampleOfFrame(frameIndex, length, this.frameShift, opts.snipEdges);

    // Frames reaching outside the signal (only without snipEdges) are copied with Kaldi's reflection first.
    let source = samples;
    if (start < 0 || start + length > numSamples) {
      const edge = this.edgeFrame;
      for (let i = 0; i < length; i++) {
        let s = start + i;
        while (s < 0 || s >= numSamples) s = s < 0 ? -s - 1 : 2 * numSamples - 1 - s;
        edge[i] = samples[s];
      }
      source = edge;
      start = 0;
    }

    let mean = 0;
    if (opts.removeDcOffset) {
      let sum = 0;
      for (let i = 0; i < length; i++) sum += source[start + i];
      mean = (sum * scale) / length;
    }

    let rawLogEnergy = 0;
    if (opts.useEnergy && opts.rawEnergy) {
      let energy = 0;
      for (let i = 0; i < length; i++) {
        const y = source[start + i] * scale - mean;
        energy += y * y;
      }
      rawLogEnergy = Math.log(energy > FLT_EPSILON ? energy : FLT_EPSILON);
    }

    // DC removal, pre-emphasis and window in one pass: y[i] = x[i]·scale − mean;
    // z[i] = (y[i] − c·y[i−1])·w[i] with y[−1] := y[0]. frame[length…fftSize) is the zero padding, never written.
    const coeff = opts.preemphCoeff;
    const window = this.window;
    const frame = this.frame;
    let yPrev = source[start] * scale - mean;
    for (let i = 0; i < length; i++) {
      const y = source[start + i] * scale - mean;
      frame[i] = (y - coeff * yPrev) * window[i];
      yPrev = y;
    }

    if (opts.useEnergy && !opts.rawEnergy) {
      let energy = 0;
      for (let i = 0; i < length; i++) energy += frame[i] * frame[i];
      rawLogEnergy = Math.log(energy > FLT_EPSILON ? energy : FLT_EPSILON);
    }

    return rawLogEnergy;
  }

  /** Mel energies (log unless useLog is false) of this.power into out[outOffset…] (after the energy column). */
  private applyMelBanks(out: Float32Array, outOffset: number): void {
    const opts = this.options;
    const banks = this.melBanks;
    const power = this.power;

    // Mel filters, walking the FFT bins once: in segment s (between the centres of filters s−1 and s) each bin adds
    // to the falling edge of filter s−1 and the rising edge of filter s. Every filter still sums its bins in
    // increasing order, exactly as a per-filter dot product would.
    // Filter b = segment − 1 goes to column b (after the energy column unless htkCompat).
    const melOffset = (opts.useEnergy && !opts.htkCompat ? outOffset + 1 : outOffset) - 1;
    const layout = this.melLayout;
    const segmentStarts = layout.segmentStarts;
    const fallingWeights = layout.fallingWeights;
    const risingWeights = layout.risingWeights;
    const numBins = banks.numBins;
    const useLog = opts.useLog;
    const htk = opts.htkCompat;
    let previous = 0;
    let k = segmentStarts[0];
    for (let segment = 0; segment <= numBins; segment++) {
      const end = segmentStarts[segment + 1];
      let current = 0;
      for (; k < end; k++) {
        const p = power[k];
        previous += fallingWeights[k] * p;
        current += risingWeights[k] * p;
      }
      if (segment > 0) {
        let energy = previous;
        if (htk && energy < 1) energy = 1;
        if (useLog) energy = Math.log(energy > FLT_EPSILON ? energy : FLT_EPSILON);
        out[melOffset + segment] = energy;
      }
      previous = current;
    }
  }
}

/** One-shot convenience: validates options, builds an {@link FbankComputer} and computes features [numFrames, dim]. */
export function computeFbank(samples: Float32Array, opts: Partial<FbankOptions> = {}): FeatureMatrix {
  return new FbankComputer(opts).compute(samples);
}
