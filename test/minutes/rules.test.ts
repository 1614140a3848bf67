import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { biasOnlyScorer } from './scorer-fixtures.ts';
import { classifySentence, extractActionsAndDecisions, findDueDate, findOwner, joinSpacedCharacters, resolveParticipant, splitSentences, type OutcomeScorers } from '../../engine/src/minutes/index.ts';

/** Whether the chair's sentence is read as a decision by the rules alone. */
const chairSays = (text: string): boolean => classifySentence(text, false, false, false, false, true).decision;
/**
 * Scorers that find every sentence a likely decision (p = 0.7: above DECISION_ADD_THRESHOLD, below
 * SURE_DECISION_THRESHOLD) and no sentence a task: what the bars keep a scorer from adding.
 */
const always: OutcomeScorers = { decision: biasOnlyScorer(0.7), action: biasOnlyScorer(0.01) };
/** A meeting given as [speaker, text] lines 5 s apart (speaker null: no label), extracted as held on `meetingDate`. */
const extractFrom = (lines: ReadonlyArray<readonly [string | null, string]>, scorers?: OutcomeScorers, meetingDate = '2027-10-12') =>
  extractActionsAndDecisions(splitSentences(lines.map(([speaker, text], i) => ({ start: i * 5, end: i * 5 + 4, text, ...(speaker === null ? {} : { speaker }) }))), { meetingDate, scorers });
/** The decisions listed with `always` when `speaker` says every line. */
const decisionsSaidBy = (speaker: string, lines: readonly string[], meetingDate?: string): string[] =>
  extractFrom(lines.map((text) => [speaker, text] as const), always, meetingDate).decisions.map((d) => d.text);

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

/** Round 5: general precision guards and cue-less forms, on sentences written for this test only. */
describe('round-5 rules', () => {
  const cls = (text: string, hasOwner = false, hasDue = false) => classifySentence(text, hasOwner, hasDue);
  const run = (segments: Array<{ text: string; speaker: string | null }>, meetingDate: string | null = '2027-03-01') =>
    extractActionsAndDecisions(splitSentences(segments.map((s, i) => ({ start: i * 5, end: i * 5 + 4, ...s }))), { meetingDate });

  it('does not take agenda lines, hand-overs or reminders said now for tasks', () => {
    assert.equal(cls('今天的议程是这样：先由我讲预算，然后小周讲招聘。', true, false).action, false);
    assert.equal(cls('好，接下来请市场部介绍一下活动方案。').action, false);
    assert.equal(cls('好，下面请李航。').action, false);
    assert.equal(cls('Priya, go ahead.').action, false);
    assert.equal(cls('需要提醒一下，下周三是开放日，具体安排园方会另行通知。', false, true).action, false);
    assert.equal(cls('First, open bugs.').action, false);
  });

  it('does not take opinions, apologies, proposals, nouns or leave requests for tasks', () => {
    assert.equal(cls('我觉得一个月一次挺合适，现在每周都要准备周报，负担不小。', false, true).action, false);
    assert.equal(cls('上周停电两个小时，给大家添了不少麻烦，我再道个歉。').action, false);
    assert.equal(cls('我建议下个月之前重新核一遍库存。', false, true).action, false);
    assert.equal(cls('西区业绩最好，主要是因为换了负责人。').action, false);
    assert.equal(cls('我月底想请三天假回家一趟。', true, true).action, false);
    assert.equal(cls('供应商申请延期两周交货。', false, true).action, false);
  });

  it('reads a restated earlier decision as neither a decision nor a task', () => {
    const c = cls('嗯 这个我清楚 上周例会已经定了 从八月开始值班改成三天一轮', false, true);
    assert.deepEqual([c.action, c.decision], [false, false]);
    assert.equal(cls('Legal signed off on the wording last Tuesday.').decision, false);
  });

  it('does not decide on a goal for others, a proposal asking for views, a vote being called or a counter-offer', () => {
    assert.equal(cls('运维那边在压缩成本，目标是明年降到八成以内。').decision, false);
    assert.equal(cls('我的想法是改成一个月一次，大家觉得怎么样？').decision, false);
    assert.equal(cls('好，那就按审计部的意见办，大家表决。').decision, false);
    assert.equal(cls('三个点的折扣我们可以接受，但交期要提前到五月。').decision, false);
    assert.equal(cls('场地还在和酒店谈，定下来以后会再通知大家。').decision, false);
    assert.equal(cls('我希望每个小组在周五之前把分工定下来。').decision, false);
  });

  it('finds decisions stated without a cue word', () => {
    assert.equal(cls('西门那个仓库就不租了').decision, true);
    assert.equal(cls('积分活动先别上 一上就撤不回来').decision, true);
    assert.equal(cls('第二项议案通过。').decision, true);
    assert.equal(cls('报价这块我们先这样定。').decision, true);
    assert.equal(cls('保洁就交给物业公司来做。').decision, true);
    assert.equal(cls('另外 嗯 以后每周五下班前 组长要在群里发周报').decision, true);
    assert.equal(cls('Fine, we drop it, and the report moves to next sprint.').decision, true);
    assert.equal(cls("we're reverting the config change now").decision, true);
    assert.equal(cls('Okay, hiring freeze on contractors until the audit closes.').decision, true);
    assert.equal(cls("so from this month nothing ships to production unless it has a rollback plan").decision, true);
    assert.equal(cls("That's fine, we can extend the trial.").decision, true);
    assert.equal(cls("Let's keep the call open for ten more minutes.").decision, false);
  });

  it('reads a standing rule voiced as an obligation of a role as a decision, not a task', () => {
    const c = cls('以后每个仓每天下班前 仓管要在群里发盘点表 从下周开始', false, true);
    assert.deepEqual([c.decision, c.action], [true, false]);
  });

  it('finds tasks addressed to 你 or to a named participant without punctuation', () => {
    const named = run([{ text: '人事科赵兰 你写个招聘说明 这周四之前交上来', speaker: null }]);
    assert.deepEqual(named.actionItems.map((a) => [a.owner, a.due?.date]), [['赵兰', '2027-03-04']]);
    const pair = run([
      { text: '你下周一之前写个迁移方案', speaker: '周岚' },
      { text: '好 没问题', speaker: 'Omar' },
    ]);
    assert.deepEqual(pair.actionItems.map((a) => a.owner), ['Omar']);
    const lower = run([
      { text: 'yeah nina send the draft to finance before friday', speaker: 'Paul' },
      { text: 'nina you want to go first', speaker: 'Paul' },
      { text: 'sure', speaker: 'Nina' },
    ]);
    assert.deepEqual(lower.actionItems.map((a) => a.owner), ['Nina']);
    assert.equal(run([{ text: 'okay everybody update your tickets by wednesday', speaker: 'Ann' }]).actionItems.length, 1);
    assert.equal(run([{ text: 'OK everybody keep it short', speaker: 'Ann' }]).actionItems.length, 0);
  });

  it('folds the yes of the one asked into the request: one task, owned by the replier', () => {
    const zh = run([
      { text: '你先把 那个 新店的排班表做一下', speaker: '郭敏' },
      { text: '好 那我周三之前弄完', speaker: '丁一' },
    ]);
    assert.deepEqual(zh.actionItems.map((a) => [a.owner, a.due?.date, a.text.includes('排班表')]), [['丁一', '2027-03-03', true]]);
    const en = run([
      { text: 'i think you should talk to their cto this week can you set that up', speaker: 'Dana' },
      { text: "yeah i'll ask my contact there", speaker: 'Max' },
    ]);
    assert.deepEqual(en.actionItems.map((a) => a.owner), ['Max']);
  });

  it('reads a yes to another speaker\u2019s question, then what it settles, as one decision', () => {
    const { decisions } = run([
      { text: '人手不够 能不能从总部再借两个人', speaker: '甲' },
      { text: '可以 那每个店再加一个临时工 先试两周', speaker: '乙' },
    ]);
    assert.equal(decisions.length, 1);
    assert.match(decisions[0]!.text, /能不能.*每个店再加一个临时工/u);
  });

  it('keeps a bare "Agreed." together with the decision it introduces', () => {
    const { decisions } = run([{ text: "Agreed. Let's make the import a separate ticket.", speaker: null }]);
    assert.deepEqual(decisions.map((d) => d.text), ["Let's make the import a separate ticket."]);
  });
});

describe('round-6 decision rules', () => {
  const decides = (text: string, chair = false, hasDue = false): boolean => classifySentence(text, false, hasDue, hasDue, false, chair).decision;
  const run = (segments: Array<{ text: string; speaker: string | null }>, meetingDate: string | null = '2027-05-03') =>
    extractActionsAndDecisions(splitSentences(segments.map((s, i) => ({ start: i * 5, end: i * 5 + 4, ...s }))), { meetingDate });

  it('reads a state-setting statement by the chair as a resolution, and the same words from another speaker as not', () => {
    assert.equal(decides('仓储系统作为今年的重点项目，人手优先保证。', true), true);
    assert.equal(decides('仓储系统作为今年的重点项目，人手优先保证。', false), false);
    assert.equal(decides('我们先给两个名额，下半年再看。', true), true);
    const chaired = run([
      { text: '今天看一下三个系统的排期。', speaker: '主持' },
      { text: '仓储系统作为今年的重点项目，人手优先保证。', speaker: '组员' },
      { text: '排期我再核一下。', speaker: '主持' },
      { text: '报表系统作为明年的项目，今年不排人。', speaker: '主持' },
    ]);
    assert.deepEqual(chaired.decisions.map((d) => d.text), ['报表系统作为明年的项目，今年不排人。']);
  });

  it('reads a state-setting statement opened by a closing marker as a resolution without a chair, but not one confirmed with 对', () => {
    assert.equal(decides('那这样 旧楼先不动 东门的出口改成单向通行'), true);
    assert.equal(decides('那就申请延期复核。'), true);
    assert.equal(decides('对 改成北京大成科技有限公司'), false);
  });

  it('does not resolve with a person subject, a question, a condition or a past change', () => {
    assert.equal(decides('我先给财务打个电话。', true), false);
    assert.equal(decides('报销周期改成月结吗？', true), false);
    assert.equal(decides('如果审计通过的话，报销周期改成月结。', true), false);
    assert.equal(decides('上个月已经改成月结了。', true), false);
  });

  it('finds a restored setting, a funding source, a stance by the chair and an item passed or failed by its number', () => {
    assert.equal(decides('温控阈值恢复到六十度。'), true);
    assert.equal(decides('培训的费用从部门经费里出。'), true);
    assert.equal(decides('培训的费用从哪里出？'), false);
    assert.equal(decides('我们的态度是不接受赔偿条款的修改。', true), true);
    assert.equal(decides('我们的态度是不接受赔偿条款的修改。', false), false);
    assert.equal(decides('第三项通过。'), true);
    assert.equal(decides('第二项不通过，下个季度可以重新提交。'), true);
    assert.equal(decides('那我们就 go with 第二版，颜色再调一下。'), true);
  });

  it('finds a standing rule whose time phrase or topic is set off by a comma', () => {
    assert.equal(decides('从这个月开始，所有采购单都必须两人审批。'), true);
    assert.equal(decides('以后新供应商入库，采购部必须先做现场审核，否则不签合同。'), true);
  });

  it('takes the outcome after a vote count as the decision, and keeps a count that no outcome follows', () => {
    const zh = run([
      { text: '七票同意，两票反对。', speaker: '秘书' },
      { text: '第一项通过，新的排班制度下月起执行。', speaker: '主任' },
    ]);
    assert.deepEqual(zh.decisions.map((d) => d.text), ['第一项通过，新的排班制度下月起执行。']);
    const en = run([{ text: "All in favor? Okay, that's unanimous. The budget line is approved.", speaker: 'Chair' }]);
    assert.deepEqual(en.decisions.map((d) => d.text), ['The budget line is approved.']);
    const alone = run([
      { text: '七票同意，两票反对。', speaker: '秘书' },
      { text: '下面看第二项。', speaker: '主任' },
    ]);
    assert.deepEqual(alone.decisions.map((d) => d.text), ['七票同意，两票反对。']);
  });

  it('reads the chair echoing an A-not-A question as settling it, unless hedged', () => {
    const settled = run([
      { text: '今天排一下周末的班。', speaker: '店长' },
      { text: '周末要不要加开一班？', speaker: '组员' },
      { text: '要加，而且这次用新的排班表。', speaker: '店长' },
    ]);
    assert.deepEqual(settled.decisions.map((d) => d.text), ['要加，而且这次用新的排班表。']);
    const hedged = run([
      { text: '今天排一下周末的班。', speaker: '店长' },
      { text: '周末要不要加开一班？', speaker: '组员' },
      { text: '要加，不过可能下个月。', speaker: '店长' },
    ]);
    assert.equal(hedged.decisions.length, 0);
  });

  it('does not take meta-statements about deciding, the close, a list of past results or a recap for decisions', () => {
    assert.equal(decides('今天只是通个气，不做决定。'), false);
    assert.equal(decides('好 就这些 散会'), false);
    assert.equal(decides('去年规划的八个功能，上线了六个，一个推迟了，一个取消了。'), false);
    const recap = run([
      { text: '报销统一用新系统。', speaker: '甲' },
      { text: '好的。', speaker: '乙' },
      { text: '好，我总结一下今天的结果。', speaker: '甲' },
      { text: '报销统一用新系统，纸质单据不再收。', speaker: '甲' },
    ]);
    assert.deepEqual(recap.decisions.map((d) => d.text), ['报销统一用新系统。']);
    assert.equal(recap.actionItems.length, 0);
  });

  it('does not take a demand of a party outside the meeting for a task given here', () => {
    assert.equal(classifySentence('甲方要求我们月底之前交付测试报告。', false, true).action, false);
  });

  it('reads English closes: what a thing becomes, a freeze until a condition, not agreement before a suggestion', () => {
    assert.equal(decides('Good. Then the survey goes out with the old questions.'), true);
    assert.equal(decides('So, travel freeze outside sales until the audit closes.'), true);
    assert.equal(decides('Then that goes where?'), false);
    const suggestion = run([{ text: "Agreed. I'd suggest we wait for the numbers.", speaker: 'Ann' }]);
    assert.equal(suggestion.decisions.length, 0);
  });
});

describe('round-7 decision rules', () => {
  const run = (segments: Array<{ text: string; speaker: string | null }>, meetingDate: string | null = '2027-09-06') =>
    extractActionsAndDecisions(splitSentences(segments.map((s, i) => ({ start: i * 5, end: i * 5 + 4, text: s.text, speaker: s.speaker }))), { meetingDate });
  const byChair = (text: string): boolean => classifySentence(text, false, false, false, false, true).decision;
  const byOther = (text: string): boolean => classifySentence(text, false, false, false, false, false).decision;

  it('reads a Chinese topic–comment with a settling comment from the chair', () => {
    assert.equal(byChair('秋游就去植物园。'), true);
    assert.equal(byChair('茶歇这次先不订了，各自带水。'), true);
    assert.equal(byChair('年会还是在食堂办。'), true);
    assert.equal(byChair('展板统一做成竖版。'), true);
    assert.equal(byChair('报名表不改，沿用上学期的。'), true);
    assert.equal(byChair('加班费可以，按公司标准报。'), true);
    assert.equal(byChair('另外每个小组出一个主持人。'), true);
    // From anyone else, without a closing marker, the same words are a view; with 那就 they close the point.
    assert.equal(byOther('秋游就去植物园。'), false);
    assert.equal(byOther('那就去植物园，车我来订。'), true);
  });

  it('does not read questions, hedges, opinions, persons, agendas, reports or sequencing as a settled comment', () => {
    assert.equal(byChair('秋游就去植物园吗？'), false);
    assert.equal(byChair('秋游可能就去植物园。'), false);
    assert.equal(byChair('我觉得秋游就去植物园。'), false);
    assert.equal(byChair('王磊就负责订车。'), false);
    assert.equal(byChair('我们先看一下第一个议题。'), false);
    assert.equal(byChair('好，今天就到这。'), false);
    assert.equal(byChair('人一多，服务器就扛不住了。'), false);
    assert.equal(byChair('这个优先级比较高。'), false);
    assert.equal(byChair('去年就不订茶歇了。'), false);
    assert.equal(byChair('可以，先交第一版。'), false);
    assert.equal(byChair('我们有两个方案：一是先做网页版，二是先做小程序。'), false);
  });

  it('takes a hedge in another clause for the reason, not for doubt about the settled point', () => {
    assert.equal(byChair('场地费可能不够 这次先用会议室'), true);
    assert.equal(byChair('这次可能先用会议室'), false);
  });

  it('reads a standing rule from a date as a decision, not as a task without a person', () => {
    const rule = run([
      { text: '从下周一起，所有报销单超过五千块，财务要在系统里填写审批编号。', speaker: '甲' },
      { text: '好的。', speaker: '乙' },
    ]);
    assert.equal(rule.decisions.length, 1);
    assert.equal(rule.actionItems.length, 0);
  });

  it('reads what the English chair states as settled', () => {
    assert.equal(byChair('No parking on the east lot during the works.'), true);
    assert.equal(byChair('Okay, the generator goes on the roof.'), true);
    assert.equal(byChair('We cut the spring newsletter.'), true);
    assert.equal(byChair('Move the warehouse audit to October.'), true);
    // An instruction to hand something over sets no policy.
    assert.equal(byChair('Send the slides to Ann.'), false);
    assert.equal(byChair('Push the warehouse audit back to October.'), true);
    assert.equal(byChair('Any refund over five hundred dollars needs my approval.'), true);
    assert.equal(byChair('right so no weekend deploys this month if it breaks we roll back'), true);
    assert.equal(byOther('Okay, the generator goes on the roof.'), false);
    assert.equal(byChair('No column in the lobby?'), false);
    assert.equal(byChair('We probably cut the spring newsletter.'), false);
  });

  it('reads a motion that fails, and not the call for a vote', () => {
    assert.equal(byOther('Three in favour, five against, so the motion fails.'), true);
    assert.equal(byOther("Let's vote."), false);
    assert.equal(classifySentence("I'll put it to a vote: moving the office to Leeds.", true, false).action, false);
  });

  it('reads a restatement of the last review as past, and a bare approval before the decision as part of it', () => {
    assert.equal(byOther('At the last review we agreed to keep the budget flat.'), false);
    const approval = run([
      { text: 'Can we hire a second tester?', speaker: 'Ben' },
      { text: 'Then yes, approved. Bring the second tester forward to June.', speaker: 'Kim' },
      { text: 'Great.', speaker: 'Ben' },
      { text: 'Kim will send the note.', speaker: 'Kim' },
    ]);
    assert.deepEqual(approval.decisions.map((d) => d.text), ['Bring the second tester forward to June.']);
  });
});

/** Round 8: running the meeting, questions in spaced ASR, named assignments, background facts and short verdicts. */
describe('round-8 rules', () => {
  const cls = (text: string, owner = false, due = false, chair = false) => classifySentence(text, owner, due, due, false, chair);

  it('reads openings, moving to an item, calling a vote, giving the floor and deferring as running the meeting', () => {
    assert.equal(cls('好 那我们开始 今天就三个事 仓库 招聘 还有 年会', false, false, true).decision, false);
    assert.equal(cls('好，先从仓储开始。', false, false, true).decision, false);
    assert.equal(cls("Okay, let's get started with the warehouse numbers.", false, false, true).decision, false);
    assert.equal(cls("Let's take the next one, the roof repair quote.", false, false, true).decision, false);
    assert.equal(cls("I'll call a vote.", true, false, true).action, false);
    assert.equal(cls('Priya, you raised this.', true, false, true).action, false);
    assert.equal(cls("We won't settle this today.", false, false, true).decision, false);
    assert.equal(cls("Let's let these ideas sit for a week.", false, false, true).decision, false);
    assert.equal(cls('仓库租金不在今天的范围，放到季度会上再讨论。', false, false, true).decision, false);
    assert.equal(cls('搬仓的事我再想想，先别定。', false, false, true).decision, false);
    // An outcome in another clause of the deferring sentence still counts.
    assert.equal(cls('五票同意，方案通过，搬仓放到下季度再议。', false, false, true).decision, true);
    // A deferral does not cancel a task given in the same breath.
    assert.equal(cls('搬仓今天先不定了 等报价回来再议 何晴你下次会议前把两份报价再核一下', true, false, true).action, true);
  });

  it('reads a question form in spaced ASR as governing the clauses after it', () => {
    assert.equal(cls('那 我们 是不是 可以 跟物流公司 签个 长期合同', false, false, true).decision, false);
    assert.equal(cls('那 仓库 能不能 就 改成 两班倒', false, false, true).decision, false);
  });

  it('reads work given to a named person as a task, not also a decision', () => {
    const r = cls('那孙倩你做个排班表，明天放到群里。', true, true, true);
    assert.equal(r.action, true);
    assert.equal(r.decision, false);
  });

  it('does not take background facts, figures read out, proposals or forecasts for tasks', () => {
    assert.equal(cls('往年春游是要请家长一起去的。', false, false).action, false);
    assert.equal(cls('我算一下，今天砍掉的：仓储八十万，差旅二十万。', true, true).action, false);
    assert.equal(cls('排班的问题 我建议 以后 周末 还要 多留一个人', true, false).action, false);
    assert.equal(cls('二号楼还在刷漆，预计下周五完成。', false, true).action, false);
  });

  it('finds short verdicts said by the chair', () => {
    assert.equal(cls('好，首批定三千台。', false, false, true).decision, true);
    assert.equal(cls('新冷库必须上。', false, false, true).decision, true);
    assert.equal(cls('差旅预算维持八十万不变。', false, false, true).decision, true);
    assert.equal(cls('我觉得可以，团建就在公司楼下办。', false, false, true).decision, true);
    assert.equal(cls('二号 冷柜 不再 放 任何 样品', false, false, true).decision, true);
    assert.equal(cls('He is admitted.', false, false, true).decision, true);
    assert.equal(cls("That one's declined.", false, false, true).decision, true);
    assert.equal(cls('denver boise stays flat', false, false, true).decision, true);
    // Not from someone else without a closing marker, not as a question, not hedged.
    assert.equal(cls('新冷库必须上。', false, false, false).decision, false);
    assert.equal(cls('首批是不是定三千台？', false, false, true).decision, false);
    assert.equal(cls('差旅预算可能维持八十万不变。', false, false, true).decision, false);
  });
});

describe('round-9 rules', () => {
  const cls = (text: string, owner = false, due = false, chair = false) => classifySentence(text, owner, due, due, false, chair);
  const extract = (segments: Array<{ text: string; speaker?: string }>) =>
    extractActionsAndDecisions(
      splitSentences(segments.map((s, i) => ({ start: i * 5, end: i * 5 + 4, text: s.text, speaker: s.speaker ?? null }))),
      { meetingDate: '2026-04-06' },
    );

  it('reads motions and amendments carrying or failing as decisions, and a missing second as none', () => {
    assert.equal(cls('Three in favour, two opposed. The parking amendment carries.', false, false, true).decision, true);
    assert.equal(cls('One in favour, four opposed. The signage amendment fails.', false, false, true).decision, true);
    assert.equal(cls("There's no second, so we'll move on.", false, false, true).decision, false);
  });

  it('finds English verdicts on a state, a cap or a party', () => {
    assert.equal(cls('ok so line two on the packer stays offline until the new belt arrives', false, false, true).decision, true);
    assert.equal(cls('No objection. So the hospitality line is cut to five thousand.', false, false, true).decision, true);
    assert.equal(cls("That's fine. You're in the pilot.", false, false, true).decision, true);
  });

  it('does not take future non-decisions, background approvals or meeting conduct for outcomes or tasks', () => {
    assert.equal(cls("We're not going to decide the bus routes tonight;", false, true, true).decision, false);
    assert.equal(cls('Most of the rise is in the cleaning contract the board approved in March.', false, false, true).decision, false);
    assert.equal(cls("Let's open public comment.", false, false, true).decision, false);
    assert.equal(cls('Director Park, please go ahead.', true, false, true).action, false);
    assert.equal(cls('Before we begin, I should say the projector is broken tonight.', true, true, true).action, false);
    assert.equal(cls("I'll go through sales, hiring and the office move.", true, false, true).action, false);
    assert.equal(cls('Um, two years is a long time to lock in that price.', false, false, true).action, false);
  });

  it('reads Chinese rule statements and choices in spaced ASR', () => {
    assert.equal(cls('既然 模板 是 Figma 的 那 这个 活动 就 用 Figma', false, false, true).decision, true);
    assert.equal(cls('贵 是 贵 一点 但 稳 就 用 老王 的 车队', false, false, true).decision, true);
    assert.equal(cls('嘉宾 的话 预算 不够 这次 就 不请了', false, false, true).decision, true);
    assert.equal(cls('嗯 行 那 以后 例会 不搞 签到 了', false, false, true).decision, true);
    assert.equal(cls('好，数据库 权限 变更 必须 两人 审批。', false, false, true).decision, true);
    assert.equal(cls('另外，从这次年检开始，所有设备的交接都要拍照留档。', false, false, true).decision, true);
    assert.equal(cls('我同意这个思路，这单协商解决，最高不超过五万。', false, false, true).decision, true);
  });

  it('takes a third party\'s announcement for neither task nor decision', () => {
    const r = cls('字幕 这边 client 说 他们 下周 会 发 一个 新 术语表', false, true, true);
    assert.equal(r.action, false);
    assert.equal(r.decision, false);
    assert.equal(cls('物业那边说下周会来统一换灯', false, true, true).decision, false);
  });

  it('finds a task with the owner after the object in spaced ASR, and a request without a comma', () => {
    assert.equal(cls('日文 翻译 的 供应商 我 来 找 周五 之前 给 大家 两个 人选', true, true).action, true);
    assert.equal(cls('Priya can you send the venue the floor plan by friday', true, true).action, true);
    assert.equal(cls('Good point. Councillor Lee, could you draft a letter to the county by Friday?', true, true).action, true);
  });

  it('folds the reply into the request it answers', () => {
    const labelled = extract([
      { text: 'Councillor Ames, would you write to the transit board about the late buses?', speaker: 'Mayor' },
      { text: "I will, and I'll have a draft by Friday.", speaker: 'Ames' },
    ]);
    assert.equal(labelled.actionItems.length, 1);
    assert.equal(labelled.actionItems[0]!.owner, 'Ames');
    const unlabelled = extract([{ text: 'Maya 你 来 排 吧 这周 之内 排好' }, { text: "no problem i'll send them the rota" }]);
    assert.equal(unlabelled.actionItems.length, 1);
  });
});

describe('round-10 rules', () => {
  const cls = (text: string, owner = false, due = false, chair = false) => classifySentence(text, owner, due, due, false, chair);
  const participants = new Set(['韩磊', '马建国', '陈建华', '潘永福', '潘丽']);

  it('joins ASR that spaces every Han character, and leaves word-spaced ASR alone', () => {
    assert.equal(joinSpacedCharacters('那 就 全 部 退 下 来 不 用 了'), '那就全部退下来不用了');
    assert.equal(joinSpacedCharacters('一 律 带 中 继 台 OK'), '一律带中继台 OK');
    assert.equal(joinSpacedCharacters('工位 的 问题 召回 车 来 了 以后'), '工位 的 问题 召回 车 来 了 以后');
    assert.equal(joinSpacedCharacters('好 的'), '好 的');
    const [sentence] = splitSentences([{ start: 0, end: 4, text: '一 律 带 中 继 台' }]);
    assert.equal(sentence!.text, '一律带中继台');
    assert.equal(sentence!.end, 4);
  });

  it('reads deferrals as no decision: 放一放, 定不了, 等…再说, a later meeting, and English ones', () => {
    assert.equal(cls('那这个先放一放等业主大会再说', false, false, true).decision, false);
    assert.equal(cls('中转料塔这个事我得跟老板汇报，今天定不了。', false, false, true).decision, false);
    assert.equal(cls('泵车的钱今年预算里没有，这个放到下次常务会上研究，今天先不定。', false, false, true).decision, false);
    assert.equal(cls("Let's talk setlist at rehearsal, not now.", false, false, true).decision, false);
    assert.equal(cls("Yeah let's not get into that today.", false, false, true).decision, false);
    // A deferral that spans two spaced clauses removes nothing; it must not recurse forever.
    assert.equal(cls('这个 等 看完 录像 再说', false, false, true).decision, false);
    // Not a deferral: an outcome stated plainly.
    assert.equal(cls('那就按王队说的三个重点区域单向通行', false, false, true).decision, true);
  });

  it('reads a rule "set last month" as restated, not decided now', () => {
    assert.equal(cls('最后强调一下，上个月定的，手机进场必须放紫外消毒柜照十五分钟。', false, false, true).decision, false);
  });

  it('resolves a form of address to the participant it names', () => {
    assert.equal(resolveParticipant('韩局长', participants), '韩磊');
    assert.equal(resolveParticipant('老马', participants), '马建国');
    assert.equal(resolveParticipant('建华', participants), '陈建华');
    // Two participants share the surname 潘: keep what was said.
    assert.equal(resolveParticipant('潘镇长', participants), '潘镇长');
    assert.equal(resolveParticipant('杨 师傅', new Set()), '杨 师傅');
  });

  it('finds owners named by a title, a unit or a lowercase name', () => {
    assert.equal(findOwner('曹局长，两座水库放空的工作月底前完成。', '郑志远', new Set(['郑志远', '曹文斌'])), '曹文斌');
    assert.equal(findOwner('建华，你找厂家来把探头移到车厢中间的位置，这周内搞定。', '刘国强', participants), '陈建华');
    assert.equal(findOwner('杨 师傅 插座 你 明天 就 改 好', '钱卫东', new Set(['钱卫东', '杨德胜'])), '杨德胜');
    assert.equal(findOwner('另外水利站负责 在六月十八号之前把十二座山塘再全面排查一遍', null, new Set()), '水利站');
    assert.equal(findOwner('危险路段的警示牌请交管站周三之前全部装到位', null, new Set()), '交管站');
    assert.equal(findOwner('好 你们卫生院汛期要组两个医疗小分队 名单周五之前报给我', null, new Set()), '卫生院');
    assert.equal(findOwner('marcus can you get the new schedule up on the website by friday', null, new Set()), 'marcus');
    assert.equal(findOwner('so can you get the schedule up by friday', null, new Set()), null);
    // Not a unit owner: 我们组, 各村.
    assert.equal(findOwner('我们组负责把名单整理出来', null, new Set()), null);
  });
});

describe('round-11 rules', () => {
  const cls = (text: string, owner = false, due = false, chair = false) => classifySentence(text, owner, due, due, false, chair);

  it('reads waiting for something, a later meeting and "see how it goes" as deferrals', () => {
    assert.equal(cls('那等草稿来了再看。', false, false, true).decision, false);
    assert.equal(cls('对，所以夜班线等三号线通了以后再评估更合适。', false, false, true).decision, false);
    assert.equal(cls('那就根据情况再开会研究，现在先不假设。', false, false, true).decision, false);
    assert.equal(cls("Let's keep that in our back pocket and see how the program looks.", false, false, true).decision, false);
    assert.equal(cls("We'll see how the first couple of weekends go.", false, false, true).decision, false);
  });

  it('reads a rule already in force as restated, a closing "先这样" as running the meeting, and 在哪 as a question', () => {
    assert.equal(cls('对，上个月就定了上这个，不变。', false, false, true).decision, false);
    assert.equal(cls("And the other nine just go down the list in order, that's in the bylaws.", false, false, true).decision, false);
    assert.equal(cls('嗯 那就先这样', false, false, true).decision, false);
    assert.equal(cls('那件铜器现在放在哪', false, false, true).decision, false);
    // Keeping the plan after a postponement was asked for is still this meeting's decision.
    assert.equal(cls('那就不推迟了，按原计划下周三转。', false, false, true).decision, true);
  });

  it('reads work given to a named person and their team as a task, not a decision', () => {
    const r = cls('报站和站牌的更新，蒋磊你们调度中心负责，月底前全部换完。', true, true, true);
    assert.equal(r.decision, false);
    assert.equal(r.action, true);
  });
});

describe('round-12 rules', () => {
  const cls = (text: string, owner = false, due = false, chair = false) => classifySentence(text, owner, due, due, false, chair);

  it('reads more deferrals, rules decided before and what headquarters says as no decision', () => {
    assert.equal(cls('那就没办法了，先看看考位会不会受影响再说。', false, false, true).decision, false);
    assert.equal(cls("Let's hold the last slot until Friday.", false, false, true).decision, false);
    assert.equal(cls("That's a different conversation, let's not mix it in today.", false, false, true).decision, false);
    assert.equal(cls('之前定过的，考证的费用公司先垫，考过了全额报销，这个不变。', false, false, true).decision, false);
    assert.equal(cls('还有，下个月的用户满意度调研，总部说他们统一做，我们不用管。', false, false, true).decision, false);
    // Holding a position is not holding a decision back.
    assert.equal(cls("ok let's hold the line at net forty five that's as far as we go", false, false, true).decision, true);
  });

  it('folds "就这么定了" into the decision it confirms', () => {
    const sentences = splitSentences([
      { start: 0, end: 4, text: '机房冬季巡查就按蒋涛说的办。', speaker: '郑国梁' },
      { start: 4, end: 6, text: '就这么定了。', speaker: '郑国梁' },
    ]);
    const { decisions } = extractActionsAndDecisions(sentences, { meetingDate: '2028-01-10' });
    assert.equal(decisions.length, 1);
    assert.match(decisions[0]!.text, /按蒋涛说的办.*就这么定了/);
  });

  it('finds owners by given name, compound surname or a Latin name before 你', () => {
    const team = new Set(['周海峰', '陈思琪', '欧阳斌', 'Nur', '孙立行']);
    assert.equal(findOwner('思琪你今天就下采购单，先补一千套。', '周海峰', team), '陈思琪');
    assert.equal(findOwner('欧阳你去对接一下供应商，月底前把语音报警装好。', '周海峰', team), '欧阳斌');
    assert.equal(findOwner('nur 你 月底 之前 把 剩下 的 十二 个 人 招 齐', '孙立行', team), 'Nur');
    assert.equal(resolveParticipant('欧阳', team), '欧阳斌');
  });
});

describe('round-13 rules', () => {
  it('does not let a scorer turn work handed to someone by name, a sum worked out aloud or an agenda item for later into a decision', () => {
    const lines = ['大家好。', '先说锅炉。', '那北环路的两个漏点，王磊你这周内必须处理完。', '四台二十天，那就是二十二万多。', "Marcus, you're on the street closure permit.", "Let's put that on the agenda for the June meeting.", '供暖温度定在二十度。', '好。'];
    const texts = decisionsSaidBy('主任', lines);
    assert.ok(texts.includes('供暖温度定在二十度。'), texts.join(' | '));
    for (const barred of lines.slice(2, 6)) assert.ok(!texts.includes(barred), barred);
  });

  it('folds "嗯，可以，就这么办。" into the decision before it', () => {
    const sentences = splitSentences([
      { start: 0, end: 4, text: '袖口改成二十公分。', speaker: 'Chloe' },
      { start: 4, end: 6, text: '嗯，可以，就这么办。', speaker: 'Chloe' },
    ]);
    const { decisions } = extractActionsAndDecisions(sentences, { meetingDate: '2027-09-20' });
    assert.equal(decisions.length, 1);
    assert.match(decisions[0]!.text, /袖口改成二十公分。 嗯，可以，就这么办。/);
  });
});

describe('round-14 rules', () => {
  it('reads English verdicts without a decision word from the chair', () => {
    assert.ok(chairSays('So those four are in.'));
    assert.ok(chairSays('Dogwood takes the seventh slot.'));
    assert.ok(chairSays('So it\'s the mural.'));
    assert.ok(chairSays('So the shelf stays.'));
    assert.ok(chairSays('Wrapping stays free.'));
    assert.ok(chairSays('fine keep them'));
    assert.ok(chairSays('no climbs wednesday and thursday next week'));
    // Not from someone else, and not a question.
    assert.ok(!classifySentence('Dogwood takes the seventh slot.', false, false).decision);
    assert.ok(!chairSays('So those four are in?'));
  });

  it('reads a qualified yes to an idea that is then deferred as no decision, but keeps a choice made before the deferral', () => {
    assert.ok(!chairSays('这个想法可以，不过投入太大了，年底做预算的时候再讨论。'));
    assert.ok(chairSays('预约这个想法挺好，但是现在不具备条件，先按普通线路开，预约的事明年再研究。'));
  });

  it('folds "这个从下周一开始执行" into the decision it dates, even when a scorer would count it', () => {
    const lines = ['大家好。', '说一下体检。', '以后所有阿姨上岗前都要体检。', '这个从下周一开始执行。', '别的没有了。', '那散会。', '好。', '好的。'];
    const texts = decisionsSaidBy('店长', lines, '2027-11-24');
    assert.ok(texts.includes('以后所有阿姨上岗前都要体检。 这个从下周一开始执行。'), texts.join(' | '));
    assert.ok(!texts.includes('这个从下周一开始执行。'), texts.join(' | '));
  });
});

describe('round-14 owners', () => {
  it('resolves a first name to the full participant label, and finds 小X + 你 after a topic and lowercase "name you handle…"', () => {
    const team = new Set(['Dana Whitfield', 'Priya Raman', 'Jen Alvarez']);
    assert.equal(findOwner('Priya, can you update the contact list by Friday?', 'Dana Whitfield', team), 'Priya Raman');
    assert.equal(resolveParticipant('jen', team), 'Jen Alvarez');
    assert.equal(findOwner('活动报名小吴你来弄周五之前提交', null, new Set()), '小吴');
    assert.equal(findOwner('sara you handle the crane contract right', null, new Set()), 'sara');
    assert.equal(findOwner('right so priya can you get the inspection booked', null, new Set()), 'priya');
  });
});

describe('round-16 rules', () => {
  it('lists a sentence once: as the decision when it says it settles, as a task when it names who does it', () => {
    const { decisions, actionItems } = extractFrom([
      ['主任', '杜宇，你去联系街道，时间就定在下周四。'],
      ['主任', '就这么定了，张三下周五前上线。'],
    ]);
    assert.deepEqual(decisions.map((d) => d.text), ['就这么定了，张三下周五前上线。']);
    assert.deepEqual(actionItems.map((a) => [a.text, a.owner]), [['杜宇，你去联系街道，时间就定在下周四。', '杜宇']]);
  });

  it('reads a recap opener, an opinion, calling a vote, an agenda heading and "Let\'s go." as no decision', () => {
    assert.equal(extractFrom([['主任', '我简单总结一下：便当分装，三明治继续试销。']]).decisions.length, 0);
    assert.ok(!chairSays('我个人倾向先不做。'));
    assert.ok(chairSays('那就先不做。'));
    assert.ok(!chairSays('那这样，我们投个票吧。'));
    assert.ok(!chairSays('最后一项，投资人招募。'));
    assert.ok(!chairSays('那新品这部分就到这里。'));
    assert.ok(!chairSays("Okay, so that's two appeals decided."));
    assert.ok(!chairSays("Let's go."));
  });

  it('reads short verdicts and rules for everyone from the chair', () => {
    assert.ok(chairSays("Pecan's out."));
    assert.ok(chairSays("Strawberry basil's on the board."));
    assert.ok(chairSays('Cold brew cookie and honey lavender, both in.'));
    assert.ok(chairSays("We're declining Castellan."));
    assert.ok(chairSays('所有人都不能请假。'));
    assert.ok(!chairSays("He's in the office today."));
    assert.ok(!chairSays("Is basil's on the board?"));
  });

  it('does not let a scorer turn a bare yes, a vote call or a current fact into a decision', () => {
    const lines = ['大家好。', '可以。', '那这样，我们投个票吧。', 'Right now it\'s three sites, weekdays eight to six.', '对，受理以后法律上就停止计息了。', '供暖温度定在二十度。', '好的。', '散会。'];
    const texts = decisionsSaidBy('主任', lines);
    assert.ok(texts.includes('供暖温度定在二十度。'), texts.join(' | '));
    for (const barred of lines.slice(1, 5)) assert.ok(!texts.includes(barred), barred);
  });

  it('reads a topic marked with 的话 as no condition on the task after it', () => {
    assert.ok(classifySentence('南湾的话 我明天就去找他申请场地', true, true).action);
    assert.ok(!classifySentence('如果下雨的话我明天就去找他申请场地', true, true).action);
  });

  it('finds owners by a familiar form, a titled name before 你们, a lowercase name in unlabelled ASR, and the speaker of a first-person task', () => {
    assert.equal(findOwner('本子老纪你改完，下周二排练的时候大家再对一遍。', '甲', new Set(['甲', '纪文涛'])), '纪文涛');
    assert.equal(findOwner('这个更换赵工你们负责六月二十号之前换完', null, new Set()), '赵工');
    assert.equal(findOwner('阿梅 你 统计 一下 大家 的 尺码', null, new Set()), '阿梅');
    assert.equal(findOwner('思思你跟技术对一下需求', null, new Set()), '思思');
    assert.equal(findOwner('看看你们那边', null, new Set()), null);
    assert.equal(findOwner('谢谢你明天来', null, new Set()), null);
    const unlabelled = extractFrom([[null, 'marcus you need to get the core liners shipped by friday'], [null, 'so you need to get them shipped by friday']]);
    assert.deepEqual(unlabelled.actionItems.map((a) => a.owner), ['marcus', null]);
    const own = extractFrom([['孙海涛', '那ICU这边我回去把床单元的终末消毒再做一轮，周四之前做完。']]);
    assert.deepEqual(own.actionItems.map((a) => a.owner), ['孙海涛']);
  });

  it('reads due dates spelled across ASR spaces, and keeps 一下 apart from the weekday after it', () => {
    assert.equal(findDueDate('研学 的 安全 预案 我 来 写 下 周 一 交 给 德育 处', '2027-10-12')?.date, '2027-10-18');
    assert.equal(findDueDate('统计 一下 周四 之前 给 我', '2027-10-12')?.date, '2027-10-14');
    assert.equal(findDueDate('海报我弄一下周三之前发群里', '2027-10-12')?.date, '2027-10-13');
    assert.equal(findDueDate('下周三之前发群里', '2027-10-12')?.date, '2027-10-20');
  });
});

describe('round-17 rules', () => {
  it('reads options laid out, unpunctuated who/why questions and what a region or office demands as no decision', () => {
    const lines = ['大家好。', '方案一是还是老办法，十一点以后回来的在值班室纸质登记。', '那 回访 话术 谁 来 改', '这个 上次 不是 就 说 要 换 吗 怎么 还 没 换', '区域说下个月开始所有在售房源都要有VR。', '供暖温度定在二十度。', '好的。', '散会。'];
    const texts = decisionsSaidBy('主任', lines);
    assert.ok(texts.includes('供暖温度定在二十度。'), texts.join(' | '));
    for (const barred of lines.slice(1, 5)) assert.ok(!texts.some((t) => t.replace(/\s+/gu, '').includes(barred.replace(/\s+/gu, ''))), barred);
    assert.ok(!chairSays('那 回访 话术 谁 来 改'));
  });

  it('finds a lowercase Latin name before 你 and a titled team lead (张队), and a weekday split from its week word', () => {
    assert.equal(findOwner('ravi 你可以 handle 这个 appeal 吗', null, new Set()), 'ravi');
    assert.equal(findOwner('so 你可以 handle 这个 appeal 吗', null, new Set()), null);
    assert.equal(findOwner('行那张队你们这个月二十号之前必须把回撤通道贯通', null, new Set()), '张队');
    assert.equal(findDueDate('迁移 脚本 小 周 你 下周 三 之前 在 测试服 上 再 完整 跑 一遍', '2027-05-13')?.date, '2027-05-19');
  });
});

describe('round-18 rules', () => {
  it('reads proposals, "nothing to decide", agenda-first, later discussion and a closing "那就这样" as no decision', () => {
    assert.ok(!chairSays("I'm going to propose we sustain the camera violation as a minor infraction."));
    assert.ok(!chairSays('Both are pre-approved standard changes, so nothing to decide.'));
    assert.ok(!chairSays("Let's take the Taser deployment first."));
    assert.ok(!chairSays("Let's discuss it in the budget round in September."));
    assert.ok(!chairSays('行 那就这样'));
    assert.ok(!chairSays('那先讨论冷通道封闭。'));
    assert.ok(!chairSays('那晚上轮流的顺序呢 谁先来'));
    assert.ok(chairSays("Let's limit the beta to fifty customers."));
  });

  it('lists a bare yes to another speaker\'s proposal with that proposal, and "No exceptions." with the rule before it', () => {
    const { decisions } = extractActionsAndDecisions(
      splitSentences([
        { start: 0, end: 4, text: 'We could cap the sale at two kits per person.', speaker: 'Ana' },
        { start: 4, end: 6, text: "Then let's do that.", speaker: 'Bea' },
      ]),
      { meetingDate: '2027-10-12' },
    );
    assert.deepEqual(decisions.map((d) => d.text), ["We could cap the sale at two kits per person. Then let's do that."]);
    // A scorer sure of every sentence still lists "No exceptions." with the rule it closes.
    const lines = ['Good morning.', 'First item.', 'From now on, every refund needs a receipt.', 'No exceptions.', 'Next item.', 'The van stays at the depot.', 'Thanks.', 'Bye.'];
    const texts = decisionsSaidBy('Bea', lines);
    assert.ok(texts.includes('From now on, every refund needs a receipt. No exceptions.'), texts.join(' | '));
    assert.ok(!texts.includes('No exceptions.'), texts.join(' | '));
  });
});

describe('round-19 due dates', () => {
  it('reads a part of the day said alone, and "this morning", as the meeting day; a day word before it still wins', () => {
    assert.equal(findDueDate('那个口子下午我跟小军去补一下', '2027-04-06')?.date, '2027-04-06');
    assert.equal(findDueDate('Sergei, can your guys get on that feeder this morning?', '2027-02-15')?.date, '2027-02-15');
    assert.equal(findDueDate('我明天下午去补一下', '2027-04-06')?.date, '2027-04-07');
    assert.equal(findDueDate('周三上午安排路测', '2027-04-06')?.date, '2027-04-07');
    assert.equal(findDueDate('每天下午巡一遍', '2027-04-06'), null);
  });
});

describe('round-20 rules', () => {
  const says = (text: string) => classifySentence(text, false, false).decision;
  /** Lines written as "speaker: text". */
  const meeting = (lines: string[]) => extractFrom(lines.map((line) => [line.split(': ')[0]!, line.split(': ')[1]!] as const));

  it('reads word-spaced ASR as written Chinese, and keeps the spaces that end clauses in unpunctuated ASR', () => {
    const spaced = meeting(['陈亮: 那 过年 去 谁家', '苏晴: 行 那 就 这么 定 了 三十 到 初二 在 你家 初三 去 我家']);
    assert.ok(spaced.decisions.some((d) => d.text.includes('行那就这么定了三十到初二在你家初三去我家')), JSON.stringify(spaced.decisions));
    const clauses = meeting(['陈宇: 导出可以改成异步的 生成好了再发邮件', '赵磊: 行 那就改成异步 这周五之前能出来吗 客户下周要用', '陈宇: 周五应该没问题']);
    const texts = [...clauses.decisions, ...clauses.actionItems].map((x) => x.text).join(' | ');
    assert.ok(texts.includes('行 那就改成异步 这周五之前能出来吗 客户下周要用'), texts);
  });

  it('does not let a guard or a show of hands cross an unpunctuated clause', () => {
    assert.ok(says('那就这么定以后下雨天站里超时不扣钱雨天就按当天早上气象台发的预报算'));
    assert.ok(chairSays('十一个代表八个举手那今年就按成熟度排'));
    assert.ok(!says('同意的举手'));
    // 固定 is no deferral: a scorer may add the rule.
    const lines = ['大家好', '第一个事情', '这种全变量模板以后一律不给过必须要有固定的文字部分', '第二个事情', '这个以后再定', '好', '就这些', '散会'];
    const texts = decisionsSaidBy('王', lines);
    assert.ok(texts.includes('这种全变量模板以后一律不给过必须要有固定的文字部分'), texts.join(' | '));
    assert.ok(!texts.includes('这个以后再定'), texts.join(' | '));
    // In word-spaced ASR a space may end a clause: a deferral at its end does not bar the decision before it.
    const spaced = ['大家好', '第一个事情', 'OK 那 首批 就 只 做 一点五 磅 小 包装 以后 再 说', '第二个事情', '这个以后再定', '好', '就这些', '散会'];
    const spacedTexts = decisionsSaidBy('王', spaced);
    assert.ok(spacedTexts.includes('OK 那首批就只做一点五磅小包装以后再说'), spacedTexts.join(' | '));
  });

  it('counts formal rulings, "X it is, then" and "From today, …" as decisions', () => {
    assert.ok(chairSays('第一件，不予认定视同工伤。'));
    assert.ok(chairSays('好，第四件，予以认定工伤。'));
    assert.ok(!chairSays('第二项，食堂外包。'));
    assert.ok(chairSays('Saturday the eleventh it is, then.'));
    assert.ok(chairSays('okay may it is'));
    assert.ok(chairSays('From today, walk-ins stop at four.'));
    assert.ok(!chairSays('The trial starts three days from today.'));
  });

  it('reads "bring it back", "let\'s just vote", "let\'s not argue", 要不…, 就咁多 and 当时决定 as no decision', () => {
    assert.ok(!chairSays("Let's bring it back next month with actual prices."));
    assert.ok(!chairSays("Okay, let's just vote, it's the three of us."));
    assert.ok(!chairSays("Let's not argue with the spec."));
    assert.ok(chairSays("Let's not renew the lease."));
    assert.ok(chairSays("Let's just go with Vector."));
    assert.ok(!chairSays('呃要不改成每周两次'));
    assert.ok(!says('OK，就咁多，开工。'));
    assert.ok(!chairSays('我们当时决定连夜调参数，把复制链路从公网切到了专线。'));
  });
});

describe('round-21 rules', () => {
  /** What a scorer sure of every sentence lists as decisions, said by `speaker` among others' small talk. */
  const added = (speaker: string, lines: string[]) => {
    // Enough sentences for the scorers to run (MIN_SENTENCES_FOR_SCORERS).
    const others = ['大家好', '开始吧', '好的', '没问题', '先这样', '辛苦了', '散会', '再见'];
    const all = [...lines.map((text) => [speaker, text] as const), ...others.map((text, i) => [['甲', '乙', '丙'][i % 3]!, text] as const)];
    return extractFrom(all, always).decisions.map((d) => d.text);
  };

  it('counts a proposal turned down, a rule for everyone, keeping things as they are and a stated conclusion', () => {
    assert.ok(chairSays('公众号发案例这个不行。'));
    assert.ok(chairSays('急诊基数柜这个提议我们不采纳。'));
    assert.ok(!chairSays('这个不行吗？'));
    assert.ok(chairSays('还有，散气以后没有检测报告，谁也不许进仓。'));
    assert.ok(chairSays('还是周三，不改了。'));
    assert.ok(chairSays('这学期先不弄了'));
    assert.ok(!chairSays('新区很多老人走不动了。'));
    assert.ok(!chairSays('这次先不讨论了。'));
    assert.ok(chairSays('综合下来，结论是今晚按计划飞。'));
    assert.ok(chairSays('那豆腐坊的地址变更同意。'));
    assert.ok(!chairSays('那统一买电热毯的钱从哪出啊'));
  });

  it('reads "We decline X", "Set it at …", "lets" in lowercase ASR, "stay as they are" and "We close it" as decisions', () => {
    assert.ok(chairSays('We decline Pell.'));
    assert.ok(!chairSays('We decline to comment.'));
    assert.ok(chairSays('Set it at one point five.'));
    assert.ok(chairSays('okay lets close the sunroof drain tube item as not reproducible'));
    assert.ok(!chairSays('it lets us see more'));
    assert.ok(chairSays('yeah fair enough fees stay as they are for this one'));
    assert.ok(chairSays('We close it on our end.'));
    assert.ok(chairSays("From now on we don't sell any trip on a boat we haven't had an inspection report on in the last twelve months."));
    assert.ok(!chairSays('As we agreed at the last meeting, the fee is ten.'));
    assert.ok(!chairSays("i don't want to decide this today without hearing from the commission so let's take it up again in july"));
    assert.ok(!chairSays('and just a reminder we agreed two weeks ago no bsr fix goes in without the cold chamber test'));
    assert.ok(!chairSays("Then let's put it to a vote."));
  });

  it('lets a scorer add a settled part before a deferral, a topic with 的话 and the chair\'s view, but not a handover or a sign-off', () => {
    const zh = added('周总', ['我看这样先换海景房那四层大概一半的量其他楼层明年再说', '这个下次再议', '新系统上线的具体时间下次开会再讨论', '撤销的话这次先不撤销但是要给他一个书面警告', '我的意见是，演练不跟试鸣放在一起，十月份单独搞一次。', '就这样，各就各位吧。']);
    assert.ok(zh.includes('我看这样先换海景房那四层大概一半的量其他楼层明年再说'), zh.join(' | '));
    assert.ok(zh.includes('撤销的话这次先不撤销但是要给他一个书面警告'), zh.join(' | '));
    assert.ok(zh.includes('我的意见是，演练不跟试鸣放在一起，十月份单独搞一次。'), zh.join(' | '));
    for (const barred of ['这个下次再议', '新系统上线的具体时间下次开会再讨论', '就这样，各就各位吧。']) assert.ok(!zh.includes(barred), zh.join(' | '));
    // Not the chair: the same view is one participant's.
    const other = added('丁', ['我的意见是，演练不跟试鸣放在一起，十月份单独搞一次。']);
    assert.ok(!other.includes('我的意见是，演练不跟试鸣放在一起，十月份单独搞一次。'), other.join(' | '));
    const en = added('Maureen', ['Go on then, Dave.', 'It is.']);
    assert.ok(!en.includes('Go on then, Dave.') && !en.includes('It is.'), en.join(' | '));
  });
});

describe('round-22 rules', () => {
  it('reads elections, "new rule", "starting now", a rule for everyone and unpunctuated "X it is" as decisions', () => {
    assert.ok(chairSays("okay that's pretty clear nineteen cents flat it is"));
    assert.ok(!chairSays("i don't know what it is"));
    assert.ok(!chairSays("well i'm not sure it is"));
    assert.ok(chairSays('New rule, no food in the equipment, period.'));
    assert.ok(chairSays('Itemized receipts within thirty days, starting now.'));
    assert.ok(chairSays('from monday every call that mentions damp gets the new dm category'));
    assert.ok(chairSays('nobody plants alone on nineteen you go in pairs'));
    assert.ok(!chairSays('nobody knows where the key is'));
    assert.ok(chairSays('The church gets the standard adjustment, not a waiver.'));
    assert.ok(chairSays('so kirsty is our new foreman congratulations'));
    assert.ok(chairSays("that's everyone except steve who's abstaining fine steve stays squire for another year"));
  });

  it('reads an English verb in Chinese speech, 就算了 and 这样吧 as decisions; a bare "Hearing none.", "Let\'s leave X for the next call" and "I\'m thinking" as none', () => {
    assert.ok(chairSays('Mott Street 这个 case 我们 decline。'));
    assert.ok(chairSays('OK，那个就 close 掉。'));
    assert.ok(chairSays('那送花就算了吧 别给老师添麻烦'));
    assert.ok(!chairSays('就算了吗？'));
    assert.ok(chairSays('这样吧 这个 recall 的上门我们分两批 先换商用的那九台'));
    assert.ok(!chairSays('这样吧，小王你先回去问问'));
    // A scorer sure of every sentence still does not add a bare "Hearing none.".
    const lines = ['Good evening.', 'Any objections to the coding club grant?', 'Hearing none.', 'Next item.', 'The van stays at the depot.', 'Thanks.', 'Anything else?', 'Bye.'];
    const added = decisionsSaidBy('Ruth', lines);
    assert.ok(!added.includes('Hearing none.'), added.join(' | '));
    assert.ok(!chairSays("Let's leave Eastfield's sign for the next call."));
    assert.ok(!chairSays("I'm thinking tinting goes to twenty at all three kiosks."));
  });

  it('lists a standing rule with a speaker\'s own addition as the decision, not as the speaker\'s task', () => {
    const { decisions, actionItems } = extractActionsAndDecisions(
      splitSentences([
        { start: 0, end: 4, text: '尾矿库最近水位有点高。', speaker: '张工' },
        { start: 4, end: 9, text: '另外我加一条，从今天起，上坝巡查必须两个人一起，单人不准上坝。', speaker: '孙建国' },
      ]),
      { meetingDate: '2027-10-12' },
    );
    assert.ok(decisions.some((d) => d.text.includes('上坝巡查必须两个人一起')), JSON.stringify(decisions));
    assert.ok(!actionItems.some((a) => a.text.includes('上坝巡查必须两个人一起')), JSON.stringify(actionItems));
  });
});
