import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import {
  averagingPanFilter,
  classifyFfmpegStderr,
  decodeWithFfmpeg,
  F32leDecoder,
  ffmpegDecodeArgs,
  parseFfmpegProbe,
  probeWithFfmpeg,
  resolveFfmpeg,
} from '../../engine/src/audio/ffmpeg.ts';
import type { FfmpegLocation } from '../../engine/src/audio/types.ts';
import { ErrorCodes } from '../../engine/src/errors.ts';
import { collectSamples, encodeWav, makeTempDir, processExists, pseudoRandomBytes, runFfmpeg, sine, toneAmplitude } from '../helpers/audio-fixtures.ts';

let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
let system: FfmpegLocation;
let fakeBinDir = '';
let fakeFfmpeg = '';
let notExecutable = '';
let longFlac = '';
let toneWav = '';

before(async () => {
  ({ dir, cleanup } = await makeTempDir('ffmpeg'));
  system = resolveFfmpeg(process.env);
  fakeBinDir = join(dir, 'bin');
  await runFfmpeg(['-f', 'lavfi', '-i', 'anullsrc', '-t', '0.01', join(dir, 'warmup.wav')]); // ffmpeg works at all
  await mkdir(fakeBinDir);
  fakeFfmpeg = join(fakeBinDir, 'ffmpeg');
  await writeFile(fakeFfmpeg, '#!/bin/sh\nexit 0\n');
  await chmod(fakeFfmpeg, 0o755);
  notExecutable = join(dir, 'not-executable-ffmpeg');
  await writeFile(notExecutable, 'plain file');
  await chmod(notExecutable, 0o644);
  longFlac = join(dir, 'long.flac');
  await runFfmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=120:sample_rate=16000', longFlac]);
  toneWav = join(dir, 'tone.wav');
  await writeFile(toneWav, encodeWav([sine(1000, 44100, 1, 0.5)], { sampleRate: 44100, encoding: 'int16' }));
});
after(() => cleanup());

const noStatic = (): unknown => {
  throw new Error('Cannot find module ffmpeg-static');
};

describe('resolveFfmpeg', () => {
  it('uses FFMPEG_PATH when it names an executable file', () => {
    assert.deepEqual(resolveFfmpeg({ FFMPEG_PATH: fakeFfmpeg, PATH: '' }, { loadFfmpegStatic: noStatic }), { path: fakeFfmpeg, source: 'FFMPEG_PATH' });
  });

  it('rejects FFMPEG_PATH naming a missing file, naming it in the message (no silent fallback)', () => {
    const missing = join(dir, 'missing', 'ffmpeg');
    assert.throws(
      () => resolveFfmpeg({ FFMPEG_PATH: missing, PATH: fakeBinDir }),
      (error: unknown) => {
        assert.equal((error as { code?: string }).code, ErrorCodes.FFMPEG_NOT_FOUND);
        assert.ok((error as Error).message.includes(missing));
        return true;
      },
    );
  });

  it('rejects FFMPEG_PATH naming a non-executable file or a folder', () => {
    assert.throws(() => resolveFfmpeg({ FFMPEG_PATH: notExecutable }), { code: ErrorCodes.FFMPEG_NOT_FOUND });
    assert.throws(() => resolveFfmpeg({ FFMPEG_PATH: fakeBinDir }), { code: ErrorCodes.FFMPEG_NOT_FOUND });
  });

  it('prefers an installed ffmpeg-static binary over PATH', () => {
    const found = resolveFfmpeg({ PATH: '/usr/bin' }, { loadFfmpegStatic: () => fakeFfmpeg });
    assert.deepEqual(found, { path: fakeFfmpeg, source: 'ffmpeg-static' });
  });

  it('ignores ffmpeg-static when its binary is missing or the package is absent', () => {
    const viaMissingBinary = resolveFfmpeg({ PATH: fakeBinDir }, { loadFfmpegStatic: () => join(dir, 'nope') });
    assert.deepEqual(viaMissingBinary, { path: fakeFfmpeg, source: 'PATH' });
    const viaNull = resolveFfmpeg({ PATH: fakeBinDir }, { loadFfmpegStatic: () => null });
    assert.equal(viaNull.source, 'PATH');
    const viaAbsent = resolveFfmpeg({ PATH: fakeBinDir }, { loadFfmpegStatic: noStatic });
    assert.equal(viaAbsent.source, 'PATH');
  });

  it('searches PATH directories in order, skipping non-executable candidates and relative entries', async () => {
    const first = join(dir, 'first');
    await mkdir(first);
    await copyFile(notExecutable, join(first, 'ffmpeg'));
    await chmod(join(first, 'ffmpeg'), 0o644);
    const found = resolveFfmpeg({ PATH: ['relative/dir', first, join(dir, 'absent'), fakeBinDir].join(':') }, { loadFfmpegStatic: noStatic, platform: 'linux' });
    assert.deepEqual(found, { path: fakeFfmpeg, source: 'PATH' });
  });

  it('says how to install ffmpeg when nothing is found', () => {
    assert.throws(
      () => resolveFfmpeg({ PATH: join(dir, 'empty') }, { loadFfmpegStatic: noStatic }),
      (error: unknown) => {
        assert.equal((error as { code?: string }).code, ErrorCodes.FFMPEG_NOT_FOUND);
        assert.match((error as Error).message, /apt-get install ffmpeg/);
        assert.match((error as Error).message, /FFMPEG_PATH/);
        return true;
      },
    );
  });

  it('finds the system ffmpeg through the real environment', () => {
    assert.equal(system.source === 'PATH' || system.source === 'FFMPEG_PATH', true);
  });
});

describe('parseFfmpegProbe', () => {
  it('reads duration, rate and channel layout of the first audio stream', () => {
    const probe = parseFfmpegProbe(
      [
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'file:/tmp/x.mp4':",
        '  Duration: 01:02:03.45, start: 0.000000, bitrate: 130 kb/s',
        '  Stream #0:0[0x1](und): Video: h264 (avc1 / 0x31637661), yuv420p, 64x64, 10 fps (default)',
        '  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, 5.1(side), fltp, 128 kb/s (default)',
        '  Stream #0:2[0x3](eng): Audio: ac3, 44100 Hz, stereo, fltp, 192 kb/s',
        'At least one output file must be specified',
      ].join('\n'),
    );
    assert.equal(probe.container, 'mov,mp4,m4a,3gp,3g2,mj2');
    assert.ok(Math.abs((probe.durationS ?? 0) - 3723.45) < 1e-9);
    assert.equal(probe.sampleRate, 48000);
    assert.equal(probe.channels, 6);
    assert.equal(probe.audioStreams, 2);
    assert.equal(probe.videoStreams, 1);
    assert.equal(probe.problem, null);
  });

  it('handles "N channels", unknown duration and attached cover art', () => {
    const probe = parseFfmpegProbe(
      [
        "Input #0, mp3, from 'file:/tmp/a b.mp3':",
        '  Duration: N/A, start: 0.000000, bitrate: N/A',
        '  Stream #0:0: Audio: pcm_s16le, 22050 Hz, 3 channels, s16, 1058 kb/s',
        '  Stream #0:1: Video: mjpeg (Baseline), yuvj420p, 300x300, 90k tbr, 90k tbn (attached pic)',
      ].join('\n'),
    );
    assert.equal(probe.durationS, null);
    assert.equal(probe.channels, 3);
    assert.equal(probe.sampleRate, 22050);
    assert.equal(probe.videoStreams, 0);
    assert.equal(probe.problem, null);
  });

  it('classifies problems', () => {
    assert.equal(parseFfmpegProbe("file:/tmp/t.wav: Invalid data found when processing input\n").problem?.code, ErrorCodes.AUDIO_NOT_AUDIO);
    assert.equal(
      parseFfmpegProbe("Input #0, mov,mp4, from 'x':\n  Duration: 00:00:02.00\n  Stream #0:0: Video: h264, yuv420p\n").problem?.code,
      ErrorCodes.AUDIO_NO_STREAM,
    );
    assert.equal(parseFfmpegProbe("Input #0, png_pipe, from 'x':\n  Stream #0:0: Video: png, rgb24\n").problem?.code, ErrorCodes.AUDIO_NOT_AUDIO);
    assert.equal(
      parseFfmpegProbe("[mov,mp4 @ 0x1] moov atom not found\nfile:x.m4a: Invalid data found when processing input\n").problem?.code,
      ErrorCodes.AUDIO_TRUNCATED,
    );
    assert.equal(classifyFfmpegStderr('Output file #0 does not contain any stream')?.code, ErrorCodes.AUDIO_NO_STREAM);
    assert.equal(classifyFfmpegStderr("Stream map '0:a:0' matches no streams.")?.code, ErrorCodes.AUDIO_NO_STREAM);
    assert.equal(classifyFfmpegStderr('Decoder (codec none) not found for input stream #0:0')?.code, ErrorCodes.AUDIO_UNSUPPORTED);
    assert.equal(classifyFfmpegStderr('all good'), null);
  });
});

describe('F32leDecoder', () => {
  it('reassembles floats split at any byte boundary and from unaligned buffers', () => {
    const values = Float32Array.from({ length: 257 }, (_, i) => Math.sin(i) * 0.9);
    const raw = new Uint8Array(values.buffer.slice(0));
    // Put the bytes at an odd offset inside a larger buffer.
    const backing = new Uint8Array(raw.length + 3);
    backing.set(raw, 3);
    const unaligned = backing.subarray(3);
    const decoder = new F32leDecoder();
    const parts: Float32Array[] = [];
    let offset = 0;
    for (const size of [1, 2, 3, 5, 7, 0, 4, 13, 1000]) {
      parts.push(decoder.push(unaligned.subarray(offset, offset + size)));
      offset += size;
      if (offset >= unaligned.length) break;
    }
    parts.push(decoder.push(unaligned.subarray(offset)));
    const joined = Float32Array.from(parts.flatMap((part) => Array.from(part)));
    assert.deepEqual(joined, values);
    assert.equal(decoder.pendingBytes, 0);
  });
});

describe('decodeWithFfmpeg', () => {
  it('builds arguments that read the file directly and write f32le mono 16 kHz to stdout', () => {
    const args = ffmpegDecodeArgs({ kind: 'file', path: '/tmp/-odd:name.mp3' }, 2);
    assert.deepEqual(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2), ['-i', 'file:/tmp/-odd:name.mp3']);
    for (const flag of ['-nostdin', '-vn']) assert.ok(args.includes(flag));
    assert.deepEqual(args.slice(-9), ['-ac', '1', '-ar', '16000', '-c:a', 'pcm_f32le', '-f', 'f32le', 'pipe:1']);
    assert.ok(args.includes(averagingPanFilter(2)));
    assert.equal(averagingPanFilter(2), 'pan=mono|c0=0.50000000000000000*c0+0.50000000000000000*c1');
  });

  it('decodes from a stream through stdin', async () => {
    const samples = await collectSamples(decodeWithFfmpeg(system, { kind: 'stream', stream: createReadStream(toneWav) }));
    assert.equal(samples.length, 16000);
    assert.ok(Math.abs(toneAmplitude(samples.subarray(800, -800), 16000, 1000) - 0.5) < 0.005);
  });

  it('survives ffmpeg rejecting a large stdin stream early (EPIPE) with a typed error', async () => {
    const garbage = pseudoRandomBytes(8 * 1024 * 1024, 3);
    garbage.set(new TextEncoder().encode('this is not audio, just text at the start of the stream'), 0);
    const stream = Readable.from((function* () {
      for (let offset = 0; offset < garbage.length; offset += 65536) yield Buffer.from(garbage.subarray(offset, offset + 65536));
    })());
    await assert.rejects(collectSamples(decodeWithFfmpeg(system, { kind: 'stream', stream })), (error: unknown) => {
      assert.equal((error as Error).name, 'TingxieError');
      assert.ok(
        [ErrorCodes.AUDIO_NOT_AUDIO, ErrorCodes.AUDIO_DECODE_FAILED].includes((error as { code: typeof ErrorCodes.AUDIO_NOT_AUDIO }).code),
        (error as Error).message,
      );
      return true;
    });
  });

  it('kills ffmpeg when the consumer stops early, and waits for it to exit', async () => {
    let pid = 0;
    const chunks = decodeWithFfmpeg(system, { kind: 'file', path: longFlac }, { onSpawn: (id) => (pid = id) });
    let received = 0;
    for await (const chunk of chunks) {
      received += chunk.length;
      assert.ok(processExists(pid), 'ffmpeg is alive mid-stream');
      if (received > 20000) break;
    }
    assert.ok(pid > 0);
    assert.equal(processExists(pid), false);
  });

  it('kills ffmpeg on abort and throws ABORTED', async () => {
    let pid = 0;
    const controller = new AbortController();
    const chunks = decodeWithFfmpeg(system, { kind: 'file', path: longFlac }, { signal: controller.signal, onSpawn: (id) => (pid = id) });
    await assert.rejects(
      (async () => {
        for await (const _chunk of chunks) controller.abort();
      })(),
      { code: ErrorCodes.ABORTED },
    );
    assert.equal(processExists(pid), false);
  });

  it('maps a missing ffmpeg binary to FFMPEG_NOT_FOUND at spawn time', async () => {
    const location: FfmpegLocation = { path: join(dir, 'vanished-ffmpeg'), source: 'FFMPEG_PATH' };
    await assert.rejects(collectSamples(decodeWithFfmpeg(location, { kind: 'file', path: longFlac })), { code: ErrorCodes.FFMPEG_NOT_FOUND });
    await assert.rejects(probeWithFfmpeg(location, longFlac), { code: ErrorCodes.FFMPEG_NOT_FOUND });
  });

  it('maps a failing ffmpeg exit status to a typed error', async () => {
    const failing = join(fakeBinDir, 'failing-ffmpeg');
    await writeFile(failing, '#!/bin/sh\necho "something odd happened" >&2\nexit 3\n');
    await chmod(failing, 0o755);
    await assert.rejects(collectSamples(decodeWithFfmpeg({ path: failing, source: 'FFMPEG_PATH' }, { kind: 'file', path: longFlac })), (error: unknown) => {
      assert.equal((error as { code?: string }).code, ErrorCodes.AUDIO_DECODE_FAILED);
      assert.match((error as Error).message, /status 3/);
      return true;
    });
  });

  it('probes a real file', async () => {
    const probe = await probeWithFfmpeg(system, longFlac);
    assert.equal(probe.sampleRate, 16000);
    assert.equal(probe.channels, 1);
    assert.ok(probe.durationS !== null && Math.abs(probe.durationS - 120) < 0.01);
  });
});
