import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { parseIdxImages } from '../../src/train/idx';
import { openAppPage, type Harness } from './harness';

let h: Harness;
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  ({ h, page, pageErrors } = await openAppPage());
  page.on('download', (d) => downloads.push(d));
});

let downloadDir = '';
/** The first run's test accuracy ("97.3") and its exported model files, for the import at the end. */
let firstAccuracy = '';
let exportedFiles: string[] = [];
const downloads: Download[] = [];

afterAll(async () => {
  await h?.close();
  if (downloadDir) rmSync(downloadDir, { recursive: true, force: true });
});

/** Clicks an export button and saves the `count` files it downloads; returns their paths. */
async function download(button: string, count: number): Promise<string[]> {
  downloadDir ||= mkdtempSync(join(tmpdir(), 'cnn-runs-downloads-'));
  downloads.length = 0;
  await page.locator('cnn-run-export').getByRole('button', { name: button, exact: true }).click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(count);
  return Promise.all(downloads.map(async (d) => {
    const path = join(downloadDir, d.suggestedFilename());
    await d.saveAs(path);
    return path;
  }));
}

/** Clicks one chart's own save button and returns the downloaded file. */
async function saveChart(chart: ReturnType<Page['locator']>, button: string): Promise<{ name: string; bytes: Buffer; text: string }> {
  downloadDir ||= mkdtempSync(join(tmpdir(), 'cnn-runs-downloads-'));
  downloads.length = 0;
  await chart.getByRole('button', { name: button, exact: true }).click();
  await expect.poll(() => downloads.length, { timeout: 30_000 }).toBe(1);
  const path = join(downloadDir, downloads[0]!.suggestedFilename());
  await downloads[0]!.saveAs(path);
  const bytes = readFileSync(path);
  return { name: downloads[0]!.suggestedFilename(), bytes, text: bytes.toString('utf8') };
}

/** Loads tfjs Layers files from disk the way tf.loadLayersModel reads them over HTTP: model.json, then the paths in its manifest. */
async function loadLayersFromFiles(jsonPath: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(jsonPath, 'utf8'));
  return tf.loadLayersModel({
    load: async () => {
      const groups = json.weightsManifest as { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
      const bytes = Buffer.concat(groups.flatMap((g) => g.paths.map((p) => readFileSync(join(dirname(jsonPath), p)))));
      return {
        modelTopology: json.modelTopology, format: json.format, generatedBy: json.generatedBy, trainingConfig: json.trainingConfig,
        weightSpecs: groups.flatMap((g) => g.weights), weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
      };
    },
  });
}

/** A button of the run panel (other sections have their own Train buttons). */
const runButton = (name: string) => page.locator('cnn-run-panel').getByRole('button', { name, exact: true });
const status = () => page.getByTestId('run-status').innerText();
const examplesSeen = async () => Number((await page.getByTestId('examples-seen').innerText().catch(() => '0')).replace(/[^0-9]/g, ''));
const rows = () => page.locator('cnn-runs-table tbody tr');
// Text is read with textContent: the Runs and report sections skip rendering while off screen
// (content-visibility: auto), and innerText of an unrendered element is empty.
const textOf = async (locator: ReturnType<Page['locator']>) => ((await locator.textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
const headline = () => textOf(page.locator('cnn-test-report p.headline'));
const nameOf = (row: ReturnType<Page['locator']>) => textOf(row.locator('.name'));
const panelButton = (name: string) => page.locator('cnn-runs-panel').getByRole('button', { name, exact: true });
/** The current run's batch points as the store holds them (what the curves draw). */
const batchSteps = () =>
  page.evaluate(() => (window as any).cnnPlayground.store.getState().run.batches.map((b: { step: number; examplesSeen: number }) => [b.step, b.examplesSeen]));

async function setting(name: string, value: string): Promise<void> {
  const input = page.locator(`cnn-training-settings input[name="${name}"]`);
  await input.fill(value);
  await input.press('Tab');
}

async function reload(): Promise<void> {
  await page.reload();
  await expect.poll(() => page.locator('cnn-runs-panel [data-testid="runs-storage"]').count(), { timeout: 30_000 }).toBe(1);
}

describe('kept runs, as a person uses them', () => {
  it('keeps a finished run, lists it after a reload, and opens it with its curves, report and model', async () => {
    await setting('trainExamples', '2000');
    await setting('epochs', '1');
    await runButton('Train').click();
    await expect.poll(status, { timeout: 180_000, interval: 500 }).toBe('Done');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(1);
    const name = await nameOf(rows().first());
    expect(name).toMatch(/^Seed CNN · 122k params · adam \S+ · \d+\.\d%$/);
    const accuracy = /(\d+\.\d)%$/.exec(name)![1]!;
    firstAccuracy = accuracy;
    expect(await headline()).toContain(`${accuracy}% test accuracy`);

    await reload();
    expect(await status()).toBe('Ready');
    await expect.poll(() => rows().count()).toBe(1);
    expect(await nameOf(rows().first())).toBe(name);
    expect(await textOf(page.getByTestId('runs-storage'))).toMatch(/^1 kept run, about [\d.]+ (kB|MB); this site uses [\d.]+ \w+ of [\d.]+ \w+ available\.$/);

    await rows().first().getByRole('button', { name: 'Open' }).click();
    await expect.poll(status, { timeout: 60_000 }).toBe('Done');
    expect(await headline()).toContain(`${accuracy}% test accuracy`);
    const path = page.locator('cnn-training-curves[metric="loss"] path.smooth');
    expect(((await path.getAttribute('d')) ?? '').length).toBeGreaterThan(20);
    expect(await examplesSeen()).toBe(1800);
    // The stack and settings are the run's.
    expect(await page.locator('cnn-training-settings input[name="trainExamples"]').inputValue()).toBe('2000');

    // Its model is in the worker again: the inspector looks inside it, and Evaluate gives the same accuracy.
    const index = page.locator('cnn-input-picker input[type="number"]');
    await index.fill('3');
    await index.press('Enter');
    await expect.poll(() => textOf(page.getByTestId('prediction-text')), { timeout: 30_000 }).toMatch(/\d/);
    await runButton('Evaluate').click();
    await expect.poll(status, { timeout: 60_000 }).toBe('Evaluating on the test set…').catch(() => undefined);
    await expect.poll(status, { timeout: 60_000 }).toBe('Done');
    expect(await headline()).toContain(`${accuracy}% test accuracy`);
    expect(pageErrors).toEqual([]);
  });

  it('scrubs the stored time-lapse of the opened run', async () => {
    const lapse = page.locator('cnn-timelapse');
    const at = () => textOf(lapse.getByTestId('timelapse-at'));
    await expect.poll(at, { timeout: 10_000 }).toMatch(/^frame (\d+) of \1 · step 29 · 1,800 examples$/);
    const frames = Number(/of (\d+)/.exec(await at())![1]);
    expect(frames).toBeGreaterThanOrEqual(2);
    const slider = lapse.getByRole('slider', { name: 'Time-lapse frame' });
    await slider.focus();
    await page.keyboard.press('Home');
    await expect.poll(at).toMatch(/^frame 1 of \d+ · step \d+ · [\d,]+ examples$/);
    const firstStep = Number(/step (\d+)/.exec(await at())![1]);
    expect(firstStep).toBeLessThan(29);
    // Both conv layers' kernels and maps are drawn for the frame.
    const canvases = lapse.locator('canvas');
    expect(await canvases.count()).toBe(4);
    const sizes = await canvases.evaluateAll((list) => list.map((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]));
    for (const [w, h] of sizes) expect(w! * h!).toBeGreaterThan(100);
    // The pictures change between the first and the last frame.
    const pixels = () => canvases.first().evaluate((c) => Array.from((c as HTMLCanvasElement).getContext('2d')!.getImageData(0, 0, 40, 12).data).join(','));
    const early = await pixels();
    await page.keyboard.press('End');
    await expect.poll(at).toMatch(/^frame (\d+) of \1 · step 29/);
    expect(await pixels()).not.toBe(early);
    // Play, from the last frame, starts again at the first and steps forward to the last.
    await lapse.getByRole('button', { name: 'Play the time-lapse' }).click();
    const shown: number[] = [];
    await expect.poll(async () => {
      shown.push(Number(/^frame (\d+)/.exec(await at())![1]));
      return shown.some((n) => n < frames) && shown.at(-1) === frames;
    }, { timeout: 20_000, interval: 20 }).toBe(true);
    const played = shown.slice(shown.findIndex((n) => n < frames));
    expect(played[0]).toBe(1);
    expect(played).toEqual([...played].sort((a, b) => a - b));
    expect(new Set(played).size).toBe(frames);
    await expect.poll(() => lapse.getByRole('button', { name: 'Play the time-lapse' }).count()).toBe(1);
    expect(await textOf(lapse.locator('.cap'))).toMatch(/^\d+ kB of at most 4\.0 MB kept; probe digit: test image 0\.$/);
  });

  it('exports the model as tfjs Layers files that give the same predictions in Node', async () => {
    const files = await download('Model (tfjs)', 2);
    exportedFiles = files;
    const jsonPath = files.find((f) => f.endsWith('.json'))!;
    expect(files.map((f) => f.slice(downloadDir.length + 1)).sort()).toEqual([expect.stringMatching(/^Seed-CNN.*\.json$/), expect.stringMatching(/^Seed-CNN.*\.weights\.bin$/)]);
    expect(await textOf(page.getByTestId('export-note'))).toMatch(/^Saved .+\.json and .+\.weights\.bin: load them with tf\.loadLayersModel\.$/);
    const app = await page.evaluate(() => {
      const report = (window as any).cnnPlayground.store.getState().run.report;
      return { predicted: Array.from(report.predictions as Uint8Array).slice(0, 100), confidence: Array.from(report.confidences as Float32Array).slice(0, 100) };
    });
    await tf.setBackend('cpu');
    const model = await loadLayersFromFiles(jsonPath);
    const images = parseIdxImages(gunzipSync(readFileSync('public/data/mnist/test-images.idx3.gz')), 'test images');
    const x = tf.tensor4d(Float32Array.from(images.pixels.subarray(0, 100 * 784), (v) => v / 255), [100, 28, 28, 1]);
    const probabilities = model.predict(x) as tf.Tensor2D;
    const predicted = Array.from(await probabilities.argMax(1).data());
    const confidence = Array.from(await probabilities.max(1).data());
    tf.dispose([x, probabilities]);
    model.dispose();
    expect(predicted).toEqual(app.predicted);
    confidence.forEach((c, i) => expect(Math.abs(c - app.confidence[i]!)).toBeLessThan(1e-4));
  });

  it('exports the metric history as CSV and each chart as SVG and PNG', async () => {
    const [csv] = await download('Metrics (CSV)', 1);
    const lines = readFileSync(csv!, 'utf8').trimEnd().split('\r\n');
    const counts = await page.evaluate(() => {
      const run = (window as any).cnnPlayground.store.getState().run;
      return run.batches.length + run.epochs.length;
    });
    expect(lines[0]).toBe('run,kind,step,epoch,examples_seen,elapsed_ms,loss,accuracy,val_loss,val_accuracy');
    expect(lines).toHaveLength(counts + 1);
    expect(lines.at(-1)).toMatch(/,epoch,,1,1800,/);
    for (const chart of ['loss', 'accuracy']) {
      const [svg] = await download(`${chart} SVG`, 1);
      const text = readFileSync(svg!, 'utf8');
      expect(text.startsWith('<?xml')).toBe(true);
      expect(text).toContain('xmlns="http://www.w3.org/2000/svg"');
      expect(text).toMatch(/<path class="smooth" d="M[^"]{20,}"[^>]*style="[^"]*stroke:/);
      const [png] = await download(`${chart} PNG`, 1);
      const bytes = readFileSync(png!);
      expect(Array.from(bytes.subarray(0, 8))).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
      // Twice the chart's size: its width is in the PNG header.
      const width = Number(/width="(\d+)"/.exec(text)![1]);
      expect(bytes.readUInt32BE(16)).toBe(width * 2);
    }
  });

  it('renames a run in place', async () => {
    await rows().first().getByRole('button', { name: 'Rename' }).click();
    const input = page.locator('cnn-runs-table input.rename');
    await input.fill('first try');
    await input.press('Enter');
    await expect.poll(() => nameOf(rows().first())).toBe('first try');
  });

  it('stops a run, and after a reload continues it from where it stopped without a jump', async () => {
    await setting('trainExamples', '6000');
    await runButton('Train again').click();
    await expect.poll(examplesSeen, { timeout: 120_000 }).toBeGreaterThan(1000);
    await runButton('Stop').click();
    await expect.poll(status, { timeout: 120_000, interval: 500 }).toBe('Stopped');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(2);
    const stoppedAt = await examplesSeen();
    expect(stoppedAt).toBeLessThan(5400);

    await reload();
    const stopped = rows().filter({ hasText: 'stopped' });
    await expect.poll(() => stopped.count()).toBe(1);
    await stopped.getByRole('button', { name: 'Open' }).click();
    await expect.poll(status, { timeout: 60_000 }).toBe('Stopped');
    expect(await examplesSeen()).toBe(stoppedAt);
    const before = await batchSteps();
    await page.getByTestId('continue-run').click();
    await expect.poll(examplesSeen, { timeout: 60_000 }).toBeGreaterThan(stoppedAt);
    await expect.poll(status, { timeout: 180_000, interval: 500 }).toBe('Done');
    expect(await examplesSeen()).toBe(5400);
    // One curve: steps 1, 2, 3, ... with examples growing by one batch each, across the stop.
    const after: [number, number][] = await batchSteps();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.map(([step]) => step)).toEqual(after.map((_, i) => i + 1));
    for (let i = 1; i < after.length; i++) expect(after[i]![1] - after[i - 1]![1]).toBeGreaterThan(0);
    // The same record now says done, with a test accuracy.
    await expect.poll(() => rows().filter({ hasText: 'stopped' }).count(), { timeout: 10_000 }).toBe(0);
    expect(await rows().count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });

  it('trains a second network with one layer changed and compares the two', async () => {
    await page.locator('cnn-layer-stack tbody tr[data-kind]').nth(0).click();
    const filters = page.locator('cnn-layer-stack').getByLabel('Layer 1 filters');
    await filters.selectText();
    await filters.pressSequentially('16');
    await filters.press('Tab');
    await setting('trainExamples', '2000');
    await runButton('Train again').click();
    await expect.poll(status, { timeout: 180_000, interval: 500 }).toBe('Done');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(3);

    const compare = page.locator('cnn-runs-compare');
    expect(await textOf(compare.locator('.hint'))).toBe('Tick two to four runs in the list to compare them.');
    await rows().filter({ hasText: 'first try' }).getByRole('checkbox').check();
    await rows().nth(0).getByRole('checkbox').check();
    await expect.poll(() => compare.locator('cnn-overlay-chart').count()).toBe(2);
    await expect.poll(() => compare.locator('cnn-overlay-chart[metric="loss"] path.train').count()).toBe(2);
    const trainPaths = compare.locator('cnn-overlay-chart[metric="accuracy"] path.train');
    for (let i = 0; i < 2; i++) expect(((await trainPaths.nth(i).getAttribute('d')) ?? '').length).toBeGreaterThan(20);
    // Parameters from the layer formulas: the first conv has 32 filters in one run, 16 in the other.
    const params = (f: number) => (9 * f + f) + (9 * f * 64 + 64) + (1600 * 64 + 64) + (64 * 10 + 10);
    const table = compare.locator('table.figures tbody tr');
    expect(await table.count()).toBe(2);
    expect(await textOf(table.nth(0).locator('td').nth(1))).toBe(params(32).toLocaleString('en-US'));
    expect(await textOf(table.nth(1).locator('td').nth(1))).toBe(params(16).toLocaleString('en-US'));
    const diff = compare.getByTestId('spec-diff');
    expect(await textOf(diff.locator('caption'))).toBe('1 change from the first run to the second');
    const changed = diff.locator('span.changed');
    expect(await changed.count()).toBe(2);
    expect([await textOf(changed.nth(0)), await textOf(changed.nth(1))]).toEqual(['filters 32', 'filters 16']);
    // By training time instead of examples.
    await compare.getByRole('radio', { name: 'by training time' }).check();
    await expect.poll(() => textOf(compare.locator('cnn-overlay-chart[metric="loss"] text.label').first())).toBe('training time (s)');
    await expect.poll(() => compare.locator('cnn-runs-scatter circle').count()).toBe(3);
    await expect.poll(() => compare.locator('cnn-runs-scatter circle.picked').count()).toBe(2);
    // Every chart saves as SVG and PNG: the comparison's loss chart and the scatter here.
    const loss = await saveChart(compare.locator('cnn-overlay-chart[metric="loss"]'), 'Download the loss comparison chart as SVG');
    expect(loss.name).toBe('compare-loss.svg');
    expect(loss.text.match(/<path[^>]*class="train"/g)?.length).toBe(2);
    expect(loss.text).toContain('training time (s)');
    const scatter = await saveChart(compare.locator('cnn-runs-scatter'), 'Download the parameters against accuracy chart as PNG');
    expect(scatter.name).toBe('runs-parameters-accuracy.png');
    expect(scatter.bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(pageErrors).toEqual([]);
  });

  it('repeats the network with seeds 1-3, one run after another', async () => {
    await setting('trainExamples', '600');
    await panelButton('Repeat with seeds 1–3').click();
    await expect.poll(() => rows().count(), { timeout: 300_000, interval: 1000 }).toBe(6);
    await expect.poll(status, { timeout: 60_000 }).toBe('Done');
    const seeds = await page.evaluate(() => (window as any).cnnPlayground.store.getState().runs.list.slice(0, 3).map((r: any) => r.spec.training.seed));
    expect(seeds).toEqual([3, 2, 1]);
    expect(await page.locator('cnn-training-settings input[name="seed"]').inputValue()).toBe('3');
    // Compared, the three say how far chance alone sets them apart.
    const ticked = page.locator('cnn-runs-table').getByRole('checkbox', { checked: true });
    while ((await ticked.count()) > 0) await ticked.first().uncheck();
    for (let i = 0; i < 3; i++) await rows().nth(i).getByRole('checkbox').check();
    // The compared runs load one pick at a time: read the line once all three are in.
    await expect.poll(() => page.locator('cnn-runs-compare table.figures tbody tr').count()).toBe(3);
    const spread = page.getByTestId('accuracy-spread');
    await expect.poll(() => textOf(spread).catch(() => ''), { timeout: 10_000 })
      .toMatch(/^Test accuracy from \d+\.\d\d% to \d+\.\d\d%: a spread of \d+\.\d\d points\. These runs differ only in their seed, so that is what chance alone gives\.$/);
    const accuracies = await page.evaluate(() => (window as any).cnnPlayground.store.getState().runs.list.slice(0, 3).map((r: any) => r.testAccuracy as number));
    const [low, high, points] = /from ([\d.]+)% to ([\d.]+)%: a spread of ([\d.]+)/.exec(await textOf(spread))!.slice(1).map(Number);
    expect(low).toBeCloseTo(Math.min(...accuracies) * 100, 1);
    expect(high).toBeCloseTo(Math.max(...accuracies) * 100, 1);
    expect(points).toBeCloseTo(high! - low!, 5);
  });

  it('deletes one run, prunes the oldest, then clears all after confirming', async () => {
    const oldest = await nameOf(rows().last());
    await rows().last().getByRole('button', { name: /^Delete / }).click();
    await expect.poll(() => rows().count()).toBe(5);
    expect(await nameOf(rows().last())).not.toBe(oldest);
    const keep = page.locator('cnn-runs-panel input[name="keep"]');
    await keep.fill('1');
    await keep.press('Tab');
    const newest = await nameOf(rows().first());
    await panelButton('Prune oldest').click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await nameOf(rows().first())).toBe(newest);
    await panelButton('Clear all…').click();
    await panelButton('No').click();
    expect(await rows().count()).toBe(1);
    await panelButton('Clear all…').click();
    await panelButton('Yes, delete all').click();
    await expect.poll(() => rows().count()).toBe(0);
    await reload();
    // The table takes its turn to draw after the storage line; its empty message shows it has.
    await expect.poll(() => textOf(page.locator('cnn-runs-table p.empty'))).toMatch(/^No kept runs yet/);
    expect(await rows().count()).toBe(0);
  });

  it('refuses three hostile imports with a message and the work intact, then imports the exported files back', async () => {
    const jsonPath = exportedFiles.find((f) => f.endsWith('.json'))!;
    const binPath = exportedFiles.find((f) => f.endsWith('.bin'))!;
    const json = readFileSync(jsonPath, 'utf8');
    const bin = readFileSync(binPath);
    const picker = page.locator('cnn-run-import input[type="file"]');
    const note = () => textOf(page.getByTestId('import-note'));
    const totalBefore = await textOf(page.getByTestId('total-params'));
    const specBefore = await page.evaluate(() => JSON.stringify((window as any).cnnPlayground.store.getState().spec));
    const huge = JSON.parse(json);
    huge.weightsManifest[0].weights[0].shape = [50_000, 50_000, 1, 1];
    const binName = bin.length && binPath.slice(dirname(binPath).length + 1);
    const hostile: [string, { name: string; mimeType: string; buffer: Buffer }[], RegExp][] = [
      ['not JSON', [{ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('<html>not a model</html>') }, { name: String(binName), mimeType: 'application/octet-stream', buffer: bin }], /JSON/],
      ['weights that do not match', [{ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(json) }, { name: String(binName), mimeType: 'application/octet-stream', buffer: bin.subarray(0, bin.length - 64) }], /bytes/],
      ['a 2 GB declared size', [{ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(huge)) }, { name: String(binName), mimeType: 'application/octet-stream', buffer: bin }], /MB|bytes/],
    ];
    for (const [what, files, pattern] of hostile) {
      await picker.setInputFiles(files);
      await expect.poll(note, { message: what }).toMatch(/^These files cannot be imported: .+\. Your current work is unchanged\.$/);
      expect(await note(), what).toMatch(pattern);
      expect(await page.getByTestId('import-note').getAttribute('role')).toBe('alert');
      expect(await textOf(page.getByTestId('total-params'))).toBe(totalBefore);
      expect(await page.evaluate(() => JSON.stringify((window as any).cnnPlayground.store.getState().spec))).toBe(specBefore);
      expect(await rows().count()).toBe(0);
    }

    await picker.setInputFiles([jsonPath, binPath]);
    await expect.poll(note).toMatch(/^Imported .+\.json: 7 layers with their weights/);
    await expect.poll(status, { timeout: 60_000 }).toBe('Stopped');
    await expect.poll(() => textOf(page.getByTestId('total-params'))).toBe('121,930');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(1);
    expect(await nameOf(rows().first())).toMatch(/^Imported Seed-CNN/);
    // The imported weights are the first run's: the same test accuracy.
    await runButton('Evaluate').click();
    await expect.poll(() => headline(), { timeout: 90_000 }).toContain(`${firstAccuracy}% test accuracy`);
    expect(pageErrors).toEqual([]);
  });
});
