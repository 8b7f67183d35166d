/**
 * The direct convolution kernels with relaxed-SIMD multiply-adds, as browsers that ship relaxed
 * SIMD (Chrome 114+) run them. Node 20 has relaxed SIMD only behind a V8 flag, set here before
 * the SIMD module is built; the other kernel tests cover the separate multiply and add.
 */
import v8 from 'node:v8';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeConv2DConfig } from '../../../src/train/kernels/conv2d-direct';
import { registerWasmTrainingKernels } from '../../../src/train/kernels/index';
import { simdOps } from '../../../src/train/kernels/simd';
import { asWasm } from '../../../src/train/kernels/wasm-backend';
import { random, size, relativeError } from './kernel-check';

v8.setFlagsFromString('--experimental-wasm-relaxed-simd');

type Case = { x: number[]; f: number[]; s: number; pad: 'valid' | 'same' };

async function run(backend: string, name: string, inputs: Record<string, [number[], number]>, attrs: object): Promise<Float32Array> {
  await tf.setBackend(backend);
  const ts = Object.fromEntries(Object.entries(inputs).map(([k, [shape, seed]]) => [k, tf.tensor(random(size(shape), seed), shape)]));
  const out = tf.engine().runKernel(name, ts, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  tf.dispose([out, ...Object.values(ts)]);
  return values;
}

async function relError(name: string, inputs: Record<string, [number[], number]>, attrs: object): Promise<number> {
  const want = await run('cpu', name, inputs, attrs);
  const got = await run('wasm', name, inputs, attrs);
  return relativeError(got, want);
}

const CASES: Case[] = [
  { x: [32, 28, 28, 1], f: [3, 3, 1, 32], s: 1, pad: 'valid' },
  { x: [4, 13, 13, 32], f: [3, 3, 32, 64], s: 1, pad: 'valid' },
  { x: [2, 9, 10, 3], f: [3, 3, 3, 36], s: 2, pad: 'same' },
];

describe('direct convolution kernels with relaxed-SIMD multiply-adds match the cpu backend', () => {
  const original = tf.getKernel('Conv2D', 'wasm')!;
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    tf.unregisterKernel('Conv2D', 'wasm');
    tf.registerKernel(makeConv2DConfig(original));
  });
  afterAll(() => {
    tf.unregisterKernel('Conv2D', 'wasm');
    tf.registerKernel(original);
  });

  it('builds the fused variants', () => {
    expect(simdOps(asWasm(tf.backend()))?.fused).toBe(true);
  });

  it.each(CASES)('Conv2DBackpropFilter and Conv2D: x $x filter $f', async (c) => {
    const dyShape = tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], c.f as [number, number, number, number], c.s, 1, c.pad).outShape;
    const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC' };
    expect(await relError('Conv2DBackpropFilter', { x: [c.x, 1], dy: [dyShape, 2] }, { ...attrs, filterShape: c.f })).toBeLessThan(1e-5);
    expect(await relError('Conv2D', { x: [c.x, 3], filter: [c.f, 4] }, { ...attrs, dilations: 1 })).toBeLessThan(1e-5);
  });
});
