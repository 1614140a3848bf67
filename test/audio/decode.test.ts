import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decodeAudioFile, openAudioStream, SampleChunker } from '../../engine/src/audio/decode.ts';
import { ErrorCodes, TingxieError } from '../../engine/src/errors.ts';
import { collectSamples, encodeWav, makeTempDir, pseudoRandomBytes, runFfmpeg, sine, toneAmplitude, zeroCrossingFrequency } from '../helpers/audio-fixtures.ts';

const TONE_HZ = 1000;
const SECONDS = 2;
const SHARED = fileURLToPath(new URL('../../../shared/audio', import.meta.url));

let dir = '';
let cleanup: () => Promise<void> = async () => undefined;
const files: Record<string, string> = {};

/** ffmpeg processes that are children of this test process. */
function ffmpegChildren(): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => /ffmpeg/.test(line));
  } catch {
    return []; // ps exits 1 when there are no children.
  }
}

function assertTypedError(code: string): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(error instanceof TingxieError, `expected a TingxieError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace in the message');
    return true;
  };
}

before(async () => {
  ({ dir, cleanup } = await makeTempDir('decode'));
  const tone = ['-f', 'lavfi', '-i', `sine=frequency=${TONE_HZ}:duration=${SECONDS}:sample_rate=44100`];
  // Both channels carry the full tone (ffmpeg's plain -ac 2 upmix would lower each by 3 dB).
  const stereoTone = [...tone, '-af', 'pan=stereo|c0=c0|c1=c0'];
  const jobs: [string, string[]][] = [
    ['mp3', [...stereoTone, '-c:a', 'libmp3lame', '-b:a', '96k']],
    ['m4a', [...tone, '-c:a', 'aac', '-b:a', '96k']],
    ['flac', [...stereoTone, '-c:a', 'flac']],
    ['ogg', [...tone, '-c:a', 'libopus', '-b:a', '48k']],
    ['webm', [...stereoTone, '-c:a', 'libopus', '-b:a', '48k']],
    [
      'mp4',
      ['-f', 'lavfi', '-i', `testsrc=duration=${SECONDS}:size=64x64:rate=10`, ...tone, '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest'],
    ],
  ];
  await Promise.all(
    jobs.map(async ([extension, args]) => {
      files[extension] = join(dir, `tone.${extension}`);
      await runFfmpeg([...args, files[extension]]);
    }),
  );
  files.videoOnly = join(dir, 'video-only.mp4');
  files.long = join(dir, 'long.flac');
  await Promise.all([
    runFfmpeg(['-f', 'lavfi', '-i', 'testsrc=duration=1:size=64x64:rate=10', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-an', files.videoOnly]),
    runFfmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=120:sample_rate=16000', '-c:a', 'flac', files.long]),
  ]);
});
after(() => cleanup());

describe('decode: formats through ffmpeg', () => {
  for (const extension of ['mp3', 'm4a', 'flac', 'ogg', 'webm', 'mp4']) {
    it(`decodes ${extension} to 16 kHz mono with the right duration and pitch`, async () => {
      const decoded = await decodeAudioFile(files[extension]);
      assert.equal(decoded.info.decoder, 'ffmpeg');
      assert.ok(decoded.info.ffmpeg, 'reports which ffmpeg');
      assert.equal(decoded.sampleRate, 16000);
      assert.ok(Math.abs(decoded.durationS - SECONDS) <= 0.05, `${extension}: ${decoded.durationS} s`);
      assert.ok(decoded.info.durationS !== null && Math.abs(decoded.info.durationS - SECONDS) <= 0.1, `${extension}: probe said ${decoded.info.durationS}`);
      const steady = decoded.samples.subarray(3200, 3200 + 16000);
      assert.ok(Math.abs(zeroCrossingFrequency(steady, 16000) - TONE_HZ) < 2, `${extension}: ${zeroCrossingFrequency(steady, 16000)} Hz`);
      // lavfi's sine has amplitude 1/8; lossy codecs keep it within a few percent and the stereo mix averages.
      assert.ok(Math.abs(toneAmplitude(steady, 16000, TONE_HZ) - 0.125) < 0.01, `${extension}: amplitude ${toneAmplitude(steady, 16000, TONE_HZ)}`);
      for (const value of decoded.samples) assert.ok(value >= -1 && value <= 1);
    });
  }

  it('reports the source format from the probe', async () => {
    const stream = await openAudioStream(files.flac);
    assert.equal(stream.info.sourceSampleRate, 44100);
    assert.equal(stream.info.channels, 2);
    for await (const chunk of stream.chunks) {
      assert.equal(chunk.length, 16000);
      break;
    }
  });

  it('yields chunks of chunkSamples (the last one shorter)', async () => {
    const stream = await openAudioStream(files.flac, { chunkSamples: 3000 });
    const sizes: number[] = [];
    for await (const chunk of stream.chunks) sizes.push(chunk.length);
    assert.ok(sizes.slice(0, -1).every((size) => size === 3000));
    assert.ok(sizes[sizes.length - 1] > 0 && sizes[sizes.length - 1] <= 3000);
    assert.equal(sizes.reduce((a, b) => a + b, 0), SECONDS * 16000);
  });
});

describe('decode: real recordings', () => {
  it('decodes jfk.flac (≈ 11 s)', async () => {
    const decoded = await decodeAudioFile(join(SHARED, 'faster-whisper/jfk.flac'));
    assert.ok(Math.abs(decoded.durationS - 11) < 0.05, `${decoded.durationS}`);
    assert.ok(decoded.info.durationS !== null && Math.abs(decoded.info.durationS - 11) < 0.05);
    const peak = decoded.samples.reduce((max, value) => Math.max(max, Math.abs(value)), 0);
    assert.ok(peak > 0.1 && peak < 1, `peak ${peak}: speech, not clipped by the mono mix`);
  });

  it('decodes multilingual.mp3 (24 kHz mono, ≈ 60 s)', async () => {
    const decoded = await decodeAudioFile(join(SHARED, 'faster-whisper/multilingual.mp3'));
    assert.equal(decoded.info.sourceSampleRate, 24000);
    assert.equal(decoded.info.channels, 1);
    assert.ok(decoded.info.durationS !== null && Math.abs(decoded.durationS - decoded.info.durationS) < 0.1, `${decoded.durationS} vs ${decoded.info.durationS}`);
    assert.ok(decoded.durationS > 59 && decoded.durationS < 61);
  });

  it('decodes the 16 kHz WAVs natively', async () => {
    for (const name of ['wenet/aishell-BAC009S0724W0121.wav', 'faster-whisper/stereo_diarization.wav']) {
      const decoded = await decodeAudioFile(join(SHARED, name), { env: {} });
      assert.equal(decoded.info.decoder, 'wav');
      assert.ok(decoded.info.durationS !== null && Math.abs(decoded.durationS - decoded.info.durationS) < 1e-6);
    }
  });
});

describe('decode: bad inputs', () => {
  it('missing file → FILE_NOT_FOUND', async () => {
    await assert.rejects(openAudioStream(join(dir, 'nope.wav')), assertTypedError(ErrorCodes.FILE_NOT_FOUND));
  });

  it('a folder → FILE_NOT_FOUND', async () => {
    await assert.rejects(openAudioStream(dir), assertTypedError(ErrorCodes.FILE_NOT_FOUND));
  });

  it('a device or pipe → FILE_NOT_FOUND (cannot be probed without consuming it)', async () => {
    await assert.rejects(openAudioStream('/dev/null'), assertTypedError(ErrorCodes.FILE_NOT_FOUND));
  });

  it('empty file → AUDIO_EMPTY (with or without ffmpeg)', async () => {
    const path = join(dir, 'empty.mp3');
    await writeFile(path, new Uint8Array(0));
    await assert.rejects(openAudioStream(path), assertTypedError(ErrorCodes.AUDIO_EMPTY));
    await assert.rejects(openAudioStream(path, { env: {} }), assertTypedError(ErrorCodes.AUDIO_EMPTY));
  });

  it('text file renamed .wav → AUDIO_NOT_AUDIO (with or without ffmpeg)', async () => {
    const path = join(dir, 'notes.wav');
    await writeFile(path, 'Meeting notes\nThis is not audio at all.\n'.repeat(20));
    await assert.rejects(openAudioStream(path), assertTypedError(ErrorCodes.AUDIO_NOT_AUDIO));
    await assert.rejects(openAudioStream(path, { env: {} }), assertTypedError(ErrorCodes.AUDIO_NOT_AUDIO));
  });

  it('random bytes named .mp3 → AUDIO_NOT_AUDIO', async () => {
    const path = join(dir, 'random.mp3');
    await writeFile(path, pseudoRandomBytes(100_000, 7));
    await assert.rejects(openAudioStream(path), assertTypedError(ErrorCodes.AUDIO_NOT_AUDIO));
  });

  it('a PNG image → AUDIO_NOT_AUDIO', async () => {
    const path = join(dir, 'picture.png');
    await runFfmpeg(['-f', 'lavfi', '-i', 'testsrc=size=32x32', '-frames:v', '1', path]);
    await assert.rejects(openAudioStream(path), assertTypedError(ErrorCodes.AUDIO_NOT_AUDIO));
  });

  it('video-only mp4 → AUDIO_NO_STREAM', async () => {
    await assert.rejects(openAudioStream(files.videoOnly), assertTypedError(ErrorCodes.AUDIO_NO_STREAM));
  });

  it('truncated WAV (header says more) → AUDIO_TRUNCATED', async () => {
    const bytes = encodeWav([sine(440, 16000, 2)], { sampleRate: 16000, encoding: 'int16' });
    const path = join(dir, 'cut.wav');
    await writeFile(path, bytes.subarray(0, 30000));
    await assert.rejects(openAudioStream(path), assertTypedError(ErrorCodes.AUDIO_TRUNCATED));
  });

  it('MP3 cut in half decodes what is there, without hanging', async () => {
    const bytes = await readFile(files.mp3);
    const path = join(dir, 'half.mp3');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const decoded = await decodeAudioFile(path);
    assert.ok(decoded.durationS > 0.5 && decoded.durationS < 1.5, `${decoded.durationS} s`);
  });

  it('M4A cut in half (index missing) → AUDIO_TRUNCATED', async () => {
    const bytes = await readFile(files.m4a);
    const path = join(dir, 'half.m4a');
    await writeFile(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    await assert.rejects(openAudioStream(path), assertTypedError(ErrorCodes.AUDIO_TRUNCATED));
  });

  it('FFMPEG_PATH pointing at a missing file → FFMPEG_NOT_FOUND naming it; WAV still decodes natively', async () => {
    const env = { FFMPEG_PATH: join(dir, 'no-such-ffmpeg'), PATH: process.env.PATH };
    await assert.rejects(openAudioStream(files.mp3, { env }), (error: unknown) => {
      assertTypedError(ErrorCodes.FFMPEG_NOT_FOUND)(error);
      assert.match((error as Error).message, /no-such-ffmpeg/);
      return true;
    });
    const wav = join(dir, 'fine.wav');
    await writeFile(wav, encodeWav([sine(440, 16000, 0.5)], { sampleRate: 16000, encoding: 'int16' }));
    assert.equal((await decodeAudioFile(wav, { env })).samples.length, 8000);
  });

  it('an ffmpeg location that cannot start → FFMPEG_NOT_FOUND', async () => {
    await assert.rejects(openAudioStream(files.mp3, { ffmpeg: { path: join(dir, 'gone', 'ffmpeg'), source: 'PATH' } }), assertTypedError(ErrorCodes.FFMPEG_NOT_FOUND));
  });

  it('a FLAC that decodes to zero samples → AUDIO_EMPTY (found while iterating)', async () => {
    const path = join(dir, 'zero.flac');
    await runFfmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '0', path]);
    const stream = await openAudioStream(path);
    await assert.rejects(collectSamples(stream.chunks), assertTypedError(ErrorCodes.AUDIO_EMPTY));
  });

  it('an Ogg file with headers but no audio packets → typed error up front', async () => {
    const path = join(dir, 'zero.ogg');
    await runFfmpeg(['-f', 'lavfi', '-i', 'anullsrc=r=16000:cl=mono', '-t', '0', path]);
    await assert.rejects(openAudioStream(path), assertTypedError(ErrorCodes.AUDIO_TRUNCATED));
  });

  it('rejects a bad chunkSamples', async () => {
    await assert.rejects(openAudioStream(files.flac, { chunkSamples: 0 }), assertTypedError(ErrorCodes.CONFIG_INVALID));
  });
});

describe('decode: stopping early', () => {
  it('breaking out of the chunks kills ffmpeg and leaves no process behind', async () => {
    const stream = await openAudioStream(files.long);
    let seen = 0;
    for await (const chunk of stream.chunks) {
      seen += chunk.length;
      // ffmpeg is still running here: it is blocked writing the rest of 120 s into a full pipe.
      assert.ok(ffmpegChildren().length > 0, 'ffmpeg running while iterating');
      if (seen >= 32000) break;
    }
    assert.deepEqual(ffmpegChildren(), []);
  });

  it('aborting the signal mid-stream throws ABORTED and kills ffmpeg', async () => {
    const controller = new AbortController();
    const stream = await openAudioStream(files.long, { signal: controller.signal });
    let chunks = 0;
    await assert.rejects(
      (async () => {
        for await (const _chunk of stream.chunks) {
          if (++chunks === 2) controller.abort();
        }
      })(),
      assertTypedError(ErrorCodes.ABORTED),
    );
    assert.ok(chunks >= 2 && chunks < 120);
    assert.deepEqual(ffmpegChildren(), []);
  });

  it('an already aborted signal stops before any work', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(openAudioStream(files.long, { signal: controller.signal }), assertTypedError(ErrorCodes.ABORTED));
  });

  it('aborting a native WAV stream throws ABORTED', async () => {
    const path = join(dir, 'abort.wav');
    await writeFile(path, encodeWav([sine(440, 16000, 30)], { sampleRate: 16000, encoding: 'int16' }));
    const controller = new AbortController();
    const stream = await openAudioStream(path, { signal: controller.signal });
    let chunks = 0;
    await assert.rejects(
      (async () => {
        for await (const _chunk of stream.chunks) if (++chunks === 1) controller.abort();
      })(),
      assertTypedError(ErrorCodes.ABORTED),
    );
    assert.ok(chunks < 30);
  });

  it('never starts ffmpeg for a stream that is never iterated', async () => {
    await openAudioStream(files.flac);
    assert.deepEqual(ffmpegChildren(), []);
  });
});

describe('decode: SampleChunker', () => {
  it('regroups arbitrary pieces into fixed-size chunks without losing or reordering samples', () => {
    const chunker = new SampleChunker(5);
    const input = Float32Array.from({ length: 23 }, (_, i) => i);
    const out: Float32Array[] = [];
    for (const [start, end] of [[0, 3], [3, 3], [3, 12], [12, 13], [13, 23]]) out.push(...chunker.push(input.subarray(start, end)));
    const last = chunker.flush();
    assert.deepEqual(out.map((chunk) => chunk.length), [5, 5, 5, 5]);
    assert.ok(last);
    assert.deepEqual(Array.from(last), [20, 21, 22]);
    assert.deepEqual(
      out.flatMap((chunk) => Array.from(chunk)),
      Array.from(input.subarray(0, 20)),
    );
    assert.equal(chunker.flush(), null);
  });

  it('collectSamples of a stream equals decodeAudioFile', async () => {
    const stream = await openAudioStream(files.ogg);
    const streamed = await collectSamples(stream.chunks);
    assert.deepEqual(streamed, (await decodeAudioFile(files.ogg)).samples);
  });
});
