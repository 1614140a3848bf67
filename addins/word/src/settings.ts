/**
 * The pane's settings and where they are kept: Office's roaming settings inside Office (they follow the
 * user between machines), localStorage elsewhere. Both behind `KeyValueStore`.
 */
import { INSERT_FORMATS, type InsertFormat } from './format.ts';
import type { UiLanguage } from './i18n.ts';

export interface PaneSettings {
  engineUrl: string;
  token: string;
  /** auto | zh | en | ja | ko | yue */
  language: string;
  itn: boolean;
  format: InsertFormat;
  uiLanguage: UiLanguage;
}

export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): Promise<void>;
}

const KEY = 'tingxie.word.settings';

export const SPEECH_LANGUAGES = ['auto', 'zh', 'en', 'ja', 'ko', 'yue'] as const;

export function defaultSettings(engineUrl: string, uiLanguage: UiLanguage): PaneSettings {
  return { engineUrl, token: '', language: 'auto', itn: true, format: 'paragraphs', uiLanguage };
}

/** Stored settings over the defaults; anything malformed falls back to its default. */
export function loadSettings(store: KeyValueStore, defaults: PaneSettings): PaneSettings {
  const raw = store.get(KEY);
  if (!raw) return { ...defaults };
  let parsed: Partial<Record<keyof PaneSettings, unknown>>;
  try {
    parsed = JSON.parse(raw) as Partial<Record<keyof PaneSettings, unknown>>;
  } catch {
    return { ...defaults };
  }
  const text = (value: unknown, fallback: string): string => (typeof value === 'string' ? value : fallback);
  return {
    engineUrl: text(parsed.engineUrl, defaults.engineUrl).trim() || defaults.engineUrl,
    token: text(parsed.token, defaults.token),
    language: (SPEECH_LANGUAGES as readonly string[]).includes(text(parsed.language, '')) ? text(parsed.language, '') : defaults.language,
    itn: typeof parsed.itn === 'boolean' ? parsed.itn : defaults.itn,
    format: (INSERT_FORMATS as readonly string[]).includes(text(parsed.format, '')) ? (parsed.format as InsertFormat) : defaults.format,
    uiLanguage: parsed.uiLanguage === 'zh' || parsed.uiLanguage === 'en' ? parsed.uiLanguage : defaults.uiLanguage,
  };
}

export async function saveSettings(store: KeyValueStore, settings: PaneSettings): Promise<void> {
  await store.set(KEY, JSON.stringify(settings));
}
