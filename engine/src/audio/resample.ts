import { ErrorCodes, TingxieError } from '../errors.ts';

/**
 * Band-limited sample-rate conversion: a Kaiser-windowed sinc low-pass evaluated as a polyphase filter.
 *
 * Design (rates in Hz, `nyquist = min(fromRate, toRate) / 2`):
 * - cutoff (−6 dB point) at `rolloff · nyquist` (default rolloff 0.95, so 7600 Hz when converting to 16 kHz);
 * - transition band `cutoff ± (1 − rolloff) · nyquist`: flat passband up to `(2·rolloff − 1) · nyquist`
 *   (7200 Hz for 16 kHz output, ripple ≈ 1e-4 ≈ ±0.001 dB) and the stopband starting exactly at `nyquist`
 *   (8000 Hz), so anything that would alias is attenuated by at least `stopbandDb` (default 80 dB);
 * - Kaiser β = 0.1102·(stopbandDb − 8.7); filter length from Kaiser's formula
 *   `taps = (stopbandDb − 7.95) / (14.36 · transitionWidth / fromRate)`, measured in input samples:
 *   ≈ 301 taps for 48 kHz→16 kHz, ≈ 277 for 44.1 kHz→16 kHz, ≈ 101 for 8 kHz→16 kHz (that is, per output sample).
 *
 * The conversion ratio is reduced to `toRate/fromRate = L/M`; output sample n lies at input time `n·M/L`, so one of L
 * filter phases is used per output sample. Up to {@link MAX_EXACT_PHASES} phases are tabulated exactly; for odd rate
 * pairs needing more, weights are linearly interpolated between {@link MAX_EXACT_PHASES} tabulated phases
 * (interpolation error ≈ −120 dB). Input before the start and after the end counts as silence, and the filter is
 * zero-phase, so output sample n is time-aligned with input time n·fromRate/toRate.
 */
export interface ResamplerOptions {
  /** Cutoff as a fraction of the lower Nyquist frequency, in (0.5, 1). Default 0.95. */
  rolloff?: number;
  /** Minimum attenuation above the lower Nyquist frequency, in dB (40…160). Default 80. */
  stopbandDb?: number;
}

export const DEFAULT_ROLLOFF = 0.95;
export const DEFAULT_STOPBAND_DB = 80;
/** Largest number of exactly tabulated filter phases (covers every common rate → 16 kHz, e.g. 11025 Hz needs 640). */
export const MAX_EXACT_PHASES = 1024;

/** Filter design derived from a rate pair; exposed for documentation and tests. */
export interface ResamplerDesign {
  fromRate: number;
  toRate: number;
  /** Output/input ratio reduced to lowest terms: toRate/fromRate = upFactor/downFactor. */
  upFactor: number;
  downFactor: number;
  /** −6 dB cutoff, Hz. */
  cutoffHz: number;
  /** Half the filter support, in input samples; each output sample reads 2·halfWidth input samples. */
  halfWidth: number;
  kaiserBeta: number;
  /** Number of tabulated phases (= upFactor when exact). */
  phases: number;
  exactPhases: boolean;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for x ≤ 40). */
function besselI0(x: number): number {
  const halfX = x / 2;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 200; k++) {
    term *= halfX / k;
    const squared = term * term;
    sum += squared;
    if (squared < sum * 1e-17) break;
  }
  return sum;
}

function checkRate(name: string, rate: number): void {
  if (!Number.isInteger(rate) || rate <= 0 || rate > 10_000_000) {
    throw new TingxieError(ErrorCodes.INTERNAL, `Resampler ${name} must be a positive whole number of Hz, got ${rate}.`, { [name]: rate });
  }
}

export function designResampler(fromRate: number, toRate: number, options: ResamplerOptions = {}): ResamplerDesign {
  checkRate('fromRate', fromRate);
  checkRate('toRate', toRate);
  const rolloff = options.rolloff ?? DEFAULT_ROLLOFF;
  const stopbandDb = options.stopbandDb ?? DEFAULT_STOPBAND_DB;
  if (!(rolloff > 0.5 && rolloff < 1)) throw new TingxieError(ErrorCodes.INTERNAL, `Resampler rolloff must be in (0.5, 1), got ${rolloff}.`);
  if (!(stopbandDb >= 40 && stopbandDb <= 160)) throw new TingxieError(ErrorCodes.INTERNAL, `Resampler stopbandDb must be in [40, 160], got ${stopbandDb}.`);
  const divisor = gcd(fromRate, toRate);
  const upFactor = toRate / divisor;
  const downFactor = fromRate / divisor;
  const nyquist = Math.min(fromRate, toRate) / 2;
  const cutoffHz = rolloff * nyquist;
  const transitionHz = 2 * (1 - rolloff) * nyquist;
  const taps = (stopbandDb - 7.95) / (14.36 * (transitionHz / fromRate));
  const halfWidth = Math.max(2, Math.ceil(taps / 2));
  const exactPhases = upFactor <= MAX_EXACT_PHASES;
  return {
    fromRate,
    toRate,
    upFactor,
    downFactor,
    cutoffHz,
    halfWidth,
    kaiserBeta: 0.1102 * (stopbandDb - 8.7),
    phases: exactPhases ? upFactor : MAX_EXACT_PHASES,
    exactPhases,
  };
}

/**
 * Tabulates the filter: row p (0 ≤ p ≤ phases) holds the 2·halfWidth weights for an output at fractional input
 * position p/phases, weight k applying to input sample `floor(t) − halfWidth + 1 + k`. Shape [(phases + 1) · 2·halfWidth].
 * Each row is normalised to sum to 1 so DC passes exactly at every phase.
 */
function buildPhaseTable(design: ResamplerDesign): Float64Array {
  const { halfWidth, phases, kaiserBeta } = design;
  const width = 2 * halfWidth;
  const table = new Float64Array((phases + 1) * width);
  const cyclesPerSample = design.cutoffHz / design.fromRate;
  const i0Beta = besselI0(kaiserBeta);
  for (let p = 0; p <= phases; p++) {
    const frac = p / phases;
    const row = p * width;
    let sum = 0;
    for (let k = 0; k < width; k++) {
      // Distance in input samples from the output instant to the input sample this weight applies to.
      const tau = frac + halfWidth - 1 - k;
      const ratio = tau / halfWidth;
      const window = Math.abs(ratio) >= 1 ? 0 : besselI0(kaiserBeta * Math.sqrt(1 - ratio * ratio)) / i0Beta;
      const x = 2 * cyclesPerSample * tau;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      const weight = 2 * cyclesPerSample * sinc * window;
      table[row + k] = weight;
      sum += weight;
    }
    for (let k = 0; k < width; k++) table[row + k] /= sum;
  }
  return table;
}

/**
 * Streaming resampler: feed input chunks of any size with {@link push}, then call {@link flush} once at the end.
 * The concatenated outputs are bit-identical to {@link resample} on the concatenated input.
 * Holds only about 2·halfWidth input samples between calls.
 */
export class StreamingResampler {
  readonly design: ResamplerDesign;
  readonly #table: Float64Array;
  readonly #width: number;
  /** Input samples still needed; buffer[0] is absolute input index #bufferStart. */
  #buffer: Float32Array;
  #bufferStart: number;
  /** Absolute index of floor(input time) of the next output sample, and its remainder numerator (mod upFactor). */
  #nextIndex = 0;
  #nextRemainder = 0;
  /** Real input samples pushed so far. */
  #inputCount = 0;
  #outputCount = 0;
  #flushed = false;
  readonly #passthrough: boolean;

  constructor(fromRate: number, toRate: number, options: ResamplerOptions = {}) {
    this.design = designResampler(fromRate, toRate, options);
    this.#passthrough = fromRate === toRate;
    this.#width = 2 * this.design.halfWidth;
    this.#table = this.#passthrough ? new Float64Array(0) : buildPhaseTable(this.design);
    // Samples before the start are silence: the first output reads back halfWidth − 1 samples.
    this.#buffer = new Float32Array(this.#passthrough ? 0 : this.design.halfWidth - 1);
    this.#bufferStart = -(this.#passthrough ? 0 : this.design.halfWidth - 1);
  }

  /** Consumes input samples (shape [n], fromRate) and returns the output samples (toRate) now computable. */
  push(input: Float32Array): Float32Array {
    if (this.#flushed) throw new TingxieError(ErrorCodes.INTERNAL, 'StreamingResampler.push called after flush.');
    this.#inputCount += input.length;
    if (this.#passthrough) {
      this.#outputCount += input.length;
      return input.slice();
    }
    this.#append(input);
    return this.#produce(Number.POSITIVE_INFINITY);
  }

  /** Ends the stream: treats the input after the end as silence and returns the remaining output samples. */
  flush(): Float32Array {
    if (this.#flushed) return new Float32Array(0);
    this.#flushed = true;
    if (this.#passthrough) return new Float32Array(0);
    this.#append(new Float32Array(this.design.halfWidth));
    // Output n exists while its input time n·M/L is before the end of the input.
    const totalOutputs = Math.ceil((this.#inputCount * this.design.upFactor) / this.design.downFactor);
    return this.#produce(totalOutputs - this.#outputCount);
  }

  #append(input: Float32Array): void {
    const firstNeeded = this.#nextIndex - this.design.halfWidth + 1;
    const keepFrom = Math.max(0, firstNeeded - this.#bufferStart);
    const kept = this.#buffer.subarray(keepFrom);
    const next = new Float32Array(kept.length + input.length);
    next.set(kept, 0);
    next.set(input, kept.length);
    this.#buffer = next;
    this.#bufferStart += keepFrom;
  }

  #produce(maxOutputs: number): Float32Array {
    const { halfWidth, upFactor, downFactor, phases, exactPhases } = this.design;
    const buffer = this.#buffer;
    const table = this.#table;
    const width = this.#width;
    const bufferEnd = this.#bufferStart + buffer.length;
    // Output n is computable when its last tap, input index floor(t) + halfWidth, is buffered.
    const lastIndex = bufferEnd - halfWidth - 1;
    const available = lastIndex < this.#nextIndex ? 0 : Math.floor(((lastIndex - this.#nextIndex + 1) * upFactor) / downFactor) + 2;
    const out = new Float32Array(Math.max(0, Math.min(available, maxOutputs)));
    let index = this.#nextIndex;
    let remainder = this.#nextRemainder;
    let produced = 0;
    while (produced < out.length && index <= lastIndex) {
      const base = index - halfWidth + 1 - this.#bufferStart;
      let acc = 0;
      if (exactPhases) {
        const row = remainder * width;
        // Four partial sums: shorter dependency chains let V8 pipeline the multiply-adds.
        let acc0 = 0;
        let acc1 = 0;
        let acc2 = 0;
        let acc3 = 0;
        let k = 0;
        for (; k + 3 < width; k += 4) {
          acc0 += buffer[base + k] * table[row + k];
          acc1 += buffer[base + k + 1] * table[row + k + 1];
          acc2 += buffer[base + k + 2] * table[row + k + 2];
          acc3 += buffer[base + k + 3] * table[row + k + 3];
        }
        for (; k < width; k++) acc0 += buffer[base + k] * table[row + k];
        acc = acc0 + acc1 + (acc2 + acc3);
      } else {
        const position = (remainder / upFactor) * phases;
        const phase = Math.floor(position);
        const blend = position - phase;
        const row0 = phase * width;
        const row1 = row0 + width;
        for (let k = 0; k < width; k++) {
          const w0 = table[row0 + k];
          acc += buffer[base + k] * (w0 + blend * (table[row1 + k] - w0));
        }
      }
      out[produced++] = acc;
      remainder += downFactor;
      if (remainder >= upFactor) {
        index += Math.floor(remainder / upFactor);
        remainder %= upFactor;
      }
    }
    this.#nextIndex = index;
    this.#nextRemainder = remainder;
    this.#outputCount += produced;
    return produced === out.length ? out : out.slice(0, produced);
  }
}

/**
 * One-shot band-limited resampling of a whole signal.
 * @param samples shape [n] at `fromRate` Hz
 * @returns shape [ceil(n · toRate / fromRate)] at `toRate` Hz
 */
export function resample(samples: Float32Array, fromRate: number, toRate: number, options: ResamplerOptions = {}): Float32Array {
  const resampler = new StreamingResampler(fromRate, toRate, options);
  const head = resampler.push(samples);
  const tail = resampler.flush();
  if (tail.length === 0) return head;
  const out = new Float32Array(head.length + tail.length);
  out.set(head, 0);
  out.set(tail, head.length);
  return out;
}
