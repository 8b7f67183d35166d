import { describe, expect, it } from 'vitest';
import { FrameTurns } from '../../src/components/shared/frame-turns';

/** Frames drawn by hand: `draw()` runs what waited for the frame. */
function manualFrames() {
  let pending: (() => void)[] = [];
  return {
    afterFrame: (run: () => void) => void pending.push(run),
    get requested() {
      return pending.length;
    },
    draw() {
      const due = pending;
      pending = [];
      for (const run of due) run();
    },
  };
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('FrameTurns', () => {
  it('lets one waiting view through per frame, in the order they asked', async () => {
    const frames = manualFrames();
    const turns = new FrameTurns(frames.afterFrame);
    const order: string[] = [];
    for (const name of ['maps', 'filters', 'health']) void turns.next().then(() => order.push(name));
    // One frame is asked for at a time, however many wait.
    expect(frames.requested).toBe(1);
    expect(turns.waiting).toBe(3);
    await settle();
    expect(order).toEqual([]);
    frames.draw();
    await settle();
    expect(order).toEqual(['maps']);
    frames.draw();
    await settle();
    expect(order).toEqual(['maps', 'filters']);
    frames.draw();
    await settle();
    expect(order).toEqual(['maps', 'filters', 'health']);
    // Nobody waits: no frame is asked for.
    expect(frames.requested).toBe(0);
  });

  it('tells its listener of each on-screen turn before the view updates, and of no other', async () => {
    const frames = manualFrames();
    const turns = new FrameTurns(frames.afterFrame);
    const events: string[] = [];
    turns.onTurn(() => events.push('busy'));
    void turns.next().then(() => events.push('a'));
    void turns.next(false).then(() => events.push('off screen'));
    void turns.next(true).then(() => events.push('b'));
    for (let i = 0; i < 3; i++) {
      frames.draw();
      await settle();
    }
    expect(events).toEqual(['busy', 'a', 'off screen', 'busy', 'b']);
  });

  it('serves a view that asks after the queue ran dry', async () => {
    const frames = manualFrames();
    const turns = new FrameTurns(frames.afterFrame);
    let served = 0;
    void turns.next().then(() => served++);
    frames.draw();
    await settle();
    expect(frames.requested).toBe(0);
    void turns.next().then(() => served++);
    expect(frames.requested).toBe(1);
    frames.draw();
    await settle();
    expect(served).toBe(2);
  });

  it('tells its listener of drawing done outside a turn, when it is on screen', () => {
    const turns = new FrameTurns(manualFrames().afterFrame);
    let told = 0;
    turns.onTurn(() => told++);
    turns.drawing();
    turns.drawing(false);
    expect(told).toBe(1);
  });
});
