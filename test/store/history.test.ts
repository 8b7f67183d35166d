import { describe, expect, it } from 'vitest';
import { COALESCE_MS, HISTORY_LIMIT, canRedo, canUndo, emptyHistory, record, redo, undo, type History } from '../../src/store/history';

/** Applies a series of edits from 0 up, one value per edit, and returns the history and current value. */
function edits(values: number[], keys: (string | null)[] = [], times: number[] = []) {
  let h: History<number> = emptyHistory();
  let current = 0;
  values.forEach((v, i) => {
    h = record(h, current, { key: keys[i] ?? null, now: times[i] ?? i * 10_000 });
    current = v;
  });
  return { h, current };
}

describe('undo history', () => {
  it('undoes and redoes in order', () => {
    const { h, current } = edits([1, 2, 3]);
    expect(canUndo(h)).toBe(true);
    expect(canRedo(h)).toBe(false);
    const u1 = undo(h, current)!;
    expect(u1.value).toBe(2);
    const u2 = undo(u1.history, u1.value)!;
    expect(u2.value).toBe(1);
    expect(canRedo(u2.history)).toBe(true);
    const r1 = redo(u2.history, u2.value)!;
    expect(r1.value).toBe(2);
    const r2 = redo(r1.history, r1.value)!;
    expect(r2.value).toBe(3);
    expect(redo(r2.history, r2.value)).toBeNull();
    expect(undo(emptyHistory<number>(), 0)).toBeNull();
  });

  it('clears redo on a new edit', () => {
    const { h, current } = edits([1, 2]);
    const u = undo(h, current)!;
    expect(canRedo(u.history)).toBe(true);
    const next = record(u.history, u.value, { now: 0 });
    expect(canRedo(next)).toBe(false);
    expect(next.past).toEqual([0, 1]);
  });

  it(`keeps at most ${HISTORY_LIMIT} steps, dropping the oldest`, () => {
    const values = Array.from({ length: HISTORY_LIMIT + 50 }, (_, i) => i + 1);
    const { h } = edits(values);
    expect(h.past).toHaveLength(HISTORY_LIMIT);
    expect(h.past[0]).toBe(50);
    expect(record(emptyHistory<number>(), 0, { now: 0, limit: 1 }).past).toEqual([0]);
  });

  it('merges consecutive edits of one key within the window into one step', () => {
    // 1, 12, 128 typed into one field, then another field.
    const { h, current } = edits([1, 12, 128, 5], ['f', 'f', 'f', 'g'], [0, 300, 600, 700]);
    expect(h.past).toEqual([0, 128]);
    expect(undo(h, current)!.value).toBe(128);
    expect(undo(undo(h, current)!.history, 128)!.value).toBe(0);
  });

  it('starts a new step after a pause, a different key, a null key or an undo', () => {
    expect(edits([1, 2], ['f', 'f'], [0, COALESCE_MS + 1]).h.past).toEqual([0, 1]);
    expect(edits([1, 2], [null, null], [0, 1]).h.past).toEqual([0, 1]);
    const { h, current } = edits([1, 2, 3], [null, 'f', 'f'], [0, 10, 20]);
    expect(h.past).toEqual([0, 1]);
    const u = undo(h, current)!;
    expect(record(u.history, u.value, { key: 'f', now: 30 }).past).toEqual([0, 1]);
  });
});
