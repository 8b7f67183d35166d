/**
 * The structural half of reading a model.json: find the topology (tfjs and Keras wrap it
 * differently), list its layers, check that a functional model is one straight chain, and read
 * the input shape. Each problem is one sentence. Pure; never trusts a field's type.
 */
import { INPUT_SHAPE } from '../spec';
import { showValue } from '../limits';
import type { Dict } from './import-layers';

/** One layer of the file, as read: its 1-based position, name, class and config. */
export interface RawLayer {
  position: number;
  name: string;
  className: string;
  config: Dict;
}

/** Most layers a file may list (inputs and LeakyReLU layers come on top of the app's 40). */
export const MAX_FILE_LAYERS = 200;

const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (d: Dict, key: string): unknown => (Object.hasOwn(d, key) ? d[key] : undefined);
const FUNCTIONAL = new Set(['Model', 'Functional']);

/** Finds the layer list of a model.json, its modelTopology, or a Keras model_config. */
export function unwrapTopology(json: unknown): { layers: RawLayer[] } | { error: string } {
  if (!isDict(json)) return { error: `expected a tfjs Layers model.json (an object with a modelTopology), not ${showValue(json)}` };
  if (own(json, 'format') === 'graph-model') {
    return { error: 'this is a tfjs graph model (converted from a TensorFlow SavedModel); CNN Playground imports Layers models (format "layers-model")' };
  }
  let top: unknown = json;
  if (Object.hasOwn(json, 'modelTopology')) top = own(json, 'modelTopology');
  if (isDict(top) && Object.hasOwn(top, 'model_config')) top = own(top, 'model_config');
  if (!isDict(top)) return { error: `the model's topology must be an object, not ${showValue(top)}` };
  const cls = own(top, 'class_name');
  const config = own(top, 'config');
  if (cls !== 'Sequential' && !(typeof cls === 'string' && FUNCTIONAL.has(cls))) {
    return { error: `the model is a ${showValue(cls)}; CNN Playground reads Sequential models and functional models that are a single chain of layers` };
  }
  // Old Keras writes a Sequential's config as the bare layer list.
  const list = Array.isArray(config) ? config : isDict(config) ? own(config, 'layers') : undefined;
  if (!Array.isArray(list)) return { error: 'the model lists no layers (its config has no "layers" list)' };
  if (list.length > MAX_FILE_LAYERS) return { error: `the model lists ${list.length} layers, more than the ${MAX_FILE_LAYERS} CNN Playground reads` };
  const layers: RawLayer[] = [];
  for (const [i, entry] of list.entries()) {
    const layer = readEntry(entry, i + 1);
    if ('error' in layer) return layer;
    layers.push(layer);
  }
  if (cls !== 'Sequential') {
    const chain = checkChain(list as Dict[], layers, isDict(config) ? config : {});
    if (chain) return { error: chain };
  }
  return { layers };
}

function readEntry(entry: unknown, position: number): RawLayer | { error: string } {
  if (!isDict(entry)) return { error: `layer ${position} must be an object with class_name and config, not ${showValue(entry)}` };
  const className = own(entry, 'class_name');
  const config = own(entry, 'config') ?? {};
  if (typeof className !== 'string' || !isDict(config)) {
    return { error: `layer ${position} must have a class_name (text) and a config (an object)` };
  }
  const name = own(entry, 'name') ?? own(config, 'name') ?? `layer_${position}`;
  if (typeof name !== 'string') return { error: `layer ${position} has a name that is not text: ${showValue(name)}` };
  return { position, name, className, config };
}

/** Names of the layers feeding a functional layer, in the Keras 2/tfjs or the Keras 3 format. */
function inboundNames(entry: Dict): string[] {
  const names: string[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (depth > 6) return;
    if (Array.isArray(v)) {
      // Keras 2 / tfjs: [layer_name, node_index, tensor_index, kwargs]
      if (typeof v[0] === 'string' && typeof v[1] === 'number') names.push(v[0]);
      else v.forEach((x) => visit(x, depth + 1));
    } else if (isDict(v)) {
      const cfg = own(v, 'config');
      const history = isDict(cfg) ? own(cfg, 'keras_history') : undefined;
      // Keras 3: {"class_name": "__keras_tensor__", "config": {"keras_history": [name, 0, 0]}}
      if (Array.isArray(history) && typeof history[0] === 'string') names.push(history[0]);
      else Object.values(v).forEach((x) => visit(x, depth + 1));
    }
  };
  visit(own(entry, 'inbound_nodes') ?? [], 0);
  return names;
}

/** Says why a functional model is not one straight chain from its first listed layer to its last, or null. */
function checkChain(entries: Dict[], layers: RawLayer[], config: Dict): string | null {
  for (let i = 0; i < layers.length; i++) {
    const from = inboundNames(entries[i]!);
    const want = i === 0 ? [] : [layers[i - 1]!.name];
    if (from.length === want.length && from.every((n, k) => n === want[k])) continue;
    const l = layers[i]!;
    const what = from.length === 0 ? 'takes no input' : `takes its input from ${from.slice(0, 3).map((n) => showValue(n)).join(' and ')}`;
    const expected = i === 0 ? 'the first layer should be the input' : `CNN Playground needs one straight chain, with each layer fed by the one listed before it (${showValue(layers[i - 1]!.name)})`;
    return `layer ${l.position} ${showValue(l.name)} (${showValue(l.className).slice(1, -1)}) ${what}; ${expected}`;
  }
  const outputs = JSON.stringify(own(config, 'output_layers') ?? null);
  const last = layers[layers.length - 1];
  if (last && !outputs.includes(JSON.stringify(last.name))) {
    return `the model's output is not its last listed layer ${showValue(last.name)}; CNN Playground needs one straight chain ending in the output`;
  }
  return null;
}

/** The input shape, from an InputLayer or the first layer's batch shape: 28x28x1, or 784 flat values. */
export function readInputShape(layers: RawLayer[]): { flat: boolean } | { error: string } {
  const first = layers[0];
  if (!first) return { error: 'the model has no layers' };
  const shape = own(first.config, 'batch_input_shape') ?? own(first.config, 'batch_shape');
  if (!Array.isArray(shape)) {
    return { error: 'the model does not say its input shape (no batch_input_shape on its first layer or InputLayer)' };
  }
  const dims = shape.slice(1);
  const image = [...INPUT_SHAPE];
  if (dims.length === 3 && dims.every((d, i) => d === image[i])) return { flat: false };
  if (dims.length === 1 && dims[0] === image[0] * image[1] * image[2]) return { flat: true };
  const shown = dims.map((d) => (typeof d === 'number' ? String(d) : '?')).join('x');
  return { error: `the model reads inputs of shape ${shown.slice(0, 60)}; CNN Playground feeds 28x28x1 MNIST images (or 784 flat values)` };
}
