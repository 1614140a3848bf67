/**
 * The plugin as Obsidian loads it (main.ts bundled, `obsidian` = the mock) against a real `tingxie serve` child
 * process with the tone fixture: exact note text after `transcribe-audio-in-note` and friends.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';
import { DATE_WRITTEN, TIME_WRITTEN, startServe, writeAudioFixtures, type ServeChild } from '../server/server-helpers.ts';
import { Notice, type App } from './obsidian-mock.ts';
import { loadPluginClass, newPlugin, runCommand, type LoadedPlugin, type PluginClass } from './plugin-harness.ts';

let temp: { dir: string; cleanup: () => Promise<void> };
let server: ServeChild;
let PluginClass: PluginClass;
let dateWav: Uint8Array;
let twoWav: Uint8Array;

/** What the engine hears in the fixtures (segment starts 0.96 s; 0.58 s and 7.07 s). */
const DATE_LINES = [`> [00:00] ${DATE_WRITTEN}`];
const TWO_LINES = [`> [00:00] ${DATE_WRITTEN}`, `> [00:07] ${TIME_WRITTEN}`];
const callout = (title: string, lines: string[]): string => [`> [!transcript]- ${title}`, ...lines].join('\n');

before(async () => {
  temp = await makeTempDir('obsidian-note');
  const audio = await writeAudioFixtures(temp.dir);
  dateWav = await readFile(audio.date);
  twoWav = await readFile(audio.two);
  [server, PluginClass] = await Promise.all([startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', join(temp.dir, 'data')]), loadPluginClass()]);
});

after(async () => {
  await server?.stop();
  await temp?.cleanup();
});

beforeEach(() => {
  Notice.shown = [];
});

async function vaultWith(files: Record<string, string | Uint8Array>, open: string, engineUrl = server.url): Promise<{ app: App; plugin: LoadedPlugin }> {
  const loaded = await newPlugin(PluginClass, { engineUrl });
  for (const [path, data] of Object.entries(files)) loaded.app.vault.addFile(path, data);
  const file = loaded.app.vault.getAbstractFileByPath(open);
  loaded.app.workspace.open(file as never);
  return loaded;
}

test('one embed: the transcript callout goes on the lines right after the embed, text after it stays', async () => {
  const { app, plugin } = await vaultWith({ 'Standup.md': '# Standup\n\n![[date.wav]]\nAfter the call.\n', 'date.wav': dateWav }, 'Standup.md');
  assert.equal(await runCommand(plugin, 'transcribe-audio-in-note'), true);
  assert.equal(app.vault.text('Standup.md'), `# Standup\n\n![[date.wav]]\n${callout('date.wav', DATE_LINES)}\n\nAfter the call.\n`);
  assert.deepEqual(Notice.shown.slice(-1), ['Tingxie: transcribed date.wav.']);
});

test('several embeds, two on one line: each after its line, in document order', async () => {
  const note = ['Intro', '![[date.wav]] and ![[two.wav]]', '', 'Middle', '![[two.wav]]', 'End'].join('\n');
  const { app, plugin } = await vaultWith({ 'Many.md': note, 'date.wav': dateWav, 'two.wav': twoWav }, 'Many.md');
  await runCommand(plugin, 'transcribe-audio-in-note');
  const expected = ['Intro', '![[date.wav]] and ![[two.wav]]', callout('date.wav', DATE_LINES), '', callout('two.wav', TWO_LINES), '', 'Middle', '![[two.wav]]', 'End'].join('\n');
  assert.equal(app.vault.text('Many.md'), expected);
});

test('audio in a subfolder: wiki embed by name and a Markdown link by path (URL-encoded), from a note in another folder', async () => {
  const note = '## Call\n![[two.wav]]\n![clip](attachments/rec/date%20copy.wav)\n';
  const { app, plugin } = await vaultWith({ 'notes/Call.md': note, 'attachments/rec/two.wav': twoWav, 'attachments/rec/date copy.wav': dateWav }, 'notes/Call.md');
  await runCommand(plugin, 'transcribe-audio-in-note');
  assert.equal(app.vault.text('notes/Call.md'), `## Call\n![[two.wav]]\n${callout('two.wav', TWO_LINES)}\n\n![clip](attachments/rec/date%20copy.wav)\n${callout('date copy.wav', DATE_LINES)}\n`);
});

test('a note with frontmatter: links in the frontmatter are left alone and nothing is written into it', async () => {
  const note = '---\ntitle: Sync\naudio: "[[date.wav]]"\n---\n![[two.wav]]';
  const { app, plugin } = await vaultWith({ 'Sync.md': note, 'date.wav': dateWav, 'two.wav': twoWav }, 'Sync.md');
  await runCommand(plugin, 'transcribe-audio-in-note');
  assert.equal(app.vault.text('Sync.md'), `---\ntitle: Sync\naudio: "[[date.wav]]"\n---\n![[two.wav]]\n${callout('two.wav', TWO_LINES)}`);
});

test('a wiki-link without "!" (with an alias) is an attachment too; the link itself is untouched', async () => {
  const { app, plugin } = await vaultWith({ 'Memo.md': 'Listen to [[date.wav|the memo]] later.\n- next item\n', 'date.wav': dateWav }, 'Memo.md');
  await runCommand(plugin, 'transcribe-audio-in-note');
  assert.equal(app.vault.text('Memo.md'), `Listen to [[date.wav|the memo]] later.\n${callout('date.wav', DATE_LINES)}\n\n- next item\n`);
});

test('a missing audio file: a notice names it and says what to do; the others are still transcribed', async () => {
  const { app, plugin } = await vaultWith({ 'Gap.md': '![[gone.m4a]]\n![[date.wav]]\n', 'date.wav': dateWav }, 'Gap.md');
  await runCommand(plugin, 'transcribe-audio-in-note');
  assert.equal(app.vault.text('Gap.md'), `![[gone.m4a]]\n![[date.wav]]\n${callout('date.wav', DATE_LINES)}\n`);
  assert.ok(Notice.shown.includes('Tingxie: "gone.m4a" is linked in Gap.md but is not in the vault. Fix the link or add the file, then run the command again.'), Notice.shown.join('\n'));
});

test('the engine down: the note is unchanged and the notice says how to start the engine', async () => {
  const closedPort = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
  const note = '![[date.wav]]\n![[two.wav]]\n';
  const { app, plugin } = await vaultWith({ 'Down.md': note, 'date.wav': dateWav, 'two.wav': twoWav }, 'Down.md', `http://127.0.0.1:${closedPort}`);
  await runCommand(plugin, 'transcribe-audio-in-note');
  assert.equal(app.vault.text('Down.md'), note);
  const errors = Notice.shown.filter((m) => m.includes('Cannot reach'));
  assert.equal(errors.length, 1, 'one notice, not one per file');
  assert.match(errors[0]!, new RegExp(`^Tingxie: Cannot reach the Tingxie engine at http://127\\.0\\.0\\.1:${closedPort} \\(.+\\)\\. Start it with "tingxie serve"`));
});

test('a second run does not duplicate; retranscribe replaces the callout in place', async () => {
  const { app, plugin } = await vaultWith({ 'Again.md': 'Top\n![[date.wav]]\nBottom', 'date.wav': dateWav }, 'Again.md');
  await runCommand(plugin, 'transcribe-audio-in-note');
  const once = `Top\n![[date.wav]]\n${callout('date.wav', DATE_LINES)}\n\nBottom`;
  assert.equal(app.vault.text('Again.md'), once);
  Notice.shown = [];
  await runCommand(plugin, 'transcribe-audio-in-note');
  assert.equal(app.vault.text('Again.md'), once);
  assert.deepEqual(Notice.shown, ['Tingxie: date.wav already transcribed. Use "Retranscribe audio in note" to transcribe again.']);

  // Retranscribe with other settings: the same callout, rewritten where it is.
  plugin.settings.timestampFormat = 'hh:mm:ss';
  plugin.settings.calloutFold = '';
  await runCommand(plugin, 'retranscribe-audio-in-note');
  assert.equal(app.vault.text('Again.md'), `Top\n![[date.wav]]\n> [!transcript] date.wav\n> [00:00:00] ${DATE_WRITTEN}\n\nBottom`);
});

test('a bad token: the notice says where to find the token', async () => {
  const dataDir = join(temp.dir, 'data-token');
  const guarded = await startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', dataDir], { env: { TINGXIE_TOKEN: 'right-token-0123456789abcdef0123456789' } });
  try {
    const { app, plugin } = await vaultWith({ 'T.md': '![[date.wav]]\n', 'date.wav': dateWav }, 'T.md', guarded.url);
    plugin.settings.token = 'wrong';
    await runCommand(plugin, 'transcribe-audio-in-note');
    assert.equal(app.vault.text('T.md'), '![[date.wav]]\n');
    assert.ok(Notice.shown.some((m) => /^Tingxie: could not transcribe date\.wav: .+ Check the token in Settings → Tingxie/.test(m)), Notice.shown.join('\n'));
  } finally {
    await guarded.stop();
  }
});

test('a non-ASCII file name reaches the engine intact (its history shows it)', async () => {
  const { app, plugin } = await vaultWith({ '周会.md': '![[周会 录音.wav]]\n', '周会 录音.wav': dateWav }, '周会.md');
  await runCommand(plugin, 'transcribe-audio-in-note');
  assert.equal(app.vault.text('周会.md'), `![[周会 录音.wav]]\n${callout('周会 录音.wav', DATE_LINES)}\n`);
  const history = (await (await fetch(`${server.url}/api/history?q=${encodeURIComponent(DATE_WRITTEN)}&limit=100`)).json()) as { items: { filename: string }[] };
  assert.ok(history.items.some((item) => item.filename === '周会 录音.wav'), JSON.stringify(history.items.map((i) => i.filename)));
});

test('an engine without a model: the notice says how to install one; the note is unchanged', async () => {
  const bare = await startServe(['--data-dir', join(temp.dir, 'data-bare')]);
  try {
    const { app, plugin } = await vaultWith({ 'M.md': '![[date.wav]]\n', 'date.wav': dateWav }, 'M.md', bare.url);
    await runCommand(plugin, 'transcribe-audio-in-note');
    assert.equal(app.vault.text('M.md'), '![[date.wav]]\n');
    assert.ok(Notice.shown.some((m) => /^Tingxie: could not transcribe date\.wav: .+ Install a model with "tingxie models pull", then restart "tingxie serve"\.$/.test(m)), Notice.shown.join('\n'));
  } finally {
    await bare.stop();
  }
});
