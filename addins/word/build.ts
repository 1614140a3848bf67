/**
 * Builds the Word add-in into `addins/word/dist/`: the task pane bundle (esbuild, one IIFE for the browser
 * inside Office), its HTML and CSS, the icons and the manifest. The engine serves this folder at
 * `/addins/word/`.
 *
 *   node --import tsx addins/word/build.ts
 */
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { MANIFEST_PATH } from './manifest.ts';

export const ADDIN_DIR = fileURLToPath(new URL('.', import.meta.url));
export const DIST_DIR = join(ADDIN_DIR, 'dist');

export async function build(): Promise<void> {
  await rm(DIST_DIR, { recursive: true, force: true });
  await mkdir(DIST_DIR, { recursive: true });
  await esbuild.build({
    entryPoints: [join(ADDIN_DIR, 'src/taskpane.ts')],
    outfile: join(DIST_DIR, 'taskpane.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    // Word on Windows uses WebView2 (Chromium), on Mac WKWebView (Safari 15+).
    target: ['es2020', 'chrome90', 'safari15'],
    minify: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const name of ['taskpane.html', 'taskpane.css']) await copyFile(join(ADDIN_DIR, 'src', name), join(DIST_DIR, name));
  for (const name of await readdir(join(ADDIN_DIR, 'assets'))) await copyFile(join(ADDIN_DIR, 'assets', name), join(DIST_DIR, name));
  await copyFile(MANIFEST_PATH, join(DIST_DIR, 'manifest.xml'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await build();
}
