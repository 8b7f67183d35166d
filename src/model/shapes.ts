/**
 * Walks a layer stack through the per-kind table: output shapes, parameters, FLOPs, activation
 * memory and every problem, each with a path and a sentence saying how to fix it. Pure.
 */
import { INPUT_SHAPE, NUM_CLASSES, type LayerKind, type LayerSpec, type SpecError } from './spec';
import { checkLayerFields, formatShape, layerInfo } from './layers';
import {
  MAX_ACTIVATION_BYTES, MAX_FLOPS, MAX_LAYERS, MAX_PARAMS, formatMegabytes, formatNumber,
} from './limits';

/** What one layer does to the tensor, and what it costs. */
export interface LayerAnalysis {
  index: number;
  kind: LayerKind;
  label: string;
  inputShape: number[];
  /** Null when this layer or an earlier one has an error. */
  outputShape: number[] | null;
  params: number;
  trainableParams: number;
  /** Forward FLOPs per example (convention in layers.ts). */
  flops: number;
  /** Float32 output per example. */
  activationBytes: number;
  errors: SpecError[];
}

/** The whole stack's shapes, totals and problems. */
export interface SpecAnalysis {
  inputShape: number[];
  layers: LayerAnalysis[];
  totalParams: number;
  trainableParams: number;
  totalFlops: number;
  totalActivationBytes: number;
  /** Every error, per-layer ones included, in stack order. */
  errors: SpecError[];
  valid: boolean;
}

const BYTES_PER_FLOAT = 4;
const FIX_END = `set the last Dense to ${NUM_CLASSES} units with softmax`;

/** Analysis of one layer whose input is unknown because an earlier layer failed. */
function blocked(layer: LayerSpec, index: number): LayerAnalysis {
  const label = layerInfo(layer.kind).label;
  return { index, kind: layer.kind, label, inputShape: [], outputShape: null, params: 0, trainableParams: 0, flops: 0, activationBytes: 0, errors: [] };
}

/** Runs one layer on a known input shape. */
function analyzeLayer(layer: LayerSpec, index: number, input: number[]): LayerAnalysis {
  const result: LayerAnalysis = { ...blocked(layer, index), inputShape: [...input] };
  const at = (field?: string): string => `layers[${index}]${field ? `.${field}` : ''}`;
  const fieldProblems = checkLayerFields(layer);
  if (fieldProblems.length > 0) {
    result.errors = fieldProblems.map((p) => ({ path: at(p.field), message: p.message }));
    return result;
  }
  const info = layerInfo(layer.kind);
  const output = info.outputShape(layer, input);
  if (!Array.isArray(output)) {
    result.errors = [{ path: at(output.field), message: output.message }];
    return result;
  }
  const params = info.params(layer, input);
  return {
    ...result,
    outputShape: output,
    params: params.total,
    trainableParams: params.trainable,
    flops: info.flops(layer, input, output),
    activationBytes: output.reduce((a, b) => a * b, 1) * BYTES_PER_FLOAT,
  };
}

/** Checks that the stack ends in 10 class probabilities. */
function checkEnd(layers: LayerSpec[], lastShape: number[]): SpecError[] {
  const last = layers[layers.length - 1]!;
  const softmax = 'activation' in last && last.activation === 'softmax';
  const isClasses = lastShape.length === 1 && lastShape[0] === NUM_CLASSES;
  if (softmax && isClasses) return [];
  const ends = !isClasses ? formatShape(lastShape) : `${NUM_CLASSES} values without softmax`;
  return [{
    path: `layers[${layers.length - 1}]`,
    message: `the network must end with ${NUM_CLASSES} softmax outputs, one per digit, but it ends with ${ends}; ${FIX_END}`,
  }];
}

/** Checks the stack-wide budgets that keep training inside a browser tab (shared with the generative networks). */
export function checkBudgets(a: Pick<SpecAnalysis, 'totalParams' | 'totalActivationBytes' | 'totalFlops'>): SpecError[] {
  const errors: SpecError[] = [];
  const add = (message: string): void => void errors.push({ path: 'layers', message });
  if (a.totalParams > MAX_PARAMS) {
    add(`the network has ${formatNumber(a.totalParams)} parameters, more than the ${formatNumber(MAX_PARAMS)} a browser tab ` +
      'can train; use fewer filters or units, or pool before Flatten');
  }
  if (a.totalActivationBytes > MAX_ACTIVATION_BYTES) {
    add(`each example needs ${formatMegabytes(a.totalActivationBytes)} of layer outputs, more than the ` +
      `${formatMegabytes(MAX_ACTIVATION_BYTES)} a browser tab can hold per example; use fewer filters, or pool or stride earlier`);
  }
  if (a.totalFlops > MAX_FLOPS) {
    add(`each example needs ${formatNumber(a.totalFlops)} FLOPs, more than the ${formatNumber(MAX_FLOPS)} that keep ` +
      'training responsive in a browser tab; use fewer filters, smaller kernels, or pool earlier');
  }
  return errors;
}

/** The error for a stack that is empty or has more than MAX_LAYERS layers, or null; shared with parseSpec. */
export function layerCountError(count: number): SpecError | null {
  if (count === 0) {
    return { path: 'layers', message: `the network has no layers; add at least Flatten and a Dense layer with ${NUM_CLASSES} units and softmax` };
  }
  if (count > MAX_LAYERS) {
    return { path: 'layers', message: `the network has ${formatNumber(count)} layers, more than the ${MAX_LAYERS} the editor can show; remove some layers` };
  }
  return null;
}

/**
 * How to analyse a stack other than the classifier (a generative network's body). Left out, each
 * option keeps the classifier's rule.
 */
export interface AnalyzeOptions {
  /** Input shape without the batch axis; default the 28x28x1 image. */
  inputShape?: readonly number[];
  /** Checks the output of the last layer (or the input, for an empty stack); default: 10 softmax outputs. */
  checkEnd?: (layers: LayerSpec[], lastShape: number[]) => SpecError[];
  /** Whether an empty stack is allowed (a body may be empty); default false. */
  allowEmpty?: boolean;
  /** Whether to check the parameter, memory and FLOP budgets on this stack alone; default true. */
  budgets?: boolean;
}

/** Infers every layer's shape, parameters and FLOPs from the input (28x28x1 unless told), and collects every problem. */
export function analyze(layers: LayerSpec[], options: AnalyzeOptions = {}): SpecAnalysis {
  const input = options.inputShape ? [...options.inputShape] : [...INPUT_SHAPE];
  const sizeError = options.allowEmpty && layers.length === 0 ? null : layerCountError(layers.length);
  const analysis: SpecAnalysis = {
    inputShape: [...input], layers: [], totalParams: 0, trainableParams: 0,
    totalFlops: 0, totalActivationBytes: 0, errors: sizeError ? [sizeError] : [], valid: false,
  };
  if (sizeError) return analysis;
  let shape: number[] | null = [...input];
  for (const [index, layer] of layers.entries()) {
    // After the first failure the input of later layers is unknown: report nothing more for them.
    const la: LayerAnalysis = shape ? analyzeLayer(layer, index, shape) : blocked(layer, index);
    shape = la.outputShape;
    analysis.layers.push(la);
    analysis.errors.push(...la.errors);
    analysis.totalParams += la.params;
    analysis.trainableParams += la.trainableParams;
    analysis.totalFlops += la.flops;
    analysis.totalActivationBytes += la.activationBytes;
  }
  if (shape) {
    analysis.errors.push(...(options.checkEnd ?? checkEnd)(layers, shape));
    if (options.budgets ?? true) analysis.errors.push(...checkBudgets(analysis));
  }
  analysis.valid = analysis.errors.length === 0;
  return analysis;
}
