/**
 * Single-thread speed of SileroVad.probabilities (not a test; nothing asserts time).
 *
 *   node --import tsx test/vad/silero-speed.bench.ts [audio file] [seconds]
 *
 * Decodes the file to 16 kHz mono with sox, repeats it to `seconds` (default 120), and runs every bundled variant
 * with threads = 1, reporting windows/s, µs per window and × real time, plus the largest probability difference
 * against the reference export silero_vad.onnx; then the default variant end to end through VadSegmentStream
 * (1-second chunks, so partial windows and the segmenter are included).
 */
import { execFileSync } from 'node:child_process';
import { validateVadOptions, VadSegmentStream } from '../../engine/src/vad/segmenter.ts';
import { bundledSileroModelPath, DEFAULT_SILERO_MODEL_FILE, SileroVad } from '../../engine/src/vad/silero.ts';

const file = process.argv[2] ?? new URL('../../../shared/audio/wenet/librispeech-1995-1837-0001.wav', import.meta.url).pathname;
const seconds = Number(process.argv[3] ?? 120);
const raw = execFileSync('sox', [file, '-r', '16000', '-c', '1', '-t', 'f32', '-'], { maxBuffer: 1 << 30 });
const clip = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
const audio = new Float32Array(Math.round(seconds * 16000));
for (let offset = 0; offset < audio.length; offset += clip.length) audio.set(clip.subarray(0, audio.length - offset), offset);

const variants = ['silero_vad.onnx', 'silero_vad_16k_op15.onnx', 'silero_vad_op18_ifless.onnx', 'silero_vad_half.onnx'];
const probsByVariant = new Map<string, Float32Array>();
console.log(`node ${process.version}, ${seconds} s of ${file}, threads = 1, default = ${DEFAULT_SILERO_MODEL_FILE}`);
for (const variant of variants) {
  const vad = await SileroVad.create({ modelPath: bundledSileroModelPath(variant), threads: 1 });
  let best = Number.POSITIVE_INFINITY;
  let probs: Float32Array = new Float32Array(0);
  for (let run = 0; run < 3; run++) {
    vad.reset();
    const t0 = process.hrtime.bigint();
    probs = await vad.probabilities(audio);
    const elapsedS = Number(process.hrtime.bigint() - t0) / 1e9;
    if (run > 0) best = Math.min(best, elapsedS);
  }
  await vad.release();
  probsByVariant.set(variant, probs);
  const reference = probsByVariant.get('silero_vad.onnx') ?? probs;
  let maxDiff = 0;
  for (let i = 0; i < probs.length; i++) maxDiff = Math.max(maxDiff, Math.abs(probs[i] - reference[i]));
  console.log(
    `${variant.padEnd(30)} ${(probs.length / best).toFixed(0).padStart(6)} windows/s ` +
      `${((best / probs.length) * 1e6).toFixed(1).padStart(6)} µs/window ${(seconds / best).toFixed(0).padStart(4)}× real time ` +
      `max |Δp| vs silero_vad.onnx ${maxDiff.toExponential(2)}`,
  );
}

{
  const vad = await SileroVad.create({ threads: 1 });
  let best = Number.POSITIVE_INFINITY;
  let segments = 0;
  for (let run = 0; run < 3; run++) {
    const stream = new VadSegmentStream(vad, validateVadOptions({}));
    const t0 = process.hrtime.bigint();
    segments = 0;
    for (let offset = 0; offset < audio.length; offset += 16000) segments += (await stream.push(audio.subarray(offset, offset + 16000))).length;
    segments += (await stream.finish()).length;
    const elapsedS = Number(process.hrtime.bigint() - t0) / 1e9;
    if (run > 0) best = Math.min(best, elapsedS);
  }
  await vad.release();
  console.log(`VadSegmentStream (default variant, 1 s chunks): ${(seconds / best).toFixed(0)}× real time, ${segments} segments`);
}
