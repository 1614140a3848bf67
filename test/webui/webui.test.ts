/**
 * The WebUI end to end: a real `tingxie serve` child process with the tone fixture model, driven through headless
 * Chromium. Transcribe one file (exact text), a batch of five (every bar reaches done), history search, live
 * dictation from Chromium's fake microphone (partial, then final text), a screenshot of every page, and no request
 * to any non-loopback host.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';
import { DATE_TEXT, DATE_WRITTEN, TIME_TEXT, TIME_WRITTEN, startServe, writeAudioFixtures, type AudioFixtures, type ServeChild } from '../server/server-helpers.ts';
import { ensureBuilt, isLocalRequest, openBrowser, screenshot, type BrowserSession } from './webui-helpers.ts';

let temp: { dir: string; cleanup: () => Promise<void> };
let audio: AudioFixtures;
let server: ServeChild;
let session: BrowserSession;

before(async () => {
  temp = await makeTempDir('webui');
  await ensureBuilt();
  audio = await writeAudioFixtures(temp.dir);
  // A generous request budget: the large-drop test alone sends 120 requests in a few seconds.
  server = await startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', join(temp.dir, 'data'), '--rate-limit', '100000']);
  session = await openBrowser({ fakeMicWav: audio.date });
});

after(async () => {
  await session?.close();
  await server?.stop();
  await temp?.cleanup();
});

test('transcribe: upload one file and see the exact ITN and raw text, segments and downloads', async () => {
  const { page } = session;
  await page.goto(`${server.url}/#/transcribe`);
  await page.locator('#transcribe-file').setInputFiles(audio.two);
  await page.locator('#transcribe-file-info').filter({ hasText: 'two.wav' }).waitFor();
  // Ctrl+Enter starts, as the hint on the button says.
  await page.locator('#transcribe-hotwords').press('Control+Enter');
  await page.locator('#result-itn').waitFor({ timeout: 20_000 });
  assert.equal(await page.locator('#result-itn').textContent(), DATE_WRITTEN + TIME_WRITTEN);
  assert.equal(await page.locator('#result-raw').textContent(), DATE_TEXT + TIME_TEXT);
  const rows = page.locator('#result-segments tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match((await rows.nth(0).textContent()) ?? '', new RegExp(DATE_WRITTEN));
  const [srt] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'SRT', exact: true }).click()]);
  assert.equal(srt.suggestedFilename(), 'two.srt');
  await screenshot(page, 'transcribe');
});

test('batch: five files, every progress bar reaches done, results exported with the engine fields', async () => {
  const { page } = session;
  const files = [1, 2, 3, 4].map((n) => join(temp.dir, `batch-${n}.wav`));
  for (const file of files) await copyFile(audio.date, file);
  const two = join(temp.dir, 'batch-5-two.wav');
  await copyFile(audio.two, two);
  await page.goto(`${server.url}/#/batch`);
  await page.locator('#batch-files').setInputFiles([...files, two]);
  const rows = page.locator('#batch-table tbody tr');
  assert.equal(await rows.count(), 5);
  await page.locator('#batch-table tbody tr[data-state="done"]').nth(4).waitFor({ timeout: 30_000 });
  for (let i = 0; i < 5; i++) {
    const row = rows.nth(i);
    assert.equal(await row.getAttribute('data-state'), 'done');
    assert.equal(await row.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
  }
  assert.equal(await page.locator('#batch-overall').getAttribute('aria-valuenow'), '100');
  assert.equal(await rows.nth(4).locator('.batch-text').textContent(), DATE_WRITTEN + TIME_WRITTEN);
  await screenshot(page, 'batch');
  const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#batch-export-json').click()]);
  const exported = JSON.parse(await readFile((await json.path())!, 'utf8')) as { filename: string; status: string; text: string; history_id: number }[];
  assert.deepEqual(
    exported.map((row) => [row.filename, row.status, row.text]),
    [...files.map((f) => [basename(f), 'done', DATE_WRITTEN]), ['batch-5-two.wav', 'done', DATE_WRITTEN + TIME_WRITTEN]],
  );
  assert.ok(exported.every((row) => Number.isInteger(row.history_id)));
});

test('batch: a drop of many files warns, uploads a few at a time, and shows each rejected file', async () => {
  const { page } = session;
  const junkDir = join(temp.dir, 'junk');
  await mkdir(junkDir, { recursive: true });
  const junk = await Promise.all(
    Array.from({ length: 60 }, async (_, i) => {
      const path = join(junkDir, `notes-${String(i).padStart(2, '0')}.wav`);
      await writeFile(path, `not audio at all, file ${i}\n`.repeat(4));
      return path;
    }),
  );
  await page.goto(`${server.url}/#/batch`);
  await page.reload(); // a fresh queue
  await page.locator('#batch-files').setInputFiles(junk);
  assert.match((await page.locator('#batch-warning').textContent()) ?? '', /60 files .* 3 at a time/);
  // Never more than three in flight at once.
  const inFlight = await page.locator('#batch-table tbody tr[data-state="uploading"], #batch-table tbody tr[data-state="queued"], #batch-table tbody tr[data-state="running"]').count();
  assert.ok(inFlight <= 3, `in flight: ${inFlight}`);
  await page.waitForFunction("document.querySelectorAll('#batch-table tbody tr[data-state=\"failed\"]').length === 60", undefined, { timeout: 60_000 });
  const firstError = (await page.locator('#batch-table tbody tr .batch-text').first().textContent()) ?? '';
  assert.match(firstError, /not audio.*\(AUDIO_NOT_AUDIO: /);
  await screenshot(page, 'batch-rejected');
});

test('history: full-text search finds the right transcriptions and shows one', async () => {
  const { page } = session;
  await page.goto(`${server.url}/#/history`);
  await page.locator('#history-table tbody tr').first().waitFor();
  assert.equal(await page.locator('#history-table tbody tr').count(), 6); // one transcription + five batch files
  await page.locator('#history-search').fill('十点半');
  await page.waitForFunction("document.querySelectorAll('#history-table tbody tr').length === 2");
  const names = await page.locator('#history-table tbody tr td:nth-child(2)').allTextContents();
  assert.deepEqual(names.sort(), ['batch-5-two.wav', 'two.wav']);
  await page.locator('#history-table tbody tr').first().getByRole('button', { name: /^View/ }).click();
  await page.locator('#history-detail-itn').waitFor();
  assert.equal(await page.locator('#history-detail-itn').textContent(), DATE_WRITTEN + TIME_WRITTEN);
  await screenshot(page, 'history');
});

test('live: dictation from the fake microphone shows partial text, then the final segment', async () => {
  const { page } = session;
  await page.goto(`${server.url}/#/live`);
  // Log every change of the partial line and every committed final, in order.
  await page.evaluate(`(() => {
    window.liveLog = [];
    const partial = document.getElementById('live-partial');
    new MutationObserver(() => { if (partial.textContent) window.liveLog.push('partial:' + partial.textContent); }).observe(partial, { childList: true, characterData: true, subtree: true });
    new MutationObserver((records) => { for (const r of records) for (const n of r.addedNodes) window.liveLog.push('final:' + n.querySelector('.final-text').textContent); })
      .observe(document.getElementById('live-finals'), { childList: true });
  })()`);
  await page.locator('#live-start').click();
  await page.locator('#live-finals .final-text').first().waitFor({ timeout: 30_000 });
  await page.locator('#live-stop').click();
  await page.locator('#live-status[data-kind="success"]').waitFor({ timeout: 15_000 });
  const log = (await page.evaluate('window.liveLog')) as string[];
  const firstFinal = log.findIndex((entry) => entry.startsWith('final:'));
  assert.equal(log[firstFinal], `final:${DATE_WRITTEN}`, log.join(' | '));
  const partials = log.slice(0, firstFinal);
  assert.ok(partials.length >= 1, `a partial came before the final: ${log.join(' | ')}`);
  // Partials are the utterance so far: the first is a beginning of it (spoken or written form), and it grew.
  const first = partials[0]!.slice('partial:'.length);
  assert.ok(first.length > 0 && (DATE_TEXT.startsWith(first) || DATE_WRITTEN.startsWith(first)), log.join(' | '));
  assert.notEqual(first, DATE_WRITTEN, log.join(' | '));
  const level = Number(await page.locator('#live-level').getAttribute('aria-valuenow'));
  assert.equal(level, 0, 'the meter falls back to zero once stopped');
  await screenshot(page, 'live');
});

test('hotwords: add a weighted phrase, save, and read it back from the engine', async () => {
  const { page } = session;
  await page.goto(`${server.url}/#/hotwords`);
  await page.locator('#hotwords-add').click();
  await page.locator('#hotwords-rows tr').last().locator('.hw-phrase').fill('听写');
  await page.locator('#hotwords-rows tr').last().locator('.hw-weight').fill('20');
  await page.locator('#hotwords-save').click();
  await page.locator('#hotwords-status[data-kind="success"]').waitFor();
  const saved = (await (await fetch(`${server.url}/api/hotwords`)).json()) as { hotwords: { phrase: string; weight: number | null }[] };
  assert.deepEqual(saved.hotwords, [{ phrase: '听写', weight: 20 }]);
  await screenshot(page, 'hotwords');
});

test('models: the loaded fixture, the device, and the import command', async () => {
  const { page } = session;
  await page.goto(`${server.url}/#/models`);
  await page.locator('#models-device').waitFor();
  assert.equal(await page.locator('#models-device').textContent(), 'cpu');
  assert.equal(await page.locator('#models-state').textContent(), 'ready');
  assert.match((await page.locator('#models-loaded').textContent()) ?? '', /sense_voice/);
  assert.equal(await page.locator('#models-import-command').textContent(), 'tingxie models import FILE');
  await screenshot(page, 'models');
});

test('VAD view: waveform with two speech segments and their statistics', async () => {
  const { page } = session;
  await page.goto(`${server.url}/#/vad`);
  await page.locator('#vad-file').setInputFiles(audio.two);
  await page.locator('#vad-result').waitFor({ state: 'visible', timeout: 20_000 });
  assert.equal(await page.locator('#vad-turns').textContent(), '2');
  assert.equal(await page.locator('#vad-pauses').textContent(), '1');
  const ratio = Number((await page.locator('#vad-ratio').textContent())!.replace('%', ''));
  assert.ok(ratio > 40 && ratio < 95, `speech ratio ${ratio}%`);
  // The canvas was drawn: some pixels are not transparent.
  const painted = (await page.evaluate(`(() => { const c = document.getElementById('vad-canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()`)) as number;
  assert.ok(painted > 1000, `painted pixels: ${painted}`);
  await screenshot(page, 'vad');
});

test('Chinese interface: follows the switch, every page still renders', async () => {
  const { page } = session;
  await page.goto(`${server.url}/#/transcribe`);
  await page.locator('#ui-lang').selectOption('zh-CN');
  assert.equal(await page.locator('#nav-history').textContent(), '历史');
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  for (const id of ['transcribe', 'live', 'batch', 'history', 'hotwords', 'models', 'vad']) {
    await page.locator(`#nav-${id}`).click();
    await page.waitForTimeout(150);
    await screenshot(page, `zh-${id}`);
  }
  // The choice is remembered.
  await page.reload();
  assert.equal(await page.locator('#nav-history').textContent(), '历史');
  await page.locator('#ui-lang').selectOption('en');
});

test('no model: the banner says so with the command, and the page names the fix when a file is sent', async () => {
  const bare = await startServe(['--data-dir', join(temp.dir, 'data-empty')]);
  const page = await session.context.newPage();
  page.on('request', (request) => session.requests.push(request.url()));
  try {
    await page.goto(`${bare.url}/#/transcribe`);
    const banner = page.locator('#banner');
    await banner.waitFor({ state: 'visible' });
    assert.match((await banner.textContent()) ?? '', /no speech model.*tingxie models pull/s);
    await page.locator('#transcribe-file').setInputFiles(audio.date);
    await page.locator('#transcribe-start').click();
    await page.locator('#transcribe-status[data-kind="error"]').waitFor();
    assert.match((await page.locator('#transcribe-status').textContent()) ?? '', /No model is loaded.*MODEL_NOT_LOADED/);
    await screenshot(page, 'no-model');
    await banner.getByRole('button', { name: 'Open Models' }).click();
    await page.locator('#models-table').waitFor();
    assert.equal(new URL(page.url()).hash, '#/models');
  } finally {
    await page.close();
    await bare.stop();
  }
});

test('accessibility: every control on every page has a label, and the pages are reachable by keyboard', async () => {
  const { page } = session;
  await page.goto(`${server.url}/#/transcribe`);
  const unlabelled: string[] = [];
  for (const id of ['transcribe', 'live', 'batch', 'history', 'hotwords', 'models', 'vad']) {
    await page.locator(`#nav-${id}`).click();
    await page.locator(`#${id}-title`).waitFor();
    const missing = (await page.evaluate(`[...document.querySelectorAll('input, select, textarea, button')]
      .filter((el) => !el.closest('[hidden]') && el.getAttribute('aria-hidden') !== 'true')
      .filter((el) => !(el.getAttribute('aria-label') || (el.labels && el.labels.length > 0) || (el.tagName === 'BUTTON' && el.textContent.trim())))
      .map((el) => el.outerHTML.slice(0, 120))`)) as string[];
    unlabelled.push(...missing.map((html) => `${id}: ${html}`));
  }
  assert.deepEqual(unlabelled, []);
  // Tab from the top reaches the navigation, and Enter on a link switches page.
  await page.goto(`${server.url}/#/transcribe`);
  await page.reload(); // a fresh document: focus starts at the top
  await page.locator('#nav-transcribe').waitFor();
  let focused = '';
  for (let i = 0; i < 10 && focused !== 'nav-history'; i++) {
    await page.keyboard.press('Tab');
    focused = (await page.evaluate('document.activeElement && document.activeElement.id')) as string;
  }
  assert.equal(focused, 'nav-history');
  await page.keyboard.press('Enter');
  await page.locator('#history-title').waitFor();
});

test('every request went to the engine on loopback', () => {
  assert.ok(session.requests.length > 3, 'requests were recorded');
  const remote = session.requests.filter((url) => !isLocalRequest(url));
  assert.deepEqual(remote, []);
});
