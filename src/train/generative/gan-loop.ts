/**
 * What the Generations loop needs to train a GAN instead of a VAE, in one object: the model and
 * its two optimizers, one step that also watches for trouble (divergence, a discriminator that
 * wins outright), a mode-collapse check on the fixed-noise grid, the per-epoch losses on test
 * digits, and a `Sampler` so the grid and the judge's scores are drawn exactly as for a VAE.
 * gen-trainer.ts creates one when the spec's kind is a GAN.
 */
import * as tf from '@tensorflow/tfjs';
import type { MnistSplit } from '../mnist';
import { fillBatch } from '../split';
import { GanHealth, collapseMessage, meanPairwiseDistance } from './gan-health';
import { createGanOptimizers, disposeGanOptimizers, ganTrainStep, type GanOptimizers, type TrainableGan } from './gan-step';
import type { GenBatchPoint } from './gen-protocol';
import { GRID_PER_ROW, decodeGrid, type Sampler } from './gen-samples';

/** Real digits per class used as the diversity yardstick for the collapse check. */
const YARDSTICK_PER_CLASS = 10;
/**
 * Examples seen before the collapse check counts: a fresh generator draws one grey blur from any
 * noise, while a healthy DCGAN draws varied digit shapes well before half an MNIST epoch.
 */
export const COLLAPSE_MIN_EXAMPLES = 30_000;

/** A GAN being trained, with everything its loop needs. */
export class GanTraining {
  readonly gan: TrainableGan & { dispose(): void; exportGenerator?(): tf.LayersModel };
  readonly sampler: Sampler;
  #optimizers: GanOptimizers | null;
  #health = new GanHealth();
  #realDistance: number;

  constructor(gan: TrainableGan & { dispose(): void; exportGenerator?(): tf.LayersModel }, learningRate: number, train: MnistSplit) {
    this.gan = gan;
    this.#optimizers = createGanOptimizers(learningRate);
    this.sampler = { conditional: gan.conditional, latentSize: gan.latentSize, decode: (z, labels) => gan.generate(z, labels, false) };
    this.#realDistance = realDiversity(train);
  }

  /**
   * One D and one G step; returns the batch point, or throws with a plain message when the run
   * diverged or the discriminator has won outright for many steps.
   */
  async step(xBuf: Float32Array, yBuf: Float32Array, n: number, seed: number, at: { step: number; examplesSeen: number; epoch: number; batch: number }): Promise<GenBatchPoint> {
    const r = await ganTrainStep(this.gan, this.#optimizers!, xBuf, yBuf, n, seed);
    const problem = this.#health.observe(r, `epoch ${at.epoch}, batch ${at.batch}`);
    if (problem) throw new Error(problem);
    return { step: at.step, examplesSeen: at.examplesSeen, reconstruction: Number.NaN, kl: Number.NaN, discriminator: r.discriminatorLoss, generator: r.generatorLoss };
  }

  /** A message when the grid (rows of `perRow` samples from different noise) has collapsed, else null. */
  collapse(gridPixels: Uint8Array, rows: number, perRow: number): string | null {
    return collapseMessage(gridPixels, rows, perRow, this.#realDistance * 255);
  }

  /** After COLLAPSE_MIN_EXAMPLES, draws the fixed-noise grid and throws the collapse message when its samples are nearly identical. */
  async checkCollapse(noise: tf.Tensor2D, examplesSeen: number): Promise<void> {
    if (examplesSeen < COLLAPSE_MIN_EXAMPLES) return;
    const grid = await decodeGrid(this.sampler, noise, null);
    const message = this.collapse(grid.pixels, noise.shape[0] / GRID_PER_ROW, GRID_PER_ROW);
    if (message) throw new Error(message);
  }

  /** Both losses on the first `limit` test digits against as many generated ones (no training). */
  async testLosses(test: MnistSplit, limit: number, seed: number): Promise<{ discriminator: number; generator: number }> {
    const count = Math.min(limit, test.count);
    const xBuf = new Float32Array(count * 784);
    const yBuf = new Float32Array(count * 10);
    fillBatch(test.images, test.labels, Uint32Array.from({ length: count }, (_, i) => i), 0, count, xBuf, yBuf);
    const values = tf.tidy(() => {
      const gan = this.gan;
      const y = gan.conditional ? tf.tensor2d(yBuf, [count, 10]) : null;
      const fake = gan.generate(tf.randomNormal([count, gan.latentSize], 0, 1, 'float32', seed) as tf.Tensor2D, y, false);
      const real = gan.discriminate(tf.tensor2d(xBuf, [count, 784]), y, false);
      const faked = gan.discriminate(fake, y, false);
      return tf.stack([tf.softplus(real.neg()).mean().add(tf.softplus(faked).mean()), tf.softplus(faked.neg()).mean()]);
    });
    const [discriminator, generator] = await values.data();
    values.dispose();
    return { discriminator, generator };
  }

  /** Frees the model and both optimizers' state. */
  dispose(): void {
    disposeGanOptimizers(this.#optimizers);
    this.#optimizers = null;
    this.gan.dispose();
  }
}

/** Mean pairwise distance (pixel values 0-1) of real digits of the same class, averaged over classes. */
export function realDiversity(split: MnistSplit): number {
  let total = 0;
  let classes = 0;
  for (let k = 0; k < 10; k++) {
    const picked: number[] = [];
    for (let i = 0; i < split.count && picked.length < YARDSTICK_PER_CLASS; i++) if (split.labels[i] === k) picked.push(i);
    if (picked.length < 2) continue;
    const pixels = new Float32Array(picked.length * 784);
    picked.forEach((idx, j) => {
      for (let p = 0; p < 784; p++) pixels[j * 784 + p] = split.images[idx * 784 + p] / 255;
    });
    total += meanPairwiseDistance(pixels, picked.length);
    classes += 1;
  }
  return classes ? total / classes : 0;
}
