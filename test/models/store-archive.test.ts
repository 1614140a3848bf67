import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TingxieError } from '../../engine/src/errors.ts';
import { detectArchiveFormat, extractArchive, singleTopLevelFolder } from '../../engine/src/models/store/archive.ts';

function pseudoRandomBytes(length: number, seed: string): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < length; i++) blocks.push(createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(blocks).subarray(0, length);
}

describe('extractArchive', () => {
  let work: string;
  const model = pseudoRandomBytes(250_000, 'archive-model');
  const tokens = Buffer.from('<blk> 0\n好 1\n');

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'tingxie-archive-'));
    const src = join(work, 'src', 'top');
    mkdirSync(join(src, 'sub'), { recursive: true });
    writeFileSync(join(src, 'model.int8.onnx'), model);
    writeFileSync(join(src, 'sub', 'tokens.txt'), tokens);
    execFileSync('tar', ['-cjf', join(work, 'top.tar.bz2'), '-C', join(work, 'src'), 'top']);
    execFileSync('tar', ['-czf', join(work, 'top.tar.gz'), '-C', join(work, 'src'), 'top']);
    execFileSync('tar', ['-cf', join(work, 'top.tar'), '-C', join(work, 'src'), 'top']);
    // `./`-prefixed entries and no top folder, as `tar -C dir .` writes them.
    execFileSync('tar', ['-cjf', join(work, 'flat.tar.bz2'), '-C', src, '.']);
    const good = readFileSync(join(work, 'top.tar.bz2'));
    const flipped = Buffer.from(good);
    for (let i = 0; i < 64; i++) flipped[Math.floor(good.length / 2) + i] ^= 0xff;
    writeFileSync(join(work, 'flipped.tar.bz2'), flipped);
    writeFileSync(join(work, 'truncated.tar.bz2'), good.subarray(0, Math.floor(good.length * 0.7)));
    const gz = readFileSync(join(work, 'top.tar.gz'));
    writeFileSync(join(work, 'truncated.tar.gz'), gz.subarray(0, Math.floor(gz.length * 0.7)));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  const freshDir = (): string => mkdtempSync(join(work, 'out-'));

  test('detects formats from magic bytes', async () => {
    assert.equal(await detectArchiveFormat(join(work, 'top.tar.bz2')), 'tar.bz2');
    assert.equal(await detectArchiveFormat(join(work, 'top.tar.gz')), 'tar.gz');
    assert.equal(await detectArchiveFormat(join(work, 'top.tar')), 'tar');
    writeFileSync(join(work, 'text.bin'), 'hello');
    assert.equal(await detectArchiveFormat(join(work, 'text.bin')), null);
  });

  for (const bzip2 of ['auto', 'js'] as const) {
    test(`bzip2 decoder "${bzip2}": extracts a good archive and rejects corrupt or truncated ones`, async () => {
      const out = freshDir();
      const result = await extractArchive(join(work, 'top.tar.bz2'), out, { bzip2 });
      assert.equal(result.format, 'tar.bz2');
      assert.deepEqual([...result.files].sort(), ['top/model.int8.onnx', 'top/sub/tokens.txt']);
      assert.deepEqual(readFileSync(join(out, 'top', 'model.int8.onnx')), model);
      assert.deepEqual(readFileSync(join(out, 'top', 'sub', 'tokens.txt')), tokens);

      for (const name of ['flipped.tar.bz2', 'truncated.tar.bz2']) {
        await assert.rejects(
          extractArchive(join(work, name), freshDir(), { bzip2 }),
          (error: unknown) => error instanceof TingxieError && error.code === 'ARCHIVE_INVALID' && error.message.includes(name),
          name,
        );
      }
    });
  }

  test('extracts .tar.gz and plain .tar; truncated gzip is ARCHIVE_INVALID', async () => {
    for (const name of ['top.tar.gz', 'top.tar']) {
      const out = freshDir();
      await extractArchive(join(work, name), out);
      assert.deepEqual(readFileSync(join(out, 'top', 'model.int8.onnx')), model, name);
    }
    await assert.rejects(extractArchive(join(work, 'truncated.tar.gz'), freshDir()), (error: unknown) => error instanceof TingxieError && error.code === 'ARCHIVE_INVALID');
  });

  test('singleTopLevelFolder strips one wrapping folder and leaves flat archives alone', async () => {
    const wrapped = freshDir();
    await extractArchive(join(work, 'top.tar.bz2'), wrapped);
    assert.equal(await singleTopLevelFolder(wrapped), join(wrapped, 'top'));

    const flat = freshDir();
    const result = await extractArchive(join(work, 'flat.tar.bz2'), flat);
    assert.deepEqual([...result.files].sort(), ['model.int8.onnx', 'sub/tokens.txt']);
    assert.equal(await singleTopLevelFolder(flat), flat);
    assert.deepEqual(readdirSync(flat).sort(), ['model.int8.onnx', 'sub']);
  });

  test('an aborted extraction stops with ABORTED', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      extractArchive(join(work, 'top.tar.bz2'), freshDir(), { signal: controller.signal }),
      (error: unknown) => error instanceof TingxieError && error.code === 'ABORTED',
    );
  });
});
