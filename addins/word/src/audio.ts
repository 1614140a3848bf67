/**
 * Microphone samples to what `/api/stream` takes: 16 kHz mono PCM16 little-endian. Pure, no DOM.
 */

export const STREAM_RATE = 16000;

/**
 * Streaming linear resampler: feed float32 chunks at `fromRate` Hz, get float32 at 16 kHz. Keeps its
 * fractional read position between chunks so chunk boundaries add no clicks. Downsampling from 48 kHz
 * without a low-pass is acceptable for ASR features (they stop at 8 kHz anyway) but not for listening.
 */
export class Resampler {
  private readonly step: number;
  /** Read position in the input, relative to the start of `carry`. */
  private position = 0;
  /** The last input sample of the previous chunk (interpolation needs one behind). */
  private carry: number | null = null;

  constructor(readonly fromRate: number) {
    this.step = fromRate / STREAM_RATE;
  }

  /** @param input shape [n] at fromRate. @returns shape [≈ n·16000/fromRate] at 16 kHz. */
  push(input: Float32Array): Float32Array {
    if (this.fromRate === STREAM_RATE) return input;
    const source = this.carry === null ? input : concat(Float32Array.of(this.carry), input);
    const out: number[] = [];
    while (this.position + 1 < source.length) {
      const i = Math.floor(this.position);
      const frac = this.position - i;
      out.push(source[i]! * (1 - frac) + source[i + 1]! * frac);
      this.position += this.step;
    }
    this.position -= source.length - 1;
    this.carry = source[source.length - 1] ?? null;
    return Float32Array.from(out);
  }
}

function concat(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Float samples in [-1, 1] (clipped) to PCM16 little-endian bytes, shape [n] → [2n] bytes. */
export function floatToPcm16(samples: Float32Array): ArrayBuffer {
  const buffer = new ArrayBuffer(samples.length * 2);
  const view = new DataView(buffer);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]!));
    view.setInt16(i * 2, s < 0 ? Math.round(s * 0x8000) : Math.round(s * 0x7fff), true);
  }
  return buffer;
}
