/**
 * Which training images a run uses, in which order, and how a batch is copied into the
 * buffers tfjs reads. Pure (no tfjs, no DOM): the trainer wraps the filled buffers in tensors.
 */
import { augmentInto, isAugmentOff } from '../data/augment';
import { INPUT_SHAPE, NUM_CLASSES, type AugmentSettings, type TrainingSettings } from '../model/spec';
import { createRng, mixSeed, shuffleInPlace, type Rng } from './random';

/** Grey levels per MNIST image (28*28*1). */
export const PIXELS_PER_IMAGE = INPUT_SHAPE[0] * INPUT_SHAPE[1] * INPUT_SHAPE[2];

// Salts give the split and the epoch order their own streams, independent of the weight
// initialisation and dropout, which the trainer seeds from the same user seed.
const SPLIT_SALT = 0x5b117;
const EPOCH_SALT = 0xe90c4;
const AUGMENT_SALT = 0xa06e7;

// x/255 for every byte, computed once: exact, and a table read is cheaper than a division.
const SCALE = new Float32Array(256);
for (let v = 0; v < 256; v++) SCALE[v] = v / 255;

/** Indices into the 60,000 training images: disjoint training and validation sets. */
export interface SplitPlan {
  train: Uint32Array;
  validation: Uint32Array;
}

/**
 * Picks `trainExamples` (clamped to 0..available) training-set indices with the seed and
 * holds `round(n * validationSplit)` of them out for validation (never from the test set),
 * keeping at least one training example whenever n > 0.
 */
export function planSplit(
  settings: Pick<TrainingSettings, 'trainExamples' | 'validationSplit' | 'seed'>,
  available: number,
): SplitPlan {
  const { trainExamples, validationSplit, seed } = settings;
  if (Number.isNaN(trainExamples)) throw new RangeError('trainExamples must be a number, got NaN');
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new RangeError(`validationSplit must be in [0, 1), got ${validationSplit}`);
  }
  const n = Math.max(0, Math.min(available, Math.floor(trainExamples)));
  const picked = new Uint32Array(available);
  for (let i = 0; i < available; i++) picked[i] = i;
  // Partial Fisher-Yates: only the first n draws matter, and they do not depend on n, so a
  // larger trainExamples with the same seed keeps every image a smaller one picked.
  const rng = createRng(mixSeed(seed, SPLIT_SALT));
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rng() * (available - i));
    const tmp = picked[i];
    picked[i] = picked[j];
    picked[j] = tmp;
  }
  const held = n > 0 ? Math.min(Math.round(n * validationSplit), n - 1) : 0;
  // slice, not subarray: the plan must not pin the 60,000-entry scratch array.
  return { validation: picked.slice(0, held), train: picked.slice(held, n) };
}

/** Returns a seeded shuffle of `train` for one epoch: the same seed and epoch give the same order. */
export function epochOrder(train: Uint32Array, seed: number, epoch: number): Uint32Array {
  return shuffleInPlace(train.slice(), createRng(mixSeed(mixSeed(seed, EPOCH_SALT), epoch)));
}

/** Augmentation for one stretch of batches: the settings and the seeded stream that drives them. */
export interface Augmenter {
  settings: AugmentSettings;
  rng: Rng;
}

/**
 * The augmenter of one epoch, or null when augmentation is off: its stream is derived from the
 * seed and the epoch alone, so the same seed gives the same images, and a run resumed after a
 * pause draws exactly what it would have drawn anyway.
 */
export function epochAugmenter(settings: Pick<TrainingSettings, 'seed'> & { augment?: AugmentSettings }, epoch: number): Augmenter | null {
  if (isAugmentOff(settings.augment)) return null;
  return { settings: settings.augment!, rng: createRng(mixSeed(mixSeed(settings.seed, AUGMENT_SALT), epoch)) };
}

/**
 * Writes up to `size` examples, `indices[start..]`, into preallocated buffers: pixels as x/255
 * into `xOut` (784 per example), randomly shifted and rotated when `augment` is given (training
 * batches only), and one-hot labels into `yOut` (10 per example); returns how many were written
 * (fewer than `size` for the last batch; rows past that are left as they were).
 */
export function fillBatch(
  images: Uint8Array,
  labels: Uint8Array,
  indices: Uint32Array,
  start: number,
  size: number,
  xOut: Float32Array,
  yOut: Float32Array,
  augment: Augmenter | null = null,
): number {
  const count = Math.max(0, Math.min(size, indices.length - start));
  // Check once up front so the loop below needs no bounds tests.
  if (xOut.length < count * PIXELS_PER_IMAGE || yOut.length < count * NUM_CLASSES) {
    throw new RangeError(
      `fillBatch: buffers hold ${xOut.length} pixels and ${yOut.length} label values; ${count} examples need ${count * PIXELS_PER_IMAGE} and ${count * NUM_CLASSES}`,
    );
  }
  yOut.fill(0, 0, count * NUM_CLASSES);
  for (let b = 0; b < count; b++) {
    const example = indices[start + b];
    const src = example * PIXELS_PER_IMAGE;
    const dst = b * PIXELS_PER_IMAGE;
    if (augment) augmentInto(images, xOut, augment.settings, augment.rng, src, dst);
    else for (let p = 0; p < PIXELS_PER_IMAGE; p++) xOut[dst + p] = SCALE[images[src + p]];
    yOut[b * NUM_CLASSES + labels[example]] = 1;
  }
  return count;
}
