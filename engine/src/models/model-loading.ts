/**
 * Small pieces the model loaders share: file checks, ONNX session creation with Tingxie's errors, the
 * tokens-vs-metadata vocabulary check, and the result for audio too short to give a frame.
 */
import { stat } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { ErrorCodes, TingxieError } from '../errors.ts';
import type { LoadModelOptions, RecognitionResult } from './asr-model.ts';
import { createDeviceSession, defaultThreads, parseDevice, type DeviceSession, type DeviceSpec } from './device.ts';
import type { DetectedModel } from './family.ts';
import type { OnnxModelInfo } from './onnx-metadata.ts';
import { readTokens, type SymbolTable } from './tokens.ts';

/** Whether `path` is an existing regular file (false for folders and anything unreadable). */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * A `createSession` for createDeviceSession that loads `file`. A failure on the CPU becomes MODEL_LOAD_FAILED
 * naming the file; a failure with a GPU provider is rethrown as is, so createDeviceSession can report or fall back.
 */
export function onnxSessionFactory(file: string): (sessionOptions: ort.InferenceSession.SessionOptions) => Promise<ort.InferenceSession> {
  return async (sessionOptions) => {
    try {
      return await ort.InferenceSession.create(file, sessionOptions);
    } catch (error) {
      if (sessionOptions.executionProviders?.some((p) => p !== 'cpu')) throw error;
      throw new TingxieError(ErrorCodes.MODEL_LOAD_FAILED, `cannot load ${file}: ${(error as Error).message}`, { file }, { cause: error });
    }
  };
}

/** One session for a single-file model on `device`, with the load options' threads and CUDA fallback. */
export function createModelSession(modelFile: string, device: DeviceSpec, opts: LoadModelOptions): Promise<DeviceSession> {
  return createDeviceSession({
    device,
    threads: opts.threads ?? defaultThreads(),
    onCudaUnavailable: opts.onCudaUnavailable ?? 'fail',
    createSession: onnxSessionFactory(modelFile),
  });
}

/** MODEL_INVALID (field vocab_size) unless the tokens file has exactly the vocab_size the model's metadata says. */
export function checkVocabSize(tokensFile: string, tokenCount: number, modelFile: string, vocabSize: number): void {
  if (tokenCount !== vocabSize) {
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `${tokensFile} has ${tokenCount} tokens but ${modelFile} says vocab_size ${vocabSize}`, {
      file: tokensFile,
      field: 'vocab_size',
    });
  }
}

/**
 * The first steps of loading a single-file model with a tokens.txt: parse the device, build the config from the
 * metadata, read the tokens and check their count against the config's vocab_size (errors in that order).
 */
export async function readModelConfigAndTokens<Config extends { vocabSize: number }>(
  detected: DetectedModel,
  opts: LoadModelOptions,
  buildConfig: (info: OnnxModelInfo) => Config,
): Promise<{ device: DeviceSpec; config: Config; symbols: SymbolTable }> {
  const device = parseDevice(opts.device ?? 'cpu');
  const config = buildConfig(detected.info);
  const symbols = await readTokens(detected.tokensFile);
  checkVocabSize(detected.tokensFile, symbols.size, detected.modelFile, config.vocabSize);
  return { device, config, symbols };
}

/** The result for audio too short to give a single feature frame. */
export function emptyRecognitionResult(): RecognitionResult {
  return { text: '', tokens: [], tokenIds: [], timestamps: [], language: null, emotion: null, event: null, itn: null, numFrames: 0 };
}
