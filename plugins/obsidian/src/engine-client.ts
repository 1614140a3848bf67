/**
 * The engine's HTTP API through Obsidian's `requestUrl`: multipart bodies built by hand into an ArrayBuffer
 * (requestUrl takes no FormData), errors turned into `EngineError`s whose message says what to do.
 */
import type { RequestUrlFn, RequestUrlResult } from './ports.ts';
import { hotwordList, type TingxieSettings } from './settings.ts';
import type { Transcript } from './transcript-format.ts';

/** Codes the plugin adds to the engine's own (engine/src/errors.ts). */
export const CLIENT_ERROR_CODES = { ENGINE_UNREACHABLE: 'ENGINE_UNREACHABLE', BAD_RESPONSE: 'BAD_RESPONSE' } as const;

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    /** The engine's stable error code, or one of CLIENT_ERROR_CODES. */
    readonly code: string,
    message: string,
    /** HTTP status; null when the engine was not reached. */
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface MultipartFile {
  name: string;
  contentType: string;
  data: ArrayBuffer | Uint8Array;
}

/**
 * A multipart/form-data body: text `fields` then `file` (as field "file"), encoded the way browsers encode
 * FormData (UTF-8 names), so non-ASCII file names arrive intact.
 */
export function buildMultipart(fields: Record<string, string>, file: MultipartFile | null, boundary: string): { body: ArrayBuffer; contentType: string } {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const quote = (s: string): string => s.replace(/[\r\n"\\]/g, '_');
  for (const [name, value] of Object.entries(fields)) {
    parts.push(encoder.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    // As browsers send it: UTF-8 as is, only `"`, CR and LF percent-escaped (what the engine's parser expects).
    const fileName = file.name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    const disposition = `form-data; name="file"; filename="${fileName}"`;
    parts.push(encoder.encode(`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${file.contentType}\r\n\r\n`));
    parts.push(file.data instanceof Uint8Array ? file.data : new Uint8Array(file.data));
    parts.push(encoder.encode('\r\n'));
  }
  parts.push(encoder.encode(`--${boundary}--\r\n`));
  const body = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    body.set(part, offset);
    offset += part.length;
  }
  return { body: body.buffer, contentType: `multipart/form-data; boundary=${boundary}` };
}

const MIME_BY_EXTENSION: Record<string, string> = {
  mp3: 'audio/mpeg', wav: 'audio/wav', m4a: 'audio/mp4', ogg: 'audio/ogg', oga: 'audio/ogg', opus: 'audio/ogg',
  flac: 'audio/flac', webm: 'audio/webm', '3gp': 'audio/3gpp', aac: 'audio/aac',
};

export function audioMimeType(fileName: string): string {
  const extension = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  return MIME_BY_EXTENSION[extension] ?? 'application/octet-stream';
}

/** What the user should do about an engine error, by code. */
function advice(code: string, settings: TingxieSettings): string {
  switch (code) {
    case CLIENT_ERROR_CODES.ENGINE_UNREACHABLE:
      return `Start it with "tingxie serve", or fix the engine URL in Settings → Tingxie.`;
    case 'AUTH_REQUIRED':
    case 'AUTH_INVALID':
      return settings.token === ''
        ? 'The engine needs a token: copy it from the engine\'s data folder (file "token") into Settings → Tingxie → Token.'
        : 'Check the token in Settings → Tingxie (the engine\'s data folder has it in the file "token").';
    case 'MODEL_NOT_LOADED':
    case 'MODEL_NOT_FOUND':
      return 'Install a model with "tingxie models pull", then restart "tingxie serve".';
    case 'ORIGIN_NOT_ALLOWED':
      return 'Allow Obsidian\'s origin in the engine\'s configuration.';
    case 'AUDIO_UNSUPPORTED':
    case 'AUDIO_NOT_AUDIO':
    case 'AUDIO_DECODE_FAILED':
    case 'AUDIO_NO_STREAM':
    case 'FFMPEG_NOT_FOUND':
      return 'Convert the file to WAV or MP3, or install ffmpeg on the engine\'s machine.';
    case 'PAYLOAD_TOO_LARGE':
      return 'Split the recording, or raise the engine\'s upload limit.';
    case 'SERVER_BUSY':
    case 'RATE_LIMITED':
      return 'The engine is busy; try again in a moment.';
    default:
      return '';
  }
}

export interface MinutesResult {
  /** The engine's Minutes object (engine/src/minutes/types.ts); read by minutes.ts. */
  minutes: unknown;
  markdown: string;
  historyId: number | null;
}

export type MinutesSource = { historyId: number } | { audio: ArrayBuffer; fileName: string };

export class EngineClient {
  constructor(
    private readonly requestUrl: RequestUrlFn,
    private readonly settings: () => TingxieSettings,
    /** Multipart boundaries (random in the plugin). */
    private readonly boundary: () => string = () => `----tingxie${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`,
  ) {}

  private baseUrl(): string {
    return this.settings().engineUrl.trim().replace(/\/+$/, '');
  }

  private async send(path: string, method: string, body?: { data: string | ArrayBuffer; contentType: string }): Promise<RequestUrlResult> {
    const settings = this.settings();
    const headers: Record<string, string> = {};
    if (settings.token.trim() !== '') headers.Authorization = `Bearer ${settings.token.trim()}`;
    let response: RequestUrlResult;
    try {
      response = await this.requestUrl({
        url: `${this.baseUrl()}${path}`,
        method,
        headers,
        throw: false,
        ...(body ? { body: body.data, contentType: body.contentType } : {}),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new EngineError(CLIENT_ERROR_CODES.ENGINE_UNREACHABLE, `Cannot reach the Tingxie engine at ${this.baseUrl()} (${reason}). ${advice(CLIENT_ERROR_CODES.ENGINE_UNREACHABLE, settings)}`, null);
    }
    if (response.status >= 400) {
      let code = `HTTP_${response.status}`;
      let message = `The engine answered ${response.status}.`;
      try {
        const parsed = JSON.parse(response.text) as { error?: { code?: unknown; message?: unknown } };
        if (typeof parsed.error?.code === 'string') code = parsed.error.code;
        if (typeof parsed.error?.message === 'string') message = parsed.error.message;
      } catch {
        // Not the engine's JSON error body (a proxy, another server on that port): keep the status.
      }
      const hint = advice(code, settings);
      throw new EngineError(code, hint === '' ? message : `${message} ${hint}`, response.status);
    }
    return response;
  }

  private transcriptionFields(): Record<string, string> {
    const settings = this.settings();
    const fields: Record<string, string> = { response_format: 'verbose_json', language: settings.language, itn: String(settings.itn) };
    const hotwords = hotwordList(settings.hotwords);
    if (hotwords.length > 0) fields.hotwords = JSON.stringify(hotwords);
    return fields;
  }

  /** `POST /v1/audio/transcriptions` with verbose_json: text, timed segments, the history id. */
  async transcribe(audio: ArrayBuffer, fileName: string): Promise<Transcript> {
    const { body, contentType } = buildMultipart(this.transcriptionFields(), { name: fileName, contentType: audioMimeType(fileName), data: audio }, this.boundary());
    const response = await this.send('/v1/audio/transcriptions', 'POST', { data: body, contentType });
    const json = parseJson(response.text) as { text?: unknown; duration?: unknown; segments?: unknown };
    if (typeof json.text !== 'string' || !Array.isArray(json.segments)) throw new EngineError(CLIENT_ERROR_CODES.BAD_RESPONSE, 'The engine\'s answer has no transcript; is the engine URL a Tingxie server?', response.status);
    const segments = (json.segments as { start?: unknown; end?: unknown; text?: unknown }[]).map((s) => ({
      start: typeof s.start === 'number' ? s.start : 0,
      end: typeof s.end === 'number' ? s.end : 0,
      text: typeof s.text === 'string' ? s.text : '',
    }));
    return { text: json.text, segments, duration: typeof json.duration === 'number' ? json.duration : 0, historyId: historyIdHeader(response.headers) };
  }

  /** `POST /api/minutes` from a saved transcription (`historyId`) or an upload. */
  async minutes(source: MinutesSource, opts: { date?: string; title?: string } = {}): Promise<MinutesResult> {
    let response: RequestUrlResult;
    if ('historyId' in source) {
      response = await this.send('/api/minutes', 'POST', { data: JSON.stringify({ historyId: source.historyId, ...opts }), contentType: 'application/json' });
    } else {
      const settings = this.settings();
      const fields: Record<string, string> = { itn: String(settings.itn), ...opts };
      const hotwords = hotwordList(settings.hotwords);
      if (hotwords.length > 0) fields.hotwords = JSON.stringify(hotwords);
      const { body, contentType } = buildMultipart(fields, { name: source.fileName, contentType: audioMimeType(source.fileName), data: source.audio }, this.boundary());
      response = await this.send('/api/minutes', 'POST', { data: body, contentType });
    }
    const json = parseJson(response.text) as { minutes?: unknown; markdown?: unknown; historyId?: unknown };
    if (typeof json.minutes !== 'object' || json.minutes === null) throw new EngineError(CLIENT_ERROR_CODES.BAD_RESPONSE, 'The engine\'s answer has no minutes.', response.status);
    return { minutes: json.minutes, markdown: typeof json.markdown === 'string' ? json.markdown : '', historyId: typeof json.historyId === 'number' ? json.historyId : null };
  }

  /** `GET /health` as a short sentence for the settings tab ("Ready", "Loading the model", …). */
  async health(): Promise<string> {
    let response: RequestUrlResult;
    try {
      response = await this.requestUrl({ url: `${this.baseUrl()}/health`, method: 'GET', throw: false });
    } catch (error) {
      throw new EngineError(CLIENT_ERROR_CODES.ENGINE_UNREACHABLE, `Cannot reach the Tingxie engine at ${this.baseUrl()} (${error instanceof Error ? error.message : String(error)}). ${advice(CLIENT_ERROR_CODES.ENGINE_UNREACHABLE, this.settings())}`, null);
    }
    const status = (parseJson(response.text) as { status?: unknown }).status;
    if (status === 'ok') return 'Ready';
    if (status === 'loading') return 'Loading the model';
    if (status === 'no_model') return 'No model installed';
    return 'Model failed to load';
  }

  /** URL of the streaming socket (ws: or wss:), the token as a query parameter (browsers cannot set headers). */
  streamUrl(): string {
    const url = new URL(`${this.baseUrl()}/api/stream`);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = this.settings().token.trim();
    if (token !== '') url.searchParams.set('token', token);
    return url.toString();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new EngineError(CLIENT_ERROR_CODES.BAD_RESPONSE, 'The engine\'s answer is not JSON; is the engine URL a Tingxie server?', null);
  }
}

function historyIdHeader(headers: Record<string, string>): number | null {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === 'x-tingxie-history-id');
  const id = entry ? Number(entry[1]) : NaN;
  return Number.isInteger(id) && id > 0 ? id : null;
}
