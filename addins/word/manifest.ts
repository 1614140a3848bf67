/**
 * The Word add-in manifest for another origin. `manifests/word/manifest.xml` points at
 * `https://localhost:7860` (the engine's default with `--tls`); an intranet deployment serves the add-in from
 * its own engine, so every URL (icons, task pane, AppDomain) is rewritten to that origin.
 *
 *   node --import tsx addins/word/manifest.ts --origin https://tingxie.intranet:7860 [--out manifest.xml]
 *
 * Without `--out` the manifest goes to stdout.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The origin the checked-in manifest uses. */
export const DEFAULT_ADDIN_ORIGIN = 'https://localhost:7860';
export const MANIFEST_PATH = fileURLToPath(new URL('../../manifests/word/manifest.xml', import.meta.url));

/**
 * Normalizes an origin (`scheme://host[:port]`, no path). Office only loads add-ins over HTTPS, so plain
 * HTTP is refused unless `allowHttp` (tests).
 */
export function normalizeOrigin(origin: string, allowHttp = false): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new Error(`Not a URL: ${origin}`);
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) throw new Error(`The add-in origin must be https:// (Office loads add-ins only over HTTPS): ${origin}`);
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) throw new Error(`Give an origin only (scheme://host:port), without a path: ${origin}`);
  return url.origin;
}

/** The manifest with every `https://localhost:7860` URL replaced by `origin`. */
export function rewriteManifestOrigin(xml: string, origin: string, opts: { allowHttp?: boolean } = {}): string {
  const target = normalizeOrigin(origin, opts.allowHttp);
  // Escaped for XML attributes and text (an origin has no quotes, but hosts come from users).
  const escaped = target.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
  return xml.split(DEFAULT_ADDIN_ORIGIN).join(escaped);
}

export async function writeManifestForOrigin(origin: string, out: string | null): Promise<string> {
  const xml = rewriteManifestOrigin(await readFile(MANIFEST_PATH, 'utf8'), origin);
  if (out) await writeFile(out, xml);
  return xml;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { origin: { type: 'string' }, out: { type: 'string' } } });
  if (!values.origin) throw new Error('Usage: node --import tsx addins/word/manifest.ts --origin https://host:port [--out manifest.xml]');
  const xml = await writeManifestForOrigin(values.origin, values.out ?? null);
  if (!values.out) process.stdout.write(xml);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
