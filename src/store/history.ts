/**
 * Undo/redo history as plain immutable data: the states before the current one (`past`, oldest
 * first) and the states undone since (`future`, nearest first). The store owns one and swaps it
 * on every edit. Values are kept by reference, so they must never be mutated.
 *
 * Coalescing: consecutive edits with the same key (e.g. `layers[2].filters`), each within
 * COALESCE_MS of the previous one, form one undo step, so typing "128" into a field is undone
 * at once rather than digit by digit. Any other edit, an undo or a redo ends the burst.
 */

/** The most undo steps kept; older ones are dropped first. */
export const HISTORY_LIMIT = 200;

/** Longest pause between two edits of the same field that still merge into one undo step. */
export const COALESCE_MS = 1000;

/** Immutable undo/redo stacks plus what the last edit was, for coalescing. */
export interface History<T> {
  readonly past: readonly T[];
  readonly future: readonly T[];
  /** Coalescing key of the last recorded edit, or null when the next edit must start a new step. */
  readonly lastKey: string | null;
  /** When the last edit was recorded (ms, from the store's clock). */
  readonly lastAt: number;
}

/** How one edit is recorded. */
export interface RecordOptions {
  /** Edits sharing a non-null key within COALESCE_MS merge into one step. */
  key?: string | null;
  now: number;
  limit?: number;
}

/** A history with nothing to undo or redo. */
export function emptyHistory<T>(): History<T> {
  return { past: [], future: [], lastKey: null, lastAt: 0 };
}

/** Records that `previous` was replaced by a new value; clears the redo stack. */
export function record<T>(history: History<T>, previous: T, options: RecordOptions): History<T> {
  const key = options.key ?? null;
  const merges = key !== null && key === history.lastKey && options.now - history.lastAt <= COALESCE_MS;
  // A merged edit keeps the entry from before the burst: one undo returns to it.
  if (merges && history.past.length > 0) return { past: history.past, future: [], lastKey: key, lastAt: options.now };
  const limit = Math.max(1, options.limit ?? HISTORY_LIMIT);
  const past = [...history.past, previous];
  return { past: past.length > limit ? past.slice(past.length - limit) : past, future: [], lastKey: key, lastAt: options.now };
}

/** The step back from `current`: the restored value and the new history, or null when there is none. */
export function undo<T>(history: History<T>, current: T): { value: T; history: History<T> } | null {
  if (history.past.length === 0) return null;
  const value = history.past[history.past.length - 1]!;
  return {
    value,
    history: { past: history.past.slice(0, -1), future: [current, ...history.future], lastKey: null, lastAt: 0 },
  };
}

/** The step forward again from `current`, or null when nothing was undone since the last edit. */
export function redo<T>(history: History<T>, current: T): { value: T; history: History<T> } | null {
  if (history.future.length === 0) return null;
  const value = history.future[0]!;
  return {
    value,
    history: { past: [...history.past, current], future: history.future.slice(1), lastKey: null, lastAt: 0 },
  };
}

/** True when there is a step to undo. */
export const canUndo = <T>(history: History<T>): boolean => history.past.length > 0;

/** True when there is an undone step to redo. */
export const canRedo = <T>(history: History<T>): boolean => history.future.length > 0;

/**
 * Undo and redo actions for a store slice whose state holds `history` and the edited value
 * `spec`; `install` writes a value and its history back (and re-derives what depends on it).
 * Each returns whether there was a step to take.
 */
export function undoRedo<T>(read: () => { history: History<T>; spec: T }, install: (value: T, history: History<T>) => void): { undo(): boolean; redo(): boolean } {
  const step = (move: typeof undo) => (): boolean => {
    const { history, spec } = read();
    const next = move(history, spec);
    if (next) install(next.value, next.history);
    return next !== null;
  };
  return { undo: step(undo), redo: step(redo) };
}
