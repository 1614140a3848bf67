/** POST /api/minutes through inject(): from segments, from a history entry, and from an uploaded recording. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/src/server/app.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { DATE_WRITTEN, TIME_WRITTEN, multipart, testConfig, waitForModel, wavUpload, writeAudioFixtures, type AudioFixtures } from './server-helpers.ts';

interface MinutesReply {
  minutes: {
    title: string;
    date: string | null;
    decisions: { text: string }[];
    actionItems: { text: string; owner: string | null; due: { date: string | null; text: string } | null; start: number }[];
    transcript: { start: number; end: number; text: string }[];
  };
  markdown: string;
  historyId: number | null;
}

let temp: { dir: string; cleanup: () => Promise<void> };
let audio: AudioFixtures;
let app: FastifyInstance;

before(async () => {
  temp = await makeTempDir('srv-minutes');
  audio = await writeAudioFixtures(temp.dir);
  app = await buildApp({ config: testConfig(join(temp.dir, 'data')) });
  await waitForModel(app);
});

after(async () => {
  await app.close();
  await temp.cleanup();
});

test('from timed segments: decisions, action items with owner and resolved due date, Markdown', async () => {
  const response = await app.inject({
    method: 'POST',
    url: '/api/minutes',
    payload: {
      date: '2025-03-12',
      title: '发布评审',
      segments: [
        { start: 0, end: 4, text: '今天我们讨论新版本的发布计划。' },
        { start: 4, end: 9, text: '经过讨论，我们决定下周一正式上线。' },
        { start: 9, end: 15, text: '张三负责在周五之前完成测试报告。' },
      ],
    },
  });
  assert.equal(response.statusCode, 200, response.body);
  const { minutes, markdown, historyId } = response.json() as MinutesReply;
  assert.equal(historyId, null);
  assert.equal(minutes.title, '发布评审');
  assert.equal(minutes.decisions.length, 1);
  assert.match(minutes.decisions[0]!.text, /决定下周一正式上线/);
  assert.equal(minutes.actionItems.length, 1);
  assert.equal(minutes.actionItems[0]!.owner, '张三');
  // 2025-03-12 is a Wednesday: the coming Friday is the 14th.
  assert.equal(minutes.actionItems[0]!.due!.date, '2025-03-14');
  assert.match(minutes.actionItems[0]!.due!.text, /周五/);
  assert.equal(minutes.actionItems[0]!.start, 9);
  assert.match(markdown, /^# 发布评审/);
  assert.match(markdown, /张三/);
});

test('from a saved transcription (history id) and from an uploaded recording', async () => {
  const body = await multipart({ model: 'sense-voice' }, await wavUpload(audio.two));
  const transcribed = await app.inject({ method: 'POST', url: '/v1/audio/transcriptions', payload: body.payload, headers: body.headers });
  assert.equal(transcribed.statusCode, 200, transcribed.body);
  const historyId = Number(transcribed.headers['x-tingxie-history-id']);
  assert.ok(historyId > 0);

  const fromHistory = await app.inject({ method: 'POST', url: '/api/minutes', payload: { historyId } });
  assert.equal(fromHistory.statusCode, 200, fromHistory.body);
  const saved = fromHistory.json() as MinutesReply;
  assert.equal(saved.historyId, historyId);
  assert.deepEqual(saved.minutes.transcript.map((line) => line.text), [DATE_WRITTEN, TIME_WRITTEN]);
  assert.match(String(saved.minutes.date), /^\d{4}-\d{2}-\d{2}$/);

  const upload = await multipart({ date: '2025-03-12', title: 'Upload' }, await wavUpload(audio.two));
  const fromUpload = await app.inject({ method: 'POST', url: '/api/minutes', payload: upload.payload, headers: upload.headers });
  assert.equal(fromUpload.statusCode, 200, fromUpload.body);
  const uploaded = fromUpload.json() as MinutesReply;
  assert.equal(uploaded.minutes.date, '2025-03-12');
  assert.equal(uploaded.minutes.title, 'Upload');
  assert.deepEqual(uploaded.minutes.transcript.map((line) => line.text), [DATE_WRITTEN, TIME_WRITTEN]);
  assert.ok(uploaded.historyId !== null && uploaded.historyId > historyId);
});

test('bad requests: no or two sources, a bad date, an unknown history id', async () => {
  const none = await app.inject({ method: 'POST', url: '/api/minutes', payload: { title: 'x' } });
  assert.equal(none.statusCode, 400);
  assert.equal((none.json() as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
  const two = await app.inject({ method: 'POST', url: '/api/minutes', payload: { historyId: 1, segments: [] } });
  assert.equal(two.statusCode, 400);
  const badDate = await app.inject({ method: 'POST', url: '/api/minutes', payload: { segments: [], date: '12/03/2025' } });
  assert.equal(badDate.statusCode, 400);
  const badSegment = await app.inject({ method: 'POST', url: '/api/minutes', payload: { segments: [{ start: 5, end: 1, text: 'x' }] } });
  assert.equal(badSegment.statusCode, 400);
  assert.match((badSegment.json() as { error: { message: string } }).error.message, /segments\[0\]/);
  const unknown = await app.inject({ method: 'POST', url: '/api/minutes', payload: { historyId: 999999 } });
  assert.equal(unknown.statusCode, 404);
  assert.equal((unknown.json() as { error: { code: string } }).error.code, 'HISTORY_NOT_FOUND');
});
