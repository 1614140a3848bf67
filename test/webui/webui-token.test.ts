/**
 * The WebUI against an engine that requires a token: the API refuses the page's calls until the token is typed
 * into the token field, and the page says so. The page itself (`/`, `/assets/*`) holds no data and is served
 * without a token; every API call carries only what the page sends.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';
import { DATE_WRITTEN, startServe, writeAudioFixtures, type AudioFixtures, type ServeChild } from '../server/server-helpers.ts';
import { ensureBuilt, openBrowser, screenshot, type BrowserSession } from './webui-helpers.ts';

const TOKEN = 'webui-test-token-0123456789';

let temp: { dir: string; cleanup: () => Promise<void> };
let audio: AudioFixtures;
let server: ServeChild;
let session: BrowserSession;

before(async () => {
  temp = await makeTempDir('webui-token');
  await ensureBuilt();
  audio = await writeAudioFixtures(temp.dir);
  server = await startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', join(temp.dir, 'data'), '--token', TOKEN]);
  session = await openBrowser();
});

test('token: the page and its assets load without a token; the API does not answer without one', async () => {
  const page = await fetch(`${server.url}/`);
  assert.equal(page.status, 200);
  const html = await page.text();
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(asset, 'the page references its bundle under /assets/');
  assert.equal((await fetch(`${server.url}${asset}`)).status, 200);
  const api = await fetch(`${server.url}/api/history`);
  assert.equal(api.status, 401);
  assert.equal(((await api.json()) as { error: { code: string } }).error.code, 'AUTH_REQUIRED');
  const health = await fetch(`${server.url}/health`);
  assert.equal(health.status, 200);
});

after(async () => {
  await session?.close();
  await server?.stop();
  await temp?.cleanup();
});

test('token: a refused call shows the token banner; the saved token is sent with every call afterwards', async () => {
  const { page } = session;
  await page.goto(`${server.url}/#/transcribe`);
  await page.locator('#transcribe-file').setInputFiles(audio.date);
  await page.locator('#transcribe-start').click();
  await page.locator('#transcribe-status[data-kind="error"]').waitFor();
  assert.match((await page.locator('#transcribe-status').textContent()) ?? '', /AUTH_REQUIRED/);
  const banner = page.locator('#banner');
  await banner.waitFor({ state: 'visible' });
  assert.match((await banner.textContent()) ?? '', /requires an access token/);
  await screenshot(page, 'token-required');

  await page.locator('#token').fill('wrong-token-0000000000');
  await page.locator('#token-save').click();
  await page.locator('#transcribe-start').click();
  await page.locator('#transcribe-status[data-kind="error"]').filter({ hasText: 'AUTH_INVALID' }).waitFor();
  assert.match((await banner.textContent()) ?? '', /token was refused/);

  await page.locator('#token').fill(TOKEN);
  await page.locator('#token-save').click();
  assert.equal(await banner.isVisible(), false);
  await page.locator('#transcribe-start').click();
  await page.locator('#result-itn').waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('#result-itn').textContent(), DATE_WRITTEN);

  // Stored in this browser: a reload keeps it.
  await page.reload();
  assert.equal(await page.locator('#token').inputValue(), TOKEN);
  await page.locator('#nav-history').click();
  await page.locator('#history-table tbody tr').first().waitFor();
  assert.equal(await page.locator('#history-table tbody tr').count(), 1);
});
