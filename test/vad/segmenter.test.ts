import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';
import {
  DEFAULT_VAD_OPTIONS,
  MIN_SPLIT_PAUSE_MS,
  SpeechSegmenter,
  validateVadOptions,
  type SpeechSegment,
  type VadOptions,
  type VadStats,
} from '../../engine/src/vad/segmenter.ts';

const W = 512;
const SR = 16000;
const SPEECH = 0.9;
const SILENCE = 0.05;

/** Options converted to samples the way the segmenter documents them. */
function samplesOf(opts: VadOptions): { pad: number; minSpeech: number; minSilence: number; maxRaw: number; maxSegment: number; closeWindows: number } {
  const pad = Math.round(opts.speechPadMs * 16);
  const minSilence = Math.round(opts.minSilenceMs * 16);
  return {
    pad,
    minSpeech: Math.round(opts.minSpeechMs * 16),
    minSilence,
    maxRaw: Math.floor(opts.maxSegmentS * SR) - 2 * pad,
    maxSegment: Math.floor(opts.maxSegmentS * SR),
    // Silent windows needed to end a segment.
    closeWindows: Math.max(1, Math.ceil(minSilence / W)),
  };
}

function options(overrides: Partial<VadOptions> = {}): VadOptions {
  return validateVadOptions(overrides);
}

/** Probabilities from runs of [windows, probability]. */
function probsOf(runs: Array<[number, number]>): Float32Array {
  const out: number[] = [];
  for (const [count, p] of runs) for (let i = 0; i < count; i++) out.push(p);
  return Float32Array.from(out);
}

/** audio[k] = k, so every segment's samples reveal exactly which input samples it holds (exact below 2^24). */
function rampAudio(length: number): Float32Array {
  const audio = new Float32Array(length);
  for (let k = 0; k < length; k++) audio[k] = k;
  return audio;
}

interface Run {
  segments: SpeechSegment[];
  stats: VadStats;
  maxBuffered: number;
  segmenter: SpeechSegmenter;
}

/** Feeds probs/audio in chunks of `chunkWindows` windows (cycling through the list), then finishes. */
function run(opts: VadOptions, probs: Float32Array, audio: Float32Array = rampAudio(probs.length * W), chunkWindows: number[] = [probs.length]): Run {
  const segmenter = new SpeechSegmenter(opts);
  const segments: SpeechSegment[] = [];
  let maxBuffered = 0;
  let window = 0;
  for (let c = 0; window < probs.length; c++) {
    const count = Math.min(chunkWindows[c % chunkWindows.length], probs.length - window);
    const chunkAudio = audio.subarray(window * W, Math.min((window + count) * W, audio.length));
    segments.push(...segmenter.push(chunkAudio, probs.subarray(window, window + count)));
    maxBuffered = Math.max(maxBuffered, segmenter.bufferedSamples);
    window += count;
  }
  segments.push(...segmenter.finish());
  return { segments, stats: segmenter.stats(), maxBuffered, segmenter };
}

function assertSamplesMatch(segment: SpeechSegment, audio: Float32Array): void {
  assert.equal(segment.samples.length, segment.endSample - segment.startSample);
  assert.deepEqual(segment.samples, audio.subarray(segment.startSample, segment.endSample));
  assert.equal(segment.startS, segment.startSample / SR);
  assert.equal(segment.endS, segment.endSample / SR);
}

function bounds(segments: SpeechSegment[]): Array<[number, number]> {
  return segments.map((s) => [s.startSample, s.endSample]);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('validateVadOptions', () => {
  it('fills defaults, including negThreshold = threshold − 0.15 (at least 0.01)', () => {
    const resolved = validateVadOptions({});
    assert.deepEqual(resolved, { ...DEFAULT_VAD_OPTIONS, negThreshold: DEFAULT_VAD_OPTIONS.threshold - 0.15 });
    assert.equal(validateVadOptions({ threshold: 0.8 }).negThreshold, 0.8 - 0.15);
    assert.equal(validateVadOptions({ threshold: 0.1 }).negThreshold, 0.01);
    assert.equal(validateVadOptions({ threshold: 0.6, negThreshold: 0.2 }).negThreshold, 0.2);
    // Idempotent on its own output.
    assert.deepEqual(validateVadOptions(resolved), resolved);
  });

  const bad: Array<[string, Record<string, unknown>]> = [
    ['threshold', { threshold: 0 }],
    ['threshold', { threshold: 1.5 }],
    ['threshold', { threshold: Number.NaN }],
    ['threshold', { threshold: '0.5' }],
    ['negThreshold', { threshold: 0.5, negThreshold: 0.6 }],
    ['negThreshold', { negThreshold: -0.1 }],
    ['minSpeechMs', { minSpeechMs: -1 }],
    ['minSilenceMs', { minSilenceMs: Number.POSITIVE_INFINITY }],
    ['speechPadMs', { speechPadMs: -5 }],
    ['maxSegmentS', { maxSegmentS: 0 }],
    ['maxSegmentS', { maxSegmentS: 0.2, speechPadMs: 30 }],
    ['windowSamples', { windowSamples: 256 }],
    ['sampleRate', { sampleRate: 8000 }],
    ['treshold', { treshold: 0.5 }],
  ];
  for (const [field, input] of bad) {
    it(`rejects ${JSON.stringify(input)} naming ${field}`, () => {
      assert.throws(
        () => validateVadOptions(input as Partial<VadOptions>),
        (error: unknown) => error instanceof TingxieError && error.code === ErrorCodes.CONFIG_INVALID && error.detail?.field === field && error.message.includes(field),
      );
    });
  }
});

describe('SpeechSegmenter basics', () => {
  it('one burst → one padded segment, emitted as soon as the pause reaches minSilence', () => {
    const opts = options();
    const { pad, closeWindows } = samplesOf(opts);
    const probs = probsOf([[20, SILENCE], [30, SPEECH], [40, SILENCE]]);
    const audio = rampAudio(probs.length * W);
    const speechEnd = 50; // window index where the pause begins

    const segmenter = new SpeechSegmenter(opts);
    // Everything up to one window before the pause is long enough: nothing final yet.
    const early = segmenter.push(audio.subarray(0, (speechEnd + closeWindows - 1) * W), probs.subarray(0, speechEnd + closeWindows - 1));
    assert.deepEqual(early, []);
    const onClose = segmenter.push(audio.subarray((speechEnd + closeWindows - 1) * W, (speechEnd + closeWindows) * W), probs.subarray(speechEnd + closeWindows - 1, speechEnd + closeWindows));
    assert.equal(onClose.length, 1);
    assert.deepEqual(bounds(onClose), [[20 * W - pad, speechEnd * W + pad]]);
    assertSamplesMatch(onClose[0], audio);
    const rest = segmenter.push(audio.subarray((speechEnd + closeWindows) * W), probs.subarray(speechEnd + closeWindows));
    assert.deepEqual([...rest, ...segmenter.finish()], []);
  });

  it('a pause shorter than minSilence keeps one segment; one that long splits it', () => {
    const opts = options();
    const { pad, closeWindows } = samplesOf(opts);
    const short = run(opts, probsOf([[10, SILENCE], [20, SPEECH], [closeWindows - 1, SILENCE], [20, SPEECH], [30, SILENCE]]));
    assert.deepEqual(bounds(short.segments), [[10 * W - pad, (30 + closeWindows - 1 + 20) * W + pad]]);

    const long = run(opts, probsOf([[10, SILENCE], [20, SPEECH], [closeWindows, SILENCE], [20, SPEECH], [30, SILENCE]]));
    const secondStart = 30 + closeWindows;
    assert.deepEqual(bounds(long.segments), [
      [10 * W - pad, 30 * W + pad],
      [secondStart * W - pad, (secondStart + 20) * W + pad],
    ]);
  });

  it('hysteresis: values between negThreshold and threshold neither start nor end speech', () => {
    const opts = options();
    const { pad, closeWindows } = samplesOf(opts);
    const between = (opts.threshold + (opts.negThreshold ?? 0)) / 2;
    // In silence, a long stretch just under threshold never starts a segment.
    assert.deepEqual(run(opts, probsOf([[100, between]])).segments, []);
    // In speech, a long stretch of it does not end the segment; and silence interrupted by it still counts as
    // one pause (the pause only ends at p ≥ threshold).
    const probs = probsOf([[5, SILENCE], [10, SPEECH], [closeWindows * 3, between], [10, SPEECH], [2, SILENCE], [closeWindows, between], [40, SILENCE]]);
    const result = run(opts, probs);
    const pauseStart = 5 + 10 + closeWindows * 3 + 10;
    assert.deepEqual(bounds(result.segments), [[5 * W - pad, pauseStart * W + pad]]);
  });

  it('drops segments shorter than minSpeech and keeps those exactly that long', () => {
    // The default, and a minSpeech of exactly 8 windows (256 ms) to pin the boundary.
    for (const opts of [options(), options({ minSpeechMs: (8 * W * 1000) / SR })]) {
      const { pad, minSpeech } = samplesOf(opts);
      const keepWindows = Math.ceil(minSpeech / W);
      assert.deepEqual(run(opts, probsOf([[10, SILENCE], [keepWindows - 1, SPEECH], [40, SILENCE]])).segments, []);
      const kept = run(opts, probsOf([[10, SILENCE], [keepWindows, SPEECH], [40, SILENCE]]));
      assert.deepEqual(bounds(kept.segments), [[10 * W - pad, (10 + keepWindows) * W + pad]]);
    }
  });

  it('clamps padding to the stream start and end (end may be a partial window)', () => {
    const opts = options({ speechPadMs: 100 });
    const { pad } = samplesOf(opts);
    assert.ok(pad > W, 'padding reaches past the first window');
    const probs = probsOf([[30, SPEECH], [20, SILENCE], [30, SPEECH]]);
    const total = (probs.length - 1) * W + 100; // last window is partial
    const audio = rampAudio(total);
    const result = run(opts, probs, audio, [7]);
    assert.deepEqual(bounds(result.segments), [
      [0, 30 * W + pad],
      [50 * W - pad, total],
    ]);
    for (const segment of result.segments) assertSamplesMatch(segment, audio);
    assert.equal(result.stats.durationS, total / SR);
  });

  it('neighbours closer than 2·pad split the gap in half and touch without overlapping', () => {
    const opts = options({ speechPadMs: 200, minSilenceMs: 100 });
    const { pad, closeWindows } = samplesOf(opts);
    const gapWindows = closeWindows + 1;
    assert.ok(gapWindows * W < 2 * pad, 'the gap is shorter than two paddings');
    const probs = probsOf([[20, SILENCE], [20, SPEECH], [gapWindows, SILENCE], [20, SPEECH], [40, SILENCE]]);
    const audio = rampAudio(probs.length * W);
    const result = run(opts, probs, audio);
    const firstEnd = 40 * W;
    const secondStart = (40 + gapWindows) * W;
    const middle = firstEnd + Math.floor((secondStart - firstEnd) / 2);
    assert.deepEqual(bounds(result.segments), [
      [20 * W - pad, middle],
      [middle, secondStart + 20 * W + pad],
    ]);
    for (const segment of result.segments) assertSamplesMatch(segment, audio);
    assert.equal(result.stats.numPauses, 0, 'touching segments leave no pause');
  });

  it('a padded start never reaches back into the previous segment', () => {
    // X settles its end padding against the onset of Y, which is then dropped as too short; Z's start padding is
    // clamped to X's end instead of overlapping it.
    const opts = options({ speechPadMs: 200, minSilenceMs: 0 });
    const { pad, minSpeech } = samplesOf(opts);
    assert.ok(W < minSpeech && 3 * W < pad);
    const probs = probsOf([[10, SPEECH], [1, SILENCE], [1, SPEECH], [1, SILENCE], [10, SPEECH], [40, SILENCE]]);
    const audio = rampAudio(probs.length * W);
    const result = run(opts, probs, audio);
    const xEnd = 10 * W + Math.floor(W / 2);
    assert.deepEqual(bounds(result.segments), [
      [0, xEnd],
      [xEnd, 23 * W + pad],
    ]);
    for (const segment of result.segments) assertSamplesMatch(segment, audio);
  });

  it('rejects mismatched or out-of-order input', () => {
    const segmenter = new SpeechSegmenter(options());
    assert.throws(() => segmenter.push(new Float32Array(2 * W), new Float32Array(1)), TingxieError);
    segmenter.push(new Float32Array(W + 10), new Float32Array(2));
    assert.throws(() => segmenter.push(new Float32Array(W), new Float32Array(1)), /partial window/);
    segmenter.finish();
    assert.throws(() => segmenter.push(new Float32Array(W), new Float32Array(1)), /after finish/);
  });
});

describe('SpeechSegmenter maximum segment length', () => {
  const opts = options({ maxSegmentS: 4 });
  const { pad, maxRaw, maxSegment } = samplesOf(opts);
  const speechStart = 10; // window
  const rawStart = speechStart * W;
  // First window that would push the open segment past maxRaw; the cut is chosen among the windows before it.
  const overflowWindow = Math.floor((rawStart + maxRaw) / W);
  assert.ok((overflowWindow + 1) * W - rawStart > maxRaw && overflowWindow * W - rawStart <= maxRaw);
  const extentEnd = overflowWindow * W;
  const regionStart = rawStart + Math.ceil(((extentEnd - rawStart) * 2) / 3);
  const firstRegionWindow = Math.ceil(regionStart / W);

  it('cuts at the centre of the least-likely-speech window of the last third, ignoring lower dips earlier', () => {
    const probs = probsOf([[speechStart, SILENCE], [overflowWindow + 200 - speechStart, SPEECH], [40, SILENCE]]);
    const dip = firstRegionWindow + 7;
    probs[dip] = 0.6;
    probs[dip + 9] = 0.7;
    probs[speechStart + 5] = 0.52; // lower, but in the first two thirds
    const audio = rampAudio(probs.length * W);
    const result = run(opts, probs, audio);
    const cut = dip * W + W / 2;
    assert.equal(result.segments[0].startSample, rawStart - pad);
    assert.equal(result.segments[0].endSample, cut);
    assert.equal(result.segments[1].startSample, cut, 'the pieces touch: no audio lost');
    for (const segment of result.segments) {
      assert.ok(segment.endSample - segment.startSample <= maxSegment, `segment of ${segment.endSample - segment.startSample} samples`);
      assertSamplesMatch(segment, audio);
    }
    assert.equal(result.segments.at(-1)?.endSample, (overflowWindow + 200) * W + pad);
    assert.equal(result.stats.numPauses, 0);
  });

  it('with no dip at all (equal probabilities) cuts at the latest window, keeping the first piece as long as allowed', () => {
    const probs = probsOf([[speechStart, SILENCE], [overflowWindow + 20 - speechStart, SPEECH], [40, SILENCE]]);
    const result = run(opts, probs);
    const cut = (overflowWindow - 1) * W + W / 2;
    assert.deepEqual(bounds(result.segments), [
      [rawStart - pad, cut],
      [cut, (overflowWindow + 20) * W + pad],
    ]);
    assert.ok(cut - (rawStart - pad) <= maxSegment);
  });

  it('prefers the longest pause ≥ 98 ms in the last third and drops it from both pieces (except padding)', () => {
    const pauseWindows = Math.ceil((MIN_SPLIT_PAUSE_MS * 16) / W);
    const probs = probsOf([[speechStart, SILENCE], [overflowWindow + 60 - speechStart, SPEECH], [40, SILENCE]]);
    const pauseAt = firstRegionWindow + 3;
    for (let i = 0; i < pauseWindows; i++) probs[pauseAt + i] = 0.1;
    // A shorter pause later with even lower probabilities: too short to be a pause cut, and pauses win over dips.
    for (let i = 0; i < pauseWindows - 1; i++) probs[pauseAt + pauseWindows + 10 + i] = 0.0;
    // A longer pause before the last third is not used.
    for (let i = 0; i < pauseWindows + 2; i++) probs[speechStart + 20 + i] = 0.1;
    const audio = rampAudio(probs.length * W);
    const result = run(opts, probs, audio);
    assert.deepEqual(bounds(result.segments).slice(0, 2), [
      [rawStart - pad, pauseAt * W + pad],
      [(pauseAt + pauseWindows) * W - pad, (overflowWindow + 60) * W + pad],
    ]);
    for (const segment of result.segments) assertSamplesMatch(segment, audio);
    assert.equal(result.stats.numPauses, 1);
  });

  it('a pause still going on at the limit ends the segment there; the next onset starts a new one', () => {
    const pauseWindows = Math.ceil((MIN_SPLIT_PAUSE_MS * 16) / W) + 1;
    const pauseStart = overflowWindow - pauseWindows;
    const resume = overflowWindow + 2;
    assert.ok((resume - pauseStart) * W < samplesOf(opts).minSilence, 'the pause alone would not end the segment');
    const probs = probsOf([[speechStart, SILENCE], [pauseStart - speechStart, SPEECH], [resume - pauseStart, 0.1], [30, SPEECH], [40, SILENCE]]);
    const result = run(opts, probs);
    assert.deepEqual(bounds(result.segments), [
      [rawStart - pad, pauseStart * W + pad],
      [resume * W - pad, (resume + 30) * W + pad],
    ]);
  });

  it('splits 100 s of unbroken speech into touching pieces, none longer than maxSegmentS', () => {
    const longOpts = options();
    const longSamples = samplesOf(longOpts);
    const random = mulberry32(7);
    const speechWindows = Math.round((100 * SR) / W);
    const probs = new Float32Array(speechWindows + 50);
    for (let i = 0; i < speechWindows; i++) probs[i + 20] = longOpts.threshold + random() * (1 - longOpts.threshold);
    const audio = rampAudio(probs.length * W);
    const result = run(longOpts, probs, audio, [33]);
    assert.ok(result.segments.length >= 4);
    assert.equal(result.segments[0].startSample, 20 * W - longSamples.pad);
    assert.equal(result.segments.at(-1)?.endSample, (20 + speechWindows) * W + longSamples.pad);
    for (let i = 0; i < result.segments.length; i++) {
      const segment = result.segments[i];
      assert.ok(segment.endSample - segment.startSample <= longSamples.maxSegment);
      if (i > 0) assert.equal(segment.startSample, result.segments[i - 1].endSample);
      // Each cut is at the centre of the least-likely window of its piece's last third.
      if (i < result.segments.length - 1) {
        const cutWindow = (segment.endSample - W / 2) / W;
        assert.ok(Number.isInteger(cutWindow));
        const pieceRawStart = i === 0 ? 20 * W : segment.startSample;
        const overflow = Math.floor((pieceRawStart + longSamples.maxRaw) / W);
        const from = Math.ceil((pieceRawStart + Math.ceil(((overflow * W - pieceRawStart) * 2) / 3)) / W);
        let lowest = Number.POSITIVE_INFINITY;
        for (let w = from; w < overflow; w++) lowest = Math.min(lowest, probs[w]);
        assert.equal(probs[cutWindow], lowest);
      }
      assertSamplesMatch(segment, audio);
    }
    assert.ok(Math.abs(result.stats.speechS - (speechWindows * W + 2 * longSamples.pad) / SR) < 1e-9);
  });
});

describe('SpeechSegmenter stats', () => {
  it('reports duration, speech ratio, pauses and the longest silence from the segments', () => {
    const opts = options();
    const { pad } = samplesOf(opts);
    const probs = probsOf([[40, SILENCE], [30, SPEECH], [25, SILENCE], [20, SPEECH], [60, SILENCE], [15, SPEECH], [35, SILENCE]]);
    const result = run(opts, probs);
    const expected: Array<[number, number]> = [
      [40 * W - pad, 70 * W + pad],
      [95 * W - pad, 115 * W + pad],
      [175 * W - pad, 190 * W + pad],
    ];
    assert.deepEqual(bounds(result.segments), expected);
    const total = probs.length * W;
    const speech = expected.reduce((sum, [a, b]) => sum + b - a, 0);
    const silences = [expected[0][0], expected[1][0] - expected[0][1], expected[2][0] - expected[1][1], total - expected[2][1]];
    assert.equal(result.stats.durationS, total / SR);
    assert.ok(Math.abs(result.stats.speechS - speech / SR) < 1e-12);
    assert.ok(Math.abs(result.stats.speechRatio - speech / total) < 1e-12);
    assert.equal(result.stats.numSegments, 3);
    assert.equal(result.stats.numPauses, 2);
    assert.equal(result.stats.longestSilenceS, Math.max(...silences) / SR);
  });

  it('no speech: ratio 0 and the whole input is the longest silence; empty input is all zeros', () => {
    const result = run(options(), probsOf([[100, SILENCE]]));
    assert.deepEqual(result.stats, { durationS: (100 * W) / SR, speechS: 0, speechRatio: 0, numSegments: 0, numPauses: 0, longestSilenceS: (100 * W) / SR });
    const empty = new SpeechSegmenter(options());
    assert.deepEqual(empty.finish(), []);
    assert.deepEqual(empty.stats(), { durationS: 0, speechS: 0, speechRatio: 0, numSegments: 0, numPauses: 0, longestSilenceS: 0 });
  });
});

describe('SpeechSegmenter streaming', () => {
  /** ~90 s of random speech/silence runs with values in every band, ending in a partial window. */
  function randomInput(seed: number): { probs: Float32Array; audio: Float32Array } {
    const random = mulberry32(seed);
    const values: number[] = [];
    while (values.length < (90 * SR) / W) {
      const speech = random() < 0.5;
      const length = 1 + Math.floor(random() * (speech ? 400 : 30));
      for (let i = 0; i < length; i++) {
        const r = random();
        values.push(speech ? (r < 0.85 ? 0.5 + 0.5 * random() : random()) : r < 0.9 ? 0.4 * random() : random());
      }
    }
    const probs = Float32Array.from(values);
    return { probs, audio: rampAudio((probs.length - 1) * W + 333) };
  }

  it('gives identical segments and stats whatever the chunk sizes', () => {
    const opts = options({ maxSegmentS: 5, speechPadMs: 150, minSilenceMs: 100 });
    for (const seed of [1, 2, 3]) {
      const { probs, audio } = randomInput(seed);
      const reference = run(opts, probs, audio);
      assert.ok(reference.segments.length > 10, 'the input exercises many segments');
      for (const segment of reference.segments) {
        assertSamplesMatch(segment, audio);
        assert.ok(segment.endSample - segment.startSample <= samplesOf(opts).maxSegment);
      }
      const random = mulberry32(seed + 100);
      const randomSizes = Array.from({ length: 64 }, () => 1 + Math.floor(random() * 50));
      for (const sizes of [[1], [7], [100], randomSizes]) {
        const chunked = run(opts, probs, audio, sizes);
        assert.deepEqual(chunked.segments, reference.segments, `chunks of ${sizes.length === 1 ? sizes[0] : 'random sizes'}`);
        assert.deepEqual(chunked.stats, reference.stats);
      }
    }
  });

  it('holds bounded audio over 10 minutes of speech/silence with an over-long utterance', () => {
    const opts = options();
    const { pad, maxSegment } = samplesOf(opts);
    const runs: Array<[number, number]> = [];
    let windows = 0;
    const secondsToWindows = (s: number): number => Math.round((s * SR) / W);
    while (windows < secondsToWindows(600)) {
      const speech = windows > secondsToWindows(200) && windows < secondsToWindows(210) ? 95 : 5; // one 95 s utterance
      runs.push([secondsToWindows(speech), SPEECH], [secondsToWindows(2), SILENCE]);
      windows += secondsToWindows(speech) + secondsToWindows(2);
    }
    runs.push([secondsToWindows(10), SILENCE]);
    const probs = probsOf(runs);
    const audio = rampAudio(probs.length * W);
    assert.ok(audio.length < 2 ** 24, 'ramp values stay exact in float32');

    const oneSecond = Math.round(SR / W);
    const result = run(opts, probs, audio, [oneSecond]);
    const bound = maxSegment + pad + W;
    assert.ok(result.maxBuffered <= bound, `held ${result.maxBuffered} samples, bound ${bound}`);
    assert.ok(result.maxBuffered >= secondsToWindows(25) * W, 'the long utterance really was held while open');
    // Every speech run gives a segment, and the 95 s one at least ceil(95 / 30) = 4.
    const speechRuns = runs.filter(([, p]) => p === SPEECH).length;
    assert.ok(result.segments.length >= speechRuns + 3, `${result.segments.length} segments from ${speechRuns} speech runs`);
    for (const segment of result.segments) {
      assert.ok(segment.endSample - segment.startSample <= maxSegment);
      assertSamplesMatch(segment, audio);
    }

    // One giant push: per-window retention keeps the buffer small even though the chunk is 10 minutes.
    const segmenter = new SpeechSegmenter(opts);
    segmenter.push(audio, probs);
    assert.ok(segmenter.bufferedSamples <= pad, `after trailing silence only the pre-roll stays (${segmenter.bufferedSamples})`);
    segmenter.finish();
    assert.equal(segmenter.bufferedSamples, 0);
  });
});
