/**
 * Shared pieces of the run-comparison charts (cnn-overlay-chart, cnn-runs-scatter): chart size,
 * axes and styles.
 */
import { css, svg } from 'lit';
import type { XTick, YTick } from '../../views/curves';

/** Chart size in SVG units. */
export const WIDTH = 420;
export const HEIGHT = 220;

/** Grid, tick labels and axis titles. */
export function axes(plot: { left: number; right: number; top: number; bottom: number }, xTicks: XTick[], yTicks: YTick[], xLabel: string, yLabel: string) {
  return svg`
    <g class="grid">${yTicks.map((t) => svg`<line x1=${plot.left} x2=${plot.right} y1=${t.y} y2=${t.y}></line>`)}</g>
    <g class="axis">
      <line x1=${plot.left} x2=${plot.right} y1=${plot.bottom} y2=${plot.bottom}></line>
      ${xTicks.map((t) => svg`<text x=${t.x} y=${plot.bottom + 15} text-anchor="middle">${t.label}</text>`)}
      ${yTicks.map((t) => svg`<text x=${plot.left - 6} y=${t.y} dy="0.32em" text-anchor="end">${t.label}</text>`)}
    </g>
    <text class="label" x=${(plot.left + plot.right) / 2} y=${plot.bottom + 31} text-anchor="middle">${xLabel}</text>
    <text class="label" transform="translate(11 ${(plot.top + plot.bottom) / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`;
}

/** Styles of both charts. */
export const chartStyles = css`
  :host { display: block; }
  .save { display: flex; justify-content: flex-end; max-width: 100%; }
  svg { display: block; max-width: 100%; height: auto; font: 10px system-ui, sans-serif; }
  .grid line { stroke: #eef0f5; }
  .axis line { stroke: #99a; }
  .axis text, .label { fill: #667; }
  path { fill: none; stroke-width: 1.6; }
  path.val { stroke-dasharray: 4 3; stroke-width: 1.2; }
  circle { stroke: #fff; stroke-width: 1; }
  circle.other { fill: #b8bdcc; }
`;

