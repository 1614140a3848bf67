/** Shared set-up for the WebUI browser tests: a built bundle, a real engine child process, headless Chromium. */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { build } from '../../engine/webui/build.ts';
import { REPO_ROOT } from '../helpers/tone-speech.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/webui');

const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

let built: Promise<void> | null = null;
/** Builds the bundle once per test process (the tests must see the current sources). */
export function ensureBuilt(): Promise<void> {
  built ??= build();
  return built;
}

export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Every request the page made (URL strings). */
  requests: string[];
  close: () => Promise<void>;
}

/** Launches Chromium (optionally with a fake microphone playing `fakeMicWav`) and opens one page. */
export async function openBrowser(opts: { fakeMicWav?: string; locale?: string } = {}): Promise<BrowserSession> {
  const args = [...BASE_ARGS];
  if (opts.fakeMicWav) args.push('--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${opts.fakeMicWav}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args });
  const context = await browser.newContext({ locale: opts.locale ?? 'en-US', viewport: { width: 1280, height: 860 }, acceptDownloads: true });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (request: Request) => requests.push(request.url()));
  return { browser, context, page, requests, close: () => browser.close() };
}

/** True for http(s)/ws(s) URLs on a loopback host; data:/blob: URLs never leave the page. */
export function isLocalRequest(url: string): boolean {
  const parsed = new URL(url);
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
