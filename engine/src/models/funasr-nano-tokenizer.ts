/**
 * The Qwen3 tokenizer of a Fun-ASR-Nano folder (Qwen3-0.6B/: tokenizer.json, vocab.json, merges.txt).
 *
 * Encoding (prompt text → ids) is done by @huggingface/tokenizers from tokenizer.json: byte-level BPE
 * with Qwen's split pattern, special tokens (<|im_start|> …) matched first.
 *
 * Decoding follows sherpa-onnx's Fun-ASR-Nano tokenizer so results match it:
 *   - text: the tokens' byte-level strings are joined, mapped back to bytes and read as UTF-8, with
 *     <|endoftext|>, <|im_start|>, <|im_end|> (and <|pad|>, if present) dropped, then trimmed;
 *   - per-token strings: bytes are carried over to the next token until they form whole UTF-8
 *     characters (a character split over two tokens shows on the second); invalid bytes become U+FFFD.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer } from '@huggingface/tokenizers';
import { ErrorCodes, TingxieError } from '../errors.ts';

export const FUNASR_NANO_TOKENIZER_FILES = ['tokenizer.json', 'vocab.json', 'merges.txt'] as const;

/** GPT-2/Qwen byte-level alphabet: printable character → byte. */
function byteLevelDecoderTable(): Map<string, number> {
  const printable = new Set<number>();
  for (let c = 33; c <= 126; c++) printable.add(c);
  for (let c = 161; c <= 172; c++) printable.add(c);
  for (let c = 174; c <= 255; c++) printable.add(c);
  const table = new Map<string, number>();
  let extra = 0;
  for (let b = 0; b < 256; b++) table.set(String.fromCodePoint(printable.has(b) ? b : 256 + extra++), b);
  return table;
}

/** Length of the longest prefix of `bytes` made of whole, valid UTF-8 characters; and why it stopped. */
function validUtf8Prefix(bytes: readonly number[]): { length: number; stop: 'end' | 'incomplete' | 'invalid' } {
  const isCont = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      i += 1;
      continue;
    }
    let need: number;
    if (b0 >= 0xc2 && b0 <= 0xdf) need = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) need = 3;
    else if (b0 >= 0xf0 && b0 <= 0xf4) need = 4;
    else return { length: i, stop: 'invalid' };
    if (i + need > bytes.length) return { length: i, stop: 'incomplete' };
    for (let k = 1; k < need; k++) if (!isCont(bytes[i + k])) return { length: i, stop: 'invalid' };
    const b1 = bytes[i + 1]!;
    if ((b0 === 0xe0 && b1 < 0xa0) || (b0 === 0xed && b1 > 0x9f) || (b0 === 0xf0 && b1 < 0x90) || (b0 === 0xf4 && b1 > 0x8f)) {
      return { length: i, stop: 'invalid' };
    }
    i += need;
  }
  return { length: i, stop: 'end' };
}

const UTF8 = new TextDecoder('utf-8');
const REPLACEMENT = '\uFFFD';

export class FunAsrNanoTokenizer {
  readonly dir: string;
  readonly #tokenizer: Tokenizer;
  readonly #byteOf = byteLevelDecoderTable();
  /** <|endoftext|> (or <|im_end|> when absent): ends generation and fills the audio placeholders. */
  readonly eosId: number;
  readonly imEndId: number;
  readonly padId: number;
  /** Ids dropped from text (sherpa-onnx's special set: eos, im_end, pad, im_start). */
  readonly #hidden: Set<number>;

  private constructor(dir: string, tokenizer: Tokenizer) {
    this.dir = dir;
    this.#tokenizer = tokenizer;
    const file = join(dir, 'tokenizer.json');
    const imEnd = tokenizer.token_to_id('<|im_end|>');
    if (imEnd === undefined) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: the tokenizer has no <|im_end|> token (not a Qwen3 tokenizer?)`, { file, field: '<|im_end|>' });
    }
    if (tokenizer.token_to_id('<|im_start|>') === undefined) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: the tokenizer has no <|im_start|> token (not a Qwen3 tokenizer?)`, { file, field: '<|im_start|>' });
    }
    this.imEndId = imEnd;
    this.eosId = tokenizer.token_to_id('<|endoftext|>') ?? imEnd;
    this.padId = tokenizer.token_to_id('<|pad|>') ?? this.eosId;
    this.#hidden = new Set([this.eosId, this.imEndId, this.padId, tokenizer.token_to_id('<|im_start|>')!]);
  }

  /**
   * Loads the tokenizer folder. Missing files → MODEL_NOT_FOUND naming the file; unreadable or
   * malformed tokenizer.json → MODEL_INVALID.
   */
  static async load(dir: string): Promise<FunAsrNanoTokenizer> {
    for (const name of FUNASR_NANO_TOKENIZER_FILES) {
      const file = join(dir, name);
      const isFile = await stat(file).then((s) => s.isFile(), () => false);
      if (!isFile) throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `the Fun-ASR-Nano tokenizer folder ${dir} has no ${name}`, { dir, file });
    }
    const file = join(dir, 'tokenizer.json');
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file} is not valid JSON: ${(error as Error).message}`, { file }, { cause: error });
    }
    const model = typeof json === 'object' && json !== null ? (json as Record<string, unknown>).model : undefined;
    if (typeof model !== 'object' || model === null || (model as Record<string, unknown>).type !== 'BPE') {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: "model.type" must be "BPE" (a Qwen3 byte-level BPE tokenizer)`, { file, field: 'model.type' });
    }
    let tokenizer: Tokenizer;
    try {
      tokenizer = new Tokenizer(json as object, {});
    } catch (error) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: cannot build the tokenizer: ${(error as Error).message}`, { file }, { cause: error });
    }
    return new FunAsrNanoTokenizer(dir, tokenizer);
  }

  /** Token ids of `text`; special tokens written in the text (<|im_start|> …) become their ids. */
  encode(text: string): number[] {
    return this.#tokenizer.encode(text, { add_special_tokens: false }).ids;
  }

  #bytesOf(id: number, out: number[]): void {
    if (this.#hidden.has(id)) return;
    const token = this.#tokenizer.id_to_token(id);
    if (token === undefined) return;
    for (const ch of token) {
      const byte = this.#byteOf.get(ch);
      if (byte !== undefined) out.push(byte);
      else out.push(...new TextEncoder().encode(ch));
    }
  }

  /** The text of generated ids: special tokens dropped, bytes read as UTF-8, trimmed. */
  decode(ids: readonly number[]): string {
    const bytes: number[] = [];
    for (const id of ids) this.#bytesOf(id, bytes);
    let text = UTF8.decode(Uint8Array.from(bytes));
    for (const special of ['<|im_end|>', '<|im_start|>', '<|endoftext|>']) text = text.split(special).join('');
    return text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  }

  /**
   * Per-token strings: each token shows the whole UTF-8 characters completed by its bytes; bytes of an
   * unfinished character wait for the next token; invalid bytes show as U+FFFD; leftovers after the last
   * token are appended to it as U+FFFD each.
   */
  tokenStrings(ids: readonly number[]): string[] {
    const out: string[] = [];
    let pending: number[] = [];
    for (const id of ids) {
      this.#bytesOf(id, pending);
      let piece = '';
      while (pending.length > 0) {
        const { length, stop } = validUtf8Prefix(pending);
        piece += UTF8.decode(Uint8Array.from(pending.slice(0, length)));
        pending = pending.slice(length);
        if (stop !== 'invalid') break;
        pending = pending.slice(1);
        piece += REPLACEMENT;
      }
      out.push(piece);
    }
    if (pending.length > 0 && out.length > 0) out[out.length - 1] += REPLACEMENT.repeat(pending.length);
    return out;
  }
}
