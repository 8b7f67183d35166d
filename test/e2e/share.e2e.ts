import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { getPreset } from '../../src/model/presets';
import { analyze } from '../../src/model/shapes';
import { linkOfText, validJson } from '../store/hostile-links';
import { openHarness, type Harness } from './harness';

const STORAGE_KEY = 'cnn-playground:v1:spec';
const MARKUP = '<img src=x onerror=window.__pwned=1>';

let h: Harness;
const pageErrors: string[] = [];

beforeAll(async () => {
  h = await openHarness();
  await h.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(h.url).origin });
});

afterAll(async () => {
  await h?.close();
});

/** Opens the app at `hash` in a new tab and waits until the stack is shown. */
async function open(hash = ''): Promise<Page> {
  const page = await h.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(h.url + hash);
  await page.getByTestId('total-params').waitFor();
  return page;
}

const params = (page: Page) => page.getByTestId('total-params').innerText();
const spec = (page: Page) => page.evaluate(() => (window as any).cnnPlayground.store.getState().spec);
const saved = (page: Page) => page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null'), STORAGE_KEY);
/** The notice's text, or '' at once when there is none (innerText alone would wait for it). */
const notice = async (page: Page) => {
  const el = page.getByTestId('link-notice');
  return (await el.count()) ? el.innerText() : '';
};
const paramsOf = (id: string) => analyze(getPreset(id)!.layers).totalParams.toLocaleString('en-US');

/** Counts <img> elements in the document and every shadow root. */
const countImages = (page: Page) =>
  page.evaluate(() => {
    const walk = (root: Document | ShadowRoot): number =>
      root.querySelectorAll('img').length +
      [...root.querySelectorAll('*')].reduce((n, el) => n + (el.shadowRoot ? walk(el.shadowRoot) : 0), 0);
    return walk(document);
  });

async function setEpochs(page: Page, epochs: number): Promise<void> {
  const input = page.locator('cnn-training-settings input[name="epochs"]');
  await input.fill(String(epochs));
  await input.press('Tab');
}

describe('share links, as a person uses them', () => {
  it('shares an edited LeNet-5 and opens exactly that in a new page', async () => {
    const page = await open();
    await expect.poll(() => params(page)).toBe(paramsOf('seed-cnn'));
    await page.locator('cnn-preset-picker').getByRole('combobox', { name: 'Preset' }).selectOption({ label: 'LeNet-5' });
    await expect.poll(() => params(page)).toBe(paramsOf('lenet-5'));
    await setEpochs(page, 3);
    await page.getByRole('button', { name: 'Share' }).click();
    await expect.poll(() => page.locator('cnn-share-button [role="status"]').innerText()).toBe('Link copied');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toMatch(/#s=v1\.[A-Za-z0-9_-]+$/);
    expect(page.url()).toBe(link);

    const other = await open(new URL(link).hash);
    expect(await params(other)).toBe(paramsOf('lenet-5'));
    expect(await other.locator('cnn-training-settings input[name="epochs"]').inputValue()).toBe('3');
    expect(await spec(other)).toEqual(await spec(page));
    await page.close();
    await other.close();
  });

  it('shows the link to copy by hand when the clipboard refuses', async () => {
    const page = await open('#preset=lenet-5');
    await page.evaluate(() => {
      navigator.clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    });
    await page.getByRole('button', { name: 'Share' }).click();
    const input = page.getByRole('dialog', { name: 'Share link' }).locator('input');
    await expect.poll(() => input.inputValue()).toMatch(/#s=v1\./);
    expect(await input.inputValue()).toBe(page.url());
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog', { name: 'Share link' }).count()).toBe(0);
    await page.close();
  });

  it('will not share an invalid stack, and says why', async () => {
    const page = await open('#preset=lenet-5');
    await page.evaluate(() => {
      const { getState } = (window as any).cnnPlayground.store;
      const spec = getState().spec;
      getState().setSpec({ ...spec, layers: spec.layers.filter((l: { kind: string }) => l.kind !== 'flatten') });
    });
    await page.getByRole('button', { name: 'Share' }).click();
    await expect.poll(() => page.locator('cnn-share-button [role="status"]').innerText()).toMatch(/^Fix the problems marked in the network first/);
    expect(page.url()).toMatch(/#preset=lenet-5$/);
    await page.close();
  });

  it('opens #preset=tiny-cnn', async () => {
    const page = await open('#preset=tiny-cnn');
    expect(await params(page)).toBe(paramsOf('tiny-cnn'));
    expect(await spec(page)).toEqual(getPreset('tiny-cnn'));
    await page.close();
  });

  it('refuses hostile links with a message, injects nothing, and keeps the previous work', async () => {
    // Edited work, saved by the app itself.
    const work = await open('#preset=dense-baseline');
    await setEpochs(work, 4);
    await expect.poll(() => saved(work).then((s) => s?.training.epochs)).toBe(4);
    const kept = await spec(work);

    const tooBig = JSON.stringify({ ...validJson(), layers: [{ kind: 'flatten' }, { kind: 'dense', units: 1e9, activation: 'softmax' }] });
    const markupKind = JSON.stringify({ ...validJson(), name: MARKUP, layers: [{ kind: MARKUP }] });
    const hostile: Array<[string, string]> = [
      ['#s=v1.%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E', 'This link is damaged'],
      ['#s=v1.garbage!!', 'This link is damaged'],
      [await linkOfText(tooBig), 'layers[1].units: must be a whole number from 1 to 4,096, not 1,000,000,000'],
      [await linkOfText(markupKind), `layers[0].kind: "${MARKUP}" is not a layer kind`],
      [`#preset=${encodeURIComponent(MARKUP)}`, `Unknown preset "${MARKUP}"`],
    ];
    for (const [hash, message] of hostile) {
      const page = await open(hash);
      await expect.poll(() => notice(page)).toContain(message);
      expect(await notice(page)).toMatch(/Your saved work was kept\.$/);
      expect(await spec(page)).toEqual(kept);
      expect(await countImages(page)).toBe(0);
      expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
      await page.close();
    }

    // Pasted into the address bar of the open tab: same message, the work in the tab stays.
    await work.evaluate((hash) => (location.hash = hash), hostile[3]![0]);
    await expect.poll(() => notice(work)).toMatch(/is not a layer kind.*Your current work was kept\.$/);
    expect(await spec(work)).toEqual(kept);
    expect(await countImages(work)).toBe(0);
    await work.getByRole('button', { name: 'Dismiss this notice' }).click();
    await expect.poll(() => work.getByTestId('link-notice').count()).toBe(0);
    await work.close();
  });

  it('shows markup in a valid link only as text', async () => {
    const description = `Hello ${MARKUP} <b>bold</b>`;
    const page = await open(await linkOfText(JSON.stringify({ ...validJson(), name: MARKUP, description })));
    await expect.poll(() => page.locator('cnn-layer-stack .description').innerText()).toBe(description);
    expect(await countImages(page)).toBe(0);
    expect(await page.locator('cnn-layer-stack b').count()).toBe(0);
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    await page.close();
  });

  it('keeps the current state across a reload and a bare visit', async () => {
    const page = await open('#preset=lenet-5');
    await setEpochs(page, 6);
    // The address bar follows the edit (debounced), then a reload reads it back.
    await expect.poll(() => page.url()).toMatch(/#s=v1\./);
    const edited = await spec(page);
    await page.reload();
    await page.getByTestId('total-params').waitFor();
    expect(await spec(page)).toEqual(edited);
    await page.goto(h.url);
    await page.getByTestId('total-params').waitFor();
    expect(await spec(page)).toEqual(edited);
    expect(await notice(page)).toBe('');
    expect(pageErrors).toEqual([]);
    await page.close();
  });
});
