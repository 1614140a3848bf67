/**
 * `transcribe-audio-file` (command and file menu) and `insert-meeting-minutes`, through the bundled plugin and
 * a real `tingxie serve` with the tone fixture.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { localDate } from '../../plugins/obsidian/src/transcript-format.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';
import { DATE_WRITTEN, TIME_WRITTEN, startServe, writeAudioFixtures, type ServeChild } from '../server/server-helpers.ts';
import { Notice, TFile } from './obsidian-mock.ts';
import { fileMenu, loadPluginClass, newPlugin, runCommand, type PluginClass } from './plugin-harness.ts';

let temp: { dir: string; cleanup: () => Promise<void> };
let server: ServeChild;
let PluginClass: PluginClass;
let twoWav: Uint8Array;

before(async () => {
  temp = await makeTempDir('obsidian-file');
  twoWav = await readFile((await writeAudioFixtures(temp.dir)).two);
  [server, PluginClass] = await Promise.all([startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', join(temp.dir, 'data')]), loadPluginClass()]);
});

after(async () => {
  await server?.stop();
  await temp?.cleanup();
});

beforeEach(() => {
  Notice.shown = [];
});

test('transcribe-audio-file writes "<name> transcript.md" next to the audio from the default template; a second run keeps it', async () => {
  const { app, plugin } = await newPlugin(PluginClass, { engineUrl: server.url });
  const audio = app.vault.addFile('meetings/2025/two.wav', twoWav);
  app.vault.addFile('Other.md', 'x');
  app.workspace.open(app.vault.getAbstractFileByPath('Other.md') as TFile);
  assert.equal(await runCommand(plugin, 'transcribe-audio-file'), false, 'only offered for audio files');

  app.workspace.open(audio);
  const before = localDate(new Date());
  assert.equal(await runCommand(plugin, 'transcribe-audio-file'), true);
  const written = app.vault.text('meetings/2025/two transcript.md');
  const today = localDate(new Date());
  const expected = (day: string): string => `---\nsource: "[[two.wav]]"\ndate: ${day}\n---\n\n[00:00] ${DATE_WRITTEN}\n[00:07] ${TIME_WRITTEN}\n`;
  assert.ok(written === expected(before) || written === expected(today), written);
  assert.equal(Notice.shown.at(-1), 'Tingxie: wrote meetings/2025/two transcript.md.');

  app.vault.addFile('meetings/2025/two transcript.md', 'edited by hand');
  await runCommand(plugin, 'transcribe-audio-file');
  assert.equal(app.vault.text('meetings/2025/two transcript.md'), 'edited by hand');
  assert.equal(Notice.shown.at(-1), 'Tingxie: meetings/2025/two transcript.md already exists. Delete it, or turn on "Always transcribe again" in Settings → Tingxie.');

  plugin.settings.redoTranscribed = true;
  await runCommand(plugin, 'transcribe-audio-file');
  assert.ok([expected(before), expected(localDate(new Date()))].includes(app.vault.text('meetings/2025/two transcript.md')));
  assert.equal(Notice.shown.at(-1), 'Tingxie: rewrote meetings/2025/two transcript.md.');
});

test('the file menu of an audio file (only) has "Transcribe with Tingxie"; the template fills {{text}} and {{file}}', async () => {
  const { app, plugin } = await newPlugin(PluginClass, { engineUrl: server.url, transcriptTemplate: '# {{file}}\n\n{{text}}\n' });
  const audio = app.vault.addFile('two.wav', twoWav);
  const note = app.vault.addFile('Note.md', '');
  assert.deepEqual(fileMenu(plugin, note).items, []);
  const menu = fileMenu(plugin, audio);
  assert.deepEqual(menu.items.map((i) => i.title), ['Transcribe with Tingxie']);
  menu.items[0]!.handler!();
  await plugin.idle();
  assert.equal(app.vault.text('two transcript.md'), `# two.wav\n\n${DATE_WRITTEN}${TIME_WRITTEN}\n`);

  // Unloading removes the listener.
  plugin.runCleanups();
  assert.deepEqual(fileMenu(plugin, audio).items, []);
});

test('insert-meeting-minutes: Markdown at the cursor, meeting date from the frontmatter, timestamps linking into the audio', async () => {
  const { app, plugin } = await newPlugin(PluginClass, { engineUrl: server.url });
  app.vault.addFile('rec/two.wav', twoWav);
  const note = app.vault.addFile('Weekly.md', '---\ndate: 2025-03-10\n---\n![[two.wav]]\n');
  const view = app.workspace.open(note)!;
  view.editor.setCursor({ line: 4, ch: 0 });
  assert.equal(await runCommand(plugin, 'insert-meeting-minutes'), true);
  const minutes = [
    '## 会议纪要：two',
    '',
    '日期: 2025-03-10 · 时长: 00:09 · 录音: [[two.wav]]',
    '',
    '### 摘要',
    `- ${DATE_WRITTEN} [[two.wav#t=0|00:00]]`,
    `- ${TIME_WRITTEN} [[two.wav#t=7|00:07]]`,
    '',
  ].join('\n');
  assert.equal(app.vault.text('Weekly.md'), `---\ndate: 2025-03-10\n---\n![[two.wav]]\n${minutes}`);

  // After transcribing in the note, minutes come from the engine's history (same result, no second upload).
  app.vault.addFile('Weekly.md', '![[two.wav]]\n');
  await runCommand(plugin, 'transcribe-audio-in-note');
  const transcribed = app.vault.text('Weekly.md');
  view.editor.setCursor({ line: transcribed.split('\n').length - 1, ch: 0 });
  const historyTotal = async (): Promise<number> => ((await (await fetch(`${server.url}/api/history`)).json()) as { total: number }).total;
  const entriesBefore = await historyTotal();
  await runCommand(plugin, 'insert-meeting-minutes');
  assert.equal(await historyTotal(), entriesBefore, 'minutes from the saved transcription, not a new upload');
  assert.match(app.vault.text('Weekly.md'), /^!\[\[two\.wav\]\]\n> \[!transcript\]- two\.wav\n[^]*\n## 会议纪要：two\n\n日期: \d{4}-\d{2}-\d{2} · 时长: 00:09 · 录音: \[\[two\.wav\]\]\n/);
});

test('insert-meeting-minutes without a recording in the note says what to do', async () => {
  const { app, plugin } = await newPlugin(PluginClass, { engineUrl: server.url });
  const note = app.vault.addFile('Empty.md', 'no audio here\n');
  app.workspace.open(note);
  await runCommand(plugin, 'insert-meeting-minutes');
  assert.equal(app.vault.text('Empty.md'), 'no audio here\n');
  assert.deepEqual(Notice.shown, ['Tingxie: Empty.md links no recording; embed one (![[meeting.m4a]]) first.']);
});
