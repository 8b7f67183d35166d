/**
 * One-click fixes: for the first problem of a stack, the obvious repairs, each with a short
 * label and the repaired stack. A candidate is offered only if it works: after it, the blamed
 * layer has no error and no layer up to its old place fails (so a fix never trades one error for
 * another at the same spot), or, for the stack's ending, the stack ends in 10 softmax outputs.
 * Pure: no tfjs, DOM or store imports.
 */
import { checkLayerFields, defaultLayer, fitReshape, layerInfo, LAYER_TABLE } from './layers';
import { checkField, type FieldSpec } from './limits';
import { DEFAULT_PRESET_ID, getPreset } from './presets';
import { analyze, type LayerAnalysis, type SpecAnalysis } from './shapes';
import { NUM_CLASSES, type LayerKind, type LayerSpec, type SpecError } from './spec';
import { insertLayer, layerValues, moveLayer, removeLayer, updateLayer, type LayerPatch } from './edit';

/** A repair for one problem: what it does in a few words and the stack it produces. */
export interface Fix {
  /** Stable for a given stack, e.g. `padding-same@2`; the store applies fixes by id. */
  id: string;
  label: string;
  /** Path of the error it repairs, e.g. `layers[2].kernelSize`. */
  path: string;
  /** The layer the error is shown on, or null for a problem of the whole stack. */
  layerIndex: number | null;
  layers: LayerSpec[];
}

/** A repair before it is checked; `target` is where the blamed layer ends up (null: removed or none). */
interface Candidate {
  id: string;
  label: string;
  layers: LayerSpec[];
  target: number | null;
}

/** The field that sets the window size of each sliding-window kind. */
const WINDOW_FIELDS: Partial<Record<LayerKind, string>> = { conv2d: 'kernelSize', maxPool2d: 'poolSize', avgPool2d: 'poolSize' };
const HEAD = `Dense ${NUM_CLASSES} softmax`;
const CLASS_PATCH: LayerPatch = { units: NUM_CLASSES, activation: 'softmax' };

/** A field name in words, e.g. `kernelSize` -> `kernel size`. */
export function fieldLabel(field: string): string {
  return field.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

const fieldOf = (path: string): string | undefined => /^layers\[\d+\]\.(\w+)$/.exec(path)?.[1];

/** Appends a Dense layer with one unit per class and softmax. */
function appendHead(layers: LayerSpec[]): LayerSpec[] {
  const withDense = insertLayer(layers, 'dense', layers.length);
  return withDense === layers ? layers : updateLayer(withDense, layers.length, CLASS_PATCH);
}

/** The nearest allowed value to `value`, or the default when nothing near it is allowed. */
function repairValue(spec: FieldSpec, value: unknown, fallback: unknown, cap: number): unknown {
  if (spec.type === 'enum' || typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  const rounded = spec.type === 'int' ? Math.round(value) : value;
  const near = Math.min(Math.max(rounded, spec.min), spec.max, cap);
  return checkField(spec, near) === null ? near : fallback;
}

/** Sets every out-of-range field of a layer to the nearest allowed value (a window also fits its input). */
function repairFields(layers: LayerSpec[], la: LayerAnalysis): Candidate[] {
  const layer = layers[la.index]!;
  const fields: Readonly<Record<string, FieldSpec>> = layerInfo(layer.kind).fields;
  const values = layerValues(layer);
  const defaults = layerValues(defaultLayer(layer.kind));
  const [h = Infinity, w = Infinity] = la.inputShape.length === 3 && values.padding === 'valid' ? la.inputShape : [];
  const patch: Record<string, number | string> = {};
  for (const field of Object.keys(fields)) {
    if (checkField(fields[field]!, values[field]) === null) continue;
    const cap = field === WINDOW_FIELDS[layer.kind] ? Math.min(h, w) : Infinity;
    patch[field] = repairValue(fields[field]!, values[field], defaults[field], cap) as number | string;
  }
  const label = Object.entries(patch).map(([f, v]) => `${fieldLabel(f)} to ${v}`).join(' and ');
  return [{ id: `repair@${la.index}`, label: `set ${label}`, layers: updateLayer(layers, la.index, patch), target: la.index }];
}

/** The values a layer's input holds. */
const valueCount = (la: LayerAnalysis): number => la.inputShape.reduce((a, b) => a * b, 1);

/** A Reshape whose target does not hold its input's values: reshape to a near-square target that does. */
function fitReshapeFix(layers: LayerSpec[], la: LayerAnalysis): Candidate[] {
  const layer = layers[la.index]!;
  const fit = fitReshape(valueCount(la), layer.kind === 'reshape' ? layer.channels : 1);
  const label = `reshape to ${fit.height}x${fit.width}x${fit.channels}`;
  return [{ id: `fit-reshape@${la.index}`, label, layers: updateLayer(layers, la.index, fit), target: la.index }];
}

/**
 * An image layer right after a Dense (a decoder's Dense -> Reshape -> upsampling): insert a Reshape
 * that turns the Dense's values into an image, rather than moving the layer above the Flatten.
 */
function insertReshapeFix(layers: LayerSpec[], la: LayerAnalysis): Candidate[] {
  if (la.index === 0 || layers[la.index - 1]!.kind !== 'dense') return [];
  const fit = fitReshape(valueCount(la), 1);
  const withReshape = updateLayer(insertLayer(layers, 'reshape', la.index), la.index, fit);
  const label = `insert Reshape ${fit.height}x${fit.width}x${fit.channels} before this layer`;
  return [{ id: `insert-reshape@${la.index}`, label, layers: withReshape, target: la.index + 1 }];
}

/** Repairs for a layer whose input shape does not suit it. */
function reshapeFixes(layers: LayerSpec[], la: LayerAnalysis, analysis: SpecAnalysis, error: SpecError): Candidate[] {
  const i = la.index;
  const layer = layers[i]!;
  if (layer.kind === 'reshape') return fitReshapeFix(layers, la);
  const windowField = WINDOW_FIELDS[layer.kind];
  if (la.inputShape.length === 3 && windowField && fieldOf(error.path) === windowField) {
    const size = Math.min(la.inputShape[0]!, la.inputShape[1]!);
    const noun = windowField === 'kernelSize' ? 'kernel' : 'pool';
    return [
      { id: `padding-same@${i}`, label: 'use padding: same', layers: updateLayer(layers, i, { padding: 'same' }), target: i },
      { id: `fit-window@${i}`, label: `use a ${size}x${size} ${noun}`, layers: updateLayer(layers, i, { [windowField]: size }), target: i },
    ];
  }
  if (la.inputShape.length === 3) {
    return [{ id: `insert-flatten@${i}`, label: 'insert Flatten before this layer', layers: insertLayer(layers, 'flatten', i), target: i + 1 }];
  }
  const remove: Candidate = { id: `remove@${i}`, label: `remove this ${LAYER_TABLE[layer.kind].label}`, layers: removeLayer(layers, i), target: null };
  if (layer.kind === 'flatten') return [remove];
  // The layer that made the tensor flat: moving this one above it gives it an image again.
  const flattener = analysis.layers.slice(0, i).reverse().find((l) => l.inputShape.length === 3 && l.outputShape?.length === 1);
  if (!flattener) return [...insertReshapeFix(layers, la), remove];
  const move: Candidate = {
    id: `move-before@${i}`, label: `move it before ${flattener.label}`, layers: moveLayer(layers, i, flattener.index), target: flattener.index,
  };
  return [...insertReshapeFix(layers, la), move, remove];
}

/** The error saying the stack does not end in 10 softmax outputs, if that is its only kind of problem. */
function endError(analysis: SpecAnalysis): SpecError | undefined {
  const n = analysis.layers.length - 1;
  // A layer with an output shape has no errors of its own, so an error at its bare path is the ending.
  if (n < 0 || analysis.layers[n]!.outputShape === null) return undefined;
  return analysis.errors.find((e) => e.path === `layers[${n}]`);
}

/** Repairs for a stack that does not end in 10 softmax outputs. */
function endFixes(layers: LayerSpec[], analysis: SpecAnalysis): Candidate[] {
  const n = layers.length - 1;
  const last = layers[n]!;
  const shape = analysis.layers[n]!.outputShape!;
  if (last.kind === 'dense') {
    return [{ id: `last-dense@${n}`, label: `set the last Dense to ${NUM_CLASSES} units with softmax`, layers: updateLayer(layers, n, CLASS_PATCH), target: null }];
  }
  const fixes: Candidate[] = [];
  if (last.kind === 'activation' && shape[0] === NUM_CLASSES) {
    fixes.push({ id: `softmax@${n}`, label: 'use softmax', layers: updateLayer(layers, n, { activation: 'softmax' }), target: null });
  }
  if (shape.length === 1) fixes.push({ id: 'append-head', label: `add ${HEAD} at the end`, layers: appendHead(layers), target: null });
  else fixes.push({ id: 'append-head', label: `add Flatten and ${HEAD} at the end`, layers: appendHead(insertLayer(layers, 'flatten', n + 1)), target: null });
  return fixes;
}

/** Repairs for an empty stack. */
function emptyFixes(): Candidate[] {
  const preset = getPreset(DEFAULT_PRESET_ID);
  const fixes: Candidate[] = preset ? [{ id: 'default-stack', label: `use the ${preset.name} layers`, layers: preset.layers, target: null }] : [];
  fixes.push({ id: 'append-head', label: `add Flatten and ${HEAD}`, layers: appendHead([defaultLayer('flatten')]), target: null });
  return fixes;
}

/** Index of the first layer with an error, or Infinity when every layer is fine. */
function firstFailing(analysis: SpecAnalysis): number {
  return analysis.layers.find((la) => la.errors.length > 0)?.index ?? Infinity;
}

/** Builds the offered fixes, keeping only candidates that clear the problem. */
function offer(candidates: Candidate[], error: SpecError, layerIndex: number | null, works: (after: SpecAnalysis, c: Candidate) => boolean): Fix[] {
  return candidates
    .filter((c) => works(analyze(c.layers), c))
    .map((c) => ({ id: c.id, label: c.label, path: error.path, layerIndex, layers: c.layers }));
}

/** The one-click fixes for the first problem of a stack (empty when there is no problem or no obvious fix). */
export function suggestFixes(layers: LayerSpec[], analysis: SpecAnalysis = analyze(layers)): Fix[] {
  if (layers.length === 0) {
    const error = analysis.errors[0] ?? { path: 'layers', message: '' };
    return offer(emptyFixes(), error, null, (after) => after.layers.length > 0);
  }
  const failing = analysis.layers.find((la) => la.errors.length > 0);
  if (failing) {
    const error = failing.errors[0]!;
    // Out-of-range fields are checked before shapes, so a layer has one kind of error at a time.
    const candidates = checkLayerFields(layers[failing.index]!).length > 0 ? repairFields(layers, failing) : reshapeFixes(layers, failing, analysis, error);
    // A fix must make progress: the blamed layer is clean and no layer up to its old place fails.
    const works = (after: SpecAnalysis, c: Candidate): boolean =>
      (c.target === null || after.layers[c.target]?.errors.length === 0) && firstFailing(after) > failing.index;
    return offer(candidates, error, failing.index, works);
  }
  const end = endError(analysis);
  if (!end) return [];
  return offer(endFixes(layers, analysis), end, layers.length - 1, (after) => !endError(after));
}

/** The fix with this id for a stack, if it is still offered. */
export function findFix(layers: LayerSpec[], id: string, analysis?: SpecAnalysis): Fix | undefined {
  return suggestFixes(layers, analysis).find((f) => f.id === id);
}
