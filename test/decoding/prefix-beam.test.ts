/**
 * CTC prefix beam search: exact against brute-force path enumeration on tiny inputs, greedy-equal on
 * peaky posteriors, and hotword biasing that re-ranks only what the acoustics support.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ctcGreedyDecode } from '../../engine/src/decoding/ctc.ts';
import { ctcPrefixBeamSearch } from '../../engine/src/decoding/ctc-prefix-beam.ts';
import { ContextGraph } from '../../engine/src/text/hotwords/context-graph.ts';
import { SeededRandom } from '../../models/fixtures/prng.ts';

const BLANK = 0;

/** Logits [T, V] whose softmax is the given probability rows. */
function fromProbs(rows: number[][]): { logits: Float32Array; T: number; V: number } {
  const T = rows.length;
  const V = rows[0]!.length;
  const logits = new Float32Array(T * V);
  rows.forEach((row, t) => row.forEach((p, v) => (logits[t * V + v] = Math.log(Math.max(p, 1e-30)))));
  return { logits, T, V };
}

/** Every label sequence's exact probability: sum over all CTC paths (V^T of them). */
function bruteForce(logits: Float32Array, T: number, V: number): Map<string, number> {
  const probs: number[][] = [];
  for (let t = 0; t < T; t++) {
    const row = Array.from(logits.subarray(t * V, (t + 1) * V), Math.exp);
    const z = row.reduce((a, b) => a + b, 0);
    probs.push(row.map((p) => p / z));
  }
  const out = new Map<string, number>();
  const path: number[] = [];
  const walk = (t: number, p: number): void => {
    if (t === T) {
      const labels: number[] = [];
      let prev = BLANK;
      for (const y of path) {
        if (y !== BLANK && y !== prev) labels.push(y);
        prev = y;
      }
      const key = labels.join(',');
      out.set(key, (out.get(key) ?? 0) + p);
      return;
    }
    for (let v = 0; v < V; v++) {
      path.push(v);
      walk(t + 1, p * probs[t]![v]!);
      path.pop();
    }
  };
  walk(0, 1);
  return out;
}

function randomProbs(rng: SeededRandom, T: number, V: number, sharpness: number): number[][] {
  return Array.from({ length: T }, () => {
    const row = Array.from({ length: V }, () => Math.exp(sharpness * rng.normal()));
    const z = row.reduce((a, b) => a + b, 0);
    return row.map((p) => p / z);
  });
}

describe('ctcPrefixBeamSearch without hotwords', () => {
  it('with a wide beam and no pruning finds the most probable label sequence and its exact probability', () => {
    const rng = new SeededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const T = 5;
      const V = 4;
      const { logits } = fromProbs(randomProbs(rng, T, V, 1));
      const exact = bruteForce(logits, T, V);
      const [bestKey, bestP] = [...exact].sort((a, b) => b[1] - a[1])[0]!;
      const hyp = ctcPrefixBeamSearch(logits, T, V, { beam: 200, blankId: BLANK, tokenTopK: V, pruneLogProb: Infinity, blankMargin: Infinity });
      assert.equal(hyp.tokenIds.join(','), bestKey, `trial ${trial}`);
      assert.ok(Math.abs(Math.exp(hyp.logProb) - bestP) < 1e-5, `trial ${trial}: ${Math.exp(hyp.logProb)} vs ${bestP}`);
    }
  });

  it('can beat greedy where a label is spread over frames (with a blank margin)', () => {
    // Greedy: blank, blank → "". Prefix "1" has 1 − 0.55² − … > P("").
    const { logits, T, V } = fromProbs([
      [0.55, 0.45, 0],
      [0.55, 0.45, 0],
    ]);
    assert.deepEqual(ctcGreedyDecode(logits, T, V, { blankId: BLANK }).tokenIds, []);
    assert.deepEqual(ctcPrefixBeamSearch(logits, T, V, { beam: 4, blankId: BLANK, blankMargin: 1 }).tokenIds, [1]);
    // Without the margin a token must beat blank somewhere to start: "" stays.
    assert.deepEqual(ctcPrefixBeamSearch(logits, T, V, { beam: 4, blankId: BLANK }).tokenIds, []);
  });

  it('equals greedy, tokens and frames, on peaky CTC-like posteriors', () => {
    const rng = new SeededRandom(11);
    for (let trial = 0; trial < 10; trial++) {
      const T = 200;
      const V = 30;
      const logits = new Float32Array(T * V);
      for (let t = 0; t < T; t++) {
        const hot = rng.uniform(0, 1) < 0.7 ? BLANK : 1 + Math.floor(rng.uniform(0, V - 1));
        for (let v = 0; v < V; v++) logits[t * V + v] = rng.normal() + (v === hot ? 12 : 0);
      }
      const greedy = ctcGreedyDecode(logits, T, V, { blankId: BLANK, startFrame: 3 });
      const beam = ctcPrefixBeamSearch(logits, T, V, { beam: 8, blankId: BLANK, startFrame: 3 });
      assert.deepEqual(beam.tokenIds, greedy.tokenIds);
      assert.deepEqual(beam.frames, greedy.frames);
    }
  });

  it('rejects bad arguments', () => {
    const { logits, T, V } = fromProbs([[1, 0]]);
    assert.throws(() => ctcPrefixBeamSearch(logits, T, V, { beam: 0, blankId: BLANK }), RangeError);
    assert.throws(() => ctcPrefixBeamSearch(logits, T + 1, V, { beam: 4, blankId: BLANK }), RangeError);
    assert.throws(() => ctcPrefixBeamSearch(logits, T, V, { beam: 4, blankId: 5 }), RangeError);
    assert.throws(() => ctcPrefixBeamSearch(logits, T, V, { beam: 4, blankId: BLANK, startFrame: 2 }), RangeError);
  });
});

describe('ctcPrefixBeamSearch with a context graph', () => {
  // Tokens: 1 = A, 2 = B (a near-homophone of A), 3 = C, 4 = D.
  const ambiguous = (): { logits: Float32Array; T: number; V: number } =>
    fromProbs([
      [0.98, 0.005, 0.005, 0.005, 0.005],
      [0.05, 0.47, 0.43, 0.03, 0.02],
      [0.9, 0.04, 0.04, 0.01, 0.01],
      [0.05, 0.01, 0.01, 0.01, 0.92],
      [0.98, 0.005, 0.005, 0.005, 0.005],
    ]);

  it('an ambiguous token decodes to the hotword only when it is listed', () => {
    const { logits, T, V } = ambiguous();
    assert.deepEqual(ctcPrefixBeamSearch(logits, T, V, { beam: 4, blankId: BLANK }).tokenIds, [1, 4]);
    const listed = new ContextGraph([{ tokens: [2, 4] }], { contextScore: 1.5 });
    const withHotword = ctcPrefixBeamSearch(logits, T, V, { beam: 4, blankId: BLANK, contextGraph: listed });
    assert.deepEqual(withHotword.tokenIds, [2, 4]);
    assert.deepEqual(withHotword.matchedPhrases, [0]);
    assert.ok(Math.abs(withHotword.contextScore - 3) < 1e-9, 'a full match keeps its whole boost');
    const unrelated = new ContextGraph([{ tokens: [3, 3] }], { contextScore: 1.5 });
    const withUnrelated = ctcPrefixBeamSearch(logits, T, V, { beam: 4, blankId: BLANK, contextGraph: unrelated });
    assert.deepEqual(withUnrelated.tokenIds, [1, 4]);
    assert.equal(withUnrelated.contextScore, 0);
  });

  it('a partial match that fails gives its boost back', () => {
    const { logits, T, V } = ambiguous();
    // Hotword "B C": B is plausible but C never is, so after D the held boost of B is cancelled and A wins again.
    const graph = new ContextGraph([{ tokens: [2, 3] }], { contextScore: 1.5 });
    const hyp = ctcPrefixBeamSearch(logits, T, V, { beam: 4, blankId: BLANK, contextGraph: graph });
    assert.deepEqual(hyp.tokenIds, [1, 4]);
    assert.equal(hyp.contextScore, 0);
  });

  it('never creates tokens on blank-dominated frames, whatever the boost', () => {
    // 300 frames where blank (0.9) beats the hotword token (0.09): summed over frames, prefix "1" would be
    // far more probable than its per-frame share, and a boost of 20 per token would otherwise pull it in.
    const rows = Array.from({ length: 300 }, () => [0.9, 0.09, 0.01]);
    const { logits, T, V } = fromProbs(rows);
    const graph = new ContextGraph([{ tokens: [1] }, { tokens: [1, 1] }], { contextScore: 20 });
    assert.deepEqual(ctcPrefixBeamSearch(logits, T, V, { beam: 10, blankId: BLANK, contextGraph: graph }).tokenIds, []);
    // The same posteriors with the guard relaxed show what the guard prevents.
    assert.notDeepEqual(ctcPrefixBeamSearch(logits, T, V, { beam: 10, blankId: BLANK, contextGraph: graph, blankMargin: 5 }).tokenIds, []);
  });

  it('keeps per-token frames for timestamps', () => {
    const { logits, T, V } = ambiguous();
    const graph = new ContextGraph([{ tokens: [2, 4] }], { contextScore: 1.5 });
    assert.deepEqual(ctcPrefixBeamSearch(logits, T, V, { beam: 4, blankId: BLANK, contextGraph: graph }).frames, [1, 3]);
  });
});
