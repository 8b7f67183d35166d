/**
 * Reads an untrusted list of layers for a generative network's body: only known fields, each
 * checked against the per-kind table's bounds, into fresh objects. The same rules as the
 * classifier's `parseSpec` (src/model/validate.ts), which does not export its reader; shapes are
 * checked afterwards by `analyzeGenerative`, on the network's own input. Pure; never throws.
 */
import { LAYER_KINDS, isLayerKind, layerInfo } from '../layers';
import { MAX_LAYERS, checkField, formatNumber, showValue } from '../limits';
import type { LayerSpec } from '../spec';
import type { GenSpecError } from './spec';

type Dict = Readonly<Record<string, unknown>>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (obj: Dict, key: string): unknown => (Object.hasOwn(obj, key) ? obj[key] : undefined);

/** Reads one layer at `path`; null (with errors) when it cannot be read. */
function readLayer(raw: unknown, path: string, errors: GenSpecError[]): LayerSpec | null {
  if (!isDict(raw)) {
    errors.push({ path, message: `must be a layer object such as {"kind": "dense", "units": 784}, not ${showValue(raw)}` });
    return null;
  }
  const kind = own(raw, 'kind');
  if (!isLayerKind(kind)) {
    const what = kind === undefined ? 'missing' : `${showValue(kind)} is not a layer kind`;
    errors.push({ path: `${path}.kind`, message: `${what}; use one of ${LAYER_KINDS.join(', ')}` });
    return null;
  }
  const info = layerInfo(kind);
  const defaults: Dict = Object.fromEntries(Object.entries(info.defaults()));
  const out: Record<string, unknown> = { kind };
  const before = errors.length;
  for (const [field, spec] of Object.entries(info.fields as Readonly<Record<string, Parameters<typeof checkField>[0]>>)) {
    const value = own(raw, field);
    if (value === undefined) {
      out[field] = defaults[field];
      continue;
    }
    const message = checkField(spec, value);
    if (message === null) out[field] = value;
    else errors.push({ path: `${path}.${field}`, message });
  }
  // Every field is known and checked, so this is a complete layer of `kind`.
  return errors.length === before ? (out as unknown as LayerSpec) : null;
}

/** Reads the body at `name` (`encoder` or `decoder`); a missing list is an error, an empty one is not. */
export function readBody(raw: unknown, name: string, errors: GenSpecError[]): LayerSpec[] {
  if (raw === undefined) {
    errors.push({ path: name, message: `missing; add the ${name}'s layers as a list (it may be empty)` });
    return [];
  }
  if (!Array.isArray(raw)) {
    errors.push({ path: name, message: `must be a list of layers, not ${showValue(raw)}` });
    return [];
  }
  // Checked before walking, so a huge list costs nothing.
  if (raw.length > MAX_LAYERS) {
    errors.push({ path: name, message: `has ${formatNumber(raw.length)} layers, more than the ${MAX_LAYERS} the editor can show; remove some layers` });
    return [];
  }
  const layers: LayerSpec[] = [];
  raw.forEach((item, i) => {
    const layer = readLayer(item, `${name}[${i}]`, errors);
    if (layer) layers.push(layer);
  });
  return layers;
}
