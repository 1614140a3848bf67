/** Summary of what the VAD found in one stream. Durations in seconds. */
export interface VadStats {
  /** Audio fed to the segmenter. */
  durationS: number;
  /** Total length of the emitted (padded) segments; segments never overlap, so this is covered time. */
  speechS: number;
  /** speechS / durationS, 0 for empty input. */
  speechRatio: number;
  numSegments: number;
  /** Gaps of non-zero length between consecutive segments (pieces of one long utterance that touch are not pauses). */
  numPauses: number;
  /** Longest stretch not covered by any segment, including lead-in and (after finish) the tail; whole input if no speech. */
  longestSilenceS: number;
}

/**
 * Accumulates VadStats from segments given in stream order as sample ranges [startSample, endSample).
 * Keeps O(1) state, so it works on inputs of any length.
 */
export class SpeechCoverage {
  readonly #sampleRate: number;
  #speechSamples = 0;
  #numSegments = 0;
  #numPauses = 0;
  #longestSilenceSamples = 0;
  /** End of the last segment added, in samples; 0 before the first. */
  #coveredUntil = 0;
  #totalSamples: number | null = null;

  /** `sampleRate` in Hz. */
  constructor(sampleRate: number) {
    this.#sampleRate = sampleRate;
  }

  /** Adds the next segment; segments must come in order and must not overlap. */
  addSegment(startSample: number, endSample: number): void {
    const silence = startSample - this.#coveredUntil;
    if (this.#numSegments > 0 && silence > 0) this.#numPauses++;
    this.#longestSilenceSamples = Math.max(this.#longestSilenceSamples, silence);
    this.#speechSamples += endSample - startSample;
    this.#numSegments++;
    this.#coveredUntil = endSample;
  }

  /** Marks the end of input so the trailing silence counts. */
  finish(totalSamples: number): void {
    this.#totalSamples = totalSamples;
    this.#longestSilenceSamples = Math.max(this.#longestSilenceSamples, totalSamples - this.#coveredUntil);
  }

  /** `positionSamples`: audio seen so far (used until finish() fixes the total). */
  toStats(positionSamples: number): VadStats {
    const total = this.#totalSamples ?? positionSamples;
    return {
      durationS: total / this.#sampleRate,
      speechS: this.#speechSamples / this.#sampleRate,
      speechRatio: total > 0 ? this.#speechSamples / total : 0,
      numSegments: this.#numSegments,
      numPauses: this.#numPauses,
      longestSilenceS: this.#longestSilenceSamples / this.#sampleRate,
    };
  }
}
