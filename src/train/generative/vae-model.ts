/**
 * A dense (conditional) VAE as plain tf.variables: the encoder maps an image (and a one-hot label,
 * concatenated) through one ReLU layer to a code's mean and log-variance; the decoder maps a code
 * (and the label) through one ReLU layer to 784 pixel logits. The layers are exactly those
 * `analyzeGenerative` lists. Plain variables rather than a tf.LayersModel keep a step to a few
 * fused matMuls, and the custom loop free to combine two networks in one loss.
 */
import * as tf from '@tensorflow/tfjs';
import { GEN_CLASSES, PIXELS, isConditional, type GenerativeSpec } from '../../model/generative/spec';
import { klLoss, reconstructionLoss } from './losses';

/** The loss terms of one batch, as scalars. */
export interface VaeTerms {
  reconstruction: tf.Scalar;
  kl: tf.Scalar;
}

/** Glorot-uniform weights of shape [inputs, units], seeded. */
// Variables stay unnamed: tfjs names must be unique per process, and two runs overlap briefly.
function glorot(inputs: number, units: number, seed: number): tf.Variable {
  const limit = Math.sqrt(6 / (inputs + units));
  return tf.variable(tf.randomUniform([inputs, units], -limit, limit, 'float32', seed), true);
}

function zeros(units: number): tf.Variable {
  return tf.variable(tf.zeros([units]), true);
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
  terms(x: tf.Tensor2D, labels: tf.Tensor2D | null, seed?: number): VaeTerms;
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
  terms(x: tf.Tensor2D, labels: tf.Tensor2D | null, seed?: number): VaeTerms {
    return tf.tidy(() => {
      const { mean, logVar } = this.encode(x, labels);
      const eps = tf.randomNormal(mean.shape, 0, 1, 'float32', seed);
      const z = mean.add(logVar.mul(0.5).exp().mul(eps)) as tf.Tensor2D;
      const logits = this.decodeLogits(z, labels);
      return { reconstruction: reconstructionLoss(logits, x), kl: klLoss(mean, logVar) };
    });
  }

  /** Frees every variable. */
  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** Encoder and decoder weights, with the forward passes and the loss. */
export class DenseVae extends VaeBase {
  readonly conditional: boolean;
  readonly latentSize: number;
  readonly #vars: tf.Variable[];
  readonly #enc: { w1: tf.Variable; b1: tf.Variable; w2: tf.Variable; b2: tf.Variable };
  readonly #dec: { w1: tf.Variable; b1: tf.Variable; w2: tf.Variable; b2: tf.Variable };

  constructor(spec: Pick<GenerativeSpec, 'kind' | 'latentSize' | 'hiddenSize'>, seed: number) {
    super();
    this.conditional = isConditional(spec);
    this.latentSize = spec.latentSize;
    const label = this.conditional ? GEN_CLASSES : 0;
    const h = spec.hiddenSize;
    const z = spec.latentSize;
    // Mean and log-variance come from one [h, 2z] matrix: one matMul instead of two; the
    // analysis lists them as two dense layers, which have the same parameters.
    this.#enc = {
      w1: glorot(PIXELS + label, h, seed + 1), b1: zeros(h),
      w2: glorot(h, 2 * z, seed + 2), b2: zeros(2 * z),
    };
    this.#dec = {
      w1: glorot(z + label, h, seed + 3), b1: zeros(h),
      w2: glorot(h, PIXELS, seed + 4), b2: zeros(PIXELS),
    };
    this.#vars = [...Object.values(this.#enc), ...Object.values(this.#dec)];
  }

  /** Every trainable variable. */
  get variables(): tf.Variable[] {
    return this.#vars;
  }

  /** Input of a network: `x` alone, or `x` with the one-hot labels concatenated. */
  #withLabel(x: tf.Tensor2D, labels: tf.Tensor2D | null): tf.Tensor2D {
    if (!this.conditional) return x;
    if (!labels) throw new Error('a conditional model needs labels');
    return tf.concat([x, labels], 1);
  }

  /** The code's mean and log-variance for images [n, 784] in [0, 1]. */
  encode(x: tf.Tensor2D, labels: tf.Tensor2D | null): { mean: tf.Tensor2D; logVar: tf.Tensor2D } {
    return tf.tidy(() => {
      const e = this.#enc;
      const hidden = tf.fused.matMul({ a: this.#withLabel(x, labels), b: e.w1, bias: e.b1, activation: 'relu' });
      const stats = tf.fused.matMul({ a: hidden, b: e.w2, bias: e.b2 });
      const z = this.latentSize;
      return { mean: stats.slice([0, 0], [-1, z]) as tf.Tensor2D, logVar: stats.slice([0, z], [-1, z]) as tf.Tensor2D };
    });
  }

  /** Pixel logits [n, 784] for codes [n, latent]. */
  decodeLogits(z: tf.Tensor2D, labels: tf.Tensor2D | null): tf.Tensor2D {
    return tf.tidy(() => {
      const d = this.#dec;
      const hidden = tf.fused.matMul({ a: this.#withLabel(z, labels), b: d.w1, bias: d.b1, activation: 'relu' });
      return tf.fused.matMul({ a: hidden, b: d.w2, bias: d.b2 }) as tf.Tensor2D;
    });
  }

  exportDecoder(): tf.Sequential {
    const d = this.#dec;
    const inputs = this.latentSize + (this.conditional ? GEN_CLASSES : 0);
    const hidden = d.w1.shape[1]!;
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [inputs], units: hidden, activation: 'relu', name: 'decoder_hidden' }),
        tf.layers.dense({ units: PIXELS, activation: 'sigmoid', name: 'decoder_pixels' }),
      ],
    });
    // setWeights copies the values, so the export does not share the training variables.
    model.setWeights([d.w1, d.b1, d.w2, d.b2]);
    return model;
  }
}
