import { describe, expect, it } from 'vitest';
import { RecentActs, type ActClock } from '../../src/components/shared/recent-acts';

/** A clock the test moves by hand, running due timers as it goes. */
function fakeClock() {
  let now = 0;
  let timers: { at: number; run: () => void }[] = [];
  const clock: ActClock & { advance(ms: number): void; pending(): number } = {
    now: () => now,
    setTimeout(run, ms) {
      timers.push({ at: now + ms, run });
      return timers.length;
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.run();
      }
      now = end;
    },
    pending: () => timers.length,
  };
  return clock;
}

function rig(holdMs = 1000) {
  const clock = fakeClock();
  const acts = new RecentActs(holdMs, clock);
  const heard: boolean[] = [];
  acts.onChange((any) => heard.push(any));
  return { clock, acts, heard };
}

describe('RecentActs', () => {
  it('holds from an act until the hold has passed, then lets go', () => {
    const { clock, acts, heard } = rig();
    expect(heard).toEqual([false]);
    acts.act();
    expect(acts.any).toBe(true);
    clock.advance(999);
    expect(acts.any).toBe(true);
    clock.advance(1);
    expect(acts.any).toBe(false);
    expect(heard).toEqual([false, true, false]);
  });

  it('counts the hold from the last act, telling the listener once for a burst of acts', () => {
    const { clock, acts, heard } = rig();
    acts.act();
    clock.advance(600);
    acts.act();
    clock.advance(600);
    acts.act();
    clock.advance(999);
    expect(acts.any).toBe(true);
    clock.advance(1);
    expect(acts.any).toBe(false);
    expect(heard).toEqual([false, true, false]);
  });

  it('keeps one timer however many acts come (a scroll sends one every frame)', () => {
    const { clock, acts } = rig();
    for (let i = 0; i < 50; i++) {
      acts.act();
      clock.advance(16);
    }
    expect(clock.pending()).toBe(1);
    clock.advance(1000);
    expect(acts.any).toBe(false);
    expect(clock.pending()).toBe(0);
  });

  it('holds again for an act after it let go', () => {
    const { clock, acts, heard } = rig(200);
    acts.act();
    clock.advance(300);
    acts.act();
    expect(acts.any).toBe(true);
    clock.advance(200);
    expect(heard).toEqual([false, true, false, true, false]);
  });
});
