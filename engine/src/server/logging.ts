/**
 * The server log: pino, JSON lines in `<dataDir>/logs/app.N.log`, rotated by pino-roll (daily or at 10 MB,
 * 10 old files kept; `logs/current.log` links to the file in use).
 *
 * Requests are logged by method, path (no query string: it may carry a token) and status. Audio, file names
 * and transcript text are never logged, except with `logTranscripts` on and the level at debug or trace;
 * otherwise fields that could hold them are also redacted, in case a future log line passes one along.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import pinoRoll from 'pino-roll';
import type { ServerConfig } from './contracts.ts';

export const LOG_FILE_BASE = 'app';

/** Fields that may hold transcript text, audio or user file names. */
const PRIVATE_FIELDS = ['text', 'rawText', 'raw_text', 'transcript', 'lines', 'audio', 'samples', 'file', 'filename', 'fileName', 'hotwords', 'body'];

export function logsDir(dataDir: string): string {
  return join(dataDir, 'logs');
}

/** Logs transcript text and file names only with debug (or trace) logging and logTranscripts on. */
export function logsTranscripts(config: Pick<ServerConfig, 'logLevel' | 'logTranscripts'>): boolean {
  return config.logTranscripts && (config.logLevel === 'debug' || config.logLevel === 'trace');
}

/** pino options shared by the file logger and tests that log to memory. */
export function serverLoggerOptions(config: Pick<ServerConfig, 'logLevel' | 'logTranscripts'>): pino.LoggerOptions {
  const secret = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization'];
  const privatePaths = logsTranscripts(config) ? [] : PRIVATE_FIELDS.flatMap((field) => [field, `*.${field}`]);
  return {
    level: config.logLevel,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...secret, ...privatePaths], censor: '[redacted]' },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string; socket?: { remoteAddress?: string } }) => ({
        method: req.method,
        url: typeof req.url === 'string' ? req.url.split('?')[0] : undefined,
        remoteAddress: req.ip ?? req.socket?.remoteAddress,
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
}

export interface ServerLogger {
  logger: Logger;
  /** `logs/current.log`, a link to the file written now (`logs/app.N.log`). */
  file: string;
  dir: string;
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

export async function createServerLogger(config: ServerConfig): Promise<ServerLogger> {
  const dir = logsDir(config.dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stream = await pinoRoll({
    file: join(dir, LOG_FILE_BASE),
    extension: '.log',
    frequency: 'daily',
    size: '10m',
    limit: { count: 10 },
    symlink: true,
    mkdir: true,
  });
  const logger = pino(serverLoggerOptions(config), stream);
  return {
    logger,
    file: join(dir, 'current.log'),
    dir,
    close: () =>
      new Promise<void>((resolve) => {
        try {
          stream.flushSync();
        } catch {
          // Nothing buffered, or the stream is already closing.
        }
        stream.once('close', () => resolve());
        stream.once('error', () => resolve());
        stream.end();
      }),
  };
}
