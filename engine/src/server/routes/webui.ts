/**
 * Serves the WebUI bundle (`engine/webui/dist`, built by `npm run build`) at `/`:
 *   GET /            index.html (revalidated every time, so a rebuilt bundle is picked up at once)
 *   GET /assets/*    hashed bundle files, cached for a year (their names change with their content)
 * Only these two routes: `/api`, `/v1`, `/health` and `/addins` stay with their own plugins. The bundle is looked
 * up per request, so building after the engine started works; without it `/` answers a 503 page that says how
 * to build it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

export interface WebuiRoutesOptions {
  /** The built bundle's folder (default: `engine/webui/dist` in this checkout). */
  distDir?: string;
}

export const DEFAULT_WEBUI_DIST = fileURLToPath(new URL('../../../webui/dist/', import.meta.url));

const YEAR_S = 365 * 24 * 3600;

const MISSING_BUNDLE_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tingxie WebUI not built</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:4em auto;padding:0 1em;color:#222}code{background:#eee;padding:.1em .3em;border-radius:3px}</style></head>
<body><h1>The WebUI is not built / WebUI 尚未构建</h1>
<p>The engine is running, but the WebUI bundle is missing. In the Tingxie folder run <code>npm run build</code>, then reload this page.</p>
<p>引擎正在运行，但缺少 WebUI 文件。请在 Tingxie 目录中运行 <code>npm run build</code>，然后刷新本页。</p>
<p>The API works without it: <a href="/health">/health</a>.</p></body></html>
`;

const webuiRoutes: FastifyPluginAsync<WebuiRoutesOptions> = async (app, opts) => {
  const distDir = opts.distDir ?? DEFAULT_WEBUI_DIST;
  // serve:false: only `reply.sendFile`; the routes below are the only ones this plugin adds.
  await app.register(fastifyStatic, { root: distDir, serve: false, suppressWarning: true });

  app.get('/', async (_request, reply) => {
    if (!existsSync(join(distDir, 'index.html'))) {
      return reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(MISSING_BUNDLE_PAGE);
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html', { cacheControl: false });
  });

  app.get<{ Params: { '*': string } }>('/assets/*', async (request, reply) => {
    const name = request.params['*'];
    if (!/^[A-Za-z0-9._-]+$/.test(name) || !existsSync(join(distDir, 'assets', name))) return reply.callNotFound();
    return reply.header('cache-control', `public, max-age=${YEAR_S}, immutable`).sendFile(`assets/${name}`, { cacheControl: false });
  });
};

export default webuiRoutes;
