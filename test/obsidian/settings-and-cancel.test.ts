/** The settings tab (through the bundled plugin and the mock's setting builders) and cancelling a long run. */
import assert from 'node:assert/strict';
import { beforeEach, test } from 'node:test';
import { EngineClient } from '../../plugins/obsidian/src/engine-client.ts';
import type { RequestUrlResult } from '../../plugins/obsidian/src/ports.ts';
import { DEFAULT_SETTINGS } from '../../plugins/obsidian/src/settings.ts';
import { Cancellation, NoteTranscriber } from '../../plugins/obsidian/src/transcribe-note.ts';
import { App, DropdownComponent, Notice, Setting, ValueComponent, type PluginSettingTab } from './obsidian-mock.ts';
import { loadPluginClass, newPlugin } from './plugin-harness.ts';

beforeEach(() => {
  Notice.shown = [];
});

function settingNamed(tab: PluginSettingTab, name: string): Setting {
  const setting = tab.containerEl.children.find((c): c is Setting => c instanceof Setting && c.name === name);
  if (!setting) throw new Error(`no setting "${name}"`);
  return setting;
}

test('settings tab: every setting is there, edits are saved, invalid callout types are refused', async () => {
  const { plugin } = await newPlugin(await loadPluginClass(), { engineUrl: 'http://127.0.0.1:1' });
  const tab = plugin.settingTabs[0]!;
  tab.display();
  const names = tab.containerEl.children.filter((c): c is Setting => c instanceof Setting && !c.heading).map((s) => s.name);
  assert.deepEqual(names, ['Engine URL', 'Token', 'Language', 'Written form (ITN)', 'Hotwords', 'Transcript note template', 'Timestamp format', 'Callout type', 'Callout folding', 'Always transcribe again']);

  const text = (name: string): ValueComponent<string> => settingNamed(tab, name).components[0] as ValueComponent<string>;
  await text('Engine URL').change(' http://192.168.1.5:8765 ');
  await text('Token').change(' abc ');
  await (settingNamed(tab, 'Written form (ITN)').components[0] as ValueComponent<boolean>).change(false);
  const language = settingNamed(tab, 'Language').components[0] as DropdownComponent;
  assert.deepEqual(Object.keys(language.options), ['auto', 'zh', 'en', 'ja', 'ko', 'yue']);
  await language.change('zh');
  await text('Callout type').change('not valid!');
  await text('Callout type').change('note');
  await text('Hotwords').change('张三\n李四');
  assert.deepEqual(plugin.savedData, { ...DEFAULT_SETTINGS, engineUrl: 'http://192.168.1.5:8765', token: 'abc', itn: false, language: 'zh', calloutType: 'note', hotwords: '张三\n李四' });

  // Reloading the plugin restores them; display() shows the saved values.
  const reloaded = await newPlugin(await loadPluginClass(), plugin.savedData as object);
  reloaded.plugin.settingTabs[0]!.display();
  assert.equal((settingNamed(reloaded.plugin.settingTabs[0]!, 'Engine URL').components[0] as ValueComponent<string>).value, 'http://192.168.1.5:8765');
  assert.equal(reloaded.plugin.settings.calloutType, 'note');
});

test('cancel: a run stopped during the first of two files writes nothing more and says so; progress was shown', async () => {
  const app = new App();
  const note = app.vault.addFile('Long.md', '![[a.wav]]\n![[b.wav]]\n');
  app.vault.addFile('a.wav', new Uint8Array(8));
  app.vault.addFile('b.wav', new Uint8Array(8));
  const cancellation = new Cancellation();
  let requests = 0;
  const client = new EngineClient(async (): Promise<RequestUrlResult> => {
    requests++;
    cancellation.cancel(); // the user cancels while the engine works on a.wav
    return { status: 200, headers: {}, json: null, text: JSON.stringify({ text: 'x', duration: 1, segments: [{ start: 0, end: 1, text: 'x' }] }) };
  }, () => DEFAULT_SETTINGS);
  const notices: string[] = [];
  const transcriber = new NoteTranscriber({
    vault: app.vault,
    metadataCache: app.metadataCache,
    client,
    notify: (message) => {
      if (message !== '') notices.push(message);
      return { setMessage: (m) => notices.push(m), hide: () => {} };
    },
    settings: () => DEFAULT_SETTINGS,
    historyIds: new Map(),
  });
  const outcome = await transcriber.transcribeNote(note, { redo: false, cancellation });
  assert.equal(requests, 1);
  assert.equal(app.vault.text('Long.md'), '![[a.wav]]\n![[b.wav]]\n');
  assert.deepEqual(outcome, { transcribed: [], skipped: [], missing: [], failed: [], cancelled: true });
  assert.deepEqual(notices, ['Tingxie: transcribing 1/2: a.wav… (run "Tingxie: Cancel" to stop)', 'Tingxie: cancelled; 0 of 2 transcribed.']);
});
