/**
 * Paraformer bench: Tingxie vs sherpa-onnx-node wall time decoding the same audio on the same Paraformer
 * FIXTURE (model.onnx with timestamp outputs), and punctuating the same text with the CT-Transformer
 * punctuation FIXTURE, measured side by side in one run and printed as ratios (target: Tingxie ≤ 1.2×
 * sherpa-onnx's). Nothing is asserted.
 *
 *   node --import tsx test/bench/paraformer.ts
 */
import { join } from 'node:path';
import { loadAsrModel } from '../../engine/src/models/asr-model.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { PARAFORMER_FIXTURE_NAME } from '../../models/fixtures/paraformer-fixtures.ts';
import { CT_TRANSFORMER_FIXTURE_NAME } from '../../models/fixtures/ct-transformer-fixtures.ts';
import { loadCtTransformerPunctuator } from '../../engine/src/text/punctuation/ct-transformer.ts';
import { SHARED_AUDIO } from '../helpers/tone-speech.ts';
import { readWave16k, sherpaParaformer, sherpaPunctuation } from '../models/sherpa-reference.ts';

/** `seconds` of real speech: the AISHELL and LibriSpeech clips from ../shared, repeated. */
function realSpeech(seconds: number): Float32Array {
  const clips = [readWave16k(join(SHARED_AUDIO, 'wenet/aishell-BAC009S0724W0121.wav')), readWave16k(join(SHARED_AUDIO, 'wenet/librispeech-1995-1837-0001.wav'))];
  const out = new Float32Array(seconds * 16000);
  let offset = 0;
  for (let i = 0; offset < out.length; i++) {
    const clip = clips[i % clips.length]!;
    out.set(clip.subarray(0, out.length - offset), offset);
    offset += clip.length;
  }
  return out;
}

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

const dir = await fixtureDir(PARAFORMER_FIXTURE_NAME);
console.log(`paraformer bench — node ${process.version}; fixture ${PARAFORMER_FIXTURE_NAME}; audio: AISHELL + LibriSpeech clips`);
for (const seconds of [20, 60]) {
  const speech = realSpeech(seconds);
  for (const threads of [1, 2]) {
    const model = await loadAsrModel(dir, { threads });
    const ours = await bestOf(5, () => model.recognize(speech, { language: 'auto', useItn: false }));
    await model.release();
    const peer = sherpaParaformer(dir, 'model.onnx', threads);
    const theirs = await bestOf(5, () => peer(speech));
    const ratio = ours / theirs;
    const label = `paraformer decode ${seconds} s (${threads} thread${threads > 1 ? 's' : ''})`;
    console.log(`${label.padEnd(34)} tingxie ${(ours * 1000).toFixed(1)} ms, sherpa-onnx-node ${(theirs * 1000).toFixed(1)} ms, ratio ${ratio.toFixed(2)}; target ≤ 1.2: ${ratio <= 1.2 ? 'met' : 'NOT met'}`);
  }
}

// Punctuation: 400 unpunctuated characters (a few minutes of speech as Paraformer gives it).
const punctuationDir = await fixtureDir(CT_TRANSFORMER_FIXTURE_NAME);
const text = '我们今天来到这里看见的很高兴你好大家平安谢谢是不和在有一个人中国会说要去上下时间因为所以如果就也都还没能可以问题工作现在已经开始'.repeat(7).slice(0, 400);
const punctuator = await loadCtTransformerPunctuator(punctuationDir, { threads: 1 });
const oursPunct = await bestOf(5, () => punctuator.addPunctuation(text));
await punctuator.release();
const peerPunct = sherpaPunctuation(join(punctuationDir, 'model.onnx'));
const theirsPunct = await bestOf(5, () => peerPunct(text));
const punctRatio = oursPunct / theirsPunct;
console.log(`${'ct-transformer punctuation 400 chars'.padEnd(34)} tingxie ${(oursPunct * 1000).toFixed(1)} ms, sherpa-onnx-node ${(theirsPunct * 1000).toFixed(1)} ms, ratio ${punctRatio.toFixed(2)}; target ≤ 1.2: ${punctRatio <= 1.2 ? 'met' : 'NOT met'}`);
