/**
 * Typed access to the private parts of tfjs-backend-wasm that our training kernels need:
 * tensor ids and heap offsets, scratch memory, the emscripten heap and the wasm exports.
 */
import type { DataType, TensorInfo } from '@tensorflow/tfjs';

type CwrapArg = 'number' | 'array';
type WasmCall = (...args: Array<number | Uint8Array | boolean>) => void;

/** The subset of the emscripten module object that tfjs-backend-wasm exposes as `backend.wasm`. */
export interface WasmModule {
  HEAPU8: Uint8Array;
  /** Present in the threaded build, where `HEAPU8` may lag behind after memory growth. */
  wasmMemory?: WebAssembly.Memory;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  cwrap(name: string, ret: null, args: CwrapArg[]): WasmCall;
  tfjs: { registerTensor(id: number, size: number, byteOffset: number): void; disposeData(id: number): void };
}

interface TensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: DataType;
}

/** The subset of tfjs-backend-wasm's `BackendWasm` that our kernels rely on. */
export interface WasmBackend {
  wasm: WasmModule;
  dataIdMap: { get(dataId: object): TensorData };
  dataIdNextNumber: number;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** Narrows the untyped `backend` a kernel receives, failing loudly if it is not the wasm backend. */
export function asWasm(backend: unknown): WasmBackend {
  const b = backend as Partial<WasmBackend> | null;
  if (b == null || b.wasm == null || b.dataIdMap == null || typeof b.dataIdNextNumber !== 'number') {
    throw new Error('wasm training kernels: expected the tfjs wasm backend');
  }
  return b as WasmBackend;
}

/** The wasm-side tensor id used by exported C++ functions. */
export function idOf(backend: WasmBackend, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).id;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function byteOffsetOf(backend: WasmBackend, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** Index of a float32 tensor's first element in a Float32Array view of the heap. */
export function f32Index(backend: WasmBackend, t: TensorInfo): number {
  return byteOffsetOf(backend, t) >>> 2;
}

/**
 * A fresh Float32Array over the whole wasm heap; take it after every allocation, because
 * memory growth detaches old views (and, in the threaded build, `HEAPU8` itself may be stale).
 */
export function heapF32(backend: WasmBackend): Float32Array {
  const buffer = backend.wasm.wasmMemory?.buffer ?? backend.wasm.HEAPU8.buffer;
  return new Float32Array(buffer);
}

/** Scratch float32 memory on the wasm heap (byte offset); release it with `freeF32`. */
export function allocF32(backend: WasmBackend, floats: number): number {
  const at = backend.wasm._malloc(Math.max(1, floats) * 4) >>> 0;
  if (at === 0) throw new Error(`wasm training kernels: out of wasm memory (${floats} floats)`);
  return at;
}

/** Frees memory from `allocF32`. */
export function freeF32(backend: WasmBackend, byteOffset: number): void {
  backend.wasm._free(byteOffset);
}

/**
 * Registers a wasm-side tensor id for `floats` values at `byteOffset`, without copying and
 * without a tfjs tensor: a window onto part of another tensor or onto scratch memory, so it can
 * be fed to the backend's C++ functions. Release it with `dropView`, never with disposeData.
 */
export function viewF32(backend: WasmBackend, byteOffset: number, floats: number): number {
  // Take ids from the backend's own counter so they can never collide with its tensors.
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, floats, byteOffset);
  return id;
}

/** Unregisters a view; this also deletes any XNNPACK operator the backend cached for its id. */
export function dropView(backend: WasmBackend, id: number): void {
  backend.wasm.tfjs.disposeData(id);
}

// Wrapped exports are cached per module instance, so a re-created backend gets fresh wrappers
// and kernels work whether they were registered before or after `setBackend('wasm')`.
const wrappers = new WeakMap<WasmModule, Map<string, WasmCall>>();

/** A cached `cwrap` of one exported wasm function. */
export function wasmFunc(backend: WasmBackend, name: string, args: CwrapArg[]): WasmCall {
  let byName = wrappers.get(backend.wasm);
  if (byName == null) {
    byName = new Map();
    wrappers.set(backend.wasm, byName);
  }
  let fn = byName.get(name);
  if (fn == null) {
    fn = backend.wasm.cwrap(name, null, args);
    byName.set(name, fn);
  }
  return fn;
}

function shapeBytes(shape: number[]): Uint8Array {
  return new Uint8Array(new Int32Array(shape).buffer);
}

/**
 * out[m, n] = a[m, k] x b[k, n] (wasm tensor ids) by XNNPACK's fully-connected path, the only
 * fast matMul the backend has: any transpose or batch > 1 falls back to a naive loop. XNNPACK
 * packs `b` once per id (each call, in training), so `b` should be the narrower operand.
 */
export function matMulIds(backend: WasmBackend, a: number, b: number, out: number, m: number, k: number, n: number): void {
  const fn = wasmFunc(backend, 'BatchMatMul', ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
  fn(a, shapeBytes([1, m, k]), 3, b, shapeBytes([1, k, n]), 3, false, false, out);
}

// The backend's CppDType enum (kernels/types.ts, cc/backend.h): float32 = 0.
const CPP_FLOAT32 = 0;

/** A float32 transpose [rows, cols] -> [cols, rows] (wasm tensor ids) by the backend's C++ loop. */
export function transposeIds(backend: WasmBackend, x: number, out: number, rows: number, cols: number): void {
  const fn = wasmFunc(backend, 'Transpose', ['number', 'array', 'number', 'number', 'number', 'array', 'number']);
  fn(x, shapeBytes([rows, cols]), 2, CPP_FLOAT32, out, shapeBytes([1, 0]), 2);
}
