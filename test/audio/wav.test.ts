import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeAudioFile, openAudioStream } from '../../engine/src/audio/decode.ts';
import { decodeWavBytes, memoryByteSource, parseWavLayout, readWavLayout, streamWavMono } from '../../engine/src/audio/wav.ts';
import { ErrorCodes } from '../../engine/src/errors.ts';
import { collectSamples, encodeWav, makeTempDir, runFfmpeg, sine, toneAmplitude, zeroCrossingFrequency, type WavEncoding } from '../helpers/audio-fixtures.ts';

/** Quantisation step of each encoding, relative to full scale. */
const STEP: Record<WavEncoding, number> = { uint8: 1 / 128, int16: 1 / 32768, int24: 1 / 8388608, int32: 1 / 2147483648, float32: 1e-7, float64: 1e-12 };

/** Channel c carries a tone of (300 + 100·c) Hz with amplitude 0.8/(c + 1): distinct per channel, so mixing is checked. */
function channelTones(channelCount: number, sampleRate: number, seconds: number): Float32Array[] {
  return Array.from({ length: channelCount }, (_, c) => sine(300 + 100 * c, sampleRate, seconds, 0.8 / (c + 1)));
}

function average(channels: Float32Array[]): Float32Array {
  const out = new Float32Array(channels[0].length);
  for (const channel of channels) for (let i = 0; i < out.length; i++) out[i] += channel[i] / channels.length;
  return out;
}

function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
before(async () => {
  ({ dir, cleanup } = await makeTempDir('wav'));
});
after(() => cleanup());

describe('wav: sample encodings and channel mixing (in memory)', () => {
  const encodings: WavEncoding[] = ['uint8', 'int16', 'int24', 'int32', 'float32', 'float64'];
  for (const encoding of encodings) {
    for (const channelCount of [1, 2, 6]) {
      it(`decodes ${encoding} with ${channelCount} channel(s) to the channel average`, async () => {
        const channels = channelTones(channelCount, 8000, 0.25);
        const decoded = await decodeWavBytes(encodeWav(channels, { sampleRate: 8000, encoding }));
        assert.equal(decoded.sampleRate, 8000);
        const expected = average(channels);
        // Off by at most one quantisation step (rounding, asymmetric int ranges) plus float32 rounding of the mix.
        assert.ok(maxAbsDifference(decoded.samples, expected) <= STEP[encoding] * 1.01 + 6e-8, `${encoding}: ${maxAbsDifference(decoded.samples, expected)}`);
      });
    }
  }

  it('reads WAVE_FORMAT_EXTENSIBLE (PCM 24-bit and float)', async () => {
    const channels = channelTones(2, 16000, 0.2);
    for (const encoding of ['int24', 'float32'] as const) {
      const decoded = await decodeWavBytes(encodeWav(channels, { sampleRate: 16000, encoding, extensible: true }));
      assert.ok(maxAbsDifference(decoded.samples, average(channels)) <= STEP[encoding] * 1.01);
    }
  });

  it('replaces NaN and infinite float samples with 0', async () => {
    const samples = new Float32Array([0.5, Number.NaN, -0.25, Number.POSITIVE_INFINITY]);
    const decoded = await decodeWavBytes(encodeWav([samples], { sampleRate: 16000, encoding: 'float32' }));
    assert.deepEqual(Array.from(decoded.samples), [0.5, 0, -0.25, 0]);
  });
});

describe('wav: chunk layout', () => {
  const tone = [sine(440, 16000, 0.1, 0.5)];

  it('skips LIST and other chunks before data, including odd-sized ones with their pad byte', async () => {
    const bytes = encodeWav(tone, {
      sampleRate: 16000,
      encoding: 'int16',
      extraChunks: [
        { id: 'LIST', body: new TextEncoder().encode('INFOISFT\u0005\u0000\u0000\u0000Lavf\u0000') },
        { id: 'junk', body: new Uint8Array(7) },
      ],
    });
    const layout = await parseWavLayout(memoryByteSource(bytes));
    assert.equal(layout.frames, tone[0].length);
    assert.equal(layout.dataOffset, bytes.length - tone[0].length * 2);
    assert.ok(maxAbsDifference((await decodeWavBytes(bytes)).samples, tone[0]) <= STEP.int16);
  });

  it('tolerates a writer that forgot the pad byte after an odd-sized chunk', async () => {
    const padded = encodeWav(tone, { sampleRate: 16000, encoding: 'int16', extraChunks: [{ id: 'junk', body: new Uint8Array(5) }] });
    // Remove the pad byte after the 5-byte chunk (fmt is 16 bytes: junk header at 36, body 44..48, pad at 49).
    const unpadded = new Uint8Array(padded.length - 1);
    unpadded.set(padded.subarray(0, 49), 0);
    unpadded.set(padded.subarray(50), 49);
    const decoded = await decodeWavBytes(unpadded);
    assert.equal(decoded.samples.length, tone[0].length);
    assert.ok(maxAbsDifference(decoded.samples, tone[0]) <= STEP.int16);
  });

  for (const declared of [0, 0xffffffff]) {
    it(`reads to the end of the file when the data size is 0x${declared.toString(16)} (streamed WAV)`, async () => {
      const bytes = encodeWav(tone, { sampleRate: 16000, encoding: 'int16', declaredDataBytes: declared });
      const layout = await parseWavLayout(memoryByteSource(bytes));
      assert.equal(layout.dataBytes, null);
      assert.equal(layout.frames, tone[0].length);
      assert.equal((await decodeWavBytes(bytes)).samples.length, tone[0].length);
    });
  }

  it('reports AUDIO_TRUNCATED when the header promises more data than the file holds', async () => {
    const bytes = encodeWav(tone, { sampleRate: 16000, encoding: 'int16' });
    const cut = bytes.subarray(0, bytes.length - 200);
    await assert.rejects(parseWavLayout(memoryByteSource(cut)), { code: ErrorCodes.AUDIO_TRUNCATED });
  });

  it('decodes the whole frames when only the last partial frame is missing', async () => {
    const stereo = [tone[0], tone[0]];
    const bytes = encodeWav(stereo, { sampleRate: 16000, encoding: 'int24' });
    const cut = bytes.subarray(0, bytes.length - 2); // last frame is 6 bytes; 4 remain
    const decoded = await decodeWavBytes(cut);
    assert.equal(decoded.samples.length, tone[0].length - 1);
  });

  it('ignores a trailing partial frame when the data size is not a multiple of the frame size', async () => {
    const bytes = encodeWav([tone[0], tone[0]], { sampleRate: 16000, encoding: 'int16', declaredDataBytes: tone[0].length * 4 - 3 });
    const layout = await parseWavLayout(memoryByteSource(bytes));
    assert.equal(layout.frames, tone[0].length - 1);
    assert.equal(layout.dataBytes, (tone[0].length - 1) * 4);
  });

  it('reports AUDIO_UNSUPPORTED for codecs the native reader lacks (µ-law, ADPCM)', async () => {
    for (const formatTag of [7, 2, 0x11]) {
      const bytes = encodeWav(tone, { sampleRate: 8000, encoding: 'uint8', formatTagOverride: formatTag });
      await assert.rejects(parseWavLayout(memoryByteSource(bytes)), { code: ErrorCodes.AUDIO_UNSUPPORTED });
    }
  });

  it('reports a missing data chunk as AUDIO_TRUNCATED and a missing fmt chunk as AUDIO_DECODE_FAILED', async () => {
    const bytes = encodeWav(tone, { sampleRate: 16000, encoding: 'int16' });
    await assert.rejects(parseWavLayout(memoryByteSource(bytes.subarray(0, 36))), { code: ErrorCodes.AUDIO_TRUNCATED });
    const noFmt = bytes.slice();
    noFmt.set(new TextEncoder().encode('fmX '), 12);
    await assert.rejects(parseWavLayout(memoryByteSource(noFmt)), { code: ErrorCodes.AUDIO_DECODE_FAILED });
  });

  it('extends a 32-bit data size that wrapped around for data over 4 GiB', async () => {
    const header = encodeWav([new Float32Array(0)], { sampleRate: 16000, encoding: 'int16', declaredDataBytes: 1000 });
    const realDataBytes = 2 ** 32 + 1000;
    // A 4 GiB file without allocating it: the header, then zeros.
    const source = {
      size: header.length + realDataBytes,
      read: async (offset: number, length: number) => {
        const out = new Uint8Array(Math.max(0, Math.min(length, header.length + realDataBytes - offset)));
        if (offset < header.length) out.set(header.subarray(offset, offset + out.length));
        return out;
      },
    };
    const layout = await parseWavLayout(source);
    assert.equal(layout.dataBytes, realDataBytes);
    assert.equal(layout.frames, realDataBytes / 2);
  });

  it('reads RF64 files (64-bit sizes in the ds64 chunk)', async () => {
    const path = join(dir, 'rf64.wav');
    await runFfmpeg(['-f', 'lavfi', '-i', 'sine=frequency=1000:duration=0.5:sample_rate=16000', '-rf64', 'always', path]);
    const layout = await readWavLayout(path);
    assert.equal(layout.frames, 8000);
    const decoded = await decodeAudioFile(path, { env: {} });
    assert.equal(decoded.info.decoder, 'wav');
    assert.equal(decoded.samples.length, 8000);
    assert.ok(Math.abs(toneAmplitude(decoded.samples.subarray(100, -100), 16000, 1000) - 0.125) < 0.001);
  });

  it('rejects non-WAV bytes', async () => {
    await assert.rejects(parseWavLayout(memoryByteSource(new TextEncoder().encode('hello, this is text'))), { code: ErrorCodes.AUDIO_NOT_AUDIO });
  });
});

describe('wav: streaming from disk', () => {
  it('yields the same samples in small reads as a whole-buffer decode', async () => {
    const channels = channelTones(3, 22050, 0.5);
    const bytes = encodeWav(channels, { sampleRate: 22050, encoding: 'int24' });
    const path = join(dir, 'stream.wav');
    await writeFile(path, bytes);
    const layout = await readWavLayout(path);
    const reads: number[] = [];
    const streamed: Float32Array[] = [];
    for await (const chunk of streamWavMono(path, layout, { readBytes: 1000 })) {
      reads.push(chunk.length);
      streamed.push(chunk);
    }
    assert.ok(reads.length > 10, 'read in many pieces');
    assert.ok(reads.every((frames) => frames <= Math.floor(1000 / 9)));
    const joined = await collectSamples((async function* () { yield* streamed; })());
    assert.deepEqual(joined, (await decodeWavBytes(bytes)).samples);
  });

  const rates = [8000, 22050, 44100, 48000];
  for (const sampleRate of rates) {
    it(`decodes a ${sampleRate} Hz stereo file to 16 kHz without ffmpeg, keeping duration and pitch`, async () => {
      const seconds = 1.5;
      const channels = [sine(1000, sampleRate, seconds, 0.6), sine(1000, sampleRate, seconds, 0.2)];
      const path = join(dir, `rate-${sampleRate}.wav`);
      await writeFile(path, encodeWav(channels, { sampleRate, encoding: 'int16' }));
      // No FFMPEG_PATH and an empty PATH: the native reader must not need ffmpeg.
      const decoded = await decodeAudioFile(path, { env: { PATH: '' } });
      assert.equal(decoded.info.decoder, 'wav');
      assert.equal(decoded.info.sourceSampleRate, sampleRate);
      assert.equal(decoded.info.channels, 2);
      assert.equal(decoded.info.durationS, seconds);
      assert.equal(decoded.sampleRate, 16000);
      assert.ok(Math.abs(decoded.durationS - seconds) < 1 / 16000 + 1e-9);
      const steady = decoded.samples.subarray(800, -800);
      assert.ok(Math.abs(zeroCrossingFrequency(steady, 16000) - 1000) < 1);
      assert.ok(Math.abs(toneAmplitude(steady, 16000, 1000) - 0.4) < 0.004);
    });
  }

  it('decodes a 6-channel 48 kHz float file', async () => {
    const channels = channelTones(6, 48000, 1);
    const path = join(dir, 'six.wav');
    await writeFile(path, encodeWav(channels, { sampleRate: 48000, encoding: 'float32', extensible: true }));
    const decoded = await decodeAudioFile(path, { env: {} });
    assert.equal(decoded.info.channels, 6);
    const steady = decoded.samples.subarray(800, -800);
    // Channel c contributes its tone at 1/6 of its amplitude.
    for (let c = 0; c < 6; c++) {
      const amplitude = toneAmplitude(steady, 16000, 300 + 100 * c);
      assert.ok(Math.abs(amplitude - 0.8 / (c + 1) / 6) < 0.002, `channel ${c}: ${amplitude}`);
    }
  });

  it('reads WAVs that sox and ffmpeg wrote to a pipe (placeholder sizes) to the end of the file', async () => {
    const soxPath = join(dir, 'sox-pipe.wav');
    const ffmpegPath = join(dir, 'ffmpeg-pipe.wav');
    // Writing to stdout makes both tools leave their "unknown length" placeholders in the header.
    await writeFile(soxPath, execFileSync('sox', ['-n', '-t', 'wav', '-', 'synth', '0.5', 'sine', '440']));
    await writeFile(ffmpegPath, execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.5', '-f', 'wav', '-']));
    for (const path of [soxPath, ffmpegPath]) {
      const layout = await readWavLayout(path);
      assert.equal(layout.dataBytes, null, path);
      const decoded = await decodeAudioFile(path, { env: {} });
      assert.equal(decoded.info.decoder, 'wav');
      assert.ok(Math.abs(decoded.durationS - 0.5) < 0.001, `${path}: ${decoded.durationS}`);
      assert.ok(Math.abs(zeroCrossingFrequency(decoded.samples.subarray(800, -800), 16000) - 440) < 1);
    }
  });

  it('reports AUDIO_TRUNCATED up front for a truncated file on disk', async () => {
    const bytes = encodeWav([sine(440, 16000, 1)], { sampleRate: 16000, encoding: 'int16' });
    const path = join(dir, 'truncated.wav');
    await writeFile(path, bytes.subarray(0, bytes.length / 2));
    await assert.rejects(openAudioStream(path, { env: {} }), { code: ErrorCodes.AUDIO_TRUNCATED });
  });

  it('reports AUDIO_TRUNCATED while iterating when the file shrinks after opening', async () => {
    const bytes = encodeWav([sine(440, 16000, 3)], { sampleRate: 16000, encoding: 'int16' });
    const path = join(dir, 'shrinks.wav');
    await writeFile(path, bytes);
    const stream = await openAudioStream(path, { env: {} });
    await truncate(path, 20000);
    await assert.rejects(collectSamples(stream.chunks), { code: ErrorCodes.AUDIO_TRUNCATED });
  });

  it('reports AUDIO_EMPTY for a WAV with a header and no samples', async () => {
    const path = join(dir, 'header-only.wav');
    await writeFile(path, encodeWav([new Float32Array(0)], { sampleRate: 16000, encoding: 'int16' }));
    await assert.rejects(openAudioStream(path, { env: {} }), { code: ErrorCodes.AUDIO_EMPTY });
    const streamed = join(dir, 'header-only-streamed.wav');
    await writeFile(streamed, encodeWav([new Float32Array(0)], { sampleRate: 16000, encoding: 'int16', declaredDataBytes: 0xffffffff }));
    await assert.rejects(openAudioStream(streamed, { env: {} }), { code: ErrorCodes.AUDIO_EMPTY });
  });

  it('falls back to ffmpeg for µ-law WAV, and says ffmpeg is needed when it is missing', async () => {
    const source = join(dir, 'for-mulaw.wav');
    await writeFile(source, encodeWav([sine(1000, 8000, 1, 0.5)], { sampleRate: 8000, encoding: 'int16' }));
    const mulaw = join(dir, 'mulaw.wav');
    await runFfmpeg(['-i', source, '-c:a', 'pcm_mulaw', mulaw]);
    const decoded = await decodeAudioFile(mulaw);
    assert.equal(decoded.info.decoder, 'ffmpeg');
    assert.ok(Math.abs(toneAmplitude(decoded.samples.subarray(800, -800), 16000, 1000) - 0.5) < 0.02);
    await assert.rejects(openAudioStream(mulaw, { env: { PATH: '' } }), (error: unknown) => {
      assert.equal((error as { code?: string }).code, ErrorCodes.FFMPEG_NOT_FOUND);
      assert.match((error as Error).message, /µ-law/);
      return true;
    });
  });

  it('decodes natively and through ffmpeg to nearly the same samples', async () => {
    const seconds = 2;
    const left = sine(300, 44100, seconds, 0.3);
    const right = sine(2500, 44100, seconds, 0.3);
    const mixed = sine(5000, 44100, seconds, 0.2);
    for (let i = 0; i < left.length; i++) {
      left[i] += mixed[i];
      right[i] -= mixed[i];
    }
    const path = join(dir, 'compare.wav');
    await writeFile(path, encodeWav([left, right], { sampleRate: 44100, encoding: 'int16' }));
    const native = await decodeAudioFile(path);
    const viaFfmpeg = await decodeAudioFile(path, { preferNativeWav: false });
    assert.equal(native.info.decoder, 'wav');
    assert.equal(viaFfmpeg.info.decoder, 'ffmpeg');
    assert.ok(Math.abs(native.samples.length - viaFfmpeg.samples.length) <= 1);
    const n = Math.min(native.samples.length, viaFfmpeg.samples.length);
    let error = 0;
    let energy = 0;
    for (let i = 400; i < n - 400; i++) {
      error += (native.samples[i] - viaFfmpeg.samples[i]) ** 2;
      energy += native.samples[i] ** 2;
    }
    assert.ok(energy > 0);
    // Different resamplers, same signal: within 1% RMS (≈ −40 dB).
    assert.ok(Math.sqrt(error / energy) < 0.01, `relative RMS difference ${Math.sqrt(error / energy)}`);
  });
});
