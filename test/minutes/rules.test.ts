import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifySentence, extractActionsAndDecisions, findDueDate, splitSentences } from '../../engine/src/minutes/index.ts';

/** The general cue and guard rules of engine/src/minutes/extract.ts, on sentences written for this test only. */
describe('decision rules', () => {
  const decides = (text: string, hasDue = false): boolean => classifySentence(text, false, hasDue).decision;

  it('finds decisions stated without a decision word', () => {
    assert.ok(decides('那统一用UTC时间。'));
    assert.ok(decides('接口字段以产品文档为准。'));
    assert.ok(decides('单次报销上限调到两千。'));
    assert.ok(decides('以后所有合并请求都要两个人评审。'));
    assert.ok(decides('评审会排在下周二。', true));
    assert.ok(decides('Alright, Postgres it is.'));
    assert.ok(decides("Let's limit the beta to fifty customers."));
    assert.ok(decides("We're not renewing the old support plan."));
    assert.ok(decides('From now on, every release gets a changelog entry.'));
  });

  it('does not take meeting procedure, hedges, questions, past reports or a helper clause for a decision', () => {
    assert.ok(!decides("Let's go through the budget first."));
    assert.ok(!decides("Let's talk about it next week."));
    assert.ok(!decides('We will probably switch vendors next year.'));
    assert.ok(!decides('那统一用UTC时间吗？'));
    assert.ok(!decides('上个月已经统一用UTC时间了。'));
    assert.ok(!decides('单次报销上限可能调到两千。'));
    // The setting changed and the work assigned in one sentence: the assignment is the outcome.
    assert.ok(!decides('超时调到三十秒，王刚负责改。'));
  });

  it('makes one decision of a proposal and its acceptance by another speaker', () => {
    const sentences = splitSentences([
      { start: 0, end: 3, text: '周会改到周二上午吧。', speaker: '甲' },
      { start: 4, end: 6, text: '可以，就周二上午。', speaker: '乙' },
    ]);
    const { decisions } = extractActionsAndDecisions(sentences, { meetingDate: '2026-01-05' });
    assert.deepEqual(decisions.map((d) => [d.text, d.start, d.speaker]), [['周会改到周二上午吧。 可以，就周二上午。', 0, '乙']]);
  });

  it('keeps a decision cut at a semicolon whole', () => {
    const sentences = splitSentences([{ start: 0, end: 5, text: "We're not porting the legacy reports; we'll keep them read-only.", speaker: 'A' }]);
    const { decisions } = extractActionsAndDecisions(sentences, { meetingDate: null });
    assert.equal(decisions.length, 1);
    assert.match(decisions[0]!.text, /legacy reports; we'll keep them/);
  });
});

describe('action rules', () => {
  const acts = (text: string, hasOwner: boolean, hasDue: boolean): boolean => classifySentence(text, hasOwner, hasDue).action;

  it('reads an indirect question as a task, a direct one not', () => {
    assert.ok(acts('我明天去问问供应商能不能提前发货。', true, true));
    assert.ok(!acts('我们能不能提前发货？', false, false));
  });

  it('reads English commitments inside a Chinese sentence', () => {
    assert.ok(acts('这个我还要确认，I will send you the numbers by Thursday.', true, true));
    const sentences = splitSentences([{ start: 0, end: 4, text: '这个我还要确认，I will send you the numbers by Thursday.', speaker: '林' }]);
    const { actionItems } = extractActionsAndDecisions(sentences, { meetingDate: '2026-02-02' });
    assert.deepEqual(actionItems.map((a) => [a.owner, a.due?.date ?? null]), [['林', '2026-02-05']]);
  });

  it('takes a person and a time as a Chinese task, but not the agenda or a conditional offer', () => {
    assert.ok(acts('那我周四上午把机房巡检一遍。', true, true));
    assert.ok(!acts('今天主要过一下上个月的账。', false, true));
    assert.ok(!acts('有问题可以会后找我。', false, false));
  });

  it('does not take "a follow-up" (the meeting) for "follow up" (the task)', () => {
    assert.ok(!acts("Let's keep it short and move details to a follow-up.", false, false));
    assert.ok(acts('Sam will follow up with finance.', true, false));
  });

  it('merges a request with the reply of the person asked, keeping the deadline asked for', () => {
    const sentences = splitSentences([
      { start: 0, end: 3, text: 'Nora, can you book the venue by Friday?', speaker: 'Sam' },
      { start: 4, end: 6, text: "Sure, I'll call them this afternoon today.", speaker: 'Nora' },
    ]);
    const { actionItems } = extractActionsAndDecisions(sentences, { meetingDate: '2026-03-02' });
    assert.equal(actionItems.length, 1);
    assert.equal(actionItems[0]!.owner, 'Nora');
    assert.equal(actionItems[0]!.due?.date, '2026-03-06');
  });
});

describe('due dates', () => {
  it("does not read a possessive (today's notes) as a deadline", () => {
    assert.equal(findDueDate("Please circulate today's notes.", '2026-03-02'), null);
    assert.equal(findDueDate('Please circulate the notes today.', '2026-03-02')?.date, '2026-03-02');
  });
});
