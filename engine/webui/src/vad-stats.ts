/** Speech statistics from speech segments. Pure (unit-tested under Node). */

export interface SpeechSpan {
  /** Seconds from the start of the file. */
  start: number;
  end: number;
}

export interface SpeechStats {
  durationS: number;
  speechS: number;
  /** speechS / durationS, in [0, 1]. */
  speechRatio: number;
  /** Silences between two speech segments. */
  pauses: number;
  /** Longest silence anywhere (before the first segment, between two, or after the last), seconds. */
  longestSilenceS: number;
  /** Speech segments. */
  turns: number;
}

/** Statistics of `spans` (any order, may overlap) in a file `durationS` long. */
export function speechStats(spans: readonly SpeechSpan[], durationS: number): SpeechStats {
  const sorted = spans
    .map((s) => ({ start: Math.max(0, Math.min(s.start, durationS)), end: Math.max(0, Math.min(s.end, durationS)) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  // Merge overlaps so speech time is not counted twice.
  const merged: SpeechSpan[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  const speechS = merged.reduce((sum, s) => sum + (s.end - s.start), 0);
  let longest = merged.length === 0 ? durationS : Math.max(merged[0]!.start, durationS - merged[merged.length - 1]!.end);
  for (let i = 1; i < merged.length; i++) longest = Math.max(longest, merged[i]!.start - merged[i - 1]!.end);
  return {
    durationS,
    speechS,
    speechRatio: durationS > 0 ? speechS / durationS : 0,
    pauses: Math.max(0, merged.length - 1),
    longestSilenceS: Math.max(0, longest),
    turns: sorted.length,
  };
}

/**
 * Min/max envelope for drawing: `columns` pairs over `samples` (mono, any rate). Returns shape [columns * 2]
 * as [min0, max0, min1, max1, …].
 */
export function peaks(samples: Float32Array, columns: number): Float32Array {
  const out = new Float32Array(columns * 2);
  const per = samples.length / columns;
  for (let c = 0; c < columns; c++) {
    const from = Math.floor(c * per);
    const to = Math.max(from + 1, Math.floor((c + 1) * per));
    let min = 0;
    let max = 0;
    for (let i = from; i < to && i < samples.length; i++) {
      const s = samples[i]!;
      if (s < min) min = s;
      if (s > max) max = s;
    }
    out[2 * c] = min;
    out[2 * c + 1] = max;
  }
  return out;
}
