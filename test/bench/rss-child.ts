/**
 * Runs the real pipeline (streaming decode → Silero VAD → tone fixture) over one file and prints
 * its peak RSS as JSON. Started by test/bench/run.ts in its own process so the figure is the pipeline's.
 */
import { loadAsrModel } from '../../engine/src/models/asr-model.ts';
import { Transcriber } from '../../engine/src/pipeline/transcriber.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../../engine/src/vad/segmenter.ts';
import { SileroVad } from '../../engine/src/vad/silero.ts';
import { TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: rss-child.ts FILE');
const model = await loadAsrModel(TONE_FIXTURE_DIR, { threads: 1 });
const vad = await SileroVad.create({ threads: 1 });
const result = await new Transcriber({ model, vad }).transcribeFile(file, {
  language: 'auto',
  useItn: true,
  vad: true,
  vadOptions: validateVadOptions(DEFAULT_VAD_OPTIONS),
});
process.stdout.write(JSON.stringify({ maxRssMb: process.resourceUsage().maxRSS / 1024, segments: result.segments.length, durationS: result.durationS }) + '\n');
