/**
 * CT-Transformer punctuation (FunASR's punc_ct-transformer, sherpa-onnx's export: one model.onnx whose
 * metadata carries the vocabulary) as an optional post-step for recognisers that emit no punctuation.
 *
 * Model: inputs [1, T] int32 token ids and [1] int32 length → logits [1, T, P], P marks in the order of
 * metadata "punctuations" (FunASR: <unk> | _ | ， | 。 | ？ | 、; "_" = no mark after the token).
 *
 * Text → tokens as sherpa-onnx splits it: every CJK (3/4-byte UTF-8) character is a token; runs of
 * ASCII letters/digits (and Latin letters with German/Spanish/French diacritics) form words; ASCII
 * punctuation is a token of its own; whitespace separates. Tokens are looked up lower-cased; unknown
 * ones map to unk_symbol.
 *
 * Long texts are cut into pieces as sherpa-onnx 1.13.8 does: ⌈(n + 19)/20⌉ rounds, round i covering
 * tokens up to min(20(i + 1), n) and starting where the last kept sentence ended. The model marks every
 * token of the piece; the piece is kept up to its last 。/？ (never its first or last token) and the rest
 * is carried into the next round; a piece of 200+ tokens without one ends at its last ，instead; the
 * final round keeps its piece whole. Output: tokens with their marks (ASCII tokens separated by
 * spaces); a trailing ，/、 becomes 。, and 。 is appended unless the text ends in 。/？.
 *
 * One deliberate difference from sherpa-onnx 1.13.8: when its final round finds a sentence end, the
 * tokens after it get no mark and sherpa-onnx leaves them out of the output (words are lost, e.g.
 * "…九吗十" → "…九吗？"). Tingxie marks that tail as a text of its own and keeps it, so its output is
 * sherpa-onnx's followed by the tail. The conformance test checks both cases.
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import { formatDevice, parseDevice } from '../../models/device.ts';
import { createModelSession, isFile } from '../../models/model-loading.ts';
import { readOnnxModelInfo, type OnnxModelInfo } from '../../models/onnx-metadata.ts';

/** Anything that adds punctuation to a piece of recognised text. */
export interface TextPunctuator {
  addPunctuation(text: string): Promise<string>;
  release(): Promise<void>;
}

/** Tokens per model call (sherpa-onnx's segment_size). */
export const CT_SEGMENT_TOKENS = 20;
/** A carried-over piece this long ends at a comma when it has no sentence end (sherpa-onnx's max_len). */
export const CT_MAX_PIECE_TOKENS = 200;
/** ONNX files a punctuation folder may hold, in order of preference. */
export const CT_TRANSFORMER_MODEL_FILES = ['model.int8.onnx', 'model.onnx'] as const;

export interface CtTransformerConfig {
  /** token → id, from metadata "tokens". */
  tokenIds: ReadonlyMap<string, number>;
  /** Mark of each output class, from metadata "punctuations" ("_" = none). */
  marks: readonly string[];
  unkId: number;
  dotId: number;
  commaId: number;
  questionId: number;
  pauseId: number;
  noneId: number;
  /** Element type of the two inputs (sherpa-onnx's export: int32). */
  integerType: 'int32' | 'int64';
}

/** Builds and validates the configuration from the ONNX info; problems are MODEL_INVALID naming the field. */
export function ctTransformerConfig(info: OnnxModelInfo): CtTransformerConfig {
  const file = info.file;
  const invalid = (field: string, problem: string): TingxieError => new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: ${problem}`, { file, field });
  const required = (field: string): string => {
    const value = info.metadata.get(field);
    if (value === undefined || value === '') throw invalid(field, `metadata ${field} is missing (not a CT-Transformer punctuation export for sherpa-onnx?)`);
    return value;
  };
  const tokens = required('tokens').split('|');
  const vocabText = required('vocab_size');
  if (!/^\s*\d+\s*$/.test(vocabText)) throw invalid('vocab_size', `metadata vocab_size is not an integer: ${JSON.stringify(vocabText.slice(0, 40))}`);
  if (Number(vocabText) !== tokens.length) throw invalid('vocab_size', `metadata vocab_size ${Number(vocabText)} does not match the ${tokens.length} tokens in metadata tokens`);
  const tokenIds = new Map<string, number>();
  tokens.forEach((token, id) => tokenIds.set(token, id));
  const marks = required('punctuations').split('|');
  const markId = (mark: string, name: string): number => {
    const id = marks.indexOf(mark);
    if (id < 0) throw invalid('punctuations', `metadata punctuations (${marks.join(' ')}) lacks the ${name} mark "${mark}"`);
    return id;
  };
  const dotId = markId('。', 'full stop');
  const commaId = markId('，', 'comma');
  const questionId = markId('？', 'question');
  const pauseId = markId('、', 'enumeration comma');
  const noneId = markId('_', 'no-mark');
  const unk = required('unk_symbol');
  const unkId = tokenIds.get(unk);
  if (unkId === undefined) throw invalid('unk_symbol', `metadata unk_symbol ${JSON.stringify(unk)} is not one of the tokens`);

  if (info.inputs.length !== 2) throw invalid('inputs', `a CT-Transformer model has 2 inputs (token ids, length); this one has ${info.inputs.map((i) => i.name).join(', ') || 'none'}`);
  const integerType = info.inputs[0]!.elemType;
  if (integerType !== 'int32' && integerType !== 'int64') throw invalid(info.inputs[0]!.name, `input "${info.inputs[0]!.name}" must be int32 or int64, is ${integerType}`);
  if (info.inputs[1]!.elemType !== integerType) throw invalid(info.inputs[1]!.name, `input "${info.inputs[1]!.name}" must be ${integerType} like "${info.inputs[0]!.name}"`);
  const output = info.outputs[0];
  if (!output || output.elemType !== 'float32') throw invalid('outputs', `output 0 must be float32 logits [N, T, ${marks.length}]`);
  const classes = output.shape[2];
  if (typeof classes === 'number' && classes !== marks.length) {
    throw invalid('punctuations', `the model scores ${classes} marks but metadata punctuations lists ${marks.length}`);
  }
  return {
    tokenIds,
    marks,
    unkId,
    dotId,
    commaId,
    questionId,
    pauseId,
    noneId,
    integerType,
  };
}

/** Latin letters with diacritics that sherpa-onnx keeps inside words (German, Spanish, French). */
const WORD_DIACRITICS = new Set('äöüÄÖÜßáéíóúñÁÉÍÓÚÑàèùçâêîôûëïÀÈÙÇÂÊÎÔÛËÏ');
const ASCII_PUNCTUATION = /^[!"#$%&()*+,\-./:;<=>?@[\\\]^_`{|}~]$/;
const ASCII_SPACE = /^[ \t\n\v\f\r]$/;

/**
 * Splits text into the model's tokens, as sherpa-onnx does (see the file comment).
 * @returns tokens in their original case
 */
export function splitPunctuationTokens(text: string): string[] {
  const tokens: string[] = [];
  let word = '';
  const flush = (): void => {
    if (word !== '') tokens.push(word);
    word = '';
  };
  for (const char of text) {
    const code = char.codePointAt(0)!;
    // Lone surrogates are not UTF-8; sherpa-onnx never sees them.
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes === 1 && ASCII_SPACE.test(char)) {
      flush();
    } else if (bytes >= 3 || (bytes === 2 && !WORD_DIACRITICS.has(char)) || (bytes === 1 && ASCII_PUNCTUATION.test(char))) {
      flush();
      tokens.push(char);
    } else {
      word += char;
    }
  }
  flush();
  return tokens;
}

/** Lower-cases a token for lookup: ASCII letters and the accented capitals sherpa-onnx maps. */
const ACCENTED_LOWER: Readonly<Record<string, string>> = Object.fromEntries(
  [...'ÀÂÆÇÈÉËÎÏÔÙÛÜÁÍÓÚÑÌÒÄÖ'].map((upper) => [upper, upper.toLowerCase()]),
);
export function lowerCaseToken(token: string): string {
  let out = '';
  for (const char of token) out += char >= 'A' && char <= 'Z' ? char.toLowerCase() : (ACCENTED_LOWER[char] ?? char);
  return out;
}

/** Marks each token of one piece: output class ids, one per token. */
export type PieceMarker = (tokenIds: Int32Array) => Promise<Int32Array>;

/**
 * The mark class of every token, cutting the text into pieces as described in the file comment.
 * @returns one class per token (the same length as tokenIds)
 */
export async function markTokens(tokenIds: Int32Array, config: Pick<CtTransformerConfig, 'dotId' | 'questionId' | 'commaId'>, mark: PieceMarker): Promise<number[]> {
  const n = tokenIds.length;
  // sherpa-onnx's count: one round more than ⌈n/20⌉ unless n mod 20 = 1, so the last round marks the
  // tail carried after the last sentence end on its own.
  const numPieces = Math.ceil((n + CT_SEGMENT_TOKENS - 1) / CT_SEGMENT_TOKENS);
  const marks: number[] = [];
  let carryFrom = -1;
  for (let i = 0; i < numPieces; i++) {
    const start = carryFrom === -1 ? i * CT_SEGMENT_TOKENS : carryFrom;
    const end = Math.min((i + 1) * CT_SEGMENT_TOKENS, n);
    // A copy: the marker may reuse its result buffer, and a forced sentence end is written into it below.
    const piece = (await mark(tokenIds.subarray(start, end))).slice();
    const length = end - start;
    let sentenceEnd = -1;
    let lastComma = -1;
    for (let m = length - 2; m >= 1; m--) {
      if (piece[m] === config.dotId || piece[m] === config.questionId) {
        sentenceEnd = m;
        break;
      }
      if (lastComma === -1 && piece[m] === config.commaId) lastComma = m;
    }
    if (sentenceEnd === -1 && length >= CT_MAX_PIECE_TOKENS && lastComma !== -1) {
      sentenceEnd = lastComma;
      piece[sentenceEnd] = config.dotId;
    }
    if (sentenceEnd === -1) {
      if (carryFrom === -1) carryFrom = start;
      if (i === numPieces - 1) sentenceEnd = length - 1;
    } else {
      carryFrom = start + sentenceEnd + 1;
    }
    for (let m = 0; m <= sentenceEnd; m++) marks.push(piece[m]!);
  }
  // The tail after the final round's sentence end (sherpa-onnx drops it): mark it on its own. It is
  // shorter than the text (a sentence end keeps at least two tokens), so this ends.
  if (marks.length < n) marks.push(...(await markTokens(tokenIds.subarray(marks.length), config, mark)));
  return marks;
}

const isAsciiLead = (text: string): boolean => text.length > 0 && text.charCodeAt(0) < 0x80;

/** Joins tokens and their marks into the punctuated text (see the file comment). */
export function joinPunctuated(tokens: readonly string[], marks: readonly number[], config: Pick<CtTransformerConfig, 'marks' | 'noneId' | 'dotId' | 'commaId' | 'pauseId' | 'questionId'>): string {
  const dot = config.marks[config.dotId]!;
  const parts: string[] = [];
  tokens.forEach((token, i) => {
    if (i > 0 && isAsciiLead(parts.at(-1)!) && isAsciiLead(token)) parts.push(' ');
    parts.push(token);
    const mark = marks[i]!;
    if (mark !== config.noneId) parts.push(config.marks[mark]!);
  });
  const last = parts.at(-1);
  if (last === config.marks[config.commaId] || last === config.marks[config.pauseId]) parts[parts.length - 1] = dot;
  if (parts.at(-1) !== dot && parts.at(-1) !== config.marks[config.questionId]) parts.push(dot);
  return parts.join('');
}

export class CtTransformerPunctuator implements TextPunctuator {
  readonly modelFile: string;
  readonly device: string;
  readonly config: CtTransformerConfig;
  readonly #session: ort.InferenceSession;
  readonly #idsName: string;
  readonly #lengthName: string;
  readonly #logitsName: string;
  /**
   * Input buffers reused by every model call (grown when a piece is longer): a call fills a prefix and hands
   * onnxruntime-node a view from offset 0, which it reads without copying. Calls never overlap (markTokens awaits
   * each), so one set per punctuator is enough.
   */
  #ids32 = new Int32Array(CT_MAX_PIECE_TOKENS);
  #ids64 = new BigInt64Array(0);
  readonly #length32 = new Int32Array(1);
  readonly #length64 = new BigInt64Array(1);
  #released = false;

  constructor(modelFile: string, config: CtTransformerConfig, session: ort.InferenceSession, device: string) {
    this.modelFile = modelFile;
    this.config = config;
    this.#session = session;
    this.device = device;
    [this.#idsName, this.#lengthName] = session.inputNames as [string, string];
    this.#logitsName = session.outputNames[0]!;
    if (config.integerType === 'int64') this.#ids64 = new BigInt64Array(CT_MAX_PIECE_TOKENS);
  }

  /** The model's inputs for one piece, in the reused buffers. */
  #feeds(piece: Int32Array): Record<string, ort.Tensor> {
    const n = piece.length;
    if (this.config.integerType === 'int32') {
      if (this.#ids32.length < n) this.#ids32 = new Int32Array(n);
      this.#ids32.set(piece);
      this.#length32[0] = n;
      return { [this.#idsName]: new ort.Tensor('int32', this.#ids32.subarray(0, n), [1, n]), [this.#lengthName]: new ort.Tensor('int32', this.#length32, [1]) };
    }
    if (this.#ids64.length < n) this.#ids64 = new BigInt64Array(n);
    const ids = this.#ids64;
    for (let k = 0; k < n; k++) ids[k] = BigInt(piece[k]!);
    this.#length64[0] = BigInt(n);
    return { [this.#idsName]: new ort.Tensor('int64', ids.subarray(0, n), [1, n]), [this.#lengthName]: new ort.Tensor('int64', this.#length64, [1]) };
  }

  /** Punctuates `text`; '' stays ''. */
  async addPunctuation(text: string): Promise<string> {
    if (this.#released) throw new TingxieError(ErrorCodes.INTERNAL, 'addPunctuation() called after release()');
    if (text === '') return '';
    const tokens = splitPunctuationTokens(text);
    if (tokens.length === 0) return `${text}${this.config.marks[this.config.dotId]}`;
    const { tokenIds, unkId } = this.config;
    const ids = new Int32Array(tokens.length);
    for (let i = 0; i < tokens.length; i++) ids[i] = tokenIds.get(lowerCaseToken(tokens[i]!)) ?? unkId;
    const marks = await markTokens(ids, this.config, (piece) => this.#markPiece(piece));
    return joinPunctuated(tokens, marks, this.config);
  }

  async #markPiece(piece: Int32Array): Promise<Int32Array> {
    const P = this.config.marks.length;
    try {
      const outputs = await this.#session.run(this.#feeds(piece));
      const logits = outputs[this.#logitsName]!;
      if (logits.type !== 'float32' || logits.dims.length !== 3 || logits.dims[1] !== piece.length || logits.dims[2] !== P) {
        throw new Error(`unexpected logits ${logits.type} [${logits.dims.join(', ')}], expected float32 [1, ${piece.length}, ${P}]`);
      }
      const data = logits.data as Float32Array;
      const classes = new Int32Array(piece.length);
      for (let k = 0, row = 0; k < piece.length; k++, row += P) {
        let best = 0;
        let bestValue = data[row]!;
        for (let c = 1; c < P; c++) {
          const v = data[row + c]!;
          if (v > bestValue) {
            best = c;
            bestValue = v;
          }
        }
        classes[k] = best;
      }
      return classes;
    } catch (error) {
      throw new TingxieError(ErrorCodes.MODEL_INFERENCE_FAILED, `${this.modelFile}: punctuation failed: ${(error as Error).message}`, { file: this.modelFile }, { cause: error });
    }
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#session.release();
  }
}

export interface LoadPunctuationOptions {
  /** 'cpu' (default), 'cuda' or 'cuda:N'. */
  device?: string;
  threads?: number;
  onCudaUnavailable?: 'fail' | 'cpu';
}

/** The ONNX file for a punctuation model path: the file itself, or model.int8.onnx / model.onnx in a folder. */
async function resolveModelFile(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `punctuation model not found: ${path}`, { file: path, field: 'punctuationModelPath' });
  }
  if (info.isFile()) return path;
  for (const name of CT_TRANSFORMER_MODEL_FILES) {
    const candidate = join(path, name);
    if (await isFile(candidate)) return candidate;
  }
  throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `no punctuation model in ${path}: expected ${CT_TRANSFORMER_MODEL_FILES.join(' or ')}`, { dir: path, field: 'punctuationModelPath' });
}

/**
 * Loads a CT-Transformer punctuation model (a model.onnx file, or a folder holding one).
 * @throws MODEL_NOT_FOUND, MODEL_INVALID (metadata or signature), MODEL_LOAD_FAILED, DEVICE_INVALID, DEVICE_UNAVAILABLE
 */
export async function loadCtTransformerPunctuator(path: string, opts: LoadPunctuationOptions = {}): Promise<CtTransformerPunctuator> {
  const device = parseDevice(opts.device ?? 'cpu');
  const modelFile = await resolveModelFile(path);
  const info = await readOnnxModelInfo(modelFile);
  const modelType = info.metadata.get('model_type');
  if (modelType !== undefined && modelType !== 'ct_transformer') {
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `${modelFile}: metadata model_type is ${JSON.stringify(modelType)}, not "ct_transformer" (is this a punctuation model?)`, {
      file: modelFile,
      field: 'model_type',
    });
  }
  const config = ctTransformerConfig(info);
  const session = await createModelSession(modelFile, device, opts);
  return new CtTransformerPunctuator(modelFile, config, session.session, formatDevice(session.device));
}
