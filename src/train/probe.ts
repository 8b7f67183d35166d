/**
 * Looking inside a model: every spec layer's output for one input from one composite model
 * (`tf.model` with every layer's output, as tfjs-examples visualize-convnet does), the class
 * probabilities, a saliency map, and the conv kernels. Runs in the worker; every tensor is made
 * inside tf.tidy or disposed in a finally, so probes leave tf.memory().numTensors unchanged.
 *
 * Saliency is the gradient of the class's pre-softmax score (its logit) with respect to the input
 * pixels, as in Simonyan et al. (2014): the gradient of the probability (or its log) also moves
 * with every other class's score, which blurs what drives this one. The logit is reached by
 * applying the last Dense layer's kernel and bias without its softmax (or by reading the input of
 * a final softmax Activation layer); only if neither applies is log(probability) used.
 */
import * as tf from '@tensorflow/tfjs';
import type { LayerSpec } from '../model/spec';
import type { MnistSplit } from './mnist';
import type { FromWorker, ProbeInput, ProbeResult, TensorData, TestImage, ToWorker } from './protocol';
import { createRng } from './random';

const PIXELS = 784;
/** SmoothGrad: how many noisy copies of the input are averaged. */
export const SMOOTH_GRAD_SAMPLES = 16;
/** SmoothGrad: the noise's standard deviation, with pixels scaled 0-1 (15% of the range, as in the paper). */
export const SMOOTH_GRAD_SIGMA = 0.15;
// Fixed seed: the same input gives the same SmoothGrad map, so refreshes during training only
// change with the weights, not with the noise.
const SMOOTH_GRAD_SEED = 1234;

/** What probing one image gives, before the worker adds the request's bookkeeping. */
export type ProbeOutput = Pick<ProbeResult, 'probabilities' | 'activations' | 'saliency'>;

/** A model seen from inside: its composite model and how to reach its logits, built once per model. */
export class ModelInside {
  /** The trained model: the composite shares its layers and weights. */
  readonly model: tf.LayersModel;
  readonly layers: readonly LayerSpec[];
  // Never disposed on purpose: LayersModel.dispose() would dispose the shared layers' weights,
  // and the composite itself owns no tensors, so dropping the reference is all it needs.
  #composite: tf.LayersModel;

  constructor(model: tf.LayersModel, outputLayerNames: readonly string[], layers: readonly LayerSpec[]) {
    this.model = model;
    this.layers = layers;
    const outputs = outputLayerNames.map((name) => model.getLayer(name).output as tf.SymbolicTensor);
    this.#composite = tf.model({ inputs: model.inputs, outputs });
  }

  /** Every spec layer's output for images [n, 28, 28, 1] in inference mode; call inside tf.tidy. */
  outputs(x: tf.Tensor): tf.Tensor[] {
    const out = this.#composite.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
    return Array.isArray(out) ? out : [out];
  }

  /** The tfjs layer that holds spec layer `index`'s weights (named `s{i}_{kind}` by buildModel). */
  weightLayer(index: number): tf.layers.Layer {
    return this.model.getLayer(`s${index}_${this.layers[index]!.kind}`);
  }

  /** Pre-softmax class scores [n, 10] from the outputs of `outputs()`; call inside tf.tidy. */
  logits(outputs: tf.Tensor[]): tf.Tensor {
    const last = this.layers.length - 1;
    const spec = this.layers[last]!;
    const before = last > 0 ? outputs[last - 1]! : null;
    if (before?.rank === 2 && spec.kind === 'dense' && spec.activation === 'softmax') {
      const [kernel, bias] = this.weightLayer(last).weights.map((w) => w.read());
      const z = tf.matMul(before as tf.Tensor2D, kernel as tf.Tensor2D);
      return bias ? tf.add(z, bias) : z;
    }
    if (before?.rank === 2 && spec.kind === 'activation' && spec.activation === 'softmax') return before;
    return tf.log(tf.add(outputs[last]!, 1e-7));
  }

  /** Forwards one 28x28 image (grey levels 0-255) and computes its saliency map for a class. */
  async probe(pixels: Uint8Array, saliencyClass: number | null, smoothGrad: boolean): Promise<ProbeOutput> {
    const x = scalePixels(pixels);
    const outs = tf.tidy(() => this.outputs(tf.tensor4d(x, [1, 28, 28, 1])));
    const shapes = outs.map((t) => t.shape.slice(1));
    let values: Float32Array[];
    try {
      values = await readAll(outs);
    } finally {
      tf.dispose(outs);
    }
    const probabilities = Array.from(values[values.length - 1]!);
    const classIndex = saliencyClass ?? argMax(probabilities);
    const saliency = await this.#saliency(x, classIndex, smoothGrad);
    return {
      probabilities,
      activations: shapes.map((shape, i) => ({ shape, values: values[i]! })),
      saliency: { classIndex, values: saliency, smoothGrad },
    };
  }

  /** d logit[classIndex] / d pixels (28x28), averaged over noisy copies with SmoothGrad. */
  async #saliency(x: Float32Array, classIndex: number, smoothGrad: boolean): Promise<Float32Array> {
    const grad = tf.tidy(() => {
      const base = tf.tensor4d(x, [1, 28, 28, 1]);
      const batch = smoothGrad
        ? tf.add(base, tf.randomNormal([SMOOTH_GRAD_SAMPLES, 28, 28, 1], 0, SMOOTH_GRAD_SIGMA, 'float32', SMOOTH_GRAD_SEED))
        : base;
      // Examples are independent in inference mode, so the gradient of the summed scores is each copy's own gradient.
      const score = (input: tf.Tensor) => tf.sum(tf.slice(this.logits(this.outputs(input)), [0, classIndex], [-1, 1]));
      return tf.reshape(tf.mean(tf.grad(score)(batch), 0), [PIXELS]);
    });
    try {
      return (await readAll([grad]))[0]!;
    } finally {
      grad.dispose();
    }
  }

  /** Every conv2d spec layer's kernel, [k, k, in, out], copied out of the weights. */
  async filters(): Promise<{ index: number; kernel: TensorData }[]> {
    const indices = this.layers.flatMap((layer, i) => (layer.kind === 'conv2d' ? [i] : []));
    // Clones share the kernels' data, so an optimiser step during the read cannot free it.
    const kernels = tf.tidy(() => indices.map((i) => tf.clone(this.weightLayer(i).weights[0]!.read())));
    try {
      const values = await readAll(kernels);
      return indices.map((index, k) => ({ index, kernel: { shape: kernels[k]!.shape.slice(), values: values[k]! } }));
    } finally {
      tf.dispose(kernels);
    }
  }
}

/** The image a ProbeInput names: its pixels (a copy), true label and test index. */
export type ResolvedInput = Pick<ProbeResult, 'pixels' | 'label' | 'testIndex'>;

/** Finds the image a ProbeInput names in the test set, or returns a sentence saying why it cannot. */
export function resolveInput(input: ProbeInput, test: MnistSplit | null): ResolvedInput | string {
  if (input.source === 'pixels') {
    if (input.pixels.length !== PIXELS) return `A drawn digit must be 28x28 = ${PIXELS} pixels, not ${input.pixels.length}.`;
    return { pixels: input.pixels.slice(), label: null, testIndex: null };
  }
  if (!test) return 'The test images are not loaded yet.';
  const index = input.source === 'test' ? input.index : randomTestIndex(test, input.digit, input.seed);
  if (!Number.isInteger(index) || index < 0 || index >= test.count) {
    return input.source === 'test' ? `There is no test image ${index}: pick one from 0 to ${test.count - 1}.` : `There is no test image of a ${input.digit}.`;
  }
  return { pixels: test.images.slice(index * PIXELS, (index + 1) * PIXELS), label: test.labels[index]!, testIndex: index };
}

/** A seeded random test index, of one digit or any; -1 when there is none. */
function randomTestIndex(test: MnistSplit, digit: number | null, seed: number): number {
  const rng = createRng(seed);
  if (digit === null) return Math.floor(rng() * test.count);
  const matches: number[] = [];
  for (let i = 0; i < test.count; i++) if (test.labels[i] === digit) matches.push(i);
  return matches.length ? matches[Math.floor(rng() * matches.length)]! : -1;
}

/** Copies test images out (for galleries); indices out of range are skipped. */
export function testImages(test: MnistSplit, indices: readonly number[]): TestImage[] {
  return indices
    .filter((i) => Number.isInteger(i) && i >= 0 && i < test.count)
    .map((index) => ({ index, label: test.labels[index]!, pixels: test.images.slice(index * PIXELS, (index + 1) * PIXELS) }));
}

/** How the worker posts a message with its transfer list. */
export type Post = (message: FromWorker, transfer?: Transferable[]) => void;

/**
 * Answers a probe request with a 'probe' message (buffers transferred) or a 'probe-error' in plain
 * words: `notReady` when there is no model, or what went wrong.
 */
export async function answerProbe(
  request: Extract<ToWorker, { type: 'probe' }>, inside: ModelInside | null, test: MnistSplit | null, post: Post, notReady: string,
): Promise<void> {
  const { runId, requestId } = request;
  const fail = (message: string) => post({ type: 'probe-error', runId, requestId, message });
  if (!inside) return fail(notReady);
  const cls = request.saliencyClass;
  if (cls !== null && !(Number.isInteger(cls) && cls >= 0 && cls < 10)) return fail(`The saliency class must be a digit from 0 to 9, not ${cls}.`);
  try {
    const input = resolveInput(request.input, test);
    if (typeof input === 'string') return fail(input);
    const result: ProbeResult = { requestId, ...input, ...(await inside.probe(input.pixels, request.saliencyClass, request.smoothGrad)) };
    const arrays: ArrayBufferView[] = [result.pixels, ...result.activations.map((a) => a.values)];
    if (result.saliency) arrays.push(result.saliency.values);
    post({ type: 'probe', runId, result }, arrays.map((a) => a.buffer as ArrayBuffer));
  } catch (error) {
    // A run replaced mid-probe disposes its model; the answer then carries a stale run id and is dropped.
    fail(error instanceof Error && error.message ? error.message : 'Looking inside the model failed.');
  }
}

/** Answers a 'test-images' request; when the test set cannot be loaded the list is empty. */
export async function answerTestImages(request: Extract<ToWorker, { type: 'test-images' }>, loadTest: () => Promise<MnistSplit>, post: Post): Promise<void> {
  let images: TestImage[] = [];
  try {
    images = testImages(await loadTest(), request.indices);
  } catch {
    // A failed load is reported by the run that needs the data; a gallery simply stays empty.
  }
  post({ type: 'test-images', runId: request.runId, requestId: request.requestId, images }, images.map((i) => i.pixels.buffer as ArrayBuffer));
}

/** Grey levels 0-255 to the 0-1 floats the model trains on. */
export function scalePixels(pixels: Uint8Array): Float32Array {
  const x = new Float32Array(PIXELS);
  for (let p = 0; p < PIXELS; p++) x[p] = (pixels[p] ?? 0) / 255;
  return x;
}

/**
 * Reads tensors' values into fresh arrays the caller owns, so each can go in a transfer list:
 * the cpu backend hands out its own storage (a kernel clone's data is the live weight's), and
 * tensors sharing data would give the same array twice. The copy is small next to the read.
 */
export async function readAll(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  const raw = await Promise.all(tensors.map((t) => t.data()));
  return raw.map((v) => new Float32Array(v as Float32Array));
}

/** Index of the largest value. */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}
