/**
 * One training step of the leader, alone or with a gradient peer. With a peer the batch is cut in
 * two: the peer gets the leader's current weights and the second half, the leader computes the
 * first half's gradients meanwhile, and the two are summed (each half's loss is scaled by
 * 1 / whole batch, so the sum is the gradient of the whole batch's mean loss) and applied once
 * by the leader's optimizer. The peer's weights are overwritten at every step, so the replicas
 * cannot drift apart, and only the leader holds optimizer state.
 *
 * Batch norm sees each half's statistics ("ghost batch norm"), so a run with a peer is not
 * bit-identical to one without; it is deterministic for a given number of workers.
 *
 * If the peer fails, its half is computed here with the same arithmetic and the peer is dropped
 * for the rest of the run (`StepContext.peer` becomes null, `peerLost` says why).
 */
import * as tf from '@tensorflow/tfjs';
import type { GradientPeer } from './gradient-peer';
import { applyGradients, LEADER_STREAM, partGradients, PEER_STREAM, readWeights, unflattenGradients, type PartGradients } from './grad-step';
import type { PeerStepResult } from './peer-protocol';
import { fusedAdamStep } from './fused-adam';

/** The model being trained, its optimizer and its peer (null: train alone). */
export interface StepContext {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  peer: GradientPeer | null;
  /** Set when the peer failed during this run (the run goes on alone). */
  peerLost?: string;
}

/** The smallest batch worth splitting (each half must have at least one example). */
const MIN_SPLIT = 2;

/** Trains one step on the first `n` examples of the buffers; returns [mean loss, accuracy]. */
export async function trainStep(ctx: StepContext, xBuf: Float32Array, yBuf: Float32Array, n: number, step: number): Promise<[number, number]> {
  const { model } = ctx;
  const peer = n >= MIN_SPLIT ? ctx.peer : null;
  const nLocal = peer ? Math.ceil(n / 2) : n;
  const scale = 1 / n;
  // Settled into a value so a failure cannot surface as an unhandled rejection while we compute.
  const remote: Promise<PeerStepResult | Error> | null = peer
    ? peer
        .step({ weights: readWeights(model), x: xBuf.slice(nLocal * 784, n * 784), y: yBuf.slice(nLocal * 10, n * 10), n: n - nLocal, scale, step })
        .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))
    : null;
  const parts: PartGradients[] = [];
  let grads: tf.Tensor[] = [];
  try {
    parts.push(halfGradients(model, xBuf, yBuf, 0, nLocal, scale, step, LEADER_STREAM));
    grads = parts[0]!.grads;
    let lossSum = (await parts[0]!.lossSum.data())[0]!;
    let correct = (await parts[0]!.correct.data())[0]!;
    /** The peer's gradients, flat, while they are not yet added to `grads`. */
    let peerGrads: Float32Array | null = null;
    if (remote) {
      const result = await remote;
      if (result instanceof Error) {
        ctx.peerLost = result.message;
        ctx.peer = null;
        const local = halfGradients(model, xBuf, yBuf, nLocal, n, scale, step, PEER_STREAM);
        parts.push(local);
        lossSum += (await local.lossSum.data())[0]!;
        correct += (await local.correct.data())[0]!;
        const first = grads;
        grads = tf.tidy(() => first.map((g, i) => g.add(local.grads[i]!)));
      } else {
        peerGrads = result.grads;
        lossSum += result.lossSum;
        correct += result.correct;
      }
    }
    // Adam on wasm adds the peer's gradients and updates the weights in one pass (fused-adam.ts);
    // otherwise they become tensors, are added, and the optimizer applies the sum.
    if (!fusedAdamStep(model, ctx.optimizer, grads, peerGrads)) {
      if (peerGrads) {
        const other = unflattenGradients(model, peerGrads);
        const first = grads;
        grads = tf.tidy(() => first.map((g, i) => g.add(other[i]!)));
        tf.dispose(other);
      }
      applyGradients(model, ctx.optimizer, grads);
    }
    return [lossSum / n, correct / n];
  } finally {
    // Disposing what applyGradients or a part already disposed is a no-op.
    tf.dispose(grads);
    for (const part of parts) tf.dispose([...part.grads, part.lossSum, part.correct]);
  }
}

/** Gradients of examples [from, to) of the buffers. */
function halfGradients(model: tf.LayersModel, xBuf: Float32Array, yBuf: Float32Array, from: number, to: number, scale: number, step: number, stream: number): PartGradients {
  const count = to - from;
  const x = tf.tensor4d(xBuf.subarray(from * 784, to * 784), [count, 28, 28, 1]);
  const y = tf.tensor2d(yBuf.subarray(from * 10, to * 10), [count, 10]);
  try {
    return partGradients(model, x, y, scale, step, stream);
  } finally {
    x.dispose();
    y.dispose();
  }
}
