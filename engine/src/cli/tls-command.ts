import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { resolveDataDir } from '../models/store/store.ts';
import { ensureLocalTls, trustInstructions } from '../server/tls.ts';
import type { CliIo } from './io.ts';

export const TLS_HELP = `Usage: tingxie tls export-ca [FILE] [--data-dir DIR]

Writes the Tingxie local CA certificate (created on first use, kept in DATA_DIR/tls/) to FILE, or to stdout
without FILE, and prints how to trust it on Windows, macOS and Linux. "tingxie serve --tls" serves a
localhost certificate signed by this CA.
`;

export async function tlsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [sub, target, ...extra] = positionals;
  if (values.help || sub === undefined) {
    io.stdout.write(TLS_HELP);
    return values.help ? 0 : 2;
  }
  if (sub !== 'export-ca') throw new TingxieError(ErrorCodes.USAGE, `Unknown tls command "${sub}". Use "tingxie tls export-ca [FILE]".`);
  if (extra.length > 0) throw new TingxieError(ErrorCodes.USAGE, `Unexpected argument "${extra[0]}".`);
  const dataDir = values['data-dir'] ? resolve(io.cwd, values['data-dir']) : resolveDataDir(io.env, io.homeDir);
  const tls = await ensureLocalTls(dataDir);
  if (target === undefined) {
    io.stdout.write(tls.caCert);
    io.stderr.write(trustInstructions(tls.files.caCertPath));
    return 0;
  }
  const out = resolve(io.cwd, target);
  await writeFile(out, tls.caCert, { mode: 0o644 });
  io.stdout.write(`Wrote the Tingxie CA certificate to ${out}\n\n${trustInstructions(out)}`);
  return 0;
}
