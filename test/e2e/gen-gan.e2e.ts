import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, Locator, Page } from 'playwright-core';
import { analyzeGan, estimatedCpuMinutesPerEpoch } from '../../src/model/generative/gan-spec';
import { GAN_PRESETS } from '../../src/model/generative/presets';
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

const count = (n: number) => n.toLocaleString('en-US');

describe('Generations: the conditional DCGAN, as a person uses it', () => {
  it('lists the DCGAN marked slow, says its expected time before Train, and shows its two networks in the layer editor', async () => {
    const spec = GAN_PRESETS.find((p) => p.id === 'cgan-dcgan')!.spec;
    const analysis = analyzeGan(spec);
    const option = gen.getByTestId('gen-preset').locator('option[value="cgan-dcgan"]');
    expect(await option.textContent()).toMatch(/slow without a GPU/i);
    await gen.getByTestId('gen-preset').selectOption('cgan-dcgan');
    const minutes = Math.round(estimatedCpuMinutesPerEpoch(analysis));
    await expect.poll(() => gen.getByTestId('gen-slow-note').innerText())
      .toMatch(new RegExp(`^Slow without a GPU: about ${minutes} minutes per epoch of 60,000 digits on a 2-core CPU \\(wasm\\)`));
    await expect.poll(() => gen.getByTestId('gen-total-params').innerText()).toBe(count(analysis.totalParams));
    expect(await gen.locator('cnn-gen-network-stack[data-testid="gen-encoder"]').count()).toBe(0);
    const generator = gen.locator('cnn-gen-network-stack[data-testid="gen-generator"]');
    const discriminator = gen.locator('cnn-gen-network-stack[data-testid="gen-discriminator"]');
    expect(await generator.locator('tbody tr[data-kind]').count()).toBe(spec.generator.length);
    expect(await generator.locator('tr[data-fixed]').innerText()).toContain('Pixel values (fixed)');
    expect(await discriminator.locator('tr[data-fixed]').last().innerText()).toContain('Dense 1: real/fake logit (fixed)');
    expect(await gen.getByTestId('gen-generator-params').innerText()).toBe(count(analysis.generator.body.totalParams));

    // A linear last layer cannot draw pixels: a plain error with its fix, and Train waits for it.
    await generator.locator('tbody tr[data-kind]').nth(5).click();
    await generator.getByLabel('Layer 6 activation').selectOption('linear');
    await expect.poll(() => generator.getByRole('alert').first().innerText())
      .toBe("Activation: the generator's last layer draws pixels, so it needs tanh or sigmoid, not linear; use tanh");
    await expect.poll(() => gen.getByTestId('gen-train-block').innerText()).toMatch(/^Fix the networks before training: generator\[5\]\.activation/);
    expect(await button('Train').isDisabled()).toBe(true);
    await generator.getByRole('button', { name: 'Fix: use a tanh activation' }).click();
    await expect.poll(() => gen.getByTestId('gen-train-block').count()).toBe(0);
    expect(await gen.getByTestId('gen-preset').inputValue()).toBe('');

    // A narrower discriminator changes the live ledger; undo (Ctrl+Z in its editor) walks back through
    // the filters, the fix and the activation edits to the preset itself.
    await discriminator.locator('tbody tr[data-kind]').nth(0).click();
    await discriminator.getByLabel('Layer 1 filters').fill('16');
    const narrower = { ...spec, discriminator: [{ ...spec.discriminator[0]!, filters: 16 }, ...spec.discriminator.slice(1)] } as typeof spec;
    await expect.poll(() => gen.getByTestId('gen-total-params').innerText()).toBe(count(analyzeGan(narrower).totalParams));
    await discriminator.getByLabel('Layer 1 filters').press('Control+z');
    await expect.poll(() => gen.getByTestId('gen-total-params').innerText()).toBe(count(analysis.totalParams));
    expect(await gen.getByTestId('gen-preset').inputValue()).toBe('');
    await discriminator.getByLabel('Layer 1 filters').press('Control+z');
    await expect.poll(() => gen.getByTestId('gen-train-block').count()).toBe(1);
    await discriminator.getByLabel('Layer 1 filters').press('Control+z');
    await expect.poll(() => gen.getByTestId('gen-preset').inputValue()).toBe('cgan-dcgan');
    await expect.poll(() => gen.getByTestId('gen-total-params').innerText()).toBe(count(analysis.totalParams));
  });

  it('trains briefly: discriminator and generator losses appear, the grid is drawn, VAE-only tools are explained', async () => {
    await gen.getByTestId('gen-preset').selectOption('cgan-dcgan');
    await expect.poll(() => button('Train').isDisabled()).toBe(false);
    await button('Train').click();
    await expect.poll(status, { timeout: 180_000, interval: 500 }).toBe('Training');
    const loss = gen.getByTestId('gen-loss-text');
    await expect.poll(() => loss.innerText(), { timeout: 120_000, interval: 500 })
      .toMatch(/^Latest batch: discriminator \(D\) \d+\.\d{3}, generator \(G\) \d+\.\d{3}\.$/);
    const text = await loss.innerText();
    const [d, g] = [...text.matchAll(/\d+\.\d{3}/g)].map((m) => Number(m[0]));
    expect(d).toBeGreaterThan(0);
    expect(g).toBeGreaterThan(0);
    expect(await gen.getByRole('heading', { name: /^Discriminator loss/ }).count()).toBe(1);
    expect(await gen.getByRole('heading', { name: /^Generator loss/ }).count()).toBe(1);
    expect(await gen.getByRole('heading', { name: /^Reconstruction loss/ }).count()).toBe(0);
    await expect.poll(() => gen.getByTestId('gen-slow-note').innerText(), { timeout: 30_000 }).toMatch(/Measured in this run \(\w+\): [\d,]+ examples\/s, (about [\d,]+ minutes?|under a minute) per epoch\.$/);
    await expect.poll(async () => Number(await gen.getByTestId('gen-grid').getAttribute('data-version')), { timeout: 60_000 }).toBeGreaterThanOrEqual(1);
    expect(await gen.getByTestId('gen-grid').getAttribute('aria-label')).toMatch(/^Generated digits after [\d,]+ training examples: 10 by 10, row k asks for digit k/);
    expect(await gen.getByTestId('gen-gan-explore-note').innerText()).toMatch(/^A GAN has no encoder/);
    expect(await gen.getByTestId('gen-gan-recon-note').innerText()).toMatch(/^A GAN has no encoder/);
    expect(await gen.locator('cnn-gen-explore').count()).toBe(0);
    // The judge scores the generator's samples as it scores a VAE's.
    await button('Score now').click();
    await expect.poll(() => gen.getByTestId('gen-scores').innerText(), { timeout: 60_000 }).toMatch(/conditional accuracy \d+\.\d%, MNIST score \d+\.\d\d of 10 \(1000 samples\)/);
    const [download] = await Promise.all([page.waitForEvent('download'), button('Download PNG').click()]);
    expect(download.suggestedFilename()).toMatch(/^generated-digits-\d+\.png$/);
    // The generator download: its two tfjs files.
    const files: Download[] = [];
    const collect = (d: Download) => files.push(d);
    page.on('download', collect);
    await button('Download generator (tfjs)').click();
    const outcome = async () => {
      if (files.length === 2) return `files: ${files.map((d) => d.suggestedFilename()).sort().join(', ')}`;
      const error = gen.getByTestId('gen-explore-error');
      return (await error.count()) ? `refused: ${await error.innerText()}` : 'waiting';
    };
    await expect.poll(outcome, { timeout: 30_000 }).toBe('files: generator.json, generator.weights.bin');
    page.off('download', collect);
    await button('Stop').click();
    await expect.poll(status, { timeout: 60_000 }).toBe('Stopped');
    expect(await gen.getByTestId('gen-error').count()).toBe(0);
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
