/**
 * The real speech clips from ../shared (16 kHz mono WAV) and deterministic noise, as the conformance, pipeline
 * and bench scripts use them. Clips are read with sherpa-onnx's WAV reader, independent of Tingxie's audio code.
 */
import { join } from 'node:path';
import { SeededRandom } from '../../models/fixtures/prng.ts';
import { readWave16k } from '../models/sherpa-reference.ts';
import { SHARED_AUDIO } from './tone-speech.ts';

/** AISHELL-1 utterance: real Mandarin speech. */
export const AISHELL_CLIP = join(SHARED_AUDIO, 'wenet/aishell-BAC009S0724W0121.wav');
/** LibriSpeech utterance: real English speech. */
export const LIBRISPEECH_CLIP = join(SHARED_AUDIO, 'wenet/librispeech-1995-1837-0001.wav');

/** The AISHELL clip's samples in [-1, 1]. */
export function readAishellClip(): Float32Array {
  return readWave16k(AISHELL_CLIP);
}

/** The LibriSpeech clip's samples in [-1, 1]. */
export function readLibrispeechClip(): Float32Array {
  return readWave16k(LIBRISPEECH_CLIP);
}

/** Uniform white noise in [-amplitude, amplitude], `seconds` long at 16 kHz, the same for the same seed. */
export function whiteNoise(seconds: number, amplitude: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  const out = new Float32Array(Math.round(seconds * 16000));
  for (let i = 0; i < out.length; i++) out[i] = rng.uniform(-amplitude, amplitude);
  return out;
}
