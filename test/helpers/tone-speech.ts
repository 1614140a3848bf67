/**
 * Test audio for the tone fixture that Silero VAD also hears as speech.
 *
 * Pure tones alone are not speech to Silero, so end-to-end tests with VAD on lay the tone
 * tokens (all above 1.5 kHz) over a "speech bed": a real LibriSpeech reading from ../shared,
 * low-passed well below the tone band with its pauses removed, so the VAD sees one stretch of
 * continuous speech while the tone fixture sees only its tones.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decodeAudioFile } from '../../engine/src/audio/decode.ts';
import { synthesizeToneSpeech, type ToneSpec } from '../../models/fixtures/tone.ts';

const execFileAsync = promisify(execFile);

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TONE_FIXTURE_DIR = join(REPO_ROOT, 'models/fixtures/generated/sense-voice-fixture-tone');
export const CONFORMANCE_FIXTURE_DIR = join(REPO_ROOT, 'models/fixtures/generated/sense-voice-fixture-conformance');
export const SHARED_AUDIO = join(REPO_ROOT, '../shared/audio');

export function loadToneSpec(): ToneSpec {
  return JSON.parse(readFileSync(join(TONE_FIXTURE_DIR, 'tone-spec.json'), 'utf8')) as ToneSpec;
}

/** Low-passed, pause-free real speech (16 kHz mono), written by sox into `dir`. */
export async function makeSpeechBed(dir: string): Promise<Float32Array> {
  const out = join(dir, 'speech-bed.wav');
  // -D: no dither, so the bed (and every test signal built on it) is the same on every run.
  await execFileAsync('sox', [
    '-D',
    join(SHARED_AUDIO, 'wenet/librispeech-1995-1837-0001.wav'),
    '-r', '16000', '-c', '1', '-b', '16', out,
    'silence', '-l', '1', '0.05', '2%', '-1', '0.05', '2%',
    'sinc', '-800',
  ]);
  return (await decodeAudioFile(out)).samples;
}

/**
 * Tone tokens for `text` laid over the speech bed, with `leadS` seconds of silence before and
 * `trailS` after. Shape [numSamples] at 16 kHz.
 */
export function toneSpeech(text: string, spec: ToneSpec, bed: Float32Array, opts: { leadS?: number; trailS?: number } = {}): Float32Array {
  const tones = synthesizeToneSpeech(text, spec);
  const lead = Math.round((opts.leadS ?? 1) * 16000);
  const trail = Math.round((opts.trailS ?? 1) * 16000);
  const out = new Float32Array(lead + tones.length + trail);
  for (let i = 0; i < tones.length; i++) out[lead + i] = 0.5 * tones[i]! + 0.5 * bed[i % bed.length]!;
  return out;
}

/** Concatenates mono buffers. */
export function concatAudio(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
