/**
 * Punctuation width per language. Models trained on mixed data emit both "," and "，"; readers
 * expect full-width marks in Chinese and Japanese sentences and ASCII marks in English ones.
 * A mark takes the width of the script around it (wide when either neighbour is Han/kana/Hangul),
 * so "你好,世界" → "你好，世界" and
 * "Hello，world" → "Hello, world", while "3.5" or "1,000" (digits on both sides) never change.
 */

const HALF_TO_FULL: Readonly<Record<string, string>> = {
  ',': '，',
  '.': '。',
  '?': '？',
  '!': '！',
  ':': '：',
  ';': '；',
  '(': '（',
  ')': '）',
};

const FULL_TO_HALF: Readonly<Record<string, string>> = {
  '，': ',',
  '。': '.',
  '？': '?',
  '！': '!',
  '：': ':',
  '；': ';',
  '（': '(',
  '）': ')',
  '、': ',',
};

const WIDE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{Nd}]/u;

/** The nearest letter-like character before index `i` (skipping spaces), or ''. */
function neighbourBefore(chars: readonly string[], i: number): string {
  for (let j = i - 1; j >= 0; j--) if (!/\s/.test(chars[j]!)) return chars[j]!;
  return '';
}

function neighbourAfter(chars: readonly string[], i: number): string {
  for (let j = i + 1; j < chars.length; j++) if (!/\s/.test(chars[j]!)) return chars[j]!;
  return '';
}

/**
 * Normalizes punctuation width to the surrounding script.
 * @param text one segment or a whole transcript
 */
export function normalizePunctuationWidth(text: string): string {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const before = neighbourBefore(chars, i);
    const after = neighbourAfter(chars, i);
    const full = HALF_TO_FULL[ch];
    if (full !== undefined) {
      // Decimal points, thousands separators and times stay ASCII.
      const numeric = /\p{Nd}/u.test(chars[i - 1] ?? '') && /\p{Nd}/u.test(chars[i + 1] ?? '');
      if (!numeric && (WIDE_SCRIPT.test(before) || WIDE_SCRIPT.test(after))) {
        out.push(full);
        // Full-width marks carry their own spacing.
        while (i + 1 < chars.length && chars[i + 1] === ' ' && WIDE_SCRIPT.test(after)) i++;
        continue;
      }
      out.push(ch);
      continue;
    }
    const half = FULL_TO_HALF[ch];
    if (half !== undefined && LATIN_OR_DIGIT.test(before) && !WIDE_SCRIPT.test(after)) {
      out.push(half);
      // ASCII sentence marks are followed by a space before the next word.
      if (/[,.?!:;)]/.test(half) && after !== '' && chars[i + 1] !== ' ' && !/[,.?!:;)]/.test(chars[i + 1] ?? '')) out.push(' ');
      continue;
    }
    out.push(ch);
  }
  return out.join('');
}
