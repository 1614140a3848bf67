/**
 * Batch: many files, each sent as its own engine job (`POST /api/jobs`) and followed over its SSE stream.
 * Uploads are queued: at most MAX_ACTIVE files are uploading or being followed at once, so dropping hundreds
 * of files neither floods the engine nor uses up the browser's connections.
 */
import { ApiError } from '../api.ts';
import { type AppContext, type Page, tr } from '../context.ts';
import { download, formatBytes, h, progressBar } from '../dom.ts';
import type { Key } from '../i18n.ts';
import { dropZone, languageSelect } from './shared.ts';

/** Files uploading or followed at once (browsers allow ~6 connections per host; leave room for the rest of the UI). */
const MAX_ACTIVE = 3;
/** More files or bytes than this in one drop gets a warning. */
const WARN_FILES = 50;
const WARN_BYTES = 1024 ** 3;

type ItemState = 'waiting' | 'uploading' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A job file as the engine reports it. */
export interface JobFile {
  index: number;
  filename: string;
  size_bytes: number;
  status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  progress: number;
  attempts: number;
  history_id: number | null;
  text: string | null;
  error: { code: string; message: string } | null;
  started_at: string | null;
  finished_at: string | null;
}

interface Job {
  id: string;
  status: string;
  files: JobFile[];
}

interface Item {
  file: File;
  state: ItemState;
  progress: number;
  jobId: string | null;
  abort: AbortController | null;
  result: JobFile | null;
  error: string | null;
  row: HTMLTableRowElement;
  bar: ReturnType<typeof progressBar>;
  pill: HTMLElement;
  cancel: HTMLButtonElement;
}

const TERMINAL: ReadonlySet<ItemState> = new Set(['done', 'failed', 'cancelled']);

export function batchPage(ctx: AppContext): Page {
  const { i18n, api } = ctx;
  const items: Item[] = [];
  const language = languageSelect(ctx, 'batch-language');
  const itn = h('input', { type: 'checkbox', id: 'batch-itn', checked: true });
  const warning = h('p', { class: 'warn', id: 'batch-warning', role: 'status' });
  const overall = progressBar(i18n.t('batch.overall'));
  overall.el.id = 'batch-overall';
  const summary = h('span', { class: 'muted', id: 'batch-summary' });
  const body = h('tbody', {});
  const empty = h('p', { class: 'muted' }, tr(ctx, 'batch.empty'));
  const table = h(
    'table',
    { id: 'batch-table', hidden: true },
    h('caption', {}, tr(ctx, 'batch.queue')),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, tr(ctx, 'history.file')), h('th', { scope: 'col' }, tr(ctx, 'models.status')), h('th', { scope: 'col' }, tr(ctx, 'batch.progress')), h('th', { scope: 'col' }, tr(ctx, 'history.text')), h('th', { scope: 'col' }, tr(ctx, 'history.actions')))),
    body,
  );

  function render(item: Item): void {
    item.pill.dataset.state = item.state;
    // data-i18n: a language switch re-translates the pill too.
    item.pill.dataset.i18n = `batch.status.${item.state}`;
    item.pill.textContent = i18n.t(`batch.status.${item.state}` as Key);
    item.pill.title = item.error ?? '';
    item.bar.set(item.state === 'done' ? 1 : item.progress, item.state);
    item.row.dataset.state = item.state;
    item.cancel.disabled = TERMINAL.has(item.state);
    const text = item.row.querySelector('.batch-text')!;
    text.textContent = item.error ?? item.result?.text ?? '';
    renderOverall();
  }

  function renderOverall(): void {
    const counted = items.filter((item) => item.state !== 'cancelled');
    const total = counted.reduce((sum, item) => sum + (TERMINAL.has(item.state) ? 1 : item.progress), 0);
    overall.set(counted.length === 0 ? 0 : total / counted.length, counted.length > 0 && counted.every((item) => TERMINAL.has(item.state)) ? 'done' : undefined);
    const done = items.filter((item) => item.state === 'done').length;
    summary.textContent = `${done} / ${items.length}`;
    table.hidden = items.length === 0;
    empty.hidden = items.length > 0;
  }

  function applyJobFile(item: Item, file: JobFile): void {
    item.result = file;
    item.progress = file.progress;
    item.state = file.status;
    item.error = file.error ? ctx.describeError(new ApiError(file.error.code, file.error.message, 0)) : null;
    render(item);
  }

  async function runItem(item: Item): Promise<void> {
    item.state = 'uploading';
    item.abort = new AbortController();
    render(item);
    try {
      const form = new FormData();
      form.append('language', language.value);
      form.append('itn', itn.checked ? 'true' : 'false');
      form.append('file', item.file, item.file.name);
      const job = await api.json<Job>('/api/jobs', { method: 'POST', body: form, signal: item.abort.signal });
      item.jobId = job.id;
      applyJobFile(item, job.files[0]!);
      if (TERMINAL.has(item.state)) return;
      await api.sse(`/api/jobs/${job.id}/events`, { signal: item.abort.signal }, (event) => {
        if (event.event === 'progress') {
          const data = JSON.parse(event.data) as { progress: number };
          item.progress = data.progress;
          if (item.state === 'queued') item.state = 'running';
          render(item);
        } else if (event.event === 'file') {
          applyJobFile(item, (JSON.parse(event.data) as { file: JobFile }).file);
        } else if (event.event === 'snapshot' || event.event === 'job') {
          const file = (JSON.parse(event.data) as Job).files[0];
          if (file) applyJobFile(item, file);
        }
      });
      // The stream ended without a final state (engine restarting): ask once.
      if (!TERMINAL.has(item.state) && item.jobId) applyJobFile(item, (await api.json<Job>(`/api/jobs/${item.jobId}`)).files[0]!);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'RATE_LIMITED' && item.jobId === null && (item.state as ItemState) === 'uploading') {
        // The engine's per-minute request budget is spent: put the file back and pause the queue, not fail it.
        item.state = 'waiting';
        render(item);
        pauseUntil(Date.now() + (error.retryAfterS ?? 5) * 1000);
      } else if ((item.state as ItemState) !== 'cancelled') {
        item.state = 'failed';
        item.error = ctx.describeError(error);
        render(item);
      }
    } finally {
      item.abort = null;
    }
  }

  let pausedUntil = 0;
  let pauseTimer: ReturnType<typeof setTimeout> | null = null;
  function pauseUntil(time: number): void {
    pausedUntil = Math.max(pausedUntil, time);
    if (pauseTimer) clearTimeout(pauseTimer);
    pauseTimer = setTimeout(() => {
      pauseTimer = null;
      pump();
    }, pausedUntil - Date.now());
  }

  /** Starts waiting items while fewer than MAX_ACTIVE are under way. */
  function pump(): void {
    if (Date.now() < pausedUntil) return;
    let active = items.filter((item) => item.state === 'uploading' || ((item.state === 'queued' || item.state === 'running') && item.abort !== null)).length;
    for (const item of items) {
      if (active >= MAX_ACTIVE) break;
      if (item.state !== 'waiting') continue;
      active++;
      void runItem(item).finally(pump);
    }
  }

  async function cancel(item: Item): Promise<void> {
    if (TERMINAL.has(item.state)) return;
    const jobId = item.jobId;
    const wasUploading = item.state === 'uploading' || item.state === 'waiting';
    item.state = 'cancelled';
    render(item);
    if (jobId && !wasUploading) {
      try {
        const job = await api.json<Job>(`/api/jobs/${jobId}`, { method: 'DELETE' });
        if (job.files[0]) applyJobFile(item, job.files[0]);
      } catch (error) {
        ctx.notify(ctx.describeError(error), 'error');
      }
    }
    item.abort?.abort();
    pump();
  }

  function add(files: File[]): void {
    const bytes = files.reduce((sum, file) => sum + file.size, 0);
    warning.textContent = files.length > WARN_FILES || bytes > WARN_BYTES ? i18n.t('batch.warnMany', { count: files.length, size: formatBytes(bytes), parallel: MAX_ACTIVE }) : '';
    for (const file of files) {
      const bar = progressBar(file.name);
      const pill = h('span', { class: 'pill' });
      const cancelButton = h('button', { type: 'button', 'aria-label': `${i18n.t('common.cancel')} ${file.name}` }, tr(ctx, 'common.cancel'));
      const row = h('tr', { 'data-file': file.name }, h('td', {}, file.name, h('br', {}), h('small', { class: 'muted' }, formatBytes(file.size))), h('td', {}, pill), h('td', {}, bar.el), h('td', { class: 'batch-text' }), h('td', {}, cancelButton));
      const item: Item = { file, state: 'waiting', progress: 0, jobId: null, abort: null, result: null, error: null, row, bar, pill, cancel: cancelButton };
      cancelButton.addEventListener('click', () => void cancel(item));
      items.push(item);
      body.append(row);
      render(item);
    }
    pump();
  }

  function exportResults(format: 'csv' | 'json'): void {
    const fields = ['filename', 'status', 'size_bytes', 'history_id', 'text', 'error', 'started_at', 'finished_at', 'job_id'] as const;
    const rows = items.map((item) => ({
      filename: item.file.name,
      status: item.state,
      size_bytes: item.file.size,
      history_id: item.result?.history_id ?? null,
      text: item.result?.text ?? null,
      error: item.result?.error ? `${item.result.error.code}: ${item.result.error.message}` : item.error,
      started_at: item.result?.started_at ?? null,
      finished_at: item.result?.finished_at ?? null,
      job_id: item.jobId,
    }));
    if (format === 'json') {
      download('tingxie-batch.json', `${JSON.stringify(rows, null, 2)}\n`, 'application/json');
      return;
    }
    const cell = (value: string | number | null): string => {
      const text = value === null ? '' : String(value);
      return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    };
    const csv = [fields.join(','), ...rows.map((row) => fields.map((field) => cell(row[field])).join(','))].join('\r\n');
    download('tingxie-batch.csv', `\ufeff${csv}\r\n`, 'text/csv;charset=utf-8');
  }

  const el = h(
    'section',
    { class: 'page', 'aria-labelledby': 'batch-title' },
    h('h1', { id: 'batch-title' }, tr(ctx, 'nav.batch')),
    h(
      'div',
      { class: 'panel' },
      dropZone(ctx, { id: 'batch-files', multiple: true, accept: 'audio/*,video/*' }, add),
      h('div', { class: 'options' }, h('label', { for: 'batch-language' }, tr(ctx, 'common.language'), language), h('label', { class: 'check', for: 'batch-itn' }, itn, tr(ctx, 'common.itn'))),
    ),
    warning,
    h(
      'div',
      { class: 'row' },
      h('strong', {}, tr(ctx, 'batch.overall')),
      h('div', { class: 'grow', style: 'flex:1' }, overall.el),
      summary,
      h('button', { type: 'button', id: 'batch-cancel-all', onclick: () => items.forEach((item) => void cancel(item)) }, tr(ctx, 'batch.cancelAll')),
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            for (const item of items.filter((i) => TERMINAL.has(i.state))) {
              item.row.remove();
              items.splice(items.indexOf(item), 1);
            }
            renderOverall();
          },
        },
        tr(ctx, 'batch.clear'),
      ),
    ),
    h('div', { class: 'row' }, tr(ctx, 'batch.export'), h('button', { type: 'button', id: 'batch-export-csv', onclick: () => exportResults('csv') }, 'CSV'), h('button', { type: 'button', id: 'batch-export-json', onclick: () => exportResults('json') }, 'JSON')),
    empty,
    table,
  );
  renderOverall();
  return { el };
}
