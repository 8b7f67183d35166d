/**
 * SIMD functions that accumulate long sums in registers, for the runtime module built in simd.ts:
 * filter-tap gradients (the direct Conv2DBackpropFilter of filter-grad-direct.ts, without im2col
 * or XNNPACK's packing of the large dy) and float64 column sums (bias gradients). Each comes in
 * variants by the number of v128 accumulators, so every accumulator stays in a register.
 */
import { type Func, loop, madd, op } from './wasm-asm';

const { get, set, i32, add } = op;
const at = (...parts: number[][]): number[] => parts.flat();
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * Tap-gradient shapes built, as [taps, vectors]: T taps x nb vectors of 4 output channels. Each dy
 * vector loaded is used for T taps and each broadcast x value for nb vectors, with T * nb
 * accumulators + nb dy vectors + 1 in registers (x64 has 16). Measured here: 4 x 2 runs ~1.6x
 * the speed of 1 x 8 (about one multiply-add of four lanes per cycle), relaxed fused ~1.4x more;
 * 2 x 4 is as fast, larger tiles and unrolling the pixel loop are slower (register spills).
 */
export const TAP_SHAPES = [[4, 2], [3, 2], [2, 2], [1, 2], [1, 1]] as const;
export type TapShape = (typeof TAP_SHAPES)[number];

/**
 * tapGrad<T>x<nb>(x, dy, out, images, rows, cols, xImg, xRow, xCol, dyImg, dyRow, dyCol, groups, blocks, outTap):
 * for each of `groups` groups of T consecutive taps (x at byte offsets 4t, dW rows `outTap`
 * bytes apart) and each of `blocks` blocks of 4 nb output channels,
 *   out[t][0 .. 4 nb) += sum over (image, row, col) of x[. + 4t] * dy[. .. . + 4 nb)
 * where x and dy advance by the given byte strides. Taps that are consecutive in a kernel row of
 * an NHWC input ((kw, ci) pairs of one kernel row) qualify. `fused`: relaxed multiply-adds.
 */
export function tapGrad([T, nb]: TapShape, fused = false): Func {
  const [x, dy, out, images, rows, cols, xImg, xRow, xCol, dyImg, dyRow, dyCol, groups, blocks, outTap] = range(15);
  const [tg, blk, n, r, c, pxG, outG, pdB, outB, pxImg, pdImg, pxRow, pdRow, px, pd, q] = range(16).map((i) => 15 + i);
  const s = 31;
  const d = range(nb).map((j) => 32 + j);
  const acc = range(T * nb).map((i) => 32 + nb + i);
  const pixel = [
    ...d.map((dj, j) => at(get(pd), op.vLoad(16 * j), set(dj))),
    ...range(T).flatMap((t) => [
      at(get(px), op.vLoadSplat(4 * t), set(s)),
      ...d.map((dj, j) => madd(acc[t * nb + j], s, dj, fused)),
    ]),
    at(get(px), get(xCol), add, set(px), get(pd), get(dyCol), add, set(pd)),
  ];
  const row = [
    at(get(pxRow), set(px), get(pdRow), set(pd)),
    loop(c, i32(0), get(cols), i32(1), pixel),
    at(get(pxRow), get(xRow), add, set(pxRow), get(pdRow), get(dyRow), add, set(pdRow)),
  ];
  const image = [
    at(get(pxImg), set(pxRow), get(pdImg), set(pdRow)),
    loop(r, i32(0), get(rows), i32(1), row),
    at(get(pxImg), get(xImg), add, set(pxImg), get(pdImg), get(dyImg), add, set(pdImg)),
  ];
  // out[t] += acc[t]: q walks the T dW rows of this block.
  const flush = [
    at(get(outB), set(q)),
    ...range(T).flatMap((t) => [
      ...d.map((_, j) => at(get(q), get(q), op.vLoad(16 * j), get(acc[t * nb + j]), op.f32x4Add, op.vStore(16 * j))),
      at(get(q), get(outTap), add, set(q)),
    ]),
  ];
  const block = [
    ...acc.map((a) => at(op.vZero, set(a))),
    at(get(pxG), set(pxImg), get(pdB), set(pdImg)),
    loop(n, i32(0), get(images), i32(1), image),
    ...flush,
    at(get(pdB), i32(16 * nb), add, set(pdB), get(outB), i32(16 * nb), add, set(outB)),
  ];
  const group = [
    at(get(dy), set(pdB), get(outG), set(outB)),
    loop(blk, i32(0), get(blocks), i32(1), block),
    at(get(pxG), i32(4 * T), add, set(pxG), get(outG), get(outTap), i32(T), op.mul, add, set(outG)),
  ];
  return {
    name: `tapGrad${T}x${nb}`, params: 15, locals: { i32: 16, v128: 1 + nb + T * nb },
    body: [at(get(x), set(pxG), get(out), set(outG)), loop(tg, i32(0), get(groups), i32(1), group)],
  };
}

/** Accumulator counts the column sums are built for: 16 and 4 columns (each needs two f64x2). */
export const COL_WIDTHS = [4, 1] as const;
export type ColWidth = (typeof COL_WIDTHS)[number];

// Bytes 8-15 (float32 lanes 2 and 3) moved to the low half, so promote_low reaches them.
const HIGH_HALF = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];

/**
 * colSums<nb>(x, rows, rowB, out): out (float64[4 nb], in and out) += the column sums of
 * `rows` rows of 4 nb float32 values, `rowB` bytes apart. Every value is promoted to float64
 * before it is added, so the sums are as precise as the JS loop's float64 accumulator.
 */
export function colSums(nb: ColWidth): Func {
  const [x, rows, rowB, out] = range(4);
  const [r, p] = [4, 5];
  const v = 6;
  const lo = range(nb).map((j) => 7 + j);
  const hi = range(nb).map((j) => 7 + nb + j);
  const promoteHigh = at(get(v), get(v), op.shuffle(HIGH_HALF), op.f64x2PromoteLow);
  const rowBody = range(nb).map((j) => at(
    get(p), op.vLoad(16 * j), set(v),
    get(lo[j]), get(v), op.f64x2PromoteLow, op.f64x2Add, set(lo[j]),
    get(hi[j]), promoteHigh, op.f64x2Add, set(hi[j]),
  ));
  return {
    name: `colSums${nb}`, params: 4, locals: { i32: 2, v128: 1 + 2 * nb },
    body: [
      ...range(nb).map((j) => at(get(out), op.vLoad(32 * j), set(lo[j]), get(out), op.vLoad(32 * j + 16), set(hi[j]))),
      at(get(x), set(p)),
      loop(r, i32(0), get(rows), i32(1), [...rowBody, at(get(p), get(rowB), add, set(p))]),
      ...range(nb).map((j) => at(get(out), get(lo[j]), op.vStore(32 * j), get(out), get(hi[j]), op.vStore(32 * j + 16))),
    ],
  };
}
