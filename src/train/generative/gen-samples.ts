/**
 * What a trained (or training) VAE shows: the 10x10 grid from fixed noise, reconstructions of
 * test digits, judged scores, single decoded points, latent walks and the 2-D latent map.
 * Each function leaves no tensors behind (tf.tidy around the graph, dispose after reading).
 */
import * as tf from '@tensorflow/tfjs';
import { conditionalAccuracy, mnistScore, perClassAccuracy, argmaxAt } from '../../model/generative/scores';
import type { MnistSplit } from '../mnist';
import { judgeProbabilities } from './judge';
import type { Vae } from './vae-model';

/** What drawing samples needs: a VAE's decoder, or a GAN's generator behind the same three members. */
export type Sampler = Pick<Vae, 'conditional' | 'latentSize' | 'decode'>;

/** Samples per digit in the grid (10 rows of 10) and in a score (100 per class). */
export const GRID_PER_ROW = 10;
export const SCORE_PER_CLASS = 100;
/** Test digits shown beside their reconstructions: the first of each class 0-7 in the test set. */
export const RECON_COUNT = 8;

/** One-hot labels for `n` samples where sample i asks for digit floor(i / perClass) % 10. */
export function rowLabels(n: number, perClass: number): { tensor: tf.Tensor2D; labels: Int32Array } {
  const labels = Int32Array.from({ length: n }, (_, i) => Math.floor(i / perClass) % 10);
  return { tensor: tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D), labels };
}

/** Reads pixels in [0, 1] to 0-255 grey levels, disposing the tensor. */
async function toGrey(pixels: tf.Tensor): Promise<Uint8Array> {
  const values = await pixels.data();
  pixels.dispose();
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, values[i])) * 255);
  return out;
}

/** Images [n, 784] in [0, 1] from the test split's `indices`. */
export function testImages(test: MnistSplit, indices: ArrayLike<number>): tf.Tensor2D {
  const out = new Float32Array(indices.length * 784);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i] * 784;
    for (let p = 0; p < 784; p++) out[i * 784 + p] = test.images[src + p] / 255;
  }
  return tf.tensor2d(out, [indices.length, 784]);
}

/** One-hot labels [n, 10] of the test split's `indices`. */
function testLabels(test: MnistSplit, indices: ArrayLike<number>): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(indices, (i) => test.labels[i]), 'int32'), 10).toFloat() as tf.Tensor2D);
}

/** Decodes the fixed grid noise (row = digit for a conditional model) and, with a judge, what it reads in each cell. */
export async function decodeGrid(vae: Sampler, noise: tf.Tensor2D, judge: tf.LayersModel | null): Promise<{ pixels: Uint8Array; judged: Int8Array | null }> {
  const rows = rowLabels(noise.shape[0], GRID_PER_ROW);
  const images = tf.tidy(() => vae.decode(noise, vae.conditional ? rows.tensor : null));
  rows.tensor.dispose();
  let judged: Int8Array | null = null;
  if (judge) {
    const probs = await judgeProbabilities(judge, images);
    judged = Int8Array.from({ length: noise.shape[0] }, (_, i) => argmaxAt(probs, i * 10, 10));
  }
  return { pixels: await toGrey(images), judged };
}

/** The first test index of each digit 0..count-1, so the reconstructions show different digits. */
export function reconIndices(test: MnistSplit, count = RECON_COUNT): number[] {
  const out: number[] = [];
  for (let d = 0; d < count; d++) {
    const i = test.labels.findIndex((l) => l === d);
    out.push(i < 0 ? d : i);
  }
  return out;
}

/** Test digits and their reconstructions through the code's mean (no noise, so they do not flicker). */
export async function reconstruct(vae: Vae, test: MnistSplit, indices: number[]): Promise<{ originals: Uint8Array; decoded: Uint8Array; labels: number[] }> {
  const decoded = tf.tidy(() => {
    const labels = vae.conditional ? testLabels(test, indices) : null;
    return vae.decode(vae.encode(testImages(test, indices), labels).mean, labels);
  });
  const originals = new Uint8Array(indices.length * 784);
  indices.forEach((idx, i) => originals.set(test.images.subarray(idx * 784, idx * 784 + 784), i * 784));
  return { originals, decoded: await toGrey(decoded), labels: indices.map((i) => test.labels[i]) };
}

/** Scores 100 samples per digit with the judge: conditional accuracy (conditional models only) and MNIST score. */
export async function scoreSamples(vae: Sampler, judge: tf.LayersModel, seed: number) {
  const n = SCORE_PER_CLASS * 10;
  const rows = rowLabels(n, SCORE_PER_CLASS);
  const images = tf.tidy(() => vae.decode(tf.randomNormal([n, vae.latentSize], 0, 1, 'float32', seed), vae.conditional ? rows.tensor : null));
  rows.tensor.dispose();
  const probs = await judgeProbabilities(judge, images);
  images.dispose();
  return {
    conditionalAccuracy: vae.conditional ? conditionalAccuracy(probs, rows.labels) : null,
    perClass: vae.conditional ? perClassAccuracy(probs, rows.labels) : [],
    mnistScore: mnistScore(probs),
    samples: n,
  };
}

/** Decodes one latent point (the label only matters to a conditional model). */
export async function decodePoint(vae: Sampler, z: number[], label: number): Promise<Uint8Array> {
  const codes = z.slice(0, vae.latentSize);
  while (codes.length < vae.latentSize) codes.push(0);
  const image = tf.tidy(() => {
    const labels = vae.conditional ? (tf.oneHot(tf.tensor1d([label], 'int32'), 10).toFloat() as tf.Tensor2D) : null;
    return vae.decode(tf.tensor2d(codes, [1, vae.latentSize]), labels);
  });
  return toGrey(image);
}

/**
 * Encodes two test digits (through the code's mean), interpolates linearly in `steps` steps and
 * decodes each point. A conditional model decodes the walk with `label`, or with the first
 * digit's label for the first half and the second's after, when `label` is null.
 */
export async function latentWalk(vae: Vae, test: MnistSplit, from: number, to: number, steps: number, label: number | null): Promise<Uint8Array> {
  const ends = tf.tidy(() => testImages(test, [from, to]));
  try {
    return await walkBetween(vae, ends, [test.labels[from], test.labels[to]], steps, label);
  } finally {
    ends.dispose();
  }
}

/**
 * The walk between any two images `ends` [2, 784] in [0, 1] (test digits or drawn ones) whose
 * digits are `endLabels`: a conditional model encodes each end with its own label and decodes
 * with `label`, or with the first end's label for the first half and the second's after.
 */
export async function walkBetween(vae: Vae, ends: tf.Tensor2D, endLabels: [number, number], steps: number, label: number | null): Promise<Uint8Array> {
  const images = tf.tidy(() => {
    const oneHot = (digits: number[]) => tf.oneHot(tf.tensor1d(digits, 'int32'), 10).toFloat() as tf.Tensor2D;
    const { mean } = vae.encode(ends, vae.conditional ? oneHot(endLabels) : null);
    const t = tf.linspace(0, 1, steps).reshape([steps, 1]);
    const a = mean.slice([0, 0], [1, -1]);
    const b = mean.slice([1, 0], [1, -1]);
    const codes = a.add(b.sub(a).mul(t)) as tf.Tensor2D;
    const digits = Array.from({ length: steps }, (_, i) => label ?? endLabels[i < steps / 2 ? 0 : 1]);
    return vae.decode(codes, vae.conditional ? oneHot(digits) : null);
  });
  return toGrey(images);
}

/** The judge's reading of images [n, 784] in [0, 1]: the most likely digit of each and its probability. */
export async function judgeRead(judge: tf.LayersModel, images: tf.Tensor2D): Promise<{ digit: number; probability: number }[]> {
  const probs = await judgeProbabilities(judge, images);
  return Array.from({ length: images.shape[0] }, (_, i) => {
    const digit = argmaxAt(probs, i * 10, 10);
    return { digit, probability: probs[i * 10 + digit] };
  });
}

/**
 * For a 2-D latent: decodes a cells x cells grid of points over [-extent, extent]^2 (row 0 at the
 * top, i.e. the largest second coordinate; a conditional model draws every cell as digit `label`)
 * and encodes the first `points` test digits (means).
 */
export async function latentMap(vae: Vae, test: MnistSplit, cells: number, extent: number, points: number, label = 0): Promise<{ pixels: Uint8Array; codes: Float32Array; labels: Uint8Array }> {
  if (vae.latentSize !== 2) throw new Error('The latent map needs a 2-D latent code; pick the "VAE with a 2-D latent" preset or set the latent size to 2.');
  const grid: number[] = [];
  for (let r = 0; r < cells; r++) {
    for (let c = 0; c < cells; c++) grid.push(-extent + ((c + 0.5) * 2 * extent) / cells, extent - ((r + 0.5) * 2 * extent) / cells);
  }
  const count = Math.min(points, test.count);
  const indices = Array.from({ length: count }, (_, i) => i);
  const [images, codes] = tf.tidy(() => {
    const digit = vae.conditional ? (tf.oneHot(tf.fill([cells * cells], label, 'int32') as tf.Tensor1D, 10).toFloat() as tf.Tensor2D) : null;
    const decoded = vae.decode(tf.tensor2d(grid, [cells * cells, 2]), digit);
    const labels = vae.conditional ? testLabels(test, indices) : null;
    return [decoded, vae.encode(testImages(test, indices), labels).mean];
  });
  const codeValues = (await codes.data()) as Float32Array;
  codes.dispose();
  return { pixels: await toGrey(images), codes: codeValues, labels: test.labels.slice(0, count) };
}
