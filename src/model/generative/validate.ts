/**
 * The single gate for untrusted generative specs (presets, pasted JSON, editor fields):
 * `parseGenerativeSpec` reads only known fields into fresh objects, fills defaults, and reports
 * each problem with a path and a sentence, as src/model/validate.ts does for classifiers. Never throws.
 */
import { checkField, showValue, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, type FieldSpec } from '../limits';
import { GEN_ARCHITECTURES, GEN_KINDS, GEN_SPEC_VERSION, MAX_CONV_FILTERS, type GenParseResult, type GenSpecError, type GenTrainingSettings, type GenerativeSpec } from './spec';

/** Bounds of the network sizes; the caps keep one training step well under a second on wasm. */
export const GEN_FIELDS: { readonly latentSize: FieldSpec; readonly hiddenSize: FieldSpec; readonly kind: FieldSpec; readonly architecture: FieldSpec } = {
  kind: { type: 'enum', values: GEN_KINDS },
  architecture: { type: 'enum', values: GEN_ARCHITECTURES },
  latentSize: { type: 'int', min: 1, max: 64, why: 'a larger code only slows training: 8-16 already give sharp digits' },
  hiddenSize: { type: 'int', min: 8, max: 2048, why: 'wider layers make each step too slow on a CPU' },
};

/** Bounds of the training settings. */
export const GEN_TRAINING_FIELDS: { readonly [F in keyof GenTrainingSettings]: FieldSpec } = {
  learningRate: { type: 'number', min: 0, max: 1, minOpen: true, why: 'larger rates only diverge' },
  batchSize: { type: 'int', min: 1, max: 1024, why: 'larger batches outgrow memory in a tab' },
  epochs: { type: 'int', min: 1, max: 100, why: 'more epochs would run for hours in a tab' },
  seed: { type: 'int', min: 0, max: 2 ** 31 - 1 },
};

/** Settings used for each one a spec leaves out. */
export const DEFAULT_GEN_TRAINING: Readonly<GenTrainingSettings> = Object.freeze({ learningRate: 0.001, batchSize: 100, epochs: 10, seed: 1 });

type Dict = Readonly<Record<string, unknown>>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (obj: Dict, key: string): unknown => (Object.hasOwn(obj, key) ? obj[key] : undefined);

/** Reads one checked field; a missing field takes `fallback`, a bad one adds an error and returns it too. */
function readField<T>(raw: Dict, key: string, spec: FieldSpec, fallback: T, path: string, errors: GenSpecError[]): T {
  const value = own(raw, key);
  if (value === undefined) return fallback;
  const message = checkField(spec, value);
  if (message === null) return value as T;
  errors.push({ path: path ? `${path}.${key}` : key, message });
  return fallback;
}

/** Reads a text field, cutting it to `max` characters. */
function readText(raw: Dict, key: string, max: number, errors: GenSpecError[]): string {
  const value = own(raw, key);
  if (value === undefined) return '';
  if (typeof value !== 'string') {
    errors.push({ path: key, message: `must be text, not ${showValue(value)}` });
    return '';
  }
  return value.slice(0, max);
}

function readTraining(raw: unknown, errors: GenSpecError[]): GenTrainingSettings {
  if (raw === undefined) return { ...DEFAULT_GEN_TRAINING };
  if (!isDict(raw)) {
    errors.push({ path: 'training', message: `must be an object such as {"learningRate": 0.001}, not ${showValue(raw)}` });
    return { ...DEFAULT_GEN_TRAINING };
  }
  const out = {} as Record<keyof GenTrainingSettings, number>;
  for (const key of Object.keys(GEN_TRAINING_FIELDS) as (keyof GenTrainingSettings)[]) {
    out[key] = readField(raw, key, GEN_TRAINING_FIELDS[key], DEFAULT_GEN_TRAINING[key], 'training', errors);
  }
  return out;
}

/** Parses an untrusted generative spec; returns a fresh normalised spec or every error found. */
export function parseGenerativeSpec(raw: unknown): GenParseResult {
  if (!isDict(raw)) return { ok: false, errors: [{ path: '', message: `must be a generative model object, not ${showValue(raw)}` }] };
  const errors: GenSpecError[] = [];
  const version = own(raw, 'version');
  if (version !== undefined && version !== GEN_SPEC_VERSION) {
    errors.push({ path: 'version', message: `${showValue(version)} is not a version this app reads; use ${GEN_SPEC_VERSION}` });
  }
  if (own(raw, 'kind') === undefined) errors.push({ path: 'kind', message: `missing; use one of ${GEN_KINDS.join(', ')}` });
  const spec: GenerativeSpec = {
    version: GEN_SPEC_VERSION,
    name: readText(raw, 'name', MAX_NAME_LENGTH, errors) || 'Untitled generative model',
    description: readText(raw, 'description', MAX_DESCRIPTION_LENGTH, errors),
    kind: readField(raw, 'kind', GEN_FIELDS.kind, 'cvae', '', errors),
    architecture: readField(raw, 'architecture', GEN_FIELDS.architecture, 'dense', '', errors),
    latentSize: readField(raw, 'latentSize', GEN_FIELDS.latentSize, 16, '', errors),
    hiddenSize: readField(raw, 'hiddenSize', GEN_FIELDS.hiddenSize, 512, '', errors),
    training: readTraining(own(raw, 'training'), errors),
  };
  if (spec.architecture === 'conv' && spec.hiddenSize > MAX_CONV_FILTERS) {
    errors.push({
      path: 'hiddenSize',
      message: `is the first convolution's filters in a convolutional VAE and must be at most ${MAX_CONV_FILTERS}, not ${spec.hiddenSize} (wider convolutions are too slow on a CPU); use 16 or 32`,
    });
  }
  return errors.length ? { ok: false, errors } : { ok: true, spec };
}
