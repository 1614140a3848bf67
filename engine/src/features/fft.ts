import { ErrorCodes, TingxieError } from '../errors.ts';

/**
 * Power-of-two FFTs for feature extraction.
 *
 * - {@link ComplexFft}: iterative in-place decimation-in-time complex FFT of a power-of-two size (radix-4 stages
 *   over a radix-2 bit-reversed ordering), with the permutation and twiddle factors tabulated once per size.
 * - {@link RealFft}: FFT of a real signal of (power-of-two) length N, computed with one complex FFT of length N/2
 *   (even samples as real part, odd samples as imaginary part) followed by the usual split step.
 *
 * Sign convention (same as Kaldi / numpy): X[k] = Σ_n x[n] · exp(−2πi·k·n/N), no scaling.
 * All arithmetic is in float64. A plan object owns its scratch buffers, so one plan must not be used by two
 * computations at the same time; JavaScript's run-to-completion semantics make each synchronous call safe.
 */

/** True when `n` is an integer power of two (1, 2, 4, …). */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0 && n <= 0x40000000;
}

/** Smallest power of two ≥ n (n ≥ 1). */
export function roundUpToPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function assertFftSize(size: number, minimum: number): void {
  if (!isPowerOfTwo(size) || size < minimum) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `FFT size must be a power of two ≥ ${minimum}, got ${size}`, {
      field: 'size',
      value: size,
    });
  }
}

/**
 * In-place complex FFT of a fixed power-of-two size: bit-reversal permutation, then radix-4 decimation-in-time
 * stages (plus one radix-2 stage when log2(size) is odd).
 *
 * A radix-4 stage merges four consecutive length-q sub-transforms B0…B3 (of the input samples ≡ 0, 2, 1, 3 mod 4
 * within the block, which is where binary bit reversal puts them) into one of length 4q. With W = exp(−2πi/4q),
 * a = W^{2k}·B1[k], b = W^k·B2[k], c = W^{3k}·B3[k]:
 *   X[k] = B0 + a + b + c,  X[k+q] = B0 − a − i(b − c),  X[k+2q] = B0 + a − b − c,  X[k+3q] = B0 − a + i(b − c).
 */
export class ComplexFft {
  /** Number of complex points. */
  readonly size: number;
  /** bitReverse[i] = index i with its log2(size) bits reversed. */
  readonly bitReverse: Uint32Array;
  /**
   * Radix-4 twiddles, stage by stage (q = sub-transform length): at offset stageOffset(q) + 3k + {0,1,2} are
   * W^k, W^{2k}, W^{3k}, k ∈ [0, q), interleaved so the butterfly reads them from one cache line.
   */
  private readonly twiddleRe: Float64Array;
  private readonly twiddleIm: Float64Array;
  /** Whether a radix-2 stage runs first (log2(size) odd). */
  private readonly radix2First: boolean;

  constructor(size: number) {
    assertFftSize(size, 1);
    this.size = size;
    const bits = Math.round(Math.log2(size));
    this.bitReverse = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
      this.bitReverse[i] = r;
    }
    this.radix2First = bits % 2 === 1;
    let total = 0;
    for (let q = this.radix2First ? 2 : 1; 4 * q <= size; q *= 4) total += 3 * q;
    this.twiddleRe = new Float64Array(Math.max(total, 1));
    this.twiddleIm = new Float64Array(Math.max(total, 1));
    let offset = 0;
    for (let q = this.radix2First ? 2 : 1; 4 * q <= size; q *= 4) {
      for (let k = 0; k < q; k++) {
        for (let m = 1; m <= 3; m++) {
          const angle = (2 * Math.PI * m * k) / (4 * q);
          this.twiddleRe[offset + 3 * k + m - 1] = Math.cos(angle);
          this.twiddleIm[offset + 3 * k + m - 1] = -Math.sin(angle);
        }
      }
      offset += 3 * q;
    }
  }

  /**
   * Forward transform in place: (re, im) of length ≥ size hold x[n] on entry and X[k] on return.
   * X[k] = Σ_n x[n]·exp(−2πi·k·n/size), unscaled.
   */
  forward(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const rev = this.bitReverse;
    for (let i = 0; i < n; i++) {
      const j = rev[i];
      if (j > i) {
        const tr = re[i];
        re[i] = re[j];
        re[j] = tr;
        const ti = im[i];
        im[i] = im[j];
        im[j] = ti;
      }
    }
    this.forwardBitReversed(re, im);
  }

  /** As {@link forward}, but the input is already in bit-reversed order: (re, im)[bitReverse[i]] = x[i]. */
  forwardBitReversed(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    if (this.radix2First) {
      for (let i = 0; i + 1 < n; i += 2) {
        const ar = re[i];
        const ai = im[i];
        const br = re[i + 1];
        const bi = im[i + 1];
        re[i] = ar + br;
        im[i] = ai + bi;
        re[i + 1] = ar - br;
        im[i + 1] = ai - bi;
      }
    } else {
      if (n < 4) return; // size 1: X = x
      // q = 1: all twiddles are 1.
      for (let i = 0; i < n; i += 4) {
        const s0r = re[i] + re[i + 1];
        const s0i = im[i] + im[i + 1];
        const s1r = re[i] - re[i + 1];
        const s1i = im[i] - im[i + 1];
        const s2r = re[i + 2] + re[i + 3];
        const s2i = im[i + 2] + im[i + 3];
        const s3r = re[i + 2] - re[i + 3];
        const s3i = im[i + 2] - im[i + 3];
        re[i] = s0r + s2r;
        im[i] = s0i + s2i;
        re[i + 2] = s0r - s2r;
        im[i + 2] = s0i - s2i;
        re[i + 1] = s1r + s3i;
        im[i + 1] = s1i - s3r;
        re[i + 3] = s1r - s3i;
        im[i + 3] = s1i + s3r;
      }
    }
    this.laterStages(re, im);
  }

  /**
   * Transform of z[m] = input[2m] + i·input[2m+1], m ∈ [0, size) (interleaved, natural order; `input` has length
   * ≥ 2·size and is not modified) into (re, im). The bit-reversed gather is fused with the first butterfly stage,
   * so a real frame of 2·size samples goes in without a separate permutation pass.
   */
  forwardInterleaved(input: Float64Array, re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const rev = this.bitReverse;
    if (this.radix2First) {
      for (let i = 0; i + 1 < n; i += 2) {
        const a = 2 * rev[i];
        const b = 2 * rev[i + 1];
        const ar = input[a];
        const ai = input[a + 1];
        const br = input[b];
        const bi = input[b + 1];
        re[i] = ar + br;
        im[i] = ai + bi;
        re[i + 1] = ar - br;
        im[i + 1] = ai - bi;
      }
    } else {
      if (n < 4) {
        // size 1: X = z
        re[0] = input[0];
        im[0] = input[1];
        return;
      }
      for (let i = 0; i < n; i += 4) {
        // Slots i…i+3 hold z at rev[i], rev[i+1], rev[i+2], rev[i+3].
        const p0 = 2 * rev[i];
        const p1 = 2 * rev[i + 1];
        const p2 = 2 * rev[i + 2];
        const p3 = 2 * rev[i + 3];
        const x0r = input[p0];
        const x0i = input[p0 + 1];
        const x1r = input[p1];
        const x1i = input[p1 + 1];
        const x2r = input[p2];
        const x2i = input[p2 + 1];
        const x3r = input[p3];
        const x3i = input[p3 + 1];
        const s0r = x0r + x1r;
        const s0i = x0i + x1i;
        const s1r = x0r - x1r;
        const s1i = x0i - x1i;
        const s2r = x2r + x3r;
        const s2i = x2i + x3i;
        const s3r = x2r - x3r;
        const s3i = x2i - x3i;
        re[i] = s0r + s2r;
        im[i] = s0i + s2i;
        re[i + 2] = s0r - s2r;
        im[i + 2] = s0i - s2i;
        re[i + 1] = s1r + s3i;
        im[i + 1] = s1i - s3r;
        re[i + 3] = s1r - s3i;
        im[i + 3] = s1i + s3r;
      }
    }
    this.laterStages(re, im);
  }

  /** The radix-4 stages after the first (radix-2 or twiddle-free radix-4) one. */
  private laterStages(re: Float64Array, im: Float64Array): void {
    const n = this.size;
    const twRe = this.twiddleRe;
    const twIm = this.twiddleIm;
    let q = this.radix2First ? 2 : 4;
    let offset = this.radix2First ? 0 : 3;
    for (; 4 * q <= n; q *= 4) {
      const span = 4 * q;
      // k = 0: all three twiddles are 1, so the butterflies need no multiplications (same result bit for bit).
      for (let i0 = 0; i0 < n; i0 += span) {
        const i1 = i0 + q;
        const i2 = i1 + q;
        const i3 = i2 + q;
        const ar = re[i1];
        const ai = im[i1];
        const br = re[i2];
        const bi = im[i2];
        const cr = re[i3];
        const ci = im[i3];
        const x0r = re[i0];
        const x0i = im[i0];
        const s0r = x0r + ar;
        const s0i = x0i + ai;
        const s1r = x0r - ar;
        const s1i = x0i - ai;
        const s2r = br + cr;
        const s2i = bi + ci;
        const s3r = br - cr;
        const s3i = bi - ci;
        re[i0] = s0r + s2r;
        im[i0] = s0i + s2i;
        re[i2] = s0r - s2r;
        im[i2] = s0i - s2i;
        re[i1] = s1r + s3i;
        im[i1] = s1i - s3r;
        re[i3] = s1r - s3i;
        im[i3] = s1i + s3r;
      }
      // k ≥ 1: twiddles loaded once per k, then applied to that k in every block of the stage.
      for (let k = 1, t = offset + 3; k < q; k++, t += 3) {
        const w1r = twRe[t];
        const w1i = twIm[t];
        const w2r = twRe[t + 1];
        const w2i = twIm[t + 1];
        const w3r = twRe[t + 2];
        const w3i = twIm[t + 2];
        for (let i0 = k; i0 < n; i0 += span) {
          const i1 = i0 + q;
          const i2 = i1 + q;
          const i3 = i2 + q;
          // a = W^{2k}·B1, b = W^k·B2, c = W^{3k}·B3
          const x1r = re[i1];
          const x1i = im[i1];
          const ar = x1r * w2r - x1i * w2i;
          const ai = x1r * w2i + x1i * w2r;
          const x2r = re[i2];
          const x2i = im[i2];
          const br = x2r * w1r - x2i * w1i;
          const bi = x2r * w1i + x2i * w1r;
          const x3r = re[i3];
          const x3i = im[i3];
          const cr = x3r * w3r - x3i * w3i;
          const ci = x3r * w3i + x3i * w3r;
          const x0r = re[i0];
          const x0i = im[i0];
          const s0r = x0r + ar;
          const s0i = x0i + ai;
          const s1r = x0r - ar;
          const s1i = x0i - ai;
          const s2r = br + cr;
          const s2i = bi + ci;
          const s3r = br - cr;
          const s3i = bi - ci;
          re[i0] = s0r + s2r;
          im[i0] = s0i + s2i;
          re[i2] = s0r - s2r;
          im[i2] = s0i - s2i;
          // s1 ∓ i·s3
          re[i1] = s1r + s3i;
          im[i1] = s1i - s3r;
          re[i3] = s1r - s3i;
          im[i3] = s1i + s3r;
        }
      }
      offset += 3 * q;
    }
  }
}

/**
 * FFT of a real signal of power-of-two length N ≥ 2, returning bins 0…N/2 (the rest follow by conjugate symmetry).
 * Uses one complex FFT of size N/2: z[m] = x[2m] + i·x[2m+1]; with Z = FFT(z),
 * X[k] = (Z[k] + conj(Z[N/2−k]))/2 − i·exp(−2πik/N)·(Z[k] − conj(Z[N/2−k]))/2.
 */
export class RealFft {
  /** Number of real input samples N. */
  readonly size: number;
  /** Number of output bins, N/2 + 1. */
  readonly numBins: number;
  private readonly complex: ComplexFft;
  /** Z = FFT(z), scratch of the half-size complex FFT. */
  private readonly zRe: Float64Array;
  private readonly zIm: Float64Array;
  /** cos(2πk/N) and −sin(2πk/N) for k ∈ [0, N/2]. */
  private readonly splitCos: Float64Array;
  private readonly splitSin: Float64Array;

  constructor(size: number) {
    assertFftSize(size, 2);
    this.size = size;
    const half = size >>> 1;
    this.numBins = half + 1;
    this.complex = new ComplexFft(half);
    this.zRe = new Float64Array(half);
    this.zIm = new Float64Array(half);
    this.splitCos = new Float64Array(half + 1);
    this.splitSin = new Float64Array(half + 1);
    for (let k = 0; k <= half; k++) {
      const angle = (2 * Math.PI * k) / size;
      this.splitCos[k] = Math.cos(angle);
      this.splitSin[k] = -Math.sin(angle);
    }
  }

  /**
   * Spectrum of `input` (length ≥ N; only the first N samples are read) into `outRe`/`outIm`
   * (length ≥ N/2+1): bin k ∈ [0, N/2] is X[k] at frequency k·sampleRate/N. `input` is not modified.
   */
  forward(input: Float64Array, outRe: Float64Array, outIm: Float64Array): void {
    const half = this.size >>> 1;
    const zr = this.zRe;
    const zi = this.zIm;
    this.complex.forwardInterleaved(input, zr, zi);
    const cosT = this.splitCos;
    const sinT = this.splitSin;
    for (let k = 0; k <= half; k++) {
      const k1 = k === half ? 0 : k;
      const k2 = k === 0 ? 0 : half - k;
      // Even part E = (Z[k] + conj(Z[h−k]))/2, odd part O = (Z[k] − conj(Z[h−k]))/(2i).
      const er = 0.5 * (zr[k1] + zr[k2]);
      const ei = 0.5 * (zi[k1] - zi[k2]);
      const or = 0.5 * (zi[k1] + zi[k2]);
      const oi = -0.5 * (zr[k1] - zr[k2]);
      const wr = cosT[k];
      const wi = sinT[k];
      outRe[k] = er + (or * wr - oi * wi);
      outIm[k] = ei + (or * wi + oi * wr);
    }
  }

  /**
   * Power spectrum |X[k]|² for k ∈ [0, numOut) into `out` (numOut ≤ N/2+1, default N/2+1).
   * Skipping the Nyquist bin (numOut = N/2) is what Kaldi's mel banks need. `input` (length ≥ N) is not modified.
   * Allocates nothing.
   */
  powerSpectrum(input: Float64Array, out: Float64Array, numOut: number = this.numBins): void {
    const half = this.size >>> 1;
    const zr = this.zRe;
    const zi = this.zIm;
    this.complex.forwardInterleaved(input, zr, zi);
    const cosT = this.splitCos;
    const sinT = this.splitSin;
    const limit = Math.min(numOut, half + 1);
    // DC and Nyquist are real: X[0] = Σeven + Σodd, X[N/2] = Σeven − Σodd.
    if (limit > 0) {
      const dc = zr[0] + zi[0];
      out[0] = dc * dc;
    }
    // Bins k and h − k (h = N/2) share their inputs: with E = (Z[k] + conj(Z[h−k]))/2,
    // O = (Z[k] − conj(Z[h−k]))/(2i) and t = exp(−2πik/N)·O: X[k] = E + t and X[h−k] = conj(E − t),
    // since E and O turn into their conjugates and the twiddle into −conj(twiddle) when k ↔ h − k.
    for (let k = 1; 2 * k <= half; k++) {
      const k2 = half - k;
      const ar = zr[k];
      const ai = zi[k];
      const br = zr[k2];
      const bi = zi[k2];
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai - bi);
      const or = 0.5 * (ai + bi);
      const oi = -0.5 * (ar - br);
      const wr = cosT[k];
      const wi = sinT[k];
      const tr = or * wr - oi * wi;
      const ti = or * wi + oi * wr;
      const xr = er + tr;
      const xi = ei + ti;
      if (k < limit) out[k] = xr * xr + xi * xi;
      if (k2 !== k && k2 < limit) {
        const yr = er - tr;
        const yi = ti - ei;
        out[k2] = yr * yr + yi * yi;
      }
    }
    if (limit === half + 1 && half >= 1) {
      const ny = zr[0] - zi[0];
      out[half] = ny * ny;
    }
  }
}
