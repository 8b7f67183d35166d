/**
 * Version 1 generative specs described their networks by two numbers: `architecture` (dense or
 * conv) and `hiddenSize` (hidden units, or the first convolution's filters). This converts those
 * into the version-2 layer bodies that build exactly the same networks (same layers, same
 * parameter counts), so a saved or shared version-1 document still opens. Pure.
 */
import type { LayerSpec } from '../spec';
import type { EncoderInput } from './spec';
import type { FieldSpec } from '../limits';

/** Version-1 network families. */
export const V1_ARCHITECTURES = ['dense', 'conv'] as const;
/** Largest first-convolution width of the version-1 conv family (the second had twice as many). */
export const V1_MAX_CONV_FILTERS = 64;

/** Bounds of the version-1 fields. */
export const V1_FIELDS: { readonly architecture: FieldSpec; readonly hiddenSize: FieldSpec } = {
  architecture: { type: 'enum', values: V1_ARCHITECTURES },
  hiddenSize: { type: 'int', min: 8, max: 2048, why: 'wider layers make each step too slow on a CPU' },
};

/** The bodies a version-1 family stands for. */
export interface MigratedNetworks {
  encoderInput: EncoderInput;
  encoder: LayerSpec[];
  decoder: LayerSpec[];
}

const conv = (filters: number): LayerSpec => ({ kind: 'conv2d', filters, kernelSize: 3, stride: 2, padding: 'same', activation: 'relu' });
const convT = (filters: number, stride: number, activation: 'relu' | 'linear'): LayerSpec =>
  ({ kind: 'conv2dTranspose', filters, kernelSize: 3, stride, padding: 'same', activation });

/**
 * dense: the flat image (+ label) -> Dense h ReLU -> head; code (+ label) -> Dense h ReLU -> Dense 784.
 * conv: image -> two 3x3 stride-2 convolutions (f, 2f) -> head (the label joins at the bottleneck);
 * code (+ label) -> Dense 49f ReLU -> Reshape 7x7xf -> Conv2DTranspose 2f and f (stride 2) -> Conv2DTranspose 1.
 */
export function migrateNetworks(architecture: (typeof V1_ARCHITECTURES)[number], hidden: number): MigratedNetworks {
  if (architecture === 'conv') {
    return {
      encoderInput: 'image',
      encoder: [conv(hidden), conv(2 * hidden)],
      decoder: [
        { kind: 'dense', units: 49 * hidden, activation: 'relu' },
        { kind: 'reshape', height: 7, width: 7, channels: hidden },
        convT(2 * hidden, 2, 'relu'),
        convT(hidden, 2, 'relu'),
        convT(1, 1, 'linear'),
      ],
    };
  }
  return {
    encoderInput: 'flat',
    encoder: [{ kind: 'dense', units: hidden, activation: 'relu' }],
    decoder: [{ kind: 'dense', units: hidden, activation: 'relu' }, { kind: 'dense', units: 784, activation: 'linear' }],
  };
}
