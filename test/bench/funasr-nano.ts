/**
 * Fun-ASR-Nano bench: Tingxie vs sherpa-onnx-node wall time for the whole decode (features, encoder, prompt,
 * prefill and KV-cache steps) on the same Fun-ASR-Nano FIXTURE and the same audio, measured side by side in
 * one run and printed as ratios (target: Tingxie ≤ 1.2× sherpa-onnx's). Both decode with the same new-token
 * cap and Tingxie's extra guards off, so both generate the same tokens (checked). Nothing is asserted.
 *
 *   node --import tsx test/bench/funasr-nano.ts
 */
import { loadFunAsrNanoModel } from '../../engine/src/models/funasr-nano.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { FUNASR_NANO_FIXTURE_NAME } from '../../models/fixtures/funasr-nano-fixtures.ts';
import { sherpaFunAsrNano } from '../models/sherpa-funasr-nano-reference.ts';
import { bestOf, peerComparison, printRow, realSpeech, threadsLabel } from './bench-utils.ts';

const MAX_NEW_TOKENS = 64;

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
    const label = `funasr-nano ${seconds} s, ${ourTokens.length} tokens (${threadsLabel(threads)})`;
    printRow(label, `${peerComparison(ours, theirs)}${same ? '' : ' (TOKENS DIFFER)'}`, 40);
  }
}
