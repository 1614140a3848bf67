/**
 * Batch jobs as rows: a job and one row per accepted file. The database is the queue — a file
 * is claimed (marked running) before it starts and marked done in the same transaction as its
 * history row, so a killed engine re-runs exactly the files that never committed.
 */
import type Database from 'better-sqlite3';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import type { Language } from '../../pipeline/types.ts';
import type { HistoryInput, HistoryStore } from './history-store.ts';

export const JOB_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type JobFileStatus = JobStatus;

export interface JobOptions {
  language: Language;
  itn: boolean;
  vad: boolean;
  hotwords: string[];
}

export interface JobFileView {
  index: number;
  filename: string;
  size_bytes: number;
  status: JobFileStatus;
  /** 0..1 from the pipeline's progress; 1 once done. */
  progress: number;
  /** Runs started (more than 1 after a restart interrupted a run). */
  attempts: number;
  history_id: number | null;
  text: string | null;
  error: { code: string; message: string } | null;
  started_at: string | null;
  finished_at: string | null;
}

export interface JobView {
  id: string;
  created_at: string;
  updated_at: string;
  status: JobStatus;
  options: JobOptions;
  counts: Record<JobFileStatus, number>;
  files: JobFileView[];
}

export interface NewJobFile {
  filename: string;
  storedName: string;
  sizeBytes: number;
}

/** A claimed file: what a worker needs to run it. */
export interface ClaimedFile {
  jobId: string;
  index: number;
  filename: string;
  storedName: string;
  options: JobOptions;
}

interface JobRow {
  id: string;
  created_at: string;
  updated_at: string;
  status: JobStatus;
  cancel_requested: number;
  options: string;
}

interface FileRow {
  job_id: string;
  idx: number;
  filename: string;
  stored_name: string;
  size_bytes: number;
  status: JobFileStatus;
  attempts: number;
  history_id: number | null;
  text: string | null;
  error_code: string | null;
  error_message: string | null;
  started_at: string | null;
  finished_at: string | null;
}

export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(['done', 'failed', 'cancelled']);

export class JobStore {
  readonly #db: Database.Database;
  readonly #history: HistoryStore;

  constructor(db: Database.Database, history: HistoryStore) {
    this.#db = db;
    this.#history = history;
  }

  /** Records an accepted job with all its files queued, in one transaction. */
  create(id: string, options: JobOptions, files: readonly NewJobFile[]): JobView {
    const now = new Date().toISOString();
    const insertFile = this.#db.prepare(
      `INSERT INTO job_files (job_id, idx, filename, stored_name, size_bytes, status) VALUES (?, ?, ?, ?, ?, 'queued')`,
    );
    this.#db.transaction(() => {
      this.#db
        .prepare(`INSERT INTO jobs (id, created_at, updated_at, status, options) VALUES (?, ?, ?, 'queued', ?)`)
        .run(id, now, now, JSON.stringify(options));
      files.forEach((file, index) => insertFile.run(id, index, file.filename, file.storedName, file.sizeBytes));
    })();
    return this.get(id);
  }

  find(id: string): JobView | null {
    const job = this.#db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    if (!job) return null;
    const files = this.#db.prepare('SELECT * FROM job_files WHERE job_id = ? ORDER BY idx').all(id) as FileRow[];
    return toJobView(job, files);
  }

  get(id: string): JobView {
    const job = this.find(id);
    if (!job) throw jobNotFound(id);
    return job;
  }

  /** Newest first. */
  list(limit: number, offset: number): { total: number; items: JobView[] } {
    const total = (this.#db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n;
    const ids = this.#db.prepare('SELECT id FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?').all(limit, offset) as { id: string }[];
    return { total, items: ids.map(({ id }) => this.get(id)) };
  }

  /** Every job id, with whether it has finished (for cleaning up uploads). */
  jobStates(): Map<string, JobStatus> {
    const rows = this.#db.prepare('SELECT id, status FROM jobs').all() as { id: string; status: JobStatus }[];
    return new Map(rows.map((row) => [row.id, row.status]));
  }

  /** Stored names of a job's files that have finished (their uploads can go). */
  finishedUploads(jobId: string): string[] {
    const rows = this.#db
      .prepare(`SELECT stored_name FROM job_files WHERE job_id = ? AND status IN ('done', 'failed', 'cancelled')`)
      .all(jobId) as { stored_name: string }[];
    return rows.map((row) => row.stored_name);
  }

  /**
   * After a restart: files left running never committed, so they go back to the queue —
   * unless their job was being cancelled, in which case they (and its queued files) are cancelled.
   * @returns the number of files re-queued
   */
  recoverInterrupted(): number {
    return this.#db.transaction(() => {
      const now = new Date().toISOString();
      this.#db
        .prepare(
          `UPDATE job_files SET status = 'cancelled', finished_at = ?
           WHERE status IN ('queued', 'running') AND job_id IN (SELECT id FROM jobs WHERE cancel_requested = 1)`,
        )
        .run(now);
      const requeued = this.#db.prepare(`UPDATE job_files SET status = 'queued' WHERE status = 'running'`).run().changes;
      const jobs = this.#db.prepare(`SELECT id FROM jobs WHERE status NOT IN ('done', 'failed', 'cancelled')`).all() as { id: string }[];
      for (const { id } of jobs) this.refreshStatus(id);
      return requeued;
    })();
  }

  /** Takes the oldest queued file and marks it running, atomically; null when none is queued. */
  claimNext(): ClaimedFile | null {
    return this.#db.transaction((): ClaimedFile | null => {
      const row = this.#db
        .prepare(
          `SELECT f.job_id, f.idx, f.filename, f.stored_name, j.options FROM job_files f JOIN jobs j ON j.id = f.job_id
           WHERE f.status = 'queued' AND j.cancel_requested = 0
           ORDER BY j.created_at, j.rowid, f.idx LIMIT 1`,
        )
        .get() as { job_id: string; idx: number; filename: string; stored_name: string; options: string } | undefined;
      if (!row) return null;
      this.#db
        .prepare(`UPDATE job_files SET status = 'running', attempts = attempts + 1, started_at = ? WHERE job_id = ? AND idx = ?`)
        .run(new Date().toISOString(), row.job_id, row.idx);
      this.refreshStatus(row.job_id);
      return { jobId: row.job_id, index: row.idx, filename: row.filename, storedName: row.stored_name, options: JSON.parse(row.options) as JobOptions };
    })();
  }

  /**
   * Stores the history row and marks the file done with its id, in one transaction; nothing
   * when the file is no longer running (cancelled meanwhile).
   * @returns the history id, or null when the file was not running
   */
  complete(jobId: string, index: number, history: HistoryInput): number | null {
    return this.#db.transaction((): number | null => {
      if (this.#fileStatus(jobId, index) !== 'running') return null;
      const historyId = this.#history.add(history);
      this.#db
        .prepare(
          `UPDATE job_files SET status = 'done', history_id = ?, text = ?, finished_at = ?, error_code = NULL, error_message = NULL
           WHERE job_id = ? AND idx = ?`,
        )
        .run(historyId, history.result.text, new Date().toISOString(), jobId, index);
      this.refreshStatus(jobId);
      return historyId;
    })();
  }

  /** Ends a running file as failed or cancelled. */
  finish(jobId: string, index: number, status: 'failed' | 'cancelled', error: { code: string; message: string } | null): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(`UPDATE job_files SET status = ?, error_code = ?, error_message = ?, finished_at = ? WHERE job_id = ? AND idx = ? AND status = 'running'`)
        .run(status, error?.code ?? null, error?.message ?? null, new Date().toISOString(), jobId, index);
      this.refreshStatus(jobId);
    })();
  }

  /** Puts a running file back in the queue (engine shutting down, model unloaded). */
  requeue(jobId: string, index: number): void {
    this.#db.transaction(() => {
      this.#db.prepare(`UPDATE job_files SET status = 'queued' WHERE job_id = ? AND idx = ? AND status = 'running'`).run(jobId, index);
      this.refreshStatus(jobId);
    })();
  }

  /**
   * Marks the job as being cancelled and cancels its queued files.
   * @returns the indices of its files still running (to abort), and the cancelled ones
   */
  requestCancel(jobId: string): { running: number[]; cancelled: number[] } {
    return this.#db.transaction(() => {
      const job = this.#db.prepare('SELECT status FROM jobs WHERE id = ?').get(jobId) as { status: JobStatus } | undefined;
      if (!job) throw jobNotFound(jobId);
      if (TERMINAL_STATUSES.has(job.status)) return { running: [], cancelled: [] };
      this.#db.prepare('UPDATE jobs SET cancel_requested = 1 WHERE id = ?').run(jobId);
      const queued = this.#db.prepare(`SELECT idx FROM job_files WHERE job_id = ? AND status = 'queued'`).all(jobId) as { idx: number }[];
      this.#db
        .prepare(`UPDATE job_files SET status = 'cancelled', finished_at = ? WHERE job_id = ? AND status = 'queued'`)
        .run(new Date().toISOString(), jobId);
      const running = this.#db.prepare(`SELECT idx FROM job_files WHERE job_id = ? AND status = 'running'`).all(jobId) as { idx: number }[];
      this.refreshStatus(jobId);
      return { running: running.map((r) => r.idx), cancelled: queued.map((r) => r.idx) };
    })();
  }

  isCancelRequested(jobId: string): boolean {
    const row = this.#db.prepare('SELECT cancel_requested FROM jobs WHERE id = ?').get(jobId) as { cancel_requested: number } | undefined;
    return row?.cancel_requested === 1;
  }

  /** Recomputes and stores the job's status from its files'. */
  refreshStatus(jobId: string): JobStatus {
    const job = this.#db.prepare('SELECT status, cancel_requested FROM jobs WHERE id = ?').get(jobId) as
      | { status: JobStatus; cancel_requested: number }
      | undefined;
    if (!job) throw jobNotFound(jobId);
    const counts = this.#counts(jobId);
    const status = jobStatus(counts, job.cancel_requested === 1);
    if (status !== job.status) {
      this.#db.prepare('UPDATE jobs SET status = ?, updated_at = ? WHERE id = ?').run(status, new Date().toISOString(), jobId);
    }
    return status;
  }

  #counts(jobId: string): Record<JobFileStatus, number> {
    const rows = this.#db.prepare('SELECT status, COUNT(*) AS n FROM job_files WHERE job_id = ? GROUP BY status').all(jobId) as {
      status: JobFileStatus;
      n: number;
    }[];
    const counts = emptyCounts();
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  #fileStatus(jobId: string, index: number): JobFileStatus | null {
    const row = this.#db.prepare('SELECT status FROM job_files WHERE job_id = ? AND idx = ?').get(jobId, index) as { status: JobFileStatus } | undefined;
    return row?.status ?? null;
  }
}

export function jobNotFound(id: string): TingxieError {
  return new TingxieError(ErrorCodes.JOB_NOT_FOUND, `No job with id ${id}.`, { id });
}

function emptyCounts(): Record<JobFileStatus, number> {
  return { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
}

/** A job runs until every file has ended; it ends cancelled if cancelled, failed if every file failed. */
export function jobStatus(counts: Record<JobFileStatus, number>, cancelRequested: boolean): JobStatus {
  const total = counts.queued + counts.running + counts.done + counts.failed + counts.cancelled;
  if (counts.queued === total) return 'queued';
  if (counts.queued > 0 || counts.running > 0) return 'running';
  if (cancelRequested) return 'cancelled';
  if (counts.failed === total) return 'failed';
  return 'done';
}

function toJobView(job: JobRow, files: FileRow[]): JobView {
  const counts = emptyCounts();
  for (const file of files) counts[file.status]++;
  return {
    id: job.id,
    created_at: job.created_at,
    updated_at: job.updated_at,
    status: job.status,
    options: JSON.parse(job.options) as JobOptions,
    counts,
    files: files.map((file) => ({
      index: file.idx,
      filename: file.filename,
      size_bytes: file.size_bytes,
      status: file.status,
      progress: file.status === 'done' ? 1 : 0,
      attempts: file.attempts,
      history_id: file.history_id,
      text: file.text,
      error: file.error_code ? { code: file.error_code, message: file.error_message ?? '' } : null,
      started_at: file.started_at,
      finished_at: file.finished_at,
    })),
  };
}
