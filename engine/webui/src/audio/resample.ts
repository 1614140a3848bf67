/**
 * Sample-rate conversion for microphone capture: a streaming windowed-sinc (Blackman) resampler, band-limited
 * below the lower of the two Nyquist frequencies so that downsampling (48 kHz → 16 kHz) does not alias.
 * Pure: no DOM, no audio APIs (unit-tested under Node).
 */

/** Zero crossings of the sinc kernel on each side (at the output rate, when downsampling). */
const DEFAULT_ZERO_CROSSINGS = 16;
/** The passband ends this fraction of the way to the lower Nyquist frequency (room for the transition band). */
const CUTOFF_FRACTION = 0.92;

function blackman(x: number): number {
  // x in [-1, 1]; 0 outside.
  if (x <= -1 || x >= 1) return 0;
  const phase = Math.PI * (x + 1);
  return 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase);
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = Math.PI * x;
  return Math.sin(px) / px;
}

export class StreamingResampler {
  /** Input samples consumed per output sample. */
  readonly step: number;
  /** Normalized cutoff: a fraction of the input Nyquist frequency (≤ 1). */
  private readonly cutoff: number;
  /** Kernel half-width, input samples. */
  private readonly halfWidth: number;
  /** Input history (mono float32, the input rate) still needed by the kernel. */
  private history: Float32Array;
  /** Position of the next output sample, input samples from the start of `history`. */
  private position: number;

  /**
   * @param inputRate  Hz of the samples given to `process`
   * @param outputRate Hz of the samples it returns
   */
  constructor(
    readonly inputRate: number,
    readonly outputRate: number,
    zeroCrossings = DEFAULT_ZERO_CROSSINGS,
  ) {
    if (!(inputRate > 0 && outputRate > 0)) throw new RangeError('sample rates must be positive');
    this.step = inputRate / outputRate;
    this.cutoff = Math.min(1, outputRate / inputRate) * CUTOFF_FRACTION;
    this.halfWidth = Math.ceil(zeroCrossings / this.cutoff);
    // Start with silence before the first sample, so the first outputs have a full kernel.
    this.history = new Float32Array(this.halfWidth);
    this.position = this.halfWidth;
  }

  /**
   * Resamples the next block. `input`: mono float32 at `inputRate`, shape [n]. Returns mono float32 at
   * `outputRate`, about n / step samples (the kernel delays output by `halfWidth` input samples).
   */
  process(input: Float32Array): Float32Array {
    const buffer = new Float32Array(this.history.length + input.length);
    buffer.set(this.history);
    buffer.set(input, this.history.length);
    const out: number[] = [];
    const { cutoff, halfWidth } = this;
    while (this.position + halfWidth < buffer.length) {
      const centre = this.position;
      const first = Math.ceil(centre - halfWidth);
      const last = Math.floor(centre + halfWidth);
      let sum = 0;
      for (let k = first; k <= last; k++) {
        const distance = centre - k;
        sum += buffer[k]! * cutoff * sinc(cutoff * distance) * blackman(distance / halfWidth);
      }
      out.push(sum);
      this.position += this.step;
    }
    const keepFrom = Math.max(0, Math.floor(this.position - halfWidth) - 1);
    this.history = buffer.slice(keepFrom);
    this.position -= keepFrom;
    return Float32Array.from(out);
  }
}

/** Float32 samples in [-1, 1] → PCM16 (clipped). Shape kept. */
export function floatToPcm16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    out[i] = s < 0 ? Math.round(s * 32768) : Math.round(s * 32767);
  }
  return out;
}

/** Root-mean-square level of a block, in [0, 1]. */
export function rmsLevel(samples: Float32Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}
