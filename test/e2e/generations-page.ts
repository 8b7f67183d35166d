/**
 * The Generations section of a fresh app page, as the Generations e2e files use it: the section's
 * locator and the two controls every one of them reads (a button by its name, the status line).
 */
import type { Locator } from 'playwright-core';
import { openAppPage, type AppPage } from './harness';

export interface GenerationsPage extends AppPage {
  gen: Locator;
  /** A button of the section, by its exact accessible name. */
  button(name: string): Locator;
  /** The section's status line ("Training", "Stopped"...). */
  status(): Promise<string>;
}

/** Opens the app and finds the Generations section (scrolled into view unless `scroll` is false). */
export async function openGenerations(scroll = true): Promise<GenerationsPage> {
  const app = await openAppPage();
  const gen = app.page.locator('cnn-generations');
  if (scroll) await gen.scrollIntoViewIfNeeded();
  return {
    ...app,
    gen,
    button: (name) => gen.getByRole('button', { name, exact: true }),
    status: () => gen.getByTestId('gen-status').innerText(),
  };
}
