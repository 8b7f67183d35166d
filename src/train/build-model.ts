/**
 * Turns a validated layer stack into an uncompiled tfjs Sequential model. One builder per layer
 * kind, typed so that a kind without a builder fails to compile. Initialisers and dropout are
 * seeded, so the same spec and seed give the same starting weights.
 */
import * as tf from '@tensorflow/tfjs';
import { INPUT_SHAPE, type Activation, type LayerKind, type LayerOf, type LayerSpec } from '../model/spec';

/** What a builder needs besides its layer. */
export interface BuildContext {
  /** tfjs layer name; spec layer i is named `s{i}_{kind}`. */
  name: string;
  /** Seed for this layer's random initialiser or dropout mask. */
  seed: number;
  /** Set on the first layer only: the model's input shape. */
  inputShape?: number[];
}

/** tfjs activation identifiers (leakyRelu is not one: it becomes its own layer). */
type TfActivation = 'relu' | 'tanh' | 'sigmoid' | 'elu' | 'softmax' | 'linear';

/** Maps a spec activation to the identifier tfjs takes inside Conv2D or Dense. */
function fusedActivation(a: Activation): TfActivation {
  // leakyRelu runs as a separate LeakyReLU layer after a linear Conv2D/Dense (see buildModel).
  return a === 'leakyRelu' ? 'linear' : a;
}

/** Common args: name, seeded Glorot-uniform kernel (the Keras default), and the input shape. */
function weighted(ctx: BuildContext): { name: string; inputShape?: number[]; kernelInitializer: ReturnType<typeof tf.initializers.glorotUniform> } {
  const base = { name: ctx.name, kernelInitializer: tf.initializers.glorotUniform({ seed: ctx.seed }) };
  return ctx.inputShape ? { ...base, inputShape: ctx.inputShape } : base;
}

/** Name and, on the first layer, input shape. */
function plain(ctx: BuildContext): { name: string; inputShape?: number[] } {
  return ctx.inputShape ? { name: ctx.name, inputShape: ctx.inputShape } : { name: ctx.name };
}

function pool(layer: LayerOf<'maxPool2d' | 'avgPool2d'>, ctx: BuildContext): { name: string; poolSize: number; strides: number; padding: 'valid' | 'same' } {
  return { ...plain(ctx), poolSize: layer.poolSize, strides: layer.stride, padding: layer.padding };
}

/** One builder per layer kind; the mapped type makes a missing kind a compile error. */
export const LAYER_BUILDERS: { readonly [K in LayerKind]: (layer: LayerOf<K>, ctx: BuildContext) => tf.layers.Layer } = {
  conv2d: (l, ctx) =>
    tf.layers.conv2d({
      ...weighted(ctx), filters: l.filters, kernelSize: l.kernelSize, strides: l.stride,
      padding: l.padding, activation: fusedActivation(l.activation),
    }),
  maxPool2d: (l, ctx) => tf.layers.maxPooling2d(pool(l, ctx)),
  avgPool2d: (l, ctx) => tf.layers.averagePooling2d(pool(l, ctx)),
  dense: (l, ctx) => tf.layers.dense({ ...weighted(ctx), units: l.units, activation: fusedActivation(l.activation) }),
  flatten: (_l, ctx) => tf.layers.flatten(plain(ctx)),
  dropout: (l, ctx) => tf.layers.dropout({ ...plain(ctx), rate: l.rate, seed: ctx.seed }),
  batchNorm: (_l, ctx) => tf.layers.batchNormalization({ ...plain(ctx), axis: -1 }),
  activation: (l, ctx) =>
    l.activation === 'leakyRelu'
      ? tf.layers.leakyReLU(plain(ctx))
      : tf.layers.activation({ ...plain(ctx), activation: l.activation }),
  globalAvgPool2d: (_l, ctx) => tf.layers.globalAveragePooling2d(plain(ctx)),
  reshape: (l, ctx) => tf.layers.reshape({ ...plain(ctx), targetShape: [l.height, l.width, l.channels] }),
  upSampling2d: (l, ctx) => tf.layers.upSampling2d({ ...plain(ctx), size: [l.size, l.size], interpolation: 'nearest' }),
  conv2dTranspose: (l, ctx) =>
    tf.layers.conv2dTranspose({
      ...weighted(ctx), filters: l.filters, kernelSize: l.kernelSize, strides: l.stride,
      padding: l.padding, activation: fusedActivation(l.activation),
    }),
};

/** Builds one spec layer's tfjs layer, dispatching through the table. */
function buildLayer(layer: LayerSpec, ctx: BuildContext): tf.layers.Layer {
  // The table is indexed by the layer's own kind, so the argument always matches its builder.
  const build = LAYER_BUILDERS[layer.kind] as (l: LayerSpec, c: BuildContext) => tf.layers.Layer;
  return build(layer, ctx);
}

/** A built model and, per spec layer, the tfjs layer whose output is that spec layer's output. */
export interface BuiltModel {
  model: tf.Sequential;
  /** `outputLayerNames[i]` names the tfjs layer producing spec layer i's output (for probes). */
  outputLayerNames: string[];
}

/** Seed of spec layer `index`: distinct per layer so layers do not share random streams. */
export function layerSeed(seed: number, index: number): number {
  return seed * 1000 + index;
}

/**
 * Builds an uncompiled Sequential model for a stack that parseSpec accepted, with 28x28x1 input.
 * A Conv2D, Conv2DTranspose or Dense with leakyRelu becomes two tfjs layers (`s{i}_{kind}` then `s{i}_{kind}_leaky`,
 * LeakyReLU with the Keras alpha of 0.3); every other spec layer is exactly one tfjs layer.
 */
export function buildModel(layers: LayerSpec[], seed: number): BuiltModel {
  const model = tf.sequential();
  const outputLayerNames = addLayers(model, layers, [...INPUT_SHAPE], seed, 's');
  return { model, outputLayerNames };
}

/**
 * Adds spec layers to `model` as buildModel does (names `{prefix}{i}_{kind}`, the input shape on
 * the first, seeds from `layerSeed`), and returns, per spec layer, the name of its output layer.
 */
function addLayers(model: tf.Sequential, layers: LayerSpec[], inputShape: number[], seed: number, prefix: string): string[] {
  const outputLayerNames: string[] = [];
  layers.forEach((layer, index) => {
    const name = `${prefix}${index}_${layer.kind}`;
    const ctx: BuildContext = { name, seed: layerSeed(seed, index), ...(index === 0 ? { inputShape: [...inputShape] } : {}) };
    model.add(buildLayer(layer, ctx));
    let outputName = name;
    if (layer.kind !== 'activation' && 'activation' in layer && layer.activation === 'leakyRelu') {
      outputName = `${name}_leaky`;
      model.add(tf.layers.leakyReLU({ name: outputName }));
    }
    outputLayerNames.push(outputName);
  });
  return outputLayerNames;
}

/**
 * Builds any list of spec layers (e.g. a generative network's body) as an uncompiled Sequential on
 * `inputShape` (without the batch axis), with the same builders, names (`{prefix}{i}_{kind}`) and
 * seeded initialisation as buildModel; its weights exist at once. An empty list gives null.
 */
export function buildLayerStack(layers: LayerSpec[], inputShape: readonly number[], seed: number, prefix = 's'): BuiltModel | null {
  if (layers.length === 0) return null;
  const model = tf.sequential();
  const outputLayerNames = addLayers(model, layers, [...inputShape], seed, prefix);
  return { model, outputLayerNames };
}
