/**
 * SIMD function for a direct NHWC convolution (Conv2D forward), for the runtime module built in
 * simd.ts: P neighbouring output pixels x 4 nb output channels accumulate in registers while the
 * filter taps stream past, each filter vector loaded once for P pixels and each input value
 * broadcast once for nb vectors (P * nb + nb + 1 registers; x64 has 16).
 */
import { type Func, loop, madd, op } from './wasm-asm';

const { get, set, i32, add, mul } = op;
const at = (...parts: number[][]): number[] => parts.flat();
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** Shapes built, as [pixels, vectors]: 4 x 2 for the bulk, then the last 2 and 1 pixels, and 4 channels. */
export const CONV_SHAPES = [[4, 2], [2, 2], [1, 2], [4, 1], [2, 1], [1, 1]] as const;
export type ConvShape = (typeof CONV_SHAPES)[number];

/**
 * convRow<P>x<nb>(x, w, y, groups, blocks, taps, kRows, xRow, xCol, wRow, co4): for each of
 * `blocks` blocks of 4 nb output channels and each of `groups` groups of P output pixels,
 *   y[p][0 .. 4 nb) = sum over kernel rows r < kRows and taps t < taps of
 *                     x[r * xRow + p * xCol + 4 t] * w[r * wRow + t * co4 .. + 16 nb)
 * x: the first input value the first pixel reads; w and y at the block's first channel; co4: the
 * bytes between filter taps and between output pixels. Taps of one kernel row are consecutive
 * in NHWC memory ((kw, ci) pairs), so the inner loop walks both x and w linearly. `fused`:
 * relaxed multiply-adds.
 */
export function convRow([P, nb]: ConvShape, fused = false): Func {
  const [x, w, y, groups, blocks, taps, kRows, xRow, xCol, wRow, co4] = range(11);
  const [blk, g, r, t, px0, pw0, py0, py, pxK, pwK, px, pw] = range(12).map((i) => 11 + i);
  const xOff = range(P).map((p) => 23 + p); // p * xCol
  const yOff = range(P).map((p) => 23 + P + p); // p * co4
  const s = 23 + 2 * P;
  const wv = range(nb).map((j) => s + 1 + j);
  const acc = range(P * nb).map((i) => s + 1 + nb + i);
  const tap = [
    ...wv.map((v, j) => at(get(pw), op.vLoad(16 * j), set(v))),
    ...range(P).flatMap((p) => [
      at(get(px), get(xOff[p]), add, op.vLoadSplat(), set(s)),
      ...wv.map((v, j) => madd(acc[p * nb + j], s, v, fused)),
    ]),
    at(get(px), i32(4), add, set(px), get(pw), get(co4), add, set(pw)),
  ];
  const kernelRow = [
    at(get(pxK), set(px), get(pwK), set(pw)),
    loop(t, i32(0), get(taps), i32(1), tap),
    at(get(pxK), get(xRow), add, set(pxK), get(pwK), get(wRow), add, set(pwK)),
  ];
  const group = [
    ...acc.map((a) => at(op.vZero, set(a))),
    at(get(px0), set(pxK), get(pw0), set(pwK)),
    loop(r, i32(0), get(kRows), i32(1), kernelRow),
    ...range(P).flatMap((p) => wv.map((_, j) => at(get(py), get(yOff[p]), add, get(acc[p * nb + j]), op.vStore(16 * j)))),
    at(get(px0), get(xCol), i32(P), mul, add, set(px0), get(py), get(co4), i32(P), mul, add, set(py)),
  ];
  const block = [
    at(get(x), set(px0), get(py0), set(py)),
    loop(g, i32(0), get(groups), i32(1), group),
    at(get(pw0), i32(16 * nb), add, set(pw0), get(py0), i32(16 * nb), add, set(py0)),
  ];
  return {
    name: `convRow${P}x${nb}`, params: 11, locals: { i32: 12 + 2 * P, v128: 1 + nb + P * nb },
    body: [
      ...range(P).map((p) => at(get(xCol), i32(p), mul, set(xOff[p]), get(co4), i32(p), mul, set(yOff[p]))),
      at(get(w), set(pw0), get(y), set(py0)),
      loop(blk, i32(0), get(blocks), i32(1), block),
    ],
  };
}
