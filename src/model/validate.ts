/**
 * The single gate for untrusted specs (presets, share links, pasted JSON, editor actions):
 * `parseSpec` reads only known fields into fresh objects, fills defaults, and reports each
 * problem with a path and a sentence. It never throws. Pure.
 */
import {
  SPEC_VERSION, type AugmentSettings, type LayerSpec, type NetworkSpec, type ParseResult, type SpecError, type TrainingSettings,
} from './spec';
import { LAYER_KINDS, isLayerKind, layerInfo } from './layers';
import {
  AUGMENT_FIELDS, MAX_BATCH_ACTIVATION_BYTES, MAX_DESCRIPTION_LENGTH, MAX_LAYERS, MAX_NAME_LENGTH, TRAINING_FIELDS,
  checkField, formatMegabytes, showValue, type FieldSpec,
} from './limits';
import { analyze, layerCountError } from './shapes';

/** Augmentation used when a spec has none: off, so specs written before it existed train as they did. */
export const DEFAULT_AUGMENT: Readonly<AugmentSettings> = Object.freeze({ shift: 0, rotation: 0 });

/** Training settings used when a spec has none, and for each setting a spec leaves out. */
export const DEFAULT_TRAINING: Readonly<TrainingSettings> = Object.freeze({
  // A spec without a schedule (every spec before it existed) keeps the constant rate it trained with.
  optimizer: 'adam', learningRate: 0.001, lrSchedule: 'constant', batchSize: 64, epochs: 1, validationSplit: 0.1, trainExamples: 60000, seed: 1,
  augment: DEFAULT_AUGMENT,
});

type Dict = Readonly<Record<string, unknown>>;
const KIND_LIST = LAYER_KINDS.join(', ');

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Reads an own property only, so inherited names (`toString`, `__proto__`) are never seen as fields. */
const own = (obj: Dict, key: string): unknown => (Object.hasOwn(obj, key) ? obj[key] : undefined);

/** Copies the known fields of `raw` into `out`, each checked; a missing field takes its default. */
function readFields(raw: Dict, fields: Readonly<Record<string, FieldSpec>>, defaults: Dict, path: string, errors: SpecError[], out: Record<string, unknown>): void {
  for (const field of Object.keys(fields)) {
    const value = own(raw, field);
    if (value === undefined) {
      out[field] = defaults[field];
      continue;
    }
    const message = checkField(fields[field]!, value);
    if (message === null) out[field] = value;
    else errors.push({ path: `${path}.${field}`, message });
  }
}

/** Parses one layer; returns null (with errors) when it cannot be read. */
function readLayer(raw: unknown, index: number, errors: SpecError[]): LayerSpec | null {
  const path = `layers[${index}]`;
  if (!isDict(raw)) {
    errors.push({ path, message: `must be a layer object such as {"kind": "dense", "units": 10}, not ${showValue(raw)}` });
    return null;
  }
  const kind = own(raw, 'kind');
  if (!isLayerKind(kind)) {
    const what = kind === undefined ? 'missing' : `${showValue(kind)} is not a layer kind`;
    errors.push({ path: `${path}.kind`, message: `${what}; use one of ${KIND_LIST}` });
    return null;
  }
  const info = layerInfo(kind);
  const out: Record<string, unknown> = { kind };
  const before = errors.length;
  readFields(raw, info.fields, Object.fromEntries(Object.entries(info.defaults())), path, errors, out);
  // Every field is now known and checked, so this is a complete layer of `kind`.
  return errors.length === before ? (out as unknown as LayerSpec) : null;
}

/** Parses the layer list, refusing oversized lists before walking them. */
function readLayers(raw: unknown, errors: SpecError[]): LayerSpec[] {
  if (raw === undefined) {
    errors.push({ path: 'layers', message: 'missing; add a list of layers' });
    return [];
  }
  if (!Array.isArray(raw)) {
    errors.push({ path: 'layers', message: `must be a list of layers, not ${showValue(raw)}` });
    return [];
  }
  // Checked before walking, so a million-entry list costs nothing; an empty list is left to analyze.
  const countError = raw.length > MAX_LAYERS ? layerCountError(raw.length) : null;
  if (countError) {
    errors.push(countError);
    return [];
  }
  const layers: LayerSpec[] = [];
  for (let i = 0; i < raw.length; i++) {
    const layer = readLayer(raw[i], i, errors);
    if (layer) layers.push(layer);
  }
  return layers;
}

/** Parses the augmentation settings into a fresh object; a missing object or field is off (0). */
function readAugment(raw: unknown, errors: SpecError[]): AugmentSettings {
  const out: Record<string, unknown> = { ...DEFAULT_AUGMENT };
  if (raw === undefined) return out as unknown as AugmentSettings;
  if (!isDict(raw)) {
    errors.push({ path: 'training.augment', message: `must be an object such as {"shift": 2, "rotation": 10}, not ${showValue(raw)}` });
  } else {
    readFields(raw, AUGMENT_FIELDS, DEFAULT_AUGMENT, 'training.augment', errors, out);
  }
  return out as unknown as AugmentSettings;
}

/** Parses the training settings; a missing object or field takes DEFAULT_TRAINING. */
function readTraining(raw: unknown, errors: SpecError[]): TrainingSettings {
  const out: Record<string, unknown> = { ...DEFAULT_TRAINING };
  if (raw !== undefined && !isDict(raw)) {
    errors.push({ path: 'training', message: `must be an object of training settings, not ${showValue(raw)}` });
  } else if (raw !== undefined) {
    readFields(raw, TRAINING_FIELDS, DEFAULT_TRAINING, 'training', errors, out);
  }
  // Always a fresh object: the frozen default must never end up inside an editable spec.
  out.augment = readAugment(isDict(raw) ? own(raw, 'augment') : undefined, errors);
  return out as unknown as TrainingSettings;
}

/** Reads an optional text field, cut to `max` characters. */
function readText(raw: unknown, path: string, max: number, errors: SpecError[]): string {
  if (raw === undefined) return '';
  if (typeof raw === 'string') return raw.slice(0, max);
  errors.push({ path, message: `must be text, not ${showValue(raw)}` });
  return '';
}

/** Checks the version first: a spec from another version may mean something else by every field. */
function checkVersion(raw: unknown): SpecError | null {
  if (raw === SPEC_VERSION) return null;
  if (raw === undefined) return { path: 'version', message: `missing; add "version": ${SPEC_VERSION}` };
  if (typeof raw === 'number' && raw > SPEC_VERSION) {
    return {
      path: 'version',
      message: `${raw} means this spec was made by a newer version of CNN Playground, which this page cannot read; reload the page to update`,
    };
  }
  return { path: 'version', message: `must be ${SPEC_VERSION}, not ${showValue(raw)}` };
}

/** Checks that one training batch's layer outputs fit in a tab's memory. */
function checkBatchMemory(bytesPerExample: number, batchSize: number): SpecError[] {
  if (bytesPerExample * batchSize <= MAX_BATCH_ACTIVATION_BYTES) return [];
  const most = Math.max(1, Math.floor(MAX_BATCH_ACTIVATION_BYTES / bytesPerExample));
  return [{
    path: 'training.batchSize',
    message: `a batch of ${batchSize} needs ${formatMegabytes(bytesPerExample * batchSize)} of layer outputs, more than the ` +
      `${formatMegabytes(MAX_BATCH_ACTIVATION_BYTES)} a browser tab can hold; use a batch size of at most ${most}`,
  }];
}

function parseUnsafe(input: unknown): ParseResult {
  if (!isDict(input)) {
    const message = `expected a network spec: an object with "version", "layers" and "training", not ${showValue(input)}`;
    return { ok: false, errors: [{ path: '', message }] };
  }
  const versionError = checkVersion(own(input, 'version'));
  if (versionError) return { ok: false, errors: [versionError] };
  const errors: SpecError[] = [];
  const spec: NetworkSpec = {
    version: SPEC_VERSION,
    name: readText(own(input, 'name'), 'name', MAX_NAME_LENGTH, errors),
    description: readText(own(input, 'description'), 'description', MAX_DESCRIPTION_LENGTH, errors),
    layers: readLayers(own(input, 'layers'), errors),
    training: readTraining(own(input, 'training'), errors),
  };
  // Shape analysis needs every layer readable; until then its errors would only echo these.
  if (errors.length > 0) return { ok: false, errors };
  const analysis = analyze(spec.layers);
  errors.push(...analysis.errors);
  if (analysis.valid) errors.push(...checkBatchMemory(analysis.totalActivationBytes, spec.training.batchSize));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, spec };
}

/**
 * Parses untrusted input into a normalised spec, or returns every problem found. Never throws;
 * the path of a problem with the whole input is the empty string.
 */
export function parseSpec(input: unknown): ParseResult {
  try {
    return parseUnsafe(input);
  } catch {
    // Only exotic inputs get here (a Proxy or a getter that throws): JSON cannot make them.
    return { ok: false, errors: [{ path: '', message: 'could not read this input; paste a network spec as JSON' }] };
  }
}
