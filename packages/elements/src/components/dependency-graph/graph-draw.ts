/**
 * Drawing of the dependency graph, no Lit: a {@link Scene} (nodes fitted to the plot, edge widths,
 * colours, what is visible and highlighted) drawn either into an `<svg>` (small graphs: one element per
 * mark, the zoom is a transform of one group) or a `<canvas>` (big graphs: one path per stroke style,
 * redrawn per zoom frame). Hit-testing is the same for both: nodes through a d3-quadtree over the
 * fitted positions, edges by distance to their drawn curve.
 *
 * Edges: straight lines with an arrowhead at the called agent's rim; a mutual pair (A→B and B→A) as two
 * curves bowing to either side; a self-call as a small loop. Edges on a cycle are dashed in the cycle
 * colour (SVG; on a canvas a cross tick at the middle: a mark + colour, never colour alone).
 */
import { quadtree, type Quadtree } from 'd3-quadtree';
import type { ZoomTransform } from 'd3-zoom';
import { edgeWidth, nodeRadius, type GraphModel } from './dependency-graph.data.js';
import type { GraphLayoutKind, LayoutResult } from './graph-layout.js';

export interface Scene {
  n: number;
  /** Fitted positions (px, before the zoom). */
  x: Float64Array;
  y: Float64Array;
  r: Float64Array;
  fill: string[];
  names: string[];
  /** Nodes that get a text label (busiest first). */
  labelled: number[];
  m: number;
  source: Int32Array;
  target: Int32Array;
  width: Float64Array;
  visible: Uint8Array;
  cyclic: Uint8Array;
  mutual: Uint8Array;
}

export interface SceneStyle {
  edge: string;
  cycle: string;
  focus: string;
  label: string;
  nodeStroke: string;
}

export interface Highlight {
  /** Focused or hovered node (-1: none): its edges are emphasised. */
  node: number;
  /** Hovered edge (-1: none). */
  edge: number;
}

type Transform = Pick<ZoomTransform, 'k' | 'x' | 'y'>;

/** Padding around the fitted graph (px). */
export const PAD = 28;

/** The scene of a laid-out graph at a size: fitted positions, radii, widths, fills (one per node), labels for the busiest. */
export function buildScene(model: GraphModel, layout: LayoutResult, visible: Uint8Array, fill: string[], width: number, height: number): Scene {
  const n = model.nodes.length;
  const pos = fitPositions(layout.kind, layout.x, layout.y, width, height, PAD);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = nodeRadius(model.nodes[i].requests, model.maxRequests, n);
  const widths = new Float64Array(model.edges.length);
  model.edges.forEach((e, i) => (widths[i] = edgeWidth(e.calls, model.maxCalls)));
  return {
    n,
    x: pos.x,
    y: pos.y,
    r,
    fill,
    names: model.nodes.map((nd) => nd.name || nd.agentId),
    labelled: Array.from({ length: Math.min(n, n > 300 ? 10 : 15) }, (_, i) => i),
    m: model.edges.length,
    source: model.source,
    target: model.target,
    width: widths,
    visible,
    cyclic: layout.cyclic,
    mutual: model.mutual,
  };
}

/**
 * Fits layout coordinates into `width` × `height` with `pad` px around: uniform scale for force and
 * radial (distances mean something), per axis for hierarchical (layers fill the height, order the width).
 */
export function fitPositions(
  kind: GraphLayoutKind,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  width: number,
  height: number,
  pad: number,
): { x: Float64Array; y: Float64Array } {
  const n = x.length;
  const fx = new Float64Array(n);
  const fy = new Float64Array(n);
  if (!n) return { x: fx, y: fy };
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, x[i]);
    x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, y[i]);
    y1 = Math.max(y1, y[i]);
  }
  const w = Math.max(1, width - 2 * pad);
  const h = Math.max(1, height - 2 * pad);
  const dx = x1 - x0;
  const dy = y1 - y0;
  let kx = dx > 0 ? w / dx : 1;
  let ky = dy > 0 ? h / dy : 1;
  if (kind !== 'hierarchical') {
    const k = Math.min(dx > 0 ? kx : Infinity, dy > 0 ? ky : Infinity);
    kx = ky = Number.isFinite(k) ? k : 1;
  }
  // Centre what does not fill its axis.
  const ox = pad + (w - dx * kx) / 2;
  const oy = pad + (h - dy * ky) / 2;
  for (let i = 0; i < n; i++) {
    fx[i] = ox + (x[i] - x0) * kx;
    fy[i] = oy + (y[i] - y0) * ky;
  }
  return { x: fx, y: fy };
}

/** Geometry of edge `e` in screen px: start, control (curves), end at the target's rim, and the arrow. */
export interface EdgeGeometry {
  kind: 'line' | 'curve' | 'loop';
  sx: number;
  sy: number;
  cx: number;
  cy: number;
  ex: number;
  ey: number;
  /** Unit direction at the end (arrow). */
  ux: number;
  uy: number;
  /** Loop: centre and radius. */
  lr: number;
}

export function edgeGeometry(s: Scene, e: number, t: Transform): EdgeGeometry {
  const a = s.source[e];
  const b = s.target[e];
  const k = t.k;
  const ax = s.x[a] * k + t.x;
  const ay = s.y[a] * k + t.y;
  const bx = s.x[b] * k + t.x;
  const by = s.y[b] * k + t.y;
  const rb = s.r[b] * k;
  if (a === b) {
    const lr = Math.max(4, rb * 0.6);
    return { kind: 'loop', sx: ax, sy: ay, cx: ax, cy: ay - rb - lr * 0.6, ex: ax, ey: ay, ux: 0, uy: 1, lr };
  }
  const dx = bx - ax;
  const dy = by - ay;
  const len = Math.hypot(dx, dy) || 1;
  if (s.mutual[e]) {
    // Bow to the left of the direction of travel: the opposite edge bows to the other side.
    const off = Math.min(40, len * 0.18);
    const cx = (ax + bx) / 2 - (dy / len) * off;
    const cy = (ay + by) / 2 + (dx / len) * off;
    const tx = bx - cx;
    const ty = by - cy;
    const tl = Math.hypot(tx, ty) || 1;
    return { kind: 'curve', sx: ax, sy: ay, cx, cy, ex: bx - (tx / tl) * (rb + 1), ey: by - (ty / tl) * (rb + 1), ux: tx / tl, uy: ty / tl, lr: 0 };
  }
  const ux = dx / len;
  const uy = dy / len;
  return { kind: 'line', sx: ax, sy: ay, cx: (ax + bx) / 2, cy: (ay + by) / 2, ex: bx - ux * (rb + 1), ey: by - uy * (rb + 1), ux, uy, lr: 0 };
}

const arrowSize = (w: number): number => 4 + w * 1.3;

function tracePath(ctx: CanvasRenderingContext2D | PathBuilder, g: EdgeGeometry): void {
  if (g.kind === 'loop') {
    ctx.moveTo(g.cx + g.lr, g.cy);
    ctx.arc(g.cx, g.cy, g.lr, 0, Math.PI * 2);
    return;
  }
  // The line stops at the arrow's base.
  ctx.moveTo(g.sx, g.sy);
  if (g.kind === 'curve') ctx.quadraticCurveTo(g.cx, g.cy, g.ex, g.ey);
  else ctx.lineTo(g.ex, g.ey);
}

function traceArrow(ctx: CanvasRenderingContext2D | PathBuilder, g: EdgeGeometry, w: number): void {
  if (g.kind === 'loop') return;
  const a = arrowSize(w);
  const bx = g.ex - g.ux * a;
  const by = g.ey - g.uy * a;
  const h = a * 0.45;
  ctx.moveTo(g.ex, g.ey);
  ctx.lineTo(bx - g.uy * h, by + g.ux * h);
  ctx.lineTo(bx + g.uy * h, by - g.ux * h);
  ctx.closePath();
}

/** The subset of the canvas path API {@link tracePath} uses, writing SVG path data. */
class PathBuilder {
  d = '';
  private f = (v: number) => Math.round(v * 100) / 100;
  moveTo(x: number, y: number) {
    this.d += `M${this.f(x)},${this.f(y)}`;
  }
  lineTo(x: number, y: number) {
    this.d += `L${this.f(x)},${this.f(y)}`;
  }
  quadraticCurveTo(cx: number, cy: number, x: number, y: number) {
    this.d += `Q${this.f(cx)},${this.f(cy)} ${this.f(x)},${this.f(y)}`;
  }
  arc(cx: number, cy: number, r: number) {
    this.d += `M${this.f(cx + r)},${this.f(cy)}A${this.f(r)},${this.f(r)} 0 1 1 ${this.f(cx - r)},${this.f(cy)}A${this.f(r)},${this.f(r)} 0 1 1 ${this.f(cx + r)},${this.f(cy)}`;
  }
  closePath() {
    this.d += 'Z';
  }
}

const IDENTITY: Transform = { k: 1, x: 0, y: 0 };

/**
 * `full`: every edge at its width with its arrowhead, cycle edges marked; `fast` (frames while a pan or
 * zoom is under way): every edge as a 1 px line in its colour, in two batched paths, no arrowheads —
 * the same geometry at a fraction of the cost (thick alpha-blended strokes and dashes are what a
 * software rasteriser spends its time on); the element redraws `full` when the gesture ends.
 */
export type DrawQuality = 'full' | 'fast';

/**
 * Draws the scene into a 2D context (already scaled for the device pixel ratio). `width`/`height` in
 * CSS px. On a canvas an edge on a cycle is drawn in the cycle colour with a cross tick at its middle
 * (dashing thousands of strokes costs ~10× more than drawing them).
 */
export function drawCanvas(
  ctx: CanvasRenderingContext2D,
  s: Scene,
  t: Transform,
  style: SceneStyle,
  hl: Highlight,
  width: number,
  height: number,
  quality: DrawQuality = 'full',
): void {
  ctx.clearRect(0, 0, width, height);
  const margin = 50;
  const k = t.k;
  const shown: number[] = [];
  for (let e = 0; e < s.m; e++) {
    if (!s.visible[e]) continue;
    // Cull edges with both ends far outside the view.
    const ax = s.x[s.source[e]] * k + t.x;
    const ay = s.y[s.source[e]] * k + t.y;
    const bx = s.x[s.target[e]] * k + t.x;
    const by = s.y[s.target[e]] * k + t.y;
    if (
      (ax < -margin && bx < -margin) ||
      (ax > width + margin && bx > width + margin) ||
      (ay < -margin && by < -margin) ||
      (ay > height + margin && by > height + margin)
    )
      continue;
    shown.push(e);
  }
  ctx.lineCap = 'butt';
  if (quality === 'fast') {
    ctx.lineWidth = 1;
    for (const cyc of [0, 1]) {
      ctx.globalAlpha = cyc ? 0.7 : 0.45;
      ctx.strokeStyle = cyc ? style.cycle : style.edge;
      ctx.beginPath();
      for (const e of shown) if (s.cyclic[e] === cyc) tracePath(ctx, edgeGeometry(s, e, t));
      ctx.stroke();
    }
  } else {
    // One stroke per edge: a batched path of thick alpha strokes is stroked as one outline (slow).
    const geoms = shown.map((e) => edgeGeometry(s, e, t));
    for (const cyc of [0, 1]) {
      const colour = cyc ? style.cycle : style.edge;
      ctx.globalAlpha = cyc ? 0.7 : 0.45;
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      shown.forEach((e, j) => {
        if (s.cyclic[e] !== cyc) return;
        ctx.lineWidth = s.width[e];
        ctx.beginPath();
        tracePath(ctx, geoms[j]);
        ctx.stroke();
        ctx.beginPath();
        traceArrow(ctx, geoms[j], s.width[e]);
        ctx.fill();
      });
    }
    // Cycle ticks, one hairline path.
    ctx.globalAlpha = 0.9;
    ctx.strokeStyle = style.cycle;
    ctx.lineWidth = 1;
    ctx.beginPath();
    shown.forEach((e, j) => {
      if (!s.cyclic[e] || geoms[j].kind === 'loop') return;
      const g = geoms[j];
      const mx = g.kind === 'curve' ? 0.25 * g.sx + 0.5 * g.cx + 0.25 * g.ex : (g.sx + g.ex) / 2;
      const my = g.kind === 'curve' ? 0.25 * g.sy + 0.5 * g.cy + 0.25 * g.ey : (g.sy + g.ey) / 2;
      const h = 3 + s.width[e] / 2;
      ctx.moveTo(mx - g.uy * h, my + g.ux * h);
      ctx.lineTo(mx + g.uy * h, my - g.ux * h);
    });
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
  // Nodes, batched by fill.
  const fills = new Map<string, number[]>();
  for (let i = 0; i < s.n; i++) {
    const x = s.x[i] * k + t.x;
    const y = s.y[i] * k + t.y;
    const r = s.r[i] * k;
    if (x + r < 0 || x - r > width || y + r < 0 || y - r > height) continue;
    let f = fills.get(s.fill[i]);
    if (!f) fills.set(s.fill[i], (f = []));
    f.push(i);
  }
  ctx.lineWidth = 1;
  ctx.strokeStyle = style.nodeStroke;
  for (const [fill, ids] of fills) {
    ctx.fillStyle = fill;
    ctx.beginPath();
    for (const i of ids) {
      const x = s.x[i] * k + t.x;
      const y = s.y[i] * k + t.y;
      const r = s.r[i] * k;
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
    }
    ctx.fill();
    // Outlines only at rest (stroking 500 circles as one path is a third of a fast frame).
    if (quality === 'full') ctx.stroke();
  }
  drawHighlightCanvas(ctx, s, t, style, hl);
  // Labels of the busiest nodes (text drawn by the canvas: inert whatever the name holds).
  ctx.fillStyle = style.label;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (const i of s.labelled) {
    const x = s.x[i] * k + t.x;
    const y = s.y[i] * k + t.y;
    if (x < 0 || x > width || y < 0 || y > height) continue;
    ctx.fillText(clip(s.names[i]), x + s.r[i] * k + 3, y);
  }
}

export function drawHighlightCanvas(ctx: CanvasRenderingContext2D, s: Scene, t: Transform, style: SceneStyle, hl: Highlight): void {
  const edges: number[] = [];
  if (hl.node >= 0) for (let e = 0; e < s.m; e++) if (s.visible[e] && (s.source[e] === hl.node || s.target[e] === hl.node)) edges.push(e);
  if (hl.edge >= 0) edges.push(hl.edge);
  ctx.strokeStyle = style.focus;
  ctx.fillStyle = style.focus;
  for (const e of edges) {
    const g = edgeGeometry(s, e, t);
    const w = s.width[e] + 1.5;
    ctx.lineWidth = w;
    ctx.beginPath();
    tracePath(ctx, g);
    ctx.stroke();
    ctx.beginPath();
    traceArrow(ctx, g, w);
    ctx.fill();
  }
  const focusNodes = hl.node >= 0 ? [hl.node] : hl.edge >= 0 ? [s.source[hl.edge], s.target[hl.edge]] : [];
  ctx.lineWidth = 3;
  for (const i of focusNodes) {
    ctx.beginPath();
    ctx.arc(s.x[i] * t.k + t.x, s.y[i] * t.k + t.y, s.r[i] * t.k + 3, 0, Math.PI * 2);
    ctx.stroke();
  }
}

/**
 * A bitmap of the full-quality scene at rest, covering the view plus half a view on each side, so a
 * pan or zoom frame is one `drawImage` of it (about a millisecond) instead of thousands of strokes. A
 * frame the bitmap no longer covers (zoomed out past its margin, panned beyond it, or zoomed in more
 * than 3× over it) is drawn as vectors in `fast` quality; at rest the element renders the bitmap again.
 */
export class SceneCache {
  private canvas?: HTMLCanvasElement;
  private scene?: Scene;
  private t?: Transform;
  private size: [number, number, number] = [0, 0, 0];
  private mx = 0;
  private my = 0;

  /** Whether the bitmap is of `scene` at transform `t` and this size. */
  matches(scene: Scene, t: Transform, width: number, height: number, dpr: number): boolean {
    const c = this.t;
    return (
      this.scene === scene && !!c && c.k === t.k && c.x === t.x && c.y === t.y && this.size[0] === width && this.size[1] === height && this.size[2] === dpr
    );
  }

  /** Renders `scene` at `t` (full quality, no highlight) into the bitmap. */
  render(scene: Scene, t: Transform, style: SceneStyle, width: number, height: number, dpr: number): void {
    this.mx = Math.round(width / 2);
    this.my = Math.round(height / 2);
    const w = width + 2 * this.mx;
    const h = height + 2 * this.my;
    const canvas = (this.canvas ??= document.createElement('canvas'));
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawCanvas(ctx, scene, { k: t.k, x: t.x + this.mx, y: t.y + this.my }, style, { node: -1, edge: -1 }, w, h, 'full');
    this.scene = scene;
    this.t = { k: t.k, x: t.x, y: t.y };
    this.size = [width, height, dpr];
  }

  /** Draws the bitmap for transform `t` into `ctx` (CSS px); false (nothing drawn) when it does not cover the view. */
  blit(ctx: CanvasRenderingContext2D, scene: Scene, t: Transform, width: number, height: number): boolean {
    const c = this.t;
    if (!this.canvas || !c || this.scene !== scene || this.size[0] !== width || this.size[1] !== height) return false;
    const r = t.k / c.k;
    const w = (width + 2 * this.mx) * r;
    const h = (height + 2 * this.my) * r;
    const dx = t.x - r * (c.x + this.mx);
    const dy = t.y - r * (c.y + this.my);
    if (r > 3 || dx > 0.5 || dy > 0.5 || dx + w < width - 0.5 || dy + h < height - 0.5) return false;
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(this.canvas, dx, dy, w, h);
    return true;
  }
}

const clip = (name: string): string => (name.length > 28 ? `${name.slice(0, 27)}…` : name);

const SVG_NS = 'http://www.w3.org/2000/svg';
const el = <K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] => {
  const node = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
};

/**
 * Draws the scene into `svg` from scratch: `g.view` (zoomed by {@link zoomSvg}) holds the edges (one
 * path each, `data-edge`), the arrowheads, the nodes (one circle each, `data-node`), labels and the
 * highlight layer. Names are text nodes (inert).
 */
export function drawSvg(svg: SVGSVGElement, s: Scene, width: number, height: number): void {
  svg.replaceChildren();
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const view = el('g', { class: 'view' });
  const edgeLayer = el('g', { class: 'edges' });
  const arrows = { 0: new PathBuilder(), 1: new PathBuilder() };
  for (let e = 0; e < s.m; e++) {
    if (!s.visible[e]) continue;
    const g = edgeGeometry(s, e, IDENTITY);
    const p = new PathBuilder();
    tracePath(p, g);
    edgeLayer.append(el('path', { class: s.cyclic[e] ? 'edge cyclic' : 'edge', d: p.d, 'stroke-width': Math.round(s.width[e] * 100) / 100, 'data-edge': e }));
    traceArrow(arrows[s.cyclic[e] ? 1 : 0], g, s.width[e]);
  }
  const arrowLayer = el('g', { class: 'arrows' });
  arrowLayer.append(el('path', { class: 'arrow', d: arrows[0].d }), el('path', { class: 'arrow cyclic', d: arrows[1].d }));
  const nodeLayer = el('g', { class: 'nodes' });
  for (let i = 0; i < s.n; i++) {
    nodeLayer.append(el('circle', { class: 'node', cx: round(s.x[i]), cy: round(s.y[i]), r: round(s.r[i]), fill: s.fill[i], 'data-node': i }));
  }
  const labels = el('g', { class: 'labels' });
  for (const i of s.labelled) {
    const text = el('text', { x: round(s.x[i] + s.r[i] + 3), y: round(s.y[i]), 'dominant-baseline': 'middle' });
    text.textContent = clip(s.names[i]);
    labels.append(text);
  }
  view.append(edgeLayer, arrowLayer, nodeLayer, labels, el('g', { class: 'highlight' }));
  svg.append(view);
}

const round = (v: number): number => Math.round(v * 100) / 100;

/** Applies the zoom to the SVG (one attribute: cheap per frame). */
export function zoomSvg(svg: SVGSVGElement, t: Transform): void {
  svg.querySelector('g.view')?.setAttribute('transform', `translate(${round(t.x)},${round(t.y)}) scale(${t.k})`);
}

/** Redraws the SVG's highlight layer (the focused node's edges, the hovered edge). */
export function highlightSvg(svg: SVGSVGElement, s: Scene, hl: Highlight): void {
  const layer = svg.querySelector('g.highlight');
  if (!layer) return;
  layer.replaceChildren();
  const edges: number[] = [];
  if (hl.node >= 0) for (let e = 0; e < s.m; e++) if (s.visible[e] && (s.source[e] === hl.node || s.target[e] === hl.node)) edges.push(e);
  if (hl.edge >= 0) edges.push(hl.edge);
  const arrows = new PathBuilder();
  for (const e of edges) {
    const g = edgeGeometry(s, e, IDENTITY);
    const p = new PathBuilder();
    tracePath(p, g);
    layer.append(el('path', { class: 'edge focus', d: p.d, 'stroke-width': round(s.width[e] + 1.5) }));
    traceArrow(arrows, g, s.width[e] + 1.5);
  }
  if (arrows.d) layer.append(el('path', { class: 'arrow focus', d: arrows.d }));
  const nodes = hl.node >= 0 ? [hl.node] : hl.edge >= 0 ? [s.source[hl.edge], s.target[hl.edge]] : [];
  for (const i of nodes) layer.append(el('circle', { class: 'ring', cx: round(s.x[i]), cy: round(s.y[i]), r: round(s.r[i] + 3) }));
}

/** A d3-quadtree over the fitted node positions (hit-testing). */
export function nodeTree(s: Scene): Quadtree<number> {
  return quadtree<number>()
    .x((i) => s.x[i])
    .y((i) => s.y[i])
    .addAll(Array.from({ length: s.n }, (_, i) => i));
}

const maxRadius = new WeakMap<Scene, number>();

/** The node under screen point (px, py), or -1. */
export function hitNode(s: Scene, tree: Quadtree<number>, t: Transform, px: number, py: number): number {
  let rmax = maxRadius.get(s);
  if (rmax === undefined) {
    rmax = 0;
    for (let i = 0; i < s.n; i++) rmax = Math.max(rmax, s.r[i]);
    maxRadius.set(s, rmax);
  }
  const x = (px - t.x) / t.k;
  const y = (py - t.y) / t.k;
  const slop = 3 / t.k;
  // The nearest centre within the largest radius, then the exact test (a small node inside a big one's reach wins if hit).
  let best = -1;
  let bestD = Infinity;
  tree.visit((node, x0, y0, x1, y1) => {
    if (x0 > x + rmax! + slop || x1 < x - rmax! - slop || y0 > y + rmax! + slop || y1 < y - rmax! - slop) return true;
    if (!('length' in node)) {
      let leaf: typeof node | undefined = node;
      while (leaf) {
        const i = leaf.data;
        const d = Math.hypot(s.x[i] - x, s.y[i] - y);
        if (d <= s.r[i] + slop && d - s.r[i] < bestD) {
          bestD = d - s.r[i];
          best = i;
        }
        leaf = leaf.next;
      }
    }
    return false;
  });
  return best;
}

/** The visible edge nearest screen point (px, py) within `tolerance` px of its curve, or -1. */
export function hitEdge(s: Scene, t: Transform, px: number, py: number, tolerance = 4): number {
  let best = -1;
  let bestD = Infinity;
  for (let e = 0; e < s.m; e++) {
    if (!s.visible[e]) continue;
    const g = edgeGeometry(s, e, t);
    const tol = Math.max(tolerance, s.width[e] / 2 + 2);
    let d: number;
    if (g.kind === 'loop') d = Math.abs(Math.hypot(px - g.cx, py - g.cy) - g.lr);
    else if (g.kind === 'line') {
      if (Math.min(g.sx, g.ex) - tol > px || Math.max(g.sx, g.ex) + tol < px || Math.min(g.sy, g.ey) - tol > py || Math.max(g.sy, g.ey) + tol < py) continue;
      d = segmentDistance(px, py, g.sx, g.sy, g.ex, g.ey);
    } else {
      d = Infinity;
      let x0 = g.sx;
      let y0 = g.sy;
      for (let k = 1; k <= 12; k++) {
        const u = k / 12;
        const x1 = (1 - u) * (1 - u) * g.sx + 2 * (1 - u) * u * g.cx + u * u * g.ex;
        const y1 = (1 - u) * (1 - u) * g.sy + 2 * (1 - u) * u * g.cy + u * u * g.ey;
        d = Math.min(d, segmentDistance(px, py, x0, y0, x1, y1));
        x0 = x1;
        y0 = y1;
      }
    }
    if (d <= tol && d < bestD) {
      bestD = d;
      best = e;
    }
  }
  return best;
}

function segmentDistance(px: number, py: number, x0: number, y0: number, x1: number, y1: number): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const l2 = dx * dx + dy * dy;
  const u = l2 > 0 ? Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / l2)) : 0;
  return Math.hypot(px - (x0 + u * dx), py - (y0 + u * dy));
}

/** A point on edge `e` (screen px) to click or anchor a tooltip: the middle of its curve. */
export function edgeMidpoint(s: Scene, e: number, t: Transform): { x: number; y: number } {
  const g = edgeGeometry(s, e, t);
  if (g.kind === 'loop') return { x: g.cx, y: g.cy - g.lr };
  if (g.kind === 'line') return { x: (g.sx + g.ex) / 2, y: (g.sy + g.ey) / 2 };
  return { x: 0.25 * g.sx + 0.5 * g.cx + 0.25 * g.ex, y: 0.25 * g.sy + 0.5 * g.cy + 0.25 * g.ey };
}
