/**
 * Hotwords → model token ids, and the context graph built from them.
 *
 * Tokenization is greedy longest match against the model's symbol table, over the phrase written the
 * way SentencePiece writes text: each whitespace-separated word gets a leading ▁ (U+2581), e.g.
 * "hello world" → "▁hello▁world" → ▁hello ▁world, or ▁hel lo ▁world when the table has only those
 * pieces. Words in unspaced scripts (CJK: anything not starting with a Latin letter or digit) get no ▁,
 * since the model emits none before them mid-sentence (陈露 → 陈 露, even where the table has a bare ▁).
 * Special symbols (<unk>, <|zh|>, …) never match.
 * A phrase that does not tokenize as written is retried lower-cased, then upper-cased; one that still
 * does not is reported (with the character that failed), never silently dropped.
 */
import { ContextGraph } from './context-graph.ts';
import { effectiveWeight, type HotwordList } from './list.ts';

const WORD_START = '\u2581';
const LATIN_START = /^[A-Za-z0-9\u00C0-\u024F]/;

/** What tokenization needs from a model's symbol table (SymbolTable fits). */
export interface HotwordSymbols {
  readonly symbols: readonly string[];
}

export interface TokenizedHotword {
  phrase: string;
  tokens: number[];
  /** Per-token boost used in the graph. */
  weight: number;
}

export interface UntokenizableHotword {
  phrase: string;
  reason: string;
}

export interface CompiledHotwords {
  /** null when no phrase could be tokenized. */
  graph: ContextGraph | null;
  /** Graph phrase i is phrases[i]. */
  phrases: TokenizedHotword[];
  skipped: UntokenizableHotword[];
}

export interface CompileHotwordsOptions {
  /** Per-token boost of hotwords without a weight (default 1.5, sherpa-onnx's hotwords_score). */
  defaultWeight?: number;
  /** Context-graph mode (default true). */
  strict?: boolean;
}

export const DEFAULT_HOTWORD_SCORE = 1.5;

/** Symbol → id for text pieces only (no <…> specials), and the longest piece length in code units. */
export class HotwordTokenizer {
  readonly #ids = new Map<string, number>();
  readonly #maxLength: number;

  constructor(table: HotwordSymbols, excludeIds: readonly number[] = []) {
    const excluded = new Set(excludeIds);
    let maxLength = 1;
    table.symbols.forEach((symbol, id) => {
      if (excluded.has(id) || /^<.*>$/.test(symbol) || symbol === '') return;
      if (!this.#ids.has(symbol)) this.#ids.set(symbol, id);
      maxLength = Math.max(maxLength, symbol.length);
    });
    this.#maxLength = maxLength;
  }

  /** Token ids for a phrase, or the reason it cannot be tokenized. */
  tokenize(phrase: string): { tokens: number[] } | { reason: string } {
    const first = this.#tokenizeAsWritten(phrase);
    if ('tokens' in first) return first;
    for (const variant of [phrase.toLowerCase(), phrase.toUpperCase()]) {
      if (variant === phrase) continue;
      const again = this.#tokenizeAsWritten(variant);
      if ('tokens' in again) return again;
    }
    return first;
  }

  #tokenizeAsWritten(phrase: string): { tokens: number[] } | { reason: string } {
    const words = phrase.normalize('NFC').trim().split(/\s+/).filter((w) => w !== '');
    if (words.length === 0) return { reason: 'empty phrase' };
    const text = words.map((w) => (LATIN_START.test(w) ? WORD_START + w : w)).join('');
    const tokens: number[] = [];
    let pos = 0;
    while (pos < text.length) {
      let matched = 0;
      for (let length = Math.min(this.#maxLength, text.length - pos); length >= 1; length--) {
        const id = this.#ids.get(text.slice(pos, pos + length));
        if (id !== undefined) {
          tokens.push(id);
          matched = length;
          break;
        }
      }
      if (matched > 0) {
        pos += matched;
      } else {
        const at = [...text.slice(0, pos)].filter((c) => c !== WORD_START).length;
        const character = text[pos] === WORD_START ? text.slice(pos + 1).split(WORD_START)[0]! : [...text.slice(pos)][0]!;
        return { reason: `no token for ${JSON.stringify(character)} at character ${at + 1}` };
      }
    }
    return { tokens };
  }
}

/**
 * Tokenizes a list's hotwords (replacements are text-only and not part of the graph) and builds the
 * context graph. Weights are clamped to MAX_HOTWORD_WEIGHT.
 */
export function compileHotwords(list: HotwordList, tokenizer: HotwordTokenizer, opts: CompileHotwordsOptions = {}): CompiledHotwords {
  const defaultWeight = opts.defaultWeight ?? DEFAULT_HOTWORD_SCORE;
  const phrases: TokenizedHotword[] = [];
  const skipped: UntokenizableHotword[] = [];
  for (const hotword of list.hotwords) {
    const result = tokenizer.tokenize(hotword.phrase);
    if ('reason' in result) skipped.push({ phrase: hotword.phrase, reason: result.reason });
    else phrases.push({ phrase: hotword.phrase, tokens: result.tokens, weight: effectiveWeight(hotword, defaultWeight) });
  }
  const graph =
    phrases.length === 0
      ? null
      : new ContextGraph(
          phrases.map((p) => ({ tokens: p.tokens, score: p.weight })),
          { contextScore: defaultWeight, strict: opts.strict ?? true },
        );
  return { graph, phrases, skipped };
}
