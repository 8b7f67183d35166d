/**
 * The network spec: plain, versioned JSON that describes a layer stack and its training
 * settings. Pure types and constants only: no tfjs, Lit, zustand or DOM may be imported here.
 */

/** Format version written into every spec, preset and share link. */
export const SPEC_VERSION = 1;

/** MNIST input: 28x28 pixels, one channel, as [height, width, channels]. */
export const INPUT_SHAPE: readonly [number, number, number] = [28, 28, 1];

/** Number of classes the last layer must produce. */
export const NUM_CLASSES = 10;

/** Activation functions a layer may apply. */
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'leakyRelu', 'softmax', 'linear'] as const;
/** An activation function name. */
export type Activation = (typeof ACTIVATIONS)[number];

/** Padding modes for convolutions and pooling, as in Keras. */
export const PADDINGS = ['valid', 'same'] as const;
/** A padding mode. */
export type Padding = (typeof PADDINGS)[number];

/** 2-D convolution with square kernels and equal strides. */
export interface Conv2dLayer {
  kind: 'conv2d';
  filters: number;
  kernelSize: number;
  stride: number;
  padding: Padding;
  activation: Activation;
}

/** 2-D max pooling over square windows. */
export interface MaxPool2dLayer {
  kind: 'maxPool2d';
  poolSize: number;
  stride: number;
  padding: Padding;
}

/** 2-D average pooling over square windows. */
export interface AvgPool2dLayer {
  kind: 'avgPool2d';
  poolSize: number;
  stride: number;
  padding: Padding;
}

/** Fully connected layer; needs a 1-D input (insert Flatten after conv layers). */
export interface DenseLayer {
  kind: 'dense';
  units: number;
  activation: Activation;
}

/** Reshapes any input to 1-D. */
export interface FlattenLayer {
  kind: 'flatten';
}

/** Randomly zeroes a fraction `rate` of its inputs while training. */
export interface DropoutLayer {
  kind: 'dropout';
  rate: number;
}

/** Batch normalisation over the last axis (Keras defaults: momentum 0.99, epsilon 1e-3). */
export interface BatchNormLayer {
  kind: 'batchNorm';
}

/** A standalone activation function. */
export interface ActivationLayer {
  kind: 'activation';
  activation: Activation;
}

/** Averages each channel over height and width, giving a 1-D output. */
export interface GlobalAvgPool2dLayer {
  kind: 'globalAvgPool2d';
}

/**
 * Rearranges its input's values, in order, into a height x width x channels image; the input's
 * element count must equal height * width * channels (e.g. Dense 784 -> Reshape 7x7x16).
 */
export interface ReshapeLayer {
  kind: 'reshape';
  height: number;
  width: number;
  channels: number;
}

/** Nearest-neighbour upsampling of an image by a whole factor along height and width. */
export interface UpSampling2dLayer {
  kind: 'upSampling2d';
  size: number;
}

/**
 * Transposed 2-D convolution (a learned upsampling), square kernels and equal strides. Output
 * side: in * stride for padding same, in * stride + max(kernel - stride, 0) for valid (Keras).
 */
export interface Conv2dTransposeLayer {
  kind: 'conv2dTranspose';
  filters: number;
  kernelSize: number;
  stride: number;
  padding: Padding;
  activation: Activation;
}

/** Any layer of the stack, discriminated by `kind`. */
export type LayerSpec =
  | Conv2dLayer
  | MaxPool2dLayer
  | AvgPool2dLayer
  | DenseLayer
  | FlattenLayer
  | DropoutLayer
  | BatchNormLayer
  | ActivationLayer
  | GlobalAvgPool2dLayer
  | ReshapeLayer
  | UpSampling2dLayer
  | Conv2dTransposeLayer;

/** A layer kind name. */
export type LayerKind = LayerSpec['kind'];

/** The layer spec of one kind. */
export type LayerOf<K extends LayerKind> = Extract<LayerSpec, { kind: K }>;

/** Optimizers the trainer offers. */
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
/** An optimizer name. */
export type OptimizerName = (typeof OPTIMIZERS)[number];

/**
 * How the learning rate changes over a run. `constant` keeps it fixed; `cosine` warms up over the
 * first steps and then follows a half cosine down to zero at the last step (see lr-schedule.ts).
 */
export const LR_SCHEDULES = ['constant', 'cosine'] as const;
/** A learning-rate schedule name. */
export type LrScheduleName = (typeof LR_SCHEDULES)[number];

/** Random data augmentation applied to each training example (never to validation or test data). */
export interface AugmentSettings {
  /** Largest shift in pixels, a whole number; each example moves by -shift..shift on each axis. */
  shift: number;
  /** Largest rotation in degrees about the image centre; each example turns by -rotation..rotation. */
  rotation: number;
}

/** Training settings that travel with the stack (in presets and share links). */
export interface TrainingSettings {
  optimizer: OptimizerName;
  /** The peak learning rate: the whole run's rate for `constant`, the top of the curve for `cosine`. */
  learningRate: number;
  lrSchedule: LrScheduleName;
  batchSize: number;
  epochs: number;
  /** Fraction of the chosen training examples held out for validation, in [0, 0.5]. */
  validationSplit: number;
  /** How many of the 60,000 training images to use (before the validation split). */
  trainExamples: number;
  /** Seed for shuffling, the validation split, initialisation, dropout and augmentation. */
  seed: number;
  /** Random shift and rotation of training examples; all zero means off. */
  augment: AugmentSettings;
}

/** A whole network document: what presets, share links and the store hold. */
export interface NetworkSpec {
  version: typeof SPEC_VERSION;
  name: string;
  description: string;
  layers: LayerSpec[];
  training: TrainingSettings;
}

/** One problem found in an input, with where it is and a sentence saying how to fix it. */
export interface SpecError {
  /** Location in the document, e.g. `layers[2].kernelSize`. */
  path: string;
  message: string;
}

/** The result of parsing untrusted input. */
export type ParseResult = { ok: true; spec: NetworkSpec } | { ok: false; errors: SpecError[] };
