/**
 * POST /v1/audio/transcriptions through `inject()` with the tone fixture model: OpenAI response shapes with
 * exact text, the extensions (itn, hotwords), and bad input answered with clear 4xx errors.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp, uploadDir } from '../../engine/src/server/app.ts';
import { makeTempDir, pseudoRandomBytes } from '../helpers/audio-fixtures.ts';
import {
  DATE_TEXT,
  DATE_WRITTEN,
  TIME_TEXT,
  TIME_WRITTEN,
  multipart,
  testConfig,
  waitForModel,
  wavUpload,
  writeAudioFixtures,
  type AudioFixtures,
} from './server-helpers.ts';

let temp: { dir: string; cleanup: () => Promise<void> };
let dataDir: string;
let audio: AudioFixtures;
let app: FastifyInstance;

before(async () => {
  temp = await makeTempDir('srv-transcriptions');
  dataDir = join(temp.dir, 'data');
  audio = await writeAudioFixtures(temp.dir);
  app = await buildApp({ config: testConfig(dataDir, { maxUploadBytes: 2 * 1024 * 1024 }) });
  await waitForModel(app);
});

after(async () => {
  await app.close();
  await temp.cleanup();
});

async function transcribe(fields: Record<string, string | string[]>, file?: { name: string; data: Uint8Array }) {
  const body = await multipart(fields, file);
  return app.inject({ method: 'POST', url: '/v1/audio/transcriptions', payload: body.payload, headers: body.headers });
}

interface ErrorJson {
  error: { code: string; message: string; type: string; detail?: Record<string, unknown> };
}

test('json (the default): { text } in written form, plus raw_text', async () => {
  const response = await transcribe({ model: 'sense-voice' }, await wavUpload(audio.two));
  assert.equal(response.statusCode, 200, response.body);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  assert.deepEqual(response.json(), { text: DATE_WRITTEN + TIME_WRITTEN, raw_text: DATE_TEXT + TIME_TEXT });
});

test('itn=false keeps the spoken form', async () => {
  const response = await transcribe({ model: 'sense-voice', itn: 'false', response_format: 'json' }, await wavUpload(audio.date));
  assert.equal(response.statusCode, 200, response.body);
  assert.equal((response.json() as { text: string }).text, DATE_TEXT);
});

test('text, srt and vtt answer plain text with one cue per VAD segment', async () => {
  const text = await transcribe({ response_format: 'text' }, await wavUpload(audio.two));
  assert.equal(text.statusCode, 200, text.body);
  assert.match(String(text.headers['content-type']), /^text\/plain/);
  assert.equal(text.body, `${DATE_WRITTEN}${TIME_WRITTEN}\n`);

  const srt = await transcribe({ response_format: 'srt' }, await wavUpload(audio.two));
  assert.equal(srt.statusCode, 200, srt.body);
  const cues = srt.body.trim().split(/\n\n/);
  assert.equal(cues.length, 2);
  assert.match(cues[0]!, new RegExp(`^1\\n\\d\\d:\\d\\d:\\d\\d,\\d{3} --> \\d\\d:\\d\\d:\\d\\d,\\d{3}\\n${DATE_WRITTEN}$`));
  assert.match(cues[1]!, new RegExp(`^2\\n.* --> .*\\n${TIME_WRITTEN}$`));

  const vtt = await transcribe({ response_format: 'vtt' }, await wavUpload(audio.two));
  assert.equal(vtt.statusCode, 200, vtt.body);
  assert.match(String(vtt.headers['content-type']), /^text\/vtt/);
  assert.ok(vtt.body.startsWith('WEBVTT\n'));
  assert.ok(vtt.body.includes(`\n${DATE_WRITTEN}\n`) && vtt.body.includes(`\n${TIME_WRITTEN}\n`));
});

test('verbose_json: OpenAI segment fields, word timestamps from tokens, raw_text extensions', async () => {
  const response = await transcribe({ response_format: 'verbose_json', 'timestamp_granularities[]': ['word', 'segment'] }, await wavUpload(audio.two));
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json() as {
    task: string;
    language: string;
    duration: number;
    text: string;
    raw_text: string;
    segments: { id: number; seek: number; start: number; end: number; text: string; raw_text: string; tokens: number[]; temperature: number; avg_logprob: number; compression_ratio: number; no_speech_prob: number }[];
    words: { word: string; start: number; end: number }[];
  };
  assert.equal(body.task, 'transcribe');
  assert.equal(body.language, 'chinese');
  assert.equal(body.text, DATE_WRITTEN + TIME_WRITTEN);
  assert.equal(body.raw_text, DATE_TEXT + TIME_TEXT);
  assert.ok(body.duration > 8 && body.duration < 11, `duration ${body.duration}`);
  assert.deepEqual(body.segments.map((s) => [s.id, s.text, s.raw_text]), [
    [0, DATE_WRITTEN, DATE_TEXT],
    [1, TIME_WRITTEN, TIME_TEXT],
  ]);
  for (const segment of body.segments) {
    assert.ok(segment.end > segment.start);
    assert.equal(segment.seek, Math.round(segment.start * 100));
    for (const key of ['temperature', 'avg_logprob', 'compression_ratio', 'no_speech_prob'] as const) assert.equal(segment[key], 0);
    assert.deepEqual(segment.tokens, []);
  }
  assert.equal(body.words.map((w) => w.word).join(''), DATE_TEXT + TIME_TEXT);
  for (let i = 1; i < body.words.length; i++) assert.ok(body.words[i]!.start >= body.words[i - 1]!.start, 'word times ascend');
  const second = body.words[[...DATE_TEXT].length]!;
  assert.ok(second.start >= body.segments[1]!.start, 'the second utterance’s words start in its segment');
});

test('verbose_json without word granularity has no words', async () => {
  const response = await transcribe({ response_format: 'verbose_json' }, await wavUpload(audio.date));
  assert.equal(response.statusCode, 200, response.body);
  const body = response.json() as Record<string, unknown>;
  assert.ok(Array.isArray(body.segments));
  assert.equal('words' in body, false);
});

test('hotwords accept comma lists and JSON arrays; malformed ones are a 400 naming the field', async () => {
  const comma = await transcribe({ hotwords: '下午,上午' }, await wavUpload(audio.date));
  assert.equal(comma.statusCode, 200, comma.body);
  assert.equal((comma.json() as { text: string }).text, DATE_WRITTEN);
  const json = await transcribe({ hotwords: '["下午", "上午"]' }, await wavUpload(audio.date));
  assert.equal(json.statusCode, 200, json.body);
  const bad = await transcribe({ hotwords: '[1, 2' }, await wavUpload(audio.date));
  assert.equal(bad.statusCode, 400);
  assert.equal((bad.json() as ErrorJson).error.detail?.field, 'hotwords');
});

test('saves each result into history when the history store is present', async () => {
  const response = await transcribe({}, await wavUpload(audio.date, 'meeting.wav'));
  assert.equal(response.statusCode, 200, response.body);
  const id = response.headers['x-tingxie-history-id'];
  assert.ok(app.hasDecorator('history'));
  assert.ok(typeof id === 'string' && id !== '', 'history id header');
  const entry = await app.inject({ method: 'GET', url: `/api/history/${id}` });
  assert.equal(entry.statusCode, 200, entry.body);
  assert.ok(entry.body.includes(DATE_WRITTEN));
  assert.ok(entry.body.includes('meeting.wav'));
});

test('wrong field values are 400 VALIDATION_FAILED naming the field', async () => {
  const file = await wavUpload(audio.date);
  const cases: [Record<string, string>, string][] = [
    [{ response_format: 'xml' }, 'response_format'],
    [{ language: 'klingon' }, 'language'],
    [{ itn: 'maybe' }, 'itn'],
    [{ 'timestamp_granularities[]': 'sentence' }, 'timestamp_granularities'],
    [{ temperature: 'hot' }, 'temperature'],
  ];
  for (const [fields, field] of cases) {
    const response = await transcribe(fields, file);
    assert.equal(response.statusCode, 400, `${field}: ${response.body}`);
    const body = response.json() as ErrorJson;
    assert.equal(body.error.code, 'VALIDATION_FAILED');
    assert.equal(body.error.type, 'invalid_request_error');
    assert.equal(body.error.detail?.field, field);
  }
});

test('a form without a file, or a JSON body, is a 4xx', async () => {
  const noFile = await transcribe({ model: 'sense-voice' });
  assert.equal(noFile.statusCode, 400);
  assert.equal((noFile.json() as ErrorJson).error.detail?.field, 'file');
  const json = await app.inject({ method: 'POST', url: '/v1/audio/transcriptions', payload: { file: 'x' } });
  assert.ok(json.statusCode === 400 || json.statusCode === 415, String(json.statusCode));
  assert.equal((json.json() as ErrorJson).error.code, 'VALIDATION_FAILED');
});

test('non-audio and truncated uploads are 400 with an AUDIO_* code, never a crash', async () => {
  const noise = await transcribe({}, { name: 'notes.wav', data: pseudoRandomBytes(4096) });
  assert.equal(noise.statusCode, 400, noise.body);
  assert.match((noise.json() as ErrorJson).error.code, /^AUDIO_/);

  const text = await transcribe({}, { name: 'readme.txt', data: new TextEncoder().encode('just some text, not audio\n'.repeat(50)) });
  assert.equal(text.statusCode, 400, text.body);
  assert.match((text.json() as ErrorJson).error.code, /^AUDIO_/);

  const wav = await readFile(audio.date);
  const truncated = await transcribe({}, { name: 'cut.wav', data: wav.subarray(0, 30) });
  assert.equal(truncated.statusCode, 400, truncated.body);
  assert.match((truncated.json() as ErrorJson).error.code, /^AUDIO_/);

  const empty = await transcribe({}, { name: 'empty.wav', data: new Uint8Array(0) });
  assert.equal(empty.statusCode, 400, empty.body);

  // The server still works afterwards.
  const ok = await transcribe({}, await wavUpload(audio.date));
  assert.equal(ok.statusCode, 200);
});

test('uploads over maxUploadBytes are 413 PAYLOAD_TOO_LARGE', async () => {
  const big = await transcribe({}, { name: 'big.wav', data: new Uint8Array(3 * 1024 * 1024) });
  assert.equal(big.statusCode, 413, big.body);
  assert.equal((big.json() as ErrorJson).error.code, 'PAYLOAD_TOO_LARGE');
});

test('a path-like file name never reaches the file system; temp files are deleted', async () => {
  const victim = join(temp.dir, 'victim.txt');
  await writeFile(victim, 'keep me');
  const names = ['../../victim.txt', '../../../../../../etc/passwd', '..\\..\\victim.txt', '/tmp/x.wav'];
  for (const name of names) {
    const response = await transcribe({}, { name, data: await readFile(audio.date) });
    assert.equal(response.statusCode, 200, `${name}: ${response.body}`);
  }
  assert.equal(await readFile(victim, 'utf8'), 'keep me');
  assert.equal(existsSync(join(dataDir, 'etc')), false);
  assert.deepEqual(await readdir(uploadDir(testConfig(dataDir))), []);
});

test('the upload temp folder is empty after failed requests too', async () => {
  await transcribe({}, { name: 'x.wav', data: pseudoRandomBytes(1000) });
  await transcribe({}, { name: 'big.wav', data: new Uint8Array(3 * 1024 * 1024) });
  assert.deepEqual(await readdir(uploadDir(testConfig(dataDir))), []);
});
