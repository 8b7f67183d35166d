/**
 * The judges one Generations worker keeps between runs: the person's own classifier last used
 * (reused while it stays their best kept run) and the reference seed CNNs (one per plan, trained
 * or loaded once). `obtain` gives a run its judge: theirs when one measures >= 98% on the test
 * set here, else the reference, whose info then says why theirs did not judge.
 */
import type { Mnist } from '../mnist';
import type { JudgeChoice } from './gen-protocol';
import { findOwnJudge, obtainJudge, type Judge } from './judge';
import type { KeptClassifiers } from './own-judge';

/** What obtaining a judge needs from the run and the worker. */
export interface JudgeRequest {
  choice: JudgeChoice;
  data: Mnist;
  /** True once the run was cancelled or stopped. */
  stopped(): boolean;
  /** A line of progress for the 'judge' phase. */
  progress(detail: string): void;
  yieldToEvents(): Promise<void>;
  /** Whether reference judges are cached in IndexedDB. */
  cache: boolean;
  /** The person's kept classifiers, or null where there is no storage (Node tests). */
  kept: KeptClassifiers | null;
}

/** Keeps judges across runs; one per worker. */
export class JudgeKeeper {
  #reference = new Map<JudgeChoice, Judge>();
  #own: Judge | null = null;

  /** The judge for a run, or null when it was stopped while the judge was being prepared. */
  async obtain(r: JudgeRequest): Promise<Judge | null> {
    let note: string | null = null;
    if (r.kept) {
      r.progress('Looking for your own classifier');
      const found = await findOwnJudge(r.kept, r.choice, r.data.test, { cancelled: r.stopped, progress: r.progress }, this.#own);
      if (r.stopped()) {
        if (found.judge && found.judge !== this.#own) found.judge.model.dispose();
        return null;
      }
      if (found.judge !== this.#own) {
        this.#own?.model.dispose();
        this.#own = found.judge;
      }
      if (found.judge) return found.judge;
      note = found.note;
    }
    const reference = await this.#referenceJudge(r);
    return reference && note ? { ...reference, info: { ...reference.info, note } } : reference;
  }

  async #referenceJudge(r: JudgeRequest): Promise<Judge | null> {
    const known = this.#reference.get(r.choice);
    if (known) return known;
    r.progress('Preparing the judge');
    const judge = await obtainJudge(r.choice, r.data.train, r.data.test, {
      cancelled: r.stopped,
      progress: (done, total) => r.progress(`Training the judge: ${Math.round((100 * done) / total)}%`),
      yieldToEvents: r.yieldToEvents,
      cache: r.cache,
    });
    if (judge) this.#reference.set(r.choice, judge);
    return judge;
  }
}
