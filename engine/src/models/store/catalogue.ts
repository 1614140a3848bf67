import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ErrorCodes, TingxieError } from '../../errors.ts';

/**
 * The catalogue of known models (`models/catalogue.json`): what can be pulled, from where,
 * and which files an install must contain. Test fixture models are never listed here.
 */

/** Model families the catalogue may name; only `sense_voice` is runnable today. */
export const CATALOGUE_FAMILIES = ['sense_voice', 'paraformer', 'whisper', 'funasr_nano'] as const;
export type CatalogueFamily = (typeof CATALOGUE_FAMILIES)[number];

/** `available`: can be pulled and run; `planned`: listed for later, cannot be pulled yet. */
export const CATALOGUE_STATUSES = ['available', 'planned'] as const;
export type CatalogueStatus = (typeof CATALOGUE_STATUSES)[number];

export const ARCHIVE_FORMATS = ['tar.bz2', 'tar.gz'] as const;
export type ArchiveFormat = (typeof ARCHIVE_FORMATS)[number];

/** One file an installed model must contain, relative to the model folder (POSIX separators). */
export interface CatalogueFile {
  readonly path: string;
  /** Size in bytes, null where not known. */
  readonly bytes: number | null;
  /** Lower-case hex SHA-256, null where not known (never guessed). */
  readonly sha256: string | null;
}

export interface CatalogueArchive {
  readonly url: string;
  readonly format: ArchiveFormat;
  /** Download size in bytes, null where not known. */
  readonly bytes: number | null;
  /** Lower-case hex SHA-256 of the archive, null where not known. */
  readonly sha256: string | null;
}

export interface CatalogueEntry {
  readonly id: string;
  readonly name: string;
  readonly family: CatalogueFamily;
  readonly status: CatalogueStatus;
  /** Language codes (ISO 639-1/3, `yue` for Cantonese) or `multilingual`. */
  readonly languages: readonly string[];
  readonly license: string;
  readonly homepage: string | null;
  readonly description: string;
  readonly archive: CatalogueArchive;
  /** Files the installed folder must contain (a subset of what the archive holds). */
  readonly files: readonly CatalogueFile[];
}

export interface Catalogue {
  readonly schemaVersion: 1;
  readonly defaultModelId: string;
  readonly models: readonly CatalogueEntry[];
}

/** Model ids double as folder names, so they are restricted to a portable, traversal-free alphabet. */
export const MODEL_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** The repository's `models/catalogue.json`, found relative to this source file. */
export function defaultCataloguePath(): string {
  return fileURLToPath(new URL('../../../../models/catalogue.json', import.meta.url));
}

/** Reads and validates a catalogue file (default: the repository's `models/catalogue.json`). */
export async function loadCatalogue(path: string = defaultCataloguePath()): Promise<Catalogue> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TingxieError(ErrorCodes.FILE_NOT_FOUND, `cannot read model catalogue ${path}`, { file: path }, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `model catalogue ${path} is not valid JSON`, { file: path }, { cause: error });
  }
  return parseCatalogue(json, path);
}

/** Validates parsed catalogue JSON; every error names the offending field (e.g. `models[2].archive.sha256`). */
export function parseCatalogue(json: unknown, source = 'catalogue'): Catalogue {
  const fail = (field: string, problem: string): never => {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `${source}: ${field} ${problem}`, { file: source, field });
  };
  const root = expectObject(json, 'catalogue', fail);
  if (root.schemaVersion !== 1) fail('schemaVersion', `must be 1, got ${JSON.stringify(root.schemaVersion)}`);
  const defaultModelId = expectString(root.defaultModelId, 'defaultModelId', fail);
  if (!Array.isArray(root.models)) fail('models', 'must be an array');
  const rawModels = root.models as unknown[];

  const models: CatalogueEntry[] = [];
  const seen = new Set<string>();
  rawModels.forEach((raw, index) => {
    const at = `models[${index}]`;
    const entry = parseEntry(raw, at, fail);
    if (seen.has(entry.id)) fail(`${at}.id`, `duplicates id "${entry.id}"`);
    seen.add(entry.id);
    models.push(entry);
  });

  const defaultEntry = models.find((entry) => entry.id === defaultModelId);
  if (!defaultEntry) fail('defaultModelId', `names "${defaultModelId}", which is not in models`);
  else if (defaultEntry.status !== 'available') fail('defaultModelId', `names "${defaultModelId}", whose status is ${defaultEntry.status}`);
  return { schemaVersion: 1, defaultModelId, models };
}

/** The catalogue entry for `id`, or a CATALOGUE_UNKNOWN_ID error listing the known ids. */
export function findCatalogueEntry(catalogue: Catalogue, id: string): CatalogueEntry {
  const entry = catalogue.models.find((candidate) => candidate.id === id);
  if (!entry) {
    const known = catalogue.models.map((candidate) => candidate.id).join(', ');
    throw new TingxieError(ErrorCodes.CATALOGUE_UNKNOWN_ID, `unknown model id "${id}"; known models: ${known}`, { id });
  }
  return entry;
}

/** The file name an archive URL ends with, e.g. `sherpa-onnx-...-2024-07-17.tar.bz2`. */
export function archiveFileName(url: string): string {
  const path = new URL(url).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
}

/** An archive's file name without its `.tar.bz2` / `.tar.gz` / `.tgz` suffix. */
export function archiveStem(fileName: string): string {
  return fileName.replace(/\.(tar\.bz2|tbz2|tar\.gz|tgz)$/i, '');
}

type Fail = (field: string, problem: string) => never;

function parseEntry(raw: unknown, at: string, fail: Fail): CatalogueEntry {
  const obj = expectObject(raw, at, fail);
  const id = expectString(obj.id, `${at}.id`, fail);
  if (!MODEL_ID_PATTERN.test(id)) fail(`${at}.id`, `"${id}" must match ${MODEL_ID_PATTERN} (it becomes a folder name)`);
  if (id.includes('fixture')) fail(`${at}.id`, `"${id}" looks like a test fixture; fixtures never belong in the catalogue`);
  const family = expectOneOf(obj.family, CATALOGUE_FAMILIES, `${at}.family`, fail);
  const status = expectOneOf(obj.status, CATALOGUE_STATUSES, `${at}.status`, fail);
  if (!Array.isArray(obj.languages) || obj.languages.length === 0) fail(`${at}.languages`, 'must be a non-empty array of language codes');
  const languages = (obj.languages as unknown[]).map((language, i) => expectString(language, `${at}.languages[${i}]`, fail));
  const homepage = obj.homepage === undefined || obj.homepage === null ? null : expectUrl(obj.homepage, `${at}.homepage`, fail);

  const archiveObj = expectObject(obj.archive, `${at}.archive`, fail);
  const archive: CatalogueArchive = {
    url: expectUrl(archiveObj.url, `${at}.archive.url`, fail),
    format: expectOneOf(archiveObj.format, ARCHIVE_FORMATS, `${at}.archive.format`, fail),
    bytes: expectBytesOrNull(archiveObj.bytes, `${at}.archive.bytes`, fail),
    sha256: expectSha256OrNull(archiveObj.sha256, `${at}.archive.sha256`, fail),
  };

  if (!Array.isArray(obj.files) || obj.files.length === 0) fail(`${at}.files`, 'must be a non-empty array');
  const files = (obj.files as unknown[]).map((rawFile, i): CatalogueFile => {
    const fileAt = `${at}.files[${i}]`;
    const fileObj = expectObject(rawFile, fileAt, fail);
    const path = expectString(fileObj.path, `${fileAt}.path`, fail);
    if (!isSafeRelativePath(path)) fail(`${fileAt}.path`, `"${path}" must be a relative POSIX path without "." or ".." parts`);
    return {
      path,
      bytes: expectBytesOrNull(fileObj.bytes, `${fileAt}.bytes`, fail),
      sha256: expectSha256OrNull(fileObj.sha256, `${fileAt}.sha256`, fail),
    };
  });

  return {
    id,
    name: expectString(obj.name, `${at}.name`, fail),
    family,
    status,
    languages,
    license: expectString(obj.license, `${at}.license`, fail),
    homepage,
    description: expectString(obj.description, `${at}.description`, fail),
    archive,
    files,
  };
}

/** True for `a/b.txt`-style paths: relative, forward slashes, no empty, `.` or `..` parts. */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return false;
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

function expectObject(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'must be an object');
  return value as Record<string, unknown>;
}

function expectString(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string' || value.trim() === '') fail(field, 'must be a non-empty string');
  return value as string;
}

function expectOneOf<T extends string>(value: unknown, allowed: readonly T[], field: string, fail: Fail): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(field, `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}

function expectUrl(value: unknown, field: string, fail: Fail): string {
  const text = expectString(value, field, fail);
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    fail(field, `"${text}" is not a URL`);
  }
  if (url && url.protocol !== 'https:' && url.protocol !== 'http:') fail(field, `"${text}" must be http(s)`);
  return text;
}

function expectBytesOrNull(value: unknown, field: string, fail: Fail): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(field, 'must be a non-negative integer byte count or null');
  return value as number;
}

function expectSha256OrNull(value: unknown, field: string, fail: Fail): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !SHA256_PATTERN.test(value)) fail(field, 'must be 64 lower-case hex digits or null (null where unknown)');
  return value as string;
}
