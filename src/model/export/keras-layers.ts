/**
 * One Keras (Python) line per layer kind, for the generated training script. Layer names are
 * the ones the app's tfjs builder gives (`s{i}_{kind}`, plus `_leaky` for a fused LeakyReLU), so
 * weights converted from the app's tfjs export match the script's layers by name and by order.
 * Pure: no tfjs.
 */
import type { Activation, LayerKind, LayerOf, LayerSpec } from '../spec';
import { pyNumber, pyString } from './py-literal';

/** What a layer line needs besides the layer: its tfjs name and the seed of its initialiser or mask. */
export interface KerasLineContext {
  name: string;
  seed: number;
}

/** The LeakyReLU slope the app uses (the Keras and tfjs default). */
export const LEAKY_ALPHA = 0.3;

/** A Keras activation argument; leakyRelu is fused as linear here and followed by a LeakyReLU layer. */
function kerasActivation(a: Activation): string {
  return pyString(a === 'leakyRelu' ? 'linear' : a);
}

/** The Glorot-uniform initialiser with the layer's seed, as the app uses (the random streams differ). */
const glorot = (seed: number): string => `kernel_initializer=tf.keras.initializers.GlorotUniform(seed=${seed})`;

const named = (ctx: KerasLineContext): string => `name=${pyString(ctx.name)}`;

/** Pooling lines share everything but the class name. */
function poolLine(cls: string, l: LayerOf<'maxPool2d' | 'avgPool2d'>, ctx: KerasLineContext): string[] {
  return [`layers.${cls}(pool_size=${l.poolSize}, strides=${l.stride}, padding=${pyString(l.padding)}, ${named(ctx)}),`];
}

/** Keras layer lines (each a Python expression ending in a comma) per kind; a missing kind fails to compile. */
export const KERAS_LINES: { readonly [K in LayerKind]: (layer: LayerOf<K>, ctx: KerasLineContext) => string[] } = {
  conv2d: (l, ctx) => [
    `layers.Conv2D(${l.filters}, ${l.kernelSize}, strides=${l.stride}, padding=${pyString(l.padding)}, ` +
      `activation=${kerasActivation(l.activation)}, ${glorot(ctx.seed)}, ${named(ctx)}),`,
  ],
  maxPool2d: (l, ctx) => poolLine('MaxPooling2D', l, ctx),
  avgPool2d: (l, ctx) => poolLine('AveragePooling2D', l, ctx),
  dense: (l, ctx) => [`layers.Dense(${l.units}, activation=${kerasActivation(l.activation)}, ${glorot(ctx.seed)}, ${named(ctx)}),`],
  flatten: (_l, ctx) => [`layers.Flatten(${named(ctx)}),`],
  dropout: (l, ctx) => [`layers.Dropout(${pyNumber(l.rate)}, seed=${ctx.seed}, ${named(ctx)}),`],
  // Keras defaults, written out because the app fixes them (momentum 0.99, epsilon 1e-3).
  batchNorm: (_l, ctx) => [`layers.BatchNormalization(momentum=0.99, epsilon=0.001, ${named(ctx)}),`],
  activation: (l, ctx) =>
    l.activation === 'leakyRelu'
      ? [`layers.LeakyReLU(${LEAKY_ALPHA}, ${named(ctx)}),`]
      : [`layers.Activation(${pyString(l.activation)}, ${named(ctx)}),`],
  globalAvgPool2d: (_l, ctx) => [`layers.GlobalAveragePooling2D(${named(ctx)}),`],
  reshape: (l, ctx) => [`layers.Reshape((${l.height}, ${l.width}, ${l.channels}), ${named(ctx)}),`],
  upSampling2d: (l, ctx) => [`layers.UpSampling2D(size=${l.size}, interpolation="nearest", ${named(ctx)}),`],
  conv2dTranspose: (l, ctx) => [
    `layers.Conv2DTranspose(${l.filters}, ${l.kernelSize}, strides=${l.stride}, padding=${pyString(l.padding)}, ` +
      `activation=${kerasActivation(l.activation)}, ${glorot(ctx.seed)}, ${named(ctx)}),`,
  ],
};

/** The Keras lines of one spec layer: its own line, plus a LeakyReLU line when a Conv2D, Conv2DTranspose or Dense uses leakyRelu. */
export function kerasLayerLines(layer: LayerSpec, ctx: KerasLineContext): string[] {
  // The table is indexed by the layer's own kind, so the argument always matches its entry.
  const write = KERAS_LINES[layer.kind] as (l: LayerSpec, c: KerasLineContext) => string[];
  const lines = write(layer, ctx);
  if (layer.kind !== 'activation' && 'activation' in layer && layer.activation === 'leakyRelu') {
    // Positional slope: Keras 2 calls it alpha, Keras 3 negative_slope.
    lines.push(`layers.LeakyReLU(${LEAKY_ALPHA}, name=${pyString(`${ctx.name}_leaky`)}),`);
  }
  return lines;
}
