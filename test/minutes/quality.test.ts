import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OutcomeScorers } from '../../engine/src/minutes/index.ts';
import { FINAL_HELD_OUT, READ_SPLITS, SPLITS, loadAnnotatedMeetings, trainScorersWithout, precisionRecall, scoreMeeting, sumScores, type MeetingScore, type Totals } from './evaluate.ts';

const meetings = loadAnnotatedMeetings();
const namesOf = (split: string): string[] => meetings.filter((m) => m.split === split).map((m) => m.name);

function figures(totals: Totals): string {
  const a = precisionRecall(totals.actions);
  const d = precisionRecall(totals.decisions);
  return `actions P ${a.precision.toFixed(2)} R ${a.recall.toFixed(2)}, decisions P ${d.precision.toFixed(2)} R ${d.recall.toFixed(2)}`;
}

async function scoresOf(names?: readonly string[], scorers?: OutcomeScorers | null): Promise<MeetingScore[]> {
  const chosen = names ? meetings.filter((m) => names.includes(m.name)) : meetings;
  return Promise.all(chosen.map((m) => scoreMeeting(m, scorers)));
}

/**
 * Scorers trained on every split but holdout-9…14: what the learned part knows without having seen them. Trained once
 * for all six (until round 22 once per split; at 2^18 weights six trainings took ten minutes of the test run).
 */
const learnedSplits = ['holdout-9', 'holdout-10', 'holdout-11', 'holdout-12', 'holdout-13', 'holdout-14'];
let trainedWithoutLearned: OutcomeScorers | undefined;
function scorersWithoutLearned(): OutcomeScorers {
  trainedWithoutLearned ??= trainScorersWithout(meetings, learnedSplits);
  return trainedWithoutLearned;
}

describe('annotated meetings', () => {
  it('has at least 10 Chinese, 5 English and a mixed meeting, some without action items', () => {
    assert.ok(meetings.filter((m) => m.language === 'zh').length >= 10);
    assert.ok(meetings.filter((m) => m.language === 'en').length >= 5);
    assert.ok(meetings.some((m) => m.language === 'mixed'));
    assert.ok(meetings.filter((m) => m.expected.actionItems.length === 0).length >= 2);
  });

  it('has a fresh split (never tuned on): 3 zh, 2 en, 1 mixed, one without action items', () => {
    const fresh = meetings.filter((m) => m.split === 'fresh');
    assert.equal(fresh.filter((m) => m.language === 'zh').length, 3);
    assert.equal(fresh.filter((m) => m.language === 'en').length, 2);
    assert.equal(fresh.filter((m) => m.language === 'mixed').length, 1);
    assert.ok(fresh.some((m) => m.expected.actionItems.length === 0));
  });

  it('has a holdout-2 split (written after round 2, read in round 3): ≥ 3 zh, ≥ 2 en, a mixed one, one without outcomes', () => {
    const held = meetings.filter((m) => m.split === 'holdout-2');
    assert.ok(held.filter((m) => m.language === 'zh').length >= 3);
    assert.ok(held.filter((m) => m.language === 'en').length >= 2);
    assert.ok(held.some((m) => m.language === 'mixed'));
    assert.ok(held.some((m) => m.expected.actionItems.length === 0 && m.expected.decisions.length === 0));
  });

  it('has a holdout-3 split (written before the round-3 rule changes, read in round 4): ≥ 4 zh, ≥ 3 en, a mixed one, one without outcomes', () => {
    const held = meetings.filter((m) => m.split === 'holdout-3');
    assert.ok(held.length >= 8);
    assert.ok(held.filter((m) => m.language === 'zh').length >= 4);
    assert.ok(held.filter((m) => m.language === 'en').length >= 3);
    assert.ok(held.some((m) => m.language === 'mixed'));
    assert.ok(held.some((m) => m.expected.actionItems.length === 0 && m.expected.decisions.length === 0));
  });

  it('has a holdout-4 split (an annotator who never saw the rules): ≥ 5 zh, ≥ 3 en, ≥ 2 mixed, one without outcomes', () => {
    const held = meetings.filter((m) => m.split === 'holdout-4');
    assert.ok(held.length >= 10);
    assert.ok(held.filter((m) => m.language === 'zh').length >= 5);
    assert.ok(held.filter((m) => m.language === 'en').length >= 3);
    assert.ok(held.filter((m) => m.language === 'mixed').length >= 2);
    assert.ok(held.some((m) => m.expected.actionItems.length === 0 && m.expected.decisions.length === 0));
  });

  it('has a holdout-5 split (an annotator who never read the rules): ≥ 5 zh, ≥ 3 en, ≥ 2 mixed, one without outcomes', () => {
    const held = meetings.filter((m) => m.split === 'holdout-5');
    assert.ok(held.length >= 10);
    assert.ok(held.filter((m) => m.language === 'zh').length >= 5);
    assert.ok(held.filter((m) => m.language === 'en').length >= 3);
    assert.ok(held.filter((m) => m.language === 'mixed').length >= 2);
    assert.ok(held.some((m) => m.expected.actionItems.length === 0 && m.expected.decisions.length === 0));
  });

  it('has a holdout-6 split (an annotator who read only the guidelines and three examples): ≥ 6 zh, ≥ 4 en, ≥ 2 mixed', () => {
    const held = meetings.filter((m) => m.split === 'holdout-6');
    assert.ok(held.length >= 12);
    assert.ok(held.filter((m) => m.language === 'zh').length >= 6);
    assert.ok(held.filter((m) => m.language === 'en').length >= 4);
    assert.ok(held.filter((m) => m.language === 'mixed').length >= 2);
  });

  it('has a holdout-7 split (an annotator who read only the guidelines and three examples): ≥ 6 zh, ≥ 4 en, ≥ 2 mixed', () => {
    const held = meetings.filter((m) => m.split === 'holdout-7');
    assert.ok(held.length >= 12);
    assert.ok(held.filter((m) => m.language === 'zh').length >= 6);
    assert.ok(held.filter((m) => m.language === 'en').length >= 4);
    assert.ok(held.filter((m) => m.language === 'mixed').length >= 2);
  });

  it('has a holdout-8 split (an annotator who read only the guidelines and three examples): ≥ 6 zh, ≥ 4 en, ≥ 2 mixed, one without outcomes', () => {
    const held = meetings.filter((m) => m.split === 'holdout-8');
    assert.ok(held.length >= 12);
    assert.ok(held.filter((m) => m.language === 'zh').length >= 6);
    assert.ok(held.filter((m) => m.language === 'en').length >= 4);
    assert.ok(held.filter((m) => m.language === 'mixed').length >= 2);
    assert.ok(held.some((m) => m.expected.actionItems.length === 0 && m.expected.decisions.length === 0));
  });

  it('has a holdout-9 split (an annotator who read only the guidelines and three examples): ≥ 6 zh, ≥ 4 en, ≥ 2 mixed, one without outcomes', () => {
    const held = meetings.filter((m) => m.split === 'holdout-9');
    assert.ok(held.length >= 12);
    assert.ok(held.filter((m) => m.language === 'zh').length >= 6);
    assert.ok(held.filter((m) => m.language === 'en').length >= 4);
    assert.ok(held.filter((m) => m.language === 'mixed').length >= 2);
    assert.ok(held.some((m) => m.expected.actionItems.length === 0 && m.expected.decisions.length === 0));
  });

  for (const split of SPLITS.slice(SPLITS.indexOf('holdout-10'))) {
    it(`has a ${split} split (two annotators who read only the guidelines and three examples): ≥ 10 zh, ≥ 6 en, ≥ 2 mixed, one without outcomes`, () => {
      const held = meetings.filter((m) => m.split === split);
      assert.ok(held.length >= 20);
      assert.ok(held.filter((m) => m.language === 'zh').length >= 10);
      assert.ok(held.filter((m) => m.language === 'en').length >= 6);
      assert.ok(held.filter((m) => m.language === 'mixed').length >= 2);
      assert.ok(held.some((m) => m.expected.actionItems.length === 0 && m.expected.decisions.length === 0));
    });
  }

  it('every meeting belongs to a known split', () => {
    for (const meeting of meetings) assert.ok((SPLITS as readonly string[]).includes(meeting.split), `${meeting.name}: split ${meeting.split}`);
  });

  it('reports every split and all (figures in the test output)', async (t) => {
    for (const split of [...SPLITS, 'all']) {
      const totals = sumScores(await scoresOf(split === 'all' ? undefined : namesOf(split)));
      t.diagnostic(`${split}: ${figures(totals)}`);
    }
  });

  // Every split below was read while the rules were written (fresh in round 2, holdout-2…holdout-21 in rounds 3–16),
  // and the shipped scorers were trained on all of them, so meeting the target here shows the extractor covers them,
  // not that it generalizes: the leave-one-split-out and final held-out tests below say that.
  for (const split of READ_SPLITS) {
    it(`reaches the target (precision and recall ≥ 0.8 for action items and decisions) over the ${split} meetings (read, trained on)`, async () => {
      const totals = sumScores(await scoresOf(namesOf(split)));
      const actions = precisionRecall(totals.actions);
      const decisions = precisionRecall(totals.decisions);
      assert.ok(actions.precision >= 0.8, `action precision ${actions.precision}`);
      assert.ok(actions.recall >= 0.8, `action recall ${actions.recall}`);
      assert.ok(decisions.precision >= 0.8, `decision precision ${decisions.precision}`);
      assert.ok(decisions.recall >= 0.8, `decision recall ${decisions.recall}`);
      // Owner and due date of matched action items.
      assert.ok(totals.ownerCorrect / totals.actions.matched >= 0.8);
      assert.ok(totals.dueCorrect / totals.actions.matched >= 0.8);
    });
  }

  // The learned part on meetings it was not trained on: holdout-9…holdout-14, scored with scorers trained on every
  // other split (the rules have read them, so this is not an unseen estimate; the final held-out sets below are).
  // 2026-12-03, round 23: actions P 0.95 R 0.92, decisions P 0.87 (342/393) R 0.88 (342/389); in round 22, with
  // scorers trained once per split, decisions were P 0.81 R 0.77.
  it('scorers trained without holdout-9…14, on them: actions and decisions reach the target', async () => {
    const scores: MeetingScore[] = [];
    scores.push(...(await scoresOf(learnedSplits.flatMap(namesOf), scorersWithoutLearned())));
    const totals = sumScores(scores);
    const actions = precisionRecall(totals.actions);
    const decisions = precisionRecall(totals.decisions);
    assert.ok(actions.precision >= 0.8 && actions.recall >= 0.8, `actions P ${actions.precision} R ${actions.recall}`);
    assert.ok(decisions.precision >= 0.8 && decisions.recall >= 0.8, `decisions P ${decisions.precision} R ${decisions.recall}`);
  });

  // The final held-out sets (FINAL_HELD_OUT: holdout-68…79, 240 meetings by 24 annotators), never read, never trained
  // on. holdout-68…73 were written while round 23 was made and scored after it (2026-12-03: actions P 0.90 R 0.91,
  // decisions P 0.83 (362/437) R 0.81 (362/446); the later reply fix changed only owners and dates); holdout-74…79 were
  // written after it, and the shipped extractor scored once on them as a confirmation: actions P 0.89 (404/452) R 0.89
  // (404/453), decisions P 0.83 (373/451) R 0.85 (373/441). All 240: actions P 0.90 R 0.90, decisions P 0.83 (735/888)
  // R 0.83 (735/887).
  it('final held-out sets (unseen): actions and decisions reach the target (precision and recall ≥ 0.8)', async () => {
    const totals = sumScores(await scoresOf(FINAL_HELD_OUT.flatMap(namesOf)));
    assert.ok(totals.actions.expected >= 800 && totals.decisions.expected >= 800);
    const actions = precisionRecall(totals.actions);
    const decisions = precisionRecall(totals.decisions);
    assert.ok(actions.precision >= 0.8 && actions.recall >= 0.8, `actions P ${actions.precision} R ${actions.recall}`);
    assert.ok(decisions.precision >= 0.8 && decisions.recall >= 0.8, `decisions P ${decisions.precision} R ${decisions.recall}`);
  });

  it('the rules alone on holdout-9…14 do worse than with the scorers (what the learned part adds)', async () => {
    const rules = sumScores(await scoresOf(learnedSplits.flatMap(namesOf), null));
    const scores: MeetingScore[] = [];
    scores.push(...(await scoresOf(learnedSplits.flatMap(namesOf), scorersWithoutLearned())));
    const combined = sumScores(scores);
    const f1 = (t: Totals['decisions']): number => (2 * t.matched) / (t.predicted + t.expected);
    assert.ok(f1(combined.decisions) > f1(rules.decisions), `decisions F1 ${f1(combined.decisions)} vs rules ${f1(rules.decisions)}`);
    assert.ok(f1(combined.actions) > f1(rules.actions), `actions F1 ${f1(combined.actions)} vs rules ${f1(rules.actions)}`);
  });

  it('extracts nothing from meetings without outcomes', async () => {
    for (const score of await scoresOf(['zh05-nothing', 'zh10-chat'])) {
      assert.equal(score.minutes.actionItems.length, 0, score.name);
      assert.equal(score.minutes.decisions.length, 0, score.name);
    }
  });
});

describe('hand-checked meetings', () => {
  it('zh01 standup: owners, resolved due dates, guards against question, negation, past and hypothetical', async () => {
    const [score] = await scoresOf(['zh01-standup']);
    const items = score!.minutes.actionItems;
    assert.deepEqual(
      items.map((a) => [a.owner, a.due?.date ?? null, a.due?.text ?? null]),
      [
        ['陈晨', '2025-03-13', '明天'],
        ['李娜', '2025-03-19', '下周三'],
      ],
    );
    assert.equal(items[0]!.speaker, '陈晨');
    assert.ok(items[0]!.start > 0 && items[0]!.end > items[0]!.start);
    const texts = [...items, ...score!.minutes.decisions].map((x) => x.text).join('\n');
    assert.doesNotMatch(texts, /是不是需要|上周已经完成|如果压测不通过/);
    assert.deepEqual(score!.minutes.decisions.map((d) => d.text), ['那就先不加。', '另外，上线时间我们定下来了，就定在下周五。']);
  });

  it('zh06 ops: year rollover of 1月3号 and 下下周一, owner from 我来 and 请郭静', async () => {
    const [score] = await scoresOf(['zh06-ops']);
    assert.deepEqual(
      score!.minutes.actionItems.map((a) => [a.owner, a.due?.date ?? null]),
      [
        ['郭静', '2026-01-03'],
        ['何伟', '2026-01-12'],
        ['郭静', '2025-12-30'],
      ],
    );
  });

  it('en03 planning: "we already decided last week" is not a decision; let\'s go with is', async () => {
    const [score] = await scoresOf(['en03-planning']);
    assert.deepEqual(score!.minutes.decisions.map((d) => d.text), ['Then let\'s go with SAML first and add OIDC later.']);
    assert.deepEqual(
      score!.minutes.actionItems.map((a) => [a.owner, a.due?.date ?? null]),
      [
        ['Raj', null],
        ['Raj', '2025-06-16'],
        ['Lucy', '2025-06-13'],
      ],
    );
  });

  it('zh04 customer call: a request and its acceptance become one item owned by the one who accepted', async () => {
    const [score] = await scoresOf(['zh04-customer']);
    const contract = score!.minutes.actionItems.find((a) => a.text.includes('合同'));
    assert.ok(contract);
    assert.equal(contract.owner, '客户经理');
    assert.equal(contract.due?.date, '2025-09-06');
    assert.equal(score!.minutes.actionItems.filter((a) => a.text.includes('合同')).length, 1);
  });
});
