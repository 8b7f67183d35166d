/**
 * Conv2D (forward) for the wasm backend by the SIMD `convRow` functions: a direct convolution
 * with no im2col and no XNNPACK packing, where the backend's XNNPACK path runs a one-channel first
 * layer at ~8 GFLOP/s. Cases it does not take (no SIMD, co % 4 != 0, dilation, NCHW, not float32)
 * go to the original kernel. In a Node training step it saved ~0.5-1 ms (the first layer; the
 * second is about even with XNNPACK, ahead with relaxed SIMD); the app in Chromium measured
 * 1,258 and 1,187 examples/s with it against 1,104 and 1,251 without (within the noise).
 */
import {
  Conv2D,
  type Conv2DAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  backend_util,
} from '@tensorflow/tfjs';
import { inputView } from './padded-input';
import { type SimdOps, simdOps } from './simd';
import { type WasmBackend, asWasm, byteOffsetOf } from './wasm-backend';

type Call = (...args: number[]) => void;

/**
 * y = x (*) filter into `out` ([n, ho, wo, co], float32; co % 4 == 0), a few calls per output
 * row: groups of 4 pixels, then 2, then 1; 8 channels at a time, then a last 4.
 */
export function directConv2D(backend: WasmBackend, simd: SimdOps, x: TensorInfo, filter: TensorInfo, out: TensorInfo, c: backend_util.Conv2DInfo): void {
  const { batchSize: n, inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = c;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = c;
  const view = inputView(backend, x, c, 1);
  const [fAt, yAt] = [byteOffsetOf(backend, filter), byteOffsetOf(backend, out)];
  const co4 = co * 4;
  const taps = fw * ci;
  // Strides in bytes: input rows (one kernel row to the next), output pixels, filter rows.
  const geometry = [taps, fh, view.w * ci * 4, sw * ci * 4, taps * co4, co4];
  const fours = Math.floor(wo / 4);
  const twos = (wo % 4) >> 1;
  const ones = wo % 2;
  const eights = Math.floor(co / 8);
  const passes: Array<[Call[], number, number]> = [];
  if (eights > 0) passes.push([[simd.convRow4x2, simd.convRow2x2, simd.convRow1x2], 0, eights]);
  if (co % 8 !== 0) passes.push([[simd.convRow4x1, simd.convRow2x1, simd.convRow1x1], 32 * eights, 1]);
  // Pixel runs of one row: [first pixel, groups] for the 4-, 2- and 1-pixel functions.
  const runs = [[0, fours], [4 * fours, twos], [4 * fours + 2 * twos, ones]];
  for (let b = 0; b < n; b++) {
    const xAt = view.imageAt(b, 1);
    for (let oh = 0; oh < ho; oh++) {
      const xr = xAt + oh * sh * view.w * ci * 4;
      const yr = yAt + (b * ho + oh) * wo * co4;
      for (const [fns, c0, blocks] of passes) {
        runs.forEach(([p0, groups], i) => {
          if (groups > 0) fns[i](xr + p0 * sw * ci * 4, fAt + c0, yr + p0 * co4 + c0, groups, blocks, ...geometry);
        });
      }
    }
  }
  view.release();
}

/** Builds the Conv2D kernel that runs `directConv2D` where it applies and delegates the rest. */
export function makeConv2DConfig(original: KernelConfig): KernelConfig {
  const conv2D = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Conv2DAttrs;
    const backend = asWasm(args.backend);
    const simd = simdOps(backend);
    const plain = dataFormat === 'NHWC' && [dilations ?? 1].flat().every((d) => d === 1);
    if (simd == null || !plain || x.dtype !== 'float32' || filter.dtype !== 'float32') return original.kernelFunc(args);
    const c = backend_util.computeConv2DInfo(x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, 'channelsLast');
    if (c.outChannels % 4 !== 0 || c.batchSize * c.outHeight * c.outWidth * c.outChannels === 0) return original.kernelFunc(args);
    const out = backend.makeOutput(c.outShape, 'float32');
    directConv2D(backend, simd, x, filter, out, c);
    return out;
  };
  return { ...original, kernelName: Conv2D, kernelFunc: conv2D as unknown as KernelFunc };
}
