import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { itnCommand } from '../../engine/src/cli/itn-command.ts';
import type { CliIo } from '../../engine/src/cli/io.ts';
import { isTingxieError } from '../../engine/src/errors.ts';

function fakeIo(input: string): { io: CliIo; out: () => string } {
  let stdout = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: () => true },
    stderrStream: process.stderr,
    stdin: Readable.from([input]),
    env: {},
    cwd: process.cwd(),
    homeDir: '/nonexistent',
    cpuCount: 1,
  };
  return { io, out: () => stdout };
}

test('itn command writes one normalized line per input line', async () => {
  const { io, out } = fakeIo('二零二五年三月十二号下午三点\ntwenty one\n\n一心一意\n');
  assert.equal(await itnCommand([], io), 0);
  assert.equal(out(), '2025年3月12日下午3点\n21\n\n一心一意\n');
});

test('itn command honours --lang', async () => {
  const zh = fakeIo('twenty one 二十一\n');
  assert.equal(await itnCommand(['--lang', 'zh'], zh.io), 0);
  assert.equal(zh.out(), 'twenty one 21\n');
  const en = fakeIo('twenty one 二十一\n');
  assert.equal(await itnCommand(['--lang', 'en'], en.io), 0);
  assert.equal(en.out(), '21 二十一\n');
});

test('itn command rejects an unknown language with a usage error', async () => {
  const { io } = fakeIo('');
  await assert.rejects(itnCommand(['--lang', 'fr'], io), (e: unknown) => isTingxieError(e) && e.code === 'USAGE');
});
