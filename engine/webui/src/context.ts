/** What every page gets from the shell: the API client, translations, notices and navigation. */
import type { Api } from './api.ts';
import type { I18n, Key } from './i18n.ts';

export type PageId = 'transcribe' | 'live' | 'batch' | 'history' | 'hotwords' | 'models' | 'vad';

export interface AppContext {
  api: Api;
  i18n: I18n;
  /** A short message at the bottom of the screen (announced to screen readers). */
  notify: (message: string, kind?: 'info' | 'error' | 'success') => void;
  /** A readable message for any error, with the engine's code translated where we know it. */
  describeError: (error: unknown) => string;
  navigate: (page: PageId) => void;
  /** Re-reads /health (after a model load or pull). */
  refreshHealth: () => Promise<void>;
}

export interface Page {
  el: HTMLElement;
  /** Called each time the page is shown. */
  onShow?: () => void;
}

/** A span whose text follows the UI language. */
export function tr(ctx: AppContext, key: Key): HTMLSpanElement {
  const span = document.createElement('span');
  span.dataset.i18n = key;
  span.textContent = ctx.i18n.t(key);
  return span;
}

/** The engine's transcription languages. */
export const LANGUAGES = ['auto', 'zh', 'en', 'ja', 'ko', 'yue'] as const;
