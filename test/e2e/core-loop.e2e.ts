import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openAppPage, type Harness } from './harness';

let h: Harness;
let page: Page;
let pageErrors: string[] = [];

beforeAll(async () => {
  ({ h, page, pageErrors } = await openAppPage());
});

afterAll(async () => {
  await h?.close();
});

const text = (testId: string) => page.getByTestId(testId).innerText();
const number = async (testId: string) => Number((await text(testId)).replace(/[^0-9.]/g, ''));

describe('the core loop, as a person uses it', () => {
  it('shows the default CNN with its shapes and 121,930 parameters', async () => {
    await expect.poll(() => text('total-params')).toBe('121,930');
    const rows = page.locator('cnn-layer-stack tbody tr[data-kind]');
    expect(await rows.count()).toBe(7);
    expect(await rows.nth(0).innerText()).toContain('26 × 26 × 32');
    expect(await rows.nth(0).locator('.params').innerText()).toBe('320');
    expect(await rows.nth(2).locator('.params').innerText()).toBe('18,496');
    expect(await rows.nth(5).locator('.params').innerText()).toBe('102,464');
    expect(await rows.nth(6).locator('.params').innerText()).toBe('650');
    // The worker gets ready while the page is idle, and says which backend Train will use.
    await expect.poll(() => text('backend').catch(() => ''), { timeout: 30_000 }).toMatch(/^on wasm · /);
    expect(await text('run-status')).toBe('Ready');
    // Choosing another backend starts it, and the panel names it; back to the fastest for training.
    const backend = page.locator('cnn-run-panel').getByRole('combobox', { name: 'Backend' });
    await backend.selectOption('cpu');
    await expect.poll(() => text('backend').catch(() => '')).toBe('on cpu');
    // A backend this browser lacks (no GPU here) says so at once, before any Train.
    await backend.selectOption('webgpu');
    await expect.poll(() => text('run-error').catch(() => '')).toMatch(/^No backend could start\. webgpu: /);
    expect(await page.getByTestId('backend').count()).toBe(0);
    expect(await text('run-status')).toBe('Not ready');
    // Train would fail the same way, so it waits for another choice and says why.
    const train = page.locator('cnn-run-panel').getByRole('button', { name: 'Train', exact: true });
    expect(await train.isDisabled()).toBe(true);
    expect(await text('backend-hint')).toMatch(/^Choose another backend to train/);
    await backend.selectOption('auto');
    await expect.poll(() => text('backend').catch(() => '')).toMatch(/^on wasm · /);
    expect(await page.getByTestId('run-error').count()).toBe(0);
    expect(await page.getByTestId('backend-hint').count()).toBe(0);
    expect(await train.isEnabled()).toBe(true);
    expect(await text('run-status')).toBe('Ready');
    // Two workers (this page is cross-origin isolated and has two cores or more); the panel says
    // how they leave the page a core while the look inside is on screen and after each act.
    expect(await text('backend')).toMatch(/ · 2 workers × /);
    const why = page.locator('cnn-run-panel details');
    await why.locator('summary').click();
    expect(await why.innerText()).toMatch(/While “Look inside” is on screen, and for a second after you click, type or scroll, one of them rests and the other does both halves/);
  });

  it('rejects an impossible setting with a message and keeps the old value', async () => {
    const batch = page.locator('cnn-training-settings input[name="batchSize"]');
    await batch.fill('0');
    await batch.press('Tab');
    await expect.poll(() => page.locator('cnn-training-settings [role="alert"]').count()).toBe(1);
    await batch.fill('64');
    await batch.press('Tab');
    await expect.poll(() => page.locator('cnn-training-settings [role="alert"]').count()).toBe(0);
  });

  it('trains on a subset in the worker, with live progress and curves, pause and resume', async () => {
    for (const [name, value] of [['trainExamples', '3000'], ['epochs', '1'], ['validationSplit', '0.1']]) {
      const input = page.locator(`cnn-training-settings input[name="${name}"]`);
      await input.fill(value);
      await input.press('Tab');
    }
    await page.locator('cnn-run-panel').getByRole('button', { name: 'Train', exact: true }).click();
    await expect.poll(() => number('examples-seen'), { timeout: 90_000 }).toBeGreaterThan(300);
    expect(await text('backend')).toMatch(/wasm|webgl|webgpu|cpu/);
    // The curve has drawn a path from the points seen so far.
    const path = page.locator('cnn-training-curves[metric="loss"] path.smooth');
    await expect.poll(async () => ((await path.getAttribute('d')) ?? '').length, { timeout: 10_000 }).toBeGreaterThan(20);

    // The UI thread stays free while the worker trains: a timer keeps firing on schedule.
    const worstGap = await page.evaluate(async () => {
      let last = performance.now();
      let worst = 0;
      for (let i = 0; i < 20; i++) {
        await new Promise((r) => setTimeout(r, 25));
        const now = performance.now();
        worst = Math.max(worst, now - last);
        last = now;
      }
      return worst;
    });
    expect(worstGap).toBeLessThan(250);

    await page.locator('cnn-run-panel').getByRole('button', { name: 'Pause', exact: true }).click();
    await expect.poll(() => text('run-status')).toBe('Paused');
    const pausedAt = await number('examples-seen');
    await page.waitForTimeout(800);
    expect(await number('examples-seen')).toBe(pausedAt);
    await page.locator('cnn-run-panel').getByRole('button', { name: 'Resume', exact: true }).click();
    await expect.poll(() => number('examples-seen')).toBeGreaterThan(pausedAt);
    await expect.poll(() => text('run-status'), { timeout: 180_000, interval: 500 }).toBe('Done');
    expect(await number('examples-seen')).toBe(2700);
  });

  it('reports test accuracy, a confusion matrix, sample predictions and mistakes', async () => {
    const headline = page.locator('cnn-test-report p.headline');
    await expect.poll(() => headline.innerText().catch(() => ''), { timeout: 60_000 }).toMatch(/\d+\.\d% test accuracy/);
    const accuracy = Number(/(\d+\.\d)% test accuracy/.exec(await headline.innerText())![1]);
    expect(accuracy).toBeGreaterThan(80);
    expect(await headline.innerText()).toContain('10,000 images');
    // The report's parts take turns to draw, one per frame, so each may appear a little after
    // the headline: wait for them rather than count at once.
    const cells = page.locator('cnn-confusion-matrix td button');
    await expect.poll(() => cells.count()).toBe(100);
    const grids = page.locator('cnn-digit-grid');
    await expect.poll(() => grids.count()).toBe(2);
    await expect.poll(() => grids.nth(0).locator('button').count()).toBe(24);
    await expect.poll(() => grids.nth(1).locator('button').count()).toBe(16);
    // Each cell shows its slice of the grid's one strip image: decode that image and compare the
    // second cell's slice with the report's pixels for that test image.
    const second = await grids.nth(0).evaluate(async (grid) => {
      const cell = grid.shadowRoot!.querySelector<HTMLElement>('.digit[data-pos="1"]')!;
      const style = getComputedStyle(cell);
      const image = new Image();
      image.src = /url\("?([^")]+)"?\)/.exec(style.backgroundImage)![1]!;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const rgba = context.getImageData(28, 0, 28, 28).data;
      const expected: ArrayLike<number> = (window as any).cnnPlayground.store.getState().run.report.samples[1].pixels;
      return {
        size: [image.naturalWidth, image.naturalHeight],
        position: style.backgroundPosition,
        matches: Array.from({ length: 784 }, (_, i) => rgba[i * 4]).every((v, i) => v === expected[i]),
      };
    });
    expect(second).toEqual({ size: [28 * 24, 28], position: '-56px 0px', matches: true });
    // A digit's ten probability bars are the background layers of one element: the tallest is
    // the prediction, drawn red for a mistake, and the true class's bar is drawn in the accent.
    const bars = await grids.nth(1).evaluate((grid) => {
      const style = getComputedStyle(grid.shadowRoot!.querySelector('.bars')!);
      const heights = style.backgroundSize.split(',').map((size) => Number.parseFloat(size.trim().split(' ')[1]!));
      // One gradient per bar; colours hold commas too, so split at the gradients themselves.
      const layers = style.backgroundImage.split('linear-gradient(').slice(1);
      const colour = (value: string): string => {
        const probe = document.createElement('span');
        probe.style.color = value;
        grid.shadowRoot!.append(probe);
        const resolved = getComputedStyle(probe).color;
        probe.remove();
        return resolved;
      };
      const mistake = (window as any).cnnPlayground.store.getState().run.report.mistakes[0];
      return {
        count: heights.length,
        tallestIsPrediction: heights.indexOf(Math.max(...heights)) === mistake.predicted,
        layers: layers.length,
        truthInAccent: layers[mistake.label]!.startsWith(colour('var(--cnn-accent)')),
        predictionInRed: layers[mistake.predicted]!.startsWith(colour('var(--cnn-bad)')),
      };
    });
    expect(bars).toEqual({ count: 10, layers: 10, tallestIsPrediction: true, truthInAccent: true, predictionInRed: true });
    // Clicking an off-diagonal cell narrows the mistakes to that pair.
    const [trueClass, predicted] = await page.evaluate(() => {
      const c = (window as any).cnnPlayground.store.getState().run.report.mistakes[0];
      return [c.label, c.predicted];
    });
    await page.getByRole('button', { name: new RegExp(`^true ${trueClass}, predicted ${predicted}:`) }).click();
    await expect.poll(() => grids.nth(1).locator('h3').innerText()).toContain(`true ${trueClass} → predicted ${predicted}`);
    expect(pageErrors).toEqual([]);
  });
  it('shows the report on a phone: the confusion matrix scrolls inside the card and its cells still work', async () => {
    await page.setViewportSize({ width: 400, height: 900 });
    try {
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
      const report = (await page.locator('cnn-test-report').boundingBox())!;
      // Its right edge, give or take a subpixel of layout rounding.
      const edge = report.x + report.width + 1;
      // The matrix's own text wraps inside the card rather than running under its edge.
      const top = (await page.locator('cnn-confusion-matrix .top').boundingBox())!;
      expect(top.x + top.width).toBeLessThanOrEqual(edge);
      // The last column is scrolled to, and its cell answers a click.
      const cell = page.getByRole('button', { name: /^true 8, predicted 9:/ });
      await cell.click();
      await expect.poll(() => cell.getAttribute('aria-pressed')).toBe('true');
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(edge);
      await cell.click();
      await expect.poll(() => cell.getAttribute('aria-pressed')).toBe('false');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('stops a diverging run (learning rate 10) with a plain message on the page', async () => {
    await page.locator('cnn-training-settings select[name="optimizer"]').selectOption('sgd');
    const lr = page.locator('cnn-training-settings input[name="learningRate"]');
    await lr.fill('10');
    await lr.press('Tab');
    await page.locator('cnn-run-panel').getByRole('button', { name: 'Train again', exact: true }).click();
    await expect.poll(() => page.getByTestId('run-error').innerText().catch(() => ''), { timeout: 90_000 }).toMatch(
      /^Training diverged at epoch 1, batch \d+: .*The learning rate 10 is probably too high for sgd; try 0\.001\.$/,
    );
    expect(await text('run-status')).toBe('Stopped by an error');
    expect(pageErrors).toEqual([]);
  });
});
