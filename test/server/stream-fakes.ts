/**
 * Scripted audio, a fake VAD and a fake recognizer for the streaming state machine's tests.
 *
 * Speech is written as "letters": letter k (a = 0) is a stretch of constant amplitude 0.2 + 0.02·k; silence is 0.
 * The fake VAD hears a window as speech (p = 0.9) when its mean |x| > 0.05, else p = 0.02. The fake recognizer
 * reads the letters back, one per run of equal amplitude, so a decode of any span tells which letters it covered.
 */
import type { RecognitionResult, RecognizeOptions } from '../../engine/src/models/asr-model.ts';

export const SR = 16000;

/** One part of a script: `silence` seconds, or `letters` each lasting `letterS` seconds. */
export type ScriptPart = { silence: number } | { letters: string; letterS: number };

export function letterAmplitude(letter: string): number {
  return 0.2 + 0.02 * (letter.charCodeAt(0) - 97);
}

/** The script as PCM16 samples, shape [total seconds · 16000]. */
export function scriptAudio(parts: ScriptPart[]): Int16Array {
  const chunks: number[] = [];
  for (const part of parts) {
    if ('silence' in part) {
      for (let i = 0; i < Math.round(part.silence * SR); i++) chunks.push(0);
    } else {
      for (const letter of part.letters) {
        const value = Math.round(letterAmplitude(letter) * 32767);
        for (let i = 0; i < Math.round(part.letterS * SR); i++) chunks.push(value);
      }
    }
  }
  return Int16Array.from(chunks);
}

/** Splits audio into frames of `frameSamples` (the last may be shorter). */
export function frames(audio: Int16Array, frameSamples: number): Int16Array[] {
  const out: Int16Array[] = [];
  for (let i = 0; i < audio.length; i += frameSamples) out.push(audio.subarray(i, Math.min(i + frameSamples, audio.length)));
  return out;
}

export function fakeVadProbabilities(samples: Float32Array): Promise<Float32Array> {
  const windows = Math.ceil(samples.length / 512);
  const probs = new Float32Array(windows);
  for (let w = 0; w < windows; w++) {
    let sum = 0;
    for (let i = w * 512; i < Math.min((w + 1) * 512, samples.length); i++) sum += Math.abs(samples[i]);
    probs[w] = sum / 512 > 0.05 ? 0.9 : 0.02;
  }
  return Promise.resolve(probs);
}

/** The letters in `samples`, one per run of equal nonzero amplitude. */
export function readLetters(samples: Float32Array): string {
  let out = '';
  let previous = -1;
  for (const sample of samples) {
    const k = Math.round((sample - 0.2) / 0.02);
    const code = sample > 0.1 ? k : -1;
    if (code >= 0 && code !== previous) out += String.fromCharCode(97 + code);
    previous = code;
  }
  return out;
}

export interface RecognizeCall {
  samples: number;
  opts: RecognizeOptions;
}

/** A recognizer that reads letters; records every call. */
export function fakeRecognizer(calls: RecognizeCall[] = []): (samples: Float32Array, opts: RecognizeOptions) => Promise<RecognitionResult> {
  return (samples, opts) => {
    calls.push({ samples: samples.length, opts });
    const text = readLetters(samples);
    return Promise.resolve({
      text,
      tokens: [...text],
      tokenIds: [...text].map((c) => c.charCodeAt(0)),
      timestamps: [...text].map((_, i) => i * 0.1),
      language: 'en',
      emotion: null,
      event: null,
      itn: opts.useItn,
      numFrames: Math.floor(samples.length / 960),
    });
  };
}
