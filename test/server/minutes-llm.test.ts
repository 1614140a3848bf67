/**
 * POST /api/minutes with the optional LLM summary configured (llmUrl/llmModel): a tiny HTTP server on 127.0.0.1
 * stands in for an OpenAI-compatible `/v1/chat/completions`. The summary comes from it; decisions and action items
 * still come from the deterministic extractor; a failing endpoint leaves the extractive summary and a warning.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../engine/src/server/app.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { testConfig, waitForModel } from './server-helpers.ts';

interface MinutesReply {
  minutes: {
    summary: { text: string; start: number | null }[];
    decisions: { text: string }[];
    actionItems: { text: string; owner: string | null; due: { date: string | null } | null }[];
    generatedBy: { summary: string };
    warnings: string[];
  };
  markdown: string;
}

const SEGMENTS = [
  { start: 0, end: 4, text: '今天我们讨论新版本的发布计划。' },
  { start: 4, end: 9, text: '经过讨论，我们决定下周一正式上线。' },
  { start: 9, end: 15, text: '张三负责在周五之前完成测试报告。' },
];

interface ChatRequest {
  path: string;
  body: { model: string; messages: { role: string; content: string }[] };
}

let temp: { dir: string; cleanup: () => Promise<void> };
let llm: Server;
let llmBase: string;
let failing = false;
const requests: ChatRequest[] = [];
const apps: FastifyInstance[] = [];

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

before(async () => {
  temp = await makeTempDir('srv-minutes-llm');
  llm = createServer((request, response) => {
    void readBody(request).then((text) => {
      requests.push({ path: request.url ?? '', body: JSON.parse(text) as ChatRequest['body'] });
      if (failing || request.method !== 'POST' || request.url !== '/v1/chat/completions') {
        response.writeHead(failing ? 500 : 404, { 'content-type': 'application/json' }).end('{"error":"nope"}');
        return;
      }
      const content = '- 决定下周一正式上线\n- 张三周五前完成测试报告';
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }] }));
    });
  });
  await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', resolve));
  llmBase = `http://127.0.0.1:${(llm.address() as AddressInfo).port}`;
});

after(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await new Promise<void>((resolve) => llm.close(() => resolve()));
  await temp.cleanup();
});

async function appWith(name: string, overrides: Parameters<typeof testConfig>[1]): Promise<FastifyInstance> {
  const app = await buildApp({ config: testConfig(join(temp.dir, name), overrides) });
  apps.push(app);
  await waitForModel(app);
  return app;
}

async function minutesFrom(app: FastifyInstance): Promise<MinutesReply> {
  const response = await app.inject({ method: 'POST', url: '/api/minutes', payload: { date: '2025-03-12', title: '发布评审', segments: SEGMENTS } });
  assert.equal(response.statusCode, 200, response.body);
  return response.json() as MinutesReply;
}

test('with llmUrl/llmModel the summary comes from the endpoint; the structured fields from the extractor', async () => {
  const app = await appWith('ok', { llmUrl: `${llmBase}/v1`, llmModel: 'tiny-chat' });
  failing = false;
  requests.length = 0;
  const { minutes, markdown } = await minutesFrom(app);
  assert.equal(minutes.generatedBy.summary, 'llm:tiny-chat');
  assert.deepEqual(minutes.summary, [
    { text: '决定下周一正式上线', start: null },
    { text: '张三周五前完成测试报告', start: null },
  ]);
  assert.equal(requests.length, 1);
  assert.equal(requests[0]!.path, '/v1/chat/completions');
  assert.equal(requests[0]!.body.model, 'tiny-chat');
  assert.match(requests[0]!.body.messages.at(-1)!.content, /张三负责在周五之前完成测试报告/);
  // Decisions and action items: the extractor's, exactly as without an LLM.
  assert.deepEqual(minutes.decisions.map((d) => d.text), ['经过讨论，我们决定下周一正式上线。']);
  assert.deepEqual(minutes.actionItems.map((a) => [a.owner, a.due?.date ?? null]), [['张三', '2025-03-14']]);
  assert.deepEqual(minutes.warnings, []);
  assert.match(markdown, /张三周五前完成测试报告/);
});

test('a failing endpoint falls back to the extractive summary with a warning', async () => {
  const app = await appWith('failing', { llmUrl: llmBase, llmModel: 'tiny-chat' });
  failing = true;
  try {
    const { minutes } = await minutesFrom(app);
    assert.equal(minutes.generatedBy.summary, 'extractive');
    assert.ok(minutes.summary.length > 0);
    assert.ok(minutes.summary.every((point) => point.start !== null), 'extractive points carry their sentence start');
    assert.ok(minutes.warnings.some((w) => /LLM summary failed.*HTTP 500/.test(w)), minutes.warnings.join(' | '));
    assert.equal(minutes.actionItems.length, 1);
    assert.equal(minutes.decisions.length, 1);
  } finally {
    failing = false;
  }
});

test('without llmUrl (the default) nothing is asked and the summary is extractive', async () => {
  const app = await appWith('off', {});
  requests.length = 0;
  const { minutes } = await minutesFrom(app);
  assert.equal(minutes.generatedBy.summary, 'extractive');
  assert.equal(requests.length, 0);
});
