/**
 * Test helper: the reference implementation, sherpa-onnx-node (CommonJS), with just the types the tests use.
 * Never used by engine code.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface SherpaResult {
  text: string;
  tokens: string[];
  timestamps: number[];
  lang: string;
  emotion: string;
  event: string;
}

interface SherpaStream {
  acceptWaveform(wave: { sampleRate: number; samples: Float32Array }): void;
}

interface SherpaOfflineRecognizer<Result> {
  createStream(): SherpaStream;
  decode(stream: SherpaStream): void;
  getResult(stream: SherpaStream): Result;
}

interface SherpaModule {
  OfflineRecognizer: new (config: unknown) => SherpaOfflineRecognizer<unknown>;
  readWave(path: string): { sampleRate: number; samples: Float32Array };
}

const sherpa = createRequire(import.meta.url)('sherpa-onnx-node') as SherpaModule;

/**
 * A sherpa-onnx offline recognizer on the CPU with 80-bin 16 kHz features, as a function decoding one
 * utterance. `model` is the family part of sherpa's modelConfig (e.g. `{ senseVoice: {...}, tokens }`);
 * `Result` is the shape of what sherpa returns for that family.
 */
export function sherpaOfflineRecognizer<Result>(model: Record<string, unknown>, numThreads: number): (samples: Float32Array) => Result {
  const recognizer = new sherpa.OfflineRecognizer({
    featConfig: { sampleRate: 16000, featureDim: 80 },
    modelConfig: { ...model, numThreads, provider: 'cpu', debug: 0 },
  }) as SherpaOfflineRecognizer<Result>;
  return (samples) => {
    const stream = recognizer.createStream();
    stream.acceptWaveform({ sampleRate: 16000, samples });
    recognizer.decode(stream);
    return recognizer.getResult(stream);
  };
}

/** A sherpa-onnx SenseVoice recognizer for a model folder (model.onnx + tokens.txt). */
export function sherpaSenseVoice(dir: string, language: string, useItn: boolean, numThreads = 1): (samples: Float32Array) => SherpaResult {
  return sherpaOfflineRecognizer<SherpaResult>(
    { senseVoice: { model: join(dir, 'model.onnx'), language, useInverseTextNormalization: useItn ? 1 : 0 }, tokens: join(dir, 'tokens.txt') },
    numThreads,
  );
}

/** Reads a 16 kHz mono WAV into [-1, 1] floats (sherpa's reader; independent of Tingxie's audio code). */
export function readWave16k(path: string): Float32Array {
  const wave = sherpa.readWave(path);
  if (wave.sampleRate !== 16000) throw new Error(`${path}: expected 16 kHz, got ${wave.sampleRate} Hz`);
  return wave.samples;
}

const execFileAsync = promisify(execFile);

/** Synthesizes speech with espeak-ng and converts it to 16 kHz mono 16-bit with sox; returns the samples. */
export async function espeakSpeech(dir: string, voice: string, text: string): Promise<Float32Array> {
  const raw = join(dir, `espeak-${voice}.wav`);
  const wav16k = join(dir, `espeak-${voice}-16k.wav`);
  await execFileAsync('espeak-ng', ['-v', voice, '-w', raw, text]);
  // -D: no dither, so the same text gives the same samples on every run (sox dithers randomly by default).
  await execFileAsync('sox', ['-D', raw, '-r', '16000', '-c', '1', '-b', '16', wav16k]);
  return readWave16k(wav16k);
}

/** A sherpa-onnx offline Paraformer recognizer (greedy search) for a model folder (model.onnx + tokens.txt). */
export function sherpaParaformer(dir: string, modelFile = 'model.onnx', numThreads = 1): (samples: Float32Array) => SherpaResult {
  return sherpaOfflineRecognizer<SherpaResult>({ paraformer: { model: join(dir, modelFile) }, tokens: join(dir, 'tokens.txt') }, numThreads);
}

interface SherpaPunctuationModule {
  OfflinePunctuation: new (config: unknown) => { addPunct(text: string): string };
}

/** sherpa-onnx's offline CT-Transformer punctuation for a model.onnx file. */
export function sherpaPunctuation(modelFile: string, numThreads = 1): (text: string) => string {
  const punctuation = new (sherpa as unknown as SherpaPunctuationModule).OfflinePunctuation({ model: { ctTransformer: modelFile, numThreads, provider: 'cpu', debug: 0 } });
  return (text) => punctuation.addPunct(text);
}
