import { describe, expect, it } from 'vitest';
import { linkCoreAsk, type CoreReason, type SmoothChoice } from '../../src/store/core-ask';

/** A reason the test moves by hand. */
function reason(): CoreReason & { set(any: boolean): void } {
  let listener: (any: boolean) => void = () => {};
  const r = {
    any: false,
    onChange(l: (any: boolean) => void) {
      listener = l;
      l(r.any);
    },
    set(any: boolean) {
      r.any = any;
      listener(any);
    },
  };
  return r;
}

/** Two reasons (live views, recent acts) and a smoothness choice moved by hand, and what the page asked each time. */
function rig(smoothAtStart = true) {
  const live = reason();
  const acts = reason();
  const smoothListeners: (() => void)[] = [];
  let smooth = smoothAtStart;
  const choice: SmoothChoice = { get: () => smooth, subscribe: (l) => { smoothListeners.push(l); } };
  const asks: boolean[] = [];
  linkCoreAsk([live, acts], choice, (wanted) => asks.push(wanted));
  return {
    asks,
    setLive: (any: boolean) => live.set(any),
    setActs: (any: boolean) => acts.set(any),
    setSmooth(value: boolean) {
      smooth = value;
      for (const l of smoothListeners) l();
    },
  };
}

describe('linkCoreAsk', () => {
  it('asks for a core while a live view is on screen, and gives it back when it leaves', () => {
    const r = rig();
    expect(r.asks).toEqual([false]);
    r.setLive(true);
    r.setLive(false);
    expect(r.asks).toEqual([false, true, false]);
  });

  it('asks while any reason holds, and gives the core back only when none does', () => {
    const r = rig();
    r.setActs(true);
    r.setLive(true);
    r.setActs(false);
    expect(r.asks).toEqual([false, true]);
    r.setLive(false);
    expect(r.asks).toEqual([false, true, false]);
    r.setActs(true);
    r.setActs(false);
    expect(r.asks).toEqual([false, true, false, true, false]);
  });

  it('does not ask when the person chose speed, and asks at once when they choose smoothness again', () => {
    const r = rig(false);
    r.setLive(true);
    r.setActs(true);
    expect(r.asks).toEqual([false]);
    r.setSmooth(true);
    expect(r.asks).toEqual([false, true]);
    r.setSmooth(false);
    expect(r.asks).toEqual([false, true, false]);
  });

  it('tells the trainer only of changes (other store updates do not repeat the ask)', () => {
    const r = rig();
    r.setLive(true);
    r.setSmooth(true);
    r.setSmooth(true);
    expect(r.asks).toEqual([false, true]);
  });
});
