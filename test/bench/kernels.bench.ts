/**
 * Training-step throughput of the default CNN on the wasm backend (1 thread in Node): the
 * backend's own kernels plus our Conv2DBackpropFilter ("shipped"; without it nothing trains),
 * all our kernels with JS loops only, and with the SIMD helpers; then a per-kernel time
 * breakdown at batch 64. Run: npx vitest bench --run test/bench/kernels.bench.ts
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, bench, describe } from 'vitest';
import { WASM_TRAINING_KERNELS, registerWasmTrainingKernels } from '../../src/train/kernels/index';
import { conv2DBackpropFilterConfig } from '../../src/train/kernels/conv2d-backprop-filter';
import { setSimdEnabled } from '../../src/train/kernels/simd';

await tf.setBackend('wasm');
const shipped = new Map(WASM_TRAINING_KERNELS.map((name) => [name, tf.getKernel(name, 'wasm')]));

/** The backend's own kernels, plus the filter gradient it lacks (without it nothing trains). */
function useShipped(): void {
  for (const name of WASM_TRAINING_KERNELS) {
    if (tf.getKernel(name, 'wasm') != null) tf.unregisterKernel(name, 'wasm');
    const config = shipped.get(name);
    if (config != null) tf.registerKernel(config);
  }
  tf.registerKernel(conv2DBackpropFilterConfig);
  setSimdEnabled(true);
}

/** All our kernels, with or without the SIMD helpers. */
function useOurs(simd: boolean): () => void {
  return () => {
    registerWasmTrainingKernels();
    setSimdEnabled(simd);
  };
}

function defaultCnn(): tf.Sequential {
  const L = tf.layers;
  const model = tf.sequential({
    layers: [
      L.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.flatten(),
      L.dense({ units: 64, activation: 'relu' }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

const model = defaultCnn();
const batches = new Map([32, 64, 128].map((n) => [n, {
  x: tf.randomUniform([n, 28, 28, 1]),
  y: tf.oneHot(tf.randomUniform([n], 0, 10, 'int32') as tf.Tensor1D, 10),
}]));

async function step(n: number): Promise<void> {
  const { x, y } = batches.get(n)!;
  await model.trainOnBatch(x, y);
}

for (const n of batches.keys()) {
  describe(`default CNN training step, batch ${n} (examples/s = ${n} x hz)`, () => {
    const options = { time: 3000, warmupIterations: 3 };
    bench('shipped wasm kernels + our filter gradient', () => step(n), { ...options, setup: useShipped });
    bench('our kernels, JS loops only', () => step(n), { ...options, setup: useOurs(false) });
    bench('our kernels with SIMD helpers', () => step(n), { ...options, setup: useOurs(true) });
  });
}

/** Wraps every wasm kernel with a timer, runs `steps` training steps, and prints ms per step by kernel. */
async function breakdown(n: number, steps: number): Promise<void> {
  useOurs(true)();
  const totals = new Map<string, number>();
  const originals = tf.getKernelsForBackend('wasm');
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel({
      ...config,
      kernelFunc: (args) => {
        const t0 = performance.now();
        const out = config.kernelFunc(args);
        const shapes = Object.values(args.inputs).map((t) => t?.shape.join('x')).join(' ');
        const key = `${config.kernelName} ${shapes}`;
        totals.set(key, (totals.get(key) ?? 0) + performance.now() - t0);
        return out;
      },
    });
  }
  await step(n);
  totals.clear();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await step(n);
  const stepMs = (performance.now() - t0) / steps;
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  const rows = [...totals].map(([k, ms]) => [k, ms / steps] as const).sort((a, b) => b[1] - a[1]);
  const inKernels = rows.reduce((s, [, ms]) => s + ms, 0);
  console.log(`batch ${n}: ${stepMs.toFixed(1)} ms a step (${(n * 1000 / stepMs).toFixed(0)} examples/s), ` +
    `${inKernels.toFixed(1)} ms in kernels`);
  for (const [k, ms] of rows.slice(0, 20)) console.log(`${ms.toFixed(2).padStart(7)} ms  ${k}`);
}

afterAll(async () => {
  await breakdown(64, 10);
  model.dispose();
  for (const { x, y } of batches.values()) tf.dispose([x, y]);
});
