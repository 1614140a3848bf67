/**
 * Request guards, in this order on every request:
 *  1. IP allowlist (403 IP_NOT_ALLOWED) — loopback is always allowed;
 *  2. Origin: a request whose Origin header is not allowed is refused (403 ORIGIN_NOT_ALLOWED), not merely
 *     left without CORS headers, since browsers run "simple" cross-origin requests anyway;
 *  3. rate limit per client IP (429 RATE_LIMITED);
 *  4. bearer token, when one is configured, on every route but /health and CORS preflights (401).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { BlockList, isIP } from 'node:net';
import { join } from 'node:path';
import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import { isLoopbackHost } from '../config.ts';

/** Origins allowed without configuration besides the engine's own (see `builtInOrigins`). */
export const OBSIDIAN_ORIGINS = ['app://obsidian.md', 'capacitor://localhost', 'http://localhost'] as const;

/** Routes reachable without a token. */
const PUBLIC_PATHS = new Set(['/health', '/', '/index.html']);
/** Static client files (the WebUI and the Word task pane): no data in them, and the pages ask for the token. */
const PUBLIC_PREFIXES = ['/assets/', '/addins/word/'];

/** Paths answered without a token and outside the rate limit. */
export function isPublicPath(url: string): boolean {
  const path = url.split('?')[0]!;
  return PUBLIC_PATHS.has(path) || PUBLIC_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** The built-in allowed origins for an engine listening on `port`. */
export function builtInOrigins(port: number): string[] {
  const own = ['http', 'https'].flatMap((scheme) => [`${scheme}://127.0.0.1:${port}`, `${scheme}://localhost:${port}`]);
  return [...OBSIDIAN_ORIGINS, ...own];
}

/** An IP allowlist from addresses and CIDRs; `null` when the list is empty (everyone allowed). */
export function buildAllowList(entries: readonly string[]): BlockList | null {
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address!) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(prefix), family);
  }
  return list;
}

/** Whether `ip` (as the socket reports it, IPv4-mapped IPv6 included) is allowed. */
export function ipAllowed(list: BlockList | null, ip: string): boolean {
  if (list === null || isLoopbackHost(ip)) return true;
  const mapped = ip.toLowerCase().startsWith('::ffff:') ? ip.slice(7) : ip;
  const family = isIP(mapped);
  if (family === 0) return false;
  return list.check(mapped, family === 6 ? 'ipv6' : 'ipv4') || (mapped !== ip && list.check(ip, 'ipv6'));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Constant-time token comparison (compares digests, so lengths leak nothing either). */
export function tokenMatches(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}

/** The token a request carries: `Authorization: Bearer T`; WebSocket upgrades may pass `?token=T` (browsers cannot set headers there). */
export function requestToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match ? match[1]! : '';
  }
  if (request.headers.upgrade?.toLowerCase() === 'websocket') {
    const query = request.url.split('?')[1];
    const token = query ? new URLSearchParams(query).get('token') : null;
    if (token) return token;
  }
  return null;
}

export interface TokenFile {
  token: string;
  path: string;
  /** True when this call created the file. */
  generated: boolean;
}

/** The token stored in `<dataDir>/token` (owner-only), generated on first use. */
export async function ensureTokenFile(dataDir: string): Promise<TokenFile> {
  const path = join(dataDir, 'token');
  const existing = await readFile(path, 'utf8').then(
    (text) => text.trim(),
    () => null,
  );
  if (existing !== null && existing.length >= 16 && !/\s/.test(existing)) {
    await chmod(path, 0o600).catch(() => undefined);
    return { token: existing, path, generated: false };
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const token = randomBytes(32).toString('base64url');
  await writeFile(path, `${token}\n`, { mode: 0o600 });
  await chmod(path, 0o600).catch(() => undefined);
  return { token, path, generated: true };
}

function localPort(request: FastifyRequest): number | null {
  const port = request.socket?.localPort;
  return typeof port === 'number' && port > 0 ? port : null;
}

async function security(app: FastifyInstance): Promise<void> {
  const config = app.config;
  const allowList = buildAllowList(config.allowIps);
  const extraOrigins = new Set(config.corsOrigins);

  const originAllowed = (origin: string, request: FastifyRequest): boolean => {
    if (extraOrigins.has(origin)) return true;
    const ports = new Set([config.port, localPort(request)].filter((p): p is number => p !== null && p > 0));
    if ((OBSIDIAN_ORIGINS as readonly string[]).includes(origin)) return true;
    for (const port of ports) if (builtInOrigins(port).includes(origin)) return true;
    return false;
  };

  app.addHook('onRequest', async (request) => {
    if (!ipAllowed(allowList, request.ip)) {
      throw new TingxieError(ErrorCodes.IP_NOT_ALLOWED, 'Requests from this address are not allowed by the server configuration.');
    }
    const origin = request.headers.origin;
    if (typeof origin === 'string' && !originAllowed(origin, request)) {
      throw new TingxieError(ErrorCodes.ORIGIN_NOT_ALLOWED, `Origin ${origin.slice(0, 100)} is not allowed. Add it to corsOrigins to allow it.`);
    }
  });

  await app.register(cors, {
    delegator: (request, callback) => {
      const origin = request.headers.origin;
      const allowed = typeof origin === 'string' && originAllowed(origin, request as unknown as FastifyRequest);
      callback(null, {
        origin: allowed,
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
        allowedHeaders: ['Authorization', 'Content-Type'],
        exposedHeaders: ['X-Tingxie-History-Id', 'Retry-After'],
        maxAge: 600,
      });
    },
  });

  await app.register(rateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // CORS preflights and health checks are cheap and must not eat the budget.
    allowList: (request: FastifyRequest) => request.method === 'OPTIONS' || isPublicPath(request.url),
    errorResponseBuilder: (_request, context) =>
      new TingxieError(ErrorCodes.RATE_LIMITED, `Rate limit of ${context.max} requests per minute exceeded; retry in ${Math.ceil(context.ttl / 1000)} s.`, {
        retryAfterS: Math.ceil(context.ttl / 1000),
      }),
  });

  const token = config.token;
  if (token) {
    app.addHook('onRequest', async (request) => {
      if (request.method === 'OPTIONS' || isPublicPath(request.url)) return;
      const given = requestToken(request);
      if (given === null) throw new TingxieError(ErrorCodes.AUTH_REQUIRED, 'This server requires a bearer token: send "Authorization: Bearer <token>".');
      if (!tokenMatches(token, given)) throw new TingxieError(ErrorCodes.AUTH_INVALID, 'The bearer token is not valid.');
    });
  }
}

export default fp(security, { name: 'tingxie-security', fastify: '5.x' });
