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

export interface ServeChild {
  child: import('node:child_process').ChildProcess;
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Starts `tingxie serve --port 0 ...` as a child process and waits until it prints its URL and the model is
 * ready ("Model ready"). `nodeArgs` go before the script (e.g. `--import` preloads).
 */
export async function startServe(args: string[], opts: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServeChild> {
  const { spawn } = await import('node:child_process');
  const { REPO_ROOT } = await import('../helpers/tone-speech.ts');
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), join(REPO_ROOT, 'engine/bin/tingxie.js'), 'serve', '--port', '0', ...args], {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let url: string | null = null;
  for (;;) {
    url ??= /listening on (https?:\/\/[^\s]+)/.exec(out)?.[1] ?? null;
    if (url && /Model (ready|failed)|No model loaded/.test(out)) break;
    if (child.exitCode !== null) throw new Error(`tingxie serve exited with ${child.exitCode}: ${out}\n${err}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`tingxie serve did not start: ${out}\n${err}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    child,
    url,
    stdout: () => out,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
