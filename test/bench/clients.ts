/**
 * Client bundles benchmark (run by hand; not a test, nothing asserted):
 *
 *   node --import tsx test/bench/clients.ts [--loads 7]
 *
 * Builds the WebUI, the Word task pane and the Obsidian plugin (`npm run build`'s steps), prints each bundle's
 * size raw and gzipped (level 9) against the WebUI's 200 kB budget, then starts the engine with the tone fixture
 * and loads the WebUI `--loads` times in headless Chromium (a fresh context each time, so nothing is cached),
 * printing first-contentful-paint and DOMContentLoaded as the browser's own Performance API reports them
 * (target: first render under 1 s on the engine's machine).
 * Needs `npm run fixtures` and Debian's chromium.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build as buildWordAddin } from '../../addins/word/build.ts';
import { build as buildWebUi } from '../../engine/webui/build.ts';
import { build as buildObsidianPlugin } from '../../plugins/obsidian/build.ts';
import { makeTempDir } from '../helpers/audio-fixtures.ts';
import { REPO_ROOT, TONE_FIXTURE_DIR } from '../helpers/tone-speech.ts';
import { startServe } from '../server/server-helpers.ts';
import { CHROMIUM } from '../webui/webui-helpers.ts';

const { values } = parseArgs({ options: { loads: { type: 'string', default: '7' } } });
const LOADS = Number(values.loads);
const WEBUI_BUDGET_GZIP_BYTES = 200 * 1024;

interface BundleSize {
  file: string;
  rawBytes: number;
  gzipBytes: number;
}

async function sizeOf(path: string): Promise<BundleSize> {
  const bytes = await readFile(path);
  return { file: relative(REPO_ROOT, path), rawBytes: (await stat(path)).size, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}

async function filesUnder(dir: string, pattern: RegExp): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile() && pattern.test(entry.name)).map((entry) => join(entry.parentPath, entry.name));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const kB = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;

async function main(): Promise<void> {
  await buildWebUi();
  await buildWordAddin();
  await buildObsidianPlugin();

  console.log('Client bundles (gzip level 9)');
  const webUiFiles = await filesUnder(join(REPO_ROOT, 'engine/webui/dist'), /\.(js|css|html)$/);
  const webUiSizes = await Promise.all(webUiFiles.map(sizeOf));
  for (const size of webUiSizes) console.log(`  ${size.file.padEnd(48)} ${kB(size.rawBytes).padStart(9)}  gzip ${kB(size.gzipBytes).padStart(8)}`);
  const webUiGzip = webUiSizes.reduce((sum, size) => sum + size.gzipBytes, 0);
  console.log(`  WebUI total gzip ${kB(webUiGzip)} of the ${kB(WEBUI_BUDGET_GZIP_BYTES)} budget (${((webUiGzip / WEBUI_BUDGET_GZIP_BYTES) * 100).toFixed(1)}%)`);
  for (const path of ['addins/word/dist/taskpane.js', 'plugins/obsidian/dist/main.js']) {
    const size = await sizeOf(join(REPO_ROOT, path));
    console.log(`  ${size.file.padEnd(48)} ${kB(size.rawBytes).padStart(9)}  gzip ${kB(size.gzipBytes).padStart(8)}`);
  }

  const temp = await makeTempDir('bench-clients');
  const server = await startServe(['--model-path', TONE_FIXTURE_DIR, '--data-dir', join(temp.dir, 'data')]);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    const paints: number[] = [];
    const contentLoaded: number[] = [];
    for (let load = 0; load < LOADS; load++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/`, { waitUntil: 'load' });
      await page.locator('h1, h2').first().waitFor();
      // The paint entry can be queued after `load`; a buffered observer sees it whenever it arrives. The script
      // is a string because it runs in the page, whose DOM types this Node project does not load.
      const timing = (await page.evaluate(`new Promise((resolve) => {
        const navigation = () => performance.getEntriesByType('navigation')[0];
        const done = (fcp) => resolve({ fcp, dcl: navigation() ? navigation().domContentLoadedEventEnd : null });
        new PerformanceObserver((list, observer) => {
          const paint = list.getEntriesByName('first-contentful-paint')[0];
          if (paint) { observer.disconnect(); done(paint.startTime); }
        }).observe({ type: 'paint', buffered: true });
        setTimeout(() => done(null), 3000);
      })`)) as { fcp: number | null; dcl: number | null };
      if (timing.fcp !== null) paints.push(timing.fcp);
      if (timing.dcl !== null) contentLoaded.push(timing.dcl);
      await context.close();
    }
    console.log(`\nWebUI first render, headless Chromium, ${LOADS} cold loads from the engine on this machine`);
    console.log(`  first-contentful-paint median ${median(paints).toFixed(0)} ms, max ${Math.max(...paints).toFixed(0)} ms (target < 1000 ms; ${paints.length} loads reported it)`);
    console.log(`  DOMContentLoaded       median ${median(contentLoaded).toFixed(0)} ms, max ${Math.max(...contentLoaded).toFixed(0)} ms`);
  } finally {
    await browser.close();
    await server.stop();
    await temp.cleanup();
  }
}

await main();
