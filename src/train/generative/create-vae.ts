/** Builds the VAE a spec describes, from its layer lists (see layer-vae.ts). */
import type { GenerativeSpec } from '../../model/generative/spec';
import { LayerVae } from './layer-vae';
import type { Vae } from './vae-model';

/** A fresh, seeded VAE for `spec`; throws with a plain sentence when the spec's networks are not valid. */
export function createVae(spec: GenerativeSpec, seed: number): Vae {
  return new LayerVae(spec, seed);
}
