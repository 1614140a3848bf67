/**
 * `POST /api/models/import`: installs a model from an uploaded archive (the WebUI's "import from disk"), the
 * HTTP twin of `tingxie models import FILE`. Multipart: `file` (a `.tar.bz2`, `.tar.gz`/`.tgz` or `.tar`),
 * optional `id` and `force`. The archive streams to `<dataDir>/tmp/model-imports/<uuid>/` under its own
 * (sanitized) name, which the store may use to identify the model, and is deleted afterwards.
 * Answers `{ id, dir, identifiedBy }`. Needs `app.modelStore`.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync } from 'fastify';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import { ERROR_BODY_SCHEMA } from '../errors.ts';
import { parseBooleanField } from './transcriptions.ts';

export interface ModelImportRoutesOptions {
  /** Largest archive accepted, bytes (default 8 GiB: model archives are larger than audio uploads). */
  maxArchiveBytes?: number;
}

const DEFAULT_MAX_ARCHIVE_BYTES = 8 * 1024 ** 3;
const ARCHIVE_NAME = /\.(tar\.bz2|tbz2|tar\.gz|tgz|tar)$/i;

function validation(field: string, message: string): TingxieError {
  return new TingxieError(ErrorCodes.VALIDATION_FAILED, message, { field });
}

/** The upload's base name with anything but letters, digits, `._-` replaced: never a path. */
export function safeArchiveName(name: string | undefined): string {
  const last = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = last.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 200);
  return cleaned === '' ? 'model.tar.gz' : cleaned;
}

const modelImportRoutes: FastifyPluginAsync<ModelImportRoutesOptions> = async (app, opts) => {
  const maxArchiveBytes = opts.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
  await app.register(multipart, { limits: { fileSize: maxArchiveBytes, files: 1, fields: 4, fieldSize: 1024 } });

  app.post(
    '/api/models/import',
    {
      schema: {
        consumes: ['multipart/form-data'],
        response: {
          200: { type: 'object', properties: { id: { type: 'string' }, dir: { type: 'string' }, identifiedBy: { type: 'string' } } },
          '4xx': ERROR_BODY_SCHEMA,
          '5xx': ERROR_BODY_SCHEMA,
        },
      },
    },
    async (request) => {
      if (!request.isMultipart()) throw validation('file', 'Send the archive as multipart/form-data in a "file" field.');
      const dir = join(app.config.dataDir, 'tmp', 'model-imports', randomUUID());
      await mkdir(dir, { recursive: true, mode: 0o700 });
      try {
        let archive: string | null = null;
        const fields = new Map<string, string>();
        for await (const part of request.parts()) {
          if (part.type === 'file') {
            if (part.fieldname !== 'file' || archive !== null) {
              part.file.resume();
              throw validation(part.fieldname, 'Send exactly one archive, in the "file" field.');
            }
            const name = safeArchiveName(part.filename);
            if (!ARCHIVE_NAME.test(name)) {
              part.file.resume();
              throw validation('file', `"${name}" is not a model archive; send a .tar.bz2, .tar.gz or .tar file.`);
            }
            archive = join(dir, name);
            await pipeline(part.file, createWriteStream(archive, { flags: 'wx', mode: 0o600 }));
            if (part.file.truncated) throw new TingxieError(ErrorCodes.PAYLOAD_TOO_LARGE, `The archive is larger than this server accepts (${maxArchiveBytes} bytes).`);
          } else {
            if (part.fieldname !== 'id' && part.fieldname !== 'force') throw validation(part.fieldname, `Unknown field "${part.fieldname.slice(0, 40)}". Fields: file, id, force.`);
            fields.set(part.fieldname, String(part.value));
          }
        }
        if (archive === null) throw validation('file', 'The form has no "file" field with the archive.');
        const id = fields.get('id')?.trim();
        const force = fields.has('force') ? parseBooleanField('force', fields.get('force')!) : false;
        const result = await app.modelStore.importFrom(archive, { force, ...(id ? { id } : {}) });
        request.log.info({ id: result.id, identifiedBy: result.identifiedBy }, 'model imported');
        return { id: result.id, dir: result.dir, identifiedBy: result.identifiedBy };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
};

export default modelImportRoutes;
