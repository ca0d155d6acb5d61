/**
 * The calls-per-user histogram (chart 2.4), pure: equal-width bars (one per bin, the bins already
 * chosen by the query), each split into users below P10 (bottom, dotted), the middle, and users
 * above P90 (top, hatched) — texture as well as colour; the previous period's counts as a dashed
 * step line over the same bins; vertical percentile markers (P25 … P90) labelled above the plot.
 * Follows the chart contract (`draw` / `update` / `resize` / `clear`).
 *
 * Keyboard: the `<svg>` is a `group`; one bar at a time is in the tab order (roving tabindex, each
 * bar a `button` named by its `aria-label`). ←/↓ and →/↑ move, Home/End go to the ends, Enter or
 * Space activates. Pointer: hover and click find the bar by x (the whole column is the target, so
 * short bars are easy to hit).
 */
import type { ScaleLinear } from 'd3-scale';
import { drawValueAxis, valueScale } from '../../charts/value-axis.js';
import { layers, sizeSvg, svgEl, clearLayers, type ChartModule, type Margin, type PlotRect } from '../../charts/contract.js';

export interface HistogramBar {
  label: string;
  users: number;
  /** Of `users`: below P10 / above P90 (drawn apart). */
  low: number;
  high: number;
  /** The previous period's users on this bin. */
  previous: number;
  ariaLabel: string;
}

export interface HistogramMarker {
  key: string;
  label: string;
  value: number;
  /** Position on the bar axis: bar index + fraction through the bar (0 … bars). */
  position: number;
}

export interface HistogramData {
  bars: HistogramBar[];
  markers: HistogramMarker[];
  showPrevious: boolean;
}

export interface HistogramOptions {
  width: number;
  height: number;
  /** Accessible name of the chart. */
  label: string;
  /** The bar that holds the tab stop (default 0). */
  active?: number;
  onHover?(index: number | null, rect: { x: number; y: number; width: number; height: number } | null, source: 'pointer' | 'focus'): void;
  onActivate?(index: number): void;
}

export interface HistogramLayout {
  plot: PlotRect;
  y: ScaleLinear<number, number>;
  /** Width of one bar's column. */
  step: number;
  /** Left edge of bar `i`'s column. */
  x(i: number): number;
  /** Horizontal pixel of a position on the bar axis (markers). */
  px(position: number): number;
  /** The bar under an x pixel, -1 outside the plot. */
  indexAt(px: number): number;
  /** The bar holding the tab stop. */
  active: number;
  node(i: number): SVGGElement | undefined;
  setActive(i: number, focus: boolean): void;
}

const MARGIN: Margin = { top: 30, right: 12, bottom: 40, left: 48 };
const CHAR = 6.4;

interface State {
  data: HistogramData;
  options: HistogramOptions;
  layout: HistogramLayout;
  off: () => void;
}
const states = new WeakMap<SVGSVGElement, State>();
let ids = 0;

export function draw(svg: SVGSVGElement, data: HistogramData, options: HistogramOptions): HistogramLayout {
  clear(svg);
  return render(svg, data, options);
}

export function update(svg: SVGSVGElement, data: HistogramData, options: HistogramOptions): HistogramLayout {
  const s = states.get(svg);
  const hadFocus = svg.contains((svg.getRootNode() as Document | ShadowRoot).activeElement);
  const active = Math.min(options.active ?? s?.layout.active ?? 0, Math.max(0, data.bars.length - 1));
  clear(svg);
  const layout = render(svg, data, { ...options, active });
  if (hadFocus) layout.setActive(active, true);
  return layout;
}

export function resize(svg: SVGSVGElement, width: number, height: number): HistogramLayout | undefined {
  const s = states.get(svg);
  return s ? update(svg, s.data, { ...s.options, width, height, active: s.layout.active }) : undefined;
}

export function clear(svg: SVGSVGElement): void {
  states.get(svg)?.off();
  states.delete(svg);
  clearLayers(svg);
  svg.removeAttribute('role');
  svg.removeAttribute('aria-label');
}

export const histogram = { draw, update, resize, clear } satisfies ChartModule<HistogramData, HistogramOptions, HistogramLayout>;

function render(svg: SVGSVGElement, data: HistogramData, options: HistogramOptions): HistogramLayout {
  const { width, height } = options;
  const plot = sizeSvg(svg, width, height, MARGIN);
  const L = layers(svg);
  const n = data.bars.length;
  const step = plot.width / Math.max(1, n);
  const pad = Math.min(3, step * 0.12);
  const max = Math.max(1, ...data.bars.map((b) => b.users), ...(data.showPrevious ? data.bars.map((b) => b.previous) : []));
  const y = valueScale(max, plot);
  drawValueAxis(L['axis-y'], L.grid, y, plot, (v) => (Number.isInteger(v) ? String(v) : ''));
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', options.label);

  // Textures for the outlier parts (over their colour).
  const uid = `usage-cpu-${++ids}`;
  const hatch = svgEl('pattern', { id: `${uid}-hatch`, patternUnits: 'userSpaceOnUse', width: 6, height: 6, class: 'pattern-high' });
  hatch.append(svgEl('path', { d: 'M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5', stroke: 'rgba(255,255,255,0.75)', 'stroke-width': 1.3 }));
  const dots = svgEl('pattern', { id: `${uid}-dots`, patternUnits: 'userSpaceOnUse', width: 5, height: 5, class: 'pattern-low' });
  dots.append(svgEl('circle', { cx: 2.5, cy: 2.5, r: 1.1, fill: 'rgba(0,0,0,0.6)' }));
  L.defs.append(hatch, dots);

  const x = (i: number) => plot.left + i * step;
  const bottom = plot.top + plot.height;
  const active = Math.max(0, Math.min(options.active ?? 0, n - 1));
  const nodes: SVGGElement[] = [];
  for (const [i, b] of data.bars.entries()) {
    const g = svgEl('g', { class: 'bar', role: 'button', tabindex: i === active ? 0 : -1, 'aria-label': b.ariaLabel, 'data-index': i });
    g.append(svgEl('rect', { class: 'hit', x: x(i), y: plot.top, width: step, height: plot.height }));
    const bx = x(i) + pad;
    const bw = Math.max(1, step - 2 * pad);
    const mid = b.users - b.low - b.high;
    let base = 0;
    for (const [cls, v, texture] of [
      ['seg-low', b.low, `${uid}-dots`],
      ['seg-mid', mid, ''],
      ['seg-high', b.high, `${uid}-hatch`],
    ] as const) {
      if (v <= 0) continue;
      const top = y(base + v);
      const h = Math.max(0.5, y(base) - top);
      g.append(svgEl('rect', { class: `seg ${cls}`, x: bx, y: top, width: bw, height: h }));
      if (texture) g.append(svgEl('rect', { class: `texture ${cls}-texture`, x: bx, y: top, width: bw, height: h, fill: `url(#${texture})` }));
      base += v;
    }
    L.marks.append(g);
    nodes.push(g);
  }

  if (data.showPrevious && n) {
    let d = '';
    for (const [i, b] of data.bars.entries()) d += `${i ? 'L' : 'M'}${x(i)},${y(b.previous)}H${x(i) + step}`;
    L.overlay.append(svgEl('path', { class: 'previous-line', d, fill: 'none', 'aria-hidden': 'true' }));
  }

  // Percentile markers; markers at the same place share one label ("P25/P50"), labels that would
  // touch the previous one drop to a second row.
  const px = (pos: number) => plot.left + Math.max(0, Math.min(n, pos)) * step;
  const markers = svgEl('g', { class: 'markers', 'aria-hidden': 'true' });
  const groups: { x: number; keys: string[]; labels: string[] }[] = [];
  for (const m of data.markers) {
    const mx = px(m.position);
    const last = groups[groups.length - 1];
    if (last && Math.abs(last.x - mx) < 1) {
      last.keys.push(m.key);
      last.labels.push(m.label);
    } else groups.push({ x: mx, keys: [m.key], labels: [m.label] });
  }
  let lastX = -Infinity;
  let lastW = 0;
  let row = 0;
  for (const g of groups) {
    const label = g.labels.join('/');
    const w = label.length * CHAR;
    row = g.x - lastX < (w + lastW) / 2 + 4 ? 1 - row : 0;
    lastX = g.x;
    lastW = w;
    markers.append(svgEl('line', { class: `marker ${g.keys.map((k) => `marker-${k}`).join(' ')}`, x1: g.x, x2: g.x, y1: plot.top - 4 + row * 11, y2: bottom }));
    const t = svgEl('text', { class: 'marker-label', x: g.x, y: plot.top - 18 + row * 11, 'text-anchor': 'middle' });
    t.textContent = label;
    markers.append(t);
  }
  L.focus.append(markers);

  // Bar labels under the bars (every k-th when they do not fit), and the axis titles.
  const axis = L['axis-x'];
  axis.setAttribute('aria-hidden', 'true');
  const longest = data.bars.reduce((m, b) => Math.max(m, b.label.length), 1);
  const every = Math.max(1, Math.ceil((longest * CHAR + 6) / step));
  for (const [i, b] of data.bars.entries()) {
    if (i % every) continue;
    const t = svgEl('text', { class: 'bar-label', x: x(i) + step / 2, y: bottom + 14, 'text-anchor': 'middle' });
    t.textContent = b.label;
    axis.append(t);
  }
  const xTitle = svgEl('text', { class: 'axis-title', x: plot.left + plot.width / 2, y: height - 4, 'text-anchor': 'middle' });
  xTitle.textContent = 'Calls per user';
  const yTitle = svgEl('text', { class: 'axis-title', x: 4, y: 12 });
  yTitle.textContent = 'Users';
  axis.append(xTitle, yTitle);

  const layout: HistogramLayout = {
    plot,
    y,
    step,
    x,
    px,
    indexAt: (p) => (p < plot.left || p >= plot.left + plot.width || !n ? -1 : Math.min(n - 1, Math.floor((p - plot.left) / step))),
    active,
    node: (i) => nodes[i],
    setActive(i, focus) {
      if (!nodes[i]) return;
      nodes[layout.active]?.setAttribute('tabindex', '-1');
      layout.active = i;
      nodes[i].setAttribute('tabindex', '0');
      if (focus) (nodes[i] as unknown as HTMLElement).focus();
    },
  };
  const rectOf = (i: number) => {
    const b = data.bars[i];
    const top = y(Math.max(b.users, data.showPrevious ? b.previous : 0));
    return { x: x(i), y: top, width: step, height: bottom - top };
  };
  const indexOfEvent = (e: Event): number => {
    const g = (e.target as Element | null)?.closest?.('g.bar');
    return g ? Number(g.getAttribute('data-index')) : -1;
  };
  const pointIndex = (e: PointerEvent | MouseEvent): number => {
    const r = svg.getBoundingClientRect();
    const sx = r.width ? (e.clientX - r.left) * (width / r.width) : 0;
    return layout.indexAt(sx);
  };
  const onMove = (e: PointerEvent) => {
    const i = pointIndex(e);
    options.onHover?.(i < 0 ? null : i, i < 0 ? null : rectOf(i), 'pointer');
  };
  const onLeave = () => options.onHover?.(null, null, 'pointer');
  const onClick = (e: MouseEvent) => {
    const i = pointIndex(e);
    if (i >= 0) {
      layout.setActive(i, false);
      options.onActivate?.(i);
    }
  };
  const onFocusIn = (e: FocusEvent) => {
    const i = indexOfEvent(e);
    if (i < 0) return;
    if (i !== layout.active) layout.setActive(i, false);
    options.onHover?.(i, rectOf(i), 'focus');
  };
  const onFocusOut = (e: FocusEvent) => {
    if (!svg.contains(e.relatedTarget as Node | null)) options.onHover?.(null, null, 'focus');
  };
  const onKey = (e: KeyboardEvent) => {
    const i = indexOfEvent(e);
    if (i < 0) return;
    const to = ({ ArrowRight: i + 1, ArrowUp: i + 1, ArrowLeft: i - 1, ArrowDown: i - 1, Home: 0, End: n - 1 } as Record<string, number>)[e.key];
    if (to !== undefined) {
      e.preventDefault();
      layout.setActive(Math.max(0, Math.min(n - 1, to)), true);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      options.onActivate?.(i);
    }
  };
  svg.addEventListener('pointermove', onMove);
  svg.addEventListener('pointerleave', onLeave);
  svg.addEventListener('click', onClick);
  svg.addEventListener('focusin', onFocusIn);
  svg.addEventListener('focusout', onFocusOut);
  svg.addEventListener('keydown', onKey);
  states.set(svg, {
    data,
    options,
    layout,
    off: () => {
      svg.removeEventListener('pointermove', onMove);
      svg.removeEventListener('pointerleave', onLeave);
      svg.removeEventListener('click', onClick);
      svg.removeEventListener('focusin', onFocusIn);
      svg.removeEventListener('focusout', onFocusOut);
      svg.removeEventListener('keydown', onKey);
    },
  });
  return layout;
}
