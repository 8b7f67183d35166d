import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/model/shapes';
import { describeLayer, defaultLayer, LAYER_KINDS, LAYER_TABLE } from '../../src/model/layers';
import { getPreset } from '../../src/model/presets';
import type { LayerSpec } from '../../src/model/spec';

const conv = (filters: number, kernelSize = 3, stride = 1, padding: 'valid' | 'same' = 'valid'): LayerSpec =>
  ({ kind: 'conv2d', filters, kernelSize, stride, padding, activation: 'relu' });
const maxPool = (poolSize = 2, stride = poolSize, padding: 'valid' | 'same' = 'valid'): LayerSpec =>
  ({ kind: 'maxPool2d', poolSize, stride, padding });
const dense = (units: number, activation: 'relu' | 'softmax' | 'linear' = 'relu'): LayerSpec => ({ kind: 'dense', units, activation });
const flatten: LayerSpec = { kind: 'flatten' };
const head: LayerSpec[] = [flatten, dense(10, 'softmax')];

describe('analyze: the seed CNN', () => {
  const analysis = analyze(getPreset('seed-cnn')!.layers);

  it('infers every shape and parameter count', () => {
    expect(analysis.errors).toEqual([]);
    expect(analysis.valid).toBe(true);
    expect(analysis.layers.map((l) => [l.label, l.outputShape, l.params])).toEqual([
      ['Conv2D', [26, 26, 32], 320],
      ['MaxPool', [13, 13, 32], 0],
      ['Conv2D', [11, 11, 64], 18_496],
      ['MaxPool', [5, 5, 64], 0],
      ['Flatten', [1600], 0],
      ['Dense', [64], 102_464],
      ['Dense', [10], 650],
    ]);
    expect(analysis.totalParams).toBe(121_930);
    expect(analysis.trainableParams).toBe(121_930);
    expect(analysis.inputShape).toEqual([28, 28, 1]);
    expect(analysis.layers[2]!.inputShape).toEqual([13, 13, 32]);
  });

  it('counts FLOPs as 2 per multiply-add, 1 per bias and 1 per ReLU', () => {
    // 26*26*32 outputs, each 3*3*1 multiply-adds (x2) + bias + ReLU.
    expect(analysis.layers[0]!.flops).toBe(26 * 26 * 32 * (3 * 3 * 1 * 2 + 1 + 1));
    expect(analysis.layers[0]!.flops).toBe(432_640);
    expect(analysis.layers[1]!.flops).toBe(13 * 13 * 32 * 4);
    expect(analysis.layers[4]!.flops).toBe(0);
    expect(analysis.layers[5]!.flops).toBe(64 * (2 * 1600 + 1) + 64);
    expect(analysis.totalFlops).toBe(analysis.layers.reduce((a, l) => a + l.flops, 0));
  });

  it('measures float32 outputs per example', () => {
    expect(analysis.layers[0]!.activationBytes).toBe(26 * 26 * 32 * 4);
    expect(analysis.totalActivationBytes).toBe(4 * (21632 + 5408 + 7744 + 1600 + 1600 + 64 + 10));
  });
});

describe('analyze: formulas', () => {
  const shapeOf = (layers: LayerSpec[]): (number[] | null)[] => analyze([...layers, ...head]).layers.map((l) => l.outputShape);

  it.each([
    ['valid 5x5', conv(4, 5), [24, 24, 4]],
    ['same 5x5', conv(4, 5, 1, 'same'), [28, 28, 4]],
    ['valid 3x3 stride 2', conv(4, 3, 2), [13, 13, 4]],
    ['same 3x3 stride 2', conv(4, 3, 2, 'same'), [14, 14, 4]],
    ['same 3x3 stride 3', conv(4, 3, 3, 'same'), [10, 10, 4]],
    ['valid 3x3 stride 3', conv(4, 3, 3), [9, 9, 4]],
    ['valid 28x28 kernel', conv(4, 28), [1, 1, 4]],
    ['max pool 3 stride 2', maxPool(3, 2), [13, 13, 1]],
    ['max pool 3 same', maxPool(3, 3, 'same'), [10, 10, 1]],
    ['avg pool 2', { kind: 'avgPool2d', poolSize: 2, stride: 2, padding: 'valid' } as LayerSpec, [14, 14, 1]],
  ])('%s', (_name, layer, shape) => {
    expect(shapeOf([layer])[0]).toEqual(shape);
  });

  it('counts batch norm as Keras does: 4 per channel, 2 of them trainable', () => {
    const a = analyze([conv(32), { kind: 'batchNorm' }, ...head]);
    expect(a.layers[1]).toMatchObject({ params: 128, trainableParams: 64, outputShape: [26, 26, 32], flops: 2 * 26 * 26 * 32 });
    expect(a.totalParams).toBe(320 + 128 + 21632 * 10 + 10);
    expect(a.trainableParams).toBe(a.totalParams - 64);
  });

  it('counts batch norm on a flat input by its units', () => {
    const a = analyze([flatten, dense(20), { kind: 'batchNorm' }, dense(10, 'softmax')]);
    expect(a.layers[2]).toMatchObject({ params: 80, trainableParams: 40, outputShape: [20] });
  });

  it('pools globally to one value per channel', () => {
    const a = analyze([conv(10), { kind: 'globalAvgPool2d' }, { kind: 'activation', activation: 'softmax' }]);
    expect(a.errors).toEqual([]);
    expect(a.layers.map((l) => l.outputShape)).toEqual([[26, 26, 10], [10], [10]]);
    expect(a.layers[1]!.flops).toBe(26 * 26 * 10);
  });

  it('keeps shapes through dropout and activations, which have no parameters', () => {
    const a = analyze([conv(8), { kind: 'dropout', rate: 0.5 }, { kind: 'activation', activation: 'leakyRelu' }, ...head]);
    expect(a.layers.map((l) => [l.outputShape, l.params, l.flops])).toEqual([
      [[26, 26, 8], 80, 5408 * 20], [[26, 26, 8], 0, 0], [[26, 26, 8], 0, 5408], [[5408], 0, 0], [[10], 54090, 10 * (2 * 5408 + 1) + 10],
    ]);
  });
});

describe('analyze: reshape, upsampling and transposed convolution', () => {
  const reshape = (height: number, width: number, channels: number): LayerSpec => ({ kind: 'reshape', height, width, channels });
  const up = (size: number): LayerSpec => ({ kind: 'upSampling2d', size });
  const convT = (filters: number, kernelSize: number, stride: number, padding: 'valid' | 'same', activation: 'relu' | 'linear' = 'relu'): LayerSpec =>
    ({ kind: 'conv2dTranspose', filters, kernelSize, stride, padding, activation });
  /** tfjs conv_utils.deconvLength, written out independently of layers.ts. */
  const deconv = (n: number, k: number, s: number, padding: string): number => (padding === 'same' ? n * s : n * s + Math.max(k - s, 0));

  it.each([
    ['same 3x3 stride 2', 3, 2, 'same'], ['same 4x4 stride 3', 4, 3, 'same'], ['valid 3x3 stride 2', 3, 2, 'valid'],
    ['valid 2x2 stride 3 (kernel below stride)', 2, 3, 'valid'], ['valid 5x5 stride 1', 5, 1, 'valid'], ['valid 1x1 stride 1', 1, 1, 'valid'],
  ] as [string, number, number, 'valid' | 'same'][])('Conv2DTranspose %s: shape, parameters and FLOPs', (_name, k, s, padding) => {
    const a = analyze([reshape(7, 7, 16), convT(8, k, s, padding), ...head]);
    expect(a.errors).toEqual([]);
    const side = deconv(7, k, s, padding);
    const out = side * side * 8;
    expect(a.layers[1]).toMatchObject({
      outputShape: [side, side, 8], params: k * k * 16 * 8 + 8, trainableParams: k * k * 16 * 8 + 8,
      // Every input value meets k*k*8 weights (2 FLOPs each), then bias and ReLU per output.
      flops: 7 * 7 * 16 * k * k * 8 * 2 + out + out, activationBytes: out * 4,
    });
  });

  it('reshapes any input with the same number of values, flat or image-shaped, at no cost', () => {
    const a = analyze([reshape(14, 14, 4), conv(2), flatten, dense(196), reshape(7, 7, 4), up(2), reshape(28, 7, 4), ...head]);
    expect(a.errors).toEqual([]);
    expect(a.layers.map((l) => [l.outputShape, l.params, l.flops])).toEqual([
      [[14, 14, 4], 0, 0], [[12, 12, 2], 3 * 3 * 4 * 2 + 2, 12 * 12 * 2 * (2 * 9 * 4 + 2)], [[288], 0, 0], [[196], 288 * 196 + 196, 196 * (2 * 288 + 2)],
      [[7, 7, 4], 0, 0], [[14, 14, 4], 0, 0], [[28, 7, 4], 0, 0], [[784], 0, 0], [[10], 7850, 10 * (2 * 784 + 1) + 10],
    ]);
    expect(a.layers[5]!.activationBytes).toBe(14 * 14 * 4 * 4);
  });

  it.each([1, 2, 3, 8])('upsamples 28x28x1 by %i', (size) => {
    expect(analyze([up(size), ...head]).layers[0]!.outputShape).toEqual([28 * size, 28 * size, 1]);
  });

  it.each([
    ['a Reshape that does not hold its input', [reshape(7, 7, 8), ...head], 'layers[0]',
      'Reshape to 7x7x8 needs 392 values, but its input has 784 (28x28x1); choose a height, width and channels that multiply to 784, e.g. 7x14x8'],
    ['a Reshape of a Dense', [flatten, dense(100), reshape(7, 7, 4), ...head], 'layers[2]',
      'Reshape to 7x7x4 needs 196 values, but its input has 100; choose a height, width and channels that multiply to 100, e.g. 5x5x4'],
    ['a Reshape whose channels do not divide the input', [flatten, dense(98), reshape(7, 7, 4), ...head], 'layers[2]',
      'Reshape to 7x7x4 needs 196 values, but its input has 98; choose a height, width and channels that multiply to 98, e.g. 7x14x1'],
    ['UpSampling on a flat input', [flatten, up(2), ...head], 'layers[1]',
      'UpSampling needs an image-shaped (height x width x channels) input, but its input is a flat list of 784 values; move it before Flatten or GlobalAvgPool, or insert a Reshape before it'],
    ['Conv2DTranspose on a flat input', [flatten, dense(49), convT(4, 3, 2, 'same'), ...head], 'layers[2]',
      'Conv2DTranspose needs an image-shaped (height x width x channels) input, but its input is a flat list of 49 values; move it before Flatten or GlobalAvgPool, or insert a Reshape before it'],
  ] as [string, LayerSpec[], string, string][])('%s', (_name, layers, path, message) => {
    expect(analyze(layers).errors).toEqual([{ path, message }]);
  });

  it('checks their fields', () => {
    expect(analyze([up(9), ...head]).errors).toEqual([{ path: 'layers[0].size',
      message: 'must be a whole number from 1 to 8, not 9 (a larger factor makes images too big for a browser tab)' }]);
    expect(analyze([up(0), ...head]).errors).toEqual([{ path: 'layers[0].size', message: 'must be a whole number from 1 to 8, not 0' }]);
    expect(analyze([reshape(0, 784, 1), ...head]).errors).toEqual([{ path: 'layers[0].height', message: 'must be a whole number from 1 to 4,096, not 0' }]);
    expect(analyze([convT(4, 3, 0, 'same'), ...head]).errors).toEqual([{ path: 'layers[0].stride', message: 'must be a whole number from 1 to 28, not 0' }]);
  });

  it('keeps upsampled images inside the activation budget', () => {
    const a = analyze([up(8), { kind: 'conv2dTranspose', filters: 64, kernelSize: 3, stride: 2, padding: 'same', activation: 'relu' }, ...head]);
    expect(a.errors.map((e) => e.path)).toContain('layers');
    expect(a.layers[1]!.outputShape).toEqual([448, 448, 64]);
  });
});

describe('analyze: errors', () => {
  it('reports the first shape error and nothing that follows from it', () => {
    const a = analyze([conv(8, 3, 1, 'same'), maxPool(), maxPool(), maxPool(), maxPool(), conv(8), flatten, dense(64), dense(3)]);
    expect(a.errors).toEqual([
      { path: 'layers[5].kernelSize', message: '3 is larger than the 1x1 input; use padding "same" or a smaller kernel' },
    ]);
    expect(a.layers[4]!.outputShape).toEqual([1, 1, 8]);
    expect(a.layers.slice(5).map((l) => l.outputShape)).toEqual([null, null, null, null]);
    expect(a.layers[5]!.errors).toHaveLength(1);
    expect(a.valid).toBe(false);
  });

  it.each([
    ['conv on a flat input', [flatten, conv(4), ...head], 'layers[1]',
      'Conv2D needs an image-shaped (height x width x channels) input, but its input is a flat list of 784 values; move it before Flatten or GlobalAvgPool, or insert a Reshape before it'],
    ['flatten twice', [flatten, flatten, dense(10, 'softmax')], 'layers[1]',
      'Flatten needs an image-shaped input, but its input is already flat (784 values); remove this Flatten'],
    ['pool on a flat input', [flatten, maxPool(), dense(10, 'softmax')], 'layers[1]',
      'MaxPool needs an image-shaped (height x width x channels) input, but its input is a flat list of 784 values; move it before Flatten or GlobalAvgPool, or insert a Reshape before it'],
    ['dense on an image', [conv(32), dense(10, 'softmax')], 'layers[1]',
      'Dense needs a flat input, but its input is 26x26x32; insert Flatten (or GlobalAvgPool) before it'],
    ['pool too large', [conv(4, 27), maxPool(3)], 'layers[1].poolSize',
      '3 is larger than the 2x2 input; use padding "same" or a smaller pool size'],
    ['empty stack', [], 'layers',
      'the network has no layers; add at least Flatten and a Dense layer with 10 units and softmax'],
    ['too few classes', [flatten, dense(3, 'softmax')], 'layers[1]',
      'the network must end with 10 softmax outputs, one per digit, but it ends with 3 values; set the last Dense to 10 units with softmax'],
    ['no softmax', [flatten, dense(10, 'linear')], 'layers[1]',
      'the network must end with 10 softmax outputs, one per digit, but it ends with 10 values without softmax; set the last Dense to 10 units with softmax'],
    ['ends in an image', [conv(10)], 'layers[0]',
      'the network must end with 10 softmax outputs, one per digit, but it ends with 26x26x10; set the last Dense to 10 units with softmax'],
  ] as [string, LayerSpec[], string, string][])('%s', (_name, layers, path, message) => {
    expect(analyze(layers).errors).toEqual([{ path, message }]);
  });

  it('accepts Dense 10 followed by a softmax activation', () => {
    expect(analyze([flatten, dense(10, 'linear'), { kind: 'activation', activation: 'softmax' }]).errors).toEqual([]);
  });

  it('checks field bounds when given layers that did not come through parseSpec', () => {
    const a = analyze([{ kind: 'conv2d', filters: 0.5, kernelSize: 3, stride: 1, padding: 'valid', activation: 'relu' }, ...head]);
    expect(a.errors).toEqual([{ path: 'layers[0].filters', message: 'must be a whole number from 1 to 512, not 0.5' }]);
  });
});

describe('layer table', () => {
  it.each([
    [conv(32), 'Conv2D 32 3x3 ReLU'],
    [conv(16, 5, 2, 'same'), 'Conv2D 16 5x5 stride 2 same ReLU'],
    [maxPool(), 'MaxPool 2x2'],
    [maxPool(3, 2), 'MaxPool 3x3 stride 2'],
    [dense(64), 'Dense 64 ReLU'],
    [dense(10, 'softmax'), 'Dense 10 softmax'],
    [dense(10, 'linear'), 'Dense 10'],
    [flatten, 'Flatten'],
    [{ kind: 'dropout', rate: 0.25 }, 'Dropout 0.25'],
    [{ kind: 'batchNorm' }, 'BatchNorm'],
    [{ kind: 'activation', activation: 'leakyRelu' }, 'Activation LeakyReLU'],
    [{ kind: 'globalAvgPool2d' }, 'GlobalAvgPool'],
    [{ kind: 'reshape', height: 7, width: 7, channels: 16 }, 'Reshape 7x7x16'],
    [{ kind: 'upSampling2d', size: 2 }, 'UpSampling 2x'],
    [{ kind: 'conv2dTranspose', filters: 16, kernelSize: 3, stride: 2, padding: 'same', activation: 'relu' }, 'Conv2DTranspose 16 3x3 stride 2 same ReLU'],
    [{ kind: 'conv2dTranspose', filters: 1, kernelSize: 4, stride: 1, padding: 'valid', activation: 'linear' }, 'Conv2DTranspose 1 4x4'],
  ] as [LayerSpec, string][])('describes %j as %s', (layer, text) => {
    expect(describeLayer(layer)).toBe(text);
  });

  it('gives every kind defaults that are a complete layer of that kind', () => {
    for (const kind of LAYER_KINDS) {
      const layer = defaultLayer(kind);
      expect(layer.kind).toBe(kind);
      expect(Object.keys(layer).sort()).toEqual(['kind', ...Object.keys(LAYER_TABLE[kind].fields)].sort());
    }
  });
});

describe('presets', () => {
  it.each([
    ['seed-cnn', 121_930, 121_930],
    ['lenet-5', 61_706, 61_706],
    ['dense-baseline', 101_770, 101_770],
    ['deep-bn-cnn', 197_866, 197_674],
    ['tiny-cnn', 3_966, 3_966],
  ])('%s has %i parameters', (id, total, trainable) => {
    const a = analyze(getPreset(id)!.layers);
    expect([a.valid, a.totalParams, a.trainableParams]).toEqual([true, total, trainable]);
  });
});
