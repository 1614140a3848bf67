import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeOnnxModel, OnnxDataType } from '../../models/fixtures/onnx-writer.ts';
import { computeFbank } from '../../engine/src/features/fbank.ts';

/**
 * Conformance with kaldi-native-fbank as sherpa-onnx runs it. sherpa-onnx-node has no API that returns features, so
 * the features are read back through a "speaker embedding" model that is a single Reshape: sherpa-onnx computes
 * fbank (povey window, snip_edges=false, high_freq=−400, 80 bins; ×32768 when normalize_samples=0), feeds it as
 * x [1, T, 80], and returns the model output [1, T·80] as the "embedding".
 */

interface SherpaStream {
  acceptWaveform(input: { samples: Float32Array; sampleRate: number }): void;
  inputFinished(): void;
}
interface SherpaExtractor {
  createStream(): SherpaStream;
  compute(stream: SherpaStream): Float32Array;
}
interface SherpaModule {
  SpeakerEmbeddingExtractor: new (config: { model: string; numThreads: number; debug: boolean }) => SherpaExtractor;
}

const require = createRequire(import.meta.url);
const sherpa = require('sherpa-onnx-node') as SherpaModule;

function identityModel(dir: string, normalizeSamples: 0 | 1, outputDim: number): string {
  const bytes = encodeOnnxModel({
    graphName: 'fbank_passthrough',
    nodes: [{ opType: 'Reshape', inputs: ['x', 'flat_shape'], outputs: ['embedding'] }],
    initializers: [{ name: 'flat_shape', dataType: OnnxDataType.INT64, dims: [2], values: [1, -1] }],
    inputs: [{ name: 'x', elemType: OnnxDataType.FLOAT, shape: [1, 'T', 80] }],
    outputs: [{ name: 'embedding', elemType: OnnxDataType.FLOAT, shape: [1, 'D'] }],
    metadata: {
      framework: 'wespeaker',
      output_dim: String(outputDim),
      sample_rate: '16000',
      normalize_samples: String(normalizeSamples),
      language: 'English',
    },
  });
  const path = join(dir, `passthrough-${normalizeSamples}-${outputDim}.onnx`);
  writeFileSync(path, bytes);
  return path;
}

function sherpaFbank(dir: string, samples: Float32Array, normalizeSamples: 0 | 1): Float32Array {
  const numFrames = Math.floor((samples.length + 80) / 160); // Kaldi's count with snip_edges=false
  const extractor = new sherpa.SpeakerEmbeddingExtractor({
    model: identityModel(dir, normalizeSamples, numFrames * 80),
    numThreads: 1,
    debug: false,
  });
  const stream = extractor.createStream();
  stream.acceptWaveform({ samples, sampleRate: 16000 });
  stream.inputFinished();
  return Float32Array.from(extractor.compute(stream));
}

function readPcm16Wav(path: URL): Float32Array {
  const bytes = readFileSync(path);
  for (let offset = 12; offset + 8 <= bytes.length; ) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') {
      const count = Math.floor(Math.min(size, bytes.length - offset - 8) / 2);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = bytes.readInt16LE(offset + 8 + 2 * i) / 32768;
      return out;
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error(`no data chunk in ${path.pathname}`);
}

function noise(length: number, seed: number, amplitude: number): Float32Array {
  const out = new Float32Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32 - 0.5) * 2 * amplitude;
  }
  return out;
}

test('fbank matches kaldi-native-fbank (through sherpa-onnx-node) to float32 rounding', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tingxie-fbank-'));
  try {
    const speech = readPcm16Wav(new URL('../../../shared/audio/wenet/aishell-BAC009S0724W0121.wav', import.meta.url));
    const signals: [string, Float32Array][] = [
      ['aishell speech', speech],
      ['noise', noise(16000 + 123, 5, 0.1)],
    ];
    for (const [name, samples] of signals) {
      for (const normalizeSamples of [1, 0] as const) {
        const theirs = sherpaFbank(dir, samples, normalizeSamples);
        const ours = computeFbank(samples, {
          windowType: 'povey',
          snipEdges: false,
          highFreq: -400,
          sampleScale: normalizeSamples ? 1 : 32768,
        });
        const label = `${name}, normalize_samples=${normalizeSamples}`;
        assert.equal(ours.data.length, theirs.length, `${label}: feature count`);
        let worst = 0;
        let total = 0;
        for (let i = 0; i < theirs.length; i++) {
          const diff = Math.abs(ours.data[i] - theirs[i]);
          worst = Math.max(worst, diff);
          total += diff;
        }
        // kaldi-native-fbank works in float32 (we use float64): differences are rounding noise.
        assert.ok(worst < 1e-3, `${label}: max |diff| ${worst}`);
        assert.ok(total / theirs.length < 1e-5, `${label}: mean |diff| ${total / theirs.length}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
