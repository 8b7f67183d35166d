/**
 * What every VAE offers the trainer, the samples and the explore code (`Vae`), and the parts all
 * VAEs share (`VaeBase`): decoding to pixels, the reparameterised loss, parameter counts. The
 * networks themselves are built from the spec's layer lists in layer-vae.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { klLoss, reconstructionLoss } from './losses';

/** The loss terms of one batch, as scalars. */
export interface VaeTerms {
  reconstruction: tf.Scalar;
  kl: tf.Scalar;
}

/** What the trainer, samples and explore code need from any VAE, dense or convolutional. */
export interface Vae {
  readonly conditional: boolean;
  readonly latentSize: number;
  readonly variables: tf.Variable[];
  readonly paramCount: number;
  /** The code's mean and log-variance for images [n, 784] in [0, 1]. */
  encode(x: tf.Tensor2D, labels: tf.Tensor2D | null): { mean: tf.Tensor2D; logVar: tf.Tensor2D };
  /** Pixel logits [n, 784] for codes [n, latent]. */
  decodeLogits(z: tf.Tensor2D, labels: tf.Tensor2D | null): tf.Tensor2D;
  decode(z: tf.Tensor2D, labels: tf.Tensor2D | null): tf.Tensor2D;
  /**
   * Both loss terms of a batch. `training` (default true: this is the training step's loss) runs
   * dropout and batch statistics in training mode; pass false for held-out losses.
   */
  terms(x: tf.Tensor2D, labels: tf.Tensor2D | null, seed?: number, training?: boolean): VaeTerms;
  /**
   * The decoder as a standalone tf.Sequential with copies of the current weights, ending in a
   * sigmoid so it outputs pixel intensities; its one input is the code with the one-hot label
   * appended (conditional models). The caller disposes it.
   */
  exportDecoder(): tf.Sequential;
  dispose(): void;
}

/** The parts every VAE shares: decoding to pixels, the reparameterised loss, parameter counts. */
export abstract class VaeBase implements Vae {
  abstract readonly conditional: boolean;
  abstract readonly latentSize: number;
  abstract get variables(): tf.Variable[];
  abstract encode(x: tf.Tensor2D, labels: tf.Tensor2D | null): { mean: tf.Tensor2D; logVar: tf.Tensor2D };
  abstract decodeLogits(z: tf.Tensor2D, labels: tf.Tensor2D | null): tf.Tensor2D;
  abstract exportDecoder(): tf.Sequential;
  /** Whether layers run in training mode (dropout on, batch statistics); set only around `terms`. */
  protected training = false;

  /** Parameters in all variables (equals the analysis's total). */
  get paramCount(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  /** Pixel intensities in [0, 1] for codes [n, latent]. */
  decode(z: tf.Tensor2D, labels: tf.Tensor2D | null): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decodeLogits(z, labels)));
  }

  /**
   * Both loss terms for a batch, with the reparameterisation z = mean + exp(logVar / 2) * eps;
   * eps comes from tf.randomNormal (generated in JS, no kernel). `seed` makes it reproducible.
   */
  terms(x: tf.Tensor2D, labels: tf.Tensor2D | null, seed?: number, training = true): VaeTerms {
    this.training = training;
    try {
      return tf.tidy(() => {
        const { mean, logVar } = this.encode(x, labels);
        const eps = tf.randomNormal(mean.shape, 0, 1, 'float32', seed);
        const z = mean.add(logVar.mul(0.5).exp().mul(eps)) as tf.Tensor2D;
        const logits = this.decodeLogits(z, labels);
        return { reconstruction: reconstructionLoss(logits, x), kl: klLoss(mean, logVar) };
      });
    } finally {
      this.training = false;
    }
  }

  /** Frees every variable. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}
