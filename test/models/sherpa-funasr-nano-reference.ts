/**
 * Test helper: sherpa-onnx-node's Fun-ASR-Nano recognizer (the reference), for a fixture folder laid out as
 * sherpa-onnx's release (encoder_adaptor/embedding/llm .onnx + Qwen3-0.6B/). Never used by engine code.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';

export interface SherpaNanoResult {
  text: string;
  tokens: string[];
  timestamps: number[];
}

interface SherpaStream {
  acceptWaveform(wave: { sampleRate: number; samples: Float32Array }): void;
}

interface SherpaOfflineRecognizer {
  createStream(): SherpaStream;
  decode(stream: SherpaStream): void;
  getResult(stream: SherpaStream): SherpaNanoResult;
}

const sherpa = createRequire(import.meta.url)('sherpa-onnx-node') as { OfflineRecognizer: new (config: unknown) => SherpaOfflineRecognizer };

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
  const recognizer = new sherpa.OfflineRecognizer({
    featConfig: { sampleRate: 16000, featureDim: 80 },
    modelConfig: {
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
      numThreads: opts.numThreads ?? 1,
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
