import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openAppPage, type Harness } from './harness';

let h: Harness;
let page: Page;
let pageErrors: string[] = [];

interface LongTask {
  start: number;
  duration: number;
}

beforeAll(async () => {
  // Record every main-thread task over 50 ms from the first script on.
  ({ h, page, pageErrors } = await openAppPage((p) =>
    p.addInitScript(() => {
      const tasks: { start: number; duration: number }[] = [];
      (window as unknown as { longTasks: typeof tasks }).longTasks = tasks;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    }),
  ));
});

afterAll(async () => {
  await h?.close();
});

const status = () => page.getByTestId('run-status').innerText();
const prediction = () => page.getByTestId('prediction-text').innerText().catch(() => '');
const layerFigures = (p: Page) => p.locator('cnn-feature-maps [data-testid="layer-output"]');

/** Drags the mouse through the points (pad coordinates 0-200) as one stroke. */
async function stroke(points: [number, number][]): Promise<void> {
  const box = (await page.locator('cnn-draw-pad canvas.pad').boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + (x / 200) * box.width, box.y + (y / 200) * box.height] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 2 });
  await page.mouse.up();
}

describe('looking inside, as a person does', () => {
  it('says there is nothing to look inside before training', async () => {
    await expect.poll(() => page.getByTestId('probe-error').innerText().catch(() => '')).toMatch(/train/i);
  });

  it('shows every layer for a chosen test image while training, with few long tasks', async () => {
    const examples = page.locator('cnn-training-settings input[name="trainExamples"]');
    await examples.fill('8000');
    await examples.press('Tab');
    // As in scripts/bench-longtasks.mjs: Train once the worker is ready (the panel names its backend).
    await expect.poll(() => page.getByTestId('backend').innerText().catch(() => ''), { timeout: 30_000 }).toMatch(/^on /);
    await page.locator('cnn-run-panel').getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(status, { timeout: 90_000 }).toBe('Training');
    const trainingStarted = await page.evaluate(() => performance.now());

    const index = page.locator('cnn-input-picker input[type="number"]');
    await index.fill('3');
    await index.press('Enter');
    // Watch the inspector while the run goes on (as scripts/bench-longtasks.mjs does): content
    // growing above the picker would otherwise push the maps out of view, where they cost nothing.
    await page.locator('cnn-inspector').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await expect.poll(() => layerFigures(page).count(), { timeout: 30_000 }).toBe(7);
    const labels = await layerFigures(page).evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    expect(labels[0]).toMatch(/^Layer 1 Conv2D 32 3x3 ReLU: 32 feature maps of 26×26/);
    expect(labels[2]).toMatch(/^Layer 3 Conv2D 64 3x3 ReLU: 64 feature maps of 11×11/);
    expect(labels[6]).toMatch(/^Layer 7 Dense 10 softmax/);
    // Every layer's canvas gets its image (they are painted a few per frame, after the figures).
    const painted = () => page.locator('cnn-feature-maps canvas[data-layer]').evaluateAll((canvases: HTMLCanvasElement[]) =>
      canvases.filter((c) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)).length);
    await expect.poll(painted, { timeout: 10_000 }).toBe(7);
    await expect.poll(() => page.locator('cnn-input-picker canvas.shown').getAttribute('aria-label')).toContain('test image 3');
    // Filters and health arrive while the run trains.
    await expect.poll(() => page.locator('cnn-filter-grid canvas').count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
    // The layer health panel saves as one SVG: a row of sparklines per layer, titled.
    const health = page.locator('cnn-layer-health');
    await expect.poll(() => health.locator('.row').count(), { timeout: 30_000 }).toBe(7);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      health.getByRole('button', { name: 'Download the layer health charts as SVG', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('layer-health.svg');
    const saved = readFileSync(await download.path(), 'utf8');
    expect(saved.match(/<text[^>]*>Layer \d/g)?.length).toBe(7);
    expect(saved.match(/<svg/g)!.length).toBeGreaterThan(7);

    await expect.poll(status, { timeout: 240_000, interval: 1000 }).toBe('Done');
    // The run ends with its report drawn (its digit grids come last): that is part of the figure.
    await expect.poll(() => page.locator('cnn-test-report cnn-digit-grid').count(), { timeout: 10_000 }).toBe(2);
    const trainingEnded = await page.evaluate(() => performance.now());
    const tasks: LongTask[] = await page.evaluate(() => (window as unknown as { longTasks: LongTask[] }).longTasks);
    const during = tasks.filter((t) => t.start >= trainingStarted && t.start <= trainingEnded);
    const seconds = (trainingEnded - trainingStarted) / 1000;
    const worst = Math.max(0, ...during.map((t) => t.duration));
    // The same figure as `node scripts/bench-longtasks.mjs` prints (that script is the one to quote).
    console.log(JSON.stringify({
      scenario: 'inspect-while-training', seconds: Math.round(seconds * 10) / 10, longTasks: during.length,
      longestMs: Math.round(worst), over50: during.map((t) => Math.round(t.duration)),
    }));
    // The figure is printed above (the issue asks for it); the 50 ms goal is judged from it on a
    // quiet machine, not here. The assertion only catches a UI thread that freezes (e.g. tensor
    // work or a whole-history redraw on the page): on a 2-core machine the worker's two wasm
    // threads share the cores with the page, and on a busy machine (CI, other jobs) a task
    // that needs 20 ms of CPU can take 250 ms of wall time, so the bound is generous.
    expect(worst).toBeLessThan(1000);

    // The trained filters are painted, not only laid out.
    const inked = (selector: string) => page.locator(selector).evaluateAll((canvases: HTMLCanvasElement[]) =>
      canvases.filter((c) => c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data.some((v, i) => i % 4 === 3 && v > 0)).length);
    await expect.poll(() => inked('cnn-filter-grid canvas')).toBe(await page.locator('cnn-filter-grid canvas').count());
    // Clicking the first map of the first layer enlarges it, painted, with its value range.
    const maps = page.locator('cnn-feature-maps');
    await maps.locator('canvas.maps').first().click({ position: { x: 3, y: 3 } });
    const detail = maps.getByRole('status');
    await expect.poll(() => detail.textContent()).toContain('Channel 1 of 32');
    expect(await detail.textContent()).toMatch(/min -?[\d.]+.* max -?[\d.]+/);
    await expect.poll(() => inked('cnn-feature-maps canvas.enlarged')).toBe(1);
    await detail.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => maps.locator('canvas.enlarged').count()).toBe(0);
  });

  it('reads a drawn 1 and a drawn 0, showing the preprocessed 28x28 input', async () => {
    await page.getByRole('button', { name: 'Draw a digit' }).click();
    await stroke([[100, 25], [102, 60], [103, 100], [104, 140], [105, 178]]);
    await expect.poll(prediction, { timeout: 20_000 }).toMatch(/^Predicted 1 /);
    const inked = await page.locator('cnn-draw-pad canvas.preview').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, 28, 28).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 0) n += 1;
      return n;
    });
    expect(inked).toBeGreaterThan(20);
    expect(inked).toBeLessThan(200);

    await page.locator('cnn-draw-pad').getByRole('button', { name: 'Clear' }).click();
    const ring: [number, number][] = Array.from({ length: 41 }, (_, i) => {
      const a = (i / 40) * 2 * Math.PI;
      return [100 + 48 * Math.sin(a), 100 - 68 * Math.cos(a)];
    });
    await stroke(ring);
    await expect.poll(prediction, { timeout: 20_000 }).toMatch(/^Predicted 0 /);
    // The saliency map takes its own turn to draw, after the prediction.
    await expect.poll(() => page.getByTestId('saliency-text').innerText()).toMatch(/Pixels that most raise the score of class 0/);
  });

  it('opens the images behind a confusion cell and looks inside one of them', async () => {
    const report = await page.evaluate(() => {
      const r = (window as any).cnnPlayground.store.getState().run.report;
      return { mistake: r.mistakes[0], confusion: r.confusion };
    });
    const { label, predicted } = report.mistake;
    const count = report.confusion[label * 10 + predicted];
    await page.getByRole('button', { name: new RegExp(`^true ${label}, predicted ${predicted}:`) }).click();
    await expect.poll(() => page.getByTestId('gallery-title').innerText().catch(() => '')).toContain(`True ${label}, predicted ${predicted}: ${count} image`);
    const first = page.locator('cnn-confusion-gallery button').first();
    await first.click();
    await expect.poll(() => page.locator('cnn-input-picker canvas.shown').getAttribute('aria-label')).toContain(`true label ${label}`);
    await expect.poll(prediction).toMatch(new RegExp(`^Predicted ${predicted} `));
    expect(pageErrors).toEqual([]);
  });

  it('asks the workers for a core and puts every frame first for a second after a click, and never once the person chose speed', async () => {
    const asked = () => page.evaluate(() => (window as any).cnnPlayground.coreAsked as boolean);
    const framesFirst = () => page.evaluate(() => (window as any).cnnPlayground.framesFirst as number);
    const smooth = page.getByRole('checkbox', { name: /Keep the page smooth while training/ });
    // Look inside off screen, and the scroll's own second over: nothing to ask for.
    await page.evaluate(() => scrollTo(0, 0));
    await expect.poll(asked, { timeout: 5000 }).toBe(false);
    // A click on the page's margin: asked at once (seen by a listener after the page's own),
    // and for about a second (timers never fire early); every frame of that second goes first.
    await page.evaluate(() => {
      addEventListener('pointerdown', () => {
        const { coreAsked, framesFirst } = (window as any).cnnPlayground;
        (window as any).pressed = { at: performance.now(), asked: coreAsked, frames: framesFirst };
      }, { capture: true, once: true });
    });
    await page.mouse.click(5, 450);
    const press = await page.evaluate(async () => {
      const app = (window as any).cnnPlayground;
      const pressed = (window as any).pressed as { at: number; asked: boolean; frames: number };
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      while (app.coreAsked) await sleep(20);
      const heldMs = performance.now() - pressed.at;
      const framesInHold = app.framesFirst - pressed.frames;
      // Frames go on being drawn (this page asks for them), but none goes first any more.
      const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      await frames();
      const settled = app.framesFirst;
      for (let i = 0; i < 10; i++) await frames();
      return { askedAtOnce: pressed.asked, heldMs, framesInHold, framesAfter: app.framesFirst - settled };
    });
    expect(press.askedAtOnce).toBe(true);
    expect(press.heldMs).toBeGreaterThanOrEqual(1000);
    expect(press.heldMs).toBeLessThan(5000);
    // At least 10 frames in that second, however slow this machine draws them.
    expect(press.framesInHold).toBeGreaterThanOrEqual(10);
    expect(press.framesAfter).toBe(0);
    // Speed chosen: a click asks for nothing and puts no frame first.
    await smooth.uncheck();
    // The uncheck's own click woke the loop while smoothness was still chosen: let it see the choice.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const before = await framesFirst();
    await page.mouse.click(5, 450);
    expect(await asked()).toBe(false);
    await page.evaluate(() => new Promise((r) => setTimeout(r, 300)));
    expect(await framesFirst()).toBe(before);
    await smooth.check();
    expect(await asked()).toBe(true);
  });

  it('lets the person choose full speed over a smooth page, and remembers it after a reload', async () => {
    const smooth = () => page.getByRole('checkbox', { name: /Keep the page smooth while training/ });
    // Two workers train here (core-loop.e2e checks the panel says so): the choice is offered, smooth by default.
    await expect.poll(() => smooth().isChecked()).toBe(true);
    await smooth().uncheck();
    await expect.poll(() => page.evaluate(() => (window as any).cnnPlayground.store.getState().smoothInspector)).toBe(false);
    await page.reload();
    // The choice is shown once the worker has named its backend (its worker count).
    await expect.poll(() => page.getByTestId('backend').innerText().catch(() => ''), { timeout: 30_000 }).toMatch(/2 workers/);
    await expect.poll(() => smooth().isChecked()).toBe(false);
    expect(await page.evaluate(() => (window as any).cnnPlayground.store.getState().smoothInspector)).toBe(false);
    await smooth().check();
    await expect.poll(() => page.evaluate(() => (window as any).cnnPlayground.store.getState().smoothInspector)).toBe(true);
    // Training in one worker (`?workers=1`) leaves no core to give: no choice is offered.
    await page.goto(`${h.url}?workers=1`);
    await expect.poll(() => page.getByTestId('backend').innerText().catch(() => ''), { timeout: 30_000 }).toMatch(/^on wasm/);
    expect(await page.getByTestId('backend').innerText()).not.toMatch(/workers/);
    expect(await smooth().count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
