/**
 * Draw benchmark of chart 2.14 (`<usage-dependency-graph>`), for the bench page: a synthetic call graph
 * of 500 agents and 5,000 edges with cycles (`syntheticGraph`), through the element's pure pieces:
 *
 * - `modelMs`: the view-model (volume order, edge indices, mutual pairs);
 * - `layoutMs[kind]`: the layout kernel on the page's thread (in the element it runs in a Worker, the
 *   same code) — force (300 ticks, Barnes–Hut), hierarchical and radial (components + layering);
 * - `canvas.coldMs`: scene (fit, radii, widths) + a fresh 1100 × 640 canvas drawn (every edge, arrow,
 *   node and label); `canvas.updateMs`: the same canvas redrawn after the slider hid the quietest half;
 * - `frame`: one pan/zoom frame as the element draws it while a gesture is under way (the bitmap of the
 *   last rest blitted at the new transform, vectors in `fast` quality where it falls short), median and
 *   p95 over 120 frames zooming 0.6–2.4× and panning: must stay ≤ 16 ms for 60 fps; `fastFrameMs` the
 *   vector fallback alone; `cacheMs` the render at rest (full quality, view + margins); `settleMs` a
 *   full vector draw zoomed 2×;
 * - `svg.coldMs`: the SVG renderer at its ceiling (300 agents, 2,000 edges), incl. style and layout;
 * - `totalMs` = model + force layout + canvas cold: the "laid out and drawn ≤ 1 s".
 * Medians in ms.
 */
import { graphModel, syntheticGraph, visibleEdges } from '../../packages/elements/src/components/dependency-graph/dependency-graph.data.js';
import { SceneCache, buildScene, drawCanvas, drawSvg, type SceneStyle } from '../../packages/elements/src/components/dependency-graph/graph-draw.js';
import { graphKernel, type GraphLayoutKind, type LayoutResult } from '../../packages/elements/src/components/dependency-graph/graph-layout.js';
import { nodeRadius, type GraphModel } from '../../packages/elements/src/components/dependency-graph/dependency-graph.data.js';

export interface DependencyGraphBench {
  nodes: number;
  edges: number;
  cycles: number;
  modelMs: number;
  layoutMs: Record<GraphLayoutKind, number>;
  canvas: { coldMs: number; updateMs: number };
  /** Gesture frames (bitmap blit, vectors where it falls short): median, p95, max; how many of 120 blitted. */
  frame: { medianMs: number; p95Ms: number; maxMs: number; blitted: number };
  /** Vector frames in fast quality (the fallback), median. */
  fastFrameMs: number;
  /** The rest render into the bitmap (view + margins), and a full vector draw zoomed 2×. */
  cacheMs: number;
  settleMs: number;
  svg: { nodes: number; edges: number; coldMs: number };
  totalMs: number;
}

const W = 1100;
const H = 640;
const STYLE: SceneStyle = { edge: '#6b7079', cycle: '#c34f00', focus: '#1a1c20', label: '#1a1c20', nodeStroke: '#ffffff' };
const FILLS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const time = (f: () => void): number => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

function request(model: GraphModel, kind: GraphLayoutKind) {
  const n = model.nodes.length;
  return {
    kind,
    n,
    source: model.source,
    target: model.target,
    volume: model.nodes.map((x) => x.requests),
    radius: model.nodes.map((x) => nodeRadius(x.requests, model.maxRequests, n)),
    seed: 1,
  };
}

export function benchDependencyGraph(runs: number, nodes = 500, edges = 5000): DependencyGraphBench {
  const graph = syntheticGraph(nodes, edges, 7);
  const kernel = graphKernel();
  const reps = Math.max(3, runs);
  let model = graphModel(graph);
  const modelMs = median(Array.from({ length: reps }, () => time(() => (model = graphModel(graph)))));
  const layouts = {} as Record<GraphLayoutKind, LayoutResult>;
  const layoutMs = {} as Record<GraphLayoutKind, number>;
  for (const kind of ['force', 'hierarchical', 'radial'] as const) {
    layoutMs[kind] = median(
      Array.from({ length: kind === 'force' ? Math.min(reps, 5) : reps }, () => time(() => (layouts[kind] = kernel.layout(request(model, kind))))),
    );
  }
  const fill = model.nodes.map((x, i) => FILLS[i % FILLS.length]);
  const host = document.createElement('div');
  host.style.cssText = `position:relative;width:${W}px;height:${H}px`;
  document.body.append(host);
  const all = visibleEdges(model, 1).visible;
  const cold: number[] = [];
  const update: number[] = [];
  let canvas!: HTMLCanvasElement;
  for (let r = 0; r < reps + 1; r++) {
    host.replaceChildren();
    cold.push(
      time(() => {
        canvas = document.createElement('canvas');
        canvas.width = W;
        canvas.height = H;
        host.append(canvas);
        const ctx = canvas.getContext('2d')!;
        const scene = buildScene(model, layouts.force, all, fill, W, H);
        drawCanvas(ctx, scene, { k: 1, x: 0, y: 0 }, STYLE, { node: -1, edge: -1 }, W, H);
        ctx.getImageData(0, 0, 1, 1); // flush the drawing
      }),
    );
    const half = [...model.edges.map((e) => e.calls)].sort((a, b) => a - b)[model.edges.length >> 1];
    update.push(
      time(() => {
        const ctx = canvas.getContext('2d')!;
        const scene = buildScene(model, layouts.force, visibleEdges(model, half).visible, fill, W, H);
        drawCanvas(ctx, scene, { k: 1, x: 0, y: 0 }, STYLE, { node: 0, edge: -1 }, W, H);
        ctx.getImageData(0, 0, 1, 1);
      }),
    );
  }
  // Pan/zoom frames as the element draws them: at rest the full scene goes into a bitmap with half a view
  // of margin (cacheMs); each gesture frame blits it at the new transform (frame); where the bitmap does
  // not cover the view, vectors in fast quality (fastFrame).
  const ctx = canvas.getContext('2d')!;
  const scene = buildScene(model, layouts.force, all, fill, W, H);
  const cache = new SceneCache();
  const cacheMs = median(
    Array.from({ length: reps }, () =>
      time(() => (cache.render(scene, { k: 1, x: 0, y: 0 }, STYLE, W, H, 1), cache.blit(ctx, scene, { k: 1, x: 0, y: 0 }, W, H))),
    ),
  );
  const zoomAt = (f: number) => {
    const k = 0.6 + 1.8 * Math.abs(Math.sin(f / 20));
    return { k, x: (W / 2) * (1 - k) + 40 * Math.sin(f / 7), y: (H / 2) * (1 - k) + 30 * Math.cos(f / 9) };
  };
  const frames: number[] = [];
  let blitted = 0;
  for (let f = 0; f < 121; f++) {
    frames.push(
      time(() => {
        const t = zoomAt(f);
        if (cache.blit(ctx, scene, t, W, H)) blitted++;
        else drawCanvas(ctx, scene, t, STYLE, { node: -1, edge: -1 }, W, H, 'fast');
        ctx.getImageData(0, 0, 1, 1);
      }),
    );
  }
  const fast: number[] = [];
  for (let f = 0; f < 41; f++) {
    fast.push(
      time(() => {
        drawCanvas(ctx, scene, zoomAt(f), STYLE, { node: -1, edge: -1 }, W, H, 'fast');
        ctx.getImageData(0, 0, 1, 1);
      }),
    );
  }
  const fr = frames.slice(1).sort((a, b) => a - b);
  const settle = Array.from({ length: reps }, () =>
    time(() => {
      drawCanvas(ctx, scene, { k: 2, x: -W / 2, y: -H / 2 }, STYLE, { node: 3, edge: -1 }, W, H, 'full');
      ctx.getImageData(0, 0, 1, 1);
    }),
  );
  // SVG at its ceiling.
  const small = graphModel(syntheticGraph(300, 2000, 9));
  const smallLayout = kernel.layout(request(small, 'force'));
  const smallFill = small.nodes.map((x, i) => FILLS[i % FILLS.length]);
  const svgMs: number[] = [];
  for (let r = 0; r < reps + 1; r++) {
    host.replaceChildren(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    const svg = host.firstElementChild as SVGSVGElement;
    svgMs.push(
      time(() => {
        drawSvg(svg, buildScene(small, smallLayout, visibleEdges(small, 1).visible, smallFill, W, H), W, H);
        svg.getBoundingClientRect();
        void host.offsetHeight;
      }),
    );
  }
  host.remove();
  const canvasCold = median(cold.slice(1));
  return {
    nodes: model.nodes.length,
    edges: model.edges.length,
    cycles: layouts.force.cycles,
    modelMs,
    layoutMs,
    canvas: { coldMs: canvasCold, updateMs: median(update.slice(1)) },
    frame: { medianMs: median(fr), p95Ms: fr[Math.floor(fr.length * 0.95)], maxMs: fr[fr.length - 1], blitted },
    fastFrameMs: median(fast.slice(1)),
    cacheMs,
    settleMs: median(settle),
    svg: { nodes: small.nodes.length, edges: small.edges.length, coldMs: median(svgMs.slice(1)) },
    totalMs: modelMs + layoutMs.force + canvasCold,
  };
}
