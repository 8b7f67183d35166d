/**
 * Generations with the person's own classifier as the judge, and a latent walk between two digits
 * the person draws. The classifier is the one a person gets by pressing Train on the default
 * preset (one epoch of the seed CNN, about 98.7% on the test set): the run is kept with its test
 * accuracy, and Generations must pick it over the reference judge and say so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { Harness } from './harness';
import { openGenerations, type GenerationsPage } from './generations-page';

let h: Harness;
let page: Page;
let pageErrors: string[] = [];
let gen: Locator;
let genButton: GenerationsPage['button'];
let genStatus: GenerationsPage['status'];

beforeAll(async () => {
  ({ h, page, pageErrors, gen, button: genButton, status: genStatus } = await openGenerations(false));
});

afterAll(async () => {
  await h?.close();
});

const textOf = async (locator: Locator) => ((await locator.textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
const stripPixels = () => gen.getByTestId('gen-walk').evaluate((c: HTMLCanvasElement) => c.toDataURL());

/** Draws a polyline on the n-th drawing pad of the walk with mouse events (points in 0..1 of the pad). */
async function draw(pad: number, points: [number, number][]): Promise<void> {
  const canvas = gen.getByTestId(`gen-walk-pad-${pad}`).locator('canvas.pad');
  await canvas.scrollIntoViewIfNeeded();
  const box = (await canvas.boundingBox())!;
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  await page.mouse.move(...at(points[0]!));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 6 });
  await page.mouse.up();
}

const circle = Array.from({ length: 25 }, (_, i): [number, number] => [0.5 + 0.28 * Math.sin((i / 24) * 2 * Math.PI), 0.5 - 0.36 * Math.cos((i / 24) * 2 * Math.PI)]);
const stroke: [number, number][] = [[0.52, 0.12], [0.5, 0.5], [0.48, 0.88]];
const seven: [number, number][] = [[0.22, 0.15], [0.78, 0.15], [0.45, 0.88]];

describe('Generations judged by your own classifier, walks between drawn digits', () => {
  it('uses your kept classifier (>= 98% on the test set) as the judge and says so', async () => {
    await page.locator('cnn-run-panel').getByRole('button', { name: 'Train', exact: true }).click();
    const status = () => page.getByTestId('run-status').innerText();
    await expect.poll(status, { timeout: 480_000, interval: 1000 }).toBe('Done');
    await expect.poll(() => textOf(page.locator('cnn-test-report p.headline')), { timeout: 60_000 }).toMatch(/(98|99)\.\d% test accuracy/);
    // The kept run carries its test accuracy (its auto name says it too).
    const rowName = () => textOf(page.locator('cnn-runs-table tbody tr').first().locator('.name'));
    await expect.poll(rowName, { timeout: 20_000 }).toMatch(/^Seed CNN · .+ · (98|99)\.\d%$/);
    const runName = await rowName();

    await gen.scrollIntoViewIfNeeded();
    await genButton('Train').click();
    const judge = gen.getByTestId('gen-judge');
    await expect.poll(() => textOf(judge), { timeout: 120_000, interval: 500 }).toMatch(/^Judge: your classifier ".+" \(test (98|99)\.\d%, re-measured here on the 10,000 test images\)$/);
    expect(await textOf(judge)).toContain(`"${runName}"`);
    expect(await judge.getAttribute('data-source')).toBe('own');
    // The chart's text alternative names the judge too.
    expect(await gen.locator('cnn-gen-scores svg').getAttribute('aria-label')).toContain('judged by your classifier');
    await expect.poll(genStatus, { timeout: 60_000 }).toBe('Training');
  }, 600_000);

  it('walks between two digits drawn with the mouse, and the strip follows a new drawing', async () => {
    await expect.poll(async () => Number(await gen.getByTestId('gen-grid').getAttribute('data-version')), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    await draw(1, stroke);
    await draw(2, circle);
    const walk = gen.getByTestId('gen-walk');
    await expect.poll(() => walk.getAttribute('data-ends'), { timeout: 20_000 }).toBe('drawn');
    // The conditional model encodes each end as the judge reads the drawing.
    await expect.poll(() => textOf(gen.getByTestId('gen-walk-read')), { timeout: 10_000 }).toMatch(/^From a 1 \(the judge reads it at \d+%\) to a 0 \(the judge reads it at \d+%\)\.$/);
    expect(await walk.getAttribute('aria-label')).toBe('10 digits decoded along a straight line from the code of your drawn 1 to the code of your drawn 0 (the label switches halfway).');
    const before = await stripPixels();

    await gen.getByTestId('gen-walk-pad-2').getByRole('button', { name: 'Clear' }).click();
    await draw(2, seven);
    await expect.poll(() => textOf(gen.getByTestId('gen-walk-read')), { timeout: 20_000 }).toMatch(/to a 7 \(the judge reads it at \d+%\)\.$/);
    await expect.poll(stripPixels, { timeout: 10_000 }).not.toBe(before);

    // Picking the digit overrides the judge's reading.
    await gen.getByRole('combobox', { name: 'Digit of the first drawing' }).selectOption('4');
    await expect.poll(() => textOf(gen.getByTestId('gen-walk-read')), { timeout: 20_000 }).toMatch(/^From a 4 \(your pick\) to a 7/);

    await genButton('Stop').click();
    await expect.poll(genStatus, { timeout: 30_000 }).toBe('Stopped');
    expect(pageErrors).toEqual([]);
  });
});
