import { describe, expect, it } from 'vitest';
import { epochOrder, fillBatch, PIXELS_PER_IMAGE, planSplit } from '../../src/train/split';

const settings = { trainExamples: 1000, validationSplit: 0.1, seed: 1 };

function sorted(a: Uint32Array): number[] {
  return Array.from(a).sort((x, y) => x - y);
}

describe('planSplit', () => {
  it('picks trainExamples indices and holds round(n * split) out, disjointly', () => {
    const plan = planSplit(settings, 60_000);
    expect(plan.validation.length).toBe(100);
    expect(plan.train.length).toBe(900);
    const all = new Set([...plan.train, ...plan.validation]);
    expect(all.size).toBe(1000);
    for (const i of all) expect(i).toBeLessThan(60_000);
    expect(plan.validation.length).toBe(Math.round(1000 * 0.1));
  });

  it('is deterministic, and different seeds pick different images', () => {
    const a = planSplit(settings, 60_000);
    const b = planSplit(settings, 60_000);
    expect(a.train).toEqual(b.train);
    expect(a.validation).toEqual(b.validation);
    const c = planSplit({ ...settings, seed: 2 }, 60_000);
    expect(sorted(c.train)).not.toEqual(sorted(a.train));
  });

  it('clamps trainExamples to what is available', () => {
    const plan = planSplit({ trainExamples: 500, validationSplit: 0.2, seed: 3 }, 120);
    expect(plan.train.length + plan.validation.length).toBe(120);
    expect(plan.validation.length).toBe(24);
    expect(sorted(new Uint32Array([...plan.train, ...plan.validation]))).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(planSplit({ trainExamples: -5, validationSplit: 0.2, seed: 3 }, 120).train.length).toBe(0);
  });

  it('grows by adding images: a larger subset with the same seed contains a smaller one', () => {
    const small = planSplit({ trainExamples: 200, validationSplit: 0, seed: 9 }, 60_000);
    const large = planSplit({ trainExamples: 2000, validationSplit: 0, seed: 9 }, 60_000);
    expect(Array.from(large.train.subarray(0, 200))).toEqual(Array.from(small.train));
  });

  it('keeps at least one training example and handles a zero split', () => {
    const one = planSplit({ trainExamples: 1, validationSplit: 0.5, seed: 1 }, 10);
    expect(one.train.length).toBe(1);
    expect(one.validation.length).toBe(0);
    expect(planSplit({ ...settings, validationSplit: 0 }, 60_000).validation.length).toBe(0);
  });

  it('rejects a validation split outside [0, 1)', () => {
    expect(() => planSplit({ ...settings, validationSplit: 1 }, 100)).toThrow('validationSplit must be in [0, 1), got 1');
    expect(() => planSplit({ ...settings, trainExamples: Number.NaN }, 100)).toThrow('trainExamples must be a number');
  });
});

describe('epochOrder', () => {
  const train = planSplit(settings, 60_000).train;

  it('is a permutation of the training indices and leaves its input alone', () => {
    const before = train.slice();
    const order = epochOrder(train, 1, 1);
    expect(order).not.toBe(train);
    expect(train).toEqual(before);
    expect(sorted(order)).toEqual(sorted(train));
  });

  it('repeats for the same seed and epoch and changes across epochs and seeds', () => {
    expect(epochOrder(train, 1, 2)).toEqual(epochOrder(train, 1, 2));
    expect(epochOrder(train, 1, 2)).not.toEqual(epochOrder(train, 1, 3));
    expect(epochOrder(train, 1, 2)).not.toEqual(epochOrder(train, 2, 2));
  });
});

describe('fillBatch', () => {
  // Three fake 28x28 images: image k has every pixel equal to 100 * k, except pixel 0 = 255.
  const images = new Uint8Array(3 * PIXELS_PER_IMAGE);
  for (let k = 0; k < 3; k++) {
    images.fill(100 * k, k * PIXELS_PER_IMAGE, (k + 1) * PIXELS_PER_IMAGE);
    images[k * PIXELS_PER_IMAGE] = 255;
  }
  const labels = new Uint8Array([7, 0, 9]);
  const indices = new Uint32Array([2, 0, 1]);

  it('writes pixels / 255 and one-hot labels in index order', () => {
    const x = new Float32Array(2 * PIXELS_PER_IMAGE).fill(-1);
    const y = new Float32Array(2 * 10).fill(-1);
    expect(fillBatch(images, labels, indices, 0, 2, x, y)).toBe(2);
    expect(x[0]).toBe(1);
    expect(x[1]).toBeCloseTo(200 / 255, 6);
    expect(x[PIXELS_PER_IMAGE - 1]).toBe(Math.fround(200 / 255));
    expect(x[PIXELS_PER_IMAGE + 1]).toBe(0);
    expect(Array.from(y.subarray(0, 10))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(y.subarray(10, 20))).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('returns a short count for the last batch and leaves the rest of the buffers alone', () => {
    const x = new Float32Array(2 * PIXELS_PER_IMAGE).fill(-1);
    const y = new Float32Array(2 * 10).fill(-1);
    expect(fillBatch(images, labels, indices, 2, 2, x, y)).toBe(1);
    expect(x[1]).toBeCloseTo(100 / 255, 6);
    expect(y[0]).toBe(1);
    expect(x[PIXELS_PER_IMAGE]).toBe(-1);
    expect(y[10]).toBe(-1);
    expect(fillBatch(images, labels, indices, 3, 2, x, y)).toBe(0);
  });

  it('refuses buffers too small for the batch', () => {
    expect(() => fillBatch(images, labels, indices, 0, 2, new Float32Array(784), new Float32Array(20))).toThrow(
      'fillBatch: buffers hold 784 pixels and 20 label values; 2 examples need 1568 and 20',
    );
  });
});
