import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveFfmpeg } from '../audio/ffmpeg.ts';
import { ErrorCodes, TingxieError } from '../errors.ts';
import { buildMinutes, isIsoDate, minutesInputFromTranscription, parseMinutesInput, renderMinutesMarkdown } from '../minutes/index.ts';
import type { LlmSummaryConfig, MinutesInput, MinutesLanguageOption } from '../minutes/index.ts';
import { loadAsrModel } from '../models/asr-model.ts';
import { Transcriber } from '../pipeline/transcriber.ts';
import { DEFAULT_VAD_OPTIONS } from '../vad/segmenter.ts';
import { SileroVad } from '../vad/silero.ts';
import type { CliIo } from './io.ts';
import { resolveModelDir } from './model-location.ts';

export const MINUTES_HELP = `Usage: tingxie minutes FILE_OR_JSON [options]

Meeting minutes (summary, topics, decisions, action items with owners and due dates, transcript) from
a transcript JSON ("tingxie transcribe --format json", or {"segments":[{"start","end","text","speaker"}]}),
inline JSON, or an audio/video file (transcribed first). Local and deterministic by default.

Options:
  --date YYYY-MM-DD      meeting date; relative due dates (明天, 下周五, next Monday) resolve against it
  --format md|json       output (default md)
  --language auto|zh|en  headings and rules (default auto)
  --title TEXT           title (default: from the input)
  --model-path DIR       model for audio input (default: the installed default model)
  --llm-url URL          local OpenAI-compatible endpoint that rewrites the summary (loopback only)
  --llm-model NAME       model name sent to it (required with --llm-url)
  --allow-remote-llm     allow a non-loopback --llm-url (the transcript leaves this machine)
`;

const JSON_EXTENSIONS = new Set(['.json']);

function parseFormat(value: string): 'md' | 'json' {
  if (value === 'md' || value === 'markdown') return 'md';
  if (value === 'json') return 'json';
  throw new TingxieError(ErrorCodes.USAGE, `--format must be md or json, got "${value}".`, { field: 'format' });
}

function parseLanguage(value: string): MinutesLanguageOption {
  if (value === 'auto' || value === 'zh' || value === 'en') return value;
  throw new TingxieError(ErrorCodes.USAGE, `--language must be auto, zh or en, got "${value}".`, { field: 'language' });
}

function parseJsonText(text: string, source: string): MinutesInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new TingxieError(ErrorCodes.VALIDATION_FAILED, `${source} is not valid JSON: ${(error as Error).message}`, { field: 'input' });
  }
  return parseMinutesInput(value);
}

async function transcribeAudio(file: string, modelPath: string | undefined, io: CliIo): Promise<MinutesInput> {
  const modelDir = await resolveModelDir(modelPath, io);
  const ffmpeg = (() => {
    try {
      return resolveFfmpeg(io.env);
    } catch {
      return undefined; // WAV decodes natively; other formats report FFMPEG_NOT_FOUND when opened
    }
  })();
  const model = await loadAsrModel(modelDir, { threads: Math.max(1, Math.min(4, io.cpuCount)) });
  const vad = await SileroVad.create({ threads: 1 });
  try {
    const result = await new Transcriber({ model, vad }).transcribeFile(file, {
      language: 'auto',
      useItn: true,
      vad: true,
      vadOptions: DEFAULT_VAD_OPTIONS,
      audio: ffmpeg ? { ffmpeg, env: io.env } : { env: io.env },
    });
    return minutesInputFromTranscription(result);
  } finally {
    await vad.release();
    await model.release();
  }
}

/** `tingxie minutes`: transcript JSON or audio → minutes as Markdown or JSON on stdout. */
export async function minutesCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      date: { type: 'string' },
      format: { type: 'string', default: 'md' },
      language: { type: 'string', default: 'auto' },
      title: { type: 'string' },
      'model-path': { type: 'string' },
      'llm-url': { type: 'string' },
      'llm-model': { type: 'string' },
      'allow-remote-llm': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout.write(MINUTES_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new TingxieError(ErrorCodes.USAGE, 'Give one transcript JSON, inline JSON or audio file. Usage: tingxie minutes FILE_OR_JSON (see --help)');
  const format = parseFormat(values.format);
  const language = parseLanguage(values.language);
  if (values.date !== undefined && !isIsoDate(values.date)) throw new TingxieError(ErrorCodes.USAGE, `--date must be YYYY-MM-DD, got "${values.date}".`, { field: 'date' });
  if ((values['llm-url'] === undefined) !== (values['llm-model'] === undefined)) {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, '--llm-url and --llm-model go together.', { field: 'llm-model' });
  }
  const llm: LlmSummaryConfig | undefined =
    values['llm-url'] !== undefined && values['llm-model'] !== undefined
      ? { url: values['llm-url'], model: values['llm-model'], allowRemote: values['allow-remote-llm'] }
      : undefined;

  const argument = positionals[0]!;
  let input: MinutesInput;
  if (argument.trimStart().startsWith('{')) {
    input = parseJsonText(argument, 'The inline argument');
  } else {
    const file = resolve(io.cwd, argument);
    const bytes = await readFile(file).catch((error: unknown) => {
      throw new TingxieError(ErrorCodes.FILE_NOT_FOUND, `Cannot read ${argument}: ${(error as Error).message}`, { file: argument });
    });
    const looksJson = JSON_EXTENSIONS.has(extname(file).toLowerCase()) || /^\s*\{/.test(bytes.subarray(0, 64).toString('utf8'));
    input = looksJson ? parseJsonText(bytes.toString('utf8'), argument) : await transcribeAudio(file, values['model-path'], io);
  }

  const minutes = await buildMinutes(input, {
    ...(values.date !== undefined ? { date: values.date } : {}),
    ...(values.title !== undefined ? { title: values.title } : {}),
    language,
    ...(llm ? { llm } : {}),
  });
  for (const warning of minutes.warnings) io.stderr.write(`warning: ${warning}\n`);
  if (format === 'json') io.stdout.write(`${JSON.stringify(minutes, null, 2)}\n`);
  else io.stdout.write(renderMinutesMarkdown(minutes, { language: language === 'auto' ? minutes.language : language }));
  return 0;
}
