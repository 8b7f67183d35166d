/**
 * Ten tiny probability bars drawn as the background layers of one element. A digit in the test
 * report used to carry ten bar elements; with 40 digits that was 400 elements to style and lay out
 * in the frame that shows the report, the biggest part of that frame on a busy 2-core machine.
 */

/** Geometry of the bars, in CSS pixels. */
export const BAR_WIDTH = 5;
export const BAR_GAP = 1;
export const BARS_HEIGHT = 14;
/** Width of ten bars with their gaps: the element's width. */
export const barsWidth = (count: number): number => count * BAR_WIDTH + Math.max(0, count - 1) * BAR_GAP;

/** CSS custom properties that colour the bars: the true class, a wrong prediction, the rest. */
const COLOUR = { truth: 'var(--bar-truth)', wrong: 'var(--bar-wrong)', other: 'var(--bar-other)' } as const;

/**
 * The inline style for one digit's bars: one flat gradient per class, sized to its probability
 * (at least one pixel, so a zero still shows where the bar would be) and standing on the bottom
 * edge. The true class is `truth`; the predicted class, where it is wrong, is `wrong`.
 */
export function probabilityBarsStyle(probabilities: readonly number[], label: number, predicted: number): string {
  const images: string[] = [];
  const sizes: string[] = [];
  const positions: string[] = [];
  probabilities.forEach((p, k) => {
    const colour = k === label ? COLOUR.truth : k === predicted ? COLOUR.wrong : COLOUR.other;
    const height = Math.max(1, (Number.isFinite(p) ? Math.max(0, Math.min(1, p)) : 0) * BARS_HEIGHT);
    images.push(`linear-gradient(${colour},${colour})`);
    sizes.push(`${BAR_WIDTH}px ${Number(height.toFixed(2))}px`);
    positions.push(`${k * (BAR_WIDTH + BAR_GAP)}px 100%`);
  });
  return `background-image:${images.join(',')};background-size:${sizes.join(',')};background-position:${positions.join(',')}`;
}
