/**
 * Whisper bench: Tingxie vs sherpa-onnx-node wall time on the same Whisper FIXTURE folders and the same audio
 * (real speech clips of 5, 15 and 29 s, the lengths VAD segments have), one thread each, printed as a ratio
 * (target: Tingxie ≤ 1.2× sherpa-onnx). Nothing is asserted; the token equality is checked by the conformance test
 * and re-checked here so the two sides are known to do the same work.
 *
 *   node --import tsx test/bench/whisper.ts
 */
import { loadAsrModel } from '../../engine/src/models/asr-model.ts';
import { fixtureDir } from '../../models/fixtures/generate.ts';
import { WHISPER_FIXTURE_NAMES, WHISPER_FIXTURE_PREFIX } from '../../models/fixtures/whisper-fixtures.ts';
import { sherpaWhisper } from '../models/sherpa-whisper-reference.ts';
import { bestOf, realSpeech } from './bench-utils.ts';

console.log(`whisper bench — node ${process.version}; one thread each; best time after three warm-up calls (at least 5 timed calls, more until 0.5 s)`);
for (const name of [WHISPER_FIXTURE_NAMES.multilingual, WHISPER_FIXTURE_NAMES.mel128]) {
  const dir = await fixtureDir(name);
  const model = await loadAsrModel(dir, { threads: 1 });
  const reference = sherpaWhisper(dir, WHISPER_FIXTURE_PREFIX, '', 1);
  for (const seconds of [5, 15, 29]) {
    const audio = realSpeech(seconds);
    const ours = await model.recognize(audio, { language: 'auto', useItn: false });
    const theirs = reference(audio);
    const same = JSON.stringify(ours.tokens) === JSON.stringify(theirs.tokens);
    const tOurs = await bestOf(5, () => model.recognize(audio, { language: 'auto', useItn: false }));
    const tTheirs = await bestOf(5, () => reference(audio));
    console.log(
      `${name.padEnd(30)} ${String(seconds).padStart(2)} s audio, ${String(ours.tokenIds.length).padStart(3)} tokens${same ? '' : ' (TOKENS DIFFER)'}: ` +
        `tingxie ${(tOurs * 1000).toFixed(1)} ms, sherpa-onnx ${(tTheirs * 1000).toFixed(1)} ms, ratio ${(tOurs / tTheirs).toFixed(2)} (target ≤ 1.2)`,
    );
  }
  await model.release();
}
