/**
 * One Adam step on the wasm backend in a single pass over the weights, instead of tfjs's ~15
 * kernel calls per weight tensor (each with its own dispatch, allocation and pass over memory):
 * for the default CNN about 2-2.5 ms a step, a few per cent of a data-parallel step, all of it on
 * the critical path (the peer waits while the leader applies). The arithmetic is tfjs's
 * AdamOptimizer.applyGradients written out in float32 (Math.fround after every operation, in
 * its order), so the weights, moments and checkpoints come out the same as tfjs's; a unit test
 * compares the two bit for bit. It also adds the peer's flat gradients to the leader's in the
 * same pass (leader + peer, the order trainStep uses).
 *
 * The moments are updated in place in the wasm heap, so it only runs where nothing else shares
 * their memory (refCount 1); otherwise, or off wasm, or with another optimizer, it returns false
 * and the caller takes the tensor path. The weights are not: each gets a new tensor, as with
 * tfjs's assign, because the wasm backend keeps XNNPACK operators with packed copies of a
 * convolution's or matMul's weights keyed by tensor id, and a weight changed in place would
 * leave the next forward pass on the old packed values.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasm, f32Index, heapF32 } from '../kernels/wasm-backend';

/** The parts of tfjs's AdamOptimizer the fused step reads and updates (private in its typings). */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: tf.Variable } | undefined)[];
  incrementIterations(): void;
}

const f = Math.fround;

/**
 * Applies `local` (+ `peer`, flattened in the same order, if given) to the model's trainable
 * weights with `optimizer`. Returns false, having changed nothing, when it cannot run fused.
 * Does not dispose `local`.
 */
export function fusedAdamStep(model: tf.LayersModel, optimizer: tf.Optimizer, local: tf.Tensor[], peer: Float32Array | null): boolean {
  // By class name: tfjs optimizers answer `instanceof` by duck typing, so any optimizer is an AdamOptimizer.
  if (optimizer.getClassName() !== 'Adam' || tf.getBackend() !== 'wasm') return false;
  const adam = optimizer as unknown as AdamState;
  if (!Array.isArray(adam.accumulatedFirstMoment) || !Array.isArray(adam.accumulatedSecondMoment)) return false;
  const values = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (values.length !== local.length || local.some((g, i) => g.dtype !== 'float32' || g.size !== values[i]!.size)) return false;
  if (peer && peer.length !== values.reduce((s, v) => s + v.size, 0)) return false;
  // The moments are created on first use, as tfjs does (zeros, not trainable, named <weight>/m and /v).
  values.forEach((value, i) => {
    adam.accumulatedFirstMoment[i] ??= { originalName: `${value.name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    adam.accumulatedSecondMoment[i] ??= { originalName: `${value.name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
  });
  const moments = values.map((_, i) => [adam.accumulatedFirstMoment[i]!.variable, adam.accumulatedSecondMoment[i]!.variable] as const);
  const backend = tf.backend();
  const exclusive = (t: tf.Tensor) => backend.refCount(t.dataId) === 1;
  if (!moments.every(([m, v]) => exclusive(m) && exclusive(v))) return false;

  const wasm = asWasm(backend);
  const [accBeta1, accBeta2] = [adam.accBeta1.dataSync()[0]!, adam.accBeta2.dataSync()[0]!];
  // Each constant as tfjs turns it into a float32 scalar before the operation that uses it.
  const beta1 = f(adam.beta1);
  const beta2 = f(adam.beta2);
  const oneMinusBeta1 = f(1 - adam.beta1);
  const oneMinusBeta2 = f(1 - adam.beta2);
  const oneMinusAccBeta1 = f(1 - accBeta1);
  const oneMinusAccBeta2 = f(1 - accBeta2);
  const epsilon = f(adam.epsilon);
  const minusRate = f(-adam.learningRate);
  let flat = 0;
  values.forEach((value, i) => {
    // A fresh view per weight: creating the previous weight's tensor may have grown the heap.
    const heap = heapF32(wasm);
    const [m, v] = moments[i]!;
    const [at, mAt, vAt, gAt] = [f32Index(wasm, value), f32Index(wasm, m), f32Index(wasm, v), f32Index(wasm, local[i]!)];
    const next = new Float32Array(value.size);
    for (let j = 0; j < value.size; j++, flat++) {
      const g = peer ? f(heap[gAt + j]! + peer[flat]!) : heap[gAt + j]!;
      const m1 = f(f(heap[mAt + j]! * beta1) + f(g * oneMinusBeta1));
      const v1 = f(f(heap[vAt + j]! * beta2) + f(f(g * g) * oneMinusBeta2));
      const mHat = f(m1 / oneMinusAccBeta1);
      const vHat = f(v1 / oneMinusAccBeta2);
      heap[mAt + j] = m1;
      heap[vAt + j] = v1;
      next[j] = f(f(f(mHat / f(f(Math.sqrt(vHat)) + epsilon)) * minusRate) + heap[at + j]!);
    }
    const updated = tf.tensor(next, value.shape, 'float32');
    value.assign(updated);
    updated.dispose();
  });
  tf.tidy(() => {
    adam.accBeta1.assign(adam.accBeta1.mul(adam.beta1));
    adam.accBeta2.assign(adam.accBeta2.mul(adam.beta2));
  });
  adam.incrementIterations();
  return true;
}
