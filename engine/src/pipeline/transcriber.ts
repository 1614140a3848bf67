import { basename } from 'node:path';
import { openAudioStream, type OpenAudioOptions } from '../audio/decode.ts';
import { TARGET_SAMPLE_RATE } from '../audio/types.ts';
import { ErrorCodes, TingxieError } from '../errors.ts';
import type { AsrModel, RecognitionResult } from '../models/asr-model.ts';
import type { HotwordList } from '../text/hotwords/list.ts';
import { VadSegmentStream, type SpeechSegment, type VadOptions, type VadStats } from '../vad/segmenter.ts';
import type { SileroVad } from '../vad/silero.ts';
import { finalizeSegmentText } from '../text/postprocess.ts';
import type { TextPunctuator } from '../text/punctuation/ct-transformer.ts';
import { dominantLanguage, joinSegmentTexts } from './assemble.ts';
import type { Language, TranscribeProgress, TranscriptionResult, TranscriptSegment } from './types.ts';

/** Longest input decoded in one model call when VAD is off (SenseVoice-class models degrade on very long inputs). */
export const MAX_WHOLE_FILE_S = 600;

export interface TranscribeOptions {
  language: Language;
  /** Ask the model for written form and apply Tingxie's ITN on top; off keeps the spoken form. */
  useItn: boolean;
  /** Run Silero VAD and decode speech segments; off decodes the whole file in one call. */
  vad: boolean;
  vadOptions: VadOptions;
  onProgress?: (progress: TranscribeProgress) => void;
  signal?: AbortSignal;
  audio?: OpenAudioOptions;
  /** Hotwords for contextual biasing and homophone correction (see RecognizeOptions.hotwords). */
  hotwords?: HotwordList;
  /** Per-token boost of hotwords without a weight (default 1.5). */
  hotwordScore?: number;
}

export interface TranscriberDeps {
  model: AsrModel;
  /** Required when transcribing with VAD on. */
  vad: SileroVad | null;
  /**
   * Optional punctuation model (CT-Transformer, opt-in): adds punctuation to segments whose recognised
   * text has none (models such as Paraformer emit none). Absent or null: text as the model gave it.
   */
  punctuation?: TextPunctuator | null;
}

/** Sentence punctuation in either width; a segment with any of it is left alone. */
const SENTENCE_PUNCTUATION = /[，。？！、；：,.?!;:]/;

/** Whether the punctuation post-step applies to a recognised text: non-empty and without punctuation. */
export function needsPunctuation(text: string): boolean {
  return text.trim().length > 0 && !SENTENCE_PUNCTUATION.test(text);
}

/** `text` with punctuation added when there is a punctuator and the text has none; otherwise `text` unchanged. */
export async function punctuateIfNeeded(punctuator: TextPunctuator | null, text: string): Promise<string> {
  if (!punctuator || !needsPunctuation(text)) return text;
  return punctuator.addPunctuation(text.trim());
}

/**
 * Runs the pipeline for one input at a time: decode (streaming) → VAD segments (≤ maxSegmentS) → model → text.
 * With VAD on only the open segment's audio is held in memory, so hour-long files stream through.
 */
export class Transcriber {
  readonly #model: AsrModel;
  readonly #vad: SileroVad | null;
  readonly #punctuation: TextPunctuator | null;

  constructor(deps: TranscriberDeps) {
    this.#model = deps.model;
    this.#vad = deps.vad;
    this.#punctuation = deps.punctuation ?? null;
  }

  async transcribeFile(filePath: string, opts: TranscribeOptions): Promise<TranscriptionResult> {
    const stream = await openAudioStream(filePath, { ...opts.audio, signal: opts.signal });
    const totalS = stream.info.durationS;
    const segments: TranscriptSegment[] = [];
    let processedSamples = 0;
    let vadStats: VadStats | null = null;

    const report = (): void => opts.onProgress?.({ processedS: processedSamples / TARGET_SAMPLE_RATE, totalS });

    if (opts.vad) {
      const vad = this.#vad;
      if (!vad) throw new TingxieError(ErrorCodes.INTERNAL, 'VAD is on but no VAD model was loaded.');
      const speech = new VadSegmentStream(vad, opts.vadOptions);
      for await (const chunk of stream.chunks) {
        this.#throwIfAborted(opts.signal);
        for (const segment of await speech.push(chunk)) segments.push(await this.#decodeSegment(segment, opts));
        processedSamples += chunk.length;
        report();
      }
      for (const segment of await speech.finish()) segments.push(await this.#decodeSegment(segment, opts));
      vadStats = speech.stats();
    } else {
      const chunks: Float32Array[] = [];
      for await (const chunk of stream.chunks) {
        this.#throwIfAborted(opts.signal);
        chunks.push(chunk);
        processedSamples += chunk.length;
        if (processedSamples > MAX_WHOLE_FILE_S * TARGET_SAMPLE_RATE) {
          throw new TingxieError(
            ErrorCodes.CONFIG_INVALID,
            `With --vad off the whole file is decoded in one pass, which is limited to ${MAX_WHOLE_FILE_S / 60} minutes. Use --vad on for longer recordings.`,
            { field: 'vad' },
          );
        }
        report();
      }
      const samples = concat(...chunks);
      const result = await this.#model.recognize(samples, { language: opts.language, useItn: opts.useItn, hotwords: opts.hotwords, hotwordScore: opts.hotwordScore });
      const durationS = samples.length / TARGET_SAMPLE_RATE;
      if (result.tokens.length > 0) segments.push(toSegment(result, 0, durationS, opts, await punctuateIfNeeded(this.#punctuation, result.text)));
    }

    const durationS = processedSamples / TARGET_SAMPLE_RATE;
    const spoken = segments.filter((segment) => segment.rawText.length > 0);
    return {
      file: filePath,
      durationS,
      language: dominantLanguage(spoken) ?? (opts.language === 'auto' ? null : opts.language),
      text: joinSegmentTexts(spoken.map((segment) => segment.text)),
      rawText: joinSegmentTexts(spoken.map((segment) => segment.rawText)),
      segments: spoken,
      vad: vadStats,
      model: {
        family: this.#model.family,
        dir: this.#model.dir,
        file: basename(this.#model.modelFile),
        device: this.#model.device,
        fixture: this.#model.isFixture,
      },
    };
  }

  async #decodeSegment(segment: SpeechSegment, opts: TranscribeOptions): Promise<TranscriptSegment> {
    this.#throwIfAborted(opts.signal);
    const result = await this.#model.recognize(segment.samples, { language: opts.language, useItn: opts.useItn, hotwords: opts.hotwords, hotwordScore: opts.hotwordScore });
    return toSegment(result, segment.startS, segment.endS, opts, await punctuateIfNeeded(this.#punctuation, result.text));
  }

  #throwIfAborted(signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw new TingxieError(ErrorCodes.ABORTED, 'Transcription was cancelled.');
  }
}

/** `text`: the recognised text after the optional punctuation step (rawText stays the model's). */
function toSegment(result: RecognitionResult, startS: number, endS: number, opts: TranscribeOptions, text: string = result.text): TranscriptSegment {
  const language = result.language ?? (opts.language === 'auto' ? null : opts.language);
  return {
    startS,
    endS,
    text: finalizeSegmentText(text, { itn: opts.useItn, language }),
    rawText: result.text,
    language: result.language,
    emotion: result.emotion,
    event: result.event,
    tokens: result.tokens,
    timestamps: result.timestamps.map((t) => startS + t),
  };
}

function concat(...parts: Float32Array[]): Float32Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Float32Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
