/**
 * Matrix heatmap (charts 2.8 and 2.9), pure: draws a rows × columns grid of cells into an `<svg>`
 * the element owns, following the chart contract (`draw` / `update` / `resize` / `clear`).
 *
 * - Cells are `<rect>`s with their value printed where it fits; the text colour is black or white,
 *   whichever contrasts more with the fill ({@link textOn}), so colour is never the only cue.
 * - Row and column headers (names are always set as text, truncated with an ellipsis; the full name
 *   is in a `<title>` and in every cell's `aria-label`).
 * - Optional marginal bars: row totals right of the grid, column totals under it.
 * - Incomplete cells (e.g. a month not over yet) get a diagonal hatch and a `*` marker.
 * - Keyboard (`heatmap-input.ts`): the SVG is an ARIA `grid`; one cell at a time is in the tab order (roving tabindex).
 *   Arrow keys move (skipping empty cells), Home/End go to the row's ends, Enter or Space activates.
 *   With `headers: true` the row and column headers are part of the grid (activatable too).
 * - Pointer: hover and click report the target under the pointer through the callbacks.
 *
 * Rendering is plain DOM creation (no joins): 50 × 20 cells take a few milliseconds.
 * Colour scales that an outlier cannot dominate are built by {@link robustSequential}.
 */
import { quantileSorted } from 'd3-array';
import type { ScaleSequential } from 'd3-scale';
import { OTHER_COLOUR, sequentialScale, textOn } from '../internal/palette.js';
import { svgEl, type ChartModule } from './contract.js';
import { listen, states, unlisten } from './heatmap-input.js';
import type { HeatmapData, HeatmapLayout, HeatmapOptions, HeatmapTarget } from './heatmap-types.js';

export { targetOf } from './heatmap-input.js';

export type { HeatmapData, HeatmapLayout, HeatmapOptions, HeatmapTarget } from './heatmap-types.js';

const FONT = 11;
/** Average advance of an 11 px UI font per character (for fitting text without measuring). */
const CHAR = 6.4;
let patternIds = 0;

/** Fits `text` into `px` pixels, cutting with an ellipsis. */
export function fitText(text: string, px: number, char = CHAR): string {
  const max = Math.floor(px / char);
  if (text.length <= max) return text;
  if (max <= 1) return '';
  return `${[...text].slice(0, max - 1).join('')}…`;
}

/**
 * A sequential scale (viridis or cividis) an outlier cannot dominate: the domain ends at the
 * `clampAt` quantile (default the 95th percentile) of the values, and values above it take the top
 * colour (`clamp`). With `log`, the scale is logarithmic (values + 1), for counts spanning orders of
 * magnitude. Zeros and nulls are ignored for the quantile. Returns the scale and the clamp value
 * (for the legend: "≥ max").
 */
export function robustSequential(
  values: Iterable<number | null | undefined>,
  { clampAt = 0.95, scheme = 'viridis', log = false }: { clampAt?: number; scheme?: 'viridis' | 'cividis'; log?: boolean } = {},
): { scale: (v: number) => string; max: number; clamped: boolean; sequential: ScaleSequential<string> } {
  if (!(clampAt > 0 && clampAt <= 1)) throw new RangeError(`robustSequential: clampAt must be in (0, 1], got ${clampAt}`);
  const sorted = [...values].filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0).sort((a, b) => a - b);
  const top = sorted.length ? sorted[sorted.length - 1] : 1;
  const max = sorted.length ? Math.max(quantileSorted(sorted, clampAt) ?? top, Number.MIN_VALUE) : 1;
  const t = log ? (v: number) => Math.log1p(Math.max(0, v)) : (v: number) => v;
  const sequential = sequentialScale([0, t(max)], { scheme });
  return { scale: (v: number) => sequential(t(v)), max, clamped: top > max, sequential };
}

/** Draws the heatmap from scratch. */
export function draw(svg: SVGSVGElement, data: HeatmapData, options: HeatmapOptions): HeatmapLayout {
  clear(svg);
  return render(svg, data, options);
}

/** Renders new data (keeps the keyboard position when it still exists). */
export function update(svg: SVGSVGElement, data: HeatmapData, options: HeatmapOptions): HeatmapLayout {
  const previous = states.get(svg)?.layout.active;
  const hadFocus = svg.contains((svg.getRootNode() as Document | ShadowRoot).activeElement);
  svg.querySelector(':scope > g.heatmap')?.remove();
  svg.querySelector(':scope > defs.heatmap-defs')?.remove();
  const layout = render(svg, data, options);
  if (previous && layout.node(previous)) layout.setActive(previous, hadFocus);
  return layout;
}

/** Re-renders the last data at a new width (the height follows the rows). */
export function resize(svg: SVGSVGElement, width: number): HeatmapLayout | undefined {
  const s = states.get(svg);
  if (!s) return undefined;
  return update(svg, s.data, { ...s.options, width });
}

/** Removes what the module drew, and its listeners. */
export function clear(svg: SVGSVGElement): void {
  svg.querySelector(':scope > g.heatmap')?.remove();
  svg.querySelector(':scope > defs.heatmap-defs')?.remove();
  unlisten(svg);
  svg.removeAttribute('role');
  svg.removeAttribute('aria-label');
}

export const heatmap = { draw, update, resize, clear } satisfies ChartModule<HeatmapData, HeatmapOptions, HeatmapLayout>;

function render(svg: SVGSVGElement, data: HeatmapData, options: HeatmapOptions): HeatmapLayout {
  const { rows, columns, values } = data;
  if (values.length !== rows.length || values.some((r) => r.length !== columns.length)) {
    throw new RangeError(`heatmap: values must be ${rows.length} × ${columns.length}`);
  }
  const { width, colour, cellHeight = 28, minCellWidth = 30, maxCellWidth = 96, rowHeaderWidth = 140, marginalSize = 84, headers = false } = options;
  if (!(width > 0)) throw new RangeError(`heatmap: width must be positive, got ${width}`);
  const nr = rows.length;
  const nc = columns.length;
  const hasRowTotals = !!data.rowTotals && nr > 0;
  const hasColTotals = !!data.colTotals && nc > 0;
  const right = hasRowTotals ? marginalSize : 8;
  const cellWidth = Math.max(minCellWidth, Math.min(maxCellWidth, (width - rowHeaderWidth - right) / Math.max(1, nc)));
  const longest = columns.reduce((m, c) => Math.max(m, c.length), 0);
  const rotate = options.rotateColumns ?? longest * CHAR > cellWidth - 6;
  const colLabelMax = 120;
  const top = rotate ? Math.min(colLabelMax, longest * CHAR) * Math.SQRT1_2 + 18 : 22;
  const left = rowHeaderWidth;
  const gridW = cellWidth * nc;
  const gridH = cellHeight * nr;
  const bottomBars = hasColTotals ? 44 : 0;
  const totalW = Math.ceil(left + gridW + right);
  const totalH = Math.ceil(top + gridH + bottomBars + 4);
  svg.setAttribute('width', String(totalW));
  svg.setAttribute('height', String(totalH));
  svg.setAttribute('viewBox', `0 0 ${totalW} ${totalH}`);
  svg.setAttribute('role', 'grid');
  svg.setAttribute('aria-label', options.label ?? 'Heatmap');

  // Hatch for incomplete cells.
  const defs = svgEl('defs', { class: 'heatmap-defs' });
  const hatchId = `usage-heatmap-hatch-${++patternIds}`;
  const pattern = svgEl('pattern', { id: hatchId, patternUnits: 'userSpaceOnUse', width: 6, height: 6, patternTransform: 'rotate(45)' });
  pattern.append(svgEl('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: 'rgba(0,0,0,0.35)', 'stroke-width': 2 }));
  defs.append(pattern);
  svg.prepend(defs);

  const root = svgEl('g', { class: 'heatmap' });
  const frag = document.createDocumentFragment();
  const cellNodes: (SVGGElement | undefined)[][] = [];
  const rowNodes: SVGGElement[] = [];
  const colNodes: SVGGElement[] = [];

  // Cell values live in their own aria-hidden layer: the cells' accessible names already say them in words.
  const labels = svgEl('g', { class: 'cell-labels', 'aria-hidden': 'true', 'text-anchor': 'middle', 'dominant-baseline': 'central', 'font-size': FONT });
  const inks = new Map<string, string>();
  const cellProto = svgEl('g', { role: 'gridcell', class: 'cell', tabindex: -1 });
  cellProto.append(svgEl('rect', { width: cellWidth - 1, height: cellHeight - 1, class: 'cell-fill' }));
  const labelProto = svgEl('text', { class: 'cell-label' });
  const focusable: Record<string, number> = headers ? { tabindex: -1 } : {};
  // Column header row.
  const headRow = svgEl('g', { role: 'row', class: 'heatmap-head' });
  const corner = svgEl('g', { role: 'columnheader', class: 'corner' });
  const cornerText = svgEl('text', { x: left - 8, y: top - 8, 'text-anchor': 'end', 'font-size': FONT, class: 'corner-label' });
  cornerText.textContent = fitText(options.corner ?? 'Rows', left - 12);
  corner.append(cornerText);
  headRow.append(corner);
  for (let c = 0; c < nc; c++) {
    const x = left + c * cellWidth + cellWidth / 2;
    const g = svgEl('g', {
      role: 'columnheader',
      class: headers ? 'col-header interactive' : 'col-header',
      'data-col': c,
      'aria-label': data.columnHeaderLabel?.(c) ?? columns[c],
      ...focusable,
    });
    g.append(svgEl('rect', { class: 'hit', x: x - cellWidth / 2, y: 0, width: cellWidth, height: top - 2, fill: 'transparent' }));
    const t = svgEl(
      'text',
      rotate
        ? { x, y: top - 6, transform: `rotate(-45 ${x} ${top - 6})`, 'text-anchor': 'start', 'font-size': FONT, 'aria-hidden': 'true' }
        : { x, y: top - 8, 'text-anchor': 'middle', 'font-size': FONT, 'aria-hidden': 'true' },
    );
    t.textContent = fitText(columns[c], rotate ? colLabelMax : cellWidth - 4);
    const title = svgEl('title');
    title.textContent = columns[c];
    g.append(title, t);
    colNodes.push(g);
    headRow.append(g);
  }
  if (hasRowTotals) {
    const g = svgEl('g', { role: 'columnheader', class: 'total-header' });
    const t = svgEl('text', { x: left + gridW + 8, y: top - 8, 'font-size': FONT });
    t.textContent = 'Total';
    g.append(t);
    headRow.append(g);
  }
  frag.append(headRow);

  const rowMax = hasRowTotals ? Math.max(1, ...data.rowTotals!) : 1;
  const fmtTotal = data.totalLabel ?? ((v: number) => String(v));
  for (let r = 0; r < nr; r++) {
    const y = top + r * cellHeight;
    const row = svgEl('g', { role: 'row' });
    const header = svgEl('g', {
      role: 'rowheader',
      class: headers ? 'row-header interactive' : 'row-header',
      'data-row': r,
      'aria-label': data.rowHeaderLabel?.(r) ?? rows[r],
      ...focusable,
    });
    header.append(svgEl('rect', { class: 'hit', x: 0, y, width: left - 2, height: cellHeight, fill: 'transparent' }));
    const ht = svgEl('text', {
      x: left - 8,
      y: y + cellHeight / 2,
      'text-anchor': 'end',
      'dominant-baseline': 'central',
      'font-size': FONT,
      'aria-hidden': 'true',
    });
    ht.textContent = fitText(rows[r], left - 12);
    const htitle = svgEl('title');
    htitle.textContent = rows[r];
    header.append(htitle, ht);
    rowNodes.push(header);
    row.append(header);
    const nodes: (SVGGElement | undefined)[] = [];
    for (let c = 0; c < nc; c++) {
      const v = values[r][c];
      const x = left + c * cellWidth;
      if (v === null || v === undefined) {
        nodes.push(undefined);
        row.append(svgEl('g', { role: 'gridcell', 'aria-label': 'No data', class: 'cell-empty' }));
        continue;
      }
      const fill = Number.isFinite(v) ? colour(v) : OTHER_COLOUR;
      // Clone a prototype (constant attributes set once): about twice as fast as building each cell.
      const g = cellProto.cloneNode(true) as SVGGElement;
      g.setAttribute('data-row', String(r));
      g.setAttribute('data-col', String(c));
      g.setAttribute('aria-label', data.ariaLabel(r, c));
      const fillRect = g.firstChild as SVGRectElement;
      fillRect.setAttribute('x', String(x + 0.5));
      fillRect.setAttribute('y', String(y + 0.5));
      fillRect.setAttribute('fill', fill);
      const incomplete = data.incomplete?.(r, c) ?? false;
      if (incomplete) {
        g.setAttribute('data-incomplete', '');
        g.append(svgEl('rect', { x: x + 0.5, y: y + 0.5, width: cellWidth - 1, height: cellHeight - 1, fill: `url(#${hatchId})`, class: 'cell-hatch' }));
      }
      const text = data.label?.(r, c) ?? '';
      const shown = `${text}${incomplete && text ? '*' : ''}`;
      if (shown && shown.length * CHAR <= cellWidth - 4) {
        let ink = inks.get(fill);
        if (!ink) inks.set(fill, (ink = textOn(fill)));
        const t = labelProto.cloneNode() as SVGTextElement;
        t.setAttribute('x', String(x + cellWidth / 2));
        t.setAttribute('y', String(y + cellHeight / 2));
        t.setAttribute('fill', ink);
        t.setAttribute('data-row', String(r));
        t.setAttribute('data-col', String(c));
        t.textContent = shown;
        labels.append(t);
      }
      nodes.push(g);
      row.append(g);
    }
    cellNodes.push(nodes);
    if (hasRowTotals) {
      const v = data.rowTotals![r] ?? 0;
      const g = svgEl('g', { role: 'gridcell', class: 'row-total' });
      const w = Math.max(0, ((marginalSize - 12) * v) / rowMax);
      g.append(svgEl('rect', { x: left + gridW + 6, y: y + 4, width: w, height: cellHeight - 8, class: 'total-bar' }));
      const t = svgEl('text', { x: left + gridW + 9, y: y + cellHeight / 2, 'dominant-baseline': 'central', 'font-size': FONT, class: 'total-label' });
      t.textContent = fmtTotal(v);
      g.append(t);
      row.append(g);
    }
    frag.append(row);
  }

  if (hasColTotals) {
    const colMax = Math.max(1, ...data.colTotals!);
    const row = svgEl('g', { role: 'row', class: 'col-totals' });
    const head = svgEl('g', { role: 'rowheader' });
    const ht = svgEl('text', { x: left - 8, y: top + gridH + 14, 'text-anchor': 'end', 'font-size': FONT });
    ht.textContent = 'Total';
    head.append(ht);
    row.append(head);
    for (let c = 0; c < nc; c++) {
      const v = data.colTotals![c] ?? 0;
      const label = fmtTotal(v);
      const g = svgEl('g', { role: 'gridcell', class: 'col-total', 'data-total-col': c, 'aria-label': `${columns[c]}: ${label}` });
      const h = Math.max(0, ((bottomBars - 22) * v) / colMax);
      g.append(svgEl('rect', { x: left + c * cellWidth + 3, y: top + gridH + 4, width: Math.max(0, cellWidth - 6), height: h, class: 'total-bar' }));
      if (label.length * CHAR <= cellWidth - 2) {
        const t = svgEl('text', {
          x: left + c * cellWidth + cellWidth / 2,
          y: top + gridH + bottomBars - 4,
          'text-anchor': 'middle',
          'font-size': FONT - 1,
          class: 'total-label',
          'aria-hidden': 'true',
        });
        t.textContent = label;
        g.append(t);
      }
      row.append(g);
    }
    frag.append(row);
  }
  root.append(frag, labels);
  svg.append(root);

  const node = (t: HeatmapTarget): SVGElement | undefined =>
    t.kind === 'cell' ? cellNodes[t.row]?.[t.col] : headers ? (t.kind === 'row' ? rowNodes[t.row] : colNodes[t.col]) : undefined;
  const rect = (t: HeatmapTarget): DOMRectReadOnly =>
    t.kind === 'cell'
      ? new DOMRect(left + t.col * cellWidth, top + t.row * cellHeight, cellWidth, cellHeight)
      : t.kind === 'row'
        ? new DOMRect(0, top + t.row * cellHeight, left, cellHeight)
        : new DOMRect(left + t.col * cellWidth, 0, cellWidth, top);
  const first = firstCell(cellNodes);
  const layout: HeatmapLayout = {
    width: totalW,
    height: totalH,
    cellWidth,
    cellHeight,
    left,
    top,
    node,
    rect,
    active: first,
    setActive(t, focus = false) {
      const next = node(t);
      if (!next) return;
      node(layout.active)?.setAttribute('tabindex', '-1');
      layout.active = t;
      next.setAttribute('tabindex', '0');
      if (focus) next.focus();
    },
  };
  node(first)?.setAttribute('tabindex', '0');

  listen(svg, { data, options, layout, root });
  return layout;
}

function firstCell(cells: (SVGGElement | undefined)[][]): HeatmapTarget {
  for (let r = 0; r < cells.length; r++) for (let c = 0; c < cells[r].length; c++) if (cells[r][c]) return { kind: 'cell', row: r, col: c };
  return { kind: 'cell', row: 0, col: 0 };
}
