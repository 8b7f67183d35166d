/**
 * Takes a model's weights and its optimizer's state out of tfjs as plain typed arrays (to post to
 * the page and keep in IndexedDB), and puts them back. Putting them back is exact: the same
 * values, the same optimizer step counter and, for Adam, the same running beta powers, so a
 * continued run computes the same numbers as one that never stopped.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelCheckpoint, NamedArray, TrainPosition } from '../protocol';

/** Reads one tensor into a NamedArray (a copy the caller owns). */
async function toNamed(name: string, tensor: tf.Tensor): Promise<NamedArray> {
  const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
  const data = await tensor.data();
  const values = dtype === 'int32' ? Int32Array.from(data as Int32Array) : Float32Array.from(data as Float32Array);
  return { name, shape: tensor.shape.slice(), dtype, values };
}

/**
 * Adam keeps beta1^t and beta2^t as variables updated by multiplication each step, while its
 * setWeights recomputes them with pow(), which can differ in the last bit; we carry the real ones.
 */
interface AdamInternals {
  accBeta1?: tf.Variable;
  accBeta2?: tf.Variable;
}

/** Captures weights, optimizer state and position; the arrays are fresh copies (transferable). */
export async function captureCheckpoint(model: tf.LayersModel, optimizer: tf.Optimizer, position: TrainPosition): Promise<ModelCheckpoint> {
  const weights = await Promise.all(model.weights.map((w) => toNamed(w.originalName, w.read())));
  const slots = await optimizer.getWeights();
  // The first entry (the step counter) is a fresh scalar; the rest are the optimizer's own variables.
  const optimizerState = await Promise.all(slots.map((s) => toNamed(s.name, s.tensor)));
  slots[0]?.tensor.dispose();
  const extra: Record<string, number> = {};
  const adam = optimizer as unknown as AdamInternals;
  if (adam.accBeta1 && adam.accBeta2) {
    extra.accBeta1 = (await adam.accBeta1.data())[0]!;
    extra.accBeta2 = (await adam.accBeta2.data())[0]!;
  }
  return { weights, optimizer: optimizerState, optimizerExtra: extra, position: { ...position } };
}

/** The buffers of a checkpoint, for a postMessage transfer list. */
export function checkpointBuffers(checkpoint: ModelCheckpoint): ArrayBuffer[] {
  return [...checkpoint.weights, ...checkpoint.optimizer].map((a) => a.values.buffer as ArrayBuffer);
}

/** Says what does not fit, or null when every stored weight matches the model's shape. */
export function checkpointMismatch(model: tf.LayersModel, checkpoint: ModelCheckpoint): string | null {
  const weights = model.weights;
  checkpoint = inModelOrder(model, checkpoint);
  if (checkpoint.weights.length !== weights.length) {
    return `the stored model has ${checkpoint.weights.length} weight tensors, this network has ${weights.length}`;
  }
  for (let i = 0; i < weights.length; i++) {
    const stored = checkpoint.weights[i]!;
    const expected = weights[i]!.shape;
    const size = expected.reduce<number>((a, b) => a * Number(b), 1);
    if (stored.shape.join('x') !== expected.join('x') || stored.values.length !== size) {
      return `weight ${i + 1} (${weights[i]!.originalName}) is stored as ${stored.shape.join('×') || 'a scalar'} with ${stored.values.length} values; the network needs ${expected.join('×')}`;
    }
  }
  return null;
}

/**
 * The checkpoint's weights in the model's order when every model weight is found by name (so
 * two weights of one shape, e.g. batch norm's gamma and beta, cannot swap); else as stored.
 */
function inModelOrder(model: tf.LayersModel, checkpoint: ModelCheckpoint): ModelCheckpoint {
  const byName = new Map(checkpoint.weights.map((w) => [w.name, w]));
  const ordered = model.weights.map((w) => byName.get(w.originalName));
  if (ordered.some((w) => w === undefined) || ordered.length !== checkpoint.weights.length) return checkpoint;
  return { ...checkpoint, weights: ordered as NamedArray[] };
}

/**
 * Loads a checkpoint into a compiled model and its optimizer; throws with a plain message when
 * the shapes do not match. Leaves no tensors behind beyond the optimizer's own variables.
 */
export async function applyCheckpoint(model: tf.LayersModel, optimizer: tf.Optimizer, checkpoint: ModelCheckpoint): Promise<void> {
  const mismatch = checkpointMismatch(model, checkpoint);
  if (mismatch) throw new Error(`The stored model does not fit this network: ${mismatch}.`);
  checkpoint = inModelOrder(model, checkpoint);
  const weights = checkpoint.weights.map((w) => tf.tensor(w.values, w.shape, w.dtype));
  model.setWeights(weights);
  tf.dispose(weights);
  if (checkpoint.optimizer.length > 0) {
    const named = checkpoint.optimizer.map((s) => ({ name: s.name, tensor: tf.tensor(s.values, s.shape, s.dtype) }));
    // setWeights turns each tensor into a variable sharing its data, so our handles can go.
    await optimizer.setWeights(named);
    tf.dispose(named.map((n) => n.tensor));
  }
  const adam = optimizer as unknown as AdamInternals;
  const { accBeta1, accBeta2 } = checkpoint.optimizerExtra;
  if (adam.accBeta1 && adam.accBeta2 && accBeta1 !== undefined && accBeta2 !== undefined) {
    tf.tidy(() => {
      adam.accBeta1!.assign(tf.scalar(accBeta1));
      adam.accBeta2!.assign(tf.scalar(accBeta2));
    });
  }
}
