/**
 * How each Keras/tfjs layer class of a model.json maps onto a CNN Playground layer, or why it
 * cannot. Each mapper reads only the config fields it knows; the values themselves (ranges,
 * shapes, limits) are checked afterwards by parseSpec, like any other untrusted spec. Pure.
 */
import { ACTIVATIONS, type Activation } from '../spec';
import { showValue } from '../limits';

/** A layer config from a file: untrusted. */
export type Dict = Readonly<Record<string, unknown>>;

/** A mapped layer: a raw spec layer for parseSpec, plus what was dropped on the way. */
export interface MappedLayer {
  layer: Record<string, unknown>;
  notes: string[];
  /** Batch norm over a positive axis: the reader checks that it is the last axis of the layer's input. */
  axis?: number;
}
/** What a mapper gives: a layer, or a sentence (without the layer's name) saying why not. */
export type MapResult = MappedLayer | { error: string };

const own = (d: Dict, key: string): unknown => (Object.hasOwn(d, key) ? d[key] : undefined);
const ok = (layer: Record<string, unknown>, notes: string[] = []): MappedLayer => ({ layer, notes });
/** Keras activation names the app has under the same name (leakyRelu is a layer in Keras, not a name). */
const SAME_NAME = new Set<string>(ACTIVATIONS.filter((a) => a !== 'leakyRelu'));

/** Reads an activation name; null or missing means linear, as Keras writes `activation=None`. */
export function readActivation(value: unknown): Activation | { error: string } {
  if (value === undefined || value === null) return 'linear';
  if (typeof value === 'string' && SAME_NAME.has(value)) return value as Activation;
  const offered = [...SAME_NAME].join(', ');
  return { error: `uses the activation ${showValue(value)}, which CNN Playground does not have (it has ${offered} and LeakyReLU)` };
}

/** Reads a window size or stride: one number, or two equal ones; `what` names it in the message. */
function square(value: unknown, what: string): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length === 2 && value[0] === value[1]) return value[0];
  const shown = value.length === 2 ? `${showValue(value[0])}x${showValue(value[1])}` : `${value.length} numbers`;
  return { error: `has a ${what} of ${shown}; CNN Playground uses square windows with equal strides` };
}

/** A field the file must give: left out, parseSpec would quietly fill in the app's default instead of the file's value. */
function need(c: Dict, key: string): unknown {
  const value = own(c, key);
  return value === undefined || value === null ? { error: `has no ${key} in its config` } : value;
}

const isError = (v: unknown): v is { error: string } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { error?: unknown }).error === 'string';

/** Refuses configs the app cannot reproduce: channels-first data, dilation, grouped convolutions, no bias. */
function structural(c: Dict): string | null {
  const format = own(c, 'data_format');
  if (format !== undefined && format !== null && format !== 'channels_last') {
    return `uses data_format ${showValue(format)}; CNN Playground stores images channels last`;
  }
  const dilation = square(own(c, 'dilation_rate') ?? 1, 'dilation rate');
  if (isError(dilation)) return dilation.error;
  if (dilation !== 1) return `uses a dilation rate of ${showValue(dilation)}; CNN Playground has no dilated convolutions`;
  const groups = own(c, 'groups');
  if (groups !== undefined && groups !== 1) return `splits its filters into ${showValue(groups)} groups; CNN Playground has no grouped convolutions`;
  const bias = own(c, 'use_bias');
  if (bias !== undefined && bias !== true) return 'has no bias; every CNN Playground Conv2D and Dense has one';
  return null;
}

function conv(kind: 'conv2d' | 'conv2dTranspose'): (c: Dict) => MapResult {
  return (c) => (kind === 'conv2dTranspose' && hasOutputPadding(c)
    ? { error: 'sets output_padding; CNN Playground\'s Conv2DTranspose has none' }
    : convLayer(kind, c));
}

/** Keras' Conv2DTranspose may pad its output by extra rows; null (the default) means none. */
const hasOutputPadding = (c: Dict): boolean => {
  const pad = own(c, 'output_padding');
  return pad !== undefined && pad !== null && !(Array.isArray(pad) && pad.every((p) => p === 0)) && pad !== 0;
};

function convLayer(kind: 'conv2d' | 'conv2dTranspose', c: Dict): MapResult {
  const problem = structural(c);
  if (problem) return { error: problem };
  const filters = need(c, 'filters');
  const kernelSize = square(need(c, 'kernel_size'), 'kernel');
  const stride = square(own(c, 'strides') ?? 1, 'stride');
  const activation = readActivation(own(c, 'activation'));
  for (const v of [filters, kernelSize, stride, activation]) if (isError(v)) return v;
  return ok({ kind, filters, kernelSize, stride, padding: own(c, 'padding') ?? 'valid', activation });
}

function pool(kind: 'maxPool2d' | 'avgPool2d'): (c: Dict) => MapResult {
  return (c) => {
    const problem = structural(c);
    if (problem) return { error: problem };
    const poolSize = square(own(c, 'pool_size') ?? 2, 'pool size');
    // Keras: strides null means "the pool size".
    const stride = square(own(c, 'strides') ?? poolSize, 'stride');
    for (const v of [poolSize, stride]) if (isError(v)) return v;
    return ok({ kind, poolSize, stride, padding: own(c, 'padding') ?? 'valid' });
  };
}

function dense(c: Dict): MapResult {
  const problem = structural(c);
  if (problem) return { error: problem };
  const units = need(c, 'units');
  const activation = readActivation(own(c, 'activation'));
  for (const v of [units, activation]) if (isError(v)) return v;
  return ok({ kind: 'dense', units, activation });
}

function batchNorm(c: Dict): MapResult {
  if (own(c, 'center') === false || own(c, 'scale') === false) {
    return { error: 'leaves out its scale or offset; CNN Playground\'s BatchNorm has both' };
  }
  let axis = own(c, 'axis') ?? -1;
  if (Array.isArray(axis) && axis.length === 1) axis = axis[0];
  if (typeof axis !== 'number' || !Number.isInteger(axis) || (axis < 0 && axis !== -1)) {
    return { error: `normalises over axis ${showValue(axis)}; CNN Playground normalises over the last axis` };
  }
  const notes: string[] = [];
  const momentum = own(c, 'momentum') ?? 0.99;
  const epsilon = own(c, 'epsilon') ?? 0.001;
  if (momentum !== 0.99 || epsilon !== 0.001) {
    notes.push(`uses momentum ${showValue(momentum)} and epsilon ${showValue(epsilon)}; CNN Playground uses 0.99 and 0.001, so its predictions may differ slightly`);
  }
  const mapped = ok({ kind: 'batchNorm' }, notes);
  return axis === -1 ? mapped : { ...mapped, axis };
}

function leakyRelu(c: Dict): MapResult {
  // Keras 2 and tfjs call the slope alpha, Keras 3 negative_slope; all default to 0.3.
  const slope = own(c, 'alpha') ?? own(c, 'negative_slope') ?? 0.3;
  if (slope !== 0.3) return { error: `has a slope of ${showValue(slope)}; CNN Playground's LeakyReLU has a slope of 0.3` };
  return ok({ kind: 'activation', activation: 'leakyRelu' });
}

function relu(c: Dict): MapResult {
  const plain = (own(c, 'max_value') ?? null) === null && (own(c, 'negative_slope') ?? 0) === 0 && (own(c, 'threshold') ?? 0) === 0;
  return plain ? ok({ kind: 'activation', activation: 'relu' }) : { error: 'is a capped, leaky or shifted ReLU; CNN Playground\'s ReLU is the plain max(x, 0)' };
}

function globalAvgPool(c: Dict): MapResult {
  const problem = structural(c);
  if (problem) return { error: problem };
  if (own(c, 'keepdims') === true) return { error: 'keeps the pooled height and width axes; CNN Playground\'s GlobalAvgPool gives a flat output' };
  return ok({ kind: 'globalAvgPool2d' });
}

function reshape(c: Dict): MapResult {
  const target = need(c, 'target_shape');
  if (isError(target)) return target;
  if (!Array.isArray(target) || target.length !== 3) {
    const what = Array.isArray(target) ? `${target.length} axes` : showValue(target);
    return { error: `reshapes to ${what}; CNN Playground's Reshape makes height x width x channels images (3 axes)` };
  }
  if (target.includes(-1)) return { error: 'leaves an axis of its target shape to be inferred (-1); CNN Playground needs all three sizes' };
  const [height, width, channels] = target as unknown[];
  return ok({ kind: 'reshape', height, width, channels });
}

function upSampling(c: Dict): MapResult {
  const problem = structural(c);
  if (problem) return { error: problem };
  const interpolation = own(c, 'interpolation') ?? 'nearest';
  if (interpolation !== 'nearest') return { error: `upsamples with ${showValue(interpolation)} interpolation; CNN Playground's UpSampling repeats the nearest pixel` };
  const size = square(own(c, 'size') ?? 2, 'size');
  return isError(size) ? size : ok({ kind: 'upSampling2d', size });
}

/** Mappers by Keras/tfjs class name. InputLayer is handled by the reader (it carries the input shape). */
export const IMPORT_MAPPERS: Readonly<Record<string, (config: Dict) => MapResult>> = {
  Conv2D: conv('conv2d'),
  Conv2DTranspose: conv('conv2dTranspose'),
  Convolution2DTranspose: conv('conv2dTranspose'),
  Reshape: reshape,
  UpSampling2D: upSampling,
  MaxPooling2D: pool('maxPool2d'),
  MaxPool2D: pool('maxPool2d'),
  AveragePooling2D: pool('avgPool2d'),
  AvgPool2D: pool('avgPool2d'),
  Dense: dense,
  Flatten: (c) => {
    const problem = structural(c);
    return problem ? { error: problem } : ok({ kind: 'flatten' });
  },
  Dropout: (c) => {
    const noise = own(c, 'noise_shape');
    if (noise !== undefined && noise !== null) return { error: 'drops along a noise shape; CNN Playground\'s Dropout drops single values' };
    const rate = need(c, 'rate');
    return isError(rate) ? rate : ok({ kind: 'dropout', rate });
  },
  BatchNormalization: batchNorm,
  Activation: (c) => {
    const activation = readActivation(own(c, 'activation'));
    return isError(activation) ? activation : ok({ kind: 'activation', activation });
  },
  LeakyReLU: leakyRelu,
  ReLU: relu,
  Softmax: (c) => {
    const axis = own(c, 'axis') ?? -1;
    return axis === -1 ? ok({ kind: 'activation', activation: 'softmax' }) : { error: `takes the softmax over axis ${showValue(axis)}; CNN Playground takes it over the last axis` };
  },
  GlobalAveragePooling2D: globalAvgPool,
  GlobalAvgPool2D: globalAvgPool,
};
