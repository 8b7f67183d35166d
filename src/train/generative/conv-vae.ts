/**
 * The convolutional (conditional) VAE, as plain tf.variables: the encoder runs the image through
 * two 3x3 stride-2 convolutions (28 -> 14 -> 7), flattens, joins the one-hot label and maps to the
 * code's mean and log-variance; the decoder maps code (+ label) to a 7x7 feature map and upsamples
 * it with two stride-2 transposed convolutions, then a stride-1 one to 28x28 pixel logits. Exactly
 * the layers `analyzeGenerative` lists for `architecture: "conv"`. On wasm the transposed
 * convolutions train through this project's Conv2DBackpropFilter kernel (their filter gradient).
 */
import * as tf from '@tensorflow/tfjs';
import { GEN_CLASSES, PIXELS, isConditional, type GenerativeSpec } from '../../model/generative/spec';
import { VaeBase } from './vae-model';

/** Glorot-uniform weights of any shape with the given fan-in and fan-out, seeded. */
function glorot(shape: number[], fanIn: number, fanOut: number, seed: number): tf.Variable {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.variable(tf.randomUniform(shape, -limit, limit, 'float32', seed), true);
}
const zeros = (n: number) => tf.variable(tf.zeros([n]), true);
/** A 3x3 filter [3, 3, in, out] for a convolution; a transposed convolution takes [3, 3, out, in]. */
const filter = (inC: number, outC: number, seed: number) => glorot([3, 3, inC, outC], 9 * inC, 9 * outC, seed);

/** The convolutional family of VAE. */
export class ConvVae extends VaeBase {
  readonly conditional: boolean;
  readonly latentSize: number;
  readonly #f: number;
  readonly #v: Record<string, tf.Variable>;

  constructor(spec: Pick<GenerativeSpec, 'kind' | 'latentSize' | 'hiddenSize'>, seed: number) {
    super();
    this.conditional = isConditional(spec);
    this.latentSize = spec.latentSize;
    const f = (this.#f = spec.hiddenSize);
    const label = this.conditional ? GEN_CLASSES : 0;
    const z = spec.latentSize;
    const flat = 7 * 7 * 2 * f;
    this.#v = {
      k1: filter(1, f, seed + 1), b1: zeros(f),
      k2: filter(f, 2 * f, seed + 2), b2: zeros(2 * f),
      wS: glorot([flat + label, 2 * z], flat + label, 2 * z, seed + 3), bS: zeros(2 * z),
      wD: glorot([z + label, 49 * f], z + label, 49 * f, seed + 4), bD: zeros(49 * f),
      // Transposed-convolution filters are [k, k, outChannels, inChannels].
      t1: filter(2 * f, f, seed + 5), bt1: zeros(2 * f),
      t2: filter(f, 2 * f, seed + 6), bt2: zeros(f),
      t3: filter(1, f, seed + 7), bt3: zeros(1),
    };
  }

  get variables(): tf.Variable[] {
    return Object.values(this.#v);
  }

  #join(x: tf.Tensor2D, labels: tf.Tensor2D | null): tf.Tensor2D {
    if (!this.conditional) return x;
    if (!labels) throw new Error('a conditional model needs labels');
    return tf.concat([x, labels], 1);
  }

  encode(x: tf.Tensor2D, labels: tf.Tensor2D | null): { mean: tf.Tensor2D; logVar: tf.Tensor2D } {
    return tf.tidy(() => {
      const v = this.#v;
      const n = x.shape[0];
      const image = x.reshape([n, 28, 28, 1]) as tf.Tensor4D;
      const h1 = tf.relu(tf.conv2d(image, v.k1 as tf.Tensor4D, 2, 'same').add(v.b1)) as tf.Tensor4D;
      const h2 = tf.relu(tf.conv2d(h1, v.k2 as tf.Tensor4D, 2, 'same').add(v.b2));
      const stats = tf.matMul(this.#join(h2.reshape([n, -1]) as tf.Tensor2D, labels), v.wS).add(v.bS);
      const z = this.latentSize;
      return { mean: stats.slice([0, 0], [-1, z]) as tf.Tensor2D, logVar: stats.slice([0, z], [-1, z]) as tf.Tensor2D };
    });
  }

  decodeLogits(z: tf.Tensor2D, labels: tf.Tensor2D | null): tf.Tensor2D {
    return tf.tidy(() => {
      const v = this.#v;
      const n = z.shape[0];
      const f = this.#f;
      const seed = tf.relu(tf.matMul(this.#join(z, labels), v.wD).add(v.bD)).reshape([n, 7, 7, f]) as tf.Tensor4D;
      const u1 = tf.relu(tf.conv2dTranspose(seed, v.t1 as tf.Tensor4D, [n, 14, 14, 2 * f], 2, 'same').add(v.bt1)) as tf.Tensor4D;
      const u2 = tf.relu(tf.conv2dTranspose(u1, v.t2 as tf.Tensor4D, [n, 28, 28, f], 2, 'same').add(v.bt2)) as tf.Tensor4D;
      const logits = tf.conv2dTranspose(u2, v.t3 as tf.Tensor4D, [n, 28, 28, 1], 1, 'same').add(v.bt3);
      return logits.reshape([n, PIXELS]) as tf.Tensor2D;
    });
  }

  exportDecoder(): tf.Sequential {
    const v = this.#v;
    const f = this.#f;
    const conv = (filters: number, strides: number, activation: 'relu' | 'sigmoid', name: string) =>
      tf.layers.conv2dTranspose({ filters, kernelSize: 3, strides, padding: 'same', activation, name });
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [this.latentSize + (this.conditional ? GEN_CLASSES : 0)], units: 49 * f, activation: 'relu', name: 'decoder_hidden' }),
        tf.layers.reshape({ targetShape: [7, 7, f], name: 'decoder_reshape' }),
        conv(2 * f, 2, 'relu', 'decoder_up1'),
        conv(f, 2, 'relu', 'decoder_up2'),
        conv(1, 1, 'sigmoid', 'decoder_pixels'),
      ],
    });
    model.setWeights([v.wD, v.bD, v.t1, v.bt1, v.t2, v.bt2, v.t3, v.bt3]);
    return model;
  }
}
