/**
 * Joining segment texts into one transcript. Chinese, Japanese and Korean script needs no
 * space at a join; anything else (Latin words, digits) gets exactly one.
 */
const NO_SPACE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]/u;

export function needsSpaceBetween(left: string, right: string): boolean {
  if (left.length === 0 || right.length === 0) return false;
  const last = Array.from(left).at(-1) ?? '';
  const first = Array.from(right)[0] ?? '';
  if (/\s/.test(last) || /\s/.test(first)) return false;
  if (NO_SPACE_SCRIPT.test(last) || NO_SPACE_SCRIPT.test(first)) return false;
  return true;
}

export function joinSegmentTexts(texts: readonly string[]): string {
  let out = '';
  for (const raw of texts) {
    const text = raw.trim();
    if (text.length === 0) continue;
    out += needsSpaceBetween(out, text) ? ` ${text}` : text;
  }
  return out;
}

/** The language covering the most speech, weighting each segment by its duration. */
export function dominantLanguage(segments: readonly { language: string | null; startS: number; endS: number }[]): string | null {
  const seconds = new Map<string, number>();
  for (const segment of segments) {
    if (!segment.language) continue;
    seconds.set(segment.language, (seconds.get(segment.language) ?? 0) + (segment.endS - segment.startS));
  }
  let best: string | null = null;
  let bestSeconds = -1;
  for (const [language, total] of seconds) {
    if (total > bestSeconds) {
      best = language;
      bestSeconds = total;
    }
  }
  return best;
}
