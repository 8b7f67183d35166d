/**
 * One throwaway training step of the page's current stack, taken while the page is idle before
 * the first Train (the 'prepare' message). The first steps of a run otherwise parse, compile and
 * optimise the model-building, layer and kernel code in both workers while the page draws its
 * answer to the click, and those compiler threads compete with the page for the cores.
 * The step's model, optimizer and tensors are thrown away; the real run builds its own.
 */
import type { NetworkSpec } from '../model/spec';
import type { Mnist } from './mnist';
import type { GradientPeer } from './parallel/gradient-peer';
import { trainStep } from './parallel/train-step';
import { fillBatch } from './split';
import { buildRun, disposeRun, newRun } from './trainer-run';

/** Examples in the warm-up step: enough for both workers to take a half; cheap for any stack. */
export const WARM_UP_EXAMPLES = 16;

/**
 * Builds the spec's model and trains it one step on the first training images, with the peer's
 * half when there is a peer (a peer that fails here is left for the real run to find out). A
 * peer whose steps can go two ways (`GradientPeer.routes`) gets a step each way. Otherwise the
 * leader's own replica first ran in the first second of the first run, where the page asks for
 * a core after the click (core-ask.ts), and the page's long tasks rose: 7 in 10 runs of
 * scripts/bench-longtasks.mjs, against 3 in 18 with both ways warmed (README, session 10).
 */
export async function warmUpStep(spec: NetworkSpec, data: Mnist, peer: GradientPeer | null): Promise<void> {
  const run = newRun(0, spec);
  run.data = data;
  try {
    buildRun(run);
    let helper = peer;
    if (helper) await helper.prepare(spec.layers, spec.training.seed).catch(() => (helper = null));
    const n = Math.min(spec.training.batchSize, WARM_UP_EXAMPLES, data.train.count);
    const x = new Float32Array(n * 784);
    const y = new Float32Array(n * 10);
    fillBatch(data.train.images, data.train.labels, Uint32Array.from({ length: n }, (_, i) => i), 0, n, x, y);
    for (const route of helper?.routes?.() ?? [helper]) await trainStep({ model: run.model!, optimizer: run.optimizer!, peer: route }, x, y, n, 0);
  } finally {
    disposeRun(run);
  }
}
