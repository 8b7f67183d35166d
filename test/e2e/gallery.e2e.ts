import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openAppPage, type Harness } from './harness';

let h: Harness;
let page: Page;
let pageErrors: string[] = [];
const measured: Array<{ preset: string; testAccuracy: number }> = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'presets', 'measurements.json'), 'utf8'),
);

beforeAll(async () => {
  ({ h, page, pageErrors } = await openAppPage());
});

afterAll(async () => {
  await h?.close();
});

const card = (id: string) => page.locator(`cnn-preset-gallery li.card[data-preset="${id}"]`);
const totalParams = () => page.getByTestId('total-params').innerText();
// Cards below the fold skip rendering (content-visibility: auto) and read as empty text until a
// person scrolls to them, so the tests look at the gallery before reading it, as a person would.
async function lookAtGallery(): Promise<void> {
  await page.locator('cnn-preset-gallery').scrollIntoViewIfNeeded();
  // The browser decides what is on screen during the next rendering update: wait two frames.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

describe('the presets gallery, as a person uses it', () => {
  it('shows a card per preset with its parameter count and measured figures, or says it is not measured yet', async () => {
    await expect.poll(() => page.locator('cnn-preset-gallery li.card').count()).toBe(5);
    await lookAtGallery();
    const params: Record<string, string> = { 'seed-cnn': '121,930', 'lenet-5': '61,706', 'dense-baseline': '101,770', 'tiny-cnn': '3,966' };
    for (const [id, count] of Object.entries(params)) expect(await card(id).locator('.params').innerText()).toBe(count);
    for (const id of ['seed-cnn', 'lenet-5', 'dense-baseline', 'deep-bn-cnn', 'tiny-cnn']) {
      const m = measured.find((x) => x.preset === id);
      if (m) expect(await card(id).locator('.accuracy').innerText()).toBe(`${(m.testAccuracy * 100).toFixed(2)}%`);
      else expect(await card(id).locator('.provenance').innerText()).toContain('not measured yet');
    }
    expect(await card('seed-cnn').getByRole('button').innerText()).toBe('Loaded');
  });

  it('loads a preset with its own settings, and undo brings the previous stack back', async () => {
    await card('tiny-cnn').getByRole('button', { name: 'Load Tiny CNN' }).click();
    await expect.poll(totalParams).toBe('3,966');
    expect(await page.locator('cnn-training-settings input[name="epochs"]').inputValue()).toBe('6');
    await lookAtGallery();
    expect(await card('tiny-cnn').getByRole('button').innerText()).toBe('Loaded');
    await page.getByRole('button', { name: /Undo/ }).click();
    await expect.poll(totalParams).toBe('121,930');
    await lookAtGallery();
    expect(await card('seed-cnn').getByRole('button').innerText()).toBe('Loaded');
  });

  it('previews augmented test digits and redraws them when the settings change', async () => {
    const canvas = page.locator('cnn-augment-preview canvas').first();
    await expect.poll(() => page.locator('cnn-augment-preview canvas').count(), { timeout: 20_000 }).toBe(3);
    const pixels = () => canvas.evaluate((c: HTMLCanvasElement) => Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data).join(','));
    const before = await pixels();
    expect(before).toMatch(/255,255,255,255/); // a digit has white ink
    for (const [name, value] of [['augment.shift', '3'], ['augment.rotation', '20']]) {
      const input = page.locator(`cnn-training-settings input[name="${name}"]`);
      await input.fill(value);
      await input.press('Tab');
    }
    await expect.poll(pixels).not.toBe(before);
    const shift = page.locator('cnn-training-settings input[name="augment.shift"]');
    await shift.fill('9');
    await shift.press('Tab');
    await expect.poll(() => page.locator('cnn-training-settings [role="alert"]').innerText()).toContain('must be a whole number from 0 to 4, not 9');
    expect(pageErrors).toEqual([]);
  });
});
