/**
 * Whether the page asks the training workers to leave it a core (ui-busy.ts `askForCore`): while a
 * live view ("Look inside") is on screen, unless the person chose speed over smoothness. Pure
 * wiring, so that main.ts stays a list of connections and this rule can be tested.
 */

/** Where live views are: the page's record (on-screen.ts `liveViewsOnScreen`) or a test's fake. */
export interface LiveViews {
  readonly any: boolean;
  onChange(listener: (any: boolean) => void): void;
}

/** The person's choice and how to hear of changes to it (the app store, or a test's fake). */
export interface SmoothChoice {
  get(): boolean;
  subscribe(listener: () => void): void;
}

/** Keeps `ask` told of (a live view on screen) and (smoothness chosen), now and on every change. */
export function linkCoreAsk(live: LiveViews, smooth: SmoothChoice, ask: (wanted: boolean) => void): void {
  let asked: boolean | null = null;
  const update = () => {
    const wanted = live.any && smooth.get();
    if (wanted === asked) return;
    asked = wanted;
    ask(wanted);
  };
  live.onChange(update);
  smooth.subscribe(update);
}
