/**
 * SenseVoice (sherpa-onnx export) on onnxruntime-node.
 *
 * samples [-1, 1] → (× 32768 when normalize_samples = 0) 80-bin Kaldi fbank (25/10 ms, Hamming, 20 Hz ..
 * Nyquist, snip edges) → LFR (7 frames every 6, FunASR edge padding) → CMVN → model → logits [1, T + 4, V].
 *
 * LFR padding: sherpa-onnx 1.13.8 (our reference) stacks frames [6i − 3, 6i + 4) clamped to the signal,
 * ⌈T/6⌉ output frames (its lfr.cc, the same as FunASR's frontend); older sherpa-onnx releases used no
 * padding, ⌊(T − 7)/6⌋ + 1 frames. The conformance test pins this against sherpa-onnx-node.
 *
 * The first 4 output frames are tags (language, emotion, event, ITN), read by argmax; the text is CTC
 * greedy decoding from frame 4 on, token time = (frame − 4) × lfr_window_shift × 10 ms (the start of the
 * LFR window's centre frame).
 *
 * With hotwords the text frames are decoded by CTC prefix beam search biased by a context graph
 * (decoding/ctc-prefix-beam.ts), then corrected with the list's replacements and homophone matching;
 * without hotwords decoding stays greedy, as sherpa-onnx's.
 *
 * sherpa-onnx decodes all T + 4 frames at once and drops the first 4 emitted tokens; that equals this
 * whenever the tag frames give 4 distinct non-blank tags (the usual case), and this way a text token
 * equal to the last tag is not swallowed.
 */
import * as ort from 'onnxruntime-node';
import { ErrorCodes, TingxieError } from '../errors.ts';
import type { FeatureMatrix } from '../features/fbank.ts';
import { argmaxRow, ctcGreedyDecode } from '../decoding/ctc.ts';
import { ctcPrefixBeamSearch } from '../decoding/ctc-prefix-beam.ts';
import { applyReplacementsToTokens, correctHomophones } from '../text/hotwords/correct.ts';
import type { HotwordList } from '../text/hotwords/list.ts';
import { compileHotwords, DEFAULT_HOTWORD_SCORE, HotwordTokenizer, type CompiledHotwords, type CompileHotwordsOptions } from '../text/hotwords/tokenize.ts';
import type { AsrModel, HotwordOutcome, LoadModelOptions, RecognitionResult, RecognizeOptions } from './asr-model.ts';
import { formatDevice } from './device.ts';
import { senseVoiceConfig, type DetectedModel, type SenseVoiceConfig } from './family.ts';
import { FunAsrFrontend } from './kaldi-frontend.ts';
import { createModelSession, emptyRecognitionResult, readModelConfigAndTokens } from './model-loading.ts';
import type { SymbolTable } from './tokens.ts';

/** Number of tag frames at the start of SenseVoice's output. */
export const SENSE_VOICE_TAG_FRAMES = 4;
/** Prefix beam width when decoding with hotwords. */
const HOTWORD_BEAM = 8;
/** Fbank frame shift; LFR frames are lfr_window_shift of these. */
const FRAME_SHIFT_MS = 10;

/** '<|zh|>' → 'zh'; anything that is not a `<|...|>` tag → null. */
function tagValue(symbol: string): string | null {
  const match = /^<\|(.*)\|>$/.exec(symbol);
  return match ? match[1] : null;
}

export class SenseVoiceModel implements AsrModel {
  readonly family = 'sense_voice' as const;
  readonly dir: string;
  readonly modelFile: string;
  readonly device: string;
  readonly isFixture: boolean;
  readonly config: SenseVoiceConfig;
  readonly symbols: SymbolTable;
  readonly #session: ort.InferenceSession;
  readonly #frontend: FunAsrFrontend;
  #released = false;
  #hotwordTokenizer: HotwordTokenizer | null = null;
  readonly #hotwordCache = new WeakMap<HotwordList, { key: string; compiled: CompiledHotwords }>();

  constructor(detected: DetectedModel, config: SenseVoiceConfig, symbols: SymbolTable, session: ort.InferenceSession, device: string) {
    this.dir = detected.dir;
    this.modelFile = detected.modelFile;
    this.isFixture = detected.isFixture;
    this.device = device;
    this.config = config;
    this.symbols = symbols;
    this.#session = session;
    this.#frontend = new FunAsrFrontend(config, config.normalizeSamples ? 1 : 32768);
  }

  /** LFR + CMVN features for the model: [numFrames, lfrWindowSize × 80]; numFrames 0 for too-short audio. */
  features(samples: Float32Array): FeatureMatrix {
    return this.#frontend.compute(samples);
  }

  #intTensor(value: number): ort.Tensor {
    return this.config.integerInputType === 'int32'
      ? new ort.Tensor('int32', Int32Array.from([value]), [1])
      : new ort.Tensor('int64', BigInt64Array.from([BigInt(value)]), [1]);
  }

  async recognize(samples: Float32Array, opts: RecognizeOptions): Promise<RecognitionResult> {
    if (this.#released) throw new TingxieError(ErrorCodes.INTERNAL, 'recognize() called after release()');
    const languageId = this.config.languageIds[opts.language];
    if (languageId === undefined) {
      throw new TingxieError(ErrorCodes.CONFIG_INVALID, `unknown language ${JSON.stringify(opts.language)} (use auto, zh, en, ja, ko or yue)`);
    }
    const feats = this.features(samples);
    if (feats.numFrames === 0) return emptyRecognitionResult();

    const V = this.config.vocabSize;
    let logits: Float32Array;
    let outFrames: number;
    try {
      const feeds: Record<string, ort.Tensor> = {
        x: new ort.Tensor('float32', feats.data, [1, feats.numFrames, feats.dim]),
        x_length: this.#intTensor(feats.numFrames),
        language: this.#intTensor(languageId),
        text_norm: this.#intTensor(opts.useItn ? this.config.withItnId : this.config.withoutItnId),
      };
      const outputs = await this.#session.run(feeds);
      const output = outputs[this.#session.outputNames[0]];
      if (output.type !== 'float32' || output.dims.length !== 3 || output.dims[0] !== 1 || output.dims[2] !== V) {
        throw new Error(`unexpected output ${output.type} [${output.dims.join(', ')}], expected float32 [1, T+4, ${V}]`);
      }
      outFrames = output.dims[1];
      if (outFrames !== feats.numFrames + SENSE_VOICE_TAG_FRAMES) {
        throw new Error(`the model gave ${outFrames} output frames for ${feats.numFrames} input frames (expected ${feats.numFrames + SENSE_VOICE_TAG_FRAMES})`);
      }
      logits = output.data as Float32Array;
    } catch (error) {
      if (error instanceof TingxieError) throw error;
      throw new TingxieError(ErrorCodes.MODEL_INFERENCE_FAILED, `${this.modelFile}: inference failed: ${(error as Error).message}`, { file: this.modelFile }, { cause: error });
    }

    const tag = (frame: number): string | null => {
      const id = argmaxRow(logits, frame, V);
      return id === this.config.blankId ? null : tagValue(this.symbols.symbol(id));
    };
    const itnTag = tag(3);
    const list = opts.hotwords && (opts.hotwords.hotwords.length > 0 || opts.hotwords.replacements.length > 0) ? opts.hotwords : null;
    const compiled = list ? this.compileHotwords(list, { defaultWeight: opts.hotwordScore }) : null;
    const biased = compiled?.graph
      ? ctcPrefixBeamSearch(logits, outFrames, V, { beam: HOTWORD_BEAM, blankId: this.config.blankId, contextGraph: compiled.graph, startFrame: SENSE_VOICE_TAG_FRAMES })
      : null;
    const decoded = biased ?? ctcGreedyDecode(logits, outFrames, V, { blankId: this.config.blankId, startFrame: SENSE_VOICE_TAG_FRAMES });
    let tokens = decoded.tokenIds.map((id) => this.symbols.text(id));
    let text = tokens.join('').trim();
    let hotwords: HotwordOutcome | undefined;
    if (list && compiled) {
      const corrected = correctHomophones(text, list);
      const lead = tokens.join('').length - tokens.join('').trimStart().length;
      tokens = applyReplacementsToTokens(tokens, corrected.replacements, lead) ?? tokens;
      text = corrected.text;
      const matched = biased ? biased.matchedPhrases.map((i) => compiled.phrases[i]!.phrase) : [];
      hotwords = { matched, corrections: corrected.replacements };
    }
    const msPerFrame = FRAME_SHIFT_MS * this.config.lfrWindowShift;
    return {
      ...(hotwords ? { hotwords } : {}),
      text,
      tokens,
      tokenIds: decoded.tokenIds,
      // Integer milliseconds first, so 45 frames give 2.7 s rather than 2.6999999999999997.
      timestamps: decoded.frames.map((t) => ((t - SENSE_VOICE_TAG_FRAMES) * msPerFrame) / 1000),
      language: tag(0),
      emotion: tag(1),
      event: tag(2),
      itn: itnTag === 'withitn' ? true : itnTag === 'woitn' ? false : null,
      numFrames: feats.numFrames,
    };
  }

  /** Tokenizes hotwords against this model's symbols (cached per list object and default weight). */
  compileHotwords(list: HotwordList, opts: CompileHotwordsOptions = {}): CompiledHotwords {
    const key = `${opts.defaultWeight ?? DEFAULT_HOTWORD_SCORE}|${opts.strict ?? true}`;
    const cached = this.#hotwordCache.get(list);
    if (cached?.key === key) return cached.compiled;
    this.#hotwordTokenizer ??= new HotwordTokenizer(this.symbols, [this.config.blankId]);
    const compiled = compileHotwords(list, this.#hotwordTokenizer, opts);
    this.#hotwordCache.set(list, { key, compiled });
    return compiled;
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#session.release();
  }
}

/** Loads a detected SenseVoice model: validates metadata and tokens, then creates the session on the device. */
export async function loadSenseVoiceModel(detected: DetectedModel, opts: LoadModelOptions = {}): Promise<SenseVoiceModel> {
  const { device, config, symbols } = await readModelConfigAndTokens(detected, opts, senseVoiceConfig);
  const session = await createModelSession(detected.modelFile, device, opts);
  return new SenseVoiceModel(detected, config, symbols, session.session, formatDevice(session.device));
}
