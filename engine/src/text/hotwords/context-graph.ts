/**
 * Context graph for contextual biasing (hotwords): an Aho-Corasick automaton over hotword token
 * sequences, with the scoring semantics of sherpa-onnx's ContextGraph (csrc/context-graph.cc), which
 * icefall and wenet share.
 *
 * Scores are additive log-domain boosts. Each hotword token earns its phrase's per-token score while
 * the hypothesis follows the phrase; when the match breaks, the automaton falls back along its failure
 * links and the step's score becomes `node_score(fallback) − node_score(current)`, which cancels the
 * boost of the abandoned partial match. `finalize` cancels whatever partial boost is still open at the
 * end of a hypothesis.
 *
 * - strict mode (default): after a full match the state stays at the phrase's end node (so a longer
 *   phrase can still continue) and the step earns the node's output score (the full phrase score) once
 *   more; `finalize` later cancels the node score, leaving the full phrase's score as the net boost.
 * - non-strict mode: a full match returns to the root at once, keeping the matched phrase's boost.
 *
 * Reproduces sherpa-onnx's context-graph-test.cc cases (test/text/hotwords-context-graph.test.ts).
 * sherpa-onnx computes in float32; this computes in float64, so totals agree to ~1e-5.
 */
import { ErrorCodes, TingxieError } from '../../errors.ts';

/** A hotword as model token ids, with an optional per-token boost (0 or absent: the graph's contextScore). */
export interface ContextPhrase {
  tokens: readonly number[];
  score?: number;
}

export interface ContextGraphOptions {
  /** Per-token boost (log domain) of phrases without their own score, e.g. 1.5. */
  contextScore: number;
  /** Default mode of forwardOneStep (default true, as sherpa-onnx). */
  strict?: boolean;
}

/** A state of the graph: a node index; the root is ROOT_STATE. */
export type ContextState = number;

export const ROOT_STATE: ContextState = 0;

export interface ContextStep {
  /** Boost to add for this token (negative when a partial match is abandoned). */
  score: number;
  state: ContextState;
  /** Index (into the constructor's phrases) of the phrase completed at this step, or null. */
  matchedPhrase: number | null;
}

interface Node {
  token: number;
  /** Boost of the arc into this node. */
  tokenScore: number;
  /** Sum of token scores from the root to this node (the boost a hypothesis holds here). */
  nodeScore: number;
  /** Extra score earned on reaching this node: its own node score when it ends a phrase, plus its output chain's. */
  outputScore: number;
  isEnd: boolean;
  /** Phrase index when isEnd. */
  phrase: number;
  next: Map<number, number>;
  fail: number;
  /** Nearest end node along the failure chain (excluding this node), or -1. */
  output: number;
}

export class ContextGraph {
  readonly contextScore: number;
  readonly strict: boolean;
  readonly phraseCount: number;
  readonly #nodes: Node[] = [];

  constructor(phrases: readonly ContextPhrase[], opts: ContextGraphOptions) {
    if (!Number.isFinite(opts.contextScore)) {
      throw new TingxieError(ErrorCodes.CONFIG_INVALID, `context score must be a finite number, got ${opts.contextScore}`, { field: 'contextScore' });
    }
    this.contextScore = opts.contextScore;
    this.strict = opts.strict ?? true;
    this.phraseCount = phrases.length;
    this.#nodes.push(this.#newNode(-1, 0, 0, 0, false, -1));
    phrases.forEach((phrase, index) => this.#insert(phrase, index));
    this.#fillFailAndOutput();
  }

  /** Number of nodes including the root. */
  get size(): number {
    return this.#nodes.length;
  }

  #newNode(token: number, tokenScore: number, nodeScore: number, outputScore: number, isEnd: boolean, phrase: number): Node {
    return { token, tokenScore, nodeScore, outputScore, isEnd, phrase, next: new Map(), fail: ROOT_STATE, output: -1 };
  }

  #insert(phrase: ContextPhrase, index: number): void {
    const given = phrase.score ?? 0;
    if (!Number.isFinite(given)) {
      throw new TingxieError(ErrorCodes.CONFIG_INVALID, `hotword ${index}: score must be a finite number, got ${given}`, { field: 'score', index });
    }
    const score = given === 0 ? this.contextScore : given;
    let node = ROOT_STATE;
    phrase.tokens.forEach((token, j) => {
      const last = j === phrase.tokens.length - 1;
      const parent = this.#nodes[node]!;
      const existing = parent.next.get(token);
      if (existing === undefined) {
        const nodeScore = parent.nodeScore + score;
        const child = this.#nodes.length;
        this.#nodes.push(this.#newNode(token, score, nodeScore, last ? nodeScore : 0, last, last ? index : -1));
        parent.next.set(token, child);
        node = child;
      } else {
        // A shared prefix keeps the larger per-token score of the phrases through it.
        const child = this.#nodes[existing]!;
        child.tokenScore = Math.max(score, child.tokenScore);
        child.nodeScore = parent.nodeScore + child.tokenScore;
        child.isEnd = last || child.isEnd;
        child.outputScore = child.isEnd ? child.nodeScore : 0;
        if (last) child.phrase = index;
        node = existing;
      }
    });
  }

  /** Breadth-first: failure link = longest proper suffix that is a path from the root. */
  #fillFailAndOutput(): void {
    const queue: number[] = [];
    for (const child of this.#nodes[ROOT_STATE]!.next.values()) {
      this.#nodes[child]!.fail = ROOT_STATE;
      queue.push(child);
    }
    for (let head = 0; head < queue.length; head++) {
      const current = this.#nodes[queue[head]!]!;
      for (const [token, childIndex] of current.next) {
        const child = this.#nodes[childIndex]!;
        child.fail = this.#transition(current.fail, token);
        let output = child.fail;
        while (output !== ROOT_STATE && !this.#nodes[output]!.isEnd) output = this.#nodes[output]!.fail;
        child.output = output === ROOT_STATE ? -1 : output;
        if (child.output !== -1) child.outputScore += this.#nodes[child.output]!.outputScore;
        queue.push(childIndex);
      }
    }
  }

  /** The Aho-Corasick goto: follow failure links from `from` until `token` has an arc (or the root). */
  #transition(from: number, token: number): number {
    let node = from;
    for (;;) {
      const next = this.#nodes[node]!.next.get(token);
      if (next !== undefined) return next;
      if (node === ROOT_STATE) return ROOT_STATE;
      node = this.#nodes[node]!.fail;
    }
  }

  #checkState(state: ContextState): Node {
    const node = this.#nodes[state];
    if (node === undefined) throw new TingxieError(ErrorCodes.INTERNAL, `context state ${state} does not belong to this graph`);
    return node;
  }

  /** Advances `state` by one token; returns the boost for it and the next state. */
  forwardOneStep(state: ContextState, token: number, strict: boolean = this.strict): ContextStep {
    const current = this.#checkState(state);
    let nextIndex: number;
    let score: number;
    const direct = current.next.get(token);
    if (direct !== undefined) {
      nextIndex = direct;
      score = this.#nodes[direct]!.tokenScore;
    } else {
      nextIndex = this.#transition(current.fail, token);
      score = this.#nodes[nextIndex]!.nodeScore - current.nodeScore;
    }
    const node = this.#nodes[nextIndex]!;
    const matched = node.isEnd ? nextIndex : node.output;
    const matchedPhrase = matched === -1 ? null : this.#nodes[matched]!.phrase;
    if (!strict && node.outputScore !== 0) {
      const outputNodeScore = node.isEnd ? node.nodeScore : node.output !== -1 ? this.#nodes[node.output]!.nodeScore : node.nodeScore;
      return { score: score + outputNodeScore - node.nodeScore, state: ROOT_STATE, matchedPhrase };
    }
    return { score: score + node.outputScore, state: nextIndex, matchedPhrase };
  }

  /** Ends a hypothesis: cancels the open partial-match boost and returns to the root. */
  finalize(state: ContextState): { score: number; state: ContextState } {
    return { score: -this.#checkState(state).nodeScore, state: ROOT_STATE };
  }

  /** Whether `state` completes a phrase (itself or via its output chain), and which. */
  isMatched(state: ContextState): { matched: boolean; phrase: number | null } {
    const node = this.#checkState(state);
    const end = node.isEnd ? state : node.output;
    return end === -1 || state === ROOT_STATE ? { matched: false, phrase: null } : { matched: true, phrase: this.#nodes[end]!.phrase };
  }

  /** Boost currently held by a hypothesis in `state` (what finalize would cancel). */
  heldScore(state: ContextState): number {
    return this.#checkState(state).nodeScore;
  }

  /** Largest per-token score of any arc (0 for an empty graph): bounds the boost one token can earn on entry. */
  maxTokenScore(): number {
    let max = 0;
    for (const node of this.#nodes) if (node.token !== -1) max = Math.max(max, node.tokenScore);
    return max;
  }
}
