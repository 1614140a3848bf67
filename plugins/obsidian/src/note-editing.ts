/** Placing a transcript callout in a note's text. Pure: the current text in, the new text out. */
import { scanNote, type AudioLink } from './audio-links.ts';

export interface TranscriptPlacement {
  /** Callout title that identifies this attachment's transcript. */
  title: string;
  /** The callout's lines (header first). */
  block: string[];
  /** Whether a link in the note is one to this attachment (resolved by the caller). */
  matches: (link: AudioLink) => boolean;
}

/** Spaces that put a block inside the list item that `line` starts (`- `, `1. `, tasks too), or '' for other lines. */
export function listItemIndent(line: string): string {
  const match = /^([ \t]*)([-*+]|\d{1,9}[.)])( +)/.exec(line);
  return match ? match[1]! + ' '.repeat(match[0].length - match[1]!.length) : '';
}

export type PlacementResult = { text: string; action: 'inserted' | 'replaced' } | { text: string; action: 'link-gone' };

/**
 * Puts a transcript into `text`: replaces the callout titled `title` where there is one (a redo), otherwise
 * inserts it on the lines right after the first link to the attachment — after any transcript callouts already
 * following that line, so several attachments on one line keep their order. The link's own line is never
 * changed, and nothing goes into the frontmatter. A blank line separates the callout from following text (a
 * paragraph right after a callout would be pulled into it). A link in a list item gets the callout indented
 * under the item, so the list stays one list.
 */
export function placeTranscript(text: string, calloutType: string, placement: TranscriptPlacement): PlacementResult {
  const lines = text.split('\n');
  const { links, blocks } = scanNote(text, calloutType);
  const existing = blocks.find((b) => b.title === placement.title);
  if (existing) {
    const indent = /^[ \t]*/.exec(lines[existing.startLine]!)![0];
    lines.splice(existing.startLine, existing.endLine - existing.startLine + 1, ...placement.block.map((line) => indent + line));
    return { text: lines.join('\n'), action: 'replaced' };
  }
  const link = links.find(placement.matches);
  if (!link) return { text, action: 'link-gone' };
  // Skip past transcript callouts that already follow the link's line (separated by single blank lines).
  const blockAt = new Map(blocks.map((b) => [b.startLine, b]));
  let after = link.line;
  for (;;) {
    const next = blockAt.get(after + 1) ?? (lines[after + 1] === '' ? blockAt.get(after + 2) : undefined);
    if (!next) break;
    after = next.endLine;
  }
  const indent = listItemIndent(lines[link.line]!);
  const block = placement.block.map((line) => indent + line);
  const inserted = after > link.line ? ['', ...block] : block;
  const following = lines[after + 1];
  if (following !== undefined && following.trim() !== '') inserted.push('');
  lines.splice(after + 1, 0, ...inserted);
  return { text: lines.join('\n'), action: 'inserted' };
}
