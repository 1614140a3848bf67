/** Which UI language to start in. Pure (unit-tested under Node). */

export type UiLanguage = 'zh-CN' | 'en';

/** The UI language for a browser language list: Chinese browsers get zh-CN, everyone else English. */
export function pickLanguage(stored: string | null, browser: readonly string[]): UiLanguage {
  if (stored === 'zh-CN' || stored === 'en') return stored;
  return browser[0]?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
