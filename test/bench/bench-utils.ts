/**
 * Helpers the bench scripts share: the real-speech input, best-of-N wall time, and the
 * "tingxie vs sherpa-onnx-node" ratio line. Benches only print; nothing here asserts.
 */
import { readAishellClip, readLibrispeechClip } from '../helpers/speech-clips.ts';

/** Ratio target every peer comparison prints against: Tingxie's wall time ≤ 1.2× the peer's. */
export const PEER_RATIO_TARGET = 1.2;

/** `seconds` of real 16 kHz speech: the AISHELL and LibriSpeech clips from ../shared, alternated and repeated. */
export function realSpeech(seconds: number): Float32Array {
  const clips = [readAishellClip(), readLibrispeechClip()];
  const out = new Float32Array(Math.round(seconds * 16000));
  let offset = 0;
  for (let i = 0; offset < out.length; i++) {
    const clip = clips[i % clips.length]!;
    out.set(clip.subarray(0, out.length - offset), offset);
    offset += clip.length;
  }
  return out;
}

/**
 * Best (minimum) wall time of one call, in seconds: three warm-up calls (JIT, onnxruntime's first runs), then at
 * least `runs` timed calls, and more (up to 200) until 0.5 s has been spent timing, so millisecond-scale calls get
 * enough samples for the minimum to be stable. Both sides of a comparison go through this same function.
 */
export async function bestOf(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn();
  let best = Number.POSITIVE_INFINITY;
  let spentMs = 0;
  for (let i = 0; i < 200 && (i < runs || spentMs < 500); i++) {
    const t0 = performance.now();
    await fn();
    const elapsedMs = performance.now() - t0;
    spentMs += elapsedMs;
    best = Math.min(best, elapsedMs / 1000);
  }
  return best;
}

/** "1 thread" / "2 threads". */
export function threadsLabel(threads: number): string {
  return `${threads} thread${threads > 1 ? 's' : ''}`;
}

/** "tingxie X ms, sherpa-onnx-node Y ms, ratio R; target ≤ 1.2: met" from two wall times in seconds. */
export function peerComparison(oursS: number, theirsS: number): string {
  const ratio = oursS / theirsS;
  return `tingxie ${(oursS * 1000).toFixed(1)} ms, sherpa-onnx-node ${(theirsS * 1000).toFixed(1)} ms, ratio ${ratio.toFixed(2)}; target ≤ ${PEER_RATIO_TARGET}: ${ratio <= PEER_RATIO_TARGET ? 'met' : 'NOT met'}`;
}

/** Prints one bench row: the label padded to `width` columns, then the figures. */
export function printRow(label: string, text: string, width = 34): void {
  console.log(`${label.padEnd(width)} ${text}`);
}
