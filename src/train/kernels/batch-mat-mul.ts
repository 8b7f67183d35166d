/**
 * BatchMatMul for the wasm backend when an operand is transposed (every dense-layer gradient):
 * the backend runs those through a naive C++ loop, so we transpose explicitly and take its
 * XNNPACK path. Batched or non-float32 products go to the original kernel.
 */
import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs';
import { type WasmBackend, allocF32, asWasm, dropView, freeF32, idOf, matMulIds, transposeIds, viewF32 } from './wasm-backend';

/** The operand's id as a row-major [rows, cols] matrix, transposing into scratch memory if needed. */
function plain(backend: WasmBackend, t: TensorInfo, transposed: boolean, scratch: number[], views: number[]): number {
  if (!transposed) return idOf(backend, t);
  const rows = t.shape[t.shape.length - 2];
  const cols = t.shape[t.shape.length - 1];
  const at = allocF32(backend, rows * cols);
  const id = viewF32(backend, at, rows * cols);
  transposeIds(backend, idOf(backend, t), id, rows, cols);
  scratch.push(at);
  views.push(id);
  return id;
}

/** Builds the BatchMatMul kernel that handles single transposed products and delegates the rest. */
export function makeBatchMatMulConfig(original: KernelConfig): KernelConfig {
  const batchMatMul = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const single = util.sizeFromShape(a.shape.slice(0, -2)) === 1 && util.sizeFromShape(b.shape.slice(0, -2)) === 1;
    if (!(transposeA || transposeB) || !single || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return original.kernelFunc(args);
    }
    const backend = asWasm(args.backend);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (k !== kb || m * n * k === 0) return original.kernelFunc(args);
    const rank = Math.max(ra, rb);
    const out = backend.makeOutput([...new Array(rank - 2).fill(1), m, n], 'float32');
    const scratch: number[] = [];
    const views: number[] = [];
    const aId = plain(backend, a, transposeA, scratch, views);
    const bId = plain(backend, b, transposeB, scratch, views);
    matMulIds(backend, aId, bId, idOf(backend, out), m, k, n);
    // Views first: dropping them deletes the XNNPACK operator cached for them.
    for (const id of views) dropView(backend, id);
    for (const at of scratch) freeF32(backend, at);
    return out;
  };
  return { ...original, kernelFunc: batchMatMul as unknown as KernelFunc };
}
