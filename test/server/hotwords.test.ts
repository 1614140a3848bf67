/** The saved hotword list over HTTP: GET/PUT /api/hotwords, export, validation, and its effect on transcription. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/src/server/app.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { DATE_TEXT, multipart, testConfig, waitForModel, wavUpload, writeAudioFixtures, type AudioFixtures } from './server-helpers.ts';

let temp: { dir: string; cleanup: () => Promise<void> };
let audio: AudioFixtures;
let app: FastifyInstance;

before(async () => {
  temp = await makeTempDir('srv-hotwords');
  audio = await writeAudioFixtures(temp.dir);
  app = await buildApp({ config: testConfig(join(temp.dir, 'data')) });
  await waitForModel(app);
});

after(async () => {
  await app.close();
  await temp.cleanup();
});

async function rawTextOf(file: string, fields: Record<string, string> = {}): Promise<string> {
  const body = await multipart({ model: 'sense-voice', itn: 'false', ...fields }, await wavUpload(file));
  const response = await app.inject({ method: 'POST', url: '/v1/audio/transcriptions', payload: body.payload, headers: body.headers });
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { text: string }).text;
}

test('an empty list at first; PUT text replaces it; GET and export give it back', async () => {
  assert.deepEqual((await app.inject({ method: 'GET', url: '/api/hotwords' })).json(), { hotwords: [], replacements: [], text: '' });
  const put = await app.inject({ method: 'PUT', url: '/api/hotwords', payload: { text: '陈露 2\n康辉\n撒贝你=>撒贝宁\n' } });
  assert.equal(put.statusCode, 200, put.body);
  assert.deepEqual(put.json(), {
    hotwords: [
      { phrase: '陈露', weight: 2 },
      { phrase: '康辉', weight: null },
    ],
    replacements: [{ from: '撒贝你', to: '撒贝宁' }],
    text: '陈露 2\n康辉\n撒贝你=>撒贝宁\n',
  });
  const exported = await app.inject({ method: 'GET', url: '/api/hotwords/export' });
  assert.equal(exported.body, '陈露 2\n康辉\n撒贝你=>撒贝宁\n');
  assert.match(String(exported.headers['content-disposition']), /hotwords\.txt/);
});

test('PUT with structured entries, and bad entries answered 400 naming the problem', async () => {
  const put = await app.inject({ method: 'PUT', url: '/api/hotwords', payload: { hotwords: [{ phrase: '张三', weight: 1.5 }], replacements: [] } });
  assert.equal(put.statusCode, 200, put.body);
  assert.equal((put.json() as { text: string }).text, '张三 1.5\n');
  const badWeight = await app.inject({ method: 'PUT', url: '/api/hotwords', payload: { text: '张三 -1\n' } });
  assert.equal(badWeight.statusCode, 400);
  assert.match((badWeight.json() as { error: { message: string } }).error.message, /line 1/);
  const wrongType = await app.inject({ method: 'PUT', url: '/api/hotwords', payload: { hotwords: 'nope' } });
  assert.equal(wrongType.statusCode, 400);
  // A refused update leaves the saved list as it was.
  assert.equal(((await app.inject({ method: 'GET', url: '/api/hotwords' })).json() as { text: string }).text, '张三 1.5\n');
});

test('the saved list applies to transcriptions, merged with the request’s own hotwords', async () => {
  await app.inject({ method: 'PUT', url: '/api/hotwords', payload: { text: '十二号=>十三号\n' } });
  assert.equal(await rawTextOf(audio.date), '二零二五年三月十三号下午三点');
  await app.inject({ method: 'PUT', url: '/api/hotwords', payload: { text: '' } });
  assert.equal(await rawTextOf(audio.date), DATE_TEXT);
});
