/**
 * Server configuration: command-line flags > environment (TINGXIE_*) > config file (JSON) > defaults,
 * validated into one `ServerConfig`. Every error names the offending field and where it came from.
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { resolveDataDir } from '../models/store/store.ts';
import type { ServerConfig } from './contracts.ts';

export const DEFAULT_PORT = 7860;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 120;

const LOG_LEVELS: readonly ServerConfig['logLevel'][] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Every field, what it is in the config file, the environment and on the command line. */
export const CONFIG_FIELDS = {
  host: { env: 'TINGXIE_HOST', flag: 'host' },
  port: { env: 'TINGXIE_PORT', flag: 'port' },
  modelPath: { env: 'TINGXIE_MODEL_PATH', flag: 'model-path' },
  device: { env: 'TINGXIE_DEVICE', flag: 'device' },
  onCudaUnavailable: { env: 'TINGXIE_ON_CUDA_UNAVAILABLE', flag: 'cuda-fallback' },
  threads: { env: 'TINGXIE_THREADS', flag: 'threads' },
  batchSize: { env: 'TINGXIE_BATCH_SIZE', flag: 'batch-size' },
  maxLen: { env: 'TINGXIE_MAX_LEN', flag: 'max-len' },
  dataDir: { env: 'TINGXIE_HOME', flag: 'data-dir' },
  token: { env: 'TINGXIE_TOKEN', flag: 'token' },
  tls: { env: 'TINGXIE_TLS', flag: 'tls' },
  allowIps: { env: 'TINGXIE_ALLOW_IPS', flag: 'allow-ip' },
  corsOrigins: { env: 'TINGXIE_CORS_ORIGINS', flag: 'cors-origin' },
  maxUploadBytes: { env: 'TINGXIE_MAX_UPLOAD_BYTES', flag: 'max-upload-bytes' },
  rateLimitPerMinute: { env: 'TINGXIE_RATE_LIMIT', flag: 'rate-limit' },
  streamPartialIntervalS: { env: 'TINGXIE_STREAM_PARTIAL_INTERVAL', flag: 'stream-partial-interval' },
  maxStreamSessionS: { env: 'TINGXIE_MAX_STREAM_SESSION', flag: 'max-stream-session' },
  logLevel: { env: 'TINGXIE_LOG_LEVEL', flag: 'log-level' },
  logTranscripts: { env: 'TINGXIE_LOG_TRANSCRIPTS', flag: 'log-transcripts' },
  llmUrl: { env: 'TINGXIE_LLM_URL', flag: 'llm-url' },
  llmModel: { env: 'TINGXIE_LLM_MODEL', flag: 'llm-model' },
  allowRemoteLlm: { env: 'TINGXIE_ALLOW_REMOTE_LLM', flag: 'allow-remote-llm' },
  punctuationModel: { env: 'TINGXIE_PUNCTUATION_MODEL', flag: 'punctuation-model' },
} as const satisfies Record<keyof ServerConfig, { env: string; flag: string }>;

export type ConfigField = keyof ServerConfig;

/** Raw values from one source, before validation: strings from the environment/flags, JSON values from the file. */
export type RawConfig = Partial<Record<ConfigField, unknown>>;

export function defaultServerConfig(dataDir: string, cpuCount = 4): ServerConfig {
  return {
    host: DEFAULT_HOST,
    port: DEFAULT_PORT,
    modelPath: null,
    device: 'cpu',
    onCudaUnavailable: 'fail',
    threads: Math.max(1, Math.min(4, cpuCount)),
    batchSize: 1,
    maxLen: 30,
    dataDir,
    token: null,
    tls: false,
    allowIps: [],
    corsOrigins: [],
    maxUploadBytes: DEFAULT_MAX_UPLOAD_BYTES,
    rateLimitPerMinute: DEFAULT_RATE_LIMIT_PER_MINUTE,
    streamPartialIntervalS: 1,
    maxStreamSessionS: 3600,
    logLevel: 'info',
    logTranscripts: false,
    llmUrl: null,
    llmModel: null,
    allowRemoteLlm: false,
    punctuationModel: null,
  };
}

/** The `TINGXIE_*` variables that are set, as raw values. */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): RawConfig {
  const raw: RawConfig = {};
  for (const [field, names] of Object.entries(CONFIG_FIELDS) as [ConfigField, { env: string }][]) {
    const value = env[names.env];
    if (value !== undefined && value.trim() !== '') raw[field] = value;
  }
  return raw;
}

/** Reads a JSON config file whose keys are ServerConfig field names. */
export async function readConfigFile(path: string): Promise<RawConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `Cannot read config file ${path}: ${(error as Error).message}`, { field: 'config', path });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `Config file ${path} is not valid JSON: ${(error as Error).message}`, { field: 'config', path });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `Config file ${path} must hold a JSON object.`, { field: 'config', path });
  }
  const raw: RawConfig = {};
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    if (!(key in CONFIG_FIELDS)) {
      throw new TingxieError(ErrorCodes.CONFIG_INVALID, `Config file ${path}: unknown field "${key}". Known: ${Object.keys(CONFIG_FIELDS).join(', ')}.`, {
        field: key,
        source: 'file',
      });
    }
    raw[key as ConfigField] = value;
  }
  return raw;
}

export interface ConfigSources {
  flags?: RawConfig;
  env?: Readonly<Record<string, string | undefined>>;
  file?: RawConfig;
  homeDir: string;
  cwd: string;
  cpuCount?: number;
}

/** Merges the sources (flags > env > file > defaults) and validates every field. */
export function resolveServerConfig(sources: ConfigSources): ServerConfig {
  const layers: [string, RawConfig][] = [
    ['flag', sources.flags ?? {}],
    ['environment', configFromEnv(sources.env ?? {})],
    ['config file', sources.file ?? {}],
  ];
  const pick = (field: ConfigField): { value: unknown; source: string } | null => {
    for (const [source, layer] of layers) if (layer[field] !== undefined) return { value: layer[field], source };
    return null;
  };
  const envForDataDir: Record<string, string | undefined> = { ...(sources.env ?? {}) };
  const dataDirRaw = pick('dataDir');
  const dataDir =
    dataDirRaw !== null ? resolve(sources.cwd, asString('dataDir', dataDirRaw)) : resolveDataDir({ TINGXIE_HOME: envForDataDir.TINGXIE_HOME }, sources.homeDir);
  const base = defaultServerConfig(dataDir, sources.cpuCount);

  const get = <K extends ConfigField>(field: K, parse: (picked: { value: unknown; source: string }) => ServerConfig[K]): ServerConfig[K] => {
    const picked = pick(field);
    return picked === null ? base[field] : parse(picked);
  };

  const config: ServerConfig = {
    host: get('host', (p) => parseHost(asString('host', p))),
    port: get('port', (p) => asInteger('port', p, 0, 65535)),
    modelPath: get('modelPath', (p) => resolve(sources.cwd, asString('modelPath', p))),
    device: get('device', (p) => parseDevice(asString('device', p), p.source)),
    onCudaUnavailable: get('onCudaUnavailable', (p) => {
      if (p.value === true || p.value === 'cpu' || p.value === 'true') return 'cpu';
      if (p.value === false || p.value === 'fail' || p.value === 'false') return 'fail';
      throw invalid('onCudaUnavailable', p, 'must be "fail" or "cpu"');
    }),
    threads: get('threads', (p) => asInteger('threads', p, 1, 256)),
    batchSize: get('batchSize', (p) => asInteger('batchSize', p, 1, 64)),
    maxLen: get('maxLen', (p) => asNumber('maxLen', p, 2, 120)),
    dataDir,
    token: get('token', (p) => parseToken(asString('token', p), p)),
    tls: get('tls', (p) => asBoolean('tls', p)),
    allowIps: get('allowIps', (p) => asStringList('allowIps', p).map((entry) => parseIpOrCidr(entry, p))),
    corsOrigins: get('corsOrigins', (p) => asStringList('corsOrigins', p).map((entry) => parseOrigin(entry, p))),
    maxUploadBytes: get('maxUploadBytes', (p) => asInteger('maxUploadBytes', p, 1024, Number.MAX_SAFE_INTEGER)),
    rateLimitPerMinute: get('rateLimitPerMinute', (p) => asInteger('rateLimitPerMinute', p, 1, 1_000_000)),
    streamPartialIntervalS: get('streamPartialIntervalS', (p) => asNumber('streamPartialIntervalS', p, 0.1, 60)),
    maxStreamSessionS: get('maxStreamSessionS', (p) => asNumber('maxStreamSessionS', p, 1, 24 * 3600)),
    logLevel: get('logLevel', (p) => {
      const level = asString('logLevel', p);
      if ((LOG_LEVELS as readonly string[]).includes(level)) return level as ServerConfig['logLevel'];
      throw invalid('logLevel', p, `must be one of ${LOG_LEVELS.join(', ')}`);
    }),
    logTranscripts: get('logTranscripts', (p) => asBoolean('logTranscripts', p)),
    llmUrl: get('llmUrl', (p) => parseLlmUrl(asString('llmUrl', p), p)),
    llmModel: get('llmModel', (p) => asString('llmModel', p)),
    allowRemoteLlm: get('allowRemoteLlm', (p) => asBoolean('allowRemoteLlm', p)),
    punctuationModel: get('punctuationModel', (p) => resolve(sources.cwd, asString('punctuationModel', p))),
  };
  checkLlm(config, pick);
  return config;
}

/** The minutes LLM: URL and model go together; a non-loopback URL needs allowRemoteLlm (the transcript leaves the machine). */
function checkLlm(config: ServerConfig, pick: (field: ConfigField) => { value: unknown; source: string } | null): void {
  const url = pick('llmUrl');
  const model = pick('llmModel');
  if (url !== null && model === null) throw invalid('llmModel', { value: null, source: url.source }, `must be set together with ${describeField('llmUrl', url.source)}`);
  if (model !== null && url === null) throw invalid('llmUrl', { value: null, source: model.source }, `must be set together with ${describeField('llmModel', model.source)}`);
  if (url !== null && config.llmUrl && !config.allowRemoteLlm && !isLoopbackHost(new URL(config.llmUrl).hostname)) {
    throw invalid(
      'llmUrl',
      url,
      `is not a loopback address and the transcript would leave this machine; allow it explicitly (--allow-remote-llm, TINGXIE_ALLOW_REMOTE_LLM or "allowRemoteLlm")`,
    );
  }
}

function parseLlmUrl(value: string, p: { value: unknown; source: string }): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('llmUrl', p, 'must be an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('llmUrl', p, 'must be an http:// or https:// URL');
  return value;
}

/** True for 127.0.0.0/8, ::1, ::ffff:127.x and "localhost". */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/** A field as the user wrote it in `source`: the flag, the variable or the config-file key. */
function describeField(field: ConfigField, source: string): string {
  const names = CONFIG_FIELDS[field];
  return source === 'flag' ? `--${names.flag}` : source === 'environment' ? names.env : `"${field}" in the config file`;
}

function invalid(field: ConfigField, picked: { value: unknown; source: string }, why: string): TingxieError {
  const where = describeField(field, picked.source);
  return new TingxieError(ErrorCodes.CONFIG_INVALID, `${where} ${why}, got ${JSON.stringify(picked.value)}.`, { field, source: picked.source });
}

function asString(field: ConfigField, p: { value: unknown; source: string }): string {
  if (typeof p.value !== 'string' || p.value.trim() === '') throw invalid(field, p, 'must be a non-empty string');
  return p.value.trim();
}

function asNumber(field: ConfigField, p: { value: unknown; source: string }, min: number, max: number): number {
  const n = typeof p.value === 'number' ? p.value : typeof p.value === 'string' && p.value.trim() !== '' ? Number(p.value) : Number.NaN;
  if (!Number.isFinite(n) || n < min || n > max) throw invalid(field, p, `must be a number from ${min} to ${max}`);
  return n;
}

function asInteger(field: ConfigField, p: { value: unknown; source: string }, min: number, max: number): number {
  const n = asNumber(field, p, min, max);
  if (!Number.isInteger(n)) throw invalid(field, p, `must be a whole number from ${min} to ${max}`);
  return n;
}

function asBoolean(field: ConfigField, p: { value: unknown; source: string }): boolean {
  if (typeof p.value === 'boolean') return p.value;
  if (p.value === 'true' || p.value === '1') return true;
  if (p.value === 'false' || p.value === '0') return false;
  throw invalid(field, p, 'must be true or false');
}

function asStringList(field: ConfigField, p: { value: unknown; source: string }): string[] {
  if (Array.isArray(p.value) && p.value.every((entry) => typeof entry === 'string')) return (p.value as string[]).map((s) => s.trim()).filter((s) => s !== '');
  if (typeof p.value === 'string') return p.value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  throw invalid(field, p, 'must be a list of strings (comma-separated in the environment)');
}

function parseHost(host: string): string {
  return host;
}

function parseDevice(device: string, source: string): string {
  if (device === 'cpu' || /^cuda(:\d+)?$/.test(device)) return device;
  throw invalid('device', { value: device, source }, 'must be cpu, cuda or cuda:N');
}

function parseToken(token: string, p: { value: unknown; source: string }): string {
  if (token.length < 16 || /\s/.test(token)) throw invalid('token', { value: '<redacted>', source: p.source }, 'must be at least 16 characters without spaces');
  return token;
}

function parseIpOrCidr(entry: string, p: { value: unknown; source: string }): string {
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  const bits = prefix === undefined ? null : Number(prefix);
  const ok = rest.length === 0 && family !== 0 && (bits === null || (Number.isInteger(bits) && bits >= 0 && bits <= (family === 4 ? 32 : 128)));
  if (!ok) throw invalid('allowIps', { value: entry, source: p.source }, 'entries must be IP addresses or CIDRs (192.168.1.0/24, fd00::/8)');
  return entry;
}

function parseOrigin(entry: string, p: { value: unknown; source: string }): string {
  let url: URL;
  try {
    url = new URL(entry);
  } catch {
    throw invalid('corsOrigins', { value: entry, source: p.source }, 'entries must be origins like https://example.com');
  }
  // An origin has no path; URL.origin is "null" for custom schemes, so rebuild it.
  if (url.pathname !== '/' && url.pathname !== '') throw invalid('corsOrigins', { value: entry, source: p.source }, 'entries must be origins without a path');
  return `${url.protocol}//${url.host}`;
}
