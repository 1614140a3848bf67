/**
 * Minutes extractor quality on the annotated meetings (test/minutes/data): precision/recall of action items and
 * decisions, owner and due-date accuracy, for each split and for all meetings together. Not timed.
 * Run: node --import tsx test/bench/minutes-quality.ts [--verbose] [--split tuning,fresh,holdout-2,holdout-3]
 *   [--scorers DIR|none] [--leave-split-out]
 * (--split scores only those splits: rule work scores the read splits without touching the held-out one;
 * --scorers scores with the weight files in DIR or, with `none`, the rules alone; --leave-split-out scores each
 * split with scorers trained on every other split, as the training data must not include what is scored).
 *
 * Splits (history in test/minutes/data/README.md):
 * - tuning: the 19 original meetings. 9 of them were once labelled "heldout", but they were read while the rules
 *   were tuned, so their figures were not an honest held-out estimate; they are tuning data now.
 * - fresh: 6 meetings written and annotated by hand later. Their errors were read in the second round of rule
 *   changes, so they are tuning data now (kept as a split to show the before/after of that round).
 * - holdout-2: 7 meetings written and annotated after the second round, scored once held out, then read in round 3
 *   (rules written against their errors), so tuning data now.
 * - holdout-3: 9 meetings written and annotated before the round-3 rule changes, scored once after them, then read
 *   in round 4, so tuning data now.
 * - holdout-4: 11 meetings by a second annotator, scored once after round 4, then read in round 5, so tuning data
 *   now.
 * - holdout-5: 10 meetings by a second annotator, scored once after round 5, then read in round 6 (decision rules),
 *   so tuning data now. A newer held-out set is scored once, by whoever holds it out (pass --split to leave it out).
 *
 * - holdout-6 … holdout-67: later held-out sets, each scored once and read in a later round (holdout-28…43 were
 *   written only to train the scorers); holdout-68…79 are the final held-out sets (FINAL_HELD_OUT in
 *   test/minutes/evaluate.ts: never read, never trained on); see data/README.md. From round 10 the extractor includes
 *   learned scorers trained on the annotated meetings, so a held-out figure must come from scorers trained without
 *   that split (--leave-split-out).
 *
 * Leave-one-split-out view (round 5): `--cv` prints one row per split side by side, `--save FILE` writes those
 * per-split counts as JSON and `--against FILE` prints the change from a saved run and flags every figure that
 * fell. The rules are not trained, so holding a split out means judging a change on the splits it was not written
 * against: a change inspired by one split's errors must not lower any other split.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadSentenceScorer, type OutcomeScorers } from '../../engine/src/minutes/index.ts';
import { SPLITS, loadAnnotatedMeetings, trainScorersWithout, precisionRecall, scoreMeeting, sumScores, type MeetingScore, type Totals } from '../minutes/evaluate.ts';

const verbose = process.argv.includes('--verbose');
const splitArg = process.argv.indexOf('--split');
const chosenSplits: readonly string[] = splitArg >= 0 ? (process.argv[splitArg + 1] ?? '').split(',') : SPLITS;
const allMeetings = loadAnnotatedMeetings();
const meetings = allMeetings.filter((m) => chosenSplits.includes(m.split));
// --scorers DIR scores with the weight files in DIR, `none` with the rules alone; --leave-split-out scores each
// split with scorers trained on all the other splits (the learned part's held-out estimate); default: the shipped ones.
const scorersArg = process.argv.indexOf('--scorers');
const leaveSplitOut = process.argv.includes('--leave-split-out');
const scorersDir = scorersArg < 0 ? null : process.argv[scorersArg + 1] ?? 'none';
const fixedScorers: OutcomeScorers | null | undefined =
  scorersDir === null
    ? undefined
    : scorersDir === 'none'
      ? null
      : { decision: loadSentenceScorer(`${scorersDir}/decision-scorer.bin`), action: loadSentenceScorer(`${scorersDir}/action-scorer.bin`) };
const scorersWithout = new Map<string, OutcomeScorers>();
function scorersFor(split: string): OutcomeScorers | null | undefined {
  if (!leaveSplitOut) return fixedScorers;
  let scorers = scorersWithout.get(split);
  if (scorers === undefined) {
    scorers = trainScorersWithout(allMeetings, [split]);
    scorersWithout.set(split, scorers);
  }
  return scorers;
}
const scores: Array<MeetingScore & { split: string }> = [];
for (const meeting of meetings) scores.push({ ...(await scoreMeeting(meeting, scorersFor(meeting.split))), split: meeting.split });

const pct = (x: number): string => x.toFixed(2);
function line(label: string, totals: Totals, count: number): string {
  const a = precisionRecall(totals.actions);
  const d = precisionRecall(totals.decisions);
  const m = totals.actions.matched;
  return `${label.padEnd(9)} meetings ${String(count).padStart(2)} | actions P ${pct(a.precision)} R ${pct(a.recall)} (${totals.actions.matched}/${totals.actions.predicted} pred, ${totals.actions.expected} exp) | decisions P ${pct(d.precision)} R ${pct(d.recall)} (${totals.decisions.matched}/${totals.decisions.predicted} pred, ${totals.decisions.expected} exp) | owner ${totals.ownerCorrect}/${m} due ${totals.dueCorrect}/${m}`;
}

for (const s of scores) {
  const flag = s.falsePositives.length + s.misses.length === 0 ? 'ok' : `${s.falsePositives.length} FP, ${s.misses.length} miss`;
  console.log(`${s.split.padEnd(8)} ${s.name.padEnd(18)} actions ${s.actions.matched}/${s.actions.predicted}/${s.actions.expected} decisions ${s.decisions.matched}/${s.decisions.predicted}/${s.decisions.expected} owner ${s.ownerCorrect} due ${s.dueCorrect}  ${flag}`);
  if (verbose) {
    for (const fp of s.falsePositives) console.log(`    FP   ${fp}`);
    for (const miss of s.misses) console.log(`    MISS ${miss}`);
    for (const a of s.minutes.actionItems) console.log(`    item owner=${a.owner ?? '-'} due=${a.due ? `${a.due.date}(${a.due.text})` : '-'}  ${a.text}`);
  }
}
console.log('');
for (const split of SPLITS.filter((x) => chosenSplits.includes(x))) {
  const subset = scores.filter((s) => s.split === split);
  console.log(line(split, sumScores(subset), subset.length));
}
console.log(line('all', sumScores(scores), scores.length));

type SplitFigures = Record<string, { aP: number; aR: number; dP: number; dR: number }>;
const figures: SplitFigures = {};
for (const split of [...SPLITS.filter((x) => chosenSplits.includes(x)), 'all']) {
  const subset = split === 'all' ? scores : scores.filter((s) => s.split === split);
  const totals = sumScores(subset);
  const a = precisionRecall(totals.actions);
  const d = precisionRecall(totals.decisions);
  figures[split] = { aP: a.precision, aR: a.recall, dP: d.precision, dR: d.recall };
}
const argAfter = (flag: string): string | null => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] ?? null : null;
};
const savePath = argAfter('--save');
if (savePath !== null) writeFileSync(savePath, `${JSON.stringify(figures, null, 2)}\n`);
const againstPath = argAfter('--against');
if (process.argv.includes('--cv') || againstPath !== null) {
  const base = againstPath === null ? null : (JSON.parse(readFileSync(againstPath, 'utf8')) as SplitFigures);
  console.log('');
  console.log(`${'split'.padEnd(9)} | ${['actions P', 'actions R', 'decisions P', 'decisions R'].map((h) => h.padStart(base ? 17 : 11)).join(' ')}`);
  const falls: string[] = [];
  for (const [split, f] of Object.entries(figures)) {
    const cells = (['aP', 'aR', 'dP', 'dR'] as const).map((k) => {
      const was = base?.[split]?.[k];
      if (was === undefined) return pct(f[k]).padStart(base ? 17 : 11);
      const delta = f[k] - was;
      if (delta < -1e-9) falls.push(`${split} ${k} ${pct(was)} -> ${pct(f[k])}`);
      return `${pct(was)}->${pct(f[k])} (${delta >= 0 ? '+' : ''}${pct(delta)})`.padStart(17);
    });
    console.log(`${split.padEnd(9)} | ${cells.join(' ')}`);
  }
  if (base !== null) console.log(falls.length === 0 ? 'no figure fell against the saved run' : `FELL: ${falls.join('; ')}`);
}
