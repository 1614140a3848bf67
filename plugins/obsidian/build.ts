/**
 * Builds the plugin the way Obsidian loads it: `src/main.ts` bundled by esbuild into one CommonJS `main.js`
 * (Obsidian `require`s it), with `obsidian`, `electron`, `@codemirror/*`, `@lezer/*` and Node built-ins left
 * as `require` calls for the app to provide; `manifest.json` and `styles.css` copied next to it.
 *
 * Run: `node --import tsx plugins/obsidian/build.ts` → plugins/obsidian/dist/.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';

export const PLUGIN_DIR = fileURLToPath(new URL('.', import.meta.url));

/** Modules the Obsidian app provides at run time; never bundled. */
export const EXTERNAL_MODULES = ['obsidian', 'electron', '@codemirror/*', '@lezer/*', ...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

export interface BuildOptions {
  /** Output folder (default plugins/obsidian/dist). */
  outDir?: string;
  /** Minify (default true; false keeps the output readable for debugging). */
  minify?: boolean;
}

export async function build(options: BuildOptions = {}): Promise<void> {
  const outDir = options.outDir ?? join(PLUGIN_DIR, 'dist');
  await mkdir(outDir, { recursive: true });
  await esbuild({
    entryPoints: [join(PLUGIN_DIR, 'src/main.ts')],
    outfile: join(outDir, 'main.js'),
    bundle: true,
    format: 'cjs',
    platform: 'browser',
    // Obsidian ≥ 1.4 runs on Electron ≥ 25 (Chromium 114).
    target: 'es2022',
    external: EXTERNAL_MODULES,
    minify: options.minify ?? true,
    sourcemap: false,
    treeShaking: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  await copyFile(join(PLUGIN_DIR, 'manifest.json'), join(outDir, 'manifest.json'));
  await copyFile(join(PLUGIN_DIR, 'styles.css'), join(outDir, 'styles.css'));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await build();
  console.log(`Built ${join(PLUGIN_DIR, 'dist')}`);
}
