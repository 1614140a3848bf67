/**
 * Writes a long 16 kHz mono 16-bit WAV for the RSS benchmark without holding it in memory:
 * tone-fixture sentences over the speech bed, separated by pauses, repeated.
 *   node --import tsx test/bench/long-audio.ts OUT.wav SECONDS
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatAudio, loadToneSpec, makeSpeechBed, toneSpeech } from '../helpers/tone-speech.ts';

const [out, secondsArg] = process.argv.slice(2);
if (!out || !secondsArg) throw new Error('usage: long-audio.ts OUT.wav SECONDS');
const totalSamples = Math.round(Number(secondsArg) * 16000);
const scratch = await mkdtemp(join(tmpdir(), 'tingxie-long-'));
const bed = await makeSpeechBed(scratch);
await rm(scratch, { recursive: true, force: true });
const spec = loadToneSpec();
const block = concatAudio(
  toneSpeech('二零二五年三月十二号下午三点', spec, bed, { leadS: 0.7, trailS: 0.7 }),
  toneSpeech('上午十点半', spec, bed, { leadS: 0.5, trailS: 2 }),
  toneSpeech('一百二十三元', spec, bed, { leadS: 0.5, trailS: 1.2 }),
);
const pcm = Buffer.alloc(block.length * 2);
for (let i = 0; i < block.length; i++) pcm.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(block[i]! * 32767))), i * 2);

const header = Buffer.alloc(44);
header.write('RIFF', 0);
header.writeUInt32LE(36 + totalSamples * 2, 4);
header.write('WAVEfmt ', 8);
header.writeUInt32LE(16, 16);
header.writeUInt16LE(1, 20);
header.writeUInt16LE(1, 22);
header.writeUInt32LE(16000, 24);
header.writeUInt32LE(32000, 28);
header.writeUInt16LE(2, 32);
header.writeUInt16LE(16, 34);
header.write('data', 36);
header.writeUInt32LE(totalSamples * 2, 40);

const stream = createWriteStream(out);
const write = (chunk: Buffer): Promise<void> => new Promise((resolve, reject) => (stream.write(chunk, (e) => (e ? reject(e) : resolve()))));
await write(header);
for (let written = 0; written < totalSamples; written += block.length) {
  const n = Math.min(block.length, totalSamples - written);
  await write(pcm.subarray(0, n * 2));
}
await new Promise<void>((resolve) => stream.end(resolve));
