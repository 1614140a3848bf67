import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { ErrorCodes, TingxieError } from '../../errors.ts';

/**
 * Resumable HTTP download into a `.partial` file.
 *
 * The partial file stays on disk after a failure or abort so the next call can continue with
 * `Range: bytes=<size>-`. A sidecar `<partial>.json` remembers the URL and validators (ETag /
 * Last-Modified) so a partial from a different URL is discarded and a changed resource restarts
 * (via `If-Range`). Only the given URL and its redirects are contacted; no proxies.
 */

export interface DownloadProgress {
  readonly phase: 'download';
  /** Bytes of the file on disk so far, including bytes resumed from an earlier attempt. */
  readonly bytesDone: number;
  /** Full size in bytes when known (catalogue size or Content-Length/Content-Range), else null. */
  readonly bytesTotal: number | null;
  /** Bytes already on disk when this transfer started (0 for a fresh download). */
  readonly resumedFrom: number;
  /** Average transfer rate of this attempt in bytes per second. */
  readonly bytesPerSecond: number;
}

export interface DownloadRequest {
  readonly url: string;
  /** Where bytes accumulate; kept on failure for resume, deleted on checksum mismatch. */
  readonly partialPath: string;
  /** Expected size in bytes, null where unknown. */
  readonly expectedBytes: number | null;
  /** Expected lower-case hex SHA-256, null where unknown (then only the size, if known, is checked). */
  readonly expectedSha256: string | null;
  readonly fetchImpl: typeof fetch;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Redirects followed before giving up (GitHub release assets redirect once or twice). */
  readonly maxRedirects?: number;
  /** Minimum milliseconds between progress callbacks (the final one is always sent). */
  readonly progressIntervalMs?: number;
}

export interface DownloadResult {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
  /** Bytes that were already on disk from an earlier attempt and were not fetched again. */
  readonly resumedFrom: number;
}

interface PartialMeta {
  url: string;
  etag: string | null;
  lastModified: string | null;
  totalBytes: number | null;
}

const DEFAULT_MAX_REDIRECTS = 5;

/** Downloads `url` to `partialPath`, resuming what is already there; verifies size and SHA-256. */
export async function downloadWithResume(request: DownloadRequest): Promise<DownloadResult> {
  const metaPath = `${request.partialPath}.json`;
  let meta = await readPartialMeta(metaPath);
  let offset = await fileSize(request.partialPath);
  const staleMeta = meta !== null && meta.url !== request.url;
  const tooLong = request.expectedBytes !== null && offset > request.expectedBytes;
  if ((offset > 0 && meta === null) || staleMeta || tooLong) {
    // A partial we cannot vouch for (other URL, no record, or longer than the file) is discarded.
    await discardPartial(request.partialPath);
    offset = 0;
    meta = null;
  }

  const alreadyComplete = request.expectedBytes !== null && offset === request.expectedBytes && offset > 0;
  const outcome = alreadyComplete ? { size: offset, resumedFrom: offset } : await transfer(request, metaPath, meta, offset);
  return finish(request, outcome);
}

/** Deletes a partial download and its sidecar; missing files are fine. */
export async function discardPartial(partialPath: string): Promise<void> {
  await rm(partialPath, { force: true });
  await rm(`${partialPath}.json`, { force: true });
}

/** SHA-256 of a file as lower-case hex, streamed (constant memory). */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  const stream = createReadStream(path, { highWaterMark: 1 << 20, signal });
  try {
    for await (const chunk of stream) hash.update(chunk as Buffer);
  } catch (error) {
    if (signal?.aborted) throw aborted(error);
    throw error;
  }
  return hash.digest('hex');
}

interface TransferOutcome {
  /** Size of the partial file when the transfer ended. */
  size: number;
  /** Bytes that were already on disk and kept (0 when the server sent everything again). */
  resumedFrom: number;
}

async function transfer(request: DownloadRequest, metaPath: string, meta: PartialMeta | null, startOffset: number): Promise<TransferOutcome> {
  const maxRedirects = request.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let offset = startOffset;
  let url = request.url;
  let redirects = 0;
  let restartedAfter416 = false;

  for (;;) {
    const headers: Record<string, string> = { 'accept-encoding': 'identity' };
    if (offset > 0) {
      headers.range = `bytes=${offset}-`;
      const validator = meta?.etag && !meta.etag.startsWith('W/') ? meta.etag : meta?.lastModified;
      if (validator) headers['if-range'] = validator;
    }
    const response = await fetchOnce(request, url, headers, offset);

    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      if (!location) throw downloadFailed(`HTTP ${response.status} redirect without a Location header from ${url}`, response.status, url);
      if (redirects >= maxRedirects) throw downloadFailed(`too many redirects (more than ${maxRedirects}) starting at ${request.url}`, response.status, url);
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && next.protocol !== 'http:') throw downloadFailed(`refusing redirect to ${next.protocol} URL`, response.status, url);
      url = next.toString();
      redirects += 1;
      continue;
    }

    if (response.status === 416) {
      await response.body?.cancel().catch(() => undefined);
      const total = parseUnsatisfiedRangeTotal(response.headers.get('content-range'));
      if (total !== null && total === offset && offset > 0) return { size: offset, resumedFrom: offset }; // already whole
      if (restartedAfter416 || offset === 0) throw downloadFailed(`HTTP 416 (range not satisfiable) from ${url}`, 416, url);
      // The partial does not fit the resource any more: start over once.
      await discardPartial(request.partialPath);
      offset = 0;
      meta = null;
      restartedAfter416 = true;
      continue;
    }

    if (response.status !== 200 && response.status !== 206) {
      await response.body?.cancel().catch(() => undefined);
      throw downloadFailed(`HTTP ${response.status} ${response.statusText} from ${url}`, response.status, url);
    }

    let writeFrom = 0;
    let total: number | null = null;
    if (response.status === 206) {
      const range = parseContentRange(response.headers.get('content-range'));
      if (range === null || range.start !== offset) {
        // A range we did not ask for: drop it and fetch the whole file without Range.
        await response.body?.cancel().catch(() => undefined);
        await discardPartial(request.partialPath);
        offset = 0;
        meta = null;
        continue;
      }
      writeFrom = offset;
      total = range.total;
    } else {
      // 200: the server ignored Range (or If-Range said the file changed) and sends everything.
      const length = response.headers.get('content-length');
      total = length !== null && /^\d+$/.test(length) ? Number(length) : null;
    }
    total ??= request.expectedBytes;

    const newMeta: PartialMeta = {
      url: request.url,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      totalBytes: total,
    };
    await writeFile(metaPath, `${JSON.stringify(newMeta)}\n`);
    return { size: await writeBody(request, response, writeFrom, total), resumedFrom: writeFrom };
  }
}

async function fetchOnce(request: DownloadRequest, url: string, headers: Record<string, string>, offset: number): Promise<Response> {
  try {
    return await request.fetchImpl(url, { headers, redirect: 'manual', signal: request.signal });
  } catch (error) {
    if (request.signal?.aborted) throw aborted(error);
    throw downloadFailed(`cannot reach ${url}: ${describe(error)}`, null, url, offset, error);
  }
}

/** Streams the body into the partial file starting at `writeFrom`; returns the size on disk. */
async function writeBody(request: DownloadRequest, response: Response, writeFrom: number, total: number | null): Promise<number> {
  const file = await open(request.partialPath, writeFrom === 0 ? 'w' : 'a');
  const started = Date.now();
  const interval = request.progressIntervalMs ?? 100;
  let done = writeFrom;
  let lastReport = 0;
  const report = (force: boolean): void => {
    if (!request.onProgress) return;
    const now = Date.now();
    if (!force && now - lastReport < interval) return;
    lastReport = now;
    const seconds = Math.max((now - started) / 1000, 1e-3);
    request.onProgress({ phase: 'download', bytesDone: done, bytesTotal: total, resumedFrom: writeFrom, bytesPerSecond: (done - writeFrom) / seconds });
  };
  try {
    report(true);
    lastReport = 0; // the start event does not delay the first data event
    if (response.body) {
      for await (const chunk of response.body) {
        await file.write(chunk);
        done += chunk.byteLength;
        report(false);
      }
    }
  } catch (error) {
    if (request.signal?.aborted) throw aborted(error);
    throw downloadFailed(
      `connection lost after ${done} bytes from ${request.url}: ${describe(error)}; run the same command again to resume`,
      null,
      request.url,
      done,
      error,
    );
  } finally {
    await file.close();
  }
  report(true);
  if (total !== null && done < total) {
    throw downloadFailed(`download ended early at ${done} of ${total} bytes from ${request.url}; run the same command again to resume`, null, request.url, done);
  }
  return done;
}

async function finish(request: DownloadRequest, { size, resumedFrom }: TransferOutcome): Promise<DownloadResult> {
  if (request.expectedBytes !== null && size !== request.expectedBytes) {
    await discardPartial(request.partialPath);
    throw new TingxieError(
      ErrorCodes.CHECKSUM_MISMATCH,
      `downloaded ${size} bytes from ${request.url}, expected ${request.expectedBytes}; the partial download was deleted`,
      { url: request.url, bytes: size, expectedBytes: request.expectedBytes },
    );
  }
  const sha256 = await sha256File(request.partialPath, request.signal);
  if (request.expectedSha256 !== null && sha256 !== request.expectedSha256) {
    await discardPartial(request.partialPath);
    throw new TingxieError(
      ErrorCodes.CHECKSUM_MISMATCH,
      `SHA-256 of the download from ${request.url} is ${sha256}, expected ${request.expectedSha256}; the partial download was deleted`,
      { url: request.url, sha256, expectedSha256: request.expectedSha256 },
    );
  }
  return { path: request.partialPath, bytes: size, sha256, resumedFrom };
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

async function readPartialMeta(path: string): Promise<PartialMeta | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return null;
    const record = parsed as Record<string, unknown>;
    if (typeof record.url !== 'string') return null;
    return {
      url: record.url,
      etag: typeof record.etag === 'string' ? record.etag : null,
      lastModified: typeof record.lastModified === 'string' ? record.lastModified : null,
      totalBytes: typeof record.totalBytes === 'number' ? record.totalBytes : null,
    };
  } catch {
    return null;
  }
}

/** Parses `bytes START-END/TOTAL` (TOTAL may be `*`). */
function parseContentRange(header: string | null): { start: number; total: number | null } | null {
  const match = header ? /^bytes\s+(\d+)-(\d+)\/(\d+|\*)$/i.exec(header.trim()) : null;
  if (!match) return null;
  return { start: Number(match[1]), total: match[3] === '*' ? null : Number(match[3]) };
}

/** Parses the unsatisfied-range form sent with 416: `bytes`, a star, a slash, then TOTAL. */
function parseUnsatisfiedRangeTotal(header: string | null): number | null {
  const match = header ? /^bytes\s+\*\/(\d+)$/i.exec(header.trim()) : null;
  return match ? Number(match[1]) : null;
}

function downloadFailed(message: string, status: number | null, url: string, bytesOnDisk?: number, cause?: unknown): TingxieError {
  const detail: Record<string, unknown> = { url };
  if (status !== null) detail.status = status;
  if (bytesOnDisk !== undefined) detail.bytesOnDisk = bytesOnDisk;
  return new TingxieError(ErrorCodes.DOWNLOAD_FAILED, message, detail, cause === undefined ? undefined : { cause });
}

function aborted(cause: unknown): TingxieError {
  return new TingxieError(ErrorCodes.ABORTED, 'aborted; a partial download is kept, run the same command again to resume', undefined, { cause });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}
