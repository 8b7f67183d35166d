/**
 * Takes charts away as files: finds the training-curve charts in the page (their `svg` elements
 * live in the shadow roots of `cnn-training-curves`, which we only read), serialises one to a
 * standalone SVG with its computed styles inlined (the chart's stylesheet stays behind in its
 * shadow root), rasterises that SVG to PNG, and downloads blobs.
 */

/** The presentation properties charts use; copied from computed styles onto each element. */
const STYLE_PROPS = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-linecap', 'stroke-linejoin',
  'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor', 'dominant-baseline', 'visibility', 'display',
] as const;

/** A chart found in the page. */
export interface PageChart {
  /** e.g. "loss" or "accuracy". */
  name: string;
  svg: SVGSVGElement;
}

/** Every training-curves chart in the document, looking through shadow roots. */
export function findCurveCharts(root: Document | ShadowRoot = document): PageChart[] {
  const found: PageChart[] = [];
  const visit = (node: Document | ShadowRoot | Element) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.localName === 'cnn-training-curves') {
        const svg = el.shadowRoot?.querySelector('svg');
        if (svg) found.push({ name: el.getAttribute('metric') ?? `chart-${found.length + 1}`, svg });
      } else if (el.shadowRoot) {
        visit(el.shadowRoot);
      }
    }
  };
  visit(root);
  return found;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A detached copy of a live chart with its computed styles inlined (its stylesheet stays in its shadow root). */
function styledClone(svg: SVGSVGElement): SVGSVGElement {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const sources = [svg, ...svg.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  sources.forEach((source, i) => {
    const computed = getComputedStyle(source);
    const style = STYLE_PROPS.map((p) => `${p}:${computed.getPropertyValue(p)}`).join(';');
    copies[i]!.setAttribute('style', style);
  });
  return clone;
}

/** Serialises a detached root as a standalone SVG document of the given size, on white. */
function svgDocument(root: SVGSVGElement, width: number | string, height: number | string): string {
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  root.insertBefore(background, root.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;
}

/** A standalone SVG document of `svg`: styles inlined, size fixed, white background. */
export function serializeSvg(svg: SVGSVGElement): string {
  const box = svg.getBoundingClientRect();
  return svgDocument(styledClone(svg), svg.getAttribute('width') ?? Math.round(box.width), svg.getAttribute('height') ?? Math.round(box.height));
}

/** One row of a composed figure: a title and the small charts beside it. */
export interface ChartRow {
  title: string;
  charts: SVGSVGElement[];
}

/**
 * Several small live charts (e.g. one row of sparklines per layer) as one SVG document: a title
 * above each row, the charts side by side at `cell` size, each nested with its own viewBox.
 */
export function composeSvg(rows: readonly ChartRow[], cell: { width: number; height: number }): string {
  const root = document.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  const gap = 12;
  const titleHeight = 16;
  let y = gap;
  let width = 0;
  for (const row of rows) {
    const title = document.createElementNS(SVG_NS, 'text');
    title.setAttribute('x', String(gap));
    title.setAttribute('y', String(y + 11));
    title.setAttribute('style', 'font: 600 12px system-ui, sans-serif; fill: #1f2328');
    title.textContent = row.title;
    root.append(title);
    y += titleHeight;
    row.charts.forEach((chart, i) => {
      const nested = styledClone(chart);
      nested.setAttribute('x', String(gap + i * (cell.width + gap)));
      nested.setAttribute('y', String(y));
      nested.setAttribute('width', String(cell.width));
      nested.setAttribute('height', String(cell.height));
      root.append(nested);
    });
    width = Math.max(width, gap + row.charts.length * (cell.width + gap));
    y += cell.height + gap;
  }
  return svgDocument(root, Math.max(width, 200), y);
}

/** Rasterises an SVG document to PNG at `scale` times its size. */
export async function svgToPng(svgText: string, scale = 2): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svgText], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.width * scale));
    canvas.height = Math.max(1, Math.round(image.height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot draw to a canvas');
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the PNG could not be encoded'))), 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Saves a blob as a file through a temporary link. */
export function downloadBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started by the next task; the URL can go a little later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
