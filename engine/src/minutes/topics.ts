/**
 * Topic segmentation, TextTiling-style: similarity of the term vectors (Han bigrams, words) of the windows
 * left and right of each gap between sentences; a gap in a deep valley of that curve, or after a long pause,
 * starts a new topic.
 */
import { cosine, termVector, textTerms, type TermVector } from './terms.ts';
import type { Sentence, Topic } from './types.ts';

export interface TopicOptions {
  /** Sentences on each side of a gap (default: 2–4, growing with the meeting). */
  windowSentences?: number;
  /** Fewest sentences in a topic (default 3). */
  minTopicSentences?: number;
  /** A silence this long (seconds) between sentences counts as strong evidence of a new topic (default 5). */
  pauseS?: number;
  /** Keywords per topic (default 3). */
  keywordCount?: number;
}

function windowVector(terms: readonly string[][], from: number, to: number): TermVector {
  const all: string[] = [];
  for (let i = Math.max(0, from); i < Math.min(terms.length, to); i += 1) all.push(...terms[i]!);
  return termVector(all);
}

/**
 * Depth of each gap's similarity valley: how far the curve rises to the highest point on each side.
 * `similarity[g]` is the gap before sentence g+1; returns the same length, each in [0, 2].
 */
export function depthScores(similarity: readonly number[]): number[] {
  return similarity.map((value, g) => {
    let left = value;
    for (let i = g - 1; i >= 0 && similarity[i]! >= left; i -= 1) left = similarity[i]!;
    let right = value;
    for (let i = g + 1; i < similarity.length && similarity[i]! >= right; i += 1) right = similarity[i]!;
    return left - value + (right - value);
  });
}

/** Sentence indices (each > 0) where a new topic starts. */
export function topicBoundaries(sentences: readonly Sentence[], opts: TopicOptions = {}): number[] {
  const n = sentences.length;
  const minSize = opts.minTopicSentences ?? 3;
  if (n < 2 * minSize) return [];
  const w = opts.windowSentences ?? Math.min(4, Math.max(2, Math.round(n / 10)));
  const pauseS = opts.pauseS ?? 5;
  const terms = sentences.map((s) => textTerms(s.text));
  // gap g lies between sentence g and g+1
  const similarity: number[] = [];
  for (let g = 0; g < n - 1; g += 1) similarity.push(cosine(windowVector(terms, g + 1 - w, g + 1), windowVector(terms, g + 1, g + 1 + w)));
  const depth = depthScores(similarity);
  const pause = sentences.slice(1).map((s, g) => s.start - sentences[g]!.end >= pauseS);
  const score = depth.map((d, g) => d + (pause[g] ? 0.5 : 0));
  const mean = score.reduce((a, b) => a + b, 0) / score.length;
  const sd = Math.sqrt(score.reduce((a, b) => a + (b - mean) ** 2, 0) / score.length);
  const cutoff = Math.max(mean + sd / 2, 0.25);
  const order = score.map((s, g) => ({ s, g })).filter((x) => x.s >= cutoff || pause[x.g]).sort((a, b) => b.s - a.s);
  const chosen: number[] = [];
  for (const { g } of order) {
    const start = g + 1;
    if (start < minSize || n - start < minSize) continue;
    if (chosen.some((b) => Math.abs(b - start) < minSize)) continue;
    chosen.push(start);
  }
  return chosen.sort((a, b) => a - b);
}

const HAN_RUN = /\p{Script=Han}+/gu;
const EDGE_STOP = /^[的了是在我你他她它们这那个就也都和与及或吧吗呢啊嗯哦呀么还要会有没不把被给对说到去来上下一些点很再又着过得地]|[的了是在我你他她它这那个就也都和与及或吧吗呢啊嗯哦呀么还要会有没不把被给对说到去来一些再又着过得地]$/u;
const EN_STOP_KEYWORD = /^(?:our|your|their|has|have|all|can|will|just|with|from|about|what|we|you|they|it|that|this|the|and|for|with|are|was|but|not|yes|okay|right|so|then|thanks|team|think|need|let's|i'll|we'll|good|great|sure|today|also|one|two|three)$/i;

/** Candidate phrases of a text with counts: Han 2–4-grams inside Han runs, and English words. */
function phraseCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (p: string): void => {
    counts.set(p, (counts.get(p) ?? 0) + 1);
  };
  for (const m of text.matchAll(HAN_RUN)) {
    const run = m[0];
    for (let len = 2; len <= 4; len += 1) for (let i = 0; i + len <= run.length; i += 1) add(run.slice(i, i + len));
  }
  for (const m of text.matchAll(/[A-Za-z][A-Za-z0-9-]{2,}/g)) add(m[0].toLowerCase());
  return counts;
}

/** The most distinctive repeated phrases of one stretch compared with the whole meeting. */
export function topicKeywords(stretch: string, whole: string, count: number): string[] {
  const local = phraseCounts(stretch);
  const global = phraseCounts(whole);
  const candidates = [...local.entries()].filter(
    ([p, c]) => c >= 2 && !(/\p{Script=Han}/u.test(p) ? EDGE_STOP.test(p) : EN_STOP_KEYWORD.test(p)),
  );
  // A phrase inside a longer one seen as often adds nothing ("数据" in "数据库").
  const kept = candidates.filter(([p, c]) => !candidates.some(([q, d]) => q !== p && q.includes(p) && d >= c));
  const scored = kept.map(([p, c]) => ({ p, score: c * Math.sqrt(/\p{Script=Han}/u.test(p) ? p.length : 2) * (c / (global.get(p) ?? c)) }));
  scored.sort((a, b) => b.score - a.score || a.p.localeCompare(b.p));
  return scored.slice(0, count).map((x) => x.p);
}

/** Topics of a meeting: consecutive sentence stretches with their time span and keywords. */
export function segmentTopics(sentences: readonly Sentence[], opts: TopicOptions = {}): Topic[] {
  if (sentences.length === 0) return [];
  const starts = [0, ...topicBoundaries(sentences, opts)];
  const whole = sentences.map((s) => s.text).join('\n');
  return starts.map((first, i) => {
    const last = (starts[i + 1] ?? sentences.length) - 1;
    const stretch = sentences.slice(first, last + 1);
    return {
      keywords: topicKeywords(stretch.map((s) => s.text).join('\n'), whole, opts.keywordCount ?? 3),
      start: stretch[0]!.start,
      end: stretch[stretch.length - 1]!.end,
      firstSentence: first,
      lastSentence: last,
    };
  });
}
