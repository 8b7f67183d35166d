/**
 * Pure operations on a layer stack: insert, remove, duplicate, move and update. Each returns a
 * new array (layers are never changed in place, so the store can keep history by reference) and
 * returns the very same array when the operation changes nothing, so callers can skip no-op edits.
 * Pure: no tfjs, DOM or store imports.
 */
import { defaultLayer, layerInfo } from './layers';
import { MAX_LAYERS } from './limits';
import type { LayerKind, LayerSpec } from './spec';

/** New values for some fields of one layer; keys that are not fields of its kind are ignored. */
export type LayerPatch = Readonly<Record<string, number | string>>;

const inRange = (layers: readonly LayerSpec[], index: number): boolean =>
  Number.isInteger(index) && index >= 0 && index < layers.length;

/** Inserts a default layer of `kind` so that it ends up at `index` (clamped to the stack); full stacks are left alone. */
export function insertLayer(layers: LayerSpec[], kind: LayerKind, index: number): LayerSpec[] {
  if (layers.length >= MAX_LAYERS) return layers;
  const at = Math.min(Math.max(0, Math.trunc(index) || 0), layers.length);
  return [...layers.slice(0, at), defaultLayer(kind), ...layers.slice(at)];
}

/** Removes the layer at `index`. */
export function removeLayer(layers: LayerSpec[], index: number): LayerSpec[] {
  if (!inRange(layers, index)) return layers;
  return [...layers.slice(0, index), ...layers.slice(index + 1)];
}

/** Inserts a copy of the layer at `index` right after it; full stacks are left alone. */
export function duplicateLayer(layers: LayerSpec[], index: number): LayerSpec[] {
  if (!inRange(layers, index) || layers.length >= MAX_LAYERS) return layers;
  const copy: LayerSpec = { ...layers[index]! };
  return [...layers.slice(0, index + 1), copy, ...layers.slice(index + 1)];
}

/** Moves the layer at `from` so that it ends up at index `to` (both within the stack). */
export function moveLayer(layers: LayerSpec[], from: number, to: number): LayerSpec[] {
  if (!inRange(layers, from) || !inRange(layers, to) || from === to) return layers;
  const next = [...layers];
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved!);
  return next;
}

/** A layer's fields as a plain record, for code that walks fields by name. */
export function layerValues(layer: LayerSpec): Readonly<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(layer));
}

/** Whether `value` has the JavaScript type a field expects (numbers for numeric fields, text for named ones). */
function fitsType(kind: LayerKind, field: string, value: number | string): boolean {
  const fields: Readonly<Record<string, { type: string }>> = layerInfo(kind).fields;
  // Own keys only, so `__proto__` or `toString` never count as fields.
  const spec = Object.hasOwn(fields, field) ? fields[field] : undefined;
  if (!spec) return false;
  return spec.type === 'enum' ? typeof value === 'string' : typeof value === 'number';
}

/**
 * Sets fields of the layer at `index`. Values are kept even when out of range (the analysis
 * marks them, so the user sees the problem instead of a silently refused keystroke); only
 * values of the wrong type and unknown fields are dropped.
 */
export function updateLayer(layers: LayerSpec[], index: number, patch: LayerPatch): LayerSpec[] {
  if (!inRange(layers, index)) return layers;
  const layer = layers[index]!;
  const current = layerValues(layer);
  const changes = Object.entries(patch).filter(
    ([field, value]) => fitsType(layer.kind, field, value) && !Object.is(current[field], value),
  );
  if (changes.length === 0) return layers;
  // Only fields of this kind pass `fitsType`, so the result is still a layer of the same kind.
  const next = { ...layer, ...Object.fromEntries(changes) } as LayerSpec;
  return layers.map((l, i) => (i === index ? next : l));
}

/** Sets one field of the layer at `index` (see `updateLayer`). */
export function updateLayerField(layers: LayerSpec[], index: number, field: string, value: number | string): LayerSpec[] {
  return updateLayer(layers, index, { [field]: value });
}
