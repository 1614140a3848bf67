/**
 * How far a second annotator agrees with the original annotation of the same meetings, next to how far the extractor
 * does, both counted by segment (test/minutes/agreement: a second annotator's marks for holdout-47 and holdout-48,
 * made from the transcripts alone, following the same guidelines). Round 20 asked whether the decision errors left
 * were disagreement a careful reader would also have; this prints the answer. Not timed.
 * Run: node --import tsx test/bench/minutes-agreement.ts
 * The extractor is scored with scorers trained without the splits it is scored on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { splitSentences, parseMinutesInput } from '../../engine/src/minutes/index.ts';
import { loadAnnotatedMeetings, scoreMeeting, trainScorersWithout, type AnnotatedMeeting } from '../minutes/evaluate.ts';

export const AGREEMENT_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'minutes', 'agreement');

/** A second annotator's marks on one meeting: segment indices, as the transcript they were given numbered them. */
export interface SecondAnnotation {
  meeting: string;
  annotator: string;
  actionItems: Array<{ segment: number; owner: string | null; due: string | null }>;
  decisions: Array<{ segment: number }>;
}

export function loadSecondAnnotations(): SecondAnnotation[] {
  return readdirSync(AGREEMENT_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(AGREEMENT_DIR, f), 'utf8')) as SecondAnnotation);
}

const unspaced = (text: string): string => text.replace(/\s+/gu, '').toLowerCase();

interface Segmented {
  segments: Array<{ text: string }>;
}

/** The segment holding each expected key of the original annotation (keys occur in exactly one segment). */
export function originalSegments(meeting: AnnotatedMeeting): { actions: Map<number, { owner: string | null; due: string | null }>; decisions: Set<number> } {
  const { segments } = meeting.raw as Segmented;
  const segmentOf = (key: string): number => segments.findIndex((s) => unspaced(s.text).includes(unspaced(key)));
  return {
    actions: new Map(meeting.expected.actionItems.map((a) => [segmentOf(a.key), { owner: a.owner, due: a.due }])),
    decisions: new Set(meeting.expected.decisions.map((d) => segmentOf(d.key))),
  };
}

interface Tally {
  marked: number;
  original: number;
  agreed: number;
}

const rate = (t: Tally): string => `P ${(t.agreed / Math.max(1, t.marked)).toFixed(3)} R ${(t.agreed / Math.max(1, t.original)).toFixed(3)} (${t.agreed} agreed, ${t.marked} marked, ${t.original} original)`;

async function main(): Promise<void> {
  const meetings = new Map(loadAnnotatedMeetings().map((m) => [m.name, m]));
  const seconds = loadSecondAnnotations();
  const splits = [...new Set(seconds.map((s) => meetings.get(s.meeting)!.split))];
  const scorers = trainScorersWithout([...meetings.values()], splits);
  const zero = (): Tally => ({ marked: 0, original: 0, agreed: 0 });
  const tallies = { second: { actions: zero(), decisions: zero() }, extractor: { actions: zero(), decisions: zero() } };
  let ownerAgreed = 0;
  let dueAgreed = 0;
  const add = (t: Tally, marked: ReadonlySet<number>, original: ReadonlySet<number>): void => {
    t.marked += marked.size;
    t.original += original.size;
    t.agreed += [...marked].filter((s) => original.has(s)).length;
  };
  for (const second of seconds) {
    const meeting = meetings.get(second.meeting)!;
    const original = originalSegments(meeting);
    const originalActions = new Set(original.actions.keys());
    add(tallies.second.actions, new Set(second.actionItems.map((a) => a.segment)), originalActions);
    add(tallies.second.decisions, new Set(second.decisions.map((d) => d.segment)), original.decisions);
    for (const a of second.actionItems) {
      const want = original.actions.get(a.segment);
      if (want === undefined) continue;
      if ((a.owner ?? '').toLowerCase() === (want.owner ?? '').toLowerCase()) ownerAgreed += 1;
      if (a.due === want.due) dueAgreed += 1;
    }
    const sentences = splitSentences([...parseMinutesInput(meeting.raw).segments].sort((x, y) => x.start - y.start));
    const { minutes } = await scoreMeeting(meeting, scorers);
    const segmentOfSentence = (i: number): number => sentences[i]!.segmentIndex;
    add(tallies.extractor.actions, new Set(minutes.actionItems.map((a) => segmentOfSentence(a.sentenceIndex))), originalActions);
    add(tallies.extractor.decisions, new Set(minutes.decisions.map((d) => segmentOfSentence(d.sentenceIndex))), original.decisions);
  }
  console.log(`${seconds.length} meetings (${splits.join(', ')}), counted by segment against the original annotation`);
  console.log(`second annotator  actions   ${rate(tallies.second.actions)}; owner ${ownerAgreed}, due ${dueAgreed} of ${tallies.second.actions.agreed}`);
  console.log(`second annotator  decisions ${rate(tallies.second.decisions)}`);
  console.log(`extractor         actions   ${rate(tallies.extractor.actions)}`);
  console.log(`extractor         decisions ${rate(tallies.extractor.decisions)}`);
  for (const annotator of [...new Set(seconds.map((s) => s.annotator))]) {
    const one = { actions: zero(), decisions: zero() };
    for (const second of seconds.filter((s) => s.annotator === annotator)) {
      const original = originalSegments(meetings.get(second.meeting)!);
      add(one.actions, new Set(second.actionItems.map((a) => a.segment)), new Set(original.actions.keys()));
      add(one.decisions, new Set(second.decisions.map((d) => d.segment)), original.decisions);
    }
    console.log(`  ${annotator}: actions ${rate(one.actions)}; decisions ${rate(one.decisions)}`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
