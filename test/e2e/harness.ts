/**
 * End-to-end harness: serves the built app (dist/) with `vite preview` on a free port and
 * drives Debian's Chromium through playwright-core (no browser download needed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

/** A running app server plus a browser. */
export interface Harness {
  url: string;
  context: BrowserContext;
  close(): Promise<void>;
}

/** Chromium flags that work on a sandboxed, offline machine. */
export const CHROME_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts `vite preview` over dist/ (or over E2E_DIST, so that several people can build and test
 * at once without overwriting each other's build) and launches Chromium with a fresh profile.
 */
export async function openHarness(): Promise<Harness> {
  const outDir = process.env.E2E_DIST;
  const server: PreviewServer = await preview({
    preview: { port: 0, strictPort: false, open: false }, logLevel: 'warn', ...(outDir ? { build: { outDir } } : {}),
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  const profile = mkdtempSync(join(tmpdir(), 'cnn-e2e-'));
  // A persistent context is how playwright takes a fresh --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: CHROME_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    url,
    context,
    async close() {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** An app page opened on a fresh harness, with the page's uncaught errors collected. */
export interface AppPage {
  h: Harness;
  page: import('playwright-core').Page;
  pageErrors: string[];
}

/**
 * Opens the harness and one page on the app; `beforeGoto` runs first (e.g. addInitScript).
 * Each e2e file calls this once in beforeAll and `h.close()` in afterAll.
 */
export async function openAppPage(beforeGoto?: (page: import('playwright-core').Page) => Promise<unknown>): Promise<AppPage> {
  const h = await openHarness();
  const page = await h.context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  if (beforeGoto) await beforeGoto(page);
  await page.goto(h.url);
  return { h, page, pageErrors };
}
