import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import {
  DEFAULT_FBANK_OPTIONS,
  FLT_EPSILON,
  FbankComputer,
  computeFbank,
  numFbankFrames,
  validateFbankOptions,
  type FbankOptions,
  type FeatureMatrix,
  type WindowType,
} from '../../engine/src/features/fbank.ts';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';

const LOG_EPS = Math.log(1.1920928955078125e-7); // log(FLT_EPSILON) ≈ −15.942385

/** Deterministic uniform noise in [−amplitude, amplitude). */
function noise(length: number, seed: number, amplitude = 0.5): Float32Array {
  const out = new Float32Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 2 ** 32 - 0.5) * 2 * amplitude;
  }
  return out;
}

function tone(freqHz: number, seconds: number, amplitude = 0.5, sampleRate = 16000): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * freqHz * i) / sampleRate);
  return out;
}

/**
 * Slow, obviously-correct fbank written from the Kaldi recipe, independent of the engine code: every frame is
 * copied (reflecting at the edges without snipEdges), processed step by step, transformed with a direct DFT, and
 * multiplied by a dense mel matrix. Everything is in float64.
 */
function referenceFbank(samples: Float32Array, opts: FbankOptions): FeatureMatrix {
  const sr = opts.sampleRate;
  const frameLength = Math.round((sr * opts.frameLengthMs) / 1000);
  const frameShift = Math.round((sr * opts.frameShiftMs) / 1000);
  let fftSize = frameLength;
  if (opts.roundToPowerOfTwo) {
    fftSize = 1;
    while (fftSize < frameLength) fftSize *= 2;
  }
  const n = samples.length;
  const numFrames = opts.snipEdges
    ? n < frameLength
      ? 0
      : 1 + Math.floor((n - frameLength) / frameShift)
    : Math.floor((n + Math.floor(frameShift / 2)) / frameShift);

  const window: number[] = [];
  for (let i = 0; i < frameLength; i++) {
    const phase = (2 * Math.PI * i) / (frameLength - 1);
    const windows: Record<WindowType, number> = {
      povey: Math.pow(0.5 - 0.5 * Math.cos(phase), 0.85),
      hamming: 0.54 - 0.46 * Math.cos(phase),
      hanning: 0.5 - 0.5 * Math.cos(phase),
      hann: 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / frameLength),
      sine: Math.sin(phase / 2),
      rectangular: 1,
      blackman: 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase),
    };
    window.push(windows[opts.windowType]);
  }

  const mel = (f: number): number => 1127 * Math.log(1 + f / 700);
  const highFreq = opts.highFreq > 0 ? opts.highFreq : sr / 2 + opts.highFreq;
  const melLow = mel(opts.lowFreq);
  const melHigh = mel(highFreq);
  const delta = (melHigh - melLow) / (opts.numBins + 1);
  const numFftBins = fftSize / 2;
  const melMatrix: number[][] = [];
  for (let b = 0; b < opts.numBins; b++) {
    const left = melLow + b * delta;
    const center = left + delta;
    const right = center + delta;
    const row: number[] = [];
    for (let k = 0; k < numFftBins; k++) {
      const m = mel((k * sr) / fftSize);
      let w = 0;
      if (m > left && m < right) w = m <= center ? (m - left) / (center - left) : (right - m) / (right - center);
      row.push(w);
    }
    // HTK compatibility reproduces an HTK bug: the first weight of the first filter is zeroed.
    if (opts.htkCompat && b === 0 && melLow !== 0) row[row.findIndex((w) => w > 0)] = 0;
    melMatrix.push(row);
  }

  const dim = opts.numBins + (opts.useEnergy ? 1 : 0);
  const data = new Float32Array(numFrames * dim);
  for (let f = 0; f < numFrames; f++) {
    const start = opts.snipEdges ? f * frameShift : f * frameShift + Math.floor(frameShift / 2) - Math.floor(frameLength / 2);
    const x: number[] = [];
    for (let i = 0; i < frameLength; i++) {
      let s = start + i;
      while (s < 0 || s >= n) s = s < 0 ? -s - 1 : 2 * n - 1 - s;
      x.push(samples[s] * opts.sampleScale);
    }
    if (opts.removeDcOffset) {
      const mean = x.reduce((a, v) => a + v, 0) / frameLength;
      for (let i = 0; i < frameLength; i++) x[i] -= mean;
    }
    let frameEnergy = x.reduce((a, v) => a + v * v, 0);
    for (let i = frameLength - 1; i > 0; i--) x[i] -= opts.preemphCoeff * x[i - 1];
    x[0] -= opts.preemphCoeff * x[0];
    for (let i = 0; i < frameLength; i++) x[i] *= window[i];
    if (!opts.rawEnergy) frameEnergy = x.reduce((a, v) => a + v * v, 0);
    const power: number[] = [];
    for (let k = 0; k < numFftBins; k++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < frameLength; t++) {
        const angle = (-2 * Math.PI * ((k * t) % fftSize)) / fftSize;
        re += x[t] * Math.cos(angle);
        im += x[t] * Math.sin(angle);
      }
      power.push(opts.usePower ? re * re + im * im : Math.hypot(re, im));
    }
    const row = f * dim;
    const melColumn = opts.useEnergy && !opts.htkCompat ? row + 1 : row;
    for (let b = 0; b < opts.numBins; b++) {
      let energy = 0;
      for (let k = 0; k < numFftBins; k++) energy += melMatrix[b][k] * power[k];
      if (opts.htkCompat) energy = Math.max(energy, 1);
      data[melColumn + b] = opts.useLog ? Math.log(Math.max(energy, FLT_EPSILON)) : energy;
    }
    if (opts.useEnergy) {
      let logEnergy = Math.log(Math.max(frameEnergy, FLT_EPSILON));
      if (opts.energyFloor > 0) logEnergy = Math.max(logEnergy, Math.log(opts.energyFloor));
      data[opts.htkCompat ? row + opts.numBins : row] = logEnergy;
    }
  }
  return { data, numFrames, dim };
}

function assertClose(actual: FeatureMatrix, expected: FeatureMatrix, tolerance: number, label: string): void {
  assert.equal(actual.numFrames, expected.numFrames, `${label}: numFrames`);
  assert.equal(actual.dim, expected.dim, `${label}: dim`);
  assert.equal(actual.data.length, expected.data.length, `${label}: data length`);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < actual.data.length; i++) {
    const diff = Math.abs(actual.data[i] - expected.data[i]);
    if (!(diff <= worst)) {
      worst = diff;
      worstAt = i;
    }
  }
  if (process.env.FBANK_TEST_VERBOSE) console.log(label, 'max |diff|', worst);
  assert.ok(
    worst <= tolerance,
    `${label}: max |diff| ${worst} at frame ${Math.floor(worstAt / actual.dim)}, column ${worstAt % actual.dim}`,
  );
}

test('defaults are the documented Kaldi / sherpa-onnx ones', () => {
  assert.equal(DEFAULT_FBANK_OPTIONS.sampleRate, 16000);
  assert.equal(DEFAULT_FBANK_OPTIONS.frameLengthMs, 25);
  assert.equal(DEFAULT_FBANK_OPTIONS.frameShiftMs, 10);
  assert.equal(DEFAULT_FBANK_OPTIONS.numBins, 80);
  assert.equal(DEFAULT_FBANK_OPTIONS.lowFreq, 20);
  assert.equal(DEFAULT_FBANK_OPTIONS.highFreq, 0);
  assert.equal(DEFAULT_FBANK_OPTIONS.preemphCoeff, 0.97);
  assert.equal(DEFAULT_FBANK_OPTIONS.removeDcOffset, true);
  assert.equal(DEFAULT_FBANK_OPTIONS.dither, 0);
  assert.equal(DEFAULT_FBANK_OPTIONS.snipEdges, true);
  assert.equal(DEFAULT_FBANK_OPTIONS.sampleScale, 1);
  assert.ok(Object.isFrozen(DEFAULT_FBANK_OPTIONS));
  const computer = new FbankComputer();
  assert.equal(computer.frameLength, 400);
  assert.equal(computer.frameShift, 160);
  assert.equal(computer.fftSize, 512);
  assert.equal(computer.dim, 80);
});

test('matches the slow reference implementation on noise for every window type', () => {
  const samples = noise(16000 * 0.12, 42);
  for (const windowType of ['povey', 'hamming', 'hann', 'hanning', 'sine', 'rectangular', 'blackman'] as const) {
    const opts = validateFbankOptions({ windowType });
    assertClose(computeFbank(samples, opts), referenceFbank(samples, opts), 1e-3, windowType);
  }
});

test('matches the reference with int16 scaling, snipEdges=false (reflection), energy and other options', () => {
  const samples = noise(16000 * 0.1 + 37, 7, 0.3);
  const variants: Partial<FbankOptions>[] = [
    { windowType: 'hamming', sampleScale: 32768 },
    { snipEdges: false },
    { snipEdges: false, windowType: 'hamming', sampleScale: 32768 },
    { useEnergy: true },
    { usePower: false },
    { useLog: false, sampleScale: 10 },
    { removeDcOffset: false, preemphCoeff: 0 },
    { numBins: 40, lowFreq: 60, highFreq: -400 },
    { numBins: 23, highFreq: 7000, frameLengthMs: 20, frameShiftMs: 15 },
    { sampleRate: 8000, numBins: 30 },
    { frameLengthMs: 25.0625, frameShiftMs: 10.0625, snipEdges: false }, // odd lengths: 401 and 161 samples
    { useEnergy: true, rawEnergy: false, htkCompat: true },
    { useEnergy: true, energyFloor: 1e12, sampleScale: 32768 },
  ];
  for (const variant of variants) {
    const opts = validateFbankOptions(variant);
    const expected = referenceFbank(samples, opts);
    // Without the log the values are energies (up to ~1e5 here): compare relative to their size.
    const tolerance = opts.useLog ? 1e-3 : 1e-5 * Math.max(...expected.data.map(Math.abs));
    assertClose(computeFbank(samples, opts), expected, tolerance, JSON.stringify(variant));
  }
});

test('snipEdges=false reflects short signals (even several times) like the reference', () => {
  const opts = validateFbankOptions({ snipEdges: false, windowType: 'hamming' });
  for (const n of [80, 100, 250, 399, 401]) {
    const samples = noise(n, n);
    const feats = computeFbank(samples, opts);
    assert.equal(feats.numFrames, Math.floor((n + 80) / 160));
    assertClose(feats, referenceFbank(samples, opts), 1e-3, `n=${n}`);
  }
});

test('matches the reference on real speech (SenseVoice settings: hamming, int16 scale)', () => {
  const path = new URL('../../../shared/audio/wenet/aishell-BAC009S0724W0121.wav', import.meta.url);
  assert.ok(existsSync(path), `shared speech sample missing: ${path.pathname}`);
  const bytes = readFileSync(path);
  let offset = 12;
  let samples: Float32Array | undefined;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    if (id === 'data') {
      const count = Math.floor(Math.min(size, bytes.length - offset - 8) / 2);
      samples = new Float32Array(count);
      for (let i = 0; i < count; i++) samples[i] = bytes.readInt16LE(offset + 8 + 2 * i) / 32768;
      break;
    }
    offset += 8 + size + (size % 2);
  }
  assert.ok(samples, 'data chunk found');
  // A quarter second from the middle keeps the slow reference quick.
  const piece = samples.subarray(16000, 16000 + 4000);
  const opts = validateFbankOptions({ windowType: 'hamming', sampleScale: 32768 });
  assertClose(computeFbank(piece, opts), referenceFbank(piece, opts), 1e-3, 'aishell');
});

test('silence gives log(FLT_EPSILON) everywhere, and so does a constant (DC) signal', () => {
  assert.ok(Math.abs(LOG_EPS - -15.942385) < 1e-6);
  for (const value of [0, 0.25]) {
    const feats = computeFbank(new Float32Array(16000).fill(value));
    assert.equal(feats.numFrames, 98);
    for (let i = 0; i < feats.data.length; i++) {
      assert.ok(Math.abs(feats.data[i] - LOG_EPS) < 1e-5, `value ${value}: element ${i} = ${feats.data[i]}`);
    }
  }
});

test('a pure tone peaks in the mel bin whose centre is nearest to it', () => {
  const computer = new FbankComputer({ windowType: 'hamming' });
  // Independently computed mel-bin centres.
  const mel = (f: number): number => 1127 * Math.log(1 + f / 700);
  const melLow = mel(20);
  const delta = (mel(8000) - melLow) / 81;
  const centers = Array.from({ length: 80 }, (_, b) => 700 * (Math.exp((melLow + (b + 1) * delta) / 1127) - 1));
  for (const freq of [300, 1000, 1234, 2500, 4000, 6200, 7300]) {
    const feats = computer.compute(tone(freq, 0.2));
    let nearest = 0;
    for (let b = 1; b < 80; b++) if (Math.abs(mel(centers[b]) - mel(freq)) < Math.abs(mel(centers[nearest]) - mel(freq))) nearest = b;
    for (let f = 0; f < feats.numFrames; f++) {
      let argmax = 0;
      for (let b = 1; b < 80; b++) if (feats.data[f * 80 + b] > feats.data[f * 80 + argmax]) argmax = b;
      assert.equal(argmax, nearest, `${freq} Hz, frame ${f}`);
    }
  }
});

test('frame count follows Kaldi for snipEdges true and false, and compute() agrees', () => {
  const opts = validateFbankOptions({});
  const centred = validateFbankOptions({ snipEdges: false });
  for (const n of [0, 1, 79, 80, 159, 160, 399, 400, 401, 559, 560, 561, 16000, 16001]) {
    const expected = n >= 400 ? 1 + Math.floor((n - 400) / 160) : 0;
    assert.equal(numFbankFrames(n, opts), expected, `snipEdges n=${n}`);
    assert.equal(numFbankFrames(n, centred), Math.floor((n + 80) / 160), `centred n=${n}`);
    const feats = computeFbank(noise(n, n + 1), opts);
    assert.equal(feats.numFrames, expected);
    assert.equal(feats.dim, 80);
    assert.equal(feats.data.length, expected * 80);
    assert.equal(computeFbank(noise(n, n + 1), centred).numFrames, Math.floor((n + 80) / 160));
  }
});

test('sampleScale s shifts every log power by 2·ln(s)', () => {
  const samples = noise(8000, 99, 0.2);
  const base = computeFbank(samples);
  for (const scale of [32768, 0.5]) {
    const scaled = computeFbank(samples, { sampleScale: scale });
    const shift = 2 * Math.log(scale);
    for (let i = 0; i < base.data.length; i++) {
      assert.ok(Math.abs(scaled.data[i] - base.data[i] - shift) < 1e-3, `scale ${scale}, element ${i}`);
    }
  }
});

test('FbankComputer is reusable and gives the same result as computeFbank', () => {
  const computer = new FbankComputer({ windowType: 'hamming', sampleScale: 32768 });
  const a = noise(5000, 1);
  const b = noise(7000, 2);
  const first = computer.compute(a);
  computer.compute(b);
  assert.deepEqual(computer.compute(a), first);
  assert.deepEqual(computeFbank(a, { windowType: 'hamming', sampleScale: 32768 }), first);
  assert.equal(computer.numFrames(7000), numFbankFrames(7000, computer.options));
});

test('mel banks are Kaldi-shaped: 80 filters on FFT bins below 256, weights in (0, 1]', () => {
  const { melBanks } = new FbankComputer();
  assert.equal(melBanks.numBins, 80);
  assert.equal(melBanks.numFftBins, 256);
  for (let b = 0; b < 80; b++) {
    assert.ok(melBanks.lengths[b] >= 1);
    assert.ok(melBanks.offsets[b] + melBanks.lengths[b] <= 256);
    if (b > 0) assert.ok(melBanks.offsets[b] >= melBanks.offsets[b - 1]);
    for (let j = 0; j < melBanks.lengths[b]; j++) {
      const w = melBanks.weights[melBanks.weightStarts[b] + j];
      assert.ok(w > 0 && w <= 1, `filter ${b} weight ${j} = ${w}`);
    }
  }
  // The last filter reaches up to (not including) the Nyquist bin; the first starts near 20 Hz + one filter width.
  assert.equal(melBanks.offsets[79] + melBanks.lengths[79], 256);
  assert.ok(melBanks.centerFreqs[0] > 20 && melBanks.centerFreqs[79] < 8000);
});

function assertInvalid(opts: Partial<FbankOptions>, field: string): void {
  assert.throws(
    () => new FbankComputer(opts),
    (error: unknown) => {
      assert.ok(error instanceof TingxieError, `expected TingxieError for ${JSON.stringify(opts)}`);
      assert.equal(error.code, ErrorCodes.CONFIG_INVALID);
      assert.equal(error.detail?.field, field);
      assert.ok(error.message.includes(field), `message names ${field}: ${error.message}`);
      return true;
    },
  );
}

test('invalid options throw CONFIG_INVALID naming the field', () => {
  assertInvalid({ sampleRate: 0 }, 'sampleRate');
  assertInvalid({ sampleRate: Number.NaN }, 'sampleRate');
  assertInvalid({ frameLengthMs: -1 }, 'frameLengthMs');
  assertInvalid({ frameShiftMs: 0 }, 'frameShiftMs');
  assertInvalid({ numBins: 2 }, 'numBins');
  assertInvalid({ numBins: 80.5 }, 'numBins');
  assertInvalid({ numBins: 400 }, 'numBins'); // more filters than FFT bins can feed
  assertInvalid({ lowFreq: -5 }, 'lowFreq');
  assertInvalid({ lowFreq: 8000 }, 'lowFreq');
  assertInvalid({ highFreq: 9000 }, 'highFreq');
  assertInvalid({ highFreq: -8000 }, 'highFreq');
  assertInvalid({ lowFreq: 4000, highFreq: 3000 }, 'highFreq');
  assertInvalid({ preemphCoeff: 1.5 }, 'preemphCoeff');
  assertInvalid({ dither: 1 }, 'dither');
  assertInvalid({ windowType: 'triangle' as WindowType }, 'windowType');
  assertInvalid({ snipEdges: 'yes' as unknown as boolean }, 'snipEdges');
  assertInvalid({ sampleScale: 0 }, 'sampleScale');
  assertInvalid({ energyFloor: -1 }, 'energyFloor');
  assertInvalid({ frameLengthMs: 25.5, roundToPowerOfTwo: false }, 'roundToPowerOfTwo');
  assertInvalid({ sampelRate: 8000 } as unknown as Partial<FbankOptions>, 'sampelRate');
  const valid = validateFbankOptions({ numBins: 40 });
  assert.equal(valid.numBins, 40);
  assert.equal(valid.windowType, DEFAULT_FBANK_OPTIONS.windowType);
});
