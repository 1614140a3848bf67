import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../../engine/src/cli/main.ts';
import type { CliIo } from '../../engine/src/cli/io.ts';
import { buildMinutes, type MinutesInput } from '../../engine/src/minutes/index.ts';
import { isTingxieError } from '../../engine/src/errors.ts';

const input: MinutesInput = {
  date: '2025-03-12',
  title: '站会',
  segments: [
    { start: 0, end: 3, text: '今天讨论上线计划。', speaker: '王磊' },
    { start: 3, end: 8, text: '李娜负责写上线文档，下周五之前给我。', speaker: '王磊' },
    { start: 8, end: 12, text: '上线时间我们定下来了，就定在下周五。', speaker: '王磊' },
  ],
};

/** Imitates /v1/chat/completions: "ok" answers bullet points, "fail" answers 500; records request bodies. */
function fakeLlm(): Promise<{ url: string; bodies: unknown[]; mode: { value: 'ok' | 'fail' }; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  const mode = { value: 'ok' as 'ok' | 'fail' };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push({ path: req.url, body: JSON.parse(raw) as unknown });
      if (mode.value === 'fail' || req.url !== '/v1/chat/completions') {
        res.writeHead(500).end('boom');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: '- 下周五上线\n- 李娜写上线文档' } }] }));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, bodies, mode, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

describe('LLM summary', () => {
  let llm: Awaited<ReturnType<typeof fakeLlm>>;
  before(async () => {
    llm = await fakeLlm();
  });
  after(async () => {
    await llm.close();
  });

  it('uses the endpoint for the summary only and says so', async () => {
    llm.mode.value = 'ok';
    const minutes = await buildMinutes(input, { llm: { url: llm.url, model: 'tiny' } });
    assert.deepEqual(minutes.generatedBy, { summary: 'llm:tiny' });
    assert.deepEqual(minutes.summary, [
      { text: '下周五上线', start: null },
      { text: '李娜写上线文档', start: null },
    ]);
    assert.equal(minutes.actionItems[0]!.owner, '李娜');
    assert.equal(minutes.actionItems[0]!.due?.date, '2025-03-21');
    const last = llm.bodies[llm.bodies.length - 1] as { path: string; body: { model: string; messages: Array<{ content: string }> } };
    assert.equal(last.path, '/v1/chat/completions');
    assert.equal(last.body.model, 'tiny');
    assert.match(last.body.messages[1]!.content, /王磊: 李娜负责写上线文档/);
  });

  it('falls back to the extractive summary with a warning when the endpoint fails', async () => {
    llm.mode.value = 'fail';
    const minutes = await buildMinutes(input, { llm: { url: `${llm.url}/v1`, model: 'tiny' } });
    assert.deepEqual(minutes.generatedBy, { summary: 'extractive' });
    assert.ok(minutes.summary.length > 0);
    assert.ok(minutes.warnings.some((w) => w.includes('LLM summary failed')));
  });

  it('refuses a non-loopback endpoint unless allowed', async () => {
    await assert.rejects(
      buildMinutes(input, { llm: { url: 'http://10.1.2.3:8080', model: 'm' } }),
      (error: unknown) => isTingxieError(error) && error.code === 'CONFIG_INVALID',
    );
    const fetchCalls: string[] = [];
    const fakeFetch: typeof fetch = async (url) => {
      fetchCalls.push(String(url));
      throw new Error('unreachable');
    };
    const minutes = await buildMinutes(input, { llm: { url: 'http://10.1.2.3:8080', model: 'm', allowRemote: true }, fetch: fakeFetch });
    assert.deepEqual(fetchCalls, ['http://10.1.2.3:8080/v1/chat/completions']);
    assert.equal(minutes.generatedBy.summary, 'extractive');
  });
});

function captureIo(): { io: CliIo; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    stderrStream: process.stderr,
    stdin: new PassThrough(),
    env: {},
    cwd: process.cwd(),
    homeDir: '/nonexistent',
    cpuCount: 1,
  };
  return { io, out: () => out, err: () => err };
}

describe('tingxie minutes', () => {
  it('renders Markdown from an annotated meeting file', async () => {
    const cap = captureIo();
    const code = await runCli(['minutes', 'test/minutes/data/zh01-standup.json'], cap.io);
    assert.equal(code, 0, cap.err());
    assert.match(cap.out(), /^# 后端组站会\n/);
    assert.match(cap.out(), /- \[ \] 李娜负责写上线文档，下周三之前给我。 — 负责人: 李娜，截止: 2025-03-19 \(下周三\)/);
  });

  it('writes JSON from inline JSON, with --date overriding and no date giving a warning', async () => {
    const cap = captureIo();
    const inline = JSON.stringify({ segments: [{ start: 0, end: 4, text: 'Tom will send the report by Friday.', speaker: 'Ann' }] });
    assert.equal(await runCli(['minutes', inline, '--format', 'json', '--date', '2025-03-12'], cap.io), 0, cap.err());
    const minutes = JSON.parse(cap.out()) as { language: string; actionItems: Array<{ owner: string; due: { date: string } }> };
    assert.equal(minutes.language, 'en');
    assert.equal(minutes.actionItems[0]!.owner, 'Tom');
    assert.equal(minutes.actionItems[0]!.due.date, '2025-03-14');

    const noDate = captureIo();
    assert.equal(await runCli(['minutes', inline, '--format', 'json'], noDate.io), 0);
    assert.match(noDate.err(), /warning: No meeting date/);
    assert.equal((JSON.parse(noDate.out()) as { actionItems: Array<{ due: { date: null } }> }).actionItems[0]!.due.date, null);
  });

  it('reports usage and config errors with their codes', async () => {
    const badDate = captureIo();
    assert.equal(await runCli(['minutes', '{"segments":[]}', '--date', '2025-02-30'], badDate.io), 2);
    assert.match(badDate.err(), /error\[USAGE\]/);
    const remote = captureIo();
    assert.equal(await runCli(['minutes', '{"segments":[]}', '--llm-url', 'http://example.com', '--llm-model', 'x'], remote.io), 1);
    assert.match(remote.err(), /error\[CONFIG_INVALID\]/);
    const invalid = captureIo();
    assert.equal(await runCli(['minutes', '{"segments":[{"start":1}]}'], invalid.io), 1);
    assert.match(invalid.err(), /error\[VALIDATION_FAILED\]/);
  });
});
