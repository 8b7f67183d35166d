#!/usr/bin/env node
/**
 * `npm run bench`: measures the real app's training worker in headless Chromium.
 * Serves dist/ with `vite preview` (COOP/COEP on, so wasm can use threads), drives the app's
 * store (window.cnnPlayground.store: the same actions the buttons call) and prints one JSON line
 * per backend and batch size, then one full 60,000-example epoch on the fastest backend with
 * test accuracy checkpoints (training is paused while the test set is evaluated, and paused time
 * is not counted). On wasm it then measures one worker (?workers=1) at batch 64 beside the
 * data-parallel default (two workers). Options: --backends=wasm,webgl  --batches=32,64,128
 * --seconds=20  --no-epoch  --no-single  --singleBatch=64
 * --presets: instead, train every preset with its own settings (epochs, batch size, learning
 * rate, augmentation) on the fastest backend and print its test accuracy and training time
 * (the figures the presets gallery and the README's preset table show).
 *   --only=tiny-cnn,lenet-5   train just these presets
 *   --write                   also merge the results into presets/measurements.json (one entry
 *                             per preset, replacing that preset's old entry; failed runs are not
 *                             written) with the spec's fingerprint; the gallery reads that
 *                             file at build time, so build again to show the new figures
 * --outDir=path: serve that build instead of dist/ (e.g. `npx vite build --outDir path`), so a
 * long benchmark is not disturbed by other builds.
 * --url=http://host:port/: measure a build that something else already serves (with COOP/COEP),
 * e.g. on a machine that has a GPU and a browser but no Vite. Vite is then not loaded.
 * --epochOn=webgl: train the full epoch on that backend instead of the fastest one measured.
 * --backends=auto measures whatever the app picks by itself (the first line names it).
 * --gpu: let Chromium use a real GPU; CHROME_EXTRA_ARGS adds launch flags (space separated).
 * The first line printed describes the browser's WebGL renderer and WebGPU adapter.
 * Regenerate the gallery's figures: `npx vite build && node scripts/bench.mjs --presets --write`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const BACKENDS = (args.backends ?? 'webgpu,webgl,wasm').split(',');
const BATCHES = (args.batches ?? '32,64,128').split(',').map(Number);
const SECONDS = Number(args.seconds ?? 20);
const CHECK_EVERY_EXAMPLES = Number(args.checkEvery ?? 6400);

const MEASUREMENTS = new URL('../presets/measurements.json', import.meta.url);

const server = args.url ? null : await (await import('vite')).preview({ preview: { port: 0, open: false }, logLevel: 'warn', ...(args.outDir ? { build: { outDir: args.outDir } } : {}) });
const url = args.url ?? server.resolvedUrls.local[0];
const profile = mkdtempSync(join(tmpdir(), 'cnn-bench-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--no-first-run', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // --gpu: let Chromium use a real GPU (for WebGL/WebGPU figures on a machine that has one).
    ...(args.gpu ? ['--enable-unsafe-webgpu', '--ignore-gpu-blocklist', '--use-angle=vulkan', '--enable-features=Vulkan', '--disable-vulkan-surface'] : ['--disable-gpu']),
    ...(process.env.CHROME_EXTRA_ARGS ?? '').split(' ').filter(Boolean)],
});

try {
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.cnnPlayground?.store);
  console.log(JSON.stringify(await graphicsInfo(page)));
  if (args.presets) {
    const ids = await page.evaluate(() => window.cnnPlayground.presetIds);
    const only = args.only ? args.only.split(',') : ids;
    const unknown = only.filter((id) => !ids.includes(id));
    if (unknown.length) throw new Error(`unknown preset ${unknown.join(', ')}; presets are ${ids.join(', ')}`);
    for (const id of ids.filter((id) => only.includes(id))) {
      const result = await trainPreset(page, id);
      console.log(JSON.stringify(result));
      if (args.write && !result.error && typeof result.testAccuracy === 'number') writeMeasurement(result);
    }
  }
  const results = [];
  for (const backend of args.presets ? [] : BACKENDS) {
    for (const batchSize of BATCHES) {
      const r = await measureThroughput(page, backend, batchSize);
      console.log(JSON.stringify(r));
      if (r.skipped) break;
      results.push(r);
    }
  }
  // The same wasm training in one worker (the page's ?workers=1), for comparison with the
  // data-parallel default (two workers, each with half the cores and half of every batch).
  if (!args.presets && args['no-single'] !== 'true' && results.some((r) => r.backend === 'wasm' && r.workers > 1)) {
    // The last measured run is still training in the first page: stop it, or the two compete.
    await page.evaluate(() => window.cnnPlayground.store.getState().stop());
    await page.waitForFunction(() => ['stopped', 'done', 'error'].includes(window.cnnPlayground.store.getState().run.status), undefined, { timeout: 120_000 });
    const single = await browser.newPage();
    await single.goto(`${url}?workers=1`);
    await single.waitForFunction(() => window.cnnPlayground?.store);
    console.log(JSON.stringify(await measureThroughput(single, 'wasm', Number(args.singleBatch ?? 64))));
    await single.close();
  }
  if (args['no-epoch'] !== 'true' && results.length) {
    const best = results.reduce((a, b) => (b.examplesPerSecond > a.examplesPerSecond ? b : a));
    // With --no-single the last measured run is still training: stop it first.
    await page.evaluate(() => window.cnnPlayground.store.getState().stop());
    await page.waitForFunction(() => ['idle', 'stopped', 'done', 'error'].includes(window.cnnPlayground.store.getState().run.status), undefined, { timeout: 120_000 });
    console.log(JSON.stringify(await fullEpoch(page, args.epochOn ?? best.backend)));
  }
} finally {
  await browser.close();
  await server?.close();
  rmSync(profile, { recursive: true, force: true });
}

/** Trains the default preset for SECONDS of steady state and reports the windowed rate. */
async function measureThroughput(page, backend, batchSize) {
  await startRun(page, backend, { batchSize, trainExamples: 60000, validationSplit: 0, epochs: 1 });
  const deadline = Date.now() + Math.max(90, SECONDS * 3) * 1000;
  let first = null;
  while (Date.now() < deadline) {
    const run = await runState(page);
    if (run.status === 'error') return { backend, batchSize, skipped: run.error };
    if (run.backend && backend !== 'auto' && run.backend.name !== backend) return { backend, batchSize, skipped: `fell back to ${run.backend.name}` };
    if (run.progress && run.progress.elapsedMs > 3000) {
      // Steady state starts after warm-up (kernel compilation, first allocations).
      first ??= run.progress;
      if (run.progress.elapsedMs - first.elapsedMs >= SECONDS * 1000) {
        const p = run.progress;
        const rate = ((p.examplesSeen - first.examplesSeen) * 1000) / (p.elapsedMs - first.elapsedMs);
        return { backend: run.backend?.name ?? backend, ...(backend === 'auto' ? { chosenByAuto: true } : {}), workers: run.backend?.workers ?? 1, threads: run.backend?.threads, simd: run.backend?.simd, batchSize, examplesPerSecond: Math.round(rate), seconds: SECONDS, tensorsFirst: first.tensors, tensorsLast: p.tensors };
      }
    }
    await page.waitForTimeout(250);
  }
  return { backend, batchSize, skipped: 'too slow: no steady progress within the time limit' };
}

/**
 * One full epoch of 60,000 examples with the default preset's own settings (batch size, learning
 * rate and schedule: what a person gets on pressing Train), with test accuracy every
 * CHECK_EVERY_EXAMPLES examples.
 */
async function fullEpoch(page, backend) {
  await startRun(page, backend, { trainExamples: 60000, validationSplit: 0, epochs: 1 });
  const { batchSize } = await page.evaluate(() => window.cnnPlayground.store.getState().spec.training);
  const checkpoints = [];
  let nextCheck = CHECK_EVERY_EXAMPLES;
  for (;;) {
    const run = await runState(page);
    if (run.status === 'error') return { backend, batchSize, error: run.error };
    if (run.status === 'done') {
      checkpoints.push({ seconds: run.progress.elapsedMs / 1000, examples: run.progress.examplesSeen, testAccuracy: run.report.accuracy });
      break;
    }
    if (run.status === 'training' && run.progress && run.progress.examplesSeen >= nextCheck) {
      checkpoints.push(await checkpoint(page));
      nextCheck += CHECK_EVERY_EXAMPLES;
    }
    await page.waitForTimeout(100);
  }
  const last = checkpoints.at(-1);
  const hit = checkpoints.find((c) => c.testAccuracy >= 0.985);
  return {
    backend, batchSize, epochExamples: last.examples, trainingSeconds: round(last.seconds),
    examplesPerSecond: Math.round(last.examples / last.seconds), testAccuracyAfterOneEpoch: last.testAccuracy,
    secondsTo985: hit ? round(hit.seconds) : null, checkpoints: checkpoints.map((c) => [round(c.seconds), c.examples, c.testAccuracy]),
  };
}

/** Pauses, evaluates on the test set, records the accuracy, resumes. */
async function checkpoint(page) {
  await page.evaluate(() => window.cnnPlayground.store.getState().pause());
  await page.waitForFunction(() => window.cnnPlayground.store.getState().run.status === 'paused');
  // Remember the current report object in the page, then wait for a new one.
  await page.evaluate(() => {
    window.benchPreviousReport = window.cnnPlayground.store.getState().run.report;
    window.cnnPlayground.store.getState().evaluate();
  });
  await page.waitForFunction(() => {
    const run = window.cnnPlayground.store.getState().run;
    return run.report !== window.benchPreviousReport && run.status === 'paused';
  }, undefined, { timeout: 120_000 });
  const run = await runState(page);
  await page.evaluate(() => window.cnnPlayground.store.getState().resume());
  return { seconds: run.progress.elapsedMs / 1000, examples: run.progress.examplesSeen, testAccuracy: run.report.accuracy };
}

/** Trains one preset with its own settings on the fastest backend until done. */
async function trainPreset(page, id) {
  await page.evaluate((id) => {
    const s = window.cnnPlayground.store.getState();
    s.loadPreset(id);
    s.setBackendChoice('auto');
    window.cnnPlayground.store.getState().start();
  }, id);
  await page.waitForFunction(() => ['done', 'error'].includes(window.cnnPlayground.store.getState().run.status), undefined, { timeout: 0, polling: 1000 });
  const run = await runState(page);
  const { t, specText } = await page.evaluate(() => {
    const { layers, training } = window.cnnPlayground.store.getState().spec;
    return { t: training, specText: JSON.stringify({ layers, training }) };
  });
  return {
    preset: id, backend: run.backend?.name, threads: run.backend?.threads, epochs: t.epochs, batchSize: t.batchSize, trainExamples: t.trainExamples,
    learningRate: t.learningRate, augment: t.augment, trainingSeconds: round(run.progress?.elapsedMs / 1000), testAccuracy: run.report?.accuracy,
    valAccuracyByEpoch: run.valAccuracy,
    error: run.error ?? undefined, fingerprint: fingerprint(specText),
  };
}

/** FNV-1a of the spec's layers and training settings, as specFingerprint in src/data/preset-measurements.ts. */
function fingerprint(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** Merges one preset's result into presets/measurements.json, keeping the other presets' entries. */
function writeMeasurement(result) {
  const old = existsSync(MEASUREMENTS) ? JSON.parse(readFileSync(MEASUREMENTS, 'utf8')) : [];
  const entry = {
    preset: result.preset, testAccuracy: result.testAccuracy, trainingSeconds: result.trainingSeconds, epochs: result.epochs,
    batchSize: result.batchSize, trainExamples: result.trainExamples, backend: result.backend, threads: result.threads ?? null,
    measuredAt: new Date().toISOString(), machine: machineName(), fingerprint: result.fingerprint,
  };
  const next = [...old.filter((m) => m.preset !== result.preset), entry];
  writeFileSync(MEASUREMENTS, `${JSON.stringify(next, null, 2)}\n`);
}

/** Says which machine measured, e.g. "Intel Xeon ..., 2 cores, linux, headless Chromium". */
function machineName() {
  const cores = cpus();
  return `${cores[0]?.model.trim() ?? 'unknown CPU'}, ${cores.length} cores, ${platform()}, headless Chromium${args.gpu ? ' with GPU' : ' without GPU'}`;
}

/** What the page's graphics stack is: the WebGL renderer and the WebGPU adapter, if any. */
async function graphicsInfo(page) {
  return page.evaluate(async () => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const debug = gl?.getExtension('WEBGL_debug_renderer_info');
    const webgl = gl ? String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : null;
    const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
    const info = adapter?.info;
    const webgpu = info ? [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'adapter without info' : null;
    return { browser: navigator.userAgent.match(/Chrom\w+\/[\d.]+/)?.[0], cores: navigator.hardwareConcurrency, webgl, webgpu };
  });
}

async function startRun(page, backend, training, preset = 'seed-cnn') {
  await page.evaluate(({ backend, training, preset }) => {
    const s = window.cnnPlayground.store.getState();
    s.loadPreset(preset);
    const errors = window.cnnPlayground.store.getState().updateTraining(training);
    if (errors.length) throw new Error(JSON.stringify(errors));
    s.setBackendChoice(backend);
    window.cnnPlayground.store.getState().start();
  }, { backend, training, preset });
}

async function runState(page) {
  return page.evaluate(() => {
    const { status, progress, backend, error, report, epochs } = window.cnnPlayground.store.getState().run;
    const valAccuracy = epochs.map((e) => Math.round(e.valAccuracy * 1e4) / 1e4);
    return { status, progress, backend, error, report: report && { accuracy: report.accuracy }, valAccuracy };
  });
}

function round(x) {
  return Math.round(x * 10) / 10;
}
