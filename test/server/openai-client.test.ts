/**
 * The official `openai` npm client, unchanged, against the real server listening on a random loopback port.
 */
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import OpenAI from 'openai';
import { buildApp } from '../../engine/src/server/app.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { DATE_TEXT, DATE_WRITTEN, TIME_TEXT, TIME_WRITTEN, testConfig, waitForModel, writeAudioFixtures, type AudioFixtures } from './server-helpers.ts';

const TOKEN = 'test-token-0123456789abcdef';

let temp: { dir: string; cleanup: () => Promise<void> };
let audio: AudioFixtures;
let app: FastifyInstance;
let baseURL: string;

before(async () => {
  temp = await makeTempDir('srv-openai');
  audio = await writeAudioFixtures(temp.dir);
  app = await buildApp({ config: testConfig(join(temp.dir, 'data'), { token: TOKEN, port: 0 }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  await waitForModel(app);
  baseURL = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1`;
});

after(async () => {
  await app.close();
  await temp.cleanup();
});

function client(apiKey = TOKEN): OpenAI {
  return new OpenAI({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 });
}

test('json: the client returns { text }', async () => {
  const result = await client().audio.transcriptions.create({ file: createReadStream(audio.two), model: 'sense-voice' });
  assert.equal(result.text, DATE_WRITTEN + TIME_WRITTEN);
});

test('text and srt come back as strings', async () => {
  const text = await client().audio.transcriptions.create({ file: createReadStream(audio.date), model: 'sense-voice', response_format: 'text' });
  assert.equal(String(text).trim(), DATE_WRITTEN);
  const srt = await client().audio.transcriptions.create({ file: createReadStream(audio.date), model: 'sense-voice', response_format: 'srt' });
  assert.match(String(srt), new RegExp(`^1\\n00:00:\\d\\d,\\d{3} --> 00:00:\\d\\d,\\d{3}\\n${DATE_WRITTEN}\\n`));
});

test('verbose_json with word and segment timestamps, language and prompt accepted', async () => {
  const result = await client().audio.transcriptions.create({
    file: createReadStream(audio.two),
    model: 'sense-voice',
    language: 'zh',
    prompt: 'a meeting',
    response_format: 'verbose_json',
    timestamp_granularities: ['word', 'segment'],
  });
  assert.equal(result.text, DATE_WRITTEN + TIME_WRITTEN);
  assert.equal(result.language, 'chinese');
  assert.ok(result.duration > 0);
  assert.deepEqual(result.segments?.map((s) => s.text), [DATE_WRITTEN, TIME_WRITTEN]);
  assert.equal(result.words?.map((w) => w.word).join(''), DATE_TEXT + TIME_TEXT);
});

test('a wrong token raises the client’s AuthenticationError; a bad format its BadRequestError', async () => {
  await assert.rejects(client('wrong-token-0123456789').audio.transcriptions.create({ file: createReadStream(audio.date), model: 'sense-voice' }), (error: unknown) => {
    assert.ok(error instanceof OpenAI.AuthenticationError, String(error));
    assert.equal(error.status, 401);
    return true;
  });
  await assert.rejects(
    client().audio.transcriptions.create({ file: createReadStream(audio.date), model: 'sense-voice', language: 'xx' }),
    (error: unknown) => {
      assert.ok(error instanceof OpenAI.BadRequestError, String(error));
      assert.equal((error.error as { code?: string }).code, 'VALIDATION_FAILED');
      return true;
    },
  );
});
