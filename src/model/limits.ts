/**
 * Caps that keep a network small enough to build and train inside a browser tab, the bounds of
 * every numeric or named field, and one checker that turns a field value into an error sentence.
 * Pure: no tfjs, DOM or store imports.
 */
import { LR_SCHEDULES, OPTIMIZERS, type AugmentSettings, type TrainingSettings } from './spec';

/** Most layers a stack may have; the editor and the per-layer views stay readable below this. */
export const MAX_LAYERS = 40;
/** Most filters in one Conv2D; beyond this one layer alone outgrows a tab's GPU memory. */
export const MAX_FILTERS = 512;
/** Most units in one Dense; 4096 x 4096 is already 16M weights. */
export const MAX_UNITS = 4096;
/** Largest kernel or pool window: the whole 28x28 image. */
export const MAX_WINDOW = 28;
/** Largest stride: a stride past the image width skips the whole image. */
export const MAX_STRIDE = 28;
/** Largest height, width or channel count a Reshape may ask for (Dense allows 4096 units). */
export const MAX_RESHAPE_AXIS = 4096;
/** Largest UpSampling2D factor: 8 turns the 28x28 input into 224x224, already past the activation budget with a few channels. */
export const MAX_UPSAMPLING = 8;
/** Most parameters: 5M float32 weights are 20 MB, and Adam keeps two more copies. */
export const MAX_PARAMS = 5_000_000;
/** Most float32 layer output per example, summed over layers (kept for the backward pass). */
export const MAX_ACTIVATION_BYTES = 8 * 1024 * 1024;
/**
 * Most layer output per training batch (activation bytes x batch size). 512 MiB is what a
 * typical laptop GPU gives a tab before WebGL loses its context.
 */
export const MAX_BATCH_ACTIVATION_BYTES = 512 * 1024 * 1024;
/**
 * Most forward FLOPs per example. Training costs about 3x forward, so a batch of 64 at this
 * cap is ~60 GFLOP: a fraction of a second on WebGL, and still a batch that pause can wait for
 * on the CPU backend. Networks past it would freeze a tab between batches.
 */
export const MAX_FLOPS = 300_000_000;
/** Longest network name, in characters (longer names are cut). */
export const MAX_NAME_LENGTH = 200;
/** Longest description, in characters (longer descriptions are cut). */
export const MAX_DESCRIPTION_LENGTH = 1000;

/** The allowed values of one field: a bounded whole number, a bounded number, or a name; `why` explains the upper cap. */
export type FieldSpec =
  | { type: 'int'; min: number; max: number; why?: string }
  | { type: 'number'; min: number; max: number; minOpen?: boolean; maxOpen?: boolean; why?: string }
  | { type: 'enum'; values: readonly string[] };

/** The training settings that are single values (augment is an object with its own fields). */
export type ScalarTrainingField = Exclude<keyof TrainingSettings, 'augment'>;

/** Bounds of every single-valued training setting. */
export const TRAINING_FIELDS: { readonly [F in ScalarTrainingField]: FieldSpec } = {
  optimizer: { type: 'enum', values: OPTIMIZERS },
  learningRate: { type: 'number', min: 0, max: 10, minOpen: true, why: 'larger rates only diverge' },
  lrSchedule: { type: 'enum', values: LR_SCHEDULES },
  batchSize: { type: 'int', min: 1, max: 1024, why: 'larger batches outgrow GPU memory in a tab' },
  epochs: { type: 'int', min: 1, max: 100, why: 'more epochs would run for hours in a tab' },
  validationSplit: { type: 'number', min: 0, max: 0.5, why: 'at least half must stay for training' },
  trainExamples: { type: 'int', min: 100, max: 60000, why: 'MNIST has 60,000 training images' },
  seed: { type: 'int', min: 0, max: 2 ** 31 - 1 },
};

/** Bounds of the augmentation settings: past them a digit leaves the image or changes meaning. */
export const AUGMENT_FIELDS: { readonly [F in keyof AugmentSettings]: FieldSpec } = {
  shift: { type: 'int', min: 0, max: 4, why: 'larger shifts push strokes off the 28x28 image' },
  rotation: { type: 'number', min: 0, max: 30, why: 'larger turns make a 6 look like a 9' },
};

/** Describes a value for an error message: `"3"` for text, `null`, `an array`, `NaN`. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/** Says in words which values a field allows, e.g. `a whole number from 1 to 512`. */
export function describeRange(spec: FieldSpec): string {
  if (spec.type === 'enum') return `one of ${spec.values.map((v) => `"${v}"`).join(', ')}`;
  if (spec.type === 'int') return `a whole number from ${spec.min} to ${formatNumber(spec.max)}`;
  const low = `${spec.minOpen ? 'greater than' : 'at least'} ${spec.min}`;
  return `a number ${low} and ${spec.maxOpen ? 'less than' : 'at most'} ${spec.max}`;
}

/** Returns why `value` is not allowed by `spec` (a sentence without the path), or null if it is. */
export function checkField(spec: FieldSpec, value: unknown): string | null {
  const want = `must be ${describeRange(spec)}`;
  if (spec.type === 'enum') {
    return typeof value === 'string' && spec.values.includes(value) ? null : `${want}, not ${showValue(value)}`;
  }
  // Strings such as "3" are refused rather than coerced: a spec is JSON, where numbers are numbers.
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${want}, not ${showValue(value)}`;
  if (spec.type === 'int' && !Number.isInteger(value)) return `${want}, not ${value}`;
  const below = spec.type === 'number' && spec.minOpen ? value <= spec.min : value < spec.min;
  const above = spec.type === 'number' && spec.maxOpen ? value >= spec.max : value > spec.max;
  if (!below && !above) return null;
  // The reason explains the upper cap only; below the minimum the range alone says enough.
  return `${want}, not ${formatNumber(value)}${above && spec.why ? ` (${spec.why})` : ''}`;
}

/** Formats a number with thousands separators (`5,000,000`), the way messages show counts. */
export function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : String(n);
}

/** Formats a byte count as MB with one decimal, e.g. `8.0 MB`. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
