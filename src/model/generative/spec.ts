/**
 * Generative model specs (issue 7): plain, versioned JSON for a (conditional) variational
 * autoencoder of MNIST digits. Pure types and constants: no tfjs, Lit, zustand or DOM.
 *
 * Version 2 holds each network's *body* as a list of the same `LayerSpec`s the classifier uses,
 * so both are edited in the same layer editor and walked through the same per-kind table. The
 * parts every VAE needs are fixed and added by the app around the bodies:
 * - encoder: input (28x28x1 image, or the flat 784 pixels with the one-hot label appended) ->
 *   body -> flatten (if the body ends in an image) -> one-hot label (conditional, image input) ->
 *   dense 2 x latent (mean and log-variance);
 * - decoder: latent code (+ one-hot label) -> body, which must end with exactly 784 values ->
 *   the 784 pixel logits.
 * Version 1 (an `architecture` and a `hiddenSize`) still parses and is converted (see migrate.ts).
 */
import type { LayerSpec } from '../spec';

/** Format version written into every generative preset. */
export const GEN_SPEC_VERSION = 2;

/** Pixels of one MNIST image (28 x 28 x 1). */
export const PIXELS = 784;
/** Digit classes: the length of the one-hot label a conditional model sees. */
export const GEN_CLASSES = 10;

/** Model families: conditional VAE (the label joins both networks) or plain VAE. */
export const GEN_KINDS = ['cvae', 'vae'] as const;
/** A model family name. */
export type GenerativeKind = (typeof GEN_KINDS)[number];

/**
 * What the encoder's body sees: `image`, the 28x28x1 image (the label, if any, joins after the
 * body, at the bottleneck), or `flat`, the 784 pixels as a flat list with the one-hot label
 * appended (a dense encoder that sees the label from its first layer).
 */
export const ENCODER_INPUTS = ['image', 'flat'] as const;
/** An encoder input form. */
export type EncoderInput = (typeof ENCODER_INPUTS)[number];

/** The two networks of a VAE, as the editor and the error paths name them. */
export const GEN_NETWORKS = ['encoder', 'decoder'] as const;
/** A network name. */
export type GenNetwork = (typeof GEN_NETWORKS)[number];

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
  /** Dimensions of the latent code z; 2 gives a map of the latent plane. */
  latentSize: number;
  encoderInput: EncoderInput;
  /** The encoder's body: image (or flat pixels) in, features out; the mean/log-variance head is fixed. */
  encoder: LayerSpec[];
  /** The decoder's body: code (+ label) in, exactly 784 values out (the pixel logits). */
  decoder: LayerSpec[];
  training: GenTrainingSettings;
}

/** One problem found in a generative spec: where it is and a sentence saying how to fix it. */
export interface GenSpecError {
  path: string;
  message: string;
}

/** The result of parsing untrusted input. */
export type GenParseResult = { ok: true; spec: GenerativeSpec } | { ok: false; errors: GenSpecError[] };

/** Whether the spec's networks take the one-hot label as an extra input (a conditional VAE or a conditional GAN). */
export function isConditional(spec: { readonly kind: GenerativeKind | 'cgan' }): boolean {
  return spec.kind === 'cvae' || spec.kind === 'cgan';
}

/** Input shape of a network's body (without the batch axis). */
export function bodyInputShape(spec: Pick<GenerativeSpec, 'kind' | 'latentSize' | 'encoderInput'>, network: GenNetwork): number[] {
  // (Only VAE kinds reach here: a GAN's inputs are set in gan-spec.ts.)
  const label = isConditional(spec) ? GEN_CLASSES : 0;
  if (network === 'decoder') return [spec.latentSize + label];
  return spec.encoderInput === 'flat' ? [PIXELS + label] : [28, 28, 1];
}
