/**
 * Conv2DBackpropInput for the wasm backend, replacing its naive C++ loop: either one XNNPACK
 * forward convolution of dy with the 180-degree-rotated, in/out-swapped filter and "full" padding
 * (stride 1), or a matMul dy x W^T to columns and then col2im (any stride), whichever is cheaper.
 */
import {
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  backend_util,
} from '@tensorflow/tfjs';
import { type ConvGradAttrs, nhwcConvInfo } from './conv-info';
import { simdOps } from './simd';
import {
  type WasmBackend, allocF32, asWasm, byteOffsetOf, dropView, f32Index, freeF32, heapF32, idOf, matMulIds, transposeIds, viewF32, wasmFunc,
} from './wasm-backend';

/** f'[fh-1-kh, fw-1-kw, co, ci] = W[kh, kw, ci, co]: the filter of the equivalent forward conv. */
function rotateFilter(heap: Float32Array, wAt: number, outAt: number, fh: number, fw: number, ci: number, co: number): void {
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      const src = wAt + (kh * fw + kw) * ci * co;
      const dst = outAt + ((fh - 1 - kh) * fw + (fw - 1 - kw)) * co * ci;
      for (let d = 0; d < ci; d++) {
        for (let o = 0; o < co; o++) heap[dst + o * ci + d] = heap[src + d * co + o];
      }
    }
  }
}

function fullConvPads(c: backend_util.Conv2DInfo): [number, number, number, number] {
  const top = c.filterHeight - 1 - c.padInfo.top;
  const left = c.filterWidth - 1 - c.padInfo.left;
  const bottom = c.inHeight - c.outHeight + c.filterHeight - 1 - top;
  const right = c.inWidth - c.outWidth + c.filterWidth - 1 - left;
  return [top, right, bottom, left];
}

function viaForwardConv(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, dx: TensorInfo, c: backend_util.Conv2DInfo): void {
  const { filterHeight: fh, filterWidth: fw, inChannels: ci, outChannels: co } = c;
  const size = fh * fw * ci * co;
  const at = allocF32(backend, size);
  rotateFilter(heapF32(backend), f32Index(backend, filter), at >>> 2, fh, fw, ci, co);
  const rotated = viewF32(backend, at, size);
  const [top, right, bottom, left] = fullConvPads(c);
  const conv = wasmFunc(backend, 'Conv2D', new Array(19).fill('number'));
  conv(idOf(backend, dy), c.batchSize, c.outHeight, c.outWidth, rotated, fh, fw,
    top, right, bottom, left, 0, 1, 1, 1, 1, co, ci, idOf(backend, dx));
  // Dropping the view also deletes the XNNPACK operator the backend cached for this filter id.
  dropView(backend, rotated);
  freeF32(backend, at);
}

/** dx[n, ih, iw, :] += cols[p - p0, (kh, kw, :)] for output pixels p0 .. p0 + rows, taps inside dx. */
function col2im(heap: Float32Array, colsAt: number, dxAt: number, c: backend_util.Conv2DInfo, p0: number, rows: number): void {
  const { inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo } = c;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = c;
  let src = colsAt;
  for (let p = p0; p < p0 + rows; p++) {
    const ow = p % wo;
    const oh = Math.floor(p / wo) % ho;
    const b = Math.floor(p / (wo * ho));
    for (let kh = 0; kh < fh; kh++) {
      const ih = oh * sh + kh - c.padInfo.top;
      for (let kw = 0; kw < fw; kw++, src += ci) {
        const iw = ow * sw + kw - c.padInfo.left;
        if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
        const dst = dxAt + ((b * h + ih) * w + iw) * ci;
        for (let d = 0; d < ci; d++) heap[dst + d] += heap[src + d];
      }
    }
  }
}

/** Floats of columns per chunk: the matMul's output stays in L2 until col2im reads it. */
const CHUNK_FLOATS = 1 << 18;

/**
 * cols = dy x W^T (W^T packed once: the same tensor id for every chunk), then col2im, over
 * chunks of output pixels. Fewer multiply-adds than the full convolution when the padding
 * it adds is large (small 'valid' outputs), but all columns go through memory.
 */
function viaCol2im(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, dx: TensorInfo, c: backend_util.Conv2DInfo): void {
  const k = c.filterHeight * c.filterWidth * c.inChannels;
  const m = c.batchSize * c.outHeight * c.outWidth;
  const co = c.outChannels;
  const chunk = Math.min(m, Math.max(64, Math.floor(CHUNK_FLOATS / k)));
  const filterTAt = allocF32(backend, co * k);
  const colsAt = allocF32(backend, chunk * k);
  const filterT = viewF32(backend, filterTAt, co * k);
  transposeIds(backend, idOf(backend, filter), filterT, k, co);
  heapF32(backend).fill(0, f32Index(backend, dx), f32Index(backend, dx) + c.batchSize * c.inHeight * c.inWidth * c.inChannels);
  const simd = simdOps(backend);
  for (let p0 = 0; p0 < m; p0 += chunk) {
    const rows = Math.min(chunk, m - p0);
    const dyRows = viewF32(backend, byteOffsetOf(backend, dy) + p0 * co * 4, rows * co);
    const cols = viewF32(backend, colsAt, rows * k);
    matMulIds(backend, dyRows, filterT, cols, rows, co, k);
    dropView(backend, dyRows);
    dropView(backend, cols);
    if (simd != null) {
      simd.col2im(byteOffsetOf(backend, dx), colsAt, p0, rows, c.inHeight, c.inWidth, c.inChannels, c.outHeight, c.outWidth,
        c.filterHeight, c.filterWidth, c.strideHeight, c.strideWidth, c.padInfo.top, c.padInfo.left);
    } else {
      col2im(heapF32(backend), colsAt >>> 2, f32Index(backend, dx), c, p0, rows);
    }
  }
  dropView(backend, filterT);
  freeF32(backend, filterTAt);
  freeF32(backend, colsAt);
}

/**
 * The full convolution does (H * W) / (Ho * Wo) times the multiply-adds of the column route,
 * which in turn moves every column through memory. Measured at batch 64 (ms, full vs columns
 * with SIMD col2im): 13x13x32 <- 11x11x64 valid 16.6 vs 12.7; 12x12x32 <- 10x10x64 13.5 vs 10.1;
 * 26x26x32 <- 24x24x32 32 vs 33; 'same' 16.2 vs 17.3; 28x28x6 <- 28x28x6 5x5 5.0 vs 19.
 * The columns win only with enough output channels to keep the matMul busy and a ratio >= 1.25.
 */
function preferForwardConv(backend: WasmBackend, c: backend_util.Conv2DInfo): boolean {
  if (c.strideHeight !== 1 || c.strideWidth !== 1 || fullConvPads(c).some((p) => p < 0)) return false;
  const ratio = (c.inHeight * c.inWidth) / (c.outHeight * c.outWidth);
  return simdOps(backend) == null || c.outChannels < 32 || ratio < 1.25;
}

function conv2DBackpropInput(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = asWasm(args.backend);
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs & ConvGradAttrs;
  const { inputShape } = attrs;
  const c = nhwcConvInfo(Conv2DBackpropInput, inputShape, filter.shape, attrs);
  const dx = backend.makeOutput(inputShape, 'float32');
  const size = c.batchSize * c.inHeight * c.inWidth * c.inChannels;
  if (size === 0) return dx;
  if (c.batchSize * c.outHeight * c.outWidth * c.outChannels === 0) {
    heapF32(backend).fill(0, f32Index(backend, dx), f32Index(backend, dx) + size);
  } else if (preferForwardConv(backend, c)) {
    viaForwardConv(backend, dy, filter, dx, c);
  } else {
    viaCol2im(backend, dy, filter, dx, c);
  }
  return dx;
}

/** Registers as Conv2DBackpropInput on 'wasm' (NHWC, dilation 1, any stride and padding). */
export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
