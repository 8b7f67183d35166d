/**
 * Keeps the current spec across reloads in localStorage. Stored text is read through the same
 * guards as a share link (another tab, an old version or a browser extension may have left
 * anything there), and every storage call is wrapped: a full or blocked storage is reported
 * once and never breaks the page.
 */
import type { NetworkSpec } from '../model/spec';
import { readSpecJson } from './url-state';

/** localStorage key; the `v1` changes only if the stored shape stops being a plain NetworkSpec. */
export const STORAGE_KEY = 'cnn-playground:v1:spec';

/** The part of the Web Storage API this module uses. */
export type SpecStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** Where notes about ignored or unsaved data go (the console in the app, a spy in tests). */
export type NoteFn = (message: string) => void;

/** Reads the saved spec; null (with a note) when there is none usable. */
export function loadSavedSpec(storage: SpecStorage | null, note: NoteFn): NetworkSpec | null {
  if (!storage) return null;
  let text: string | null;
  try {
    text = storage.getItem(STORAGE_KEY);
  } catch {
    note('CNN Playground: could not read the saved network (storage is blocked); starting fresh.');
    return null;
  }
  if (text === null) return null;
  const result = readSpecJson(text, 'The saved network');
  if (result.ok) return result.spec;
  note(`CNN Playground: ignoring the saved network. ${result.message}`);
  return null;
}

/** Returns a saver that writes specs to storage and reports the first failure only. */
export function specSaver(storage: SpecStorage | null, onFirstFailure: NoteFn): (spec: NetworkSpec) => void {
  let reported = false;
  return (spec) => {
    if (!storage) return;
    try {
      storage.setItem(STORAGE_KEY, JSON.stringify(spec));
    } catch {
      // QuotaExceededError or a blocked storage: the work still lives in the tab and the address bar.
      if (reported) return;
      reported = true;
      onFirstFailure('Your work could not be saved in this browser (its storage is full or blocked). It stays in this tab and in the address bar; use Share to keep a link.');
    }
  };
}
