/**
 * Preload (`node --import tsx --import ./outbound-trap.ts ...`) for the no-outbound test: traps every TCP
 * connect, UDP send and DNS lookup to a non-loopback destination in this process (worker threads included),
 * appends one JSON line per attempt to $TINGXIE_OUTBOUND_LOG, and fails the attempt. Each process it arms
 * appends its pid to `$TINGXIE_OUTBOUND_LOG.armed`.
 */
import { appendFileSync } from 'node:fs';
import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';

const logFile = process.env.TINGXIE_OUTBOUND_LOG;

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

function record(kind: string, target: string): void {
  if (logFile) appendFileSync(logFile, `${JSON.stringify({ kind, target, pid: process.pid })}\n`);
}

type ConnectArgs = unknown[];

/** The host a Socket#connect call goes to; null for IPC (Unix socket / named pipe) connections. */
function connectHost(args: ConnectArgs): string | null {
  let first = args[0];
  // net.connect passes [options, callback] wrapped as one normalized array.
  if (Array.isArray(first)) first = first[0];
  if (typeof first === 'object' && first !== null) {
    const options = first as { host?: string; path?: string };
    if (options.path !== undefined) return null;
    return options.host ?? 'localhost';
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  return null;
}

if (logFile) {
  // Proof for the test that the trap was active in this process.
  appendFileSync(`${logFile}.armed`, `${process.pid}\n`);
  const originalConnect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function trappedConnect(this: net.Socket, ...args: ConnectArgs): net.Socket {
    const host = connectHost(args);
    if (host !== null && !isLoopback(host)) {
      record('tcp', host);
      process.nextTick(() => this.destroy(new Error(`outbound connection to ${host} blocked by the test`)));
      return this;
    }
    return (originalConnect as (...a: ConnectArgs) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;

  const originalLookup = dns.lookup;
  dns.lookup = function trappedLookup(hostname: string, ...rest: unknown[]): void {
    if (!isLoopback(hostname)) record('dns', hostname);
    (originalLookup as (...a: unknown[]) => void).call(dns, hostname, ...rest);
  } as typeof dns.lookup;
  const originalPromisesLookup = dns.promises.lookup;
  dns.promises.lookup = function trappedPromisesLookup(hostname: string, ...rest: unknown[]) {
    if (!isLoopback(hostname)) record('dns', hostname);
    return (originalPromisesLookup as (...a: unknown[]) => Promise<unknown>).call(dns.promises, hostname, ...rest);
  } as typeof dns.promises.lookup;

  const originalSend = dgram.Socket.prototype.send;
  dgram.Socket.prototype.send = function trappedSend(this: dgram.Socket, ...args: unknown[]): void {
    const address = args.find((arg, i) => i > 0 && typeof arg === 'string');
    if (typeof address === 'string' && !isLoopback(address)) {
      record('udp', address);
      return;
    }
    (originalSend as (...a: unknown[]) => void).apply(this, args);
  } as typeof dgram.Socket.prototype.send;
}
