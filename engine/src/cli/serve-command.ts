import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ErrorCodes, TingxieError, toTingxieError } from '../errors.ts';
import { resolveDataDir } from '../models/store/store.ts';
import { buildApp } from '../server/app.ts';
import { isLoopbackHost, readConfigFile, resolveServerConfig, type RawConfig } from '../server/config.ts';
import type { ServerConfig } from '../server/contracts.ts';
import { createServerLogger } from '../server/logging.ts';
import { ensureTokenFile } from '../server/plugins/security.ts';
import { ensureLocalTls } from '../server/tls.ts';
import type { CliIo } from './io.ts';

export const SERVE_HELP = `Usage: tingxie serve [options]

Runs the local engine: an OpenAI-compatible HTTP API (POST /v1/audio/transcriptions) and Tingxie's own API.

Options (each also settable as TINGXIE_* environment variable or in the config file; flags win):
  --host H               address to bind (default 127.0.0.1; anything else requires a token)
  --port N               port (default 7860; 0 = any free port, printed on start)
  --model-path DIR       model folder (default: the installed default model)
  --device D             cpu | cuda | cuda:N (default cpu)
  --cuda-fallback        run on the CPU when CUDA is unavailable instead of failing the load
  --threads N            CPU threads for the model
  --batch-size N         transcriptions run at once (default 1)
  --max-len S            longest VAD segment in seconds (default 30)
  --data-dir DIR         data folder (default $TINGXIE_HOME or ~/.tingxie)
  --token T              require "Authorization: Bearer T" (generated into DATA_DIR/token when binding non-loopback)
  --tls                  serve HTTPS with a locally generated certificate (see "tingxie tls export-ca")
  --allow-ip CIDR        allow only these client addresses (repeatable; loopback is always allowed)
  --cors-origin ORIGIN   allow another browser origin (repeatable)
  --rate-limit N         requests per minute per client address (default 120)
  --max-upload-bytes N   largest upload (default 1 GiB)
  --log-level L          fatal | error | warn | info | debug | trace | silent (default info)
  --log-transcripts      with --log-level debug: also log file names and transcript text
  --llm-url URL          local OpenAI-compatible endpoint that rewrites the minutes summary (loopback only)
  --llm-model NAME       model name sent to it (required with --llm-url)
  --allow-remote-llm     allow a non-loopback --llm-url (the transcript leaves this machine)
  --punctuation-model P  punctuate text the model leaves without any (e.g. Paraformer) with a CT-Transformer
                         punctuation model (its model.onnx or folder); off by default
  --config FILE          JSON config file (default DATA_DIR/config.json when present)
`;

export interface ServeOptions {
  /** Stops the server when aborted (tests); default: SIGINT / SIGTERM. */
  signal?: AbortSignal;
}

/** Flags as raw config values (validated with the other sources). */
function flagsToRaw(values: Record<string, string | boolean | string[] | undefined>): RawConfig {
  const raw: RawConfig = {};
  const set = (field: keyof ServerConfig, value: unknown): void => {
    if (value !== undefined && !(Array.isArray(value) && value.length === 0)) raw[field] = value;
  };
  set('host', values.host);
  set('port', values.port);
  set('modelPath', values['model-path']);
  set('device', values.device);
  if (values['cuda-fallback'] === true) raw.onCudaUnavailable = 'cpu';
  set('threads', values.threads);
  set('batchSize', values['batch-size']);
  set('maxLen', values['max-len']);
  set('dataDir', values['data-dir']);
  set('token', values.token);
  if (values.tls === true) raw.tls = true;
  set('allowIps', values['allow-ip']);
  set('corsOrigins', values['cors-origin']);
  set('rateLimitPerMinute', values['rate-limit']);
  set('maxUploadBytes', values['max-upload-bytes']);
  set('logLevel', values['log-level']);
  if (values['log-transcripts'] === true) raw.logTranscripts = true;
  set('llmUrl', values['llm-url']);
  set('llmModel', values['llm-model']);
  if (values['allow-remote-llm'] === true) raw.allowRemoteLlm = true;
  set('punctuationModel', values['punctuation-model']);
  return raw;
}

export async function serveCommand(args: string[], io: CliIo, opts: ServeOptions = {}): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      'model-path': { type: 'string' },
      device: { type: 'string' },
      'cuda-fallback': { type: 'boolean' },
      threads: { type: 'string' },
      'batch-size': { type: 'string' },
      'max-len': { type: 'string' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
      tls: { type: 'boolean' },
      'allow-ip': { type: 'string', multiple: true },
      'cors-origin': { type: 'string', multiple: true },
      'rate-limit': { type: 'string' },
      'max-upload-bytes': { type: 'string' },
      'log-level': { type: 'string' },
      'log-transcripts': { type: 'boolean' },
      'llm-url': { type: 'string' },
      'llm-model': { type: 'string' },
      'allow-remote-llm': { type: 'boolean' },
      'punctuation-model': { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout.write(SERVE_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new TingxieError(ErrorCodes.USAGE, `Unexpected argument "${positionals[0]}". Run "tingxie serve --help".`);

  const flags = flagsToRaw(values);
  const configPath = values.config ?? io.env.TINGXIE_CONFIG;
  let file: RawConfig = {};
  if (configPath) file = await readConfigFile(resolve(io.cwd, configPath));
  else {
    const dataDir = typeof flags.dataDir === 'string' ? resolve(io.cwd, flags.dataDir) : resolveDataDir(io.env, io.homeDir);
    const implicit = join(dataDir, 'config.json');
    if (existsSync(implicit)) file = await readConfigFile(implicit);
  }
  let config = resolveServerConfig({ flags, env: io.env, file, homeDir: io.homeDir, cwd: io.cwd, cpuCount: io.cpuCount });

  let tokenFile: string | null = null;
  if (!config.token && !isLoopbackHost(config.host)) {
    const stored = await ensureTokenFile(config.dataDir);
    config = { ...config, token: stored.token };
    tokenFile = stored.path;
  }
  const tls = config.tls ? await ensureLocalTls(config.dataDir) : null;
  const log = await createServerLogger(config);
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp({ config, logger: log.logger, https: tls ? { key: tls.key, cert: tls.cert } : null });
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await log.close();
    const typed = toTingxieError(error);
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE') throw new TingxieError(ErrorCodes.CONFIG_INVALID, `Port ${config.port} on ${config.host} is already in use; pick another with --port.`, { field: 'port' });
    throw typed;
  }

  const port = (app.server.address() as AddressInfo).port;
  const scheme = tls ? 'https' : 'http';
  const wildcard = config.host === '0.0.0.0' || config.host === '::';
  const shownHost = tls && isLoopbackHost(config.host) ? 'localhost' : wildcard ? '127.0.0.1' : config.host.includes(':') ? `[${config.host}]` : config.host;
  io.stdout.write(`Tingxie engine listening on ${scheme}://${shownHost}:${port}${wildcard ? ` (all interfaces, ${config.host})` : ''}\n`);
  if (tokenFile) io.stdout.write(`Bearer token required; it is stored in ${tokenFile}\n`);
  else if (config.token) io.stdout.write('Bearer token required (the one given).\n');
  if (tls) io.stdout.write(`TLS certificate: ${tls.files.certPath} (CA ${tls.files.caCertPath}; trust it with "tingxie tls export-ca")\n`);
  io.stdout.write(`Log: ${log.file}\n`);

  const stopped = new Promise<string>((resolve) => {
    if (opts.signal) {
      if (opts.signal.aborted) resolve('abort');
      opts.signal.addEventListener('abort', () => resolve('abort'), { once: true });
      return;
    }
    const onSignal = (name: string): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(name);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  void reportModelState(app, io, stopped);

  const reason = await stopped;
  io.stderr.write(`Stopping (${reason})…\n`);
  await app.close();
  await log.close();
  return 0;
}

/** Says on stdout when the start-up model is ready (or why it is not). */
async function reportModelState(app: Awaited<ReturnType<typeof buildApp>>, io: CliIo, stopped: Promise<string>): Promise<void> {
  let done = false;
  void stopped.then(() => {
    done = true;
  });
  while (!done) {
    const status = app.registry.status();
    if (status.state === 'ready') {
      io.stdout.write(`Model ready: ${status.model?.family} ${status.model?.dir} on ${status.device}${status.model?.fixture ? ' (TEST FIXTURE)' : ''}\n`);
      return;
    }
    if (status.state === 'error') {
      io.stdout.write(`Model failed to load [${status.error?.code}]: ${status.error?.message}\n`);
      return;
    }
    if (status.state === 'empty') {
      io.stdout.write('No model loaded: run "tingxie models pull" or POST /api/models/load.\n');
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
