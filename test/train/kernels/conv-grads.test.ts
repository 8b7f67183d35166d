import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../../src/train/kernels/index';
import { directApplies } from '../../../src/train/kernels/filter-grad-direct';
import { setSimdEnabled, simdOps } from '../../../src/train/kernels/simd';
import { asWasm } from '../../../src/train/kernels/wasm-backend';
import { random, size, relativeError } from './kernel-check';

type Pad = 'valid' | 'same' | tf.backend_util.ExplicitPadding;
type Case = { x: number[]; f: number[]; s: number | [number, number]; pad: Pad };

/** Runs one kernel on `backend` with fresh tensors, returning its output values. */
async function run(backend: string, name: string, inputs: Record<string, [Float32Array, number[]]>, attrs: object): Promise<Float32Array> {
  await tf.setBackend(backend);
  const ts = Object.fromEntries(Object.entries(inputs).map(([k, [v, s]]) => [k, tf.tensor(v, s)]));
  const out = tf.engine().runKernel(name, ts, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  tf.dispose([out, ...Object.values(ts)]);
  return values;
}

// cpu results per kernel and case, computed once for both SIMD settings (the cpu is the slow part).
const reference = new Map<string, Float32Array>();

/** max |wasm - cpu| / max |cpu|, after checking the sizes agree. */
async function relError(name: string, inputs: Record<string, [Float32Array, number[]]>, attrs: object): Promise<number> {
  const key = JSON.stringify([name, attrs, Object.values(inputs).map(([, shape]) => shape)]);
  const want = reference.get(key) ?? await run('cpu', name, inputs, attrs);
  reference.set(key, want);
  const got = await run('wasm', name, inputs, attrs);
  return relativeError(got, want);
}

function outShape(c: Case): number[] {
  return tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number], c.f as [number, number, number, number], c.s, 1, c.pad).outShape;
}

const CASES: Case[] = [
  { x: [2, 9, 9, 3], f: [3, 3, 3, 4], s: 1, pad: 'valid' },
  { x: [3, 8, 7, 2], f: [3, 3, 2, 5], s: 2, pad: 'same' },
  { x: [1, 7, 6, 4], f: [2, 3, 4, 3], s: 2, pad: 'valid' },
  { x: [4, 6, 6, 1], f: [5, 5, 1, 6], s: 1, pad: 'same' },
  { x: [2, 10, 11, 8], f: [3, 3, 8, 16], s: [2, 1], pad: 'same' },
  { x: [1, 5, 5, 6], f: [1, 1, 6, 2], s: 1, pad: 'valid' },
  { x: [2, 6, 7, 3], f: [3, 2, 3, 4], s: 1, pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { x: [1, 4, 4, 2], f: [4, 4, 2, 3], s: 1, pad: 'valid' },
  // Input gradient through columns and col2im (valid, >= 32 output channels), with a channel tail.
  { x: [2, 7, 7, 8], f: [3, 3, 8, 32], s: 1, pad: 'valid' },
  { x: [1, 6, 6, 6], f: [3, 3, 6, 32], s: 1, pad: 'valid' },
  // Several im2col chunks, for both the wide (K >= Co) and the narrow (K < Co) formulation.
  { x: [8, 30, 30, 16], f: [3, 3, 16, 8], s: 1, pad: 'valid' },
  { x: [48, 28, 28, 1], f: [3, 3, 1, 32], s: 1, pad: 'valid' },
];

// Output channels % 4 == 0: the filter gradient's direct SIMD route (with SIMD off, the column
// route). It takes a kernel row's fw * ci taps four at a time, then 3, 2 or 1, and output channels
// eight at a time, then a last four; padding goes through a zero-padded copy of x. The cases cover
// paddings, strides, batch 1 and 32, ci > 1 and every one of those remainders.
const DIRECT: Case[] = [
  { x: [32, 28, 28, 1], f: [3, 3, 1, 32], s: 1, pad: 'valid' }, // the default preset's first layer
  { x: [4, 13, 13, 32], f: [3, 3, 32, 64], s: 1, pad: 'valid' }, // and its second (96 taps a row)
  { x: [1, 28, 28, 1], f: [3, 3, 1, 32], s: 1, pad: 'same' },
  { x: [32, 12, 12, 1], f: [3, 3, 1, 4], s: 2, pad: 'same' }, // co = 4: the last-four path only
  { x: [1, 10, 12, 1], f: [5, 5, 1, 36], s: 2, pad: 'valid' }, // co = 32 + 4; the last input row unread
  { x: [2, 9, 8, 3], f: [3, 3, 3, 28], s: [2, 1], pad: 'same' }, // 9 taps a row = 4 + 4 + 1
  { x: [2, 8, 8, 2], f: [3, 3, 2, 12], s: 1, pad: 'same' }, // 6 taps a row = 4 + 2
  { x: [2, 6, 6, 5], f: [3, 3, 5, 8], s: 1, pad: 'valid' }, // 15 taps a row = 4 + 4 + 4 + 3
  { x: [2, 7, 7, 4], f: [3, 3, 4, 8], s: 1, pad: [[0, 0], [2, 1], [0, 3], [0, 0]] },
  { x: [2, 6, 6, 1], f: [2, 2, 1, 8], s: 1, pad: 'same' }, // padding at the bottom and right only
  // One image's dy is larger than a pass's group, so its rows are split (and each image padded once).
  { x: [2, 100, 90, 1], f: [3, 3, 1, 16], s: 1, pad: 'same' },
  // A filter tap that lands only in the padding (kh = 1 and kw = 1 read row and column 1 of a 1x1 image).
  { x: [1, 1, 1, 1], f: [2, 2, 1, 4], s: 2, pad: 'same' },
];
// co % 4 != 0: the column route even with SIMD.
const NOT_DIRECT: Case[] = [
  { x: [2, 8, 8, 1], f: [3, 3, 1, 30], s: 1, pad: 'same' },
];

const label = (c: Case) => `x ${c.x} filter ${c.f} stride ${c.s} ${typeof c.pad === 'string' ? c.pad : 'explicit'}`;

describe.each([true, false])('wasm convolution gradient kernels match the cpu backend (SIMD helpers %s)', (simd) => {
  const worst = new Map<string, number>();
  const track = (name: string, err: number): number => {
    worst.set(name, Math.max(worst.get(name) ?? 0, err));
    return err;
  };
  let before = 0;
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    setSimdEnabled(simd);
    return () => {
      setSimdEnabled(true);
      console.info(`max relative error vs cpu (SIMD ${simd}):`, Object.fromEntries(worst));
    };
  });
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it('has the SIMD helpers it is meant to test', () => {
    expect(simdOps(asWasm(tf.backend())) != null).toBe(simd);
  });

  it('routes exactly the filters with co % 4 == 0 to the direct route', () => {
    const info = (c: Case) => tf.backend_util.computeConv2DInfo(c.x as [number, number, number, number],
      c.f as [number, number, number, number], c.s, 1, c.pad);
    expect(DIRECT.map((c) => directApplies(info(c)))).toEqual(DIRECT.map(() => true));
    expect(NOT_DIRECT.map((c) => directApplies(info(c)))).toEqual(NOT_DIRECT.map(() => false));
  });

  it.each([...CASES, ...DIRECT, ...NOT_DIRECT])('Conv2DBackpropFilter: $x / $f', async (c) => {
    const dyShape = outShape(c);
    const err = await relError('Conv2DBackpropFilter',
      { x: [random(size(c.x), 1), c.x], dy: [random(size(dyShape), 2), dyShape] },
      { strides: c.s, pad: c.pad, dataFormat: 'NHWC', filterShape: c.f });
    expect(track('Conv2DBackpropFilter', err), label(c)).toBeLessThan(1e-5);
  });

  it.each(CASES)('Conv2DBackpropInput: $x / $f', async (c) => {
    const dyShape = outShape(c);
    const err = await relError('Conv2DBackpropInput',
      { dy: [random(size(dyShape), 3), dyShape], filter: [random(size(c.f), 4), c.f] },
      { strides: c.s, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x });
    expect(track('Conv2DBackpropInput', err), label(c)).toBeLessThan(1e-5);
  });

  it('rejects NCHW and dilation with a clear error instead of computing garbage', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 3, 3, 3]);
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
      { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] })).toThrow(/NHWC/);
    expect(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
      { strides: 1, pad: 'valid', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3], dilations: 2 })).toThrow(/dilation 1/);
    tf.dispose([x, dy]);
  });
});
