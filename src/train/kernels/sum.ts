/**
 * Sum for the wasm backend over leading axes (bias gradients: [N, H, W, C] -> [C]), where the
 * backend would first transpose the reduced axes innermost. Other cases go to the original kernel.
 */
import {
  type KernelConfig,
  type KernelFunc,
  type SumAttrs,
  type TensorInfo,
  backend_util,
  util,
} from '@tensorflow/tfjs';
import { type SimdOps, simdOps } from './simd';
import { type WasmBackend, allocF32, asWasm, byteOffsetOf, f32Index, freeF32, heapF32 } from './wasm-backend';

/** Bytes of rows per SIMD pass: a chunk stays in L1 while each 16-column panel walks it. */
const CHUNK_BYTES = 1 << 14;

/**
 * Column sums of a row-major [rows, cols] block in float64, like the cpu backend (which sums each
 * column in row order). Eight rows are added per pass: 4x faster in V8 than one, and sums of a few
 * float32 values are exact in float64, so results match the cpu backend's after rounding.
 */
export function sumLeadingRows(heap: Float32Array, xAt: number, rows: number, cols: number): Float64Array {
  const acc = new Float64Array(cols);
  let r = 0;
  let p = xAt;
  for (; r + 8 <= rows; r += 8, p += 8 * cols) {
    for (let j = 0, q = p; j < cols; j++, q++) {
      acc[j] += (heap[q] + heap[q + cols] + (heap[q + 2 * cols] + heap[q + 3 * cols])) +
        (heap[q + 4 * cols] + heap[q + 5 * cols] + (heap[q + 6 * cols] + heap[q + 7 * cols]));
    }
  }
  for (; r < rows; r++, p += cols) {
    for (let j = 0; j < cols; j++) acc[j] += heap[p + j];
  }
  return acc;
}

/**
 * The same column sums by the SIMD `colSums` functions (cols % 4 == 0): float64 accumulators in
 * registers for 16 (then 4) columns at a time, over L1-sized chunks of rows, so precision stays
 * float64 as in `sumLeadingRows`, only the order of the additions differs.
 */
function simdColumnSums(backend: WasmBackend, simd: SimdOps, xAt: number, rows: number, cols: number): Float64Array {
  // cols float64 accumulators, 8-byte aligned whatever alignment malloc gives.
  const block = allocF32(backend, 2 * cols + 1);
  const acc = (block + 7) & ~7;
  const rowB = cols * 4;
  const chunk = Math.max(1, Math.floor(CHUNK_BYTES / rowB));
  new Float64Array(heapF32(backend).buffer, acc, cols).fill(0);
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const n = Math.min(chunk, rows - r0);
    const at = xAt + r0 * rowB;
    let c = 0;
    for (; c + 16 <= cols; c += 16) simd.colSums4(at + c * 4, n, rowB, acc + c * 8);
    for (; c < cols; c += 4) simd.colSums1(at + c * 4, n, rowB, acc + c * 8);
  }
  const sums = new Float64Array(heapF32(backend).buffer, acc, cols).slice();
  freeF32(backend, block);
  return sums;
}

/** The number of leading axes reduced, or -1 if `axes` is not a leading run short of the last. */
export function leadingAxes(axes: number[], rank: number): number {
  const sorted = [...axes].sort((a, b) => a - b);
  const ok = sorted.length > 0 && sorted.length < rank && sorted.every((a, i) => a === i);
  return ok ? sorted.length : -1;
}

/**
 * Reduces `x` over its leading axes into a new float32 output, `finish` turning the float64 column
 * sums into the stored values (identity for Sum, a division for Mean). Returns null when the case
 * is not a float32 reduction over leading axes, so the caller falls back to the original kernel.
 */
export function reduceLeading(args: Parameters<KernelFunc>[0], finish: (sums: Float64Array, rows: number) => void): TensorInfo | null {
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as SumAttrs;
  const axes = util.parseAxisParam(axis, x.shape);
  const lead = leadingAxes(axes, x.shape.length);
  if (x.dtype !== 'float32' || lead < 0) return null;
  const backend = asWasm(args.backend);
  const rows = util.sizeFromShape(x.shape.slice(0, lead));
  const outShape = x.shape.slice(lead);
  const out = backend.makeOutput(keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape, 'float32');
  const cols = util.sizeFromShape(outShape);
  const simd = simdOps(backend);
  const sums = simd != null && cols % 4 === 0 && cols > 0
    ? simdColumnSums(backend, simd, byteOffsetOf(backend, x), rows, cols)
    : sumLeadingRows(heapF32(backend), f32Index(backend, x), rows, cols);
  finish(sums, rows);
  // A fresh view: the scratch allocation may have grown (and so detached) the heap.
  heapF32(backend).set(sums, f32Index(backend, out));
  return out;
}

/** Builds the Sum kernel that handles leading axes itself and hands other cases to `original`. */
export function makeSumConfig(original: KernelConfig): KernelConfig {
  const sum = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] =>
    reduceLeading(args, () => {}) ?? original.kernelFunc(args);
  return { ...original, kernelFunc: sum as unknown as KernelFunc };
}
