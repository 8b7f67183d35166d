/**
 * Conv2DBackpropFilter for the wasm backend, which ships without it: im2col over a cache-sized
 * chunk of output pixels, written straight into wasm memory, then XNNPACK matMuls whose partial
 * filter gradients are summed. With SIMD and co % 4 == 0 (every preset but LeNet's first layer)
 * a direct route is 1.3-7x faster on every preset's shapes measured (filter-grad-direct.ts); this
 * path remains for the rest.
 */
import {
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  backend_util,
} from '@tensorflow/tfjs';
import { type ConvGradAttrs, nhwcConvInfo } from './conv-info';
import { directApplies, directFilterGrad } from './filter-grad-direct';
import { simdOps } from './simd';
import {
  type WasmBackend, allocF32, asWasm, byteOffsetOf, dropView, f32Index, freeF32, heapF32, matMulIds, transposeIds, viewF32,
} from './wasm-backend';

/** Floats per chunk: 1 MiB of im2col plus its transpose stay in L2 between fill and matMul. */
const CHUNK_FLOATS = 1 << 18;

/**
 * Writes im2col rows cols[p - p0, (kh, kw, ci)] for output pixels p in [p0, p0 + rows). In NHWC
 * the taps of one kernel row are one contiguous run of (valid kw) * ci input values.
 */
function fillColumns(heap: Float32Array, xAt: number, colsAt: number, c: backend_util.Conv2DInfo, p0: number, rows: number): void {
  const { inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo } = c;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = c;
  const rowLen = fw * ci;
  let dst = colsAt;
  // Walk (b, oh, ow) with counters: divisions per pixel cost as much as the copies for ci = 1.
  let ow = p0 % wo;
  let oh = Math.floor(p0 / wo) % ho;
  let b = Math.floor(p0 / (wo * ho));
  for (let p = 0; p < rows; p++) {
    const iw0 = ow * sw - c.padInfo.left;
    const kwLo = Math.max(0, -iw0);
    const kwHi = Math.min(fw, w - iw0);
    const lead = kwLo * ci;
    const len = Math.max(0, kwHi - kwLo) * ci;
    for (let kh = 0; kh < fh; kh++, dst += rowLen) {
      const ih = oh * sh + kh - c.padInfo.top;
      if (ih < 0 || ih >= h || len === 0) {
        heap.fill(0, dst, dst + rowLen);
        continue;
      }
      for (let i = 0; i < lead; i++) heap[dst + i] = 0;
      const src = xAt + ((b * h + ih) * w + iw0 + kwLo) * ci;
      const to = dst + lead;
      // copyWithin is a native memmove: worth its call cost only for longer runs.
      if (len >= 32) heap.copyWithin(to, src, src + len);
      else for (let i = 0; i < len; i++) heap[to + i] = heap[src + i];
      for (let i = lead + len; i < rowLen; i++) heap[dst + i] = 0;
    }
    if (++ow === wo) {
      ow = 0;
      if (++oh === ho) {
        oh = 0;
        b++;
      }
    }
  }
}

interface Plan {
  k: number;
  co: number;
  /** Pack the narrower right-hand operand: see `chunkGrad`. */
  narrow: boolean;
  cols: number;
  colsT: number;
  partial: number;
}

/**
 * dW[K, Co] += cols[rows, K]^T x dy[rows, Co] for one chunk. Only the plain matMul is fast on
 * wasm, so one operand is transposed first; XNNPACK also packs the right-hand operand on every
 * call (fresh tensor id), at ~5x a transpose per element, so we pack whichever is narrower:
 * wide K:   cols^T x dy        (transpose cols, pack dy)
 * narrow K: (dy^T x cols)^T    (transpose dy, pack cols; a first layer has K = 9, Co = 32)
 * The products land in `partial` ([K, Co] or [Co, K]) and are added to dW in JS.
 */
function chunkGrad(backend: WasmBackend, s: Plan, dyAt: number, rows: number, outAt: number, first: boolean): void {
  const { k, co } = s;
  const dy = viewF32(backend, dyAt, rows * co);
  const cols = viewF32(backend, s.cols, rows * k);
  const t = viewF32(backend, s.colsT, rows * Math.max(k, co));
  const partial = viewF32(backend, s.partial, k * co);
  if (s.narrow) {
    transposeIds(backend, dy, t, rows, co);
    matMulIds(backend, t, cols, partial, co, rows, k);
  } else {
    transposeIds(backend, cols, t, rows, k);
    matMulIds(backend, t, dy, partial, k, rows, co);
  }
  for (const id of [dy, cols, t, partial]) dropView(backend, id);
  const heap = heapF32(backend);
  const p = s.partial >>> 2;
  const o = outAt >>> 2;
  if (!s.narrow) {
    if (first) heap.copyWithin(o, p, p + k * co);
    else for (let i = 0; i < k * co; i++) heap[o + i] += heap[p + i];
    return;
  }
  for (let j = 0; j < co; j++) {
    for (let i = 0; i < k; i++) heap[o + i * co + j] = (first ? 0 : heap[o + i * co + j]) + heap[p + j * k + i];
  }
}

function filterGrad(backend: WasmBackend, x: TensorInfo, dy: TensorInfo, out: TensorInfo, c: backend_util.Conv2DInfo): void {
  const simd = simdOps(backend);
  // Whole SIMD vectors of output channels go the direct route; the rest, or no SIMD, use columns.
  if (simd != null && directApplies(c)) {
    directFilterGrad(backend, simd, x, dy, out, c);
    return;
  }
  const k = c.filterHeight * c.filterWidth * c.inChannels;
  const co = c.outChannels;
  const m = c.batchSize * c.outHeight * c.outWidth;
  const chunk = Math.min(m, Math.max(64, Math.floor(CHUNK_FLOATS / k)));
  const narrow = k * 5 < co * 4;
  const plan: Plan = {
    k, co, narrow,
    cols: allocF32(backend, chunk * k),
    colsT: allocF32(backend, chunk * Math.max(k, co)),
    partial: allocF32(backend, k * co),
  };
  for (let p0 = 0; p0 < m; p0 += chunk) {
    const rows = Math.min(chunk, m - p0);
    if (simd != null) {
      simd.im2col(byteOffsetOf(backend, x), plan.cols, p0, rows, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth,
        c.filterHeight, c.filterWidth, c.strideHeight, c.strideWidth, c.padInfo.top, c.padInfo.left);
    } else {
      // A fresh heap view each time: allocations inside wasm calls may have grown memory.
      fillColumns(heapF32(backend), f32Index(backend, x), plan.cols >>> 2, c, p0, rows);
    }
    chunkGrad(backend, plan, byteOffsetOf(backend, dy) + p0 * co * 4, rows, byteOffsetOf(backend, out), p0 === 0);
  }
  for (const at of [plan.cols, plan.colsT, plan.partial]) freeF32(backend, at);
}

function conv2DBackpropFilter(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = asWasm(args.backend);
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs & ConvGradAttrs;
  const { filterShape } = attrs;
  const info = nhwcConvInfo(Conv2DBackpropFilter, x.shape, filterShape, attrs);
  const out = backend.makeOutput(filterShape, 'float32');
  const size = filterShape.reduce((a, b) => a * b, 1);
  if (info.batchSize * info.outHeight * info.outWidth === 0) {
    heapF32(backend).fill(0, f32Index(backend, out), f32Index(backend, out) + size);
  } else if (size > 0) {
    filterGrad(backend, x, dy, out, info);
  }
  return out;
}

/** Registers as Conv2DBackpropFilter on 'wasm' (NHWC, dilation 1, any stride and padding). */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
