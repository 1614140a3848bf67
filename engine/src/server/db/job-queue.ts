/**
 * The batch job runner: takes queued files from the JobStore, at most `concurrency` at a time,
 * runs them through the model registry and reports progress to subscribers (SSE).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, TingxieError, toTingxieError } from '../../errors.ts';
import type { ModelRegistry } from '../contracts.ts';
import { TERMINAL_STATUSES, type ClaimedFile, type JobFileView, type JobOptions, type JobStore, type JobView, type NewJobFile } from './job-store.ts';

export type JobEvent =
  | { type: 'progress'; job_id: string; index: number; progress: number }
  | { type: 'file'; job_id: string; file: JobFileView }
  | { type: 'job'; job: JobView }
  /** The engine is shutting down: subscribers should end their streams. */
  | { type: 'closing' };

export type JobListener = (event: JobEvent) => void;

/** The few logger methods the queue uses (pino and Fastify's logger fit). */
export interface QueueLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface JobQueueOptions {
  store: JobStore;
  registry: Pick<ModelRegistry, 'status' | 'transcribeFile'>;
  /** `<dataDir>/uploads`; each job's files are under `<uploadsDir>/<jobId>/`. */
  uploadsDir: string;
  /** Files transcribed at once (`batchSize`). */
  concurrency: number;
  log?: QueueLogger;
  /** How often to look again while no model is loaded, ms (default 250). */
  modelPollMs?: number;
}

/** Job ids are UUIDs: safe as folder names. */
export const JOB_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const SILENT_LOG: QueueLogger = { info() {}, warn() {}, error() {} };

export class JobQueue {
  readonly #store: JobStore;
  readonly #registry: Pick<ModelRegistry, 'status' | 'transcribeFile'>;
  readonly #uploadsDir: string;
  readonly #concurrency: number;
  readonly #log: QueueLogger;
  readonly #modelPollMs: number;
  /** Runs in flight, by `${jobId}/${index}`. */
  readonly #running = new Map<string, { controller: AbortController; progress: number; done: Promise<void> }>();
  readonly #listeners = new Map<string, Set<JobListener>>();
  #started = false;
  #closed = false;
  #pollTimer: NodeJS.Timeout | null = null;

  constructor(opts: JobQueueOptions) {
    this.#store = opts.store;
    this.#registry = opts.registry;
    this.#uploadsDir = opts.uploadsDir;
    this.#concurrency = Math.max(1, Math.trunc(opts.concurrency));
    this.#log = opts.log ?? SILENT_LOG;
    this.#modelPollMs = opts.modelPollMs ?? 250;
  }

  /** Re-queues files a previous run left running, removes stale uploads, and starts working. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const requeued = this.#store.recoverInterrupted();
    if (requeued > 0) this.#log.info({ requeued }, 're-queued interrupted job files');
    await this.#removeStaleUploads();
    this.#pump();
  }

  newJobId(): string {
    return randomUUID();
  }

  /** The folder a job's uploads stream into. */
  uploadDir(jobId: string): string {
    if (!JOB_ID_PATTERN.test(jobId)) throw new TingxieError(ErrorCodes.INTERNAL, 'Invalid job id.');
    return join(this.#uploadsDir, jobId);
  }

  /** Records a job whose files are already on disk under `uploadDir(id)` and queues them. */
  accept(id: string, options: JobOptions, files: readonly NewJobFile[]): JobView {
    if (this.#closed) throw new TingxieError(ErrorCodes.SERVER_BUSY, 'The engine is shutting down.');
    const job = this.#store.create(id, options, files);
    this.#log.info({ jobId: id, files: files.length }, 'job accepted');
    this.#pump();
    return this.#withProgress(job);
  }

  /** The job with live progress of its running files; JOB_NOT_FOUND when unknown. */
  get(id: string): JobView {
    return this.#withProgress(this.#store.get(id));
  }

  list(limit: number, offset: number): { total: number; items: JobView[] } {
    const page = this.#store.list(limit, offset);
    return { total: page.total, items: page.items.map((job) => this.#withProgress(job)) };
  }

  /** Cancels queued files and aborts running ones; a finished job is returned as it is. */
  cancel(id: string): JobView {
    const { running, cancelled } = this.#store.requestCancel(id);
    for (const index of running) this.#running.get(runKey(id, index))?.controller.abort(new TingxieError(ErrorCodes.ABORTED, 'The job was cancelled.'));
    const job = this.get(id);
    for (const index of cancelled) this.#emitFile(job, index);
    if (TERMINAL_STATUSES.has(job.status)) {
      void rm(this.uploadDir(id), { recursive: true, force: true });
      this.#finishJob(job);
    }
    return job;
  }

  /** Listens to one job's events; returns the unsubscribe function. */
  subscribe(jobId: string, listener: JobListener): () => void {
    let set = this.#listeners.get(jobId);
    if (!set) {
      set = new Set();
      this.#listeners.set(jobId, set);
    }
    set.add(listener);
    return () => {
      const current = this.#listeners.get(jobId);
      current?.delete(listener);
      if (current?.size === 0) this.#listeners.delete(jobId);
    };
  }

  /** How many listeners follow this job (event streams open on it). */
  subscriberCount(jobId: string): number {
    return this.#listeners.get(jobId)?.size ?? 0;
  }

  /** Tells subscribers to end their streams (before the HTTP server waits for connections). */
  endSubscriptions(): void {
    for (const set of [...this.#listeners.values()]) for (const listener of [...set]) listener({ type: 'closing' });
    this.#listeners.clear();
  }

  /** Stops taking files and aborts running ones; they stay queued in the database for the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#pollTimer) clearTimeout(this.#pollTimer);
    this.endSubscriptions();
    const runs = [...this.#running.values()];
    for (const run of runs) run.controller.abort(new TingxieError(ErrorCodes.ABORTED, 'The engine is shutting down.'));
    await Promise.allSettled(runs.map((run) => run.done));
  }

  #pump(): void {
    if (!this.#started || this.#closed) return;
    while (this.#running.size < this.#concurrency) {
      if (this.#registry.status().state !== 'ready') {
        // Files wait for a model (one may be loading at start); they are not failed.
        this.#schedulePoll();
        return;
      }
      const claimed = this.#store.claimNext();
      if (!claimed) return;
      this.#startRun(claimed);
    }
  }

  #schedulePoll(): void {
    if (this.#pollTimer || this.#closed) return;
    this.#pollTimer = setTimeout(() => {
      this.#pollTimer = null;
      this.#pump();
    }, this.#modelPollMs);
    this.#pollTimer.unref();
  }

  #startRun(file: ClaimedFile): void {
    const key = runKey(file.jobId, file.index);
    const controller = new AbortController();
    const entry = { controller, progress: 0, done: Promise.resolve() };
    this.#running.set(key, entry);
    this.#emitFile(this.get(file.jobId), file.index);
    entry.done = this.#run(file, entry).then(
      (outcome) => {
        this.#running.delete(key);
        // A file put back because the model or the registry is unavailable waits a moment.
        if (outcome === 'retry-later') this.#schedulePoll();
        else this.#pump();
      },
      (error: unknown) => {
        this.#running.delete(key);
        this.#log.error({ jobId: file.jobId, index: file.index, err: toTingxieError(error).message }, 'job file run failed');
        this.#schedulePoll();
      },
    );
  }

  async #run(file: ClaimedFile, entry: { controller: AbortController; progress: number }): Promise<'finished' | 'retry-later'> {
    const storedPath = join(this.uploadDir(file.jobId), file.storedName);
    const { options } = file;
    try {
      const result = await this.#registry.transcribeFile(storedPath, {
        language: options.language,
        useItn: options.itn,
        vad: options.vad,
        ...(options.hotwords.length > 0 ? { hotwords: options.hotwords } : {}),
        signal: entry.controller.signal,
        onProgress: (progress) => {
          if (progress.totalS === null || progress.totalS <= 0) return;
          const fraction = Math.min(1, Math.max(0, progress.processedS / progress.totalS));
          if (fraction <= entry.progress) return;
          entry.progress = fraction;
          this.#emit(file.jobId, { type: 'progress', job_id: file.jobId, index: file.index, progress: fraction });
        },
      });
      const historyId = this.#store.complete(file.jobId, file.index, {
        filename: file.filename,
        result: { ...result, file: file.filename },
        hotwords: options.hotwords,
        source: 'job',
      });
      if (historyId === null) this.#log.warn({ jobId: file.jobId, index: file.index }, 'job file finished after it was cancelled');
    } catch (error) {
      const typed = toTingxieError(error);
      if (this.#closed) {
        this.#store.requeue(file.jobId, file.index);
        return 'retry-later';
      }
      // Transient: the model was unloaded, or the registry's own queue is full (API requests).
      const modelGone = typed.code === ErrorCodes.MODEL_NOT_LOADED && this.#registry.status().state !== 'ready';
      if ((modelGone || typed.code === ErrorCodes.SERVER_BUSY) && !entry.controller.signal.aborted) {
        this.#store.requeue(file.jobId, file.index);
        return 'retry-later';
      }
      // Only our own abort (DELETE /api/jobs/:id) cancels; any other failure is the file's.
      if (entry.controller.signal.aborted) {
        this.#store.finish(file.jobId, file.index, 'cancelled', null);
      } else {
        // Messages may name the upload path; clients only know the file by its own name.
        const message = typed.message.split(storedPath).join(file.filename);
        this.#store.finish(file.jobId, file.index, 'failed', { code: typed.code, message });
        this.#log.warn({ jobId: file.jobId, index: file.index, code: typed.code }, 'job file failed');
      }
    }
    await rm(storedPath, { force: true });
    const job = this.get(file.jobId);
    this.#emitFile(job, file.index);
    if (TERMINAL_STATUSES.has(job.status)) {
      await rm(this.uploadDir(job.id), { recursive: true, force: true });
      this.#finishJob(job);
    }
    return 'finished';
  }

  #finishJob(job: JobView): void {
    this.#log.info({ jobId: job.id, status: job.status, counts: job.counts }, 'job finished');
    this.#emit(job.id, { type: 'job', job });
  }

  #emitFile(job: JobView, index: number): void {
    const file = job.files.find((f) => f.index === index);
    if (file) this.#emit(job.id, { type: 'file', job_id: job.id, file });
  }

  #emit(jobId: string, event: JobEvent): void {
    const set = this.#listeners.get(jobId);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (error) {
        this.#log.error({ jobId, err: toTingxieError(error).message }, 'job event listener failed');
      }
    }
  }

  #withProgress(job: JobView): JobView {
    return {
      ...job,
      files: job.files.map((file) => {
        const run = file.status === 'running' ? this.#running.get(runKey(job.id, file.index)) : undefined;
        return run ? { ...file, progress: run.progress } : file;
      }),
    };
  }

  /** Uploads of finished files and jobs, and folders of jobs never accepted (killed mid-upload). */
  async #removeStaleUploads(): Promise<void> {
    await mkdir(this.#uploadsDir, { recursive: true });
    const states = this.#store.jobStates();
    for (const entry of await readdir(this.#uploadsDir, { withFileTypes: true })) {
      const dir = join(this.#uploadsDir, entry.name);
      const status = states.get(entry.name);
      if (status === undefined || TERMINAL_STATUSES.has(status)) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      for (const storedName of this.#store.finishedUploads(entry.name)) await rm(join(dir, storedName), { force: true });
    }
  }
}

function runKey(jobId: string, index: number): string {
  return `${jobId}/${index}`;
}
