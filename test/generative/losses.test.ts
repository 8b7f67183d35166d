import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { klLoss, reconstructionLoss } from '../../src/train/generative/losses';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
/** Binary cross-entropy of one pixel written the textbook way, for comparison. */
const bce = (z: number, x: number) => -(x * Math.log(sigmoid(z)) + (1 - x) * Math.log(1 - sigmoid(z)));

describe('VAE loss terms', () => {
  it('reconstruction: per-image binary cross-entropy summed over pixels, mean over the batch', () => {
    const logits = [[0, 2, -1], [3, -2, 0.5]];
    const targets = [[0, 1, 0.25], [1, 0, 0.5]];
    const expected = (bce(0, 0) + bce(2, 1) + bce(-1, 0.25) + bce(3, 1) + bce(-2, 0) + bce(0.5, 0.5)) / 2;
    const loss = reconstructionLoss(tf.tensor2d(logits), tf.tensor2d(targets));
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('reconstruction stays finite for extreme logits', () => {
    const loss = reconstructionLoss(tf.tensor2d([[200, -200]]), tf.tensor2d([[0, 1]]));
    expect(loss.dataSync()[0]).toBeCloseTo(400, 3);
  });

  it('KL of N(mean, exp(logVar)) from N(0, 1), summed over the code, mean over the batch', () => {
    // Per dimension KL = 0.5 * (mean^2 + var - 1 - logVar). Row 1: mean 0, var 1 gives 0.
    // Row 2: mean (1, -2), var (1, 4): 0.5*(1 + 1 - 1 - 0) + 0.5*(4 + 4 - 1 - ln 4).
    const mean = tf.tensor2d([[0, 0], [1, -2]]);
    const logVar = tf.tensor2d([[0, 0], [0, Math.log(4)]]);
    const row2 = 0.5 * (1 + 1 - 1 - 0) + 0.5 * (4 + 4 - 1 - Math.log(4));
    expect(klLoss(mean, logVar).dataSync()[0]).toBeCloseTo(row2 / 2, 5);
  });

  it('KL is zero only at the prior', () => {
    expect(klLoss(tf.zeros([3, 4]) as tf.Tensor2D, tf.zeros([3, 4]) as tf.Tensor2D).dataSync()[0]).toBeCloseTo(0, 6);
    expect(klLoss(tf.zeros([1, 1]) as tf.Tensor2D, tf.tensor2d([[-1]])).dataSync()[0]).toBeGreaterThan(0);
  });
});
