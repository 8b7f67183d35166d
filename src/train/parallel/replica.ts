/**
 * The peer's side of data-parallel training: a replica of the run's model that takes the leader's
 * weights and half a batch and returns that half's gradients (or, when evaluating, part of an
 * evaluation batch's class probabilities). Used by the peer worker, and
 * directly (in the same thread) by tests and by `LocalPeer`.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../../model/spec';
import { buildModel } from '../build-model';
import { flattenGradients, partGradients, PEER_STREAM, writeWeights } from './grad-step';
import type { PeerPredictRequest, PeerStepRequest, PeerStepResult } from './peer-protocol';
import { predictBatch } from '../evaluate';

/** A model replica that computes half-batch gradients. */
export class Replica {
  #model: tf.LayersModel | null = null;

  /** Builds the replica of a new run's stack (replacing the previous one). */
  prepare(layers: LayerSpec[], seed: number): void {
    this.dispose();
    this.#model = buildModel(layers, seed).model;
  }

  /** Loads the leader's weights and returns the gradients of the examples it was sent. */
  async step(request: PeerStepRequest): Promise<PeerStepResult> {
    const model = this.#model;
    if (!model) throw new Error('the gradient peer has no model yet');
    writeWeights(model, request.weights);
    const { n } = request;
    const x = tf.tensor4d(request.x.subarray(0, n * 784), [n, 28, 28, 1]);
    const y = tf.tensor2d(request.y.subarray(0, n * 10), [n, 10]);
    try {
      const part = partGradients(model, x, y, request.scale, request.step, PEER_STREAM);
      try {
        const grads = flattenGradients(part.grads);
        const [lossSum, correct] = [(await part.lossSum.data())[0]!, (await part.correct.data())[0]!];
        return { grads, lossSum, correct };
      } finally {
        tf.dispose([...part.grads, part.lossSum, part.correct]);
      }
    } finally {
      x.dispose();
      y.dispose();
    }
  }

  /** Class probabilities of the images it was sent, with the weights sent (or those sent last). */
  predict(request: PeerPredictRequest): Promise<Float32Array> {
    const model = this.#model;
    if (!model) throw new Error('the gradient peer has no model yet');
    if (request.weights) writeWeights(model, request.weights);
    return predictBatch(model, request.x, request.n);
  }

  dispose(): void {
    this.#model?.dispose();
    this.#model = null;
  }
}
