import { describe, expect, it } from 'vitest';
import { createRng, mixSeed, shuffleInPlace } from '../../src/train/random';

function take(rng: () => number, n: number): number[] {
  return Array.from({ length: n }, rng);
}

describe('createRng', () => {
  it('gives the same stream for the same seed', () => {
    expect(take(createRng(42), 20)).toEqual(take(createRng(42), 20));
  });

  it('gives different streams for nearby, negative and fractional seeds', () => {
    const first = [0, 1, 2, -1, 1.5, 2 ** 32 + 1].map((seed) => createRng(seed)());
    expect(new Set(first).size).toBe(first.length);
  });

  it('stays in [0, 1) and is roughly uniform', () => {
    const values = take(createRng(7), 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(0.5, 1);
    const buckets = new Array(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)]++;
    for (const count of buckets) expect(count).toBeGreaterThan(1_800);
  });

  it('rejects a non-finite seed', () => {
    expect(() => createRng(Number.NaN)).toThrow('seed must be a finite number, got NaN');
  });
});

describe('mixSeed', () => {
  it('is deterministic and separates salts', () => {
    expect(mixSeed(3, 1)).toBe(mixSeed(3, 1));
    expect(mixSeed(3, 1)).not.toBe(mixSeed(3, 2));
    expect(mixSeed(3, 1)).not.toBe(mixSeed(4, 1));
  });
});

describe('shuffleInPlace', () => {
  it('permutes a Uint32Array in place, deterministically', () => {
    const a = Uint32Array.from({ length: 100 }, (_, i) => i);
    const b = a.slice();
    expect(shuffleInPlace(a, createRng(5))).toBe(a);
    shuffleInPlace(b, createRng(5));
    expect(a).toEqual(b);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(a)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('shuffles number arrays and handles empty and single-element arrays', () => {
    expect(shuffleInPlace([], createRng(1))).toEqual([]);
    expect(shuffleInPlace([9], createRng(1))).toEqual([9]);
    expect(shuffleInPlace([1, 2, 3, 4], createRng(1)).sort()).toEqual([1, 2, 3, 4]);
  });

  it('puts every element in every position about equally often', () => {
    const counts = Array.from({ length: 4 }, () => new Array(4).fill(0));
    const rng = createRng(11);
    for (let t = 0; t < 8_000; t++) {
      const a = shuffleInPlace([0, 1, 2, 3], rng);
      a.forEach((v, pos) => counts[v][pos]++);
    }
    for (const row of counts) for (const c of row) expect(c).toBeGreaterThan(1_800);
  });
});
