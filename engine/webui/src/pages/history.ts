/** History: full-text search (the engine's), view an entry with its segments, delete it, export one or all. */
import { type AppContext, type Page, tr } from '../context.ts';
import { clear, clock, download, h } from '../dom.ts';

interface Summary {
  id: number;
  created_at: string;
  filename: string;
  source: string;
  language: string | null;
  duration_s: number;
  raw_text: string;
  itn_text: string;
}

interface Entry extends Summary {
  segments: { start_s: number; end_s: number; text: string; raw_text: string }[];
}

const PAGE_SIZE = 50;

/** The file name a Content-Disposition header names, else `fallback`. */
function dispositionName(header: string | null, fallback: string): string {
  const star = header ? /filename\*=UTF-8''([^;]+)/i.exec(header) : null;
  if (star) return decodeURIComponent(star[1]!);
  const plain = header ? /filename="([^"]+)"/i.exec(header) : null;
  return plain ? plain[1]! : fallback;
}

export function historyPage(ctx: AppContext): Page {
  const { i18n, api } = ctx;
  const search = h('input', { type: 'search', id: 'history-search', 'data-i18n-placeholder': 'history.searchPlaceholder', placeholder: i18n.t('history.searchPlaceholder') });
  const count = h('p', { class: 'muted', id: 'history-count', 'aria-live': 'polite' });
  const body = h('tbody', {});
  const table = h(
    'table',
    { id: 'history-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, tr(ctx, 'history.date')),
        h('th', { scope: 'col' }, tr(ctx, 'history.file')),
        h('th', { scope: 'col' }, tr(ctx, 'history.duration')),
        h('th', { scope: 'col' }, tr(ctx, 'history.text')),
        h('th', { scope: 'col' }, tr(ctx, 'history.actions')),
      ),
    ),
    body,
  );
  const detail = h('section', { class: 'detail card', id: 'history-detail', hidden: true, tabindex: -1 });
  let debounce: ReturnType<typeof setTimeout> | null = null;
  let generation = 0;

  async function exportAll(format: 'csv' | 'json'): Promise<void> {
    try {
      const response = await api.request(`/api/history/export?format=${format}`);
      download(dispositionName(response.headers.get('content-disposition'), `tingxie-history.${format}`), await response.blob());
    } catch (error) {
      ctx.notify(ctx.describeError(error), 'error');
    }
  }

  async function exportOne(id: number, format: 'txt' | 'srt' | 'vtt' | 'json'): Promise<void> {
    try {
      const response = await api.request(`/api/history/${id}/export?format=${format}`);
      download(dispositionName(response.headers.get('content-disposition'), `transcript-${id}.${format}`), await response.blob());
    } catch (error) {
      ctx.notify(ctx.describeError(error), 'error');
    }
  }

  async function remove(id: number): Promise<void> {
    if (!confirm(i18n.t('history.confirmDelete'))) return;
    try {
      await api.request(`/api/history/${id}`, { method: 'DELETE' });
      ctx.notify(i18n.t('history.deleted'), 'success');
      detail.hidden = true;
      await load();
    } catch (error) {
      ctx.notify(ctx.describeError(error), 'error');
    }
  }

  async function view(id: number): Promise<void> {
    try {
      const entry = await api.json<Entry>(`/api/history/${id}`);
      clear(detail);
      detail.append(
        h('div', { class: 'card-head' }, h('h2', {}, entry.filename, h('small', {}, ` · ${new Date(entry.created_at).toLocaleString(i18n.lang)} · ${clock(entry.duration_s)}`)), h('button', { type: 'button', onclick: () => (detail.hidden = true) }, tr(ctx, 'common.close'))),
        h('div', { class: 'columns' }, h('div', {}, h('h3', {}, tr(ctx, 'transcribe.itnText')), h('p', { class: 'transcript', id: 'history-detail-itn' }, entry.itn_text)), h('div', {}, h('h3', {}, tr(ctx, 'transcribe.rawText')), h('p', { class: 'transcript muted' }, entry.raw_text))),
        h(
          'div',
          { class: 'row' },
          tr(ctx, 'common.download'),
          (['txt', 'srt', 'vtt', 'json'] as const).map((format) => h('button', { type: 'button', onclick: () => void exportOne(entry.id, format) }, format.toUpperCase())),
          h('button', { type: 'button', class: 'danger', onclick: () => void remove(entry.id) }, tr(ctx, 'common.delete')),
        ),
        h(
          'table',
          {},
          h('tbody', {}, entry.segments.map((seg) => h('tr', {}, h('td', { class: 'time' }, `${clock(seg.start_s)} – ${clock(seg.end_s)}`), h('td', {}, seg.text), h('td', { class: 'muted' }, seg.raw_text)))),
        ),
      );
      detail.hidden = false;
      detail.focus();
    } catch (error) {
      ctx.notify(ctx.describeError(error), 'error');
    }
  }

  async function load(): Promise<void> {
    const mine = ++generation;
    const q = search.value.trim();
    try {
      const page = await api.json<{ total: number; items: Summary[] }>(`/api/history?limit=${PAGE_SIZE}&q=${encodeURIComponent(q)}`);
      if (mine !== generation) return; // a newer search answered first
      clear(body);
      for (const item of page.items) {
        body.append(
          h(
            'tr',
            { 'data-id': item.id },
            h('td', { class: 'time' }, new Date(item.created_at).toLocaleString(i18n.lang)),
            h('td', {}, item.filename),
            h('td', { class: 'time' }, clock(item.duration_s)),
            h('td', { class: 'history-text' }, item.itn_text.length > 140 ? `${item.itn_text.slice(0, 140)}…` : item.itn_text),
            h(
              'td',
              {},
              h(
              'div',
              { class: 'row' },
              h('button', { type: 'button', onclick: () => void view(item.id), 'aria-label': `${i18n.t('history.view')} ${item.filename}` }, tr(ctx, 'history.view')),
              h('button', { type: 'button', class: 'danger', onclick: () => void remove(item.id), 'aria-label': `${i18n.t('common.delete')} ${item.filename}` }, tr(ctx, 'common.delete')),
              ),
            ),
          ),
        );
      }
      count.textContent = page.total === 0 ? i18n.t(q ? 'history.noMatch' : 'history.empty') : i18n.t('history.count', { count: page.total });
      table.hidden = page.total === 0;
    } catch (error) {
      if (mine === generation) count.textContent = ctx.describeError(error);
    }
  }

  search.addEventListener('input', () => {
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => void load(), 250);
  });

  const el = h(
    'section',
    { class: 'page', 'aria-labelledby': 'history-title' },
    h('h1', { id: 'history-title' }, tr(ctx, 'nav.history')),
    h(
      'div',
      { class: 'search' },
      h('label', { for: 'history-search', class: 'visually-hidden' }, tr(ctx, 'history.search')),
      search,
      h('button', { type: 'button', onclick: () => void load() }, tr(ctx, 'common.refresh')),
    ),
    h('div', { class: 'row' }, count, h('span', { class: 'grow' }), tr(ctx, 'history.exportAll'), h('button', { type: 'button', onclick: () => void exportAll('csv') }, 'CSV'), h('button', { type: 'button', onclick: () => void exportAll('json') }, 'JSON')),
    table,
    detail,
  );
  return { el, onShow: () => void load() };
}
