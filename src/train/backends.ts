/**
 * Backend selection for the training worker: try the fastest backend that really works
 * (webgpu -> webgl on a real GPU -> wasm -> cpu), or the one the user asked for.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { registerWasmTrainingKernels } from './kernels/index';
import { registerCpuKernelFixes } from './kernels/resize-nearest-grad-cpu';
import { syncReadbackProblem } from './readback-check';
import type { BackendChoice, BackendInfo, BackendName } from './protocol';

const AUTO_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

let wasmPathsSet = false;

/** How a worker wants its backend set up. */
export interface BackendOptions {
  /**
   * wasm threads for this worker (default: one per core). A worker that trains with a gradient
   * peer takes half the cores and leaves the other half to the peer. Only the first wasm start
   * of a worker sets it: the thread pool cannot be resized later.
   */
  wasmThreads?: number;
}

/** Picks and initialises a backend; throws with a plain message when the chosen one cannot start. */
export async function initBackend(choice: BackendChoice, options: BackendOptions = {}): Promise<BackendInfo> {
  const notes: string[] = [];
  const order = choice === 'auto' ? AUTO_ORDER : [choice];
  for (const name of order) {
    const skip = await reasonToSkip(name, choice === 'auto');
    if (skip) {
      notes.push(`${name}: ${skip}`);
      continue;
    }
    try {
      await activate(name, options);
      return describe(name, notes);
    } catch (error) {
      notes.push(`${name}: failed to start (${messageOf(error)})`);
    }
  }
  throw new Error(`No backend could start. ${notes.join('; ')}`);
}

/** Says why a backend should not be tried, or returns null to try it. */
async function reasonToSkip(name: BackendName, auto: boolean): Promise<string | null> {
  if (name === 'webgpu') {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (!gpu) return 'not available in this browser';
    const adapter = await gpu.requestAdapter().catch(() => null);
    return adapter ? null : 'no GPU adapter';
  }
  if (name === 'webgl' && auto) {
    const renderer = webglRenderer();
    if (renderer === null) return 'not available';
    // A software rasteriser runs WebGL on the CPU, far slower than wasm: skip it in auto mode.
    if (/swiftshader|llvmpipe|software|basic render/i.test(renderer)) return `software renderer (${renderer})`;
  }
  return null;
}

/** Reads the WebGL renderer string from an OffscreenCanvas, or null when WebGL is unavailable. */
function webglRenderer(): string | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER);
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return String(renderer);
}

/** Loads and selects one backend. */
async function activate(name: BackendName, options: BackendOptions): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  if (name === 'wasm') prepareWasm(options.wasmThreads);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
  if (name === 'webgpu') {
    const problem = syncReadbackProblem();
    if (problem) throw new Error(`it computes, but reading results back fails in this browser (${problem})`);
  }
  if (name === 'wasm') registerWasmTrainingKernels();
  if (name === 'cpu') registerCpuKernelFixes();
}

/** Points tfjs at the bundled .wasm files and sizes the thread pool before wasm starts. */
function prepareWasm(threads: number | undefined): void {
  if (wasmPathsSet) return;
  wasmPathsSet = true;
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedUrl,
  });
  const cores = navigator.hardwareConcurrency || 1;
  if (globalThis.crossOriginIsolated && cores > 1) {
    // XNNPACK's pool is capped at hardwareConcurrency / 2, which is 1 on a 2-core machine.
    // Inside this worker we own the navigator object, so report twice the cores to get one
    // thread per core (measured: 1.5-1.9x faster convolutions on 2 cores).
    Object.defineProperty(navigator, 'hardwareConcurrency', { value: cores * 2, configurable: true });
    setThreadsCount(Math.max(1, Math.min(cores, threads ?? cores)));
  }
}

/** Builds the BackendInfo shown to the user. */
function describe(name: BackendName, notes: string[]): BackendInfo {
  if (name !== 'wasm') return { name, notes };
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');
  const threads = Math.max(1, getThreadsCount());
  if (!globalThis.crossOriginIsolated) notes.push('wasm: page not cross-origin isolated, so one thread');
  return { name, threads, simd, notes };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) return String(error.message);
  return String(error);
}
