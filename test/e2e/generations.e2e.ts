import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Download, Locator, Page } from 'playwright-core';
import { analyzeGenerative } from '../../src/model/generative/analyze';
import { genPresetById } from '../../src/model/generative/presets';
import type { Harness } from './harness';
import { openGenerations, type GenerationsPage } from './generations-page';

let h: Harness;
let page: Page;
let pageErrors: string[] = [];
let gen: Locator;
let button: GenerationsPage['button'];
let status: GenerationsPage['status'];

beforeAll(async () => {
  ({ h, page, pageErrors, gen, button, status } = await openGenerations());
});

afterAll(async () => {
  await h?.close();
});

const canvasPixels = (testId: string) => gen.getByTestId(testId).evaluate((c: HTMLCanvasElement) => c.toDataURL());
const setField = async (name: string, value: string) => {
  const input = gen.locator(`input[name="${name}"]`);
  await input.fill(value);
  await input.press('Tab');
};

describe('Generations, as a person uses it', () => {
  it('shows both networks of the default conditional VAE in the layer editor, with a live ledger and plain errors', async () => {
    const spec = genPresetById('cvae-dense')!.spec;
    const expected = analyzeGenerative(spec).totalParams;
    const total = () => gen.getByTestId('gen-total-params').innerText();
    const count = (n: number) => n.toLocaleString('en-US');
    await expect.poll(total).toBe(count(expected));
    const encoder = gen.locator('cnn-gen-network-stack[data-testid="gen-encoder"]');
    const decoder = gen.locator('cnn-gen-network-stack[data-testid="gen-decoder"]');
    // The fixed parts are rows of the same ledger: the encoder's mean/log-variance head, the decoder's pixel logits.
    expect(await encoder.locator('tr[data-fixed]').innerText()).toContain(`Dense ${2 * spec.latentSize}: mean and log-variance (fixed)`);
    expect(await decoder.locator('tr[data-fixed]').innerText()).toContain('Pixel logits (fixed)');
    expect(await decoder.getByTestId('gen-decoder-total-params').innerText()).toBe(count(analyzeGenerative(spec).decoder.body.totalParams));

    // A bigger code changes both networks' parameter counts at once; a bad value is refused with a sentence.
    await setField('latentSize', '16');
    await expect.poll(total).toBe(count(analyzeGenerative({ ...spec, latentSize: 16 }).totalParams));
    await setField('latentSize', '0');
    await expect.poll(() => gen.getByRole('alert').innerText()).toContain('latentSize: must be a whole number from 1 to 64, not 0');
    await expect.poll(total).toBe(count(analyzeGenerative({ ...spec, latentSize: 16 }).totalParams));
    await gen.getByTestId('gen-preset').selectOption('cvae-dense');
    await expect.poll(() => gen.getByRole('alert').count()).toBe(0);
    await expect.poll(total).toBe(count(expected));

    // Edit a decoder layer in place: the hidden Dense from 256 to 128 units.
    await decoder.locator('tbody tr[data-kind]').nth(0).click();
    await decoder.getByLabel('Layer 1 units').fill('128');
    const narrower = { ...spec, decoder: [{ ...spec.decoder[0]!, units: 128 }, spec.decoder[1]!] } as typeof spec;
    await expect.poll(total).toBe(count(analyzeGenerative(narrower).totalParams));
    await expect.poll(() => decoder.getByTestId('gen-decoder-total-params').innerText()).toBe(count(analyzeGenerative(narrower).decoder.body.totalParams));

    // Make the decoder end with 100 values: a plain error with its fix, and Train is refused until it is fixed.
    await decoder.locator('tbody tr[data-kind]').nth(1).click();
    await decoder.getByLabel('Layer 2 units').fill('100');
    await expect.poll(() => decoder.getByRole('alert').first().innerText())
      .toBe('The decoder must end with 784 values (the 28x28 pixel logits), but it ends with 100 values; set the last Dense to 784 units');
    await expect.poll(() => gen.getByTestId('gen-train-block').innerText()).toMatch(/^Fix the networks before training: decoder\[1\]: the decoder must end with 784 values/);
    expect(await button('Train').isDisabled()).toBe(true);
    await decoder.getByRole('button', { name: 'Fix: set the last Dense to 784 units, linear' }).click();
    await expect.poll(() => gen.getByTestId('gen-train-block').count()).toBe(0);
    await expect.poll(total).toBe(count(analyzeGenerative(narrower).totalParams));
    expect(await button('Train').isDisabled()).toBe(false);
    expect(await gen.getByTestId('gen-preset').inputValue()).toBe('');

    // Undo in the decoder's own history (Ctrl+Z inside it) does not touch the classifier's stack.
    expect(await page.locator('cnn-layer-stack').count()).toBe(1);
    const classifierLayers = await page.locator('cnn-layer-stack tbody tr[data-kind]').count();
    await decoder.getByLabel('Layer 2 units').press('Control+z');
    await expect.poll(() => gen.getByTestId('gen-train-block').count()).toBe(1);
    await decoder.getByRole('button', { name: '↷ Reapply' }).click();
    await expect.poll(() => gen.getByTestId('gen-train-block').count()).toBe(0);
    expect(await page.locator('cnn-layer-stack tbody tr[data-kind]').count()).toBe(classifierLayers);
    expect(await page.getByRole('button', { name: /Undo/ }).count()).toBe(1);
  });

  it('trains with the quick judge: the grid changes between refreshes, and both scores appear', async () => {
    await button('Train').click();
    await expect.poll(status, { timeout: 120_000, interval: 500 }).toBe('Training');
    expect(await gen.getByTestId('gen-judge').innerText()).toMatch(/Judge: reference seed CNN \(quick: 4,000 examples\), test \d+\.\d%/);
    const grid = gen.getByTestId('gen-grid');
    await expect.poll(async () => Number(await grid.getAttribute('data-version')), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    const first = await canvasPixels('gen-grid');
    const firstVersion = Number(await grid.getAttribute('data-version'));
    await expect.poll(async () => Number(await grid.getAttribute('data-version')), { timeout: 30_000 }).toBeGreaterThan(firstVersion);
    expect(await canvasPixels('gen-grid')).not.toBe(first);
    expect(await grid.getAttribute('aria-label')).toMatch(/Generated digits after [\d,]+ training examples: 10 by 10, row k asks for digit k; the judge reads \d+\.\d% of them as asked/);
    expect(Number((await gen.getByTestId('gen-examples').innerText()).replace(/,/g, ''))).toBeGreaterThan(0);
    expect(await gen.getByTestId('gen-backend').innerText()).toMatch(/wasm|webgl|webgpu|cpu/);

    await button('Score now').click();
    await expect.poll(() => gen.getByTestId('gen-scores').innerText(), { timeout: 60_000 }).toMatch(/conditional accuracy \d+\.\d%, MNIST score \d+\.\d\d of 10 \(1000 samples\)/);

    await button('Pause').click();
    await expect.poll(status).toBe('Paused');
    const paused = await gen.getByTestId('gen-examples').innerText();
    await page.waitForTimeout(800);
    expect(await gen.getByTestId('gen-examples').innerText()).toBe(paused);
    await button('Resume').click();
    await expect.poll(status).toBe('Training');
  });

  it('downloads the grid as a PNG and the decoder as a tfjs model', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), button('Download PNG').click()]);
    expect(download.suggestedFilename()).toMatch(/^generated-digits-\d+\.png$/);

    // The decoder as tfjs model files: model JSON that names its weights file, and the weights.
    const files: Download[] = [];
    const collect = (d: Download) => files.push(d);
    page.on('download', collect);
    await button('Download decoder (tfjs)').click();
    await expect.poll(() => files.map((d) => d.suggestedFilename()).sort(), { timeout: 20_000 }).toEqual(['decoder.json', 'decoder.weights.bin']);
    page.off('download', collect);
    const json = JSON.parse(readFileSync((await files.find((d) => d.suggestedFilename() === 'decoder.json')!.path())!, 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual(['decoder.weights.bin']);
    expect(json.userDefinedMetadata).toMatchObject({ latentSize: genPresetById('cvae-dense')!.spec.latentSize, conditional: true });
    await button('Stop').click();
    await expect.poll(status, { timeout: 30_000 }).toBe('Stopped');
  });

  it('vae-2d: drag on the latent map to decode points, and walk between two test digits', async () => {
    await gen.getByTestId('gen-preset').selectOption('vae-2d');
    await button('Train again').click();
    await expect.poll(async () => Number(await gen.getByTestId('gen-grid').getAttribute('data-version')), { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    await page.waitForTimeout(3000);
    await button('Stop').click();
    await expect.poll(status, { timeout: 30_000 }).toBe('Stopped');
    const map = gen.getByTestId('gen-latent-map');
    await expect.poll(() => map.getAttribute('aria-label'), { timeout: 30_000 }).toMatch(/Decoded digits over the latent plane .* 1000 test digits' codes coloured by class/);
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    const decoded = gen.getByTestId('gen-decoded');
    // With a model, the decoded point shows the sliders' code, the origin, before anyone moves anything.
    await expect.poll(() => decoded.getAttribute('aria-label'), { timeout: 10_000 }).toMatch(/decoded from the chosen code \(0\.0, 0\.0\)/);
    const origin = Number(await decoded.getAttribute('data-request'));
    expect(origin).toBeGreaterThan(0);
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.2);
    await page.mouse.down();
    await expect.poll(async () => Number(await decoded.getAttribute('data-request')), { timeout: 10_000 }).toBeGreaterThan(origin);
    const a = await canvasPixels('gen-decoded');
    const requestA = Number(await decoded.getAttribute('data-request'));
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.75, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => Number(await decoded.getAttribute('data-request')), { timeout: 10_000 }).toBeGreaterThan(requestA);
    await expect.poll(() => canvasPixels('gen-decoded')).not.toBe(a);
    expect(await decoded.getAttribute('aria-label')).toMatch(/decoded from the chosen code \(-?\d\.\d, -?\d\.\d\)/);

    // One slider per latent dimension decodes the sample as it moves.
    const before = Number(await decoded.getAttribute('data-request'));
    const slider = gen.getByRole('slider', { name: 'latent dimension 1' });
    await slider.focus();
    await slider.press('ArrowRight');
    await slider.press('ArrowRight');
    await expect.poll(async () => Number(await decoded.getAttribute('data-request')), { timeout: 10_000 }).toBeGreaterThan(before);

    await setField('walk-from', '0');
    await setField('walk-to', '1');
    await button('Walk').click();
    const walk = gen.getByTestId('gen-walk');
    await expect.poll(() => walk.getAttribute('aria-label'), { timeout: 20_000 }).toMatch(/^10 digits decoded along a straight line from the code of a 7 to the code of a 2/);
    // The animation steps through the walk (a frame every 120 ms), it does not stay on one digit.
    const animation = gen.getByRole('img', { name: 'The same walk as an animation' });
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      seen.add(await animation.evaluate((c: HTMLCanvasElement) => c.toDataURL()));
      await page.waitForTimeout(100);
    }
    expect(seen.size).toBeGreaterThanOrEqual(4);
  });

  it('names every view and raised no page errors', async () => {
    for (const canvas of await gen.locator('canvas[role="img"], [role="img"]').all()) {
      expect((await canvas.getAttribute('aria-label'))?.length ?? 0).toBeGreaterThan(10);
    }
    expect(pageErrors).toEqual([]);
  });
});
