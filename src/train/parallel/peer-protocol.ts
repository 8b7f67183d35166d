/**
 * Messages between the training worker (the leader) and its gradient peer, a second worker that
 * holds a replica of the model and computes the gradient of half of each batch.
 */
import type { LayerSpec } from '../../model/spec';

/** Leader -> peer. */
export type ToPeer =
  /** Build a replica of this stack (a new run); the weights arrive with every step. */
  | { type: 'prepare'; id: number; layers: LayerSpec[]; seed: number }
  | ({ type: 'step'; id: number } & PeerStepRequest)
  | ({ type: 'predict'; id: number } & PeerPredictRequest)
  /** The page's busy flag (ui-busy.ts), passed on by the leader. */
  | { type: 'ui-signal'; id: number; buffer: SharedArrayBuffer };

/** Part of an evaluation batch for the peer: class probabilities of `n` images. */
export interface PeerPredictRequest {
  /** The weights to predict with (flattened as `readWeights` does), or null: the ones sent last. */
  weights: Float32Array | null;
  /** n x 784 pixels in [0, 1]. */
  x: Float32Array;
  n: number;
}

/** One half-batch for the peer: the leader's current weights and the examples. */
export interface PeerStepRequest {
  /** Every weight of the model, as `readWeights` flattens them. */
  weights: Float32Array;
  /** n x 784 pixels and n x 10 one-hot labels. */
  x: Float32Array;
  y: Float32Array;
  n: number;
  /** 1 / (size of the whole batch): the peer's loss is its sum times this. */
  scale: number;
  /** Global step (dropout masks). */
  step: number;
}

/** The peer's half of a step. */
export interface PeerStepResult {
  /** Gradients of the trainable weights, flattened in `model.trainableWeights` order. */
  grads: Float32Array;
  lossSum: number;
  correct: number;
}

/** Peer -> leader. */
export type FromPeer =
  | { type: 'ready'; id: number }
  | { type: 'result'; id: number; result: PeerStepResult }
  /** n x 10 class probabilities, for a 'predict'. */
  | { type: 'probabilities'; id: number; probabilities: Float32Array }
  | { type: 'error'; id: number; message: string };
