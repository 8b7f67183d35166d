import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { pageAsksForCore, UI_SIGNAL_BYTES, UiBusySignal, UiYield } from '../../src/train/ui-busy';
import { yieldBeforeKernels } from '../../src/train/yield-kernels';

/** A signal whose "next frame" and "this frame" end when the test says so. */
function manualSignal() {
  const frames: (() => void)[] = [];
  const thisFrame: (() => void)[] = [];
  const signal = new UiBusySignal(new SharedArrayBuffer(UI_SIGNAL_BYTES), (lower) => frames.push(lower), (lower) => thisFrame.push(lower));
  return { signal, frames, thisFrame, view: new Int32Array(signal.buffer) };
}

/** Milliseconds a call takes. */
function timed(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

describe('UiBusySignal (the page)', () => {
  it('raises the flag at once, counts each raise, and lowers it after the next frame', () => {
    const { signal, frames, view } = manualSignal();
    signal.raise();
    signal.raise(); // the same busy spell: one raise, one frame to wait for
    expect(Array.from(view.subarray(0, 2))).toEqual([1, 1]);
    expect(frames).toHaveLength(1);
    frames[0]!();
    expect(view[0]).toBe(0);
    signal.raise();
    expect(Array.from(view.subarray(0, 2))).toEqual([1, 2]);
    expect(frames).toHaveLength(2);
  });

  it('raises for a frame with a fresh allowance each time, even while the flag is up, and lowers after that frame', () => {
    const { signal, frames, thisFrame, view } = manualSignal();
    signal.raiseForFrame();
    expect(Array.from(view.subarray(0, 2))).toEqual([1, 1]);
    expect(thisFrame).toHaveLength(1);
    expect(frames).toHaveLength(0);
    thisFrame[0]!();
    expect(view[0]).toBe(0);
    // A raise before the frame: the flag is up, and the frame that starts gets an allowance of its own.
    signal.raise();
    signal.raiseForFrame();
    expect(Array.from(view.subarray(0, 2))).toEqual([1, 3]);
    // One lowering at a time: the raise's, after its frame.
    expect(frames).toHaveLength(1);
    expect(thisFrame).toHaveLength(1);
    frames[0]!();
    expect(view[0]).toBe(0);
  });

  it('asks for a core and gives it back, apart from the busy flag', () => {
    const { signal, frames } = manualSignal();
    expect(pageAsksForCore(signal.buffer)).toBe(false);
    signal.askForCore(true);
    expect(pageAsksForCore(signal.buffer)).toBe(true);
    // Frames come and go; the ask stays until the page takes it back.
    signal.raise();
    frames[0]!();
    expect(pageAsksForCore(signal.buffer)).toBe(true);
    signal.askForCore(false);
    expect(pageAsksForCore(signal.buffer)).toBe(false);
  });
});

describe('UiYield (a worker)', () => {
  it('does not wait while the flag is down', () => {
    const { signal } = manualSignal();
    // With a 10 s allowance, any wait at all would show.
    expect(timed(() => new UiYield(signal.buffer, 10_000).wait())).toBeLessThan(1_000);
  });

  it('waits at most its allowance for one raise, then goes on without waiting until the next raise', () => {
    const { signal, frames } = manualSignal();
    const worker = new UiYield(signal.buffer, 60);
    signal.raise();
    const first = timed(() => worker.wait());
    expect(first).toBeGreaterThanOrEqual(50);
    expect(first).toBeLessThan(1_000);
    // The flag is still up (no frame yet), but this raise's allowance is spent.
    expect(timed(() => worker.wait())).toBeLessThan(20);
    frames[0]!();
    signal.raise();
    expect(timed(() => worker.wait())).toBeGreaterThanOrEqual(50);
    // The flag still up, its allowance spent: a frame starting gives the worker a new one.
    signal.raiseForFrame();
    expect(timed(() => worker.wait())).toBeGreaterThanOrEqual(50);
  });

  it('wakes as soon as the page lowers the flag from another thread', async () => {
    const { signal } = manualSignal();
    signal.raise();
    // Another thread lowers the flag after ~100 ms, as the page does after its frame.
    const lowerer = new Worker(
      `const { workerData } = require('node:worker_threads');
       const view = new Int32Array(workerData);
       setTimeout(() => { Atomics.store(view, 0, 0); Atomics.notify(view, 0); }, 100);`,
      { eval: true, workerData: signal.buffer },
    );
    await new Promise((resolve) => lowerer.once('online', resolve));
    const waited = timed(() => new UiYield(signal.buffer, 10_000).wait());
    await lowerer.terminate();
    expect(waited).toBeGreaterThanOrEqual(50);
    expect(waited).toBeLessThan(5_000);
  });
});

describe('yieldBeforeKernels', () => {
  it('makes every kernel of the backend check the flag first, and wraps each kernel once', async () => {
    await tf.setBackend('cpu');
    let checks = 0;
    const counting = { wait: () => checks++ } as unknown as UiYield;
    yieldBeforeKernels('cpu', counting);
    yieldBeforeKernels('cpu', counting); // a second call must not wrap the wrappers
    const y = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).mul(2));
    expect(Array.from(y.dataSync())).toEqual([8, 12]);
    y.dispose();
    // add and mul (tensor creation runs no kernel): one check each.
    expect(checks).toBe(2);
  });
});
