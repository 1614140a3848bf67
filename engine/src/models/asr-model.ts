/**
 * The family-independent speech recognition model interface, and `loadAsrModel`, which detects a
 * folder's model family and loads it.
 */
import { ErrorCodes, TingxieError } from '../errors.ts';
import type { TextReplacement } from '../text/hotwords/correct.ts';
import type { HotwordList } from '../text/hotwords/list.ts';
import type { CompiledHotwords, CompileHotwordsOptions } from '../text/hotwords/tokenize.ts';
import { detectModelFamily, type ModelFamily } from './family.ts';
import { loadFunAsrNanoModel } from './funasr-nano.ts';
import { loadParaformerModel } from './paraformer.ts';
import { loadSenseVoiceModel } from './sensevoice.ts';
import { loadWhisperModel } from './whisper.ts';

export type AsrFamily = ModelFamily;

export type RecognitionLanguage = 'auto' | 'zh' | 'en' | 'ja' | 'ko' | 'yue';

export interface RecognizeOptions {
  language: RecognitionLanguage;
  /** Ask the model for inverse text normalization (digits, punctuation), where it supports it. */
  useItn: boolean;
  /**
   * Hotwords: biased CTC prefix beam search (instead of greedy decoding) plus text post-correction
   * (explicit replacements, Chinese homophones). Absent or empty: greedy decoding, unchanged.
   */
  hotwords?: HotwordList;
  /** Per-token boost of hotwords without a weight (default DEFAULT_HOTWORD_SCORE, 1.5). */
  hotwordScore?: number;
}

/** What hotwords did to one recognition. */
export interface HotwordOutcome {
  /** Hotwords matched in the decoded tokens (before text correction), in order. */
  matched: string[];
  /** Text corrections, `start` into the uncorrected text. */
  corrections: TextReplacement[];
}

export interface RecognitionResult {
  /** The recognised text: tags removed, word-start marks (▁) as spaces, trimmed. */
  text: string;
  /** Text tokens as sherpa-onnx reports them (a leading ▁ shown as a space); no tags. */
  tokens: string[];
  tokenIds: number[];
  /** Start time of each token, seconds from the start of the given samples; empty when the model gives no token times (Paraformer exports without us_cif_peak). */
  timestamps: number[];
  /** Language tag, e.g. 'zh' from <|zh|>; null when the model gave none. */
  language: string | null;
  /** Emotion tag, e.g. 'NEUTRAL' from <|NEUTRAL|>. */
  emotion: string | null;
  /** Audio event tag, e.g. 'Speech' from <|Speech|>. */
  event: string | null;
  /** Whether the model applied inverse text normalization (<|withitn|> / <|woitn|>); null if unknown. */
  itn: boolean | null;
  /** Model input frames (after LFR) that were decoded; 0 for audio too short to decode. */
  numFrames: number;
  /**
   * Present when hotwords were given. Corrections rewrite `text`, and `tokens` where a replacement keeps
   * the length; `tokenIds` stay what the decoder produced.
   */
  hotwords?: HotwordOutcome;
  /** Set when the input was not decoded on purpose (e.g. an LLM decoder's silence gate); text is then empty. */
  skipped?: { reason: 'too_short' | 'silence'; detail: string };
  /** Autoregressive decoders: why generation stopped, tokens generated, prompt length in tokens. */
  generation?: { stoppedBy: 'eos' | 'max_new_tokens' | 'context_full' | 'repetition'; newTokens: number; promptTokens: number };
}

export interface AsrModel {
  readonly family: AsrFamily;
  readonly dir: string;
  readonly modelFile: string;
  /** The device actually used, e.g. 'cpu' or 'cuda:0'. */
  readonly device: string;
  /** True for Tingxie's test fixtures (not speech models). */
  readonly isFixture: boolean;
  /**
   * Recognises one utterance.
   * @param samples 16 kHz mono float32 in [-1, 1]
   */
  recognize(samples: Float32Array, opts: RecognizeOptions): Promise<RecognitionResult>;
  /** Tokenizes a hotword list against the model's symbol table: what will be biased, what cannot be. */
  compileHotwords?(list: HotwordList, opts?: CompileHotwordsOptions): CompiledHotwords;
  release(): Promise<void>;
}

export interface LoadModelOptions {
  /** 'cpu' (default), 'cuda' or 'cuda:N'. */
  device?: string;
  /** Intra-op threads; default min(4, cores). */
  threads?: number;
  /** When CUDA cannot be used: fail with DEVICE_UNAVAILABLE (default) or run on the CPU. */
  onCudaUnavailable?: 'fail' | 'cpu';
}

/**
 * Loads the model in `dir` (a folder with model.onnx / model.int8.onnx and tokens.txt).
 * @throws TingxieError MODEL_NOT_FOUND, MODEL_INVALID, MODEL_UNKNOWN_FAMILY, MODEL_LOAD_FAILED,
 *   DEVICE_INVALID, DEVICE_UNAVAILABLE
 */
export async function loadAsrModel(dir: string, opts: LoadModelOptions = {}): Promise<AsrModel> {
  const detected = await detectModelFamily(dir);
  switch (detected.family) {
    case 'sense_voice':
      return loadSenseVoiceModel(detected, opts);
    case 'paraformer':
      return loadParaformerModel(detected, opts);
    case 'whisper':
      return loadWhisperModel(detected, opts);
    case 'funasr_nano':
      return loadFunAsrNanoModel(detected.dir, { ...opts, isFixture: detected.isFixture });
    default: {
      const family: never = detected.family;
      throw new TingxieError(ErrorCodes.MODEL_UNKNOWN_FAMILY, `unsupported model family ${String(family)}`);
    }
  }
}
