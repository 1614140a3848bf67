import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { loadCatalogue } from '../models/store/catalogue.ts';
import { ModelStore, defaultModelsDir, resolveDataDir } from '../models/store/store.ts';
import type { CliIo } from './io.ts';

export async function openModelStore(io: CliIo): Promise<ModelStore> {
  const dataDir = resolveDataDir(io.env, io.homeDir);
  return new ModelStore({ modelsDir: defaultModelsDir(dataDir), catalogue: await loadCatalogue() });
}

/**
 * The model folder to use: --model-path, else $TINGXIE_MODEL_PATH, else the catalogue's default
 * model in the data dir. Says how to get one when there is none.
 */
export async function resolveModelDir(explicit: string | undefined, io: CliIo): Promise<string> {
  const given = explicit ?? io.env.TINGXIE_MODEL_PATH;
  if (given) {
    const dir = resolve(io.cwd, given);
    const info = await stat(dir).catch(() => null);
    if (!info?.isDirectory()) {
      throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `Model folder not found: ${dir}`, { field: 'model-path' });
    }
    return dir;
  }
  const store = await openModelStore(io);
  const id = store.catalogue.defaultModelId;
  try {
    return store.resolveInstalled(id);
  } catch {
    throw new TingxieError(
      ErrorCodes.MODEL_NOT_FOUND,
      `No model installed. Run "tingxie models pull" to download ${id}, "tingxie models import ARCHIVE" to install it from a file, or pass --model-path DIR.`,
    );
  }
}

export async function describeModelLocations(io: CliIo): Promise<string[]> {
  const dataDir = resolveDataDir(io.env, io.homeDir);
  const store = await openModelStore(io);
  const installed = (await store.list()).filter((m) => m.status === 'installed' || m.status === 'unrecorded');
  return [
    `data dir: ${dataDir}`,
    `models dir: ${store.modelsDir}`,
    `installed models: ${installed.length === 0 ? 'none (run "tingxie models pull")' : installed.map((m) => m.id).join(', ')}`,
  ];
}
