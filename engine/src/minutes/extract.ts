/**
 * Action items and decisions from sentences, by cue phrases and guards. Deterministic; no model.
 *
 * What counts (the annotated meetings in test/minutes/data follow the same rules):
 * - An action item is work someone is to do after the meeting: a strong cue (负责, 跟进, 落实, 我来, 由…来,
 *   请…, 麻烦…, 记得…, "action item", "follow up", "take care of", "please", "I'll") or a weak cue (需要, 要,
 *   安排, 准备, "need to", "will", "going to") together with a named owner or a due date.
 * - A decision is a choice made in this meeting: 决定, 确定了, 定下来, 就这么定, 敲定, 同意 by the group,
 *   通过了/批准, "decided", "agreed", "approved", "we'll go with", "let's go with". Also, without such a cue word:
 *   a scope cut (这次不做, 今年不参加了, "let's not…", "let's drop…"), a final answer (最终方案是…, "the plan is…",
 *   "we'll stick with…"), a schedule or target stated with a date (上线目标是八月底, 发布时间改到下周三) and a
 *   policy grant ("old endpoints get a deprecation period") — each only when not hedged (可能, 争取, "probably").
 * - Neither counts when the sentence is a question (是不是需要…？, "do we need to…?"), negated (不需要,
 *   "we don't need to", "haven't decided"), hypothetical (如果…的话, "if we…"), or reports the past
 *   (我上周已经完成了…, "we already decided last week…": restated earlier work or decisions are not this
 *   meeting's outcomes).
 * - A sentence may be both a decision and an action item ("就这么定了，张三下周五前上线").
 */
import { findDueDate } from './dates.ts';
import { cosine, termVector, textTerms } from './terms.ts';
import type { ActionItem, Decision, Sentence } from './types.ts';

export interface ExtractionContext {
  /** `YYYY-MM-DD` or null. */
  meetingDate: string | null;
}

export interface Extraction {
  actionItems: ActionItem[];
  decisions: Decision[];
}

const ZH_ACTION_STRONG = /(?<!是)负责(?!的)|跟进|跟一下|落实|我来|由[^，。,]{1,8}?来|请(?!问|教|假|求)|麻烦|记得|别忘|不要忘|会后|待办|我这边[^，。]{0,6}(?:会|去|来|把|再)|我会|我去|我回头|抓紧|尽快|牵头|提交给|发给|同步给/u;
const ZH_ACTION_WEAK = /需要|要把|要在|要先|得在|得把|安排|准备|整理|更新|确认一下|对接|联系|修复|补上|出一[版个份]|写一[版个份]|做一[版个份]|完成|上线|提交|发出|改一下|看一下|评估|做完|做好|写好|弄好|搞定|给到|发到|跑完|把[^，。]{1,12}?(?:发|给|改|修|写|做|整理|提交|同步|更新|补|跑|拿出来)|去(?:问|找|联系|确认|对接|沟通)|问一下|给我|发给我/u;
const EN_ACTION_STRONG = /^(?:[A-Z][a-z]+,\s*)?(?:can|could|would) you\b|\b(?:action items?|follow[- ]up|follow up|take care of|please|i'll|i will|i'm going to|i am going to|i can take|let me|assigned to|will own|owns this|on my plate|to-?do)\b/i;
const EN_ACTION_WEAK = /\b(?:need to|needs to|has to|have to|will|'ll|going to|should|must|make sure|plan to|is to|are to)\b|\w'll\b/i;

const ZH_QUESTION = /[？?]\s*$|(?:是不是|要不要|需不需要|有没有必要|能不能|可不可以|是否|对不对|好不好|行不行|还是说)/u;
const EN_QUESTION = /\?\s*$|^(?:do|does|did|should|shall|can|could|would|is|are|was|were|have|has|what|why|how|who|when|where)\b/i;
const EN_REQUEST_QUESTION = /^(?:[A-Z][a-z]+,\s*)?(?:can|could|would) you\b/i;
const ZH_NEGATION = /不需要|不用|无需|不必|没必要|暂时不|先不|不打算|不会去|不做|不搞|不再|没有必要|不要(?!忘)|别(?!忘)/u;
const EN_NEGATION = /\b(?:don't|do not|doesn't|does not|no need|not going to|won't|will not|shouldn't|should not|never|not)\b/i;
const ZH_HYPOTHETICAL = /如果|假如|(?<!主|只|重)要是|万一|假设|的话|除非|要不然|否则/u;
const EN_HYPOTHETICAL = /\b(?:if|unless|in case|suppose|supposing|would|might|maybe|perhaps|whether)\b/i;
/** Progress reports in a standup ("今天主要在修…", "I'm looking at…") are status, not new work. */
const ZH_PROGRESSIVE = /今天(?:主要|我们)?(?:想|来|讨论|评审|给大家|过一下)|主要在|正在|在修|在做|在写|在看|在弄|在跑|在查/u;
const EN_PROGRESSIVE = /\b(?:i'm|i am|we're|we are) (?:looking at|working on|still)\b/i;
const ZH_PAST = /已经|早就|之前就|上周[^，。]*了|昨天[^，。]*了|上次[^，。]*了|上个月[^，。]*了|做完了|搞定了|完成了/u;
const EN_PAST = /\b(?:already|last week|yesterday|last time|last month|earlier today|previously|finished|completed|shipped|was done|were done)\b/i;

const ZH_DECISION = /^(?:好[的吧]?[，,]?\s*)?那就(?:先不|不|用|按|选)|就这么办|(?:这次|先|暂时)不做|定在|定为|决定|确定(?:了|下来|用|采用|为|就|是)|定下来|(?<![稳固规肯一确否指特设])定了|就这么定|就这样定|敲定|拍板|达成一致|(?:大家|都|一致|我们)[^，。]{0,4}同意|通过了|批准|最终(?:选|用|采用)|就按[^，。]{0,12}(?:来|办|走)|就用[^，。]{1,12}吧|选定/u;
const EN_DECISION = /\b(?:decided|decision is|agreed|approved|(?:we'll|we will|let's|we're|we are) go(?:ing)? with|settled on|signed off|it's decided|final call is|go with option)\b/i;
/**
 * Decisions stated without a cue word (see the header). Each needs a plain, unhedged statement; the schedule
 * ones also need a due-date expression in the sentence (checked in classifySentence).
 */
const ZH_DECISION_SCOPE = /(?:这次|这期|本期|这一期|今年|这个版本|本版本|先|暂时)(?:就)?不(?:做|上|加|搞|修|改|参加|考虑|推)了?(?![吗呢])/u;
const ZH_DECISION_FINAL = /最终(?:的)?(?:方案|结论|决定|版本|定价|价格|人选)(?:就)?(?:是|为|用)/u;
const ZH_DECISION_SCHEDULE = /(?:上线|发布|发版|交付|截止|验收|完成)(?:的)?(?:目标|时间|日期|节点|窗口)?(?:就)?(?:是|为|定在|放在|改到|改成|调到|调整到|推迟到|延后到|提前到|安排在)|(?:目标|时间|日期|节点|窗口)(?:就)?(?:定在|改到|改成|调到|调整到|推迟到|延后到|提前到|安排在)/u;
const ZH_DECISION_HEDGE = /可能|大概|估计|也许|或许|争取|希望|尽量|看看|试试|应该是|好像|预计|初步|暂定|倾向于|建议|考虑/u;
const EN_DECISION_PLAIN = /\b(?:let's not|let us not)(?! (?:forget|worry|panic|rush|waste|get ahead|go there)\b)|\b(?:let's (?:drop|skip|postpone|hold off on|stick with|stay with)|we(?:'ll| will) stick with|we're sticking with|(?:the|our) (?:plan|decision|final call|final answer) is|(?:gets?|will get) an? (?:[\w-]+ ){0,2}(?:deprecation|grace|transition|migration|notice|freeze|sunset) (?:period|window))\b/i;
const EN_DECISION_HEDGE = /\b(?:probably|maybe|might|may|perhaps|tentative(?:ly)?|for now|i think|i guess|not sure|still|hopefully|ideally|proposal|suggest)\b/i;
/** "(确)定一下" asks for a decision ("我们确定一下用哪个"), unless a clause break follows and it introduces one ("最后确定一下，…是八月底"). */
const ZH_DECISION_GUARD = /(?:还没|没有|未|尚未|不|待|再|没)(?:决定|确定|定)|需要(?:决定|确定)|要确定|定一下(?![，,：:])|不同意|不确定|不一定|决定权|决定一下/u;
const EN_DECISION_GUARD = /\b(?:haven't|have not|hasn't|not yet|undecided|yet to|need to decide|needs to decide|to be decided|tbd|not decided|(?:not|n't) (?:decide|settle|commit to|choose|pick|finalize)|didn't agree|don't agree|disagree|not agreed|not approved)\b/i;
const ZH_DECISION_PAST = /上周|上次|之前已经|已经(?:决定|定|确定|同意|通过)|以前/u;
const EN_DECISION_PAST = /\b(?:already (?:decided|agreed|approved)|yesterday|last week|last time|last month|previously|back in)\b/i;

/** Chinese family names, for telling a person subject ("王磊负责") from a noun ("后端负责"). */
const SURNAMES = new Set(Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧司'));
const ZH_NOT_NAME = /^(?:周[一二三四五六日天末]|周内|方案|方面|高度|马上|江湖|金额|石头|程序|程度|任务|任何|白天|夏天|许多|万一|严格|向前|向后|于是|龙头|付款|陈述|成本|史上|黄金|陆续|叶子|余下|余额|毛利|范围|江南|孔子|田地|曹操|沈阳|钟头|温度|段落|雷达|孟子|卢布|邵阳)/u;
/** Words that look like English names at the start of a sentence but are not. */
const EN_NOT_NAME = new Set(
  ('Okay Ok So Please Then Great Good Right Sure Alright Also And But Yes Yeah No Next Let Lets We They You I It This That These Those The A An ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December ' +
    'Someone Somebody Everyone Everybody Anyone Team Marketing Engineering Design Legal Sales Support Finance Well Now Thanks Thank Action Follow Decision Agreed Fine Perfect Cool').split(' '),
);

function isZhName(candidate: string, speakers: ReadonlySet<string>): boolean {
  if (speakers.has(candidate)) return true;
  if (ZH_NOT_NAME.test(candidate)) return false;
  if (/^[小老][\p{Script=Han}]$/u.test(candidate)) return true;
  if (/^[\p{Script=Han}]{1,2}(?:总|经理|老师|工)$/u.test(candidate)) return true;
  if (/^[\p{Script=Han}]{1,4}(?:组|团队)$/u.test(candidate)) return true;
  return (candidate.length === 2 || candidate.length === 3) && SURNAMES.has(candidate[0]!);
}

function isEnName(word: string): boolean {
  return /^[A-Z][a-z]+$/.test(word) && !EN_NOT_NAME.has(word);
}

const ZH_FILLER = /^(?:(?:那么|那就|那|好的|好|嗯|然后|所以|这样|行|对|OK|ok|另外|还有|最后|接下来|会后|这个|就是说|就是)[，,、 ]*)+/u;
const ZH_OWNER_VERB = '(?:这边|那边)?(?:会|来|去|负责|跟进|牵头|就|先|再|明天|今天|后天|下周|本周|这周|周[一二三四五六日]|月底|把|在|要|需要|得|可以|整理|准备|落实|安排|和|跟|同步|出|写|做|更新|提交|确认|联系|修|改|补|帮|尽快|抓紧|\\d)';

/** Who is to do it, from the sentence; the speaker for first-person subjects. */
export function findOwner(text: string, speaker: string | null, speakers: ReadonlySet<string>): string | null {
  const han = /\p{Script=Han}/u.test(text);
  const self = speaker;
  if (han) {
    const byWhom = /由([\p{Script=Han}A-Za-z]{1,8}?)(?:来|负责|牵头|跟进|去|主导)/u.exec(text);
    if (byWhom) {
      const who = byWhom[1]!;
      if (/^我(?:这边)?$/u.test(who)) return self;
      if (isZhName(who, speakers) || /^[A-Z][a-z]+$/.test(who)) return who;
    }
    const asked = new RegExp(`(?:请|麻烦|让|辛苦)([\\p{Script=Han}]{1,4}?|[A-Z][a-z]+)(?:你|您)?${ZH_OWNER_VERB}`, 'u').exec(text);
    if (asked && (isZhName(asked[1]!, speakers) || isEnName(asked[1]!))) return asked[1]!;
    for (const clause of text.split(/[，,；;。！!]/u)) {
      const body = clause.replace(ZH_FILLER, '');
      if (/^我(?:们)/u.test(body)) continue;
      if (/^我/u.test(body)) return self;
      const subject = new RegExp(`^([\\p{Script=Han}]{2,3}?|[A-Z][a-z]+)(?:你|您)?${ZH_OWNER_VERB}`, 'u').exec(body);
      if (subject && (isZhName(subject[1]!, speakers) || isEnName(subject[1]!))) return subject[1]!;
    }
    const named = [...speakers].find((s) => new RegExp(`${escapeRegExp(s)}(?:这边|那边)?(?:负责|跟进|来|去)`, 'u').test(text));
    if (named) return named;
    if (/我(?!们)(?:来|去|会|这边|负责|回头|先)/u.test(text)) return self;
    return null;
  }
  const assigned = /\b(?:assigned to|owner is|owned by|action items? for|over to)\s+([A-Z][a-z]+)\b/.exec(text);
  if (assigned && isEnName(assigned[1]!)) return assigned[1]!;
  const vocative = /\b([A-Z][a-z]+),\s+(?:can|could|would|will) you\b|\b([A-Z][a-z]+),\s+please\b|\bplease,?\s+([A-Z][a-z]+)\b|^(?:\w+,\s+)?([A-Z][a-z]+),\s+(?:you|your)\b/.exec(text);
  const vocativeName = vocative?.slice(1).find((g) => g !== undefined);
  if (vocativeName && isEnName(vocativeName)) return vocativeName;
  const subject = /(?:^|[,;:]\s*|\b(?:so|and|then|okay|ok|alright)\s+)([A-Z][a-z]+)(?:\s+and\s+[A-Z][a-z]+)?\s+(?:will|'ll|is going to|to|can|needs to|should|owns|has to|is on|takes|is taking)\b|\b([A-Z][a-z]+)'ll\b/.exec(text);
  const subjectName = subject?.slice(1).find((g) => g !== undefined);
  if (subjectName && isEnName(subjectName)) return subjectName;
  if (/\b(?:I'll|I will|I'm going to|I am going to|I can take|I'll take|let me|I'm on it|I need to|I have to|I should|on my plate)\b/i.test(text)) return self;
  const named = [...speakers].find((s) => new RegExp(`\\b${escapeRegExp(s)}\\s+(?:will|to|owns|should)\\b`).test(text));
  return named ?? null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface SentenceClass {
  action: boolean;
  decision: boolean;
}

/** Whether a sentence states an action item and/or a decision (before owner and date extraction). */
export function classifySentence(text: string, hasOwner: boolean, hasDue: boolean): SentenceClass {
  const han = /\p{Script=Han}/u.test(text);
  const latinOnly = !han;
  const isQuestion = han ? ZH_QUESTION.test(text) : EN_QUESTION.test(text) && !(EN_REQUEST_QUESTION.test(text) && (hasDue || /\bplease\b/i.test(text)));
  const hypothetical = han ? ZH_HYPOTHETICAL.test(text) : EN_HYPOTHETICAL.test(text);

  let decision = false;
  const cue = han ? ZH_DECISION.exec(text) : EN_DECISION.exec(text);
  const plain = cue ? null : plainDecisionCue(text, han, hasDue);
  const found = cue ?? plain;
  if (found) {
    const guarded = han ? ZH_DECISION_GUARD.test(text) || ZH_DECISION_PAST.test(text) : EN_DECISION_GUARD.test(text) || EN_DECISION_PAST.test(text);
    // A question reported in an earlier clause ("有人问要不要做自动续费，…，这次不做") does not make the answer one.
    const asks = isQuestion && (QUESTION_END.test(text) || (han ? ZH_QUESTION : EN_QUESTION).test(text.slice(clauseStart(text, found.index))));
    decision = !guarded && !asks && !hypothetical;
  }

  let action = false;
  const strong = han ? ZH_ACTION_STRONG.test(text) : EN_ACTION_STRONG.test(text);
  const weak = han ? ZH_ACTION_WEAK.test(text) : EN_ACTION_WEAK.test(text);
  // English "will" is plain future tense ("the next all-hands will be…"): only a person subject makes it a task.
  if (strong || (weak && (hasOwner || (han && hasDue)))) {
    const negated = han ? ZH_NEGATION.test(text) : EN_NEGATION.test(text);
    const past = han ? ZH_PAST.test(text) && !/(?:明天|下周|之前完成|前完成|负责|跟进|会后|请|麻烦)/u.test(text) : EN_PAST.test(text) && !/\b(?:will|'ll|need to|please)\b/i.test(text);
    const progressive = han ? ZH_PROGRESSIVE.test(text) : EN_PROGRESSIVE.test(text);
    // A decision that only names a date ("上线时间定在下周五") is not also somebody's task.
    const decisionOnly = decision && !strong;
    action = !isQuestion && !negated && !hypothetical && !past && !progressive && !decisionOnly;
  }
  void latinOnly;
  return { action, decision };
}

const QUESTION_END = /[？?]\s*$/u;

/** Index where the clause holding position `at` starts (after the last comma-like break before it). */
function clauseStart(text: string, at: number): number {
  const before = text.slice(0, at);
  const breakAt = Math.max(...['，', ',', '；', ';', '：', ':'].map((mark) => before.lastIndexOf(mark)));
  return breakAt + 1;
}

/** A decision stated without a cue word: scope cut, final answer, dated schedule, policy grant; null when hedged. */
function plainDecisionCue(text: string, han: boolean, hasDue: boolean): RegExpExecArray | null {
  if (han) {
    if (ZH_DECISION_HEDGE.test(text)) return null;
    const schedule = hasDue ? ZH_DECISION_SCHEDULE.exec(text) : null;
    return ZH_DECISION_SCOPE.exec(text) ?? ZH_DECISION_FINAL.exec(text) ?? schedule;
  }
  if (EN_DECISION_HEDGE.test(text)) return null;
  return EN_DECISION_PLAIN.exec(text);
}

/** Action items and decisions of a meeting, in sentence order. */
export function extractActionsAndDecisions(sentences: readonly Sentence[], ctx: ExtractionContext): Extraction {
  const speakers = new Set(sentences.map((s) => s.speaker).filter((s): s is string => s !== null));
  const actionItems: ActionItem[] = [];
  const decisions: Decision[] = [];
  for (const sentence of sentences) {
    const owner = findOwner(sentence.text, sentence.speaker, speakers);
    const due = findDueDate(sentence.text, ctx.meetingDate);
    const cls = classifySentence(sentence.text, owner !== null, due !== null);
    const where = { start: sentence.start, end: sentence.end, speaker: sentence.speaker, sentenceIndex: sentence.index };
    if (cls.decision) decisions.push({ text: sentence.text, ...where });
    if (!cls.action) continue;
    const item: ActionItem = { text: sentence.text, owner, due, ...where };
    const previous = actionItems[actionItems.length - 1];
    if (previous !== undefined && isReplyTo(item, previous)) actionItems[actionItems.length - 1] = mergeReply(previous, item);
    else actionItems.push(item);
  }
  return { actionItems, decisions };
}

/** A short acknowledgement ("好，我来写。", "Sure, I'll do it.") carries no task of its own. */
function isAcknowledgement(text: string): boolean {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const words = (text.match(/[A-Za-z]+/g) ?? []).length;
  return han + words <= 8 && (han === 0 || words === 0) && (han <= 8 && words <= 5);
}

/**
 * The same task said twice in a row by two people: a request and its acceptance ("合同你发给法务看一下" →
 * "好的，我明天就把合同发给法务"). Needs speaker labels to tell the turns apart.
 */
function isReplyTo(item: ActionItem, previous: ActionItem): boolean {
  if (item.speaker === null || previous.speaker === null || item.speaker === previous.speaker) return false;
  if (item.sentenceIndex - previous.sentenceIndex > 2) return false;
  if (isAcknowledgement(item.text)) return true;
  return cosine(termVector(textTerms(item.text)), termVector(textTerms(previous.text))) >= 0.2;
}

/** One item for a request and its acceptance: both sentences, the accepter as owner unless the request named one. */
function mergeReply(request: ActionItem, reply: ActionItem): ActionItem {
  return {
    text: `${request.text} ${reply.text}`,
    owner: reply.owner ?? request.owner,
    due: reply.due ?? request.due,
    start: request.start,
    end: reply.end,
    speaker: reply.speaker,
    sentenceIndex: request.sentenceIndex,
  };
}
