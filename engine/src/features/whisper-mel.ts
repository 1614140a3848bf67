/**
 * Whisper's log-Mel spectrogram, as pure functions.
 *
 * Whisper's definition (openai/whisper audio.py): 16 kHz mono samples in [-1, 1] → 400-point STFT with a periodic
 * Hann window and hop 160 (25 ms / 10 ms) → power spectrum (|X|², 201 bins) → Slaney-style mel filters
 * (librosa.filters.mel(sr=16000, n_fft=400, n_mels=80|128): Slaney mel scale, area-normalised triangles) →
 * log10(max(x, 1e-10)) → max(x, max(x) − 8) → (x + 4) / 4, then padded or trimmed to 3000 frames (30 s).
 *
 * Framing follows kaldi-native-fbank's Whisper computer, which sherpa-onnx uses (and which Tingxie must match to
 * give sherpa-onnx's tokens): frame f covers samples [160f − 120, 160f + 280) — centred on 160f + 80 — with
 * out-of-range samples mirrored Kaldi-style (−1 → 0, N → N − 1), and there are ⌊(N + 80) / 160⌋ frames.
 * openai/whisper instead centres frame f on sample 160f with reflect padding and ⌊N / 160⌋ frames; the spectra
 * are the same analysis, shifted by half a hop.
 *
 * Shapes: feature matrices are row-major [numFrames][numMels] Float32Array (frame-major), the layout sherpa-onnx
 * builds before transposing to the encoder's [1, numMels, T].
 */
import { ErrorCodes, TingxieError } from '../errors.ts';

export const WHISPER_SAMPLE_RATE = 16000;
/** STFT size and window length in samples (25 ms). */
export const WHISPER_N_FFT = 400;
/** Hop in samples (10 ms). */
export const WHISPER_HOP = 160;
/** Frames in Whisper's 30 s window. */
export const WHISPER_CHUNK_FRAMES = 3000;
/** Mel bin counts Whisper models use: 80 (tiny … large-v2) or 128 (large-v3). */
export const WHISPER_MEL_BIN_COUNTS = [80, 128] as const;

const NUM_FFT_BINS = WHISPER_N_FFT / 2 + 1;

export interface WhisperFeatures {
  /** Row-major [numFrames][numMels]. */
  data: Float32Array;
  numFrames: number;
  numMels: number;
}

function assertMelCount(numMels: number): void {
  if (!(WHISPER_MEL_BIN_COUNTS as readonly number[]).includes(numMels)) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `Whisper mel bins must be 80 or 128, got ${numMels}`, { field: 'n_mels', value: numMels });
  }
}

/** Slaney mel scale (librosa htk=False): linear below 1 kHz (3 mels per 200 Hz), logarithmic above. */
export function hzToMelSlaney(hz: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return hz < minLogHz ? hz / fSp : minLogMel + Math.log(hz / minLogHz) / logStep;
}

export function melToHzSlaney(mel: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return mel < minLogMel ? mel * fSp : minLogHz * Math.exp(logStep * (mel - minLogMel));
}

/**
 * librosa.filters.mel(sr=16000, n_fft=400, n_mels, fmin=0, fmax=8000, htk=False, norm='slaney').
 * @returns row-major [numMels][201] weights (per power-spectrum bin k at k·40 Hz)
 */
export function whisperMelFilters(numMels: number): Float32Array {
  assertMelCount(numMels);
  const melMin = hzToMelSlaney(0);
  const melMax = hzToMelSlaney(WHISPER_SAMPLE_RATE / 2);
  const edgesHz = new Float64Array(numMels + 2);
  for (let i = 0; i < numMels + 2; i++) edgesHz[i] = melToHzSlaney(melMin + ((melMax - melMin) * i) / (numMels + 1));
  const filters = new Float32Array(numMels * NUM_FFT_BINS);
  for (let m = 0; m < numMels; m++) {
    const left = edgesHz[m];
    const centre = edgesHz[m + 1];
    const right = edgesHz[m + 2];
    const norm = 2 / (right - left);
    for (let k = 0; k < NUM_FFT_BINS; k++) {
      const hz = (k * WHISPER_SAMPLE_RATE) / WHISPER_N_FFT;
      const rising = (hz - left) / (centre - left);
      const falling = (right - hz) / (right - centre);
      const weight = Math.max(0, Math.min(rising, falling));
      filters[m * NUM_FFT_BINS + k] = weight * norm;
    }
  }
  return filters;
}

/** Periodic Hann window of length 400: 0.5 − 0.5·cos(2πn/400) (torch.hann_window's default). */
export function whisperWindow(): Float64Array {
  const w = new Float64Array(WHISPER_N_FFT);
  for (let n = 0; n < WHISPER_N_FFT; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / WHISPER_N_FFT);
  return w;
}

/** Number of frames for `numSamples` samples: ⌊(numSamples + 80) / 160⌋ (kaldi-native-fbank, snip_edges = false). */
export function whisperNumFrames(numSamples: number): number {
  return Math.floor((numSamples + WHISPER_HOP / 2) / WHISPER_HOP);
}

/**
 * 400-point power spectrum by a two-stage Cooley–Tukey split 400 = 16 × 25: sixteen 25-point DFTs over the
 * residues n ≡ r (mod 16), combined with twiddles W₄₀₀^{rk}. Tables are built once per instance.
 */
export class PowerSpectrum400 {
  static readonly N1 = 16;
  static readonly N2 = 25;
  readonly #cos25 = new Float64Array(25 * 25);
  readonly #sin25 = new Float64Array(25 * 25);
  readonly #cos400 = new Float64Array(WHISPER_N_FFT);
  readonly #sin400 = new Float64Array(WHISPER_N_FFT);
  readonly #subRe = new Float64Array(16 * 25);
  readonly #subIm = new Float64Array(16 * 25);

  constructor() {
    for (let k = 0; k < 25; k++) {
      for (let m = 0; m < 25; m++) {
        const angle = (2 * Math.PI * ((k * m) % 25)) / 25;
        this.#cos25[k * 25 + m] = Math.cos(angle);
        this.#sin25[k * 25 + m] = Math.sin(angle);
      }
    }
    for (let i = 0; i < WHISPER_N_FFT; i++) {
      this.#cos400[i] = Math.cos((2 * Math.PI * i) / WHISPER_N_FFT);
      this.#sin400[i] = Math.sin((2 * Math.PI * i) / WHISPER_N_FFT);
    }
  }

  /** |X[k]|² for k ∈ [0, 200] of the 400 real samples in `frame`, into `out`. */
  compute(frame: Float64Array, out: Float64Array): void {
    const subRe = this.#subRe;
    const subIm = this.#subIm;
    const c25 = this.#cos25;
    const s25 = this.#sin25;
    // Y_r[k2] = Σ_m x[16m + r] · e^{−2πi·k2·m/25}
    for (let r = 0; r < 16; r++) {
      for (let k2 = 0; k2 < 25; k2++) {
        let re = 0;
        let im = 0;
        const row = k2 * 25;
        for (let m = 0; m < 25; m++) {
          const x = frame[16 * m + r];
          re += x * c25[row + m];
          im -= x * s25[row + m];
        }
        subRe[r * 25 + k2] = re;
        subIm[r * 25 + k2] = im;
      }
    }
    // X[k] = Σ_r e^{−2πi·r·k/400} · Y_r[k mod 25]
    const c400 = this.#cos400;
    const s400 = this.#sin400;
    for (let k = 0; k < NUM_FFT_BINS; k++) {
      const k2 = k % 25;
      let re = 0;
      let im = 0;
      for (let r = 0; r < 16; r++) {
        const t = (r * k) % WHISPER_N_FFT;
        const yr = subRe[r * 25 + k2];
        const yi = subIm[r * 25 + k2];
        const wr = c400[t];
        const wi = -s400[t];
        re += yr * wr - yi * wi;
        im += yr * wi + yi * wr;
      }
      out[k] = re * re + im * im;
    }
  }
}

/**
 * Computes mel power features (before the log) frame by frame. One instance holds its tables and scratch
 * buffers; `compute` is synchronous, so one instance may serve many calls.
 */
export class WhisperMelComputer {
  readonly numMels: number;
  readonly #filters: Float32Array;
  /** Per mel bin, the first and one-past-last non-zero FFT bin. */
  readonly #ranges: Int32Array;
  readonly #window = whisperWindow();
  readonly #fft = new PowerSpectrum400();
  readonly #frame = new Float64Array(WHISPER_N_FFT);
  readonly #power = new Float64Array(NUM_FFT_BINS);

  constructor(numMels: number) {
    this.numMels = numMels;
    this.#filters = whisperMelFilters(numMels);
    this.#ranges = new Int32Array(numMels * 2);
    for (let m = 0; m < numMels; m++) {
      let first = -1;
      let last = -1;
      for (let k = 0; k < NUM_FFT_BINS; k++) {
        if (this.#filters[m * NUM_FFT_BINS + k] !== 0) {
          if (first < 0) first = k;
          last = k;
        }
      }
      this.#ranges[2 * m] = Math.max(first, 0);
      this.#ranges[2 * m + 1] = last + 1;
    }
  }

  /**
   * Mel power spectrogram (no log): [whisperNumFrames(N)][numMels].
   * @param samples 16 kHz mono, nominally in [-1, 1]
   */
  melPower(samples: Float32Array): WhisperFeatures {
    const numFrames = samples.length === 0 ? 0 : whisperNumFrames(samples.length);
    const numMels = this.numMels;
    const data = new Float32Array(numFrames * numMels);
    const frame = this.#frame;
    const power = this.#power;
    const window = this.#window;
    const n = samples.length;
    for (let f = 0; f < numFrames; f++) {
      const start = f * WHISPER_HOP + WHISPER_HOP / 2 - WHISPER_N_FFT / 2;
      if (start >= 0 && start + WHISPER_N_FFT <= n) {
        for (let i = 0; i < WHISPER_N_FFT; i++) frame[i] = samples[start + i] * window[i];
      } else {
        for (let i = 0; i < WHISPER_N_FFT; i++) {
          let s = start + i;
          // Kaldi-style mirroring at the edges: −1 → 0, N → N − 1 (repeated for very short inputs).
          while (s < 0 || s >= n) s = s < 0 ? -s - 1 : 2 * n - 1 - s;
          frame[i] = samples[s] * window[i];
        }
      }
      this.#fft.compute(frame, power);
      const row = f * numMels;
      for (let m = 0; m < numMels; m++) {
        const offset = m * NUM_FFT_BINS;
        let energy = 0;
        for (let k = this.#ranges[2 * m]; k < this.#ranges[2 * m + 1]; k++) energy += this.#filters[offset + k] * power[k];
        data[row + m] = energy;
      }
    }
    return { data, numFrames, numMels };
  }

  /** Normalised log-Mel features of the whole input: `normalizeWhisperLogMel(melPower(samples))`. */
  logMel(samples: Float32Array): WhisperFeatures {
    const power = this.melPower(samples);
    normalizeWhisperLogMel(power.data, power.numFrames * power.numMels);
    return power;
  }
}

/**
 * In place over the first `count` values: x ← log10(max(x, 1e-10)); x ← max(x, max − 8); x ← (x + 4) / 4.
 * The maximum is taken over those `count` values only (the audio, not the padding).
 */
export function normalizeWhisperLogMel(data: Float32Array, count: number = data.length): void {
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = Math.log10(Math.max(data[i], 1e-10));
    data[i] = v;
    if (v > max) max = v;
  }
  const floor = max - 8;
  for (let i = 0; i < count; i++) data[i] = (Math.max(data[i], floor) + 4) / 4;
}

/**
 * Whisper's pad_or_trim on frames: the first `targetFrames` rows, padded with rows of `padValue`.
 * @returns row-major [targetFrames][numMels]
 */
export function padOrTrimFrames(features: WhisperFeatures, targetFrames: number = WHISPER_CHUNK_FRAMES, padValue = 0): WhisperFeatures {
  const { numMels } = features;
  const data = new Float32Array(targetFrames * numMels);
  const kept = Math.min(features.numFrames, targetFrames);
  data.set(features.data.subarray(0, kept * numMels));
  if (padValue !== 0) data.fill(padValue, kept * numMels);
  return { data, numFrames: targetFrames, numMels };
}

/** Row-major [T][numMels] → row-major [numMels][T] (the encoder's mel layout for batch 1). */
export function transposeFrames(features: WhisperFeatures): Float32Array {
  const { data, numFrames, numMels } = features;
  const out = new Float32Array(data.length);
  for (let t = 0; t < numFrames; t++) {
    const row = t * numMels;
    for (let m = 0; m < numMels; m++) out[m * numFrames + t] = data[row + m];
  }
  return out;
}
