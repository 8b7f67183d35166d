import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WASM_TRAINING_KERNELS, registerWasmTrainingKernels } from '../../../src/train/kernels/index';
import { setSimdEnabled, simdModules } from '../../../src/train/kernels/simd';

type Inputs = Record<string, tf.Tensor>;
/** Builds a kernel's inputs on the active backend from a seed. */
type MakeInputs = (seed: number) => Inputs;

/** Deterministic tensor of uniform values in [-1, 1); `levels` rounds them to create ties. */
function rand(shape: number[], seed: number, levels = 0, dtype: 'float32' | 'int32' = 'float32'): tf.Tensor {
  let a = seed >>> 0;
  const n = shape.reduce((p, q) => p * q, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    const u = ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
    v[i] = levels > 0 ? Math.round(u * levels) : u;
  }
  return dtype === 'int32' ? tf.tensor(Int32Array.from(v, (x) => Math.round(x * 100)), shape, 'int32') : tf.tensor(v, shape);
}

async function run(backend: string, name: string, make: MakeInputs, attrs: object): Promise<tf.TypedArray> {
  await tf.setBackend(backend);
  const inputs = make(7);
  const out = tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
  const shape = out.shape.join(',');
  const values = await out.data();
  tf.dispose([out, ...Object.values(inputs)]);
  return Object.assign(values, { shapeKey: shape });
}

/** max |wasm - cpu| / max |cpu| for one kernel call; shapes and dtypes must agree. */
async function relError(name: string, make: MakeInputs, attrs: object): Promise<number> {
  const want = await run('cpu', name, make, attrs);
  const got = await run('wasm', name, make, attrs);
  expect((got as unknown as { shapeKey: string }).shapeKey).toBe((want as unknown as { shapeKey: string }).shapeKey);
  expect(got.constructor).toBe(want.constructor);
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]));
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** MaxPoolGrad needs the pooled output too; each backend computes its own. */
function maxPoolInputs(shape: number[], size: number, stride: number, pad: 'valid' | 'same', levels: number): MakeInputs {
  return (seed) => {
    const input = rand(shape, seed, levels);
    const output = tf.maxPool(input as tf.Tensor4D, size, stride, pad);
    return { input, output, dy: rand(output.shape, seed + 1) };
  };
}

const POOLS: Array<[number[], number, number, 'valid' | 'same', number]> = [
  [[2, 8, 8, 3], 2, 2, 'valid', 0],
  [[1, 7, 9, 2], 2, 2, 'valid', 0],
  [[3, 6, 6, 4], 2, 2, 'valid', 2], // ties: the first maximum must get the gradient
  [[2, 7, 7, 3], 3, 2, 'same', 0],
  [[1, 6, 6, 2], 2, 1, 'valid', 2], // overlapping windows accumulate
  [[2, 5, 5, 4], 3, 1, 'same', 1],
  [[1, 5, 6, 3], 2, 2, 'same', 0],
  // Channels % 4 == 0: the SIMD path, with ties, leftover rows and columns, and all-equal windows.
  [[2, 8, 8, 8], 2, 2, 'valid', 0],
  [[1, 7, 9, 4], 2, 2, 'valid', 0],
  [[2, 6, 6, 12], 2, 2, 'valid', 1],
  [[1, 4, 4, 4], 2, 2, 'valid', 0.1],
];

const REDUCTIONS: Array<[number[], number | number[], boolean]> = [
  [[4, 5, 6, 3], [0, 1, 2], false],
  [[4, 5, 6, 3], [0, 1, 2], true],
  [[7, 3], 0, false],
  [[5, 4, 3], [1, 0], true],
  [[64, 26, 26, 32], [0, 1, 2], false],
  // Column counts % 4 == 0 take the SIMD route: 16-column panels, then 4 (20 = 16 + 4), one row,
  // many L1-sized chunks with a short last one (a conv2 bias gradient), keepDims.
  [[3, 2, 20], [0, 1], false],
  [[1, 4], 0, true],
  [[9, 11, 11, 64], [0, 1, 2], true],
  [[1601, 12], 0, false],
  [[4, 5, 6], [1], false], // not leading: the backend's own kernel
  [[4, 5], [0, 1], false], // all axes: the backend's own kernel
];

const TILES: Array<[number[], number[], 'float32' | 'int32']> = [
  [[1, 1, 1, 5], [3, 4, 2, 1], 'float32'],
  [[2, 3], [2, 2], 'float32'],
  [[3, 1], [1, 4], 'float32'],
  [[2, 2, 3], [1, 3, 2], 'int32'],
  [[4], [3], 'float32'],
  [[2, 3, 1], [2, 1, 1], 'float32'],
];

const MATMULS: Array<[number[], number[], boolean, boolean]> = [
  [[5, 7], [3, 7], false, true],
  [[7, 5], [7, 3], true, false],
  [[7, 5], [3, 7], true, true],
  [[1, 5, 7], [1, 3, 7], false, true],
  [[33, 64], [33, 17], true, false],
  [[2, 5, 7], [2, 3, 7], false, true], // batched: the backend's own kernel
  [[5, 7], [7, 3], false, false],
];

const worst = new Map<string, number>();
function track(name: string, err: number): number {
  worst.set(name, Math.max(worst.get(name) ?? 0, err));
  return err;
}

describe('other wasm training kernels match the cpu backend', () => {
  let before = 0;
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    return () => console.info('max relative error vs cpu:', Object.fromEntries(worst));
  });
  beforeEach(() => {
    before = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(POOLS)('MaxPoolGrad %j size %i stride %i %s', async (shape, size, stride, pad, levels) => {
    for (const simd of [true, false]) {
      setSimdEnabled(simd);
      const err = await relError('MaxPoolGrad', maxPoolInputs(shape, size, stride, pad, levels), { filterSize: size, strides: stride, pad });
      setSimdEnabled(true);
      expect(track('MaxPoolGrad', err), `SIMD ${simd}`).toBeLessThan(1e-6);
    }
  });

  it.each(REDUCTIONS)('Sum and Mean of %j over %j keepDims %s, with and without SIMD', async (shape, axis, keepDims) => {
    for (const simd of [true, false]) {
      setSimdEnabled(simd);
      for (const name of ['Sum', 'Mean']) {
        const err = await relError(name, (seed) => ({ x: rand(shape, seed) }), { axis, keepDims });
        expect(track(name, err), `${name} SIMD ${simd}`).toBeLessThan(1e-6);
      }
      setSimdEnabled(true);
    }
  });

  it('Sum and Mean over leading axes add in float64, as the cpu backend does', async () => {
    // Each column holds one 1e8 (never in the last row) and 4095 ones: a float32 accumulator
    // drops every 1 added after the 1e8 (float32 spacing there is 8); float64 reaches 100004095,
    // which rounds to the same float32 on both backends.
    const make = () => {
      const v = new Float32Array(4096 * 8).fill(1);
      for (let c = 0; c < 8; c++) v[(c * 511 % 4096) * 8 + c] = 1e8;
      return { x: tf.tensor(v, [16, 256, 8]) };
    };
    for (const simd of [true, false]) {
      setSimdEnabled(simd);
      for (const name of ['Sum', 'Mean']) {
        expect(await relError(name, make, { axis: [0, 1], keepDims: false }), `${name} SIMD ${simd}`).toBe(0);
      }
      setSimdEnabled(true);
    }
  });

  it('Sum of int32 keeps its dtype (delegated)', async () => {
    const err = await relError('Sum', (seed) => ({ x: rand([3, 4], seed, 0, 'int32') }), { axis: 0, keepDims: false });
    expect(err).toBe(0);
  });

  it.each(TILES)('Tile %j by %j (%s)', async (shape, reps, dtype) => {
    const err = await relError('Tile', (seed) => ({ x: rand(shape, seed, 0, dtype) }), { reps });
    expect(track('Tile', err)).toBe(0);
  });

  it.each(MATMULS)('BatchMatMul %j x %j transposeA %s transposeB %s', async (a, b, transposeA, transposeB) => {
    const err = await relError('BatchMatMul', (seed) => ({ a: rand(a, seed), b: rand(b, seed + 1) }), { transposeA, transposeB });
    expect(track('BatchMatMul', err)).toBeLessThan(1e-5);
  });

  it.each([[[2, 5, 5, 4]], [[3, 7]], [[1, 26, 26, 32]], [[13]]])('the Relu gradient of %j equals dy * step(x) on cpu, with and without SIMD', async (shape) => {
    // Inputs with exact zeros and negatives (x = 0 must give 0, as step(0) = 0); odd sizes use the scalar tail.
    const grad = async (backend: string): Promise<Float32Array> => {
      await tf.setBackend(backend);
      const x = rand(shape, 3, 2);
      const dy = rand(shape, 4);
      let g: tf.Tensor | null = null;
      const profile = await tf.profile(() => {
        g = tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy);
        return g;
      });
      // Proof of which path ran: our kernel on wasm, tfjs-core's Step + Multiply elsewhere.
      expect(profile.kernelNames.includes('CnnReluGrad')).toBe(backend === 'wasm');
      const values = (await g!.data()) as Float32Array;
      tf.dispose([x, dy, g!]);
      return values;
    };
    const want = await grad('cpu');
    expect(want.some((v) => v === 0) && want.some((v) => v !== 0)).toBe(true);
    for (const simd of [true, false]) {
      setSimdEnabled(simd);
      const got = await grad('wasm');
      setSimdEnabled(true);
      // `+ 0` turns -0 (dy * 0 for a negative dy on cpu) into 0: the same value to every consumer.
      expect(Array.from(got, (v) => v + 0), `SIMD ${simd}`).toEqual(Array.from(want, (v) => v + 0));
    }
  });

  it('builds SIMD modules a browser main thread can compile synchronously (under 4 KB each)', () => {
    for (const shared of [false, true]) {
      for (const fused of [false, true]) {
        const modules = simdModules(shared, fused);
        expect(modules.map((m) => m.length < 4096), `shared ${shared} fused ${fused}`).toEqual(modules.map(() => true));
        // Node 20 validates relaxed SIMD only behind a flag (simd-fused.test.ts sets it).
        if (!fused) expect(modules.every((m) => WebAssembly.validate(m))).toBe(true);
      }
    }
  });

  it('registration is idempotent and lists every kernel it registers', async () => {
    const before = WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm'));
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(WASM_TRAINING_KERNELS.map((name) => tf.getKernel(name, 'wasm'))).toEqual(before);
    expect(before.every((k) => k != null)).toBe(true);
  });
});
