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

const stack = () => page.locator('cnn-layer-stack');
const rows = () => stack().locator('tbody tr[data-kind]');
const total = () => page.getByTestId('total-params').innerText();
const kinds = () => rows().evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.kind));
/** Index of the focused layer row inside the editor's shadow root, or null. */
const focusedRow = () =>
  stack().evaluate((el) => (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset.index ?? null);
const mod = process.platform === 'darwin' ? 'Meta' : 'Control';

// Parameter counts from the layer formulas: Conv2D k*k*in*filters + filters; Dense in*units + units.
const conv = (k: number, inC: number, filters: number) => k * k * inC * filters + filters;
const dense = (inputs: number, units: number) => inputs * units + units;
const fmt = (n: number) => n.toLocaleString('en-US');
const SEED = conv(3, 1, 32) + conv(3, 32, 64) + dense(5 * 5 * 64, 64) + dense(64, 10); // 121,930
// Seed with a second Conv2D 32 3x3 after the first: 26 -> 24 -> pool 12 -> conv 10 -> pool 5.
const ADDED = SEED + conv(3, 32, 32); // 131,178
// Then the Conv2D 64 at layer 4 with a 13x13 kernel and padding same: 12x12x64 -> pool 6x6x64.
const FIXED = conv(3, 1, 32) + conv(3, 32, 32) + conv(13, 32, 64) + dense(6 * 6 * 64, 64) + dense(64, 10); // 503,914
// The added conv moved below the first pool: 26 -> pool 13 -> 11 -> 9 -> pool 4.
const MOVED_ONCE = conv(3, 1, 32) + conv(3, 32, 32) + conv(3, 32, 64) + dense(4 * 4 * 64, 64) + dense(64, 10); // 94,314
// And below the Conv2D 64: 13 -> conv64 11 -> conv32 9 -> pool 4x4x32.
const MOVED_TWICE = conv(3, 1, 32) + conv(3, 32, 64) + conv(3, 64, 32) + dense(4 * 4 * 32, 64) + dense(64, 10); // 70,762
// Conv2D 64 dragged to the top of the seed: 26x26x64 -> conv32 24 -> pool 12 -> pool 6x6x32.
const DRAGGED = conv(3, 1, 64) + conv(3, 64, 32) + dense(6 * 6 * 32, 64) + dense(64, 10); // 93,546

describe('the layer editor, as a person uses it', () => {
  it('adds a Conv2D after the selected layer and the ledger shows the new total', async () => {
    await expect.poll(total).toBe(fmt(SEED));
    await rows().nth(0).click();
    await page.getByRole('button', { name: 'Add Conv2D after layer 1' }).click();
    await expect.poll(total).toBe(fmt(ADDED));
    expect(await kinds()).toEqual(['conv2d', 'conv2d', 'maxPool2d', 'conv2d', 'maxPool2d', 'flatten', 'dense', 'dense']);
    expect(await rows().nth(1).locator('.params').innerText()).toBe(fmt(conv(3, 32, 32)));
    expect(await rows().nth(1).innerText()).toContain('24 × 24 × 32');
  });

  it('shows an impossible kernel in plain words and fixes it in one click', async () => {
    await rows().nth(3).click();
    const kernel = stack().getByLabel('Layer 4 kernel size');
    await kernel.selectText();
    await kernel.pressSequentially('13');
    const message = stack().locator('.error-row [role="alert"]');
    await expect.poll(() => message.innerText()).toBe('Kernel size: 13 is larger than the 12x12 input; use padding "same" or a smaller kernel');
    expect(await total()).toBe('–');
    expect(await rows().nth(3).getAttribute('class')).toContain('invalid');
    await stack().getByRole('button', { name: 'use padding: same' }).click();
    await expect.poll(total).toBe(fmt(FIXED));
    expect(await message.count()).toBe(0);
    expect(await rows().nth(3).locator('.params').innerText()).toBe(fmt(conv(13, 32, 64)));
    await expect.poll(() => page.locator('cnn-run-panel').getByRole('button', { name: 'Train', exact: true }).isEnabled()).toBe(true);
  });

  it('undoes the fix, then the whole typed value in one step, with Ctrl+Z', async () => {
    await rows().nth(0).focus();
    await page.keyboard.press(`${mod}+z`);
    await expect.poll(total).toBe('–');
    await page.keyboard.press(`${mod}+z`);
    await expect.poll(total).toBe(fmt(ADDED));
    expect(await rows().nth(3).locator('.desc').innerText()).toBe('Conv2D 64 3x3 ReLU');
  });

  it('moves the focused layer with Alt+ArrowDown, keeping focus on it; undo and redo follow', async () => {
    await rows().nth(1).focus();
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(total).toBe(fmt(MOVED_ONCE));
    expect(await kinds()).toEqual(['conv2d', 'maxPool2d', 'conv2d', 'conv2d', 'maxPool2d', 'flatten', 'dense', 'dense']);
    expect(await focusedRow()).toBe('2');
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(total).toBe(fmt(MOVED_TWICE));
    expect(await focusedRow()).toBe('3');

    await page.keyboard.press(`${mod}+z`);
    await expect.poll(total).toBe(fmt(MOVED_ONCE));
    await stack().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(total).toBe(fmt(ADDED));
    await page.keyboard.press(`Shift+${mod}+z`);
    await expect.poll(total).toBe(fmt(MOVED_ONCE));
    await page.keyboard.press('Control+y');
    await expect.poll(total).toBe(fmt(MOVED_TWICE));
  });

  it('removes the focused layer with Delete and reorders by dragging a row', async () => {
    await rows().nth(3).focus();
    await page.keyboard.press('Delete');
    await expect.poll(total).toBe(fmt(SEED));
    expect(await rows().count()).toBe(7);
    expect(await focusedRow()).toBe('3');
    // Drop the Conv2D 64 (row 3) on the top edge of row 1.
    await rows().nth(2).dragTo(rows().nth(0), { targetPosition: { x: 40, y: 3 } });
    await expect.poll(total).toBe(fmt(DRAGGED));
    expect(await kinds()).toEqual(['conv2d', 'conv2d', 'maxPool2d', 'maxPool2d', 'flatten', 'dense', 'dense']);
    expect(await rows().nth(0).locator('.params').innerText()).toBe(fmt(conv(3, 1, 64)));
    expect(pageErrors).toEqual([]);
  });

  it('removes a row with one click on its Remove while another layer is selected, and undo brings it back', async () => {
    // Selecting layer 2 opens its settings under it; the click on row 7's Remove used to close them
    // first and only select row 7.
    await rows().nth(1).click();
    await expect.poll(() => stack().locator('tr.fields-row[data-fields="1"]').count()).toBe(1);
    const before = await kinds();
    await rows().last().getByRole('button', { name: /^Remove/ }).click();
    await expect.poll(kinds).toEqual(before.slice(0, -1));
    await page.getByRole('button', { name: /Undo/ }).click();
    await expect.poll(kinds).toEqual(before);
  });

  it('fits a phone-wide window: the page does not scroll sideways, and each row keeps its figures and buttons', async () => {
    await page.setViewportSize({ width: 420, height: 900 });
    try {
      await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
      // The total's figures and each row's remove button are within the editor, not cut off by its card.
      const editor = (await stack().boundingBox())!;
      const right = editor.x + editor.width;
      const box = await page.getByTestId('total-params').boundingBox();
      expect(box!.x + box!.width).toBeLessThanOrEqual(right);
      for (const row of await rows().all()) {
        const remove = await row.getByRole('button', { name: /^Remove/ }).boundingBox();
        expect(remove!.x + remove!.width).toBeLessThanOrEqual(right);
      }
      // And it works there: the last row goes.
      const count = await rows().count();
      await rows().last().getByRole('button', { name: /^Remove/ }).click();
      await expect.poll(() => rows().count()).toBe(count - 1);
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});
