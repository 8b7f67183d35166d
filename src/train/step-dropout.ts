/**
 * Fresh dropout masks at every step, reproducibly. tfjs's Dropout layer draws its mask with
 * `randomUniform(shape, 0, 1, 'float32', seed)`, which restarts the generator from the seed on
 * every call: with a fixed seed the mask was the same at every step (measured: two calls gave
 * identical masks), which turns dropout into a fixed thinner network. Before each training step
 * the trainer re-seeds every Dropout layer from its build seed, the global step and the replica's
 * stream (the two data-parallel workers must not share masks), so masks differ from step to step
 * and a continued run draws the masks an uninterrupted one would have.
 */
import type * as tf from '@tensorflow/tfjs';
import { mixSeed } from './random';

/** Each Dropout layer's seed as built (the layer's own field is overwritten every step). */
const buildSeeds = new WeakMap<object, number>();

/** Seeds every Dropout layer of `model` for training step `step` of replica `stream`. */
export function setDropoutStep(model: tf.LayersModel, step: number, stream: number): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Dropout') continue;
    const seeded = layer as unknown as { seed?: number };
    if (!buildSeeds.has(layer)) buildSeeds.set(layer, seeded.seed ?? 0);
    seeded.seed = mixSeed(mixSeed(buildSeeds.get(layer)!, step), stream);
  }
}
