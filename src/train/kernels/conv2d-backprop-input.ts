/**
 * Conv2DBackpropInput for the wasm backend, replacing its naive C++ loop: stride 1 becomes one
 * XNNPACK forward convolution of dy with the 180-degree-rotated, in/out-swapped filter and "full"
 * padding; other strides use a matMul dy x W^T to columns, then col2im.
 */
import {
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  backend_util,
} from '@tensorflow/tfjs';
import { nhwcConvInfo } from './conv-info';
import {
  type WasmBackend, allocF32, asWasm, dropView, f32Index, freeF32, heapF32, idOf, matMulIds, transposeIds, viewF32, wasmFunc,
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

/** dx[n, ih, iw, :] += cols[(n, oh, ow), (kh, kw, :)] for every tap that lands inside dx. */
function col2im(heap: Float32Array, colsAt: number, dxAt: number, c: backend_util.Conv2DInfo): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: ho, outWidth: wo } = c;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = c;
  heap.fill(0, dxAt, dxAt + n * h * w * ci);
  let src = colsAt;
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < ho; oh++) {
      for (let ow = 0; ow < wo; ow++) {
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
  }
}

function viaCol2im(backend: WasmBackend, dy: TensorInfo, filter: TensorInfo, dx: TensorInfo, c: backend_util.Conv2DInfo): void {
  const k = c.filterHeight * c.filterWidth * c.inChannels;
  const m = c.batchSize * c.outHeight * c.outWidth;
  const co = c.outChannels;
  const filterTAt = allocF32(backend, co * k);
  const colsAt = allocF32(backend, m * k);
  const filterT = viewF32(backend, filterTAt, co * k);
  const cols = viewF32(backend, colsAt, m * k);
  transposeIds(backend, idOf(backend, filter), filterT, k, co);
  matMulIds(backend, idOf(backend, dy), filterT, cols, m, co, k);
  dropView(backend, filterT);
  dropView(backend, cols);
  col2im(heapF32(backend), colsAt >>> 2, f32Index(backend, dx), c);
  freeF32(backend, filterTAt);
  freeF32(backend, colsAt);
}

function conv2DBackpropInput(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = asWasm(args.backend);
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Conv2DBackpropInputAttrs;
  const c = nhwcConvInfo(Conv2DBackpropInput, inputShape, filter.shape, strides, pad, dataFormat, dimRoundingMode);
  const dx = backend.makeOutput(inputShape, 'float32');
  const size = c.batchSize * c.inHeight * c.inWidth * c.inChannels;
  if (size === 0) return dx;
  if (c.batchSize * c.outHeight * c.outWidth * c.outChannels === 0) {
    heapF32(backend).fill(0, f32Index(backend, dx), f32Index(backend, dx) + size);
  } else if (c.strideHeight === 1 && c.strideWidth === 1 && fullConvPads(c).every((p) => p >= 0)) {
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
