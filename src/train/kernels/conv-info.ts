/** Shared shape checks for the convolution gradient kernels. */
import { backend_util } from '@tensorflow/tfjs';

/** The attributes both convolution gradient kernels receive (dilations only from custom callers). */
export interface ConvGradAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: [number, number] | number;
}

/** Conv2D geometry for an NHWC, dilation-1 convolution, with a clear error for anything else. */
export function nhwcConvInfo(kernel: string, xShape: number[], filterShape: number[], attrs: ConvGradAttrs): backend_util.Conv2DInfo {
  const { strides, pad, dataFormat, dimRoundingMode, dilations = 1 } = attrs;
  if (dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports dataFormat 'NHWC' only, got '${dataFormat}'`);
  }
  // tfjs's own gradients never ask for dilation (Conv2D's gradient asserts it is 1), but a
  // direct runKernel call could; fail loudly rather than compute an undilated gradient.
  if ([dilations].flat().some((d) => d !== 1)) {
    throw new Error(`${kernel} on wasm supports dilation 1 only, got ${JSON.stringify(dilations)}`);
  }
  return backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides, 1, pad, dimRoundingMode, false, 'channelsLast',
  );
}
