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
import { sherpaParaformer, sherpaPunctuation } from '../models/sherpa-reference.ts';
import { bestOf, peerComparison, printRow, realSpeech, threadsLabel } from './bench-utils.ts';

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
    printRow(`paraformer decode ${seconds} s (${threadsLabel(threads)})`, peerComparison(ours, theirs));
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
printRow('ct-transformer punctuation 400 chars', peerComparison(oursPunct, theirsPunct));
