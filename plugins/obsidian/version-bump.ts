/**
 * Sets the plugin's version in `manifest.json` and records it in `versions.json` (version → minAppVersion, what
 * Obsidian reads to offer older app versions a compatible release), together.
 *
 * Run: `node --import tsx plugins/obsidian/version-bump.ts 0.2.0 [--min-app 1.5.0]`.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SEMVER = /^\d+\.\d+\.\d+$/;

interface Manifest {
  version: string;
  minAppVersion: string;
  [key: string]: unknown;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  // Written then renamed: a failed write leaves the old file whole.
  const temp = `${path}.tmp`;
  await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temp, path);
}

/**
 * Bumps `dir`/manifest.json to `version` (and `minAppVersion` when given) and adds `version: minAppVersion` to
 * `dir`/versions.json. Throws (changing nothing) on a malformed version or one not above the current.
 */
export async function bumpVersion(dir: string, version: string, minAppVersion?: string): Promise<{ manifest: Manifest; versions: Record<string, string> }> {
  if (!SEMVER.test(version)) throw new Error(`Version must look like 1.2.3, got "${version}".`);
  if (minAppVersion !== undefined && !SEMVER.test(minAppVersion)) throw new Error(`minAppVersion must look like 1.2.3, got "${minAppVersion}".`);
  const manifestPath = join(dir, 'manifest.json');
  const versionsPath = join(dir, 'versions.json');
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
  const versions = JSON.parse(await readFile(versionsPath, 'utf8')) as Record<string, string>;
  const parts = (v: string): number[] => v.split('.').map(Number);
  const [a, b] = [parts(version), parts(manifest.version)];
  const newer = a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  if (newer <= 0) throw new Error(`Version ${version} is not above the current ${manifest.version}.`);
  const next: Manifest = { ...manifest, version, minAppVersion: minAppVersion ?? manifest.minAppVersion };
  const nextVersions = { ...versions, [version]: next.minAppVersion };
  await writeJson(versionsPath, nextVersions);
  await writeJson(manifestPath, next);
  return { manifest: next, versions: nextVersions };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [version, flag, minApp] = process.argv.slice(2);
  if (version === undefined || (flag !== undefined && (flag !== '--min-app' || minApp === undefined))) {
    console.error('Usage: version-bump.ts VERSION [--min-app MIN_APP_VERSION]');
    process.exit(2);
  }
  const { manifest } = await bumpVersion(fileURLToPath(new URL('.', import.meta.url)), version, minApp);
  console.log(`manifest.json and versions.json now at ${manifest.version} (minAppVersion ${manifest.minAppVersion})`);
}
