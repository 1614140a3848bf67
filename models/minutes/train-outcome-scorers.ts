/**
 * Trains the minutes scorers (engine/src/minutes/outcome-scorer.ts) from annotated meetings, one per kind of
 * outcome: L2-regularised logistic regression over hashed sentence features, positives weighted up (outcomes are
 * about one sentence in ten), fitted with L-BFGS. Deterministic: the same meetings give the same weights.
 *
 * A sentence is a positive when it contains an expected key of that kind (whitespace removed, case ignored).
 *
 * Run: node --import tsx models/minutes/train-outcome-scorers.ts [--exclude holdout-11] [--out-dir DIR]
 * (default: every annotated meeting in test/minutes/data except the final held-out sets, FINAL_HELD_OUT in
 * test/minutes/evaluate.ts; writes decision-scorer.bin and action-scorer.bin to engine/src/minutes).
 */
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BUNDLED_SCORER_FILES,
  BUNDLED_SCORER_HASH_BITS,
  encodeSentenceScorer,
  hashFeatures,
  sentenceFeatures,
  type OutcomeKind,
  type OutcomeScorers,
  type SentenceScorer,
} from '../../engine/src/minutes/outcome-scorer.ts';
import { chairOf } from '../../engine/src/minutes/extract.ts';
import { parseMinutesInput } from '../../engine/src/minutes/input.ts';
import { splitSentences } from '../../engine/src/minutes/sentences.ts';
import type { Sentence } from '../../engine/src/minutes/types.ts';

/** One meeting to learn from: its sentences and the key phrases of its decisions and action items. */
export interface TrainingMeeting {
  sentences: Sentence[];
  keys: Record<OutcomeKind, string[]>;
}

export interface TrainingOptions {
  hashBits?: number;
  /** Inverse regularisation strength (larger: weaker L2). */
  c?: number;
  /** Weight of a positive sentence in the loss relative to a negative one. */
  positiveWeight?: number;
  maxIterations?: number;
}

/** An annotated meeting file's parsed JSON as training data: its sentences and expected keys. */
export function trainingMeeting(raw: unknown, expected: { decisions: ReadonlyArray<{ key: string }>; actionItems: ReadonlyArray<{ key: string }> }): TrainingMeeting {
  const input = parseMinutesInput(raw);
  return {
    sentences: splitSentences([...input.segments].sort((a, b) => a.start - b.start)),
    keys: { decision: expected.decisions.map((d) => d.key), action: expected.actionItems.map((a) => a.key) },
  };
}

const normalise = (text: string): string => text.replace(/\s+/gu, '').toLowerCase();

interface SparseRows {
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float64Array;
  labels: Float64Array;
  rowWeights: Float64Array;
}

function featureRows(meetings: readonly TrainingMeeting[], kind: OutcomeKind, hashBits: number, positiveWeight: number): SparseRows {
  const columns: number[] = [];
  const values: number[] = [];
  const rowStart: number[] = [0];
  const labels: number[] = [];
  for (const meeting of meetings) {
    const chair = chairOf(meeting.sentences);
    const keys = meeting.keys[kind].map(normalise);
    meeting.sentences.forEach((sentence, index) => {
      for (const [bucket, value] of hashFeatures(sentenceFeatures(meeting.sentences, index, chair), hashBits)) {
        columns.push(bucket);
        values.push(value);
      }
      rowStart.push(columns.length);
      const text = normalise(sentence.text);
      labels.push(keys.some((k) => text.includes(k)) ? 1 : 0);
    });
  }
  return {
    rowStart: Int32Array.from(rowStart),
    columns: Int32Array.from(columns),
    values: Float64Array.from(values),
    labels: Float64Array.from(labels),
    rowWeights: Float64Array.from(labels, (y) => (y === 1 ? positiveWeight : 1)),
  };
}

/** Weighted logistic loss + ‖w‖²/(2c) and its gradient. */
function objective(rows: SparseRows, w: Float64Array, c: number, gradient: Float64Array): number {
  gradient.fill(0);
  let loss = 0;
  for (let j = 0; j < w.length; j += 1) {
    loss += (w[j]! * w[j]!) / (2 * c);
    gradient[j] = w[j]! / c;
  }
  for (let r = 0; r + 1 < rows.rowStart.length; r += 1) {
    let z = 0;
    for (let k = rows.rowStart[r]!; k < rows.rowStart[r + 1]!; k += 1) z += w[rows.columns[k]!]! * rows.values[k]!;
    const y = rows.labels[r]!;
    const weight = rows.rowWeights[r]!;
    // log(1 + e^-z) for y = 1 and log(1 + e^z) for y = 0, computed without overflow.
    const margin = y === 1 ? z : -z;
    loss += weight * (margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin)));
    const p = 1 / (1 + Math.exp(-z));
    const scale = weight * (p - y);
    for (let k = rows.rowStart[r]!; k < rows.rowStart[r + 1]!; k += 1) gradient[rows.columns[k]!]! += scale * rows.values[k]!;
  }
  return loss;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i += 1) s += a[i]! * b[i]!;
  return s;
}

/** L-BFGS (memory 10) with a backtracking Armijo line search; stops when the gradient is tiny or progress stalls. */
function minimise(rows: SparseRows, dimension: number, c: number, maxIterations: number): Float64Array {
  const memory = 10;
  let w: Float64Array = new Float64Array(dimension);
  let g: Float64Array = new Float64Array(dimension);
  let f = objective(rows, w, c, g);
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  for (let iteration = 0; iteration < maxIterations; iteration += 1) {
    // Two-loop recursion: direction = -H·g.
    const q = Float64Array.from(g);
    const alphas: number[] = [];
    for (let i = sHistory.length - 1; i >= 0; i -= 1) {
      const rho = 1 / dot(yHistory[i]!, sHistory[i]!);
      const alpha = rho * dot(sHistory[i]!, q);
      alphas[i] = alpha;
      for (let j = 0; j < dimension; j += 1) q[j]! -= alpha * yHistory[i]![j]!;
    }
    const last = sHistory.length - 1;
    const gamma = last >= 0 ? dot(sHistory[last]!, yHistory[last]!) / dot(yHistory[last]!, yHistory[last]!) : 1 / Math.sqrt(dot(g, g));
    for (let j = 0; j < dimension; j += 1) q[j]! *= gamma;
    for (let i = 0; i < sHistory.length; i += 1) {
      const rho = 1 / dot(yHistory[i]!, sHistory[i]!);
      const beta = rho * dot(yHistory[i]!, q);
      for (let j = 0; j < dimension; j += 1) q[j]! += sHistory[i]![j]! * (alphas[i]! - beta);
    }
    const direction = q.map((x) => -x);
    let slope = dot(g, direction);
    if (slope >= 0) {
      // Not a descent direction (curvature went bad): restart from steepest descent.
      sHistory.length = 0;
      yHistory.length = 0;
      direction.set(g.map((x) => -x / Math.sqrt(dot(g, g))));
      slope = dot(g, direction);
    }
    let step = 1;
    const wNext = new Float64Array(dimension);
    const gNext = new Float64Array(dimension);
    let fNext = Infinity;
    for (let tries = 0; tries < 40; tries += 1) {
      for (let j = 0; j < dimension; j += 1) wNext[j] = w[j]! + step * direction[j]!;
      fNext = objective(rows, wNext, c, gNext);
      if (fNext <= f + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(fNext < f)) break;
    const s = wNext.map((x, j) => x - w[j]!);
    const y = gNext.map((x, j) => x - g[j]!);
    if (dot(s, y) > 1e-12) {
      sHistory.push(s);
      yHistory.push(y);
      if (sHistory.length > memory) {
        sHistory.shift();
        yHistory.shift();
      }
    }
    const improvement = f - fNext;
    w = wNext;
    g = gNext;
    f = fNext;
    if (Math.sqrt(dot(g, g)) < 1e-5 || improvement < 1e-9 * Math.max(1, Math.abs(f))) break;
  }
  return w;
}

/** Fits one scorer to the meetings. Defaults are the shipped scorers' settings. */
export function trainSentenceScorer(meetings: readonly TrainingMeeting[], kind: OutcomeKind, opts: TrainingOptions = {}): SentenceScorer {
  const hashBits = opts.hashBits ?? BUNDLED_SCORER_HASH_BITS;
  const rows = featureRows(meetings, kind, hashBits, opts.positiveWeight ?? 2);
  const w = minimise(rows, 2 ** hashBits, opts.c ?? 3, opts.maxIterations ?? 500);
  return { hashBits, weights: Float32Array.from(w) };
}

/** Both scorers, fitted to the same meetings. */
export function trainOutcomeScorers(meetings: readonly TrainingMeeting[], opts: TrainingOptions = {}): OutcomeScorers {
  return { decision: trainSentenceScorer(meetings, 'decision', opts), action: trainSentenceScorer(meetings, 'action', opts) };
}

async function main(): Promise<void> {
  const { FINAL_HELD_OUT, loadAnnotatedMeetings } = await import('../../test/minutes/evaluate.ts');
  const args = process.argv.slice(2);
  const excludeAt = args.indexOf('--exclude');
  const excluded: string[] = [...FINAL_HELD_OUT, ...(excludeAt >= 0 ? (args[excludeAt + 1] ?? '').split(',') : [])];
  const dirAt = args.indexOf('--out-dir');
  const meetings = loadAnnotatedMeetings().filter((m) => !excluded.includes(m.split));
  const started = Date.now();
  const scorers = trainOutcomeScorers(meetings.map((m) => trainingMeeting(m.raw, m.expected)));
  const splits = [...new Set(meetings.map((m) => m.split))].join(', ');
  for (const kind of ['decision', 'action'] as const) {
    const out = dirAt >= 0 ? join(args[dirAt + 1]!, basename(BUNDLED_SCORER_FILES[kind])) : BUNDLED_SCORER_FILES[kind];
    writeFileSync(out, encodeSentenceScorer(scorers[kind]));
    console.log(`${kind} scorer → ${out}`);
  }
  console.log(`trained on ${meetings.length} meetings (${splits}) in ${Date.now() - started} ms`);
}

// Not a top-level await: main() imports test/minutes/evaluate.ts, which imports this module, and an entry module still
// awaiting at its top level would never finish evaluating for that import (Node exits 13, "unsettled top-level await").
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
