/**
 * Where a hotword list comes from on the command line: `--hotwords FILE_OR_LIST`.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import { MAX_HOTWORD_WEIGHT, parseHotwords, type HotwordList } from './list.ts';

/**
 * Reads `value` as a file when one exists there (lines or JSON, detected from the contents); otherwise
 * it is an inline list: JSON when it starts with [ or {, else entries separated by commas (, or ，),
 * e.g. `陈露,康辉 2,撒贝你=>撒贝宁`. A value that looks like a path (a / or \, or a .txt/.json/.yaml
 * ending) but names no file is FILE_NOT_FOUND rather than a hotword.
 * @throws TingxieError FILE_NOT_FOUND, CONFIG_INVALID (naming the bad line or entry)
 */
export async function readHotwordsArgument(value: string): Promise<HotwordList> {
  let contents: string | null = null;
  try {
    contents = await readFile(value, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENAMETOOLONG' && code !== 'ENOTDIR') {
      throw new TingxieError(ErrorCodes.CONFIG_INVALID, `cannot read hotwords file ${value}: ${(error as Error).message}`, { field: 'hotwords', file: value }, { cause: error });
    }
  }
  if (contents !== null) return parseHotwords(contents);
  if (/[\\/]/.test(value) || ['.txt', '.json', '.yaml', '.yml', '.tsv'].includes(extname(value).toLowerCase())) {
    throw new TingxieError(ErrorCodes.FILE_NOT_FOUND, `hotwords file not found: ${value}`, { field: 'hotwords', file: value });
  }
  if (/^\s*[[{]/.test(value)) return parseHotwords(value, 'json');
  return parseHotwords(value.split(/[,，]/).join('\n'), 'lines');
}

/** `--hotword-score`: a positive number up to MAX_HOTWORD_WEIGHT. */
export function parseHotwordScore(value: string): number {
  const score = Number(value);
  if (value.trim() === '' || !Number.isFinite(score) || score <= 0 || score > MAX_HOTWORD_WEIGHT) {
    throw new TingxieError(ErrorCodes.USAGE, `--hotword-score must be a number in (0, ${MAX_HOTWORD_WEIGHT}], got "${value}".`, { field: 'hotword-score' });
  }
  return score;
}
