import { createRequire } from 'node:module';
import { resolveFfmpeg } from '../audio/ffmpeg.ts';
import { toTingxieError } from '../errors.ts';
import { CUDA_UNAVAILABLE_HINT, cudaProviderInstalled, defaultThreads } from '../models/device.ts';
import { VERSION } from '../version.ts';
import type { CliIo } from './io.ts';
import { describeModelLocations } from './model-location.ts';

const require = createRequire(import.meta.url);

/** Prints what Tingxie found on this machine: ffmpeg, onnxruntime and its devices, data and model folders. */
export async function doctorCommand(_args: string[], io: CliIo): Promise<number> {
  const lines: string[] = [`tingxie ${VERSION}`, `node ${process.version} (${process.platform}/${process.arch}), ${io.cpuCount} CPU cores`];
  try {
    const ffmpeg = resolveFfmpeg(io.env);
    lines.push(`ffmpeg: ${ffmpeg.path} (found via ${ffmpeg.source})`);
  } catch (error) {
    lines.push(`ffmpeg: not found — ${toTingxieError(error).message} (WAV files still work without it)`);
  }
  const ortVersion = (require('onnxruntime-node/package.json') as { version: string }).version;
  lines.push(`onnxruntime-node: ${ortVersion}`);
  lines.push(`devices: cpu (${defaultThreads()} threads by default)`);
  // Only whether the provider library is on disk: a GPU is proven by loading a model with --device cuda.
  lines.push(cudaProviderInstalled() ? 'cuda: provider library installed (try --device cuda)' : `cuda: not available — ${CUDA_UNAVAILABLE_HINT}`);
  lines.push(...(await describeModelLocations(io)));
  io.stdout.write(lines.join('\n') + '\n');
  return 0;
}
