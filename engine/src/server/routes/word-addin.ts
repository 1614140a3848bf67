/**
 * Serves the Word add-in at `/addins/word/`: `taskpane.html`, `taskpane.js`, its CSS, the icons and
 * `manifest.xml`, from `addins/word/dist` (built by `node --import tsx addins/word/build.ts`). The pane
 * calls the engine from this same origin, so it needs no CORS configuration.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorCodes, TingxieError } from '../../errors.ts';

export const WORD_ADDIN_PREFIX = '/addins/word/';
export const WORD_ADDIN_DIST = fileURLToPath(new URL('../../../../addins/word/dist', import.meta.url));

export interface WordAddinRoutesOptions {
  /** The built add-in (default: addins/word/dist in this checkout). */
  distDir?: string;
}

const wordAddinRoutes: FastifyPluginAsync<WordAddinRoutesOptions> = async (app, opts) => {
  const root = opts.distDir ?? WORD_ADDIN_DIST;
  app.get('/addins/word', async (_request, reply) => reply.redirect(`${WORD_ADDIN_PREFIX}taskpane.html`));
  if (!existsSync(root)) {
    app.get(`${WORD_ADDIN_PREFIX}*`, async () => {
      throw new TingxieError(ErrorCodes.NOT_FOUND, 'The Word add-in is not built. Run: node --import tsx addins/word/build.ts');
    });
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: WORD_ADDIN_PREFIX,
    decorateReply: false,
    index: ['taskpane.html'],
    // Office caches add-in files hard; revalidate so an upgraded engine serves its new pane.
    cacheControl: false,
    setHeaders: (reply) => {
      reply.header('cache-control', 'no-cache');
    },
  });
};

export default wordAddinRoutes;
