import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny HTTP server on 127.0.0.1 (random port) for download tests: serves byte buffers with
 * Range support, can ignore Range, cut the connection part-way, answer with a status, or
 * redirect. Every request is recorded so tests can assert what the client sent.
 */

export type RouteBehaviour =
  | {
      readonly kind: 'file';
      readonly body: Buffer;
      /** Answer 200 with the whole body even when a Range was asked for. */
      readonly ignoreRange?: boolean;
      /** Send headers for the full response, then only this many body bytes, then destroy the socket. */
      readonly cutAfterBytes?: number;
      /** Send headers for the full response, then only this many body bytes, then nothing (the client must give up). */
      readonly stallAfterBytes?: number;
      readonly etag?: string;
    }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'redirect'; readonly status?: 301 | 302 | 303 | 307 | 308; readonly location: string };

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly range: string | null;
  readonly ifRange: string | null;
}

export interface FixtureServer {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  setRoute(path: string, behaviour: RouteBehaviour): void;
  close(): Promise<void>;
}

export async function startFixtureServer(): Promise<FixtureServer> {
  const routes = new Map<string, RouteBehaviour>();
  const requests: RecordedRequest[] = [];

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const range = typeof req.headers.range === 'string' ? req.headers.range : null;
    const ifRange = typeof req.headers['if-range'] === 'string' ? req.headers['if-range'] : null;
    requests.push({ method: req.method ?? 'GET', path, range, ifRange });
    const route = routes.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    if (route.kind === 'status') {
      res.writeHead(route.status, { 'content-type': 'text/plain' }).end(`status ${route.status}`);
      return;
    }
    if (route.kind === 'redirect') {
      res.writeHead(route.status ?? 302, { location: route.location }).end();
      return;
    }
    serveFile(route, range, res);
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    setRoute(path, behaviour) {
      routes.set(path, behaviour);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function serveFile(route: Extract<RouteBehaviour, { kind: 'file' }>, range: string | null, res: ServerResponse): void {
  const size = route.body.length;
  const headers: Record<string, string | number> = { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes' };
  if (route.etag) headers.etag = route.etag;
  let start = 0;
  let status = 200;
  const match = range && !route.ignoreRange ? /^bytes=(\d+)-$/.exec(range) : null;
  if (match) {
    start = Number(match[1]);
    if (start >= size) {
      res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
      return;
    }
    status = 206;
    headers['content-range'] = `bytes ${start}-${size - 1}/${size}`;
  }
  const body = route.body.subarray(start);
  headers['content-length'] = body.length;
  res.writeHead(status, headers);
  if (route.cutAfterBytes !== undefined && route.cutAfterBytes < body.length) {
    res.write(body.subarray(0, route.cutAfterBytes), () => {
      // Give the bytes a moment on the wire, then drop the connection mid-body.
      setTimeout(() => res.socket?.destroy(), 20);
    });
    return;
  }
  if (route.stallAfterBytes !== undefined && route.stallAfterBytes < body.length) {
    res.write(body.subarray(0, route.stallAfterBytes));
    return;
  }
  res.end(body);
}
