/**
 * One training step of a (conditional) GAN: one discriminator step, then one generator step, on
 * one batch of real digits. Non-saturating losses (Goodfellow et al. 2014; the generator
 * maximises log D(G(z)) instead of minimising log(1 - D(G(z))), which starves it of gradient
 * early on), written with softplus so that large logits never overflow:
 *   D loss = softplus(-D(x)) + softplus(D(G(z)))      (sigmoid cross-entropy, real = 1, fake = 0)
 *   G loss = softplus(-D(G(z')))                       (fresh noise z')
 * Adam with beta1 = 0.5, as DCGAN (Radford et al. 2016) found stable. Both steps run inside
 * tf.tidy; only the scalars read back leave it, and those are disposed here.
 */
import * as tf from '@tensorflow/tfjs';

/** What a GAN training step needs (gan-model.ts's `Gan` extends it; tests build small ones). */
export interface TrainableGan {
  readonly conditional: boolean;
  readonly latentSize: number;
  /** noise [n, latent] (+ one-hot labels [n, 10] when conditional) -> pixel values in [0, 1], [n, 784]. */
  generate(z: tf.Tensor2D, labels: tf.Tensor2D | null, training: boolean): tf.Tensor2D;
  /** images [n, 784] in [0, 1] (+ labels) -> real/fake logits [n, 1]. */
  discriminate(x: tf.Tensor2D, labels: tf.Tensor2D | null, training: boolean): tf.Tensor2D;
  readonly generatorVariables: tf.Variable[];
  readonly discriminatorVariables: tf.Variable[];
}

/** One Adam per network: each only ever updates its own variables. */
export interface GanOptimizers {
  generator: tf.Optimizer;
  discriminator: tf.Optimizer;
}

/** Adam's beta1 for both networks (DCGAN's choice; 0.9 tends to oscillate). */
export const GAN_BETA1 = 0.5;

/** Creates both optimizers with DCGAN's Adam settings. */
export function createGanOptimizers(learningRate: number): GanOptimizers {
  return { generator: tf.train.adam(learningRate, GAN_BETA1, 0.999), discriminator: tf.train.adam(learningRate, GAN_BETA1, 0.999) };
}

/** What one step measured (means over the batch). */
export interface GanStepResult {
  discriminatorLoss: number;
  generatorLoss: number;
  /** Mean sigmoid(D(x)) on real digits, before the D step: near 1 when D is sure they are real. */
  realScore: number;
  /** Mean sigmoid(D(G(z))) on generated digits, before the D step: near 0 when D is sure they are fake. */
  fakeScore: number;
}

/**
 * One D step and one G step on `n` real images (xBuf, [n, 784] in [0, 1]) with their one-hot
 * labels (yBuf, used by a conditional GAN for both real and generated digits). `seed` makes the
 * noise reproducible. Leaves no tensors behind.
 */
export async function ganTrainStep(gan: TrainableGan, optimizers: GanOptimizers, xBuf: Float32Array, yBuf: Float32Array, n: number, seed: number): Promise<GanStepResult> {
  const out = tf.tidy(() => {
    const x = tf.tensor2d(xBuf.subarray(0, n * 784), [n, 784]);
    const y = gan.conditional ? tf.tensor2d(yBuf.subarray(0, n * 10), [n, 10]) : null;
    let measured: tf.Tensor1D | null = null;
    optimizers.discriminator.minimize(() => {
      // Only D's variables are updated here, so G's output needs no stopGradient.
      const fake = gan.generate(tf.randomNormal([n, gan.latentSize], 0, 1, 'float32', seed) as tf.Tensor2D, y, true);
      const realLogits = gan.discriminate(x, y, true);
      const fakeLogits = gan.discriminate(fake, y, true);
      const loss = tf.softplus(realLogits.neg()).mean().add(tf.softplus(fakeLogits).mean()) as tf.Scalar;
      measured = tf.keep(tf.stack([loss, tf.sigmoid(realLogits).mean(), tf.sigmoid(fakeLogits).mean()]) as tf.Tensor1D);
      return loss;
    }, false, gan.discriminatorVariables);
    let generatorLoss: tf.Scalar | null = null;
    optimizers.generator.minimize(() => {
      const fake = gan.generate(tf.randomNormal([n, gan.latentSize], 0, 1, 'float32', seed + 1) as tf.Tensor2D, y, true);
      const loss = tf.softplus(gan.discriminate(fake, y, true).neg()).mean() as tf.Scalar;
      generatorLoss = tf.keep(loss.clone());
      return loss;
    }, false, gan.generatorVariables);
    const gLoss = generatorLoss as unknown as tf.Scalar;
    const both = tf.concat([measured!, gLoss.reshape([1])]);
    // Kept tensors outlive every scope: free them by hand once combined.
    (measured as unknown as tf.Tensor).dispose();
    gLoss.dispose();
    return both;
  });
  const [discriminatorLoss, realScore, fakeScore, generatorLoss] = await out.data();
  out.dispose();
  return { discriminatorLoss, generatorLoss, realScore, fakeScore };
}

/** Frees both optimizers' state. */
export function disposeGanOptimizers(optimizers: GanOptimizers | null): void {
  optimizers?.generator.dispose();
  optimizers?.discriminator.dispose();
}
