/**
 * A (conditional) VAE built from a spec's layer lists with the classifier's own per-kind builders
 * (`buildLayerStack` in train/build-model.ts): the encoder body, then the fixed head (flatten, the
 * one-hot label, a dense 2 x latent giving mean and log-variance in one matMul), and the decoder
 * body, whose 784 outputs are the pixel logits. Exactly the rows `analyzeGenerative` lists. The
 * networks are tf.Sequential models applied eagerly inside the custom loss (so the loop can join
 * two networks in one loss); on wasm the transposed convolutions train through this project's
 * Conv2DBackpropFilter kernel (src/train/kernels).
 */
import * as tf from '@tensorflow/tfjs';
import { analyzeGenerative, headInputSize } from '../../model/generative/analyze';
import { GEN_CLASSES, PIXELS, bodyInputShape, isConditional, type GenerativeSpec } from '../../model/generative/spec';
import { buildLayerStack } from '../build-model';
import { VaeBase } from './vae-model';
import { setDropoutStep } from '../step-dropout';

/** Seeds of the three stacks, apart so they do not share random streams. */
const SEEDS = { encoder: 1, head: 2, decoder: 3 } as const;

/** The VAE a valid spec describes. */
export class LayerVae extends VaeBase {
  readonly conditional: boolean;
  readonly latentSize: number;
  readonly #flatInput: boolean;
  readonly #encoder: tf.Sequential | null;
  readonly #head: tf.Sequential;
  readonly #decoder: tf.Sequential | null;
  readonly #spec: GenerativeSpec;
  readonly #vars: tf.Variable[];

  /** Builds the networks; throws with the first problem when the spec is not valid (the UI refuses those first). */
  constructor(spec: GenerativeSpec, seed: number) {
    super();
    const analysis = analyzeGenerative(spec);
    if (!analysis.valid) throw new Error(`This model cannot be built: ${analysis.errors[0]!.path}: ${analysis.errors[0]!.message}`);
    this.#spec = spec;
    this.conditional = isConditional(spec);
    this.latentSize = spec.latentSize;
    this.#flatInput = spec.encoderInput === 'flat';
    this.#encoder = buildLayerStack(spec.encoder, bodyInputShape(spec, 'encoder'), seed * 10 + SEEDS.encoder, 'e')?.model ?? null;
    // The head's input: the body's output flattened, plus the label when it joins at the bottleneck.
    const headInputs = headInputSize(analysis.encoder);
    const head = [{ kind: 'dense', units: 2 * spec.latentSize, activation: 'linear' } as const];
    this.#head = buildLayerStack(head, [headInputs], seed * 10 + SEEDS.head, 'stats')!.model;
    this.#decoder = buildLayerStack(spec.decoder, bodyInputShape(spec, 'decoder'), seed * 10 + SEEDS.decoder, 'd')?.model ?? null;
    // LayerVariable.read() is the tf.Variable itself, so the optimizer updates the layers' weights.
    this.#vars = this.#models().flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
  }

  #models(): tf.Sequential[] {
    return [this.#encoder, this.#head, this.#decoder].filter((m): m is tf.Sequential => m !== null);
  }

  /** Every trainable variable, in a fixed order. */
  get variables(): tf.Variable[] {
    return this.#vars;
  }

  /** Every parameter, batch-norm statistics included (the analysis's total). */
  override get paramCount(): number {
    return this.#models().reduce((s, m) => s + m.countParams(), 0);
  }

  #labels(labels: tf.Tensor2D | null): tf.Tensor2D {
    if (!labels) throw new Error('a conditional model needs labels');
    return labels;
  }

  /** Training-mode passes so far: each draws fresh dropout masks (tfjs's seeded Dropout would repeat one). */
  #trainingPasses = 0;

  #run(model: tf.Sequential | null, x: tf.Tensor): tf.Tensor {
    if (!model) return x;
    if (this.training) setDropoutStep(model, this.#trainingPasses++, 0);
    return model.apply(x, { training: this.training }) as tf.Tensor;
  }

  /** The code's mean and log-variance for images [n, 784] in [0, 1]. */
  encode(x: tf.Tensor2D, labels: tf.Tensor2D | null): { mean: tf.Tensor2D; logVar: tf.Tensor2D } {
    return tf.tidy(() => {
      const n = x.shape[0];
      const input = this.#flatInput
        ? (this.conditional ? tf.concat([x, this.#labels(labels)], 1) : x)
        : x.reshape([n, 28, 28, 1]);
      let features = this.#run(this.#encoder, input).reshape([n, -1]) as tf.Tensor2D;
      if (this.conditional && !this.#flatInput) features = tf.concat([features, this.#labels(labels)], 1);
      const stats = this.#run(this.#head, features);
      const z = this.latentSize;
      return { mean: stats.slice([0, 0], [-1, z]) as tf.Tensor2D, logVar: stats.slice([0, z], [-1, z]) as tf.Tensor2D };
    });
  }

  /** Pixel logits [n, 784] for codes [n, latent]. */
  decodeLogits(z: tf.Tensor2D, labels: tf.Tensor2D | null): tf.Tensor2D {
    return tf.tidy(() => {
      const input = this.conditional ? tf.concat([z, this.#labels(labels)], 1) : z;
      return this.#run(this.#decoder, input).reshape([z.shape[0], PIXELS]) as tf.Tensor2D;
    });
  }

  /** The decoder body with copies of its weights, then a sigmoid (pixel intensities). */
  exportDecoder(): tf.Sequential {
    const inputs = this.latentSize + (this.conditional ? GEN_CLASSES : 0);
    const built = buildLayerStack(this.#spec.decoder, [inputs], 0, 'decoder_');
    const model = built?.model ?? tf.sequential({ layers: [tf.layers.reshape({ inputShape: [inputs], targetShape: [inputs], name: 'decoder_input' })] });
    model.add(tf.layers.activation({ activation: 'sigmoid', name: 'decoder_pixels' }));
    // getWeights copies nothing; setWeights copies the values, so the export shares no variables.
    if (this.#decoder) model.setWeights(this.#decoder.getWeights());
    return model;
  }

  /** Frees every network (batch-norm statistics included). */
  override dispose(): void {
    for (const m of this.#models()) m.dispose();
  }
}
