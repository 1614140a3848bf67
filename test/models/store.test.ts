import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { TingxieError } from '../../engine/src/errors.ts';
import { parseCatalogue, type Catalogue } from '../../engine/src/models/store/catalogue.ts';
import { INSTALL_RECORD_FILE, ModelStore, readInstallRecord, type PullProgress } from '../../engine/src/models/store/store.ts';
import { startFixtureServer, type FixtureServer } from '../helpers/http-fixture-server.ts';

// The store is exercised end to end against a local HTTP server with small archives built here.
// Archive contents are dummy bytes: these tests are about storing, not running, models.

const MODEL_ID = 'test-store-model-int8';
const ARCHIVE_NAME = `${MODEL_ID}.tar.bz2`;
const ARCHIVE_PATH = `/models/${ARCHIVE_NAME}`;

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** Deterministic incompressible bytes (SHA-256 in counter mode), so archives stay near this size. */
function pseudoRandomBytes(length: number, seed: string): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < length; i++) blocks.push(createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(blocks).subarray(0, length);
}

/** One ustar entry (header + padded body); enough to hand-craft hostile archives. */
function tarEntry(name: string, content: Buffer, typeFlag = '0', linkName = ''): Buffer {
  const header = Buffer.alloc(512, 0);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100, 'latin1');
  header.write('0000000\0', 108, 'latin1');
  header.write('0000000\0', 116, 'latin1');
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write('00000000000\0', 136, 'latin1');
  header.write('        ', 148, 'latin1');
  header.write(typeFlag, 156, 'latin1');
  header.write(linkName, 157, 100, 'utf8');
  header.write('ustar\0', 257, 'latin1');
  header.write('00', 263, 'latin1');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
  return Buffer.concat([header, content, Buffer.alloc((512 - (content.length % 512)) % 512)]);
}

function tarGz(entries: Buffer[]): Buffer {
  return gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));
}

interface Fixture {
  workDir: string;
  modelBytes: Buffer;
  tokensBytes: Buffer;
  archive: Buffer;
  archiveGz: Buffer;
  sourceDir: string;
}

function buildFixture(): Fixture {
  const workDir = mkdtempSync(join(tmpdir(), 'tingxie-store-src-'));
  const sourceDir = join(workDir, MODEL_ID);
  mkdirSync(join(sourceDir, 'test_wavs'), { recursive: true });
  const modelBytes = pseudoRandomBytes(400_000, 'model');
  const tokensBytes = Buffer.from('<blk> 0\n<sos/eos> 1\n<unk> 2\n你 3\n好 4\n');
  writeFileSync(join(sourceDir, 'model.int8.onnx'), modelBytes);
  writeFileSync(join(sourceDir, 'tokens.txt'), tokensBytes);
  writeFileSync(join(sourceDir, 'test_wavs', 'zh.wav'), pseudoRandomBytes(1000, 'wav'));
  // Same layout as sherpa-onnx releases: one top-level folder named like the archive.
  execFileSync('tar', ['-cjf', join(workDir, ARCHIVE_NAME), '-C', workDir, MODEL_ID]);
  execFileSync('tar', ['-czf', join(workDir, `${MODEL_ID}.tar.gz`), '-C', workDir, MODEL_ID]);
  return {
    workDir,
    modelBytes,
    tokensBytes,
    archive: readFileSync(join(workDir, ARCHIVE_NAME)),
    archiveGz: readFileSync(join(workDir, `${MODEL_ID}.tar.gz`)),
    sourceDir,
  };
}

function makeCatalogue(fixture: Fixture, overrides: { archiveSha256?: string | null; archiveBytes?: number | null; modelSha256?: string | null } = {}): Catalogue {
  return parseCatalogue(
    {
      schemaVersion: 1,
      defaultModelId: MODEL_ID,
      models: [
        {
          id: MODEL_ID,
          name: 'Store test model',
          family: 'sense_voice',
          status: 'available',
          languages: ['zh'],
          license: 'none (test data)',
          description: 'dummy bytes for store tests',
          archive: {
            url: `https://example.invalid/releases/${ARCHIVE_NAME}`,
            format: 'tar.bz2',
            bytes: overrides.archiveBytes === undefined ? fixture.archive.length : overrides.archiveBytes,
            sha256: overrides.archiveSha256 === undefined ? sha256(fixture.archive) : overrides.archiveSha256,
          },
          files: [
            { path: 'model.int8.onnx', bytes: fixture.modelBytes.length, sha256: overrides.modelSha256 === undefined ? sha256(fixture.modelBytes) : overrides.modelSha256 },
            { path: 'tokens.txt', bytes: null, sha256: null },
          ],
        },
        {
          id: 'later-model',
          name: 'Planned model',
          family: 'whisper',
          status: 'planned',
          languages: ['multilingual'],
          license: 'MIT',
          description: 'listed for later',
          archive: { url: 'https://example.invalid/releases/later.tar.bz2', format: 'tar.bz2', bytes: null, sha256: null },
          files: [{ path: 'tiny-tokens.txt', bytes: null, sha256: null }],
        },
      ],
    },
    'test catalogue',
  );
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<TingxieError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof TingxieError, `expected a TingxieError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}, but it succeeded`);
}

/** Everything in modelsDir except the downloads folder: must be empty after a failed pull. */
function leftovers(modelsDir: string): string[] {
  return existsSync(modelsDir) ? readdirSync(modelsDir).filter((name) => name !== '.downloads') : [];
}

function partialPath(modelsDir: string): string {
  return join(modelsDir, '.downloads', `${MODEL_ID}.tar.bz2.partial`);
}

describe('ModelStore against a local HTTP server', () => {
  let fixture: Fixture;
  let server: FixtureServer;
  let modelsDir: string;

  before(async () => {
    fixture = buildFixture();
    server = await startFixtureServer();
  });
  after(async () => {
    await server.close();
    rmSync(fixture.workDir, { recursive: true, force: true });
  });
  afterEach(() => rmSync(modelsDir, { recursive: true, force: true }));
  beforeEach(() => {
    modelsDir = mkdtempSync(join(tmpdir(), 'tingxie-store-'));
    server.requests.length = 0;
    server.setRoute(ARCHIVE_PATH, { kind: 'file', body: fixture.archive });
  });

  const storeWith = (catalogue: Catalogue): ModelStore => new ModelStore({ modelsDir, catalogue, mirror: `${server.baseUrl}/models` });

  test('pull downloads, verifies, extracts, strips the top folder and writes the install record', async () => {
    const store = storeWith(makeCatalogue(fixture));
    const events: PullProgress[] = [];
    const result = await store.pull(MODEL_ID, { onProgress: (event) => events.push(event) });

    assert.equal(result.dir, join(modelsDir, MODEL_ID));
    assert.equal(result.alreadyInstalled, false);
    assert.deepEqual(readFileSync(join(result.dir, 'model.int8.onnx')), fixture.modelBytes);
    assert.deepEqual(readFileSync(join(result.dir, 'tokens.txt')), fixture.tokensBytes);
    assert.ok(existsSync(join(result.dir, 'test_wavs', 'zh.wav')), 'nested folders survive the top-folder strip');

    const record = await readInstallRecord(join(result.dir, INSTALL_RECORD_FILE));
    assert.equal(record.id, MODEL_ID);
    assert.equal(record.family, 'sense_voice');
    assert.equal(record.catalogueId, MODEL_ID);
    const model = record.files.find((file) => file.path === 'model.int8.onnx');
    assert.deepEqual(model, { path: 'model.int8.onnx', bytes: fixture.modelBytes.length, sha256: sha256(fixture.modelBytes) });
    assert.deepEqual(record.files.map((file) => file.path), ['model.int8.onnx', 'test_wavs/zh.wav', 'tokens.txt']);
    assert.deepEqual(record.source, { kind: 'download', url: `${server.baseUrl}${ARCHIVE_PATH}`, archiveSha256: sha256(fixture.archive) });
    assert.ok(!Number.isNaN(Date.parse(record.installedAt)));

    const downloads = events.filter((event) => event.phase === 'download');
    assert.ok(downloads.length >= 2, 'a start and an end event at least');
    for (let i = 1; i < downloads.length; i++) assert.ok(downloads[i].bytesDone >= downloads[i - 1].bytesDone, 'progress never goes back');
    const last = downloads[downloads.length - 1];
    assert.equal(last.bytesDone, fixture.archive.length);
    assert.equal(last.bytesTotal, fixture.archive.length);
    assert.ok(last.bytesPerSecond >= 0);
    assert.ok(events.some((event) => event.phase === 'extract'));
    assert.equal(events[events.length - 1].phase, 'install');

    assert.deepEqual(leftovers(modelsDir), [MODEL_ID], 'no staging folders left');
    assert.ok(!existsSync(partialPath(modelsDir)), 'partial download removed after install');
    assert.equal(store.resolveInstalled(MODEL_ID), result.dir);

    // A second pull finds the install and does not touch the network.
    const requestsBefore = server.requests.length;
    const again = await store.pull(MODEL_ID);
    assert.equal(again.alreadyInstalled, true);
    assert.equal(server.requests.length, requestsBefore);
  });

  test('an interrupted transfer installs nothing; the next pull resumes with Range from the partial size', async () => {
    const store = storeWith(makeCatalogue(fixture));
    const half = Math.floor(fixture.archive.length / 2);
    server.setRoute(ARCHIVE_PATH, { kind: 'file', body: fixture.archive, cutAfterBytes: half });

    const error = await expectCode(store.pull(MODEL_ID), 'DOWNLOAD_FAILED');
    assert.match(error.message, /resume/);
    assert.throws(() => store.resolveInstalled(MODEL_ID), (thrown: unknown) => thrown instanceof TingxieError && thrown.code === 'MODEL_NOT_FOUND');
    assert.deepEqual(leftovers(modelsDir), [], 'no model folder and no staging folder');
    const partialSize = statSync(partialPath(modelsDir)).size;
    assert.ok(partialSize > 0 && partialSize <= half, `partial holds the bytes received (${partialSize})`);

    server.setRoute(ARCHIVE_PATH, { kind: 'file', body: fixture.archive });
    server.requests.length = 0;
    const result = await store.pull(MODEL_ID);
    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].range, `bytes=${partialSize}-`);
    assert.equal(result.resumedFromBytes, partialSize);
    assert.deepEqual(readFileSync(join(result.dir, 'model.int8.onnx')), fixture.modelBytes);
  });

  test('a server that ignores Range gets a clean restart, not a duplicated file', async () => {
    const store = storeWith(makeCatalogue(fixture));
    server.setRoute(ARCHIVE_PATH, { kind: 'file', body: fixture.archive, cutAfterBytes: 5000 });
    await expectCode(store.pull(MODEL_ID), 'DOWNLOAD_FAILED');
    const partialSize = statSync(partialPath(modelsDir)).size;
    assert.ok(partialSize > 0);

    server.setRoute(ARCHIVE_PATH, { kind: 'file', body: fixture.archive, ignoreRange: true });
    server.requests.length = 0;
    const result = await store.pull(MODEL_ID);
    assert.equal(server.requests[0].range, `bytes=${partialSize}-`, 'the client did ask to resume');
    assert.equal(result.resumedFromBytes, 0);
    assert.equal(result.record.source.kind === 'download' && result.record.source.archiveSha256, sha256(fixture.archive));
    assert.deepEqual(readFileSync(join(result.dir, 'model.int8.onnx')), fixture.modelBytes);
  });

  test('a partial that is already whole is accepted on HTTP 416', async () => {
    // Without a known size the client cannot tell the partial is complete until the server says so.
    const store = storeWith(makeCatalogue(fixture, { archiveBytes: null, archiveSha256: null }));
    server.setRoute(ARCHIVE_PATH, { kind: 'file', body: fixture.archive, cutAfterBytes: fixture.archive.length - 1 });
    await expectCode(store.pull(MODEL_ID), 'DOWNLOAD_FAILED');
    // Complete the partial by hand, as if the last byte had arrived before the connection died.
    writeFileSync(partialPath(modelsDir), fixture.archive);
    server.setRoute(ARCHIVE_PATH, { kind: 'file', body: fixture.archive });
    server.requests.length = 0;
    const result = await store.pull(MODEL_ID);
    assert.equal(server.requests[0].range, `bytes=${fixture.archive.length}-`);
    assert.equal(result.resumedFromBytes, fixture.archive.length);
    assert.deepEqual(readFileSync(join(result.dir, 'model.int8.onnx')), fixture.modelBytes);
  });

  test('follows redirects (as GitHub release downloads do) and gives up after 5', async () => {
    const store = storeWith(makeCatalogue(fixture));
    server.setRoute(ARCHIVE_PATH, { kind: 'redirect', location: '/hop/1' });
    server.setRoute('/hop/1', { kind: 'redirect', status: 301, location: `${server.baseUrl}/hop/2` });
    server.setRoute('/hop/2', { kind: 'file', body: fixture.archive });
    const result = await store.pull(MODEL_ID);
    assert.deepEqual(server.requests.map((request) => request.path), [ARCHIVE_PATH, '/hop/1', '/hop/2']);
    assert.deepEqual(readFileSync(join(result.dir, 'tokens.txt')), fixture.tokensBytes);

    await store.remove(MODEL_ID);
    server.setRoute(ARCHIVE_PATH, { kind: 'redirect', location: ARCHIVE_PATH });
    const error = await expectCode(store.pull(MODEL_ID), 'DOWNLOAD_FAILED');
    assert.match(error.message, /too many redirects/);
    assert.deepEqual(leftovers(modelsDir), []);
  });

  test('HTTP 404 → DOWNLOAD_FAILED carrying the status; nothing installed', async () => {
    const store = storeWith(makeCatalogue(fixture));
    server.setRoute(ARCHIVE_PATH, { kind: 'status', status: 404 });
    const error = await expectCode(store.pull(MODEL_ID), 'DOWNLOAD_FAILED');
    assert.equal(error.detail?.status, 404);
    assert.match(error.message, /404/);
    assert.deepEqual(leftovers(modelsDir), []);
  });

  test('archive checksum mismatch → CHECKSUM_MISMATCH, partial deleted, nothing installed', async () => {
    const store = storeWith(makeCatalogue(fixture, { archiveSha256: sha256(Buffer.from('something else')) }));
    await expectCode(store.pull(MODEL_ID), 'CHECKSUM_MISMATCH');
    assert.ok(!existsSync(partialPath(modelsDir)));
    assert.deepEqual(leftovers(modelsDir), []);
  });

  test('a file inside the archive with the wrong SHA-256 → CHECKSUM_MISMATCH, nothing installed', async () => {
    const store = storeWith(makeCatalogue(fixture, { modelSha256: sha256(Buffer.from('another model')) }));
    const error = await expectCode(store.pull(MODEL_ID), 'CHECKSUM_MISMATCH');
    assert.match(error.message, /model\.int8\.onnx/);
    assert.deepEqual(leftovers(modelsDir), []);
    assert.ok(!existsSync(partialPath(modelsDir)));
  });

  test('corrupt or truncated bzip2 data → ARCHIVE_INVALID, no staging left, nothing installed', async () => {
    const flipped = Buffer.from(fixture.archive);
    for (let i = 0; i < 64; i++) flipped[Math.floor(flipped.length / 2) + i] ^= 0xff;
    const truncated = fixture.archive.subarray(0, Math.floor(fixture.archive.length * 0.6));
    // The catalogue's archive hash would catch these first; a per-call URL skips it, as with a
    // mirror that repacks, so the extractor itself must notice.
    const store = storeWith(makeCatalogue(fixture));
    for (const [name, body] of [['flipped', flipped], ['truncated', truncated]] as const) {
      server.setRoute(`/bad/${name}.tar.bz2`, { kind: 'file', body });
      await expectCode(store.pull(MODEL_ID, { url: `${server.baseUrl}/bad/${name}.tar.bz2` }), 'ARCHIVE_INVALID');
      assert.deepEqual(leftovers(modelsDir), [], `${name}: nothing left but downloads`);
      assert.ok(!existsSync(partialPath(modelsDir)), `${name}: unusable download deleted`);
    }
  });

  test('an archive without the required files → ARCHIVE_INVALID naming them', async () => {
    const onlyTokens = tarGz([tarEntry('x/tokens.txt', fixture.tokensBytes)]);
    server.setRoute('/bad/no-model.tar.gz', { kind: 'file', body: onlyTokens });
    const store = storeWith(makeCatalogue(fixture));
    const error = await expectCode(store.pull(MODEL_ID, { url: `${server.baseUrl}/bad/no-model.tar.gz` }), 'ARCHIVE_INVALID');
    assert.match(error.message, /model\.int8\.onnx/);
    assert.deepEqual(leftovers(modelsDir), []);
  });

  test('unknown ids and planned models are refused before any download', async () => {
    const store = storeWith(makeCatalogue(fixture));
    const error = await expectCode(store.pull('no-such-model'), 'CATALOGUE_UNKNOWN_ID');
    assert.match(error.message, new RegExp(MODEL_ID), 'the message lists known ids');
    await expectCode(store.pull('later-model'), 'USAGE');
    await expectCode(store.pull('../escape'), 'CATALOGUE_UNKNOWN_ID');
    assert.equal(server.requests.length, 0);
  });

  test('abort during download → ABORTED, partial kept for resume, nothing installed', async () => {
    const store = storeWith(makeCatalogue(fixture));
    // The server stalls after part of the body; only the signal can end the transfer.
    server.setRoute(ARCHIVE_PATH, { kind: 'file', body: fixture.archive, stallAfterBytes: 8000 });
    const controller = new AbortController();
    const pulling = store.pull(MODEL_ID, {
      signal: controller.signal,
      onProgress: (event) => {
        if (event.phase === 'download' && event.bytesDone > 0) controller.abort();
      },
    });
    await expectCode(pulling, 'ABORTED');
    assert.deepEqual(leftovers(modelsDir), []);
    assert.ok(statSync(partialPath(modelsDir)).size > 0, 'the partial stays for the next pull');
  });
});

describe('ModelStore import, verify, list, remove', () => {
  let fixture: Fixture;
  let modelsDir: string;

  before(() => {
    fixture = buildFixture();
  });
  after(() => rmSync(fixture.workDir, { recursive: true, force: true }));
  beforeEach(() => {
    modelsDir = mkdtempSync(join(tmpdir(), 'tingxie-store-'));
  });
  afterEach(() => rmSync(modelsDir, { recursive: true, force: true }));

  // fetch must never be called by these operations.
  const noNetwork: typeof fetch = () => Promise.reject(new Error('network used'));
  const storeWith = (catalogue: Catalogue): ModelStore => new ModelStore({ modelsDir, catalogue, fetchImpl: noNetwork });

  test('import from a .tar.bz2 identifies the catalogue model by checksum', async () => {
    const store = storeWith(makeCatalogue(fixture));
    const renamed = join(fixture.workDir, 'downloaded-by-hand.tar.bz2');
    writeFileSync(renamed, fixture.archive);
    const result = await store.importFrom(renamed);
    assert.equal(result.id, MODEL_ID);
    assert.equal(result.identifiedBy, 'checksum');
    assert.equal(result.record.family, 'sense_voice');
    assert.deepEqual(result.record.source, { kind: 'import-archive', path: renamed, archiveSha256: sha256(fixture.archive) });
    assert.deepEqual(readFileSync(join(modelsDir, MODEL_ID, 'model.int8.onnx')), fixture.modelBytes);
    assert.deepEqual(leftovers(modelsDir), [MODEL_ID]);
    await expectCode(store.importFrom(renamed), 'USAGE');
    const replaced = await store.importFrom(renamed, { force: true });
    assert.equal(replaced.id, MODEL_ID);
  });

  test('import from a .tar.gz without known hashes identifies the model by its name', async () => {
    const store = storeWith(makeCatalogue(fixture, { modelSha256: null }));
    const archive = join(fixture.workDir, `${MODEL_ID}.tar.gz`);
    const result = await store.importFrom(archive);
    assert.equal(result.id, MODEL_ID);
    assert.equal(result.identifiedBy, 'name');
    assert.deepEqual(readFileSync(join(result.dir, 'tokens.txt')), fixture.tokensBytes);
  });

  test('import from a folder copies it; an unknown model gets a sanitized folder name and no family', async () => {
    const store = storeWith(makeCatalogue(fixture));
    const known = await store.importFrom(fixture.sourceDir);
    assert.equal(known.id, MODEL_ID);
    assert.equal(known.record.source.kind, 'import-dir');
    assert.ok(existsSync(join(fixture.sourceDir, 'model.int8.onnx')), 'the source folder is left alone');

    const otherDir = join(fixture.workDir, 'My Fine-tuned Model!');
    mkdirSync(otherDir, { recursive: true });
    writeFileSync(join(otherDir, 'model.int8.onnx'), pseudoRandomBytes(2000, 'other'));
    writeFileSync(join(otherDir, 'tokens.txt'), 'a 0\n');
    const custom = await store.importFrom(otherDir);
    assert.equal(custom.id, 'my-fine-tuned-model');
    assert.equal(custom.identifiedBy, 'folder-name');
    assert.equal(custom.record.family, undefined);
    assert.equal(custom.record.catalogueId, null);

    const named = await store.importFrom(otherDir, { id: 'my-own-id' });
    assert.equal(named.dir, join(modelsDir, 'my-own-id'));
    await expectCode(store.importFrom(otherDir, { id: '../outside' }), 'USAGE');
    await expectCode(store.importFrom(otherDir, { id: MODEL_ID, force: true }), 'CHECKSUM_MISMATCH');
    await expectCode(store.importFrom(join(fixture.workDir, 'missing.tar.bz2')), 'FILE_NOT_FOUND');
    assert.deepEqual(leftovers(modelsDir).sort(), [MODEL_ID, 'my-fine-tuned-model', 'my-own-id'].sort());
  });

  test('a folder marked as a test fixture keeps its marker and is never taken for a catalogue model', async () => {
    const store = storeWith(makeCatalogue(fixture, { modelSha256: null }));
    const fixtureDir = join(fixture.workDir, 'sense-voice-fixture-tiny');
    mkdirSync(fixtureDir, { recursive: true });
    writeFileSync(join(fixtureDir, 'model.int8.onnx'), fixture.modelBytes);
    writeFileSync(join(fixtureDir, 'tokens.txt'), fixture.tokensBytes);
    writeFileSync(join(fixtureDir, INSTALL_RECORD_FILE), JSON.stringify({ schemaVersion: 1, id: 'sense-voice-fixture-tiny', family: 'sense_voice', fixture: true, catalogueId: null, files: [], totalBytes: 0, installedAt: '2020-01-01T00:00:00Z', source: { kind: 'import-dir', path: '/x' } }));
    const result = await store.importFrom(fixtureDir);
    assert.equal(result.id, 'sense-voice-fixture-tiny');
    assert.equal(result.record.fixture, true);
    assert.equal(result.record.family, 'sense_voice');
    const listing = (await store.list()).find((entry) => entry.id === 'sense-voice-fixture-tiny');
    assert.equal(listing?.fixture, true);
    assert.equal(listing?.inCatalogue, false);
  });

  test('path traversal, absolute paths and links in archives → ARCHIVE_INVALID; nothing written outside', async () => {
    const store = storeWith(makeCatalogue(fixture));
    const outside = join(fixture.workDir, 'evil.txt');
    const hostile: Array<[string, Buffer]> = [
      ['traversal', tarGz([tarEntry('m/tokens.txt', Buffer.from('a 0\n')), tarEntry('m/../../evil.txt', Buffer.from('pwned'))])],
      ['absolute', tarGz([tarEntry(`${fixture.workDir}/evil.txt`, Buffer.from('pwned'))])],
      ['symlink', tarGz([tarEntry('m/model.int8.onnx', Buffer.alloc(0), '2', '/etc/passwd')])],
    ];
    for (const [name, bytes] of hostile) {
      const path = join(fixture.workDir, `${name}.tar.gz`);
      writeFileSync(path, bytes);
      const error = await expectCode(store.importFrom(path), 'ARCHIVE_INVALID');
      assert.equal(typeof error.detail?.entry, 'string', `${name}: the error names the entry: ${error.message}`);
      assert.ok(!existsSync(outside), `${name}: nothing escaped`);
      assert.deepEqual(leftovers(modelsDir), [], `${name}: no staging left`);
    }
    const notAnArchive = join(fixture.workDir, 'notes.tar.bz2');
    writeFileSync(notAnArchive, 'just text');
    await expectCode(store.importFrom(notAnArchive), 'ARCHIVE_INVALID');
  });

  test('verify reports OK, then a modified and a missing file', async () => {
    const store = storeWith(makeCatalogue(fixture));
    const { dir } = await store.importFrom(fixture.sourceDir);
    const clean = await store.verify(MODEL_ID);
    assert.equal(clean.ok, true);
    assert.deepEqual(clean.files.map((file) => file.status), ['ok', 'ok', 'ok']);

    const tampered = Buffer.from(fixture.modelBytes);
    tampered[1234] ^= 0x01;
    writeFileSync(join(dir, 'model.int8.onnx'), tampered);
    rmSync(join(dir, 'tokens.txt'));
    const report = await store.verify(MODEL_ID);
    assert.equal(report.ok, false);
    const byPath = new Map(report.files.map((file) => [file.path, file]));
    assert.equal(byPath.get('model.int8.onnx')?.status, 'modified');
    assert.equal(byPath.get('model.int8.onnx')?.actualSha256, sha256(tampered));
    assert.equal(byPath.get('tokens.txt')?.status, 'missing');
    assert.equal(byPath.get('test_wavs/zh.wav')?.status, 'ok');
    await expectCode(store.verify('later-model'), 'MODEL_NOT_FOUND');
  });

  test('verify flags files that match the record but not the catalogue hash', async () => {
    const otherDir = join(fixture.workDir, 'other-build');
    mkdirSync(otherDir, { recursive: true });
    writeFileSync(join(otherDir, 'model.int8.onnx'), pseudoRandomBytes(3000, 'other-build'));
    writeFileSync(join(otherDir, 'tokens.txt'), 'a 0\n');
    // Installed under the catalogue id before the catalogue learned the hash.
    await storeWith(makeCatalogue(fixture, { modelSha256: null })).importFrom(otherDir, { id: MODEL_ID });
    const report = await storeWith(makeCatalogue(fixture)).verify(MODEL_ID);
    assert.equal(report.ok, false);
    assert.equal(report.files.find((file) => file.path === 'model.int8.onnx')?.status, 'catalogue-mismatch');
  });

  test('list shows catalogue entries with status and size, plus installed models outside the catalogue', async () => {
    const store = storeWith(makeCatalogue(fixture));
    const before = await store.list();
    assert.deepEqual(
      before.map((entry) => [entry.id, entry.status, entry.bytes, entry.isDefault]),
      [
        [MODEL_ID, 'not-installed', fixture.archive.length, true],
        ['later-model', 'planned', null, false],
      ],
    );
    await store.importFrom(fixture.sourceDir);
    const otherDir = join(fixture.workDir, 'custom');
    mkdirSync(otherDir, { recursive: true });
    writeFileSync(join(otherDir, 'weights.bin'), Buffer.alloc(10));
    await store.importFrom(otherDir);
    mkdirSync(join(modelsDir, 'hand-copied'));
    mkdirSync(join(modelsDir, '.staging-stale'));

    const listed = await store.list();
    const installedBytes = fixture.modelBytes.length + fixture.tokensBytes.length + 1000;
    assert.deepEqual(
      listed.map((entry) => [entry.id, entry.status, entry.inCatalogue, entry.bytes]),
      [
        [MODEL_ID, 'installed', true, installedBytes],
        ['later-model', 'planned', true, null],
        ['custom', 'installed', false, 10],
        ['hand-copied', 'unrecorded', false, null],
      ],
    );
  });

  test('cleanup removes stale staging and trash folders only, keeping models and downloads', async () => {
    const store = storeWith(makeCatalogue(fixture));
    await store.importFrom(fixture.sourceDir);
    for (const name of ['.staging-old', '.trash-old', '.staging-fresh', '.downloads']) mkdirSync(join(modelsDir, name));
    const old = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(join(modelsDir, '.staging-old'), old, old);
    utimesSync(join(modelsDir, '.trash-old'), old, old);
    assert.deepEqual(await store.cleanup(), ['.staging-old', '.trash-old']);
    assert.deepEqual(readdirSync(modelsDir).sort(), ['.downloads', '.staging-fresh', MODEL_ID]);
  });

  test('remove deletes an installed model; resolveInstalled then fails with MODEL_NOT_FOUND', async () => {
    const store = storeWith(makeCatalogue(fixture));
    const { dir } = await store.importFrom(fixture.sourceDir);
    assert.equal(store.resolveInstalled(MODEL_ID), dir);
    await store.remove(MODEL_ID);
    assert.ok(!existsSync(dir));
    assert.deepEqual(leftovers(modelsDir), []);
    assert.throws(() => store.resolveInstalled(MODEL_ID), (error: unknown) => error instanceof TingxieError && error.code === 'MODEL_NOT_FOUND' && /pull/.test(error.message));
    await expectCode(store.remove(MODEL_ID), 'MODEL_NOT_FOUND');
  });
});
