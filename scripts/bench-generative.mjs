#!/usr/bin/env node
/**
 * Generative benchmark: trains each generative preset in the real app's Generations worker in
 * headless Chromium and prints one JSON line per preset, e.g.
 *   {"generative":"cvae-dense","backend":"wasm","examplesPerSecond":900,"secondsTrained":180,
 *    "conditionalAccuracy":0.93,"mnistScore":8.9,"judge":"seed-cnn test 0.990"}
 * It builds nothing: it serves an existing build (default dist/; --outDir=path for another) with
 * `vite preview` (COOP/COEP on, so wasm can use threads), as scripts/bench.mjs does, and drives
 * the Generations store (window.cnnGenerations.store: the same actions the buttons call).
 * The judge is obtained first (trained, or loaded from this profile's IndexedDB) and not counted.
 * Training time excludes the judge, the per-epoch test losses and scores (the worker's clock
 * pauses for them). After --seconds of training (default 180) the run is paused and scored
 * once more on 100 samples per digit; that final score is the one printed.
 * Options: --seconds=180  --only=cvae-dense,vae-2d (any menu preset, e.g. cgan-dcgan; default:
 *          the VAEs)  --judge=full|quick  --epochs=100 (cap)
 *          --set=latentSize:4,learningRate:0.002  (override preset fields, to compare settings)
 *          --outDir=dist  --quiet (no progress lines on stderr)
 *          --url=http://host:port/ (a build served by something else, with COOP/COEP; Vite is
 *          then not loaded)  --gpu (a real GPU, as in bench.mjs; see scripts/gpu-machine/)
 *          --profile=path --port=4390  (keep a browser profile and a fixed origin, so the judge cached
 *          in that origin's IndexedDB is reused by the next run instead of trained again)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? 'true'];
}));
const SECONDS = Number(args.seconds ?? 180);
const JUDGE = args.judge ?? 'full';
const EPOCHS = Number(args.epochs ?? 100);
const OVERRIDES = (args.set ? args.set.split(',') : []).map((kv) => kv.split(':')).map(([k, v]) => [k, Number(v)]);
const log = (...m) => { if (!args.quiet) console.error(...m); };

const server = args.url ? null : await (await import('vite')).preview({ preview: { port: Number(args.port ?? 0), strictPort: Boolean(args.port), open: false }, logLevel: 'warn', ...(args.outDir ? { build: { outDir: args.outDir } } : {}) });
const url = args.url ?? server.resolvedUrls.local[0];
const profile = args.profile ?? mkdtempSync(join(tmpdir(), 'cnn-gen-bench-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--no-first-run', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    // As in bench.mjs: --gpu lets Chromium use a real GPU; CHROME_EXTRA_ARGS adds flags.
    ...(args.gpu ? ['--enable-unsafe-webgpu', '--ignore-gpu-blocklist', '--use-angle=vulkan', '--enable-features=Vulkan', '--disable-vulkan-surface'] : ['--disable-gpu']),
    ...(process.env.CHROME_EXTRA_ARGS ?? '').split(' ').filter(Boolean)],
});

try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => log('page error:', e.message));
  await page.goto(url);
  await page.waitForFunction(() => window.cnnGenerations?.store);
  // By default the VAE presets (`presetIds`); --only may name any preset of the menu, the GAN too.
  const ids = await page.evaluate(() => window.cnnGenerations.presetIds);
  const menu = await page.evaluate(() => window.cnnGenerations.menuIds);
  const only = args.only ? args.only.split(',') : ids;
  const unknown = only.filter((id) => !menu.includes(id));
  if (unknown.length) throw new Error(`unknown generative preset ${unknown.join(', ')}; presets are ${menu.join(', ')}`);
  for (const id of menu.filter((i) => only.includes(i))) console.log(JSON.stringify(await trainPreset(page, id)));
} finally {
  await browser.close();
  await server?.close();
  if (!args.profile) rmSync(profile, { recursive: true, force: true });
}

/** Trains one preset for SECONDS of training time (or until its epochs end) and scores it. */
async function trainPreset(page, id) {
  await page.evaluate(({ id, judge, epochs, overrides }) => {
    const s = window.cnnGenerations.store.getState();
    s.loadPreset(id);
    if (window.cnnGenerations.store.getState().presetId !== id) throw new Error(`preset ${id} was not loaded`);
    s.setField('epochs', epochs);
    for (const [k, v] of overrides) s.setField(k, v);
    const after = window.cnnGenerations.store.getState();
    if (after.fieldErrors.length) throw new Error(after.fieldErrors.map((e) => `${e.path}: ${e.message}`).join('; '));
    s.setJudgeChoice(judge);
    window.cnnGenerations.store.getState().start();
  }, { id, judge: JUDGE, epochs: EPOCHS, overrides: OVERRIDES });
  let lastLog = 0;
  for (;;) {
    const run = await state(page);
    if (run.status === 'error') return { generative: id, error: run.error };
    if (run.status === 'done' || run.status === 'stopped') break;
    if (run.progress && run.progress.elapsedMs >= SECONDS * 1000) break;
    if (Date.now() - lastLog > 15000) {
      lastLog = Date.now();
      log(id, run.status, run.detail ?? '', run.progress ? `${Math.round(run.progress.elapsedMs / 1000)} s, ${run.progress.examplesSeen} examples, ${Math.round(run.progress.examplesPerSecond)}/s` : '', run.lastScore ? JSON.stringify(run.lastScore) : '');
    }
    await page.waitForTimeout(250);
  }
  // Pause (if still training), then score once more on fresh samples.
  await page.evaluate(() => {
    const s = window.cnnGenerations.store.getState();
    if (s.run.status === 'training') s.pause();
  });
  await page.waitForFunction(() => ['paused', 'done', 'stopped', 'error'].includes(window.cnnGenerations.store.getState().run.status));
  const before = await page.evaluate(() => window.cnnGenerations.store.getState().run.scores.length);
  await page.evaluate(() => window.cnnGenerations.store.getState().score());
  await page.waitForFunction((n) => window.cnnGenerations.store.getState().run.scores.length > n, before, { timeout: 120_000 });
  const run = await state(page);
  await page.evaluate(() => window.cnnGenerations.store.getState().stop());
  // The next preset can only be loaded once this run has ended (the store refuses edits during a run).
  await page.waitForFunction(() => ['done', 'stopped', 'error'].includes(window.cnnGenerations.store.getState().run.status));
  const seconds = run.progress.elapsedMs / 1000;
  return {
    generative: id, ...(OVERRIDES.length ? { overrides: Object.fromEntries(OVERRIDES) } : {}), backend: run.backend?.name, threads: run.backend?.threads, batchSize: run.batchSize, latentSize: run.latentSize, params: run.params,
    examplesPerSecond: Math.round(run.progress.examplesSeen / seconds), secondsTrained: Math.round(seconds * 10) / 10, examplesSeen: run.progress.examplesSeen,
    epochs: Math.round((run.progress.examplesSeen / 60000) * 100) / 100,
    conditionalAccuracy: run.lastScore.conditionalAccuracy === null ? null : round(run.lastScore.conditionalAccuracy),
    mnistScore: round(run.lastScore.mnistScore), scoresByEpoch: run.scores.map((s) => [round(s.epoch), s.conditionalAccuracy === null ? null : round(s.conditionalAccuracy), round(s.mnistScore)]),
    testReconstruction: run.lastEpoch ? round(run.lastEpoch.testReconstruction) : null, testKl: run.lastEpoch ? round(run.lastEpoch.testKl) : null,
    judge: run.judge ? `${run.judge.name} test ${run.judge.testAccuracy.toFixed(3)}` : null,
    // How long the judge took to train (when it was trained in an earlier run and cached, that run's time).
    judgeTrainSeconds: run.judge ? Math.round(run.judge.trainSeconds) : null, judgeCached: run.judge?.cached ?? null,
    tensorsFirst: run.tensorsFirst, tensorsLast: run.progress.tensors,
  };
}

async function state(page) {
  return page.evaluate(() => {
    const { run } = window.cnnGenerations.store.getState();
    window.benchTensorsFirst ??= {};
    if (run.progress && window.benchTensorsFirst[run.runId] === undefined) window.benchTensorsFirst[run.runId] = run.progress.tensors;
    return {
      status: run.status, detail: run.detail, error: run.error, backend: run.backend, judge: run.judge, progress: run.progress,
      lastScore: run.scores.at(-1) ?? null, scores: run.scores.map(({ epoch, conditionalAccuracy, mnistScore }) => ({ epoch, conditionalAccuracy, mnistScore })),
      lastEpoch: run.epochs.at(-1) ?? null, batchSize: run.spec?.training.batchSize, latentSize: run.spec?.latentSize, params: window.cnnGenerations.store.getState().analysis?.totalParams ?? null,
      tensorsFirst: window.benchTensorsFirst[run.runId],
    };
  });
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}
