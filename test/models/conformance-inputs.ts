/**
 * The inputs the ASR conformance suites decode with both Tingxie and sherpa-onnx-node: real Mandarin and
 * English speech, espeak-ng sentences, silence and white noise. Each suite adds its own edge-length inputs.
 */
import { readAishellClip, readLibrispeechClip, whiteNoise } from '../helpers/speech-clips.ts';
import { espeakSpeech } from './sherpa-reference.ts';

export const ESPEAK_CMN_SENTENCE = '今天天气很好，我们下午三点去公园散步。';
export const ESPEAK_EN_SENTENCE = 'The quick brown fox jumps over the lazy dog, twice.';

/**
 * Adds, in this order: 'aishell (real zh speech)', 'librispeech (real en speech)', 'espeak cmn', 'espeak en',
 * '3 s silence' and 'white noise' (2.5 s, amplitude 0.1, seed 7). espeak-ng writes its WAVs into `tempDir`.
 */
export async function addCommonConformanceInputs(inputs: Map<string, Float32Array>, tempDir: string): Promise<void> {
  inputs.set('aishell (real zh speech)', readAishellClip());
  inputs.set('librispeech (real en speech)', readLibrispeechClip());
  inputs.set('espeak cmn', await espeakSpeech(tempDir, 'cmn', ESPEAK_CMN_SENTENCE));
  inputs.set('espeak en', await espeakSpeech(tempDir, 'en', ESPEAK_EN_SENTENCE));
  inputs.set('3 s silence', new Float32Array(48000));
  inputs.set('white noise', whiteNoise(2.5, 0.1, 7));
}
