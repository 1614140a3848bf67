/**
 * The engine's HTTP API as the WebUI uses it: bearer token from the token field, errors as `ApiError` with the
 * engine's stable codes, and Server-Sent Events read from a fetch stream (EventSource cannot send a token).
 */

import { parseSse, type SseEvent } from './sse.ts';

export type { SseEvent };

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    /** Seconds to wait before retrying (from Retry-After), when the engine said. */
    readonly retryAfterS: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class Api {
  constructor(
    private readonly token: () => string,
    /** Called with every ApiError (the shell shows token / model banners from them). */
    private readonly onError: (error: ApiError) => void = () => undefined,
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const token = this.token().trim();
    return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
  }

  /** fetch with the token; a non-2xx answer throws ApiError with the engine's code. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(path, { ...init, headers: this.headers((init.headers as Record<string, string> | undefined) ?? {}) });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      const failure = new ApiError('NETWORK', error instanceof Error ? error.message : String(error), 0);
      this.onError(failure);
      throw failure;
    }
    if (response.ok) return response;
    let code = `HTTP_${response.status}`;
    let message = response.statusText;
    try {
      const body = (await response.json()) as { error?: { code?: string; message?: string } };
      if (body.error?.code) code = body.error.code;
      if (body.error?.message) message = body.error.message;
    } catch {
      // Not an engine error body: keep the HTTP status.
    }
    const retryAfter = Number(response.headers.get('retry-after'));
    const failure = new ApiError(code, message, response.status, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
    this.onError(failure);
    throw failure;
  }

  async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    return (await (await this.request(path, init)).json()) as T;
  }

  async sendJson<T>(method: string, path: string, body: unknown): Promise<T> {
    return this.json<T>(path, { method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  }

  /** Reads an SSE response, calling `onEvent` per event, until the server ends it or `signal` aborts. */
  async sse(path: string, init: RequestInit, onEvent: (event: SseEvent) => void): Promise<void> {
    const response = await this.request(path, { ...init, headers: { accept: 'text/event-stream', ...((init.headers as Record<string, string> | undefined) ?? {}) } });
    if (!response.body) return;
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      const parsed = parseSse(buffer + value);
      buffer = parsed.rest;
      for (const event of parsed.events) onEvent(event);
    }
  }

  /** The WebSocket URL of `path` on this engine, with the token as a query parameter (browsers cannot set headers there). */
  socketUrl(path: string): string {
    const url = new URL(path, location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = this.token().trim();
    if (token) url.searchParams.set('token', token);
    return url.toString();
  }
}
