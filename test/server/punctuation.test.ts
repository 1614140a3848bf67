/**
 * The engine's optional punctuation step (`punctuationModel` / `--punctuation-model`): with the Paraformer
 * fixture (whose text has no punctuation) and the CT-Transformer punctuation fixture, the OpenAI route and the
 * finals of `/api/stream` come back punctuated; without it they do not; a bad punctuation model fails the load
 * with its own error and never a crash.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { needsPunctuation } from '../../engine/src/pipeline/transcriber.ts';
import { buildApp } from '../../engine/src/server/app.ts';
import { resolveServerConfig } from '../../engine/src/server/config.ts';
import type { FinalMessage, ServerMessage } from '../../engine/src/server/streaming/protocol.ts';
import { CT_TRANSFORMER_FIXTURE_NAME } from '../../models/fixtures/ct-transformer-fixtures.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { PARAFORMER_FIXTURE_NAME } from '../../models/fixtures/paraformer-fixtures.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { readWave16k } from '../models/sherpa-reference.ts';
import { multipart, testConfig, waitForModel } from './server-helpers.ts';

/** Real Mandarin speech (AISHELL-1), 16 kHz mono. */
const SPEECH_WAV = new URL('../../../shared/audio/wenet/aishell-BAC009S0724W0121.wav', import.meta.url).pathname;
const MARKS = /[，。？、,.?！!；;]/g;

let temp: { dir: string; cleanup: () => Promise<void> };
let paraformerDir: string;
let punctuationDir: string;
let withPunctuation: FastifyInstance;
let without: FastifyInstance;

before(async () => {
  temp = await makeTempDir('server-punctuation');
  paraformerDir = await fixtureDir(PARAFORMER_FIXTURE_NAME);
  punctuationDir = await fixtureDir(CT_TRANSFORMER_FIXTURE_NAME);
  withPunctuation = await buildApp({ config: testConfig(join(temp.dir, 'a'), { modelPath: paraformerDir, punctuationModel: punctuationDir }) });
  without = await buildApp({ config: testConfig(join(temp.dir, 'b'), { modelPath: paraformerDir }) });
  await waitForModel(withPunctuation);
  await waitForModel(without);
});

after(async () => {
  await withPunctuation?.close();
  await without?.close();
  await temp?.cleanup();
});

async function transcribe(app: FastifyInstance): Promise<{ text: string; raw_text: string }> {
  const body = await multipart({ model: 'paraformer', response_format: 'json', itn: 'false', vad: 'false' }, { name: 'speech.wav', data: await readFile(SPEECH_WAV) });
  const response = await app.inject({ method: 'POST', url: '/v1/audio/transcriptions', payload: body.payload, headers: body.headers });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as { text: string; raw_text: string };
}

test('POST /v1/audio/transcriptions: punctuated with the model, unchanged without it; raw_text stays the model output', async () => {
  const plain = await transcribe(without);
  const punctuated = await transcribe(withPunctuation);
  assert.ok(plain.text.length > 0, 'the fixture decodes something from real speech');
  assert.equal(needsPunctuation(plain.text), true, 'Paraformer text has no punctuation');
  assert.equal(punctuated.raw_text, plain.raw_text);
  assert.equal(needsPunctuation(punctuated.text), false, `punctuated: ${punctuated.text}`);
  assert.equal(punctuated.text.replace(MARKS, '').replace(/\s/g, ''), plain.text.replace(/\s/g, ''), 'only marks were added');
});

async function streamFinals(app: FastifyInstance): Promise<FinalMessage[]> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const socket = new WebSocket(`ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/stream`);
  const messages: ServerMessage[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as ServerMessage));
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'start', language: 'auto', itn: false, sampleRate: 16000 }));
  const samples = readWave16k(SPEECH_WAV);
  const pcm = Int16Array.from(samples, (x) => Math.max(-32768, Math.min(32767, Math.round(x * 32767))));
  for (let i = 0; i < pcm.length; i += 1600) {
    const frame = pcm.slice(i, i + 1600);
    socket.send(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
  }
  socket.send(JSON.stringify({ type: 'stop' }));
  assert.equal(await closed, 1000);
  return messages.filter((message): message is FinalMessage => message.type === 'final');
}

test('/api/stream: finals are punctuated with the model (rawText unchanged), and not without it', async () => {
  const plainFinals = await streamFinals(without);
  const punctuatedFinals = await streamFinals(withPunctuation);
  assert.ok(plainFinals.length > 0, 'the VAD finds speech in the recording');
  assert.deepEqual(
    punctuatedFinals.map((final) => final.rawText),
    plainFinals.map((final) => final.rawText),
  );
  for (const [i, final] of punctuatedFinals.entries()) {
    assert.equal(needsPunctuation(plainFinals[i]!.text), true);
    assert.equal(needsPunctuation(final.text), false, `final ${i}: ${final.text}`);
    assert.equal(final.text.replace(MARKS, '').replace(/\s/g, ''), plainFinals[i]!.text.replace(/\s/g, ''));
  }
});

test('a punctuation model that is not there: the load fails with MODEL_NOT_FOUND in /health, transcriptions answer MODEL_NOT_LOADED', async () => {
  const app = await buildApp({ config: testConfig(join(temp.dir, 'c'), { modelPath: paraformerDir, punctuationModel: join(temp.dir, 'no-such-punctuation') }) });
  try {
    let health: { status: string; error?: { code: string; message: string } } = { status: 'loading' };
    for (let tries = 0; tries < 200 && health.status === 'loading'; tries++) {
      health = (await app.inject({ method: 'GET', url: '/health' })).json() as typeof health;
      if (health.status === 'loading') await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(health.status, 'error');
    assert.equal(health.error?.code, 'MODEL_NOT_FOUND');
    assert.match(health.error?.message ?? '', /no-such-punctuation/);
    const body = await multipart({ model: 'paraformer' }, { name: 'speech.wav', data: await readFile(SPEECH_WAV) });
    const response = await app.inject({ method: 'POST', url: '/v1/audio/transcriptions', payload: body.payload, headers: body.headers });
    assert.equal(response.statusCode, 503);
    assert.equal((response.json() as { error: { code: string } }).error.code, 'MODEL_NOT_LOADED');
  } finally {
    await app.close();
  }
});

test('config: punctuationModel from the flag, the environment or the file, resolved against the working directory; off by default', () => {
  const base = { homeDir: '/h', cwd: '/work' };
  assert.equal(resolveServerConfig(base).punctuationModel, null);
  assert.equal(resolveServerConfig({ ...base, flags: { punctuationModel: 'punct' } }).punctuationModel, '/work/punct');
  assert.equal(resolveServerConfig({ ...base, env: { TINGXIE_PUNCTUATION_MODEL: '/models/punct' } }).punctuationModel, '/models/punct');
  assert.equal(resolveServerConfig({ ...base, file: { punctuationModel: '/m/p' } }).punctuationModel, '/m/p');
});
