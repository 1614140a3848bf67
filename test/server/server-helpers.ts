/** Shared helpers for the server tests: config in a temp data dir, tone-fixture audio, multipart bodies. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { writeWav16 } from '../../models/fixtures/tone.ts';
import { defaultServerConfig } from '../../engine/src/server/config.ts';
import type { ServerConfig } from '../../engine/src/server/contracts.ts';
import { TONE_FIXTURE_DIR, concatAudio, loadToneSpec, makeSpeechBed, toneSpeech } from '../helpers/tone-speech.ts';

export const DATE_TEXT = '二零二五年三月十二号下午三点';
export const DATE_WRITTEN = '2025年3月12日下午3点';
export const TIME_TEXT = '上午十点半';
export const TIME_WRITTEN = '上午10点半';

export function testConfig(dataDir: string, overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...defaultServerConfig(dataDir, 2), modelPath: TONE_FIXTURE_DIR, logLevel: 'silent', ...overrides };
}

export interface AudioFixtures {
  /** One utterance: DATE_TEXT. */
  date: string;
  /** Two utterances with a pause: DATE_TEXT then TIME_TEXT. */
  two: string;
}

export async function writeAudioFixtures(dir: string): Promise<AudioFixtures> {
  const spec = loadToneSpec();
  const bed = await makeSpeechBed(dir);
  const date = join(dir, 'date.wav');
  await writeWav16(date, toneSpeech(DATE_TEXT, spec, bed));
  const two = join(dir, 'two.wav');
  await writeWav16(two, concatAudio(toneSpeech(DATE_TEXT, spec, bed, { leadS: 0.5, trailS: 1 }), toneSpeech(TIME_TEXT, spec, bed, { leadS: 1, trailS: 0.5 })));
  return { date, two };
}

export interface MultipartFile {
  field?: string;
  name: string;
  data: Uint8Array;
  type?: string;
}

/** A multipart/form-data body (as a browser or the OpenAI client would send it), for `inject()`. */
export async function multipart(fields: Record<string, string | string[]>, file?: MultipartFile): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  if (file) form.append(file.field ?? 'file', new Blob([file.data], { type: file.type ?? 'audio/wav' }), file.name);
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) form.append(name, v);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { payload: Buffer.from(await request.arrayBuffer()), headers: { 'content-type': request.headers.get('content-type')! } };
}

export async function wavUpload(path: string, name = 'speech.wav'): Promise<MultipartFile> {
  return { name, data: await readFile(path) };
}

/** Polls /health until the model is ready (or fails the test after `timeoutMs`). */
export async function waitForModel(app: FastifyInstance, headers: Record<string, string> = {}, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await app.inject({ method: 'GET', url: '/health', headers });
    if (response.statusCode === 200) return;
    const body = response.json() as { status: string };
    if (body.status === 'error' || body.status === 'no_model') throw new Error(`model did not load: ${response.body}`);
    if (Date.now() > deadline) throw new Error(`model still ${body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
