/**
 * The symbol table of a CTC model: tokens.txt with one `SYMBOL ID` per line (sherpa-onnx format).
 */
import { readFile } from 'node:fs/promises';
import { ErrorCodes, TingxieError } from '../errors.ts';

/** U+2581, SentencePiece's word-start marker. */
export const WORD_START = '\u2581';

export class SymbolTable {
  /** Symbols as written in tokens.txt, indexed by id (ids are dense 0..size-1). */
  readonly symbols: readonly string[];
  readonly #idBySymbol: Map<string, number>;

  constructor(symbols: readonly string[]) {
    this.symbols = symbols;
    this.#idBySymbol = new Map(symbols.map((s, id) => [s, id]));
  }

  get size(): number {
    return this.symbols.length;
  }

  symbol(id: number): string {
    const s = this.symbols[id];
    if (s === undefined) throw new TingxieError(ErrorCodes.INTERNAL, `token id ${id} is outside the symbol table (size ${this.symbols.length})`);
    return s;
  }

  id(symbol: string): number | undefined {
    return this.#idBySymbol.get(symbol);
  }

  /** The symbol as text: a leading ▁ becomes a space (as sherpa-onnx does). */
  text(id: number): string {
    const s = this.symbol(id);
    return s.startsWith(WORD_START) ? ` ${s.slice(WORD_START.length)}` : s;
  }
}

/**
 * Parses tokens.txt contents. Each non-empty line is `SYMBOL ID` (whitespace-separated); ids must be
 * unique integers covering 0..n-1. Errors are MODEL_INVALID naming the file and line.
 */
export function parseTokens(contents: string, file: string): SymbolTable {
  const byId = new Map<number, string>();
  const lines = contents.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const where = `${file} line ${index + 1}`;
    const parts = line.split(/\s+/);
    if (parts.length !== 2) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${where}: expected "SYMBOL ID", got ${JSON.stringify(raw)}`, { file, line: index + 1 });
    }
    const [symbol, idText] = parts;
    if (!/^\d+$/.test(idText)) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${where}: token id ${JSON.stringify(idText)} is not a non-negative integer`, { file, line: index + 1 });
    }
    const id = Number(idText);
    const previous = byId.get(id);
    if (previous !== undefined) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${where}: token id ${id} is used twice (also for ${JSON.stringify(previous)})`, { file, line: index + 1 });
    }
    byId.set(id, symbol);
  });
  if (byId.size === 0) throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file} has no tokens`, { file });
  const symbols: string[] = [];
  for (let id = 0; id < byId.size; id++) {
    const symbol = byId.get(id);
    if (symbol === undefined) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: token ids are not contiguous (id ${id} is missing, ${byId.size} tokens)`, { file });
    }
    symbols.push(symbol);
  }
  return new SymbolTable(symbols);
}

/** Reads and parses tokens.txt. Missing file → MODEL_NOT_FOUND. */
export async function readTokens(file: string): Promise<SymbolTable> {
  let contents: string;
  try {
    contents = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `tokens file not found: ${file}`, { file });
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `cannot read tokens file ${file}: ${(error as Error).message}`, { file }, { cause: error });
  }
  return parseTokens(contents, file);
}
