import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifySentence, extractActionsAndDecisions, findDueDate, findOwner, splitSentences } from '../../engine/src/minutes/index.ts';

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

/** Round 3: clause segmentation of unpunctuated ASR text, turn context, procedure, vote results. */
describe('round-3 rules', () => {
  const cls = (text: string, hasOwner = false, hasDue = false) => classifySentence(text, hasOwner, hasDue);

  it('reads a decision in one clause of an unpunctuated sentence whose last clause is a question', () => {
    assert.ok(cls('嗯 那就改成按周结算 下个月能切过去吗').decision);
    assert.ok(!cls('那就改成按周结算吗').decision);
  });

  it('takes a Chinese vote count as a decision and a show of hands as neither', () => {
    assert.ok(cls('七票赞成 两票反对 通过').decision);
    const call = cls('好 同意延期的请举手', false, false);
    assert.ok(!call.action && !call.decision);
  });

  it('finds 那X就用Y with the subject between 那 and 就, and the group plan 我们就…吧', () => {
    assert.ok(cls('那日志库就用ClickHouse。').decision);
    assert.ok(cls('那下周的培训我们就放在线上吧，大家注意时间').decision);
    assert.ok(!cls('那我们就先到这吧').decision);
  });

  it('does not take a meeting close for an acceptance', () => {
    assert.ok(!cls('好 那就这样 see you').decision);
    assert.ok(cls('行，那就这样定了').decision);
  });

  it('does not take meeting procedure for a task', () => {
    assert.ok(!cls("Right, I'll call this session of the council to order.", true).action);
    assert.ok(!cls("We'd like to take a motion on the new fee schedule.", true).action);
    assert.ok(!cls('Please do.', false).action);
    assert.ok(!cls('王伟你先介绍一下背景', true).action);
  });

  it('keeps a task when only a fallback after it is conditional, and a courtesy "if" is no condition', () => {
    assert.ok(cls('我明天再导一次数据，不行的话就手工补', true, true).action);
    assert.ok(!cls('如果明天还失败，我再导一次数据', true, true).action);
    assert.ok(cls('I can draft the FAQ if that helps.', true).action);
    assert.ok(!cls('If the vendor agrees, I can draft the FAQ.', true).action);
  });

  it('does not take a past measurement for a setting change, nor a text about something "麻烦" for a request', () => {
    assert.ok(!cls('换了算法以后，内存占用从八个G降到了三个G').decision);
    assert.ok(cls('内存上限降到三个G。').decision);
    assert.ok(!cls('这块迁移起来很麻烦，我们一般是直接重建').action);
  });

  it('reads an English decision inside a Chinese sentence', () => {
    assert.ok(cls("Let's push the release to next Tuesday，文档还没准备好").decision);
  });

  it('takes a constraint with its consequence for no task', () => {
    assert.ok(!cls('We need to renew the domain by June 3 or it expires.', false, true).action);
    assert.ok(cls('We need to renew the domain by June 3.', false, true).action);
  });
});

describe('round-3 owners and turns', () => {
  const owner = (text: string, speaker: string | null = '讲者'): string | null => findOwner(text, speaker, new Set(['讲者', '邓可', 'Omar']));

  it('finds owners in unpunctuated 我-sentences, name-你 assignments, own-team sentences and a vocative without comma', () => {
    assert.equal(owner('接口文档我周四能给到你'), '讲者');
    assert.equal(owner('好 邓可你回头把报价单整理一份'), '邓可');
    assert.equal(owner('那运维这边月底之前把证书换掉'), '讲者');
    assert.equal(owner('Omar you can book the room for Thursday', 'Lee'), 'Omar');
  });

  it('makes a Chinese deadline question and the yes of the one asked one task, owned by that person', () => {
    const sentences = splitSentences([
      { start: 0, end: 3, text: '行 那就改用灰度发布 周四之前能准备好吗', speaker: '甲' },
      { start: 3, end: 5, text: '周四应该没问题', speaker: '乙' },
    ]);
    const { actionItems, decisions } = extractActionsAndDecisions(sentences, { meetingDate: '2026-05-04' });
    assert.equal(decisions.length, 1);
    assert.deepEqual(actionItems.map((a) => [a.owner, a.due?.date ?? null]), [['乙', '2026-05-07']]);
    const hedged = splitSentences([
      { start: 0, end: 3, text: '周四之前能准备好吗', speaker: '甲' },
      { start: 3, end: 5, text: '一半可以，另一半不好说', speaker: '乙' },
    ]);
    assert.equal(extractActionsAndDecisions(hedged, { meetingDate: '2026-05-04' }).actionItems.length, 0);
  });

  it('joins an offer and the time its owner names after being asked when', () => {
    const sentences = splitSentences([
      { start: 0, end: 3, text: 'I can set up the sandbox for your team.', speaker: 'Ana' },
      { start: 3, end: 5, text: 'Great, can we do it on Wednesday?', speaker: 'Bo' },
      { start: 5, end: 7, text: "Wednesday works, I'll send a calendar hold.", speaker: 'Ana' },
    ]);
    const { actionItems } = extractActionsAndDecisions(sentences, { meetingDate: '2026-05-04' });
    assert.deepEqual(actionItems.map((a) => [a.owner, a.due?.date ?? null]), [['Ana', '2026-05-06']]);
  });
});

describe('round-4 rules', () => {
  const cls = (text: string, hasDue = false) => classifySentence(text, false, hasDue);

  it('takes a conclusive 就/先 statement that closes a discussion for a decision, in Chinese', () => {
    assert.ok(cls('那这样，预算先按八十万做。').decision);
    assert.ok(cls('好，这一期先不接支付宝。').decision);
    assert.ok(cls('OK 那 dashboard 就上').decision);
    assert.ok(cls('五个不够 那就加十个吧').decision);
    assert.ok(cls('先用飞书吧 别的以后再说').decision);
    assert.ok(cls('对，接口先按老版本走。').decision);
  });

  it('does not take a person\'s own step, a condition, a closer, a question or a vote call for one', () => {
    assert.ok(!cls('那我先做一版给大家看').decision);
    assert.ok(!cls('如果来不及，那就先不上').decision);
    assert.ok(!cls('那就先这样吧').decision);
    assert.ok(!cls('那就加五个吗').decision);
    assert.ok(!cls('对，他就上来了。').decision);
    assert.ok(!cls('好，那就这个方案投票。').decision);
    // 决定 with an interrogative object is an ordinary verb, not a decision.
    assert.ok(!cls('我们根据负载决定用哪个节点。').decision);
  });

  it('reads English resolutions: "Then we …", "So let\'s do …", "X it is" mid-sentence, "is carried/accepted"', () => {
    assert.ok(cls('Then we ship the beta on Monday and collect feedback.').decision);
    assert.ok(cls("So let's do the migration in two phases.").decision);
    assert.ok(cls('Okay, so Figma it is, and we revisit in Q3.').decision);
    assert.ok(cls('The motion is carried.').decision);
    assert.ok(cls('The Acme offer is accepted.').decision);
    assert.ok(!cls('So we looked at three vendors.').decision);
    assert.ok(!cls('Then we need to talk to legal.').decision);
    assert.ok(!cls("Then let's do the introductions.").decision);
  });

  it('reads an unpunctuated English question from its word order', () => {
    assert.ok(!cls('ok that works do we need a contract for that', true).action);
    assert.ok(!cls('so from now on should we keep the old plan').decision);
    // Punctuated text marks its own questions: the same words with a full stop are a statement.
    assert.ok(cls('From now on we keep the old plan.').decision);
  });

  it('does not take a request done during the call for a task, unless it is for later', () => {
    assert.ok(!cls('请张伟介绍一下背景。').action);
    assert.ok(!cls('麻烦您说一下手机号').action);
    assert.ok(!cls('let me check the logs').action);
    assert.ok(cls('麻烦你明天把报告发给我', true).action);
    assert.ok(cls('let me check with finance and get back to you next week', true).action);
    // 请了 is hiring or inviting, done already.
    assert.ok(!cls('培训请了两个顾问。').action);
  });

  it('merges a question-form request and the yes of the one asked, owned by that person with the time they name', () => {
    const sentences = splitSentences([
      { start: 0, end: 3, text: 'Dana, you know the venue, could you book the room?', speaker: 'Ivo' },
      { start: 3, end: 5, text: "Sure, I'll call them on Monday.", speaker: 'Dana' },
    ]);
    const { actionItems } = extractActionsAndDecisions(sentences, { meetingDate: '2026-05-06' });
    assert.deepEqual(actionItems.map((a) => [a.owner, a.due?.date ?? null, a.start]), [['Dana', '2026-05-11', 0]]);
  });

  it('finds a participant addressed before an imperative, with a space for the comma, or after a topic', () => {
    const speakers = new Set(['孙悦', '钱立', 'Ada']);
    assert.equal(findOwner('孙悦，报价单周三前发给客户。', '钱立', speakers), '孙悦');
    assert.equal(findOwner('Ada 你帮忙把日志发给供应商', '钱立', speakers), 'Ada');
    assert.equal(findOwner('那就这样，周报孙悦汇总一下，周五发出来。', '钱立', speakers), '孙悦');
    assert.equal(findOwner('那就定三家，名单钱立你和孙悦再过一遍，月底前定下来。', 'Ada', speakers), '钱立');
    // The one something is sent to is not its owner.
    assert.equal(findOwner('报价单发给孙悦确认一下。', null, speakers), null);
  });

  it('takes the due date from the task, not from an earlier clause that is negated or undecided', () => {
    const itemsOf = (text: string, speaker: string) =>
      extractActionsAndDecisions(splitSentences([{ start: 0, end: 4, text, speaker }]), { meetingDate: '2026-05-06' }).actionItems.map((a) => [a.owner, a.due?.date ?? null]);
    assert.deepEqual(itemsOf('价格这周先不谈了 等报价回来再说 孙悦你下次开会前把对比表补全', '钱立'), [['孙悦', null]]);
    // A time in an earlier clause of the task's own course still counts.
    assert.deepEqual(itemsOf('我明天就改 改完跟测试确认一下', '孙悦'), [['孙悦', '2026-05-07']]);
    assert.deepEqual(itemsOf('下周五之前，孙悦你把对比表补全', '钱立'), [['孙悦', '2026-05-15']]);
  });
});
