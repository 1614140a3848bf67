/** Server configuration: flags > environment > config file > defaults, with errors naming the field and its source. */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';
import { defaultServerConfig, isLoopbackHost, readConfigFile, resolveServerConfig } from '../../engine/src/server/config.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';

let temp: { dir: string; cleanup: () => Promise<void> };

before(async () => {
  temp = await makeTempDir('srv-config');
});

after(async () => {
  await temp.cleanup();
});

function configError(run: () => unknown): TingxieError {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof TingxieError);
    assert.equal(error.code, ErrorCodes.CONFIG_INVALID);
    return error;
  }
  assert.fail('expected CONFIG_INVALID');
}

test('defaults: loopback, port 7860, data dir under the home folder', () => {
  const config = resolveServerConfig({ homeDir: '/home/u', cwd: '/work', cpuCount: 8 });
  assert.deepEqual(config, defaultServerConfig('/home/u/.tingxie', 8));
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.port, 7860);
  assert.equal(config.token, null);
});

test('precedence: flags over environment over file over defaults', async () => {
  const file = join(temp.dir, 'config.json');
  await writeFile(file, JSON.stringify({ port: 9000, batchSize: 3, device: 'cuda:1', allowIps: ['10.0.0.0/8'], logLevel: 'warn' }));
  const fromFile = await readConfigFile(file);
  const config = resolveServerConfig({
    flags: { port: '9100' },
    env: { TINGXIE_PORT: '9050', TINGXIE_BATCH_SIZE: '2', TINGXIE_HOME: '/data/tx' },
    file: fromFile,
    homeDir: '/home/u',
    cwd: '/work',
  });
  assert.equal(config.port, 9100, 'flag wins');
  assert.equal(config.batchSize, 2, 'environment beats the file');
  assert.equal(config.device, 'cuda:1', 'file beats the default');
  assert.deepEqual(config.allowIps, ['10.0.0.0/8']);
  assert.equal(config.logLevel, 'warn');
  assert.equal(config.dataDir, '/data/tx');
  const relative = resolveServerConfig({ flags: { dataDir: 'here', modelPath: 'm' }, homeDir: '/home/u', cwd: '/work' });
  assert.equal(relative.dataDir, '/work/here');
  assert.equal(relative.modelPath, '/work/m');
});

test('lists from the environment are comma-separated; origins are normalized', () => {
  const config = resolveServerConfig({
    env: { TINGXIE_ALLOW_IPS: '10.0.0.0/8, 192.168.1.2', TINGXIE_CORS_ORIGINS: 'https://a.example/,app://x.y', TINGXIE_TLS: 'true', TINGXIE_LOG_TRANSCRIPTS: '1' },
    homeDir: '/h',
    cwd: '/',
  });
  assert.deepEqual(config.allowIps, ['10.0.0.0/8', '192.168.1.2']);
  assert.deepEqual(config.corsOrigins, ['https://a.example', 'app://x.y']);
  assert.equal(config.tls, true);
  assert.equal(config.logTranscripts, true);
});

test('invalid values name the field as the user wrote it', () => {
  const base = { homeDir: '/h', cwd: '/' };
  assert.match(configError(() => resolveServerConfig({ ...base, flags: { port: 'abc' } })).message, /--port/);
  const env = configError(() => resolveServerConfig({ ...base, env: { TINGXIE_BATCH_SIZE: '0' } }));
  assert.match(env.message, /TINGXIE_BATCH_SIZE/);
  assert.equal(env.detail?.field, 'batchSize');
  assert.match(configError(() => resolveServerConfig({ ...base, file: { device: 'gpu' } })).message, /"device" in the config file/);
  assert.match(configError(() => resolveServerConfig({ ...base, file: { allowIps: ['10.0.0.0/33'] } })).message, /allowIps/);
  assert.match(configError(() => resolveServerConfig({ ...base, file: { corsOrigins: ['not a url'] } })).message, /corsOrigins/);
  assert.match(configError(() => resolveServerConfig({ ...base, file: { tls: 'yes please' } })).message, /"tls"/);
  assert.match(configError(() => resolveServerConfig({ ...base, file: { logLevel: 'loud' } })).message, /logLevel/);
  const token = configError(() => resolveServerConfig({ ...base, flags: { token: 'short' } }));
  assert.match(token.message, /--token/);
  assert.doesNotMatch(token.message, /short/, 'the token value is not echoed');
});

test('config files: unknown fields, bad JSON and non-objects are refused', async () => {
  const unknown = join(temp.dir, 'unknown.json');
  await writeFile(unknown, JSON.stringify({ prot: 1 }));
  await assert.rejects(readConfigFile(unknown), /unknown field "prot"/);
  const broken = join(temp.dir, 'broken.json');
  await writeFile(broken, '{ "port": ');
  await assert.rejects(readConfigFile(broken), /not valid JSON/);
  const array = join(temp.dir, 'array.json');
  await writeFile(array, '[]');
  await assert.rejects(readConfigFile(array), /JSON object/);
  await assert.rejects(readConfigFile(join(temp.dir, 'missing.json')), /Cannot read/);
});

test('loopback detection', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['0.0.0.0', '::', '192.168.1.2', 'example.com', '128.0.0.1']) assert.equal(isLoopbackHost(host), false, host);
});

test('minutes LLM: off by default; url and model from flags, environment or file; remote needs allowRemoteLlm', async () => {
  const base = { homeDir: '/h', cwd: '/' };
  const off = resolveServerConfig(base);
  assert.equal(off.llmUrl, null);
  assert.equal(off.llmModel, null);
  assert.equal(off.allowRemoteLlm, false);

  const env = resolveServerConfig({ ...base, env: { TINGXIE_LLM_URL: 'http://127.0.0.1:8080/v1', TINGXIE_LLM_MODEL: 'qwen' } });
  assert.equal(env.llmUrl, 'http://127.0.0.1:8080/v1');
  assert.equal(env.llmModel, 'qwen');
  const flags = resolveServerConfig({ ...base, flags: { llmModel: 'llama' }, env: { TINGXIE_LLM_URL: 'http://localhost:11434', TINGXIE_LLM_MODEL: 'qwen' } });
  assert.equal(flags.llmModel, 'llama', 'flag wins');
  const file = join(temp.dir, 'llm.json');
  await writeFile(file, JSON.stringify({ llmUrl: 'http://192.168.1.20:8080', llmModel: 'qwen', allowRemoteLlm: true }));
  const remote = resolveServerConfig({ ...base, file: await readConfigFile(file) });
  assert.equal(remote.llmUrl, 'http://192.168.1.20:8080');
  assert.equal(remote.allowRemoteLlm, true);
  const allowedByEnv = resolveServerConfig({ ...base, flags: { llmUrl: 'https://llm.example.com', llmModel: 'm' }, env: { TINGXIE_ALLOW_REMOTE_LLM: 'true' } });
  assert.equal(allowedByEnv.allowRemoteLlm, true);

  const refused = configError(() => resolveServerConfig({ ...base, flags: { llmUrl: 'http://192.168.1.20:8080', llmModel: 'qwen' } }));
  assert.match(refused.message, /--llm-url .*not a loopback/);
  assert.equal(refused.detail?.field, 'llmUrl');
  const refusedFile = configError(() => resolveServerConfig({ ...base, file: { llmUrl: 'http://10.1.2.3', llmModel: 'qwen' } }));
  assert.match(refusedFile.message, /"llmUrl" in the config file/);

  const badUrl = configError(() => resolveServerConfig({ ...base, env: { TINGXIE_LLM_URL: 'ftp://127.0.0.1/', TINGXIE_LLM_MODEL: 'q' } }));
  assert.match(badUrl.message, /TINGXIE_LLM_URL/);
  assert.equal(badUrl.detail?.field, 'llmUrl');
  const noModel = configError(() => resolveServerConfig({ ...base, flags: { llmUrl: 'http://127.0.0.1:8080' } }));
  assert.equal(noModel.detail?.field, 'llmModel');
  assert.match(noModel.message, /--llm-model must be set together with --llm-url/);
  const noUrl = configError(() => resolveServerConfig({ ...base, file: { llmModel: 'qwen' } }));
  assert.equal(noUrl.detail?.field, 'llmUrl');
  const badAllow = configError(() => resolveServerConfig({ ...base, env: { TINGXIE_ALLOW_REMOTE_LLM: 'sure' } }));
  assert.match(badAllow.message, /TINGXIE_ALLOW_REMOTE_LLM/);
});
