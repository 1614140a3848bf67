/**
 * The FunASR-style front-end shared by Paraformer and SenseVoice (sherpa-onnx's offline exports):
 * samples [-1, 1] (× sampleScale) → Kaldi fbank (16 kHz, 25/10 ms, Hamming, 20 Hz .. Nyquist, pre-emphasis
 * 0.97, DC removal, no dither, snip edges) → LFR with FunASR edge padding → CMVN.
 */
import { FbankComputer, type FeatureMatrix } from '../features/fbank.ts';
import { applyCmvn, applyLfr } from '../features/lfr.ts';

/** Sample rate the front-end expects, Hz. */
export const FUNASR_SAMPLE_RATE = 16000;

/** What the front-end needs from a model's validated config. */
export interface FunAsrFrontendConfig {
  numMelBins: number;
  lfrWindowSize: number;
  lfrWindowShift: number;
  /** CMVN: normalized = (x + negMean) * invStddev, lfrWindowSize × numMelBins values each. */
  negMean: Float32Array;
  invStddev: Float32Array;
}

/** Fbank → LFR → CMVN for one model; holds the fbank tables, so build it once per model. */
export class FunAsrFrontend {
  readonly #config: FunAsrFrontendConfig;
  readonly #fbank: FbankComputer;

  /** @param sampleScale multiplier applied to the samples before fbank (32768 for int16-range models, 1 otherwise) */
  constructor(config: FunAsrFrontendConfig, sampleScale: number) {
    this.#config = config;
    this.#fbank = new FbankComputer({
      sampleRate: FUNASR_SAMPLE_RATE,
      frameLengthMs: 25,
      frameShiftMs: 10,
      numBins: config.numMelBins,
      lowFreq: 20,
      highFreq: 0,
      preemphCoeff: 0.97,
      removeDcOffset: true,
      dither: 0,
      windowType: 'hamming',
      snipEdges: true,
      sampleScale,
    });
  }

  /** LFR + CMVN features: [numFrames, lfrWindowSize × numMelBins]; numFrames 0 for too-short audio. */
  compute(samples: Float32Array): FeatureMatrix {
    const fbank = this.#fbank.compute(samples);
    const lfr = applyLfr(fbank, this.#config.lfrWindowSize, this.#config.lfrWindowShift, { padding: 'funasr' });
    return applyCmvn(lfr, this.#config.negMean, this.#config.invStddev);
  }
}
