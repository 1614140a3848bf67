/**
 * Local HTTPS: a private CA ("Tingxie Local CA") and a `localhost` server certificate it signs, kept in
 * `<dataDir>/tls/` (keys owner-only, 0600), reused across restarts and regenerated when expired or about
 * to expire. Users trust the CA once (`tingxie tls export-ca`); the server certificate can then be renewed
 * without asking again.
 */
import { X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { ErrorCodes, TingxieError } from '../errors.ts';

const DAY_MS = 24 * 3600 * 1000;
/** CA lifetime. */
const CA_DAYS = 3650;
/** Server certificate lifetime (browsers refuse more than 398 days). */
const SERVER_DAYS = 397;
/** Certificates expiring within this many days are renewed at start. */
const RENEW_BEFORE_DAYS = 30;

export const CA_COMMON_NAME = 'Tingxie Local CA';

export interface TlsFiles {
  dir: string;
  caCertPath: string;
  caKeyPath: string;
  certPath: string;
  keyPath: string;
}

export interface LocalTls {
  files: TlsFiles;
  /** Server key and certificate (PEM) for `https.createServer`. */
  key: string;
  cert: string;
  caCert: string;
  /** What this call had to create: nothing, a new server certificate, or a new CA too. */
  generated: 'none' | 'server' | 'ca';
}

export function tlsFiles(dataDir: string): TlsFiles {
  const dir = join(dataDir, 'tls');
  return { dir, caCertPath: join(dir, 'ca.crt'), caKeyPath: join(dir, 'ca.key'), certPath: join(dir, 'server.crt'), keyPath: join(dir, 'server.key') };
}

async function readOptional(path: string): Promise<string | null> {
  return readFile(path, 'utf8').catch(() => null);
}

/** Whether `pem` parses and stays valid for at least RENEW_BEFORE_DAYS after `now`. */
function stillValid(pem: string | null, now: Date): boolean {
  if (pem === null) return false;
  try {
    const cert = new X509Certificate(pem);
    return new Date(cert.validFrom).getTime() <= now.getTime() + DAY_MS && new Date(cert.validTo).getTime() > now.getTime() + RENEW_BEFORE_DAYS * DAY_MS;
  } catch {
    return false;
  }
}

function signedBy(certPem: string, caPem: string): boolean {
  try {
    return new X509Certificate(certPem).verify(new X509Certificate(caPem).publicKey);
  } catch {
    return false;
  }
}

async function writeKey(path: string, pem: string): Promise<void> {
  await writeFile(path, pem, { mode: 0o600 });
  await chmod(path, 0o600);
}

/** Loads the CA and server certificate from `<dataDir>/tls`, creating or renewing what is missing or expiring. */
export async function ensureLocalTls(dataDir: string, now: Date = new Date()): Promise<LocalTls> {
  const files = tlsFiles(dataDir);
  await mkdir(files.dir, { recursive: true, mode: 0o700 });
  let [caCert, caKey, cert, key] = await Promise.all([files.caCertPath, files.caKeyPath, files.certPath, files.keyPath].map(readOptional));
  let generated: LocalTls['generated'] = 'none';
  try {
    if (!stillValid(caCert, now) || caKey === null) {
      const ca = await generate([{ name: 'commonName', value: CA_COMMON_NAME }, { name: 'organizationName', value: 'Tingxie' }], {
        keyType: 'ec',
        curve: 'P-256',
        algorithm: 'sha256',
        notBeforeDate: new Date(now.getTime() - DAY_MS),
        notAfterDate: new Date(now.getTime() + CA_DAYS * DAY_MS),
        extensions: [
          { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
        ],
      });
      caCert = ca.cert;
      caKey = ca.private;
      await writeKey(files.caKeyPath, caKey);
      await writeFile(files.caCertPath, caCert, { mode: 0o644 });
      generated = 'ca';
    }
    if (generated === 'ca' || !stillValid(cert, now) || key === null || !signedBy(cert!, caCert!)) {
      const server = await generate([{ name: 'commonName', value: 'localhost' }], {
        keyType: 'ec',
        curve: 'P-256',
        algorithm: 'sha256',
        notBeforeDate: new Date(now.getTime() - DAY_MS),
        notAfterDate: new Date(now.getTime() + SERVER_DAYS * DAY_MS),
        ca: { key: caKey, cert: caCert! },
        extensions: [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
          { name: 'extKeyUsage', serverAuth: true },
          { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
        ],
      });
      cert = server.cert;
      key = server.private;
      await writeKey(files.keyPath, key);
      await writeFile(files.certPath, cert, { mode: 0o644 });
      if (generated === 'none') generated = 'server';
    }
  } catch (error) {
    throw new TingxieError(ErrorCodes.INTERNAL, `Could not create the local TLS certificates in ${files.dir}: ${(error as Error).message}`, { dir: files.dir }, { cause: error });
  }
  return { files, key: key!, cert: cert!, caCert: caCert!, generated };
}

/** How to trust the CA certificate at `caPath` on each desktop OS (Obsidian and Office follow the OS store). */
export function trustInstructions(caPath: string): string {
  return `To let browsers, Obsidian and Office trust https://localhost, install the Tingxie CA certificate:

  Windows (PowerShell, current user):
    Import-Certificate -FilePath "${caPath}" -CertStoreLocation Cert:\\CurrentUser\\Root

  macOS:
    security add-trusted-cert -r trustRoot -k ~/Library/Keychains/login.keychain-db "${caPath}"

  Linux (Debian/Ubuntu):
    sudo cp "${caPath}" /usr/local/share/ca-certificates/tingxie-local-ca.crt && sudo update-ca-certificates
  Linux (Fedora/RHEL/Arch):
    sudo trust anchor --store "${caPath}"
  Firefox keeps its own store: Settings → Privacy & Security → Certificates → View Certificates → Import.

The CA can sign certificates for any name; its key stays in the Tingxie data folder (tls/ca.key, owner-only).
Remove the CA from the trust store when you uninstall Tingxie.
`;
}
