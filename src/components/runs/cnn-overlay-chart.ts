/**
 * Several runs' curves of one metric on shared axes (x by examples seen or training time):
 * smoothed training lines solid, validation dashed with a dot per epoch, one colour per run.
 * Property-driven; geometry from src/views/runs-compare.ts.
 */
import { html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { serializeSvg } from '../shared/chart-export';
import '../shared/cnn-chart-save';
import type { CurveMetric } from '../../views/curves';
import { overlayGeometry, type CompareAxis, type CompareSeries } from '../../views/runs-compare';
import { axes, chartStyles, HEIGHT, WIDTH } from './compare-chart-parts';
import { TurnTakingElement } from '../shared/frame-turns';

@customElement('cnn-overlay-chart')
export class CnnOverlayChart extends TurnTakingElement {
  @property({ attribute: false }) series: CompareSeries[] = [];
  @property() metric: CurveMetric = 'loss';
  @property() axis: CompareAxis = 'examples';

  #svgText = (): string | null => {
    const chart = this.renderRoot.querySelector('svg');
    return chart ? serializeSvg(chart) : null;
  };

  override render() {
    const g = overlayGeometry(this.series, this.metric, this.axis, WIDTH, HEIGHT);
    return html`<div class="save"><cnn-chart-save name=${`compare-${this.metric}`} label=${`${this.metric} comparison chart`} .chart=${this.#svgText}></cnn-chart-save></div><svg role="img" aria-label=${`${this.metric} of ${this.series.length} runs by ${g.xLabel}`} width=${WIDTH} height=${HEIGHT} viewBox="0 0 ${WIDTH} ${HEIGHT}">
      ${axes(g.plot, g.xTicks, g.yTicks, g.xLabel, this.metric)}
      ${g.lines.map((l) => svg`
        <path class="train" data-run=${l.id} d=${l.trainPath} stroke=${l.color}></path>
        <path class="val" d=${l.valPath} stroke=${l.color}></path>
        ${l.valPoints.map((p) => svg`<circle cx=${p.x} cy=${p.y} r="3" fill=${l.color}></circle>`)}`)}
    </svg>`;
  }

  static override styles = chartStyles;
}

declare global {
  interface HTMLElementTagNameMap {
    'cnn-overlay-chart': CnnOverlayChart;
  }
}
