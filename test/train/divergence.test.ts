import { describe, expect, it } from 'vitest';
import { DivergenceWatch } from '../../src/train/divergence';

describe('DivergenceWatch', () => {
  it('flags a non-finite loss at once', () => {
    const w = new DivergenceWatch();
    expect(w.observe(2.3)).toBeNull();
    expect(w.observe(NaN)).toBe('the loss became NaN or infinite');
    expect(new DivergenceWatch().observe(Infinity)).toBe('the loss became NaN or infinite');
  });

  it('flags a loss pinned far above chance for 20 batches, not a brief spike', () => {
    const w = new DivergenceWatch();
    for (let i = 0; i < 19; i++) expect(w.observe(13.1)).toBeNull();
    expect(w.observe(13.1)).toBe('the loss stayed near 13.1 for 20 batches, far above 2.30 (a random guess)');
    const healthy = new DivergenceWatch();
    const losses = [2.3, 30, 2.1, 1.9, ...Array(40).fill(0.5)];
    expect(losses.map((l) => healthy.observe(l)).filter(Boolean)).toEqual([]);
  });
});
