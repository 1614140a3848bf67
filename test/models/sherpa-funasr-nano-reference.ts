/**
 * Test helper: sherpa-onnx-node's Fun-ASR-Nano recognizer (the reference), for a fixture folder laid out as
 * sherpa-onnx's release (encoder_adaptor/embedding/llm .onnx + Qwen3-0.6B/). Never used by engine code.
 */
import { join } from 'node:path';
import { sherpaOfflineRecognizer } from './sherpa-reference.ts';

export interface SherpaNanoResult {
  text: string;
  tokens: string[];
  timestamps: number[];
}

export interface SherpaNanoOptions {
  /** Fun-ASR language name ("中文"), '' for none. */
  language: string;
  itn: boolean;
  /** Comma-separated hotwords, '' for none. */
  hotwords: string;
  maxNewTokens: number;
  numThreads?: number;
}

/** A greedy (temperature 1e-6) sherpa-onnx Fun-ASR-Nano recognizer. */
export function sherpaFunAsrNano(dir: string, opts: SherpaNanoOptions): (samples: Float32Array) => SherpaNanoResult {
  return sherpaOfflineRecognizer<SherpaNanoResult>(
    {
      funasrNano: {
        encoderAdaptor: join(dir, 'encoder_adaptor.onnx'),
        llm: join(dir, 'llm.onnx'),
        embedding: join(dir, 'embedding.onnx'),
        tokenizer: join(dir, 'Qwen3-0.6B'),
        systemPrompt: 'You are a helpful assistant.',
        userPrompt: '语音转写：',
        maxNewTokens: opts.maxNewTokens,
        temperature: 1e-6,
        topP: 0.8,
        seed: 42,
        language: opts.language,
        itn: opts.itn ? 1 : 0,
        hotwords: opts.hotwords,
      },
    },
    opts.numThreads ?? 1,
  );
}
