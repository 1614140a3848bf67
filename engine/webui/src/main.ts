/** The WebUI shell: header (pages, language, token), engine banners, and the pages, each built once and kept. */
import './styles.css';
import { Api, ApiError } from './api.ts';
import { type AppContext, type Page, type PageId, tr } from './context.ts';
import { clear, h } from './dom.ts';
import { I18n } from './i18n.ts';
import { pickLanguage, type UiLanguage } from './language.ts';
import { batchPage } from './pages/batch.ts';
import { historyPage } from './pages/history.ts';
import { hotwordsPage } from './pages/hotwords.ts';
import { livePage } from './pages/live.ts';
import { modelsPage } from './pages/models.ts';
import { transcribePage } from './pages/transcribe.ts';
import { vadPage } from './pages/vad.ts';

const TOKEN_KEY = 'tingxie.token';
const LANG_KEY = 'tingxie.lang';
const PAGES: readonly PageId[] = ['transcribe', 'live', 'batch', 'history', 'hotwords', 'models', 'vad'];

interface Health {
  status: 'ok' | 'loading' | 'no_model' | 'error';
  device: string;
  model: { family: string; fixture?: boolean } | null;
  error?: { code: string; message: string };
}

function storage(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Private mode: the value lasts for this page only.
  }
}

function start(root: HTMLElement): void {
  const i18n = new I18n(pickLanguage(storage(LANG_KEY), navigator.languages?.length ? navigator.languages : [navigator.language]));
  document.documentElement.lang = i18n.lang;
  const tokenInput = h('input', { type: 'password', id: 'token', autocomplete: 'off', value: storage(TOKEN_KEY) ?? '', 'data-i18n-placeholder': 'token.placeholder', placeholder: i18n.t('token.placeholder') });
  const banner = h('div', { class: 'banner', id: 'banner', role: 'alert', hidden: true });
  const toasts = h('div', { class: 'toasts', 'aria-live': 'polite' });
  let authBanner: 'none' | 'required' | 'invalid' = 'none';

  const notify = (message: string, kind: 'info' | 'error' | 'success' = 'info'): void => {
    const toast = h('div', { class: `toast ${kind}` }, message);
    toasts.append(toast);
    setTimeout(() => toast.remove(), kind === 'error' ? 8000 : 4000);
  };

  const api = new Api(
    () => tokenInput.value,
    (error) => {
      if (error.code === 'AUTH_REQUIRED' || error.code === 'AUTH_INVALID') {
        authBanner = error.code === 'AUTH_REQUIRED' ? 'required' : 'invalid';
        renderBanner(null);
      }
      if (error.code === 'MODEL_NOT_LOADED') void refreshHealth();
    },
  );

  const describeError = (error: unknown): string => {
    if (error instanceof ApiError) {
      const key = `error.${error.code}`;
      const known = i18n.has(key) ? i18n.t(key) : '';
      return known && known !== error.message ? `${known} (${error.code}: ${error.message})` : `${error.code}: ${error.message}`;
    }
    return error instanceof Error ? error.message : String(error);
  };

  let lastHealth: Health | null = null;
  function renderBanner(health: Health | null): void {
    if (health) lastHealth = health;
    clear(banner);
    banner.removeAttribute('data-kind');
    const current = lastHealth;
    if (authBanner !== 'none') {
      banner.dataset.kind = 'warn';
      banner.append(h('p', {}, tr(ctx, authBanner === 'required' ? 'banner.token' : 'banner.tokenInvalid')));
      banner.append(h('button', { type: 'button', onclick: () => tokenInput.focus() }, tr(ctx, 'token.label')));
    } else if (current?.status === 'no_model') {
      banner.dataset.kind = 'warn';
      banner.append(
        h('p', {}, h('strong', {}, tr(ctx, 'banner.noModel')), ' ', tr(ctx, 'banner.noModelFix'), ' ', h('code', {}, 'tingxie models pull')),
        h('button', { type: 'button', class: 'primary', onclick: () => navigate('models') }, tr(ctx, 'banner.openModels')),
      );
    } else if (current?.status === 'loading') {
      banner.dataset.kind = 'info';
      banner.append(h('p', {}, tr(ctx, 'banner.loading')));
    } else if (current?.status === 'error') {
      banner.dataset.kind = 'error';
      banner.append(h('p', {}, tr(ctx, 'banner.modelError'), ' ', current.error?.message ?? ''), h('button', { type: 'button', onclick: () => navigate('models') }, tr(ctx, 'banner.openModels')));
    }
    banner.hidden = banner.childElementCount === 0;
    modelBadge.textContent = current?.model ? `${current.model.family} · ${current.device}${current.model.fixture ? ' · fixture' : ''}` : '';
  }

  let healthTimer: ReturnType<typeof setTimeout> | null = null;
  async function refreshHealth(): Promise<void> {
    if (healthTimer) clearTimeout(healthTimer);
    try {
      const response = await fetch('/health', { cache: 'no-store' });
      const health = (await response.json()) as Health;
      renderBanner(health);
      // Poll while a load is under way, so the banner clears by itself.
      if (health.status === 'loading') healthTimer = setTimeout(() => void refreshHealth(), 1000);
    } catch {
      clear(banner);
      banner.dataset.kind = 'error';
      banner.append(h('p', {}, tr(ctx, 'banner.offline')));
      banner.hidden = false;
      healthTimer = setTimeout(() => void refreshHealth(), 5000);
    }
  }

  const pages = new Map<PageId, Page>();
  const main = h('main', { id: 'main', tabindex: -1 });
  const navButtons = new Map<PageId, HTMLAnchorElement>();

  function navigate(id: PageId): void {
    if (location.hash !== `#/${id}`) location.hash = `#/${id}`;
    else show(id);
  }

  function show(id: PageId): void {
    let page = pages.get(id);
    if (!page) {
      page = builders[id](ctx);
      pages.set(id, page);
      main.append(page.el);
    }
    for (const [other, p] of pages) p.el.hidden = other !== id;
    for (const [other, link] of navButtons) {
      if (other === id) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    }
    page.onShow?.();
  }

  const ctx: AppContext = { api, i18n, notify, describeError, navigate, refreshHealth };
  const builders: Record<PageId, (c: AppContext) => Page> = {
    transcribe: transcribePage,
    live: livePage,
    batch: batchPage,
    history: historyPage,
    hotwords: hotwordsPage,
    models: modelsPage,
    vad: vadPage,
  };

  const langSelect = h(
    'select',
    { id: 'ui-lang', 'data-i18n-aria-label': 'uiLang.label', 'aria-label': i18n.t('uiLang.label') },
    h('option', { value: 'zh-CN' }, '中文'),
    h('option', { value: 'en' }, 'English'),
  );
  langSelect.value = i18n.lang;
  langSelect.addEventListener('change', () => {
    i18n.lang = langSelect.value as UiLanguage;
    store(LANG_KEY, i18n.lang);
    document.documentElement.lang = i18n.lang;
    i18n.apply(document.body);
  });

  const saveToken = (): void => {
    store(TOKEN_KEY, tokenInput.value.trim());
    authBanner = 'none';
    renderBanner(null);
    notify(i18n.t('token.saved'), 'success');
    const current = PAGES.find((id) => location.hash === `#/${id}`) ?? 'transcribe';
    pages.get(current)?.onShow?.();
  };
  tokenInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') saveToken();
  });

  const nav = h(
    'nav',
    { 'data-i18n-aria-label': 'nav.label', 'aria-label': i18n.t('nav.label') },
    PAGES.map((id) => {
      const link = h('a', { href: `#/${id}`, id: `nav-${id}` }, tr(ctx, `nav.${id}`));
      navButtons.set(id, link);
      return link;
    }),
  );
  const modelBadge = h('span', { class: 'badge', id: 'model-badge' });
  const header = h(
    'header',
    {},
    h('div', { class: 'brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, '听'), h('div', {}, h('strong', {}, tr(ctx, 'app.title')), h('small', {}, tr(ctx, 'app.tagline'))), modelBadge),
    nav,
    h(
      'div',
      { class: 'settings' },
      h('label', { for: 'token', class: 'inline' }, tr(ctx, 'token.label'), tokenInput),
      h('button', { type: 'button', id: 'token-save', onclick: saveToken }, tr(ctx, 'token.save')),
      langSelect,
    ),
  );

  clear(root);
  root.append(h('a', { class: 'skip', href: '#main', onclick: (e: Event) => (e.preventDefault(), main.focus()) }, 'Skip to content'), header, banner, main, toasts);

  const route = (): void => {
    const id = PAGES.find((p) => location.hash === `#/${p}`) ?? 'transcribe';
    show(id);
  };
  window.addEventListener('hashchange', route);
  route();
  void refreshHealth();
}

start(document.getElementById('app')!);
