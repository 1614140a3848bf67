/** The release build (CommonJS main.js, `obsidian` external, manifest + styles next to it) and the version bump. */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { PLUGIN_DIR, build } from '../../plugins/obsidian/build.ts';
import { bumpVersion } from '../../plugins/obsidian/version-bump.ts';
import * as obsidianMock from './obsidian-mock.ts';

test('build: one CommonJS main.js that requires only "obsidian", whose default export loads in the mock app', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'tingxie-obsidian-build-'));
  try {
    await build({ outDir });
    const code = await readFile(join(outDir, 'main.js'), 'utf8');
    assert.doesNotMatch(code, /^\s*(import|export)\s/m, 'no ES module syntax');
    assert.match(code, /module\.exports\s*=/);
    // Nothing of the obsidian module is bundled: its classes are only reached through require.
    assert.doesNotMatch(code, /class \w+ extends Component|getFirstLinkpathDest\(linkpath/);

    // Load it as Obsidian does: CommonJS with Obsidian's require.
    const required: string[] = [];
    const module = { exports: {} as { default?: unknown } };
    const fakeRequire = (id: string): unknown => {
      required.push(id);
      if (id === 'obsidian') return obsidianMock;
      throw new Error(`main.js requires ${id}`);
    };
    new Function('require', 'module', 'exports', code)(fakeRequire, module, module.exports);
    assert.deepEqual([...new Set(required)], ['obsidian']);
    const PluginClass = module.exports.default as new (app: obsidianMock.App, manifest: obsidianMock.PluginManifest) => obsidianMock.Plugin;
    const plugin = new PluginClass(new obsidianMock.App(), { id: 'tingxie', name: 'Tingxie', version: '0.1.0' });
    await plugin.onload();
    assert.deepEqual(
      plugin.commands.map((c) => c.id),
      ['transcribe-audio-in-note', 'retranscribe-audio-in-note', 'transcribe-audio-file', 'insert-meeting-minutes', 'start-dictation', 'stop-dictation', 'cancel'],
    );
    assert.equal(plugin.settingTabs.length, 1);
    assert.equal(plugin.app.workspace.listenerCount('file-menu'), 1);

    assert.deepEqual(JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')), JSON.parse(await readFile(join(PLUGIN_DIR, 'manifest.json'), 'utf8')));
    assert.equal(await readFile(join(outDir, 'styles.css'), 'utf8'), await readFile(join(PLUGIN_DIR, 'styles.css'), 'utf8'));
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});

test('manifest: id tingxie, a version listed in versions.json with the manifest\'s minAppVersion', async () => {
  const manifest = JSON.parse(await readFile(join(PLUGIN_DIR, 'manifest.json'), 'utf8')) as Record<string, unknown>;
  const versions = JSON.parse(await readFile(join(PLUGIN_DIR, 'versions.json'), 'utf8')) as Record<string, string>;
  assert.equal(manifest.id, 'tingxie');
  for (const key of ['name', 'version', 'minAppVersion', 'description', 'author']) assert.equal(typeof manifest[key], 'string', key);
  assert.equal(versions[manifest.version as string], manifest.minAppVersion);
});

test('version bump updates manifest.json and versions.json together, and refuses bad or older versions', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tingxie-obsidian-bump-'));
  try {
    await copyFile(join(PLUGIN_DIR, 'manifest.json'), join(dir, 'manifest.json'));
    await writeFile(join(dir, 'versions.json'), '{\n  "0.1.0": "1.4.0"\n}\n');
    const original = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...original, version: '0.1.0', minAppVersion: '1.4.0' }, null, 2));

    await bumpVersion(dir, '0.2.0');
    await bumpVersion(dir, '0.3.0', '1.5.0');
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(manifest, { ...original, version: '0.3.0', minAppVersion: '1.5.0' });
    assert.equal(await readFile(join(dir, 'versions.json'), 'utf8'), '{\n  "0.1.0": "1.4.0",\n  "0.2.0": "1.4.0",\n  "0.3.0": "1.5.0"\n}\n');

    await assert.rejects(bumpVersion(dir, '0.3.0'), /not above the current 0\.3\.0/);
    await assert.rejects(bumpVersion(dir, 'v1'), /must look like 1\.2\.3/);
    assert.equal((JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { version: string }).version, '0.3.0');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
