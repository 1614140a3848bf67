/**
 * Loads the plugin the way Obsidian would (its `main.ts` bundled by esbuild) with `obsidian` resolved to
 * ./obsidian-mock.ts — kept external, so the test and the plugin share one instance of the mock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { TingxieSettings } from '../../plugins/obsidian/src/settings.ts';
import { App, Menu, Plugin, type PluginManifest } from './obsidian-mock.ts';

const MAIN = fileURLToPath(new URL('../../plugins/obsidian/src/main.ts', import.meta.url));
const MOCK_URL = new URL('./obsidian-mock.ts', import.meta.url).href;

/** What the tests reach on the plugin instance besides the mock Plugin's own members. */
export interface LoadedPlugin extends Plugin {
  settings: TingxieSettings;
  saveSettings(): Promise<void>;
  idle(): Promise<void>;
}

export type PluginClass = new (app: App, manifest: PluginManifest) => LoadedPlugin;

/** Bundles main.ts to an ES module in a temp folder and imports it. */
export async function loadPluginClass(): Promise<PluginClass> {
  const dir = await mkdtemp(join(tmpdir(), 'tingxie-obsidian-'));
  try {
    const outfile = join(dir, 'main.mjs');
    await build({
      entryPoints: [MAIN],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outfile,
      logLevel: 'silent',
      plugins: [{ name: 'obsidian-mock', setup: (b) => b.onResolve({ filter: /^obsidian$/ }, () => ({ path: MOCK_URL, external: true })) }],
    });
    const module = (await import(pathToFileURL(outfile).href)) as { default: PluginClass };
    return module.default;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function newPlugin(PluginClass: PluginClass, settings: Partial<TingxieSettings>): Promise<{ app: App; plugin: LoadedPlugin }> {
  const app = new App();
  const plugin = new PluginClass(app, { id: 'tingxie', name: 'Tingxie', version: '0.0.0' });
  plugin.savedData = settings;
  await plugin.onload();
  return { app, plugin };
}

/**
 * Runs a command as the command palette would (refusing when its check says it does not apply) and waits for
 * the work it started. Returns false when the command was not available.
 */
export async function runCommand(plugin: LoadedPlugin, id: string): Promise<boolean> {
  const command = plugin.commands.find((c) => c.id === id);
  if (!command) throw new Error(`no command ${id}`);
  const view = plugin.app.workspace.activeView;
  if (command.editorCheckCallback || command.editorCallback) {
    if (!view) return false;
    if (command.editorCheckCallback) {
      if (!command.editorCheckCallback(true, view.editor, view)) return false;
      command.editorCheckCallback(false, view.editor, view);
    } else {
      command.editorCallback!(view.editor, view);
    }
  } else if (command.checkCallback) {
    if (!command.checkCallback(true)) return false;
    command.checkCallback(false);
  } else {
    command.callback!();
  }
  await plugin.idle();
  return true;
}

/** The file menu Obsidian would show for `file`. */
export function fileMenu(plugin: LoadedPlugin, file: unknown): Menu {
  const menu = new Menu();
  plugin.app.workspace.trigger('file-menu', menu, file, 'file-explorer');
  return menu;
}
