/**
 * Jobs survive the engine being killed: a real `tingxie serve` child process is SIGKILLed in
 * the middle of a batch (files done, one running) and started again on the same data folder;
 * every accepted file is then transcribed exactly once, with nothing lost or left behind.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import type { JobView } from '../../engine/src/server/db/job-store.ts';
import { writeWav16 } from '../../models/fixtures/tone.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { REPO_ROOT, TONE_FIXTURE_DIR, concatAudio, loadToneSpec, makeSpeechBed, toneSpeech } from '../helpers/tone-speech.ts';

/** Spoken form → written form (ITN on), as the tone fixture and the text layer produce them. */
const SENTENCES: [string, string][] = [
  ['二零二五年三月十二号下午三点', '2025年3月12日下午3点'],
  ['上午十点半', '上午10点半'],
  ['一百二十三元', '123元'],
];
const NUM_AUDIO_FILES = 8;
const NOT_AUDIO_INDEX = 5;

interface Expected {
  name: string;
  raw: string;
  written: string;
}

let temp: { dir: string; cleanup: () => Promise<void> };
const expected: Expected[] = [];
const uploads: { name: string; path: string }[] = [];
const children: ChildProcess[] = [];

before(async () => {
  temp = await makeTempDir('jobs-durability');
  const spec = loadToneSpec();
  const bed = await makeSpeechBed(temp.dir);
  for (let i = 0; i < NUM_AUDIO_FILES; i++) {
    // Four utterances per file (about ten seconds), in a different order for each file.
    const picks = [0, 1, 2, 3].map((k) => SENTENCES[(i + k) % SENTENCES.length]!);
    const name = `batch-${i}.wav`;
    const path = join(temp.dir, name);
    await writeWav16(path, concatAudio(...picks.map(([spoken]) => toneSpeech(spoken, spec, bed, { leadS: 0.8, trailS: 0.8 }))));
    expected.push({ name, raw: picks.map(([spoken]) => spoken).join(''), written: picks.map(([, written]) => written).join('') });
    uploads.push({ name, path });
  }
  uploads.splice(NOT_AUDIO_INDEX, 0, { name: 'notes.wav', path: join(REPO_ROOT, 'package.json') });
});

after(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await temp.cleanup();
});

/** Starts `tingxie serve` on a free loopback port; resolves with its base URL once the model is ready. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string; exited: Promise<void> }> {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'engine/bin/tingxie.js'), 'serve', '--port', '0', '--model-path', TONE_FIXTURE_DIR, '--data-dir', dataDir, '--batch-size', '1', '--threads', '1', '--log-level', 'warn'],
    { cwd: REPO_ROOT, env: { ...process.env, TINGXIE_HOME: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const listening = /listening on (http:\/\/[^\s]+)/.exec(stdout);
      if (listening && /Model ready/.test(stdout)) resolve(listening[1]!);
      if (/Model failed|No model loaded/.test(stdout)) reject(new Error(stdout));
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before it was ready:\n${stdout}\n${stderr}`)));
  });
  return { child, url, exited };
}

async function submitBatch(url: string): Promise<JobView> {
  const form = new FormData();
  form.set('language', 'zh');
  form.set('itn', 'true');
  for (const upload of uploads) form.append('file', new Blob([await readFile(upload.path)]), upload.name);
  const res = await fetch(`${url}/api/jobs`, { method: 'POST', body: form });
  assert.equal(res.status, 202, await res.clone().text());
  return (await res.json()) as JobView;
}

/**
 * Follows the job's event stream and SIGKILLs the server as soon as a file starts running
 * after at least `doneBefore` files have finished.
 */
async function killMidBatch(url: string, jobId: string, child: ChildProcess, doneBefore: number): Promise<void> {
  const res = await fetch(`${url}/api/jobs/${jobId}/events`);
  assert.equal(res.status, 200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const done = new Set<number>();
  let buffer = '';
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) assert.fail('the job ended before the server could be killed mid-batch');
    buffer += decoder.decode(chunk.value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      if (event !== 'file') continue;
      const { file } = JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as { file: { index: number; status: string } };
      if (file.status === 'done' || file.status === 'failed') done.add(file.index);
      if (file.status === 'running' && done.size >= doneBefore) {
        child.kill('SIGKILL');
        await reader.cancel().catch(() => {});
        return;
      }
    }
  }
}

test('a batch interrupted by SIGKILL finishes after a restart with every file transcribed exactly once', { timeout: 120_000 }, async () => {
  const dataDir = join(temp.dir, 'data');
  const first = await startServer(dataDir);
  const accepted = await submitBatch(first.url);
  assert.equal(accepted.files.length, uploads.length);
  await killMidBatch(first.url, accepted.id, first.child, 3);
  await first.exited;
  assert.equal(first.child.signalCode, 'SIGKILL');

  // What the killed engine left: some files done (each with one history row), one running, the rest queued.
  const left = new Database(join(dataDir, 'history.db'), { readonly: true });
  const states = left.prepare('SELECT idx, status, history_id FROM job_files WHERE job_id = ? ORDER BY idx').all(accepted.id) as {
    idx: number;
    status: string;
    history_id: number | null;
  }[];
  const historyRowsAtKill = (left.prepare('SELECT COUNT(*) AS n FROM history').get() as { n: number }).n;
  left.close();
  const finishedAtKill = states.filter((s) => s.status === 'done' || s.status === 'failed');
  assert.ok(finishedAtKill.length >= 3, JSON.stringify(states));
  assert.equal(states.filter((s) => s.status === 'running').length, 1, JSON.stringify(states));
  assert.ok(states.some((s) => s.status === 'queued'), JSON.stringify(states));
  assert.equal(historyRowsAtKill, states.filter((s) => s.status === 'done').length);
  const runningAtKill = states.find((s) => s.status === 'running')!.idx;

  const second = await startServer(dataDir);
  try {
    let job: JobView;
    for (;;) {
      job = (await (await fetch(`${second.url}/api/jobs/${accepted.id}`)).json()) as JobView;
      if (job.status !== 'queued' && job.status !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(job.status, 'done');
    const audioFiles = job.files.filter((f) => f.index !== NOT_AUDIO_INDEX);
    assert.deepEqual(audioFiles.map((f) => f.status), Array(NUM_AUDIO_FILES).fill('done'));
    const notAudio = job.files[NOT_AUDIO_INDEX]!;
    assert.equal(notAudio.status, 'failed');
    assert.equal(notAudio.error?.code, 'AUDIO_NOT_AUDIO');
    assert.equal(job.files[runningAtKill]!.attempts, 2);

    // Exactly one history row per accepted audio file, with the exact texts.
    const history = (await (await fetch(`${second.url}/api/history?limit=500`)).json()) as {
      total: number;
      items: { id: number; filename: string; raw_text: string; itn_text: string; source: string }[];
    };
    assert.equal(history.total, NUM_AUDIO_FILES);
    for (const file of expected) {
      const rows = history.items.filter((item) => item.filename === file.name);
      assert.equal(rows.length, 1, `${file.name}: ${rows.length} history rows`);
      assert.equal(rows[0]!.raw_text, file.raw, file.name);
      assert.equal(rows[0]!.itn_text, file.written, file.name);
      assert.equal(rows[0]!.source, 'job');
      const jobFile = job.files.find((f) => f.filename === file.name)!;
      assert.equal(jobFile.history_id, rows[0]!.id);
      assert.equal(jobFile.text, file.written);
    }
    // Files finished before the kill kept their history rows (nothing re-ran them).
    for (const state of finishedAtKill) if (state.history_id !== null) assert.equal(job.files[state.idx]!.history_id, state.history_id);

    // No uploads left behind.
    const uploadsDir = join(dataDir, 'uploads');
    assert.ok(!existsSync(join(uploadsDir, accepted.id)), JSON.stringify(existsSync(uploadsDir) ? readdirSync(uploadsDir, { recursive: true }) : []));

    // `tingxie db backup` copies the database while this server runs.
    const backupFile = join(temp.dir, 'backup', 'history-copy.db');
    const backup = spawn(process.execPath, [join(REPO_ROOT, 'engine/bin/tingxie.js'), 'db', 'backup', backupFile, '--data-dir', dataDir], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let backupErr = '';
    backup.stderr!.on('data', (chunk: Buffer) => (backupErr += chunk.toString()));
    const backupCode = await new Promise<number | null>((resolve) => backup.once('exit', resolve));
    assert.equal(backupCode, 0, backupErr);
    const copy = new Database(backupFile, { readonly: true });
    try {
      assert.equal((copy.prepare('SELECT COUNT(*) AS n FROM history').get() as { n: number }).n, NUM_AUDIO_FILES);
      assert.equal((copy.prepare(`SELECT COUNT(*) AS n FROM job_files WHERE status = 'done'`).get() as { n: number }).n, NUM_AUDIO_FILES);
    } finally {
      copy.close();
    }
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
});
