/**
 * SIMD helpers for the loops that are slow in JavaScript (~1 ns per element at best in V8, 4-20 ns
 * for gathers): a WebAssembly module built at runtime that shares the wasm backend's memory, so it
 * works directly on tensor data. Kernels fall back to their JS loops when this returns null.
 */
import { type Func, assemble, loop, op, when } from './wasm-asm';
import { CONV_SHAPES, convRow } from './simd-conv';
import { COL_WIDTHS, TAP_SHAPES, colSums, tapGrad } from './simd-sums';
import type { WasmBackend } from './wasm-backend';

type Fn = (...args: number[]) => void;

/** The helper functions; every argument is an i32 (heap byte offsets and sizes). */
export interface SimdOps {
  /** (x, dy, dx, n * ho, ho, w * ch * 4, h * w * ch * 4, wo, ch * 4): dx of a 2x2 stride-2 valid max pool, ch % 4 == 0. */
  maxPoolGrad2x2: Fn;
  /** (dx, cols, p0, rows, geometry...): dx[n, ih, iw, :] += cols[p - p0, (kh, kw, :)] for taps inside dx. */
  col2im: Fn;
  /** (x, cols, p0, rows, geometry...): cols[p - p0, (kh, kw, :)] = x[n, ih, iw, :], or 0 in the padding. */
  im2col: Fn;
  /** (dy, x, out, bytes): out = x > 0 ? dy : 0, elementwise over `bytes` bytes of float32. */
  reluGrad: Fn;
  /** Filter-tap gradients, T taps x 4 nb output channels at a time: see `tapGrad` in simd-sums.ts. */
  tapGrad4x2: Fn;
  tapGrad3x2: Fn;
  tapGrad2x2: Fn;
  tapGrad1x2: Fn;
  tapGrad1x1: Fn;
  /** Float64 column sums of 4 nb float32 columns: see `colSums` in simd-sums.ts. */
  colSums4: Fn;
  colSums1: Fn;
  /** Direct convolution of one output row, P pixels x 4 nb channels at a time: see `convRow` in simd-conv.ts. */
  convRow4x2: Fn;
  convRow2x2: Fn;
  convRow1x2: Fn;
  convRow4x1: Fn;
  convRow2x1: Fn;
  convRow1x1: Fn;
  /** Whether tapGrad and convRow use relaxed multiply-adds (fused on x64 with FMA, ~1.4x faster). */
  fused: boolean;
}

const { get, set, i32, add, sub, mul } = op;
const at = (...parts: number[][]): number[] => parts.flat();

// maxPoolGrad2x2(x, dy, dx, outRows, ho, rowB, imageB, wo, chB): one window row per output row.
function maxPoolGrad2x2(): Func {
  const [x, dy, dx, outRows, ho, rowB, imageB, wo, chB] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [r, base, ow, c, p, g] = [9, 10, 11, 12, 13, 14];
  const [v00, v01, v10, v11, t, u, top, bottom, bot, gv] = [15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
  const load = (ptr: number[], v: number) => at(ptr, op.vLoad(), set(v));
  const store = (ptr: number[], value: number[]) => at(ptr, value, op.vStore());
  const window = [
    at(get(base), get(ow), get(chB), i32(1), op.shl, mul, add, get(c), add, set(p)),
    load(at(get(x), get(p), add), v00),
    load(at(get(x), get(p), add, get(chB), add), v01),
    load(at(get(x), get(p), add, get(rowB), add), v10),
    load(at(get(x), get(p), add, get(rowB), add, get(chB), add), v11),
    // First maximum wins, as on the cpu backend: strict '>' at each step, left before right,
    // top row before bottom row.
    at(get(v01), get(v00), op.f32x4Gt, set(t)),
    at(get(v01), get(v00), get(t), op.vBitselect, set(top)),
    at(get(v11), get(v10), op.f32x4Gt, set(u)),
    at(get(v11), get(v10), get(u), op.vBitselect, set(bottom)),
    at(get(bottom), get(top), op.f32x4Gt, set(bot)),
    load(get(g), gv),
    at(get(g), i32(16), add, set(g)),
    store(at(get(dx), get(p), add), at(get(gv), get(t), op.vAndNot, get(bot), op.vAndNot)),
    store(at(get(dx), get(p), add, get(chB), add), at(get(gv), get(t), op.vAnd, get(bot), op.vAndNot)),
    store(at(get(dx), get(p), add, get(rowB), add), at(get(gv), get(u), op.vAndNot, get(bot), op.vAnd)),
    store(at(get(dx), get(p), add, get(rowB), add, get(chB), add), at(get(gv), get(u), op.vAnd, get(bot), op.vAnd)),
  ];
  const row = [
    // base = (r / ho) * imageB + (r % ho) * 2 * rowB
    at(get(r), get(ho), op.divU, get(imageB), mul, get(r), get(ho), op.remU, get(rowB), mul, i32(1), op.shl, add, set(base)),
    loop(ow, i32(0), get(wo), i32(1), [loop(c, i32(0), get(chB), i32(16), window)]),
  ];
  return {
    name: 'maxPoolGrad2x2', params: 9, locals: { i32: 6, v128: 10 },
    body: [at(get(dy), set(g)), loop(r, i32(0), get(outRows), i32(1), row)],
  };
}

/** Adds (or copies) a run of `bytes` from src to dst: 16 bytes at a time, then 4. */
function run(src: number[], dst: number[], d: number, vecB: number, bytes: number, accumulate: boolean): number[][] {
  const vec = accumulate
    ? at(dst, get(d), add, dst, get(d), add, op.vLoad(), src, get(d), add, op.vLoad(), op.f32x4Add, op.vStore())
    : at(dst, get(d), add, src, get(d), add, op.vLoad(), op.vStore());
  const one = accumulate
    ? at(dst, get(d), add, dst, get(d), add, op.f32Load(), src, get(d), add, op.f32Load(), op.f32Add, op.f32Store())
    : at(dst, get(d), add, src, get(d), add, op.f32Load(), op.f32Store());
  return [loop(d, i32(0), get(vecB), i32(16), [vec]), loop(d, get(vecB), get(bytes), i32(4), [one])];
}

// Walks the filter taps (kh, kw) of one output pixel in im2col row order: `inside` or `outside`
// runs for each tap depending on whether it lands in the image, then `advance`.
interface Geometry { h: number; w: number; fh: number; fw: number; sh: number; sw: number; pt: number; pl: number }

function taps(g: Geometry, v: { oh: number; ow: number; kh: number; kw: number; ih: number; iw: number },
  inside: number[][], outside: number[][], advance: number[]): number[] {
  return loop(v.kh, i32(0), get(g.fh), i32(1), [
    at(get(v.oh), get(g.sh), mul, get(v.kh), add, get(g.pt), sub, set(v.ih)),
    loop(v.kw, i32(0), get(g.fw), i32(1), [
      at(get(v.ow), get(g.sw), mul, get(v.kw), add, get(g.pl), sub, set(v.iw)),
      // Unsigned compares also reject negative rows and columns (the padding).
      at(get(v.ih), get(g.h), op.ltU, get(v.iw), get(g.w), op.ltU, op.and),
      when(inside, outside),
      advance,
    ]),
  ]);
}

/** col2im: add column rows back onto the image, for output pixels p0 .. p0 + rows (args as im2col). */
function col2im(): Func {
  const [image, cols, p0, rows, h, w, ci, ho, wo, fh, fw, sh, sw, pt, pl] = Array.from({ length: 15 }, (_, i) => i);
  const [p, end, b, oh, ow, kh, kw, ih, iw, img, col, d, ciB, vecB] = Array.from({ length: 14 }, (_, i) => 15 + i);
  const g = { h, w, fh, fw, sh, sw, pt, pl };
  const inside = [
    at(get(image), get(b), get(h), mul, get(ih), add, get(w), mul, get(iw), add, get(ciB), mul, add, set(img)),
    ...run(get(col), get(img), d, vecB, ciB, true),
  ];
  const pixel = [
    at(get(p), get(wo), op.remU, set(ow), get(p), get(wo), op.divU, get(ho), op.remU, set(oh)),
    at(get(p), get(wo), op.divU, get(ho), op.divU, set(b)),
    taps(g, { oh, ow, kh, kw, ih, iw }, inside, [], at(get(col), get(ciB), add, set(col))),
  ];
  return {
    name: 'col2im', params: 15, locals: { i32: 14 },
    body: [
      at(get(cols), set(col), get(ci), i32(4), mul, set(ciB), get(ci), i32(-4), op.and, i32(4), mul, set(vecB)),
      at(get(p0), get(rows), add, set(end)),
      loop(p, get(p0), get(end), i32(1), pixel),
    ],
  };
}

/**
 * im2col: in NHWC the valid taps of one kernel row are one contiguous run of input values, so
 * each (pixel, kh) is one copy plus zeros for the padding; (b, oh, ow) advance by counting.
 * Arguments: (image, cols, p0, rows, h, w, ci, ho, wo, fh, fw, sh, sw, pt, pl).
 */
function im2col(): Func {
  const [image, cols, p0, rows, h, w, ci, ho, wo, fh, fw, sh, sw, pt, pl] = Array.from({ length: 15 }, (_, i) => i);
  const [p, b, oh, ow, kh, ih, iw0, lead, len, rowB, dst, src, d, vecEnd, ciB, t] = Array.from({ length: 16 }, (_, i) => 15 + i);
  // memory.fill only when there is something to zero: a call per row would cost more than the
  // copy itself for one-channel inputs.
  const zero = (from: number[], bytes: number[]) => [at(bytes, set(t), get(t)), when([at(from, i32(0), get(t), op.memFill)])];
  const row = [
    at(get(oh), get(sh), mul, get(kh), add, get(pt), sub, set(ih)),
    at(get(ih), get(h), op.ltU, get(len), i32(0), op.gtS, op.and),
    when([
      ...zero(get(dst), get(lead)),
      at(get(image), get(b), get(h), mul, get(ih), add, get(w), mul, get(iw0), add, get(ciB), mul, add, get(lead), add, set(src)),
      loop(d, i32(0), get(vecEnd), i32(16), [at(get(dst), get(lead), add, get(d), add, get(src), get(d), add, op.vLoad(), op.vStore())]),
      loop(d, get(vecEnd), get(len), i32(4), [at(get(dst), get(lead), add, get(d), add, get(src), get(d), add, op.f32Load(), op.f32Store())]),
      ...zero(at(get(dst), get(lead), add, get(len), add), at(get(rowB), get(lead), sub, get(len), sub)),
    ], zero(get(dst), get(rowB))),
    at(get(dst), get(rowB), add, set(dst)),
  ];
  const pixel = [
    at(get(ow), get(sw), mul, get(pl), sub, set(iw0)),
    // lead = max(0, -iw0) taps, len = max(0, min(fw, w - iw0) - max(0, -iw0)) taps, in bytes.
    at(i32(0), get(iw0), sub, i32(0), i32(0), get(iw0), sub, i32(0), op.gtS, op.select, set(lead)),
    at(get(fw), get(w), get(iw0), sub, get(fw), get(w), get(iw0), sub, op.ltS, op.select, get(lead), sub, set(len)),
    at(get(len), i32(0), get(len), i32(0), op.gtS, op.select, get(ciB), mul, set(len)),
    at(get(lead), get(ciB), mul, set(lead), get(len), i32(-16), op.and, set(vecEnd)),
    loop(kh, i32(0), get(fh), i32(1), row),
    // Next pixel: ow, then oh, then b.
    at(get(ow), i32(1), add, set(ow), get(ow), get(wo), op.eq),
    when([at(i32(0), set(ow), get(oh), i32(1), add, set(oh), get(oh), get(ho), op.eq), when([at(i32(0), set(oh), get(b), i32(1), add, set(b))])]),
  ];
  return {
    name: 'im2col', params: 15, locals: { i32: 16 },
    body: [
      at(get(cols), set(dst), get(ci), i32(4), mul, set(ciB), get(fw), get(ciB), mul, set(rowB)),
      at(get(p0), get(wo), op.remU, set(ow), get(p0), get(wo), op.divU, get(ho), op.remU, set(oh)),
      at(get(p0), get(wo), op.divU, get(ho), op.divU, set(b)),
      loop(p, i32(0), get(rows), i32(1), pixel),
    ],
  };
}

/** reluGrad: four lanes at a time (x > 0 as an all-ones mask, ANDed with dy), then one at a time. */
function reluGrad(): Func {
  const [dy, x, out, bytes] = [0, 1, 2, 3];
  const [d, vecEnd] = [4, 5];
  const vector = at(get(out), get(d), add, get(dy), get(d), add, op.vLoad(), get(x), get(d), add, op.vLoad(), op.vZero, op.f32x4Gt, op.vAnd, op.vStore());
  const scalar = at(get(out), get(d), add, get(dy), get(d), add, op.f32Load(), op.f32Zero, get(x), get(d), add, op.f32Load(), op.f32Zero, op.f32Gt, op.select, op.f32Store());
  return {
    name: 'reluGrad', params: 4, locals: { i32: 2 },
    body: [
      at(get(bytes), i32(-16), op.and, set(vecEnd)),
      loop(d, i32(0), get(vecEnd), i32(16), [vector]),
      loop(d, get(vecEnd), get(bytes), i32(4), [scalar]),
    ],
  };
}

/** Whether the engine takes relaxed SIMD (Chrome 114+; Node 20 only behind a V8 flag). */
function hasRelaxedSimd(): boolean {
  const probe: Func = { name: 'probe', params: 0, locals: { v128: 1 }, body: [op.vZero, op.vZero, op.vZero, op.f32x4RelaxedMadd, op.set(0)] };
  try {
    return WebAssembly.validate(assemble([probe], false));
  } catch {
    return false;
  }
}

/**
 * The helper functions as WebAssembly modules for a shared or unshared memory, with relaxed
 * multiply-adds or not. Synchronous compiles are fine for modules under 4 KB (a browser's main
 * thread refuses larger ones), so the functions come in three modules of ~1.4, ~3.3 and ~2.8 KB.
 */
export function simdModules(shared: boolean, fused: boolean): Uint8Array<ArrayBuffer>[] {
  return [
    [maxPoolGrad2x2(), col2im(), im2col(), reluGrad()],
    [...TAP_SHAPES.map((shape) => tapGrad(shape, fused)), ...COL_WIDTHS.map(colSums)],
    CONV_SHAPES.map((shape) => convRow(shape, fused)),
  ].map((funcs) => assemble(funcs, shared));
}

// One instance per backend module (and so per memory); null where SIMD or bulk memory is missing.
const instances = new WeakMap<object, SimdOps | null>();
let enabled = true;

/** Turns the SIMD helpers off or on, so tests and benchmarks can exercise the JS fallbacks. */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

/** The SIMD helpers bound to this backend's memory, or null to use the JS loops. */
export function simdOps(backend: WasmBackend): SimdOps | null {
  if (!enabled) return null;
  if (instances.has(backend.wasm)) return instances.get(backend.wasm) ?? null;
  let ops: SimdOps | null = null;
  try {
    const memory = backend.wasm.wasmMemory ?? (backend.wasm as unknown as { asm?: { memory?: WebAssembly.Memory } }).asm?.memory;
    if (memory instanceof WebAssembly.Memory) {
      const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
      const fused = hasRelaxedSimd();
      const exports = simdModules(shared, fused).map((bytes) =>
        new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports);
      ops = Object.assign({ fused }, ...exports) as SimdOps;
    }
  } catch {
    ops = null; // No SIMD (or a host that refuses the module): the JS loops still work.
  }
  instances.set(backend.wasm, ops);
  return ops;
}
