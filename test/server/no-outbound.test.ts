/**
 * The engine opens no outbound connection (except an explicit model pull). `tingxie serve` runs as a child
 * process with a preload that traps every TCP connect, UDP send and DNS lookup to a non-loopback address
 * (recording it to a file); after a transcription, a batch job and a streaming session (plus listing models,
 * health and ITN), the file must be empty. A first test proves the trap records what it should.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { WebSocket } from 'ws';
import { decodeAudioFile } from '../../engine/src/audio/decode.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { REPO_ROOT, TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';
import { DATE_TEXT, DATE_WRITTEN, TIME_WRITTEN, startServe, writeAudioFixtures, type AudioFixtures } from './server-helpers.ts';

const TRAP = join(REPO_ROOT, 'test/server/outbound-trap.ts');
const PRELOAD = ['--import', 'tsx', '--import', TRAP];

let temp: { dir: string; cleanup: () => Promise<void> };
let audio: AudioFixtures;

before(async () => {
  temp = await makeTempDir('srv-outbound');
  audio = await writeAudioFixtures(temp.dir);
});

after(async () => {
  await temp.cleanup();
});

async function trapLog(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

test('the trap records outbound attempts (TCP by address, by name, fetch)', async () => {
  const log = join(temp.dir, 'trap-check.log');
  const script = "await fetch('http://203.0.113.9/').catch(() => {}); await fetch('http://example.invalid/').catch(() => {}); await fetch('http://127.0.0.1:9/').catch(() => {});";
  await new Promise<void>((resolve, reject) =>
    execFile(process.execPath, [...PRELOAD, '--input-type=module', '-e', script], { env: { ...process.env, TINGXIE_OUTBOUND_LOG: log } }, (error) =>
      error ? reject(error) : resolve(),
    ),
  );
  const targets = (await trapLog(log))
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { target: string }).target);
  assert.ok(targets.includes('203.0.113.9'), targets.join(','));
  assert.ok(targets.includes('example.invalid'), targets.join(','));
  assert.ok(!targets.includes('127.0.0.1'), 'loopback is not recorded');
});

/** 16 kHz mono PCM16 little-endian bytes of a WAV file. */
async function pcm16(path: string): Promise<Buffer> {
  const { samples } = await decodeAudioFile(path);
  const out = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32767))), i * 2);
  return out;
}

async function streamFinals(url: string, audioPath: string): Promise<string[]> {
  const pcm = await pcm16(audioPath);
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/stream`);
  const finals: string[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'start', language: 'zh' })));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const message = JSON.parse(String(data)) as { type: string; text?: string; error?: { message: string } };
      if (message.type === 'ready') {
        for (let offset = 0; offset < pcm.length; offset += 3200) ws.send(pcm.subarray(offset, Math.min(pcm.length, offset + 3200)));
        ws.send(JSON.stringify({ type: 'stop' }));
      } else if (message.type === 'final') finals.push(message.text ?? '');
      else if (message.type === 'error') reject(new Error(JSON.stringify(message)));
    });
    ws.on('close', () => resolve());
  });
  return finals;
}

test('transcription, a batch job, streaming, models and ITN open no outbound connection', async () => {
  const log = join(temp.dir, 'outbound.log');
  await writeFile(log, '');
  const server = await startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', join(temp.dir, 'data')], {
    nodeArgs: PRELOAD,
    env: { TINGXIE_OUTBOUND_LOG: log },
  });
  try {
    const url = server.url;
    // Single-file transcription.
    const form = new FormData();
    form.append('file', new Blob([await readFile(audio.two)], { type: 'audio/wav' }), 'two.wav');
    const transcription = await fetch(`${url}/v1/audio/transcriptions`, { method: 'POST', body: form });
    assert.equal(transcription.status, 200);
    assert.equal(((await transcription.json()) as { text: string }).text, DATE_WRITTEN + TIME_WRITTEN);

    // A batch job, polled to completion.
    const jobForm = new FormData();
    jobForm.append('file', new Blob([await readFile(audio.date)], { type: 'audio/wav' }), 'date.wav');
    const submitted = await fetch(`${url}/api/jobs`, { method: 'POST', body: jobForm });
    assert.equal(submitted.status, 202, await submitted.clone().text());
    const { id } = (await submitted.json()) as { id: string };
    let job: { status: string; files: { text: string | null }[] } = { status: 'queued', files: [] };
    for (let i = 0; i < 400 && !['done', 'failed', 'cancelled'].includes(job.status); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await (await fetch(`${url}/api/jobs/${id}`)).json()) as typeof job;
    }
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.equal(job.files[0]?.text, DATE_WRITTEN);

    // A streaming session.
    const finals = await streamFinals(url, audio.date);
    assert.equal(finals.join(''), DATE_WRITTEN);

    assert.equal((await fetch(`${url}/api/models`)).status, 200);
    assert.equal((await fetch(`${url}/health`)).status, 200);
    const itn = await fetch(`${url}/api/itn`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: DATE_TEXT }) });
    assert.equal(itn.status, 200);
  } finally {
    assert.equal(await server.stop(), 0, server.stderr());
  }
  const armed = (await trapLog(`${log}.armed`)).trim().split('\n');
  assert.ok(armed.includes(String(server.child.pid)), `the trap was armed in the server process (${armed.join(',')})`);
  assert.equal(await trapLog(log), '', 'outbound attempts were recorded');
});
