import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { inverseNormalize, type ItnLanguage } from '../text/itn/index.ts';
import type { CliIo } from './io.ts';

export const ITN_HELP = `Usage:
  tingxie itn [--lang zh|en|auto] < spoken.txt > written.txt

Reads lines from stdin and writes each line in written form (二零二五年三月十二号 → 2025年3月12日,
"twenty first" → 21st). One output line per input line. Default --lang auto.
`;

const LANGUAGES: readonly ItnLanguage[] = ['zh', 'en', 'auto'];

function parseLanguage(value: string): ItnLanguage {
  const found = LANGUAGES.find((l) => l === value);
  if (found === undefined) throw new TingxieError(ErrorCodes.USAGE, `--lang must be one of ${LANGUAGES.join(', ')}, got "${value}".`, { field: 'lang' });
  return found;
}

/** `tingxie itn`: stdin lines → inverse-normalized stdout lines. */
export async function itnCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    strict: true,
    options: {
      lang: { type: 'string', default: 'auto' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(ITN_HELP);
    return 0;
  }
  const language = parseLanguage(values.lang);
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    io.stdout.write(inverseNormalize(line, { language }) + '\n');
  }
  return 0;
}
