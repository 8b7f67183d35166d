/**
 * A transposed convolution (what a conv decoder upsamples with) runs Conv2DBackpropInput forward;
 * its input gradient is a Conv2D and its filter gradient is Conv2DBackpropFilter, with dy and x
 * in swapped roles compared with an ordinary convolution. The wasm backend trains it only
 * through this project's kernels (src/train/kernels/), so each gradient is checked against the
 * cpu backend's on the shapes a conv VAE decoder uses.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../src/train/kernels/index';
import { random, relativeError } from './kernel-check';

interface Case {
  /** Input [batch, h, w, inChannels] of the transposed convolution. */
  x: [number, number, number, number];
  /** Filter [k, k, outChannels, inChannels], as tf.conv2dTranspose takes it. */
  f: [number, number, number, number];
  out: [number, number, number, number];
  stride: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  // 7x7x32 -> 14x14x16 and 14x14x16 -> 28x28x1: the Keras conv VAE decoder's upsampling steps.
  { x: [4, 7, 7, 32], f: [3, 3, 16, 32], out: [4, 14, 14, 16], stride: 2, pad: 'same' },
  { x: [4, 14, 14, 16], f: [3, 3, 1, 16], out: [4, 28, 28, 1], stride: 2, pad: 'same' },
  // Stride 1, valid: grows 5x5 to 7x7.
  { x: [2, 5, 5, 3], f: [3, 3, 4, 3], out: [2, 7, 7, 4], stride: 1, pad: 'valid' },
];

/** Loss value and gradients with respect to input and filter, on one backend. */
async function gradients(backend: string, c: Case): Promise<{ loss: number; dx: Float32Array; df: Float32Array }> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(random(c.x.reduce((a, b) => a * b), 1), c.x);
  const f = tf.tensor4d(random(c.f.reduce((a, b) => a * b), 2), c.f);
  const w = tf.tensor4d(random(c.out.reduce((a, b) => a * b), 3), c.out);
  const fn = (xi: tf.Tensor, fi: tf.Tensor) => tf.conv2dTranspose(xi as tf.Tensor4D, fi as tf.Tensor4D, c.out, c.stride, c.pad).mul(w).sum();
  const { value, grads } = tf.valueAndGrads(fn)([x, f]);
  const result = { loss: (await value.data())[0], dx: (await grads[0].data()) as Float32Array, df: (await grads[1].data()) as Float32Array };
  tf.dispose([x, f, w, value, ...grads]);
  return result;
}

beforeAll(() => {
  registerWasmTrainingKernels();
});

describe('conv2dTranspose gradients on wasm equal the cpu backend', () => {
  for (const c of CASES) {
    it(`${c.x.join('x')} -> ${c.out.join('x')}, stride ${c.stride}, ${c.pad}`, async () => {
      const cpu = await gradients('cpu', c);
      const wasm = await gradients('wasm', c);
      expect(Math.abs(wasm.loss - cpu.loss) / Math.abs(cpu.loss)).toBeLessThan(1e-5);
      expect(relativeError(wasm.dx, cpu.dx)).toBeLessThan(1e-5);
      expect(relativeError(wasm.df, cpu.df)).toBeLessThan(1e-5);
    });
  }
});
