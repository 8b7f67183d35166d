/** Builds the VAE a spec describes: dense or convolutional (kept apart so neither imports the other). */
import type { GenerativeSpec } from '../../model/generative/spec';
import { ConvVae } from './conv-vae';
import { DenseVae, type Vae } from './vae-model';

/** A fresh, seeded VAE for `spec`. */
export function createVae(spec: Pick<GenerativeSpec, 'kind' | 'latentSize' | 'hiddenSize' | 'architecture'>, seed: number): Vae {
  return spec.architecture === 'conv' ? new ConvVae(spec, seed) : new DenseVae(spec, seed);
}
