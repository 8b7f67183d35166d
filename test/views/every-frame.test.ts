import { describe, expect, it } from 'vitest';
import { EveryFrameWhile, type FrameClock } from '../../src/components/shared/every-frame';

/** Frames that come when the test draws one: each callback asked for is run once, in order. */
function manualFrames() {
  let waiting: (() => void)[] = [];
  const clock: FrameClock = (run) => waiting.push(run);
  return {
    clock,
    /** Draws one frame: runs the callbacks asked for before it. */
    draw() {
      const now = waiting;
      waiting = [];
      for (const run of now) run();
    },
    pending: () => waiting.length,
  };
}

function rig() {
  const frames = manualFrames();
  let holds = true;
  let calls = 0;
  const loop = new EveryFrameWhile(() => holds, () => calls++, frames.clock);
  return { frames, loop, calls: () => calls, setHolds: (v: boolean) => (holds = v) };
}

describe('EveryFrameWhile', () => {
  it('does nothing until woken', () => {
    const { frames, loop, calls } = rig();
    frames.draw();
    expect(calls()).toBe(0);
    expect(loop.running).toBe(false);
    expect(frames.pending()).toBe(0);
  });

  it('calls back at the start of every frame from a wake on while the condition holds, then stops by itself', () => {
    const { frames, loop, calls, setHolds } = rig();
    loop.wake();
    expect(loop.running).toBe(true);
    expect(calls()).toBe(0); // not before the frame
    for (let i = 0; i < 5; i++) frames.draw();
    expect(calls()).toBe(5);
    setHolds(false);
    frames.draw();
    expect(calls()).toBe(5);
    expect(loop.running).toBe(false);
    expect(frames.pending()).toBe(0);
  });

  it('runs one loop however often it is woken', () => {
    const { frames, loop, calls } = rig();
    for (let i = 0; i < 30; i++) loop.wake(); // scroll events come every frame
    expect(frames.pending()).toBe(1);
    frames.draw();
    loop.wake();
    expect(frames.pending()).toBe(1);
    frames.draw();
    expect(calls()).toBe(2);
  });

  it('starts again when woken after it stopped', () => {
    const { frames, loop, calls, setHolds } = rig();
    loop.wake();
    setHolds(false);
    frames.draw();
    expect(loop.running).toBe(false);
    setHolds(true);
    loop.wake();
    frames.draw();
    frames.draw();
    expect(calls()).toBe(2);
    expect(loop.running).toBe(true);
  });
});
