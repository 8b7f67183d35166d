/**
 * Checks untrusted tfjs Layers model files (model.json text plus the weight files' names and
 * sizes) before any tensor is made: the manifest must be well formed, every declared weight must
 * be float32 with a sane shape, the total must stay under a cap, and the files must hold exactly
 * the bytes the manifest declares. Only sizes are read, never file contents, so a file claiming
 * 2 GB is refused without allocating anything. Pure.
 */
import { formatMegabytes, formatNumber, showValue } from '../limits';
import type { LayerSpec } from '../spec';
import { expectedWeights } from './weights';

/** Longest model.json text read; the app's largest models need well under 1 MB of topology. */
export const MAX_MODEL_JSON_CHARS = 4 * 1024 * 1024;
/** Most weight bytes a model may declare: 5M float32 parameters (the spec cap) are 20 MB. */
export const MAX_WEIGHT_BYTES = 64 * 1024 * 1024;
/** Most weights, weight groups and files a manifest may list. */
export const MAX_WEIGHT_ENTRIES = 1000;
/** Most axes a weight may have (a Conv2D kernel has 4). */
export const MAX_RANK = 6;

/** A weight file offered with model.json: its name and size, never its bytes. */
export interface WeightFileInfo {
  name: string;
  byteLength: number;
}
/** One checked weight of the manifest. */
export interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: 'float32';
  /** Present when the values are stored quantized (tfjs dequantizes them to float32 on load). */
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale: number; min: number };
  /** Bytes it takes in the weight files. */
  byteLength: number;
}
/** One checked group of the manifest: its files (in order) and the weights stored across them. */
export interface ManifestGroup {
  paths: string[];
  /** The offered file each path refers to (matched by the part after the last `/`, as tfjs does). */
  files: string[];
  weights: ManifestWeight[];
}
/** model.json and its weight files, checked. */
export interface CheckedModelFiles {
  /** The parsed model.json (its modelTopology goes to specFromTopology). */
  modelJson: Readonly<Record<string, unknown>>;
  groups: ManifestGroup[];
  /** Every weight in manifest order. */
  weights: ManifestWeight[];
  totalBytes: number;
}
/** The verdict on a set of model files. */
export type ModelFilesResult = { ok: true; files: CheckedModelFiles } | { ok: false; message: string };

type Dict = Readonly<Record<string, unknown>>;
class Refusal extends Error {}
const refuse = (message: string): never => {
  throw new Refusal(message);
};
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (d: Dict, key: string): unknown => (Object.hasOwn(d, key) ? d[key] : undefined);
const QUANT_BYTES: Readonly<Record<string, number>> = { uint8: 1, uint16: 2, float16: 2 };
const basename = (path: string): string => path.replace(/\/+$/, '').split('/').pop() ?? path;
const bytes = (n: number): string => `${formatNumber(n)} bytes`;

function parseJson(text: unknown): Dict {
  if (typeof text !== 'string') return refuse('model.json must be text');
  if (text.length > MAX_MODEL_JSON_CHARS) {
    return refuse(`model.json is ${formatMegabytes(text.length)}, more than the ${formatMegabytes(MAX_MODEL_JSON_CHARS)} a model CNN Playground can train needs; is it the right file?`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const why = error instanceof Error ? error.message.slice(0, 120) : 'it cannot be parsed';
    return refuse(`model.json is not JSON (${why}); choose the model.json that tfjs wrote`);
  }
  if (!isDict(json)) return refuse(`model.json must hold an object with modelTopology and weightsManifest, not ${showValue(json)}`);
  if (own(json, 'format') === 'graph-model') {
    return refuse('model.json is a tfjs graph model (converted from a TensorFlow SavedModel); CNN Playground imports Layers models');
  }
  if (!isDict(own(json, 'modelTopology'))) return refuse('model.json has no modelTopology, so it is not a tfjs Layers model');
  if (!Array.isArray(own(json, 'weightsManifest'))) return refuse('model.json has no weightsManifest list, so it does not say where its weights are');
  return json;
}

/** Reads a shape, refusing bad axes and stopping the product as soon as it passes the byte cap. */
function readShape(raw: unknown, name: string, bytesPerValue: number): { shape: number[]; byteLength: number } {
  const what = `weight ${showValue(name)}`;
  if (!Array.isArray(raw)) return refuse(`${what} has no shape list`);
  if (raw.length > MAX_RANK) return refuse(`${what} has ${raw.length} axes; no layer CNN Playground builds has more than ${MAX_RANK}`);
  let count = 1;
  for (const d of raw) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      return refuse(`${what} has the size ${showValue(d)} in its shape; sizes must be whole numbers, 0 or more`);
    }
    count *= d;
    if (count * bytesPerValue > MAX_WEIGHT_BYTES) {
      return refuse(`${what} declares a shape of [${raw.map((x) => showValue(x)).join(', ')}], more than the ${formatMegabytes(MAX_WEIGHT_BYTES)} CNN Playground reads`);
    }
  }
  return { shape: raw as number[], byteLength: count * bytesPerValue };
}

function readWeight(raw: unknown, seen: Set<string>): ManifestWeight {
  if (!isDict(raw)) return refuse(`every weight in weightsManifest must be an object with name, shape and dtype, not ${showValue(raw)}`);
  const name = own(raw, 'name');
  if (typeof name !== 'string' || name.length === 0 || name.length > 500) return refuse(`a weight has no usable name (${showValue(name)})`);
  if (seen.has(name)) return refuse(`the weight ${showValue(name)} is listed twice in weightsManifest`);
  seen.add(name);
  const dtype = own(raw, 'dtype');
  if (dtype !== 'float32') return refuse(`weight ${showValue(name)} has dtype ${showValue(dtype)}; CNN Playground reads float32 weights only`);
  const quant = own(raw, 'quantization');
  let quantization: ManifestWeight['quantization'];
  if (quant !== undefined && quant !== null) {
    const q = isDict(quant) ? own(quant, 'dtype') : undefined;
    if (typeof q !== 'string' || !Object.hasOwn(QUANT_BYTES, q)) {
      return refuse(`weight ${showValue(name)} is quantized as ${showValue(q)}; tfjs stores quantized weights as uint8, uint16 or float16`);
    }
    // tfjs stores value = q * scale + min for uint8 and uint16; float16 needs neither.
    const scale = own(quant as Dict, 'scale') ?? 1;
    const min = own(quant as Dict, 'min') ?? 0;
    if (typeof scale !== 'number' || !Number.isFinite(scale) || typeof min !== 'number' || !Number.isFinite(min)) {
      return refuse(`weight ${showValue(name)} has a quantization scale or min that is not a finite number`);
    }
    quantization = { dtype: q as 'uint8', scale, min };
  }
  const { shape, byteLength } = readShape(own(raw, 'shape'), name, quantization ? QUANT_BYTES[quantization.dtype]! : 4);
  return { name, shape, dtype, ...(quantization ? { quantization } : {}), byteLength };
}

function readGroup(raw: unknown, index: number, seen: Set<string>, paths: Set<string>): Omit<ManifestGroup, 'files'> {
  const where = `weightsManifest[${index}]`;
  if (!isDict(raw)) return refuse(`${where} must be an object with paths and weights`);
  const rawPaths = own(raw, 'paths');
  const rawWeights = own(raw, 'weights');
  if (!Array.isArray(rawPaths) || !rawPaths.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 500)) {
    return refuse(`${where}.paths must be a list of file names`);
  }
  if (!Array.isArray(rawWeights)) return refuse(`${where}.weights must be a list`);
  if (rawPaths.length > MAX_WEIGHT_ENTRIES || rawWeights.length > MAX_WEIGHT_ENTRIES) {
    return refuse(`${where} lists more than ${formatNumber(MAX_WEIGHT_ENTRIES)} files or weights`);
  }
  for (const p of rawPaths as string[]) {
    if (paths.has(basename(p))) return refuse(`the weight file ${showValue(basename(p))} is named twice in weightsManifest`);
    paths.add(basename(p));
  }
  return { paths: rawPaths as string[], weights: rawWeights.map((w) => readWeight(w, seen)) };
}

/** Matches manifest paths to offered files by basename, refusing missing, duplicate and unused files. */
function matchFiles(groups: Array<Omit<ManifestGroup, 'files'>>, files: readonly WeightFileInfo[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const f of files) {
    if (typeof f.name !== 'string' || !Number.isSafeInteger(f.byteLength) || f.byteLength < 0) return refuse(`the weight file ${showValue(f.name)} has no readable size`);
    if (sizes.has(f.name)) return refuse(`two weight files are both called ${showValue(f.name)}`);
    sizes.set(f.name, f.byteLength);
  }
  const wanted = new Set(groups.flatMap((g) => g.paths.map(basename)));
  for (const name of wanted) {
    if (!sizes.has(name)) return refuse(`model.json needs the weight file ${showValue(name)}, which was not chosen; pick it together with model.json`);
  }
  for (const name of sizes.keys()) {
    if (!wanted.has(name)) return refuse(`the file ${showValue(name)} is not named in model.json's weightsManifest; choose only model.json and its weight files`);
  }
  return sizes;
}

/** Checks that one group's files hold exactly its weights' bytes, naming the first weight that does not fit. */
function checkGroupBytes(group: ManifestGroup, index: number, sizes: Map<string, number>): void {
  const available = group.files.reduce((n, f) => n + sizes.get(f)!, 0);
  let offset = 0;
  for (const w of group.weights) {
    if (offset + w.byteLength > available) {
      const kind = w.quantization?.dtype ?? w.dtype;
      return refuse(`weight ${showValue(w.name)} (${w.shape.join('x') || 'scalar'} ${kind}, ${bytes(w.byteLength)}) needs bytes ${formatNumber(offset)} to ${formatNumber(offset + w.byteLength)} ` +
        `of ${group.files.map((f) => showValue(f)).join(' + ')}, but ${available === 0 ? 'they are empty' : `they hold only ${bytes(available)}`}; the weight files do not match model.json`);
    }
    offset += w.byteLength;
  }
  if (offset !== available) {
    refuse(`weightsManifest[${index}] declares ${bytes(offset)} of weights, but its files hold ${bytes(available)}; the weight files do not match model.json`);
  }
}

function check(modelJsonText: string, weightFiles: readonly WeightFileInfo[]): CheckedModelFiles {
  const modelJson = parseJson(modelJsonText);
  const manifest = own(modelJson, 'weightsManifest') as unknown[];
  if (manifest.length > MAX_WEIGHT_ENTRIES) refuse(`weightsManifest lists ${formatNumber(manifest.length)} groups; no model CNN Playground trains needs that many`);
  const seen = new Set<string>();
  const paths = new Set<string>();
  const raw = manifest.map((g, i) => readGroup(g, i, seen, paths));
  if (seen.size > MAX_WEIGHT_ENTRIES) refuse(`weightsManifest lists ${formatNumber(seen.size)} weights; no model CNN Playground trains needs that many`);
  let totalBytes = 0;
  for (const w of raw.flatMap((g) => g.weights)) {
    totalBytes += w.byteLength;
    if (totalBytes > MAX_WEIGHT_BYTES) refuse(`model.json declares more than ${formatMegabytes(MAX_WEIGHT_BYTES)} of weights, more than CNN Playground reads`);
  }
  const sizes = matchFiles(raw, weightFiles);
  const groups = raw.map((g) => ({ ...g, files: g.paths.map(basename) }));
  groups.forEach((g, i) => checkGroupBytes(g, i, sizes));
  return { modelJson, groups, weights: groups.flatMap((g) => g.weights), totalBytes };
}

/**
 * Checks model.json text and the names and sizes of the chosen weight files. Never throws;
 * a refusal is one sentence naming the file, weight or field at fault.
 */
export function checkModelFiles(modelJsonText: string, weightFiles: readonly WeightFileInfo[]): ModelFilesResult {
  try {
    return { ok: true, files: check(modelJsonText, weightFiles) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, message: error.message };
    return { ok: false, message: 'could not read these model files; choose the model.json and weight files that tfjs wrote' };
  }
}

/**
 * Checks that the files hold exactly the weights a stack needs: each one by name, with the shape
 * the shape analysis gives. `fileLayerNames` are the file's layer names (from specFromTopology);
 * by default the names the app gives its own layers.
 */
export function weightsMatchSpec(files: CheckedModelFiles, layers: LayerSpec[], fileLayerNames?: readonly string[]): { ok: true } | { ok: false; message: string } {
  const expected = expectedWeights(layers, fileLayerNames);
  const byName = new Map(files.weights.map((w) => [w.name, w]));
  for (const e of expected) {
    const found = byName.get(e.name);
    if (!found) return { ok: false, message: `the weight files have no ${showValue(e.name)}, which layer ${e.layer + 1} needs (shape ${e.shape.join('x')})` };
    if (found.shape.length !== e.shape.length || found.shape.some((d, i) => d !== e.shape[i])) {
      return { ok: false, message: `weight ${showValue(e.name)} has shape ${found.shape.join('x')}, but layer ${e.layer + 1} needs ${e.shape.join('x')}` };
    }
  }
  const needed = new Set(expected.map((e) => e.name));
  const extra = files.weights.find((w) => !needed.has(w.name));
  if (extra) return { ok: false, message: `the weight files hold ${showValue(extra.name)}, which no layer of the model uses` };
  return { ok: true };
}
