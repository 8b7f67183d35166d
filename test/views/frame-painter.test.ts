/**
 * The frame painter (src/components/shared/frame-painter.ts) that the feature maps, filters and
 * report digits draw through: paints run after a frame, a few per task within a time budget, the
 * latest paint of a canvas wins, and a canvas that left the page is skipped. Frames, timers and
 * the clock are stubbed, so the test runs in Node and controls time.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FramePainter } from '../../src/components/shared/frame-painter';

let frames: (() => void)[] = [];
let now = 0;

beforeEach(() => {
  frames = [];
  now = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  vi.stubGlobal('requestAnimationFrame', (callback: () => void) => frames.push(callback));
  vi.stubGlobal('cancelAnimationFrame', (id: number) => {
    if (id > 0) frames[id - 1] = () => {};
  });
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Runs the pending animation frame, then the task it scheduled. */
function frame(): void {
  const pending = frames;
  frames = [];
  for (const callback of pending) callback();
  vi.runOnlyPendingTimers();
}

const canvas = (connected = true) => ({ isConnected: connected }) as HTMLCanvasElement;

describe('FramePainter', () => {
  it('paints nothing in the task that queues, and everything after a frame when it is cheap', () => {
    const painter = new FramePainter(6);
    const painted: string[] = [];
    painter.paint(canvas(), () => painted.push('a'));
    painter.paint(canvas(), () => painted.push('b'));
    vi.runOnlyPendingTimers();
    expect(painted).toEqual([]);
    frame();
    expect(painted).toEqual(['a', 'b']);
  });

  it('stops at the time budget and goes on after the next frame', () => {
    const painter = new FramePainter(6);
    const painted: number[] = [];
    for (let i = 0; i < 5; i++) {
      painter.paint(canvas(), () => {
        painted.push(i);
        now += 4; // each paint takes 4 ms: two fit a 6 ms budget (the second crosses it)
      });
    }
    frame();
    expect(painted).toEqual([0, 1]);
    frame();
    expect(painted).toEqual([0, 1, 2, 3]);
    frame();
    expect(painted).toEqual([0, 1, 2, 3, 4]);
    expect(frames).toHaveLength(0);
  });

  it('keeps only the latest paint of a canvas and skips canvases that left the page', () => {
    const painter = new FramePainter(6);
    const painted: string[] = [];
    const shared = canvas();
    painter.paint(shared, () => painted.push('old'));
    painter.paint(canvas(false), () => painted.push('gone'));
    painter.paint(shared, () => painted.push('new'));
    frame();
    expect(painted).toEqual(['new']);
  });

  it('resolves idle() once the queue is empty, and cancel() drops what is queued', async () => {
    const painter = new FramePainter(1);
    const painted: number[] = [];
    for (let i = 0; i < 3; i++) painter.paint(canvas(), () => { painted.push(i); now += 2; });
    let idle = false;
    void painter.idle().then(() => (idle = true));
    frame();
    await Promise.resolve();
    expect(painted).toEqual([0]);
    expect(idle).toBe(false);
    frame();
    frame();
    await Promise.resolve();
    expect(painted).toEqual([0, 1, 2]);
    expect(idle).toBe(true);

    painter.paint(canvas(), () => painted.push(9));
    painter.cancel();
    frame();
    expect(painted).toEqual([0, 1, 2]);
    await expect(painter.idle()).resolves.toBeUndefined();
  });

  it('calls its before-run hook at the start of each paint task, not when a paint is queued', () => {
    const runs: string[] = [];
    const painter = new FramePainter(6, () => runs.push('task'));
    painter.paint(canvas(), () => {
      runs.push('a');
      now += 10; // over the budget: the next paint waits for another task
    });
    painter.paint(canvas(), () => runs.push('b'));
    expect(runs).toEqual([]);
    frame();
    expect(runs).toEqual(['task', 'a']);
    frame();
    expect(runs).toEqual(['task', 'a', 'task', 'b']);
  });
});
