/**
 * `start-dictation` / `stop-dictation` as wired in main.ts — the browser WebSocket, getUserMedia and the
 * ScriptProcessor capture — in headless Chromium with a fake microphone playing the tone fixture, against a
 * real `tingxie serve`. The page is served as http://localhost (an origin the engine allows, as it allows
 * Obsidian's app://obsidian.md); the plugin runs on the obsidian mock, bundled for the browser.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { REPO_ROOT, TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';
import { DATE_WRITTEN, TIME_WRITTEN, startServe, writeAudioFixtures, type ServeChild } from '../server/server-helpers.ts';

const execFileAsync = promisify(execFile);
const MOCK = fileURLToPath(new URL('./obsidian-mock.ts', import.meta.url));
const MAIN = join(REPO_ROOT, 'plugins/obsidian/src/main.ts');
const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/obsidian');

let temp: { dir: string; cleanup: () => Promise<void> };
let server: ServeChild;
let browser: Browser;
let pageScript: string;

before(async () => {
  temp = await makeTempDir('obsidian-browser');
  const audio = await writeAudioFixtures(temp.dir);
  const mic = join(temp.dir, 'mic-48k.wav');
  await execFileAsync('sox', ['-D', audio.two, '-r', '48000', '-c', '1', '-b', '16', mic]);
  const entry = join(temp.dir, 'entry.ts');
  await writeFile(
    entry,
    `import { App, Notice } from ${JSON.stringify(MOCK)};
import TingxiePlugin from ${JSON.stringify(MAIN)};
declare global { interface Window { tingxie: unknown } }
export async function boot(engineUrl: string): Promise<void> {
  const app = new App();
  const plugin = new TingxiePlugin(app, { id: 'tingxie', name: 'Tingxie', version: '0.0.0' });
  plugin.savedData = { engineUrl };
  await plugin.onload();
  const view = app.workspace.open(app.vault.addFile('Dictated.md', 'Note: '))!;
  view.editor.setCursor({ line: 0, ch: 6 });
  const run = (id: string): void => {
    const command = plugin.commands.find((c) => c.id === id)!;
    if (command.editorCallback) command.editorCallback(view.editor, view);
    else command.callback!();
  };
  const show = (): void => {
    document.body.innerHTML = '';
    const status = document.createElement('div');
    status.textContent = 'Status bar: ' + (plugin.statusBarItems[0]!.text || '(idle)') + ' [' + [...plugin.statusBarItems[0]!.classes].join(' ') + ']';
    const pre = document.createElement('pre');
    pre.textContent = app.vault.text('Dictated.md');
    document.body.append(status, pre);
  };
  window.tingxie = { run, show, text: () => app.vault.text('Dictated.md'), status: () => plugin.statusBarItems[0]!.text, classes: () => [...plugin.statusBarItems[0]!.classes], notices: () => Notice.shown };
}
`,
  );
  const bundle = await build({ entryPoints: [entry], bundle: true, format: 'iife', globalName: 'TingxieTest', platform: 'browser', target: 'chrome114', alias: { obsidian: MOCK }, write: false, logLevel: 'silent' });
  pageScript = bundle.outputFiles[0]!.text;
  server = await startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', join(temp.dir, 'data')]);
  // The page comes from route interception, so Chromium counts it as public and would block it from reaching
  // the loopback engine (local network access checks); Obsidian's app:// renderer is not subject to that.
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${mic}`, '--autoplay-policy=no-user-gesture-required', '--disable-features=LocalNetworkAccessChecks,PrivateNetworkAccessRespectPreflightResults'],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await temp?.cleanup();
});

interface PageApi {
  run(id: string): void;
  show(): void;
  text(): string;
  status(): string;
  classes(): string[];
  notices(): string[];
}

test('dictation in Chromium: microphone → /api/stream → text at the cursor, status bar while listening', async () => {
  const page = await browser.newPage();
  try {
    await page.route('http://localhost/**', (route) => route.fulfill({ contentType: 'text/html', body: `<!doctype html><meta charset="utf-8"><body></body><script>${pageScript.replace(/<\/script/g, '<\\/script')}</script>` }));
    await page.goto('http://localhost/plugin.html');
    await page.evaluate(async (url) => (globalThis as unknown as { TingxieTest: { boot(u: string): Promise<void> } }).TingxieTest.boot(url), server.url);
    const api = async <T>(fn: (t: PageApi) => T): Promise<T> => page.evaluate(`(${fn.toString()})(window.tingxie)`) as Promise<T>;

    await page.evaluate(() => (globalThis as unknown as { tingxie: PageApi }).tingxie.run('start-dictation'));
    await page.waitForFunction(() => (globalThis as unknown as { tingxie: PageApi }).tingxie.status().startsWith('🎙 Listening'), undefined, { timeout: 15_000 }).catch(async (error: unknown) => {
      throw new Error(`not listening: status "${await api((t) => t.status())}", notices ${JSON.stringify(await api((t) => t.notices()))}; ${String(error)}`);
    });
    assert.deepEqual(await api((t) => t.classes()), ['tingxie-dictating']);
    // One pass of the looped recording: both utterances decoded and inserted.
    await page.waitForFunction((expected) => (globalThis as unknown as { tingxie: PageApi }).tingxie.text().includes(expected), TIME_WRITTEN, { timeout: 40_000 });
    await page.evaluate(() => (globalThis as unknown as { tingxie: PageApi }).tingxie.run('stop-dictation'));
    await page.waitForFunction(() => (globalThis as unknown as { tingxie: PageApi }).tingxie.status() === '', undefined, { timeout: 15_000 });

    const text = await api((t) => t.text());
    assert.ok(text.startsWith(`Note: ${DATE_WRITTEN}${TIME_WRITTEN}`), text);
    assert.deepEqual(await api((t) => t.classes()), []);
    assert.deepEqual(await api((t) => t.notices()), []);
    await page.evaluate(() => (globalThis as unknown as { tingxie: PageApi }).tingxie.show());
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dictation.png') });
  } finally {
    await page.close();
  }
});
