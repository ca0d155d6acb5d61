/**
 * The journey Sankey drawing (chart 2.11), pure: nodes in fixed columns (the steps), links as
 * d3-sankey horizontal ribbons whose width is the sessions that made the transition. Follows the
 * chart contract (`draw` / `update` / `resize` / `clear`).
 *
 * - Layout: d3-sankey with the column given by the data (`node.column`, made relative to the first
 *   column present, so an end-aligned view with short journeys still fills the width) and a fixed
 *   order inside a column (the data's order: busiest agent first, "other" then the exit and
 *   continues nodes at the bottom), so the picture does not reshuffle between updates.
 * - Marks: links first (semi-transparent, the source node's colour; links into exits neutral), then
 *   nodes (a fill from the data — a colour or a texture pattern — plus a label beside it where the
 *   node is tall enough). Names are set as text (`textContent`), never markup.
 * - Accessibility: the `<svg>` is a `group` named by `options.label`; every node and link is one
 *   item of a roving tab stop, in reading order: column by column, each node followed by its
 *   outgoing links, top to bottom. ArrowDown / ArrowUp next / previous item, ArrowRight / ArrowLeft
 *   the first item of the next / previous column, Home / End the first / last; Enter or Space
 *   activate (`options.onActivate`). Items that activate are `button`s; the others `img`s; each is
 *   named by its `ariaLabel`.
 * - Pointer: hover reports the item under the pointer (tooltips), click activates.
 */
import { sankey, sankeyLinkHorizontal, type SankeyGraph, type SankeyLink as D3Link, type SankeyNode as D3Node } from 'd3-sankey';
import { svgEl, type ChartModule } from '../../charts/contract.js';
import { fitText } from '../../charts/heatmap.js';

export interface SankeyDrawNode {
  id: string;
  /** 1-based column. */
  column: number;
  value: number;
  /** Text beside the node (cut to fit). */
  label: string;
  /** Short second part of the label, e.g. the sessions ("· 1,204"). */
  detail?: string;
  ariaLabel: string;
  /** An SVG fill (a colour, or `url(#…)` of a pattern the caller put in `defs`) — see `fill()` option. */
  swatch: { colour: string; hatch: 'none' | 'diagonal' | 'dots' };
  kind: string;
  /** Whether Enter / click does something. */
  active: boolean;
}

export interface SankeyDrawLink {
  source: string;
  target: string;
  value: number;
  ariaLabel: string;
  /** Neutral (into an exit) rather than the source's colour. */
  neutral?: boolean;
}

export interface SankeyDrawData {
  nodes: SankeyDrawNode[];
  links: SankeyDrawLink[];
  /** Header of a column (1-based), e.g. "Step 3". */
  columnLabel(column: number): string;
}

export type SankeyItem = { type: 'node'; index: number; node: SankeyDrawNode } | { type: 'link'; index: number; link: SankeyDrawLink };

export interface SankeyOptions {
  width: number;
  height: number;
  /** Accessible name of the chart. */
  label: string;
  /** The item (index in `layout.items`) holding the tab stop. */
  active?: number;
  onHover?(item: SankeyItem | null, point: { x: number; y: number } | null, source: 'pointer' | 'focus'): void;
  onActivate?(item: SankeyItem): void;
}

type N = D3Node<SankeyDrawNode, SankeyDrawLink>;
type L = D3Link<SankeyDrawNode, SankeyDrawLink>;

export interface SankeyLayout {
  width: number;
  height: number;
  /** Focus order: nodes and links. */
  items: SankeyItem[];
  /** Node geometry by id. */
  nodes: Map<string, { x0: number; x1: number; y0: number; y1: number }>;
  active: number;
  element(i: number): SVGElement | undefined;
  /** Anchor of an item's tooltip (SVG px). */
  point(i: number): { x: number; y: number };
  setActive(i: number, focus?: boolean): void;
}

const TOP = 22;
const BOTTOM = 6;
const NODE_WIDTH = 12;
const CHAR = 6.2;

interface State {
  data: SankeyDrawData;
  options: SankeyOptions;
  layout: SankeyLayout;
  off: () => void;
}
const states = new WeakMap<SVGSVGElement, State>();
let ids = 0;

export function draw(svg: SVGSVGElement, data: SankeyDrawData, options: SankeyOptions): SankeyLayout {
  clear(svg);
  return render(svg, data, options);
}

export function update(svg: SVGSVGElement, data: SankeyDrawData, options: SankeyOptions): SankeyLayout {
  const s = states.get(svg);
  const hadFocus = svg.contains((svg.getRootNode() as Document | ShadowRoot).activeElement);
  const before = s ? s.layout.items[s.layout.active] : undefined;
  clear(svg);
  const layout = render(svg, data, { ...options, active: options.active ?? 0 });
  // Keep the tab stop on the same node or link when it is still drawn.
  const again = before ? layout.items.findIndex((it) => sameItem(it, before)) : -1;
  const i = again >= 0 ? again : Math.min(s?.layout.active ?? 0, layout.items.length - 1);
  if (i >= 0) layout.setActive(i, hadFocus);
  return layout;
}

export function resize(svg: SVGSVGElement, width: number, height: number): SankeyLayout | undefined {
  const s = states.get(svg);
  return s ? update(svg, s.data, { ...s.options, width, height }) : undefined;
}

export function clear(svg: SVGSVGElement): void {
  states.get(svg)?.off();
  states.delete(svg);
  svg.replaceChildren();
  svg.removeAttribute('role');
  svg.removeAttribute('aria-label');
}

export const sankeyChart = { draw, update, resize, clear } satisfies ChartModule<SankeyDrawData, SankeyOptions, SankeyLayout>;

const sameItem = (a: SankeyItem, b: SankeyItem): boolean =>
  a.type === 'node' ? b.type === 'node' && a.node.id === b.node.id : b.type === 'link' && a.link.source === b.link.source && a.link.target === b.link.target;

/** An SVG fill for a swatch: the colour, or a pattern (created once per fill in `defs`). */
function fillOf(defs: SVGDefsElement, uid: string, swatch: SankeyDrawNode['swatch'], cache: Map<string, string>): string {
  if (swatch.hatch === 'none') return swatch.colour;
  const key = `${swatch.hatch}|${swatch.colour}`;
  const known = cache.get(key);
  if (known) return known;
  const id = `${uid}-p${cache.size}`;
  const p = svgEl('pattern', { id, patternUnits: 'userSpaceOnUse', width: 6, height: 6 });
  p.append(svgEl('rect', { width: 6, height: 6, fill: swatch.colour }));
  p.append(
    swatch.hatch === 'diagonal'
      ? svgEl('path', { d: 'M0,6 L6,0 M-1,1 L1,-1 M5,7 L7,5', stroke: 'rgba(255,255,255,0.75)', 'stroke-width': 1.3 })
      : svgEl('circle', { cx: 3, cy: 3, r: 1.2, fill: 'rgba(0,0,0,0.55)' }),
  );
  defs.append(p);
  const url = `url(#${id})`;
  cache.set(key, url);
  return url;
}

/** The d3-sankey layout of `data` in a `width` × `height` box (exported for the bench). */
export function layoutSankey(data: SankeyDrawData, width: number, height: number): SankeyGraph<SankeyDrawNode, SankeyDrawLink> {
  const first = Math.min(...data.nodes.map((n) => n.column));
  const order = new Map(data.nodes.map((n, i) => [n.id, i]));
  const maxInColumn = Math.max(1, ...countBy(data.nodes.map((n) => n.column)).values());
  const usable = Math.max(40, height - TOP - BOTTOM);
  const pad = Math.max(2, Math.min(14, (usable * 0.35) / maxInColumn));
  const gen = sankey<SankeyDrawNode, SankeyDrawLink>()
    .nodeId((n) => n.id)
    .nodeWidth(NODE_WIDTH)
    .nodePadding(pad)
    .nodeAlign((n) => (n as N).column - first)
    .nodeSort((a, b) => order.get(a.id)! - order.get(b.id)!)
    .linkSort(null)
    .iterations(4)
    .extent([
      [1, TOP],
      [Math.max(NODE_WIDTH + 2, width - 1), TOP + usable],
    ]);
  return gen({ nodes: data.nodes.map((n) => ({ ...n })), links: data.links.map((l) => ({ ...l })) });
}

function countBy(xs: number[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function render(svg: SVGSVGElement, data: SankeyDrawData, options: SankeyOptions): SankeyLayout {
  const { width, height } = options;
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', options.label);
  const uid = `usage-sankey-${++ids}`;
  const defs = svgEl('defs');
  const gHeads = svgEl('g', { class: 'columns', 'aria-hidden': 'true' });
  const gLinks = svgEl('g', { class: 'links' });
  const gNodes = svgEl('g', { class: 'nodes' });
  const gLabels = svgEl('g', { class: 'labels', 'aria-hidden': 'true' });
  svg.append(defs, gHeads, gLinks, gNodes, gLabels);

  const graph = data.nodes.length ? layoutSankey(data, width, height) : { nodes: [] as N[], links: [] as L[] };
  const nodes = graph.nodes as N[];
  const links = graph.links as L[];
  const path = sankeyLinkHorizontal<SankeyDrawNode, SankeyDrawLink>();
  const fills = new Map<string, string>();
  const fillById = new Map<string, string>();
  const colourById = new Map<string, string>();

  // Column headers over the first node of each column.
  const heads = new Map<number, number>();
  for (const n of nodes) if (!heads.has(n.column)) heads.set(n.column, n.x0!);
  const colWidth = heads.size > 1 ? (width - NODE_WIDTH) / (heads.size - 1) : width;
  for (const [column, x] of heads) {
    const anchor = x < 30 ? 'start' : x + NODE_WIDTH / 2 > width - 30 ? 'end' : 'middle';
    const t = svgEl('text', {
      class: 'column-label',
      x: anchor === 'start' ? x : anchor === 'end' ? x + NODE_WIDTH : x + NODE_WIDTH / 2,
      y: 12,
      'text-anchor': anchor,
    });
    t.textContent = fitText(data.columnLabel(column), Math.max(30, colWidth - 4), CHAR);
    gHeads.append(t);
  }

  const elements = new Map<object, SVGElement>();
  for (const n of nodes) {
    fillById.set(n.id, fillOf(defs, uid, n.swatch, fills));
    colourById.set(n.id, n.swatch.colour);
  }
  // Links, widest at the back.
  for (const l of links) {
    const s = l.source as N;
    const el = svgEl('path', {
      class: `link${l.neutral ? ' link-exit' : ''}`,
      d: path(l) ?? '',
      'stroke-width': Math.max(1, l.width ?? 1),
      stroke: l.neutral ? '#8c8c8c' : (colourById.get(s.id) ?? '#8c8c8c'),
      role: 'button',
      tabindex: -1,
      'aria-label': l.ariaLabel,
    });
    elements.set(l, el);
    gLinks.append(el);
  }
  for (const n of nodes) {
    const h = Math.max(1, n.y1! - n.y0!);
    const g = svgEl('g', {
      class: `node node-${n.kind}`,
      role: n.active ? 'button' : 'img',
      tabindex: -1,
      'aria-label': n.ariaLabel,
      transform: `translate(${n.x0},${n.y0})`,
    });
    g.append(svgEl('rect', { class: 'node-rect', width: n.x1! - n.x0!, height: h, fill: fillById.get(n.id)! }));
    elements.set(n, g);
    gNodes.append(g);
    if (h >= 9) {
      const right = n.x1! + 4 + 80 < width;
      const room = Math.max(0, colWidth - NODE_WIDTH - 8);
      const t = svgEl('text', {
        class: 'node-label',
        x: right ? n.x1! + 4 : n.x0! - 4,
        y: (n.y0! + n.y1!) / 2,
        dy: '0.35em',
        'text-anchor': right ? 'start' : 'end',
      });
      // The name first; the count only when the whole name fits beside it.
      const detail = n.detail ? ` ${n.detail}` : '';
      const whole = (n.label.length + detail.length) * CHAR <= room;
      t.textContent = whole ? `${n.label}${detail}` : fitText(n.label, room, CHAR);
      if (t.textContent) gLabels.append(t);
    }
  }

  // Reading order: column by column; each node, then its outgoing links (top to bottom).
  const items: SankeyItem[] = [];
  const byColumn = [...nodes].sort((a, b) => a.column - b.column || a.y0! - b.y0!);
  const itemEls: SVGElement[] = [];
  const columnStart = new Map<number, number>();
  for (const n of byColumn) {
    if (!columnStart.has(n.column)) columnStart.set(n.column, items.length);
    items.push({ type: 'node', index: items.length, node: data.nodes.find((d) => d.id === n.id)! });
    itemEls.push(elements.get(n)!);
    const out = [...(n.sourceLinks as L[])].sort((a, b) => a.y1! - b.y1!);
    for (const l of out) {
      const orig = data.links[l.index!];
      items.push({ type: 'link', index: items.length, link: orig });
      itemEls.push(elements.get(l)!);
    }
  }
  const geometry = new Map(nodes.map((n) => [n.id, { x0: n.x0!, x1: n.x1!, y0: n.y0!, y1: n.y1! }]));
  const itemGeo: { x: number; y: number }[] = [];
  for (const n of byColumn) {
    itemGeo.push({ x: n.x1!, y: (n.y0! + n.y1!) / 2 });
    for (const l of [...(n.sourceLinks as L[])].sort((a, b) => a.y1! - b.y1!)) {
      const s = l.source as N;
      const t = l.target as N;
      itemGeo.push({ x: (s.x1! + t.x0!) / 2, y: (l.y0! + l.y1!) / 2 });
    }
  }
  const indexOf = new Map<Element, number>(itemEls.map((el, i) => [el, i]));
  const columns = [...columnStart.keys()].sort((a, b) => a - b);
  const columnOf = (i: number): number => {
    let c = columns[0];
    for (const k of columns) if (columnStart.get(k)! <= i) c = k;
    return c;
  };

  const layout: SankeyLayout = {
    width,
    height,
    items,
    nodes: geometry,
    active: -1,
    element: (i) => itemEls[i],
    point: (i) => itemGeo[i] ?? { x: 0, y: 0 },
    setActive(i, focus = false) {
      const next = itemEls[i];
      if (!next) return;
      if (layout.active >= 0) itemEls[layout.active]?.setAttribute('tabindex', '-1');
      layout.active = i;
      next.setAttribute('tabindex', '0');
      if (focus) (next as unknown as HTMLElement).focus();
    },
  };
  if (items.length) layout.setActive(Math.max(0, Math.min(options.active ?? 0, items.length - 1)));

  const ac = new AbortController();
  const on = (type: string, fn: (e: Event) => void) => svg.addEventListener(type, fn, { signal: ac.signal });
  const hit = (e: Event): number => {
    let el = e.target as Element | null;
    while (el && el !== svg) {
      const i = indexOf.get(el);
      if (i !== undefined) return i;
      el = el.parentElement;
    }
    return -1;
  };
  on('pointermove', (e) => {
    const i = hit(e);
    options.onHover?.(i >= 0 ? items[i] : null, i >= 0 ? layout.point(i) : null, 'pointer');
  });
  on('pointerleave', () => options.onHover?.(null, null, 'pointer'));
  on('click', (e) => {
    const i = hit(e);
    if (i < 0) return;
    layout.setActive(i);
    options.onActivate?.(items[i]);
  });
  on('focusin', (e) => {
    const i = hit(e);
    if (i < 0) return;
    if (layout.active !== i) layout.setActive(i);
    options.onHover?.(items[i], layout.point(i), 'focus');
  });
  on('focusout', (e) => {
    const next = (e as FocusEvent).relatedTarget as Node | null;
    if (!next || !svg.contains(next)) options.onHover?.(null, null, 'focus');
  });
  on('keydown', (e) => {
    const ev = e as KeyboardEvent;
    if (ev.altKey || ev.ctrlKey || ev.metaKey || !items.length) return;
    const i = layout.active;
    let next: number;
    const c = columnOf(i);
    const ci = columns.indexOf(c);
    switch (ev.key) {
      case 'ArrowDown':
        next = Math.min(items.length - 1, i + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, i - 1);
        break;
      case 'ArrowRight':
        next = ci < columns.length - 1 ? columnStart.get(columns[ci + 1])! : i;
        break;
      case 'ArrowLeft':
        next = ci > 0 ? columnStart.get(columns[ci - 1])! : columnStart.get(c)!;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = items.length - 1;
        break;
      case 'Enter':
      case ' ':
        ev.preventDefault();
        options.onActivate?.(items[i]);
        return;
      default:
        return;
    }
    ev.preventDefault();
    if (next !== i) layout.setActive(next, true);
  });
  states.set(svg, { data, options, layout, off: () => ac.abort() });
  return layout;
}
