/** Shared shape checks for the convolution gradient kernels. */
import { backend_util } from '@tensorflow/tfjs';

type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

/** Conv2D geometry for an NHWC, dilation-1 convolution, with a clear error for anything else. */
export function nhwcConvInfo(
  kernel: string,
  xShape: number[],
  filterShape: number[],
  strides: [number, number] | number,
  pad: Pad,
  dataFormat: 'NHWC' | 'NCHW',
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): backend_util.Conv2DInfo {
  if (dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports dataFormat 'NHWC' only, got '${dataFormat}'`);
  }
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    throw new Error(`${kernel} on wasm supports dilation 1 only`);
  }
  return info;
}

/** First and one-past-last output column whose input column `o * stride + k - pad` is inside [0, size). */
export function validRange(outSize: number, stride: number, k: number, pad: number, size: number): [number, number] {
  const lo = Math.max(0, Math.ceil((pad - k) / stride));
  const hi = Math.min(outSize, Math.floor((size - 1 + pad - k) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}
