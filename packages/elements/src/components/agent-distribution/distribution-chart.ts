/**
 * The agent distribution drawing (chart 2.6), pure: the hierarchy department → agent → intent
 * below the node the view is zoomed into, as a nested **treemap** (d3-hierarchy `treemap`,
 * squarified) or a **sunburst** (d3-hierarchy `partition` and d3-shape `arc`), drawn into an
 * `<svg>` the element owns, following the chart contract (`draw` / `update` / `resize` / `clear`).
 *
 * - Size = requests: every tile's area (every arc's angle) is its own request count, so a parent
 *   whose children do not add up to it keeps the rest as empty space rather than stretching them.
 * - Colour = `options.colour(node)` (the element passes requests per user on a sequential scale);
 *   labels are black or white, whichever contrasts more ({@link textOn}), and only drawn where they
 *   fit; long names are cut with an ellipsis. Names are set as text (`textContent`), never markup.
 * - Accessibility: the SVG is an ARIA `tree`. Every tile or arc is a `treeitem` (nested in `group`s
 *   like the data), with its full description as `aria-label`; one of them at a time is in the tab
 *   order (roving tabindex). Keys: ArrowDown / ArrowUp next / previous sibling, ArrowRight first
 *   child, ArrowLeft parent, Home / End first / last sibling, Enter or Space activate (the element
 *   zooms), Backspace or Escape go up (`options.onUp`, which says whether it did).
 * - Pointer: hover and click report the innermost tile under the pointer; in the sunburst, the
 *   centre circle goes up.
 *
 * Rendering is plain DOM creation from cloned prototypes (no joins), one element per leaf (the
 * shape is the treeitem), labels in one aria-hidden layer on top: 200 agents × 20 intents (4,000 leaves) stay well under 100 ms (scripts/bench/draw-agent-distribution.ts).
 */
import { hierarchy, partition, treemap, treemapSquarify, type HierarchyNode as D3Node, type HierarchyRectangularNode } from 'd3-hierarchy';
import { arc } from 'd3-shape';
import type { HierarchyNode } from '@usage-analytics/queries';
import { svgEl, type ChartModule } from '../../charts/contract.js';
import { fitText } from '../../charts/heatmap.js';
import { textOn } from '../../internal/palette.js';

export type DistributionKind = 'treemap' | 'sunburst';

export interface DistributionOptions {
  kind: DistributionKind;
  width: number;
  height: number;
  /** Fill of a node (the element: intensity on a sequential scale). */
  colour(node: HierarchyNode): string;
  /** Accessible name of a node (its full description in words). */
  describe(node: HierarchyNode): string;
  /** Second label line of a tile, e.g. its share (drawn where it fits). */
  detail?(node: HierarchyNode): string;
  /** Accessible name of the tree. */
  label?: string;
  /** Pointer or keyboard focus reached a node (`null`: left the chart). `rect` is in SVG pixels. */
  onHover?(node: DrawnNode | null, rect: DOMRectReadOnly | null, source: 'pointer' | 'focus'): void;
  /** A node was clicked, or activated with Enter or Space. */
  onActivate?(node: DrawnNode): void;
  /** Backspace, Escape or the sunburst's centre: go up one level; returns whether it did. */
  onUp?(): boolean;
}

/** What the view is zoomed into: the node whose descendants are drawn. */
export interface DistributionData {
  root: HierarchyNode;
}

/** A drawn node (every descendant of the zoom root) with its geometry. */
export interface DrawnNode {
  index: number;
  data: HierarchyNode;
  /** 1 = a child of the zoom root. */
  depth: number;
  /** Keys from the zoom root (exclusive) down to this node. */
  keys: readonly string[];
  /** Index of the parent (-1 for the zoom root's children). */
  parent: number;
  children: number[];
  /** Treemap: the rectangle; sunburst: angles (radians, clockwise from 12 o'clock) and radii. */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export interface DistributionLayout {
  kind: DistributionKind;
  width: number;
  height: number;
  nodes: readonly DrawnNode[];
  /** Indices of the zoom root's children. */
  top: readonly number[];
  /** The node in the tab order (-1 when nothing is drawn). */
  active: number;
  /** The node's element (the treeitem: a `<g>` for a parent, the shape itself for a leaf). */
  node(index: number): SVGElement | undefined;
  /** A box around the node in SVG pixels (for tooltips). */
  rect(index: number): DOMRectReadOnly;
  /** The node at `keys` below the zoom root, if drawn. */
  find(keys: readonly string[]): number;
  /** Puts a node in the tab order, optionally focusing it. */
  setActive(index: number, focus?: boolean): void;
}

const FONT = 11;
const CHAR = 6.4;
/** Header strip of a treemap group (department 16 px, agent 14 px). */
const HEADER = [0, 16, 14, 0];
const TAU = 2 * Math.PI;
const px = (v: number): number => Math.round(v * 100) / 100;

interface State {
  data: DistributionData;
  options: DistributionOptions;
  layout: DistributionLayout;
  listeners: { type: string; fn: EventListener }[];
  /** Tile element → node index (for hit-testing). */
  indexOf: Map<Element, number>;
}

const states = new WeakMap<SVGSVGElement, State>();

export function draw(svg: SVGSVGElement, data: DistributionData, options: DistributionOptions): DistributionLayout {
  clear(svg);
  return render(svg, data, options);
}

/** Renders new data or options; keeps the keyboard position (by keys) when it still exists. */
export function update(svg: SVGSVGElement, data: DistributionData, options: DistributionOptions): DistributionLayout {
  const s = states.get(svg);
  const previous = s && s.layout.active >= 0 ? s.layout.nodes[s.layout.active]?.keys : undefined;
  const hadFocus = svg.contains((svg.getRootNode() as Document | ShadowRoot).activeElement);
  clear(svg);
  const layout = render(svg, data, options);
  const again = previous ? layout.find(previous) : -1;
  if (again >= 0) layout.setActive(again, hadFocus);
  return layout;
}

export function resize(svg: SVGSVGElement, width: number, height: number): DistributionLayout | undefined {
  const s = states.get(svg);
  return s ? update(svg, s.data, { ...s.options, width, height }) : undefined;
}

export function clear(svg: SVGSVGElement): void {
  const s = states.get(svg);
  if (s) for (const l of s.listeners) svg.removeEventListener(l.type, l.fn);
  states.delete(svg);
  svg.querySelector(':scope > g.distribution')?.remove();
  svg.removeAttribute('role');
  svg.removeAttribute('aria-label');
}

export const distributionChart = { draw, update, resize, clear } satisfies ChartModule<DistributionData, DistributionOptions, DistributionLayout>;

/** The d3 hierarchy of the zoom root; every node's value is its own request count. */
function toD3(root: HierarchyNode): D3Node<HierarchyNode> {
  const h = hierarchy(root, (d) => (d.children.length ? d.children : null));
  h.each((n) => ((n as { value?: number }).value = Math.max(0, n.data.requests)));
  return h;
}

/** Lays out the zoom root's descendants (geometry only; pure, used by the bench too). */
export function layoutNodes(root: HierarchyNode, kind: DistributionKind, width: number, height: number): DrawnNode[] {
  const h = toD3(root);
  const nodes: DrawnNode[] = [];
  const index = new Map<D3Node<HierarchyNode>, number>();
  if (kind === 'treemap') {
    treemap<HierarchyNode>()
      .tile(treemapSquarify)
      .size([width, height])
      .paddingInner(1)
      .paddingTop((n) => (n.children && n.depth > 0 ? (HEADER[n.depth] ?? 0) : 0))
      .paddingRight((n) => (n.children && n.depth > 0 ? 2 : 0))
      .paddingBottom((n) => (n.children && n.depth > 0 ? 2 : 0))
      .paddingLeft((n) => (n.children && n.depth > 0 ? 2 : 0))(h);
  } else {
    const levels = Math.max(1, h.height);
    partition<HierarchyNode>().size([TAU, levels + 1])(h);
    const radius = Math.max(1, Math.min(width, height) / 2 - 2);
    const hole = radius * (levels === 1 ? 0.34 : 0.24);
    const ring = (radius - hole) / levels;
    const r = (y: number) => hole + (y - 1) * ring;
    h.each((n) => {
      const p = n as HierarchyRectangularNode<HierarchyNode>;
      p.y0 = r(p.y0);
      p.y1 = r(p.y1);
    });
  }
  h.each((n) => {
    if (n.depth === 0) return;
    const p = n as HierarchyRectangularNode<HierarchyNode>;
    const parent = n.parent && n.parent.depth > 0 ? index.get(n.parent)! : -1;
    const i = nodes.length;
    index.set(n, i);
    const keys = parent >= 0 ? [...nodes[parent].keys, n.data.key] : [n.data.key];
    nodes.push({ index: i, data: n.data, depth: n.depth, keys, parent, children: [], x0: p.x0, x1: p.x1, y0: p.y0, y1: p.y1 });
    if (parent >= 0) nodes[parent].children.push(i);
  });
  return nodes;
}

function render(svg: SVGSVGElement, data: DistributionData, options: DistributionOptions): DistributionLayout {
  const { kind, colour, describe } = options;
  const width = Math.max(1, Math.floor(options.width));
  const height = Math.max(1, Math.floor(options.height));
  if (!(options.width > 0) || !(options.height > 0)) throw new RangeError(`distribution chart: size must be positive, got ${options.width}×${options.height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'tree');
  svg.setAttribute('aria-label', options.label ?? 'Agent distribution');

  const nodes = layoutNodes(data.root, kind, width, height);
  const top = nodes.filter((n) => n.parent < 0).map((n) => n.index);
  const root = svgEl('g', { class: `distribution ${kind}` });
  const cx = width / 2;
  const cy = height / 2;
  const plot = kind === 'sunburst' ? svgEl('g', { transform: `translate(${cx},${cy})` }) : root;
  if (plot !== root) root.append(plot);
  const labels = svgEl('g', { class: 'labels', 'aria-hidden': 'true', 'font-size': FONT });
  const elements: SVGElement[] = new Array(nodes.length);
  const groups: (SVGGElement | undefined)[] = new Array(nodes.length);
  const groupProto = svgEl('g', { role: 'group' });
  const shapeName = kind === 'treemap' ? 'rect' : 'path';
  const shapeProto = svgEl(shapeName, { class: 'tile-fill' });
  // Prototypes per level, so the constant attributes are set once (cloning is much cheaper than setting).
  const protos = new Map<string, SVGElement>();
  const protoOf = (level: string, leaf: boolean): SVGElement => {
    const key = `${level}${leaf ? ' leaf' : ''}`;
    let p = protos.get(key);
    if (!p) {
      p = leaf
        ? svgEl(shapeName, { class: 'tile tile-fill', role: 'treeitem', tabindex: -1, 'data-level': level })
        : svgEl('g', { role: 'treeitem', class: 'tile', tabindex: -1, 'aria-expanded': 'true', 'data-level': level });
      protos.set(key, p);
    }
    return p;
  };
  const indexOf = new Map<Element, number>();
  const labelProto = svgEl('text', { class: 'tile-label' });
  const arcOf = arc<DrawnNode>()
    .digits(2)
    .startAngle((d) => d.x0)
    .endAngle((d) => d.x1)
    .innerRadius((d) => d.y0)
    .outerRadius((d) => Math.max(d.y0, d.y1 - 1))
    .padAngle((d) => Math.min((d.x1 - d.x0) / 2, 0.004))
    .padRadius(Math.min(width, height) / 4);
  const inks = new Map<string, string>();
  const inkOf = (fill: string) => {
    let ink = inks.get(fill);
    if (!ink) inks.set(fill, (ink = textOn(fill)));
    return ink;
  };
  const label = (i: number, text: string, x: number, y: number, fill: string, extra?: Record<string, string>) => {
    const t = labelProto.cloneNode() as SVGTextElement;
    t.setAttribute('data-i', String(i));
    t.setAttribute('x', String(x));
    t.setAttribute('y', String(y));
    t.setAttribute('fill', inkOf(fill));
    if (extra) for (const [k, v] of Object.entries(extra)) t.setAttribute(k, v);
    t.textContent = text;
    labels.append(t);
    return t;
  };

  for (const n of nodes) {
    const fill = colour(n.data);
    // A leaf is one element (the shape is the treeitem); a parent is a <g> holding its shape and a group of its children.
    const shape = (n.children.length ? shapeProto : protoOf(n.data.level, true)).cloneNode() as SVGElement;
    shape.setAttribute('fill', fill);
    if (kind === 'treemap') {
      // Hundredths of a pixel: short strings parse faster, and nothing finer shows.
      shape.setAttribute('x', String(px(n.x0)));
      shape.setAttribute('y', String(px(n.y0)));
      shape.setAttribute('width', String(px(Math.max(0, n.x1 - n.x0))));
      shape.setAttribute('height', String(px(Math.max(0, n.y1 - n.y0))));
    } else {
      shape.setAttribute('d', arcOf(n) ?? '');
    }
    let item: SVGElement = shape;
    if (n.children.length) {
      item = protoOf(n.data.level, false).cloneNode() as SVGGElement;
      const group = groupProto.cloneNode() as SVGGElement;
      item.append(shape, group);
      groups[n.index] = group;
    }
    indexOf.set(item, n.index);
    // Level, position and set size follow from the nesting (tree > treeitem > group > treeitem).
    item.setAttribute('aria-label', describe(n.data));
    elements[n.index] = item;
    (n.parent >= 0 ? groups[n.parent]! : plot).append(item);

    // Labels where they fit.
    const name = n.data.name || n.data.key;
    if (kind === 'treemap') {
      const w = n.x1 - n.x0;
      const h = n.y1 - n.y0;
      if (n.children.length) {
        const strip = HEADER[n.depth] ?? 0;
        if (strip >= 12 && w >= 28) {
          const text = fitText(name, w - 6, CHAR);
          if (text) label(n.index, text, n.x0 + 3, n.y0 + strip - 4, fill);
        }
      } else if (w >= 28 && h >= 15) {
        const text = fitText(name, w - 6, CHAR);
        if (text) label(n.index, text, n.x0 + 3, n.y0 + 12, fill);
        const detail = options.detail?.(n.data);
        if (text && detail && h >= 28 && detail.length * CHAR <= w - 6) label(n.index, detail, n.x0 + 3, n.y0 + 25, fill, { class: 'tile-label tile-detail' });
      }
    } else {
      const thickness = n.y1 - n.y0;
      const mid = (n.y0 + n.y1) / 2;
      if ((n.x1 - n.x0) * mid >= FONT + 2 && thickness >= 24) {
        const text = fitText(name, thickness - 8, CHAR);
        if (text) {
          const deg = (((n.x0 + n.x1) / 2) * 180) / Math.PI;
          label(n.index, text, 0, 0, fill, {
            transform: `translate(${cx},${cy}) rotate(${deg - 90}) translate(${mid},0) rotate(${deg < 180 ? 0 : 180})`,
            'text-anchor': 'middle',
            'dominant-baseline': 'central',
          });
        }
      }
    }
  }
  if (kind === 'sunburst') {
    const hole = nodes.length ? Math.min(...top.map((i) => nodes[i].y0)) : Math.min(width, height) / 4;
    const centre = svgEl('circle', { class: 'centre', r: Math.max(0, hole - 2), cx, cy, fill: 'transparent' });
    root.prepend(centre);
    const name = data.root.level === 'root' ? 'All departments' : data.root.name || data.root.key;
    const t = svgEl('text', { class: 'centre-label', x: cx, y: cy, 'text-anchor': 'middle', 'dominant-baseline': 'central' });
    t.textContent = fitText(name, Math.max(0, 2 * hole - 16), 7.4);
    labels.append(t);
  }
  root.append(labels);
  svg.append(root);

  const rect = (i: number): DOMRectReadOnly => {
    const n = nodes[i];
    if (!n) return new DOMRect(0, 0, 0, 0);
    if (kind === 'treemap') return new DOMRect(n.x0, n.y0, n.x1 - n.x0, n.y1 - n.y0);
    const a = (n.x0 + n.x1) / 2;
    const m = (n.y0 + n.y1) / 2;
    return new DOMRect(cx + m * Math.sin(a) - 4, cy - m * Math.cos(a) - 4, 8, 8);
  };
  const find = (keys: readonly string[]): number => {
    let level = top;
    let found = -1;
    for (const k of keys) {
      found = level.find((i) => nodes[i].data.key === k) ?? -1;
      if (found < 0) return -1;
      level = nodes[found].children;
    }
    return found;
  };
  const layout: DistributionLayout = {
    kind,
    width,
    height,
    nodes,
    top,
    active: top.length ? top[0] : -1,
    node: (i) => elements[i],
    rect,
    find,
    setActive(i, focus = false) {
      const next = elements[i];
      if (!next) return;
      if (layout.active >= 0) elements[layout.active]?.setAttribute('tabindex', '-1');
      layout.active = i;
      next.setAttribute('tabindex', '0');
      if (focus) next.focus();
    },
  };
  if (layout.active >= 0) elements[layout.active].setAttribute('tabindex', '0');
  listen(svg, { data, options, layout, listeners: [], indexOf });
  return layout;
}

function listen(svg: SVGSVGElement, state: State): void {
  states.set(svg, state);
  const { layout, options } = state;
  const indexOf = (e: Event): number => {
    const target = e.target as Element | null;
    const g = target?.closest?.('.tile');
    return g ? (state.indexOf.get(g) ?? -1) : -1;
  };
  const on = (type: string, fn: EventListener) => {
    svg.addEventListener(type, fn);
    state.listeners.push({ type, fn });
  };
  on('pointermove', (e) => {
    const i = indexOf(e);
    options.onHover?.(i >= 0 ? layout.nodes[i] : null, i >= 0 ? layout.rect(i) : null, 'pointer');
  });
  on('pointerleave', () => options.onHover?.(null, null, 'pointer'));
  on('click', (e) => {
    const i = indexOf(e);
    if (i >= 0) {
      layout.setActive(i);
      options.onActivate?.(layout.nodes[i]);
    } else if ((e.target as Element | null)?.classList?.contains('centre')) options.onUp?.();
  });
  on('focusin', (e) => {
    const i = indexOf(e);
    if (i < 0) return;
    if (layout.active !== i) layout.setActive(i);
    options.onHover?.(layout.nodes[i], layout.rect(i), 'focus');
  });
  on('focusout', (e) => {
    const next = (e as FocusEvent).relatedTarget as Node | null;
    if (!next || !svg.contains(next)) options.onHover?.(null, null, 'focus');
  });
  on('keydown', (e) => {
    const ev = e as KeyboardEvent;
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const i = layout.active;
    const n = layout.nodes[i];
    if (!n) return;
    const siblings = n.parent >= 0 ? layout.nodes[n.parent].children : layout.top;
    const at = siblings.indexOf(i);
    let next: number;
    switch (ev.key) {
      case 'ArrowDown':
        next = siblings[Math.min(siblings.length - 1, at + 1)];
        break;
      case 'ArrowUp':
        next = siblings[Math.max(0, at - 1)];
        break;
      case 'ArrowRight':
        next = n.children[0] ?? -1;
        break;
      case 'ArrowLeft':
        next = n.parent;
        break;
      case 'Home':
        next = siblings[0];
        break;
      case 'End':
        next = siblings[siblings.length - 1];
        break;
      case 'Enter':
      case ' ':
        ev.preventDefault();
        options.onActivate?.(n);
        return;
      case 'Backspace':
      case 'Escape':
        if (options.onUp?.()) {
          ev.preventDefault();
          ev.stopPropagation();
        }
        return;
      default:
        return;
    }
    ev.preventDefault();
    if (next >= 0 && next !== i) layout.setActive(next, true);
  });
}
