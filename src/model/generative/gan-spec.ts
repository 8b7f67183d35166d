/**
 * A conditional DCGAN as a spec (issue 7's "small conditional GAN"): the generator's and the
 * discriminator's bodies are lists of the same `LayerSpec`s as every other network, analysed
 * through the classifier's `analyze` on their own inputs. The app adds the fixed parts:
 * - generator: noise (+ one-hot label) -> body, which must end with exactly 784 values through a
 *   tanh (rescaled to [0, 1]) or a sigmoid -> the 784 pixel values;
 * - discriminator: 28x28x1 image -> body -> flatten (if needed) -> one-hot label -> Dense 1 (the
 *   real/fake logit).
 * The Generations store holds either kind (`GenModelSpec`); the helpers at the end let it edit and
 * analyse a network by name without caring which kind it holds. Pure.
 */
import { formatShape } from '../layers';
import { analyze, checkBudgets, type SpecAnalysis } from '../shapes';
import type { LayerSpec, SpecError } from '../spec';
import { analyzeGenerative, type GenAnalysis, type NetworkAnalysis } from './analyze';
import { GEN_CLASSES, GEN_NETWORKS, PIXELS, type GenNetwork, type GenSpecError, type GenTrainingSettings, type GenerativeSpec } from './spec';

/** The two networks of a GAN. */
export const GAN_NETWORKS = ['generator', 'discriminator'] as const;
/** A GAN network name. */
export type GanNetwork = (typeof GAN_NETWORKS)[number];

/** A conditional GAN document. */
export interface GanSpec {
  version: 2;
  name: string;
  description: string;
  kind: 'cgan';
  /** Marked slow: on a CPU it trains for many minutes before digits appear. */
  slow: boolean;
  latentSize: number;
  generator: LayerSpec[];
  discriminator: LayerSpec[];
  training: GenTrainingSettings;
}

/** One GAN network: its body's analysis (totals of the whole network, every error) and its fixed rows. */
export interface GanNetworkAnalysis {
  network: GanNetwork;
  inputLabel: string;
  body: SpecAnalysis;
  head: { label: string; outputShape: number[]; params: number; flops: number; activationBytes: number }[];
}

/** Both networks, totals and every error (paths such as `generator[2]`). */
export interface GanAnalysis {
  generator: GanNetworkAnalysis;
  discriminator: GanNetworkAnalysis;
  totalParams: number;
  /** Forward FLOPs per example through both networks. */
  flopsPerExample: number;
  errors: GenSpecError[];
  valid: boolean;
}

const product = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** The generator's ending: exactly 784 values, squashed by tanh or sigmoid into a pixel range. */
export function generatorEnd(layers: LayerSpec[], shape: number[]): SpecError[] {
  const path = layers.length ? `layers[${layers.length - 1}]` : 'layers';
  if (product(shape) !== PIXELS) {
    return [{ path, message: `the generator must end with ${PIXELS} values (a 28x28 image), but it ends with ${formatShape(shape)}; end it with a Conv2DTranspose 1 or a Dense 784 with tanh` }];
  }
  const last = layers.at(-1);
  const activation = last && 'activation' in last ? last.activation : 'linear';
  if (activation !== 'tanh' && activation !== 'sigmoid') {
    return [{ path: last && 'activation' in last ? `${path}.activation` : path, message: `the generator's last layer draws pixels, so it needs tanh or sigmoid, not ${activation}; use tanh` }];
  }
  return [];
}

/** Whether a generator's output is tanh (in [-1, 1], rescaled to [0, 1]) rather than sigmoid. */
export function generatorUsesTanh(spec: Pick<GanSpec, 'generator'>): boolean {
  const last = spec.generator.at(-1);
  return !!last && 'activation' in last && last.activation === 'tanh';
}

/** One network of a GAN spec. */
export function analyzeGanNetwork(spec: GanSpec, network: GanNetwork): GanNetworkAnalysis {
  const layers = spec[network];
  const generator = network === 'generator';
  const input = generator ? [spec.latentSize + GEN_CLASSES] : [28, 28, 1];
  const body = analyze(layers, { inputShape: input, allowEmpty: true, budgets: false, checkEnd: generator ? generatorEnd : () => [] });
  const known = body.layers.length === layers.length && body.layers.every((la) => la.outputShape !== null);
  const last = body.layers.at(-1)?.outputShape ?? body.inputShape;
  const row = (label: string, outputShape: number[], params = 0, flops = 0) => ({ label, outputShape, params, flops, activationBytes: 4 * product(outputShape) });
  const head = !known ? [] : generator
    ? [row('Pixel values (fixed): 28x28', [PIXELS])]
    : [
      ...(last.length > 1 ? [row('Flatten (fixed)', [product(last)])] : []),
      row('+ one-hot label (fixed)', [product(last) + GEN_CLASSES]),
      row('Dense 1: real/fake logit (fixed)', [1], product(last) + GEN_CLASSES + 1, 2 * (product(last) + GEN_CLASSES) + 1),
    ];
  const sum = (key: 'params' | 'flops' | 'activationBytes') => head.reduce((s, r) => s + r[key], 0);
  const totals = {
    totalParams: body.totalParams + sum('params'), trainableParams: body.trainableParams + sum('params'),
    totalFlops: body.totalFlops + sum('flops'), totalActivationBytes: body.totalActivationBytes + sum('activationBytes'),
  };
  const errors = [...body.errors, ...(known ? checkBudgets(totals) : [])];
  const inputLabel = generator ? 'Input: noise + one-hot label' : 'Input: image';
  return { network, inputLabel, body: { ...body, ...totals, errors, valid: errors.length === 0 }, head };
}

/** Both networks of a GAN spec, their totals and every error. */
export function analyzeGan(spec: GanSpec): GanAnalysis {
  const generator = analyzeGanNetwork(spec, 'generator');
  const discriminator = analyzeGanNetwork(spec, 'discriminator');
  const errors = [generator, discriminator].flatMap((n) => n.body.errors.map((e) => ({ path: e.path.replace(/^layers/, n.network), message: e.message })));
  return {
    generator, discriminator,
    totalParams: generator.body.totalParams + discriminator.body.totalParams,
    flopsPerExample: generator.body.totalFlops + discriminator.body.totalFlops,
    errors, valid: errors.length === 0,
  };
}

/**
 * Training FLOPs per real example of one GAN step (a discriminator step on a real and a fake
 * image, then a generator step through the discriminator), counting a backward pass as twice the
 * forward one: D on real (3D) + G forward for the fake (G) + D on fake (3D) + G step (3G + 3D).
 */
export function ganTrainingFlopsPerExample(a: GanAnalysis): number {
  const g = a.generator.body.totalFlops;
  const d = a.discriminator.body.totalFlops;
  return 4 * g + 9 * d;
}

/** Either kind of generative model the Generations section trains. */
export type GenModelSpec = GenerativeSpec | GanSpec;
/** The analysis of either kind. */
export type GenModelAnalysis = GenAnalysis | GanAnalysis;
/** A network of either kind, by name. */
export type ModelNetwork = GenNetwork | GanNetwork;

/** Whether a spec is a conditional GAN. */
export const isGan = (spec: { readonly kind: string }): spec is GanSpec => spec.kind === 'cgan';

/** The networks of a spec, in the order the page shows them. */
export function networksOf(spec: GenModelSpec): readonly ModelNetwork[] {
  return isGan(spec) ? GAN_NETWORKS : GEN_NETWORKS;
}

/** One network's body, or null when the spec has no such network (an encoder of a GAN). */
export function networkLayers(spec: GenModelSpec, network: ModelNetwork): LayerSpec[] | null {
  return (networksOf(spec) as readonly string[]).includes(network) ? (spec as unknown as Record<ModelNetwork, LayerSpec[]>)[network] : null;
}

/** The analysis of either kind. */
export function analyzeModel(spec: GenModelSpec): GenModelAnalysis {
  return isGan(spec) ? analyzeGan(spec) : analyzeGenerative(spec);
}

/** One network's analysis (the same shape for both kinds), or null when the analysis has no such network. */
export function networkAnalysis(analysis: GenModelAnalysis, network: ModelNetwork): NetworkAnalysis | GanNetworkAnalysis | null {
  return (analysis as unknown as Partial<Record<ModelNetwork, NetworkAnalysis | GanNetworkAnalysis>>)[network] ?? null;
}

/**
 * Training throughput of the wasm backend on this project's 2-core reference machine, in FLOPs
 * per second as `ganTrainingFlopsPerExample` counts them: the bench measured the convolutional
 * VAE at about 400 examples/s there, at about 9 MFLOPs per example of a training step (a
 * backward pass counted as twice the forward one). A GAN step is made of the same convolutions,
 * so its time per example scales with its FLOPs; this is an estimate, which the page replaces by
 * the run's measured rate as soon as one arrives.
 */
export const REFERENCE_CPU_TRAINING_FLOPS_PER_SECOND = 3.6e9;
/** Training examples in one epoch of MNIST. */
export const EPOCH_EXAMPLES = 60_000;

/** Estimated minutes per epoch of a GAN on the reference CPU (wasm, 2 cores), from its FLOPs. */
export function estimatedCpuMinutesPerEpoch(a: GanAnalysis): number {
  return (EPOCH_EXAMPLES * ganTrainingFlopsPerExample(a)) / REFERENCE_CPU_TRAINING_FLOPS_PER_SECOND / 60;
}
