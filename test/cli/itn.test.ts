import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/tone-speech.ts';

function itn(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'engine/bin/tingxie.js'), 'itn', ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

test('tingxie itn prints one written-form line per input line, blank lines kept', async () => {
  const run = await itn(['--lang', 'zh'], '二零二五年三月十二号下午三点\n\n百分之五十\n一心一意\n');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, '2025年3月12日下午3点\n\n50%\n一心一意\n');
});

test('tingxie itn --lang en and a bad --lang', async () => {
  const run = await itn(['--lang', 'en'], 'one hundred twenty three\n');
  assert.equal(run.stdout, '123\n');
  const bad = await itn(['--lang', 'fr'], 'x\n');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /error\[USAGE\]/);
});
