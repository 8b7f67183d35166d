import { describe, expect, it } from 'vitest';
import { learningRateAt, warmupSteps } from '../../src/model/lr-schedule';
import { parseSpec } from '../../src/model/validate';

describe('learningRateAt', () => {
  it('keeps a constant rate at every step', () => {
    for (const step of [1, 50, 1000]) expect(learningRateAt('constant', 0.003, step, 1000)).toBe(0.003);
  });

  it('warms up linearly, peaks, then decays along a half cosine towards zero', () => {
    const total = 1000;
    const warm = warmupSteps(total);
    expect(warm).toBe(30);
    expect(learningRateAt('cosine', 0.002, 1, total)).toBeCloseTo(0.002 / 30, 12);
    expect(learningRateAt('cosine', 0.002, 15, total)).toBeCloseTo(0.001, 12);
    expect(learningRateAt('cosine', 0.002, warm, total)).toBeCloseTo(0.002, 12);
    // Half way through the decay the cosine is at half the peak.
    const middle = warm + (total - warm + 1) / 2;
    expect(learningRateAt('cosine', 0.002, middle, total)).toBeCloseTo(0.001, 12);
    const last = learningRateAt('cosine', 0.002, total, total);
    expect(last).toBeGreaterThan(0);
    expect(last).toBeLessThan(0.002 * 1e-4);
  });

  it('never rises after the warm-up and keeps the last rate past the end', () => {
    let previous = Infinity;
    for (let step = warmupSteps(500) + 1; step <= 500; step++) {
      const rate = learningRateAt('cosine', 1, step, 500);
      expect(rate).toBeLessThanOrEqual(previous);
      previous = rate;
    }
    expect(learningRateAt('cosine', 1, 600, 500)).toBe(learningRateAt('cosine', 1, 500, 500));
  });

  it('caps the warm-up for long runs and handles one-step runs', () => {
    expect(warmupSteps(100000)).toBe(200);
    expect(learningRateAt('cosine', 0.01, 1, 1)).toBe(0.01);
  });
});

describe('training.lrSchedule in parseSpec', () => {
  const doc = (training: unknown) => ({ version: 1, name: 'n', description: '', layers: [{ kind: 'flatten' }, { kind: 'dense', units: 10, activation: 'softmax' }], training });

  it('reads cosine and refuses an unknown schedule with the choices', () => {
    const good = parseSpec(doc({ lrSchedule: 'cosine' }));
    expect(good.ok && good.spec.training.lrSchedule).toBe('cosine');
    const bad = parseSpec(doc({ lrSchedule: 'step' }));
    expect(bad.ok ? [] : bad.errors).toEqual([{ path: 'training.lrSchedule', message: 'must be one of "constant", "cosine", not "step"' }]);
  });
});
