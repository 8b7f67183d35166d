/**
 * Analysis of a generative spec's two networks. Each body goes through the classifier's own
 * `analyze` (src/model/shapes.ts) on its own input shape, so shapes, parameters, FLOPs and field
 * errors come from the one per-kind table; the fixed parts around the bodies (flatten, the label,
 * the mean/log-variance head, the pixel logits) are added here as fixed rows. Pure.
 */
import { analyze, checkBudgets, type SpecAnalysis } from '../shapes';
import { formatShape } from '../layers';
import type { LayerSpec, SpecError } from '../spec';
import { GEN_CLASSES, PIXELS, bodyInputShape, isConditional, type GenNetwork, type GenSpecError, type GenerativeSpec } from './spec';

/** A part of a network the app adds itself: shown in the ledger, not editable. */
export interface FixedRow {
  /** What it is, e.g. `Dense 4: mean and log-variance`. */
  label: string;
  outputShape: number[];
  params: number;
  flops: number;
  /** Float32 output per example. */
  activationBytes: number;
}

/** One network: its body as the layer editor shows it, plus the fixed rows after it. */
export interface NetworkAnalysis {
  network: GenNetwork;
  /** The input row's text, e.g. `Input: latent code + one-hot label`. */
  inputLabel: string;
  /**
   * The body's analysis (paths `layers[i]...`, as the editor expects), with the totals of the
   * whole network (fixed rows included) and every error of this network (the decoder's ending and
   * the budgets included), so `valid` means the network can be built.
   */
  body: SpecAnalysis;
  /** Fixed rows after the body; empty while the body's output is unknown. */
  head: FixedRow[];
}

/** Both networks, and totals over them. */
export interface GenAnalysis {
  encoder: NetworkAnalysis;
  decoder: NetworkAnalysis;
  totalParams: number;
  /** Forward FLOPs per example through encoder and decoder. */
  flopsPerExample: number;
  /** Float32 layer outputs per example of both networks. */
  activationBytes: number;
  /** Every error, with paths such as `decoder[3].filters` or `encoder`. */
  errors: GenSpecError[];
  valid: boolean;
}

const BYTES = 4;
const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** What to add to a decoder whose body ends with `shape` instead of 784 values. */
function endAdvice(layers: LayerSpec[], shape: number[]): string {
  if (shape.length === 3) {
    const [h, w] = shape as [number, number, number];
    if (h === 14 && w === 14) return 'add a Conv2DTranspose 1 3x3 stride 2 same, or Flatten and a Dense 784';
    if (h === 28 && w === 28) return 'add a Conv2DTranspose 1 3x3 same (one channel), or Flatten and a Dense 784';
    return 'add Flatten and a Dense 784 at the end';
  }
  return layers.at(-1)?.kind === 'dense' ? 'set the last Dense to 784 units' : 'add a Dense 784 at the end';
}

/** The decoder's ending: exactly 784 values, and logits (a linear last activation). */
export function decoderEnd(layers: LayerSpec[], shape: number[]): SpecError[] {
  const path = layers.length ? `layers[${layers.length - 1}]` : 'layers';
  if (product(shape) !== PIXELS) {
    return [{
      path,
      message: `the decoder must end with ${PIXELS} values (the 28x28 pixel logits), but it ends with ${formatShape(shape)}; ${endAdvice(layers, shape)}`,
    }];
  }
  const last = layers.at(-1);
  if (last && 'activation' in last && last.activation !== 'linear') {
    return [{
      path: `${path}.activation`,
      message: `${last.activation} cannot end the decoder: its outputs are the pixel logits, and the loss applies the sigmoid itself; use linear`,
    }];
  }
  return [];
}

function fixed(label: string, outputShape: number[], params = 0, flops = 0): FixedRow {
  return { label, outputShape, params, flops, activationBytes: product(outputShape) * BYTES };
}

/** The fixed rows after a body ending in `shape`. */
function headRows(spec: GenerativeSpec, network: GenNetwork, shape: number[]): FixedRow[] {
  if (network === 'decoder') return [fixed('Pixel logits (fixed): 28x28', [PIXELS])];
  const rows: FixedRow[] = [];
  let n = product(shape);
  if (shape.length > 1) rows.push(fixed('Flatten (fixed)', [n]));
  if (isConditional(spec) && spec.encoderInput === 'image') {
    n += GEN_CLASSES;
    rows.push(fixed('+ one-hot label (fixed)', [n]));
  }
  const units = 2 * spec.latentSize;
  rows.push(fixed(`Dense ${units}: mean and log-variance (fixed)`, [units], n * units + units, units * (2 * n + 1)));
  return rows;
}

function inputLabel(spec: GenerativeSpec, network: GenNetwork): string {
  const label = isConditional(spec) ? ' + one-hot label' : '';
  if (network === 'decoder') return `Input: latent code${label}`;
  return spec.encoderInput === 'flat' ? `Input: image pixels${label}, flat` : 'Input: image';
}

/** One network of a spec, from its body through the fixed rows. */
export function analyzeNetwork(spec: GenerativeSpec, network: GenNetwork): NetworkAnalysis {
  const layers = spec[network];
  const body = analyze(layers, {
    inputShape: bodyInputShape(spec, network),
    allowEmpty: true,
    budgets: false,
    checkEnd: network === 'decoder' ? decoderEnd : () => [],
  });
  const known = body.layers.length === layers.length && body.layers.every((la) => la.outputShape !== null);
  const last = body.layers.at(-1)?.outputShape ?? body.inputShape;
  const head = known && last ? headRows(spec, network, last) : [];
  const sum = (key: 'params' | 'flops' | 'activationBytes') => head.reduce((s, r) => s + r[key], 0);
  const totals = {
    totalParams: body.totalParams + sum('params'),
    trainableParams: body.trainableParams + sum('params'),
    totalFlops: body.totalFlops + sum('flops'),
    totalActivationBytes: body.totalActivationBytes + sum('activationBytes'),
  };
  const errors = [...body.errors, ...(known ? checkBudgets(totals) : [])];
  return { network, inputLabel: inputLabel(spec, network), body: { ...body, ...totals, errors, valid: errors.length === 0 }, head };
}

/** How many values the encoder's fixed mean/log-variance Dense takes (the body's output flattened, plus the label when it joins there). */
export function headInputSize(encoder: NetworkAnalysis): number {
  const rows = encoder.head;
  const before = rows.length > 1 ? rows[rows.length - 2]!.outputShape : (encoder.body.layers.at(-1)?.outputShape ?? encoder.body.inputShape);
  return product(before);
}

/** `layers[2].filters` -> `decoder[2].filters`; `layers` -> `decoder`. */
export function networkPath(network: GenNetwork, path: string): string {
  return path.replace(/^layers/, network);
}

/** Both networks of a spec, their totals and every error. */
export function analyzeGenerative(spec: GenerativeSpec): GenAnalysis {
  const encoder = analyzeNetwork(spec, 'encoder');
  const decoder = analyzeNetwork(spec, 'decoder');
  const errors = [encoder, decoder].flatMap((n) => n.body.errors.map((e) => ({ path: networkPath(n.network, e.path), message: e.message })));
  return {
    encoder,
    decoder,
    totalParams: encoder.body.totalParams + decoder.body.totalParams,
    flopsPerExample: encoder.body.totalFlops + decoder.body.totalFlops,
    activationBytes: encoder.body.totalActivationBytes + decoder.body.totalActivationBytes,
    errors,
    valid: errors.length === 0,
  };
}
