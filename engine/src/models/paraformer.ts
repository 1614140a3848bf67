/**
 * Paraformer (FunASR's non-autoregressive CIF model; sherpa-onnx's offline export) on onnxruntime-node.
 *
 * samples [-1, 1] → × 32768 (Paraformer always wants int16-range samples) → 80-bin Kaldi fbank (25/10 ms,
 * Hamming, 20 Hz .. Nyquist, snip edges) → LFR (lfr_window_size frames every lfr_window_shift, FunASR
 * edge padding, as sherpa-onnx 1.13.8; pinned by the conformance test) → CMVN → model.
 *
 * The model (one model.onnx / model.int8.onnx) takes speech [1, T, 560] and speech_lengths [1] and
 * returns, by position as sherpa-onnx reads them:
 *   0 logits [1, K, V]: one row per token the CIF predictor fired, K decided by the model
 *   1 token_num [1]: unused (sherpa-onnx ignores it too)
 *   2 us_alphas, 3 us_cif_peak [1, 3·T']: only in exports with timestamps
 * Decoding is the argmax of each row, stopping at the first </s>. Token times come from us_cif_peak:
 * each sub-frame k whose accumulator exceeds 1 − 1e-4 is a token start at k × 20 ms (10 ms frames, LFR
 * shift 6, upsampled 3×); the last peak (the end of speech) is dropped, and the times are kept only when
 * their count equals the token count, otherwise there are none (as in sherpa-onnx).
 *
 * Text: tokens are characters or BPE pieces; a piece ending in "@@" joins the next one, other ASCII
 * tokens are separated by spaces, CJK characters are not (sherpa-onnx's rule, trimmed here).
 *
 * Paraformer gives no language, emotion, event or ITN tags. With hotwords, the text is corrected
 * (replacements, Chinese homophones); decoding itself is not biased (plain Paraformer has no way to).
 */
import * as ort from 'onnxruntime-node';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { argmaxRow } from '../decoding/ctc.ts';
import type { FeatureMatrix } from '../features/fbank.ts';
import { applyReplacementsToTokens, correctHomophones, type TextReplacement } from '../text/hotwords/correct.ts';
import type { AsrModel, HotwordOutcome, LoadModelOptions, RecognitionResult, RecognizeOptions } from './asr-model.ts';
import { formatDevice } from './device.ts';
import type { DetectedModel } from './family.ts';
import { FunAsrFrontend } from './kaldi-frontend.ts';
import { metadataFields } from './metadata-fields.ts';
import { createModelSession, emptyRecognitionResult, readModelConfigAndTokens } from './model-loading.ts';
import type { OnnxModelInfo } from './onnx-metadata.ts';
import type { SymbolTable } from './tokens.ts';

export const PARAFORMER_MEL_BINS = 80;
/** The end-of-sentence symbol; decoding stops at it. */
export const PARAFORMER_EOS = '</s>';
/** Seconds per us_cif_peak sub-frame: 10 ms fbank shift × LFR shift 6 / 3× upsampling (fixed in sherpa-onnx). */
const PEAK_FRAME_S = Math.fround((10 * 6) / 3 / 1000);
/** us_cif_peak values above this are token starts (FunASR fires at threshold 1 − 1e-4). */
const PEAK_THRESHOLD = 1 - 1e-4;

/** Paraformer's configuration, from the model's metadata and signature. */
export interface ParaformerConfig {
  vocabSize: number;
  lfrWindowSize: number;
  lfrWindowShift: number;
  /** CMVN: normalized = (x + negMean) * invStddev, lfrWindowSize × 80 values each. */
  negMean: Float32Array;
  invStddev: Float32Array;
  numMelBins: number;
  /** Element type of speech_lengths (the exports use int32). */
  lengthsType: 'int32' | 'int64';
  /** Whether the export has the timestamp outputs (us_alphas, us_cif_peak at positions 2 and 3). */
  hasTimestamps: boolean;
}

/** The inputs a Paraformer export has; a third (bias_embed) marks SeACo-Paraformer. */
export const PARAFORMER_INPUTS = ['speech', 'speech_lengths'] as const;

/** True when the graph has Paraformer's inputs and its token_num output. */
export function hasParaformerSignature(info: OnnxModelInfo): boolean {
  const inputs = new Set(info.inputs.map((i) => i.name));
  return PARAFORMER_INPUTS.every((n) => inputs.has(n)) && info.outputs.some((o) => o.name === 'token_num');
}

/** Builds and validates ParaformerConfig from the ONNX info. Every problem is MODEL_INVALID naming the field and the file. */
export function paraformerConfig(info: OnnxModelInfo): ParaformerConfig {
  const file = info.file;
  const metadata = metadataFields(info, 'Paraformer');
  const vocabSize = metadata.positiveInteger('vocab_size');
  const lfrWindowSize = metadata.positiveInteger('lfr_window_size');
  const lfrWindowShift = metadata.positiveInteger('lfr_window_shift');
  const dim = lfrWindowSize * PARAFORMER_MEL_BINS;
  const explain = `lfr_window_size ${lfrWindowSize} × ${PARAFORMER_MEL_BINS} bins`;
  const negMean = metadata.floats('neg_mean', dim, explain);
  const invStddev = metadata.floats('inv_stddev', dim, explain);

  const graphInvalid = (field: string, problem: string): TingxieError => new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: ${problem}`, { file, field });
  const inputTypes = new Map(info.inputs.map((i) => [i.name, i.elemType]));
  if (inputTypes.has('bias_embed')) {
    throw graphInvalid('bias_embed', 'the model has a "bias_embed" input (SeACo-Paraformer with hotword embeddings), which Tingxie does not support yet');
  }
  for (const name of PARAFORMER_INPUTS) {
    if (!inputTypes.has(name)) throw graphInvalid(name, `the model has no input "${name}" (inputs: ${[...inputTypes.keys()].join(', ')})`);
  }
  if (info.inputs.length !== PARAFORMER_INPUTS.length) {
    throw graphInvalid('inputs', `a Paraformer model has exactly the inputs ${PARAFORMER_INPUTS.join(', ')}; this one has ${[...inputTypes.keys()].join(', ')}`);
  }
  if (inputTypes.get('speech') !== 'float32') throw graphInvalid('speech', `input "speech" must be float32, is ${inputTypes.get('speech')}`);
  const lengthsType = inputTypes.get('speech_lengths');
  if (lengthsType !== 'int32' && lengthsType !== 'int64') throw graphInvalid('speech_lengths', `input "speech_lengths" must be int32 or int64, is ${lengthsType}`);
  if (info.outputs.length < 2) {
    throw graphInvalid('outputs', `a Paraformer model has the outputs logits and token_num (and optionally us_alphas, us_cif_peak); this one has ${info.outputs.map((o) => o.name).join(', ') || 'none'}`);
  }
  if (info.outputs[0]!.elemType !== 'float32') throw graphInvalid(info.outputs[0]!.name, `output 0 (logits) must be float32, is ${info.outputs[0]!.elemType}`);
  const hasTimestamps = info.outputs.length >= 4;
  if (hasTimestamps && info.outputs[3]!.elemType !== 'float32') {
    throw graphInvalid(info.outputs[3]!.name, `output 3 (us_cif_peak) must be float32, is ${info.outputs[3]!.elemType}`);
  }
  return { vocabSize, lfrWindowSize, lfrWindowShift, negMean, invStddev, numMelBins: PARAFORMER_MEL_BINS, lengthsType, hasTimestamps };
}

/**
 * Greedy decoding of Paraformer logits: the argmax of each token row (first maximum on ties), up to the
 * first `eosId`.
 * @param logits row-major [numTokens, vocabSize]
 */
export function paraformerGreedyDecode(logits: Float32Array, numTokens: number, vocabSize: number, eosId: number): number[] {
  const ids: number[] = [];
  for (let k = 0; k < numTokens; k++) {
    const id = argmaxRow(logits, k, vocabSize);
    if (id === eosId) break;
    ids.push(id);
  }
  return ids;
}

/**
 * Token start times (seconds) from us_cif_peak, or [] when they do not match the tokens.
 * @param peaks one utterance's us_cif_peak [numSubFrames]
 */
export function paraformerTimestamps(peaks: Float32Array, numTokens: number): number[] {
  const times: number[] = [];
  for (let k = 0; k < peaks.length; k++) if (peaks[k]! > PEAK_THRESHOLD) times.push(Math.fround(k * PEAK_FRAME_S));
  // The last peak marks the end of speech, not a token.
  times.pop();
  return times.length === numTokens ? times : [];
}

/** UTF-8 length, as sherpa-onnx's byte-based "@@" test sees a symbol. */
function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Whether a symbol is a BPE piece that joins the next one (ends in "@@"; sherpa-onnx's byte test). */
function joinsNext(symbol: string): boolean {
  if (!symbol.endsWith('@')) return false;
  return utf8Length(symbol) <= 2 || symbol.endsWith('@@');
}

const isAscii = (symbol: string): boolean => symbol.length > 0 && symbol.charCodeAt(0) < 0x80;

/**
 * What each token adds to the text: "@@" pieces join the next token, ASCII tokens are space-separated,
 * CJK characters are not, and a space separates ASCII from a following CJK character.
 * @returns one piece per token; their concatenation is the untrimmed text
 */
export function paraformerTextPieces(symbols: readonly string[]): string[] {
  let joining = false;
  return symbols.map((symbol, i) => {
    if (joinsNext(symbol)) {
      const piece = symbol.slice(0, Math.max(0, symbol.length - 2));
      const out = joining ? piece : ` ${piece}`;
      joining = true;
      return out;
    }
    const spaced = isAscii(symbol) ? !joining : i > 0 && isAscii(symbols[i - 1]!);
    joining = false;
    return spaced ? ` ${symbol}` : symbol;
  });
}

/** Paraformer tokens joined into text (sherpa-onnx's rule, see paraformerTextPieces), trimmed. */
export function paraformerText(symbols: readonly string[]): string {
  return paraformerTextPieces(symbols).join('').trim();
}

/**
 * Applies length-preserving text replacements to the tokens they cover (a "@@" token keeps its "@@");
 * null when a replacement does not line up with the tokens.
 */
function replaceInTokens(symbols: readonly string[], replacements: readonly TextReplacement[]): string[] | null {
  const pieces = paraformerTextPieces(symbols);
  const untrimmed = pieces.join('');
  const replaced = applyReplacementsToTokens(pieces, replacements, untrimmed.length - untrimmed.trimStart().length);
  if (!replaced) return null;
  return symbols.map((symbol, i) => {
    if (replaced[i] === pieces[i]) return symbol;
    const body = replaced[i]!.startsWith(' ') && pieces[i]!.startsWith(' ') ? replaced[i]!.slice(1) : replaced[i]!;
    return joinsNext(symbol) ? `${body}@@` : body;
  });
}

export class ParaformerModel implements AsrModel {
  readonly family = 'paraformer' as const;
  readonly dir: string;
  readonly modelFile: string;
  readonly device: string;
  readonly isFixture: boolean;
  readonly config: ParaformerConfig;
  readonly symbols: SymbolTable;
  readonly #eosId: number;
  readonly #session: ort.InferenceSession;
  readonly #frontend: FunAsrFrontend;
  #released = false;

  constructor(detected: DetectedModel, config: ParaformerConfig, symbols: SymbolTable, eosId: number, session: ort.InferenceSession, device: string) {
    this.dir = detected.dir;
    this.modelFile = detected.modelFile;
    this.isFixture = detected.isFixture;
    this.device = device;
    this.config = config;
    this.symbols = symbols;
    this.#eosId = eosId;
    this.#session = session;
    // Paraformer always wants int16-range samples.
    this.#frontend = new FunAsrFrontend(config, 32768);
  }

  /** LFR + CMVN features for the model: [numFrames, lfrWindowSize × 80]; numFrames 0 for too-short audio. */
  features(samples: Float32Array): FeatureMatrix {
    return this.#frontend.compute(samples);
  }

  async recognize(samples: Float32Array, opts: RecognizeOptions): Promise<RecognitionResult> {
    if (this.#released) throw new TingxieError(ErrorCodes.INTERNAL, 'recognize() called after release()');
    const feats = this.features(samples);
    if (feats.numFrames === 0) return emptyRecognitionResult();

    const V = this.config.vocabSize;
    let logits: Float32Array;
    let numTokens: number;
    let peaks: Float32Array | null = null;
    try {
      const lengths =
        this.config.lengthsType === 'int32'
          ? new ort.Tensor('int32', Int32Array.from([feats.numFrames]), [1])
          : new ort.Tensor('int64', BigInt64Array.from([BigInt(feats.numFrames)]), [1]);
      const outputs = await this.#session.run({ speech: new ort.Tensor('float32', feats.data, [1, feats.numFrames, feats.dim]), speech_lengths: lengths });
      const output = outputs[this.#session.outputNames[0]!]!;
      if (output.type !== 'float32' || output.dims.length !== 3 || output.dims[0] !== 1 || output.dims[2] !== V) {
        throw new Error(`unexpected logits ${output.type} [${output.dims.join(', ')}], expected float32 [1, K, ${V}]`);
      }
      numTokens = output.dims[1]!;
      logits = output.data as Float32Array;
      if (this.config.hasTimestamps) {
        const peak = outputs[this.#session.outputNames[3]!]!;
        if (peak.type !== 'float32' || peak.dims.length !== 2 || peak.dims[0] !== 1) {
          throw new Error(`unexpected us_cif_peak ${peak.type} [${peak.dims.join(', ')}], expected float32 [1, T']`);
        }
        peaks = peak.data as Float32Array;
      }
    } catch (error) {
      if (error instanceof TingxieError) throw error;
      throw new TingxieError(ErrorCodes.MODEL_INFERENCE_FAILED, `${this.modelFile}: inference failed: ${(error as Error).message}`, { file: this.modelFile }, { cause: error });
    }

    const tokenIds = paraformerGreedyDecode(logits, numTokens, V, this.#eosId);
    let tokens = tokenIds.map((id) => this.symbols.symbol(id));
    let text = paraformerText(tokens);
    let hotwords: HotwordOutcome | undefined;
    const list = opts.hotwords && (opts.hotwords.hotwords.length > 0 || opts.hotwords.replacements.length > 0) ? opts.hotwords : null;
    if (list) {
      const corrected = correctHomophones(text, list);
      tokens = replaceInTokens(tokens, corrected.replacements) ?? tokens;
      text = corrected.text;
      hotwords = { matched: [], corrections: corrected.replacements };
    }
    return {
      ...(hotwords ? { hotwords } : {}),
      text,
      tokens,
      tokenIds,
      timestamps: peaks ? paraformerTimestamps(peaks, tokenIds.length) : [],
      language: null,
      emotion: null,
      event: null,
      itn: null,
      numFrames: feats.numFrames,
    };
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#session.release();
  }
}

/** Loads a detected Paraformer model: validates metadata, signature and tokens, then creates the session on the device. */
export async function loadParaformerModel(detected: DetectedModel, opts: LoadModelOptions = {}): Promise<ParaformerModel> {
  const { device, config, symbols } = await readModelConfigAndTokens(detected, opts, paraformerConfig);
  const eosId = symbols.id(PARAFORMER_EOS);
  if (eosId === undefined) {
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `${detected.tokensFile} has no ${PARAFORMER_EOS} token, which Paraformer decoding stops at`, {
      file: detected.tokensFile,
      field: PARAFORMER_EOS,
    });
  }
  const session = await createModelSession(detected.modelFile, device, opts);
  return new ParaformerModel(detected, config, symbols, eosId, session.session, formatDevice(session.device));
}
