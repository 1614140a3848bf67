/** Models & device: installed and catalogue models, pull with progress, load/switch, device, release GPU memory. */
import { ApiError } from '../api.ts';
import { type AppContext, type Page, tr } from '../context.ts';
import { clear, formatBytes, h, progressBar } from '../dom.ts';

interface Listing {
  id: string;
  name: string;
  family: string | null;
  status: string;
  inCatalogue: boolean;
  isDefault: boolean;
  bytes: number | null;
  dir: string | null;
  fixture: boolean;
  loaded: boolean;
}

interface ModelStatus {
  state: 'empty' | 'loading' | 'ready' | 'error';
  model: { family: string; dir: string; device: string; fixture?: boolean } | null;
  device: string;
  error: { code: string; message: string } | null;
}

export function modelsPage(ctx: AppContext): Page {
  const { i18n, api } = ctx;
  const statusBox = h('div', { class: 'stats', id: 'models-status' });
  const body = h('tbody', { id: 'models-rows' });
  const message = h('p', { class: 'status', role: 'status', id: 'models-message' });
  const pathInput = h('input', { type: 'text', id: 'models-path', 'data-i18n-placeholder': 'models.pathPlaceholder', placeholder: i18n.t('models.pathPlaceholder') });

  const archiveInput = h('input', { type: 'file', id: 'models-archive', accept: '.bz2,.gz,.tgz,.tar', class: 'visually-hidden', tabindex: -1, 'aria-hidden': 'true' });
  archiveInput.addEventListener('change', () => {
    const file = archiveInput.files?.[0];
    archiveInput.value = '';
    if (file) void importArchive(file);
  });

  async function importArchive(file: File): Promise<void> {
    say(i18n.t('models.importing', { name: file.name, size: formatBytes(file.size) }), 'info');
    const form = new FormData();
    form.append('file', file, file.name);
    try {
      const result = await api.json<{ id: string }>('/api/models/import', { method: 'POST', body: form });
      say(i18n.t('models.imported', { id: result.id }), 'success');
    } catch (error) {
      // An engine without the upload route: say how to do it from the command line instead.
      if (error instanceof ApiError && error.code === 'NOT_FOUND') say(`${i18n.t('models.importHelp')} tingxie models import ${file.name}`, 'error');
      else say(ctx.describeError(error), 'error');
    }
    await load();
  }

  function say(text: string, kind: 'info' | 'error' | 'success'): void {
    message.textContent = text;
    message.dataset.kind = kind;
  }

  function stat(label: HTMLElement, value: string, id: string): HTMLElement {
    return h('div', { class: 'stat' }, h('b', { id }, value), label);
  }

  async function load(): Promise<void> {
    try {
      const { models, status } = await api.json<{ models: Listing[]; status: ModelStatus }>('/api/models');
      clear(statusBox);
      statusBox.append(
        stat(tr(ctx, 'models.device'), status.device, 'models-device'),
        stat(tr(ctx, 'models.state'), i18n.t(`models.state.${status.state}`), 'models-state'),
        stat(tr(ctx, 'models.loaded'), status.model ? `${status.model.family}${status.model.fixture ? ` (${i18n.t('models.fixture')})` : ''}` : i18n.t('models.none'), 'models-loaded'),
      );
      clear(body);
      for (const model of models) body.append(row(model));
    } catch (error) {
      say(ctx.describeError(error), 'error');
    }
  }

  function statusLabel(status: string): string {
    const key = `models.status.${status}`;
    return i18n.has(key) ? i18n.t(key) : status;
  }

  function row(model: Listing): HTMLTableRowElement {
    const actions = h('div', { class: 'row' });
    const tags = [model.isDefault ? i18n.t('models.default') : '', model.fixture ? i18n.t('models.fixture') : ''].filter(Boolean).join(' · ');
    const tr_ = h(
      'tr',
      { 'data-model': model.id },
      h('td', {}, h('strong', {}, model.name), h('br', {}), h('small', { class: 'muted' }, model.id, tags ? ` · ${tags}` : '')),
      h('td', {}, h('span', { class: 'pill', 'data-state': model.loaded ? 'done' : model.status === 'installed' ? 'running' : '', 'data-i18n': model.loaded ? 'models.inUse' : `models.status.${model.status}` }, model.loaded ? i18n.t('models.inUse') : statusLabel(model.status))),
      h('td', { class: 'time' }, model.bytes === null ? '—' : formatBytes(model.bytes)),
      h('td', {}, actions),
    );
    if (model.status === 'installed' && !model.loaded) {
      actions.append(h('button', { type: 'button', class: 'primary', onclick: () => void loadModel({ id: model.id }) }, tr(ctx, 'models.load')));
    }
    if (model.inCatalogue && model.status === 'not-installed') {
      const bar = progressBar(model.name);
      bar.el.hidden = true;
      const phase = h('small', { class: 'muted' });
      const button = h('button', { type: 'button', onclick: () => void pull(model, button, bar, phase) }, tr(ctx, 'models.pull'));
      actions.append(button, bar.el, phase);
    }
    return tr_;
  }

  async function pull(model: Listing, button: HTMLButtonElement, bar: ReturnType<typeof progressBar>, phase: HTMLElement): Promise<void> {
    button.disabled = true;
    bar.el.hidden = false;
    let failed: string | null = null;
    try {
      await api.sse('/api/models/pull', { method: 'POST', body: JSON.stringify({ id: model.id }), headers: { 'content-type': 'application/json' } }, (event) => {
        const data = JSON.parse(event.data) as { phase?: string; bytesDone?: number | null; bytesTotal?: number | null; error?: { code: string; message: string } };
        if (event.event === 'progress') {
          if (data.bytesTotal) bar.set((data.bytesDone ?? 0) / data.bytesTotal);
          phase.textContent = i18n.t('models.phase', { phase: data.phase ?? '' }) + (data.bytesDone ? ` · ${formatBytes(data.bytesDone)}` : '');
        } else if (event.event === 'done') {
          bar.set(1, 'done');
        } else if (event.event === 'error') {
          failed = data.error ? `${data.error.code}: ${data.error.message}` : 'error';
        }
      });
      if (failed) say(failed, 'error');
      else say(i18n.t('models.pulled', { id: model.id }), 'success');
    } catch (error) {
      say(ctx.describeError(error), 'error');
    }
    await load();
  }

  async function loadModel(body: { id: string } | { path: string }): Promise<void> {
    say(i18n.t('banner.loading'), 'info');
    try {
      const status = await api.sendJson<ModelStatus>('POST', '/api/models/load', body);
      say(i18n.t('models.loadedMsg', { family: status.model?.family ?? '?', device: status.device }), 'success');
    } catch (error) {
      say(ctx.describeError(error), 'error');
    }
    await Promise.all([load(), ctx.refreshHealth()]);
  }

  async function release(): Promise<void> {
    try {
      await api.request('/api/device/release', { method: 'POST' });
      say(i18n.t('models.released'), 'success');
    } catch (error) {
      say(ctx.describeError(error), 'error');
    }
    await Promise.all([load(), ctx.refreshHealth()]);
  }

  const el = h(
    'section',
    { class: 'page', 'aria-labelledby': 'models-title' },
    h('h1', { id: 'models-title' }, tr(ctx, 'nav.models')),
    statusBox,
    h('div', { class: 'row' }, h('button', { type: 'button', id: 'models-release', onclick: () => void release() }, tr(ctx, 'models.release')), h('button', { type: 'button', onclick: () => void load() }, tr(ctx, 'common.refresh'))),
    message,
    h(
      'table',
      { id: 'models-table' },
      h('caption', {}, tr(ctx, 'models.title')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, tr(ctx, 'models.name')), h('th', { scope: 'col' }, tr(ctx, 'models.status')), h('th', { scope: 'col' }, tr(ctx, 'models.size')), h('th', { scope: 'col' }, tr(ctx, 'history.actions')))),
      body,
    ),
    h(
      'div',
      { class: 'columns', style: 'margin-top:16px' },
      h(
        'div',
        { class: 'card' },
        h('h3', {}, tr(ctx, 'models.loadPath')),
        h(
          'form',
          { class: 'row', onsubmit: (event: Event) => (event.preventDefault(), pathInput.value.trim() && void loadModel({ path: pathInput.value.trim() })) },
          h('label', { for: 'models-path', class: 'visually-hidden' }, tr(ctx, 'models.loadPath')),
          pathInput,
          h('button', { type: 'submit' }, tr(ctx, 'models.load')),
        ),
      ),
      h(
        'div',
        { class: 'card' },
        h('h3', {}, tr(ctx, 'models.import')),
        h('div', { class: 'row' }, archiveInput, h('button', { type: 'button', id: 'models-import', onclick: () => archiveInput.click() }, tr(ctx, 'models.importButton'))),
        h('p', { class: 'muted' }, tr(ctx, 'models.importCli'), ' ', h('code', { class: 'code', id: 'models-import-command' }, 'tingxie models import FILE')),
      ),
    ),
  );
  return { el, onShow: () => void load() };
}
