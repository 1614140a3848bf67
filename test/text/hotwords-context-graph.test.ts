/**
 * The context graph reproduces sherpa-onnx's own context-graph-test.cc cases
 * (/work/shared/conformance/hotwords/sherpa-onnx/*.tsv, see SOURCES.md): contexts S, HE, SHE, SHELL,
 * HIS, HERS, HELLO, THIS, THEM as character codes, context score 1, per-phrase score
 * round(score / len × 100) / 100, and the total = Σ forwardOneStep + finalize.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ContextGraph, ROOT_STATE } from '../../engine/src/text/hotwords/context-graph.ts';

const SHERPA_DIR = '/work/shared/conformance/hotwords/sherpa-onnx';
const CONTEXTS = ['S', 'HE', 'SHE', 'SHELL', 'HIS', 'HERS', 'HELLO', 'THIS', 'THEM'];

function readCases(file: string): Array<[string, number]> {
  return readFileSync(join(SHERPA_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [query, expected] = line.split('\t');
      return [query!, Number(expected)];
    });
}

const codes = (text: string): number[] => [...text].map((c) => c.codePointAt(0)!);

function buildGraph(score: number): ContextGraph {
  return new ContextGraph(
    CONTEXTS.map((c) => ({ tokens: codes(c), score: Math.round((score / c.length) * 100) / 100 })),
    { contextScore: 1 },
  );
}

function totalScore(graph: ContextGraph, query: string, strict: boolean): number {
  let state = ROOT_STATE;
  let total = 0;
  for (const token of codes(query)) {
    const step = graph.forwardOneStep(state, token, strict);
    total += step.score;
    state = step.state;
  }
  const end = graph.finalize(state);
  assert.equal(end.state, ROOT_STATE);
  return total + end.score;
}

const SUITES: Array<{ file: string; score: number; strict: boolean }> = [
  { file: 'context_graph_TestBasic.tsv', score: 0, strict: true },
  { file: 'context_graph_TestBasicNonStrict.tsv', score: 0, strict: false },
  { file: 'context_graph_TestCustomize.tsv', score: 5, strict: true },
  { file: 'context_graph_TestCustomizeNonStrict.tsv', score: 5, strict: false },
];

describe('ContextGraph reproduces sherpa-onnx context-graph-test.cc', () => {
  for (const suite of SUITES) {
    const cases = readCases(suite.file);
    it(`${suite.file}: all ${cases.length} cases`, () => {
      assert.equal(cases.length, 9);
      const graph = buildGraph(suite.score);
      for (const [query, expected] of cases) {
        // sherpa-onnx sums in float32; this graph in float64.
        const got = totalScore(graph, query, suite.strict);
        assert.ok(Math.abs(got - expected) < 1e-4, `${query}: got ${got}, expected ${expected}`);
      }
    });
  }

  it('the strict flag given to the constructor is the default mode', () => {
    const strict = new ContextGraph(CONTEXTS.map((c) => ({ tokens: codes(c) })), { contextScore: 1, strict: true });
    const loose = new ContextGraph(CONTEXTS.map((c) => ({ tokens: codes(c) })), { contextScore: 1, strict: false });
    const run = (g: ContextGraph, q: string): number => {
      let state = ROOT_STATE;
      let total = 0;
      for (const t of codes(q)) {
        const step = g.forwardOneStep(state, t);
        total += step.score;
        state = step.state;
      }
      return total + g.finalize(state).score;
    };
    assert.equal(run(strict, 'HELLO'), 7);
    assert.equal(run(loose, 'HELLO'), 2);
  });

  it('a broken partial match gives its boost back, and matches report their phrase', () => {
    const graph = new ContextGraph([{ tokens: [1, 2, 3] }, { tokens: [2, 9] }], { contextScore: 2 });
    let step = graph.forwardOneStep(ROOT_STATE, 1);
    assert.equal(step.score, 2);
    step = graph.forwardOneStep(step.state, 2);
    assert.equal(step.score, 2);
    assert.equal(graph.heldScore(step.state), 4);
    // 1 2 then 9: fall back to the suffix "2" and complete phrase 1 ("2 9").
    const broken = graph.forwardOneStep(step.state, 9);
    assert.equal(broken.matchedPhrase, 1);
    assert.deepEqual(graph.isMatched(broken.state), { matched: true, phrase: 1 });
    // 1 2 then 7: nothing matches; the held 4 is cancelled.
    const lost = graph.forwardOneStep(step.state, 7);
    assert.equal(lost.score, -4);
    assert.equal(lost.state, ROOT_STATE);
    assert.equal(lost.matchedPhrase, null);
    assert.equal(graph.maxTokenScore(), 2);
  });

  it('rejects a non-finite context score', () => {
    assert.throws(() => new ContextGraph([], { contextScore: Number.NaN }), { code: 'CONFIG_INVALID' });
  });
});
