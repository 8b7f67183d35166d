/**
 * Reads an untrusted tfjs Layers model.json (or its modelTopology, or a Keras model_config) into
 * an app layer stack: a Sequential or a single-chain functional model whose input is 28x28x1
 * (or 784 flat values) and whose layers map onto the app's kinds. Anything else ends in one
 * sentence naming the layer and the reason. The stack then goes through parseSpec, so every
 * limit of a hand-written spec applies. Never throws. Pure.
 */
import type { LayerSpec, SpecError } from '../spec';
import { MAX_LAYERS, showValue } from '../limits';
import { analyze } from '../shapes';
import { parseSpec } from '../validate';
import { IMPORT_MAPPERS } from './import-layers';
import { expectedWeights, type ExpectedWeight } from './weights';
import { readInputShape, unwrapTopology, type RawLayer } from './topology-reader';

/** The result of reading a topology. */
export type TopologyImport =
  | {
      ok: true;
      layers: LayerSpec[];
      /** The file's tfjs layer name for each spec layer (the one holding its weights). */
      layerNames: string[];
      /** Every weight the stack needs: its name in the file, its name in the app's model, its shape. */
      weights: ExpectedWeight[];
      /** What was changed or dropped on the way (empty when the mapping is exact). */
      notes: string[];
    }
  | { ok: false; message: string };

/** Keras names of spec fields, so messages speak the file's language. */
const KERAS_FIELD: Readonly<Record<string, string>> = {
  kernelSize: 'kernel_size', stride: 'strides', poolSize: 'pool_size',
  height: 'target_shape[0]', width: 'target_shape[1]', channels: 'target_shape[2]',
};

const fail = (message: string): TopologyImport => ({ ok: false, message });
/** Says which file layer is meant: `layer 3 "lstm_1" (LSTM)`, 1-based as a person counts. */
const label = (l: RawLayer): string => `layer ${l.position} ${showValue(l.name)} (${showValue(l.className).slice(1, -1)})`;

interface Walked {
  raw: Record<string, unknown>[];
  sources: RawLayer[];
  notes: string[];
  axes: Array<{ index: number; axis: number; source: RawLayer }>;
}

/** Maps every file layer after the input onto a raw spec layer; LeakyReLU `<name>_leaky` folds into its layer, as the app writes it. */
function walk(layers: RawLayer[]): Walked | { error: string } {
  const out: Walked = { raw: [], sources: [], notes: [], axes: [] };
  for (const l of layers) {
    const prev = out.raw[out.raw.length - 1];
    const prevSource = out.sources[out.sources.length - 1];
    if (l.className === 'LeakyReLU' && prev && prevSource && l.name === `${prevSource.name}_leaky` && prev.activation === 'linear') {
      const folded = IMPORT_MAPPERS.LeakyReLU!(l.config);
      if ('error' in folded) return { error: `${label(l)} ${folded.error}` };
      prev.activation = 'leakyRelu';
      continue;
    }
    const mapper = Object.hasOwn(IMPORT_MAPPERS, l.className) ? IMPORT_MAPPERS[l.className] : undefined;
    if (!mapper) return { error: `${label(l)} has no counterpart in CNN Playground` };
    const mapped = mapper(l.config);
    if ('error' in mapped) return { error: `${label(l)} ${mapped.error}` };
    out.notes.push(...mapped.notes.map((n) => `${label(l)} ${n}`));
    if (mapped.axis !== undefined) out.axes.push({ index: out.raw.length, axis: mapped.axis, source: l });
    out.raw.push(mapped.layer);
    out.sources.push(l);
  }
  return out;
}

/** Rewrites a parseSpec error in terms of the file's layers. */
function explain(e: SpecError, sources: readonly RawLayer[]): string {
  const m = /^layers\[(\d+)\](?:\.(\w+))?$/.exec(e.path);
  if (!m) return `the model: ${e.message}`;
  const source = sources[Number(m[1])];
  const where = source ? label(source) : `layer ${Number(m[1]) + 1}`;
  const field = m[2] ? ` ${KERAS_FIELD[m[2]] ?? m[2]}` : '';
  return `${where}${field}: ${e.message}`;
}

/** Parses the mapped stack; a stack ending in 10 values without softmax (logits) gets a softmax layer. */
function parse(w: Walked): { layers: LayerSpec[]; sources: RawLayer[] } | { error: string } {
  const first = parseSpec({ version: 1, layers: w.raw });
  if (first.ok) return { layers: first.spec.layers, sources: w.sources };
  const last = w.raw[w.raw.length - 1];
  if (last && 'activation' in last && last.activation !== 'softmax') {
    const second = parseSpec({ version: 1, layers: [...w.raw, { kind: 'activation', activation: 'softmax' }] });
    if (second.ok) {
      w.notes.push('the model ends in 10 values without softmax (logits); a softmax Activation was added, which keeps every predicted digit');
      const added: RawLayer = { position: w.sources.length + 1, name: 'softmax_added', className: 'Activation', config: {} };
      return { layers: second.spec.layers, sources: [...w.sources, added] };
    }
  }
  return { error: first.errors.slice(0, 3).map((e) => explain(e, w.sources)).join('; ') };
}

/** Checks that every batch norm given a positive axis normalises the last axis of its input. */
function checkAxes(layers: LayerSpec[], axes: Walked['axes']): string | null {
  const analysis = analyze(layers);
  for (const { index, axis, source } of axes) {
    const rank = analysis.layers[index]!.inputShape.length;
    if (axis !== rank) return `${label(source)} normalises over axis ${axis}, but the last axis of its input is ${rank}`;
  }
  return null;
}

function read(json: unknown): TopologyImport {
  const top = unwrapTopology(json);
  if ('error' in top) return fail(top.error);
  const input = readInputShape(top.layers);
  if ('error' in input) return fail(input.error);
  const body = top.layers.filter((l) => l.className !== 'InputLayer' || l.position !== 1);
  if (body.length === 0) return fail('the model has no layers after its input');
  const walked = walk(body);
  if ('error' in walked) return fail(walked.error);
  if (input.flat) {
    // 784 flat values are the 28x28x1 image flattened row by row, which is what Flatten gives.
    walked.raw.unshift({ kind: 'flatten' });
    walked.sources.unshift({ position: 0, name: 'flatten_input', className: 'Flatten', config: {} });
    walked.axes.forEach((a) => (a.index += 1));
    walked.notes.push('the model reads 784 flat values; a Flatten layer was put first, which feeds it the same values');
  }
  if (walked.raw.length > MAX_LAYERS) {
    return fail(`the model has ${walked.raw.length} layers, more than the ${MAX_LAYERS} CNN Playground can show`);
  }
  const parsed = parse(walked);
  if ('error' in parsed) return fail(parsed.error);
  const axisProblem = checkAxes(parsed.layers, walked.axes);
  if (axisProblem) return fail(axisProblem);
  const layerNames = parsed.sources.map((s) => s.name);
  return { ok: true, layers: parsed.layers, layerNames, weights: expectedWeights(parsed.layers, layerNames), notes: walked.notes };
}

/**
 * Maps a tfjs Layers model.json (the whole file, its modelTopology, or a Keras model_config) onto
 * the app's layer kinds, or says which layer cannot be mapped and why. Never throws.
 */
export function specFromTopology(json: unknown): TopologyImport {
  try {
    return read(json);
  } catch {
    // Only exotic inputs get here (a Proxy or a throwing getter): JSON.parse cannot make them.
    return fail('could not read this model; choose the model.json file that tfjs or the tensorflowjs converter wrote');
  }
}

