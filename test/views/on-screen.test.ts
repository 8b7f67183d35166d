import { describe, expect, it } from 'vitest';
import { LiveViewsOnScreen } from '../../src/components/shared/on-screen';

/** Stand-ins for views: the record only needs their identity. */
const view = () => ({}) as Element;

describe('LiveViewsOnScreen', () => {
  it('tells its listener the present answer at once, then only when there come to be some live views on screen, or none', () => {
    const record = new LiveViewsOnScreen();
    const heard: boolean[] = [];
    record.onChange((any) => heard.push(any));
    const [maps, filters] = [view(), view()];
    record.set(maps, true);
    record.set(filters, true);
    record.set(maps, false);
    expect(heard).toEqual([false, true]);
    record.set(filters, false);
    expect(heard).toEqual([false, true, false]);
    // Leaving twice, or a view that never came, changes nothing.
    record.set(filters, false);
    record.set(view(), false);
    expect(heard).toEqual([false, true, false]);
    expect(record.any).toBe(false);
  });

  it('tells a listener set later where things stand', () => {
    const record = new LiveViewsOnScreen();
    record.set(view(), true);
    const heard: boolean[] = [];
    record.onChange((any) => heard.push(any));
    expect(heard).toEqual([true]);
  });
});
