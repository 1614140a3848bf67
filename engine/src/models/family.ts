/**
 * Which model family a folder holds, and the validated configuration of that family.
 *
 * Detection is explicit: a family is recognised by its files and its ONNX metadata/signature, or named
 * by the folder's `tingxie-model.json` (the model store's install record; its `family` field overrides
 * detection). Only SenseVoice is supported now; the `ModelFamily` union leaves room for more.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { metadataFields } from './metadata-fields.ts';
import { isFile } from './model-loading.ts';
import { readOnnxModelInfo, type OnnxModelInfo } from './onnx-metadata.ts';
import { hasParaformerSignature } from './paraformer.ts';
import { findWhisperFiles, looksLikeWhisperEncoder } from './whisper-config.ts';
import { findFunAsrNanoFiles, looksLikeFunAsrNano } from './funasr-nano.ts';

/** Families Tingxie can run. */
export type ModelFamily = 'sense_voice' | 'whisper' | 'paraformer' | 'funasr_nano';
export const SUPPORTED_FAMILIES: readonly ModelFamily[] = ['sense_voice', 'whisper', 'paraformer', 'funasr_nano'];

/** The install record / manifest a model folder may carry. Other fields are ignored. */
export const MODEL_MANIFEST_FILE = 'tingxie-model.json';

export interface ModelManifest {
  family: string | null;
  fixture: boolean;
  /** Which ONNX file of the folder to load (e.g. "model.onnx" to avoid the int8 one). */
  modelFile: string | null;
}

export interface DetectedModel {
  family: ModelFamily;
  dir: string;
  /** Absolute path of the ONNX file to load. */
  modelFile: string;
  tokensFile: string;
  /** True for Tingxie's test fixtures (manifest `fixture: true`, or the fixture comment in the metadata). */
  isFixture: boolean;
  /** Where the family came from. */
  detectedBy: 'manifest' | 'metadata';
  info: OnnxModelInfo;
}

/**
 * ONNX files a SenseVoice folder may hold, in order of preference: the int8 model is about 4× smaller
 * and faster on CPU with near-identical accuracy, so it wins when both exist, unless the manifest's
 * `modelFile` names one.
 */
export const SENSE_VOICE_MODEL_FILES = ['model.int8.onnx', 'model.onnx'] as const;
export const TOKENS_FILE = 'tokens.txt';
export const FIXTURE_COMMENT_MARKER = 'Tingxie test FIXTURE';

/** Reads `tingxie-model.json` if present; null when absent. Invalid JSON or field types → MODEL_INVALID. */
export async function readModelManifest(dir: string): Promise<ModelManifest | null> {
  const file = join(dir, MODEL_MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `cannot read ${file}: ${(error as Error).message}`, { file }, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file} is not valid JSON: ${(error as Error).message}`, { file }, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file} must contain a JSON object`, { file });
  }
  const record = parsed as Record<string, unknown>;
  const optionalString = (field: string): string | null => {
    const value = record[field];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string' || value === '') {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: "${field}" must be a non-empty string`, { file, field });
    }
    return value;
  };
  const fixture = record.fixture;
  if (fixture !== undefined && typeof fixture !== 'boolean') {
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: "fixture" must be true or false`, { file, field: 'fixture' });
  }
  const modelFile = optionalString('modelFile');
  if (modelFile !== null && (modelFile.includes('/') || modelFile.includes('\\') || !modelFile.endsWith('.onnx'))) {
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: "modelFile" must be the name of an .onnx file in the folder, got ${JSON.stringify(modelFile)}`, {
      file,
      field: 'modelFile',
    });
  }
  return { family: optionalString('family'), fixture: fixture === true, modelFile };
}

function isSupportedFamily(value: string): value is ModelFamily {
  return (SUPPORTED_FAMILIES as readonly string[]).includes(value);
}

/** The SenseVoice signature: inputs x, x_length, language, text_norm. */
function hasSenseVoiceSignature(info: OnnxModelInfo): boolean {
  const names = new Set(info.inputs.map((i) => i.name));
  return ['x', 'x_length', 'language', 'text_norm'].every((n) => names.has(n));
}

/**
 * Detects the family of the model in `dir`.
 * @throws MODEL_NOT_FOUND (no folder, no model file, no tokens.txt), MODEL_INVALID (unreadable files),
 *   MODEL_UNKNOWN_FAMILY (a model Tingxie cannot run).
 */
export async function detectModelFamily(dir: string): Promise<DetectedModel> {
  let dirStat;
  try {
    dirStat = await stat(dir);
  } catch {
    throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `model folder not found: ${dir}`, { dir });
  }
  if (!dirStat.isDirectory()) throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `not a model folder (it is a file): ${dir}`, { dir });

  const manifest = await readModelManifest(dir);
  if (manifest?.family != null && !isSupportedFamily(manifest.family)) {
    throw new TingxieError(
      ErrorCodes.MODEL_UNKNOWN_FAMILY,
      `${join(dir, MODEL_MANIFEST_FILE)} names model family "${manifest.family}", which Tingxie does not support (supported: ${SUPPORTED_FAMILIES.join(', ')})`,
      { dir, family: manifest.family },
    );
  }

  // Whisper folders hold <name>-encoder/-decoder ONNX files and <name>-tokens.txt (sherpa-onnx's layout).
  if (manifest?.family == null || manifest.family === 'whisper') {
    const whisper = await findWhisperFiles(dir, manifest?.modelFile ?? null);
    if (whisper) {
      const info = await readOnnxModelInfo(whisper.encoderFile);
      if (!looksLikeWhisperEncoder(info)) {
        throw new TingxieError(
          ErrorCodes.MODEL_INVALID,
          `${whisper.encoderFile} is named like a Whisper encoder but lacks its signature (input "mel", outputs "n_layer_cross_k", "n_layer_cross_v")`,
          { file: whisper.encoderFile, field: 'mel' },
        );
      }
      const isFixture = manifest?.fixture === true || (info.metadata.get('comment') ?? '').includes(FIXTURE_COMMENT_MARKER);
      return {
        family: 'whisper',
        dir,
        modelFile: whisper.encoderFile,
        tokensFile: whisper.tokensFile,
        isFixture,
        detectedBy: manifest?.family === 'whisper' ? 'manifest' : 'metadata',
        info,
      };
    }
    if (manifest?.family === 'whisper') {
      throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `no Whisper model in ${dir}: expected <name>-encoder.onnx, <name>-decoder.onnx and <name>-tokens.txt`, { dir });
    }
  }

  // Fun-ASR-Nano folders hold encoder_adaptor/embedding/llm ONNX files and a Qwen3 tokenizer folder (sherpa-onnx's layout).
  if (manifest?.family === 'funasr_nano' || (manifest?.family == null && (await looksLikeFunAsrNano(dir)))) {
    const nano = await findFunAsrNanoFiles(dir);
    const info = await readOnnxModelInfo(nano.encoderAdaptor);
    const isFixture = manifest?.fixture === true || (info.metadata.get('comment') ?? '').includes(FIXTURE_COMMENT_MARKER);
    return {
      family: 'funasr_nano',
      dir,
      modelFile: nano.llm,
      tokensFile: join(nano.tokenizerDir, 'tokenizer.json'),
      isFixture,
      detectedBy: manifest?.family === 'funasr_nano' ? 'manifest' : 'metadata',
      info,
    };
  }

  let modelFile: string | undefined;
  if (manifest?.modelFile) {
    modelFile = join(dir, manifest.modelFile);
    if (!(await isFile(modelFile))) {
      throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `${join(dir, MODEL_MANIFEST_FILE)} names model file ${manifest.modelFile}, which is not in ${dir}`, {
        dir,
        file: modelFile,
      });
    }
  } else {
    for (const name of SENSE_VOICE_MODEL_FILES) {
      if (await isFile(join(dir, name))) {
        modelFile = join(dir, name);
        break;
      }
    }
  }
  if (!modelFile) {
    throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `no model in ${dir}: expected ${SENSE_VOICE_MODEL_FILES.join(' or ')}`, { dir });
  }
  const tokensFile = join(dir, TOKENS_FILE);
  if (!(await isFile(tokensFile))) throw new TingxieError(ErrorCodes.MODEL_NOT_FOUND, `no ${TOKENS_FILE} in ${dir}`, { dir, file: tokensFile });

  const info = await readOnnxModelInfo(modelFile);
  const comment = info.metadata.get('comment') ?? '';
  const isFixture = manifest?.fixture === true || comment.includes(FIXTURE_COMMENT_MARKER);
  const base = { dir, modelFile, tokensFile, isFixture, info };

  if (manifest?.family != null && isSupportedFamily(manifest.family)) return { ...base, family: manifest.family, detectedBy: 'manifest' };

  if (comment.includes('Nano')) {
    throw new TingxieError(
      ErrorCodes.MODEL_UNKNOWN_FAMILY,
      `${modelFile} looks like part of a Fun-ASR-Nano model; a Fun-ASR-Nano folder holds encoder_adaptor.onnx, embedding.onnx, llm.onnx and Qwen3-0.6B/ (sherpa-onnx's layout)`,
      { file: modelFile },
    );
  }
  const modelType = info.metadata.get('model_type');
  if (modelType === 'sense_voice_ctc' || (modelType === undefined && hasSenseVoiceSignature(info))) {
    return { ...base, family: 'sense_voice', detectedBy: 'metadata' };
  }
  // sherpa-onnx's offline Paraformer export: model_type "paraformer", inputs speech/speech_lengths.
  if (modelType === 'paraformer' || (modelType === undefined && hasParaformerSignature(info))) {
    return { ...base, family: 'paraformer', detectedBy: 'metadata' };
  }
  throw new TingxieError(
    ErrorCodes.MODEL_UNKNOWN_FAMILY,
    `cannot tell which model family ${modelFile} is (model_type ${modelType === undefined ? 'missing' : JSON.stringify(modelType)}; supported: ${SUPPORTED_FAMILIES.join(', ')})`,
    { file: modelFile },
  );
}

/** SenseVoice's configuration, from the model's metadata; validated like sherpa-onnx's model loader. */
export interface SenseVoiceConfig {
  vocabSize: number;
  blankId: number;
  lfrWindowSize: number;
  lfrWindowShift: number;
  /** False: samples are scaled to the int16 range before fbank (normalize_samples = 0). */
  normalizeSamples: boolean;
  withItnId: number;
  withoutItnId: number;
  /** Query id of each language option; 'auto' included. */
  languageIds: Readonly<Record<'auto' | 'zh' | 'en' | 'ja' | 'ko' | 'yue', number>>;
  /** CMVN: normalized = (x + negMean) * invStddev, lfrWindowSize × numMelBins values each. */
  negMean: Float32Array;
  invStddev: Float32Array;
  numMelBins: number;
  /** Element types the graph wants for the integer inputs (the export uses int32). */
  integerInputType: 'int32' | 'int64';
}

export const SENSE_VOICE_MEL_BINS = 80;

/** Builds and validates SenseVoiceConfig from the ONNX info. Every problem is MODEL_INVALID naming the field and the file. */
export function senseVoiceConfig(info: OnnxModelInfo): SenseVoiceConfig {
  const file = info.file;
  const { invalid, integer, positiveInteger, floats } = metadataFields(info, 'SenseVoice');

  const vocabSize = positiveInteger('vocab_size');
  const blankId = integer('blank_id', 0);
  if (blankId < 0 || blankId >= vocabSize) throw invalid('blank_id', `${blankId} is outside the vocabulary (vocab_size ${vocabSize})`);
  const lfrWindowSize = positiveInteger('lfr_window_size');
  const lfrWindowShift = positiveInteger('lfr_window_shift');
  const normalize = integer('normalize_samples');
  if (normalize !== 0 && normalize !== 1) throw invalid('normalize_samples', `must be 0 or 1, got ${normalize}`);
  const withItnId = integer('with_itn');
  const withoutItnId = integer('without_itn');
  const languageIds = {
    auto: integer('lang_auto'),
    zh: integer('lang_zh'),
    en: integer('lang_en'),
    ja: integer('lang_ja'),
    ko: integer('lang_ko'),
    yue: integer('lang_yue'),
  };
  const dim = lfrWindowSize * SENSE_VOICE_MEL_BINS;
  const explain = `lfr_window_size ${lfrWindowSize} × ${SENSE_VOICE_MEL_BINS} bins`;
  const negMean = floats('neg_mean', dim, explain);
  const invStddev = floats('inv_stddev', dim, explain);

  // The graph must have SenseVoice's inputs and output.
  const inputTypes = new Map(info.inputs.map((i) => [i.name, i.elemType]));
  for (const name of ['x', 'x_length', 'language', 'text_norm']) {
    if (!inputTypes.has(name)) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: the model has no input "${name}" (inputs: ${[...inputTypes.keys()].join(', ')})`, { file, field: name });
    }
  }
  if (inputTypes.get('x') !== 'float32') throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: input "x" must be float32, is ${inputTypes.get('x')}`, { file, field: 'x' });
  const intType = inputTypes.get('language');
  if (intType !== 'int32' && intType !== 'int64') {
    throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: input "language" must be int32 or int64, is ${intType}`, { file, field: 'language' });
  }
  for (const name of ['x_length', 'text_norm']) {
    if (inputTypes.get(name) !== intType) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: input "${name}" must be ${intType} like "language", is ${inputTypes.get(name)}`, { file, field: name });
    }
  }
  if (info.outputs.length < 1) throw new TingxieError(ErrorCodes.MODEL_INVALID, `${file}: the model has no output`, { file });

  return {
    vocabSize,
    blankId,
    lfrWindowSize,
    lfrWindowShift,
    normalizeSamples: normalize === 1,
    withItnId,
    withoutItnId,
    languageIds,
    negMean,
    invStddev,
    numMelBins: SENSE_VOICE_MEL_BINS,
    integerInputType: intType,
  };
}
