#!/usr/bin/env node
/**
 * Main-thread smoothness while training with the inspector open (issue 4, point 7), measured in
 * the real app in headless Chromium as a person uses it (the scenario of test/e2e/inspect.e2e.ts):
 * set the training examples, wait until the run panel names the backend (the worker has loaded
 * the data and started it while the page was idle), click Train, pick test image 3 in "Look
 * inside" and scroll the inspector to the top of the window (so the feature maps, filters, layer
 * health and saliency all update live on screen), and let the run end with its test report.
 * A PerformanceObserver records every main-thread task over 50 ms ("long tasks") from clicking
 * Train until the report and the re-probe after it have been drawn.
 *
 * Prints one JSON line per run:
 *   {"scenario":"inspect-while-training","seconds":..,"longTasks":n,"longestMs":..,"over50":[...],"atSeconds":[...],"trainedSeconds":..}
 * where over50 lists the long tasks' durations in ms, atSeconds when each began (seconds after
 * the click) and trainedSeconds when the run was done (its report follows). Serves dist/ like
 * scripts/bench.mjs, or a build elsewhere: `npx vite build --outDir /tmp/dist-x && node
 * scripts/bench-longtasks.mjs --outDir=/tmp/dist-x`. Options: --examples=8000 (training examples), --runs=1 (repeat in
 * fresh pages, one line each), --query=workers=1 (appended to the page's address, e.g. to train
 * in one worker for comparison), --url=http://host:port/ (measure a build that something else
 * serves with COOP/COEP, as on the lent GPU machine: scripts/gpu-machine), --gpu (let Chromium use a
 * real GPU; CHROME_EXTRA_ARGS adds launch flags, space separated, as in scripts/bench.mjs).
 * --backend=wasm picks that backend in the run panel first (the default is the app's own choice).
 * --trace records a Chrome trace of each run and adds "traced": every main-thread task over 50 ms
 * by the trace, with its CPU time and the CPU time of the other threads while it ran
 * (scripts/trace-threads.mjs); tracing itself costs some CPU, so count long tasks without it.
 * --slowdown=N turns on DevTools' CPU throttling for the page (its main thread N times slower) from
 * before the click: how much room the page's frames leave, as a slower machine would show it.
 * Each line also says which backend trained and how many cores the page saw.
 * On a small machine the figure depends on what else runs: the worker's wasm threads share the
 * cores with the page, so note the load (`uptime`) beside it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { longTaskThreads } from './trace-threads.mjs';

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, ...v] = a.replace(/^--/, '').split('=');
  return [k, v.length ? v.join('=') : 'true'];
}));
const EXAMPLES = Number(args.examples ?? 8000);
const RUNS = Math.max(1, Number(args.runs ?? 1));
/** After the report: time for its staged grids and the last re-probe to be drawn. */
const SETTLE_MS = 2500;

const server = args.url ? null : await (await import('vite')).preview({ preview: { port: 0, open: false }, logLevel: 'warn', ...(args.outDir ? { build: { outDir: args.outDir } } : {}) });
const url = args.url ?? server.resolvedUrls.local[0];

/**
 * Starts a Chrome trace of the browser's threads. `mark()` puts a user-timing mark into it (to
 * time tasks from the click); `stop()` resolves with the events and the marks' timestamps.
 */
async function startTrace(browser, page) {
  const cdp = await browser.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  await cdp.send('Tracing.start', { categories: 'toplevel,blink.user_timing,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  return {
    mark: (label) => page.evaluate((l) => performance.mark(l), label),
    async stop() {
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.end');
      await complete;
      const markUs = (label) => events.find((e) => e.name === label)?.ts ?? 0;
      return { events, markUs };
    },
  };
}

/** One run in a fresh browser profile (no saved runs): the long tasks between clicking Train and the settled report. */
async function measure() {
  const profile = mkdtempSync(join(tmpdir(), 'cnn-bench-longtasks-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--no-first-run', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // --gpu: the flags that give headless Chromium a real GPU (scripts/gpu-machine/README.md).
      ...(args.gpu ? ['--enable-unsafe-webgpu', '--ignore-gpu-blocklist', '--use-angle=vulkan', '--enable-features=Vulkan', '--disable-vulkan-surface'] : ['--disable-gpu']),
      ...(process.env.CHROME_EXTRA_ARGS ?? '').split(' ').filter(Boolean)],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      const tasks = [];
      window.benchLongTasks = tasks;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(url + (args.query ? `?${args.query}` : ''));
    await page.waitForFunction(() => window.cnnPlayground?.store);
    const examples = page.locator('cnn-training-settings input[name="trainExamples"]');
    await examples.fill(String(EXAMPLES));
    await examples.press('Tab');
    if (args.backend) await page.locator('cnn-run-panel').getByRole('combobox', { name: 'Backend' }).selectOption(args.backend);
    // A person reads the page before clicking Train; meanwhile the worker loads the data and starts
    // its backend (the run panel then names it). Clicking before that measures a cold start.
    await page.waitForFunction(() => window.cnnPlayground.store.getState().run.backend !== null, undefined, { timeout: 60_000, polling: 100 });
    // When the run is done, to the millisecond (its report is drawn after).
    await page.evaluate(() => {
      const { store } = window.cnnPlayground;
      const unsubscribe = store.subscribe((s) => {
        if (s.run.status !== 'done') return;
        window.benchDoneAt = performance.now();
        unsubscribe();
      });
    });
    // --slowdown (see the header): set after the page has loaded and warmed up, as the count starts at the click.
    if (args.slowdown) await (await browser.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: Number(args.slowdown) });
    const trace = args.trace ? await startTrace(browser, page) : null;
    // Loading the page and its first render are not training: count from the click on.
    const started = await page.evaluate(() => performance.now());
    await trace?.mark('bench-click');
    await page.locator('cnn-run-panel').getByRole('button', { name: 'Train', exact: true }).click();
    await page.waitForFunction(() => window.cnnPlayground.store.getState().run.status === 'training', undefined, { timeout: 120_000 });
    const index = page.locator('cnn-input-picker input[type="number"]');
    await index.fill('3');
    await index.press('Enter');
    // Look at what the inspector shows (choosing the input scrolled only the picker into view;
    // content that grows above it, such as the run's time-lapse, would push the maps off-screen).
    await page.locator('cnn-inspector').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.waitForFunction(() => {
      const s = window.cnnPlayground.store.getState();
      return s.run.status === 'done' || s.run.status === 'error';
    }, undefined, { timeout: 600_000, polling: 500 });
    const status = await page.evaluate(() => window.cnnPlayground.store.getState().run.status);
    if (status !== 'done') throw new Error(`the run ended with status ${status}`);
    await page.waitForTimeout(SETTLE_MS);
    const { ended, tasks, doneAt, backend, cores } = await page.evaluate(() => ({
      ended: performance.now(), tasks: window.benchLongTasks, doneAt: window.benchDoneAt,
      backend: (({ name, workers, threads }) => ({ name, workers, threads }))(window.cnnPlayground.store.getState().run.backend),
      cores: navigator.hardwareConcurrency,
    }));
    const recorded = await trace?.stop();
    const traced = recorded ? longTaskThreads(recorded.events, { overMs: 50, fromUs: recorded.markUs('bench-click') }) : undefined;
    const inWindow = tasks.filter((t) => t.start >= started && t.start <= ended);
    const during = inWindow.map((t) => Math.round(t.duration));
    const seconds = (ms) => Math.round(ms / 100) / 10;
    return {
      scenario: 'inspect-while-training',
      seconds: seconds(ended - started),
      longTasks: during.length,
      longestMs: Math.max(0, ...during),
      over50: during,
      atSeconds: inWindow.map((t) => seconds(t.start - started)),
      trainedSeconds: seconds(doneAt - started),
      backend,
      cores,
      ...(args.slowdown ? { slowdown: Number(args.slowdown) } : {}),
      ...(traced ? { traced } : {}),
    };
  } finally {
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

try {
  for (let run = 0; run < RUNS; run++) console.log(JSON.stringify(await measure()));
} finally {
  await server?.close();
}
