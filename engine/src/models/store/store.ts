import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { ErrorCodes, TingxieError } from '../../errors.ts';
import { extractArchive, singleTopLevelFolder } from './archive.ts';
import {
  MODEL_ID_PATTERN,
  archiveFileName,
  archiveStem,
  findCatalogueEntry,
  isSafeRelativePath,
  type Catalogue,
  type CatalogueEntry,
} from './catalogue.ts';
import { discardPartial, downloadWithResume, sha256File, type DownloadProgress } from './download.ts';

/**
 * The model store: a folder (`<dataDir>/models` by default) holding one sub-folder per installed
 * model, `<modelsDir>/<id>/`, with the model files and a `tingxie-model.json` install record.
 *
 * Installs are atomic: files are assembled in a `.staging-*` folder inside modelsDir and moved
 * into place with one rename, so a folder named after a model id is always complete. Resumable
 * downloads live in `<modelsDir>/.downloads/`. Folders starting with `.` are never models.
 */

export const INSTALL_RECORD_FILE = 'tingxie-model.json';
const DOWNLOADS_DIR = '.downloads';
const STAGING_PREFIX = '.staging-';
const TRASH_PREFIX = '.trash-';

/** `$TINGXIE_HOME` when set, else `<home>/.tingxie`. */
export function resolveDataDir(env: Readonly<Record<string, string | undefined>>, homedir: string): string {
  const fromEnv = env.TINGXIE_HOME?.trim();
  return fromEnv ? resolve(fromEnv) : join(homedir, '.tingxie');
}

/** `<dataDir>/models`. */
export function defaultModelsDir(dataDir: string): string {
  return join(dataDir, 'models');
}

export interface InstalledFile {
  /** Relative to the model folder, POSIX separators. */
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export type InstallSource =
  | { readonly kind: 'download'; readonly url: string; readonly archiveSha256: string }
  | { readonly kind: 'import-archive'; readonly path: string; readonly archiveSha256: string }
  | { readonly kind: 'import-dir'; readonly path: string };

/** Contents of `tingxie-model.json`. The model loader reads `family` (and `fixture`) from it. */
export interface InstallRecord {
  readonly schemaVersion: 1;
  readonly id: string;
  /** Present when known (catalogue models, or carried over from the imported folder's record). */
  readonly family?: string;
  /** Carried over when an imported folder was a test fixture; fixtures are never catalogue models. */
  readonly fixture?: boolean;
  /** The catalogue entry this install is, or null for a custom import. */
  readonly catalogueId: string | null;
  readonly files: readonly InstalledFile[];
  readonly totalBytes: number;
  /** ISO-8601 UTC. */
  readonly installedAt: string;
  readonly source: InstallSource;
}

export type PullProgress =
  | DownloadProgress
  | { readonly phase: 'extract'; readonly bytesDone: number; readonly bytesTotal: number | null }
  | { readonly phase: 'verify' | 'install'; readonly bytesDone?: undefined };

export interface PullOptions {
  readonly onProgress?: (progress: PullProgress) => void;
  readonly signal?: AbortSignal;
  /** Download from this URL instead of the catalogue's (tests, local mirrors). */
  readonly url?: string;
  /** Replace an existing install instead of returning it. */
  readonly force?: boolean;
}

export interface ImportOptions {
  /** Install under this id; a catalogue id also gives the family and the file checks. */
  readonly id?: string;
  readonly force?: boolean;
  readonly signal?: AbortSignal;
}

export interface InstallResult {
  readonly id: string;
  readonly dir: string;
  readonly record: InstallRecord;
  /** True when pull found the model already installed and did nothing. */
  readonly alreadyInstalled: boolean;
  /** Bytes reused from an earlier interrupted download (pull only). */
  readonly resumedFromBytes: number;
  /** How an import chose its id. */
  readonly identifiedBy: 'catalogue-id' | 'given-id' | 'checksum' | 'name' | 'file-names' | 'folder-name';
}

export type ModelListStatus = 'installed' | 'not-installed' | 'planned' | 'unrecorded';

export interface ModelListing {
  readonly id: string;
  readonly name: string;
  readonly family: string | null;
  readonly status: ModelListStatus;
  readonly inCatalogue: boolean;
  readonly isDefault: boolean;
  /** Installed size when installed, else the download size; null where unknown. */
  readonly bytes: number | null;
  readonly dir: string | null;
  readonly fixture: boolean;
}

export type VerifyFileStatus = 'ok' | 'modified' | 'missing' | 'catalogue-mismatch';

export interface VerifyFileReport {
  readonly path: string;
  readonly status: VerifyFileStatus;
  /** From the install record (or the catalogue for required files the record lacks). */
  readonly expectedSha256: string | null;
  readonly actualSha256: string | null;
}

export interface VerifyReport {
  readonly id: string;
  readonly dir: string;
  readonly ok: boolean;
  readonly files: readonly VerifyFileReport[];
}

export interface ModelStoreOptions {
  readonly modelsDir: string;
  readonly catalogue: Catalogue;
  readonly fetchImpl?: typeof fetch;
  /** Base URL replacing the catalogue URL's location: `<mirror>/<archive file name>`. */
  readonly mirror?: string;
  /** Clock for `installedAt` (tests). */
  readonly now?: () => Date;
  /** bzip2 decoder choice, see `ExtractOptions.bzip2` (default `auto`). */
  readonly bzip2?: 'auto' | 'js';
}

export class ModelStore {
  readonly modelsDir: string;
  readonly catalogue: Catalogue;
  readonly #fetch: typeof fetch;
  readonly #mirror: string | null;
  readonly #now: () => Date;
  readonly #bzip2: 'auto' | 'js';

  constructor(options: ModelStoreOptions) {
    this.modelsDir = resolve(options.modelsDir);
    this.catalogue = options.catalogue;
    this.#fetch = options.fetchImpl ?? globalThis.fetch;
    this.#mirror = options.mirror ?? null;
    this.#now = options.now ?? (() => new Date());
    this.#bzip2 = options.bzip2 ?? 'auto';
  }

  /** Folder an installed model lives in, or MODEL_NOT_FOUND with a hint how to get it. */
  resolveInstalled(id: string): string {
    const dir = this.#modelDir(id);
    if (!existsSync(join(dir, INSTALL_RECORD_FILE))) {
      const known = this.catalogue.models.some((entry) => entry.id === id);
      const hint = known ? `run \`tingxie models pull ${id}\`` : 'see `tingxie models list`';
      throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `model "${id}" is not installed in ${this.modelsDir}; ${hint}`, { id, modelsDir: this.modelsDir });
    }
    return dir;
  }

  /** The install record of an installed model. */
  async readRecord(id: string): Promise<InstallRecord> {
    const dir = this.resolveInstalled(id);
    return readInstallRecord(join(dir, INSTALL_RECORD_FILE));
  }

  /** Catalogue entries (installed or not, planned ones flagged) followed by installed models not in the catalogue. */
  async list(): Promise<ModelListing[]> {
    const installed = await this.#scanInstalled();
    const listings: ModelListing[] = [];
    for (const entry of this.catalogue.models) {
      const found = installed.get(entry.id);
      installed.delete(entry.id);
      const record = found?.record ?? null;
      listings.push({
        id: entry.id,
        name: entry.name,
        family: entry.family,
        status: record ? 'installed' : found ? 'unrecorded' : entry.status === 'planned' ? 'planned' : 'not-installed',
        inCatalogue: true,
        isDefault: entry.id === this.catalogue.defaultModelId,
        bytes: record ? record.totalBytes : entry.archive.bytes,
        dir: found ? found.dir : null,
        fixture: record?.fixture === true,
      });
    }
    for (const [id, found] of [...installed].sort(([a], [b]) => a.localeCompare(b))) {
      listings.push({
        id,
        name: id,
        family: found.record?.family ?? null,
        status: found.record ? 'installed' : 'unrecorded',
        inCatalogue: false,
        isDefault: false,
        bytes: found.record ? found.record.totalBytes : null,
        dir: found.dir,
        fixture: found.record?.fixture === true,
      });
    }
    return listings;
  }

  /** Downloads (resuming), verifies, extracts and atomically installs a catalogue model. */
  async pull(id: string, options: PullOptions = {}): Promise<InstallResult> {
    const entry = findCatalogueEntry(this.catalogue, id);
    if (entry.status !== 'available') {
      throw new TingxieError(ErrorCodes.USAGE, `model "${id}" is listed for later (${entry.status}) and cannot be pulled yet`, { id, status: entry.status });
    }
    const targetDir = this.#modelDir(id);
    if (!options.force && existsSync(join(targetDir, INSTALL_RECORD_FILE))) {
      const record = await readInstallRecord(join(targetDir, INSTALL_RECORD_FILE));
      return { id, dir: targetDir, record, alreadyInstalled: true, resumedFromBytes: 0, identifiedBy: 'catalogue-id' };
    }

    const url = options.url ?? this.#downloadUrl(entry);
    const downloadsDir = join(this.modelsDir, DOWNLOADS_DIR);
    await mkdir(downloadsDir, { recursive: true });
    const partialPath = join(downloadsDir, `${id}.${entry.archive.format}.partial`);
    // A URL override (mirror, test server) may serve a differently packed archive, so the
    // catalogue's archive size/hash only apply to the catalogue URL; file hashes still apply.
    const usesCatalogueArchive = url === entry.archive.url || (this.#mirror !== null && options.url === undefined);
    const download = await downloadWithResume({
      url,
      partialPath,
      expectedBytes: usesCatalogueArchive ? entry.archive.bytes : null,
      expectedSha256: usesCatalogueArchive ? entry.archive.sha256 : null,
      fetchImpl: this.#fetch,
      signal: options.signal,
      onProgress: options.onProgress,
    });

    try {
      const result = await this.#installFromArchive(download.path, entry.id, entry, {
        source: { kind: 'download', url, archiveSha256: download.sha256 },
        force: options.force === true,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      await discardPartial(partialPath);
      return { ...result, resumedFromBytes: download.resumedFrom, identifiedBy: 'catalogue-id' };
    } catch (error) {
      // A download that does not unpack or lacks files will not get better by resuming it.
      if (error instanceof TingxieError && (error.code === ErrorCodes.ARCHIVE_INVALID || error.code === ErrorCodes.CHECKSUM_MISMATCH)) {
        await discardPartial(partialPath);
      }
      throw error;
    }
  }

  /** Installs from a local `.tar.bz2` / `.tar.gz` archive or a folder (copied), for offline machines. */
  async importFrom(sourcePath: string, options: ImportOptions = {}): Promise<InstallResult> {
    const source = resolve(sourcePath);
    let sourceStat;
    try {
      sourceStat = await stat(source);
    } catch (error) {
      throw new TingxieError(ErrorCodes.FILE_NOT_FOUND, `${source} does not exist`, { file: source }, { cause: error });
    }
    const givenEntry = options.id === undefined ? null : this.catalogue.models.find((entry) => entry.id === options.id) ?? null;
    if (options.id !== undefined && !givenEntry) this.#assertSafeId(options.id);

    await mkdir(this.modelsDir, { recursive: true });
    const staging = await this.#makeStaging('import');
    try {
      let root: string;
      let installSource: InstallSource;
      // Names that may identify the model: the folder or archive name, and an archive's top folder.
      const names: string[] = [];
      if (sourceStat.isDirectory()) {
        root = join(staging, 'model');
        await cp(source, root, { recursive: true, dereference: true, errorOnExist: true, force: false });
        installSource = { kind: 'import-dir', path: source };
        names.push(basename(source));
      } else {
        const extracted = join(staging, 'extracted');
        await mkdir(extracted);
        await extractArchive(source, extracted, { signal: options.signal, bzip2: this.#bzip2 });
        root = await singleTopLevelFolder(extracted);
        installSource = { kind: 'import-archive', path: source, archiveSha256: await sha256File(source, options.signal) };
        names.push(archiveStem(basename(source)));
        if (root !== extracted) names.push(basename(root));
      }

      const previous = await readInstallRecordIfAny(join(root, INSTALL_RECORD_FILE));
      const hashed = await hashTree(root, options.signal);

      let entry: CatalogueEntry | null = givenEntry;
      let id: string;
      let identifiedBy: InstallResult['identifiedBy'];
      if (options.id !== undefined) {
        id = options.id;
        identifiedBy = givenEntry ? 'catalogue-id' : 'given-id';
      } else {
        // A test fixture is never taken for a catalogue model, whatever its file names.
        const match = previous?.fixture === true ? null : this.#identify(hashed, names);
        entry = match?.entry ?? null;
        id = match ? match.entry.id : this.#customId(previous?.id ?? names[0]);
        identifiedBy = match ? match.by : 'folder-name';
      }
      const result = await this.#install(root, id, entry, {
        source: installSource,
        force: options.force === true,
        hashed,
        carried: previous,
      });
      return { ...result, resumedFromBytes: 0, identifiedBy };
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** Re-hashes an installed model against its install record and the catalogue's known hashes. */
  async verify(id: string, options: { signal?: AbortSignal } = {}): Promise<VerifyReport> {
    const dir = this.resolveInstalled(id);
    const record = await readInstallRecord(join(dir, INSTALL_RECORD_FILE));
    const entry = this.catalogue.models.find((candidate) => candidate.id === id) ?? null;
    const reports: VerifyFileReport[] = [];
    const checked = new Set<string>();
    for (const file of record.files) {
      checked.add(file.path);
      const actual = await hashIfExists(join(dir, ...file.path.split('/')), options.signal);
      const catalogueSha = entry?.files.find((candidate) => candidate.path === file.path)?.sha256 ?? null;
      let status: VerifyFileStatus = 'ok';
      if (actual === null) status = 'missing';
      else if (actual !== file.sha256) status = 'modified';
      else if (catalogueSha !== null && actual !== catalogueSha) status = 'catalogue-mismatch';
      reports.push({ path: file.path, status, expectedSha256: file.sha256, actualSha256: actual });
    }
    for (const required of entry?.files ?? []) {
      if (checked.has(required.path)) continue;
      const actual = await hashIfExists(join(dir, ...required.path.split('/')), options.signal);
      const status: VerifyFileStatus = actual === null ? 'missing' : required.sha256 !== null && actual !== required.sha256 ? 'catalogue-mismatch' : 'ok';
      reports.push({ path: required.path, status, expectedSha256: required.sha256, actualSha256: actual });
    }
    return { id, dir, ok: reports.every((report) => report.status === 'ok'), files: reports };
  }

  /** Deletes an installed model (moved aside first, so it disappears in one step). */
  async remove(id: string): Promise<void> {
    const dir = this.#modelDir(id);
    if (!existsSync(dir)) {
      throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `model "${id}" is not installed in ${this.modelsDir}`, { id, modelsDir: this.modelsDir });
    }
    const trash = join(this.modelsDir, `${TRASH_PREFIX}${id}-${randomBytes(4).toString('hex')}`);
    await rename(dir, trash);
    await rm(trash, { recursive: true, force: true });
  }

  /**
   * Deletes `.staging-*` / `.trash-*` folders left by a killed process. Only folders older than
   * `olderThanMs` (default one day) go, so a pull running in another process is not disturbed.
   * Partial downloads are kept: they are what makes the next pull resume. Returns the names removed.
   */
  async cleanup(options: { olderThanMs?: number } = {}): Promise<string[]> {
    const cutoff = this.#now().getTime() - (options.olderThanMs ?? 24 * 60 * 60 * 1000);
    let names: string[];
    try {
      names = await readdir(this.modelsDir);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names) {
      if (!name.startsWith(STAGING_PREFIX) && !name.startsWith(TRASH_PREFIX)) continue;
      const info = statSync(join(this.modelsDir, name), { throwIfNoEntry: false });
      if (!info || info.mtimeMs > cutoff) continue;
      await rm(join(this.modelsDir, name), { recursive: true, force: true });
      removed.push(name);
    }
    return removed.sort();
  }

  #downloadUrl(entry: CatalogueEntry): string {
    if (this.#mirror === null) return entry.archive.url;
    return `${this.#mirror.replace(/\/+$/, '')}/${encodeURIComponent(archiveFileName(entry.archive.url))}`;
  }

  #assertSafeId(id: string): void {
    if (!MODEL_ID_PATTERN.test(id.toLowerCase()) || id.includes('..')) {
      throw new TingxieError(ErrorCodes.USAGE, `"${id}" is not a valid model id (letters, digits, ".", "_", "-"; not starting with "." or "-")`, { id });
    }
  }

  #modelDir(id: string): string {
    this.#assertSafeId(id);
    return join(this.modelsDir, id);
  }

  async #makeStaging(label: string): Promise<string> {
    const dir = join(this.modelsDir, `${STAGING_PREFIX}${label}-${randomBytes(6).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  async #installFromArchive(
    archivePath: string,
    id: string,
    entry: CatalogueEntry,
    options: { source: InstallSource; force: boolean; signal?: AbortSignal; onProgress?: (progress: PullProgress) => void },
  ): Promise<Omit<InstallResult, 'resumedFromBytes' | 'identifiedBy'>> {
    await mkdir(this.modelsDir, { recursive: true });
    const staging = await this.#makeStaging(id);
    try {
      const archiveBytes = (await stat(archivePath)).size;
      await extractArchive(archivePath, staging, {
        signal: options.signal,
        bzip2: this.#bzip2,
        onBytesRead: (bytesDone) => options.onProgress?.({ phase: 'extract', bytesDone, bytesTotal: archiveBytes }),
      });
      const root = await singleTopLevelFolder(staging);
      options.onProgress?.({ phase: 'verify' });
      const hashed = await hashTree(root, options.signal);
      const result = await this.#install(root, id, entry, { source: options.source, force: options.force, hashed, carried: null });
      options.onProgress?.({ phase: 'install' });
      return result;
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }

  /** Checks required files and hashes, writes the record, then renames `root` into place. */
  async #install(
    root: string,
    id: string,
    entry: CatalogueEntry | null,
    options: { source: InstallSource; force: boolean; hashed: InstalledFile[]; carried: InstallRecord | null },
  ): Promise<Omit<InstallResult, 'resumedFromBytes' | 'identifiedBy'>> {
    const files = options.hashed.filter((file) => file.path !== INSTALL_RECORD_FILE);
    if (files.length === 0) throw new TingxieError(ErrorCodes.ARCHIVE_INVALID, 'nothing to install: no files found', { id });
    if (entry) {
      const missing = entry.files.filter((required) => !files.some((file) => file.path === required.path)).map((required) => required.path);
      if (missing.length > 0) {
        throw new TingxieError(ErrorCodes.ARCHIVE_INVALID, `model "${id}" lacks ${missing.join(', ')}`, { id, missing });
      }
      for (const required of entry.files) {
        const file = files.find((candidate) => candidate.path === required.path);
        if (file && required.sha256 !== null && file.sha256 !== required.sha256) {
          throw new TingxieError(
            ErrorCodes.CHECKSUM_MISMATCH,
            `${required.path} of model "${id}" has SHA-256 ${file.sha256}, expected ${required.sha256}`,
            { id, file: required.path, sha256: file.sha256, expectedSha256: required.sha256 },
          );
        }
      }
    }

    const family = entry?.family ?? options.carried?.family;
    const record: InstallRecord = {
      schemaVersion: 1,
      id,
      ...(family !== undefined ? { family } : {}),
      ...(options.carried?.fixture === true ? { fixture: true } : {}),
      catalogueId: entry?.id ?? null,
      files,
      totalBytes: files.reduce((sum, file) => sum + file.bytes, 0),
      installedAt: this.#now().toISOString(),
      source: options.source,
    };
    await writeFile(join(root, INSTALL_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);

    const targetDir = this.#modelDir(id);
    let trash: string | null = null;
    if (existsSync(targetDir)) {
      if (!options.force) {
        throw new TingxieError(ErrorCodes.USAGE, `model "${id}" is already installed at ${targetDir}; use --force to replace it`, { id, dir: targetDir });
      }
      trash = join(this.modelsDir, `${TRASH_PREFIX}${id}-${randomBytes(4).toString('hex')}`);
      await rename(targetDir, trash);
    }
    try {
      await rename(root, targetDir);
    } catch (error) {
      if (trash !== null) await rename(trash, targetDir).catch(() => undefined);
      throw error;
    }
    if (trash !== null) await rm(trash, { recursive: true, force: true });
    return { id, dir: targetDir, record, alreadyInstalled: false };
  }

  /**
   * Which catalogue model a folder holds. Only `available` entries whose required files are all
   * present take part; an entry is ruled out when a file with a known SHA-256 differs.
   * Preference: every known hash matches → name matches the archive stem → the only candidate.
   */
  #identify(files: readonly InstalledFile[], names: readonly string[]): { entry: CatalogueEntry; by: 'checksum' | 'name' | 'file-names' } | null {
    const byPath = new Map(files.map((file) => [file.path, file]));
    const candidates = this.catalogue.models.filter(
      (entry) =>
        entry.status === 'available' &&
        entry.files.every((required) => {
          const file = byPath.get(required.path);
          return file !== undefined && (required.sha256 === null || required.sha256 === file.sha256);
        }),
    );
    const hashed = candidates.filter((entry) => entry.files.some((required) => required.sha256 !== null));
    if (hashed.length === 1) return { entry: hashed[0], by: 'checksum' };
    const named = candidates.filter((entry) => {
      const stem = archiveStem(archiveFileName(entry.archive.url));
      return names.some((name) => name === stem || name === entry.id);
    });
    if (named.length === 1) return { entry: named[0], by: 'name' };
    if (candidates.length === 1) return { entry: candidates[0], by: 'file-names' };
    return null;
  }

  /** A folder-safe id from a name; never a catalogue id (that would claim to be a model it isn't). */
  #customId(name: string): string {
    let id = name
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .replace(/\.{2,}/g, '.')
      .slice(0, 100)
      .replace(/[-.]+$/, '');
    if (id === '') id = 'imported-model';
    if (this.catalogue.models.some((entry) => entry.id === id)) id = `${id}-custom`;
    return id;
  }

  async #scanInstalled(): Promise<Map<string, { dir: string; record: InstallRecord | null }>> {
    const found = new Map<string, { dir: string; record: InstallRecord | null }>();
    let names: string[];
    try {
      names = await readdir(this.modelsDir);
    } catch {
      return found;
    }
    for (const name of names.sort()) {
      if (name.startsWith('.') || !MODEL_ID_PATTERN.test(name.toLowerCase())) continue;
      const dir = join(this.modelsDir, name);
      if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) continue;
      found.set(name, { dir, record: await readInstallRecordIfAny(join(dir, INSTALL_RECORD_FILE)) });
    }
    return found;
  }
}

/** Reads and checks an install record; MODEL_INVALID names the bad field. */
export async function readInstallRecord(path: string): Promise<InstallRecord> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `cannot read install record ${path}`, { file: path }, { cause: error });
  }
  const bad = (field: string): never => {
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `install record ${path}: field ${field} is missing or invalid`, { file: path, field });
  };
  if (typeof json !== 'object' || json === null) return bad('(root)');
  const record = json as Record<string, unknown>;
  if (record.schemaVersion !== 1) bad('schemaVersion');
  if (typeof record.id !== 'string') bad('id');
  if (!Array.isArray(record.files)) bad('files');
  (record.files as unknown[]).forEach((file, index) => {
    const item = file as Record<string, unknown> | null;
    if (typeof item !== 'object' || item === null) return bad(`files[${index}]`);
    if (typeof item.path !== 'string' || !isSafeRelativePath(item.path)) bad(`files[${index}].path`);
    if (typeof item.bytes !== 'number') bad(`files[${index}].bytes`);
    if (typeof item.sha256 !== 'string') bad(`files[${index}].sha256`);
  });
  if (typeof record.totalBytes !== 'number') bad('totalBytes');
  if (typeof record.installedAt !== 'string') bad('installedAt');
  if (typeof record.source !== 'object' || record.source === null) bad('source');
  if (record.family !== undefined && typeof record.family !== 'string') bad('family');
  return json as InstallRecord;
}

async function readInstallRecordIfAny(path: string): Promise<InstallRecord | null> {
  if (!existsSync(path)) return null;
  try {
    return await readInstallRecord(path);
  } catch {
    return null;
  }
}

/** Every regular file under `root` with size and SHA-256, sorted by path. */
async function hashTree(root: string, signal?: AbortSignal): Promise<InstalledFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: InstalledFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const absolute = join(entry.parentPath, entry.name);
    const path = relative(root, absolute).split(sep).join('/');
    if (path === INSTALL_RECORD_FILE) continue;
    files.push({ path, bytes: (await stat(absolute)).size, sha256: await sha256File(absolute, signal) });
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function hashIfExists(path: string, signal?: AbortSignal): Promise<string | null> {
  if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return null;
  return sha256File(path, signal);
}
