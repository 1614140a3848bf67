import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';
import { ManualClock } from '../../engine/src/server/streaming/clock.ts';
import type { ServerMessage, StartMessage } from '../../engine/src/server/streaming/protocol.ts';
import { StreamSession, type StreamAction, type StreamPressure, type StreamSessionOptions } from '../../engine/src/server/streaming/session.ts';
import { SR, fakeRecognizer, fakeVadProbabilities, frames, scriptAudio, type RecognizeCall, type ScriptPart } from './stream-fakes.ts';

const START: StartMessage = { type: 'start', language: 'auto', itn: true, hotwords: null, sampleRate: 16000 };
/** Default VAD padding (30 ms) and window (512 samples), seconds. */
const PAD_S = 0.03;
const WINDOW_S = 512 / SR;

interface Harness {
  session: StreamSession;
  clock: ManualClock;
  calls: RecognizeCall[];
}

function harness(options: Partial<StreamSessionOptions> = {}, pressure?: () => StreamPressure, recognize = fakeRecognizer()): Harness {
  const calls: RecognizeCall[] = [];
  const clock = new ManualClock(1000);
  const record = fakeRecognizer(calls);
  const session = new StreamSession({
    recognize: async (samples, opts) => {
      await record(samples, opts);
      return recognize(samples, opts);
    },
    vadProbabilities: fakeVadProbabilities,
    clock,
    options,
    ...(pressure ? { pressure } : {}),
  });
  return { session, clock, calls };
}

async function feed(session: StreamSession, audio: Int16Array, frameSamples: number): Promise<StreamAction[]> {
  const actions: StreamAction[] = [];
  for (const frame of frames(audio, frameSamples)) actions.push(...(await session.onAudio(frame)));
  return actions;
}

function messages(actions: StreamAction[]): ServerMessage[] {
  return actions.flatMap((action) => (action.type === 'send' ? [action.message] : []));
}

/** Compact form for exact sequence checks: `partial:ab`, `final:abcd`, … */
function summary(actions: StreamAction[]): string[] {
  return actions.map((action) => {
    if (action.type === 'close') return `close:${action.code}`;
    const m = action.message;
    switch (m.type) {
      case 'partial':
      case 'final':
        return `${m.type}:${m.rawText}`;
      case 'error':
        return `error:${m.code}`;
      default:
        return m.type;
    }
  });
}

const TWO_UTTERANCES: ScriptPart[] = [
  { silence: 1 },
  { letters: 'abcd', letterS: 1 },
  { silence: 1 },
  { letters: 'ef', letterS: 1 },
  { silence: 1 },
];

test('two utterances: partials on the open segment every interval, one final per segment, then stop ends cleanly', async () => {
  const { session } = harness({ partialIntervalS: 1.25 });
  const actions = [...session.onStart(START), ...(await feed(session, scriptAudio(TWO_UTTERANCES), 1600)), ...(await session.onStop())];
  // Partials at ~1.25 s, ~2.5 s and ~3.75 s into "abcd" (1 s a letter), one at ~1.25 s into "ef".
  assert.deepEqual(summary(actions), [
    'ready',
    'partial:ab',
    'partial:abc',
    'partial:abcd',
    'final:abcd',
    'partial:ef',
    'final:ef',
    'end',
    'close:1000',
  ]);
  const finals = messages(actions).filter((m) => m.type === 'final');
  // Segment times: the scripted speech, padded by 30 ms, to within one VAD window.
  const expected = [
    [1, 5],
    [6, 8],
  ];
  finals.forEach((final, i) => {
    assert.ok(Math.abs(final.start - (expected[i]![0]! - PAD_S)) <= WINDOW_S, `final ${i} start ${final.start}`);
    assert.ok(Math.abs(final.end - (expected[i]![1]! + PAD_S)) <= WINDOW_S, `final ${i} end ${final.end}`);
    assert.equal(final.text, final.rawText);
    assert.equal(final.language, 'en');
    assert.equal(final.tokens.length, final.timestamps.length);
    assert.ok(final.timestamps[0]! >= final.start);
  });
  const partialStarts = messages(actions).flatMap((m) => (m.type === 'partial' ? [m.start] : []));
  assert.deepEqual(partialStarts.slice(0, 3), [partialStarts[0], partialStarts[0], partialStarts[0]], 'partials of one segment share its start');
  assert.ok(Math.abs(partialStarts[0]! - finals[0]!.start) <= WINDOW_S);
  assert.ok(Math.abs(partialStarts[3]! - finals[1]!.start) <= WINDOW_S);
  const end = messages(actions).at(-1);
  assert.equal(end?.type, 'end');
  assert.equal(end.type === 'end' ? end.durationS : -1, 9);
  assert.equal(session.state, 'finished');
  assert.deepEqual(await session.onAudio(new Int16Array(1600)), [], 'audio after the end is ignored');
});

test('partial cadence follows the interval, counted in audio time from the segment onset', async () => {
  const script: ScriptPart[] = [{ silence: 0.5 }, { letters: 'abcdefghijklmnopqrs', letterS: 0.5 }, { silence: 1 }];
  for (const interval of [2, 3]) {
    const { session, calls } = harness({ partialIntervalS: interval });
    session.onStart(START);
    const actions = await feed(session, scriptAudio(script), 1600);
    const partials = messages(actions).filter((m) => m.type === 'partial');
    // 9.5 s of speech: a partial at every whole interval, none after the speech has ended.
    assert.equal(partials.length, Math.floor(9.5 / interval), `interval ${interval}`);
    const onsetS = 0.5 - (0.5 * SR - Math.floor((0.5 * SR) / 512) * 512) / SR;
    partials.forEach((partial, i) => {
      // Each partial decodes from the segment start to the first frame boundary at or after onset + k·interval.
      const decodedS = calls[i]!.samples / SR;
      const reach = partial.start + decodedS - onsetS;
      assert.ok(reach >= (i + 1) * interval - 1e-9 && reach < (i + 1) * interval + 0.1 + WINDOW_S, `partial ${i} reaches ${reach} s`);
    });
    // The final decodes the whole segment once more.
    const finals = messages(actions).filter((m) => m.type === 'final');
    assert.equal(finals.length, 1);
    assert.equal(finals[0]!.type === 'final' ? finals[0]!.rawText : '', 'abcdefghijklmnopqrs');
    assert.ok(calls.at(-1)!.samples / SR >= 9.5);
  }
});

test('results do not depend on how the audio is framed', async () => {
  const finalsFor = async (frameSamples: number): Promise<ServerMessage[]> => {
    const { session } = harness();
    session.onStart(START);
    const actions = [...(await feed(session, scriptAudio(TWO_UTTERANCES), frameSamples)), ...(await session.onStop())];
    return messages(actions).filter((m) => m.type === 'final');
  };
  const reference = await finalsFor(1600);
  assert.equal(reference.length, 2);
  for (const frameSamples of [333, 512, 16000]) assert.deepEqual(await finalsFor(frameSamples), reference, `frames of ${frameSamples}`);
});

test('stop in the middle of speech finalizes the open segment, then end and a normal close', async () => {
  const { session } = harness();
  session.onStart(START);
  const during = await feed(session, scriptAudio([{ silence: 0.5 }, { letters: 'xyz', letterS: 0.7 }]), 1600);
  assert.equal(messages(during).filter((m) => m.type === 'final').length, 0, 'no final while the speech goes on');
  const atStop = await session.onStop();
  assert.deepEqual(summary(atStop), ['final:xyz', 'end', 'close:1000']);
  const final = messages(atStop)[0]!;
  assert.ok(final.type === 'final' && Math.abs(final.end - 2.6) < 1e-9, 'the final runs to the end of the audio');
});

test('the session length limit (audio time) finalizes what was said, then STREAM_TOO_LONG', async () => {
  const { session } = harness({ maxSessionS: 3 });
  session.onStart(START);
  const actions = await feed(session, scriptAudio([{ silence: 1 }, { letters: 'abcde', letterS: 1 }]), 1600);
  assert.deepEqual(summary(actions).filter((s) => !s.startsWith('partial')), ['final:ab', 'error:STREAM_TOO_LONG', 'close:1008']);
  const final = messages(actions).find((m) => m.type === 'final');
  assert.ok(final?.type === 'final' && Math.abs(final.end - 3) < 1e-9, 'the final stops at the limit');
  assert.equal(session.state, 'finished');
  assert.equal(session.receivedS, 3);
  assert.deepEqual(await session.onStop(), []);
});

test('the session length limit (wall time, simulated clock) fires on a tick', async () => {
  const { session, clock } = harness({ maxSessionS: 60 });
  session.onStart(START);
  await feed(session, scriptAudio([{ silence: 0.2 }, { letters: 'ab', letterS: 0.5 }]), 1600);
  clock.advance(59_000);
  assert.deepEqual(await session.onTick(), []);
  clock.advance(1_000);
  assert.deepEqual(summary(await session.onTick()), ['final:ab', 'error:STREAM_TOO_LONG', 'close:1008']);
});

test('under pressure partials are skipped (client told once) while finals are all sent', async () => {
  let pressure: StreamPressure = { backlogSamples: 0, bufferedBytes: 0 };
  const { session } = harness({ partialIntervalS: 1, lagPartialsS: 5, maxBufferedBytes: 1000 }, () => pressure);
  session.onStart(START);
  pressure = { backlogSamples: 6 * SR, bufferedBytes: 0 };
  const behind = await feed(session, scriptAudio([{ silence: 0.5 }, { letters: 'abcd', letterS: 1 }, { silence: 1 }]), 1600);
  assert.deepEqual(summary(behind), ['lagging', 'final:abcd']);
  const lagging = messages(behind)[0]!;
  assert.equal(lagging.type === 'lagging' ? lagging.behindS : -1, 6);

  pressure = { backlogSamples: 0, bufferedBytes: 0 };
  const relieved = await feed(session, scriptAudio([{ letters: 'gh', letterS: 1 }, { silence: 1 }]), 1600);
  assert.deepEqual(summary(relieved), ['partial:gh', 'final:gh'], 'partials resume once decoding has caught up');

  pressure = { backlogSamples: 0, bufferedBytes: 2000 };
  const congested = await feed(session, scriptAudio([{ letters: 'ef', letterS: 1.5 }, { silence: 1 }]), 1600);
  assert.deepEqual(summary(congested), ['lagging', 'final:ef'], 'a full socket buffer counts as pressure too');
});

test('audio or stop before start, and a second start, are protocol errors', async () => {
  const early = harness().session;
  assert.deepEqual(summary(await early.onAudio(new Int16Array(160))), ['error:STREAM_PROTOCOL', 'close:1008']);
  assert.equal(early.state, 'finished');
  assert.deepEqual(summary(await harness().session.onStop()), ['error:STREAM_PROTOCOL', 'close:1008']);
  const twice = harness().session;
  twice.onStart(START);
  assert.deepEqual(summary(twice.onStart(START)), ['error:STREAM_PROTOCOL', 'close:1008']);
});

test('a failing recognizer ends the stream with its error code and close 1011', async () => {
  const failing = (): Promise<never> => Promise.reject(new TingxieError(ErrorCodes.MODEL_INFERENCE_FAILED, 'boom'));
  const { session } = harness({}, undefined, failing);
  session.onStart(START);
  const actions = await feed(session, scriptAudio([{ silence: 0.2 }, { letters: 'ab', letterS: 0.5 }, { silence: 1 }]), 1600);
  assert.deepEqual(summary(actions), ['error:MODEL_INFERENCE_FAILED', 'close:1011']);
  assert.equal(session.state, 'finished');
});

test('language, ITN and hotwords from the start message reach the recognizer', async () => {
  const { session, calls } = harness();
  const hotwords = { hotwords: [{ phrase: '听写', weight: null }], replacements: [] };
  session.onStart({ ...START, language: 'zh', itn: false, hotwords });
  await feed(session, scriptAudio([{ silence: 0.2 }, { letters: 'ab', letterS: 0.5 }, { silence: 1 }]), 1600);
  assert.ok(calls.length > 0);
  for (const call of calls) assert.deepEqual(call.opts, { language: 'zh', useItn: false, hotwords });
});
