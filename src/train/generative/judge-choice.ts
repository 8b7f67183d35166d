/**
 * Which of the person's kept classifiers may judge generated digits (issue 7: "the person's own,
 * when it reaches >= 98% test accuracy, else a reference seed CNN"). Pure: no tfjs, no IndexedDB;
 * the list entries come from storage and are read as untrusted data.
 *
 * The rule: among kept runs that have their weights stored and whose stored test accuracy (on the
 * 10,000 test images) is at least 98%, the most accurate judges; a tie goes to the newest. The
 * worker re-measures the chosen one on the test set before trusting the stored number, and tries
 * the next candidate when it falls short (a stored number can be stale or forged).
 */

/** Test accuracy a person's classifier needs to judge. */
export const OWN_JUDGE_MIN_ACCURACY = 0.98;
/** Candidates the worker re-checks at most (each check is one pass over the 10,000 test images). */
export const OWN_JUDGE_MAX_TRIES = 3;

/** A kept classifier that may judge, as read from its list entry. */
export interface OwnJudgeCandidate {
  id: string;
  name: string;
  createdAt: number;
  /** The stored test accuracy (re-checked before use). */
  testAccuracy: number;
  /** The stored network spec, still to be parsed by parseSpec. */
  spec: unknown;
}

/** The best stored accuracy among kept runs with weights, for the message when none qualifies. */
export interface OwnJudgeRanking {
  candidates: OwnJudgeCandidate[];
  best: { name: string; testAccuracy: number } | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads one stored list entry; null when it is not a kept run with weights and a test accuracy. */
function readEntry(entry: unknown): OwnJudgeCandidate | null {
  if (!isRecord(entry)) return null;
  const { id, name, createdAt, testAccuracy, hasModel, spec } = entry;
  if (typeof id !== 'string' || hasModel !== true || !isRecord(spec)) return null;
  if (typeof testAccuracy !== 'number' || !Number.isFinite(testAccuracy) || testAccuracy < 0 || testAccuracy > 1) return null;
  return {
    id,
    name: typeof name === 'string' && name.trim() ? name.slice(0, 120) : 'an unnamed run',
    createdAt: typeof createdAt === 'number' && Number.isFinite(createdAt) ? createdAt : 0,
    testAccuracy,
    spec,
  };
}

/** Ranks stored list entries: qualifying runs best first (accuracy, then newest), and the best of all. */
export function rankOwnJudges(entries: readonly unknown[]): OwnJudgeRanking {
  const read = entries.map(readEntry).filter((c): c is OwnJudgeCandidate => c !== null);
  read.sort((a, b) => b.testAccuracy - a.testAccuracy || b.createdAt - a.createdAt);
  const top = read[0];
  return {
    candidates: read.filter((c) => c.testAccuracy >= OWN_JUDGE_MIN_ACCURACY),
    best: top ? { name: top.name, testAccuracy: top.testAccuracy } : null,
  };
}

/** Why the reference judge is used instead of the person's own, in one sentence (null: nothing kept). */
export function whyNotOwn(best: OwnJudgeRanking['best'], rejected: readonly string[]): string | null {
  if (rejected.length) return `Your kept classifier could not judge: ${rejected.join('; ')}.`;
  if (!best) return null;
  return `Your best kept classifier, "${best.name}", has ${(best.testAccuracy * 100).toFixed(1)}% test accuracy; a judge needs ${OWN_JUDGE_MIN_ACCURACY * 100}%.`;
}
