/**
 * Whisper (sherpa-onnx export) on onnxruntime-node: encoder + decoder with a self-attention KV cache.
 *
 * Per window (≤ 29.5 s of audio, MAX_WINDOW_FRAMES):
 *   samples → Whisper log-Mel (features/whisper-mel.ts; normalised over the audio frames only) → zero rows appended
 *   up to min(frames + 1000, 3000) (sherpa-onnx's tail padding; its export takes any length ≤ 3000) → encoder →
 *   cross K/V → greedy decoding.
 * Greedy decoding, as sherpa-onnx's OfflineWhisperGreedySearchDecoder:
 *   - multilingual models with language 'auto': one decoder step on [sot] picks the language token with the
 *     highest logit among all_language_tokens (first wins on ties);
 *   - prompt = sot_sequence with [1] = language and [2] = transcribe (multilingual), then no_timestamps;
 *   - the prompt runs in one decoder call (offset 0); then one token per call, offset = prompt length + step;
 *   - at most ⌊frames / 100 · 6⌋ new tokens (6 per second), and at most n_text_ctx / 2; stop at eot or when the
 *     offset reaches n_text_ctx − 1.
 * Longer input is cut into equal windows of at most MAX_WINDOW_FRAMES frames, each decoded on its own (sherpa-onnx
 * decodes only the first 29.5 s); the pipeline's VAD keeps segments ≤ 30 s, so this is the rare case.
 *
 * Timestamps: decoding runs in no-timestamps mode, so there are no per-token times (sherpa-onnx computes them only
 * for exports with cross-attention outputs, by DTW); `timestamps` is empty and segment times come from the VAD.
 */
import * as ort from 'onnxruntime-node';
import { argmaxRow } from '../decoding/ctc.ts';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { normalizeWhisperLogMel, transposeFrames, WhisperMelComputer, WHISPER_CHUNK_FRAMES, WHISPER_HOP, whisperNumFrames } from '../features/whisper-mel.ts';
import type { AsrModel, LoadModelOptions, RecognitionResult, RecognizeOptions } from './asr-model.ts';
import { createDeviceSession, defaultThreads, formatDevice, parseDevice, type DeviceSpec } from './device.ts';
import type { DetectedModel } from './family.ts';
import { onnxSessionFactory } from './model-loading.ts';
import { readOnnxModelInfo } from './onnx-metadata.ts';
import { decodeWhisperText, readWhisperTokens, whisperConfig, whisperDecoderFile, whisperTokenText, type WhisperConfig, type WhisperTokenTable } from './whisper-config.ts';

/** Frames decoded per window: sherpa-onnx keeps 50 of Whisper's 3000 for zero tail padding. */
export const MAX_WINDOW_FRAMES = WHISPER_CHUNK_FRAMES - 50;
/** Zero frames appended after the audio (sherpa-onnx's default tail_paddings), capped at 3000 frames in all. */
export const TAIL_PADDING_FRAMES = 1000;

export interface WhisperModelFiles {
  encoderFile: string;
  decoderFile: string;
  tokensFile: string;
}

/** Maximum new tokens for a window of `numFrames` audio frames (sherpa-onnx: 6 per second, ≤ n_text_ctx / 2). */
export function maxNewTokens(numFrames: number, textCtx: number): number {
  return Math.min(Math.trunc((numFrames / 100) * 6), Math.floor(textCtx / 2));
}

interface DecoderState {
  selfK: ort.Tensor;
  selfV: ort.Tensor;
}

export class WhisperModel implements AsrModel {
  readonly family = 'whisper' as const;
  readonly dir: string;
  /** The encoder file. */
  readonly modelFile: string;
  readonly decoderFile: string;
  readonly device: string;
  readonly isFixture: boolean;
  readonly config: WhisperConfig;
  readonly tokens: WhisperTokenTable;
  readonly #encoder: ort.InferenceSession;
  readonly #decoder: ort.InferenceSession;
  readonly #mel: WhisperMelComputer;
  #released = false;

  constructor(
    detected: DetectedModel,
    files: WhisperModelFiles,
    config: WhisperConfig,
    tokens: WhisperTokenTable,
    sessions: { encoder: ort.InferenceSession; decoder: ort.InferenceSession },
    device: string,
  ) {
    this.dir = detected.dir;
    this.modelFile = files.encoderFile;
    this.decoderFile = files.decoderFile;
    this.isFixture = detected.isFixture;
    this.device = device;
    this.config = config;
    this.tokens = tokens;
    this.#encoder = sessions.encoder;
    this.#decoder = sessions.decoder;
    this.#mel = new WhisperMelComputer(config.numMels);
  }

  async recognize(samples: Float32Array, opts: RecognizeOptions): Promise<RecognitionResult> {
    if (this.#released) throw new TingxieError(ErrorCodes.INTERNAL, 'recognize() called after release()');
    let language: number | null = null;
    if (this.config.isMultilingual && opts.language !== 'auto') {
      const id = this.config.languageTokens.get(opts.language);
      if (id === undefined) {
        throw new TingxieError(ErrorCodes.CONFIG_INVALID, `language ${JSON.stringify(opts.language)} is not one of this Whisper model's languages`, {
          field: 'language',
          value: opts.language,
        });
      }
      language = id;
    }
    const totalFrames = samples.length === 0 ? 0 : whisperNumFrames(samples.length);
    if (totalFrames === 0) return this.#result([], null, 0);

    const windows = Math.ceil(totalFrames / MAX_WINDOW_FRAMES);
    const samplesPerWindow = Math.ceil(samples.length / windows / WHISPER_HOP) * WHISPER_HOP;
    const ids: number[] = [];
    let detected: number | null = null;
    for (let w = 0; w < windows; w++) {
      const piece = samples.subarray(w * samplesPerWindow, Math.min(samples.length, (w + 1) * samplesPerWindow));
      if (piece.length === 0) continue;
      const decoded = await this.#decodeWindow(piece, language);
      ids.push(...decoded.ids);
      detected ??= decoded.language;
    }
    return this.#result(ids, detected, totalFrames);
  }

  #result(ids: number[], languageId: number | null, numFrames: number): RecognitionResult {
    const textIds = ids.filter((id) => this.tokens.has(id));
    return {
      text: decodeWhisperText(textIds, this.tokens).trim(),
      tokens: textIds.map((id) => whisperTokenText(this.tokens.bytes(id)!)),
      tokenIds: textIds,
      timestamps: [],
      language: languageId === null ? null : (this.config.languageCodes.get(languageId) ?? null),
      emotion: null,
      event: null,
      itn: null,
      numFrames,
    };
  }

  /** Encoder input for one window: normalised log-Mel of the audio, zero rows after it, as [1, n_mels, T]. */
  encoderInput(piece: Float32Array): { mel: ort.Tensor; numFrames: number } {
    const feats = this.#mel.melPower(piece);
    const numFrames = Math.min(feats.numFrames, MAX_WINDOW_FRAMES);
    const numMels = feats.numMels;
    normalizeWhisperLogMel(feats.data, numFrames * numMels);
    const total = Math.min(numFrames + TAIL_PADDING_FRAMES, WHISPER_CHUNK_FRAMES);
    const padded = new Float32Array(total * numMels);
    padded.set(feats.data.subarray(0, numFrames * numMels));
    const transposed = transposeFrames({ data: padded, numFrames: total, numMels });
    return { mel: new ort.Tensor('float32', transposed, [1, numMels, total]), numFrames };
  }

  async #decodeWindow(piece: Float32Array, requestedLanguage: number | null): Promise<{ ids: number[]; language: number | null }> {
    const c = this.config;
    try {
      const { mel, numFrames } = this.encoderInput(piece);
      const encoded = await this.#encoder.run({ mel });
      const crossK = encoded.n_layer_cross_k;
      const crossV = encoded.n_layer_cross_v;
      if (!crossK || !crossV) throw new Error('the encoder gave no n_layer_cross_k / n_layer_cross_v');

      const prompt = [...c.sotSequence];
      let language: number | null = null;
      if (c.isMultilingual) {
        language = requestedLanguage ?? (await this.#detectLanguage(crossK, crossV));
        // sherpa-onnx replaces only the language; sot_sequence[2] is the export's task token (transcribe).
        prompt[1] = language;
      }
      prompt.push(c.noTimestamps);

      let step = await this.#runDecoder(prompt, this.#emptyCache(), crossK, crossV, 0);
      let token = argmaxRow(step.logits, prompt.length - 1, step.vocab);
      let offset = prompt.length;
      const ids: number[] = [];
      const limit = maxNewTokens(numFrames, c.textCtx);
      for (let i = 0; i < limit; i++) {
        if (token === c.eot) break;
        ids.push(token);
        step = await this.#runDecoder([token], step.cache, crossK, crossV, offset);
        offset += 1;
        if (offset >= c.textCtx - 1) break;
        token = argmaxRow(step.logits, 0, step.vocab);
      }
      return { ids, language };
    } catch (error) {
      if (error instanceof TingxieError) throw error;
      throw new TingxieError(ErrorCodes.MODEL_INFERENCE_FAILED, `${this.modelFile}: inference failed: ${(error as Error).message}`, { file: this.modelFile }, { cause: error });
    }
  }

  /** One decoder step on [sot] from an empty cache; the language token with the highest logit. */
  async #detectLanguage(crossK: ort.Tensor, crossV: ort.Tensor): Promise<number> {
    const step = await this.#runDecoder([this.config.sot], this.#emptyCache(), crossK, crossV, 0);
    let best = -1;
    let bestValue = -Infinity;
    for (const id of this.config.languageTokens.values()) {
      const v = step.logits[id];
      if (best < 0 || v > bestValue) {
        best = id;
        bestValue = v;
      }
    }
    return best;
  }

  #emptyCache(): DecoderState {
    const c = this.config;
    const dims = [c.numTextLayers, 1, c.textCtx, c.textState];
    const size = c.numTextLayers * c.textCtx * c.textState;
    return { selfK: new ort.Tensor('float32', new Float32Array(size), dims), selfV: new ort.Tensor('float32', new Float32Array(size), dims) };
  }

  async #runDecoder(
    tokens: readonly number[],
    cache: DecoderState,
    crossK: ort.Tensor,
    crossV: ort.Tensor,
    offset: number,
  ): Promise<{ logits: Float32Array; vocab: number; cache: DecoderState }> {
    const out = await this.#decoder.run({
      tokens: new ort.Tensor('int64', BigInt64Array.from(tokens, (t) => BigInt(t)), [1, tokens.length]),
      in_n_layer_self_k_cache: cache.selfK,
      in_n_layer_self_v_cache: cache.selfV,
      n_layer_cross_k: crossK,
      n_layer_cross_v: crossV,
      offset: new ort.Tensor('int64', BigInt64Array.from([BigInt(offset)]), [1]),
    });
    const logits = out.logits;
    if (!logits || logits.type !== 'float32' || logits.dims.length !== 3 || logits.dims[1] !== tokens.length) {
      throw new Error(`unexpected decoder logits ${logits?.type} [${logits?.dims.join(', ')}], expected float32 [1, ${tokens.length}, n_vocab]`);
    }
    const selfK = out.out_n_layer_self_k_cache;
    const selfV = out.out_n_layer_self_v_cache;
    if (!selfK || !selfV) throw new Error('the decoder gave no out_n_layer_self_k_cache / out_n_layer_self_v_cache');
    return { logits: logits.data as Float32Array, vocab: logits.dims[2], cache: { selfK, selfV } };
  }

  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#encoder.release();
    await this.#decoder.release();
  }
}

/**
 * Loads a detected Whisper model: validates metadata, signatures and tokens, then creates the encoder and decoder
 * sessions on the device (the decoder follows the encoder's device, so a CPU fallback applies to both).
 */
export async function loadWhisperModel(detected: DetectedModel, opts: LoadModelOptions = {}): Promise<WhisperModel> {
  const files: WhisperModelFiles = { encoderFile: detected.modelFile, decoderFile: whisperDecoderFile(detected.modelFile), tokensFile: detected.tokensFile };
  const requested = parseDevice(opts.device ?? 'cpu');
  const encoderInfo = detected.modelFile === files.encoderFile ? detected.info : await readOnnxModelInfo(files.encoderFile);
  const decoderInfo = await readOnnxModelInfo(files.decoderFile);
  const config = whisperConfig(encoderInfo, decoderInfo);
  const tokens = await readWhisperTokens(files.tokensFile);
  for (const [field, id] of [
    ['sot', config.sot],
    ['eot', config.eot],
    ['no_timestamps', config.noTimestamps],
  ] as const) {
    if (tokens.has(id)) {
      throw new TingxieError(ErrorCodes.MODEL_INVALID, `${files.tokensFile} has text for token ${id}, which ${files.encoderFile} names as ${field} (tokens file of another model?)`, {
        file: files.tokensFile,
        field,
      });
    }
  }
  const threads = opts.threads ?? defaultThreads();
  const encoder = await createDeviceSession({ device: requested, threads, onCudaUnavailable: opts.onCudaUnavailable ?? 'fail', createSession: onnxSessionFactory(files.encoderFile) });
  const device: DeviceSpec = encoder.device;
  let decoder;
  try {
    decoder = await createDeviceSession({ device, threads, onCudaUnavailable: 'fail', createSession: onnxSessionFactory(files.decoderFile) });
  } catch (error) {
    await encoder.session.release();
    throw error;
  }
  return new WhisperModel(detected, files, config, tokens, { encoder: encoder.session, decoder: decoder.session }, formatDevice(device));
}
