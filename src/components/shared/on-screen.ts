/**
 * Which views are within the viewport, kept by one IntersectionObserver for all of them, and
 * whether a "live" region is: one whose views update all through a training run (the look
 * inside). While a live region is on screen the page asks the training workers for a core of
 * its own, unless the person chose speed (core-ask.ts, ui-busy.ts): on a small machine, two
 * workers that fill every core stretched the page's 10-25 ms frames past 50 ms, and one worker
 * leaves a core free.
 */

/** Views within the viewport (true) or not (false), as the observer last said. */
const onScreen = new WeakMap<Element, boolean>();

/** The live regions on screen; tells one listener when there come to be some, or none. */
export class LiveViewsOnScreen {
  readonly #visible = new Set<Element>();
  #listener: (any: boolean) => void = () => {};

  /** Sets the one listener and tells it the present answer at once. */
  onChange(listener: (any: boolean) => void): void {
    this.#listener = listener;
    listener(this.any);
  }

  get any(): boolean {
    return this.#visible.size > 0;
  }

  /** Records where a live region is (one that leaves the page counts as off screen). */
  set(view: Element, visible: boolean): void {
    const before = this.any;
    if (visible) this.#visible.add(view);
    else this.#visible.delete(view);
    if (this.any !== before) this.#listener(this.any);
  }
}

/** The page's one record of live regions on screen. */
export const liveViewsOnScreen = new LiveViewsOnScreen();

const viewport =
  typeof IntersectionObserver === 'undefined'
    ? null
    : new IntersectionObserver((entries) => {
        for (const entry of entries) onScreen.set(entry.target, entry.isIntersecting);
      });

/**
 * A live region counts as on screen once it reaches 15% of the window's height into it: the
 * top edge of the look inside peeking in below the curves is not someone looking inside, and
 * asking for a core then would slow training for nothing.
 */
const liveViewport =
  typeof IntersectionObserver === 'undefined'
    ? null
    : new IntersectionObserver(
        (entries) => {
          for (const entry of entries) liveViewsOnScreen.set(entry.target, entry.isIntersecting);
        },
        { rootMargin: '-15% 0px' },
      );

/** Starts watching a view (from its connectedCallback). */
export function watchOnScreen(view: Element): void {
  viewport?.observe(view);
}

/** Stops watching a view (from its disconnectedCallback). */
export function unwatchOnScreen(view: Element): void {
  viewport?.unobserve(view);
  onScreen.delete(view);
}

/** Whether a view is within the viewport (true until the observer has answered, or without one). */
export const isOnScreen = (view: Element): boolean => onScreen.get(view) ?? true;

/** Starts watching a live region (from its connectedCallback). */
export function watchLiveRegion(region: Element): void {
  liveViewport?.observe(region);
}

/** Stops watching a live region (from its disconnectedCallback); it no longer counts as on screen. */
export function unwatchLiveRegion(region: Element): void {
  liveViewport?.unobserve(region);
  liveViewsOnScreen.set(region, false);
}
