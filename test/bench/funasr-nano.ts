/**
 * Fun-ASR-Nano bench: Tingxie vs sherpa-onnx-node wall time for the whole decode (features, encoder, prompt,
 * prefill and KV-cache steps) on the same Fun-ASR-Nano FIXTURE and the same audio, measured side by side in
 * one run and printed as ratios (target: Tingxie ≤ 1.2× sherpa-onnx's). Both decode with the same new-token
 * cap and Tingxie's extra guards off, so both generate the same tokens (checked). Nothing is asserted.
 *
 *   node --import tsx test/bench/funasr-nano.ts
 */
import { fileURLToPath } from 'node:url';
import { loadFunAsrNanoModel } from '../../engine/src/models/funasr-nano.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { FUNASR_NANO_FIXTURE_NAME } from '../../models/fixtures/funasr-nano-fixtures.ts';
import { readWave16k } from '../models/sherpa-reference.ts';
import { sherpaFunAsrNano } from '../models/sherpa-funasr-nano-reference.ts';

const SHARED = fileURLToPath(new URL('../../../shared/audio/wenet', import.meta.url));
const MAX_NEW_TOKENS = 64;

/** Best (minimum) wall time of `runs` calls after one warm-up, in seconds. */
async function bestOf(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

/** `seconds` of real speech (AISHELL then LibriSpeech, repeated); Fun-ASR-Nano segments are ≤ 30 s. */
function realSpeech(seconds: number): Float32Array {
  const clips = [readWave16k(`${SHARED}/aishell-BAC009S0724W0121.wav`), readWave16k(`${SHARED}/librispeech-1995-1837-0001.wav`)];
  const out = new Float32Array(seconds * 16000);
  let offset = 0;
  for (let i = 0; offset < out.length; i++) {
    const clip = clips[i % clips.length]!;
    out.set(clip.subarray(0, out.length - offset), offset);
    offset += clip.length;
  }
  return out;
}

const dir = await fixtureDir(FUNASR_NANO_FIXTURE_NAME);
console.log(`funasr-nano bench — node ${process.version}; fixture ${FUNASR_NANO_FIXTURE_NAME} (cap ${MAX_NEW_TOKENS} new tokens); audio: AISHELL + LibriSpeech clips`);
for (const seconds of [5, 20]) {
  const speech = realSpeech(seconds);
  for (const threads of [1, 2]) {
    const model = await loadFunAsrNanoModel(dir, { threads }, { maxNewTokens: MAX_NEW_TOKENS, adaptiveCap: false, stopRepetition: false, silenceGate: false });
    const peer = sherpaFunAsrNano(dir, { language: '', itn: true, hotwords: '', maxNewTokens: MAX_NEW_TOKENS, numThreads: threads });
    const ourTokens = (await model.recognize(speech, { language: 'auto', useItn: true })).tokens;
    const peerTokens = peer(speech).tokens;
    const same = ourTokens.join('\u0000') === peerTokens.join('\u0000');
    const ours = await bestOf(5, () => model.recognize(speech, { language: 'auto', useItn: true }));
    const theirs = await bestOf(5, () => peer(speech));
    await model.release();
    const ratio = ours / theirs;
    const label = `funasr-nano ${seconds} s, ${ourTokens.length} tokens (${threads} thread${threads > 1 ? 's' : ''})`;
    console.log(
      `${label.padEnd(40)} tingxie ${(ours * 1000).toFixed(1)} ms, sherpa-onnx-node ${(theirs * 1000).toFixed(1)} ms, ratio ${ratio.toFixed(2)}; target ≤ 1.2: ${ratio <= 1.2 ? 'met' : 'NOT met'}${same ? '' : ' (TOKENS DIFFER)'}`,
    );
  }
}
