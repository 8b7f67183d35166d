/**
 * The single gate for untrusted generative specs (presets, pasted JSON): `parseGenerativeSpec`
 * reads only known fields into fresh objects, fills defaults, converts a version-1 document
 * (see migrate.ts), checks both networks through `analyzeGenerative`, and reports each problem
 * with a path and a sentence, as src/model/validate.ts does for classifiers. Never throws.
 */
import { checkField, formatMegabytes, showValue, MAX_BATCH_ACTIVATION_BYTES, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, type FieldSpec } from '../limits';
import { analyzeGenerative } from './analyze';
import { V1_FIELDS, V1_MAX_CONV_FILTERS, migrateNetworks, type V1_ARCHITECTURES } from './migrate';
import { readBody } from './read-layers';
import {
  ENCODER_INPUTS, GEN_KINDS, GEN_SPEC_VERSION, type GenParseResult, type GenSpecError, type GenTrainingSettings, type GenerativeSpec,
} from './spec';

/** Bounds of the spec-wide fields. */
export const GEN_FIELDS: { readonly latentSize: FieldSpec; readonly kind: FieldSpec; readonly encoderInput: FieldSpec } = {
  kind: { type: 'enum', values: GEN_KINDS },
  encoderInput: { type: 'enum', values: ENCODER_INPUTS },
  latentSize: { type: 'int', min: 1, max: 64, why: 'a larger code only slows training: 8-16 already give sharp digits' },
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

/** The networks of a version-1 document, converted; its old fields keep their old messages. */
function readV1Networks(raw: Dict, errors: GenSpecError[]): Pick<GenerativeSpec, 'encoderInput' | 'encoder' | 'decoder'> {
  const architecture = readField<(typeof V1_ARCHITECTURES)[number]>(raw, 'architecture', V1_FIELDS.architecture, 'dense', '', errors);
  const hidden = readField(raw, 'hiddenSize', V1_FIELDS.hiddenSize, 512, '', errors);
  if (architecture === 'conv' && hidden > V1_MAX_CONV_FILTERS) {
    errors.push({
      path: 'hiddenSize',
      message: `is the first convolution's filters in a convolutional VAE and must be at most ${V1_MAX_CONV_FILTERS}, not ${hidden} (wider convolutions are too slow on a CPU); use 16 or 32`,
    });
  }
  return migrateNetworks(architecture, hidden);
}

/** Which format a document is in: its version, or for an unversioned one, whether it has layer lists. */
function versionOf(raw: Dict, errors: GenSpecError[]): 1 | 2 | null {
  const version = own(raw, 'version');
  if (version === 1 || version === GEN_SPEC_VERSION) return version;
  if (version === undefined) return own(raw, 'decoder') !== undefined || own(raw, 'encoder') !== undefined ? GEN_SPEC_VERSION : 1;
  const newer = typeof version === 'number' && version > GEN_SPEC_VERSION;
  errors.push({
    path: 'version',
    message: newer
      ? `${version} means this model was made by a newer version of CNN Playground, which this page cannot read; reload the page to update`
      : `${showValue(version)} is not a version this app reads; use ${GEN_SPEC_VERSION} (or 1 for the older format)`,
  });
  return null;
}

/** A batch's layer outputs must fit in a tab, as for the classifier. */
export function checkBatchMemory(bytesPerExample: number, batchSize: number): GenSpecError[] {
  if (bytesPerExample * batchSize <= MAX_BATCH_ACTIVATION_BYTES) return [];
  const most = Math.max(1, Math.floor(MAX_BATCH_ACTIVATION_BYTES / bytesPerExample));
  return [{
    path: 'training.batchSize',
    message: `a batch of ${batchSize} needs ${formatMegabytes(bytesPerExample * batchSize)} of layer outputs, more than the ` +
      `${formatMegabytes(MAX_BATCH_ACTIVATION_BYTES)} a browser tab can hold; use a batch size of at most ${most}`,
  }];
}

/** Reads a document's fields without checking the networks' shapes (the store keeps such specs while they are edited). */
export function readGenerativeSpec(raw: unknown): { spec: GenerativeSpec | null; errors: GenSpecError[] } {
  if (!isDict(raw)) return { spec: null, errors: [{ path: '', message: `must be a generative model object, not ${showValue(raw)}` }] };
  const errors: GenSpecError[] = [];
  const version = versionOf(raw, errors);
  if (version === null) return { spec: null, errors };
  if (own(raw, 'kind') === undefined) errors.push({ path: 'kind', message: `missing; use one of ${GEN_KINDS.join(', ')}` });
  if (own(raw, 'kind') === 'cgan') {
    // A GAN has no encoder or decoder: parseGenModelSpec (gan-validate.ts) sends it to parseGanSpec.
    return { spec: null, errors: [{ path: 'kind', message: `"cgan" is a conditional GAN, which has a generator and a discriminator instead of an encoder and a decoder; read it as a GAN (parseGenModelSpec), or pick ${GEN_KINDS.join(' or ')}` }] };
  }
  const networks = version === 1
    ? readV1Networks(raw, errors)
    : {
      encoderInput: readField(raw, 'encoderInput', GEN_FIELDS.encoderInput, 'image' as const, '', errors),
      encoder: readBody(own(raw, 'encoder'), 'encoder', errors),
      decoder: readBody(own(raw, 'decoder'), 'decoder', errors),
    };
  const spec: GenerativeSpec = {
    version: GEN_SPEC_VERSION,
    name: readText(raw, 'name', MAX_NAME_LENGTH, errors) || 'Untitled generative model',
    description: readText(raw, 'description', MAX_DESCRIPTION_LENGTH, errors),
    kind: readField(raw, 'kind', GEN_FIELDS.kind, 'cvae', '', errors),
    latentSize: readField(raw, 'latentSize', GEN_FIELDS.latentSize, 16, '', errors),
    ...networks,
    training: readTraining(own(raw, 'training'), errors),
  };
  return { spec, errors };
}

/** Parses an untrusted generative spec; returns a fresh normalised spec or every error found. */
export function parseGenerativeSpec(raw: unknown): GenParseResult {
  try {
    const { spec, errors } = readGenerativeSpec(raw);
    // Shapes need every field readable; until then their errors would only echo these.
    if (!spec || errors.length) return { ok: false, errors };
    const analysis = analyzeGenerative(spec);
    errors.push(...analysis.errors);
    if (analysis.valid) errors.push(...checkBatchMemory(analysis.activationBytes, spec.training.batchSize));
    return errors.length ? { ok: false, errors } : { ok: true, spec };
  } catch {
    // Only exotic inputs get here (a Proxy or a getter that throws): JSON cannot make them.
    return { ok: false, errors: [{ path: '', message: 'could not read this input; paste a generative model spec as JSON' }] };
  }
}
