/**
 * Action items and decisions from sentences, by cue phrases and guards. Deterministic; no model.
 *
 * What counts (the annotated meetings in test/minutes/data follow the same rules):
 * - An action item is work someone is to do after the meeting: a strong cue (负责, 跟进, 落实, 我来, 由…来,
 *   请…, 麻烦…, 记得…, "action item", "follow up", "take care of", "please", "I'll", "I can…", "X, send…") or a
 *   weak cue (需要, 要, 安排, 准备, "need to", "will", "going to") together with a named owner or a due date; in
 *   Chinese a person and a time are enough (我周三下午先演练一次), in English an obligation with a deadline
 *   ("we need to file it by Friday"). English clauses inside a Chinese sentence are read with the English cues.
 * - A decision is a choice made in this meeting: 决定, 确定了, 定下来, 就这么定, 敲定, 拍板, 同意 by the group,
 *   通过了/批准, 统一用, 以…为准, 那就用…, "decided", "agreed", "approved", "we'll go with", "let's go with",
 *   "motion carries". Also, without such a cue word: a scope cut (这次不做, 放到下个版本, "let's not…", "we're not
 *   migrating…"), keeping what is (沿用现在这套), a final answer (最终方案是…, "X it is", "the plan is…"), a schedule
 *   stated with a date (联调排在六月二十号那一周), a setting changed to a value (预算上限调到四万五), a standing rule
 *   (以后…都要…, 超过二十分钟就回滚, "from now on…"), a group plan ("we'll sign a one-year contract", "let's cap
 *   standups at…") and a policy grant — each only when not hedged (可能, 争取, "probably"). An acceptance
 *   ("可以，就周四晚上十点") is one decision together with the proposal before it.
 * - Neither counts when the sentence is a question (是不是需要…？, "do we need to…?"; not an indirect one:
 *   我去问问能不能续), negated (不需要, "we don't need to", "haven't decided"), hypothetical (如果…的话, "if we…",
 *   有问题可以…), the meeting's agenda (今天过一下…), or reports the past (我上周已经完成了…, "we already decided last
 *   week…": restated earlier work or decisions are not this meeting's outcomes).
 * - A sentence may be both a decision and an action item ("就这么定了，张三下周五前上线").
 * - Clauses: in Chinese text a space next to a Han character is a clause break (ASR pauses); guards read the clause
 *   of the cue and the one before it, and a condition counts only before what it conditions. Running the meeting
 *   (rules of order, a show of hands, "Please do.") is neither; a vote count is a decision; a deadline question
 *   answered yes by another speaker is that speaker's task.
 * - A resolution closes a discussion without a cue word: a conclusive marker (那/那就/那这样/好/行/对/OK; "Then",
 *   "So") and a commitment (…就上, 先按…做, 先不…, 那就加…吧, a sentence opening 先用…吧; "Then we keep…", "So let's
 *   do the…", "X it is" inside a sentence, "the bid is accepted"), not with a person subject (我先做…: a task).
 * - A request done during the call (请介绍一下, 麻烦您提供一下, "let me check") is no task without a time or "later";
 *   calling a vote is no decision; unpunctuated English asks by word order ("do i need…", "should we…"); a
 *   question-form request ("could you get a quote?") and the yes of the one asked are one task; a due date is read
 *   from the task's clause, not from an earlier clause that is negated, undecided, a question or past.
 * - Not this meeting's tasks: the agenda and handing the floor on (今天的安排是…, 下面请X, "X, go ahead"), a reminder
 *   said now (需要提醒一下), what a third party will do (学校会发通知), opinions (我觉得…挺好), proposals (我建议…),
 *   leave (请假), and what restates an earlier decision (上次…已经定了; "signed off … last Thursday"); 负责人, 申请
 *   and 添麻烦 are nouns or other verbs, not cues. Not decisions yet: a goal for others (目标是…), a proposal asking
 *   for views (…大家觉得怎么样), one put to the vote at the end of the sentence, a counter-offer (可以接受，但…), a
 *   decision to come (定下来以后), a task to decide (把…定下来).
 * - Cue-less decisions also: X就不建了, 先别跟, 这条通过, 先这样定, 就交给第三方, a standing rule after fillers and
 *   spaces (另外 嗯 以后…店长要…), a yes after a question then what it settles (…能不能…？ 可以 那…), "Fine, we split
 *   it", "we're rolling back X now", "freeze on X until Y", "nothing goes into X unless Y", "That's fine, we can add…".
 * - Tasks also: 你 + a task verb, owned by a name just before 你 (民政科刘佳 你写个说明), by the other person in a
 *   two-person meeting, or by the one who says yes next (你直接联系工程部换掉 → 好的 我明天就联系: one task); a
 *   participant named at the start of lowercase ASR ("yeah raj set up a call…"); "everybody …" with a deadline;
 *   "you own the X". The yes to a request for "you" is folded into it.
 * - Resolution statements (round 6): a declarative clause whose predicate sets a state or a policy (改成, 恢复到,
 *   放到, 纳入, X 作为 Y, 先给/先用/先按, 按…执行, 那就申请…, 立场是不同意, 不通过, go with; a stance 我们的思路/立场是…)
 *   with no person subject (我们 is the group) is a decision when the chair says it (the speaker with clearly the most
 *   sentences) or when a closing marker opens it (那/那就/那这样/好/行/OK/所以; not 对/嗯, which confirm a fact). Also a
 *   numbered item passed or failed (第一项通过, 第二项不通过), a funding source (这个钱从…里出), a setting restored
 *   (恢复到八秒), a standing rule with its time or topic set off by a comma (从这个月开始，任何…都必须…), the chair
 *   echoing another speaker's A-not-A question ("要不要做？" → "要做，…"), "Then the X goes/becomes…", "X freeze
 *   outside Y until Z". Not decisions: a vote count when the next sentence states the outcome (the outcome is the
 *   decision), a bare "Agreed." before the speaker's own suggestion, what the chair says after a recap opener (我总结
 *   一下, "to recap"), saying that nothing is decided (不做决定), the close (好 就这些 散会), a list of past results
 *   (完成了九个…一个砍掉了). A demand of an outside party (客户要求我们…) is not a task given here.
 * - Settled comments (round 7): a topic that is not a person and a settling comment — 就/先/还是/统一/全部 (+不) and
 *   a verb (周末版头条就定这个, 午饭就不统一订了, 这个学期先不调), a bare verdict ending its clause (合并不做, PEP 的不改,
 *   借调可以), an allocation to each (每个班出一个节目) — said by the chair (anyone, in a meeting without speaker
 *   labels) or opened by a closing marker (那就发更正). A hedge in another clause is the reason, not doubt about it;
 *   not: questions, conditions, opinions, proposals (我想把…), options listed (两个方案：一是…), the agenda, past
 *   reports, running the meeting (就到这, 先看一下), sequencing (先交第一版), 先 inside a word (优先级). A standing rule
 *   from a date (从明天起/从下周一开始，…要…) is a decision, not a task, unless it names a person. English, from the
 *   chair: "No X in/this Y", "the tank goes in the basement", "We drop…", an instruction that moves or cuts something
 *   ("Bring the UK hire forward to Q3"), a threshold rule ("any discount above … needs my sign-off"), read up to its
 *   own end (a condition after it belongs to the exception); "the motion fails"; not "Let's vote", "I'll put it to a
 *   vote", nor what "at the last review we agreed"; a bare "Then yes, approved." before the decision it introduces.
 * - Round 8: running the meeting is neither (openings 那我们开始/今天就几个事/"let's get started", moving to an item
 *   先从X开始/"let's take the first one", "I'll call a vote", "Quinn, you raised this"); a deferral (再讨论/再议,
 *   再想想, 先别定, 不在今天的范围, "we won't settle this", "let these sit") decides nothing, though an outcome in
 *   another clause still counts; in spaced ASR a question word (是不是/能不能/要不要) governs the clauses after it up
 *   to a yes; work given to a named person (X你…) without a decision word is a task only; background facts
 *   (往年…, 我算一下：…), a proposal inside the sentence (…我建议…) and forecasts (预计…完成) are no tasks; short
 *   verdicts by the chair or after a closing marker: 定+quantity, 必须上, 维持…不变, 就在X办, 不再…任何, 最少派N, X停用,
 *   "She's admitted", "That one's declined", "X stays flat".
 * - Round 9: a motion or amendment that carries or fails is a decision ("The X amendment carries"); "there's no
 *   second", "let's open public comment", "Before we start, I should say…", "I'll go through…" (without owner and
 *   date) and "we're not going to decide … tonight" run the meeting; an approval dated in the past ("…the council
 *   approved in September") is background; English verdicts also "X stays down/offline", "X is cut to N", "You're
 *   in the beta"; in spaced ASR the Chinese cues allow spaces (那 这个 项目 就 用 X, 就 用 X at the end, 这次 就 不请了,
 *   以后…不搞…了, 从这次X开始…都要, 必须两人审批, 最高不超过N); what an outside party said it will do (client 说 他们
 *   下周 会…, 消防那边说…会来…) is neither task nor decision; "我 来 找" with the owner after the object is a task;
 *   "X can you…" without a comma, after an opening sentence, is a request; a reply opening "I will," or, without
 *   speaker labels, "no problem i'll…" right after a request to you is folded into it; "Um," is no name.
 * - Rounds 10–15: two learned sentence scorers (outcome-scorer.ts) sit on top of the rules — a rule finding stands
 *   unless its scorer finds it unlikely, a sentence the scorer is confident about counts without a rule unless its
 *   structure bars it (a question, a deferral, running the meeting, news from elsewhere or a restated rule, a
 *   condition, a proposal, an opinion, work handed to someone by name, a sum worked out aloud); transcripts under 8
 *   sentences are left to the rules; sentences of character-spaced ASR are joined first (sentences.ts); more
 *   deferrals (放一放, 定不了, 等…再说/再看/再评估, 下次…研究, 再说 at the end, "let's not get into that today", "see how
 *   it goes", "back pocket", "let's hold X until…"); rules in force are restated (上个月就定了, 定过, 有规定, "that's in
 *   the bylaws"); what headquarters says is news; owners named by a form of address resolve to the participant
 *   (韩局长 → 韩磊, 老马 → 马建国, 思琪 → 陈思琪, 欧阳 → 欧阳斌, "Priya" → "Priya Raman"), units own tasks (水利站负责,
 *   请交管站…, 你们卫生院), lowercase "marcus can you…" names marcus; English verdicts by the chair without a decision
 *   word ("those four are in", "Dogwood takes the seventh slot", "the shelf stays"); confirmations (就这么定了,
 *   这个从下周一开始执行) fold into the decision they confirm.
 * - Round 16: a sentence is listed once (a decision when it says it settles, a task when it names who does it, else
 *   the decision); a recap opener, a leaning of one's own (我个人倾向…), calling a vote (投个票), agenda headings
 *   (最后一项，X。, 这部分就到这里, "Let's go.") and 按规定/法律上 decide nothing; a scorer never adds a bare yes or a
 *   current fact; chair verdicts "Pecan's out.", "X's on the board", "…, both in", "We're declining X", rules for all
 *   (所有人都不能请假); a topic with 的话 is no condition on a task; owners by familiar form (老纪, 小雅, 思思), a titled
 *   person before 你们, a lowercase name before "you need to" without labels, the speaker of a first-person task.
 * - Round 17: an option laid out (方案一是…, "Option B is…") is no decision; 谁来…/怎么还没…/为什么 ask; what a region,
 *   an office or the leadership says or demands (区域说…, 所里要求…) is news from elsewhere.
 * - Round 18: proposals, reluctance and "nothing to decide" settle nothing; agenda moves (Let's take X first, 先讨论X),
 *   discussion put later and a closing 那就这样 run the meeting; a bare yes to another speaker's proposal is listed with
 *   it, "No exceptions." with the rule before it.
 * - Round 20: word-spaced ASR (行 那 就 这么 定 了) is read and listed as written Chinese, while the bars on what a
 *   scorer adds still read the spaces, which end clauses there; guards no longer reach across an unpunctuated clause
 *   (这么定 以后…, 固定 is no 定, eight hands up is a count, not a call to vote); formal rulings (不予认定, 予以受理), "X it
 *   is, then" and "From today, …" decide; "bring it back next month", "let's just vote", "let's not argue", 要不…,
 *   就咁多 and what was decided 当时 do not.
 * - Round 21: a proposal turned down (这个提议我们不采纳, X这个不行), a rule for everyone (谁也不许…), keeping things
 *   as they are (不改了, 这学期先不弄了), a stated conclusion (结论是…), an application granted (地址变更同意), "We decline
 *   X", "Set it at …", "lets …" in lowercase ASR, "fees stay as they are", "We close it on our end" decide; "put it to
 *   a vote", "take it up again", "don't want to decide", "agreed two weeks ago", a sign-off (就这样，各就各位吧), "Go on
 *   then, Dave." and "It is." do not. A scorer may add a sentence whose deferral only puts off the rest after a
 *   settled part (先换四层，其他楼层明年再说), one opening with a topic and 的话, and the chair's 我的意见是….
 * - Round 22: elections ("kirsty is our new foreman", "steve stays squire"), "New rule, …", "…, starting now",
 *   "from monday every …", "nobody plants alone", "X gets the Y, not a Z", "… flat it is" at the end of an unpunctuated
 *   turn, an English verb in Chinese speech (这个 case 我们 decline, 就 close 掉), 就算了, 这样吧 + how it is done decide;
 *   a bare "Hearing none.", "Let's leave X for the next call" and "I'm thinking …" do not; a standing rule
 *   (从今天起…必须…) is listed as the decision even when the speaker adds it in the first person.
 * - Round 23: no new phrase rules. The scorers read each sentence's shape and how much it takes up of what others
 *   just said (outcome-scorer.ts); a decision the scorer is sure of (SURE_DECISION_THRESHOLD) is not barred; a reply
 *   the action scorer vetoes still gives the request before it the date it lacks.
 */
import { findDueDate } from './dates.ts';
import { CUE_WORD_KEEP_THRESHOLD, DECISION_ADD_THRESHOLD, MIN_SENTENCES_FOR_SCORERS, SURE_DECISION_THRESHOLD, combineWithRule, outcomeProbabilities, type OutcomeScorers } from './outcome-scorer.ts';
import { joinWordSpacedHan } from './sentences.ts';
import { cosine, termVector, textTerms } from './terms.ts';
import type { ActionItem, Decision, DueDate, Sentence } from './types.ts';

export interface ExtractionContext {
  /** `YYYY-MM-DD` or null. */
  meetingDate: string | null;
  /** Learned scorers combined with the rules (`combineWithRule`); without them the rules decide alone. */
  scorers?: OutcomeScorers | null;
}

export interface Extraction {
  actionItems: ActionItem[];
  decisions: Decision[];
}

const ZH_ACTION_STRONG = /(?<!是)负责(?!的|人)|跟进|跟一下|落实|我来|由[^，。,]{1,8}?来|(?<!申|邀|聘|宴|提|敬|报)请(?!问|教|假|求|了|过|[^，。\s]{0,4}?假)|(?<!比较|很|太|挺|有点|有些|特别|非常|更|最|真|也|不|怕|不少|很多|好多|一些|太多|添|造成|带来|惹)麻烦(?!的|了|事|在|就|是|得)|我\s来\s?(?=找|做|写|弄|跟|联系|约|配|准备|整理|搞|安排|负责|对接|处理|发|问|查|改|修|定)|记得|别忘|不要忘|会后|待办|我这边[^，。]{0,6}(?:会|去|来|把|再)|我会|我去|我回头|抓紧|尽快|牵头|提交给|发给|同步给/u;
/** Task verbs; they make an action item only together with an owner or a due date. Nouns built on them (上线时间, 完成率) do not count. */
const ZH_ACTION_WEAK = /需要|要把|要在|要先|得在|得把|(?<!具体|的|工作|整体|时间)安排|准备|整理|更新|确认一下|对接|联系|修复|补上|出一[版个份]|写一[版个份]|做一[版个份]|完成(?!率|度|情况)|上线(?!时间|日期|目标|计划|节点|窗口|的)|提交(?!记录)|发出|改一下|看一下|评估|做完|做好|写好|弄好|搞定|给到|发到|跑完|把[^，。]{1,16}?(?:发|给|改|修|写|做|整理|提交|同步|更新|补|跑|拿出来|交到|交给|上交|报给|[过走查看]一遍|核对|排查|检查|梳理)|(?:写|做|出|弄|拟|列)个|你(?:直接|先|再)?(?:联系|了解|核实|沟通)|去(?:问|找|联系|确认|对接|沟通)|问一下|给我|发给我|你(?:回头|顺手|帮忙|负责|来|去|先)|你[^，。\s]{0,6}?把/u;
/** "a follow-up" (the noun) is a meeting, not a task; "follow up" (the verb) is one. */
const EN_ACTION_STRONG = /(?:^|[.!]\s+)(?:(?:[A-Z][a-z]+\s+)?[A-Z][a-z]+,?\s*)?(?:can|could|would) you\b|\byou (?:own|take|drive|lead|handle) (?:the|this|that|it)\b|\b(?:action items?|(?<!\b(?:a|an|the|another) )follow[- ]up|take care of|please|i'll|i will|i'm going to|i am going to|i can (?!see\b|hear\b|tell\b|imagine\b|understand\b|think\b|say\b|only\b|live\b|agree\b)|i've got (?:it|this|that)|i'm on it|let me|assigned to|will own|owns this|on my plate|to-?do)\b/i;
/** An instruction to everyone ("everybody clean up your opportunities by thursday"): a task when it has a deadline (without one it is often meeting conduct: "everyone keep it short"). */
const EN_ALL_IMPERATIVE = /^(?:(?:ok|okay|so|and|yeah|right|alright),?\s+)*(?:everybody|everyone|all of you|folks),?\s+(?!is|are|was|were|has|have|had|knows?|agrees?|thinks?|seems?|did|does|do|will|would|can|could|should|gets?|got|likes?|loves?|wants?)[a-z]+\b/i;
/** An obligation with a deadline is a task even without a named owner ("we need to submit the form by Friday"). */
const EN_OBLIGATION = /\b(?:need to|needs to|has to|have to|must|should)\b/i;
/** Running a meeting by its rules of order is not a task: "I'll call the meeting to order", "I'll move that", "Please do." */
const EN_PROCEDURE = /\b(?:call (?:the|this) (?:[\w-]+ ){0,6}?(?:meeting|session) (?:[\w-]+ ){0,6}?to order|(?:take|entertain|hear|need|want) a motion|(?:i|we)(?:'ll|'d| will| would) (?:move|second) (?:that|it|this|the motion)|put (?:it|this|that|the [\w-]+) to (?:a|the) vote|so moved|(?:we're|we are|meeting is|stand) adjourned|all in favou?r|any (?:opposed|objections)\b|^before we (?:start|begin|get started)\b|\bi (?:should|must|have to|need to|want to) (?:say|mention|point out|note|remind (?:you|everyone))\b)/i;
const EN_BARE_REPLY = /^(?:(?:yes|yeah|sure|okay|ok),?\s+)?(?:(?:[A-Z][a-z]+\s+)?[A-Z][a-z]+,?\s+)?(?:please do|will do|please|(?:please )?go ahead|you're up|over to you|take it away|the floor is yours|thanks?(?: you)?)[.!]*$/i;
/** "Ravi you can send the new invite": a name before "you can/should/…" without a comma (ASR output has none). */
const EN_VOCATIVE_YOU = /^(?:(?:[Oo]kay|OK|[Ss]o|[Aa]nd|[Tt]hen|[Aa]lso|[Aa]lright)\s+)?([A-Z][a-z]+),?\s+you(?:'ll| can| could| should| will| need to| have to)\b/;
/** Tags that soften an offer without making it conditional ("I can reach out to them if that helps"). */
const EN_COURTESY_IF = /\bif (?:that|it|this) (?:helps|works|is okay|is ok|'s okay|'s ok)\b|\bif (?:you (?:want|like|need)|needed|necessary|useful)\b|\b(?:the|a|any|all) [\w-]+(?: [\w-]+){0,3}? (?:you|we|they) would\b/gi;
/** "we need to sign by April first or we lose it": a constraint with its consequence, not a task. */
const EN_CONSEQUENCE = /\bor (?:else|we|you|they|it)\b|\botherwise\b/i;
/** Meeting procedure in Chinese: a show of hands, closing the meeting. */
const ZH_PROCEDURE = /(?<![一二两三四五六七八九十\d]\s?(?:个|位)?\s?人?\s?)举手|表决一下|散会|散了吧|(?:我|我们)?(?:来|先)?(?:总结|小结|回顾)一下|你(?:先)?(?:说|讲|介绍|汇报)一下|你(?:先)?(?:说说|讲讲)/u;
/** Handing the floor to the next speaker ("好，下面请刘静。", "先请授信审批部介绍第一个议题"): runs the meeting. */
const ZH_HANDOVER = /(?:^|[，,\s])(?:下面|接下来|首先|先|然后|现在|再)(?:有)?请(?:[^，。\s]{1,10}?(?:介绍|讲|说|汇报|发言|分享|补充|来讲|来说)|[^，。\s]{1,6}[。！!]?$)/u;
/** A reminder or remark made now ("需要提醒一下，…"): the act is the speech itself; its cue is no task cue. */
const ZH_SPEECH_ACT = /(?:需要|想|要|再|先)?(?:提醒|强调|说明|补充|重申)(?:一下|大家)[，,\s]*/gu;
/** What a third party outside the meeting will do ("学校会发通知", "总部会统一安排"): an announcement, not a task. */
/** What an outside party said it will do ("client 说 他们 下周 会 发…", "消防那边说下个月会来…"): news, neither task nor outcome. */
const ZH_REPORTED_SPEECH = /(?:client|客户|对方|甲方|厂家|供应商|消防|物业|[\p{Script=Han}]{1,6}那边|他们)\s*说\s*[^。？?]{0,24}?会/u;
const ZH_THIRD_PARTY = /(?:学校|公司|总部|集团|医院|市里|区里|省里|上级|上面|厂家|厂商|供应商|对方|他们|她们|园方|物业)(?:那边)?(?:会|将|要|也会)(?:另行|统一|再)?(?:发|通知|公布|安排|出|下发)/u;
/** A demand of a party outside the meeting ("客户那边要求我们九月二十号之前提交…"): what they want, not yet a task given here. */
const ZH_THIRD_PARTY_DEMAND = /(?:客户|对方|甲方|乙方|法院|监管|上级|总部|集团|厂家|供应商|他们)(?:那边|方面)?(?:要求|希望|催|让)(?:我们|咱们)/u;
/** A recap of the meeting ("我总结一下今天的结果", "To recap: …"): what follows restates what was decided. */
const RECAP = /(?:总结|小结|回顾)一下|\b(?:to recap|let me recap|quick recap|to sum (?:it )?up|to summari[sz]e|in summary|recapping|(?:run|go) through what we(?:'ve| have) (?:landed|decided|agreed))\b/iu;
/** A proposal put to the group ("我建议…", "风险部建议，…", "我的想法是…"): the decision, if any, comes later. */
const ZH_PROPOSAL = /^(?:(?:好|那|嗯|另外|还有|我们)[，,\s]*)?(?:我|我们|[\p{Script=Han}]{1,4}(?:部|科|组|处|这边))?(?:的)?(?:建议|提议|想法是|意见是)/u;
/** An opinion ("我觉得两周一次挺好…"): a view, not a commitment. */
const ZH_OPINION = /^(?:(?:嗯|对|是|其实|说实话|我说一下)[，,\s]*)?我(?:个人)?(?:觉得|认为|感觉|倾向)/u;
/** Asking for leave ("我下个月想请五天假"): time off, not work to do. */
const ZH_LEAVE = /请[^，。\s]{0,4}?假|休[^，。\s]{0,3}?假/u;
/** A restated earlier decision ("上次 team meeting 已经定了 …"): what follows restates it. */
const ZH_RESTATED = /(?:已经|早就|之前就|上次[^，。]{0,16}?|上周[^，。]{0,16}?)(?:定了|决定了|确定了|说好了|定下来了|同意了|批了)|(?:上个月|上周|上次|去年|之前|以前|原来)(?:就|已经)?(?:定的|定了|定过|说好的|决定的|规定的)|有规定[，,]|按(?:照)?规定|法律上/u;
/** Acceptance on a condition ("四个点我们可以接受，但 SLA 要…"): a counter-offer, not yet a decision. */
const ZH_COUNTER_OFFER = /(?:可以|能)(?:接受|同意|答应)[^。？?]{0,4}?[，,\s]\s*(?:但|不过|前提是|条件是)/u;
/** Calling a vote ("那就这个建议表决", "现在投票"), not its result ("投票通过", "表决结果"). */
const ZH_CALLS_VOTE = /(?:表决|投(?:个|一下|一个)?票)(?!通过|结果|的结果)|(?<![一二两三四五六七八九十\d]\s?(?:个|位)?\s?人?\s?)举手/u;
/** Requests done during the call itself: speaking, showing or giving something now. */
const ZH_IN_CALL = /(?:请|麻烦)[^，。\s]{0,4}?(?:介绍|说|讲|提供|告诉|报|念|解释|展示|演示|分享|读)一下|(?:请|麻烦)[^，。\s]{0,4}?(?:说说|讲讲)/gu;
const EN_IN_CALL = /\b(?:let me (?:just )?(?:check|see|look(?: at| into)?|pull up|find|grab|open|share|confirm|verify)|one sec(?:ond)?|hold on|bear with me)\b/gi;
/** Words that put a request after the call. */
const LATER = /会后|下次|回头|之后|以后|later|after (?:the|this) (?:call|meeting)|get back to|follow up/iu;
/** Putting a proposal to the group ("大家有没有意见？", "可以吗？"). */
const ZH_ASKS_CONSENT = /(?:有没有|有什么|有)(?:意见|异议|问题)(?:吗|呢)?[？?]?\s*$|(?:^|[\s，,])(?:这样)?(?:(?:大家|你们|各位)(?:觉得|看)?)?(?:可以吗|行吗|好吗|怎么样|如何|同意吗)[？?]?\s*$/u;
/** A deadline asked for ("这周五之前能出来吗"): a task once the one asked says yes. */
const ZH_CAN_ASK = /能|可以|来得及|赶得上|没问题|行不行/u;
const ZH_YES = /^(?:(?:嗯|好|好的|行|可以|没问题|OK|ok|对)[\s，,。！!]*)?(?:(?:[^，。\s]{0,6}?)(?:应该)?(?:没问题|可以|能|来得及|行))|^(?:好|好的|行|可以|没问题|OK|ok)[\s，,。！!]*$/u;
const ZH_NO = /不行|不能|来不及|不可以|够呛|悬|恐怕|不太|不好说|说不准|不一定|不确定|难说/u;
const EN_ACTION_WEAK = /\b(?:need to|needs to|has to|have to|will|'ll|going to|should|must|make sure|plan to|is to|are to)\b|\w'll\b/i;
/** "Tom, send me the logs": a name, a comma, then a verb (not a pronoun, greeting or filler). */
const EN_VOCATIVE_IMPERATIVE = /^(?:(?:okay|ok|so|and|alright|then|also),?\s+)?([A-Z][a-z]+),\s+(?!(?:i|we|you|he|she|they|it|that|this|there|what|how|why|who|when|where|do|did|does|is|are|was|were|any|thanks|thank|yes|yeah|no|right|good|great|sorry|well|so|and|but|the|a|an|as|in|on|at|for|if|when|just|hi|hello|hey|welcome|good|nice|exactly|sure|okay|ok|correct|agreed)\b)[a-z]+\b/;

/** Sentence-final particles and A-not-A forms; an A-not-A form after a verb of asking is an indirect question (我去问问能不能续). */
const ZH_QUESTION_END = /(?:[？?]|[吗嘛呢](?:[。.！!]?)|(?:在哪|哪里|哪儿|什么时候|多少钱?)|从哪\p{Script=Han}{0,2}[啊呀]?)\s*$/u;
const ZH_QUESTION_FORM = /是不是|要不要|需不需要|有没有必要|能不能|可不可以|是否|对不对|好不好|行不行|还是说|谁\s?(?:先\s?)?(?:来|去|负责|牵头)|怎么\s?还\s?没|为什么|为啥/gu;
const ZH_INDIRECT_ASK = /问|确认|看|了解|查|核实|评估|研究|商量|讨论|判断|知道|打听|试试|测一下|决定/u;
const EN_QUESTION = /\?\s*$|^(?:do|does|did|should|shall|can|could|would|is|are|was|were|have|has|what|why|how|who|when|where)\b/i;
const EN_REQUEST_QUESTION = /(?:^|[.!]\s+)(?:(?:[A-Z][a-z]+\s+)?[A-Z][a-z]+,?\s*)?(?:can|could|would) you\b/i;
const ZH_NEGATION = /不需要|不用|无需|不必|没必要|暂时不|先不|不打算|不会去|不做|不搞|不再|没有必要|不要(?!忘)|别(?!忘)|不变|照旧/u;
const EN_NEGATION = /\b(?:don't|do not|doesn't|does not|no need|not going to|won't|will not|shouldn't|should not|never|not)\b/i;
/**
 * Round 16: a short topic marked with 的话 at the start ("南湾的话 我明天就去…", "手套的话 Ben 你…", "告示的话我来做") names
 * what the task is about; it is no condition.
 */
const ZH_TOPIC_DEHUA = /^(?:(?:那|嗯|还有|另外|然后)[，,\s]*)?[\p{Script=Han}A-Za-z]{1,6}的话(?=[\s，,]|我|你|这次|这个|今年|今天|就|先|咱们)/u;
function withoutTopicDehua(text: string): string {
  return /如果|假如|要是|万一|假设/u.test(text) ? text : text.replace(ZH_TOPIC_DEHUA, '');
}
/** 有问题可以会后找我: an offer that depends on a condition, not a task. */
const ZH_HYPOTHETICAL = /如果|假如|(?<!主|只|重)要是|万一|假设|的话|除非|要不然|否则|有(?:任何)?(?:问题|疑问|想法|需要)[^，。]{0,6}(?:可以|随时|再)|随时(?:找|联系|问|沟通)/u;
const EN_HYPOTHETICAL = /\b(?:if|unless|in case|suppose|supposing|would|might|maybe|perhaps|whether)\b/i;
/** Progress reports in a standup ("今天主要在修…", "I'm looking at…") are status, not new work. */
const ZH_PROGRESSIVE = /今天(?:主要|我们)?(?:想|来|讨论|评审|给大家|过一下)|主要在|正在|在修|在做|在写|在看|在弄|在跑|在查/u;
const EN_PROGRESSIVE = /\b(?:i'm|i am|we're|we are) (?:looking at|working on|still)\b/i;
/** The meeting's own agenda ("今天和Kevin对一下进度", "今天是季度回顾", "Today we need to pick…") is not a task. */
const ZH_AGENDA = /^(?:(?:好|那|嗯|OK|ok|那么|大家好)[，, ]*)?(?:今天|这次|本次|这个会)(?:的)?(?:安排|议程|流程)(?:是|如下|大概是)|^(?:(?:好|那|嗯|OK|ok|那么|大家好)[，, ]*)?(?:今天|这次|本次|这个会)(?:的会)?(?:是|我们|主要|就|先|和|跟|来)[^，。]{0,16}?(?:过一下|过一遍|捋一下|梳理一下|对一下|看一下|聊一下|聊聊|讨论|同步一下|回顾|评审|复盘|碰一下|对齐|过过|会|例会|周会)/u;
const EN_AGENDA = /^(?:(?:okay|ok|so|alright|right|hi|hello|good morning)[, ]+)*(?:today|in this meeting|this meeting|the goal of this meeting)\b/i;
const ZH_PAST = /已经|早就|之前就|上周[^，。]*了|昨天[^，。]*了|上次[^，。]*了|上个月[^，。]*了|做完了|搞定了|完成了/u;
const EN_PAST = /\b(?:already|last week|yesterday|last time|last (?:monday|tuesday|wednesday|thursday|friday|sprint|quarter)|last month|earlier today|previously|finished|completed|shipped|was done|were done)\b/i;

/** A date-like word right after a scheduling verb (排在六月二十号那一周, 推迟到下周三). */
const ZH_DATE_AHEAD = '(?=[^，。,]{0,3}(?:今天|明天|后天|下+周|本周|这周|周[一二三四五六日天末]|星期|月底|月初|月中|年底|年前|节后|\\d|[一二两三四五六七八九十]+[月号日点]|季度|Q\\d))';
/** A quantity right after a parameter verb (预算上限调到四万五, 阈值改成百分之八十). */
const ZH_QUANTITY_AHEAD = '(?=[^，。,]{0,4}(?:\\d|[一二两三四五六七八九十百千万半]|百分之))';

const ZH_DECISION = new RegExp(
  [
    '那就(?:先不|不|用|按|选|定(?!一下)|统一|改用|改成|换成|采用)',
    // "那消息队列就用RocketMQ": the subject between 那 and 就.
    '(?:^|[，,\\s])那\\s*(?:(?![^，。？?！!\\s]*(?:是不是|能不能|要不要|可不可以|是否|还是))[^，。？?！!\\s]{1,12}\\s+){0,2}(?![^，。？?！!\\s]*(?:是不是|能不能|要不要|可不可以|是否))[^，。？?！!\\s]{1,12}?\\s*就\\s*(?:先不|用|按|选|定(?!一下)|统一|改用|改成|换成|采用)',
    // "…贵 一点 也 值得 就 用 Grace": spaced ASR, the choice ends the sentence.
    '(?:^|\\s)就\\s+用\\s+(?:[^，。？?！!\\s]{1,12}\\s*){1,3}$',
    // A vote result without a decision word: 四票同意 一票反对 通过.
    '[一二两三四五六七八九十\\d]+票(?:同意|赞成|通过)|(?:^|[，,\\s])(?:全票|一致)?通过[。！!]?$',
    // A group plan settled with 就…吧: 那天我们就demo这个feature吧.
    '(?:我们|咱们)就(?!到这|先到这|这样|先这样|先聊|先说)[^，。？?！!]{1,24}?吧(?=[，,。！!\\s]|$)',
    '(?:^|[，,])\\s*(?:那|那我们|那咱们|我们|咱们)(?:就|先|还是)?(?:统一|改用|换成|采用)',
    '(?:^|[，,])\\s*(?:我们|咱们)就(?:用|按|选)',
    '就这么(?:办|定|着)',
    // "价格这部分我们先这样定".
    '(?:先|就)(?:这样|这么)定(?![吗呢])',
    // An item passed by name ("这条通过", "验证报告就审议通过").
    '(?:这条|这项|这一条|这个议题|该议案|本议案|议案|提案|这个方案|第[一二三四五六七八九十\\d]+(?:项|条|个议题|号议案|个议案))(?:就)?(?:审议)?(?:不予|未|不)?通过(?!率|吗)|(?:就|予以)审议通过',
    // An English verb of choosing after 就 ("那我们就 go with 方向二"): too short a clause for the English cues.
    '就\\s*(?:go with|go for|stick with)\\b',
    '就这样(?:定|办)',
    '(?:这次|先|暂时)不做',
    '定在|定为|定成|决定',
    '确定(?:了|下来|用|采用|为|就|是)',
    '定下来',
    '(?<![稳固规肯一确否指特设])定了',
    '敲定|拍板|达成一致|选定|定稿',
    '(?:大家|都|一致|我们|双方)[^，。]{0,4}同意',
    '通过了|(?:一致|投票|审批|评审|全票)通过',
    '批准|批了',
    '最终(?:选|用|采用|定)',
    '就按[^，。]{0,12}(?:来|办|走|执行)',
    '按(?:这个|这|你说的|刚才说的|[^，。]{1,8}的(?:方案|建议|意见))(?:来|办|走|执行)',
    '就用[^，。]{1,12}吧',
    '统一(?:用|成|为|按|采用|改成|改为)',
    '以[^，。]{1,12}为准',
    '就(?:它|这个|这家|这版)了',
    // Round 21: keeping things as they are (还是周三，不改了; 这学期先不弄了; 这本我们不参与竞价了), a conclusion stated
    // (结论是今晚按计划飞), an application granted by name (地址变更同意).
    '(?<![走搬拿跑推拉挪扛抬])不(?:改|换|变|调|动)了(?![吗呢吧啊？?])',
    '(?:我们|这次|今年|这学期|这个月|这回|暂时)(?:就|也)?(?:先)?不(?!是|会|知道|用|好|行|够|太|清楚|一定|确定|少|多|错|对|要紧|讨论|说|谈|议|聊|定|管)\\p{Script=Han}{1,4}了(?![吗呢吧啊？?])',
    '(?:^|[，,\\s])(?:那|所以|综合下来|最后)?[^，。？?\\s]{0,8}结论(?:就)?是',
    '(?:申请|变更|请求|方案|报告|计划|预算|调整)同意[。！!]?$',
    // Round 21: a proposal turned down (公众号发案例这个不行, 急诊基数柜这个提议我们不采纳) and a rule for everyone (谁也不许进仓).
    '\\p{Script=Han}{2}这个(?:提议|建议|方案|申请)?(?:我们)?(?:不行|不采纳|不采用|不接受)(?![吗呢吧啊？?])',
    '谁(?:也|都)不(?:许|准|能|得)',
    // Round 22: an English verb in Chinese speech (Mott Street 这个 case 我们 decline; 那个就 close 掉), dropping a plan
    // (那送花就算了吧), and 这样吧 opening how it will be done (这样吧 这个 recall 的上门我们分两批).
    '(?:我们|就|那就)\\s?(?:decline|reject|approve|close|cancel|drop|skip|pass)(?:\\s?掉)?(?=[。！!，,\\s]|$)',
    '就算了(?:吧)?(?![吗呢？?])',
    '^(?:(?:那|好|嗯)[，,\\s]*)?这样吧[，,\\s]+(?!你|您|\\p{Script=Han}{1,3}你)',
    // A formal ruling (第一件，不予认定视同工伤; 予以受理).
    '(?:予以|不予)(?:认定|受理|批准|立案|采纳|支持|驳回|撤销|登记|备案|核准|退回|处罚|追究|报销)',
  ].join('|'),
  'u',
);
/** Agreement to what was just proposed: "可以，就周四晚上十点", "行，那就按你说的". Not the meeting's close (好，今天就到这). */
const ZH_ACCEPT = /^(?:可以|行|好(?:的|吧)?|同意|没问题|OK|ok|嗯)[，,。!！ ]*(?:那)?就(?!是|到这|先到这|这些|这么多|咁多|这样(?:吧|了)?(?:[\s，,。！!]|$))/u;
const EN_DECISION = /\b(?:decided|decision is|agreed|approved|(?:we'll|we will|let's|we're|we are) go(?:ing)? with|settled on|signed off|it's decided|final call is|go with option|we(?:'ve| have) (?:chosen|picked|settled)|(?:let's|we'll|we will) (?:proceed|move forward|go ahead) with|green ?lit|greenlit|green light|it's a go|(?:motion|amendment|resolution|ordinance|bylaw) (?:passes|passed|carries|carried|fails|failed|is defeated|is rejected)|consensus is|unanimous(?:ly)?|locked in|finali[sz]ed|(?:let's )?make it official|(?:i|we) approve)\b/i;
const EN_ACCEPT = /^(?:ok(?:ay)?|alright|all right|fine|sounds good|agreed|yes|yeah|sure|great|good)[,.!]?\s+(?:let's (?:do|go with|go for) (?:that|it|this)|(?:that|it)'s (?:decided|settled|the plan|a plan|a deal)|deal|go for it|do it|approved|ship it|that works)\b/i;
/**
 * Decisions stated without a cue word (see the header). Each needs a plain, unhedged statement; the schedule
 * ones also need a due-date expression in the sentence (checked in classifySentence).
 */
const ZH_DECISION_SCOPE = new RegExp(
  [
    '(?:这次|这期|本期|这一期|今年|这个版本|本版本|先|暂时)\\s*(?:就\\s*)?不\\s*(?:做|上|加|搞|修|改|参加|考虑|推|请|办|买|去)了?(?![吗呢])',
    '不做(?:改动|调整|变动|变更|修改)',
    '(?:放到|推到|挪到|延到|留到)下(?:个|一)?(?:版本|迭代|季度|阶段|期|sprint)',
    '(?:沿用|维持)(?:现在|现有|原来|原有|之前|目前|现状|原)',
    '保持不变',
    '继续(?:沿用|采用|按|用)',
    '(?:取消掉?|砍掉|去掉|停掉)(?:吧|了)(?![吗呢])',
    // "南苑那个点就不建了", "满减先别跟": without a person subject.
    '(?<![我你他她们您])就不(?!说|讲|展开|聊|多说|赘述|耽误|打扰|占用|是|用|行|好)\\p{Script=Han}{1,2}了(?![吗呢])',
    '(?<![我你他她们您])(?:先|暂时|就)别(?!忘|急|说|管|客气|担心|着急|动)\\p{Script=Han}',
    '(?:就|统一|全部|整体)(?:交给|外包给)',
    // Where the money comes from ("这个钱从今年的智能交通项目里出").
    '(?:钱|费用|经费|预算|资金|开支)(?:就)?从[^，。？?]{1,20}?(?:里|中|项目|预算|经费)?(?:出|列支|支出)(?![来去现])',
  ].join('|'),
  'u',
);
const ZH_DECISION_FINAL = /最终(?:的)?(?:方案|结论|决定|版本|定价|价格|人选)(?:就)?(?:是|为|用)/u;
const ZH_DECISION_SCHEDULE = new RegExp(
  '(?:上线|发布|发版|交付|截止|验收|完成)(?:的)?(?:目标|时间|日期|节点|窗口)?(?:就)?(?:是|为|定在|放在|改到|改成|调到|调整到|推迟到|延后到|提前到|安排在)|' +
    `(?:目标|时间|日期|节点|窗口)(?:就)?(?:定在|改到|改成|调到|调整到|推迟到|延后到|提前到|安排在)|(?:排在|放在|安排在|改在|挪到|推到|推迟到|延后到|延期到|提前到)${ZH_DATE_AHEAD}`,
  'u',
);
/** A setting changed to a stated value; when the same sentence assigns the work, the assignment is the outcome. */
const ZH_DECISION_PARAM = new RegExp(`(?:恢复到|恢复成|调到|调整到|调整为|调成|改到|改成|改为|提高到|提到|降到|降低到|上调到|下调到|缩短到|延长到|放宽到|收紧到|控制在|设为|设成|设置为|限制在)${ZH_QUANTITY_AHEAD}`, 'u');
/** A standing rule: 以后…都要…, 一律, 超过二十分钟就直接回滚. */
const ZH_DECISION_POLICY = /(?:^|[，,\s])\s*(?:(?:那|那么|所以|另外|还有|好|嗯|就是)[，,\s]*)*(?:以后|今后|往后|从现在(?:开始|起)|从今天(?:开始|起)|从(?:下|这|本)(?:个)?(?:周|月|版本|迭代|季度|学期)(?:开始|起)|从(?:这次|下次|本次|这一次)[^，。\s]{0,8}?(?:开始|起)|从(?:明天|后天|下+周[一二三四五六日天]?|下个?月|[\d一二三四五六七八九十]+月[\d一二三四五六七八九十]+[号日])(?:开始|起))[，,]?(?:[^，。]{0,24}[，,])?[^，。]{0,24}(?:都|一律|统一|必须|要|就|需要|不再|不能|不允许|不准|不搞|不许)|一律|凡是|作为规定|(?:所有|全体)[^，。？?]{0,12}?(?:都(?:要|得|不能|不准|不许|不得)|必须)|(?:超过|一旦|低于|高于|多于|少于)[^，。]{1,16}就/u;
const ZH_DECISION_HEDGE = /^(?:(?:呃|嗯|那)[，,\s]*)?要不(?!然|是|要)|可能|大概|估计|也许|或许|争取|希望|尽量|看看|试试|应该是|好像|预计|初步|暂定|倾向|建议|考虑|(?<!上线|发布|发版|交付|验收|完成)目标是|想法是|可以(?:定在|定为|改成|调到|放在)/u;
/** Verbs that after "let's" run the meeting ("let's start", "let's talk about it later") rather than decide anything. */
const EN_LETS_PROCEDURE =
  '(?:not|vote|take a vote|put (?:it|this|that) to (?:a|the) vote|take (?:it|this|that) up again|bring (?:it|this|that|them) back|keep (?:the )?(?:bridge|call|line|meeting|room|channel|session) (?:open|going)|do (?:the|a|an|introductions|this quickly)|start|plan|walk|have|ask|get \\w+ to|run through|cover|outline|list|align|begin|get (?:started|going|into)|kick|go (?:through|over|around|back)|talk|discuss|review|look|take (?:a|five|ten)|move on|wrap|recap|circle|come back|revisit|hear|see|check|continue|sync|meet|catch up|dig|make sure|keep (?:in mind|that in mind)|think|try|table|park|pick (?:this|that|it) up|get back|chat|focus|jump|switch (?:topics|gears)|turn to|be|leave|figure|brainstorm|quickly|finish)\\b';
const EN_DECISION_PLAIN = new RegExp(
  [
    "\\b(?:let's not|let us not)(?! (?:forget|worry|panic|rush|waste|get ahead|go there|argue|fight|overthink|kid ourselves|get hung up)\\b)",
    "\\b(?:let's (?:drop|skip|postpone|hold off on|stick with|stay with)|we(?:'ll| will) stick with|we're sticking with|(?:the|our) (?:plan|decision|final call|final answer) is|(?:gets?|will get) an? (?:[\\w-]+ ){0,2}(?:deprecation|grace|transition|migration|notice|freeze|sunset) (?:period|window))\\b",
    // "Vector it is."
    "(?:^|[,;:]\\s*)(?!(?:here|there|that|this|it|what|so|which|where|how|who)\\b)[\\w-]+(?: [\\w-]+){0,3} it is(?:,? then)?[.!]*$",
    // Round 22: the same at the end of an unpunctuated turn ("okay that's pretty clear nineteen cents flat it is").
    "\\b(?!(?:here|there|that|this|it|what|so|which|where|how|who|as|is|if|whether|whatever|because|know|think|see|say|guess|matter|sure)\\b)[a-z-]+ it is$",
    // A plan the group commits to: "we'll sign a one-year contract first".
    "\\bwe(?:'ll| will|'re going to| are going to)\\s+(?:(?:only|just|also|then|now|first|all)\\s+)?(?:sign|launch|ship|release|use|keep|switch|adopt|stop|drop|cut|freeze|limit|cap|require|hold|pay|offer|hire|renew|migrate|deprecate|support|standardize|extend|delay|postpone|push|roll|stay|target|price|charge|publish|announce|remove|replace|retire|spend|allocate|invest|outsource|move|change|raise|lower|reduce|increase|split|merge|skip|cancel|discontinue|phase|pilot|accept|reject|fund|close|open|go live)\\b",
    // A scope cut: "we're not migrating the old logs", "we won't support IE".
    "\\bwe(?:'re| are) not (?:going to \\w+|(?!seeing|getting|hearing|having|finding|doing (?:well|great|badly))\\w+ing)\\b|\\bwe(?: won't| will not)\\s+(?!have|be|know|need|get|make it|see|hear|find)\\w+",
    `\\blet's (?!(?:(?:also|just|then|now|definitely|officially) )?${EN_LETS_PROCEDURE})(?:(?:also|just|then|now|definitely|officially) )?\\w+`,
    // A change under way, said as the group's act: "we're rolling back four point two now".
    "\\bwe(?:'re| are) (?:rolling back|reverting|rolling out|pausing|freezing|halting|pulling|shutting (?:down|off)|failing over|turning off|disabling|switching)\\b",
    // A freeze until a condition: "deploy freeze on payments until the postmortem".
    '\\b(?:freeze|moratorium|hold|pause|ban|embargo) (?:on|outside|for|in|across) (?:[\\w-]+ ){0,3}?[\\w-]+ until\\b',
    // Granting the other side's request: "That's fine, we can add that clause."
    "^(?:that's fine|that works|fine|okay|ok|sure|alright)[,.]?\\s+we can (?:add|include|accept|offer|extend|give|waive|remove|change|drop)\\b",
    // A gate: "nothing goes into commit unless…", "no story enters the sprint without…".
    '\\b(?:nothing|no (?:[\\w-]+ ){0,2}?[\\w-]+) (?:goes|gets|enters|ships|moves|merges|counts)\\b[^.?!]*\\b(?:unless|without|until)\\b',
    // Round 21: "lets" as lowercase ASR writes it; "fees stay as they are", "juniors stay at sixty"; "We close it on our
    // end.", "We refer it to city licensing".
    `(?:^|\\b(?:okay|ok|so|then|alright|right|fine),?\\s+)lets (?!(?:(?:also|just|then|now) )?${EN_LETS_PROCEDURE})(?:(?:also|just|then|now) )?\\w+`,
    '\\b[\\w-]+ (?:stays?|remains?) (?:as (?:they are|it is)|the same|unchanged|at (?:[\\w-]+ )?(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred))\\b',
    "^(?:(?:so|okay|ok|then|fine|alright|right),?\\s+)*we (?:close|refer|keep|drop|cancel|waive|suspend|postpone|extend|buy|sell|charge|pay for|stick with|go with) (?:it|this|that|them|the|with|ahead|on|to|for)\\b",
    // Round 22: a rule for everyone ("nobody plants alone on nineteen").
    "\\b(?:nobody|no one|no-one) (?!(?:knows|thinks|wants|cares|says|said|is|was|has|had|does|did|likes|loves|uses|reads|remembers|expects|believes|needs)\\b)[a-z]+s\\b(?![^.?!]*\\?)",
    // A standing rule.
    '\\b(?:from now on|going forward|moving forward|starting (?:next|this|today|tomorrow|monday|tuesday|wednesday|thursday|friday|in|from)|effective (?:immediately|today|next|from|as of)|as a rule|no more)\\b',
    // Round 22: "New rule, no food in the equipment", "Itemized receipts within thirty days, starting now."
    "^(?:(?:okay|ok|so|and|also|right),?\\s+)?(?:new rule|house rule|the rule is)\\b|\\bstarting (?:now|immediately)\\b",
    // "From today, walk-ins stop at four.", "From next month, anyone who misses three practices…".
    "^(?:(?:okay|ok|so|and|right|alright|fine),?\\s+)?from (?:today|tomorrow|next (?:week|month|term|season|year|quarter)|this (?:week|month|term|season)|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\\b(?:,|\\s+(?=(?:every|all|any|no|nobody|everyone|everybody)\\b))",
  ].join('|'),
  'i',
);
/** A gate rule ends in "unless …": that is its condition, not a hypothetical. */
const EN_GATE_RULE = /\b(?:nothing|no (?:[\w-]+ ){0,2}?[\w-]+) (?:goes|gets|enters|ships|moves|merges|counts)\b[^.?!]*\b(?:unless|without|until)\b/i;
const EN_DECISION_HEDGE = /\b(?:probably|maybe|might|may(?! it is)|perhaps|tentative(?:ly)?|for now|i think|i guess|i would think|i'd think|not sure|still|hopefully|ideally|proposal|suggest|propose|i'm not comfortable|i'd rather|id rather)\b/i;
/** "(确)定一下" asks for a decision ("我们确定一下用哪个"), unless a clause break follows and it introduces one ("最后确定一下，…是八月底"). */
const ZH_DECISION_GUARD = /把[^，。]{1,20}?定下来|(?<!这么|这样)(?:定|确定|决定)(?:下来)?(?:以后|之后)|可以(?:定在|定为|定成)|(?:还没|没有|未|尚未|不|待|再|没)(?:决定|确定|定)|需要(?:决定|确定)|要确定|定一下(?![，,：:])|(?<!立场是|态度是|我们|咱们)不同意|不做(?:任何)?(?:决定|决策|结论)|不(?:拍板|下结论)|不确定|不一定|决定权|决定一下|决定[^，。]{0,6}?(?:哪|什么|谁|怎么|是否|要不要|用不用|多少)/u;
const EN_DECISION_GUARD = /\b(?:nothing to decide|(?:not|isn't|aren't) ready (?:for a decision|to decide)|(?:haven't|have not|hasn't) (?:yet )?(?:decided|agreed|settled|chosen|picked|finalized|confirmed|approved|made (?:a|the|up))|not yet|(?:don't|do not) want to (?:decide|settle|commit)|undecided|yet to|need to decide|needs to decide|to be decided|tbd|not decided|(?:not|n't) (?:decide|settle|commit to|choose|pick|finalize)|didn't agree|don't agree|disagree|not agreed|not approved)\b/i;
const ZH_DECISION_PAST = /当时|上周|上次|之前已经|已经|早就|以前|上个月|去年/u;
const EN_DECISION_PAST = /\b(?:(?:agreed|decided|approved)\b[^.?!]{0,20}\bago\b|(?:approved|agreed|decided|passed|signed off|adopted)(?: [\w-]+){0,2} (?:in|on|last|back in) (?:january|february|march|april|may|june|july|august|september|october|november|december|spring|summer|fall|autumn|winter|\d{4})\b|already (?:decided|agreed|approved)|(?:at|in) (?:the|our) last (?!(?:two|three|four|five|six|twelve|\d+|few|couple)\b)[\w-]+|yesterday|last (?:week|time|month|quarter|year|sprint|meeting|night|[a-z]+day)|previously|back in)\b|\b(?:that's|it's|that is|it is) (?:in|per|under) (?:the|our) (?:bylaws|rules|policy|charter|handbook|constitution)\b/i;

/** Chinese family names, for telling a person subject ("王磊负责") from a noun ("后端负责"). */
const SURNAMES = new Set(Array.from('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧司'));
const ZH_NOT_NAME = /^(?:谢谢|多谢|周[一二三四五六日天末]|周内|方案|方面|高度|马上|江湖|金额|石头|程序|程度|任务|任何|白天|夏天|许多|万一|严格|向前|向后|于是|龙头|付款|陈述|成本|史上|黄金|陆续|叶子|余下|余额|毛利|范围|江南|孔子|田地|曹操|沈阳|钟头|温度|段落|雷达|孟子|卢布|邵阳)/u;
/** Words that look like English names at the start of a sentence but are not. */
const EN_NOT_NAME = new Set(
  ('Um Uh Er Hmm Oh Ah Okay Ok So Please Then Great Good Right Sure Alright Also And But Yes Yeah No Next Let Lets We They You I It This That These Those The A An ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December ' +
    'Someone Somebody Everyone Everybody Anyone Team Marketing Engineering Design Legal Sales Support Finance Well Now Thanks Thank Action Follow Decision Agreed Fine Perfect Cool First Second Third Fourth Finally Lastly Last Moving Quick Anyway Actually').split(' '),
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

/** First-person commitments in English. */
const EN_SELF = /\b(?:I'll|I will|I'm going to|I am going to|I can (?!see\b|hear\b|tell\b|imagine\b|understand\b|think\b|say\b|only\b|agree\b)|let me|I'm on it|I've got (?:it|this|that)|on my plate)\b/i;

const ZH_OWN_TEAM = /^(?:开发|测试|前端|后端|运维|产品|设计|技术|财务|法务|市场|销售|行政|人事|采购|算法|数据)(?:这边|这块)(?![^，。\s]{0,4}(?:需要|要|得)[^，。\s]{0,4}(?:配合|改|动))/u;
const ZH_FILLER = /^(?:(?:那么|那就|那|好的|好|嗯|然后|所以|这样|行|对|OK|ok|另外|还有|最后|接下来|会后|这个|就是说|就是)[，,、 ]*)+/u;
const ZH_OWNER_VERB = '(?:这边|那边)?(?:会|来|去|回头|顺手|帮忙|准备|下次|负责|跟进|牵头|就|先|再|明天|今天|后天|下周|本周|这周|周[一二三四五六日]|月底|把|在|要|需要|得|可以|整理|准备|落实|安排|和|跟|同步|出|写|做|更新|提交|确认|联系|修|改|补|帮|尽快|抓紧|\\d)';

/** How people are addressed in Chinese meetings: surname + title (韩局长, 杨 师傅, 杜总) or 老/小 + surname (老马). */
const ZH_TITLE = '(?:局长|副局长|镇长|县长|市长|处长|科长|主任|经理|总监|总|老师|师傅|医生|大夫|护士长|队长|站长|所长|院长|部长|书记|组长|老板|工|姐|哥|队|处)';
const SURNAME = `[${[...SURNAMES].join('')}]`;
/** 韩局长, 杨 师傅, 老马, 小吴. */
const ZH_TITLED = `${SURNAME}\\s?${ZH_TITLE}|[老小]${SURNAME}`;
const ZH_TITLED_NAME = new RegExp(`^(?:${ZH_TITLED})$`, 'u');
/** 老纪, 小雅, 阿杰, 思思: how colleagues call each other, without a surname list to check against. */
const ZH_FAMILIAR_NAME = /^(?:[老小阿]\p{Script=Han}|(\p{Script=Han})\1)$/u;
const ZH_NOT_FAMILIAR = /^(?:老师|老板|老总|老家|老人|老是|老实|小时|小组|小区|小心|小孩|小朋|阿姨|(看|试|谢|慢|常|刚|天|人|渐|好|多|想|说|问|查|等|听|聊|走|谈|大|小|哥|姐|妈|爸|宝|个|点|些)\1)$/u;
const ZH_VOCATIVE_OPEN = new RegExp(`^(?:(?:那|好|那么|然后|另外|对|嗯)[，,\\s]*)?(?:(${ZH_TITLED})[，,\\s]|(\\p{Script=Han}{2})(?:[，,]\\s*|\\s+(?=你|您)))`, 'u');
/** A unit of the organisation as the owner: "水利站负责…", "请交管站…", "由自然资源所…", "你们卫生院…". */
const ZH_UNIT = '(?![我你他这那各每本])[\\p{Script=Han}]{1,6}?(?:站|办|院|局|所|科|处|室|部|组|队|中心)';
const ZH_UNIT_OWNER = new RegExp(`(?:请|由|让)(${ZH_UNIT})(?=[^，。]{0,12}?(?:负责|来|去|在|把|于|[今明]天|本周|这周|下周|周[一二三四五六日]|月底|\\d|[一二三四五六七八九十]+[号日]))|(?:^(?:(?:另外|还有|那|好)[，,\\s]*)?|[\\s，,]|的事情?|这块|这边)(${ZH_UNIT})(?:负责|牵头|[今明后]天|本周|这周|下周|周[一二三四五六日]|月底)|你们(${ZH_UNIT})`, 'u');
/** A form of address a little before 你 ("老彭你单独出锅", "赵经理这个平整你们牵头", "Jason 你跟 CEO office 确认一下"). */
const ZH_ADDRESS_BEFORE_YOU = new RegExp(`(?:(?:^|[\\s，,])(${SURNAME}\\s?${ZH_TITLE}|[老小](?!时|组|心|是|实|区|孩|人|朋友|事|时候|部分|规模|问题|样)\\p{Script=Han}|[A-Z][a-z]+)|([老小]${SURNAME}))\\s*[^，。？?你]{0,10}?(?:你|您)(?!觉得|看|说|知道)`, 'u');

/**
 * The participant a form of address names: a speaker label itself, the one speaker with that surname for a title
 * (韩局长 → 韩磊, 老马 → 马建国) or with that given name (建华 → 陈建华); otherwise the form as said.
 */
export function resolveParticipant(form: string, speakers: ReadonlySet<string>): string {
  const bare = form.replace(/\s+/gu, '');
  if (speakers.has(bare)) return bare;
  if (speakers.size === 0) return form;
  if (!HAN.test(bare)) {
    // "Priya" → "Priya Raman": the one participant whose first name it is.
    const byFirstName = [...speakers].filter((s) => s.split(/\s+/u)[0]!.toLowerCase() === bare.toLowerCase());
    return byFirstName.length === 1 ? byFirstName[0]! : form;
  }
  const surname = /^[老小]/u.test(bare) && bare.length === 2 ? bare[1]! : ZH_TITLED_NAME.test(bare) ? bare[0]! : null;
  const candidates = [...speakers].filter((s) =>
    surname !== null ? s.startsWith(surname) && s.length >= 2 : (bare.length === 2 && s.length === 3 && s.endsWith(bare)) || (bare.length >= 2 && s.length > bare.length && s.startsWith(bare)),
  );
  return candidates.length === 1 ? candidates[0]! : bare;
}

/** Who is to do it, from the sentence; the speaker for first-person subjects. */
export function findOwner(text: string, speaker: string | null, speakers: ReadonlySet<string>): string | null {
  const found = findOwnerForm(text, speaker, speakers);
  return found === null ? null : resolveParticipant(found, speakers);
}

function findOwnerForm(text: string, speaker: string | null, speakers: ReadonlySet<string>): string | null {
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
    // Addressed by name: "小王，你明天把报告发给我".
    // Addressed by name: "小王，你明天把报告发给我", "Mei 你帮忙…" (ASR: a space for the comma), and a participant
    // named before an imperative ("胡斌，合同这周内和浪潮签下来").
    const addressed = /^(?:(?:那|好|那么|然后|另外)[，, ]*)?([\p{Script=Han}]{2,3}|[A-Z][a-z]+)(?:[，,]\s*|\s+)(?:你|您)/u.exec(text);
    if (addressed && (isZhName(addressed[1]!, speakers) || isEnName(addressed[1]!))) return addressed[1]!;
    // Round 17: a lowercase Latin name opening mixed ASR before 你 ("ravi 你可以 handle…", "mei ling 你…").
    const latinYou = /^(?:(?:ok|okay|那|好)[，,\s]*)?([a-z]+(?: [a-z]+)?)\s+(?:你|您)/u.exec(text);
    if (latinYou && !EN_NOT_VOCATIVE.has(latinYou[1]!.split(' ')[0]!)) return resolveParticipant(latinYou[1]!, speakers);
    const called = /^(?:(?:那|好|那么|然后|另外)[，, ]*)?([\p{Script=Han}]{2,3}|[A-Z][a-z]+)[，,]\s*(?!我)/u.exec(text);
    if (called && speakers.has(called[1]!)) return called[1]!;
    // "…，名单罗敏你和江涛一起商量一下": a participant's name right before 你, anywhere in the sentence.
    const nameYou = [...speakers].find((s) => new RegExp(`${escapeRegExp(s)}(?:你|您)`, 'u').test(text));
    if (nameYou) return nameYou;
    // "民政科刘佳 你写个说明": a name (not a participant label) right before 你.
    for (const m of text.matchAll(/(\p{Script=Han}{2,4})\s*(?:你|您)(?!们)/gu)) {
      const before = m[1]!;
      const candidate = [before.slice(-3), before.slice(-2)].find((c) => c.length >= 2 && !ZH_NOT_NAME.test(c) && (c.length === 2 || c.length === 3) && SURNAMES.has(c[0]!) && (c.length === 2 || !/[的了在是和跟]/u.test(c)));
      if (candidate !== undefined) return candidate;
      // Round 16: a familiar form (老纪, 小雅, 阿杰) or a doubled given name (思思) before 你.
      const familiar = before.slice(-2);
      if (ZH_FAMILIAR_NAME.test(familiar) && !ZH_NOT_FAMILIAR.test(familiar)) return familiar;
    }
    // "赵工你们负责…", "李科长你们牵头": a titled person addressed for the team they lead.
    for (const m of text.matchAll(/(\p{Script=Han}{2,4})\s*你们/gu)) {
      const titled = [m[1]!.slice(-3), m[1]!.slice(-2), m[1]!].find((c) => ZH_TITLED_NAME.test(c));
      if (titled !== undefined) return titled;
    }
    // "曹局长，两座水库放空的工作月底前完成", "建华，你找厂家…", "杨 师傅 插座 你 明天 就 改 好": a form of address first.
    const vocative = ZH_VOCATIVE_OPEN.exec(text);
    if (vocative) {
      const form = (vocative[1] ?? vocative[2])!.replace(/\s+/gu, '');
      if (ZH_TITLED_NAME.test(form) || resolveParticipant(form, speakers) !== form) return form;
    }
    const unit = ZH_UNIT_OWNER.exec(text);
    if (unit) return (unit[1] ?? unit[2] ?? unit[3])!;
    // A participant's given name, compound surname or Latin name before 你 ("思琪你今天就下采购单", "欧阳你去对接",
    // "nur 你 月底 之前…").
    for (const participant of speakers) {
      const forms = [participant, ...(participant.length === 3 && HAN.test(participant) ? [participant.slice(1), participant.slice(0, 2)] : [])];
      const hit = forms.find((form) => new RegExp(`(?:^|[^\\p{Script=Han}])${escapeRegExp(form)}\\s*(?:你|您)(?!们)|^(?:(?:那|好|行|对|要)[，,\\s]*)?${escapeRegExp(form)}[，,\\s]`, 'iu').test(text));
      if (hit !== undefined && participant !== speaker) return participant;
    }
    const beforeYou = ZH_ADDRESS_BEFORE_YOU.exec(text);
    const addressedForm = beforeYou?.[1] ?? beforeYou?.[2];
    if (addressedForm !== undefined && (!/^[A-Z]/.test(addressedForm) || isEnName(addressedForm))) return addressedForm.replace(/\s+/gu, '');
    for (const [from, to] of clauseSpans(text)) {
      const body = text.slice(from, to).trim().replace(ZH_FILLER, '');
      // "开发这边十一月底之前提测": the speaker's own team.
      if (self !== null && ZH_OWN_TEAM.test(body)) return self;
      if (/^我(?:们|觉得|认为|感觉|知道|个人|看|想说)/u.test(body)) continue;
      if (/^我/u.test(body)) return self;
      const subject = new RegExp(`^([\\p{Script=Han}]{2,3}?|[A-Z][a-z]+)(?:你|您)?${ZH_OWNER_VERB}`, 'u').exec(body);
      if (subject && (isZhName(subject[1]!, speakers) || isEnName(subject[1]!))) return subject[1]!;
    }
    const named = [...speakers].find((s) => new RegExp(`${escapeRegExp(s)}(?:这边|那边)?(?:负责|跟进|来|去)`, 'u').test(text));
    if (named) return named;
    // "会议纪要许佳整理一下": a participant as the subject after a topic, not as the one given or asked (发给许佳确认).
    const subjectInside = [...speakers].find((s) => new RegExp(`(?<!给|跟|和|找|问|向|与|同|对)${escapeRegExp(s)}(?:${ZH_OWNER_VERB}|\\p{Script=Han}{1,2}一下)`, 'u').test(text));
    if (subjectInside && !/^我|[，,\s]我(?!们)/u.test(text)) return subjectInside;
    if (/我(?!们)(?:来|去|会|这边|负责|回头|先|能|可以|今天|明天|后天|上午|下午|晚上|这周|下周|本周|周[一二三四五六日]|月底|马上|尽快|再|把|争取|给|跟|找|联系)/u.test(text)) return self;
    // An English clause in a mixed sentence ("这个我们还没定，I'll get back to you").
    if (EN_SELF.test(text)) return self;
    return null;
  }
  const assigned = /\b(?:assigned to|owner is|owned by|action items? for|over to)\s+([A-Z][a-z]+)\b/.exec(text);
  if (assigned && isEnName(assigned[1]!)) return assigned[1]!;
  const vocative = /\b([A-Z][a-z]+),\s+(?:can|could|would|will) you\b|\b([A-Z][a-z]+),\s+please\b|\bplease,?\s+([A-Z][a-z]+)\b|^(?:\w+,\s+)?([A-Z][a-z]+),\s+(?:you|your)\b/.exec(text);
  const vocativeName = vocative?.slice(1).find((g) => g !== undefined) ?? EN_VOCATIVE_IMPERATIVE.exec(text)?.[1] ?? EN_VOCATIVE_YOU.exec(text)?.[1];
  if (vocativeName && isEnName(vocativeName)) return vocativeName;
  // Lowercase ASR without speaker labels: "marcus can you get the new schedule up…".
  const lowerAsk = /^(?:(?:so|and|ok|okay|yeah|alright|then|also|um|uh|right)\s+)*([a-z]{3,}),?\s+(?:(?:can|could|would) you|you (?:handle|take|own|do|get|call|check|send|book|order|draft|run))\b/.exec(text);
  if (lowerAsk && !EN_NOT_ASKER.has(lowerAsk[1]!) && isEnName(lowerAsk[1]![0]!.toUpperCase() + lowerAsk[1]!.slice(1))) return lowerAsk[1]!;
  const subject = /(?:^|[,;:]\s*|\b(?:so|and|then|okay|ok|alright)\s+)([A-Z][a-z]+)(?:\s+and\s+[A-Z][a-z]+)?\s+(?:will|'ll|is going to|to|can|needs to|should|owns|has to|is on|takes|is taking)\b|\b([A-Z][a-z]+)'ll\b/.exec(text);
  const subjectName = subject?.slice(1).find((g) => g !== undefined);
  if (subjectName && isEnName(subjectName)) return subjectName;
  // A name after a role ("our support engineer Leo will reach out").
  const inner = /\b([A-Z][a-z]+)\s+(?:will|is going to|needs to|has to|is on|owns)\b/.exec(text);
  if (inner && isEnName(inner[1]!)) return inner[1]!;
  if (EN_SELF.test(text) || /\b(?:I need to|I have to|I should)\b/i.test(text)) return self;
  const named = [...speakers].find((s) => new RegExp(`\\b${escapeRegExp(s)}\\s+(?:will|to|owns|should)\\b`).test(text));
  return named ?? null;
}

/** Lowercase words that open "X can you…" without being a name. */
const EN_NOT_ASKER = new Set(['can', 'could', 'would', 'will', 'should', 'shall', 'may', 'might', 'must', 'let', 'lets', 'they', 'you', 'guys', 'everyone', 'everybody', 'anyone', 'anybody', 'someone', 'somebody', 'who', 'what', 'how', 'why', 'when', 'where', 'but', 'now', 'well', 'right', 'sorry', 'hey', 'and', 'also', 'then', 'okay', 'yeah', 'the', 'folks', 'team', 'please', 'actually', 'sure', 'great', 'cool', 'fine', 'good']);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface SentenceClass {
  action: boolean;
  decision: boolean;
  /** The decision agrees to what another speaker just proposed ("可以，就周四晚上十点", "Okay, let's do that"). */
  acceptance: boolean;
  /** The decision was found without a cue word (scope cut, schedule, standing rule, group plan, …). */
  plain: boolean;
}

const HAN = /\p{Script=Han}/u;

/** English stretches of three or more words inside a Chinese sentence (code-switching), split at clause breaks. */
function latinClauses(text: string): string[] {
  return text
    .split(/[，。；！？、,;!?]|\p{Script=Han}+/u)
    .map((c) => c.trim())
    .filter((c) => !HAN.test(c) && (c.match(/[A-Za-z']+/g) ?? []).length >= 3);
}

/** A Chinese question: a final question mark or particle, or an A-not-A form that is not inside an indirect question (去问问能不能续). */
function isZhQuestion(text: string): boolean {
  if (ZH_QUESTION_END.test(text)) return true;
  for (const m of text.matchAll(ZH_QUESTION_FORM)) {
    const before = text.slice(clauseStart(text, m.index), m.index);
    if (!ZH_INDIRECT_ASK.test(before)) return true;
  }
  return false;
}

function isEnQuestion(text: string, hasDue: boolean): boolean {
  if (isUnpunctuatedEnQuestion(text)) return true;
  return EN_QUESTION.test(text) && !(EN_REQUEST_QUESTION.test(text) && (hasDue || /\bplease\b/i.test(text)));
}

/**
 * ASR text without punctuation marks no question, so its word order does: an auxiliary before a first-person
 * subject ("that's fine do i need to do anything", "and going forward should we just remove users"). Punctuated
 * text marks its questions itself, so this reads only sentences without a final mark.
 */
function isUnpunctuatedEnQuestion(text: string): boolean {
  return !/[.!?]\s*$/.test(text) && EN_INVERTED.test(text);
}
const EN_INVERTED = /\b(?:do|does|did|should|shall|can|could|would|must|will) (?:i|we)\b(?! (?:think|guess|mean)\b)|\b(?:do|did) you\b/i;

/** Whether a sentence states an action item and/or a decision (before owner and date extraction). */
/**
 * Running the meeting (round 8): opening it (ok 那我们开始, 今天就几个事, "let's get started"), moving to an item
 * (好，先从销售开始; "Let's take the first one"), calling a vote ("I'll call a vote"), giving the floor ("Quinn, you
 * raised this"), and deferring (放到…会上再讨论, 这个我再想想，先别定, "We won't settle this today", "let all of these
 * sit"). None of it is an outcome or a task: a deferral says that nothing is decided yet.
 */
const ZH_RUNS_MEETING = /^(?:(?:好|行|嗯|OK|ok)[\s，,]*)*那就这样(?:吧)?[。！!]?\s*$|^(?:(?:好|行|嗯|OK|ok)[\s，,]*)*(?:那)?就这样(?:吧)?[，,。\s]*(?:各就各位|散了|散会|早点休息|大家辛苦|辛苦了|休息|[\p{Script=Han}]{1,2}您早点)|^(?:(?:那|好|嗯)[，,\s]*)*(?:我们)?先(?:讨论|说|聊|看)(?:一下)?[^，。？?\s]{1,12}[。]?$|^(?:(?:好|那|嗯|OK|ok)[，,\s]*)*(?:最后|下面|接下来)?(?:一项|一个|第[一二三四五六七八九十\d]+(?:项|个|件))[，,：:]\s*(?![^。？?]*(?:予以|不予|通过|否决|驳回|批准))[^，。？?]{1,24}(?:[，,]\s*[^，。？?]{1,8}(?:你|您)(?:来|说|讲)(?:吧)?)?[。！!]?\s*$|(?:这部分|这块|这一块|这个议题|这一项)(?:就)?(?:先)?(?:到这里|到这儿|到这)|就\s*这样\s*(?:吧\s*)?散(?:了|会)|^(?:(?:嗯|好|行|那|OK|ok)[\s，,]*)*(?:那)?(?:就)?先这样(?:吧|了)?[。！!]?\s*$|(?:^|[\s，,。])(?:(?:ok|OK|好|那|那么|行)[\s，,]*)*(?:我们|咱们)\s*(?:正式)?(?:开始|开会)(?:吧|了|啊)?(?=[\s，,。！!]|$)|(?:今天|这次)(?:就|主要|一共)?(?:有)?[几两三四五]个(?:事|事情|议题|问题)|(?:^|[\s，,。])(?:我们|咱们)?先从\s*[^，。？?\s]{1,12}\s*(?:开始|说起|讲起)(?:吧)?[。！!]?\s*$/u;
const ZH_DEFERS = /再(?:讨论|议|研究|商量|决定|定|评估|开会)(?!一下)|再想想|先别定|先不定|定不了|不在今天的?(?:范围|议程)|(?:先)?放一放|等[^，。？?]{1,16}?再(?:说|看|定|议|评估|研究|讨论|决定)|先看看[^。？?]{0,20}?再说|再说(?:吧)?[。！!]?\s*$|先不展开|(?:下次|下周|以后|改天|回头)[^，。？?]{0,12}?(?:研究|讨论|商量|议|(?<![固规确制约指稳认否鉴设锁预肯特决])定)/u;
/** A deferral in English: "let's not get into that today", "we'll look at it again in the fall", "…at rehearsal, not now". */
const EN_DEFERS = /\blet's leave (?:[\w'-]+ ){0,4}?(?:for|until|till) (?:the )?(?:next|later|another)\b|\blet's (?:discuss|talk about|revisit|look at) (?:it|this|that|them) (?:in|at|during|after|next|later)\b|\blet's (?:not (?:get into|go into|decide|settle)|hold (?:that|this|off|it|the [\w-]+(?: [\w-]+)? (?:until|till|for))|park|table|come back to|revisit)\b|\blet's not (?:[\w-]+ ){0,4}?(?:today|now|tonight)\b|\bback pocket\b|\bput (?:that|it|this) on (?:the|our|next [\w-]+'s) agenda\b|\b(?:we'll|let's|we will|we can) see how\b|\b(?:look at|revisit|discuss|talk about|come back to) (?:it|this|that)(?: [\w-]+){0,2} (?:again|later)\b|\bagain (?:for|in|at|after) the\b|,\s*not now\b|\bnot (?:today|tonight|right now)[.!]?$|\bfor (?:now|today),? let's (?:leave|hold|skip)\b/i;
const EN_RUNS_MEETING = /^(?:(?:okay|ok|right|so),?\s+)?hearing none[.!]?$|^(?:go (?:on|ahead)(?:,? then)?,?\s+[A-Za-z]+[.!]?$)|\blet's (?:take|do|start with|discuss|talk about|look at) (?:the )?[\w-]+(?: [\w-]+){0,3} first[.!]?$|^(?:(?:so|then|okay|ok|alright),?\s+)?here's what (?:we'll do|we're going to do|i propose|i'd propose)\b|^(?:(?:okay|ok|alright|all right|right|so),?\s+)*let's go[.!]?$|\bthat's (?:one|two|three|four|five|six|seven|eight|nine|ten|\d+) [\w-]+(?: [\w-]+)? (?:decided|done|approved|dealt with|through)\b|\blet's (?:get )?(?:started|start|begin|kick off)\b|\blet's (?:take|do|start with|look at|move (?:on )?to) the (?:first|next|second|third|last|final) (?:one|item|case|[\w-]+)\b|\b(?:i'll|i will|let me|let's|we'll) (?:call|take|have) (?:a|the) vote\b|^(?:(?:okay|ok|so|right),?\s+)?(?:(?:Ms|Mr|Mrs|Dr)\.?\s+)?[A-Z][a-z]+,\s+you (?:raised|brought up|flagged|mentioned|asked about|wanted to (?:raise|discuss|talk about))\b|\b(?:we|i)(?: won't| will not| don't| do not| can't| cannot|'re not going to| are not going to) (?:settle|decide|resolve|finalize|close out|vote on) (?:this|that|it|these|those)\b|\bnothing (?:has|needs|is going) to be (?:settled|decided|finalized)\b|\blet (?:all of )?(?:these|this|that|them|it)(?: [\w-]+){0,2} sit\b|\bjust a brainstorm\b|\bthere(?:'s| is) no second\b|\blet's open (?:the )?(?:floor|public comment|comments|questions|discussion)\b|^i'll (?:go|walk|run) (?:you |us |everyone )?through\b|\b(?:we|i)(?:'re| are| am|'m) not (?:going to )?(?:decid|settl|vot|resolv|finaliz)\w*\b[^.;]*?\b(?:today|tonight|now|this (?:meeting|session|week))\b/i;
/** In spaced ASR a question form (是不是/能不能/要不要…) governs the clauses after it up to a yes or a full stop. */
function zhAskedBefore(text: string, at: number): boolean {
  for (const m of text.matchAll(ZH_QUESTION_FORM)) {
    if (m.index >= at) break;
    if (ZH_INDIRECT_ASK.test(text.slice(clauseStart(text, m.index), m.index))) continue;
    const between = text.slice(m.index + m[0].length, at);
    if (/[。！!？?]/u.test(between)) continue;
    const answered = clauseSpans(between).some(([from, to]) => ZH_BARE_ASSENT.test(between.slice(from, to)));
    if (!answered) return true;
  }
  return false;
}
/** Background facts and figures (往年…, 去年…, 我算一下：…): what was or what is, not work to do. */
const ZH_BACKGROUND = /^(?:(?:好|那|嗯|对|其实)[，,\s]*)?(?:往年|去年|以往|历年|以前|过去|原来|通常|一般来说)(?![^。]*(?:今年|明年|这次|我来|我去|我会|你))|^(?:(?:好|那|嗯)[，,\s]*)?我(?:先)?(?:算|念|读|数|报)一下[，,：:\s]/u;
const ZH_FORECAST = /预计|可能需要|可能要|估计/u;
/** A proposal anywhere in the sentence ("通知的问题 我建议 以后…"), unless the speaker then takes it on. */
const ZH_PROPOSES_INSIDE = /(?:^|[\s，,])我(?:的)?(?:建议|提议)(?![^。]*(?:我来|我去|我会|我负责))/u;
/**
 * A short verdict (round 8): 首印定五千册, 焊接线必须上, 研发预算维持六千五百万不变, 年会就在食堂办, 三号 freezer 不再 放
 * 任何 samples, 送水车 最少 派八台, 换好之前二号塔吊停用 — a subject and a predicate that settles it. Said by the chair
 * (anyone without speaker labels) or opened by a closing marker; no person subject in its clause.
 */
const ZH_VERDICT = /(?<![一待不没未确决肯固稳规指特设否约预制])定(?!一下|个|了)(?=\s*[一二两三四五六七八九十百千万半\d])|必须(?:上|保|留|砍|停)(?=\s*(?:[。！!，,]|$))|(?:维持|保持)[^，。？?]{0,12}?不变|就在\s*[^，。？?\s]{1,10}?\s*(?:办|开|搞|举行|举办)(?=\s*(?:[。！!，,吧]|$))|不再\s*\p{Script=Han}{1,2}\s*任何|(?:最少|至少)\s*(?:派|出|留|配|开|招)\s*[一二两三四五六七八九十\d]|(?<=\p{Script=Han})停用(?=\s*(?:[。！!，,]|$))|必须\s*(?:两|双|[三四五\d])\s*(?:人|个人)\s*(?:审批|签字|复核|确认|在场)|(?:最高|最多|上限)\s*不\s*超过\s*[一二两三四五六七八九十百千万\d]/gu;
function zhVerdict(text: string, chair: boolean): RegExpExecArray | null {
  for (const m of text.matchAll(ZH_VERDICT)) {
    const clause = clauseAround(text, m.index);
    const start = text.indexOf(clause);
    const before = text.slice(start, m.index);
    const opened = ZH_CLOSING_OPEN.test(text.slice(0, m.index + 1)) && !/^\s*(?:对|嗯)/u.test(text);
    if (!(chair || opened)) continue;
    if (ZH_PERSON_SUBJECT.test(before) || isZhQuestion(clause) || ZH_DECISION_HEDGE.test(clause) || ZH_DECISION_PAST.test(clause) || ZH_OPINION.test(clause) || ZH_PROPOSAL.test(clause)) continue;
    return m;
  }
  return null;
}
/** A verdict on a case or item in English: "She's admitted", "That one's declined", "chicago columbus stays flat". */
const EN_VERDICT = /\b(?:she|he|they|that(?: one)?|this(?: one)?|both(?: of them)?|all (?:[\w-]+ )?(?:of them|[\w-]+))(?:'s| is| are) (?:admitted|declined|approved|rejected|accepted|denied|waitlisted|funded)\b|\b[\w-]+(?: [\w-]+){0,3} (?:stays|stay|remains|remain) (?:flat|unchanged|the same|as is|down|offline|closed|shut|parked|on hold|in place|free|open|separate|allowed|where (?:it is|they are)|put)\b|\b[\w-]+(?: [\w-]+){0,3} (?:is|are) (?:cut|reduced|capped|frozen|held|lowered|raised) (?:to|at)\b|\byou(?:'re| are) (?:in|on) the (?:beta|pilot|trial|waitlist|early access|program|programme)\b/i;

export function classifySentence(text: string, hasOwner: boolean, hasDue: boolean, hasDate = hasDue, addressed = false, chair = false, unlabelled = false): SentenceClass {
  const han = HAN.test(text);
  const english = han ? latinClauses(text) : [text];
  const isQuestion = han ? isZhQuestion(text) : isEnQuestion(text, hasDue);
  const enHypothetical = !han && EN_HYPOTHETICAL.test(text.replace(EN_COURTESY_IF, '').replace(EN_GATE_RULE.test(text) ? /\bunless\b/gi : /$^/g, ''));

  let decision = false;
  const accepted = han ? ZH_ACCEPT.exec(text) : EN_ACCEPT.exec(text);
  const cue = accepted ?? (han ? ZH_DECISION.exec(text) : EN_DECISION.exec(text));
  // A request done during the call ("请介绍一下比价情况", "麻烦您提供一下订单号", "let me check your account") is
  // no task unless it names a time or something for later.
  const later = hasDue || LATER.test(text);
  const cueText = (later ? text : han ? text.replace(ZH_IN_CALL, '') : text.replace(EN_IN_CALL, '')).replace(han ? ZH_SPEECH_ACT : /$^/g, '');
  const strongZh = han && ZH_ACTION_STRONG.test(cueText);
  const plain = cue ? null : plainDecisionCue(text, han, hasDate, strongZh, chair, unlabelled);
  const found = cue ?? plain;
  let plainFound = cue === null;
  // "好，那就按风险部的意见…，大家表决。": a proposal put to the vote is decided by the count, not here.
  const callsVoteAtEnd = han && ZH_CALLS_VOTE.test(clauseAround(text, text.length - 1));
  const zhDecides = (at: number): boolean => {
    // Guards read the clause of the cue and the one before it: a long unpunctuated ASR sentence holds several
    // thoughts, and a question or a negation in another one ("那就改成异步 这周五之前能出来吗") says nothing about it.
    const near = clauseAround(text, at, 1);
    // Calling a vote on a proposal ("那就这个建议表决") runs the meeting; the count that follows is the decision.
    const guarded = ZH_DECISION_GUARD.test(near) || ZH_DECISION_PAST.test(near) || ZH_CALLS_VOTE.test(clauseAndNext(text, at)) || reportsResults(text, at);
    // "…定在十二月中旬，大家有没有意见？" puts a proposal to the group; the decision comes with the answer.
    const asks = isZhQuestion(clauseAround(text, at)) || ZH_ASKS_CONSENT.test(text) || zhAskedBefore(text, at);
    return !guarded && !asks && !ZH_HYPOTHETICAL.test(near) && !ZH_RESTATED.test(text) && !ZH_COUNTER_OFFER.test(text) && !callsVoteAtEnd;
  };
  if (found && han) {
    decision = zhDecides(found.index);
    if (!decision && cue !== null) {
      // A cue word in a guarded clause ("coupon 折叠的话…再决定") does not hide a plain decision in another one.
      const other = plainDecisionCue(text, han, hasDate, strongZh, chair, unlabelled);
      if (other !== null && zhDecides(other.index)) decision = plainFound = true;
    }
  } else if (found) {
    const guarded = EN_DECISION_GUARD.test(text) || EN_DECISION_PAST.test(text) || EN_DEFERS.test(text);
    // A question reported in an earlier clause does not make the answer one.
    const clause = text.slice(clauseStart(text, found.index));
    const asks = isQuestion && (QUESTION_END.test(text) || EN_QUESTION.test(clause) || isUnpunctuatedEnQuestion(clause));
    // A chair's declarative is read up to its own end: "no mandatory overtime this milestone if someone wants to
    // stay late it's voluntary" — the condition belongs to the exception after it.
    const byChair = cue === null && plain !== null && !EN_DECISION_PLAIN.test(text) && !EN_RESOLUTION.test(text);
    const hypothetical = byChair ? EN_HYPOTHETICAL.test(text.slice(0, found.index + found[0].length)) : enHypothetical;
    decision = !guarded && !asks && !hypothetical;
  }
  if (han && !decision && !ZH_DECISION_HEDGE.test(text)) {
    // Asked and answered in one unpunctuated turn: "能不能…再调两个人 可以 那周末每店加两个兼职" — a bare yes after a
    // question clause, then what is agreed.
    const spans = clauseSpans(text);
    for (let i = 1; i + 1 < spans.length; i += 1) {
      const clause = text.slice(spans[i]![0], spans[i]![1]);
      const asked = text.slice(spans[i - 1]![0], spans[i - 1]![1]);
      if (!ZH_BARE_ASSENT.test(clause) || !isZhQuestion(asked)) continue;
      // "是不是 可以 先让…" is one question in spaced ASR (a modal after the question word), not a yes to it.
      if (/^\s*(?:是不是|能不能|要不要|可不可以|是否|还是说)\s*$/u.test(asked)) continue;
      const after = text.slice(spans[i + 1]![0]);
      if (ZH_PERSON_SUBJECT.test(after.replace(ZH_CONCLUSIVE_OPEN, '').slice(0, 2)) || isZhQuestion(after)) continue;
      decision = plainFound = true;
      break;
    }
  }
  if (han && !decision) {
    // An English decision inside a Chinese sentence ("Let's move it to next Monday, 设计稿还没定稿").
    for (const clause of english) {
      const byCue = EN_DECISION.test(clause);
      const byPlain = !byCue && !EN_DECISION_HEDGE.test(clause) && EN_DECISION_PLAIN.test(clause);
      if (!(byCue || byPlain)) continue;
      if (EN_DECISION_GUARD.test(clause) || EN_DECISION_PAST.test(clause) || EN_QUESTION.test(clause) || EN_HYPOTHETICAL.test(clause)) continue;
      decision = true;
      plainFound = byPlain;
      break;
    }
  }

  let action = false;
  const vocative = han ? null : EN_VOCATIVE_IMPERATIVE.exec(text) ?? EN_VOCATIVE_YOU.exec(text);
  // `addressed`: the sentence opens by naming a participant ("yeah raj set up a call…", lowercase ASR).
  const strongEn = (han ? english : [cueText]).some((c) => EN_ACTION_STRONG.test(c)) || (vocative !== null && isEnName(vocative[1]!)) || (!han && addressed);
  const strong = strongZh || strongEn;
  const weak = han ? ZH_ACTION_WEAK.test(text.replace(ZH_SPEECH_ACT, '')) : EN_ACTION_WEAK.test(text);
  // English "will" is plain future tense ("the next all-hands will be…"): only a person subject makes it a task.
  // In Chinese a person and a time are enough ("那我周三下午先在预发环境演练一次迁移").
  const obligation = !han && hasDue && (EN_OBLIGATION.test(text) || EN_ALL_IMPERATIVE.test(text)) && !EN_CONSEQUENCE.test(text);
  if (strong || obligation || (weak && (hasOwner || (han && hasDue))) || (han && hasOwner && hasDue)) {
    // In Chinese the guards read the clause of the task and the one before it ("是我，我今天上午会再跑一次，不行的话
    // rollback 回去": the fallback after it is conditional, the task is not).
    const near = han ? clauseAround(text, zhTaskAt(text), 1) : text;
    const rest = han ? text.slice(text.indexOf(near)) : text;
    const asks = han ? isZhQuestion(rest) : isQuestion;
    // A condition comes before what it conditions: any clause up to the task's counts, none after it.
    const hypothetical = han ? ZH_HYPOTHETICAL.test(withoutTopicDehua(text.slice(0, text.indexOf(near) + near.length))) : enHypothetical;
    const negated = (han && ZH_NEGATION.test(near)) || english.some((c) => EN_NEGATION.test(c));
    const zhPast = han && ZH_PAST.test(near) && !/(?:明天|下周|之前完成|前完成|负责|跟进|会后|请|麻烦)/u.test(near);
    const enPast = english.some((c) => EN_PAST.test(c) && !/\b(?:will|'ll|need to|please)\b/i.test(c));
    const progressive = han ? ZH_PROGRESSIVE.test(near) : EN_PROGRESSIVE.test(text);
    // The agenda may follow an opening ("好 那个 我们开会啊 今天主要是把…梳理一下"): read it from each of the first clauses.
    const agenda = han
      ? clauseSpans(text).some(([from]) => ZH_AGENDA.test(text.slice(from).trim()) && !ZH_ACTION_STRONG.test(text.slice(0, from)) && !ZH_ACTION_WEAK.test(text.slice(0, from)))
      : EN_AGENDA.test(text) && !strongEn;
    const procedure = han ? ZH_PROCEDURE.test(text) || (!later && ZH_HANDOVER.test(text)) : EN_PROCEDURE.test(text) || EN_BARE_REPLY.test(text.trim());
    // Announcements of what others outside the meeting will do, proposals to the group, and what restates an
    // earlier decision are not this meeting's tasks unless a strong cue says so.
    const notOurs = han && ((ZH_REPORTED_SPEECH.test(text) && !hasOwner) || !strongZh && (((ZH_THIRD_PARTY.test(text) || ZH_THIRD_PARTY_DEMAND.test(text)) && !hasOwner) || ZH_RESTATED.test(text) || (ZH_OPINION.test(text) && !hasOwner) || ZH_LEAVE.test(text)));
    // "我想把 retry 次数改成一次" without a date: what the speaker would like, put to the group.
    const proposal = han && (ZH_PROPOSAL.test(text) || (ZH_WANTS.test(text) && !hasDue));
    // A decision that only names a date ("上线时间定在下周五") is not also somebody's task.
    const decisionOnly = decision && !strong && !(hasOwner && hasDue);
    action = !asks && !negated && !hypothetical && !zhPast && !enPast && !progressive && !agenda && !procedure && !decisionOnly && !notOurs && !proposal;
  }
  // Running the meeting is neither an outcome nor a task (a dated, named task said in the same breath still is).
  const running = han ? ZH_RUNS_MEETING.test(text) : EN_RUNS_MEETING.test(text);
  if (running) {
    decision = false;
    action = action && hasOwner && hasDue;
  }
  // A deferral decides nothing; an outcome in another clause of the sentence ("方案通过，桌子放到明年再议") still counts.
  if (decision && han && ZH_DEFERS.test(text)) {
    const rest = clauseSpans(text).reduceRight((kept, [from, to]) => (ZH_DEFERS.test(text.slice(from, to)) ? kept.slice(0, from) + kept.slice(to) : kept), text).trim();
    // A deferral spanning clauses removes nothing: the whole sentence defers.
    // "这个想法可以，不过投入太大了，年底…再讨论": a qualified yes to an idea that is then deferred settles nothing.
    const lastKept = rest.split(/[，,。；;\s]+/u).filter(Boolean).pop() ?? '';
    decision = rest !== '' && rest !== text && !/^(?:不过|但是?)/u.test(lastKept) && classifySentence(rest, hasOwner, hasDue, hasDate, addressed, chair, unlabelled).decision;
  }
  // Work given to a named person ("那罗佳你做个提示牌…", "冯凯 你 下周三 之前…") is a task; without a decision word it
  // is not also a decision.
  if (decision && plainFound && hasOwner && (han ? /你/u.test(text) : vocative !== null)) decision = false;
  if (decision && plainFound && han && (ZH_REPORTED_SPEECH.test(text) || ZH_OTHERS_SAY.test(text))) decision = false;
  // Round 16: a view opened as one's own (我个人倾向先不做) is not the meeting's choice unless it says it settles it.
  if (decision && han && ZH_LEANS.test(text) && !SETTLES.test(text)) decision = false;
  if (action && han && (ZH_BACKGROUND.test(text) || (ZH_PROPOSES_INSIDE.test(text) && !hasDue))) action = false;
  // A forecast in a progress report or an announcement ("…在返工，预计七月十号完成", "可能需要除冰") names no one's work.
  if (action && han && !hasOwner && !strongZh && ZH_FORECAST.test(text)) action = false;
  return { action, decision, acceptance: decision && accepted !== null, plain: decision && plainFound };
}

/**
 * The due date of a sentence's task: the first date from the task's clause on, else one in an earlier clause
 * ("下周五之前，王磊你把…", "我今天就加 加完跟DBA确认一下") unless that clause is negated, undecided, a question or
 * past ("这个今天先不定了 … 何敏你下次会议前把…": 今天 belongs to what is not decided). Undefined when the
 * sentence names no date at all.
 */
function taskDueDate(text: string, meetingDate: string | null): DueDate | null | undefined {
  const all = findDueDate(text, meetingDate);
  if (all === null) return undefined;
  if (!HAN.test(text)) return all;
  const spans = clauseSpans(text);
  const taskAt = zhTaskAt(text);
  const taskClause = Math.max(0, spans.findIndex(([, end]) => taskAt < end));
  const fromTask = findDueDate(text.slice(spans[taskClause]![0]), meetingDate);
  if (fromTask !== null) return fromTask;
  for (const [from, to] of spans.slice(0, taskClause)) {
    const clause = text.slice(from, to);
    const date = findDueDate(clause, meetingDate);
    if (date === null) continue;
    // A clause of its own that is negated, undecided, asked or past says when *that* happens, not the task.
    const ownPredicate = ZH_NEGATION.test(clause) || ZH_DECISION_GUARD.test(clause) || isZhQuestion(clause) || ZH_PAST.test(clause);
    if (!ownPredicate) return date;
  }
  return null;
}

/** Where the task of a Chinese sentence is: its first action cue, else its first person or time word. */
function zhTaskAt(text: string): number {
  return ZH_ACTION_STRONG.exec(text)?.index ?? ZH_ACTION_WEAK.exec(text)?.index ?? ZH_TASK_ANCHOR.exec(text)?.index ?? 0;
}
const ZH_TASK_ANCHOR = /我(?!们)|你|今天|明天|后天|下+周|本周|这周|周[一二三四五六日]|月底|之前|[\d一二三四五六七八九十]+号/u;

const QUESTION_END = /[？?]\s*$/u;

/**
 * Clause breaks: comma-like marks, and in Chinese text a run of spaces next to a Han character, which is where
 * ASR output without punctuation marks a pause ("行 那就改成异步 这周五之前能出来吗"). Spaces between Latin words
 * ("demo search 这个 feature") are not breaks.
 */
const CLAUSE_BREAK = /[，,；;：:。！!？?]|(?<=\p{Script=Han})\s+|\s+(?=\p{Script=Han})/gu;

/** [start, end) of every clause of a sentence, end marks included in the clause they close. */
function clauseSpans(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let start = 0;
  for (const m of text.matchAll(CLAUSE_BREAK)) {
    const end = m.index + m[0].length;
    if (text.slice(start, m.index).trim() !== '') spans.push([start, end]);
    else if (spans.length > 0) spans[spans.length - 1]![1] = end;
    start = end;
  }
  if (text.slice(start).trim() !== '') spans.push([start, text.length]);
  return spans.length > 0 ? spans : [[0, text.length]];
}

/** The clause holding position `at`, and with `before` > 0 that many clauses before it too. */
function clauseAround(text: string, at: number, before = 0): string {
  const spans = clauseSpans(text);
  const i = Math.max(0, spans.findIndex(([, end]) => at < end));
  const from = spans[Math.max(0, i - before)]![0];
  return text.slice(from, spans[i]![1]);
}

/** The clause holding position `at` and the one after it. */
function clauseAndNext(text: string, at: number): string {
  const spans = clauseSpans(text);
  const i = Math.max(0, spans.findIndex(([, end]) => at < end));
  return text.slice(spans[i]![0], spans[Math.min(spans.length - 1, i + 1)]![1]);
}

/** Index where the clause holding position `at` starts. */
function clauseStart(text: string, at: number): number {
  const spans = clauseSpans(text);
  return (spans.find(([, end]) => at < end) ?? spans[spans.length - 1]!)[0];
}

/**
 * English verdicts by the chair (or anyone, without speaker labels) with no decision word (round 14): "So those four are
 * in.", "Dogwood takes the seventh slot.", "the pantry gets the freezer money", "So it's the mural.", "So the shelf
 * stays.", "fine keep them", "no climbs wednesday and thursday next week".
 */
const EN_CHAIR_VERDICT = new RegExp(
  [
    "^(?:(?:so|okay|ok|then|alright|right|fine),?\\s+)*(?:those|these|both|all)?\\s?(?:[\\w-]+ ){0,3}?(?:is|are) (?:in|out)[.!]?$",
    // Round 16: "Pecan's out.", "Strawberry basil's on the board", "…, both in", "consolidation's off the table".
    "^(?:(?:so|okay|ok|then|alright|right|fine),?\\s+)*(?:[\\w-]+ ){0,3}?[\\w-]+'s (?:(?:out|in)[.!]?$|(?:on the (?:board|menu|list|shelf)|off the (?:table|board|menu|list))\\b(?![^.]*\\?))",
    ",\\s+(?:both|all (?:three|four|five|of them)) in[.!]?$",
    "^(?:(?:so|okay|ok|then|alright|right|fine),?\\s+)*we(?:'re| are) (?:declining|rejecting|accepting|approving|dropping|passing on|taking on|not taking)\\b",
    // Round 21: "We decline Pell.", "Set it at one point five."
    "^(?:(?:so|okay|ok|then|alright|right|fine),?\\s+)*we (?:decline|reject|deny|accept|approve)\\s+(?!to\\b)[\\w-]+",
    "^(?:(?:so|okay|ok|then|alright|right|fine),?\\s+)*(?:set|keep|cap|hold|fix) (?:it|that|the [\\w-]+(?: [\\w-]+)?) at\\b",
    "^(?:(?:so|okay|ok|then|alright|and),?\\s+)*(?:the )?[\\w-]+(?: [\\w-]+)? (?:takes|gets) the [\\w-]+(?: [\\w-]+){0,2}(?:,? not (?:a |an |the )?[\\w-]+(?: [\\w-]+)?)?[.!]?$",
    // Round 22: an election ("so kirsty is our new foreman", "steve stays squire for another year").
    "\\b[a-z]+ (?:is (?:our|the) new|stays(?: on as)?) (?:chair(?:man|woman|person)?|treasurer|secretary|captain|foreman|president|vice[- ]president|squire|coordinator|lead|leader|head|rep(?:resentative)?)\\b",
    "^(?:so|then|okay|ok),?\\s+it's (?:the )?[\\w-]+(?: [\\w-]+)?[.!]?$",
    "^(?:(?:so|okay|ok|then),?\\s+)*(?:the|that|this) [\\w-]+ stays[.!]?$",
    "^(?:fine|okay|ok|alright),?\\s+(?:keep|drop|cut|use) (?:them|it|that|those|both)\\b",
    "^(?:(?:so|okay|ok|then),?\\s+)*no [\\w-]+ (?:on |this |next |until )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|today|tomorrow)\\b",
  ].join('|'),
  'i',
);

/**
 * A decision stated without a cue word: scope cut, final answer, dated schedule, changed setting, standing rule,
 * policy grant, group plan; null when hedged.
 */
function plainDecisionCue(text: string, han: boolean, hasDue: boolean, assigned: boolean, chair = false, unlabelled = false): RegExpExecArray | null {
  if (han) {
    if (ZH_WANTS.test(text)) return null;
    // A hedge in another clause ("经费可能不太够 这次先穿去年的") is the reason, not the settled point: the
    // topic-comment reading checks hedges in its own clause.
    if (ZH_DECISION_HEDGE.test(text)) return zhTopicComment(text, chair || unlabelled);
    const schedule = hasDue ? ZH_DECISION_SCHEDULE.exec(text) : null;
    const param = assigned ? null : reportedChange(text, ZH_DECISION_PARAM.exec(text));
    return ZH_DECISION_SCOPE.exec(text) ?? ZH_DECISION_FINAL.exec(text) ?? ZH_DECISION_POLICY.exec(text) ?? schedule ?? param ?? zhResolution(text) ?? zhStatement(text, chair) ?? zhTopicComment(text, chair || unlabelled) ?? zhVerdict(text, chair || unlabelled);
  }
  if (EN_DECISION_HEDGE.test(text)) return null;
  return EN_DECISION_PLAIN.exec(text) ?? EN_RESOLUTION.exec(text) ?? EN_VERDICT.exec(text) ?? (chair ? EN_CHAIR_DECLARATIVE.exec(text) : null) ?? (chair || unlabelled ? EN_CHAIR_VERDICT.exec(text.trim()) : null);
}

/**
 * A commitment that closes a discussion, in Chinese: 就/先 (+不) and a verb of choosing or doing, opened by a
 * conclusive marker (那/那就/那这样/好/行/对/OK) — "那这样，总编制先按一百人做", "对，这个先不挂绩效",
 * "OK 那 address 自动补全就上", "五个刚好 那就加五个吧" — or a sentence that opens with it and ends the clause with
 * 吧 ("先用 Segment 吧"). A person subject (我先做…, 你就用…) makes it somebody's task or offer instead.
 */
const ZH_RESOLVE_VERB = /先不(?!说|讲|聊|谈|急|管|用说)\p{Script=Han}|[就先]不?(?:按|用|上(?!来|去|面|次|周|个|午|班|线了)|加(?!班)|定(?!一下)|选|换|改|保留|砍|挂|做成|做(?!完|好|了|过))/gu;
const ZH_BARE_ASSENT = /^\s*(?:可以|行|好|好的|没问题|同意|OK|ok)[\s，,。]*$/u;
const ZH_CONCLUSIVE_OPEN = /^\s*(?:(?:OK|ok|Ok|好的?|行|对|嗯|可以|那么?|那这样|那好|那就)[，,\s]*)+/u;
const ZH_CONCLUSIVE_LAST = /(?:^|[\s，,])(?:那就?|那么)\s*$/u;
const ZH_CONCLUSIVE_MARK_ONLY = /^\s*(?:OK|ok|好的?|行|对|嗯|可以|那么?|那这样|那好)\s*[，,]\s*$/u;
const ZH_PERSON_SUBJECT = /我(?!们)|你|您|他|她/u;
function zhResolution(text: string): RegExpExecArray | null {
  for (const m of text.matchAll(ZH_RESOLVE_VERB)) {
    // The stretch since the last punctuation mark, and the one before it ("对，" / "那这样，").
    const segStart = lastMarkBefore(text, m.index);
    const before = text.slice(segStart, m.index);
    const previous = text.slice(lastMarkBefore(text, Math.max(0, segStart - 1)), segStart);
    if (ZH_PERSON_SUBJECT.test(before.replace(ZH_CONCLUSIVE_OPEN, '')) || ZH_HYPOTHETICAL.test(before)) continue;
    const opened =
      ZH_CONCLUSIVE_LAST.test(before) ||
      ZH_CONCLUSIVE_OPEN.test(before) ||
      ZH_CONCLUSIVE_MARK_ONLY.test(previous) ||
      (segStart === 0 && before.trim() === '' && /^[^，。？?！!]*?吧(?=[\s，,。！!]|$)/u.test(text.slice(m.index)));
    if (opened) return Object.assign([m[0]], { index: m.index, input: text, groups: undefined }) as RegExpExecArray;
  }
  return null;
}

/**
 * A resolution statement: a declarative clause whose predicate sets a state or a policy (改成, 恢复到, 放到, 纳入,
 * X 作为 Y, 先给/先用/先按, 按…执行, 那就申请…, 不同意, 不通过) with no person subject (我们 is the group), said by
 * the chair (the most active speaker) or opened by a conclusive marker, anywhere before it in the sentence
 * ("那这样 围挡不动 路口的左转改成远引掉头"). Questions, conditions, hedges and past changes are not.
 */
const ZH_SET_STATE = /(?:那就|就)(?:申请|启动|上报|起诉|上诉|报警|走)(?![^，。\s]{0,2}(?:人|书|表|单|流程)(?:[，。\s]|$))|改成|改为|换成|恢复到|恢复成|放到|放进|挪到|纳入|列入|列为|定为|作为(?!一个|一名|一家|一种|一位)|先给|先用|先按|按[^，。\s]{1,12}?(?:来算|来做|来办|执行)|(?:立场|态度)是不同意|不予?通过|go with|(?<=(?:我们|咱们)(?:的|这边的)[^，。？?\s]{0,6}?)(?:立场|思路|原则|口径|策略|态度|做法)(?:就)?(?:是|这样|如下)/gu;
const ZH_SENTENCE_OPEN = /^\s*(?:(?:OK|ok|Ok|好的?|行|那么?|那这样|那好|那就|所以)[，,\s]*)+/u;
const ZH_CLOSING_OPEN = /^\s*(?:(?:OK|ok|Ok|好的?|行|那么?|那这样|那好|那就|所以)[，,\s]*)+\S/u;
function zhStatement(text: string, chair: boolean): RegExpExecArray | null {
  for (const m of text.matchAll(ZH_SET_STATE)) {
    const clause = clauseAround(text, m.index);
    // The subject runs back to the last punctuation mark: a space before the verb is an ASR pause ("offline sync 作为…").
    const start = lastMarkBefore(text, m.index);
    const before = text.slice(start, m.index).replace(ZH_CONCLUSIVE_OPEN, '');
    if (ZH_PERSON_SUBJECT.test(before) || (m[0].startsWith('作为') && before.trim() === '')) continue;
    if (isZhQuestion(clause) || ZH_HYPOTHETICAL.test(clauseAround(text, m.index, 1)) || ZH_DECISION_HEDGE.test(clause)) continue;
    // A change already made ("改成了", "后来放到…") is a report.
    if (reportedChange(text, m) === null || ZH_DECISION_PAST.test(clause)) continue;
    // 对/嗯 confirm a fact ("对 改成杭州远山科技有限公司"); they do not close a discussion.
    const opened = chair || ZH_SENTENCE_OPEN.test(text) || ZH_CLOSING_OPEN.test(text.slice(start)) || /(?:^|[，,\s])那就?\s*$/u.test(text.slice(start, m.index));
    if (opened) return m;
  }
  return null;
}

/**
 * Topic–comment, the ordinary shape of a settled point in Chinese speech: a topic that is not a person, then a
 * settling comment — 就/先/还是/统一/全部 (+不/别) and a verb ("周末版头条就定这个", "志愿者就分成三组", "午饭就不统一
 * 订了", "这次先穿去年的", "今年还是在园里办", "这个学期先不调", "试营业就从七月十五号开始"), or a bare verdict
 * ending its clause ("合并不做", "PEP 的不改", "借调可以"), or an allocation to each (每个班出一个节目). Counted
 * when the chair says it (in a meeting without speaker labels, anyone may be the chair) or a closing marker opens
 * it (那就发更正). Not: questions, hedges in its clause, conditions, past reports, opinions (我觉得…), a person
 * as the topic (我先做…, 王磊就负责…: tasks), and running the meeting (就到这, 先说一下, 先看第一个).
 */
const ZH_SETTLING = new RegExp(
  [
    '(?:(?<![成造将也])就|(?<![优首事预原率领抢争祖])先(?![生前进锋例后])|还是|统一|全部)(?!(?:不|别)?(?:先(?:这|到|听|看|说|聊|停|过|回)|到这|先到|这样|这么|那么|这些|是|说|讲|聊|谈|看|过一|介绍|汇报|开始|回顾|复盘|展开|讨论|细说|多说|耽误|占用|有|没|会|能|要|可以|可能|挺|很|太|更|最|比较|不太|不错|不行|不够|不好|不了|不是|一样|算|行|好|对|在这|等|听|问|请|麻烦|辛苦|了解|扛|撑|散|把|过|\\p{Script=Han}第一))(?:不|别)?\\p{Script=Han}(?!着)',
    '(?<=\\S\\s?)(?:不做|不改|不调|不动|不换|不加|不搞|不上|不办|不去|可以|批了|定这个)(?=\\s*(?:[，,。！!；;]|$))',
    '(?:^|[，,。\\s]|另外|还有)每(?:个|一个|天|周|人|组|班|月|次|家|位|间|个人)[^，。？?\\s]{0,14}?(?:出|开|交|报|测|派|留|轮|值|发|做)(?![了过])',
  ].join('|'),
  'gu',
);
/** What the speaker wants or plans (我想把…改成…): a proposal, not yet settled. */
const ZH_WANTS = /^(?:(?:好|那|嗯|另外|还有)[，,\s]*)?我(?:想|打算)(?!想|好)/u;
const ZH_TOPIC_NOT_SETTLED = /应该|觉得|感觉|认为|好像|也$|还$|倒是|是|听说|本来|原来|一般|平时|通常|经常|总是|现在|目前|根本|有的|重点|目标|核心|主要|优先|以后|之后|时候|一旦|(?:需要|要|得|必须|能|可以|(?<!\p{Script=Han})会)$/u;
function zhTopicComment(text: string, chair: boolean): RegExpExecArray | null {
  if (ZH_OPINION.test(text) || ZH_PROPOSAL.test(text) || ZH_RESTATED.test(text) || ZH_DECISION_PAST.test(text) || /议程|流程是|[一二两三几]个(?:方案|选项|办法)|一是/u.test(text)) return null;
  for (const m of text.matchAll(ZH_SETTLING)) {
    // The allocation form opens with a mark or 另外/还有 before 每: the topic starts at 每.
    const at = m.index + (/^(?:[，,。\s]|另外|还有)(?=每)/u.exec(m[0])?.[0].length ?? 0);
    // The topic runs back to the last punctuation mark (a space next to Latin text is no break: "PEP 的不改"),
    // or to the last ASR pause when that stretch is long.
    let start = lastMarkBefore(text, at);
    if (at - start > 14) start = clauseStart(text, at);
    const raw = text.slice(start, at);
    const topic = raw.replace(ZH_CONCLUSIVE_OPEN, '').replace(/^\s*(?:另外|还有|然后|嗯+|……|…)[，,\s…]*/u, '').trim();
    const opened = topic !== raw.trim() && ZH_SENTENCE_OPEN.test(raw) && !/^\s*(?:对|嗯)/u.test(raw);
    if (ZH_PERSON_SUBJECT.test(topic) || ZH_TOPIC_NOT_SETTLED.test(topic) || ZH_HYPOTHETICAL.test(topic)) continue;
    if (/^\p{Script=Han}{2,3}$/u.test(topic) && SURNAMES.has(topic[0]!) && !ZH_NOT_NAME.test(topic)) continue;
    // A bare verdict needs something it is about.
    if (!/^[就先还统全每]/u.test(text.slice(at)) && topic === '') continue;
    if (!(chair || opened)) continue;
    const clause = clauseAround(text, at);
    if (isZhQuestion(clause) || ZH_DECISION_HEDGE.test(clause) || ZH_DECISION_PAST.test(clause) || ZH_HYPOTHETICAL.test(clauseAround(text, at, 1)) || ZH_DECISION_GUARD.test(clause)) continue;
    if (ZH_PROGRESSIVE.test(clause) || ZH_AGENDA.test(text.slice(start).trim()) || ZH_PROCEDURE.test(clause)) continue;
    return Object.assign([m[0]], { index: at, input: text, groups: undefined }) as RegExpExecArray;
  }
  return null;
}

/**
 * What the chair says as settled, in English: "No column in the atrium", "the tank goes in the basement", "co-op
 * stays in", "We drop the autumn trade shows", an instruction to the group that sets policy ("Bring the UK hire
 * forward to Q3"), and a threshold rule ("any discount above fifteen percent needs my sign-off"). Only the chair's:
 * the same words from others are views or reports.
 */
const EN_CHAIR_OPEN = '^(?:(?:okay|ok|right|so|then|alright|fine|yes|yeah|good),?\\s+)*';
const EN_CHAIR_DECLARATIVE = new RegExp(
  [
    `${EN_CHAIR_OPEN}no (?:[\\w-]+ ){0,2}?[\\w-]+ (?:in|on|for|during|until|this|before|after)\\b`,
    "(?:^|[,;]\\s*|\\b(?:okay|ok|so|then|but|and|works)\\s+)(?!(?:i|you|he|she|they|it|that|this|there|what|which|who|we|everyone|everybody|someone|nobody)\\b)[\\w-]+(?: [\\w-]+){0,3} (?:goes|go|moves|move|stays|stay) (?:in|into|on|out|to|ahead of|before|after|behind|first|last)\\b",
    `${EN_CHAIR_OPEN}we (?:drop|cut|move|bring|push|keep|skip|cancel|pause|freeze|stop|split|merge|fund|scrap|defer|delay|pull|shelve)\\b`,
    `${EN_CHAIR_OPEN}(?:bring|move|push|pull|drop|cut|keep|freeze|cancel|defer|scrap|shift|shelve) (?:the|our|all|both) (?:[\\w-]+ ){0,4}?(?:forward|back|to|into|until|out|off)\\b`,
    '\\bany [\\w-]+(?: [\\w-]+)? (?:above|over|below|under|beyond|of more than) [\\w-]+(?: [\\w-]+){0,3} (?:needs|requires|must)\\b',
  ].join('|'),
  'i',
);

/** Index just after the last punctuation mark before `at` (0 when none). */
function lastMarkBefore(text: string, at: number): number {
  let i = at - 1;
  while (i >= 0 && !/[，,。.！!？?；;：:]/u.test(text[i]!)) i -= 1;
  return i + 1;
}

/**
 * The English forms of a resolution: "Then we keep the old templates…", "So let's do the fun run", "X it is"
 * inside a longer sentence ("Okay, so Redis streams it is, and…"), and a motion's result ("The bid is accepted").
 */
const EN_RESOLUTION = new RegExp(
  [
    "^(?:(?:(?:okay|ok|alright|all right|fine|good|right),?\\s+)?(?:then|so|in that case)|fine|okay then|alright then),?\\s+we\\s+(?!(?:need|can|could|should|might|may|must|have|had|are|were|was|did|do|don't|didn't|got|still|just|also|only|all|both|went|saw|said|know|think|guess|see|made|ran|had|lost|won|spent|heard|would|will)\\b)(?![a-z]+ed\\b)[a-z]+\\b",
    "^(?:(?:okay|ok|alright|all right|fine|good|right),?\\s+)?(?:then|so|in that case),?\\s+let's\\s+(?:(?:just|also|definitely)\\s+)?do\\s+(?:the|it|that|this)\\b(?!\\s+(?:introductions|recap|agenda|rest|round)\\b)",
    "(?:^|[,;:]\\s*)(?:(?:so|then|okay|ok|alright),?\\s+)(?!(?:here|there|that|this|it|what|so|which|where|how|who)\\b)[\\w-]+(?: [\\w-]+){0,3} it is(?=\\s*(?:[,.;!]|$))",
    "\\b(?:is|are|has been|have been) (?:accepted|adopted|carried|selected)\\b",
    // "Then that goes into the paper as the main table": what a thing becomes, said as the close.
    "^(?:(?:okay|ok|alright|all right|fine|good|right|great)[,.!]?\\s+)?(?:then|so),?\\s+(?:that|this|it|the [\\w-]+)\\s+(?:goes|moves|becomes|stays|gets|counts|ships)\\b",
  ].join('|'),
  'i',
);

/**
 * A list of results ("完成了九个，两个 slip 到了 H1，一个砍掉了"): a 了-ended clause after another clause that
 * reports a result is a report too, not a cut made now.
 */
function reportsResults(text: string, at: number): boolean {
  const clause = clauseAround(text, at);
  if (!/了[。！!，,]?\s*$/u.test(clause)) return false;
  const before = text.slice(0, text.indexOf(clause));
  return /(?:完成|做完|交付|上线|结束|到|掉|成)了/u.test(before);
}

/** A setting change reported as past ("延迟从两百毫秒降到了二十毫秒", "后来调到…") is a result, not a decision. */
function reportedChange(text: string, m: RegExpExecArray | null): RegExpExecArray | null {
  if (m === null) return null;
  return text[m.index + m[0].length] === '了' || /后来|当时|结果|之后/u.test(text.slice(0, m.index)) ? null : m;
}

/** What the rules alone make of one sentence, before any learned score. */
interface RuleReading {
  cls: SentenceClass;
  owner: string | null;
  due: DueDate | null;
}

/** The rule reading of every sentence of a meeting (the rules look at neighbouring sentences too). */
function readSentences(sentences: readonly Sentence[], meetingDate: string | null, chair: string | null): RuleReading[] {
  const speakers = new Set(sentences.map((s) => s.speaker).filter((s): s is string => s !== null));
  return sentences.map((sentence) => {
    const called = addressedParticipant(sentence.text, speakers);
    const owner = findOwner(sentence.text, sentence.speaker, speakers) ?? called ?? addresseeOfTwo(sentence, speakers);
    const dated = findDueDate(sentence.text, meetingDate);
    const due = dated === null ? null : taskDueDate(sentence.text, meetingDate) ?? null;
    const chairs = chair !== null && sentence.speaker === chair;
    // Without speaker labels nothing tells the chair apart: a settling comment may be the chair's.
    const unlabelled = speakers.size === 0;
    const cls = classifySentence(sentence.text, owner !== null, due !== null, dated !== null, called !== null, chairs, unlabelled);
    // A bare "Agreed." before the decision it agrees to, said in the same turn, is part of that decision; before a
    // proposal of the speaker's own ("Agreed. I'd suggest we…") it agrees to a view, and nothing is decided yet.
    if (cls.decision && BARE_ASSENT.test(sentence.text.trim())) {
      const next = sentences[sentence.index + 1];
      if (next !== undefined && next.segmentIndex === sentence.segmentIndex && (classifySentence(next.text, false, false, false, false, chairs).decision || PROPOSES.test(next.text))) cls.decision = false;
    }
    // A vote count is the evidence; when the next sentence states the outcome (第一项通过, "The hire is approved"),
    // that is the decision.
    if (cls.decision && TALLY.test(sentence.text) && !OUTCOME.test(sentence.text) && statesOutcome(sentences[sentence.index + 1])) cls.decision = false;
    // A recap restates the meeting's decisions: the speaker's sentences after "我总结一下" add none of their own.
    if (cls.decision && (inRecap(sentence, sentences) || RECAP.test(sentence.text))) cls.decision = false;
    // "要不要做 QR code 引流？" → the chair: "要做，而且这次要用 UTM…": the echoed answer settles the question.
    if (!cls.decision && chairs && echoesQuestion(sentence, sentences)) cls.decision = cls.plain = true;
    // "能不能…再调两个人" → another speaker: "可以 那周末每店加两个兼职": a yes and what it settles, with the question.
    if (!cls.decision && ZH_YES_THEN.test(sentence.text) && askedByOther(sentence, sentences)) {
      cls.decision = cls.acceptance = cls.plain = true;
      cls.action = cls.action && ZH_ACTION_STRONG.test(sentence.text);
    }
    // Right after the speaker's own question, a plain statement spells out the proposal ("要不要设一个超时提醒？超过一天没评审就自动提醒。").
    if (cls.decision && cls.plain && followsOwnQuestion(sentence, sentences)) cls.decision = false;
    return { cls, owner, due };
  });
}

/** Action items and decisions of a meeting, in sentence order. */
export function extractActionsAndDecisions(spoken: readonly Sentence[], ctx: ExtractionContext): Extraction {
  // Round 20: word-spaced ASR ("行 那 就 这么 定 了") is read, and listed, as written Chinese: the rules' phrases
  // (这么定了, 以后一律, 交给) do not span the spaces a recogniser puts between words.
  const sentences = spoken.map((s) => ({ ...s, text: joinWordSpacedHan(s.text) }));
  const chair = chairOf(sentences);
  const scorers = sentences.length >= MIN_SENTENCES_FOR_SCORERS ? ctx.scorers ?? null : null;
  const readings = readSentences(sentences, ctx.meetingDate, chair);
  const actionItems: ActionItem[] = [];
  const decisions: Decision[] = [];
  for (const sentence of sentences) {
    const { cls: ruled, owner, due } = readings[sentence.index]!;
    const cls = { ...ruled };
    // Round 10: the learned scorers veto what the rules found and they find unlikely, and add what they are confident
    // about — unless the sentence's structure bars it (the scorers read words, not questions or deferrals). Round 23:
    // a scorer that is sure (p > SURE_DECISION_THRESHOLD) is not barred; it has seen the sentence's shape too.
    if (scorers) {
      const p = outcomeProbabilities(scorers, sentences, sentence.index, chair);
      const decided = cls.decision && !cls.plain ? p.decision > CUE_WORD_KEEP_THRESHOLD : combineWithRule(cls.decision, p.decision, DECISION_ADD_THRESHOLD);
      if (decided && !cls.decision) {
        cls.acceptance = false;
        cls.decision = p.decision > SURE_DECISION_THRESHOLD || !barsAddedDecision(spoken[sentence.index]!.text, chair !== null && sentence.speaker === chair);
      } else cls.decision = decided;
      const acted = combineWithRule(cls.action, p.action);
      cls.action = acted && (cls.action || !barsAddedAction(spoken[sentence.index]!.text));
    }
    // Round 18: a bare yes to another speaker's proposal ("Let's do it.", "Then let's do that.", "可以，一起放进去吧") is
    // that proposal's decision, listed with it.
    if (cls.decision && !cls.acceptance && BARE_ACCEPT.test(sentence.text.trim())) cls.acceptance = true;
    // Round 16: a minute-taker lists a sentence once — as the decision when it says it settles something (就这么定了,
    // "approved"), as a task when it names who is to do it, else as the decision it states.
    if (cls.decision && cls.action) {
      if (SETTLES.test(sentence.text)) cls.action = false;
      else if (owner !== null) cls.decision = false;
      else cls.action = false;
    }
    const where = { start: sentence.start, end: sentence.end, speaker: sentence.speaker, sentenceIndex: sentence.index };
    if (cls.decision) addDecision(decisions, { text: sentence.text, ...where }, cls.acceptance, sentences);
    const yes = !cls.action && due !== null ? answeredDeadline(sentence, sentences) : null;
    if (yes !== null) {
      // "这周五之前能出来吗" → "周五应该没问题": the one who said yes owns it, by the deadline asked for.
      actionItems.push({ text: `${sentence.text} ${yes.text}`, owner: yes.speaker, due, ...where, end: yes.end });
      continue;
    }
    // Round 16: a task the speaker takes on in the first person ("我回去把…", "我们这周内把终稿挂到OA上", "I can bring…")
    // is the speaker's, however it is worded.
    const selfOwner = owner === null && sentence.speaker !== null && FIRST_PERSON_TASK.test(sentence.text) ? sentence.speaker : null;
    const item: ActionItem = { text: sentence.text, owner: owner ?? selfOwner, due, ...where };
    const previous = actionItems[actionItems.length - 1];
    if (!cls.action) {
      // Round 23: a reply the rules read as a task but the scorer finds no task of its own ("好的，我今天就发邮件。")
      // still answers the request just before it, when it gives the date that request lacks.
      const givesMissingDate = ruled.action && !cls.decision && due !== null && previous !== undefined && previous.due === null;
      if (givesMissingDate && isReplyTo(item, previous, sentences)) actionItems[actionItems.length - 1] = mergeReply(previous, item);
      continue;
    }
    const asked = askedRequest(sentence, sentences, actionItems);
    if (asked !== null) {
      // "Greg, could you get a quote?" → Greg: "Yes, I'll ask him tomorrow.": one task, the one who said yes owns it.
      const askedDue = findDueDate(asked.text, ctx.meetingDate);
      actionItems.push({ text: `${asked.text} ${sentence.text}`, owner: owner ?? sentence.speaker, due: askedDue ?? due, ...where, start: asked.start, sentenceIndex: asked.index });
      continue;
    }
    if (previous !== undefined && isReplyTo(item, previous, sentences)) actionItems[actionItems.length - 1] = mergeReply(previous, item);
    else actionItems.push(item);
  }
  return { actionItems, decisions };
}

/** A leaning stated as one's own (我个人倾向…, 我比较倾向…): a view, not yet the meeting's choice. */
const ZH_LEANS = /^(?:(?:嗯|对|是|其实|说实话)[，,\s]*)?我(?:个人)?(?:还是)?(?:比较)?倾向/u;
/** A first-person subject: 我/我们 (not 我们大家), "I". */
const FIRST_PERSON_TASK = /我(?!们大家|觉得|认为|看|想)|\bI\b(?! think| guess| mean| feel| don't know)/u;
/** An option laid out for the meeting to choose from (方案一是…, "Option B is…"): not yet a choice. */
const OPTION_LISTED = /^(?:(?:那|嗯|好|另外)[，,\s]*)?(?:方案|选项)\s?[一二三四五ABC1-5]\s?是|^(?:(?:so|and|okay),?\s+)?option (?:one|two|three|a|b|c|[1-3]) (?:is|would be)\b/iu;
/** A yes and nothing else. */
const BARE_YES = /^(?:好|好的|行|可以|同意|没问题|OK|ok|嗯|对|yes|yeah|sure|agreed|okay|fine|it is|it does)[。.！!]?$/iu;
/** Words that say a sentence settles something, whatever else it says. */
const SETTLES = /决定|定了|定下来|这么定|这样定|敲定|拍板|通过|批准|(?:从今天|从现在|从明天|从下周|从下个月|以后|今后)(?:开始|起)?[^。？?]*?(?:必须|一律|不准|不许|不能|都要)|\b(?:decided|agreed|approved|carries|carried|passes|passed|from now on|going forward)\b/iu;
/** What others said or announced ("图书馆那边说…", "教务处通知…"): news from outside the meeting. */
const ZH_OTHERS_SAY = /(?:那边|方面)(?:说|讲|通知|反馈|的意思)|(?:总部|上级|上面|集团|局里|镇里|市里|县里|省里|区里|学校|公司)(?:说|通知)|^(?:(?:另外|还有|嗯|那个)[，,\s]*)?[\p{Script=Han}]{1,6}?(?:处|局|办|部|委|院|站|所|中心|公司|学校|总部|集团)(?:已经|刚)?(?:通知|通报|发了(?:个|一个)?通知|说|要求)|^(?:(?:另外|还有|嗯|那个)[，,\s]*)?(?:区域|片区|大区|所里|院里|厂里|上面|领导)(?:那边)?(?:说|要求|通知)|提出(?:来)?[，,]?\s*说/u;
/** Work handed to someone by name ("王磊你这周内必须处理完", "Marcus, you're on the permit"): a task, not a decision. */
const NAMED_YOU = /(?:^|[，,\s])\p{Script=Han}{1,3}\s?(?:你|您)(?!们|看|说|觉得)|^(?:(?:okay|ok|so|and|then),?\s+)?[A-Z][a-z]+,\s+you(?:'re| are| will|'ll| take| own| handle)\b/u;
/** A sum worked out aloud ("四台二十天，那就是二十二万多"): arithmetic, not a decision. */
const ZH_ARITHMETIC = /那就是\s*[\d一二两三四五六七八九十百千万]/u;
/** Scheduling the next meeting ("下周一上午九点我们再开一次调度会"): procedure, not a task. */
const ZH_NEXT_MEETING = /再开一次[^，。？?]{0,6}会|下次(?:会|开会)(?:的)?时间/u;
const EN_OPINION = /\b(?:i'm thinking|im thinking|propose|i'm not comfortable|i'd rather|id rather|i think|i guess|i would think|i'd think|i'd say|i'll just say|i feel|maybe|might|i suggest|i'd suggest)\b/i;

/**
 * What no learned score turns into a decision (round 10c): questions, deferrals, running the meeting, outcomes
 * reported from elsewhere or restated, conditions, proposals and opinions.
 */
function barsAddedDecision(text: string, chairs = false): boolean {
  if (OPTION_LISTED.test(text) || /^(?:(?:yes|yeah|okay|ok),?\s+)?please do\b/i.test(text.trim())) return true;
  // A bare yes ("可以。", "Agreed.") settles what it answers, where the decision is listed.
  if (BARE_YES.test(text.trim())) return true;
  if (HAN.test(text)) {
    return isZhQuestion(text) || defersAll(text) || NAMED_YOU.test(text) || ZH_ARITHMETIC.test(text) || ZH_RUNS_MEETING.test(text) || ZH_RESTATED.test(text) || ZH_REPORTED_SPEECH.test(text) || ZH_THIRD_PARTY.test(text) ||
      ZH_OTHERS_SAY.test(text) || (ZH_PROPOSAL.test(text) && !(chairs && CHAIR_VIEW.test(text))) || ZH_WANTS.test(text) || ZH_OPINION.test(text) || ZH_HYPOTHETICAL.test(withoutTopicDehua(text)) || ZH_PROCEDURE.test(text) || ZH_CALLS_VOTE.test(text) || ZH_DECISION_GUARD.test(text) || RECAP.test(text);
  }
  return isEnQuestion(text, false) || EN_DEFERS.test(text) || NAMED_YOU.test(text) || EN_RUNS_MEETING.test(text) || EN_DECISION_GUARD.test(text) || EN_DECISION_PAST.test(text) || EN_PROCEDURE.test(text) || RECAP.test(text) || EN_OPINION.test(text) || /^(?:if|when|right now|currently|at the moment|as of now)\b/i.test(text);
}

/**
 * A deferral that puts off what the sentence is about ("这个下次再议"), not one that puts off the rest after a settled
 * part ("先换海景房那四层，其他楼层明年再说", "今年就不换头了先修先用parade完了再讨论要不要整条换"): eight Han
 * characters or more before the deferral that settle something (先…, 就…, 不…, 还是…) are a part of their own; a topic
 * before it ("新系统上线的具体时间下次再定") is not.
 */
const SETTLED_PART = /先|就|不|还是|这么定|这样定|只/u;
function defersAll(text: string): boolean {
  const deferral = ZH_DEFERS.exec(text);
  if (deferral === null) return false;
  const before = text.slice(0, deferral.index).replace(/[^\p{Script=Han}]/gu, '');
  return before.length < 8 || !SETTLED_PART.test(before);
}

/** The chair's view (我的意见是…): in a meeting the chair runs, how it is settled. */
const CHAIR_VIEW = /^(?:(?:好|那|嗯)[，,\s]*)?我(?:的)?意见是/u;

/** What no learned score turns into a task: proposals, opinions, conditions, running the meeting, scheduling the next one. */
function barsAddedAction(text: string): boolean {
  if (HAN.test(text)) return ZH_PROPOSAL.test(text) || ZH_OPINION.test(text) || ZH_HYPOTHETICAL.test(withoutTopicDehua(text)) || ZH_RUNS_MEETING.test(text) || ZH_NEXT_MEETING.test(text) || ZH_LEAVE.test(text) || ZH_DEFERS.test(text);
  return EN_PROCEDURE.test(text) || EN_RUNS_MEETING.test(text) || EN_BARE_REPLY.test(text.trim()) || EN_OPINION.test(text) || EN_DEFERS.test(text);
}

/** Whether the sentence follows a recap opener said by the same speaker, with no other speaker between. */
function inRecap(sentence: Sentence, sentences: readonly Sentence[]): boolean {
  for (let i = sentence.index - 1; i >= 0 && i >= sentence.index - 8; i -= 1) {
    const before = sentences[i]!;
    if (before.speaker !== sentence.speaker) return false;
    if (RECAP.test(before.text)) return true;
  }
  return false;
}

/** The most active speaker, when one speaks clearly most (by sentences; ties have no chair). */
export function chairOf(sentences: readonly Sentence[]): string | null {
  const counts = new Map<string, number>();
  for (const s of sentences) if (s.speaker !== null) counts.set(s.speaker, (counts.get(s.speaker) ?? 0) + 1);
  const ranked = [...counts].sort((a, b) => b[1] - a[1]);
  if (ranked.length < 2 || ranked[0]![1] === ranked[1]![1]) return null;
  return ranked[0]![0];
}

const PROPOSES = /\b(?:i'd suggest|i suggest|i propose|i'd propose|my suggestion|i recommend|i'd recommend)\b|我建议|我提议/iu;
/** A vote count ("九票同意，零票反对", "Okay, that's unanimous") and the words that state an outcome. */
const TALLY = /[一二两三四五六七八九十零\d]+票|\bunanimous\b|\b\w+ (?:votes? )?(?:to|against) \w+\b(?=.*\bvotes?\b)/iu;
const OUTCOME = /通过|否决|\b(?:approved|carried|carries|passes|passed|adopted|accepted|rejected|fails|failed|defeated)\b/iu;
function statesOutcome(next: Sentence | undefined): boolean {
  return next !== undefined && OUTCOME.test(next.text) && classifySentence(next.text, false, false).decision;
}

/** The answer echoes the verb of another speaker's A-not-A question ("要不要做…？" → "要做，…"; "上不上？" → "上，…"). */
function echoesQuestion(sentence: Sentence, sentences: readonly Sentence[]): boolean {
  const before = sentences[sentence.index - 1];
  if (before === undefined || before.speaker === null || before.speaker === sentence.speaker || !HAN.test(before.text)) return false;
  const asked = /(\p{Script=Han})不\1(\p{Script=Han})?/u.exec(before.text);
  if (asked === null) return false;
  const echo = asked[1]! + (asked[2] ?? '');
  const text = sentence.text.replace(ZH_CONCLUSIVE_OPEN, '');
  return text.startsWith(echo) && /^[，,\s]/u.test(text.slice(echo.length)) && !isZhQuestion(text) && !ZH_DECISION_HEDGE.test(text);
}

/** A yes, then what it settles without a person subject ("可以 那周末每店加两个兼职"). */
const ZH_YES_THEN = /^(?:可以|行|好|没问题|同意)[\s，,]+那(?!我|你|您|个|今天|先这样|就这样|就先这样|我们下一|下一)\s*\p{Script=Han}/u;

/** The sentence before is another speaker's question. */
function askedByOther(sentence: Sentence, sentences: readonly Sentence[]): boolean {
  const before = sentences[sentence.index - 1];
  return before !== undefined && before.speaker !== null && sentence.speaker !== null && before.speaker !== sentence.speaker && isZhQuestion(before.text);
}

const BARE_ASSENT = /^(?:(?:then|so|okay|ok),?\s+)?(?:(?:yes|yeah),?\s+)?(?:agreed|approved|ok(?:ay)?|fine|sure|yes|yeah|right|同意|可以|好的?|行)[.!。！]*$/iu;

/**
 * A participant named at the start of an English sentence, before an uninflected verb or "can you" ("yeah raj set
 * up a call…", "lena can you take that back…"): lowercase ASR has neither capitals nor the vocative comma.
 */
function addressedParticipant(text: string, speakers: ReadonlySet<string>): string | null {
  if (HAN.test(text)) return null;
  if (speakers.size === 0) {
    // No labels to check a name against: only a plain request to "you" right after the word marks it as a name
    // ("marcus you need to get the liners shipped", "tom can your guys get those plumbed in").
    const v = /^(?:(?:yeah|yes|ok|okay|so|and|right|alright|then),?\s+)*([a-z]+),?\s+(?:can you|could you|can your|you need to|you'll|you will|you should|you have to|you own|you're on)\b/i.exec(text.trim());
    return v !== null && !EN_NOT_VOCATIVE.has(v[1]!.toLowerCase()) ? v[1]! : null;
  }
  const m = /^(?:(?:yeah|yes|ok|okay|so|and|right|alright|then),?\s+)*([A-Za-z]+),?\s+(can you|could you|you|please|[a-z]+)\b/i.exec(text.trim());
  if (m === null) return null;
  const name = [...speakers].find((s) => s.toLowerCase() === m[1]!.toLowerCase());
  const next = m[2]!.toLowerCase();
  if (name === undefined || /^(?:is|was|are|were|has|had|and|said|says|will|would|can|could|did|does|do|just|also|thinks|mentioned|told|asked|'s)$/.test(next)) return null;
  // "marcus you want to start with the big ones": an unpunctuated question handing over the floor.
  if (/^,?\s*you (?:want|wanna|mind|ready|there|good|ok|okay)\b/i.test(text.trim().slice(m.index + m[0].length - m[2]!.length))) return null;
  return /(?:ed|s)$/.test(next) && !/^(?:can you|could you|you|please|discuss|address|process|access)$/.test(next) ? null : name;
}

const EN_NOT_VOCATIVE = new Set(['so', 'and', 'but', 'now', 'well', 'okay', 'ok', 'yeah', 'yes', 'no', 'i', 'we', 'they', 'he', 'she', 'it', 'guys', 'everyone', 'everybody', 'folks', 'also', 'first', 'then', 'right', 'alright', 'if', 'when', 'what', 'how', 'why', 'where', 'who', 'that', 'this', 'because', 'or', 'um', 'uh', 'like', 'just', 'honestly', 'actually', 'basically', 'sorry', 'thanks', 'great', 'good', 'fine', 'sure', 'hey', 'hi', 'look', 'listen']);
/** In a two-person meeting, "你" said by one as the subject of a task is the other ("你这周五之前写个 one pager"). */
function addresseeOfTwo(sentence: Sentence, speakers: ReadonlySet<string>): string | null {
  if (speakers.size !== 2 || sentence.speaker === null || !/(?:^|[\s，,])(?:你|您)(?!们|看|说|觉得|知道)/u.test(sentence.text)) return null;
  return [...speakers].find((s) => s !== sentence.speaker) ?? null;
}

/** The next sentence when it is another speaker's yes to a Chinese question asking for a deadline ("…之前能出来吗"). */
function answeredDeadline(sentence: Sentence, sentences: readonly Sentence[]): Sentence | null {
  const text = sentence.text;
  if (!HAN.test(text) || sentence.speaker === null) return null;
  const last = clauseAround(text, text.length - 1);
  if (!isZhQuestion(last) || !ZH_CAN_ASK.test(last)) return null;
  const next = sentences[sentence.index + 1];
  if (next === undefined || next.speaker === null || next.speaker === sentence.speaker) return null;
  return ZH_YES.test(next.text.trim()) && !ZH_NO.test(next.text) ? next : null;
}

const REPLY_YES = /^(?:yes|yeah|yep|sure|ok(?:ay)?|of course|no problem|will do|absolutely|i (?:will|can|shall)(?=\s*[,.!]|$)|好的?|行|可以|没问题|嗯|OK)\b|^(?:好的?|行|可以|没问题|嗯)/iu;
const EN_ASKS_YOU = /\b(?:can|could|would|will) you\b/i;

/**
 * The request a reply says yes to: the sentence before, by another speaker, asking the replier to do something as
 * a question ("could you get a quote?", "你能帮忙…吗"), and not already a task of its own.
 */
function askedRequest(reply: Sentence, sentences: readonly Sentence[], items: readonly ActionItem[]): Sentence | null {
  const before = sentences[reply.index - 1];
  if (before === undefined || reply.speaker === null || before.speaker === null || before.speaker === reply.speaker) return null;
  if (!REPLY_YES.test(reply.text.trim())) return null;
  if (items.some((a) => a.sentenceIndex === before.index)) return null;
  const last = HAN.test(before.text) ? clauseAround(before.text, before.text.length - 1) : before.text.slice(clauseStart(before.text, Math.max(0, before.text.length - 2)));
  // A Chinese request may be a question ("你能…吗") or an imperative to 你 ("你直接联系工程部换掉").
  const zhImperative = /(?:^|[\s，,])(?:你|您)(?!们)/u.test(before.text) && !isZhQuestion(before.text) && (ZH_ACTION_STRONG.test(before.text) || ZH_ACTION_WEAK.test(before.text));
  const asks = HAN.test(before.text) ? (isZhQuestion(last) && /你|您/u.test(before.text)) || zhImperative : EN_ASKS_YOU.test(last) && QUESTION_END.test(before.text);
  return asks ? before : null;
}

function followsOwnQuestion(sentence: Sentence, sentences: readonly Sentence[]): boolean {
  const before = sentences[sentence.index - 1];
  return before !== undefined && before.segmentIndex === sentence.segmentIndex && QUESTION_END.test(before.text);
}

/**
 * Adds a decision, folding in what it completes: an acceptance takes the proposal just before it from another
 * speaker (one decision: "发版窗口放在周四晚上十点。 可以，就周四晚上十点。"), and a sentence cut at a semicolon
 * joins the decision it continues in the same segment.
 */
function addDecision(decisions: Decision[], decision: Decision, acceptance: boolean, sentences: readonly Sentence[]): void {
  const last = decisions[decisions.length - 1];
  // "就这么定了。" right after the decision it confirms is part of it, not a second one.
  if (last !== undefined && BARE_SETTLE.test(decision.text.trim()) && decision.sentenceIndex - last.sentenceIndex <= 2) {
    decisions[decisions.length - 1] = { ...last, text: `${last.text} ${decision.text}`, end: decision.end };
    return;
  }
  const current = sentences[decision.sentenceIndex];
  const before = sentences[decision.sentenceIndex - 1];
  const continues =
    last !== undefined && before !== undefined && current !== undefined && last.sentenceIndex + 1 >= before.index && /[；;]$/u.test(before.text) && before.segmentIndex === current.segmentIndex;
  if (continues) {
    decisions[decisions.length - 1] = { ...last, text: `${last.text} ${decision.text}`, end: decision.end };
    return;
  }
  const proposal = acceptance && before !== undefined && before.speaker !== null && decision.speaker !== null && before.speaker !== decision.speaker ? before : null;
  if (proposal === null) {
    decisions.push(decision);
    return;
  }
  const merged: Decision = { ...decision, text: `${proposal.text} ${decision.text}`, start: proposal.start, sentenceIndex: proposal.index };
  if (last !== undefined && last.sentenceIndex === proposal.index) decisions[decisions.length - 1] = merged;
  else decisions.push(merged);
}

/** A yes to the proposal before it with nothing of its own ("Then let's do that.", "可以，一起放进去吧"). */
const BARE_ACCEPT = /^(?:(?:yes|yeah|okay|ok|alright|right|fine|then|so|good|great|sure)[,.!]?\s+)*(?:let's (?:do|go with|go for|try) (?:it|that|this|both|[\w'-]+(?: [\w'-]+){0,2}?'s (?:version|plan|idea|option|proposal))|(?:let's )?do it|that works|sounds good)[.!]?$|^(?:(?:好|行|可以|同意|没问题|嗯|那)[，,\s]*)+(?:就)?(?:这么办|这样办|照这个办|按你说的(?:来|办)?|一起放进去|放进去)(?:吧)?[。！!]?$/iu;

/** A confirmation of the decision just made (就这么定了, "No exceptions.", "That's settled."). */
const BARE_SETTLE = /^(?:and )?no exceptions[.!]?$|^(?:(?:好|那|行|嗯|对|可以|OK|ok)[，,\s]*)*(?:那)?(?:就)?(?:这么|这样)(?:定|办)(?:了|吧)?[。！!]?$|^(?:这个|那)?(?:就)?从[^，。\s]{1,8}(?:开始|起)执行(?:吧)?[。！!]?$|^(?:(?:okay|ok|so|then),?\s+)?(?:that's|it's) (?:decided|settled)[.!]?$/iu;

/** A short acknowledgement ("好，我来写。", "Sure, I'll do it.") carries no task of its own. */
function isAcknowledgement(text: string): boolean {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const words = (text.match(/[A-Za-z]+/g) ?? []).length;
  return han + words <= 8 && (han === 0 || words === 0) && (han <= 8 && words <= 5);
}

/** An addition to the task just given, from someone else ("Please include the agreement too", "顺便把…也…"). */
const ADDENDUM = /\b(?:too|also|as well)\b|顺便|也(?:把|要|一起|顺便)|一并/u;

/**
 * The same task said twice in a row by two people: a request and its acceptance ("合同你发给法务看一下" →
 * "好的，我明天就把合同发给法务"; "Tom, can you ask…" → Tom: "Sure, I'll email them today"), or an addition to it
 * from the one who asked. Needs speaker labels to tell the turns apart.
 */
function isReplyTo(item: ActionItem, previous: ActionItem, sentences: readonly Sentence[]): boolean {
  // A task's scheduling exchange: A offers, B asks when, A names the time ("I can walk your admin through it" →
  // "can we do that this Thursday" → "Thursday works I'll send an invite").
  const between = sentences[previous.sentenceIndex + 1];
  if (
    item.speaker !== null && item.speaker === previous.speaker && previous.due === null && item.due !== null && item.sentenceIndex - previous.sentenceIndex === 2 &&
    between !== undefined && between.speaker !== null && between.speaker !== item.speaker && /[？?]\s*$|\b(?:can|could|shall) we\b|吗|能不能|可不可以/iu.test(between.text)
  )
    return true;
  // Without speaker labels, a yes opening the sentence right after a request to "you" is its answer
  // ("David 你 来 约 吧…" → "no problem i'll send them a few slots").
  const asked = sentences[previous.sentenceIndex];
  if (item.speaker === null && previous.speaker === null && asked !== undefined && item.sentenceIndex === asked.index + 1 && REPLY_YES.test(item.text.trim()) && (EN_ASKS_YOU.test(asked.text) || /(?:^|[\s，,])(?:你|您)(?!们)/u.test(asked.text))) return true;
  if (item.speaker === null || previous.speaker === null || item.speaker === previous.speaker) return false;
  if (item.sentenceIndex - previous.sentenceIndex > 2) return false;
  if (isAcknowledgement(item.text)) return true;
  // "…can you set that up" → "yeah i'll ask our champion…": the yes of the one asked is the same task.
  const request = sentences[previous.sentenceIndex];
  if (request !== undefined && item.sentenceIndex === request.index + 1 && REPLY_YES.test(item.text.trim()) && (EN_ASKS_YOU.test(request.text) || /(?:^|[\s，,])(?:你|您)(?!们)/u.test(request.text))) return true;
  if (previous.owner !== null && previous.owner === item.speaker && (item.owner === null || item.owner === item.speaker)) return true;
  if (item.owner === null && ADDENDUM.test(item.text)) return true;
  return cosine(termVector(textTerms(item.text)), termVector(textTerms(previous.text))) >= 0.2;
}

/** One item for a request and its reply: both sentences, the one who accepted as owner (else the one named), the deadline asked for. */
function mergeReply(request: ActionItem, reply: ActionItem): ActionItem {
  return {
    text: `${request.text} ${reply.text}`,
    owner: reply.owner ?? request.owner,
    due: request.due ?? reply.due,
    start: request.start,
    end: reply.end,
    speaker: reply.speaker,
    sentenceIndex: request.sentenceIndex,
  };
}
