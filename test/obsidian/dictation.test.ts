/**
 * Dictation against a real `tingxie serve`: 48 kHz "microphone" audio resampled to 16 kHz PCM16, streamed over
 * `/api/stream` (with Obsidian's origin), finals inserted at the editor's cursor, states for the status bar.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { Dictation, type DictationState, type OpenMicrophone, type OpenSocket } from '../../plugins/obsidian/src/dictation.ts';
import { EngineClient } from '../../plugins/obsidian/src/engine-client.ts';
import { DEFAULT_SETTINGS, type TingxieSettings } from '../../plugins/obsidian/src/settings.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';
import { DATE_WRITTEN, TIME_WRITTEN, startServe, writeAudioFixtures, type ServeChild } from '../server/server-helpers.ts';
import { App, Editor, requestUrl } from './obsidian-mock.ts';

const execFileAsync = promisify(execFile);

let temp: { dir: string; cleanup: () => Promise<void> };
let server: ServeChild;
/** two.wav at 48 kHz, float32 mono, shape [n]. */
let mic48k: Float32Array;

before(async () => {
  temp = await makeTempDir('obsidian-dictation');
  const audio = await writeAudioFixtures(temp.dir);
  const raw = join(temp.dir, 'two-48k.f32');
  await execFileAsync('sox', [audio.two, '-r', '48000', '-c', '1', '-t', 'f32', raw]);
  const bytes = await readFile(raw);
  mic48k = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  server = await startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', join(temp.dir, 'data')]);
});

after(async () => {
  await server?.stop();
  await temp?.cleanup();
});

/** `ws` behind the plugin's socket port, sending Obsidian's Origin header. */
const openWsSocket: OpenSocket = (url, handlers) => {
  const socket = new WebSocket(url, { origin: 'app://obsidian.md' });
  socket.on('open', () => handlers.onOpen());
  socket.on('message', (data, isBinary) => handlers.onMessage(isBinary ? data : data.toString()));
  socket.on('error', () => handlers.onError());
  socket.on('close', (code, reason) => handlers.onClose(code, reason.toString()));
  return {
    get open() {
      return socket.readyState === WebSocket.OPEN;
    },
    send: (data) => socket.send(data),
    close: (code) => socket.close(code),
  };
};

function setup(settings: TingxieSettings): { dictation: Dictation; editor: Editor; states: DictationState[]; notices: string[]; feed: () => void; micStopped: () => boolean } {
  const app = new App();
  const note = app.vault.addFile('Dictated.md', 'Note: ');
  const editor = app.workspace.open(note)!.editor;
  editor.setCursor({ line: 0, ch: 6 });
  const states: DictationState[] = [];
  const notices: string[] = [];
  let onAudio: ((samples: Float32Array, rate: number) => void) | null = null;
  let stopped = false;
  const openMicrophone: OpenMicrophone = async (callback) => {
    onAudio = callback;
    return { stop: () => (stopped = true) };
  };
  const dictation = new Dictation({
    client: new EngineClient(requestUrl, () => settings),
    settings: () => settings,
    openSocket: openWsSocket,
    openMicrophone,
    notify: (message) => {
      notices.push(message);
      return { setMessage: (m) => notices.push(m), hide: () => {} };
    },
    editor: () => editor,
    onState: (state) => {
      if (states.at(-1) !== state) states.push(state);
    },
  });
  // 4096-sample blocks, as a ScriptProcessor delivers them.
  const feed = (): void => {
    for (let i = 0; i < mic48k.length; i += 4096) onAudio!(mic48k.subarray(i, i + 4096), 48000);
  };
  return { dictation, editor, states, notices, feed, micStopped: () => stopped };
}

test('dictation: finals land at the cursor, in order; the status goes connecting → listening → stopping → idle', async () => {
  const { dictation, editor, states, notices, feed, micStopped } = setup({ ...DEFAULT_SETTINGS, engineUrl: server.url });
  await dictation.start();
  assert.equal(dictation.state, 'listening', notices.join('\n'));
  feed();
  await dictation.stop();
  assert.equal(editor.getValue(), `Note: ${DATE_WRITTEN}${TIME_WRITTEN}`);
  assert.deepEqual(editor.getCursor(), { line: 0, ch: `Note: ${DATE_WRITTEN}${TIME_WRITTEN}`.length });
  assert.deepEqual(states, ['connecting', 'listening', 'stopping', 'idle']);
  assert.equal(micStopped(), true);
  assert.deepEqual(notices, []);
});

test('dictation with the engine down: a notice says how to start it, and the state returns to idle', async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const { dictation, editor, states, notices } = setup({ ...DEFAULT_SETTINGS, engineUrl: `http://127.0.0.1:${closedPort}` });
  await dictation.start();
  assert.equal(dictation.state, 'idle');
  assert.deepEqual(states, ['connecting', 'idle']);
  assert.deepEqual(notices, [`Tingxie: dictation failed: Cannot reach the Tingxie engine at http://127.0.0.1:${closedPort}. Start it with "tingxie serve", or fix the engine URL in Settings → Tingxie.`]);
  assert.equal(editor.getValue(), 'Note: ');
});
