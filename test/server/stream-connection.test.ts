import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';
import type { RecognitionResult, RecognizeOptions } from '../../engine/src/models/asr-model.ts';
import type { HotwordList } from '../../engine/src/text/hotwords/list.ts';
import { ManualClock } from '../../engine/src/server/streaming/clock.ts';
import { StreamConnection, type StreamConnectionOptions, type StreamResources } from '../../engine/src/server/streaming/connection.ts';
import type { ServerMessage } from '../../engine/src/server/streaming/protocol.ts';
import { SR, fakeRecognizer, type RecognizeCall, fakeVadProbabilities, frames, scriptAudio } from './stream-fakes.ts';

type Recognize = (samples: Float32Array, opts: RecognizeOptions) => Promise<RecognitionResult>;

interface Harness {
  connection: StreamConnection;
  clock: ManualClock;
  sent: ServerMessage[];
  closes: { code: number; reason: string }[];
  opened: () => number;
  released: () => number;
}

function harness(
  opts: { options?: Partial<StreamConnectionOptions>; recognize?: Recognize; open?: () => Promise<StreamResources>; saved?: () => Promise<HotwordList> } = {},
): Harness {
  const sent: ServerMessage[] = [];
  const closes: { code: number; reason: string }[] = [];
  const clock = new ManualClock();
  let opened = 0;
  let released = 0;
  const recognize = opts.recognize ?? fakeRecognizer();
  const connection = new StreamConnection({
    transport: {
      send: (text) => {
        assert.equal(closes.length, 0, 'nothing is sent after the close');
        sent.push(JSON.parse(text) as ServerMessage);
      },
      close: (code, reason) => closes.push({ code, reason }),
      bufferedAmount: 0,
    },
    openResources:
      opts.open ??
      (() => {
        opened++;
        return Promise.resolve({
          recognize,
          vadProbabilities: fakeVadProbabilities,
          release: () => {
            released++;
            return Promise.resolve();
          },
        });
      }),
    ...(opts.saved ? { savedHotwords: opts.saved } : {}),
    clock,
    options: { ...opts.options, session: { partialIntervalS: 1, ...opts.options?.session } },
  });
  return { connection, clock, sent, closes, opened: () => opened, released: () => released };
}

function bytes(pcm: Int16Array): Uint8Array {
  return new Uint8Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.byteLength));
}

function types(sent: ServerMessage[]): string[] {
  return sent.map((m) => (m.type === 'error' ? `error:${m.code}` : m.type === 'final' || m.type === 'partial' ? `${m.type}:${m.rawText}` : m.type));
}

const SPEECH = scriptAudio([{ silence: 0.5 }, { letters: 'abc', letterS: 0.8 }, { silence: 1 }]);

test('start, PCM16 frames, stop: ready, partials, final, end, close 1000, resources released once', async () => {
  const h = harness();
  h.connection.onText(JSON.stringify({ type: 'start', language: 'auto', itn: true, hotwords: ['听写'], sampleRate: 16000 }));
  for (const frame of frames(SPEECH, 1600)) h.connection.onBinary(bytes(frame));
  h.connection.onText('{"type":"stop"}');
  await h.connection.done;
  assert.deepEqual(types(h.sent), ['ready', 'partial:ab', 'partial:abc', 'final:abc', 'end']);
  assert.deepEqual(h.closes, [{ code: 1000, reason: 'end of stream' }]);
  assert.equal(h.opened(), 1);
  assert.equal(h.released(), 1);
  h.connection.onClose();
  assert.equal(h.released(), 1);
});

const protocolCases: { name: string; send: (c: StreamConnection) => void; code: string; close: number; pattern: RegExp }[] = [
  { name: 'malformed JSON', send: (c) => c.onText('{"type":"start"'), code: 'STREAM_PROTOCOL', close: 1008, pattern: /JSON/ },
  { name: 'an unknown message type', send: (c) => c.onText('{"type":"pause"}'), code: 'STREAM_PROTOCOL', close: 1008, pattern: /pause/ },
  { name: 'binary before start', send: (c) => c.onBinary(new Uint8Array(320)), code: 'STREAM_PROTOCOL', close: 1008, pattern: /before the start/ },
  { name: 'stop before start', send: (c) => c.onText('{"type":"stop"}'), code: 'STREAM_PROTOCOL', close: 1008, pattern: /before start/ },
  { name: 'another sample rate', send: (c) => c.onText('{"type":"start","sampleRate":44100}'), code: 'STREAM_PROTOCOL', close: 1008, pattern: /16000 Hz.*44100/ },
  { name: 'a bad language', send: (c) => c.onText('{"type":"start","language":"fr"}'), code: 'STREAM_PROTOCOL', close: 1008, pattern: /language/ },
  { name: 'hotwords that are not strings', send: (c) => c.onText('{"type":"start","hotwords":[1]}'), code: 'STREAM_PROTOCOL', close: 1008, pattern: /hotwords/ },
  { name: 'a hotword with a line break', send: (c) => c.onText(JSON.stringify({ type: 'start', hotwords: ['a\nb'] })), code: 'STREAM_PROTOCOL', close: 1008, pattern: /line breaks/ },
  { name: 'an unknown start field', send: (c) => c.onText('{"type":"start","format":"opus"}'), code: 'STREAM_PROTOCOL', close: 1008, pattern: /format/ },
  { name: 'an oversized text frame', send: (c) => c.onText(`{"type":"start","x":"${'a'.repeat(70_000)}"}`), code: 'PAYLOAD_TOO_LARGE', close: 1009, pattern: /65536/ },
];

for (const { name, send, code, close, pattern } of protocolCases) {
  test(`${name} → ${code}, close ${close}, no model leased`, async () => {
    const h = harness();
    send(h.connection);
    await h.connection.done;
    assert.equal(h.sent.length, 1);
    const error = h.sent[0]!;
    assert.ok(error.type === 'error' && error.code === code && pattern.test(error.message), JSON.stringify(error));
    assert.equal(h.closes[0]?.code, close);
    assert.equal(h.opened(), 0);
  });
}

test('mid-stream: an odd-length frame, an oversized frame and a second start each end the stream and release the model', async () => {
  const cases: { send: (c: StreamConnection) => void; code: string; close: number }[] = [
    { send: (c) => c.onBinary(new Uint8Array(321)), code: 'STREAM_PROTOCOL', close: 1008 },
    { send: (c) => c.onBinary(new Uint8Array(256 * 1024 + 2)), code: 'PAYLOAD_TOO_LARGE', close: 1009 },
    { send: (c) => c.onText('{"type":"start"}'), code: 'STREAM_PROTOCOL', close: 1008 },
  ];
  for (const { send, code, close } of cases) {
    const h = harness();
    h.connection.onText('{"type":"start"}');
    h.connection.onBinary(bytes(SPEECH.subarray(0, 3200)));
    await h.connection.whenIdle();
    send(h.connection);
    h.connection.onBinary(bytes(SPEECH.subarray(3200, 6400)));
    await h.connection.done;
    assert.deepEqual(types(h.sent), ['ready', `error:${code}`]);
    assert.equal(h.closes.length, 1);
    assert.equal(h.closes[0]!.code, close);
    assert.equal(h.released(), 1);
  }
});

test('no start message within the start timeout (simulated clock) → STREAM_PROTOCOL', async () => {
  const h = harness({ options: { startTimeoutS: 10 } });
  h.clock.advance(9_999);
  h.connection.onTick();
  assert.equal(h.sent.length, 0);
  h.clock.advance(1);
  h.connection.onTick();
  await h.connection.done;
  assert.deepEqual(types(h.sent), ['error:STREAM_PROTOCOL']);
  assert.equal(h.closes[0]?.code, 1008);
});

test('no model loaded → MODEL_NOT_LOADED with close 1013 (try again later)', async () => {
  const h = harness({ open: () => Promise.reject(new TingxieError(ErrorCodes.MODEL_NOT_LOADED, 'No model is loaded.')) });
  h.connection.onText('{"type":"start"}');
  await h.connection.done;
  assert.deepEqual(types(h.sent), ['error:MODEL_NOT_LOADED']);
  assert.equal(h.closes[0]?.code, 1013);
});

/** A recognizer that waits for `unblock()` before answering each call. */
function gatedRecognizer(): { recognize: Recognize; unblock: () => void; openAll: () => void; calls: () => number } {
  const inner = fakeRecognizer();
  const newGate = (): { promise: Promise<void>; resolve: () => void } => {
    let resolve = (): void => {};
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  };
  let gate = newGate();
  let calls = 0;
  let open = false;
  return {
    recognize: async (samples, opts) => {
      calls++;
      if (!open) await gate.promise;
      return inner(samples, opts);
    },
    unblock: () => {
      gate.resolve();
      gate = newGate();
    },
    openAll: () => {
      open = true;
      gate.resolve();
    },
    calls: () => calls,
  };
}

test('a client that disconnects mid-decode: queued audio dropped, nothing sent, model released after the decode', async () => {
  const gated = gatedRecognizer();
  const h = harness({ recognize: gated.recognize });
  h.connection.onText('{"type":"start"}');
  for (const frame of frames(SPEECH, 1600)) h.connection.onBinary(bytes(frame));
  while (gated.calls() === 0) await new Promise((resolve) => setImmediate(resolve));
  h.connection.onClose();
  assert.equal(h.released(), 0, 'not released while the model is in use');
  gated.unblock();
  await h.connection.done;
  assert.equal(h.released(), 1);
  assert.deepEqual(types(h.sent), ['ready'], 'the decode in flight is not sent to a closed socket');
  assert.equal(gated.calls(), 1, 'the queued audio was dropped');
});

test('decoding behind: partials give way (lagging) and past the backlog limit the stream ends with STREAM_OVERLOADED after its finals', async () => {
  const gated = gatedRecognizer();
  const h = harness({ recognize: gated.recognize, options: { maxBacklogS: 8, session: { partialIntervalS: 1, lagPartialsS: 2 } } });
  h.connection.onText('{"type":"start"}');
  // "ab", a pause, then long speech; the first partial decode blocks while more audio queues up behind it.
  const audio = scriptAudio([{ silence: 0.2 }, { letters: 'ab', letterS: 0.6 }, { silence: 1 }, { letters: 'cdefghijklmnop', letterS: 1 }]);
  const all = frames(audio, 1600);
  const send = (n: number): void => {
    for (const frame of all.splice(0, n)) h.connection.onBinary(bytes(frame));
  };
  send(13); // 1.3 s: a partial is due at 1 s of speech, and blocks
  while (gated.calls() === 0) await new Promise((resolve) => setImmediate(resolve));
  send(60); // 6 s queued behind it: still more than lagPartialsS when the next partials come due
  for (let i = 0; i < 20; i++) {
    gated.unblock();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const beforeOverload = types(h.sent);
  assert.ok(beforeOverload.includes('lagging'), beforeOverload.join(' '));
  assert.ok(!beforeOverload.some((t) => t.startsWith('error')));
  // The rest (over 9 s) arrives at once: the backlog passes 8 s.
  assert.ok(all.length * 1600 > 8 * SR);
  send(all.length);
  gated.openAll();
  await h.connection.done;
  const seen = types(h.sent);
  assert.equal(seen[0], 'ready');
  assert.ok(seen.includes('final:ab'), `finals are not dropped: ${seen.join(' ')}`);
  assert.equal(seen.at(-1), 'error:STREAM_OVERLOADED');
  assert.match(seen.at(-2)!, /^final:cd/, 'the open segment is finalized before the error');
  assert.equal(h.closes[0]?.code, 1013);
  assert.equal(h.released(), 1);
});

test('the stream hotwords (lines form: weights, replacements) are merged over the saved list and reach the recognizer', async () => {
  const calls: RecognizeCall[] = [];
  const h = harness({
    recognize: fakeRecognizer(calls),
    saved: () => Promise.resolve({ hotwords: [{ phrase: '听写', weight: null }], replacements: [] }),
  });
  h.connection.onText(JSON.stringify({ type: 'start', hotwords: ['科大讯飞 2', '撒贝你=>撒贝宁'] }));
  for (const frame of frames(SPEECH, 1600)) h.connection.onBinary(bytes(frame));
  h.connection.onText('{"type":"stop"}');
  await h.connection.done;
  assert.ok(calls.length > 0);
  const hotwords = calls[0]!.opts.hotwords;
  assert.deepEqual(hotwords?.hotwords.map((w) => [w.phrase, w.weight]).sort(), [
    ['听写', null],
    ['科大讯飞', 2],
  ]);
  assert.deepEqual(hotwords?.replacements, [{ from: '撒贝你', to: '撒贝宁' }]);
});

test('a saved hotword list that cannot be read ends the stream as a server error (1011)', async () => {
  const h = harness({ saved: () => Promise.reject(new TingxieError(ErrorCodes.CONFIG_INVALID, 'hotwords line 3: empty phrase')) });
  h.connection.onText('{"type":"start"}');
  await h.connection.done;
  assert.deepEqual(types(h.sent), ['error:CONFIG_INVALID']);
  assert.equal(h.closes[0]?.code, 1011);
  assert.equal(h.opened(), 0);
});
