/**
 * Test helper: sherpa-onnx-node's Whisper recognizer (the reference), with just the types the tests use.
 * Never used by engine code.
 */
import { join } from 'node:path';
import { sherpaOfflineRecognizer } from './sherpa-reference.ts';

export interface SherpaWhisperResult {
  text: string;
  tokens: string[];
  timestamps: number[];
  lang: string;
}

/**
 * A sherpa-onnx Whisper recognizer for a folder with `<prefix>-encoder.onnx`, `<prefix>-decoder.onnx`, `<prefix>-tokens.txt`.
 * @param language '' lets a multilingual model detect the language
 */
export function sherpaWhisper(dir: string, prefix: string, language: string, numThreads = 1): (samples: Float32Array) => SherpaWhisperResult {
  return sherpaOfflineRecognizer<SherpaWhisperResult>(
    {
      whisper: { encoder: join(dir, `${prefix}-encoder.onnx`), decoder: join(dir, `${prefix}-decoder.onnx`), language, task: 'transcribe' },
      tokens: join(dir, `${prefix}-tokens.txt`),
    },
    numThreads,
  );
}
