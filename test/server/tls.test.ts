/** Local TLS: CA + localhost certificate (created, reused, renewed), HTTPS serving, and `tingxie tls export-ca`. */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, test } from 'node:test';
import { runCli } from '../../engine/src/cli/main.ts';
import type { CliIo } from '../../engine/src/cli/io.ts';
import { buildApp } from '../../engine/src/server/app.ts';
import { CA_COMMON_NAME, ensureLocalTls } from '../../engine/src/server/tls.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { testConfig } from './server-helpers.ts';

const DAY_MS = 24 * 3600 * 1000;
let temp: { dir: string; cleanup: () => Promise<void> };

before(async () => {
  temp = await makeTempDir('srv-tls');
});

after(async () => {
  await temp.cleanup();
});

test('creates a CA and a localhost certificate it signs, keys owner-only; reuses them on the next start', async () => {
  const dataDir = join(temp.dir, 'a');
  const first = await ensureLocalTls(dataDir);
  assert.equal(first.generated, 'ca');
  for (const key of [first.files.caKeyPath, first.files.keyPath]) assert.equal((await stat(key)).mode & 0o777, 0o600, key);
  const ca = new X509Certificate(first.caCert);
  const cert = new X509Certificate(first.cert);
  assert.equal(ca.ca, true);
  assert.match(ca.subject, new RegExp(CA_COMMON_NAME));
  assert.equal(cert.ca, false);
  assert.ok(cert.verify(ca.publicKey), 'signed by the CA');
  assert.equal(cert.checkHost('localhost'), 'localhost');
  assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
  assert.ok(new Date(cert.validTo).getTime() - Date.now() <= 398 * DAY_MS, 'within browsers’ 398-day limit');

  const second = await ensureLocalTls(dataDir);
  assert.equal(second.generated, 'none');
  assert.equal(second.cert, first.cert);
  assert.equal(second.caCert, first.caCert);
});

test('renews an expiring server certificate under the same CA, and an expired CA with a new one', async () => {
  const dataDir = join(temp.dir, 'b');
  const first = await ensureLocalTls(dataDir);
  const later = new Date(Date.now() + 380 * DAY_MS);
  const renewed = await ensureLocalTls(dataDir, later);
  assert.equal(renewed.generated, 'server');
  assert.equal(renewed.caCert, first.caCert, 'same CA: users need not trust anything again');
  assert.notEqual(renewed.cert, first.cert);
  assert.ok(new X509Certificate(renewed.cert).verify(new X509Certificate(first.caCert).publicKey));
  assert.ok(new Date(new X509Certificate(renewed.cert).validTo).getTime() > later.getTime() + 300 * DAY_MS);
  const muchLater = await ensureLocalTls(dataDir, new Date(Date.now() + 11 * 365 * DAY_MS));
  assert.equal(muchLater.generated, 'ca');
  assert.notEqual(muchLater.caCert, first.caCert);
});

test('serves HTTPS that a client trusting only the Tingxie CA accepts for localhost', async () => {
  const dataDir = join(temp.dir, 'c');
  const tls = await ensureLocalTls(dataDir);
  const app = await buildApp({ config: testConfig(dataDir, { tls: true }), https: { key: tls.key, cert: tls.cert }, loadModelAtStart: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const port = (app.server.address() as AddressInfo).port;
    const get = (ca: string | undefined) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', servername: 'localhost', port, path: '/health', ca, method: 'GET' }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const response = await get(tls.caCert);
    assert.equal(response.status, 503);
    assert.equal((JSON.parse(response.body) as { status: string }).status, 'no_model');
    await assert.rejects(get(undefined), /self-signed|unable to verify|certificate/i);
  } finally {
    await app.close();
  }
});

function captureIo(dataDir: string, cwd: string): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    stderrStream: process.stderr,
    stdin: new PassThrough(),
    env: { TINGXIE_HOME: dataDir },
    cwd,
    homeDir: temp.dir,
    cpuCount: 2,
  };
  return { io, out: () => out, err: () => err };
}

test('tingxie tls export-ca FILE writes the CA and explains how to trust it on each OS', async () => {
  const dataDir = join(temp.dir, 'd');
  const cli = captureIo(dataDir, temp.dir);
  assert.equal(await runCli(['tls', 'export-ca', 'exported-ca.pem'], cli.io), 0, cli.err());
  const exported = await readFile(join(temp.dir, 'exported-ca.pem'), 'utf8');
  assert.equal(exported, await readFile(join(dataDir, 'tls', 'ca.crt'), 'utf8'));
  assert.equal(new X509Certificate(exported).ca, true);
  for (const hint of ['Import-Certificate', 'security add-trusted-cert', 'update-ca-certificates', 'trust anchor']) assert.ok(cli.out().includes(hint), hint);

  const toStdout = captureIo(dataDir, temp.dir);
  assert.equal(await runCli(['tls', 'export-ca'], toStdout.io), 0);
  assert.equal(toStdout.out(), exported, 'the same CA, printed');
  assert.match(toStdout.err(), /Import-Certificate/);

  const bad = captureIo(dataDir, temp.dir);
  assert.equal(await runCli(['tls', 'frobnicate'], bad.io), 2);
});
