/**
 * A small Fastify app with the storage parts only (db, jobs, history and job routes) and the
 * server's error handlers, for tests that do not need the whole `buildApp`.
 */
import { readFile } from 'node:fs/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { ErrorCodes, TingxieError } from '../../../engine/src/errors.ts';
import type { TranscriptionResult } from '../../../engine/src/pipeline/types.ts';
import { defaultServerConfig } from '../../../engine/src/server/config.ts';
import type { FileTranscriptionRequest, ModelRegistry, ModelStatus, ServerConfig } from '../../../engine/src/server/contracts.ts';
import { installErrorHandlers } from '../../../engine/src/server/errors.ts';
import dbPlugin from '../../../engine/src/server/plugins/db.ts';
import jobsPlugin from '../../../engine/src/server/plugins/jobs.ts';
import historyRoutes from '../../../engine/src/server/routes/history.ts';
import jobRoutes from '../../../engine/src/server/routes/jobs.ts';

export interface StoreAppOptions {
  dataDir: string;
  registry: ModelRegistry;
  config?: Partial<ServerConfig>;
  heartbeatS?: number;
}

export async function buildStoreApp(opts: StoreAppOptions): Promise<FastifyInstance> {
  const config: ServerConfig = { ...defaultServerConfig(opts.dataDir), ...opts.config };
  const app = Fastify({ logger: false, forceCloseConnections: 'idle' }) as unknown as FastifyInstance;
  app.decorate('config', config);
  app.decorate('registry', opts.registry);
  installErrorHandlers(app);
  await app.register(dbPlugin);
  await app.register(jobsPlugin, { modelPollMs: 20 });
  await app.register(historyRoutes);
  await app.register(jobRoutes, opts.heartbeatS === undefined ? {} : { heartbeatS: opts.heartbeatS });
  return app;
}

/** A ready-model status for fakes. */
export function readyStatus(): ModelStatus {
  return { state: 'ready', model: { family: 'fake', dir: '/fake', file: 'fake.onnx', device: 'cpu', fixture: true }, device: 'cpu', error: null };
}

/** A TranscriptionResult with one segment per sentence, one second each. */
export function fakeResult(file: string, sentences: string[]): TranscriptionResult {
  return {
    file,
    durationS: sentences.length,
    language: 'zh',
    text: sentences.join(''),
    rawText: sentences.join(''),
    segments: sentences.map((text, i) => ({
      startS: i,
      endS: i + 0.9,
      text,
      rawText: text,
      language: 'zh',
      emotion: null,
      event: null,
      tokens: [...text],
      timestamps: [...text].map((_, k) => i + k * 0.05),
    })),
    vad: null,
    model: readyStatus().model!,
  };
}

/**
 * A registry whose "audio" files are text: `SAY <sentence>|<sentence>…` transcribes to those
 * sentences; `HOLD <sentence>` waits until `release()` (or the abort signal); anything else is
 * AUDIO_NOT_AUDIO. Records every request it ran.
 */
export class FakeRegistry implements ModelRegistry {
  state: ModelStatus['state'] = 'ready';
  /** Calls to refuse with SERVER_BUSY before working again. */
  busyTimes = 0;
  readonly requests: { path: string; request: FileTranscriptionRequest }[] = [];
  #held: (() => void)[] = [];
  #onHold: (() => void)[] = [];

  status(): ModelStatus {
    return { ...readyStatus(), state: this.state };
  }
  async load(): Promise<ModelStatus> {
    this.state = 'ready';
    return this.status();
  }
  async release(): Promise<void> {
    this.state = 'empty';
  }
  async lease(): Promise<never> {
    throw new TingxieError(ErrorCodes.INTERNAL, 'no streaming in the fake');
  }
  async close(): Promise<void> {}

  /** Resolves when a HOLD file is waiting (at once if one already is). */
  waitForHold(): Promise<void> {
    if (this.#held.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.#onHold.push(resolve));
  }
  /** Lets every waiting HOLD file finish. */
  releaseHeld(): void {
    for (const release of this.#held.splice(0)) release();
  }

  async transcribeFile(path: string, request: FileTranscriptionRequest): Promise<TranscriptionResult> {
    if (this.state !== 'ready') throw new TingxieError(ErrorCodes.MODEL_NOT_LOADED, 'No model.');
    if (this.busyTimes > 0) {
      this.busyTimes--;
      throw new TingxieError(ErrorCodes.SERVER_BUSY, 'Too many transcriptions waiting.');
    }
    this.requests.push({ path, request });
    const content = await readFile(path, 'utf8');
    const [command, rest = ''] = [content.slice(0, content.indexOf(' ')), content.slice(content.indexOf(' ') + 1)];
    const sentences = rest.split('|');
    if (command === 'HOLD') {
      await new Promise<void>((resolve, reject) => {
        this.#held.push(resolve);
        request.signal?.addEventListener('abort', () => reject(new TingxieError(ErrorCodes.ABORTED, 'Transcription was cancelled.')), { once: true });
        for (const notify of this.#onHold.splice(0)) notify();
      });
    } else if (command !== 'SAY') {
      throw new TingxieError(ErrorCodes.AUDIO_NOT_AUDIO, `${path} is a text file, not audio.`, { file: path });
    }
    sentences.forEach((_, i) => request.onProgress?.({ processedS: i + 1, totalS: sentences.length }));
    return fakeResult(path, sentences);
  }
}

/** A multipart/form-data body for `inject()`. */
export function multipartBody(
  files: { field?: string; name: string; content: string | Buffer }[],
  fields: Record<string, string> = {},
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----tingxie${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const file of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content),
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
