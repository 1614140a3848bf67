/**
 * Whisper (sherpa-onnx export) folder layout, metadata and token table.
 *
 * A sherpa-onnx Whisper folder holds `<name>-encoder.onnx` and `<name>-decoder.onnx` (and/or their `.int8.onnx`
 * variants) plus `<name>-tokens.txt`, e.g. tiny-encoder.int8.onnx, tiny-decoder.int8.onnx, tiny-tokens.txt.
 *
 * Encoder: mel float32 [N, n_mels, T] → n_layer_cross_k, n_layer_cross_v float32 [n_text_layer, N, T', n_text_state].
 * Decoder: tokens int64 [N, n], in_n_layer_self_k_cache / in_n_layer_self_v_cache float32
 *   [n_text_layer, N, n_text_ctx, n_text_state], n_layer_cross_k, n_layer_cross_v, offset int64 [1]
 *   → logits float32 [N, n, n_vocab], out_n_layer_self_k_cache, out_n_layer_self_v_cache.
 * The encoder's metadata (scripts/whisper/export-onnx.py) carries n_mels, n_text_layer, n_text_ctx, n_text_state,
 * n_vocab, sot, eot, blank_id, translate, transcribe, is_multilingual, no_timestamps, no_speech, sot_sequence and,
 * for multilingual models, all_language_tokens / all_language_codes; sherpa-onnx requires all of them.
 *
 * tokens.txt is tiktoken's rank file: `<base64 of the token's bytes> <id>` per line; special tokens (sot, eot,
 * languages, timestamps, …) are not in it.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { metadataFields } from './metadata-fields.ts';
import { isFile } from './model-loading.ts';
import type { OnnxModelInfo } from './onnx-metadata.ts';

export interface WhisperFiles {
  encoderFile: string;
  decoderFile: string;
  tokensFile: string;
}

const ENCODER_PATTERN = /^(.+)-encoder(\.int8)?\.onnx$/;

/** The decoder that goes with an encoder file: `x-encoder[.int8].onnx` → `x-decoder[.int8].onnx`. */
export function whisperDecoderFile(encoderFile: string): string {
  return encoderFile.replace(/-encoder(\.int8)?\.onnx$/, '-decoder$1.onnx');
}

/**
 * Finds a Whisper model's files in `dir`, or null when the folder has no `*-encoder[.int8].onnx`.
 * The int8 pair wins when both exist (smaller, faster on CPU), unless `encoderName` (the manifest's `modelFile`)
 * names the encoder. The decoder must have the same precision and prefix.
 * @throws MODEL_NOT_FOUND when an encoder is there but its decoder or tokens file is missing
 */
export async function findWhisperFiles(dir: string, encoderName: string | null = null): Promise<WhisperFiles | null> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return null;
  }
  let encoder: string | undefined;
  if (encoderName !== null) {
    if (!ENCODER_PATTERN.test(encoderName)) return null;
    encoder = encoderName;
  } else {
    const encoders = names.filter((name) => ENCODER_PATTERN.test(name)).sort();
    encoder = encoders.find((name) => name.endsWith('.int8.onnx')) ?? encoders[0];
  }
  if (encoder === undefined) return null;
  const match = ENCODER_PATTERN.exec(encoder)!;
  const prefix = match[1];
  const decoder = `${prefix}-decoder${match[2] ?? ''}.onnx`;
  const tokens = `${prefix}-tokens.txt`;
  const files = { encoderFile: join(dir, encoder), decoderFile: join(dir, decoder), tokensFile: join(dir, tokens) };
  for (const [file, role] of [
    [files.encoderFile, 'encoder'],
    [files.decoderFile, 'decoder'],
    [files.tokensFile, 'tokens file'],
  ] as const) {
    if (!(await isFile(file))) {
      throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `Whisper model in ${dir} has no ${role}: expected ${file}`, { dir, file });
    }
  }
  return files;
}

/** The signature and metadata a Whisper encoder has: input "mel", outputs n_layer_cross_k/v, metadata n_text_ctx. */
export function looksLikeWhisperEncoder(info: OnnxModelInfo): boolean {
  const outputs = new Set(info.outputs.map((o) => o.name));
  return info.inputs.some((i) => i.name === 'mel') && outputs.has('n_layer_cross_k') && outputs.has('n_layer_cross_v');
}

export interface WhisperConfig {
  numMels: number;
  numTextLayers: number;
  /** Decoder context: the self-attention cache length. */
  textCtx: number;
  textState: number;
  vocabSize: number;
  sot: number;
  eot: number;
  translate: number;
  transcribe: number;
  noTimestamps: number;
  noSpeech: number;
  isMultilingual: boolean;
  /** [sot] for English-only models, [sot, language, task] for multilingual ones. */
  sotSequence: readonly number[];
  /** Language code → token id (multilingual models; empty otherwise). */
  languageTokens: ReadonlyMap<string, number>;
  /** Token id → language code. */
  languageCodes: ReadonlyMap<number, string>;
}

const ENCODER_OUTPUTS = ['n_layer_cross_k', 'n_layer_cross_v'] as const;
const DECODER_INPUTS = ['tokens', 'in_n_layer_self_k_cache', 'in_n_layer_self_v_cache', 'n_layer_cross_k', 'n_layer_cross_v', 'offset'] as const;
const DECODER_OUTPUTS = ['logits', 'out_n_layer_self_k_cache', 'out_n_layer_self_v_cache'] as const;

/**
 * Builds and validates WhisperConfig from the encoder's metadata and both graphs' signatures.
 * Every problem is MODEL_INVALID naming the file and the field.
 */
export function whisperConfig(encoder: OnnxModelInfo, decoder: OnnxModelInfo): WhisperConfig {
  const file = encoder.file;
  // `what` names the field in the message ("metadata n_mels", "input \"mel\""); detail.field is the bare name.
  const invalid = (what: string, problem: string, where: string = file): TingxieError =>
    new TingxieError(ErrorCodes.MODEL_INVALID, `${where}: ${what} ${problem}`, { file: where, field: what.replace(/^(metadata |input |output )/, '').replaceAll('"', '') });
  const { integer, positiveInteger: positive, required } = metadataFields(encoder, 'Whisper');
  const integerList = (field: string): number[] => {
    const raw = required(field);
    const parts = raw.split(',').map((p) => p.trim());
    if (parts.length === 0 || parts.some((p) => !/^-?\d+$/.test(p))) throw invalid(`metadata ${field}`, `is not a comma-separated list of integers: ${JSON.stringify(raw.slice(0, 60))}`);
    return parts.map(Number);
  };

  const numMels = integer('n_mels');
  if (numMels !== 80 && numMels !== 128) throw invalid('metadata n_mels', `must be 80 or 128, got ${numMels}`);
  const numTextLayers = positive('n_text_layer');
  const textCtx = positive('n_text_ctx');
  const textState = positive('n_text_state');
  const vocabSize = positive('n_vocab');
  const tokenId = (field: string): number => {
    const id = integer(field);
    if (id < 0 || id >= vocabSize) throw invalid(`metadata ${field}`, `${id} is outside the vocabulary (n_vocab ${vocabSize})`);
    return id;
  };
  const sot = tokenId('sot');
  const eot = tokenId('eot');
  const translate = tokenId('translate');
  const transcribe = tokenId('transcribe');
  const noTimestamps = tokenId('no_timestamps');
  const noSpeech = tokenId('no_speech');
  integer('blank_id');
  const multilingualFlag = integer('is_multilingual');
  if (multilingualFlag !== 0 && multilingualFlag !== 1) throw invalid('metadata is_multilingual', `must be 0 or 1, got ${multilingualFlag}`);
  const isMultilingual = multilingualFlag === 1;
  const sotSequence = integerList('sot_sequence');
  for (const id of sotSequence) if (id < 0 || id >= vocabSize) throw invalid('metadata sot_sequence', `has id ${id} outside the vocabulary (n_vocab ${vocabSize})`);
  if (sotSequence[0] !== sot) throw invalid('metadata sot_sequence', `must start with sot (${sot}), got ${sotSequence.join(',')}`);
  // sherpa-onnx overwrites positions 1 (language) and 2 (task) of a multilingual model's sot_sequence.
  if (isMultilingual && sotSequence.length < 3) throw invalid('metadata sot_sequence', `must hold [sot, language, task] for a multilingual model, got ${sotSequence.join(',')}`);

  const languageTokens = new Map<string, number>();
  const languageCodes = new Map<number, string>();
  if (isMultilingual) {
    const ids = integerList('all_language_tokens');
    const rawCodes = encoder.metadata.get('all_language_codes');
    if (rawCodes === undefined) throw invalid('metadata all_language_codes', 'is missing (required for a multilingual model)');
    const codes = rawCodes.split(',').map((c) => c.trim());
    if (codes.length !== ids.length) {
      throw invalid('metadata all_language_codes', `has ${codes.length} codes but all_language_tokens has ${ids.length} ids`);
    }
    codes.forEach((code, i) => {
      if (!/^[a-z]{2,3}$/i.test(code)) throw invalid('metadata all_language_codes', `entry ${i} ${JSON.stringify(code)} is not a language code`);
      const id = ids[i];
      if (id < 0 || id >= vocabSize) throw invalid('metadata all_language_tokens', `has id ${id} outside the vocabulary (n_vocab ${vocabSize})`);
      languageTokens.set(code, id);
      languageCodes.set(id, code);
    });
  }

  const requireNames = (info: OnnxModelInfo, kind: 'input' | 'output', names: readonly string[]): void => {
    const have = new Set((kind === 'input' ? info.inputs : info.outputs).map((v) => v.name));
    for (const name of names) {
      if (!have.has(name)) {
        throw invalid(`${kind} "${name}"`, `is missing (${kind}s: ${[...have].join(', ') || 'none'})`, info.file);
      }
    }
  };
  requireNames(encoder, 'input', ['mel']);
  requireNames(encoder, 'output', ENCODER_OUTPUTS);
  requireNames(decoder, 'input', DECODER_INPUTS);
  requireNames(decoder, 'output', DECODER_OUTPUTS);
  const decoderTypes = new Map(decoder.inputs.map((i) => [i.name, i.elemType]));
  for (const name of ['tokens', 'offset']) {
    if (decoderTypes.get(name) !== 'int64') throw invalid(`input "${name}"`, `must be int64, is ${decoderTypes.get(name)}`, decoder.file);
  }
  const melType = encoder.inputs.find((i) => i.name === 'mel')?.elemType;
  if (melType !== 'float32') throw invalid('input "mel"', `must be float32, is ${melType}`);

  return {
    numMels,
    numTextLayers,
    textCtx,
    textState,
    vocabSize,
    sot,
    eot,
    translate,
    transcribe,
    noTimestamps,
    noSpeech,
    isMultilingual,
    sotSequence,
    languageTokens,
    languageCodes,
  };
}

/** Whisper's token table: id → the token's bytes. Ids not in the file (special tokens) have no bytes. */
export class WhisperTokenTable {
  readonly #bytes: Map<number, Uint8Array>;

  constructor(bytes: Map<number, Uint8Array>) {
    this.#bytes = bytes;
  }

  get size(): number {
    return this.#bytes.size;
  }

  bytes(id: number): Uint8Array | undefined {
    return this.#bytes.get(id);
  }

  has(id: number): boolean {
    return this.#bytes.has(id);
  }
}

const BASE64_PATTERN = /^[A-Za-z0-9+/]*={0,2}$/;

/** Parses `<base64> <id>` lines. Errors are MODEL_INVALID naming the file and line. */
export function parseWhisperTokens(contents: string, file: string): WhisperTokenTable {
  const bytes = new Map<number, Uint8Array>();
  contents.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file} line ${index + 1}`;
    const parts = line.split(/\s+/);
    if (parts.length !== 2) throw new TingxieError(ErrorCodes.MODEL_INVALID, `${where}: expected "BASE64 ID", got ${JSON.stringify(raw.slice(0, 60))}`, { file, line: index + 1 });
    const [encoded, idText] = parts;
    if (!BASE64_PATTERN.test(encoded) || encoded.length % 4 !== 0) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${where}: ${JSON.stringify(encoded.slice(0, 40))} is not base64 (is this a Whisper tokens file?)`, { file, line: index + 1 });
    }
    if (!/^\d+$/.test(idText)) throw new TingxieError(ErrorCodes.MODEL_INVALID, `${where}: token id ${JSON.stringify(idText)} is not a non-negative integer`, { file, line: index + 1 });
    const id = Number(idText);
    if (bytes.has(id)) throw new TingxieError(ErrorCodes.MODEL_INVALID, `${where}: token id ${id} is used twice`, { file, line: index + 1 });
    bytes.set(id, new Uint8Array(Buffer.from(encoded, 'base64')));
  });
  if (bytes.size === 0) throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file} has no tokens`, { file });
  return new WhisperTokenTable(bytes);
}

export async function readWhisperTokens(file: string): Promise<WhisperTokenTable> {
  let contents: string;
  try {
    contents = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `tokens file not found: ${file}`, { file });
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `cannot read tokens file ${file}: ${(error as Error).message}`, { file }, { cause: error });
  }
  return parseWhisperTokens(contents, file);
}

const utf8 = new TextDecoder('utf-8');

const inRange = (b: number, low: number, high: number): boolean => b >= low && b <= high;

/**
 * Drops every byte that does not start a well-formed UTF-8 sequence (Unicode Table 3-7), as sherpa-onnx's
 * RemoveInvalidUtf8Sequences does; what is left is valid UTF-8.
 */
export function removeInvalidUtf8(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let length = 0;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i];
    let size = 0;
    if (b <= 0x7f) size = 1;
    else if (inRange(b, 0xc2, 0xdf) && i + 1 < n && inRange(bytes[i + 1], 0x80, 0xbf)) size = 2;
    else if (i + 2 < n && inRange(bytes[i + 2], 0x80, 0xbf)) {
      const b1 = bytes[i + 1];
      if ((b === 0xe0 && inRange(b1, 0xa0, 0xbf)) || (inRange(b, 0xe1, 0xec) && inRange(b1, 0x80, 0xbf)) || (b === 0xed && inRange(b1, 0x80, 0x9f)) || (inRange(b, 0xee, 0xef) && inRange(b1, 0x80, 0xbf))) {
        size = 3;
      } else if (i + 3 < n && inRange(bytes[i + 3], 0x80, 0xbf)) {
        if ((b === 0xf0 && inRange(b1, 0x90, 0xbf)) || (inRange(b, 0xf1, 0xf3) && inRange(b1, 0x80, 0xbf)) || (b === 0xf4 && inRange(b1, 0x80, 0x8f))) size = 4;
      }
    }
    if (size === 0) {
      i += 1;
      continue;
    }
    for (let k = 0; k < size; k++) out[length++] = bytes[i + k];
    i += size;
  }
  return out.subarray(0, length);
}

/**
 * Text of a token sequence: the tokens' bytes joined first, so a character split across tokens survives, then
 * bytes that form no valid UTF-8 dropped. Ids without bytes (special tokens) are skipped, as sherpa-onnx does.
 * (sherpa-onnx cleans each token on its own and so loses characters split across tokens.)
 */
export function decodeWhisperText(ids: readonly number[], table: WhisperTokenTable): string {
  const parts = ids.map((id) => table.bytes(id)).filter((bytes): bytes is Uint8Array => bytes !== undefined);
  return utf8.decode(removeInvalidUtf8(Buffer.concat(parts)));
}

/** One token as sherpa-onnx reports it: its bytes without invalid UTF-8 (a lone partial character gives ""). */
export function whisperTokenText(bytes: Uint8Array): string {
  return utf8.decode(removeInvalidUtf8(bytes));
}
