/**
 * A tiny WebAssembly encoder, just enough to build our SIMD helper module at runtime (the project
 * has no wasm toolchain): i32/f32/v128 locals, loads and stores, loops and a few SIMD operators.
 * Functions take i32 arguments (heap byte offsets and sizes) and return nothing.
 */

type Code = number[];

function uleb(n: number): Code {
  const out: Code = [];
  let v = n >>> 0;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
  return out;
}

function sleb(n: number): Code {
  const out: Code = [];
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const simd = (op: number): Code => [0xfd, ...uleb(op)];
// memarg: alignment hint 4 bytes (2^2), the most our float32 data guarantees; then the offset.
const memarg = (offset: number): Code => [2, ...uleb(offset)];

/** Instruction helpers; each returns its bytes, so bodies read as nested arrays. */
export const op = {
  get: (l: number): Code => [0x20, ...uleb(l)],
  set: (l: number): Code => [0x21, ...uleb(l)],
  tee: (l: number): Code => [0x22, ...uleb(l)],
  i32: (n: number): Code => [0x41, ...sleb(n)],
  add: [0x6a], sub: [0x6b], mul: [0x6c], divU: [0x6e], remU: [0x70], shl: [0x74],
  ltS: [0x48], ltU: [0x49], gtS: [0x4a], geS: [0x4e], geU: [0x4f], eq: [0x46], eqz: [0x45], and: [0x71], or: [0x72],
  select: [0x1b],
  f32Load: (offset = 0): Code => [0x2a, ...memarg(offset)],
  f32Store: (offset = 0): Code => [0x38, ...memarg(offset)],
  f32Add: [0x92], f32Gt: [0x5e],
  /** f32.const 0 and v128.const 0 (all sixteen bytes zero). */
  f32Zero: [0x43, 0, 0, 0, 0] as Code,
  vZero: [...simd(0x0c), ...new Array<number>(16).fill(0)],
  vLoad: (offset = 0): Code => [...simd(0x00), ...memarg(offset)],
  vStore: (offset = 0): Code => [...simd(0x0b), ...memarg(offset)],
  vAnd: simd(0x4e), vAndNot: simd(0x4f), vBitselect: simd(0x52),
  f32x4Gt: simd(0x44), f32x4Add: simd(0xe4), f32x4Mul: simd(0xe6),
  /** v128.load32_splat: one float32 from memory into all four lanes. */
  vLoadSplat: (offset = 0): Code => [...simd(0x09), ...memarg(offset)],
  /** i8x16.shuffle of two vectors by sixteen byte indices (0-15 the first, 16-31 the second). */
  shuffle: (lanes: number[]): Code => [...simd(0x0d), ...lanes],
  /** f64x2.promote_low_f32x4 (lanes 0 and 1 to float64) and f64x2.add. */
  f64x2PromoteLow: simd(0x5f), f64x2Add: simd(0xf0),
  /** f32x4.relaxed_madd (a * b + c, fused or not as the hardware prefers) from relaxed SIMD. */
  f32x4RelaxedMadd: simd(0x105),
  /** memory.copy(dest, src, bytes) and memory.fill(dest, byte, bytes) from bulk memory. */
  memCopy: [0xfc, ...uleb(10), 0, 0],
  memFill: [0xfc, ...uleb(11), 0],
  drop: [0x1a],
};

/**
 * acc += a * b on v128 locals: one relaxed multiply-add where the engine has relaxed SIMD
 * (`fused`; a single FMA instruction on x64 and ARM), else a multiply and an add.
 */
export function madd(acc: number, a: number, b: number, fused: boolean): Code {
  return fused
    ? [...op.get(a), ...op.get(b), ...op.get(acc), ...op.f32x4RelaxedMadd, ...op.set(acc)]
    : [...op.get(acc), ...op.get(a), ...op.get(b), ...op.f32x4Mul, ...op.f32x4Add, ...op.set(acc)];
}

/** `if (cond) { then } else { otherwise }`; cond is on the stack. */
export const when = (then: Code[], otherwise: Code[] = []): Code =>
  [0x04, 0x40, ...then.flat(), ...(otherwise.length ? [0x05, ...otherwise.flat()] : []), 0x0b];

/** `for (i = from; i < end (unsigned); i += step) { body }`, with `end` and `step` as code. */
export function loop(i: number, from: Code, end: Code, step: Code, body: Code[]): Code {
  return [
    ...from, ...op.set(i),
    0x02, 0x40, 0x03, 0x40, // block, loop
    ...op.get(i), ...end, ...op.geU, 0x0d, 1, // br_if out of the block
    ...body.flat(),
    ...op.get(i), ...step, ...op.add, ...op.set(i),
    0x0c, 0, // br to the loop head
    0x0b, 0x0b,
  ];
}

/** One exported function: `params` i32 arguments, then locals by type, then its body. */
export interface Func {
  name: string;
  params: number;
  locals: { i32?: number; f32?: number; v128?: number };
  body: Code[];
}

function section(id: number, content: Code): Code {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: Code[]): Code {
  return [...uleb(items.length), ...items.flat()];
}

const utf8 = (s: string): Code => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/** A module importing `env.memory` (shared or not, to match the backend's) and exporting `funcs`. */
export function assemble(funcs: Func[], sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const types = funcs.map((f) => [0x60, ...vec(new Array(f.params).fill([I32])), 0]);
  // Shared memories must declare a maximum; 65536 pages (4 GiB) admits any memory.
  const limits = sharedMemory ? [0x03, 1, ...uleb(65536)] : [0x00, 1];
  const imports = vec([[...utf8('env'), ...utf8('memory'), 0x02, ...limits]]);
  const bodies = funcs.map((f) => {
    const groups = ([[f.locals.i32 ?? 0, I32], [f.locals.f32 ?? 0, F32], [f.locals.v128 ?? 0, V128]] as const)
      .filter(([n]) => n > 0)
      .map(([n, t]) => [...uleb(n), t]);
    const code = [...vec(groups), ...f.body.flat(), 0x0b];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, vec(types)),
    ...section(2, imports),
    ...section(3, vec(funcs.map((_, i) => uleb(i)))),
    ...section(7, vec(funcs.map((f, i) => [...utf8(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
  ]);
}
