import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ComplexFft, RealFft, isPowerOfTwo, roundUpToPowerOfTwo } from '../../engine/src/features/fft.ts';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';

/** Deterministic uniform noise in [−0.5, 0.5). */
function noise(length: number, seed: number): Float64Array {
  const out = new Float64Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 32 - 0.5;
  }
  return out;
}

/** Textbook O(N²) DFT, X[k] = Σ x[n]·exp(−2πi·kn/N), angles reduced mod N for accuracy. */
function naiveDft(re: Float64Array, im: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = re.length;
  const outRe = new Float64Array(n);
  const outIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const angle = (-2 * Math.PI * ((k * t) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      sr += re[t] * c - im[t] * s;
      si += re[t] * s + im[t] * c;
    }
    outRe[k] = sr;
    outIm[k] = si;
  }
  return { re: outRe, im: outIm };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>, length: number): number {
  let worst = 0;
  for (let i = 0; i < length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

test('ComplexFft matches a naive DFT for every power-of-two size up to 1024', () => {
  for (let size = 1; size <= 1024; size *= 2) {
    const xr = noise(size, 11 + size);
    const xi = noise(size, 97 + size);
    const expected = naiveDft(xr, xi);
    const re = xr.slice();
    const im = xi.slice();
    new ComplexFft(size).forward(re, im);
    const tolerance = 1e-12 * size;
    assert.ok(maxAbsDiff(re, expected.re, size) < tolerance, `size ${size} real part`);
    assert.ok(maxAbsDiff(im, expected.im, size) < tolerance, `size ${size} imaginary part`);
  }
});

test('ComplexFft of a unit impulse is flat and of a complex exponential is a single spike', () => {
  const size = 64;
  const fft = new ComplexFft(size);
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  re[0] = 1;
  fft.forward(re, im);
  for (let k = 0; k < size; k++) {
    assert.ok(Math.abs(re[k] - 1) < 1e-12 && Math.abs(im[k]) < 1e-12, `impulse bin ${k}`);
  }
  const bin = 5;
  for (let t = 0; t < size; t++) {
    re[t] = Math.cos((2 * Math.PI * bin * t) / size);
    im[t] = Math.sin((2 * Math.PI * bin * t) / size);
  }
  fft.forward(re, im);
  for (let k = 0; k < size; k++) {
    const magnitude = Math.hypot(re[k], im[k]);
    assert.ok(Math.abs(magnitude - (k === bin ? size : 0)) < 1e-9, `exponential bin ${k}: ${magnitude}`);
  }
});

test('ComplexFft is reusable: the same input gives the same output twice', () => {
  const fft = new ComplexFft(256);
  const xr = noise(256, 3);
  const xi = noise(256, 4);
  const a = { re: xr.slice(), im: xi.slice() };
  const b = { re: xr.slice(), im: xi.slice() };
  fft.forward(a.re, a.im);
  fft.forward(b.re, b.im);
  assert.deepEqual(a.re, b.re);
  assert.deepEqual(a.im, b.im);
});

test('RealFft.forward matches a naive DFT of the real signal, bins 0..N/2', () => {
  for (let size = 2; size <= 1024; size *= 2) {
    const x = noise(size, 1000 + size);
    const expected = naiveDft(x, new Float64Array(size));
    const half = size / 2;
    const re = new Float64Array(half + 1);
    const im = new Float64Array(half + 1);
    const fft = new RealFft(size);
    assert.equal(fft.numBins, half + 1);
    fft.forward(x, re, im);
    const tolerance = 1e-12 * size;
    assert.ok(maxAbsDiff(re, expected.re, half + 1) < tolerance, `size ${size} real part`);
    assert.ok(maxAbsDiff(im, expected.im, half + 1) < tolerance, `size ${size} imaginary part`);
  }
});

test('RealFft.powerSpectrum equals |X[k]|² of the naive DFT and leaves its input untouched', () => {
  for (const size of [2, 4, 8, 64, 512]) {
    const x = noise(size, 7 * size);
    const copy = x.slice();
    const expected = naiveDft(x, new Float64Array(size));
    const power = new Float64Array(size / 2 + 1);
    new RealFft(size).powerSpectrum(x, power);
    for (let k = 0; k <= size / 2; k++) {
      const want = expected.re[k] ** 2 + expected.im[k] ** 2;
      assert.ok(Math.abs(power[k] - want) < 1e-10 * size * Math.max(1, want), `size ${size} bin ${k}`);
    }
    assert.deepEqual(x, copy);
  }
});

test('RealFft.powerSpectrum with numOut writes only the first numOut bins', () => {
  const size = 512;
  const x = noise(size, 5);
  const full = new Float64Array(size / 2 + 1);
  const fft = new RealFft(size);
  fft.powerSpectrum(x, full);
  const partial = new Float64Array(size / 2 + 1).fill(-1);
  fft.powerSpectrum(x, partial, size / 2);
  for (let k = 0; k < size / 2; k++) assert.equal(partial[k], full[k]);
  assert.equal(partial[size / 2], -1);
});

test('FFT sizes must be powers of two; helpers agree', () => {
  for (const bad of [0, 3, 6, 400, -8, 2.5]) {
    assert.throws(
      () => new ComplexFft(bad),
      (error: unknown) => error instanceof TingxieError && error.code === ErrorCodes.CONFIG_INVALID,
    );
  }
  assert.throws(() => new RealFft(1), TingxieError);
  assert.equal(isPowerOfTwo(512), true);
  assert.equal(isPowerOfTwo(400), false);
  assert.equal(roundUpToPowerOfTwo(400), 512);
  assert.equal(roundUpToPowerOfTwo(512), 512);
  assert.equal(roundUpToPowerOfTwo(1), 1);
});
