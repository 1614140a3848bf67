import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { designResampler, MAX_EXACT_PHASES, resample, StreamingResampler } from '../../engine/src/audio/resample.ts';
import { pseudoRandomBytes, rms, sine, toneAmplitude, zeroCrossingFrequency } from '../helpers/audio-fixtures.ts';

/** Drops `edge` samples at both ends, where the tone starts and stops abruptly. */
function middle(samples: Float32Array, edge: number): Float32Array {
  return samples.subarray(edge, samples.length - edge);
}

function db(ratio: number): number {
  return 20 * Math.log10(ratio);
}

function noise(length: number, seed: number): Float32Array {
  const bytes = pseudoRandomBytes(length, seed);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (bytes[i] - 127.5) / 128;
  return out;
}

describe('resample: passband', () => {
  it('keeps a 1 kHz tone amplitude (±1%) and frequency from 44.1 kHz to 16 kHz', () => {
    const input = sine(1000, 44100, 1, 0.5);
    const output = resample(input, 44100, 16000);
    assert.equal(output.length, Math.ceil((input.length * 16000) / 44100));
    const steady = middle(output, 400);
    const amplitude = toneAmplitude(steady, 16000, 1000);
    assert.ok(Math.abs(amplitude / 0.5 - 1) < 0.01, `amplitude ${amplitude}`);
    const frequency = zeroCrossingFrequency(steady, 16000);
    assert.ok(Math.abs(frequency - 1000) < 1, `frequency ${frequency}`);
  });

  it('keeps a 7 kHz tone (inside the flat passband) at 48 kHz → 16 kHz', () => {
    const output = resample(sine(7000, 48000, 1, 0.5), 48000, 16000);
    const steady = middle(output, 400);
    const amplitude = toneAmplitude(steady, 16000, 7000);
    assert.ok(Math.abs(amplitude / 0.5 - 1) < 0.01, `amplitude ${amplitude}`);
    assert.ok(Math.abs(zeroCrossingFrequency(steady, 16000) - 7000) < 2);
  });

  it('passes a 7.5 kHz tone (transition band) at its own frequency, partly attenuated', () => {
    const output = resample(sine(7500, 48000, 1, 0.5), 48000, 16000);
    const steady = middle(output, 400);
    const amplitude = toneAmplitude(steady, 16000, 7500);
    // The −6 dB point is 7600 Hz, so 7.5 kHz sits a little above half amplitude; nothing else may appear.
    assert.ok(amplitude > 0.25 && amplitude < 0.5, `amplitude ${amplitude}`);
    assert.ok(Math.abs(zeroCrossingFrequency(steady, 16000) - 7500) < 2);
    const residual = rms(steady) * Math.SQRT2 - amplitude;
    assert.ok(Math.abs(residual) < 1e-3, `energy outside 7.5 kHz: ${residual}`);
  });

  it('keeps DC exactly at every filter phase', () => {
    const input = new Float32Array(44100).fill(0.25);
    const steady = middle(resample(input, 44100, 16000), 400);
    for (const value of steady) assert.ok(Math.abs(value - 0.25) < 1e-6, `value ${value}`);
  });

  it('upsamples 8 kHz → 16 kHz keeping a 1 kHz tone and suppressing its 7 kHz image by ≥ 60 dB', () => {
    const output = resample(sine(1000, 8000, 1, 0.5), 8000, 16000);
    assert.equal(output.length, 16000);
    const steady = middle(output, 400);
    assert.ok(Math.abs(toneAmplitude(steady, 16000, 1000) / 0.5 - 1) < 0.01);
    const image = toneAmplitude(steady, 16000, 7000);
    assert.ok(db(image / 0.5) <= -60, `image at ${db(image / 0.5).toFixed(1)} dB`);
  });
});

describe('resample: anti-aliasing', () => {
  for (const [fromRate, toneHz] of [
    [48000, 8500],
    [48000, 9000],
    [48000, 12000],
    [48000, 20000],
    [44100, 8200],
    [44100, 15000],
    [22050, 10000],
  ] as const) {
    it(`attenuates a ${toneHz} Hz tone by ≥ 60 dB at ${fromRate} Hz → 16 kHz`, () => {
      const input = sine(toneHz, fromRate, 1, 0.5);
      const output = resample(input, fromRate, 16000);
      const steady = middle(output, 400);
      // Whatever survives would alias below 8 kHz; measure all of it.
      const attenuation = db(rms(steady) / rms(input));
      assert.ok(attenuation <= -60, `${toneHz} Hz only ${attenuation.toFixed(1)} dB down`);
    });
  }

  it('without the filter the same tone would alias (sanity check of the measurement)', () => {
    const input = sine(9000, 48000, 1, 0.5);
    const decimated = new Float32Array(Math.floor(input.length / 3)).map((_, i) => input[i * 3]);
    assert.ok(db(rms(middle(decimated, 400)) / rms(input)) > -1);
  });
});

describe('resample: streaming', () => {
  const pairs: [number, number][] = [
    [44100, 16000],
    [48000, 16000],
    [22050, 16000],
    [8000, 16000],
    [11025, 16000],
    [16000, 16000],
    [44101, 16000], // needs more than MAX_EXACT_PHASES phases: interpolated weights
  ];
  for (const [fromRate, toRate] of pairs) {
    it(`gives output identical to the one-shot function for ${fromRate} → ${toRate} Hz with arbitrary chunk sizes`, () => {
      const input = noise(Math.round(fromRate * 0.7) + 13, fromRate);
      const expected = resample(input, fromRate, toRate);
      const sizes = [0, 1, 2, 3, 7, 100, 1, 0, 4093, 64, 1000, 5, 20000];
      const streaming = new StreamingResampler(fromRate, toRate);
      const parts: Float32Array[] = [];
      let offset = 0;
      for (let i = 0; offset < input.length; i++) {
        const size = sizes[i % sizes.length];
        parts.push(streaming.push(input.subarray(offset, offset + size)));
        offset += size;
      }
      parts.push(streaming.flush());
      const joined = new Float32Array(parts.reduce((sum, part) => sum + part.length, 0));
      let at = 0;
      for (const part of parts) {
        joined.set(part, at);
        at += part.length;
      }
      assert.equal(joined.length, Math.ceil((input.length * toRate) / fromRate));
      assert.deepEqual(joined, expected);
    });
  }

  it('holds only a bounded amount of input between pushes', () => {
    const resampler = new StreamingResampler(44100, 16000);
    let produced = 0;
    for (let i = 0; i < 50; i++) produced += resampler.push(noise(44100, i + 1)).length;
    // After 50 s of input, everything but the filter's look-ahead has come out.
    const lookAheadOutputs = Math.ceil((resampler.design.halfWidth * 16000) / 44100) + 1;
    assert.ok(produced >= 50 * 16000 - lookAheadOutputs, `produced ${produced}`);
    assert.equal(produced + resampler.flush().length, 50 * 16000);
  });

  it('rejects push after flush', () => {
    const resampler = new StreamingResampler(48000, 16000);
    resampler.flush();
    assert.throws(() => resampler.push(new Float32Array(10)), { name: 'TingxieError' });
  });
});

describe('resample: design and alignment', () => {
  it('documents the filter: cutoff at 0.95 × 8 kHz, ≈ 301 taps for 48 kHz → 16 kHz', () => {
    const design = designResampler(48000, 16000);
    assert.equal(design.cutoffHz, 7600);
    assert.equal(design.upFactor, 1);
    assert.equal(design.downFactor, 3);
    assert.ok(Math.abs(2 * design.halfWidth - 301) <= 2, `taps ${2 * design.halfWidth}`);
    const odd = designResampler(44101, 16000);
    assert.equal(odd.exactPhases, false);
    assert.equal(odd.phases, MAX_EXACT_PHASES);
  });

  it('is zero-phase: an impulse at input time t comes out centred at t', () => {
    const input = new Float32Array(48000);
    input[4800] = 1; // 0.1 s
    const output = resample(input, 48000, 16000);
    let peak = 0;
    for (let i = 1; i < output.length; i++) if (Math.abs(output[i]) > Math.abs(output[peak])) peak = i;
    assert.equal(peak, 1600);
    // Symmetric around the peak.
    for (let k = 1; k < 50; k++) assert.ok(Math.abs(output[peak - k] - output[peak + k]) < 1e-6);
  });

  it('keeps a 1 kHz tone with interpolated phases (44101 Hz → 16 kHz)', () => {
    const output = resample(sine(1000, 44101, 1, 0.5), 44101, 16000);
    const steady = middle(output, 400);
    assert.ok(Math.abs(toneAmplitude(steady, 16000, 1000) / 0.5 - 1) < 0.01);
    // Interpolation error would show up as energy away from 1 kHz.
    const residual = Math.sqrt(Math.max(0, rms(steady) ** 2 - toneAmplitude(steady, 16000, 1000) ** 2 / 2));
    assert.ok(db(residual / 0.5) < -80, `residual ${db(residual / 0.5).toFixed(1)} dB`);
  });

  it('rejects invalid rates with a typed error', () => {
    assert.throws(() => resample(new Float32Array(4), 0, 16000), { name: 'TingxieError' });
    assert.throws(() => resample(new Float32Array(4), 44100.5, 16000), { name: 'TingxieError' });
  });
});
