/**
 * Server load benchmark (run by hand; not a test, nothing asserted):
 *
 *   node --import tsx test/bench/server-load.ts [--requests 50] [--streams 10] [--stream-speed 1] [--baseline-runs 10]
 *
 * Starts the engine (buildApp + listen on 127.0.0.1:0) with the tone fixture model, then
 *   1. times the same WAV through `Transcriber` directly (the bare pipeline) and through
 *      `POST /v1/audio/transcriptions` one request at a time: the difference is the server's added latency;
 *   2. fires `--requests` concurrent transcription requests and `--streams` concurrent `/api/stream` sessions
 *      (100 ms frames at `--stream-speed` × real time) at once, and reports throughput, p50/p99 latency and errors.
 * Stream latency: for each final, from the moment the client had sent the segment's end plus the VAD's
 * minimum silence (the earliest the server can know the segment is over) to the final's arrival.
 * Needs `npm run fixtures` and ../shared (for the speech bed).
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { loadAsrModel } from '../../engine/src/models/asr-model.ts';
import { Transcriber } from '../../engine/src/pipeline/transcriber.ts';
import { buildApp } from '../../engine/src/server/app.ts';
import type { ServerMessage } from '../../engine/src/server/streaming/protocol.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../../engine/src/vad/segmenter.ts';
import { SileroVad } from '../../engine/src/vad/silero.ts';
import { writeWav16 } from '../../models/fixtures/tone.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { TONE_FIXTURE_DIR, concatAudio, loadToneSpec, makeSpeechBed, toneSpeech } from '../helpers/tone-speech.ts';
import { DATE_TEXT, DATE_WRITTEN, TIME_TEXT, TIME_WRITTEN, testConfig, waitForModel } from '../server/server-helpers.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '50' },
    streams: { type: 'string', default: '10' },
    'stream-speed': { type: 'string', default: '1' },
    'baseline-runs': { type: 'string', default: '10' },
  },
});
const REQUESTS = Number(values.requests);
const STREAMS = Number(values.streams);
const STREAM_SPEED = Number(values['stream-speed']);
const BASELINE_RUNS = Number(values['baseline-runs']);
const FRAME_SAMPLES = 1600;
const EXPECTED_TEXT = `${DATE_WRITTEN}${TIME_WRITTEN}`;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function line(label: string, text: string): void {
  console.log(`${label.padEnd(34)} ${text}`);
}

const temp = await makeTempDir('server-load');
try {
  const spec = loadToneSpec();
  const bed = await makeSpeechBed(temp.dir);
  const audio = concatAudio(toneSpeech(DATE_TEXT, spec, bed, { leadS: 0.5, trailS: 1 }), toneSpeech(TIME_TEXT, spec, bed, { leadS: 1, trailS: 0.5 }));
  const audioS = audio.length / 16000;
  const wavPath = join(temp.dir, 'two-sentences.wav');
  await writeWav16(wavPath, audio);
  const wav = await readFile(wavPath);
  const pcm = Int16Array.from(audio, (x) => Math.max(-32768, Math.min(32767, Math.round(x * 32767))));
  console.log(`tingxie server load — node ${process.version}; tone fixture; audio ${audioS.toFixed(2)} s (two sentences); ${REQUESTS} requests + ${STREAMS} streams at ${STREAM_SPEED}× real time`);

  // 1a. The bare pipeline, sequentially.
  const config = testConfig(temp.dir, { rateLimitPerMinute: 1_000_000, streamPartialIntervalS: 2, maxStreamSessionS: 3600 });
  const model = await loadAsrModel(TONE_FIXTURE_DIR, { threads: config.threads });
  const vad = await SileroVad.create({ threads: 1 });
  const transcriber = new Transcriber({ model, vad });
  const bare: number[] = [];
  for (let i = 0; i <= BASELINE_RUNS; i++) {
    const t0 = performance.now();
    const result = await transcriber.transcribeFile(wavPath, { language: 'auto', useItn: true, vad: true, vadOptions: validateVadOptions({ ...DEFAULT_VAD_OPTIONS, maxSegmentS: config.maxLen }) });
    if (i > 0) bare.push(performance.now() - t0); // the first run warms up
    if (result.text !== EXPECTED_TEXT) throw new Error(`bare pipeline decoded ${JSON.stringify(result.text)}`);
  }
  await vad.release();
  await model.release();

  // The engine.
  const app = await buildApp({ config });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  await waitForModel(app);
  const base = `http://127.0.0.1:${port}`;

  /** One transcription request; resolves with its latency (ms) or throws. */
  const transcribe = async (): Promise<number> => {
    const form = new FormData();
    form.append('file', new Blob([wav], { type: 'audio/wav' }), 'two-sentences.wav');
    form.append('model', 'tingxie');
    form.append('language', 'auto');
    const t0 = performance.now();
    const response = await fetch(`${base}/v1/audio/transcriptions`, { method: 'POST', body: form });
    const body = (await response.json()) as { text?: string; error?: { code: string } };
    const elapsed = performance.now() - t0;
    if (response.status !== 200) throw new Error(`HTTP ${response.status} ${body.error?.code ?? ''}`);
    if (body.text !== EXPECTED_TEXT) throw new Error(`wrong text ${JSON.stringify(body.text)}`);
    return elapsed;
  };

  // 1b. The same file through the server, one request at a time.
  await transcribe();
  const served: number[] = [];
  for (let i = 0; i < BASELINE_RUNS; i++) served.push(await transcribe());

  /** One streaming session at STREAM_SPEED × real time; final latencies (ms) and partial count. */
  const stream = async (): Promise<{ finalLatencies: number[]; partials: number; stopToEnd: number }> => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api/stream`);
    const messages: { message: ServerMessage; at: number }[] = [];
    socket.on('message', (data) => messages.push({ message: JSON.parse(String(data)) as ServerMessage, at: performance.now() }));
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    socket.send(JSON.stringify({ type: 'start', language: 'auto', itn: true, sampleRate: 16000 }));
    /** When the frame ending at each sample count was sent. */
    const sentAt: { endSample: number; at: number }[] = [];
    const frameMs = (FRAME_SAMPLES / 16000) * 1000 / STREAM_SPEED;
    const t0 = performance.now();
    for (let i = 0, n = 0; i < pcm.length; i += FRAME_SAMPLES, n++) {
      const frame = pcm.slice(i, i + FRAME_SAMPLES);
      socket.send(Buffer.from(frame.buffer));
      sentAt.push({ endSample: i + frame.length, at: performance.now() });
      const wait = t0 + (n + 1) * frameMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    const stopAt = performance.now();
    socket.send(JSON.stringify({ type: 'stop' }));
    const code = await closed;
    const error = messages.find((m) => m.message.type === 'error');
    if (code !== 1000 || error) throw new Error(`stream closed ${code} ${error ? JSON.stringify(error.message) : ''}`);
    const finals = messages.filter((m) => m.message.type === 'final');
    const texts = finals.map((m) => (m.message.type === 'final' ? m.message.text : ''));
    if (texts.join('') !== EXPECTED_TEXT) throw new Error(`stream decoded ${JSON.stringify(texts)}`);
    const minSilenceS = DEFAULT_VAD_OPTIONS.minSilenceMs / 1000;
    const finalLatencies = finals.map(({ message, at }) => {
      const knowable = message.type === 'final' ? Math.min(pcm.length, Math.ceil((message.end + minSilenceS) * 16000)) : pcm.length;
      const sent = sentAt.find((s) => s.endSample >= knowable) ?? { at: stopAt };
      // A segment that only ends with the stream is knowable at the stop.
      return at - (knowable >= pcm.length ? stopAt : sent.at);
    });
    const end = messages.find((m) => m.message.type === 'end');
    return { finalLatencies, partials: messages.filter((m) => m.message.type === 'partial').length, stopToEnd: (end?.at ?? Number.NaN) - stopAt };
  };

  // 2. Everything at once.
  const t0 = performance.now();
  const requestResults = Array.from({ length: REQUESTS }, () => transcribe());
  const streamResults = Array.from({ length: STREAMS }, () => stream());
  const settledRequests = await Promise.allSettled(requestResults);
  const requestsDone = performance.now();
  const settledStreams = await Promise.allSettled(streamResults);
  const allDone = performance.now();

  const latencies = settledRequests.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const requestErrors = settledRequests.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  const streams = settledStreams.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const streamErrors = settledStreams.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  const finalLatencies = streams.flatMap((s) => s.finalLatencies);

  const bareP50 = percentile(bare, 50);
  const servedP50 = percentile(served, 50);
  line('bare pipeline (Transcriber)', `p50 ${ms(bareP50)}, p99 ${ms(percentile(bare, 99))} (${BASELINE_RUNS} runs)`);
  line('POST /v1/audio/transcriptions', `p50 ${ms(servedP50)}, p99 ${ms(percentile(served, 99))}, one at a time`);
  line('server added latency', `${ms(servedP50 - bareP50)} at p50 (multipart upload, temp file, routing, JSON)`);
  const requestsS = (requestsDone - t0) / 1000;
  line(`${REQUESTS} concurrent requests`, `${(latencies.length / requestsS).toFixed(1)} req/s, ${((latencies.length * audioS) / requestsS).toFixed(0)}× real time; latency p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}; errors ${requestErrors.length}`);
  line(`${STREAMS} concurrent streams`, `final latency p50 ${ms(percentile(finalLatencies, 50))}, p99 ${ms(percentile(finalLatencies, 99))}; stop→end p50 ${ms(percentile(streams.map((s) => s.stopToEnd), 50))}; partials ${streams.reduce((n, s) => n + s.partials, 0)}; errors ${streamErrors.length}`);
  line('whole load', `${((allDone - t0) / 1000).toFixed(2)} s wall for ${((REQUESTS + STREAMS) * audioS).toFixed(0)} s of audio`);
  for (const error of [...requestErrors, ...streamErrors].slice(0, 5)) console.log(`  error: ${error}`);
  await app.close();
} finally {
  await temp.cleanup();
}
