/**
 * The saved (global) hotword list: `<dataDir>/hotwords.txt` in the lines form, merged under every
 * request's own list. The CLI and the server read and write it through these functions only.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { emptyHotwordList, parseHotwords, type HotwordList } from './list.ts';

export const SAVED_HOTWORDS_FILE = 'hotwords.txt';

export function savedHotwordsPath(dataDir: string): string {
  return join(dataDir, SAVED_HOTWORDS_FILE);
}

/** The lines form of a list (FunASR style): `词 2` or `词`, and `错=>对`; parseHotwords reads it back unchanged. */
export function formatHotwords(list: HotwordList): string {
  const lines = [
    ...list.hotwords.map((h) => (h.weight === null ? h.phrase : `${h.phrase} ${h.weight}`)),
    ...list.replacements.map((r) => `${r.from}=>${r.to}`),
  ];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The saved list, or an empty one when none was saved. @throws TingxieError CONFIG_INVALID naming the bad line */
export async function loadSavedHotwords(dataDir: string): Promise<HotwordList> {
  let text: string;
  try {
    text = await readFile(savedHotwordsPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyHotwordList();
    throw error;
  }
  return parseHotwords(text, 'lines');
}

/** Replaces the saved list atomically (write to a temporary file, then rename). */
export async function saveHotwords(dataDir: string, list: HotwordList): Promise<void> {
  const path = savedHotwordsPath(dataDir);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, formatHotwords(list), { mode: 0o600 });
  await rename(temporary, path);
}
