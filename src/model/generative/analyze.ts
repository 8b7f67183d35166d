/**
 * Analysis of a generative spec's two networks: each layer's output shape, parameters and
 * forward FLOPs (the FLOPs convention of src/model/layers.ts: a multiply-add is 2 FLOPs, a bias
 * add 1, an activation 1 per output). Pure; the trainer builds exactly these layers.
 */
import { GEN_CLASSES, PIXELS, isConditional, type GenerativeSpec } from './spec';

/** One layer of an encoder or decoder, as the ledger shows it. */
export interface GenLayerRow {
  /** What the layer is, e.g. `dense 512, relu` or `concat image + label`. */
  label: string;
  /** Output shape without the batch axis. */
  outputShape: number[];
  params: number;
  flops: number;
}

/** Rows and totals of one network. */
export interface NetworkAnalysis {
  rows: GenLayerRow[];
  params: number;
}

/** Both networks, and totals over them. */
export interface GenAnalysis {
  encoder: NetworkAnalysis;
  decoder: NetworkAnalysis;
  totalParams: number;
  /** Forward FLOPs per example through encoder and decoder. */
  flopsPerExample: number;
}

/** A dense layer of `inputs` -> `units` with an activation (linear adds no FLOPs). */
function dense(label: string, inputs: number, units: number, activation: 'relu' | 'linear'): GenLayerRow {
  return {
    label: `${label}: dense ${units}${activation === 'relu' ? ', relu' : ''}`,
    outputShape: [units],
    params: inputs * units + units,
    flops: units * (2 * inputs + 1) + (activation === 'relu' ? units : 0),
  };
}

function network(rows: GenLayerRow[]): NetworkAnalysis {
  return { rows, params: rows.reduce((s, r) => s + r.params, 0) };
}

/** A 3x3 'same' convolution (stride 1 or 2) of an [h, w, inC] input to `filters` channels, with ReLU unless linear. */
function conv(label: string, input: number[], filters: number, stride: number, activation: 'relu' | 'linear'): GenLayerRow {
  const [h, w, c] = input as [number, number, number];
  const out = [Math.ceil(h / stride), Math.ceil(w / stride), filters];
  const n = out[0] * out[1] * filters;
  return {
    label: `${label}: conv2d ${filters} 3x3${stride > 1 ? ` stride ${stride}` : ''}, same${activation === 'relu' ? ', relu' : ''}`,
    outputShape: out, params: 9 * c * filters + filters, flops: n * (2 * 9 * c + 1) + (activation === 'relu' ? n : 0),
  };
}

/**
 * A 3x3 'same' transposed convolution: each input pixel scatters a 3x3xfilters patch, so it costs
 * 2 * 9 * inC * filters FLOPs per input pixel (Keras output size: input x stride).
 */
function convT(label: string, input: number[], filters: number, stride: number, activation: 'relu' | 'linear'): GenLayerRow {
  const [h, w, c] = input as [number, number, number];
  const out = [h * stride, w * stride, filters];
  const n = out[0] * out[1] * filters;
  return {
    label: `${label}: conv2dTranspose ${filters} 3x3${stride > 1 ? ` stride ${stride}` : ''}, same${activation === 'relu' ? ', relu' : ''}`,
    outputShape: out, params: 9 * c * filters + filters, flops: h * w * 2 * 9 * c * filters + n + (activation === 'relu' ? n : 0),
  };
}

/** The convolutional family: the image goes through two stride-2 convolutions; the label joins at the bottleneck. */
function analyzeConv(spec: Pick<GenerativeSpec, 'kind' | 'latentSize' | 'hiddenSize'>): [NetworkAnalysis, NetworkAnalysis] {
  const label = isConditional(spec) ? GEN_CLASSES : 0;
  const f = spec.hiddenSize;
  const z = spec.latentSize;
  const c1 = conv('down 1', [28, 28, 1], f, 2, 'relu');
  const c2 = conv('down 2', c1.outputShape, 2 * f, 2, 'relu');
  const flat = c2.outputShape[0] * c2.outputShape[1] * c2.outputShape[2];
  const encoder = network([
    { label: 'input: image', outputShape: [28, 28, 1], params: 0, flops: 0 },
    c1, c2,
    { label: label ? 'flatten + one-hot label' : 'flatten', outputShape: [flat + label], params: 0, flops: 0 },
    dense('mean', flat + label, z, 'linear'),
    dense('log-variance', flat + label, z, 'linear'),
  ]);
  const seed = dense('hidden', z + label, 7 * 7 * f, 'relu');
  const u1 = convT('up 1', [7, 7, f], 2 * f, 2, 'relu');
  const u2 = convT('up 2', u1.outputShape, f, 2, 'relu');
  const decoder = network([
    { label: label ? 'input: latent code + one-hot label' : 'input: latent code', outputShape: [z + label], params: 0, flops: 0 },
    seed,
    { label: 'reshape', outputShape: [7, 7, f], params: 0, flops: 0 },
    u1, u2,
    convT('pixel logits', u2.outputShape, 1, 1, 'linear'),
  ]);
  return [encoder, decoder];
}

/** The layer rows of the encoder and decoder a spec describes. */
export function analyzeGenerative(spec: Pick<GenerativeSpec, 'kind' | 'latentSize' | 'hiddenSize'> & { architecture?: GenerativeSpec['architecture'] }): GenAnalysis {
  if (spec.architecture === 'conv') return totals(...analyzeConv(spec));
  const label = isConditional(spec) ? GEN_CLASSES : 0;
  const { latentSize: z, hiddenSize: h } = spec;
  const encIn = PIXELS + label;
  const decIn = z + label;
  const encoder = network([
    { label: label ? 'input: image + one-hot label' : 'input: image', outputShape: [encIn], params: 0, flops: 0 },
    dense('hidden', encIn, h, 'relu'),
    dense('mean', h, z, 'linear'),
    dense('log-variance', h, z, 'linear'),
  ]);
  const decoder = network([
    { label: label ? 'input: latent code + one-hot label' : 'input: latent code', outputShape: [decIn], params: 0, flops: 0 },
    dense('hidden', decIn, h, 'relu'),
    dense('pixel logits', h, PIXELS, 'linear'),
  ]);
  return totals(encoder, decoder);
}

function totals(encoder: NetworkAnalysis, decoder: NetworkAnalysis): GenAnalysis {
  const flops = [...encoder.rows, ...decoder.rows].reduce((s, r) => s + r.flops, 0);
  return { encoder, decoder, totalParams: encoder.params + decoder.params, flopsPerExample: flops };
}
