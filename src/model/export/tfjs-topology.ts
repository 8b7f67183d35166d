/**
 * The tfjs Layers `modelTopology` of a spec, exactly as tfjs `model.toJSON(null, false)` writes
 * it for the model src/train/build-model.ts builds (same class names, layer names, initialisers
 * and seeds), so an exported model.json needs no tfjs on the page that writes it. The way back,
 * `specFromTopology`, lives in tfjs-import.ts. Pure.
 */
import { INPUT_SHAPE, type Activation, type LayerKind, type LayerOf, type LayerSpec, type NetworkSpec } from '../spec';
import { LEAKY_ALPHA } from './keras-layers';
import { specLayerName } from './weights';

export { specFromTopology, type TopologyImport } from './tfjs-import';

/** A JSON value, as model.json holds it. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** One layer of a Keras/tfjs topology: its class and its config. */
export interface TopologyLayer {
  class_name: string;
  config: { [key: string]: Json };
}
/** A Sequential model topology as tfjs writes it. */
export interface ModelTopology {
  class_name: 'Sequential';
  config: { name: string; layers: TopologyLayer[] };
  keras_version: string;
  backend: string;
}

/** What tfjs 4.22 writes as the format of its topologies. */
export const TFJS_KERAS_VERSION = 'tfjs-layers 4.22.0';

/** Seed of spec layer `index`, as `layerSeed` in src/train/build-model.ts. */
const layerSeed = (seed: number, index: number): number => seed * 1000 + index;

interface Ctx {
  name: string;
  seed: number;
}

const NULLS = (...keys: string[]): { [key: string]: Json } => Object.fromEntries(keys.map((k) => [k, null]));
const zeros = (): Json => ({ class_name: 'Zeros', config: {} });
const ones = (): Json => ({ class_name: 'Ones', config: {} });
/** Seeded Glorot uniform, serialised the way tfjs writes it (a VarianceScaling). */
const glorot = (seed: number): Json => ({ class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', seed } });
const pair = (n: number): Json => [n, n];
/** leakyRelu runs as a linear layer followed by its own LeakyReLU layer, as build-model.ts does. */
const fused = (a: Activation): string => (a === 'leakyRelu' ? 'linear' : a);
const base = (ctx: Ctx): { [key: string]: Json } => ({ name: ctx.name, trainable: true });

function pool(cls: string, l: LayerOf<'maxPool2d' | 'avgPool2d'>, ctx: Ctx): TopologyLayer {
  return { class_name: cls, config: { pool_size: pair(l.poolSize), padding: l.padding, strides: pair(l.stride), data_format: 'channels_last', ...base(ctx) } };
}

/** Conv2D and Conv2DTranspose write the same config under their own class names, but tfjs drops dilation_rate from a transposed one. */
function conv(cls: 'Conv2D' | 'Conv2DTranspose', l: LayerOf<'conv2d' | 'conv2dTranspose'>, ctx: Ctx): TopologyLayer {
  return {
    class_name: cls,
    config: {
      filters: l.filters, kernel_initializer: glorot(ctx.seed), ...NULLS('kernel_regularizer', 'kernel_constraint'),
      kernel_size: pair(l.kernelSize), strides: pair(l.stride), padding: l.padding, data_format: 'channels_last',
      ...(cls === 'Conv2D' ? { dilation_rate: pair(1) } : {}), activation: fused(l.activation), use_bias: true, bias_initializer: zeros(),
      ...NULLS('bias_regularizer', 'activity_regularizer', 'bias_constraint'), ...base(ctx),
    },
  };
}

/** One tfjs layer config per kind; the mapped type makes a missing kind a compile error. */
const TOPOLOGY_LAYERS: { readonly [K in LayerKind]: (layer: LayerOf<K>, ctx: Ctx) => TopologyLayer } = {
  conv2d: (l, ctx) => conv('Conv2D', l, ctx),
  maxPool2d: (l, ctx) => pool('MaxPooling2D', l, ctx),
  avgPool2d: (l, ctx) => pool('AveragePooling2D', l, ctx),
  dense: (l, ctx) => ({
    class_name: 'Dense',
    config: {
      units: l.units, activation: fused(l.activation), use_bias: true, kernel_initializer: glorot(ctx.seed), bias_initializer: zeros(),
      ...NULLS('kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'kernel_constraint', 'bias_constraint'), ...base(ctx),
    },
  }),
  flatten: (_l, ctx) => ({ class_name: 'Flatten', config: base(ctx) }),
  dropout: (l, ctx) => ({ class_name: 'Dropout', config: { rate: l.rate, noise_shape: null, seed: ctx.seed, ...base(ctx) } }),
  batchNorm: (_l, ctx) => ({
    class_name: 'BatchNormalization',
    config: {
      axis: -1, momentum: 0.99, epsilon: 0.001, center: true, scale: true, beta_initializer: zeros(), gamma_initializer: ones(),
      moving_mean_initializer: zeros(), moving_variance_initializer: ones(),
      ...NULLS('beta_regularizer', 'gamma_regularizer', 'beta_constraint', 'gamma_constraint'), ...base(ctx),
    },
  }),
  activation: (l, ctx) =>
    l.activation === 'leakyRelu'
      ? { class_name: 'LeakyReLU', config: { alpha: LEAKY_ALPHA, ...base(ctx) } }
      : { class_name: 'Activation', config: { activation: l.activation, ...base(ctx) } },
  globalAvgPool2d: (_l, ctx) => ({ class_name: 'GlobalAveragePooling2D', config: { data_format: 'channels_last', ...base(ctx) } }),
  reshape: (l, ctx) => ({ class_name: 'Reshape', config: { target_shape: [l.height, l.width, l.channels], ...base(ctx) } }),
  upSampling2d: (l, ctx) => ({
    class_name: 'UpSampling2D', config: { size: pair(l.size), data_format: 'channels_last', interpolation: 'nearest', ...base(ctx) },
  }),
  conv2dTranspose: (l, ctx) => conv('Conv2DTranspose', l, ctx),
};

/** The tfjs layers of one spec layer: its own, plus a LeakyReLU `<name>_leaky` for a leakyRelu Conv2D, Conv2DTranspose or Dense. */
function topologyLayers(layer: LayerSpec, ctx: Ctx): TopologyLayer[] {
  // The table is indexed by the layer's own kind, so the argument always matches its entry.
  const write = TOPOLOGY_LAYERS[layer.kind] as (l: LayerSpec, c: Ctx) => TopologyLayer;
  const out = [write(layer, ctx)];
  if (layer.kind !== 'activation' && 'activation' in layer && layer.activation === 'leakyRelu') {
    out.push({ class_name: 'LeakyReLU', config: { alpha: LEAKY_ALPHA, ...base({ ...ctx, name: `${ctx.name}_leaky` }) } });
  }
  return out;
}

/**
 * The modelTopology of a spec that parseSpec accepted: a Sequential whose first layer carries the
 * 28x28x1 input shape, as `tf.models.modelFromJSON` and `tf.loadLayersModel` read it.
 */
export function topologyFromSpec(spec: Pick<NetworkSpec, 'layers' | 'training'>, modelName = 'cnn_playground'): ModelTopology {
  const layers = spec.layers.flatMap((layer, index) =>
    topologyLayers(layer, { name: specLayerName(layer, index), seed: layerSeed(spec.training.seed, index) }),
  );
  if (layers[0]) Object.assign(layers[0].config, { batch_input_shape: [null, ...INPUT_SHAPE], dtype: 'float32' });
  return { class_name: 'Sequential', config: { name: modelName, layers }, keras_version: TFJS_KERAS_VERSION, backend: 'tensor_flow.js' };
}
