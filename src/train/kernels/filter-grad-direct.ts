/**
 * A direct Conv2DBackpropFilter by the SIMD `tapGrad` functions, with no im2col and no XNNPACK
 * packing of the large dy: for each group of filter taps, one pass over an L1-sized block of dy
 * adds x * dy into accumulators held in registers. The im2col + XNNPACK route spent a first layer's
 * time (3x3x1 taps, 12.5 MFLOP in ~5 ms) filling columns and packing dy, not multiplying.
 */
import type { TensorInfo, backend_util } from '@tensorflow/tfjs';
import type { SimdOps } from './simd';
import { inputView } from './padded-input';
import { type WasmBackend, byteOffsetOf, f32Index, heapF32 } from './wasm-backend';

/** Bytes of dy one group of passes walks: the group stays in L1 across its taps' passes. */
const DY_GROUP_BYTES = 1 << 14;

/** Whether `directFilterGrad` handles this geometry: output channels in whole SIMD vectors. */
export function directApplies(c: backend_util.Conv2DInfo): boolean {
  return c.outChannels % 4 === 0;
}

/** A group of dy rows walked together: `count` whole images, or rows oh0..oh1 of one image. */
interface Group { n0: number; count: number; oh0: number; oh1: number }

function groups(c: backend_util.Conv2DInfo): Group[] {
  const rowBytes = c.outWidth * c.outChannels * 4;
  const rowsPerGroup = Math.max(1, Math.floor(DY_GROUP_BYTES / rowBytes));
  const out: Group[] = [];
  if (c.outHeight <= rowsPerGroup) {
    const images = Math.max(1, Math.floor(rowsPerGroup / c.outHeight));
    for (let n0 = 0; n0 < c.batchSize; n0 += images) {
      out.push({ n0, count: Math.min(images, c.batchSize - n0), oh0: 0, oh1: c.outHeight });
    }
    return out;
  }
  // Equal slices (13 rows of 5 per group are 5, 4, 4, not 5, 5, 3), as every slice costs a call.
  const slices = Math.ceil(c.outHeight / rowsPerGroup);
  for (let n0 = 0; n0 < c.batchSize; n0++) {
    for (let s = 0; s < slices; s++) {
      out.push({ n0, count: 1, oh0: Math.floor((s * c.outHeight) / slices), oh1: Math.floor(((s + 1) * c.outHeight) / slices) });
    }
  }
  return out;
}

type Call = (...args: number[]) => void;

/**
 * One kernel row's fw * ci taps, consecutive in NHWC memory: four taps at a time, the rest in one
 * call; 8 output channels at a time, a last 4 (co % 8 == 4) by the one-tap, one-vector function.
 */
function runTaps(simd: SimdOps, co: number, taps: number, xAt: number, dyAt: number, outAt: number, walk: number[]): void {
  const eights = Math.floor(co / 8);
  const fours = Math.floor(taps / 4);
  const rest = taps % 4;
  const byTaps: Record<number, Call> = { 1: simd.tapGrad1x2, 2: simd.tapGrad2x2, 3: simd.tapGrad3x2 };
  if (eights > 0 && fours > 0) simd.tapGrad4x2(xAt, dyAt, outAt, ...walk, fours, eights, co * 4);
  if (eights > 0 && rest > 0) byTaps[rest](xAt + 16 * fours, dyAt, outAt + 16 * fours * co, ...walk, 1, eights, co * 4);
  if (co % 8 !== 0) simd.tapGrad1x1(xAt, dyAt + 32 * eights, outAt + 32 * eights, ...walk, taps, 1, co * 4);
}

/** dW = x (*) dy into `out` ([fh, fw, ci, co], float32) for a geometry where `directApplies`. */
export function directFilterGrad(backend: WasmBackend, simd: SimdOps, x: TensorInfo, dy: TensorInfo, out: TensorInfo, c: backend_util.Conv2DInfo): void {
  const { inChannels: ci, outHeight: ho, outWidth: wo, outChannels: co } = c;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = c;
  const all = groups(c);
  const view = inputView(backend, x, c, all.reduce((most, g) => Math.max(most, g.count), 1));
  const o = f32Index(backend, out);
  heapF32(backend).fill(0, o, o + fh * fw * ci * co);
  const dyAt = byteOffsetOf(backend, dy);
  const { h, w } = view;
  // Byte strides: x moves by the stride between neighbouring output pixels.
  const strides = [h * w * ci * 4, sh * w * ci * 4, sw * ci * 4, ho * wo * co * 4, wo * co * 4, co * 4];
  for (const g of all) {
    const walk = [g.count, g.oh1 - g.oh0, wo, ...strides];
    const xAt = view.imageAt(g.n0, g.count);
    const dyBase = dyAt + (g.n0 * ho + g.oh0) * wo * co * 4;
    for (let kh = 0; kh < fh; kh++) {
      const xRow = xAt + (g.oh0 * sh + kh) * w * ci * 4;
      runTaps(simd, co, fw * ci, xRow, dyBase, (o + kh * fw * ci * co) * 4, walk);
    }
  }
  view.release();
}
