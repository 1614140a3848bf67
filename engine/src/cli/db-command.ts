/** `tingxie db backup FILE [--data-dir DIR]`: a consistent copy of the history database, safe while the engine runs. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { resolveDataDir } from '../models/store/store.ts';
import { backupDatabase, historyDbPath } from '../server/db/database.ts';
import type { CliIo } from './io.ts';

export const DB_HELP = `Usage:
  tingxie db backup FILE [--data-dir DIR]

Copies the engine's history database (DATA_DIR/history.db: transcription history and batch jobs)
to FILE with SQLite's online backup, so it is consistent even while "tingxie serve" is running.
DATA_DIR defaults to $TINGXIE_HOME or ~/.tingxie.
`;

export async function dbCommand(args: string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    io.stdout.write(DB_HELP);
    return subcommand === undefined ? 2 : 0;
  }
  if (subcommand !== 'backup') throw new TingxieError(ErrorCodes.USAGE, `Unknown db command "${subcommand}". Run "tingxie db --help".`);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.stdout.write(DB_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new TingxieError(ErrorCodes.USAGE, 'Give exactly one backup FILE. Run "tingxie db --help".');
  const dataDir = values['data-dir'] ? resolve(io.cwd, values['data-dir']) : resolveDataDir(io.env, io.homeDir);
  const source = historyDbPath(dataDir);
  const destination = resolve(io.cwd, positionals[0]!);
  if (!existsSync(source)) throw new TingxieError(ErrorCodes.FILE_NOT_FOUND, `No history database at ${source}.`, { path: source });
  if (resolve(destination) === resolve(source)) throw new TingxieError(ErrorCodes.USAGE, 'The backup FILE must not be the database itself.');
  const { totalPages } = await backupDatabase(source, destination);
  io.stdout.write(`Backed up ${source} to ${destination} (${totalPages} pages).\n`);
  return 0;
}
