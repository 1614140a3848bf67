/**
 * Setup shared by the end-to-end pipeline tests that run a model FIXTURE on long real speech: a temp folder, the
 * model, Silero VAD, and a WAV file laid out from the AISHELL/LibriSpeech clips and pauses.
 */
import { join } from 'node:path';
import { after, before } from 'node:test';
import { loadAsrModel, type AsrModel, type RecognitionResult, type RecognizeOptions } from '../../engine/src/models/asr-model.ts';
import { SileroVad } from '../../engine/src/vad/silero.ts';
import { fixtureDir, type FixtureName } from '../../models/fixtures/generate.ts';
import { writeWav16 } from '../../models/fixtures/tone.ts';
import { readWave16k } from '../models/sherpa-reference.ts';
import { makeTempDir } from './audio-fixtures.ts';
import { readAishellClip, readLibrispeechClip } from './speech-clips.ts';
import { concatAudio } from './tone-speech.ts';

/** One piece of the long file: the AISHELL clip, the LibriSpeech clip, or a silent pause. */
export type SpeechPart = 'zh' | 'en' | 'pause';

export interface SpeechPipelineOptions {
  /** Prefix of the temp folder. */
  tempPrefix: string;
  /** The generated fixture to load (one thread). */
  fixtureName: FixtureName;
  /** How the long file is laid out. */
  layout: readonly SpeechPart[];
  /** Length of each pause, seconds. */
  pauseSeconds: number;
}

/** What the hooks set up; the fields are filled in by `before` and must be read inside tests only. */
export interface SpeechPipeline {
  model: AsrModel;
  vad: SileroVad;
  /** The long 16 kHz WAV file. */
  file: string;
}

/** Registers before/after hooks that load the model and VAD and write the long file, and release them after. */
export function useSpeechPipeline(opts: SpeechPipelineOptions): SpeechPipeline {
  const setup = {} as SpeechPipeline;
  let temp: { dir: string; cleanup: () => Promise<void> } | undefined;
  before(async () => {
    temp = await makeTempDir(opts.tempPrefix);
    setup.model = await loadAsrModel(await fixtureDir(opts.fixtureName), { threads: 1 });
    setup.vad = await SileroVad.create({ threads: 1 });
    const clips: Record<SpeechPart, Float32Array> = { zh: readAishellClip(), en: readLibrispeechClip(), pause: new Float32Array(Math.round(opts.pauseSeconds * 16000)) };
    setup.file = join(temp.dir, 'long.wav');
    await writeWav16(setup.file, concatAudio(...opts.layout.map((part) => clips[part])));
  });
  after(async () => {
    await setup.vad?.release();
    await setup.model?.release();
    await temp?.cleanup();
  });
  return setup;
}

/** A direct recognize() call on the samples of `file` between startS and endS (seconds), as a segment has them. */
export function recognizeSpan(model: AsrModel, file: string, startS: number, endS: number, opts: RecognizeOptions): Promise<RecognitionResult> {
  const all = readWave16k(file);
  return model.recognize(all.subarray(Math.round(startS * 16000), Math.round(endS * 16000)), opts);
}
