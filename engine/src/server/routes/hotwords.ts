/**
 * The saved hotword list, shared with the CLI (`tingxie hotwords`) and merged under every request's own list.
 *   GET  /api/hotwords                    → { hotwords: [{phrase, weight}], replacements: [{from, to}], text }
 *   PUT  /api/hotwords  { text } | { hotwords, replacements }   replaces it (FunASR lines or structured)
 *   GET  /api/hotwords/export             → the FunASR-style text file
 */
import type { FastifyPluginAsync } from 'fastify';
import { parseHotwords, type HotwordList } from '../../text/hotwords/list.ts';
import { formatHotwords, loadSavedHotwords, saveHotwords } from '../../text/hotwords/saved.ts';
import { ERROR_BODY_SCHEMA } from '../errors.ts';

const MAX_HOTWORDS_TEXT = 1_000_000;

const HOTWORD_LIST_SCHEMA = {
  type: 'object',
  properties: {
    hotwords: {
      type: 'array',
      items: { type: 'object', properties: { phrase: { type: 'string' }, weight: { anyOf: [{ type: 'number' }, { type: 'null' }] } }, required: ['phrase', 'weight'] },
    },
    replacements: {
      type: 'array',
      items: { type: 'object', properties: { from: { type: 'string' }, to: { type: 'string' } }, required: ['from', 'to'] },
    },
    text: { type: 'string' },
  },
} as const;

interface PutBody {
  text?: string;
  hotwords?: { phrase: string; weight?: number | null }[];
  replacements?: { from: string; to: string }[];
}

function describe(list: HotwordList): HotwordList & { text: string } {
  return { ...list, text: formatHotwords(list) };
}

const hotwordRoutes: FastifyPluginAsync = async (app) => {
  const dataDir = app.config.dataDir;

  app.get('/api/hotwords', { schema: { response: { 200: HOTWORD_LIST_SCHEMA, '4xx': ERROR_BODY_SCHEMA, '5xx': ERROR_BODY_SCHEMA } } }, async () =>
    describe(await loadSavedHotwords(dataDir)),
  );

  app.get('/api/hotwords/export', async (_request, reply) => {
    const text = formatHotwords(await loadSavedHotwords(dataDir));
    return reply.header('content-type', 'text/plain; charset=utf-8').header('content-disposition', 'attachment; filename="hotwords.txt"').send(text);
  });

  app.put<{ Body: PutBody }>(
    '/api/hotwords',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            text: { type: 'string', maxLength: MAX_HOTWORDS_TEXT },
            hotwords: {
              type: 'array',
              maxItems: 10_000,
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['phrase'],
                properties: { phrase: { type: 'string' }, weight: { anyOf: [{ type: 'number' }, { type: 'null' }] } },
              },
            },
            replacements: {
              type: 'array',
              maxItems: 10_000,
              items: { type: 'object', additionalProperties: false, required: ['from', 'to'], properties: { from: { type: 'string' }, to: { type: 'string' } } },
            },
          },
        },
        response: { 200: HOTWORD_LIST_SCHEMA, '4xx': ERROR_BODY_SCHEMA, '5xx': ERROR_BODY_SCHEMA },
      },
    },
    async (request) => {
      const body = request.body;
      // Both forms go through the same parser, so validation errors name the bad line or entry either way.
      const list =
        body.text !== undefined
          ? parseHotwords(body.text, 'lines')
          : parseHotwords(
              JSON.stringify([
                ...(body.hotwords ?? []).map((h) => (h.weight === undefined || h.weight === null ? { phrase: h.phrase } : { phrase: h.phrase, weight: h.weight })),
                ...(body.replacements ?? []).map((r) => ({ from: r.from, to: r.to })),
              ]),
              'json',
            );
      await saveHotwords(dataDir, list);
      return describe(list);
    },
  );
};

export default hotwordRoutes;
