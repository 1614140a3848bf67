/**
 * Device selection for onnxruntime sessions: `cpu`, `cuda` or `cuda:N`.
 *
 * onnxruntime-node ships the CUDA execution provider only when its install script fetched the CUDA
 * binaries; Tingxie installs it without scripts, so CUDA is usually unavailable. Creating a CUDA
 * session then fails, and Tingxie reports DEVICE_UNAVAILABLE or, when asked, falls back to CPU.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import type { InferenceSession as OrtInferenceSession } from 'onnxruntime-node';
import { ErrorCodes, TingxieError } from '../errors.ts';

export type DeviceSpec = { kind: 'cpu' } | { kind: 'cuda'; deviceId: number };

/** Parses `cpu` | `cuda` | `cuda:N` (case-insensitive). Anything else → DEVICE_INVALID. */
export function parseDevice(text: string): DeviceSpec {
  const value = text.trim().toLowerCase();
  if (value === 'cpu') return { kind: 'cpu' };
  if (value === 'cuda') return { kind: 'cuda', deviceId: 0 };
  const match = /^cuda:(\d{1,3})$/.exec(value);
  if (match) return { kind: 'cuda', deviceId: Number(match[1]) };
  throw new TingxieError(ErrorCodes.DEVICE_INVALID, `unknown device ${JSON.stringify(text)}: use cpu, cuda or cuda:N (N = GPU index)`, { device: text });
}

export function formatDevice(device: DeviceSpec): string {
  return device.kind === 'cpu' ? 'cpu' : `cuda:${device.deviceId}`;
}

/** Default intra-op threads: up to 4 cores (more rarely helps a single utterance). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Session options for a device: `threads` intra-op threads, 1 inter-op thread, all graph optimizations. */
export function sessionOptionsFor(device: DeviceSpec, threads: number): OrtInferenceSession.SessionOptions {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `threads must be a positive integer, got ${threads}`, { threads });
  }
  const executionProviders: OrtInferenceSession.ExecutionProviderConfig[] =
    device.kind === 'cpu' ? ['cpu'] : [{ name: 'cuda', deviceId: device.deviceId }, 'cpu'];
  return {
    executionProviders,
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    // Run-time failures reach the user as MODEL_INFERENCE_FAILED; keep onnxruntime's own copy off stderr.
    logSeverityLevel: 4,
  };
}

export const CUDA_UNAVAILABLE_HINT =
  "onnxruntime-node was installed without its CUDA binaries (its install script is disabled), or no CUDA GPU/driver is usable; see README 'GPU'";

/**
 * Whether onnxruntime-node's CUDA provider library is on disk. Without it a CUDA session cannot be
 * created (and trying makes onnxruntime print a native error), so Tingxie checks first.
 */
export function cudaProviderInstalled(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const packageDir = dirname(require.resolve('onnxruntime-node/package.json'));
    const binDir = join(packageDir, 'bin', 'napi-v6', process.platform, process.arch);
    const library = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    return existsSync(join(binDir, library));
  } catch {
    return false;
  }
}

export interface DeviceSessionOptions {
  device: DeviceSpec;
  threads: number;
  /** What to do when CUDA cannot be used: fail with DEVICE_UNAVAILABLE (default) or run on the CPU. */
  onCudaUnavailable?: 'fail' | 'cpu';
  /** Injectable for tests: creates the session. */
  createSession: (options: OrtInferenceSession.SessionOptions) => Promise<OrtInferenceSession>;
  /** Injectable for tests: whether the CUDA provider is installed. */
  cudaInstalled?: () => boolean;
}

export interface DeviceSession {
  session: OrtInferenceSession;
  /** The device actually used. */
  device: DeviceSpec;
  /** Why the requested device was not used, when it fell back. */
  fallbackReason: string | null;
}

/**
 * Creates a session on the requested device. A CUDA failure becomes DEVICE_UNAVAILABLE, or a CPU
 * session when `onCudaUnavailable` is 'cpu'. Errors on the CPU are left to the caller to classify.
 */
export async function createDeviceSession(opts: DeviceSessionOptions): Promise<DeviceSession> {
  if (opts.device.kind === 'cpu') {
    return { session: await opts.createSession(sessionOptionsFor(opts.device, opts.threads)), device: opts.device, fallbackReason: null };
  }
  const requested = formatDevice(opts.device);
  let reason: string;
  let cause: unknown;
  if (!(opts.cudaInstalled ?? cudaProviderInstalled)()) {
    reason = `CUDA is not available: ${CUDA_UNAVAILABLE_HINT}`;
  } else {
    try {
      return { session: await opts.createSession(sessionOptionsFor(opts.device, opts.threads)), device: opts.device, fallbackReason: null };
    } catch (error) {
      cause = error;
      reason = `CUDA is not available on ${requested}: ${(error as Error).message.split('\n')[0]} (${CUDA_UNAVAILABLE_HINT})`;
    }
  }
  if (opts.onCudaUnavailable === 'cpu') {
    const cpu: DeviceSpec = { kind: 'cpu' };
    return { session: await opts.createSession(sessionOptionsFor(cpu, opts.threads)), device: cpu, fallbackReason: reason };
  }
  throw new TingxieError(ErrorCodes.DEVICE_UNAVAILABLE, reason, { device: requested }, cause === undefined ? undefined : { cause });
}
