/**
 * One-click fixes for a generative network's body, in the classifier editor's `Fix` form (the
 * layers after the fix). A layer that does not suit its input gets the classifier's own fixes
 * (src/model/fixes.ts: padding same, insert Flatten or Reshape, fit a Reshape, repair a field);
 * those are checked there on the classifier's 28x28x1 input, so a body with a flat input is
 * analysed behind a stand-in prefix (Flatten, then a Dense with as many units as the real input
 * has values), which gives later layers exactly the body's input shape, and fixes that touch the
 * prefix are dropped. The decoder's ending (784 logits) and a GAN generator's ending (784 values
 * through tanh or sigmoid) have fixes of their own here. Pure.
 */
import { insertLayer, updateLayer } from '../edit';
import { suggestFixes, type Fix } from '../fixes';
import { analyze } from '../shapes';
import type { LayerSpec } from '../spec';
import { analyzeNetwork, decoderEnd, type NetworkAnalysis } from './analyze';
import { analyzeGanNetwork, generatorEnd, type GanNetwork, type GanNetworkAnalysis, type GanSpec } from './gan-spec';
import { GEN_CLASSES, PIXELS, bodyInputShape, type GenNetwork, type GenerativeSpec } from './spec';

const PREFIX = 2;

/** The classifier's fixes for the first failing layer of a body, mapped back onto the body. */
function layerFixes(input: number[], layers: LayerSpec[]): Fix[] {
  if (input.length === 3) return suggestFixes(layers, analyze(layers)).filter((f) => f.layerIndex !== null);
  const prefix: LayerSpec[] = [{ kind: 'flatten' }, { kind: 'dense', units: input[0]!, activation: 'linear' }];
  const padded = [...prefix, ...layers];
  const shift = (text: string) => text.replace(/(@|\[)(\d+)/g, (_m, sep: string, i: string) => `${sep}${Number(i) - PREFIX}`);
  return suggestFixes(padded, analyze(padded))
    .filter((f) => f.layerIndex !== null && f.layerIndex >= PREFIX && f.layers[0] === prefix[0] && f.layers[1] === prefix[1])
    .map((f) => ({ ...f, id: shift(f.id), path: shift(f.path), layerIndex: f.layerIndex! - PREFIX, layers: f.layers.slice(PREFIX) }));
}

/** A layer appended at the end with some fields set. */
function append(layers: LayerSpec[], kind: LayerSpec['kind'], patch: Record<string, number | string>): LayerSpec[] {
  const added = insertLayer(layers, kind, layers.length);
  return added === layers ? layers : updateLayer(added, layers.length, patch);
}

/** Candidate repairs of a decoder that does not end in 784 logits. */
function endCandidates(layers: LayerSpec[], shape: number[]): Omit<Fix, 'path'>[] {
  const n = layers.length - 1;
  const last = layers[n];
  const out: Omit<Fix, 'path'>[] = [];
  const add = (id: string, label: string, next: LayerSpec[]) => out.push({ id, label, layerIndex: n < 0 ? null : n, layers: next });
  if (last && 'activation' in last && last.activation !== 'linear') add(`linear@${n}`, 'use a linear activation', updateLayer(layers, n, { activation: 'linear' }));
  if (last?.kind === 'dense') add(`last-dense@${n}`, `set the last Dense to ${PIXELS} units, linear`, updateLayer(layers, n, { units: PIXELS, activation: 'linear' }));
  if (shape.length === 3) {
    const stride = shape[0] === 14 && shape[1] === 14 ? 2 : 1;
    const convT = { filters: 1, kernelSize: 3, stride, padding: 'same', activation: 'linear' };
    add('append-conv-t', `add Conv2DTranspose 1 3x3${stride > 1 ? ' stride 2' : ''} same`, append(layers, 'conv2dTranspose', convT));
    add('append-dense', `add Flatten and Dense ${PIXELS}`, append(append(layers, 'flatten', {}), 'dense', { units: PIXELS, activation: 'linear' }));
  } else if (last?.kind !== 'dense') {
    add('append-dense', `add Dense ${PIXELS} at the end`, append(layers, 'dense', { units: PIXELS, activation: 'linear' }));
  }
  return out;
}

/** The one-click fixes for the first problem of one network (empty when there is none, or no obvious fix). */
export function suggestNetworkFixes(spec: GenerativeSpec, network: GenNetwork, analysis: NetworkAnalysis = analyzeNetwork(spec, network)): Fix[] {
  const layers = spec[network];
  const { body } = analysis;
  if (body.layers.some((la) => la.errors.length > 0)) return layerFixes(bodyInputShape(spec, network), layers);
  if (network !== 'decoder' || body.layers.length !== layers.length) return [];
  const shape = body.layers.at(-1)?.outputShape ?? body.inputShape;
  const [error] = decoderEnd(layers, shape);
  if (!error) return [];
  // Keep only repairs that give a decoder ending in 784 logits with no new problem.
  return endCandidates(layers, shape)
    .filter((c) => analyzeNetwork({ ...spec, [network]: c.layers }, network).body.valid)
    .map((c) => ({ ...c, path: error.path }));
}

/** Candidate repairs of a GAN generator that does not end in 784 values through tanh or sigmoid. */
function generatorCandidates(layers: LayerSpec[], shape: number[]): Omit<Fix, 'path'>[] {
  const n = layers.length - 1;
  const last = layers[n];
  const out: Omit<Fix, 'path'>[] = [];
  const add = (id: string, label: string, next: LayerSpec[]) => out.push({ id, label, layerIndex: n < 0 ? null : n, layers: next });
  if (last && 'activation' in last) add(`tanh@${n}`, 'use a tanh activation', updateLayer(layers, n, { activation: 'tanh' }));
  // Already 784 values: only the squashing is missing, so no layer needs adding.
  if (shape.reduce((a, b) => a * b, 1) === PIXELS) return out;
  if (last?.kind === 'dense') add(`last-dense@${n}`, `set the last Dense to ${PIXELS} units, tanh`, updateLayer(layers, n, { units: PIXELS, activation: 'tanh' }));
  if (shape.length === 3) {
    const stride = shape[0] === 14 && shape[1] === 14 ? 2 : 1;
    const convT = { filters: 1, kernelSize: 3, stride, padding: 'same', activation: 'tanh' };
    add('append-conv-t', `add Conv2DTranspose 1 3x3${stride > 1 ? ' stride 2' : ''} same, tanh`, append(layers, 'conv2dTranspose', convT));
    add('append-dense', `add Flatten and Dense ${PIXELS}, tanh`, append(append(layers, 'flatten', {}), 'dense', { units: PIXELS, activation: 'tanh' }));
  } else if (last?.kind !== 'dense') {
    add('append-dense', `add Dense ${PIXELS} with tanh at the end`, append(layers, 'dense', { units: PIXELS, activation: 'tanh' }));
  }
  return out;
}

/** The one-click fixes for the first problem of one network of a conditional GAN. */
export function suggestGanNetworkFixes(spec: GanSpec, network: GanNetwork, analysis: GanNetworkAnalysis = analyzeGanNetwork(spec, network)): Fix[] {
  const layers = spec[network];
  const { body } = analysis;
  const input = network === 'generator' ? [spec.latentSize + GEN_CLASSES] : [28, 28, 1];
  if (body.layers.some((la) => la.errors.length > 0)) return layerFixes(input, layers);
  if (network !== 'generator' || body.layers.length !== layers.length) return [];
  const shape = body.layers.at(-1)?.outputShape ?? body.inputShape;
  const [error] = generatorEnd(layers, shape);
  if (!error) return [];
  // Keep only repairs that give a generator ending in 784 squashed values with no new problem.
  return generatorCandidates(layers, shape)
    .filter((c) => analyzeGanNetwork({ ...spec, [network]: c.layers }, network).body.valid)
    .map((c) => ({ ...c, path: error.path }));
}
