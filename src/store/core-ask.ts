/**
 * Whether the page asks the training workers to leave it a core (ui-busy.ts `askForCore`): while
 * any reason holds (a live view such as "Look inside" on screen, the person having just acted),
 * unless the person chose speed over smoothness. Pure wiring, so that main.ts stays a list of
 * connections and this rule can be tested.
 */

/**
 * A reason for the page to want a core, and how to hear of changes to it: the page's record of
 * live views on screen (on-screen.ts `liveViewsOnScreen`), its record of the person's acts
 * (recent-acts.ts), or a test's fake. `onChange` tells the listener the present answer at once.
 */
export interface CoreReason {
  readonly any: boolean;
  onChange(listener: (any: boolean) => void): void;
}

/** The person's choice and how to hear of changes to it (the app store, or a test's fake). */
export interface SmoothChoice {
  get(): boolean;
  subscribe(listener: () => void): void;
}

/** Keeps `ask` told of (some reason holds) and (smoothness chosen), now and on every change. */
export function linkCoreAsk(reasons: readonly CoreReason[], smooth: SmoothChoice, ask: (wanted: boolean) => void): void {
  let asked: boolean | null = null;
  const update = () => {
    const wanted = smooth.get() && reasons.some((reason) => reason.any);
    if (wanted === asked) return;
    asked = wanted;
    ask(wanted);
  };
  for (const reason of reasons) reason.onChange(update);
  smooth.subscribe(update);
}
