/**
 * Extractive summary by sentence centrality (LexRank): a sentence similar to many others states what the
 * meeting was about. Similarity is cosine over tf-idf-weighted Han bigrams and words.
 */
import { cosine, textTerms, type TermVector } from './terms.ts';
import type { Sentence, SummaryPoint } from './types.ts';

export interface SummaryOptions {
  /** Fewest and most points (defaults 3 and 7). */
  minPoints?: number;
  maxPoints?: number;
  /** Sentences that carry a decision or action get their centrality multiplied by this (default 1.3). */
  outcomeBoost?: number;
  /** Indices of sentences with decisions or action items. */
  outcomeSentences?: ReadonlySet<number>;
}

/** Long enough to stand alone as a summary point: 8+ Han characters or 6+ words. */
function isSubstantial(text: string): boolean {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const words = (text.match(/[A-Za-z]+/g) ?? []).length;
  return han >= 8 || words >= 6 || han + words >= 8;
}

function tfidfVectors(sentences: readonly Sentence[]): TermVector[] {
  const termLists = sentences.map((s) => textTerms(s.text));
  const df = new Map<string, number>();
  for (const terms of termLists) for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = sentences.length;
  return termLists.map((terms) => {
    const v: TermVector = new Map();
    for (const t of terms) v.set(t, (v.get(t) ?? 0) + 1);
    for (const [t, tf] of v) v.set(t, tf * (Math.log((n + 1) / (df.get(t)! + 0.5)) + 1));
    return v;
  });
}

/**
 * LexRank scores: stationary distribution of a random walk over the similarity graph (row-normalized cosine,
 * damping 0.85, power iteration). Returns one score per vector, summing to 1.
 */
export function lexRank(vectors: readonly TermVector[], damping = 0.85, iterations = 50): number[] {
  const n = vectors.length;
  if (n === 0) return [];
  const sim = vectors.map((a, i) => vectors.map((b, j) => (i === j ? 0 : cosine(a, b))));
  const rowSums = sim.map((row) => row.reduce((x, y) => x + y, 0));
  let rank = new Array<number>(n).fill(1 / n);
  for (let it = 0; it < iterations; it += 1) {
    const next = new Array<number>(n).fill((1 - damping) / n);
    for (let i = 0; i < n; i += 1) {
      const row = sim[i]!;
      const sum = rowSums[i]!;
      // A sentence like no other spreads its weight evenly (a dangling node).
      for (let j = 0; j < n; j += 1) next[j]! += damping * rank[i]! * (sum > 0 ? row[j]! / sum : 1 / n);
    }
    rank = next;
  }
  return rank;
}

/** 3–7 central, non-redundant sentences in meeting order. */
export function extractiveSummary(sentences: readonly Sentence[], opts: SummaryOptions = {}): SummaryPoint[] {
  const candidates = sentences.filter((s) => isSubstantial(s.text) && !/[？?]\s*$/u.test(s.text));
  const pool = candidates.length > 0 ? candidates : sentences.slice();
  if (pool.length === 0) return [];
  const minPoints = opts.minPoints ?? 3;
  const maxPoints = opts.maxPoints ?? 7;
  const want = Math.min(pool.length, Math.max(minPoints, Math.min(maxPoints, Math.round(sentences.length / 5))));
  const vectors = tfidfVectors(pool);
  const boost = opts.outcomeBoost ?? 1.3;
  const scores = lexRank(vectors).map((r, i) => r * (opts.outcomeSentences?.has(pool[i]!.index) ? boost : 1));
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => b.s - a.s || a.i - b.i);
  const chosen: number[] = [];
  for (const { i } of order) {
    if (chosen.length >= want) break;
    if (chosen.some((j) => cosine(vectors[i]!, vectors[j]!) > 0.6)) continue;
    chosen.push(i);
  }
  return chosen.sort((a, b) => a - b).map((i) => ({ text: pool[i]!.text, start: pool[i]!.start }));
}
