/**
 * The contracts between the engine server's parts. Each part (core app, storage and jobs,
 * streaming) is written against these; `buildApp` wires the implementations together.
 */
import type { AsrModel } from '../models/asr-model.ts';
import type { ModelDescription, TranscriptionResult, Language } from '../pipeline/types.ts';
import type { TranscribeProgress } from '../pipeline/types.ts';
import type { SileroVad } from '../vad/silero.ts';

/** Everything `tingxie serve` is configured with (flags > environment > config file > defaults). */
export interface ServerConfig {
  host: string;
  port: number;
  /** Model folder to load at start; null = the installed default model, if any. */
  modelPath: string | null;
  device: string;
  /** When CUDA is unavailable: fail the load, or run on the CPU. */
  onCudaUnavailable: 'fail' | 'cpu';
  threads: number;
  /** Transcriptions that may run at once (jobs, API requests). */
  batchSize: number;
  /** Longest VAD segment, seconds. */
  maxLen: number;
  dataDir: string;
  /** Bearer token; required (given or generated) when binding a non-loopback address. */
  token: string | null;
  tls: boolean;
  /** Client IPs or CIDRs allowed; empty = any (subject to the token). */
  allowIps: string[];
  /** Extra CORS origins beyond the built-in list (add-in origin, Obsidian, the engine's own). */
  corsOrigins: string[];
  maxUploadBytes: number;
  /** Requests per minute per client IP. */
  rateLimitPerMinute: number;
  /** Seconds of new speech between partial decodes in streaming. */
  streamPartialIntervalS: number;
  /** Longest streaming session, seconds. */
  maxStreamSessionS: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Only with debug logging on may audio file names or transcript text reach the log. */
  logTranscripts: boolean;
  /**
   * Local OpenAI-compatible chat endpoint that rewrites the summary of `POST /api/minutes`
   * (e.g. `http://127.0.0.1:8080/v1`); null/absent = off (the default: nothing leaves the machine).
   * Set together with `llmModel`.
   */
  llmUrl?: string | null;
  /** Model name sent to `llmUrl`. */
  llmModel?: string | null;
  /** Allow a non-loopback `llmUrl` (the transcript is sent to it); refused at start otherwise. */
  allowRemoteLlm?: boolean;
  /**
   * CT-Transformer punctuation model (its model.onnx or folder) applied to recognised text that has no
   * punctuation (e.g. Paraformer's); null/absent = off.
   */
  punctuationModel?: string | null;
}

export type ModelState = 'empty' | 'loading' | 'ready' | 'error';

export interface ModelStatus {
  state: ModelState;
  model: ModelDescription | null;
  /** Device in use ('cpu', 'cuda:0'), or the configured one while nothing is loaded. */
  device: string;
  error: { code: string; message: string } | null;
}

export interface FileTranscriptionRequest {
  language: Language;
  useItn: boolean;
  vad: boolean;
  hotwords?: string[];
  onProgress?: (progress: TranscribeProgress) => void;
  signal?: AbortSignal;
}

/** The loaded model, shared by HTTP requests, jobs and streaming sessions. */
export interface ModelRegistry {
  status(): ModelStatus;
  /** Loads `dir` and swaps it in; on failure the old model keeps serving and the error is thrown. */
  load(dir: string, opts?: { device?: string; threads?: number }): Promise<ModelStatus>;
  /** Unloads every session (frees GPU memory); status becomes 'empty'. */
  release(): Promise<void>;
  /** Runs the file pipeline with at most `batchSize` at once; MODEL_NOT_LOADED when none is loaded. */
  transcribeFile(path: string, request: FileTranscriptionRequest): Promise<TranscriptionResult>;
  /** The current model for streaming sessions (kept alive until the lease is released). */
  lease(): Promise<ModelLease>;
  close(): Promise<void>;
}

export interface ModelLease {
  model: AsrModel;
  /** A fresh VAD for one stream (Silero keeps per-stream state). */
  createVad(): Promise<SileroVad>;
  /** The text with punctuation added when a punctuation model is configured and the text has none; else unchanged. */
  punctuate(text: string): Promise<string>;
  release(): void;
}

/** The one error body every route answers with; `type` keeps OpenAI clients happy. */
export interface ErrorBody {
  error: { code: string; message: string; type: string; detail?: Record<string, unknown> };
}
