/** `POST /api/itn` { text | lines[], language? } → { text | lines[] }: spoken → written form, no model needed. */
import type { FastifyPluginAsync } from 'fastify';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import { inverseNormalize, type ItnLanguage } from '../../text/itn/index.ts';
import { ERROR_BODY_SCHEMA } from '../errors.ts';

/** Longest accepted text, and most lines, per request. */
export const MAX_ITN_CHARS = 1_000_000;
export const MAX_ITN_LINES = 100_000;

interface ItnBody {
  text?: string;
  lines?: string[];
  language?: ItnLanguage;
}

const itnRoutes: FastifyPluginAsync = async (app) => {
  app.post<{ Body: ItnBody }>(
    '/api/itn',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            text: { type: 'string', maxLength: MAX_ITN_CHARS },
            lines: { type: 'array', maxItems: MAX_ITN_LINES, items: { type: 'string', maxLength: 100_000 } },
            language: { type: 'string', enum: ['zh', 'en', 'auto'] },
          },
        },
        response: {
          200: { type: 'object', properties: { text: { type: 'string' }, lines: { type: 'array', items: { type: 'string' } } } },
          '4xx': ERROR_BODY_SCHEMA,
          '5xx': ERROR_BODY_SCHEMA,
        },
      },
    },
    async (request) => {
      const { text, lines } = request.body;
      const language = request.body.language ?? 'auto';
      if ((text === undefined) === (lines === undefined)) {
        throw new TingxieError(ErrorCodes.VALIDATION_FAILED, 'Give exactly one of "text" (a string) or "lines" (an array of strings).', { field: 'text' });
      }
      if (text !== undefined) return { text: inverseNormalize(text, { language }) };
      return { lines: lines!.map((line) => inverseNormalize(line, { language })) };
    },
  );
};

export default itnRoutes;
