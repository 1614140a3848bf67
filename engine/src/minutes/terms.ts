/**
 * Bag-of-terms view of text for similarity: Han characters as overlapping character bigrams (Chinese has no
 * spaces; bigrams approximate words well enough for cosine similarity), Latin words lower-cased without stop words.
 */

const EN_STOP = new Set(
  ('a an the and or but if so to of in on at for with from by as is are was were be been being it its this that these those ' +
    'i you he she we they me him her us them my your our their his what which who whom when where why how do does did done ' +
    'have has had will would shall should can could may might must not no yes ok okay just also then than there here very ' +
    'um uh yeah right well like really think know get got go going gonna let lets about into out up down over all any some ' +
    "i'll we'll you'll it's that's don't doesn't didn't won't can't i'm we're they're").split(/\s+/),
);

/** Han bigrams made only of function characters carry no topic. */
const ZH_STOP_CHARS = new Set(Array.from('的了是在我你他她它们这那个就也都和与及或而吧吗呢啊嗯哦呀么还要会有没不把被给对说到去来上下一些点很再又吗着过得地'));

const HAN_RUN = /\p{Script=Han}+/gu;
const LATIN_WORD = /[A-Za-z][A-Za-z0-9'-]*|\d+(?:\.\d+)?/g;

/** Term list (with repeats) of a text. */
export function textTerms(text: string): string[] {
  const terms: string[] = [];
  for (const m of text.matchAll(HAN_RUN)) {
    const run = m[0];
    if (run.length === 1) {
      if (!ZH_STOP_CHARS.has(run)) terms.push(run);
      continue;
    }
    for (let i = 0; i + 1 < run.length; i += 1) {
      const a = run[i]!;
      const b = run[i + 1]!;
      if (ZH_STOP_CHARS.has(a) && ZH_STOP_CHARS.has(b)) continue;
      terms.push(a + b);
    }
  }
  for (const m of text.matchAll(LATIN_WORD)) {
    const word = m[0].toLowerCase();
    if (word.length > 1 && !EN_STOP.has(word) && !/^\d+$/.test(word)) terms.push(word);
  }
  return terms;
}

export type TermVector = Map<string, number>;

export function termVector(terms: readonly string[]): TermVector {
  const vector: TermVector = new Map();
  for (const term of terms) vector.set(term, (vector.get(term) ?? 0) + 1);
  return vector;
}

/** Cosine similarity of two term-count vectors, in [0, 1]; 0 when either is empty. */
export function cosine(a: TermVector, b: TermVector): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [term, x] of a) {
    na += x * x;
    const y = b.get(term);
    if (y !== undefined) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Counts of Han and Latin letters, for language detection. */
export function scriptCounts(text: string): { han: number; latin: number } {
  return { han: (text.match(/\p{Script=Han}/gu) ?? []).length, latin: (text.match(/[A-Za-z]/g) ?? []).length };
}
