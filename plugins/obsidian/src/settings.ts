/** Plugin settings: what the settings tab edits and `loadData`/`saveData` persist. */

export const LANGUAGES = ['auto', 'zh', 'en', 'ja', 'ko', 'yue'] as const;
export type Language = (typeof LANGUAGES)[number];

export const TIMESTAMP_FORMATS = ['mm:ss', 'hh:mm:ss', 'seconds'] as const;
export type TimestampFormat = (typeof TIMESTAMP_FORMATS)[number];

/** Callout fold state: '' always open, '-' folded, '+' open but foldable. */
export const CALLOUT_FOLDS = ['', '-', '+'] as const;
export type CalloutFold = (typeof CALLOUT_FOLDS)[number];

export interface TingxieSettings {
  /** Base URL of `tingxie serve`, e.g. http://127.0.0.1:8765 */
  engineUrl: string;
  /** Bearer token ('' when the engine needs none). */
  token: string;
  language: Language;
  /** Written form (digits, dates). */
  itn: boolean;
  /** One per line (or comma separated), sent with every request. */
  hotwords: string;
  /** Body of transcript notes: {{text}}, {{segments}}, {{file}}, {{date}}. */
  transcriptTemplate: string;
  timestampFormat: TimestampFormat;
  /** Callout type used for transcripts, e.g. `transcript` → `> [!transcript]`. */
  calloutType: string;
  calloutFold: CalloutFold;
  /** Transcribe attachments again even when the note already has their transcript. */
  redoTranscribed: boolean;
}

export const DEFAULT_TEMPLATE = ['---', 'source: "[[{{file}}]]"', 'date: {{date}}', '---', '', '{{segments}}', ''].join('\n');

export const DEFAULT_SETTINGS: TingxieSettings = {
  engineUrl: 'http://127.0.0.1:8765',
  token: '',
  language: 'auto',
  itn: true,
  hotwords: '',
  transcriptTemplate: DEFAULT_TEMPLATE,
  timestampFormat: 'mm:ss',
  calloutType: 'transcript',
  calloutFold: '-',
  redoTranscribed: false,
};

/** Settings from saved data: known fields of the right type over the defaults (older or hand-edited data). */
export function mergeSettings(saved: unknown): TingxieSettings {
  const out: TingxieSettings = { ...DEFAULT_SETTINGS };
  if (typeof saved !== 'object' || saved === null) return out;
  const data = saved as Record<string, unknown>;
  const str = (key: 'engineUrl' | 'token' | 'hotwords' | 'transcriptTemplate' | 'calloutType'): void => {
    if (typeof data[key] === 'string') out[key] = data[key];
  };
  str('engineUrl');
  str('token');
  str('hotwords');
  str('transcriptTemplate');
  str('calloutType');
  if (typeof data.itn === 'boolean') out.itn = data.itn;
  if (typeof data.redoTranscribed === 'boolean') out.redoTranscribed = data.redoTranscribed;
  if ((LANGUAGES as readonly unknown[]).includes(data.language)) out.language = data.language as Language;
  if ((TIMESTAMP_FORMATS as readonly unknown[]).includes(data.timestampFormat)) out.timestampFormat = data.timestampFormat as TimestampFormat;
  if ((CALLOUT_FOLDS as readonly unknown[]).includes(data.calloutFold)) out.calloutFold = data.calloutFold as CalloutFold;
  if (!/^[\w-]+$/.test(out.calloutType)) out.calloutType = DEFAULT_SETTINGS.calloutType;
  return out;
}

/** Hotwords from the settings text: one per line or comma separated, blanks dropped. */
export function hotwordList(text: string): string[] {
  return text
    .split(/[,，\n\r]+/)
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}
