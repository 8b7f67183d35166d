/**
 * A conditional DCGAN built from a GanSpec's layer lists with the classifier's per-kind builders
 * (`buildLayerStack`): the generator maps noise + one-hot label to 784 pixel values (a tanh output
 * is rescaled from [-1, 1] to [0, 1]); the discriminator maps an image, through its body, a
 * flatten and the label, to one real/fake logit. Exactly the rows `analyzeGan` lists. The
 * training step (not wired yet) calls these inside its own losses, as the VAE's does.
 */
import * as tf from '@tensorflow/tfjs';
import { analyzeGan, generatorUsesTanh, type GanSpec } from '../../model/generative/gan-spec';
import { GEN_CLASSES, PIXELS } from '../../model/generative/spec';
import { buildLayerStack } from '../build-model';
import type { TrainableGan } from './gan-step';
import { setDropoutStep } from '../step-dropout';

/** A GAN as gan-step.ts trains it, plus what the app takes away from it. */
export interface Gan extends TrainableGan {
  /** The generator alone (noise + one-hot label in, pixels in [0, 1] out), with copies of its weights. */
  exportGenerator(): tf.LayersModel;
  dispose(): void;
}

const trainable = (models: tf.Sequential[]): tf.Variable[] => models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));

class LayerGan implements Gan {
  readonly conditional = true;
  readonly latentSize: number;
  readonly generatorVariables: tf.Variable[];
  readonly discriminatorVariables: tf.Variable[];
  readonly #spec: GanSpec;
  readonly #tanh: boolean;
  readonly #generator: tf.Sequential;
  readonly #critic: tf.Sequential | null;
  readonly #head: tf.Sequential;

  constructor(spec: GanSpec, seed: number) {
    const analysis = analyzeGan(spec);
    if (!analysis.valid) throw new Error(`This GAN cannot be built: ${analysis.errors[0]!.path}: ${analysis.errors[0]!.message}`);
    this.#spec = spec;
    this.latentSize = spec.latentSize;
    this.#tanh = generatorUsesTanh(spec);
    // A valid generator has at least one layer: its input (latent + 10) can never hold 784 values.
    this.#generator = buildLayerStack(spec.generator, [spec.latentSize + GEN_CLASSES], seed * 10 + 1, 'g')!.model;
    this.#critic = buildLayerStack(spec.discriminator, [28, 28, 1], seed * 10 + 2, 'c')?.model ?? null;
    const headInputs = analysis.discriminator.head.at(-1)!.params - 1;
    this.#head = buildLayerStack([{ kind: 'dense', units: 1, activation: 'linear' }], [headInputs], seed * 10 + 3, 'logit')!.model;
    this.generatorVariables = trainable([this.#generator]);
    this.discriminatorVariables = trainable([this.#critic, this.#head].filter((m): m is tf.Sequential => m !== null));
  }

  #labels(labels: tf.Tensor2D | null): tf.Tensor2D {
    if (!labels) throw new Error('a conditional GAN needs labels');
    return labels;
  }

  /** Training-mode passes so far: each draws fresh dropout masks (tfjs's seeded Dropout would repeat one). */
  #trainingPasses = 0;

  #reseed(model: tf.Sequential | null, training: boolean): void {
    if (training && model) setDropoutStep(model, this.#trainingPasses++, 0);
  }

  generate(z: tf.Tensor2D, labels: tf.Tensor2D | null, training: boolean): tf.Tensor2D {
    this.#reseed(this.#generator, training);
    return tf.tidy(() => {
      const out = (this.#generator.apply(tf.concat([z, this.#labels(labels)], 1), { training }) as tf.Tensor).reshape([z.shape[0], PIXELS]);
      return (this.#tanh ? out.add(1).mul(0.5) : out) as tf.Tensor2D;
    });
  }

  discriminate(x: tf.Tensor2D, labels: tf.Tensor2D | null, training: boolean): tf.Tensor2D {
    this.#reseed(this.#critic, training);
    this.#reseed(this.#head, training);
    return tf.tidy(() => {
      const n = x.shape[0];
      const image = x.reshape([n, 28, 28, 1]);
      const features = (this.#critic ? (this.#critic.apply(image, { training }) as tf.Tensor) : image).reshape([n, -1]);
      return this.#head.apply(tf.concat([features, this.#labels(labels)], 1), { training }) as tf.Tensor2D;
    });
  }

  /** The generator with copies of its weights; input noise + one-hot label, output pixel values in [0, 1]. */
  exportGenerator(): tf.LayersModel {
    const model = buildLayerStack(this.#spec.generator, [this.latentSize + GEN_CLASSES], 0, 'generator_')!.model;
    if (this.#tanh) model.add(tf.layers.rescaling({ scale: 0.5, offset: 0.5, name: 'generator_pixels' }));
    model.setWeights(this.#generator.getWeights());
    return model;
  }

  dispose(): void {
    for (const m of [this.#generator, this.#critic, this.#head]) m?.dispose();
  }
}

/** A fresh, seeded conditional GAN for `spec`; throws with a plain sentence when a network is not valid. */
export function createGan(spec: GanSpec, seed: number): Gan {
  return new LayerGan(spec, seed);
}
