/**
 * End to end: `tingxie serve` as a real child process on a random loopback port with the tone fixture model.
 * Exact text over HTTP, the log file (request logged, transcript not), a generated token when binding all
 * interfaces, and a clean exit on SIGTERM.
 */
import assert from 'node:assert/strict';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';
import { DATE_TEXT, DATE_WRITTEN, TIME_TEXT, TIME_WRITTEN, startServe, writeAudioFixtures, type AudioFixtures } from './server-helpers.ts';

let temp: { dir: string; cleanup: () => Promise<void> };
let audio: AudioFixtures;

before(async () => {
  temp = await makeTempDir('srv-e2e');
  audio = await writeAudioFixtures(temp.dir);
});

after(async () => {
  await temp.cleanup();
});

async function postAudio(url: string, path: string, fields: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([await readFile(path)], { type: 'audio/wav' }), 'speech.wav');
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return fetch(`${url}/v1/audio/transcriptions`, { method: 'POST', body: form, headers });
}

test('serve: exact text over HTTP, log without transcript, clean shutdown on SIGTERM', async () => {
  const dataDir = join(temp.dir, 'data');
  const server = await startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', dataDir]);
  let exitCode: number | null = null;
  try {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(server.stdout(), /Model ready: sense_voice .* on cpu/);
    const health = await fetch(`${server.url}/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, 'ok');

    const json = await postAudio(server.url, audio.two);
    assert.equal(json.status, 200);
    assert.deepEqual(await json.json(), { text: DATE_WRITTEN + TIME_WRITTEN, raw_text: DATE_TEXT + TIME_TEXT });
    const text = await postAudio(server.url, audio.date, { response_format: 'text', itn: 'false' });
    assert.equal(await text.text(), `${DATE_TEXT}\n`);
    // No token configured on loopback: no token needed.
    const models = await fetch(`${server.url}/api/models`);
    assert.equal(models.status, 200);
  } finally {
    exitCode = await server.stop();
  }
  assert.equal(exitCode, 0, server.stderr());

  const logDir = join(dataDir, 'logs');
  const files = (await readdir(logDir)).filter((name) => /^app\.\d+\.log$/.test(name));
  assert.ok(files.length >= 1, `log files: ${files.join(', ')}`);
  const log = (await Promise.all(files.map((name) => readFile(join(logDir, name), 'utf8')))).join('');
  assert.match(log, /"url":"\/v1\/audio\/transcriptions"/);
  assert.match(log, /"msg":"transcribed"/);
  for (const secret of [DATE_WRITTEN, DATE_TEXT, TIME_TEXT, TIME_WRITTEN, 'speech.wav']) assert.equal(log.includes(secret), false, `log contains ${secret}`);
});

test('serve --host 0.0.0.0 generates an owner-only token file and requires it on every route but /health', async () => {
  const dataDir = join(temp.dir, 'data-open');
  const server = await startServe(['--host', '0.0.0.0', '--model-path', TONE_FIXTURE_DIR, '--data-dir', dataDir]);
  try {
    const tokenPath = join(dataDir, 'token');
    assert.ok(server.stdout().includes(tokenPath), server.stdout());
    assert.equal((await stat(tokenPath)).mode & 0o777, 0o600);
    const token = (await readFile(tokenPath, 'utf8')).trim();
    assert.ok(token.length >= 32);
    assert.ok(!server.stdout().includes(token), 'the token itself is not printed');

    const url = server.url;
    assert.equal((await fetch(`${url}/health`)).status, 200);
    const anonymous = await postAudio(url, audio.date);
    assert.equal(anonymous.status, 401);
    assert.equal(((await anonymous.json()) as { error: { code: string } }).error.code, 'AUTH_REQUIRED');
    const authorized = await postAudio(url, audio.date, {}, { authorization: `Bearer ${token}` });
    assert.equal(authorized.status, 200);
    assert.equal(((await authorized.json()) as { text: string }).text, DATE_WRITTEN);
  } finally {
    assert.equal(await server.stop(), 0);
  }
  // Restarting reuses the stored token.
  const before = await readFile(join(dataDir, 'token'), 'utf8');
  const again = await startServe(['--host', '0.0.0.0', '--data-dir', dataDir, '--model-path', TONE_FIXTURE_DIR]);
  try {
    assert.equal(await readFile(join(dataDir, 'token'), 'utf8'), before);
  } finally {
    await again.stop();
  }
});

test('serve refuses bad configuration with a message naming the field', async () => {
  const { execFile } = await import('node:child_process');
  const { REPO_ROOT } = await import('../helpers/tone-speech.ts');
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(REPO_ROOT, 'engine/bin/tingxie.js'), 'serve', ...args], { env: { ...process.env, ...env } }, (error, _stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr }),
      );
    });
  const port = await run(['--port', 'abc', '--data-dir', join(temp.dir, 'bad')]);
  assert.equal(port.code, 1);
  assert.match(port.stderr, /CONFIG_INVALID.*--port/);
  const env = await run(['--data-dir', join(temp.dir, 'bad')], { TINGXIE_BATCH_SIZE: '0' });
  assert.match(env.stderr, /TINGXIE_BATCH_SIZE/);
  const flag = await run(['--no-such-flag']);
  assert.equal(flag.code, 2);
});
