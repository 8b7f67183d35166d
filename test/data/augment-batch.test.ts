import { describe, expect, it } from 'vitest';
import { epochAugmenter, fillBatch } from '../../src/train/split';

// Training batches are where augmentation happens; these tests check the hook the trainer uses.
const N = 6;
const images = Uint8Array.from({ length: N * 784 }, (_, i) => (i * 37) % 256);
const labels = Uint8Array.from({ length: N }, (_, i) => i % 10);
const order = Uint32Array.from([5, 3, 1, 0, 2, 4]);

function batch(augment: ReturnType<typeof epochAugmenter>): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(4 * 784);
  const y = new Float32Array(40);
  expect(fillBatch(images, labels, order, 0, 4, x, y, augment)).toBe(4);
  return { x, y };
}

describe('fillBatch with augmentation', () => {
  const on = { seed: 3, augment: { shift: 2, rotation: 15 } };

  it('is off (null) when shift and rotation are 0 or missing, so plain runs are unchanged', () => {
    expect(epochAugmenter({ seed: 3, augment: { shift: 0, rotation: 0 } }, 1)).toBeNull();
    expect(epochAugmenter({ seed: 3 }, 1)).toBeNull();
    const plain = batch(null).x;
    expect(plain[0]).toBe(Math.fround(images[5 * 784] / 255));
  });

  it('gives the same batch for the same seed and epoch, another for another epoch or seed', () => {
    const a = batch(epochAugmenter(on, 1)).x;
    expect(batch(epochAugmenter(on, 1)).x).toEqual(a);
    expect(batch(epochAugmenter(on, 2)).x).not.toEqual(a);
    expect(batch(epochAugmenter({ ...on, seed: 4 }, 1)).x).not.toEqual(a);
    expect(a).not.toEqual(batch(null).x);
  });

  it('keeps the labels and the [0, 1] range', () => {
    const { x, y } = batch(epochAugmenter(on, 1));
    expect(y).toEqual(batch(null).y);
    expect(Math.min(...x)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...x)).toBeLessThanOrEqual(1);
  });
});
