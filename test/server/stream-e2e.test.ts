/**
 * /api/stream end to end: the engine app on a loopback port with the tone fixture model, a real `ws` client.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { buildApp } from '../../engine/src/server/app.ts';
import type { ServerMessage } from '../../engine/src/server/streaming/protocol.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { concatAudio, loadToneSpec, makeSpeechBed, toneSpeech } from '../helpers/tone-speech.ts';
import { DATE_TEXT, DATE_WRITTEN, TIME_TEXT, TIME_WRITTEN, testConfig, waitForModel } from './server-helpers.ts';

const FRAME_SAMPLES = 1600; // 100 ms

let temp: { dir: string; cleanup: () => Promise<void> };
let app: FastifyInstance;
let url: string;
/** Two sentences with a pause, 16 kHz PCM16. */
let twoSentences: Int16Array;

before(async () => {
  temp = await makeTempDir('stream-e2e');
  app = await buildApp({ config: testConfig(temp.dir, { streamPartialIntervalS: 1, maxStreamSessionS: 600 }) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  url = `ws://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/stream`;
  await waitForModel(app);
  const spec = loadToneSpec();
  const bed = await makeSpeechBed(temp.dir);
  const audio = concatAudio(toneSpeech(DATE_TEXT, spec, bed, { leadS: 0.5, trailS: 1 }), toneSpeech(TIME_TEXT, spec, bed, { leadS: 1, trailS: 0.5 }));
  twoSentences = Int16Array.from(audio, (x) => Math.max(-32768, Math.min(32767, Math.round(x * 32767))));
});

after(async () => {
  await app.close();
  await temp.cleanup();
});

interface Session {
  socket: WebSocket;
  messages: ServerMessage[];
  closed: Promise<{ code: number; reason: string }>;
}

async function connect(): Promise<Session> {
  const socket = new WebSocket(url);
  const messages: ServerMessage[] = [];
  socket.on('message', (data, isBinary) => {
    assert.equal(isBinary, false);
    messages.push(JSON.parse(String(data)) as ServerMessage);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, messages, closed };
}

function frameBytes(pcm: Int16Array, start: number, end: number): Buffer {
  const frame = pcm.slice(start, Math.min(end, pcm.length));
  return Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength);
}

/** Sends `pcm` in 100 ms frames, ten times faster than real time. */
async function sendAudio(socket: WebSocket, pcm: Int16Array, untilSample = pcm.length): Promise<void> {
  for (let i = 0; i < untilSample; i += FRAME_SAMPLES) {
    socket.send(frameBytes(pcm, i, Math.min(i + FRAME_SAMPLES, untilSample)));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('two sentences streamed faster than real time: partials, then exactly the two finals in written form, end, close 1000', async () => {
  const { socket, messages, closed } = await connect();
  socket.send(JSON.stringify({ type: 'start', language: 'auto', itn: true, sampleRate: 16000 }));
  await sendAudio(socket, twoSentences);
  socket.send(JSON.stringify({ type: 'stop' }));
  const close = await closed;
  assert.equal(close.code, 1000);

  const kinds = messages.map((m) => m.type);
  assert.equal(kinds[0], 'ready');
  assert.equal(kinds.at(-1), 'end');
  assert.ok(!kinds.includes('error') && !kinds.includes('lagging'), kinds.join(' '));
  const finals = messages.flatMap((m) => (m.type === 'final' ? [m] : []));
  assert.deepEqual(finals.map((f) => f.text), [DATE_WRITTEN, TIME_WRITTEN]);
  assert.deepEqual(finals.map((f) => f.rawText), [DATE_TEXT, TIME_TEXT]);
  assert.deepEqual(finals.map((f) => f.tokens.join('')), [DATE_TEXT, TIME_TEXT]);
  for (const final of finals) {
    assert.equal(final.language, 'zh');
    assert.equal(final.timestamps.length, final.tokens.length);
    for (const t of final.timestamps) assert.ok(t >= final.start && t <= final.end);
  }
  // Times in seconds from the stream start: the first sentence after 0.5 s of silence, the second after the pause.
  assert.ok(Math.abs(finals[0]!.start - 0.5) < 0.1, `first final starts at ${finals[0]!.start}`);
  assert.ok(finals[1]!.start > finals[0]!.end);
  const secondOnset = (twoSentences.length - (toneLength(TIME_TEXT) + 0.5 * 16000)) / 16000;
  assert.ok(Math.abs(finals[1]!.start - secondOnset) < 0.1, `second final starts at ${finals[1]!.start}, speech at ${secondOnset}`);

  // Partials precede the final of their segment, start where it starts, and grow: each is a prefix of the final.
  let segment = 0;
  const partialsOfSegment = [0, 0];
  for (const message of messages) {
    if (message.type === 'final') segment++;
    if (message.type !== 'partial') continue;
    const final = finals[segment]!;
    partialsOfSegment[segment]!++;
    assert.ok(Math.abs(message.start - final.start) < 0.05, `partial at ${message.start}, final at ${final.start}`);
    assert.ok(message.rawText.length > 0 && final.rawText.startsWith(message.rawText), `partial ${message.rawText} of ${final.rawText}`);
  }
  // 1 s partial interval: the ~4.7 s first sentence gets several partials, the ~1.9 s second at least one.
  assert.ok(partialsOfSegment[0]! >= 3 && partialsOfSegment[1]! >= 1, `partials per segment: ${partialsOfSegment.join(', ')}`);
  const end = messages.at(-1)!;
  assert.ok(end.type === 'end' && Math.abs(end.durationS - twoSentences.length / 16000) < 1e-9);
});

function toneLength(text: string): number {
  return toneSpeech(text, loadToneSpec(), new Float32Array(16000), { leadS: 0, trailS: 0 }).length;
}

test('malformed input → an error message, then the close code that says why', async () => {
  const cases: { name: string; run: (socket: WebSocket) => void; code: string; close: number }[] = [
    { name: 'malformed JSON', run: (s) => s.send('{"type":'), code: 'STREAM_PROTOCOL', close: 1008 },
    { name: 'binary before start', run: (s) => s.send(Buffer.alloc(3200)), code: 'STREAM_PROTOCOL', close: 1008 },
    {
      name: 'an odd-length frame mid-stream',
      run: (s) => {
        s.send(JSON.stringify({ type: 'start' }));
        s.send(frameBytes(twoSentences, 0, 1600));
        s.send(Buffer.alloc(1601));
      },
      code: 'STREAM_PROTOCOL',
      close: 1008,
    },
    { name: 'another sample rate', run: (s) => s.send(JSON.stringify({ type: 'start', sampleRate: 48000 })), code: 'STREAM_PROTOCOL', close: 1008 },
    {
      name: 'an oversized frame',
      run: (s) => {
        s.send(JSON.stringify({ type: 'start' }));
        s.send(Buffer.alloc(300 * 1024));
      },
      code: 'PAYLOAD_TOO_LARGE',
      close: 1009,
    },
  ];
  for (const { name, run, code, close } of cases) {
    const { socket, messages, closed } = await connect();
    run(socket);
    const result = await closed;
    assert.equal(result.code, close, name);
    const error = messages.at(-1);
    assert.ok(error?.type === 'error' && error.code === code, `${name}: ${JSON.stringify(messages)}`);
  }
});

test('a client that disconnects mid-stream leaves the server healthy for the next stream', async () => {
  for (let i = 0; i < 3; i++) {
    const { socket } = await connect();
    socket.send(JSON.stringify({ type: 'start' }));
    await sendAudio(socket, twoSentences, 3 * 16000);
    socket.terminate();
  }
  const health = await app.inject({ method: 'GET', url: '/health' });
  assert.equal(health.statusCode, 200);

  const { socket, messages, closed } = await connect();
  socket.send(JSON.stringify({ type: 'start', itn: false }));
  await sendAudio(socket, twoSentences);
  socket.send(JSON.stringify({ type: 'stop' }));
  assert.equal((await closed).code, 1000);
  assert.deepEqual(messages.flatMap((m) => (m.type === 'final' ? [m.text] : [])), [DATE_TEXT, TIME_TEXT], 'ITN off keeps the spoken form');
});

test('a refused handshake (no token) gets 401 and does not keep the server from closing', { timeout: 20_000 }, async () => {
  const guarded = await makeTempDir('stream-e2e-token');
  const secured = await buildApp({ config: testConfig(guarded.dir, { token: 'secret' }) });
  try {
    await secured.listen({ host: '127.0.0.1', port: 0 });
    const port = (secured.server.address() as AddressInfo).port;
    const refused = new WebSocket(`ws://127.0.0.1:${port}/api/stream`);
    const status = await new Promise<number>((resolve, reject) => {
      refused.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      refused.on('open', () => reject(new Error('opened without a token')));
      refused.on('error', () => {});
    });
    assert.equal(status, 401);
    await waitForModel(secured, { authorization: 'Bearer secret' });
    const accepted = new WebSocket(`ws://127.0.0.1:${port}/api/stream?token=secret`);
    const first = await new Promise<ServerMessage>((resolve, reject) => {
      accepted.on('open', () => accepted.send(JSON.stringify({ type: 'start' })));
      accepted.once('message', (data) => resolve(JSON.parse(String(data)) as ServerMessage));
      accepted.on('error', reject);
    });
    assert.equal(first.type, 'ready');
  } finally {
    // Hangs (and the test times out) when the refused upgrade's socket is left open.
    await secured.close();
    await guarded.cleanup();
  }
});
