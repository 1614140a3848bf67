import { parseArgs } from 'node:util';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { resolveDataDir } from '../models/store/store.ts';
import { emptyHotwordList, mergeHotwordLists } from '../text/hotwords/list.ts';
import { formatHotwords, loadSavedHotwords, saveHotwords, savedHotwordsPath } from '../text/hotwords/saved.ts';
import { readHotwordsArgument } from '../text/hotwords/source.ts';
import type { CliIo } from './io.ts';

export const HOTWORDS_HELP = `Usage:
  tingxie hotwords show               print the saved list (used by every transcription)
  tingxie hotwords set FILE|LIST      replace the saved list
  tingxie hotwords add FILE|LIST      add to the saved list ("陈露,康辉 2,撒贝你=>撒贝宁")
  tingxie hotwords clear              empty the saved list
  tingxie hotwords path               where the list is kept
`;

export async function hotwordsCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true, options: {} });
  const [sub, value] = positionals;
  const dataDir = resolveDataDir(io.env, io.homeDir);
  switch (sub) {
    case 'show':
      io.stdout.write(formatHotwords(await loadSavedHotwords(dataDir)));
      return 0;
    case 'path':
      io.stdout.write(`${savedHotwordsPath(dataDir)}\n`);
      return 0;
    case 'set':
    case 'add': {
      if (value === undefined) throw new TingxieError(ErrorCodes.USAGE, `Usage: tingxie hotwords ${sub} FILE|LIST`);
      const given = await readHotwordsArgument(value);
      const next = sub === 'set' ? given : mergeHotwordLists(await loadSavedHotwords(dataDir), given);
      await saveHotwords(dataDir, next);
      io.stdout.write(`saved ${next.hotwords.length} hotwords and ${next.replacements.length} replacements to ${savedHotwordsPath(dataDir)}\n`);
      return 0;
    }
    case 'clear':
      await saveHotwords(dataDir, emptyHotwordList());
      io.stdout.write('saved hotword list cleared\n');
      return 0;
    default:
      io.stdout.write(HOTWORDS_HELP);
      return sub === undefined || sub === 'help' ? 0 : 2;
  }
}
