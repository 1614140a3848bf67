/**
 * CTC prefix beam search with optional contextual biasing (hotwords) through a ContextGraph, as wenet
 * and sherpa-onnx do it.
 *
 * Logits are a row-major view `[numFrames, vocabSize]`; each row is log-softmaxed before use. Every
 * prefix (label sequence) keeps two log-probabilities: pb (its paths end in blank) and pnb (they end
 * in its last token). Hypotheses are ranked by logaddexp(pb, pnb) + contextScore, where contextScore
 * is the running hotword boost of the prefix (ContextGraph.forwardOneStep per token); at the end the
 * open partial-match boost is cancelled (ContextGraph.finalize) before the best prefix is chosen.
 *
 * Why the boost cannot create words out of silence: a token may START (extend a prefix) at frame t
 * only when it is at least as probable as blank there, log p(c|t) ≥ log p(blank|t) − blankMargin
 * (blankMargin 0 by default). On a blank-dominated frame (blank strictly more probable than every
 * token) no prefix grows, whatever the boost; the boost only re-ranks label sequences that each had
 * acoustic support on some frame. Per frame the candidates are further limited to the tokenTopK most
 * probable tokens within pruneLogProb of the frame's best token.
 */
import type { ContextGraph, ContextState } from '../text/hotwords/context-graph.ts';
import { ROOT_STATE } from '../text/hotwords/context-graph.ts';
import type { CtcHypothesis } from './ctc.ts';

export interface CtcPrefixBeamOptions {
  /** Prefixes kept per frame (4–10 is typical). */
  beam: number;
  blankId: number;
  /** Hotword boosts; none → plain prefix beam search. */
  contextGraph?: ContextGraph;
  /** First frame to decode (default 0). */
  startFrame?: number;
  /** One past the last frame (default numFrames). */
  endFrame?: number;
  /** Candidate tokens per frame (default: beam). */
  tokenTopK?: number;
  /** Drop tokens more than this far (natural log) below the frame's best token (default 10). */
  pruneLogProb?: number;
  /**
   * A token may start only where log p(token) ≥ log p(blank) − blankMargin (default 0, ≥ 0). A positive
   * margin lets the search use tokens that never beat blank, at the cost of the no-words-in-silence
   * guarantee described above.
   */
  blankMargin?: number;
}

/** A hypothesis with its scores: logProb is acoustic only; contextScore the final (finalized) boost. */
export interface CtcBeamHypothesis extends CtcHypothesis {
  logProb: number;
  contextScore: number;
  /** Indices of the context-graph phrases matched in this hypothesis, in order. */
  matchedPhrases: number[];
}

interface PrefixNode {
  parent: PrefixNode | null;
  token: number;
  depth: number;
  /** Frame at which the extension into this prefix contributed the most probability. */
  frame: number;
  bestEntry: number;
  contextState: ContextState;
  /** Running boost (before finalize). */
  contextScore: number;
  matchedPhrase: number | null;
  children: Map<number, PrefixNode>;
}

interface BeamEntry {
  pb: number;
  pnb: number;
}

const NEG_INF = Number.NEGATIVE_INFINITY;

function logAddExp(a: number, b: number): number {
  if (a === NEG_INF) return b;
  if (b === NEG_INF) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}

/**
 * Prefix beam search over frames [startFrame, endFrame) of a [numFrames, vocabSize] logits view.
 * @throws RangeError for an undersized view, an invalid frame range or invalid options.
 */
export function ctcPrefixBeamSearch(logits: Float32Array, numFrames: number, vocabSize: number, opts: CtcPrefixBeamOptions): CtcBeamHypothesis {
  const start = opts.startFrame ?? 0;
  const end = opts.endFrame ?? numFrames;
  if (vocabSize <= 0 || logits.length < numFrames * vocabSize) {
    throw new RangeError(`logits hold ${logits.length} values, fewer than ${numFrames} frames × ${vocabSize} tokens`);
  }
  if (start < 0 || end > numFrames || start > end) throw new RangeError(`invalid frame range [${start}, ${end}) for ${numFrames} frames`);
  const beam = positiveInt(opts.beam, 'beam');
  const topK = positiveInt(opts.tokenTopK ?? beam, 'tokenTopK');
  const pruneLogProb = opts.pruneLogProb ?? 10;
  const blankMargin = opts.blankMargin ?? 0;
  if (!(pruneLogProb >= 0)) throw new RangeError(`pruneLogProb must be ≥ 0, got ${pruneLogProb}`);
  if (!(blankMargin >= 0)) throw new RangeError(`blankMargin must be ≥ 0, got ${blankMargin}`);
  const blank = opts.blankId;
  if (!Number.isInteger(blank) || blank < 0 || blank >= vocabSize) throw new RangeError(`blankId ${blank} is outside the vocabulary of ${vocabSize}`);
  const graph = opts.contextGraph;

  const root: PrefixNode = { parent: null, token: -1, depth: 0, frame: -1, bestEntry: NEG_INF, contextState: ROOT_STATE, contextScore: 0, matchedPhrase: null, children: new Map() };
  const child = (parent: PrefixNode, token: number): PrefixNode => {
    let node = parent.children.get(token);
    if (node === undefined) {
      const step = graph ? graph.forwardOneStep(parent.contextState, token) : null;
      node = {
        parent,
        token,
        depth: parent.depth + 1,
        frame: -1,
        bestEntry: NEG_INF,
        contextState: step ? step.state : ROOT_STATE,
        contextScore: parent.contextScore + (step ? step.score : 0),
        matchedPhrase: step ? step.matchedPhrase : null,
        children: new Map(),
      };
      parent.children.set(token, node);
    }
    return node;
  };

  let hyps = new Map<PrefixNode, BeamEntry>([[root, { pb: 0, pnb: NEG_INF }]]);
  const candidates: number[] = [];
  for (let t = start; t < end; t++) {
    const base = t * vocabSize;
    let rowMax = NEG_INF;
    for (let v = 0; v < vocabSize; v++) if (logits[base + v]! > rowMax) rowMax = logits[base + v]!;
    // Log-softmax normaliser; terms more than 30 nats below the max (each < 1e-13 of it) are skipped.
    // Tokens allowed to start here: at least as probable as blank (less the margin), near the best, top-k.
    const floor = Math.max(logits[base + blank]! - blankMargin, rowMax - pruneLogProb);
    const negligible = rowMax - 30;
    let sum = 0;
    candidates.length = 0;
    for (let v = 0; v < vocabSize; v++) {
      const x = logits[base + v]!;
      if (x > negligible) sum += Math.exp(x - rowMax);
      if (x >= floor && v !== blank) candidates.push(v);
    }
    const logZ = rowMax + Math.log(sum);
    const lp = (v: number): number => logits[base + v]! - logZ;
    const lpBlank = lp(blank);

    if (candidates.length > topK) {
      candidates.sort((a, b) => logits[base + b]! - logits[base + a]!);
      candidates.length = topK;
    }

    const next = new Map<PrefixNode, BeamEntry>();
    const entry = (node: PrefixNode): BeamEntry => {
      let e = next.get(node);
      if (e === undefined) {
        e = { pb: NEG_INF, pnb: NEG_INF };
        next.set(node, e);
      }
      return e;
    };
    for (const [node, { pb, pnb }] of hyps) {
      const total = logAddExp(pb, pnb);
      // Blank: the prefix stays, now ending in blank.
      const same = entry(node);
      same.pb = logAddExp(same.pb, total + lpBlank);
      // Repeating the last token without a blank in between continues it (no new token).
      if (node !== root) same.pnb = logAddExp(same.pnb, pnb + lp(node.token));
      for (const c of candidates) {
        // The same token again is a new token only after a blank.
        const from = c === node.token ? pb : total;
        if (from === NEG_INF) continue;
        const grown = child(node, c);
        const contribution = from + lp(c);
        if (contribution > grown.bestEntry) {
          grown.bestEntry = contribution;
          grown.frame = t;
        }
        const e = entry(grown);
        e.pnb = logAddExp(e.pnb, contribution);
      }
    }
    if (next.size > beam) {
      const ranked = [...next].sort((a, b) => logAddExp(b[1].pb, b[1].pnb) + b[0].contextScore - (logAddExp(a[1].pb, a[1].pnb) + a[0].contextScore));
      hyps = new Map(ranked.slice(0, beam));
    } else {
      hyps = next;
    }
  }

  let best: PrefixNode = root;
  let bestScore = NEG_INF;
  let bestLogProb = 0;
  let bestContext = 0;
  for (const [node, { pb, pnb }] of hyps) {
    const logProb = logAddExp(pb, pnb);
    const context = graph ? node.contextScore + graph.finalize(node.contextState).score : 0;
    const score = logProb + context;
    // Ties go to the shorter prefix: the boost must never be what adds a token.
    if (score > bestScore || (score === bestScore && node.depth < best.depth)) {
      best = node;
      bestScore = score;
      bestLogProb = logProb;
      bestContext = context;
    }
  }
  const tokenIds: number[] = new Array<number>(best.depth);
  const frames: number[] = new Array<number>(best.depth);
  const matched: number[] = [];
  for (let node: PrefixNode | null = best; node !== null && node !== root; node = node.parent) {
    tokenIds[node.depth - 1] = node.token;
    frames[node.depth - 1] = node.frame;
    if (node.matchedPhrase !== null) matched.push(node.matchedPhrase);
  }
  // A token's best-entry frame can precede its predecessor's (different paths); keep one frame each, in order.
  for (let i = 1; i < frames.length; i++) if (frames[i]! <= frames[i - 1]!) frames[i] = Math.min(frames[i - 1]! + 1, end - 1);
  return { tokenIds, frames, logProb: bestLogProb, contextScore: bestContext, matchedPhrases: matched.reverse() };
}
