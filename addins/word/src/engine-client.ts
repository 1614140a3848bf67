/**
 * The engine's HTTP API as the pane uses it, with failures turned into `PaneError`s that carry a message
 * key (what to tell the user) rather than raw status codes.
 */
import type { Minutes } from '../../../engine/src/minutes/types.ts';
import type { TimedText } from './format.ts';
import { PaneError, keyForErrorCode } from './pane-errors.ts';

export { PaneError, keyForErrorCode };

export interface EngineErrorBody {
  error?: { code?: string; message?: string };
}

function errorFromBody(status: number, bodyText: string): PaneError {
  let body: EngineErrorBody = {};
  try {
    body = JSON.parse(bodyText) as EngineErrorBody;
  } catch {
    // Not JSON (a proxy's page): keep the status.
  }
  return new PaneError(keyForErrorCode(body.error?.code, status), { message: body.error?.message ?? `HTTP ${status}` });
}

export interface VerboseTranscription {
  text: string;
  segments?: TimedText[];
  duration?: number;
}

export interface TranscribeOutcome {
  result: { text: string; segments: TimedText[] };
  historyId: number | null;
}

export interface MinutesResponse {
  minutes: Minutes;
  markdown: string;
  historyId: number | null;
}

export interface HotwordsResponse {
  text: string;
}

export interface HealthResponse {
  status: string;
}

export class EngineClient {
  readonly baseUrl: string;

  constructor(
    engineUrl: string,
    private readonly token: string,
  ) {
    this.baseUrl = engineUrl.replace(/\/+$/, '');
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.token ? { ...extra, authorization: `Bearer ${this.token}` } : extra;
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new PaneError('errUnreachable', { url: this.baseUrl });
    }
    const text = await response.text();
    if (!response.ok) throw errorFromBody(response.status, text);
    return JSON.parse(text) as T;
  }

  /** Resolves when the engine is up with a model loaded (a token-free route, then one that checks the token). */
  async check(): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/health`);
    } catch {
      throw new PaneError('errUnreachable', { url: this.baseUrl });
    }
    const health = (await response.json().catch(() => ({ status: 'unknown' }))) as HealthResponse;
    if (health.status === 'no_model' || health.status === 'error') throw new PaneError('errNoModel');
    await this.getHotwords();
  }

  getHotwords(): Promise<HotwordsResponse> {
    return this.request<HotwordsResponse>('GET', '/api/hotwords');
  }

  putHotwords(text: string): Promise<HotwordsResponse> {
    return this.request<HotwordsResponse>('PUT', '/api/hotwords', { text });
  }

  minutesFromHistory(historyId: number, language: string): Promise<MinutesResponse> {
    return this.request<MinutesResponse>('POST', '/api/minutes', { historyId, ...minutesLanguage(language) });
  }

  /** Uploads with XMLHttpRequest (fetch has no upload progress); `onProgress` gets 0..1. */
  private upload(path: string, form: FormData, onProgress: (fraction: number) => void): Promise<{ status: number; body: string; historyId: string | null }> {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${this.baseUrl}${path}`);
      for (const [name, value] of Object.entries(this.headers())) xhr.setRequestHeader(name, value);
      xhr.upload.onprogress = (event) => {
        if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
      };
      xhr.upload.onload = () => onProgress(1);
      xhr.onload = () => resolve({ status: xhr.status, body: xhr.responseText, historyId: xhr.getResponseHeader('x-tingxie-history-id') });
      xhr.onerror = () => reject(new PaneError('errUnreachable', { url: this.baseUrl }));
      xhr.send(form);
    });
  }

  async transcribe(file: Blob, fileName: string, opts: { language: string; itn: boolean }, onProgress: (fraction: number) => void): Promise<TranscribeOutcome> {
    const form = new FormData();
    form.append('file', file, fileName);
    form.append('response_format', 'verbose_json');
    form.append('timestamp_granularities[]', 'segment');
    form.append('language', opts.language);
    form.append('itn', String(opts.itn));
    const response = await this.upload('/v1/audio/transcriptions', form, onProgress);
    if (response.status < 200 || response.status >= 300) throw errorFromBody(response.status, response.body);
    const body = JSON.parse(response.body) as VerboseTranscription;
    const segments = (body.segments ?? []).map((segment) => ({ start: segment.start, end: segment.end, text: segment.text }));
    const historyId = response.historyId ? Number(response.historyId) : null;
    return { result: { text: body.text, segments }, historyId: Number.isInteger(historyId) ? historyId : null };
  }

  async minutesFromFile(file: Blob, fileName: string, opts: { language: string; itn: boolean }, onProgress: (fraction: number) => void): Promise<MinutesResponse> {
    const form = new FormData();
    form.append('file', file, fileName);
    form.append('itn', String(opts.itn));
    const language = minutesLanguage(opts.language).language;
    if (language) form.append('language', language);
    const response = await this.upload('/api/minutes', form, onProgress);
    if (response.status < 200 || response.status >= 300) throw errorFromBody(response.status, response.body);
    return JSON.parse(response.body) as MinutesResponse;
  }

  /** The streaming socket's URL (browsers cannot set headers on WebSockets: the token goes in the query). */
  streamUrl(): string {
    const url = new URL(`${this.baseUrl}/api/stream`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (this.token) url.searchParams.set('token', this.token);
    return url.toString();
  }
}

/** Minutes take auto | zh | en; other speech languages leave it to detection. */
function minutesLanguage(language: string): { language?: 'auto' | 'zh' | 'en' } {
  return language === 'zh' || language === 'en' ? { language } : {};
}
