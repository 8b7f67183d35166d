/**
 * Generative model specs (issue 7): plain, versioned JSON for a (conditional) variational
 * autoencoder of MNIST digits. Pure types and constants: no tfjs, Lit, zustand or DOM.
 *
 * Both networks are dense stacks derived from a few numbers (latent size, hidden size) rather
 * than free layer lists: the encoder must end in a mean and a log-variance of the latent size,
 * and the decoder must end in 784 logits, so only the sizes are the person's to choose.
 */

/** Format version written into every generative preset. */
export const GEN_SPEC_VERSION = 1;

/** Pixels of one MNIST image (28 x 28 x 1). */
export const PIXELS = 784;
/** Digit classes: the length of the one-hot label a conditional model sees. */
export const GEN_CLASSES = 10;

/** Model families: conditional VAE (label concatenated to both networks' inputs) or plain VAE. */
export const GEN_KINDS = ['cvae', 'vae'] as const;
/** A model family name. */
export type GenerativeKind = (typeof GEN_KINDS)[number];

/**
 * Network families: `dense` (one hidden ReLU layer each way) or `conv` (two stride-2 convolutions
 * down, a dense bottleneck, and three transposed convolutions back up to 28x28).
 */
export const GEN_ARCHITECTURES = ['dense', 'conv'] as const;
/** A network family name. */
export type GenArchitecture = (typeof GEN_ARCHITECTURES)[number];

/** Largest first-convolution width of the conv family (the second has twice as many filters). */
export const MAX_CONV_FILTERS = 64;

/** Training settings of a generative run (Adam, constant rate: the VAE loss needs no schedule). */
export interface GenTrainingSettings {
  learningRate: number;
  batchSize: number;
  epochs: number;
  /** Seed for initialisation, shuffling, the fixed grid noise and the reparameterisation noise. */
  seed: number;
}

/** A whole generative model document: what presets and the Generations store hold. */
export interface GenerativeSpec {
  version: typeof GEN_SPEC_VERSION;
  name: string;
  description: string;
  kind: GenerativeKind;
  architecture: GenArchitecture;
  /** Dimensions of the latent code z; 2 gives a map of the latent plane. */
  latentSize: number;
  /** dense: units of the one hidden ReLU layer in each network; conv: filters of the first convolution (the second has twice as many). */
  hiddenSize: number;
  training: GenTrainingSettings;
}

/** One problem found in a generative spec: where it is and a sentence saying how to fix it. */
export interface GenSpecError {
  path: string;
  message: string;
}

/** The result of parsing untrusted input. */
export type GenParseResult = { ok: true; spec: GenerativeSpec } | { ok: false; errors: GenSpecError[] };

/** Whether the spec's networks take the one-hot label as an extra input. */
export function isConditional(spec: Pick<GenerativeSpec, 'kind'>): boolean {
  return spec.kind === 'cvae';
}
