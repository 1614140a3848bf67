import { cpus, homedir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ErrorCodes, TingxieError, toTingxieError } from '../errors.ts';
import { VERSION } from '../version.ts';
import type { CliIo } from './io.ts';
import { dbCommand } from './db-command.ts';
import { doctorCommand } from './doctor-command.ts';
import { hotwordsCommand } from './hotwords-command.ts';
import { itnCommand } from './itn-command.ts';
import { minutesCommand } from './minutes-command.ts';
import { modelsCommand } from './models-command.ts';
import { transcribeCommand } from './transcribe-command.ts';

export const MAIN_HELP = `tingxie ${VERSION} — local speech transcription (听写)

Usage:
  tingxie transcribe FILE... [options]   transcribe audio/video files (tingxie transcribe --help)
  tingxie models list                    known and installed models
  tingxie models pull [ID]               download a model (default: SenseVoice-Small int8)
  tingxie models import ARCHIVE_OR_DIR   install a model from a local archive or folder
  tingxie models verify ID               check an installed model's files
  tingxie hotwords show|set|add|clear    the saved hotword list, used by every transcription
  tingxie itn [--lang zh|en|auto]        spoken → written form, line by line on stdin
  tingxie minutes FILE_OR_JSON [options] meeting minutes from a transcript or audio (tingxie minutes --help)
  tingxie doctor                         show ffmpeg, onnxruntime devices (cpu, cuda) and model locations
  tingxie serve [options]                run the local engine (HTTP API; tingxie serve --help)
  tingxie tls export-ca [FILE]           export the local HTTPS CA certificate and how to trust it
  tingxie db backup FILE                 copy the history database (safe while the engine runs)
  tingxie --version
`;

/** Runs the CLI and returns the process exit code: 0 ok, 1 a file or command failed, 2 usage error. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout.write(MAIN_HELP);
        return command === undefined ? 2 : 0;
      case '--version':
      case '-v':
      case 'version':
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case 'transcribe':
        return await transcribeCommand(rest, io);
      case 'hotwords':
        return await hotwordsCommand(rest, io);
      case 'itn':
        return await itnCommand(rest, io);
      case 'minutes':
        return await minutesCommand(rest, io);
      case 'models':
        return await modelsCommand(rest, io);
      case 'doctor':
        return await doctorCommand(rest, io);
      // Loaded on demand: the server stack (Fastify, TLS) is not needed by the other commands.
      case 'serve':
        return await (await import('./serve-command.ts')).serveCommand(rest, io);
      case 'tls':
        return await (await import('./tls-command.ts')).tlsCommand(rest, io);
      case 'db':
        return await dbCommand(rest, io);
      default:
        throw new TingxieError(ErrorCodes.USAGE, `Unknown command "${command}". Run "tingxie --help".`);
    }
  } catch (error) {
    const typed = isParseArgsError(error)
      ? new TingxieError(ErrorCodes.USAGE, (error as Error).message)
      : toTingxieError(error);
    io.stderr.write(`error[${typed.code}]: ${typed.message}\n`);
    if (io.env.TINGXIE_DEBUG === '1' && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return typed.code === ErrorCodes.USAGE ? 2 : 1;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stderrStream: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
    homeDir: homedir(),
    cpuCount: cpus().length,
  };
}

// Run when executed directly (node --import tsx engine/src/cli/main.ts ...), not when imported by tests.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runCli(process.argv.slice(2), processIo()).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error[INTERNAL]: ${toTingxieError(error).message}\n`);
      process.exitCode = 1;
    },
  );
}
