import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveFfmpeg } from '../audio/ffmpeg.ts';
import { ErrorCodes, TingxieError, toTingxieError } from '../errors.ts';
import { loadAsrModel } from '../models/asr-model.ts';
import { loadCtTransformerPunctuator } from '../text/punctuation/ct-transformer.ts';
import { formatResult, parseOutputFormat, toJsonObject, type OutputFormat } from '../output/formats.ts';
import { Transcriber } from '../pipeline/transcriber.ts';
import { emptyHotwordList, mergeHotwordLists } from '../text/hotwords/list.ts';
import { loadSavedHotwords } from '../text/hotwords/saved.ts';
import { parseHotwordScore, readHotwordsArgument } from '../text/hotwords/source.ts';
import { resolveDataDir } from '../models/store/store.ts';
import { LANGUAGES, type Language, type TranscriptionResult } from '../pipeline/types.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../vad/segmenter.ts';
import { SileroVad } from '../vad/silero.ts';
import { createProgressReporter } from './progress.ts';
import type { CliIo } from './io.ts';
import { resolveModelDir } from './model-location.ts';

export const TRANSCRIBE_HELP = `Usage: tingxie transcribe FILE... [options]

Transcribes audio or video files (WAV, MP3, M4A/AAC, FLAC, OGG/Opus, WebM, MP4, ...).

Options:
  --model-path DIR      model folder (default: the installed default model)
  --language L          auto | zh | en | ja | ko | yue   (default auto)
  --no-itn              ask the model for spoken-form text (no inverse text normalization)
  --vad on|off          split speech with Silero VAD (default on); off decodes the whole file at once
  --max-segment S       longest VAD segment in seconds (default 30)
  --format F            txt | json | srt | vtt | csv   (default txt)
  --output DIR          write one file per input into DIR instead of printing
  --device D            cpu | cuda | cuda:N   (default cpu)
  --cuda-fallback       use the CPU when CUDA is unavailable instead of failing
  --threads N           CPU threads for the model (default: min(4, cores))
  --hotwords FILE|LIST  bias decoding toward these words and fix homophones: a file (one per line,
                        "词 2" weights, "错=>对" replacements, or JSON) or an inline list "陈露,康辉"
  --no-saved-hotwords   ignore the saved list ("tingxie hotwords"); by default it is merged in
  --hotword-score S     boost per hotword token when a line gives no weight (default 1.5, max 5)
  --punctuation-model P add punctuation to text the model leaves without any (e.g. Paraformer), with a
                        CT-Transformer punctuation model (its model.onnx or folder); off by default
  --verbose             say which ffmpeg, model and device are used
`;

function parseLanguage(value: string): Language {
  if ((LANGUAGES as readonly string[]).includes(value)) return value as Language;
  throw new TingxieError(ErrorCodes.USAGE, `Unknown language "${value}". Use one of: ${LANGUAGES.join(', ')}.`, { field: 'language' });
}

function parsePositiveInt(value: string, field: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new TingxieError(ErrorCodes.USAGE, `--${field} must be a positive whole number, got "${value}".`, { field });
  return n;
}

function parseVad(value: string): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new TingxieError(ErrorCodes.USAGE, `--vad must be "on" or "off", got "${value}".`, { field: 'vad' });
}

export async function transcribeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      'model-path': { type: 'string' },
      language: { type: 'string', default: 'auto' },
      'no-itn': { type: 'boolean', default: false },
      vad: { type: 'string', default: 'on' },
      'max-segment': { type: 'string' },
      format: { type: 'string', default: 'txt' },
      output: { type: 'string' },
      device: { type: 'string', default: 'cpu' },
      'cuda-fallback': { type: 'boolean', default: false },
      threads: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      hotwords: { type: 'string' },
      'hotword-score': { type: 'string' },
      'no-saved-hotwords': { type: 'boolean', default: false },
      'punctuation-model': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(TRANSCRIBE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new TingxieError(ErrorCodes.USAGE, 'No input files. Usage: tingxie transcribe FILE... (see --help)');

  const language = parseLanguage(values.language);
  const format: OutputFormat = parseOutputFormat(values.format);
  const useVad = parseVad(values.vad);
  const threads = values.threads ? parsePositiveInt(values.threads, 'threads') : Math.max(1, Math.min(4, io.cpuCount));
  const vadOptions = validateVadOptions({
    ...DEFAULT_VAD_OPTIONS,
    ...(values['max-segment'] ? { maxSegmentS: Number(values['max-segment']) } : {}),
  });

  const ffmpeg = (() => {
    try {
      return resolveFfmpeg(io.env);
    } catch (error) {
      // Native WAV decoding works without ffmpeg; other formats report FFMPEG_NOT_FOUND when opened.
      if (values.verbose) io.stderr.write(`ffmpeg: ${toTingxieError(error).message}\n`);
      return undefined;
    }
  })();
  if (values.verbose && ffmpeg) io.stderr.write(`ffmpeg: ${ffmpeg.path} (found via ${ffmpeg.source})\n`);

  const modelDir = await resolveModelDir(values['model-path'], io);
  // The saved list applies to every run; --hotwords adds to it (and wins for the same phrase).
  const savedHotwords = values['no-saved-hotwords'] ? emptyHotwordList() : await loadSavedHotwords(resolveDataDir(io.env, io.homeDir));
  const requestHotwords = values.hotwords !== undefined ? await readHotwordsArgument(values.hotwords) : emptyHotwordList();
  const mergedHotwords = mergeHotwordLists(savedHotwords, requestHotwords);
  const hotwords = mergedHotwords.hotwords.length + mergedHotwords.replacements.length > 0 ? mergedHotwords : undefined;
  const hotwordScore = values['hotword-score'] !== undefined ? parseHotwordScore(values['hotword-score']) : undefined;
  // Loaded first, so a bad path fails before the (larger) speech model is loaded.
  const punctuation = values['punctuation-model'] !== undefined ? await loadCtTransformerPunctuator(values['punctuation-model'], { threads: 1 }) : null;
  const model = await loadAsrModel(modelDir, {
    device: values.device,
    threads,
    onCudaUnavailable: values['cuda-fallback'] ? 'cpu' : 'fail',
  });
  if (values.verbose || model.device !== values.device) {
    io.stderr.write(`model: ${model.family} ${model.modelFile} on ${model.device}${model.isFixture ? ' (TEST FIXTURE, not a speech model)' : ''}\n`);
  }
  for (const skipped of hotwords ? (model.compileHotwords?.(hotwords).skipped ?? []) : []) {
    io.stderr.write(`hotwords: "${skipped.phrase}" cannot be spelled with this model's tokens (${skipped.reason}); used for text correction only\n`);
  }
  const vad = useVad ? await SileroVad.create({ threads: 1 }) : null;
  const transcriber = new Transcriber({ model, vad, punctuation });

  if (values.output) await mkdir(values.output, { recursive: true });
  const progress = createProgressReporter(io.stderrStream, 's');
  const results: TranscriptionResult[] = [];
  let failures = 0;
  try {
    for (const file of positionals) {
      progress.start(basename(file), null);
      try {
        const result = await transcriber.transcribeFile(file, {
          language,
          useItn: !values['no-itn'],
          ...(hotwords ? { hotwords } : {}),
          ...(hotwordScore !== undefined ? { hotwordScore } : {}),
          vad: useVad,
          vadOptions,
          audio: ffmpeg ? { ffmpeg, env: io.env } : { env: io.env },
          onProgress: (p) => progress.update(p.processedS, p.totalS),
        });
        progress.stop();
        if (values.output) {
          const target = join(values.output, `${basename(file, extname(file))}.${format}`);
          await writeFile(target, formatResult(result, format));
          io.stderr.write(`${file} → ${target}\n`);
        } else if (format === 'json') {
          results.push(result);
        } else {
          if (positionals.length > 1 && format === 'txt') io.stdout.write(`# ${file}\n`);
          io.stdout.write(formatResult(result, format));
        }
      } catch (error) {
        progress.stop();
        const typed = toTingxieError(error);
        io.stderr.write(`error[${typed.code}] ${file}: ${typed.message}\n`);
        failures += 1;
      }
    }
    if (!values.output && format === 'json' && results.length > 0) {
      const objects = results.map(toJsonObject);
      io.stdout.write(JSON.stringify(positionals.length === 1 ? objects[0] : objects, null, 2) + '\n');
    }
  } finally {
    await vad?.release();
    await model.release();
    await punctuation?.release();
  }
  return failures === 0 ? 0 : 1;
}
