/**
 * The model registry: the one loaded ASR model shared by HTTP requests, jobs and streaming sessions.
 *
 * - Loads happen one at a time; a failed load leaves the serving model in place.
 * - A swapped-out or released model is freed once the last request or lease using it is done.
 * - `transcribeFile` runs at most `batchSize` pipelines at once; each borrows a Silero VAD from a pool
 *   (Silero keeps per-stream state, so a VAD serves one file at a time).
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { ErrorCodes, TingxieError, toTingxieError } from '../../errors.ts';
import { loadAsrModel, type AsrModel } from '../../models/asr-model.ts';
import type { ModelDescription, TranscriptionResult } from '../../pipeline/types.ts';
import { punctuateIfNeeded, Transcriber } from '../../pipeline/transcriber.ts';
import { loadCtTransformerPunctuator, type TextPunctuator } from '../../text/punctuation/ct-transformer.ts';
import { emptyHotwordList, mergeHotwordLists, parseHotwords, type HotwordList } from '../../text/hotwords/list.ts';
import { loadSavedHotwords } from '../../text/hotwords/saved.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions, type VadOptions } from '../../vad/segmenter.ts';
import { SileroVad } from '../../vad/silero.ts';
import type { FileTranscriptionRequest, ModelLease, ModelRegistry, ModelStatus, ServerConfig } from '../contracts.ts';

declare module 'fastify' {
  interface FastifyInstance {
    registry: ModelRegistry;
  }
}

/** How many transcriptions may wait for a free slot before new ones are refused with SERVER_BUSY. */
export const MAX_QUEUED_TRANSCRIPTIONS = 256;

export interface RegistryOptions {
  device: string;
  threads: number;
  onCudaUnavailable: 'fail' | 'cpu';
  batchSize: number;
  /** Longest VAD segment, seconds. */
  maxLen: number;
  /** Loads a model; replaceable in tests. */
  loadModel?: (dir: string, opts: { device: string; threads: number; onCudaUnavailable: 'fail' | 'cpu' }) => Promise<AsrModel>;
  createVad?: () => Promise<SileroVad>;
  /** The saved hotword list, merged under each request's own (read per request, so edits apply at once). */
  savedHotwords?: () => Promise<HotwordList>;
  /**
   * Loads the punctuation model (absent = no punctuation step). Loaded with the first speech model and kept
   * across model swaps: it works on text, whatever model produced it.
   */
  loadPunctuator?: () => Promise<TextPunctuator>;
}

/** A loaded model and how many users hold it; freed when retired and no longer held. */
interface ModelEntry {
  model: AsrModel;
  users: number;
  retired: boolean;
  freed: Promise<void> | null;
}

/** A counting semaphore with a bounded queue. */
class Gate {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free -= 1;
      return;
    }
    if (this.#waiting.length >= MAX_QUEUED_TRANSCRIPTIONS) {
      throw new TingxieError(ErrorCodes.SERVER_BUSY, `${MAX_QUEUED_TRANSCRIPTIONS} transcriptions are already waiting; retry later.`);
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#free += 1;
  }
}

export class LocalModelRegistry implements ModelRegistry {
  readonly #opts: RegistryOptions;
  readonly #vadOptions: VadOptions;
  readonly #gate: Gate;
  readonly #idleVads: SileroVad[] = [];
  readonly #allEntries = new Set<ModelEntry>();
  #current: ModelEntry | null = null;
  /** Loads asked for and not finished (counted at once, so status says 'loading' before the load starts). */
  #pendingLoads = 0;
  #error: { code: string; message: string } | null = null;
  /** Serializes loads and releases. */
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;
  #punctuator: TextPunctuator | null = null;

  constructor(opts: RegistryOptions) {
    this.#opts = opts;
    this.#gate = new Gate(opts.batchSize);
    this.#vadOptions = validateVadOptions({ ...DEFAULT_VAD_OPTIONS, maxSegmentS: opts.maxLen });
  }

  status(): ModelStatus {
    const current = this.#current;
    if (current) return { state: 'ready', model: describe(current.model), device: current.model.device, error: null };
    if (this.#pendingLoads > 0) return { state: 'loading', model: null, device: this.#opts.device, error: null };
    if (this.#error) return { state: 'error', model: null, device: this.#opts.device, error: this.#error };
    return { state: 'empty', model: null, device: this.#opts.device, error: null };
  }

  load(dir: string, opts: { device?: string; threads?: number } = {}): Promise<ModelStatus> {
    this.#pendingLoads += 1;
    return this.#serialize(async () => {
      try {
        if (this.#closed) throw new TingxieError(ErrorCodes.MODEL_LOAD_FAILED, 'The server is shutting down.');
        // A bad punctuation model fails the load with its own error, before any speech model is touched.
        if (this.#opts.loadPunctuator && !this.#punctuator) this.#punctuator = await this.#opts.loadPunctuator();
        const load = this.#opts.loadModel ?? ((d, o) => loadAsrModel(d, o));
        const model = await load(dir, {
          device: opts.device ?? this.#opts.device,
          threads: opts.threads ?? this.#opts.threads,
          onCudaUnavailable: this.#opts.onCudaUnavailable,
        });
        const entry: ModelEntry = { model, users: 0, retired: false, freed: null };
        this.#allEntries.add(entry);
        const previous = this.#current;
        this.#current = entry;
        this.#error = null;
        if (previous) this.#retire(previous);
        return this.status();
      } catch (error) {
        const typed = toTingxieError(error, ErrorCodes.MODEL_LOAD_FAILED);
        // With a model serving, the failure is only the caller's; with none, health reports it.
        if (!this.#current) this.#error = { code: typed.code, message: typed.message };
        throw typed;
      } finally {
        this.#pendingLoads -= 1;
      }
    });
  }

  release(): Promise<void> {
    return this.#serialize(async () => {
      const current = this.#current;
      this.#current = null;
      this.#error = null;
      if (current) await this.#retire(current);
      await Promise.all(this.#idleVads.splice(0).map((vad) => vad.release()));
    });
  }

  async transcribeFile(path: string, request: FileTranscriptionRequest): Promise<TranscriptionResult> {
    await this.#gate.acquire();
    let entry: ModelEntry | null = null;
    let vad: SileroVad | null = null;
    try {
      entry = this.#acquireModel();
      if (request.vad) vad = this.#idleVads.pop() ?? (await this.#createVad());
      const transcriber = new Transcriber({ model: entry.model, vad, punctuation: this.#punctuator });
      const requested = request.hotwords && request.hotwords.length > 0 ? parseHotwords(request.hotwords.join('\n'), 'lines') : emptyHotwordList();
      const merged = mergeHotwordLists((await this.#opts.savedHotwords?.()) ?? emptyHotwordList(), requested);
      const hotwords = merged.hotwords.length + merged.replacements.length > 0 ? merged : undefined;
      return await transcriber.transcribeFile(path, {
        language: request.language,
        useItn: request.useItn,
        vad: request.vad,
        vadOptions: this.#vadOptions,
        ...(hotwords ? { hotwords } : {}),
        ...(request.onProgress ? { onProgress: request.onProgress } : {}),
        ...(request.signal ? { signal: request.signal } : {}),
      });
    } finally {
      if (vad) {
        vad.reset();
        if (this.#closed) await vad.release();
        else this.#idleVads.push(vad);
      }
      if (entry) this.#releaseModel(entry);
      this.#gate.release();
    }
  }

  async lease(): Promise<ModelLease> {
    const entry = this.#acquireModel();
    const vads: SileroVad[] = [];
    let released = false;
    const punctuator = this.#punctuator;
    return {
      model: entry.model,
      punctuate: (text) => punctuateIfNeeded(punctuator, text),
      createVad: async () => {
        const vad = await this.#createVad();
        vads.push(vad);
        return vad;
      },
      release: () => {
        if (released) return;
        released = true;
        for (const vad of vads) void vad.release();
        this.#releaseModel(entry);
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.release();
    await this.#punctuator?.release();
    this.#punctuator = null;
    // Models still held by running requests are freed when those finish; wait for the ones already retired.
    await Promise.all([...this.#allEntries].map((entry) => entry.freed).filter((p): p is Promise<void> => p !== null));
  }

  #serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #acquireModel(): ModelEntry {
    const entry = this.#current;
    if (!entry) {
      const state = this.status();
      const why = state.state === 'loading' ? 'The model is still loading; retry shortly.' : 'No model is loaded. Load one with POST /api/models/load.';
      throw new TingxieError(ErrorCodes.MODEL_NOT_LOADED, why, { state: state.state });
    }
    entry.users += 1;
    return entry;
  }

  #releaseModel(entry: ModelEntry): void {
    entry.users -= 1;
    if (entry.retired && entry.users === 0) this.#free(entry);
  }

  #retire(entry: ModelEntry): Promise<void> {
    entry.retired = true;
    if (entry.users === 0) return this.#free(entry);
    return Promise.resolve();
  }

  #free(entry: ModelEntry): Promise<void> {
    entry.freed ??= entry.model.release().finally(() => this.#allEntries.delete(entry));
    return entry.freed;
  }

  #createVad(): Promise<SileroVad> {
    return (this.#opts.createVad ?? (() => SileroVad.create({ threads: 1 })))();
  }
}

function describe(model: AsrModel): ModelDescription {
  const file = model.modelFile.split(/[\\/]/).pop() ?? model.modelFile;
  return { family: model.family, dir: model.dir, file, device: model.device, fixture: model.isFixture };
}

export interface RegistryPluginOptions {
  /** Use this registry instead of creating one from `app.config` (tests). */
  registry?: ModelRegistry;
  /** Model folder to load in the background at start; null = nothing. */
  initialModelDir: string | null;
  /** Why there is no model to load at start (logged). */
  noModelReason?: string;
}

export function registryOptionsFromConfig(config: ServerConfig): RegistryOptions {
  const punctuationModel = config.punctuationModel ?? null;
  return {
    device: config.device,
    threads: config.threads,
    onCudaUnavailable: config.onCudaUnavailable,
    batchSize: config.batchSize,
    maxLen: config.maxLen,
    savedHotwords: () => loadSavedHotwords(config.dataDir),
    ...(punctuationModel ? { loadPunctuator: () => loadCtTransformerPunctuator(punctuationModel, { threads: 1 }) } : {}),
  };
}

/** Decorates `app.registry`; starts loading the initial model without waiting for it (health says 'loading'). */
export default fp<RegistryPluginOptions>(
  async (app: FastifyInstance, opts: RegistryPluginOptions) => {
    const registry = opts.registry ?? new LocalModelRegistry(registryOptionsFromConfig(app.config));
    app.decorate('registry', registry);
    if (opts.initialModelDir !== null) {
      const dir = opts.initialModelDir;
      registry.load(dir).then(
        (status) => app.log.info({ model: status.model?.family, device: status.device }, 'model loaded'),
        (error: unknown) => app.log.error({ code: toTingxieError(error).code, message: toTingxieError(error).message }, 'model load failed'),
      );
    } else if (opts.noModelReason) {
      app.log.warn(opts.noModelReason);
    }
    app.addHook('onClose', async () => {
      await registry.close();
    });
  },
  { name: 'tingxie-registry', fastify: '5.x' },
);
