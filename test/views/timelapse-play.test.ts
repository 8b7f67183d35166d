import { describe, expect, it } from 'vitest';
import { playNext, playStart } from '../../src/views/runs-timelapse';

/** The frames a play shows, from the slider at `at`, until it stops. */
function playFrom(at: number, count: number): number[] {
  const shown: number[] = [];
  for (let frame = playStart(at, count); frame !== null; frame = playNext(frame, count)) shown.push(frame);
  return shown;
}

describe('playing a time-lapse', () => {
  it('plays from the slider to the last frame, one frame at a time', () => {
    expect(playFrom(3, 8)).toEqual([3, 4, 5, 6, 7]);
    expect(playFrom(0, 5)).toEqual([0, 1, 2, 3, 4]);
  });

  it('starts again at the first frame when the slider is at the last', () => {
    expect(playFrom(7, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // A slider past the end (frames dropped meanwhile) counts as at the end.
    expect(playFrom(9, 3)).toEqual([0, 1, 2]);
  });

  it('has nothing to play with fewer than two frames', () => {
    expect(playStart(0, 1)).toBeNull();
    expect(playStart(0, 0)).toBeNull();
  });

  it('keeps going while frames are added during a run', () => {
    expect(playNext(4, 5)).toBeNull();
    // A frame recorded meanwhile is played next rather than ending the play.
    expect(playNext(4, 6)).toBe(5);
  });
});
