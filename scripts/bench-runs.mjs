#!/usr/bin/env node
/**
 * Kept runs, measured in the real app in headless Chromium: trains the default preset with its
 * own settings (what Train does), then prints one JSON line with
 *   - the bytes the stored run takes: record (history and report), model (weights and optimizer
 *     state) and time-lapse (frames kept under its cap), read back from IndexedDB;
 *   - saveMs: from the run's end (status "done") until the save has committed and the Runs list
 *     shows it (the app's own save path);
 *   - openMs: store.openRun() (read and check record, model and time-lapse; restore the spec,
 *     curves and report) and readyMs: until the worker has rebuilt the model with the stored
 *     weights (status "done" again, so Look inside and Evaluate work on it).
 * Serves a build like scripts/bench.mjs: `npx vite build --outDir /tmp/dist-x && node
 * scripts/bench-runs.mjs --outDir=/tmp/dist-x`. Options: --examples=60000 (training examples).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? 'true'];
}));
const EXAMPLES = Number(args.examples ?? 60000);

const server = await preview({ preview: { port: 0, open: false }, logLevel: 'warn', ...(args.outDir ? { build: { outDir: args.outDir } } : {}) });
const profile = mkdtempSync(join(tmpdir(), 'cnn-bench-runs-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--no-first-run', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

try {
  const page = await browser.newPage();
  await page.goto(server.resolvedUrls.local[0]);
  await page.waitForFunction(() => window.cnnPlayground?.store);
  const trained = await page.evaluate(async (examples) => {
    const store = window.cnnPlayground.store;
    store.getState().loadPreset('seed-cnn');
    store.getState().updateTraining({ trainExamples: examples });
    let ended = 0;
    const saved = new Promise((resolve) => {
      const stop = store.subscribe((s) => {
        if (!ended && s.run.status === 'done') ended = performance.now();
        if (ended && s.runs.list.some((r) => r.id === s.run.recordId)) {
          stop();
          resolve(performance.now() - ended);
        }
        if (s.run.status === 'error') {
          stop();
          resolve(Number.NaN);
        }
      });
    });
    store.getState().start();
    const saveMs = await saved;
    const s = store.getState();
    return { saveMs, id: s.run.recordId, error: s.run.error, trainingMs: s.run.progress?.elapsedMs, accuracy: s.run.report?.accuracy, backend: s.run.backend?.name };
  }, EXAMPLES);
  if (trained.error) throw new Error(trained.error);

  // What IndexedDB holds for the run, measured as the repository measures it (typed arrays by bytes, the rest as JSON).
  const sizes = await page.evaluate(async (id) => {
    const db = await new Promise((resolve, reject) => {
      const req = indexedDB.open('cnn-playground-runs');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const read = (store) => new Promise((resolve, reject) => {
      const req = db.transaction(store).objectStore(store).get(id);
      req.onsuccess = () => resolve(req.result ?? null);
      req.onerror = () => reject(req.error);
    });
    const bytes = (value) => {
      let n = 0;
      const text = JSON.stringify(value, (_k, v) => (ArrayBuffer.isView(v) ? ((n += v.byteLength), 0) : v));
      return n + (text?.length ?? 0);
    };
    const [record, model, timelapse] = await Promise.all([read('records'), read('models'), read('timelapses')]);
    db.close();
    return {
      recordBytes: bytes(record), modelBytes: bytes(model), timelapseBytes: bytes(timelapse),
      timelapseFrames: timelapse?.frames.length ?? 0, timelapseCapBytes: timelapse?.capBytes ?? null, batchPoints: record?.batches.length ?? 0,
    };
  }, trained.id);

  const restored = await page.evaluate(async (id) => {
    const store = window.cnnPlayground.store;
    const before = store.getState().run.runId;
    const t0 = performance.now();
    const ready = new Promise((resolve) => {
      const stop = store.subscribe((s) => {
        // The opened run gets a new run id; it is ready when the worker reports it done again.
        if (s.run.runId > before && (s.run.status === 'done' || s.run.status === 'error')) {
          stop();
          resolve(performance.now());
        }
      });
    });
    const ok = await store.getState().openRun(id);
    const opened = performance.now();
    const t1 = await ready;
    return { ok, openMs: opened - t0, readyMs: t1 - t0, status: store.getState().run.status, frames: store.getState().run.timelapse?.frames.length ?? 0 };
  }, trained.id);

  const round = (n) => Math.round(n * 10) / 10;
  console.log(JSON.stringify({
    preset: 'seed-cnn', trainExamples: EXAMPLES, backend: trained.backend, trainingSeconds: round(trained.trainingMs / 1000), testAccuracy: trained.accuracy,
    ...sizes, totalBytes: sizes.recordBytes + sizes.modelBytes + sizes.timelapseBytes,
    saveMs: round(trained.saveMs), openMs: round(restored.openMs), readyMs: round(restored.readyMs), restoredStatus: restored.status, restoredFrames: restored.frames,
  }));
} finally {
  await browser.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
