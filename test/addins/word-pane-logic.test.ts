/** The task pane's DOM-free parts: error messages, settings storage, audio conversion, dictation spacing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Resampler, floatToPcm16 } from '../../addins/word/src/audio.ts';
import { dictationPiece } from '../../addins/word/src/format.ts';
import { message, uiLanguageFor } from '../../addins/word/src/i18n.ts';
import { PaneError, keyForErrorCode } from '../../addins/word/src/pane-errors.ts';
import { defaultSettings, loadSettings, saveSettings, type KeyValueStore } from '../../addins/word/src/settings.ts';

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, get: (key) => data.get(key) ?? null, set: async (key, value) => void data.set(key, value) };
}

test('engine error codes map to messages that say what to do, in both languages', () => {
  assert.equal(keyForErrorCode('AUTH_INVALID'), 'errAuthInvalid');
  assert.equal(keyForErrorCode('AUTH_REQUIRED'), 'errAuthRequired');
  assert.equal(keyForErrorCode(undefined, 401), 'errAuthRequired');
  assert.equal(keyForErrorCode('MODEL_NOT_LOADED'), 'errNoModel');
  assert.equal(keyForErrorCode('ORIGIN_NOT_ALLOWED'), 'errOrigin');
  assert.equal(keyForErrorCode('STREAM_OVERLOADED'), 'errBusy');
  assert.equal(keyForErrorCode('AUDIO_NOT_AUDIO'), 'errAudio');
  assert.equal(keyForErrorCode(undefined, 413), 'errTooLarge');
  assert.equal(keyForErrorCode('INTERNAL', 500), 'errGeneric');
  assert.match(message('en', 'errNoModel'), /tingxie models pull/);
  assert.match(message('zh', 'errNoModel'), /tingxie models pull/);
  assert.match(message('zh', 'errAuthInvalid'), /~\/\.tingxie\/token/);
  assert.match(message('en', 'errMicDenied'), /Allow the microphone/);
  assert.equal(message('en', 'errGeneric', { message: 'boom' }), 'The engine reported an error: boom');
  assert.match(message('zh', 'errUnreachable', { url: 'https://localhost:7860' }), /^无法连接引擎 https:\/\/localhost:7860。/);
  const error = new PaneError('errGeneric', { message: 'x' });
  assert.equal(error.message, 'errGeneric: x');
  assert.equal(uiLanguageFor('zh-TW'), 'zh');
  assert.equal(uiLanguageFor('en-US'), 'en');
  assert.equal(uiLanguageFor(null), 'en');
});

test('settings: saved and loaded through the store, malformed values fall back to defaults', async () => {
  const store = memoryStore();
  const defaults = defaultSettings('https://localhost:7860', 'zh');
  assert.deepEqual(loadSettings(store, defaults), defaults);
  const changed = { ...defaults, engineUrl: 'https://asr.corp:7860', token: 'secret', language: 'en', itn: false, format: 'table' as const, uiLanguage: 'en' as const };
  await saveSettings(store, changed);
  assert.deepEqual(loadSettings(store, defaults), changed);
  store.data.set('tingxie.word.settings', JSON.stringify({ engineUrl: '  ', language: 'xx', itn: 'yes', format: 'poem', uiLanguage: 'fr', token: 7 }));
  assert.deepEqual(loadSettings(store, defaults), defaults);
  store.data.set('tingxie.word.settings', '{not json');
  assert.deepEqual(loadSettings(store, defaults), defaults);
});

test('Resampler: 48 kHz chunks become 16 kHz with continuous phase across chunk boundaries', () => {
  // 1 kHz sine at 48 kHz, fed in uneven chunks; the output must match the sine sampled at 16 kHz.
  const input = Float32Array.from({ length: 4800 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 48000));
  const resampler = new Resampler(48000);
  const parts: Float32Array[] = [];
  for (let offset = 0, size = 127; offset < input.length; offset += size, size = size === 127 ? 333 : 127) parts.push(resampler.push(input.subarray(offset, offset + size)));
  const out = Float32Array.from(parts.flatMap((part) => [...part]));
  assert.ok(out.length >= 1599 && out.length <= 1600, `length ${out.length}`);
  for (let i = 0; i < out.length; i++) assert.ok(Math.abs(out[i]! - Math.sin((2 * Math.PI * 1000 * i) / 16000)) < 1e-3, `sample ${i}`);
  const same = new Float32Array([0.1, 0.2]);
  assert.equal(new Resampler(16000).push(same), same);
});

test('floatToPcm16: little-endian, clipped to the int16 range', () => {
  const bytes = new DataView(floatToPcm16(new Float32Array([0, 1, -1, 2, -2, 0.5])));
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => bytes.getInt16(i * 2, true)), [0, 32767, -32768, 32767, -32768, 16384]);
  assert.equal(bytes.byteLength, 12);
});

test('dictationPiece: spaces between Latin words, none between Chinese segments', () => {
  assert.equal(dictationPiece('', ' hello world '), 'hello world');
  assert.equal(dictationPiece('hello world.', 'the test'), ' the test');
  assert.equal(dictationPiece('2025年3月12日', '上午10点半'), '上午10点半');
  assert.equal(dictationPiece('下午3点', 'hello'), 'hello');
  assert.equal(dictationPiece('hello', '   '), '');
});
