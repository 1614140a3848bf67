/**
 * End to end: the `tingxie` CLI as a real child process, on audio made for the tone fixture
 * (tones over a low-passed speech bed, so Silero VAD hears speech), asserting exact text.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeWav16 } from '../../models/fixtures/tone.ts';
import { makeTempDir, runFfmpeg } from '../helpers/audio-fixtures.ts';
import { REPO_ROOT, TONE_FIXTURE_DIR, concatAudio, loadToneSpec, makeSpeechBed, toneSpeech } from '../helpers/tone-speech.ts';
import { cudaProviderInstalled } from '../../engine/src/models/device.ts';

const CLI = join(REPO_ROOT, 'engine/bin/tingxie.js');
const DATE_TEXT = '二零二五年三月十二号下午三点';
const TIME_TEXT = '上午十点半';
// The same sentences in written form (ITN on, the default).
const DATE_WRITTEN = '2025年3月12日下午3点';
const TIME_WRITTEN = '上午10点半';

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function runTingxie(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    // A private data dir by default, so a developer's saved models and hotwords never leak in.
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, TINGXIE_HOME: join(temp.dir, 'default-home'), ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let temp: { dir: string; cleanup: () => Promise<void> };
let oneUtterance: string;
let twoUtterances: string;

before(async () => {
  temp = await makeTempDir('cli');
  const spec = loadToneSpec();
  const bed = await makeSpeechBed(temp.dir);
  oneUtterance = join(temp.dir, 'date.wav');
  await writeWav16(oneUtterance, toneSpeech(DATE_TEXT, spec, bed));
  twoUtterances = join(temp.dir, 'two.wav');
  await writeWav16(
    twoUtterances,
    concatAudio(toneSpeech(DATE_TEXT, spec, bed, { leadS: 0.5, trailS: 1 }), toneSpeech(TIME_TEXT, spec, bed, { leadS: 1, trailS: 0.5 })),
  );
});

after(async () => {
  await temp.cleanup();
});

test('transcribes a WAV to the exact text with VAD on: written form by default, spoken with --no-itn', async () => {
  const run = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR, oneUtterance]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, `${DATE_WRITTEN}\n`);
  const spoken = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR, '--no-itn', oneUtterance]);
  assert.equal(spoken.code, 0, spoken.stderr);
  assert.equal(spoken.stdout, `${DATE_TEXT}\n`);
});

test('JSON output: segments split at the pause, timestamps offset by the segment start', async () => {
  const run = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR, '--format', 'json', twoUtterances]);
  assert.equal(run.code, 0, run.stderr);
  const json = JSON.parse(run.stdout) as {
    file: string;
    duration: number;
    language: string;
    text: string;
    raw_text: string;
    segments: { start: number; end: number; text: string; raw_text: string; tokens: string[]; timestamps: number[] }[];
    vad: { numSegments: number; numPauses: number; longestSilenceS: number; speechRatio: number };
  };
  assert.equal(json.file, twoUtterances);
  assert.equal(json.raw_text, DATE_TEXT + TIME_TEXT);
  assert.equal(json.text, DATE_WRITTEN + TIME_WRITTEN);
  assert.equal(json.language, 'zh');
  assert.deepEqual(json.segments.map((s) => s.raw_text), [DATE_TEXT, TIME_TEXT]);
  assert.deepEqual(json.segments.map((s) => s.text), [DATE_WRITTEN, TIME_WRITTEN]);
  const [first, second] = json.segments;
  // The first utterance's tones start after 0.5 s of silence; the second after the first one ends plus 2 s.
  assert.ok(first!.start > 0.2 && first!.start < 0.6, `first segment starts at ${first!.start}`);
  assert.ok(second!.start > first!.end + 1.5, `second segment (${second!.start}) starts well after the first ends (${first!.end})`);
  for (const segment of json.segments) {
    assert.equal(segment.tokens.join(''), segment.raw_text);
    assert.equal(segment.timestamps.length, segment.tokens.length);
    for (const t of segment.timestamps) assert.ok(t >= segment.start - 1e-6 && t <= segment.end + 1e-6, `token time ${t} inside [${segment.start}, ${segment.end}]`);
    for (let i = 1; i < segment.timestamps.length; i++) assert.ok(segment.timestamps[i]! > segment.timestamps[i - 1]!);
  }
  assert.equal(json.vad.numSegments, 2);
  assert.equal(json.vad.numPauses, 1);
  assert.ok(json.vad.longestSilenceS > 1.5);
  assert.ok(json.duration > 9 && json.duration < 12, `duration ${json.duration}`);
});

test('SRT, VTT and CSV written into --output, one file per input', async () => {
  const out = join(temp.dir, 'out');
  for (const format of ['srt', 'vtt', 'csv']) {
    const run = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR, '--format', format, '--output', out, twoUtterances]);
    assert.equal(run.code, 0, run.stderr);
  }
  assert.deepEqual((await readdir(out)).sort(), ['two.csv', 'two.srt', 'two.vtt']);
  const srt = await readFile(join(out, 'two.srt'), 'utf8');
  assert.match(srt, new RegExp(`^1\\n00:00:00,\\d{3} --> 00:00:0\\d,\\d{3}\\n${DATE_WRITTEN}\\n\\n2\\n00:00:\\d\\d,\\d{3} --> 00:00:\\d\\d,\\d{3}\\n${TIME_WRITTEN}\\n$`));
  const vtt = await readFile(join(out, 'two.vtt'), 'utf8');
  assert.ok(vtt.startsWith('WEBVTT\n\n00:00:00.'));
  const csv = (await readFile(join(out, 'two.csv'), 'utf8')).trim().split('\r\n');
  assert.equal(csv.length, 3);
  assert.ok(csv[2]!.endsWith(`,zh,${TIME_WRITTEN}`));
});

test('every container ffmpeg decodes gives the same text', async () => {
  const cases: [string, string[]][] = [
    ['mp3', ['-c:a', 'libmp3lame', '-b:a', '192k']],
    ['m4a', ['-c:a', 'aac', '-b:a', '192k']],
    ['flac', ['-c:a', 'flac']],
    ['ogg', ['-c:a', 'libopus', '-b:a', '128k']],
    ['webm', ['-c:a', 'libopus', '-b:a', '128k']],
  ];
  const files: string[] = [];
  for (const [ext, codec] of cases) {
    const file = join(temp.dir, `date.${ext}`);
    await runFfmpeg(['-y', '-i', oneUtterance, ...codec, file]);
    files.push(file);
  }
  const mp4 = join(temp.dir, 'video.mp4');
  await runFfmpeg(['-y', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=10', '-i', oneUtterance, '-shortest', '-c:v', 'mpeg4', '-c:a', 'aac', '-b:a', '192k', mp4]);
  files.push(mp4);
  const run = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR, '--format', 'json', ...files]);
  assert.equal(run.code, 0, run.stderr);
  const results = JSON.parse(run.stdout) as { file: string; text: string }[];
  assert.deepEqual(results.map((r) => r.file), files);
  for (const result of results) assert.equal(result.text, DATE_WRITTEN, result.file);
});

test('a bad file among good ones: typed error for it, the others still transcribed, exit 1', async () => {
  const notAudio = join(temp.dir, 'notes.mp3');
  await writeFile(notAudio, 'These are meeting notes, not audio.\n'.repeat(50));
  const empty = join(temp.dir, 'empty.wav');
  await writeFile(empty, '');
  const run = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR, join(temp.dir, 'missing.wav'), notAudio, empty, oneUtterance]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error\[FILE_NOT_FOUND\] .*missing\.wav: /);
  assert.match(run.stderr, /error\[AUDIO_NOT_AUDIO\] .*notes\.mp3: /);
  assert.match(run.stderr, /error\[AUDIO_EMPTY\] .*empty\.wav: /);
  assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  assert.ok(run.stdout.includes(DATE_WRITTEN));
});

test('usage errors exit 2 with a message', async () => {
  const badLanguage = await runTingxie(['transcribe', '--language', 'fr', oneUtterance]);
  assert.equal(badLanguage.code, 2);
  assert.match(badLanguage.stderr, /error\[USAGE\]: Unknown language "fr"/);
  const unknownFlag = await runTingxie(['transcribe', '--frobnicate', oneUtterance]);
  assert.equal(unknownFlag.code, 2);
  const unknownCommand = await runTingxie(['transcribbe']);
  assert.equal(unknownCommand.code, 2);
  assert.match(unknownCommand.stderr, /Unknown command/);
  const noFiles = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR]);
  assert.equal(noFiles.code, 2);
});

test('no model installed: says how to get one', async () => {
  const home = join(temp.dir, 'empty-home');
  const run = await runTingxie(['transcribe', oneUtterance], { TINGXIE_HOME: home, TINGXIE_MODEL_PATH: '' });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /error\[MODEL_NOT_FOUND\]: No model installed\. Run "tingxie models pull"/);
});

test('CUDA without a GPU build: DEVICE_UNAVAILABLE, or CPU with --cuda-fallback', async () => {
  const strict = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR, '--device', 'cuda', oneUtterance]);
  assert.equal(strict.code, 1);
  assert.match(strict.stderr, /error\[DEVICE_UNAVAILABLE\]: .*CUDA/);
  const fallback = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR, '--device', 'cuda', '--cuda-fallback', oneUtterance]);
  assert.equal(fallback.code, 0, fallback.stderr);
  assert.match(fallback.stderr, / on cpu/);
  assert.equal(fallback.stdout, `${DATE_WRITTEN}\n`);
  const invalid = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR, '--device', 'tpu', oneUtterance]);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /error\[DEVICE_INVALID\]/);
});

test('models list shows the catalogue with its default; import installs a folder', async () => {
  const home = join(temp.dir, 'home');
  const list = await runTingxie(['models', 'list', '--json'], { TINGXIE_HOME: home });
  assert.equal(list.code, 0, list.stderr);
  const models = JSON.parse(list.stdout) as { id: string; isDefault: boolean; status: string }[];
  const defaults = models.filter((m) => m.isDefault);
  assert.equal(defaults.length, 1);
  assert.equal(defaults[0]!.status, 'not-installed');
  const imported = await runTingxie(['models', 'import', TONE_FIXTURE_DIR, '--id', 'tone-fixture-copy'], { TINGXIE_HOME: home });
  assert.equal(imported.code, 0, imported.stderr);
  const verify = await runTingxie(['models', 'verify', 'tone-fixture-copy'], { TINGXIE_HOME: home });
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, /tone-fixture-copy: OK/);
  const run = await runTingxie(['transcribe', '--model-path', join(home, 'models', 'tone-fixture-copy'), oneUtterance]);
  assert.equal(run.stdout, `${DATE_WRITTEN}\n`);
});

test('doctor says which ffmpeg was found and where models live', async () => {
  const run = await runTingxie(['doctor'], { TINGXIE_HOME: join(temp.dir, 'doctor-home') });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /ffmpeg: \S+ \(found via (PATH|FFMPEG_PATH|ffmpeg-static)\)/);
  assert.match(run.stdout, /models dir: .*doctor-home\/models/);
  assert.match(run.stdout, /^devices: cpu \(\d+ threads by default\)$/m);
  assert.match(run.stdout, cudaProviderInstalled() ? /^cuda: provider library installed/m : /^cuda: not available — .*README 'GPU'/m);
  const missing = await runTingxie(['doctor'], { FFMPEG_PATH: join(temp.dir, 'no-such-ffmpeg') });
  assert.match(missing.stdout, /ffmpeg: not found — .*FFMPEG_PATH/);
});

test('the saved hotword list applies to every run until --no-saved-hotwords', async () => {
  const home = { TINGXIE_HOME: join(temp.dir, 'hotwords-home') };
  const set = await runTingxie(['hotwords', 'set', '十二号=>十三号,陈露 2'], home);
  assert.equal(set.code, 0, set.stderr);
  const show = await runTingxie(['hotwords', 'show'], home);
  assert.equal(show.stdout, '陈露 2\n十二号=>十三号\n');
  const withSaved = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR, '--no-itn', oneUtterance], home);
  assert.equal(withSaved.code, 0, withSaved.stderr);
  assert.equal(withSaved.stdout, '二零二五年三月十三号下午三点\n');
  const without = await runTingxie(['transcribe', '--model-path', TONE_FIXTURE_DIR, '--no-itn', '--no-saved-hotwords', oneUtterance], home);
  assert.equal(without.stdout, `${DATE_TEXT}\n`);
  const bad = await runTingxie(['hotwords', 'add', 'x 0'], home);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /error\[CONFIG_INVALID\]: hotwords line 1/);
  const cleared = await runTingxie(['hotwords', 'clear'], home);
  assert.equal(cleared.code, 0);
  assert.equal((await runTingxie(['hotwords', 'show'], home)).stdout, '');
});
