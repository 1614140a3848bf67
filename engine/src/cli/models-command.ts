import { parseArgs } from 'node:util';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { createPullProgressRenderer } from '../models/store/progress.ts';
import type { ModelListing } from '../models/store/store.ts';
import type { CliIo } from './io.ts';
import { openModelStore } from './model-location.ts';

export const MODELS_HELP = `Usage:
  tingxie models list [--json]
  tingxie models pull [ID] [--url URL] [--force]
  tingxie models import ARCHIVE_OR_DIR [--id ID] [--force]
  tingxie models verify ID
  tingxie models remove ID
`;

function formatBytes(bytes: number | null): string {
  if (bytes === null) return '?';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${(bytes / 1e3).toFixed(0)} kB`;
}

function listingLine(model: ModelListing): string {
  const flags = [model.isDefault ? 'default' : '', model.fixture ? 'TEST FIXTURE' : ''].filter(Boolean).join(', ');
  return `${model.status.padEnd(13)} ${model.id.padEnd(48)} ${(model.family ?? '?').padEnd(12)} ${formatBytes(model.bytes).padStart(8)}${flags ? `  (${flags})` : ''}`;
}

export async function modelsCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      url: { type: 'string' },
      id: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  const store = await openModelStore(io);
  switch (sub) {
    case 'list': {
      const models = await store.list();
      if (values.json) io.stdout.write(JSON.stringify(models, null, 2) + '\n');
      else io.stdout.write(['status        id                                               family           size', ...models.map(listingLine)].join('\n') + '\n');
      return 0;
    }
    case 'pull': {
      const id = positionals[0] ?? store.catalogue.defaultModelId;
      const progress = createPullProgressRenderer(io.stderrStream);
      try {
        const result = await store.pull(id, { onProgress: progress.update, force: values.force, ...(values.url ? { url: values.url } : {}) });
        progress.stop();
        io.stdout.write(result.alreadyInstalled ? `${id} is already installed in ${result.dir}\n` : `installed ${id} in ${result.dir}\n`);
      } finally {
        progress.stop();
      }
      return 0;
    }
    case 'import': {
      const source = positionals[0];
      if (!source) throw new TingxieError(ErrorCodes.USAGE, 'Usage: tingxie models import ARCHIVE_OR_DIR [--id ID]');
      const result = await store.importFrom(source, { force: values.force, ...(values.id ? { id: values.id } : {}) });
      io.stdout.write(`installed ${result.id} in ${result.dir}\n`);
      return 0;
    }
    case 'verify': {
      const id = positionals[0];
      if (!id) throw new TingxieError(ErrorCodes.USAGE, 'Usage: tingxie models verify ID');
      const report = await store.verify(id);
      for (const file of report.files) io.stdout.write(`${file.status.padEnd(18)} ${file.path}\n`);
      io.stdout.write(report.ok ? `${id}: OK\n` : `${id}: FAILED (files changed or missing; run "tingxie models pull ${id} --force")\n`);
      return report.ok ? 0 : 1;
    }
    case 'remove': {
      const id = positionals[0];
      if (!id) throw new TingxieError(ErrorCodes.USAGE, 'Usage: tingxie models remove ID');
      await store.remove(id);
      io.stdout.write(`removed ${id}\n`);
      return 0;
    }
    default:
      io.stdout.write(MODELS_HELP);
      return sub === undefined || sub === 'help' || sub === '--help' ? 0 : 2;
  }
}
