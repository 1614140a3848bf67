/**
 * The Word task pane end to end: the built pane served by a real `tingxie serve` child (tone fixture model),
 * opened in headless Chromium with the fake Office host (test/addins/fake-office-host.ts) served in place of
 * Microsoft's office.js. Transcribing a file inserts the exact table, minutes insert Word-styled headings,
 * lists and the action-item table, dictation from Chromium's fake microphone inserts the exact text at the
 * cursor, and an unreachable engine shows what to do. Screenshots go to test-artifacts/word/.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from '../../addins/word/build.ts';
import { formatTimestamp } from '../../addins/word/src/format.ts';
import { writeWav16 } from '../../models/fixtures/tone.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { REPO_ROOT, TONE_FIXTURE_DIR, concatAudio, loadToneSpec, makeSpeechBed, toneSpeech } from '../helpers/tone-speech.ts';
import { DATE_TEXT, DATE_WRITTEN, TIME_TEXT, TIME_WRITTEN, startServe, writeAudioFixtures, type AudioFixtures, type ServeChild } from '../server/server-helpers.ts';
import { FAKE_OFFICE_JS } from './fake-office-host.ts';

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/word');

/** What the page functions below touch in the browser (the test itself is type-checked without the DOM lib). */
interface PageGlobals {
  document: { getElementById(id: string): { textContent: string | null } | null };
  __fakeWord: { snapshot(): Block[]; ops: string[]; errors: string[]; runs: number };
}

interface Block {
  type: 'paragraph' | 'table';
  style: string;
  text?: string;
  list?: string | null;
  controls?: number;
  headerRowCount?: number;
  values?: string[][];
}

let temp: { dir: string; cleanup: () => Promise<void> };
let audio: AudioFixtures;
let server: ServeChild;
let browser: Browser;

before(async () => {
  temp = await makeTempDir('word-pane');
  await mkdir(ARTIFACTS, { recursive: true });
  await build();
  audio = await writeAudioFixtures(temp.dir);
  // The fake microphone loops its file: two utterances, then a long silence to stop in.
  const spec = loadToneSpec();
  const bed = await makeSpeechBed(temp.dir);
  const micFile = join(temp.dir, 'mic.wav');
  await writeWav16(
    micFile,
    concatAudio(toneSpeech(DATE_TEXT, spec, bed, { leadS: 1.5, trailS: 1.2 }), toneSpeech(TIME_TEXT, spec, bed, { leadS: 0.3, trailS: 0 }), new Float32Array(16000 * 40)),
  );
  // Frequent partials, so the pane usually sees a sentence's complete partial before its final.
  server = await startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', join(temp.dir, 'data')], { env: { TINGXIE_STREAM_PARTIAL_INTERVAL: '0.2' } });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${micFile}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await temp?.cleanup();
});

/** The pane from the engine, with the fake Office host in place of office.js and nothing else off-machine. */
async function openPane(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 380, height: 720 }, permissions: ['microphone'] });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('https://appsforoffice.microsoft.com/')) return route.fulfill({ status: 200, contentType: 'application/javascript', body: FAKE_OFFICE_JS });
    if (/^(http|ws):\/\/127\.0\.0\.1:\d+\//.test(url)) return route.continue();
    return route.abort();
  });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/addins/word/taskpane.html`);
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('dictate-toggle')?.textContent === '开始听写');
  assert.deepEqual(pageErrors, []);
  return page;
}

async function documentBlocks(page: Page): Promise<Block[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).__fakeWord.snapshot());
}

async function fakeWordState(page: Page): Promise<{ ops: string[]; errors: string[]; runs: number }> {
  return page.evaluate(() => {
    const fake = (globalThis as unknown as PageGlobals).__fakeWord;
    return { ops: [...fake.ops], errors: [...fake.errors], runs: fake.runs };
  });
}

async function statusText(page: Page, kind: 'ok' | 'error'): Promise<string> {
  await page.waitForSelector(`#status.status-${kind}`, { timeout: 30_000 });
  return (await page.textContent('#status')) ?? '';
}

test('transcribe a file: uploads with progress and inserts the exact two-column table in one Word.run', async () => {
  const page = await openPane();
  try {
    await page.click('[data-tab="transcribe"]');
    await page.setInputFiles('#transcribe-file', audio.two);
    await page.selectOption('#format', 'table');
    await page.screenshot({ path: join(ARTIFACTS, 'transcribe-ready.png') });
    await page.click('#transcribe-run');
    assert.equal(await statusText(page, 'ok'), '已插入文档。');
    await page.screenshot({ path: join(ARTIFACTS, 'transcribe-done.png') });

    // The engine's own segment times for the same file, in the pane's m:ss form.
    const form = new FormData();
    form.append('file', new Blob([await (await import('node:fs/promises')).readFile(audio.two)]), 'two.wav');
    form.append('response_format', 'verbose_json');
    const verbose = (await (await fetch(`${server.url}/v1/audio/transcriptions`, { method: 'POST', body: form })).json()) as { segments: { start: number; text: string }[] };
    assert.deepEqual(
      verbose.segments.map((s) => s.text),
      [DATE_WRITTEN, TIME_WRITTEN],
    );
    const blocks = await documentBlocks(page);
    assert.deepEqual(blocks, [
      { type: 'paragraph', style: 'Normal', list: null, text: 'Notes: ', controls: 0 },
      {
        type: 'table',
        style: 'GridTable4_Accent1',
        headerRowCount: 1,
        values: [
          ['时间', '内容'],
          [formatTimestamp(verbose.segments[0]!.start), DATE_WRITTEN],
          [formatTimestamp(verbose.segments[1]!.start), TIME_WRITTEN],
        ],
      },
    ]);
    assert.equal(blocks[1]!.values![1]![0], '0:00');
    const state = await fakeWordState(page);
    assert.equal(state.runs, 1);
    assert.deepEqual(state.errors, []);
    assert.equal(state.ops.filter((op) => op === 'sync').length, 1);
  } finally {
    await page.context().close();
  }
});

test('minutes: from a recording and from the last transcription, with Word heading styles, lists and the action-item table', async () => {
  const page = await openPane();
  try {
    await page.click('[data-tab="minutes"]');
    await page.setInputFiles('#minutes-file', audio.two);
    await page.click('#minutes-run');
    assert.equal(await statusText(page, 'ok'), '已插入文档。');
    const fromFile = await documentBlocks(page);
    assert.deepEqual(
      fromFile.map((b) => [b.style, b.text]),
      [
        ['Normal', 'Notes: '],
        ['Heading1', fromFile[1]!.text],
        ['Normal', fromFile[2]!.text],
        ['Heading2', '摘要'],
        ...fromFile.slice(4, fromFile.findIndex((b) => b.text === '决定')).map((b) => [b.style, b.text]),
        ['Heading2', '决定'],
        ['Normal', '无'],
        ['Heading2', '待办事项'],
        ['Normal', '无'],
        ['Heading2', '完整记录'],
        ['Normal', `[${formatTimestamp(0.5)}] ${DATE_WRITTEN}`],
        ['Normal', fromFile[fromFile.length - 1]!.text],
      ],
    );
    assert.match(fromFile[fromFile.length - 1]!.text!, new RegExp(`^\\[0:0\\d\\] ${TIME_WRITTEN}$`));
    assert.match(fromFile[2]!.text!, /^日期：\d{4}-\d{2}-\d{2}　时长：\d+秒$/);
    assert.match(fromFile[1]!.text!, /two/, 'the default title names the recording');

    // The tone fixture only speaks dates and numbers, so for action items the pane's {historyId} request is
    // answered by the engine from segments that contain some (same route, same response shape).
    const segments = [
      { start: 0, end: 3, text: '今天讨论预算。' },
      { start: 3, end: 6, text: '我们决定下个月上线新版本。' },
      { start: 6, end: 9, text: '张三下周五之前提交预算报告。' },
      { start: 9, end: 12, text: '李四负责联系供应商。' },
    ];
    let sentHistoryId: unknown = null;
    await page.route(`${server.url}/api/minutes`, (route) => {
      sentHistoryId = (JSON.parse(route.request().postData() ?? '{}') as { historyId?: unknown }).historyId;
      return route.continue({ postData: JSON.stringify({ segments, date: '2025-03-12', title: '预算会议' }) });
    });
    await page.click('#minutes-from-last');
    await page.click('#minutes-run');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).__fakeWord.runs === 2);
    assert.equal(await statusText(page, 'ok'), '已插入文档。');
    assert.equal(typeof sentHistoryId, 'number', 'the pane asks for the last transcription by its history id');
    const all = await documentBlocks(page);
    // The second minutes go after the first (the cursor was left after them).
    const start = fromFile.length;
    assert.deepEqual(all.slice(0, start), fromFile);
    assert.deepEqual(all.slice(start), [
      { type: 'paragraph', style: 'Heading1', list: null, text: '预算会议', controls: 0 },
      { type: 'paragraph', style: 'Normal', list: null, text: '日期：2025-03-12　时长：12秒', controls: 0 },
      { type: 'paragraph', style: 'Heading2', list: null, text: '摘要', controls: 0 },
      { type: 'paragraph', style: 'ListParagraph', list: 'Solid', text: '我们决定下个月上线新版本。', controls: 0 },
      { type: 'paragraph', style: 'ListParagraph', list: 'Solid', text: '张三下周五之前提交预算报告。', controls: 0 },
      { type: 'paragraph', style: 'ListParagraph', list: 'Solid', text: '李四负责联系供应商。', controls: 0 },
      { type: 'paragraph', style: 'Heading2', list: null, text: '决定', controls: 0 },
      { type: 'paragraph', style: 'ListParagraph', list: 'Solid', text: '我们决定下个月上线新版本。', controls: 0 },
      { type: 'paragraph', style: 'Heading2', list: null, text: '待办事项', controls: 0 },
      {
        type: 'table',
        style: 'GridTable4_Accent1',
        headerRowCount: 1,
        values: [
          ['事项', '负责人', '截止'],
          ['张三下周五之前提交预算报告。', '张三', '2025-03-21'],
          ['李四负责联系供应商。', '李四', ''],
        ],
      },
      { type: 'paragraph', style: 'Heading2', list: null, text: '完整记录', controls: 0 },
      { type: 'paragraph', style: 'Normal', list: null, text: '[0:00] 今天讨论预算。', controls: 0 },
      { type: 'paragraph', style: 'Normal', list: null, text: '[0:03] 我们决定下个月上线新版本。', controls: 0 },
      { type: 'paragraph', style: 'Normal', list: null, text: '[0:06] 张三下周五之前提交预算报告。', controls: 0 },
      { type: 'paragraph', style: 'Normal', list: null, text: '[0:09] 李四负责联系供应商。', controls: 0 },
    ]);
    await page.screenshot({ path: join(ARTIFACTS, 'minutes-done.png') });
    assert.deepEqual((await fakeWordState(page)).errors, []);
  } finally {
    await page.context().close();
  }
});

/** Starts dictation and waits until both sentences have been heard; the reason when they were not. */
async function dictateBothSentences(page: Page): Promise<string | null> {
  await page.click('#dictate-toggle');
  await page.waitForSelector('#dictate-toggle.recording', { timeout: 10_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'dictation-listening.png') });
  // Stop as soon as the whole second sentence has been heard (its partial is complete) or is already in:
  // when the partial is showing, its final has not arrived yet, and stop must not lose it.
  const heard = page.waitForFunction(
    ([date, time]) => {
      const page = globalThis as unknown as PageGlobals;
      const text = page.__fakeWord.snapshot()[0]!.text ?? '';
      return text.includes(date!) && (page.document.getElementById('partial')?.textContent === time || text.endsWith(time!));
    },
    [DATE_WRITTEN, TIME_WRITTEN],
    { timeout: 40_000 },
  );
  return heard.then(
    () => null,
    async (error: Error) => `${error.message}; document: ${JSON.stringify(await documentBlocks(page))}; partial: ${await page.textContent('#partial')}; status: ${await page.textContent('#status')}`,
  );
}

test('dictation: the fake microphone’s speech goes in at the cursor, segment after segment, and stop keeps the last one', async (t) => {
  let page = await openPane();
  try {
    // Chromium's fake capture device drops audio when the machine is starved (seen once in a full-suite run on two
    // cores: one spurious tone token in the first sentence); such a glitch gets one fresh pane, and every assertion
    // below still holds for the attempt that is kept.
    let missed = await dictateBothSentences(page);
    if (missed !== null) {
      t.diagnostic(`first attempt missed: ${missed}`);
      await page.context().close();
      page = await openPane();
      missed = await dictateBothSentences(page);
    }
    if (missed !== null) throw new Error(missed);
    const stoppedDuringPartial = (await page.textContent('#partial')) === TIME_WRITTEN;
    await page.screenshot({ path: join(ARTIFACTS, 'dictation-partial.png') });
    await page.click('#dictate-toggle');
    assert.equal(await statusText(page, 'ok'), '听写已停止。');
    const blocks = await documentBlocks(page);
    assert.deepEqual(blocks, [{ type: 'paragraph', style: 'Normal', list: null, text: `Notes: ${DATE_WRITTEN}${TIME_WRITTEN}`, controls: 0 }]);
    const state = await fakeWordState(page);
    assert.deepEqual(state.errors, []);
    assert.equal(state.ops.filter((op) => op === 'insertContentControl').length, 1, 'one tracking point for the session');
    assert.deepEqual(
      state.ops.filter((op) => op.startsWith('control.insertText')),
      state.ops.filter((op) => op.startsWith('control.insertText')).length === 2
        ? [`control.insertText ${JSON.stringify(DATE_WRITTEN)} End`, `control.insertText ${JSON.stringify(TIME_WRITTEN)} End`]
        : [`control.insertText ${JSON.stringify(DATE_WRITTEN + TIME_WRITTEN)} End`],
    );
    assert.ok(state.ops.includes('control.delete true'), 'the tracking control is removed, its text kept');
    await page.screenshot({ path: join(ARTIFACTS, 'dictation-done.png') });
    t.diagnostic(`stopped while the last sentence was still a partial: ${stoppedDuringPartial}`);
  } finally {
    await page.context().close();
  }
});

test('errors: an unreachable engine says how to start it and how to trust its certificate', async () => {
  const page = await openPane();
  try {
    await page.click('[data-tab="settings"]');
    await page.fill('#engine-url', 'https://127.0.0.1:9');
    await page.click('#settings-check');
    const text = await statusText(page, 'error');
    assert.match(text, /无法连接引擎 https:\/\/127\.0\.0\.1:9/);
    assert.match(text, /tingxie serve --tls/);
    assert.match(text, /tingxie tls export-ca/);
    await page.selectOption('#ui-language', 'en');
    await page.click('#settings-check');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('status')?.textContent?.startsWith('Cannot reach the engine'));
    await page.screenshot({ path: join(ARTIFACTS, 'settings-error.png') });
  } finally {
    await page.context().close();
  }
});

test('settings: hotwords go to the engine and come back; settings survive a reload (localStorage outside Office)', async () => {
  const page = await openPane();
  try {
    await page.click('[data-tab="settings"]');
    await page.fill('#hotwords', '陈晨露 2\n陈晨=>陈晨露');
    await page.click('#hotwords-save');
    assert.equal(await statusText(page, 'ok'), '热词已保存。');
    const saved = (await (await fetch(`${server.url}/api/hotwords`)).json()) as { hotwords: { phrase: string; weight: number | null }[]; replacements: { from: string; to: string }[]; text: string };
    assert.deepEqual(saved.hotwords, [{ phrase: '陈晨露', weight: 2 }]);
    assert.deepEqual(saved.replacements, [{ from: '陈晨', to: '陈晨露' }]);
    await page.fill('#hotwords', '');
    await page.click('#hotwords-load');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('status')?.textContent === '热词已读取。');
    assert.equal(await page.inputValue('#hotwords'), saved.text);

    await page.selectOption('#language', 'zh');
    await page.uncheck('#itn');
    await page.fill('#token', 'tok-123');
    await page.click('#settings-save');
    assert.equal(await statusText(page, 'ok'), '设置已保存。');
    await page.reload();
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('dictate-toggle')?.textContent === '开始听写');
    assert.equal(await page.inputValue('#language'), 'zh');
    assert.equal(await page.isChecked('#itn'), false);
    assert.equal(await page.inputValue('#token'), 'tok-123');
    assert.equal(await page.inputValue('#engine-url'), server.url);
    await page.click('[data-tab="settings"]');
    // A loopback engine without a token accepts requests that carry one.
    await page.click('#settings-check');
    assert.match(await statusText(page, 'ok'), /引擎正在运行/);
  } finally {
    await page.context().close();
  }
});

test('errors: a token the engine refuses says where to get the right one', async () => {
  // A second engine with a token; the pane (served by the first) is one of its allowed origins.
  const tokenServer = await startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', join(temp.dir, 'data-token'), '--token', 'right-token-0123456789', '--cors-origin', server.url]);
  const page = await openPane();
  try {
    await page.click('[data-tab="settings"]');
    await page.fill('#engine-url', tokenServer.url);
    await page.fill('#token', 'wrong-token');
    await page.click('#settings-check');
    assert.equal(await statusText(page, 'error'), '令牌无效。请把引擎当前的令牌（--token，或引擎所在电脑上的 ~/.tingxie/token）复制到“设置”中。');
    // Dictation too: the refused WebSocket upgrade is explained, not reported as "cannot reach".
    await page.click('#settings-save');
    await page.evaluate(() => {
      const status = (globalThis as unknown as PageGlobals).document.getElementById('status');
      if (status) status.textContent = '';
    });
    await page.click('[data-tab="dictate"]');
    await page.click('#dictate-toggle');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('status')?.textContent?.startsWith('令牌无效'));
    assert.equal(await page.textContent('#dictate-toggle'), '开始听写');
    await page.click('[data-tab="settings"]');
    await page.fill('#token', '');
    await page.click('#settings-check');
    await page.waitForFunction(() => (globalThis as unknown as PageGlobals).document.getElementById('status')?.textContent?.startsWith('引擎需要令牌'));
  } finally {
    await page.context().close();
    await tokenServer.stop();
  }
});
