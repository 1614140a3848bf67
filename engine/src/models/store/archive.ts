import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { createReadStream, createWriteStream, mkdirSync, type ReadStream, type WriteStream } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve, sep } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { Parser, type ReadEntry } from 'tar';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import { isSafeRelativePath } from './catalogue.ts';

/**
 * Archive extraction for model installs: `.tar.bz2` (via unbzip2-stream) and `.tar.gz` / plain
 * `.tar` (tar's parser unzips gzip itself). The format is detected from the first bytes, not the
 * file name. Entries are written by this module (not tar's unpacker) so that every path is
 * checked first: absolute paths, `..` parts and links are rejected as ARCHIVE_INVALID instead of
 * being silently rewritten.
 */

/** The subset of a classic `through` stream that unbzip2-stream returns. */
interface LegacyDuplex {
  write(chunk: Buffer): boolean;
  end(): void;
  on(event: 'data', listener: (chunk: Buffer) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}

const requireCjs = createRequire(import.meta.url);
const createBunzip2 = requireCjs('unbzip2-stream') as () => LegacyDuplex;

export type DetectedArchiveFormat = 'tar.bz2' | 'tar.gz' | 'tar';

export interface ExtractResult {
  /** Regular files written, relative to the destination, POSIX separators. */
  readonly files: readonly string[];
  readonly format: DetectedArchiveFormat;
}

export interface ExtractOptions {
  readonly signal?: AbortSignal;
  /** Called with the compressed bytes read so far (for a progress bar). */
  readonly onBytesRead?: (bytesRead: number) => void;
  /**
   * bzip2 decoder: `auto` runs the system `bzip2 -dc` when it can be started (about 7x faster)
   * and falls back to the pure-JS unbzip2-stream; `js` always uses unbzip2-stream.
   */
  readonly bzip2?: 'auto' | 'js';
}

/** Reads the magic bytes: `BZh` → bzip2, `1f 8b` → gzip, `ustar` at offset 257 → plain tar. */
export async function detectArchiveFormat(path: string): Promise<DetectedArchiveFormat | null> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(262);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    if (bytesRead >= 3 && head.toString('latin1', 0, 3) === 'BZh') return 'tar.bz2';
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
    if (bytesRead >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * Extracts `archivePath` into the existing, empty folder `destDir`.
 * Throws ARCHIVE_INVALID for unknown formats, corrupt or truncated data, unsafe entry paths,
 * links, and archives without any file.
 */
export async function extractArchive(archivePath: string, destDir: string, options: ExtractOptions = {}): Promise<ExtractResult> {
  const format = await detectArchiveFormat(archivePath);
  if (format === null) {
    throw new TingxieError(ErrorCodes.ARCHIVE_INVALID, `${archivePath} is not a .tar.bz2, .tar.gz or .tar archive`, { file: archivePath });
  }
  const root = resolve(destDir);
  const files: string[] = [];
  const pendingWrites: Promise<void>[] = [];
  const outputs: WriteStream[] = [];

  try {
    if (options.signal?.aborted) throw new TingxieError(ErrorCodes.ABORTED, 'extraction aborted');
    const source = await openDecompressed(format, archivePath, options.bzip2 ?? 'auto', options.onBytesRead);
    await new Promise<void>((resolvePromise, reject) => {
      let settled = false;
      const parser = new Parser({ strict: true });
      const failWith = (error: unknown): void => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        source.destroy();
        reject(error);
      };
      const onAbort = (): void => failWith(new TingxieError(ErrorCodes.ABORTED, 'extraction aborted'));
      source.finished.then(() => {
        if (!settled) parser.end();
      }, failWith);
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });

      parser.on('entry', (entry: ReadEntry) => {
        if (settled) return void entry.resume();
        try {
          const written = handleEntry(entry, root, archivePath);
          if (written) {
            outputs.push(written.output);
            files.push(written.relativePath);
            pendingWrites.push(written.done);
            written.done.catch(failWith);
          }
        } catch (error) {
          entry.resume();
          failWith(error);
        }
      });
      parser.on('error', failWith);
      parser.on('end', () => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        resolvePromise();
      });

      // Honour the parser's backpressure: it waits for slow file writes.
      let waitingForDrain = false;
      source.onData((chunk) => {
        if (settled) return;
        if (!parser.write(chunk) && !waitingForDrain) {
          waitingForDrain = true;
          source.pause();
          parser.once('drain', () => {
            waitingForDrain = false;
            source.resume();
          });
        }
      });
    });
    await Promise.all(pendingWrites);
  } catch (error) {
    // Entries cut short never end their file streams; close them so nothing stays open.
    for (const output of outputs) output.destroy();
    await Promise.allSettled(pendingWrites);
    if (error instanceof TingxieError) throw error;
    if (isSystemError(error)) {
      // Disk full, permissions and the like: the archive may be fine.
      throw new TingxieError(ErrorCodes.INTERNAL, `cannot extract ${archivePath}: ${describe(error)}`, { file: archivePath }, { cause: error });
    }
    throw new TingxieError(ErrorCodes.ARCHIVE_INVALID, `${archivePath} is corrupt or truncated: ${describe(error)}`, { file: archivePath }, { cause: error });
  }
  if (files.length === 0) {
    throw new TingxieError(ErrorCodes.ARCHIVE_INVALID, `${archivePath} contains no files`, { file: archivePath });
  }
  return { files, format };
}

/** Decompressed bytes of an archive (raw bytes for formats tar's parser unpacks itself). */
interface DecompressedSource {
  onData(listener: (chunk: Buffer) => void): void;
  pause(): void;
  resume(): void;
  /** Resolves after the last chunk once the decoder reported success; rejects on corrupt data. */
  readonly finished: Promise<void>;
  destroy(): void;
}

/**
 * Opens the archive and its decoder. Nothing flows until `onData` is called, so no chunk is
 * emitted before the consumer listens.
 */
async function openDecompressed(
  format: DetectedArchiveFormat,
  archivePath: string,
  bzip2: 'auto' | 'js',
  onBytesRead: ((bytesRead: number) => void) | undefined,
): Promise<DecompressedSource> {
  const child = format === 'tar.bz2' && bzip2 === 'auto' ? await startSystemBzip2() : null;
  const input = createReadStream(archivePath, { highWaterMark: 1 << 16 });
  let bytesRead = 0;
  const countInput = (chunk: Buffer): void => {
    bytesRead += chunk.length;
    onBytesRead?.(bytesRead);
  };
  const inputEnded = endOf(input);
  // Settled through `finished` below; this only keeps an early failure from going unhandled.
  inputEnded.catch(() => undefined);

  if (format !== 'tar.bz2') {
    return {
      onData: (listener) =>
        void input.on('data', (chunk) => {
          countInput(chunk as Buffer);
          listener(chunk as Buffer);
        }),
      pause: () => void input.pause(),
      resume: () => void input.resume(),
      finished: inputEnded,
      destroy: () => input.destroy(),
    };
  }
  if (child) return systemBzip2Source(child, input, countInput, inputEnded);

  const bunzip = createBunzip2();
  const finished = new Promise<void>((resolvePromise, reject) => {
    bunzip.on('end', resolvePromise);
    bunzip.on('error', (error) => reject(new Error(`bzip2 data is corrupt or truncated (${error.message})`)));
    inputEnded.catch(reject);
  });
  return {
    onData: (listener) => {
      bunzip.on('data', listener);
      input.on('data', (chunk) => {
        countInput(chunk as Buffer);
        bunzip.write(chunk as Buffer);
      });
      input.on('end', () => bunzip.end());
    },
    // The JS decoder works synchronously per input chunk, so pausing the file read is enough.
    pause: () => void input.pause(),
    resume: () => void input.resume(),
    finished,
    destroy: () => input.destroy(),
  };
}

/** `bzip2 -dc` as a child process, or null when it cannot be started (not installed). */
function startSystemBzip2(): Promise<ChildProcessByStdio<Writable, Readable, Readable> | null> {
  return new Promise((resolvePromise) => {
    const child = spawn('bzip2', ['-dc'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.once('spawn', () => resolvePromise(child));
    child.once('error', () => resolvePromise(null));
  });
}

function systemBzip2Source(
  child: ChildProcessByStdio<Writable, Readable, Readable>,
  input: ReadStream,
  countInput: (chunk: Buffer) => void,
  inputEnded: Promise<void>,
): DecompressedSource {
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    if (stderr.length < 2000) stderr += chunk.toString('utf8');
  });
  // bzip2 may exit early on bad data; the exit status reports that, not the broken pipe.
  child.stdin.on('error', () => undefined);
  const finished = new Promise<void>((resolvePromise, reject) => {
    inputEnded.catch(reject);
    child.once('close', (code, signal) => {
      if (code === 0) return resolvePromise();
      const firstLine = stderr.split('\n').find((line) => line.trim() !== '')?.trim() ?? `exit ${code ?? signal}`;
      reject(new Error(`bzip2 data is corrupt or truncated (${firstLine.replace(/^bzip2:\s*/, '')})`));
    });
  });
  return {
    onData: (listener) => {
      child.stdout.on('data', listener);
      input.on('data', (chunk) => countInput(chunk as Buffer));
      input.pipe(child.stdin);
    },
    pause: () => void child.stdout.pause(),
    resume: () => void child.stdout.resume(),
    finished,
    destroy: () => {
      input.destroy();
      child.kill();
    },
  };
}

function endOf(stream: ReadStream): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    stream.on('end', resolvePromise);
    stream.on('error', reject);
  });
}

/**
 * Sherpa-onnx archives wrap everything in one top-level folder. Returns that folder when `dir`
 * holds exactly one directory and nothing else, otherwise `dir` itself.
 */
export async function singleTopLevelFolder(dir: string): Promise<string> {
  const entries = await readdir(dir, { withFileTypes: true });
  const only = entries.length === 1 ? entries[0] : undefined;
  return only?.isDirectory() ? join(dir, only.name) : dir;
}

interface EntryWrite {
  relativePath: string;
  output: WriteStream;
  done: Promise<void>;
}

function handleEntry(entry: ReadEntry, root: string, archivePath: string): EntryWrite | null {
  const rawPath = entry.path;
  const relativePath = normalizeEntryPath(rawPath);
  const invalid = (why: string): TingxieError =>
    new TingxieError(ErrorCodes.ARCHIVE_INVALID, `${archivePath}: entry "${rawPath}" ${why}`, { file: archivePath, entry: rawPath });

  if (relativePath === null) throw invalid('has an unsafe path (absolute or containing "..")');
  if (relativePath === '') {
    // `./` itself: nothing to create.
    if (entry.type !== 'Directory') throw invalid('has an empty path');
    entry.resume();
    return null;
  }
  const target = resolve(root, ...relativePath.split('/'));
  if (target !== root && !target.startsWith(root + sep)) throw invalid('would be written outside the destination');

  switch (entry.type) {
    case 'Directory':
      mkdirSync(target, { recursive: true });
      entry.resume();
      return null;
    case 'File':
    case 'OldFile':
    case 'ContiguousFile': {
      mkdirSync(resolve(target, '..'), { recursive: true });
      const output = createWriteStream(target, { mode: 0o644 });
      entry.pipe(output);
      return { relativePath, output, done: finished(output) };
    }
    case 'SymbolicLink':
    case 'Link':
      throw invalid(`is a ${entry.type === 'Link' ? 'hard' : 'symbolic'} link; model archives may only hold files and folders`);
    default:
      // Metadata-only entries (pax headers and the like) carry no content for us.
      entry.resume();
      return null;
  }
}

/** `./a/b/` → `a/b`, `./` → ``; null for absolute paths, `..` parts, backslashes or NUL. */
function normalizeEntryPath(path: string): string | null {
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) return null;
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length === 0) return '';
  const joined = parts.join('/');
  return isSafeRelativePath(joined) ? joined : null;
}

function isSystemError(error: unknown): boolean {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
