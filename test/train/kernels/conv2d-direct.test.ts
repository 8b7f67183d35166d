import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeConv2DConfig } from '../../../src/train/kernels/conv2d-direct';
import { setSimdEnabled } from '../../../src/train/kernels/simd';
import { random, size, relativeError } from './kernel-check';

type Pad = 'valid' | 'same' | tf.backend_util.ExplicitPadding;
type Case = { x: number[]; f: number[]; s: number | [number, number]; pad: Pad };

async function conv(backend: string, c: Case): Promise<Float32Array> {
  await tf.setBackend(backend);
  const x = tf.tensor(random(size(c.x), 1), c.x);
  const filter = tf.tensor(random(size(c.f), 2), c.f);
  const y = tf.engine().runKernel('Conv2D', { x, filter }, { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dilations: 1 } as unknown as tf.NamedAttrMap) as tf.Tensor;
  const values = (await y.data()) as Float32Array;
  tf.dispose([x, filter, y]);
  return values;
}

// Output channels % 4 == 0: the direct route. Four pixels at a time and the last wo % 4 (0-3),
// eight channels at a time and a last four, paddings through the zero-padded copy, strides.
const DIRECT: Case[] = [
  { x: [32, 28, 28, 1], f: [3, 3, 1, 32], s: 1, pad: 'valid' }, // the default preset's layers
  { x: [4, 13, 13, 32], f: [3, 3, 32, 64], s: 1, pad: 'valid' },
  { x: [1, 28, 28, 1], f: [5, 5, 1, 8], s: 1, pad: 'same' },
  { x: [2, 9, 10, 3], f: [3, 3, 3, 36], s: 2, pad: 'same' },
  { x: [3, 7, 9, 2], f: [2, 3, 2, 4], s: [2, 1], pad: 'valid' },
  { x: [2, 6, 7, 5], f: [3, 2, 5, 12], s: 1, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { x: [1, 1, 1, 1], f: [2, 2, 1, 4], s: 2, pad: 'same' },
];
// co % 4 != 0: the backend's own kernel.
const DELEGATED: Case[] = [{ x: [2, 8, 8, 1], f: [3, 3, 1, 6], s: 1, pad: 'same' }];

describe('direct Conv2D on wasm matches the cpu backend', () => {
  const original = tf.getKernel('Conv2D', 'wasm')!;
  let delegated = 0;
  let before = 0;
  beforeAll(async () => {
    await tf.setBackend('wasm');
    tf.unregisterKernel('Conv2D', 'wasm');
    // Count what reaches the original, to prove which route each case took.
    tf.registerKernel(makeConv2DConfig({ ...original, kernelFunc: (args) => { delegated++; return original.kernelFunc(args); } }));
  });
  afterAll(() => {
    tf.unregisterKernel('Conv2D', 'wasm');
    tf.registerKernel(original);
    setSimdEnabled(true);
  });
  beforeEach(() => {
    delegated = 0;
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  const check = async (c: Case, simd: boolean): Promise<void> => {
    const want = await conv('cpu', c);
    setSimdEnabled(simd);
    const got = await conv('wasm', c);
    setSimdEnabled(true);
    expect(relativeError(got, want)).toBeLessThan(1e-5);
  };

  it.each(DIRECT)('x $x filter $f stride $s takes the direct route', async (c) => {
    await check(c, true);
    expect(delegated).toBe(0);
  });

  it.each(DELEGATED)('x $x filter $f (co % 4 != 0) goes to the backend kernel', async (c) => {
    await check(c, true);
    expect(delegated).toBe(1);
  });

  it('goes to the backend kernel without SIMD', async () => {
    await check(DIRECT[2], false);
    expect(delegated).toBe(1);
  });
});
