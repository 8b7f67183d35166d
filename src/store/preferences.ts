/**
 * The person's page preferences that are not part of a network (so not in its link): kept in
 * localStorage, read through guards (anything may be stored under the key) and written with every
 * storage failure swallowed: a preference is never worth a broken page.
 */

/** localStorage key of "keep the page smooth while looking inside". */
export const SMOOTH_KEY = 'cnn-playground:v1:smooth-inspector';

/** The part of the Web Storage API used here. */
export type PreferenceStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The stored choice; true (smooth, the default) when none is stored, it is unreadable or odd. */
export function loadSmoothInspector(storage: PreferenceStorage | null): boolean {
  try {
    return storage?.getItem(SMOOTH_KEY) !== 'false';
  } catch {
    return true;
  }
}

/** Stores the choice; a full or blocked storage only means it is not remembered. */
export function saveSmoothInspector(storage: PreferenceStorage | null, smooth: boolean): void {
  try {
    storage?.setItem(SMOOTH_KEY, String(smooth));
  } catch {
    // Not remembered after a reload; the choice still holds in this tab.
  }
}
