/**
 * `npm run bench`: figures measured side by side in one run, printed with the peer's figure and the
 * ratio. Nothing here is asserted; tests never time anything.
 *
 *   1. Kaldi fbank speed, × real time on one thread (target ≥ 1000×).
 *   2. Silero VAD speed, × real time on one thread, vs sherpa-onnx-node's Silero VAD on the same
 *      network (target ≥ 150×).
 *   3. Whole-file decode on the conformance fixture vs sherpa-onnx-node on the same audio
 *      (target: Tingxie wall time ≤ 1.2× sherpa-onnx's).
 *   4. Peak RSS of the CLI pipeline transcribing a 2-hour file (target < 600 MB).
 *
 * Options: --only fbank,vad,pipeline,rss   --rss-hours H (default 2)
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { FbankComputer } from '../../engine/src/features/fbank.ts';
import { loadAsrModel } from '../../engine/src/models/asr-model.ts';
import { bundledSileroModelPath, SileroVad } from '../../engine/src/vad/silero.ts';
import { sherpaSenseVoice } from '../models/sherpa-reference.ts';
import { CONFORMANCE_FIXTURE_DIR, REPO_ROOT } from '../helpers/tone-speech.ts';
import { bestOf, peerComparison, printRow, realSpeech, threadsLabel } from './bench-utils.ts';

const execFileAsync = promisify(execFile);
const { values } = parseArgs({ options: { only: { type: 'string' }, 'rss-hours': { type: 'string', default: '2' } } });
const sections = new Set((values.only ?? 'fbank,vad,pipeline,rss').split(','));

const speech60 = realSpeech(60);
console.log(`tingxie bench — node ${process.version}, ${process.platform}/${process.arch}; audio: 60 s of AISHELL + LibriSpeech clips`);

if (sections.has('fbank')) {
  const fbank = new FbankComputer({ windowType: 'hamming', highFreq: 0, snipEdges: true, sampleScale: 32768 });
  const seconds = await bestOf(5, () => fbank.compute(speech60));
  const xrt = 60 / seconds;
  printRow('fbank (80 bins, 1 thread)', `${xrt.toFixed(0)}× real time (${(seconds * 1000).toFixed(1)} ms per 60 s); target ≥ 1000×: ${xrt >= 1000 ? 'met' : 'NOT met'}`);
}

if (sections.has('vad')) {
  const vad = await SileroVad.create({ threads: 1 });
  const ours = await bestOf(3, async () => {
    vad.reset();
    await vad.probabilities(speech60);
  });
  await vad.release();
  const sherpa = createRequire(import.meta.url)('sherpa-onnx-node') as {
    Vad: new (config: unknown, bufferSeconds: number) => { acceptWaveform(s: Float32Array): void; isEmpty(): boolean; pop(): void; reset(): void };
  };
  const peer = new sherpa.Vad(
    {
      // sherpa-onnx loads the reference v5 export; our default is an op18 export of the same network.
      sileroVad: { model: bundledSileroModelPath('silero_vad.onnx'), threshold: 0.5, minSpeechDuration: 0.25, minSilenceDuration: 0.3, windowSize: 512 },
      sampleRate: 16000,
      numThreads: 1,
      provider: 'cpu',
      debug: 0,
    },
    120,
  );
  const theirs = await bestOf(3, () => {
    peer.reset();
    for (let i = 0; i + 512 <= speech60.length; i += 512) {
      peer.acceptWaveform(speech60.subarray(i, i + 512));
      while (!peer.isEmpty()) peer.pop();
    }
  });
  const xrt = 60 / ours;
  printRow('Silero VAD (1 thread)', `${xrt.toFixed(0)}× real time; sherpa-onnx-node ${(60 / theirs).toFixed(0)}×; time ratio tingxie/sherpa ${(ours / theirs).toFixed(2)}; target ≥ 150×: ${xrt >= 150 ? 'met' : 'NOT met'}`);
}

if (sections.has('pipeline')) {
  for (const threads of [1, 2]) {
    const model = await loadAsrModel(CONFORMANCE_FIXTURE_DIR, { threads });
    const ours = await bestOf(5, () => model.recognize(speech60, { language: 'auto', useItn: true }));
    await model.release();
    const peer = sherpaSenseVoice(CONFORMANCE_FIXTURE_DIR, 'auto', true, threads);
    const theirs = await bestOf(5, () => peer(speech60));
    printRow(`decode 60 s, fixture (${threadsLabel(threads)})`, peerComparison(ours, theirs));
  }
}

if (sections.has('rss')) {
  const hours = Number(values['rss-hours']);
  const file = join(tmpdir(), `tingxie-bench-${process.pid}.wav`);
  try {
    await execFileAsync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/bench/long-audio.ts'), file, String(hours * 3600)], { cwd: REPO_ROOT });
    const t0 = performance.now();
    const { stdout } = await execFileAsync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/bench/rss-child.ts'), file], { cwd: REPO_ROOT, maxBuffer: 1 << 26 });
    const wall = (performance.now() - t0) / 1000;
    const report = JSON.parse(stdout) as { maxRssMb: number; segments: number; durationS: number };
    printRow(`peak RSS, ${hours} h file (VAD on)`, `${report.maxRssMb.toFixed(0)} MB over ${report.durationS.toFixed(0)} s of audio, ${report.segments} segments, ${(report.durationS / wall).toFixed(0)}× real time end to end (tone fixture); target < 600 MB: ${report.maxRssMb < 600 ? 'met' : 'NOT met'}`);
  } finally {
    await rm(file, { force: true });
  }
}
