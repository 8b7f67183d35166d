import { describe, expect, it } from 'vitest';
import { loadSmoothInspector, saveSmoothInspector, SMOOTH_KEY, type PreferenceStorage } from '../../src/store/preferences';

const memory = (): PreferenceStorage & { data: Map<string, string> } => {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
};
const broken: PreferenceStorage = {
  getItem: () => { throw new Error('blocked'); },
  setItem: () => { throw new Error('quota'); },
};

describe('the smoothness preference', () => {
  it('is smooth until the person chooses speed, and remembers either choice', () => {
    const storage = memory();
    expect(loadSmoothInspector(storage)).toBe(true);
    saveSmoothInspector(storage, false);
    expect(storage.data.get(SMOOTH_KEY)).toBe('false');
    expect(loadSmoothInspector(storage)).toBe(false);
    saveSmoothInspector(storage, true);
    expect(loadSmoothInspector(storage)).toBe(true);
  });

  it('reads anything odd under its key as the default, and survives storage that throws or is missing', () => {
    const storage = memory();
    storage.data.set(SMOOTH_KEY, '{"smooth":0}');
    expect(loadSmoothInspector(storage)).toBe(true);
    expect(loadSmoothInspector(broken)).toBe(true);
    expect(() => saveSmoothInspector(broken, false)).not.toThrow();
    expect(loadSmoothInspector(null)).toBe(true);
  });
});
