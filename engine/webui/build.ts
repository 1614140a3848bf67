/**
 * Builds the WebUI into `engine/webui/dist`: `index.html` plus content-hashed files under `assets/`
 * (the app, its CSS, and the microphone AudioWorklet). Everything is bundled: the page loads nothing
 * from any other host. Run with `node --import tsx engine/webui/build.ts`.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const WEBUI_DIR = fileURLToPath(new URL('./', import.meta.url));
export const WEBUI_DIST = join(WEBUI_DIR, 'dist');

const TARGET = ['chrome110', 'firefox115', 'safari16'];

/** The single output file of `result` whose name ends with `suffix`. */
function outputNamed(result: esbuild.BuildResult<{ metafile: true }>, suffix: string): string {
  const names = Object.keys(result.metafile.outputs).filter((name) => name.endsWith(suffix));
  if (names.length !== 1) throw new Error(`expected one ${suffix} output, got ${names.join(', ') || 'none'}`);
  return basename(names[0]!);
}

function indexHtml(script: string, style: string): string {
  // The icon is inline so the browser does not ask the engine for /favicon.ico.
  const icon = "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'><rect width='32' height='32' rx='7' fill='%230f766e'/><text x='16' y='23' font-size='19' text-anchor='middle' fill='white'>听</text></svg>";
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Tingxie 听写</title>
<link rel="icon" href="${icon}">
<link rel="stylesheet" href="/assets/${style}">
<script type="module" src="/assets/${script}"></script>
</head>
<body>
<div id="app"><p class="boot">Tingxie 听写…</p></div>
<noscript>Tingxie's WebUI needs JavaScript. 听写 WebUI 需要启用 JavaScript。</noscript>
</body>
</html>
`;
}

export async function build(): Promise<void> {
  await rm(WEBUI_DIST, { recursive: true, force: true });
  const assets = join(WEBUI_DIST, 'assets');
  await mkdir(assets, { recursive: true });
  const common = { bundle: true, minify: true, target: TARGET, outdir: assets, entryNames: '[name]-[hash]', metafile: true, logLevel: 'warning', legalComments: 'none' } as const;

  const worklet = await esbuild.build({ ...common, entryPoints: { capture: join(WEBUI_DIR, 'src/audio/capture-worklet.ts') }, format: 'iife' });
  const workletName = outputNamed(worklet, '.js');

  const app = await esbuild.build({
    ...common,
    entryPoints: { app: join(WEBUI_DIR, 'src/main.ts') },
    format: 'esm',
    define: { __CAPTURE_WORKLET_URL__: JSON.stringify(`/assets/${workletName}`) },
  });
  await writeFile(join(WEBUI_DIST, 'index.html'), indexHtml(outputNamed(app, '.js'), outputNamed(app, '.css')));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await build();
  process.stdout.write(`WebUI built in ${WEBUI_DIST}\n`);
}
