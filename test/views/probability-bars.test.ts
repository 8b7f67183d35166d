import { describe, expect, it } from 'vitest';
import { BAR_GAP, BAR_WIDTH, BARS_HEIGHT, barsWidth, probabilityBarsStyle } from '../../src/views/probability-bars';

/** The style's three comma-separated background lists, layer by layer. */
function layers(style: string): { image: string; size: string; position: string }[] {
  const prop = (name: string): string[] => {
    const value = style.split(';').find((d) => d.startsWith(`${name}:`))!.slice(name.length + 1);
    // Gradients hold commas inside parentheses: split only at the top level.
    const parts: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === '(') depth++;
      else if (value[i] === ')') depth--;
      else if (value[i] === ',' && depth === 0) {
        parts.push(value.slice(start, i));
        start = i + 1;
      }
    }
    parts.push(value.slice(start));
    return parts;
  };
  const images = prop('background-image');
  const sizes = prop('background-size');
  const positions = prop('background-position');
  return images.map((image, k) => ({ image, size: sizes[k], position: positions[k] }));
}

describe('probabilityBarsStyle', () => {
  const probabilities = [0.05, 0, 0.7, 0, 0, 0, 0, 0.25, 0, 0];

  it('draws one bar per class, side by side, standing on the bottom edge', () => {
    const bars = layers(probabilityBarsStyle(probabilities, 7, 2));
    expect(bars).toHaveLength(10);
    bars.forEach((bar, k) => expect(bar.position).toBe(`${k * (BAR_WIDTH + BAR_GAP)}px 100%`));
    expect(barsWidth(10)).toBe(9 * (BAR_WIDTH + BAR_GAP) + BAR_WIDTH);
  });

  it('sizes each bar by its probability, with one pixel for a zero', () => {
    const heights = layers(probabilityBarsStyle(probabilities, 7, 2)).map((b) => Number(b.size.split(' ')[1].replace('px', '')));
    expect(heights[2]).toBeCloseTo(0.7 * BARS_HEIGHT, 2);
    expect(heights[7]).toBeCloseTo(0.25 * BARS_HEIGHT, 2);
    expect(heights[1]).toBe(1);
    // Out-of-range and non-finite values are clamped, never drawn outside the element.
    const odd = layers(probabilityBarsStyle([1.5, -1, NaN], 0, 0)).map((b) => b.size);
    expect(odd).toEqual([`${BAR_WIDTH}px ${BARS_HEIGHT}px`, `${BAR_WIDTH}px 1px`, `${BAR_WIDTH}px 1px`]);
  });

  it('colours the true class, a wrong prediction and the rest apart', () => {
    const wrong = layers(probabilityBarsStyle(probabilities, 7, 2)).map((b) => b.image);
    expect(wrong[7]).toContain('--bar-truth');
    expect(wrong[2]).toContain('--bar-wrong');
    expect(wrong[0]).toContain('--bar-other');
    // A right answer has no wrong bar: its predicted class is the true one.
    const right = layers(probabilityBarsStyle(probabilities, 2, 2)).map((b) => b.image);
    expect(right[2]).toContain('--bar-truth');
    expect(right.some((i) => i.includes('--bar-wrong'))).toBe(false);
  });
});
