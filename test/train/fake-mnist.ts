/**
 * Learnable stand-ins for MNIST in Node tests: noise, plus one bright image row chosen by the
 * label (row 2 + 2 x label), so a small network learns them in a few steps.
 */
import type { MnistSplit } from '../../src/train/mnist';

/** `count` fake digits from a seeded noise stream; `labelOf(i)` gives example i's label. */
export function fakeSplit(count: number, seed: number, labelOf: (i: number) => number = (i) => i % 10): MnistSplit {
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = 0; i < count; i++) {
    const label = labelOf(i);
    labels[i] = label;
    for (let p = 0; p < 784; p++) images[i * 784 + p] = rand() * 60;
    for (let c = 0; c < 28; c++) images[i * 784 + (2 + label * 2) * 28 + c] = 255;
  }
  return { count, images, labels };
}

/** Digits that say their class plainly: image i lights pixel (label) only, so a classifier reading that pixel is a perfect judge. */
export function plainSplit(count: number): MnistSplit {
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 10;
    images[i * 784 + labels[i]!] = 255;
  }
  return { count, images, labels };
}
