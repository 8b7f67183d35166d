/**
 * The weights each layer of a stack owns, with their tfjs names and shapes, derived from the
 * shape analysis. An import checks a file's manifest against this list before any tensor is
 * made, and uses the two names to move a foreign model's weights onto the app's layers. Pure.
 */
import type { LayerKind, LayerOf, LayerSpec } from '../spec';
import { analyze } from '../shapes';

/** One weight a layer owns. */
export interface ExpectedWeight {
  /** Index of the spec layer that owns it. */
  layer: number;
  /** Name in the file being read, e.g. `conv2d_1/kernel`. */
  name: string;
  /** Name in the model the app builds, e.g. `s0_conv2d/kernel`. */
  specName: string;
  shape: number[];
}

type WeightShapes = Array<[string, number[]]>;

/** Weight names (the part after `/`) and shapes per kind, in tfjs order; the mapped type makes a missing kind a compile error. */
const WEIGHTS: { readonly [K in LayerKind]: (layer: LayerOf<K>, input: number[]) => WeightShapes } = {
  conv2d: (l, input) => [['kernel', [l.kernelSize, l.kernelSize, input[input.length - 1]!, l.filters]], ['bias', [l.filters]]],
  maxPool2d: () => [],
  avgPool2d: () => [],
  dense: (l, input) => [['kernel', [input[input.length - 1]!, l.units]], ['bias', [l.units]]],
  flatten: () => [],
  dropout: () => [],
  batchNorm: (_l, input) => {
    const c = input[input.length - 1]!;
    return [['gamma', [c]], ['beta', [c]], ['moving_mean', [c]], ['moving_variance', [c]]];
  },
  activation: () => [],
  globalAvgPool2d: () => [],
  reshape: () => [],
  upSampling2d: () => [],
  // tfjs and Keras store a transposed kernel as [k, k, filters, inChannels]: outputs before inputs.
  conv2dTranspose: (l, input) => [['kernel', [l.kernelSize, l.kernelSize, l.filters, input[input.length - 1]!]], ['bias', [l.filters]]],
};

/** The tfjs layer name build-model.ts gives spec layer `index`. */
export const specLayerName = (layer: LayerSpec, index: number): string => `s${index}_${layer.kind}`;

/**
 * Every weight of a valid stack in model order. `fileLayerNames[i]` names spec layer i's tfjs
 * layer in the file being read (the app's own names by default).
 */
export function expectedWeights(layers: LayerSpec[], fileLayerNames: readonly string[] = layers.map(specLayerName)): ExpectedWeight[] {
  const analysis = analyze(layers);
  if (!analysis.valid) throw new Error('expectedWeights needs a stack that parseSpec accepted');
  return layers.flatMap((layer, index) => {
    const list = (WEIGHTS[layer.kind] as (l: LayerSpec, input: number[]) => WeightShapes)(layer, analysis.layers[index]!.inputShape);
    return list.map(([weight, shape]) => ({
      layer: index, name: `${fileLayerNames[index]}/${weight}`, specName: `${specLayerName(layer, index)}/${weight}`, shape,
    }));
  });
}
