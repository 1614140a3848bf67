/**
 * Fun-ASR-Nano-2512 (sherpa-onnx's kv-delta export) on onnxruntime-node.
 *
 * Folder (as sherpa-onnx's release sherpa-onnx-funasr-nano-int8-2025-12-30):
 *   encoder_adaptor[.int8].onnx, embedding[.int8].onnx, llm[.int8].onnx, Qwen3-0.6B/{tokenizer.json,vocab.json,merges.txt}
 *
 * Pipeline, as sherpa-onnx 1.13.8 runs it (the conformance test pins it against sherpa-onnx-node):
 *   samples [-1, 1] × 32768 → 80-bin Kaldi fbank (25/10 ms, Hamming, 20 Hz .. Nyquist − 400 Hz, centred frames:
 *   snip_edges false) → LFR (7 frames every 6, no padding: ⌊(T − 7)/6⌋ + 1 frames) → encoder_adaptor → audio
 *   embeddings [1, A, H] (no CMVN outside the graph). Known difference: for 2–6 fbank frames (≈ 25–100 ms) sherpa-onnx
 *   1.13.8 still decodes one LFR frame of unclear content (its probes gave NaN logits); Tingxie decodes nothing
 *   (and its silence gate skips anything under 0.2 s anyway).
 *   Prompt (Qwen chat template): "<|im_start|>system\n{system}<|im_end|>\n<|im_start|>user\n{user}"
 *   + A placeholder ids (<|endoftext|>) + "<|im_end|>\n<|im_start|>assistant\n"; the placeholders' text
 *   embeddings are replaced by the audio embeddings. {user} is Fun-ASR's prompt:
 *   [hotword preamble + "热词列表：[w1, w2]\n"] + "语音转写" [+ "成" + language] [+ "，不进行文本规整" when ITN is off] + "：".
 *   If the prompt exceeds the model's KV capacity (max_total_len), audio placeholders are dropped from the end.
 *   Decoding: one prefill run over the prompt, then one run per token with the KV cache: the LLM returns
 *   the new positions' keys/values (key_delta_i / value_delta_i), which are written into the cache
 *   [1, max_total_len, kv_heads, head_dim] at cache_position. Greedy (argmax) until <|im_end|> or
 *   <|endoftext|>, the new-token cap, or a full cache. As in sherpa-onnx, generated tokens sit at positions
 *   C+1, C+2, … (C = prompt length) with position C masked out.
 *
 * Beyond sherpa-onnx (each can be switched off, which the conformance test does to compare the bare loop):
 *   - silence gate: input shorter than MIN_DECODE_S or quieter than SILENCE_RMS is not decoded (LLM decoders
 *     invent text for silence); the result says so in `skipped`;
 *   - adaptive cap: at most 16 + 10 new tokens per second of audio (and never more than maxNewTokens);
 *   - repetition stop: a tail that repeats a 1–20 token unit 4+ times (≥ 16 tokens) ends decoding and the
 *     extra copies are dropped.
 * Input longer than MAX_SEGMENT_S is refused (use VAD segments).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { FbankComputer } from '../features/fbank.ts';
import { applyLfr } from '../features/lfr.ts';
import type { HotwordList } from '../text/hotwords/list.ts';
import type { AsrModel, LoadModelOptions, RecognitionLanguage, RecognitionResult, RecognizeOptions } from './asr-model.ts';
import { formatDevice, parseDevice } from './device.ts';
import { FunAsrNanoTokenizer } from './funasr-nano-tokenizer.ts';
import { createModelSession, isFile } from './model-loading.ts';
import { readOnnxModelInfo, type OnnxModelInfo } from './onnx-metadata.ts';

export const FUNASR_NANO_ENCODER_FILES = ['encoder_adaptor.int8.onnx', 'encoder_adaptor.onnx'] as const;
export const FUNASR_NANO_LLM_FILES = ['llm.int8.onnx', 'llm.onnx'] as const;
export const FUNASR_NANO_EMBEDDING_FILES = ['embedding.int8.onnx', 'embedding.onnx'] as const;
/** Tokenizer folder names tried first; otherwise any subfolder holding tokenizer.json. */
export const FUNASR_NANO_TOKENIZER_DIRS = ['Qwen3-0.6B', 'tokenizer'] as const;

export const FUNASR_NANO_SYSTEM_PROMPT = 'You are a helpful assistant.';
const HOTWORD_PREAMBLE = '请结合上下文信息，更加准确地完成语音转写任务。如果没有相关信息，我们会留空。\n\n\n**上下文信息：**\n\n\n';
/** Language names Fun-ASR's prompt uses ("语音转写成中文："). */
export const FUNASR_NANO_LANGUAGE_NAMES: Readonly<Record<Exclude<RecognitionLanguage, 'auto'>, string>> = {
  zh: '中文',
  en: '英文',
  ja: '日文',
  ko: '韩文',
  yue: '粤语',
};

/** Longest input decoded in one call (Fun-ASR's VAD segments are ≤ 30 s). */
export const MAX_SEGMENT_S = 30;
/** Shorter input is not decoded (silence gate). */
export const MIN_DECODE_S = 0.2;
/** RMS (full scale 1) below which input counts as silence: −50 dBFS. */
export const SILENCE_RMS = 10 ** (-50 / 20);
export const DEFAULT_MAX_NEW_TOKENS = 512;
const ADAPTIVE_BASE_TOKENS = 16;
const ADAPTIVE_TOKENS_PER_SECOND = 10;
const REPEAT_MAX_UNIT = 20;
const REPEAT_MIN_COPIES = 4;
const REPEAT_MIN_SPAN = 16;

/** Most distinct prompts whose token ids are kept (hotword lists, languages and ITN make the variants). */
const PROMPT_CACHE = 64;
/** Most single-token embeddings kept (H floats each: 4 KB for Qwen3-0.6B). */
const TOKEN_EMBEDDING_CACHE = 2048;
const SAMPLE_RATE = 16000;
const FRAME_SHIFT_MS = 10;
const NUM_MEL_BINS = 80;

export interface FunAsrNanoFiles {
  encoderAdaptor: string;
  llm: string;
  embedding: string;
  tokenizerDir: string;
}


async function firstExisting(dir: string, names: readonly string[]): Promise<string | null> {
  for (const name of names) if (await isFile(join(dir, name))) return join(dir, name);
  return null;
}

async function findTokenizerDir(dir: string): Promise<string | null> {
  for (const name of FUNASR_NANO_TOKENIZER_DIRS) if (await isFile(join(dir, name, 'tokenizer.json'))) return join(dir, name);
  let entries: string[] = [];
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return null;
  }
  for (const name of entries) if (await isFile(join(dir, name, 'tokenizer.json'))) return join(dir, name);
  return (await isFile(join(dir, 'tokenizer.json'))) ? dir : null;
}

/** Whether `dir` looks like a Fun-ASR-Nano folder (has an encoder_adaptor or llm ONNX file). */
export async function looksLikeFunAsrNano(dir: string): Promise<boolean> {
  return (await firstExisting(dir, FUNASR_NANO_ENCODER_FILES)) !== null || (await firstExisting(dir, FUNASR_NANO_LLM_FILES)) !== null;
}

/**
 * The files of a Fun-ASR-Nano folder (int8 preferred when both exist).
 * @throws MODEL_NOT_FOUND naming the missing part.
 */
export async function findFunAsrNanoFiles(dir: string): Promise<FunAsrNanoFiles> {
  const missing = (what: string, names: readonly string[]): TingxieError =>
    new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `Fun-ASR-Nano folder ${dir} has no ${what} (expected ${names.join(' or ')})`, { dir, file: join(dir, names[names.length - 1]!) });
  const encoderAdaptor = await firstExisting(dir, FUNASR_NANO_ENCODER_FILES);
  if (!encoderAdaptor) throw missing('encoder_adaptor model', FUNASR_NANO_ENCODER_FILES);
  const llm = await firstExisting(dir, FUNASR_NANO_LLM_FILES);
  if (!llm) throw missing('llm model', FUNASR_NANO_LLM_FILES);
  const embedding = await firstExisting(dir, FUNASR_NANO_EMBEDDING_FILES);
  if (!embedding) throw missing('embedding model', FUNASR_NANO_EMBEDDING_FILES);
  const tokenizerDir = await findTokenizerDir(dir);
  if (!tokenizerDir) {
    throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `Fun-ASR-Nano folder ${dir} has no tokenizer folder (expected Qwen3-0.6B/ with tokenizer.json, vocab.json, merges.txt)`, {
      dir,
      file: join(dir, 'Qwen3-0.6B', 'tokenizer.json'),
    });
  }
  return { encoderAdaptor, llm, embedding, tokenizerDir };
}

/** Validated configuration, from the three graphs' metadata and signatures (checked like sherpa-onnx's loader). */
export interface FunAsrNanoConfig {
  lfrWindowSize: number;
  lfrWindowShift: number;
  hiddenSize: number;
  vocabSize: number;
  numLayers: number;
  /** KV cache capacity: prompt + audio + generated tokens. */
  maxTotalLen: number;
  kvHeads: number;
  headDim: number;
  llmInputs: { embeds: string; mask: string; position: string; cache: Array<[key: string, value: string]> };
  llmOutputs: { logits: string; deltas: Array<[key: string, value: string]> };
  encoderInput: string;
  encoderOutput: string;
  embeddingInput: string;
  embeddingOutput: string;
}

function invalid(file: string, field: string, problem: string): TingxieError {
  return new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: ${field} ${problem}`, { file, field });
}

function metadataInteger(info: OnnxModelInfo, field: string, required: boolean): number | null {
  const raw = info.metadata.get(field);
  if (raw === undefined) {
    if (required) throw invalid(info.file, `metadata ${field}`, 'is missing (not a sherpa-onnx Fun-ASR-Nano export?)');
    return null;
  }
  if (!/^\s*\d+\s*$/.test(raw)) throw invalid(info.file, `metadata ${field}`, `is not a non-negative integer: ${JSON.stringify(raw.slice(0, 40))}`);
  const value = Number(raw);
  if (value <= 0) throw invalid(info.file, `metadata ${field}`, `must be positive, got ${value}`);
  return value;
}

export function funAsrNanoConfig(encoder: OnnxModelInfo, llm: OnnxModelInfo, embedding: OnnxModelInfo): FunAsrNanoConfig {
  const lfrWindowSize = metadataInteger(encoder, 'lfr_window_size', true)!;
  const lfrWindowShift = metadataInteger(encoder, 'lfr_window_shift', true)!;
  const hiddenSize = metadataInteger(encoder, 'llm_dim', true)!;
  if (encoder.inputs.length !== 1 || encoder.outputs.length < 1) {
    throw invalid(encoder.file, 'signature', `must have 1 input and an output, has ${encoder.inputs.length} inputs and ${encoder.outputs.length} outputs`);
  }
  if (encoder.inputs[0]!.elemType !== 'float32') throw invalid(encoder.file, `input "${encoder.inputs[0]!.name}"`, `must be float32, is ${encoder.inputs[0]!.elemType}`);
  const featureDim = encoder.inputs[0]!.shape[2];
  if (typeof featureDim === 'number' && featureDim !== NUM_MEL_BINS * lfrWindowSize) {
    throw invalid(encoder.file, `input "${encoder.inputs[0]!.name}"`, `has feature size ${featureDim}, expected ${NUM_MEL_BINS * lfrWindowSize} (80 bins × lfr_window_size)`);
  }

  const modelType = llm.metadata.get('model_type');
  if (modelType === undefined || !modelType.includes('kv_delta')) {
    throw invalid(llm.file, 'metadata model_type', `must name a kv_delta export (sherpa-onnx supports only those), got ${modelType === undefined ? 'nothing' : JSON.stringify(modelType)}`);
  }
  const vocabSize = metadataInteger(llm, 'vocab_size', true)!;
  const maxTotalLen = metadataInteger(llm, 'max_total_len', false) ?? metadataInteger(llm, 'attention_mask_len', false);
  if (maxTotalLen === null) throw invalid(llm.file, 'metadata max_total_len', 'is missing (not a sherpa-onnx Fun-ASR-Nano kv_delta export?)');
  const llmHidden = metadataInteger(llm, 'hidden_size', false);
  if (llmHidden !== null && llmHidden !== hiddenSize) throw invalid(llm.file, 'metadata hidden_size', `is ${llmHidden} but the encoder's llm_dim is ${hiddenSize}`);
  if (llm.outputs.length < 3 || (llm.outputs.length - 1) % 2 !== 0) {
    throw invalid(llm.file, 'outputs', `must be logits + 2 per layer (key/value deltas), got ${llm.outputs.length}`);
  }
  const inferredLayers = (llm.outputs.length - 1) / 2;
  const numLayers = metadataInteger(llm, 'num_layers', false) ?? inferredLayers;
  if (numLayers !== inferredLayers) throw invalid(llm.file, 'metadata num_layers', `is ${numLayers} but the graph has ${inferredLayers} layers of KV outputs`);
  if (llm.inputs.length !== 3 + 2 * numLayers) {
    throw invalid(llm.file, 'inputs', `must be inputs_embeds, attention_mask, cache_position and 2 per layer (${3 + 2 * numLayers}), got ${llm.inputs.length}`);
  }
  const [embeds, mask, position] = llm.inputs as [OnnxModelInfo['inputs'][0], OnnxModelInfo['inputs'][0], OnnxModelInfo['inputs'][0]];
  if (embeds.elemType !== 'float32') throw invalid(llm.file, `input "${embeds.name}"`, `must be float32, is ${embeds.elemType}`);
  if (mask.elemType !== 'int64') throw invalid(llm.file, `input "${mask.name}"`, `must be int64, is ${mask.elemType}`);
  if (position.elemType !== 'int64') throw invalid(llm.file, `input "${position.name}"`, `must be int64, is ${position.elemType}`);
  const cache: Array<[string, string]> = [];
  let kvHeads = 0;
  let headDim = 0;
  for (let l = 0; l < numLayers; l++) {
    const key = llm.inputs[3 + 2 * l]!;
    const value = llm.inputs[4 + 2 * l]!;
    for (const input of [key, value]) {
      if (input.elemType !== 'float32') throw invalid(llm.file, `input "${input.name}"`, `must be float32 (float16 KV caches are not supported), is ${input.elemType}`);
      const [, , h, d] = input.shape;
      if (input.shape.length !== 4 || typeof h !== 'number' || typeof d !== 'number' || h <= 0 || d <= 0) {
        throw invalid(llm.file, `input "${input.name}"`, `must have shape [batch, max_total_len, kv_heads, head_dim] with fixed kv_heads and head_dim, has [${input.shape.join(', ')}]`);
      }
      if (l === 0 && input === key) {
        kvHeads = h;
        headDim = d;
      } else if (h !== kvHeads || d !== headDim) {
        throw invalid(llm.file, `input "${input.name}"`, `has kv_heads × head_dim ${h} × ${d}, but layer 0 has ${kvHeads} × ${headDim}`);
      }
    }
    cache.push([key.name, value.name]);
  }
  if (llm.outputs[0]!.elemType !== 'float32') throw invalid(llm.file, `output "${llm.outputs[0]!.name}"`, `(logits) must be float32, is ${llm.outputs[0]!.elemType}`);
  const deltas: Array<[string, string]> = [];
  for (let l = 0; l < numLayers; l++) deltas.push([llm.outputs[1 + 2 * l]!.name, llm.outputs[2 + 2 * l]!.name]);

  if (embedding.inputs.length !== 1 || embedding.outputs.length < 1) {
    throw invalid(embedding.file, 'signature', `must have 1 input (token ids) and an output, has ${embedding.inputs.length} inputs`);
  }
  if (embedding.inputs[0]!.elemType !== 'int64') throw invalid(embedding.file, `input "${embedding.inputs[0]!.name}"`, `must be int64, is ${embedding.inputs[0]!.elemType}`);
  const embeddingHidden = metadataInteger(embedding, 'hidden_size', false);
  if (embeddingHidden !== null && embeddingHidden !== hiddenSize) {
    throw invalid(embedding.file, 'metadata hidden_size', `is ${embeddingHidden} but the encoder's llm_dim is ${hiddenSize}`);
  }
  return {
    lfrWindowSize,
    lfrWindowShift,
    hiddenSize,
    vocabSize,
    numLayers,
    maxTotalLen,
    kvHeads,
    headDim,
    llmInputs: { embeds: embeds.name, mask: mask.name, position: position.name, cache },
    llmOutputs: { logits: llm.outputs[0]!.name, deltas },
    encoderInput: encoder.inputs[0]!.name,
    encoderOutput: encoder.outputs[0]!.name,
    embeddingInput: embedding.inputs[0]!.name,
    embeddingOutput: embedding.outputs[0]!.name,
  };
}

/** Fun-ASR's user prompt for hotwords (in order), language (null: let the model choose) and ITN. */
export function buildUserPrompt(hotwords: readonly string[], languageName: string | null, itn: boolean): string {
  let prompt = hotwords.length > 0 ? `${HOTWORD_PREAMBLE}热词列表：[${hotwords.join(', ')}]\n` : '';
  prompt += languageName ? `语音转写成${languageName}` : '语音转写';
  if (!itn) prompt += '，不进行文本规整';
  return `${prompt}：`;
}

/** Hotword phrases for the prompt: the list's hotwords, trimmed, without separators sherpa-onnx would split on. */
export function promptHotwords(list: HotwordList | undefined): string[] {
  if (!list) return [];
  const out: string[] = [];
  for (const hotword of list.hotwords) {
    for (const part of hotword.phrase.split(/[,;\t\r\n，；]/)) {
      const phrase = part.trim();
      if (phrase !== '' && !out.includes(phrase)) out.push(phrase);
    }
  }
  return out;
}

/**
 * Length of the repeated tail to drop, or 0: the tail is `copies` ≥ 4 repeats of a unit of 1–20 tokens
 * covering ≥ 16 tokens; all but the first copy are dropped.
 */
export function repeatedTail(ids: readonly number[]): number {
  const n = ids.length;
  for (let unit = 1; unit <= REPEAT_MAX_UNIT && unit * REPEAT_MIN_COPIES <= n; unit++) {
    let copies = 1;
    while ((copies + 1) * unit <= n) {
      let same = true;
      for (let k = 0; k < unit && same; k++) same = ids[n - 1 - k] === ids[n - 1 - k - copies * unit];
      if (!same) break;
      copies++;
    }
    if (copies >= REPEAT_MIN_COPIES && copies * unit >= REPEAT_MIN_SPAN) return (copies - 1) * unit;
  }
  return 0;
}

export type GenerationStop = 'eos' | 'max_new_tokens' | 'context_full' | 'repetition';

export interface FunAsrNanoDecodeOptions {
  /** Hard cap on generated tokens (sherpa-onnx's max_new_tokens). Default 512. */
  maxNewTokens: number;
  /** Also cap at 16 + 10 tokens per second of audio. Default true. */
  adaptiveCap: boolean;
  /** Stop on a repeating tail (see repeatedTail). Default true. */
  stopRepetition: boolean;
  /** Skip input that is too short or silent instead of decoding it. Default true. */
  silenceGate: boolean;
  /** System prompt. Default "You are a helpful assistant." */
  systemPrompt: string;
}

export const DEFAULT_FUNASR_NANO_DECODE_OPTIONS: Readonly<FunAsrNanoDecodeOptions> = Object.freeze({
  maxNewTokens: DEFAULT_MAX_NEW_TOKENS,
  adaptiveCap: true,
  stopRepetition: true,
  silenceGate: true,
  systemPrompt: FUNASR_NANO_SYSTEM_PROMPT,
});

export function validateDecodeOptions(opts: Partial<FunAsrNanoDecodeOptions> = {}): FunAsrNanoDecodeOptions {
  const merged = { ...DEFAULT_FUNASR_NANO_DECODE_OPTIONS, ...opts };
  if (!Number.isInteger(merged.maxNewTokens) || merged.maxNewTokens < 1) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `maxNewTokens must be a positive integer, got ${String(merged.maxNewTokens)}`, { field: 'maxNewTokens' });
  }
  for (const field of ['adaptiveCap', 'stopRepetition', 'silenceGate'] as const) {
    if (typeof merged[field] !== 'boolean') throw new TingxieError(ErrorCodes.CONFIG_INVALID, `${field} must be true or false`, { field });
  }
  if (typeof merged.systemPrompt !== 'string') throw new TingxieError(ErrorCodes.CONFIG_INVALID, 'systemPrompt must be a string', { field: 'systemPrompt' });
  return merged;
}

/** What the silence gate decided for `samples` (16 kHz): null = decode it. */
export function silenceGateVerdict(samples: Float32Array): { reason: 'too_short' | 'silence'; detail: string } | null {
  const seconds = samples.length / SAMPLE_RATE;
  if (seconds < MIN_DECODE_S) return { reason: 'too_short', detail: `${seconds.toFixed(3)} s is shorter than ${MIN_DECODE_S} s; not decoded` };
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  const rms = Math.sqrt(sum / samples.length);
  if (rms < SILENCE_RMS) {
    const db = rms > 0 ? (20 * Math.log10(rms)).toFixed(1) : '-inf';
    return { reason: 'silence', detail: `level ${db} dBFS is below −50 dBFS; not decoded (LLM decoders invent text for silence)` };
  }
  return null;
}

/** Whether every value equals the first (true for an empty array). */
function isConstant(data: Float32Array): boolean {
  const first = data[0];
  for (let i = 1; i < data.length; i++) if (data[i] !== first) return false;
  return true;
}

function emptyResult(itn: boolean, language: string | null): RecognitionResult {
  return { text: '', tokens: [], tokenIds: [], timestamps: [], language, emotion: null, event: null, itn, numFrames: 0 };
}

function argmaxFinite(data: Float32Array, offset: number, size: number): number {
  let best = 0;
  let bestValue = -1e30;
  for (let i = 0; i < size; i++) {
    const v = data[offset + i]!;
    // NaN fails the comparison and −∞ never beats −1e30, so only +∞ needs excluding.
    if (v > bestValue && v !== Number.POSITIVE_INFINITY) {
      bestValue = v;
      best = i;
    }
  }
  return best;
}

interface Sessions {
  encoder: ort.InferenceSession;
  embedding: ort.InferenceSession;
  llm: ort.InferenceSession;
}

export class FunAsrNanoModel implements AsrModel {
  readonly family = 'funasr_nano' as const;
  readonly dir: string;
  readonly modelFile: string;
  readonly device: string;
  readonly isFixture: boolean;
  readonly files: FunAsrNanoFiles;
  readonly config: FunAsrNanoConfig;
  readonly tokenizer: FunAsrNanoTokenizer;
  readonly decodeOptions: FunAsrNanoDecodeOptions;
  readonly #sessions: Sessions;
  readonly #fbank: FbankComputer;
  #released = false;

  constructor(init: {
    dir: string;
    isFixture: boolean;
    files: FunAsrNanoFiles;
    config: FunAsrNanoConfig;
    tokenizer: FunAsrNanoTokenizer;
    sessions: Sessions;
    device: string;
    decodeOptions: FunAsrNanoDecodeOptions;
  }) {
    this.dir = init.dir;
    this.modelFile = init.files.llm;
    this.isFixture = init.isFixture;
    this.files = init.files;
    this.config = init.config;
    this.tokenizer = init.tokenizer;
    this.#sessions = init.sessions;
    this.device = init.device;
    this.decodeOptions = init.decodeOptions;
    this.#fbank = new FbankComputer({
      sampleRate: SAMPLE_RATE,
      frameLengthMs: 25,
      frameShiftMs: FRAME_SHIFT_MS,
      numBins: NUM_MEL_BINS,
      lowFreq: 20,
      highFreq: -400,
      preemphCoeff: 0.97,
      removeDcOffset: true,
      dither: 0,
      windowType: 'hamming',
      snipEdges: false,
      sampleScale: 32768,
    });
  }

  /** LFR features [numFrames, lfr_window_size × 80]; numFrames 0 for audio too short for one window. */
  features(samples: Float32Array): { data: Float32Array; numFrames: number; dim: number } {
    return applyLfr(this.#fbank.compute(samples), this.config.lfrWindowSize, this.config.lfrWindowShift, { padding: 'none' });
  }

  async #run(session: ort.InferenceSession, file: string, feeds: Record<string, ort.Tensor>): Promise<ort.InferenceSession.ReturnType> {
    try {
      return await session.run(feeds);
    } catch (error) {
      throw new TingxieError(ErrorCodes.MODEL_INFERENCE_FAILED, `${file}: inference failed: ${(error as Error).message}`, { file }, { cause: error });
    }
  }

  #float3d(tensor: ort.Tensor | undefined, file: string, what: string, rows: number | null): { data: Float32Array; rows: number } {
    const H = this.config.hiddenSize;
    if (!tensor || tensor.type !== 'float32' || tensor.dims.length !== 3 || tensor.dims[0] !== 1 || tensor.dims[2] !== H || (rows !== null && tensor.dims[1] !== rows)) {
      const got = tensor ? `${tensor.type} [${tensor.dims.join(', ')}]` : 'nothing';
      throw new TingxieError(ErrorCodes.MODEL_INFERENCE_FAILED, `${file}: ${what} is ${got}, expected float32 [1, ${rows ?? 'N'}, ${H}]`, { file });
    }
    return { data: tensor.data as Float32Array, rows: tensor.dims[1]! };
  }

  /** Embeddings of single generated tokens: the lookup is deterministic, and decoding repeats tokens often. */
  readonly #tokenEmbeddings = new Map<number, Float32Array>();

  async #embedToken(id: number): Promise<Float32Array> {
    const cached = this.#tokenEmbeddings.get(id);
    if (cached) return cached;
    const embedding = await this.#embed([id]);
    if (this.#tokenEmbeddings.size >= TOKEN_EMBEDDING_CACHE) this.#tokenEmbeddings.clear();
    this.#tokenEmbeddings.set(id, embedding);
    return embedding;
  }

  /** Token ids of prompt texts: tokenizing them costs more than a decode step, and they repeat on every call. */
  readonly #promptIds = new Map<string, readonly number[]>();

  #encodePrompt(text: string): readonly number[] {
    const cached = this.#promptIds.get(text);
    if (cached) return cached;
    const ids = this.tokenizer.encode(text);
    if (this.#promptIds.size >= PROMPT_CACHE) this.#promptIds.clear();
    this.#promptIds.set(text, ids);
    return ids;
  }

  async #embed(ids: readonly number[]): Promise<Float32Array> {
    const tensor = new ort.Tensor('int64', BigInt64Array.from(ids, (id) => BigInt(id)), [1, ids.length]);
    const out = await this.#run(this.#sessions.embedding, this.files.embedding, { [this.config.embeddingInput]: tensor });
    return this.#float3d(out[this.config.embeddingOutput], this.files.embedding, 'the embedding output', ids.length).data;
  }

  async recognize(samples: Float32Array, opts: RecognizeOptions): Promise<RecognitionResult> {
    if (this.#released) throw new TingxieError(ErrorCodes.INTERNAL, 'recognize() called after release()');
    const languageName = opts.language === 'auto' ? null : FUNASR_NANO_LANGUAGE_NAMES[opts.language];
    if (opts.language !== 'auto' && languageName === undefined) {
      throw new TingxieError(ErrorCodes.CONFIG_INVALID, `unknown language ${JSON.stringify(opts.language)} (use auto, zh, en, ja, ko or yue)`, { field: 'language' });
    }
    const language = opts.language === 'auto' ? null : opts.language;
    const seconds = samples.length / SAMPLE_RATE;
    if (seconds > MAX_SEGMENT_S) {
      throw new TingxieError(
        ErrorCodes.CONFIG_INVALID,
        `Fun-ASR-Nano decodes at most ${MAX_SEGMENT_S} s at a time, got ${seconds.toFixed(1)} s; use VAD segments (--vad on)`,
        { field: 'samples', seconds },
      );
    }
    const decode = this.decodeOptions;
    if (decode.silenceGate) {
      const verdict = silenceGateVerdict(samples);
      if (verdict) return { ...emptyResult(opts.useItn, language), skipped: verdict };
    }
    const feats = this.features(samples);
    if (feats.numFrames === 0) return emptyResult(opts.useItn, language);
    // sherpa-onnx 1.13.8 returns nothing for features without any signal (all-zero or constant input:
    // every value identical); observed behaviour, matched so results agree.
    if (isConstant(feats.data)) return emptyResult(opts.useItn, language);

    const encoded = await this.#run(this.#sessions.encoder, this.files.encoderAdaptor, {
      [this.config.encoderInput]: new ort.Tensor('float32', feats.data, [1, feats.numFrames, feats.dim]),
    });
    const audio = this.#float3d(encoded[this.config.encoderOutput], this.files.encoderAdaptor, 'the encoder_adaptor output', null);
    const hotwords = promptHotwords(opts.hotwords);
    const userPrompt = buildUserPrompt(hotwords, languageName ?? null, opts.useItn);
    const generated = await this.#generate(audio.data, audio.rows, decode.systemPrompt, userPrompt, seconds);

    const tokens = this.tokenizer.tokenStrings(generated.ids);
    const text = this.tokenizer.decode(generated.ids);
    const timestamps = evenTimestamps(generated.ids.length, generated.audioTokens, this.config.lfrWindowShift);
    return {
      text,
      tokens,
      tokenIds: generated.ids,
      timestamps,
      language,
      emotion: null,
      event: null,
      itn: opts.useItn,
      numFrames: feats.numFrames,
      generation: { stoppedBy: generated.stop, newTokens: generated.ids.length, promptTokens: generated.contextLength },
      ...(hotwords.length > 0 ? { hotwords: { matched: hotwords.filter((w) => text.includes(w)), corrections: [] } } : {}),
    };
  }

  /** Prompt + audio → generated ids, as sherpa-onnx's GenerateText (plus the optional cap and repetition stop). */
  async #generate(
    audio: Float32Array,
    audioLength: number,
    systemPrompt: string,
    userPrompt: string,
    seconds: number,
  ): Promise<{ ids: number[]; stop: GenerationStop; audioTokens: number; contextLength: number }> {
    const { hiddenSize: H, maxTotalLen: L, kvHeads, headDim, numLayers } = this.config;
    const before = this.#encodePrompt(`<|im_start|>system\n${systemPrompt}<|im_end|>\n<|im_start|>user\n${userPrompt}`);
    const after = this.#encodePrompt('<|im_end|>\n<|im_start|>assistant\n');
    let audioSlots = audioLength;
    let audioStart = before.length;
    let source: number[];
    if (before.length + audioLength + after.length <= L) {
      source = [...before, ...new Array<number>(audioLength).fill(this.tokenizer.padId), ...after];
    } else if (before.length + after.length <= L) {
      // Too long for the KV cache: keep the prompt, drop audio placeholders from the end (as sherpa-onnx).
      audioSlots = L - before.length - after.length;
      source = [...before, ...new Array<number>(audioSlots).fill(this.tokenizer.padId), ...after];
    } else {
      // Even the prompt does not fit: keep its last L tokens and no audio (sherpa-onnx does the same).
      const all = [...before, ...new Array<number>(audioLength).fill(this.tokenizer.padId), ...after];
      source = all.slice(all.length - L);
      audioSlots = 0;
      audioStart = -1;
    }
    const contextLength = source.length;

    const embeds = await this.#embed(source);
    if (audioStart >= 0 && audioSlots > 0) embeds.set(audio.subarray(0, audioSlots * H), audioStart * H);

    const cacheSize = L * kvHeads * headDim;
    const rowSize = kvHeads * headDim;
    const { llmInputs, llmOutputs } = this.config;
    // One feeds object for the whole decode: the cache tensors wrap preallocated arrays that the deltas are written
    // into in place (onnxruntime-node reads tensor data without copying), so a step only swaps its three small inputs.
    const feeds: Record<string, ort.Tensor> = {};
    const cacheTargets: Array<{ name: string; target: Float32Array }> = [];
    for (let l = 0; l < numLayers; l++) {
      const [keyName, valueName] = llmInputs.cache[l]!;
      const [keyDelta, valueDelta] = llmOutputs.deltas[l]!;
      const key = new Float32Array(cacheSize);
      const value = new Float32Array(cacheSize);
      feeds[keyName] = new ort.Tensor('float32', key, [1, L, kvHeads, headDim]);
      feeds[valueName] = new ort.Tensor('float32', value, [1, L, kvHeads, headDim]);
      cacheTargets.push({ name: keyDelta, target: key }, { name: valueDelta, target: value });
    }

    const decode = this.decodeOptions;
    const cap = decode.adaptiveCap ? Math.min(decode.maxNewTokens, ADAPTIVE_BASE_TOKENS + Math.ceil(ADAPTIVE_TOKENS_PER_SECOND * seconds)) : decode.maxNewTokens;
    const ids: number[] = [];
    // sherpa-onnx's layout: after the prefill (positions 0..C−1) the first generated token is written at C + 1,
    // not C, and position C stays masked out (its cache row is never written). Kept so results match.
    const mask = new BigInt64Array(L);
    mask.fill(1n, 0, contextLength);
    const prefillPositions = new BigInt64Array(contextLength);
    for (let i = 0; i < contextLength; i++) prefillPositions[i] = BigInt(i);
    // Decode steps (one token each) reuse these: the embedding is copied in and the position overwritten.
    const stepEmbeds = new Float32Array(H);
    const stepPosition = new BigInt64Array(1);
    const stepEmbedsTensor = new ort.Tensor('float32', stepEmbeds, [1, 1, H]);
    const stepPositionTensor = new ort.Tensor('int64', stepPosition, [1]);
    let validLength = contextLength;
    let stop: GenerationStop = 'max_new_tokens';
    for (let step = 0; step < cap; step++) {
      if (validLength >= L) {
        stop = 'context_full';
        break;
      }
      const first = step === 0;
      const length = first ? contextLength : 1;
      const maskLength = first ? contextLength : validLength + 1;
      const position = first ? 0 : validLength;
      if (first) {
        feeds[llmInputs.embeds] = new ort.Tensor('float32', embeds, [1, length, H]);
        feeds[llmInputs.position] = new ort.Tensor('int64', prefillPositions, [length]);
      } else {
        stepEmbeds.set(await this.#embedToken(ids[ids.length - 1]!));
        stepPosition[0] = BigInt(position);
        mask[position] = 1n;
        feeds[llmInputs.embeds] = stepEmbedsTensor;
        feeds[llmInputs.position] = stepPositionTensor;
      }
      // A view from offset 0, so no copy (the tensor only sees its first maskLength entries).
      feeds[llmInputs.mask] = new ort.Tensor('int64', mask.subarray(0, maskLength), [1, maskLength]);
      const out = await this.#run(this.#sessions.llm, this.files.llm, feeds);
      const logits = out[llmOutputs.logits];
      if (!logits || logits.type !== 'float32' || logits.dims.length !== 3 || logits.dims[1]! < 1 || logits.dims[2]! < 1) {
        throw new TingxieError(ErrorCodes.MODEL_INFERENCE_FAILED, `${this.files.llm}: logits are ${logits ? `${logits.type} [${logits.dims.join(', ')}]` : 'missing'}, expected float32 [1, S, V]`, {
          file: this.files.llm,
        });
      }
      // Write the new keys/values into the cache at [position, position + length), clamped to its size.
      const rows = Math.min(length, L - position);
      for (const { name, target } of cacheTargets) {
        const delta = out[name];
        if (!delta || delta.type !== 'float32' || delta.dims[1] !== length || (delta.data as Float32Array).length !== length * rowSize) {
          throw new TingxieError(ErrorCodes.MODEL_INFERENCE_FAILED, `${this.files.llm}: ${name} is ${delta ? `${delta.type} [${delta.dims.join(', ')}]` : 'missing'}, expected float32 [1, ${length}, ${kvHeads}, ${headDim}]`, {
            file: this.files.llm,
          });
        }
        target.set((delta.data as Float32Array).subarray(0, rows * rowSize), position * rowSize);
      }
      const V = logits.dims[2]!;
      const next = argmaxFinite(logits.data as Float32Array, (logits.dims[1]! - 1) * V, V);
      if (next === this.tokenizer.eosId || next === this.tokenizer.imEndId) {
        stop = 'eos';
        break;
      }
      ids.push(next);
      validLength += 1;
      if (decode.stopRepetition) {
        const drop = repeatedTail(ids);
        if (drop > 0) {
          ids.length -= drop;
          stop = 'repetition';
          break;
        }
      }
    }
    return { ids, stop, audioTokens: audioStart >= 0 ? audioSlots : 0, contextLength };
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await Promise.all([this.#sessions.encoder.release(), this.#sessions.embedding.release(), this.#sessions.llm.release()]);
  }
}

/**
 * sherpa-onnx's token times: spread evenly over the injected audio (audioTokens × lfr_window_shift × 10 ms),
 * first at 0 and last at the end; a single token sits in the middle. Computed in float32 as sherpa-onnx does
 * (sherpa-onnx-node prints them rounded to 0.01 s).
 */
export function evenTimestamps(count: number, audioTokens: number, lfrWindowShift: number): number[] {
  if (count === 0 || audioTokens <= 0) return [];
  const f = Math.fround;
  const tokenTime = f(f(FRAME_SHIFT_MS * lfrWindowShift) / 1000);
  const duration = f(audioTokens * tokenTime);
  // Rounded to the microsecond so float32 noise (0.5324999…) does not show.
  const micro = (x: number): number => Math.round(x * 1e6) / 1e6;
  if (count === 1) return [micro(f(duration / 2))];
  const step = f(duration / (count - 1));
  return Array.from({ length: count }, (_, i) => micro(f(i * step)));
}

/**
 * Loads a Fun-ASR-Nano folder: finds and validates the three graphs and the tokenizer, then creates
 * the sessions on the device (all three on the same device; a CPU fallback applies to all).
 */
export async function loadFunAsrNanoModel(
  dir: string,
  opts: LoadModelOptions & { isFixture?: boolean } = {},
  decodeOptions: Partial<FunAsrNanoDecodeOptions> = {},
): Promise<FunAsrNanoModel> {
  const requested = parseDevice(opts.device ?? 'cpu');
  const decode = validateDecodeOptions(decodeOptions);
  const files = await findFunAsrNanoFiles(dir);
  const [encoderInfo, llmInfo, embeddingInfo] = await Promise.all([readOnnxModelInfo(files.encoderAdaptor), readOnnxModelInfo(files.llm), readOnnxModelInfo(files.embedding)]);
  const config = funAsrNanoConfig(encoderInfo, llmInfo, embeddingInfo);
  const tokenizer = await FunAsrNanoTokenizer.load(files.tokenizerDir);
  for (const [name, id] of [['<|im_end|>', tokenizer.imEndId], ['<|endoftext|>', tokenizer.eosId]] as const) {
    if (id >= config.vocabSize) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${files.tokenizerDir}: ${name} has id ${id}, outside the LLM's vocab_size ${config.vocabSize}`, { file: files.llm, field: 'vocab_size' });
    }
  }
  const llm = await createModelSession(files.llm, requested, opts);
  // The encoder and embedding follow the LLM's device, so a CPU fallback applies to all three.
  const encoder = await createModelSession(files.encoderAdaptor, llm.device, opts);
  const embedding = await createModelSession(files.embedding, llm.device, opts);
  const isFixture = opts.isFixture ?? (encoderInfo.metadata.get('comment') ?? '').includes('Tingxie test FIXTURE');
  return new FunAsrNanoModel({
    dir,
    isFixture,
    files,
    config,
    tokenizer,
    sessions: { encoder: encoder.session, embedding: embedding.session, llm: llm.session },
    device: formatDevice(llm.device),
    decodeOptions: decode,
  });
}
