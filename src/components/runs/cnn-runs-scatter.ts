/**
 * Parameters (log scale) against test accuracy for every kept run; the compared runs in their
 * colours, the others grey. Property-driven; geometry from src/views/runs-compare.ts.
 */
import { html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { serializeSvg } from '../shared/chart-export';
import '../shared/cnn-chart-save';
import { scatterGeometry, type ScatterInput } from '../../views/runs-compare';
import { axes, chartStyles, HEIGHT, WIDTH } from './compare-chart-parts';
import { TurnTakingElement } from '../shared/frame-turns';

/** A run in the scatter with its colour (null: not compared). */
export type ScatterPoint = ScatterInput & { name: string; color: string | null };

@customElement('cnn-runs-scatter')
export class CnnRunsScatter extends TurnTakingElement {
  @property({ attribute: false }) points: ScatterPoint[] = [];

  #svgText = (): string | null => {
    const chart = this.renderRoot.querySelector('svg');
    return chart ? serializeSvg(chart) : null;
  };

  override render() {
    const g = scatterGeometry(this.points, WIDTH, HEIGHT);
    // Compared runs are drawn last, on top.
    const order = this.points.map((p, i) => ({ p, d: g.dots[i]! })).sort((a, b) => Number(a.p.color !== null) - Number(b.p.color !== null));
    return html`<div class="save"><cnn-chart-save name=${'runs-parameters-accuracy'} label=${'parameters against accuracy chart'} .chart=${this.#svgText}></cnn-chart-save></div><svg role="img" aria-label=${`parameters against test accuracy for ${this.points.length} runs`} width=${WIDTH} height=${HEIGHT} viewBox="0 0 ${WIDTH} ${HEIGHT}">
      ${axes(g.plot, g.xTicks, g.yTicks, 'parameters (log scale)', 'test accuracy')}
      ${order.map(({ p, d }) => svg`<circle data-run=${p.id} class=${p.color ? 'picked' : 'other'} cx=${d.cx} cy=${d.cy} r=${p.color ? 5 : 3.5} fill=${p.color ?? ''}><title>${p.name}</title></circle>`)}
    </svg>`;
  }

  static override styles = chartStyles;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-runs-scatter': CnnRunsScatter;
  }
}
