import { describe, expect, it } from 'vitest';
import { linkCoreAsk, type LiveViews, type SmoothChoice } from '../../src/store/core-ask';

/** Live views and a smoothness choice the test moves by hand, and what the page asked each time. */
function rig(smoothAtStart = true) {
  let liveListener: (any: boolean) => void = () => {};
  const live = { any: false, onChange: (l: (any: boolean) => void) => { liveListener = l; l(live.any); } };
  const smoothListeners: (() => void)[] = [];
  let smooth = smoothAtStart;
  const choice: SmoothChoice = { get: () => smooth, subscribe: (l) => { smoothListeners.push(l); } };
  const asks: boolean[] = [];
  linkCoreAsk(live as LiveViews, choice, (wanted) => asks.push(wanted));
  return {
    asks,
    setLive(any: boolean) {
      live.any = any;
      liveListener(any);
    },
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

  it('does not ask when the person chose speed, and asks at once when they choose smoothness again', () => {
    const r = rig(false);
    r.setLive(true);
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
