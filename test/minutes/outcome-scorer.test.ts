import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  ADD_THRESHOLD,
  BUNDLED_SCORER_FILES,
  BUNDLED_SCORER_HASH_BITS,
  DECISION_ADD_THRESHOLD,
  SURE_DECISION_THRESHOLD,
  KEEP_THRESHOLD,
  MIN_SENTENCES_FOR_SCORERS,
  combineWithRule,
  encodeSentenceScorer,
  fnv1a,
  loadBundledScorers,
  loadSentenceScorer,
  contentUnits,
  sentenceFeatures,
  sentenceProbability,
  shapeTokens,
  type OutcomeScorers,
  type SentenceScorer,
} from '../../engine/src/minutes/outcome-scorer.ts';
import { extractActionsAndDecisions, splitSentences, type Sentence } from '../../engine/src/minutes/index.ts';
import { trainSentenceScorer, type TrainingMeeting } from '../../models/minutes/train-outcome-scorers.ts';
import { SPLITS, loadAnnotatedMeetings, trainScorersWithout } from './evaluate.ts';
import { biasOnlyScorer } from './scorer-fixtures.ts';

const sentencesOf = (lines: Array<[string | null, string]>): Sentence[] =>
  splitSentences(lines.map(([speaker, text], i) => ({ start: i * 5, end: i * 5 + 4, speaker, text })));

/** A scorer that gives every sentence the same large score: p ≈ 1 for `sign` 1, p ≈ 0 for -1. */
const constant = (sign: 1 | -1): SentenceScorer => {
  const weights = new Float32Array(2 ** 10).fill(0);
  return { hashBits: 10, weights: weights.map(() => sign * 50) };
};
const constantScorers = (decision: 1 | -1, action: 1 | -1): OutcomeScorers => ({ decision: constant(decision), action: constant(action) });

describe('outcome scorer features', () => {
  it('hashes with FNV-1a (32 bit)', () => {
    assert.equal(fnv1a(''), 0x811c9dc5);
    assert.equal(fnv1a('a'), 0xe40c292c);
    assert.equal(fnv1a('foobar'), 0xbf9cf968);
  });

  it('reads character-spaced and punctuated Chinese alike, with context, turn and question features', () => {
    const spaced = sentencesOf([['甲', '好 的'], ['乙', '那 就 定 在 周 五'], ['甲', '行吗？']]);
    const plain = sentencesOf([['甲', '好的'], ['乙', '那就定在周五'], ['甲', '行吗？']]);
    const gramsOf = (s: Sentence[]) => [...sentenceFeatures(s, 1, null)].filter(([k]) => /^c\d:/.test(k));
    assert.deepEqual(gramsOf(spaced), gramsOf(plain));
    const f = sentenceFeatures(plain, 1, '乙');
    assert.ok(f.has('c2:定在') && f.has('p:c2:好的') && f.has('n:c1:行'));
    assert.ok(f.has('CHAIR') && f.has('TURN_START') && !f.has('QEND'));
    assert.ok(sentenceFeatures(plain, 2, null).has('QEND'));
    const english = sentenceFeatures(sentencesOf([[null, "Let's go with the blue one."]]), 0, null);
    assert.ok(english.has("w:let's") && english.has('b:the blue') && english.has('UNLABELLED'));
  });

  it('reads a sentence\'s shape: function words kept, other words as one X, numbers as N', () => {
    assert.deepEqual(shapeTokens('We file the 706 and elect portability.'), ['we', 'X', 'the', 'N', 'and', 'X', '.']);
    assert.deepEqual(shapeTokens('好，票价六十八，学生票四十。'), ['好', ',', 'X', 'N', ',', 'X', 'N', '.']);
    assert.deepEqual(shapeTokens('那 就 定 在 周 五'), shapeTokens('那就定在周五'));
    // Two decisions in different fields share their shape n-grams, though no content word.
    const shapeGrams = (text: string) => [...sentenceFeatures(sentencesOf([[null, text]]), 0, null).keys()].filter((k) => /^s\d:/.test(k));
    const shared = shapeGrams('We file the claim.').filter((g) => shapeGrams('We hold the rate.').includes(g));
    assert.ok(shared.includes('s4:^ we X the') && shared.includes('s2:X .'), shared.join(' | '));
  });

  it('measures how much of a sentence takes up what others just said, and how much the next sentences go on with it', () => {
    assert.deepEqual([...contentUnits('We take the U visa route.')], ['take', 'visa', 'route']);
    assert.deepEqual([...contentUnits('换供应商')], ['换供', '供应', '应商']);
    const discussed = sentencesOf([
      ['Ana', 'Should we file the 706 now?'],
      ['Ben', 'Filing the 706 keeps portability open.'],
      ['Ana', 'We file the 706 and keep portability.'],
      ['Ben', 'Next item is the office lease.'],
    ]);
    const f = sentenceFeatures(discussed, 2, 'Ana');
    // 706 is a number (no content unit); "file", "keep" and "portability": "portability" (1 of 3) is Ben's → OVLP1.
    assert.ok(f.has('OVLP1') && f.has('OVLN0'), [...f.keys()].filter((k) => k.startsWith('OVL')).join(' '));
    assert.ok(sentenceFeatures(discussed, 0, 'Ana').has('OVLP0'));
  });
});

describe('outcome scorer files', () => {
  it('loads what it encodes, and refuses a missing or wrong-sized file with MODEL_INVALID naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tingxie-scorer-'));
    const scorer: SentenceScorer = { hashBits: 4, weights: Float32Array.from({ length: 16 }, (_, i) => i / 4 - 2) };
    const path = join(dir, 'ok.bin');
    writeFileSync(path, encodeSentenceScorer(scorer));
    assert.deepEqual(loadSentenceScorer(path, 4).weights, scorer.weights);
    assert.throws(() => loadSentenceScorer(path), (e: Error & { code?: string }) => e.code === 'MODEL_INVALID' && e.message.includes(path) && /expected 1048576/.test(e.message));
    assert.throws(() => loadSentenceScorer(join(dir, 'missing.bin')), (e: Error & { code?: string }) => e.code === 'MODEL_INVALID' && e.message.includes('missing.bin'));
  });

  it('ships both scorers with 2^18 weights', () => {
    assert.equal(BUNDLED_SCORER_HASH_BITS, 18);
    const scorers = loadBundledScorers();
    assert.equal(scorers.decision.weights.length, 2 ** 18);
    assert.equal(scorers.action.weights.length, 2 ** 18);
    assert.ok(BUNDLED_SCORER_FILES.decision.endsWith('decision-scorer.bin'));
  });
});

describe('combining scorers with the rules', () => {
  it('keeps a rule finding above KEEP and adds a sentence above ADD', () => {
    assert.ok(KEEP_THRESHOLD < ADD_THRESHOLD);
    assert.equal(combineWithRule(true, KEEP_THRESHOLD + 0.01), true);
    assert.equal(combineWithRule(true, KEEP_THRESHOLD - 0.01), false);
    assert.equal(combineWithRule(false, ADD_THRESHOLD - 0.01), false);
    assert.equal(combineWithRule(false, ADD_THRESHOLD + 0.01), true);
  });

  const meeting = sentencesOf([
    ['主持人', '大家好。'],
    ['主持人', '第三个议题是停车位。'],
    ['王芳', '现在访客经常停到员工车位。'],
    ['主持人', '访客车位留在东门。'],
    ['李强', '东门那边周末要不要也开放？'],
    ['主持人', '这个等物业回复了再说。'],
    ['主持人', '那就定在下周五上线。'],
    ['王芳', '好的。'],
  ]);

  const likely = (p: number): OutcomeScorers => ({ decision: biasOnlyScorer(p), action: biasOnlyScorer(0.01) });

  it('adds what a confident scorer finds, but not a question or a deferral unless the scorer is sure', () => {
    assert.ok(DECISION_ADD_THRESHOLD < 0.7 && 0.7 < SURE_DECISION_THRESHOLD && SURE_DECISION_THRESHOLD < 0.95);
    const rulesOnly = extractActionsAndDecisions(meeting, { meetingDate: '2026-03-02' });
    assert.ok(!rulesOnly.decisions.some((d) => d.text === '访客车位留在东门。'));
    const confident = extractActionsAndDecisions(meeting, { meetingDate: '2026-03-02', scorers: likely(0.7) }).decisions.map((d) => d.text);
    assert.ok(confident.includes('访客车位留在东门。'), confident.join(' | '));
    assert.ok(!confident.some((t) => t.includes('要不要') || t.includes('再说')), confident.join(' | '));
    const sure = extractActionsAndDecisions(meeting, { meetingDate: '2026-03-02', scorers: likely(0.95) }).decisions.map((d) => d.text);
    assert.ok(sure.some((t) => t.includes('再说')), sure.join(' | '));
    const unsure = extractActionsAndDecisions(meeting, { meetingDate: '2026-03-02', scorers: likely(DECISION_ADD_THRESHOLD - 0.05) }).decisions.map((d) => d.text);
    assert.ok(!unsure.includes('访客车位留在东门。'), unsure.join(' | '));
  });

  it('drops what the rules found when the scorer finds it unlikely, and leaves the rules alone without scorers', () => {
    const rulesOnly = extractActionsAndDecisions(meeting, { meetingDate: '2026-03-02' });
    assert.ok(rulesOnly.decisions.some((d) => d.text === '那就定在下周五上线。'));
    const vetoed = extractActionsAndDecisions(meeting, { meetingDate: '2026-03-02', scorers: constantScorers(-1, -1) });
    assert.deepEqual(vetoed.decisions, []);
    assert.deepEqual(vetoed.actionItems, []);
  });

  it('merges a reply the action scorer vetoes into the request it answers, with its owner and date (round 23)', () => {
    const lines: Array<[string, string]> = [
      ['主持人', '大家好。'],
      ['主持人', '先说供应商名单。'],
      ['王芳', '还差十二家没有回复。'],
      ['主持人', '小吴，剩下的你去联系一下。'],
      ['吴迪', '好的，我今天就发邮件。'],
      ['主持人', '好。'],
      ['王芳', '第二个议题是场地。'],
      ['主持人', '场地还在看。'],
    ];
    const sentences = sentencesOf(lines);
    // p = 0.3 for every sentence: what the rules found is kept (> KEEP), nothing is added (< ADD); but the reply, whose
    // 邮件 the scorer finds no task of its own.
    const action = biasOnlyScorer(0.3);
    action.weights[fnv1a('c2:邮件') & (action.weights.length - 1)] = -200;
    const scorers: OutcomeScorers = { decision: biasOnlyScorer(0.01), action };
    const { actionItems } = extractActionsAndDecisions(sentences, { meetingDate: '2026-03-02', scorers });
    assert.equal(actionItems.length, 1, actionItems.map((a) => a.text).join(' | '));
    assert.equal(actionItems[0]!.text, '小吴，剩下的你去联系一下。 好的，我今天就发邮件。');
    assert.equal(actionItems[0]!.owner, '吴迪');
    assert.equal(actionItems[0]!.due?.date, '2026-03-02');
  });

  it('leaves a transcript shorter than the meetings they were trained on to the rules', () => {
    const note = sentencesOf([[null, '经过讨论，我们决定下周一正式上线。'], [null, '张三负责在周五之前完成测试报告。']]);
    assert.ok(note.length < MIN_SENTENCES_FOR_SCORERS);
    const vetoing = extractActionsAndDecisions(note, { meetingDate: '2026-03-02', scorers: constantScorers(-1, -1) });
    assert.equal(vetoing.decisions.length, 1);
    assert.equal(vetoing.actionItems.length, 1);
  });
});

describe('training', () => {
  const toy = (lines: Array<[string, 'D' | '-']>): TrainingMeeting => {
    const sentences = sentencesOf(lines.map(([t]) => ['主持人', t]));
    return { sentences, keys: { decision: lines.filter(([, l]) => l === 'D').map(([t]) => t), action: [] } };
  };
  const meetings = [
    toy([['大家好，开始吧。', '-'], ['那就定在周五。', 'D'], ['天气不错。', '-'], ['方案就用第二个。', 'D']]),
    toy([['今天人不多。', '-'], ['预算就定在五万。', 'D'], ['谁有问题吗？', '-']]),
    toy([['那就用新的供应商。', 'D'], ['上周的情况说一下。', '-'], ['好的。', '-']]),
  ];

  it('is deterministic and learns what separates the positives', () => {
    const first = trainSentenceScorer(meetings, 'decision', { hashBits: 12 });
    const second = trainSentenceScorer(meetings, 'decision', { hashBits: 12 });
    assert.deepEqual(first.weights, second.weights);
    const unseen = sentencesOf([['主持人', '截止日期就定在月底。'], ['主持人', '会议室有点冷。']]);
    assert.ok(sentenceProbability(first, unseen, 0, '主持人') > sentenceProbability(first, unseen, 1, '主持人'));
  });

  it('the shipped scorers are what training on the annotated meetings (but the final held-out sets) gives (retrain after changing the data)', () => {
    const retrained = trainScorersWithout(loadAnnotatedMeetings(), []);
    const shipped = loadBundledScorers();
    for (const kind of ['decision', 'action'] as const) {
      let largest = 0;
      retrained[kind].weights.forEach((w, i) => (largest = Math.max(largest, Math.abs(w - shipped[kind].weights[i]!))));
      assert.ok(largest < 1e-3, `${kind}: largest weight difference ${largest}; run node --import tsx models/minutes/train-outcome-scorers.ts`);
    }
  });

  it('the training command writes both weight files and exits 0', () => {
    // Trained on the tuning split alone to keep it quick; the command once hung on its own import cycle (exit 13).
    const outDir = mkdtempSync(join(tmpdir(), 'tingxie-scorers-'));
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'models/minutes/train-outcome-scorers.ts', '--exclude', SPLITS.filter((s) => s !== 'tuning').join(','), '--out-dir', outDir], { encoding: 'utf8' });
    assert.match(output, /trained on \d+ meetings \(tuning\)/);
    for (const file of ['decision-scorer.bin', 'action-scorer.bin']) assert.equal(statSync(join(outDir, file)).size, 4 * 2 ** 18);
  });
});
