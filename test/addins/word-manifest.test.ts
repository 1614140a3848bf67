/**
 * The Word add-in's manifest and how the engine serves the built pane: `office-addin-manifest info` parses
 * the manifest offline (its `validate` needs Microsoft's online service, and the package ships no XSDs), the
 * origin rewrite changes every URL, and `/addins/word/` serves the pane, bundle, icons and manifest.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { build } from '../../addins/word/build.ts';
import { DEFAULT_ADDIN_ORIGIN, MANIFEST_PATH, normalizeOrigin, rewriteManifestOrigin } from '../../addins/word/manifest.ts';
import { buildApp } from '../../engine/src/server/app.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { REPO_ROOT } from '../helpers/tone-speech.ts';
import { testConfig } from '../server/server-helpers.ts';

const execFileAsync = promisify(execFile);
const MANIFEST_CLI = join(REPO_ROOT, 'node_modules/office-addin-manifest/cli.js');

let temp: { dir: string; cleanup: () => Promise<void> };

before(async () => {
  temp = await makeTempDir('word-manifest');
});

after(async () => {
  await temp.cleanup();
});

async function manifestInfo(path: string): Promise<string> {
  const { stdout } = await execFileAsync(process.execPath, [MANIFEST_CLI, 'info', path], { env: { ...process.env, OFFICE_ADDIN_USAGE_DATA_LEVEL: 'off' } });
  return stdout;
}

test('office-addin-manifest info parses the manifest: a Word task pane with ReadWriteDocument on localhost', async () => {
  const info = await manifestInfo(MANIFEST_PATH);
  assert.match(info, /Id: 6f1d8f3e-2b7a-4c59-9a0e-7d3c1b5e4a21/);
  assert.match(info, /Type: TaskPaneApp/);
  assert.match(info, /Hosts: Document/);
  assert.match(info, /Permissions: ReadWriteDocument/);
  assert.match(info, /Source Location: https:\/\/localhost:7860\/addins\/word\/taskpane\.html/);
  assert.match(info, /Icon Url: https:\/\/localhost:7860\/addins\/word\/icon-32\.png/);

  const xml = await readFile(MANIFEST_PATH, 'utf8');
  // The ribbon button (VersionOverrides) opens the same pane.
  assert.match(xml, /<VersionOverrides [^>]*xsi:type="VersionOverridesV1_0"/);
  assert.match(xml, /<ExtensionPoint xsi:type="PrimaryCommandSurface">[\s\S]*<Control xsi:type="Button"[\s\S]*<Action xsi:type="ShowTaskpane">[\s\S]*<SourceLocation resid="Tingxie.Taskpane.Url"\/>/);
  assert.match(xml, /<bt:Url id="Tingxie.Taskpane.Url" DefaultValue="https:\/\/localhost:7860\/addins\/word\/taskpane.html"\/>/);
  // Every resid used is defined once.
  const used = new Set([...xml.matchAll(/resid="([^"]+)"/g)].map((m) => m[1]!));
  const defined = [...xml.matchAll(/<bt:(?:Image|Url|String) id="([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(new Set(defined).size, defined.length, 'duplicate resource ids');
  for (const id of used) assert.ok(defined.includes(id), `resid ${id} is not defined`);
});

test('office-addin-manifest info rejects a malformed manifest (the check can fail)', async () => {
  const broken = join(temp.dir, 'broken.xml');
  await writeFile(broken, (await readFile(MANIFEST_PATH, 'utf8')).replace('</OfficeApp>', ''));
  const output = await manifestInfo(broken).catch((error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`);
  assert.match(output, /Unable to parse the manifest file/);
});

test('rewriteManifestOrigin moves every URL to the intranet origin, and info reads the result', async () => {
  const xml = rewriteManifestOrigin(await readFile(MANIFEST_PATH, 'utf8'), 'https://tingxie.corp.example:8443/');
  assert.ok(!xml.includes(DEFAULT_ADDIN_ORIGIN));
  const urls = [...xml.matchAll(/https?:\/\/[^"<\s]+/g)].map((m) => m[0]).filter((url) => !url.includes('schemas.microsoft.com') && !url.includes('www.w3.org'));
  assert.ok(urls.length >= 8, `urls: ${urls.join(' ')}`);
  for (const url of urls) assert.ok(url.startsWith('https://tingxie.corp.example:8443/addins/word/') || url === 'https://tingxie.corp.example:8443', url);
  const out = join(temp.dir, 'intranet.xml');
  await writeFile(out, xml);
  const info = await manifestInfo(out);
  assert.match(info, /Source Location: https:\/\/tingxie\.corp\.example:8443\/addins\/word\/taskpane\.html/);
  assert.match(info, /AppDomains: https:\/\/tingxie\.corp\.example:8443/);

  assert.equal(normalizeOrigin('https://Host.Example:443'), 'https://host.example');
  assert.throws(() => normalizeOrigin('http://host:7860'), /must be https/);
  assert.equal(normalizeOrigin('http://127.0.0.1:7860', true), 'http://127.0.0.1:7860');
  assert.throws(() => normalizeOrigin('https://host/addins'), /without a path/);
  assert.throws(() => normalizeOrigin('not a url'), /Not a URL/);
});

test('the manifest CLI writes the rewritten manifest', async () => {
  const out = join(temp.dir, 'cli.xml');
  await execFileAsync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'addins/word/manifest.ts'), '--origin', 'https://10.0.0.5:7860', '--out', out], { cwd: REPO_ROOT });
  const xml = await readFile(out, 'utf8');
  assert.match(xml, /<SourceLocation DefaultValue="https:\/\/10\.0\.0\.5:7860\/addins\/word\/taskpane\.html"\/>/);
  assert.ok(!xml.includes('localhost:7860'));
});

test('the engine serves the built pane, bundle, icons and manifest at /addins/word/', async () => {
  await build();
  const app: FastifyInstance = await buildApp({ config: testConfig(join(temp.dir, 'data')), loadModelAtStart: false });
  try {
    const html = await app.inject({ method: 'GET', url: '/addins/word/taskpane.html' });
    assert.equal(html.statusCode, 200);
    assert.match(String(html.headers['content-type']), /text\/html/);
    assert.match(html.body, /<script src="taskpane\.js"><\/script>/);
    assert.match(html.body, /appsforoffice\.microsoft\.com\/lib\/1\/hosted\/office\.js/);
    assert.equal(html.headers['cache-control'], 'no-cache');

    const js = await app.inject({ method: 'GET', url: '/addins/word/taskpane.js' });
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /javascript/);
    assert.ok(js.body.includes('tingxie-dictation-'), 'the bundle holds the Word operations');

    const manifest = await app.inject({ method: 'GET', url: '/addins/word/manifest.xml' });
    assert.equal(manifest.statusCode, 200);
    assert.equal(manifest.body, await readFile(MANIFEST_PATH, 'utf8'));

    for (const size of [16, 32, 80]) {
      const icon = await app.inject({ method: 'GET', url: `/addins/word/icon-${size}.png` });
      assert.equal(icon.statusCode, 200);
      assert.deepEqual([...icon.rawPayload.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      // PNG IHDR width, as the manifest's size says.
      assert.equal(icon.rawPayload.readUInt32BE(16), size);
    }
    const redirect = await app.inject({ method: 'GET', url: '/addins/word' });
    assert.equal(redirect.statusCode, 302);
    assert.equal(redirect.headers.location, '/addins/word/taskpane.html');
    const missing = await app.inject({ method: 'GET', url: '/addins/word/nope.js' });
    assert.equal(missing.statusCode, 404);
  } finally {
    await app.close();
  }
});
