/**
 * The input of a direct convolution kernel as its taps read it: x itself when no tap reaches
 * into the padding, or zero-padded copies of a few images at a time, so that every tap reads
 * every output pixel's window and a kernel row stays one run of consecutive taps in memory.
 */
import type { TensorInfo, backend_util } from '@tensorflow/tfjs';
import { type WasmBackend, allocF32, byteOffsetOf, f32Index, freeF32, heapF32 } from './wasm-backend';

/** Images of x as the taps read them; `release` frees the scratch copy, if any. */
export interface InputView {
  /** Height and width of each image `imageAt` points to (padded, or x's own). */
  h: number;
  w: number;
  /** Byte offset of image n0, followed by the next count - 1 images, as the taps read them. */
  imageAt(n0: number, count: number): number;
  release(): void;
}

/**
 * A view of x for up to `maxImages` images at a time. Padding ('same', explicit) is copied per
 * group of images into one small scratch block (not all of x, which may be tens of MB), whose
 * border is zeroed once: later copies write only the interior. Rows and columns no tap reads are
 * left out.
 */
export function inputView(backend: WasmBackend, x: TensorInfo, c: backend_util.Conv2DInfo, maxImages: number): InputView {
  const { inHeight: h, inWidth: w, inChannels: ci } = c;
  const hp = (c.outHeight - 1) * c.strideHeight + c.filterHeight;
  const wp = (c.outWidth - 1) * c.strideWidth + c.filterWidth;
  const { top: pt, left: pl } = c.padInfo;
  if (pt === 0 && pl === 0 && hp <= h && wp <= w) {
    const xAt = byteOffsetOf(backend, x);
    return { h, w, imageAt: (n0) => xAt + n0 * h * w * ci * 4, release: () => {} };
  }
  const imageFloats = hp * wp * ci;
  const at = allocF32(backend, maxImages * imageFloats);
  heapF32(backend).fill(0, at >>> 2, (at >>> 2) + maxImages * imageFloats);
  // Input columns iw0 .. iw1 land at padded columns iw0 + pl .. (inside 0 .. wp); likewise rows.
  const [iw0, iw1] = [Math.max(0, -pl), Math.min(w, wp - pl)];
  const [ih0, ih1] = [Math.max(0, -pt), Math.min(h, hp - pt)];
  let held = -1;
  let heldCount = 0;
  const imageAt = (n0: number, count: number): number => {
    if (n0 === held && count <= heldCount) return at;
    const heap = heapF32(backend);
    const from = f32Index(backend, x);
    for (let i = 0; i < count && iw1 > iw0; i++) {
      for (let ih = ih0; ih < ih1; ih++) {
        const src = from + (((n0 + i) * h + ih) * w + iw0) * ci;
        heap.copyWithin((at >>> 2) + i * imageFloats + ((ih + pt) * wp + iw0 + pl) * ci, src, src + (iw1 - iw0) * ci);
      }
    }
    [held, heldCount] = [n0, count];
    return at;
  };
  return { h: hp, w: wp, imageAt, release: () => freeF32(backend, at) };
}
