/**
 * One table entry per layer kind: its fields and their bounds, defaults, a readable summary,
 * output shape, parameter count and FLOPs. Everything else (parsing, analysis, the editor, the
 * tfjs builder) walks this table instead of switching on kinds. Pure: no tfjs or DOM.
 *
 * Shapes leave out the batch axis: [height, width, channels] for images, [n] for flat vectors.
 * Output sizes follow tfjs `conv_utils.convOutputLength`: valid = ceil((in - k + 1) / s),
 * same = ceil(in / s).
 *
 * FLOPs convention (forward pass, one example): a multiply-add is 2 FLOPs, a bias add 1 per
 * output, a non-linear activation 1 per element (linear 0), a pooling window 1 per element it
 * reads, batch norm 2 per element (inference form: scale and shift), Flatten, Dropout, Reshape
 * and UpSampling 0 (they only move values). A transposed convolution spreads each input value
 * over a k x k x filters patch: 2 FLOPs per input element per kernel weight it meets, plus bias
 * and activation per output. Transposed output sides follow tfjs `conv_utils.deconvLength`:
 * same = in * s, valid = in * s + max(k - s, 0).
 */
import { ACTIVATIONS, PADDINGS, type Activation, type LayerKind, type LayerOf, type LayerSpec } from './spec';
import {
  MAX_FILTERS, MAX_RESHAPE_AXIS, MAX_STRIDE, MAX_UNITS, MAX_UPSAMPLING, MAX_WINDOW, checkField, formatNumber, type FieldSpec,
} from './limits';

/** A shape problem of one layer: the field to blame (if any) and a sentence with the fix. */
export interface ShapeProblem {
  field?: string;
  message: string;
}

/** Parameters of one layer, counted as Keras does (trainable is a subset of total). */
export interface ParamCount {
  total: number;
  trainable: number;
}

/** The field names of a layer kind (every key but `kind`). */
export type FieldName<K extends LayerKind> = Exclude<keyof LayerOf<K>, 'kind'>;

/** Everything the app knows about one layer kind. */
export interface LayerKindInfo<K extends LayerKind> {
  /** Short display name, e.g. `Conv2D`. */
  label: string;
  /** Bounds of each field; drives parsing, validation and editor inputs. */
  fields: { readonly [F in FieldName<K>]-?: FieldSpec };
  defaults(): LayerOf<K>;
  describe(layer: LayerOf<K>): string;
  outputShape(layer: LayerOf<K>, input: number[]): number[] | ShapeProblem;
  params(layer: LayerOf<K>, input: number[]): ParamCount;
  flops(layer: LayerOf<K>, input: number[], output: number[]): number;
}

/** Display names of activations inside summaries such as `Dense 64 ReLU`. */
export const ACTIVATION_LABELS: { readonly [A in Activation]: string } = {
  relu: 'ReLU', tanh: 'tanh', sigmoid: 'sigmoid', elu: 'ELU', leakyRelu: 'LeakyReLU', softmax: 'softmax', linear: 'linear',
};

const activationField: FieldSpec = { type: 'enum', values: ACTIVATIONS };
const paddingField: FieldSpec = { type: 'enum', values: PADDINGS };
const strideField: FieldSpec = { type: 'int', min: 1, max: MAX_STRIDE, why: 'a larger stride skips the whole 28x28 image' };
const windowWhy = 'a window larger than the 28x28 image covers nothing more';
const windowField: FieldSpec = { type: 'int', min: 1, max: MAX_WINDOW, why: windowWhy };
const poolFields = { poolSize: windowField, stride: strideField, padding: paddingField } as const;
const NO_PARAMS: ParamCount = { total: 0, trainable: 0 };

const product = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const lastAxis = (shape: number[]): number => shape[shape.length - 1] ?? 0;
const activationFlops = (a: Activation, elements: number): number => (a === 'linear' ? 0 : elements);
/** ` ReLU` for a summary, nothing for linear (the default of a plain affine layer). */
const activationSuffix = (a: Activation): string => (a === 'linear' ? '' : ` ${ACTIVATION_LABELS[a]}`);

/** Writes a shape the way messages show it: `26x26x32` or `64 values`. */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `${shape[0]} values` : shape.join('x');
}

function needsImage(label: string, input: number[]): ShapeProblem | null {
  if (input.length === 3) return null;
  return {
    message: `${label} needs an image-shaped (height x width x channels) input, but its input is a flat list of ` +
      `${formatShape(input)}; move it before Flatten or GlobalAvgPool, or insert a Reshape before it`,
  };
}

/** Output of a sliding window along both image axes, or the problem if the window does not fit. */
function slide(input: number[], size: number, stride: number, padding: string, field: string, noun: string): number[] | ShapeProblem {
  const [h, w] = input as [number, number, number];
  if (padding === 'valid' && (size > h || size > w)) {
    return { field, message: `${size} is larger than the ${h}x${w} input; use padding "same" or a smaller ${noun}` };
  }
  const out = (n: number): number => (padding === 'same' ? Math.ceil(n / stride) : Math.ceil((n - size + 1) / stride));
  return [out(h), out(w)];
}

function convShape(layer: LayerOf<'conv2d'>, input: number[]): number[] | ShapeProblem {
  const bad = needsImage('Conv2D', input);
  if (bad) return bad;
  const hw = slide(input, layer.kernelSize, layer.stride, layer.padding, 'kernelSize', 'kernel');
  return Array.isArray(hw) ? [...hw, layer.filters] : hw;
}

function poolShape(label: string, layer: LayerOf<'maxPool2d' | 'avgPool2d'>, input: number[]): number[] | ShapeProblem {
  const bad = needsImage(label, input);
  if (bad) return bad;
  const hw = slide(input, layer.poolSize, layer.stride, layer.padding, 'poolSize', 'pool size');
  return Array.isArray(hw) ? [...hw, lastAxis(input)] : hw;
}

function describePool(label: string, layer: LayerOf<'maxPool2d' | 'avgPool2d'>): string {
  const stride = layer.stride === layer.poolSize ? '' : ` stride ${layer.stride}`;
  return `${label} ${layer.poolSize}x${layer.poolSize}${stride}${layer.padding === 'same' ? ' same' : ''}`;
}

/** Everything the two pooling kinds share; each entry adds its own `defaults`. */
function poolEntry(label: string): Omit<LayerKindInfo<'maxPool2d'>, 'defaults'> & Omit<LayerKindInfo<'avgPool2d'>, 'defaults'> {
  type Pool = LayerOf<'maxPool2d' | 'avgPool2d'>;
  return {
    label,
    fields: poolFields,
    describe: (l: Pool) => describePool(label, l),
    outputShape: (l: Pool, input: number[]) => poolShape(label, l, input),
    params: () => NO_PARAMS,
    flops: (l: Pool, _input: number[], output: number[]) => product(output) * l.poolSize * l.poolSize,
  };
}

/** Conv2D and Conv2DTranspose share their fields (the `why` of filters included). */
const convFields = {
  filters: { type: 'int', min: 1, max: MAX_FILTERS, why: 'more filters make one layer too big for a browser tab' },
  kernelSize: windowField,
  stride: strideField,
  padding: paddingField,
  activation: activationField,
} as const;

/** `3x3 stride 2 same ReLU`: the part of a convolution's summary after its filter count. */
function describeConv(l: LayerOf<'conv2d' | 'conv2dTranspose'>): string {
  const stride = l.stride === 1 ? '' : ` stride ${l.stride}`;
  const pad = l.padding === 'same' ? ' same' : '';
  return `${l.kernelSize}x${l.kernelSize}${stride}${pad}${activationSuffix(l.activation)}`;
}

/** Weights and biases of a (transposed) convolution: k*k*inC*filters + filters. */
function convParams(l: LayerOf<'conv2d' | 'conv2dTranspose'>, input: number[]): ParamCount {
  const total = l.kernelSize * l.kernelSize * lastAxis(input) * l.filters + l.filters;
  return { total, trainable: total };
}

/** A transposed convolution's output side (tfjs `deconvLength`): the input side times the stride, plus the overhang for valid. */
const deconvLength = (n: number, l: LayerOf<'conv2dTranspose'>): number =>
  n * l.stride + (l.padding === 'valid' ? Math.max(l.kernelSize - l.stride, 0) : 0);

/**
 * A Reshape target with `count` values, as near square as whole numbers allow: the layer's own
 * channels when they divide the count, else 1 channel. Used in messages and one-click fixes.
 */
export function fitReshape(count: number, channels: number): { height: number; width: number; channels: number } {
  const c = Number.isInteger(channels) && channels >= 1 && count % channels === 0 ? channels : 1;
  const area = count / c;
  let height = Math.floor(Math.sqrt(area));
  while (height > 1 && area % height !== 0) height--;
  return { height, width: area / height, channels: c };
}

function reshapeShape(l: LayerOf<'reshape'>, input: number[]): number[] | ShapeProblem {
  const count = product(input);
  const want = l.height * l.width * l.channels;
  if (count === want) return [l.height, l.width, l.channels];
  const fit = fitReshape(count, l.channels);
  const from = input.length > 1 ? ` (${formatShape(input)})` : '';
  return {
    message: `Reshape to ${l.height}x${l.width}x${l.channels} needs ${formatNumber(want)} values, but its input has ` +
      `${formatNumber(count)}${from}; choose a height, width and channels that multiply to ${formatNumber(count)}, ` +
      `e.g. ${fit.height}x${fit.width}x${fit.channels}`,
  };
}

/** Identity-shaped entries (dropout, batch norm, activation) keep their input shape. */
const sameShape = (input: number[]): number[] => [...input];

/** The per-kind table; its mapped type makes a missing kind a compile error. */
export const LAYER_TABLE: { readonly [K in LayerKind]: LayerKindInfo<K> } = {
  conv2d: {
    label: 'Conv2D',
    fields: convFields,
    defaults: () => ({ kind: 'conv2d', filters: 32, kernelSize: 3, stride: 1, padding: 'valid', activation: 'relu' }),
    describe: (l) => `Conv2D ${l.filters} ${describeConv(l)}`,
    outputShape: convShape,
    params: convParams,
    flops: (l, input, output) =>
      product(output) * (2 * l.kernelSize * l.kernelSize * lastAxis(input) + 1) + activationFlops(l.activation, product(output)),
  },
  maxPool2d: { ...poolEntry('MaxPool'), defaults: () => ({ kind: 'maxPool2d', poolSize: 2, stride: 2, padding: 'valid' }) },
  avgPool2d: { ...poolEntry('AvgPool'), defaults: () => ({ kind: 'avgPool2d', poolSize: 2, stride: 2, padding: 'valid' }) },
  dense: {
    label: 'Dense',
    fields: {
      units: { type: 'int', min: 1, max: MAX_UNITS, why: 'more units make one layer too big for a browser tab' },
      activation: activationField,
    },
    defaults: () => ({ kind: 'dense', units: 64, activation: 'relu' }),
    describe: (l) => `Dense ${l.units}${activationSuffix(l.activation)}`,
    outputShape: (l, input) =>
      input.length === 1
        ? [l.units]
        : { message: `Dense needs a flat input, but its input is ${formatShape(input)}; insert Flatten (or GlobalAvgPool) before it` },
    params: (l, input) => {
      const total = lastAxis(input) * l.units + l.units;
      return { total, trainable: total };
    },
    flops: (l, input) => l.units * (2 * lastAxis(input) + 1) + activationFlops(l.activation, l.units),
  },
  flatten: {
    label: 'Flatten',
    fields: {},
    defaults: () => ({ kind: 'flatten' }),
    describe: () => 'Flatten',
    // tfjs refuses Flatten on an already flat input (its inputSpec wants rank >= 3 with the batch).
    outputShape: (_l, input) =>
      input.length === 3
        ? [product(input)]
        : { message: `Flatten needs an image-shaped input, but its input is already flat (${formatShape(input)}); remove this Flatten` },
    params: () => NO_PARAMS,
    flops: () => 0,
  },
  dropout: {
    label: 'Dropout',
    fields: { rate: { type: 'number', min: 0, max: 1, maxOpen: true, why: 'a rate of 1 would drop every input' } },
    defaults: () => ({ kind: 'dropout', rate: 0.25 }),
    describe: (l) => `Dropout ${l.rate}`,
    outputShape: (_l, input) => sameShape(input),
    params: () => NO_PARAMS,
    flops: () => 0,
  },
  batchNorm: {
    label: 'BatchNorm',
    fields: {},
    defaults: () => ({ kind: 'batchNorm' }),
    describe: () => 'BatchNorm',
    outputShape: (_l, input) => sameShape(input),
    // Keras counts gamma, beta (trainable) and the moving mean and variance (not trainable).
    params: (_l, input) => ({ total: 4 * lastAxis(input), trainable: 2 * lastAxis(input) }),
    flops: (_l, _input, output) => 2 * product(output),
  },
  activation: {
    label: 'Activation',
    fields: { activation: activationField },
    defaults: () => ({ kind: 'activation', activation: 'relu' }),
    describe: (l) => `Activation ${ACTIVATION_LABELS[l.activation]}`,
    outputShape: (_l, input) => sameShape(input),
    params: () => NO_PARAMS,
    flops: (l, _input, output) => activationFlops(l.activation, product(output)),
  },
  globalAvgPool2d: {
    label: 'GlobalAvgPool',
    fields: {},
    defaults: () => ({ kind: 'globalAvgPool2d' }),
    describe: () => 'GlobalAvgPool',
    outputShape: (_l, input) => needsImage('GlobalAvgPool', input) ?? [lastAxis(input)],
    params: () => NO_PARAMS,
    flops: (_l, input) => product(input),
  },
  reshape: {
    label: 'Reshape',
    fields: {
      height: { type: 'int', min: 1, max: MAX_RESHAPE_AXIS, why: 'no layer output is that large' },
      width: { type: 'int', min: 1, max: MAX_RESHAPE_AXIS, why: 'no layer output is that large' },
      channels: { type: 'int', min: 1, max: MAX_RESHAPE_AXIS, why: 'no layer output is that large' },
    },
    // 7x7x16 holds 784 values: the 28x28 input's count, and a Dense 784's output.
    defaults: () => ({ kind: 'reshape', height: 7, width: 7, channels: 16 }),
    describe: (l) => `Reshape ${l.height}x${l.width}x${l.channels}`,
    outputShape: reshapeShape,
    params: () => NO_PARAMS,
    flops: () => 0,
  },
  upSampling2d: {
    label: 'UpSampling',
    fields: { size: { type: 'int', min: 1, max: MAX_UPSAMPLING, why: 'a larger factor makes images too big for a browser tab' } },
    defaults: () => ({ kind: 'upSampling2d', size: 2 }),
    describe: (l) => `UpSampling ${l.size}x`,
    outputShape: (l, input) => needsImage('UpSampling', input) ?? [input[0]! * l.size, input[1]! * l.size, lastAxis(input)],
    params: () => NO_PARAMS,
    flops: () => 0,
  },
  conv2dTranspose: {
    label: 'Conv2DTranspose',
    fields: convFields,
    // Stride 2 with padding same doubles height and width: the usual upsampling step of a decoder.
    defaults: () => ({ kind: 'conv2dTranspose', filters: 32, kernelSize: 3, stride: 2, padding: 'same', activation: 'relu' }),
    describe: (l) => `Conv2DTranspose ${l.filters} ${describeConv(l)}`,
    outputShape: (l, input) =>
      needsImage('Conv2DTranspose', input) ?? [deconvLength(input[0]!, l), deconvLength(input[1]!, l), l.filters],
    params: convParams,
    flops: (l, input, output) =>
      product(input) * 2 * l.kernelSize * l.kernelSize * l.filters + product(output) + activationFlops(l.activation, product(output)),
  },
};

/** Every layer kind, in table order (the order the editor offers them). */
export const LAYER_KINDS = Object.keys(LAYER_TABLE) as LayerKind[];

/** Tells whether a value names a layer kind (own keys only, so `toString` or `__proto__` are not kinds). */
export function isLayerKind(value: unknown): value is LayerKind {
  return typeof value === 'string' && Object.hasOwn(LAYER_TABLE, value);
}

/** The table entry of a kind, widened so callers holding a `LayerSpec` union can use it. */
export function layerInfo(kind: LayerKind): LayerKindInfo<LayerKind> {
  return LAYER_TABLE[kind];
}

/** A readable one-line summary of a layer, e.g. `Conv2D 32 3x3 ReLU`. */
export function describeLayer(layer: LayerSpec): string {
  return layerInfo(layer.kind).describe(layer);
}

/** A fresh layer of a kind with every field at its default. */
export function defaultLayer<K extends LayerKind>(kind: K): LayerOf<K> {
  return LAYER_TABLE[kind].defaults() as LayerOf<K>;
}

/** Checks each field of a layer against its bounds; returns the field name and sentence of each problem. */
export function checkLayerFields(layer: LayerSpec): ShapeProblem[] {
  const fields: Readonly<Record<string, FieldSpec>> = layerInfo(layer.kind).fields;
  const values: Readonly<Record<string, unknown>> = Object.fromEntries(Object.entries(layer));
  const problems: ShapeProblem[] = [];
  for (const field of Object.keys(fields)) {
    const message = checkField(fields[field]!, values[field]);
    if (message !== null) problems.push({ field, message });
  }
  return problems;
}
