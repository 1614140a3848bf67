/**
 * Finding audio attachments and Tingxie's transcript callouts in a note's Markdown. Pure: text in, positions out.
 * Links in the frontmatter, in fenced code and inside transcript callouts are not attachments of the note body.
 */

/** Extensions Obsidian plays as audio (plus a few the engine decodes). Lower case, no dot. */
export const AUDIO_EXTENSIONS: ReadonlySet<string> = new Set(['mp3', 'wav', 'm4a', 'ogg', 'oga', 'opus', 'flac', 'webm', '3gp', 'aac']);

export interface AudioLink {
  /** The link target as Obsidian resolves it: no `#subpath`, no `|alias`, URL-decoded for Markdown links. */
  linkpath: string;
  /** 0-based line holding the link. */
  line: number;
  /** The link as written, e.g. `![[a.m4a]]`. */
  original: string;
}

export interface TranscriptBlock {
  /** The callout title: the audio file's name (or path when names collide). */
  title: string;
  /** First (header) and last line of the callout, 0-based inclusive. */
  startLine: number;
  endLine: number;
}

export interface NoteScan {
  links: AudioLink[];
  blocks: TranscriptBlock[];
}

/** Lines of the YAML frontmatter (both `---` included), or null when the note has none. */
export function frontmatterRange(lines: readonly string[]): { start: number; end: number } | null {
  if (lines[0]?.trimEnd() !== '---') return null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.trimEnd();
    if (line === '---' || line === '...') return { start: 0, end: i };
  }
  return null;
}

export function isAudioPath(path: string): boolean {
  const match = /\.([A-Za-z0-9]+)$/.exec(path);
  return match !== null && AUDIO_EXTENSIONS.has(match[1]!.toLowerCase());
}

const WIKI_LINK = /(!?)\[\[([^\[\]|#\n]+)(#[^\[\]|\n]*)?(\|[^\[\]\n]*)?\]\]/g;
const MARKDOWN_LINK = /(!?)\[([^\[\]\n]*)\]\(\s*(<[^>\n]+>|[^)\s]+)(\s+"[^"\n]*")?\s*\)/g;

/** Header of a callout of `type` (indented inside a list item or not): `> [!type]`, `> [!type]-`/`+`, then the title. */
function calloutHeader(type: string): RegExp {
  const escaped = type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^[ \\t]*>\\s*\\[!${escaped}\\][+-]?\\s*(.*?)\\s*$`, 'i');
}

function markdownLinkpath(target: string): string | null {
  let path = target.startsWith('<') ? target.slice(1, -1) : target;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return null; // http:, file:, obsidian: — not a vault attachment
  path = path.split('#')[0]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    // Not percent-encoded: keep as written.
  }
  return path;
}

/** The code spans of one line (backticks), as [start, end) character ranges. */
function codeSpans(line: string): [number, number][] {
  const spans: [number, number][] = [];
  const re = /(`+)[^`]*?\1/g;
  for (let m = re.exec(line); m !== null; m = re.exec(line)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

/** Audio links and transcript callouts (of `calloutType`) in a note, in document order. */
export function scanNote(text: string, calloutType: string): NoteScan {
  const lines = text.split('\n');
  const links: AudioLink[] = [];
  const blocks: TranscriptBlock[] = [];
  const header = calloutHeader(calloutType);
  const front = frontmatterRange(lines);
  let fence: string | null = null;
  for (let i = front ? front.end + 1 : 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceMatch = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length) fence = null;
      continue;
    }
    if (fenceMatch) {
      fence = fenceMatch[1]!;
      continue;
    }
    const headerMatch = header.exec(line);
    if (headerMatch) {
      let end = i;
      while (end + 1 < lines.length && /^[ \t]*>/.test(lines[end + 1]!)) end++;
      blocks.push({ title: headerMatch[1]!, startLine: i, endLine: end });
      i = end;
      continue;
    }
    const spans = codeSpans(line);
    const inCode = (index: number): boolean => spans.some(([s, e]) => index >= s && index < e);
    const found: { index: number; link: AudioLink }[] = [];
    for (const m of line.matchAll(WIKI_LINK)) {
      const linkpath = m[2]!.trim();
      if (!inCode(m.index) && isAudioPath(linkpath)) found.push({ index: m.index, link: { linkpath, line: i, original: m[0] } });
    }
    for (const m of line.matchAll(MARKDOWN_LINK)) {
      const linkpath = markdownLinkpath(m[3]!);
      if (linkpath !== null && !inCode(m.index) && isAudioPath(linkpath)) found.push({ index: m.index, link: { linkpath, line: i, original: m[0] } });
    }
    found.sort((a, b) => a.index - b.index);
    links.push(...found.map((f) => f.link));
  }
  return { links, blocks };
}
