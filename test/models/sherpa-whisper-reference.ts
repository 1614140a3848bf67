/**
 * Test helper: sherpa-onnx-node's Whisper recognizer (the reference), with just the types the tests use.
 * Never used by engine code.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface SherpaWhisperResult {
  text: string;
  tokens: string[];
  timestamps: number[];
  lang: string;
}

interface SherpaStream {
  acceptWaveform(wave: { sampleRate: number; samples: Float32Array }): void;
}

interface SherpaOfflineRecognizer {
  createStream(): SherpaStream;
  decode(stream: SherpaStream): void;
  getResult(stream: SherpaStream): SherpaWhisperResult;
}

interface SherpaModule {
  OfflineRecognizer: new (config: unknown) => SherpaOfflineRecognizer;
}

const sherpa = createRequire(import.meta.url)('sherpa-onnx-node') as SherpaModule;

/**
 * A sherpa-onnx Whisper recognizer for a folder with `<prefix>-encoder.onnx`, `<prefix>-decoder.onnx`, `<prefix>-tokens.txt`.
 * @param language '' lets a multilingual model detect the language
 */
export function sherpaWhisper(dir: string, prefix: string, language: string, numThreads = 1): (samples: Float32Array) => SherpaWhisperResult {
  const recognizer = new sherpa.OfflineRecognizer({
    featConfig: { sampleRate: 16000, featureDim: 80 },
    modelConfig: {
      whisper: { encoder: join(dir, `${prefix}-encoder.onnx`), decoder: join(dir, `${prefix}-decoder.onnx`), language, task: 'transcribe' },
      tokens: join(dir, `${prefix}-tokens.txt`),
      numThreads,
      provider: 'cpu',
      debug: 0,
    },
  });
  return (samples) => {
    const stream = recognizer.createStream();
    stream.acceptWaveform({ sampleRate: 16000, samples });
    recognizer.decode(stream);
    return recognizer.getResult(stream);
  };
}
