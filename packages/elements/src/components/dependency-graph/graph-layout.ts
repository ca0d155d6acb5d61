/**
 * The dependency graph's maths, pure and deterministic: strongly connected components (Tarjan), the
 * edges in cycles, layering (cycles broken by DFS back edges, then longest path) with barycentric
 * ordering, and three layouts — force, hierarchical and radial.
 *
 * Everything lives inside ONE self-contained function, {@link graphKernel}: no imports and no
 * reference to anything outside its body, so its source text (`graphKernel.toString()`) runs in a
 * Blob-URL Web Worker (graph-layout-worker.ts) exactly as it runs on the main thread (the fallback
 * and the unit tests). A bundler, esbuild or terser only rewrites names inside it.
 *
 * Force layout: d3-force's velocity Verlet (same defaults: alpha 1 → 0.001 over `iterations` ticks,
 * velocity decay 0.4) with its link force (strength 1 / min(degree), bias by degree), Barnes–Hut
 * many-body (θ = 0.9, minimum distance 1) and a weak pull to the centre (forceX/forceY 0.06) — re-written
 * here because d3-force cannot be loaded into a Blob worker without a bundling step. Positions start on
 * d3's phyllotaxis spiral; coincident points are separated by a seeded PRNG (mulberry32), so a seed
 * gives the same layout every time.
 *
 * Hierarchical: layer = longest path from a source over the graph without its back edges (the edges a
 * DFS from the busiest roots finds closing a cycle), callers above callees; order within a layer by
 * barycentre sweeps; x in [0, 1] within the layer, y = the layer. Radial: the same layers as concentric
 * rings (depth 0 in the middle), angle from the same order.
 */

export type GraphLayoutKind = 'force' | 'hierarchical' | 'radial';

export interface LayoutRequest {
  kind: GraphLayoutKind;
  /** Number of nodes; edges refer to nodes by index. */
  n: number;
  source: ArrayLike<number>;
  target: ArrayLike<number>;
  /** Node volume (requests): roots and ties are taken busiest first. */
  volume: ArrayLike<number>;
  /** Node radius in layout units (force: link distance and spacing). */
  radius: ArrayLike<number>;
  seed?: number;
  /** Force ticks (default 300, d3's). */
  iterations?: number;
}

export interface Components {
  /** Component id of each node (ids in Tarjan's completion order). */
  component: Int32Array;
  count: number;
  /** Per edge: 1 when the edge lies on a cycle (both ends in one component, or a self-call). */
  cyclic: Uint8Array;
  /** Cycles: components of two or more agents, plus agents calling themselves alone. */
  cycles: number;
}

export interface LayoutResult extends Components {
  kind: GraphLayoutKind;
  x: Float64Array;
  y: Float64Array;
  /** Depth of each node (hierarchical layer, radial ring). */
  layer: Int32Array;
  /** Per edge: 1 when the cycle breaking reversed it out of the layering (a back edge). */
  back: Uint8Array;
}

export interface GraphKernel {
  components(n: number, source: ArrayLike<number>, target: ArrayLike<number>): Components;
  layers(
    n: number,
    source: ArrayLike<number>,
    target: ArrayLike<number>,
    volume: ArrayLike<number>,
  ): { layer: Int32Array; back: Uint8Array; order: Int32Array; count: number; rows: number[][] };
  layout(request: LayoutRequest, progress?: (fraction: number) => void): LayoutResult;
}

/** The self-contained kernel (see the file header: keep every helper INSIDE this function). */
export function graphKernel(): GraphKernel {
  function mulberry32(seed: number): () => number {
    let s = seed >>> 0 || 0x9e3779b9;
    return function () {
      s = (s + 0x6d2b79f5) | 0;
      let t = Math.imul(s ^ (s >>> 15), 1 | s);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  /** Outgoing (or incoming) edge lists as CSR: start[v]..start[v+1] in `edges`. */
  function csr(n: number, from: ArrayLike<number>, m: number): { start: Int32Array; edges: Int32Array } {
    const start = new Int32Array(n + 1);
    for (let e = 0; e < m; e++) start[from[e] + 1]++;
    for (let v = 0; v < n; v++) start[v + 1] += start[v];
    const fill = start.slice(0, n);
    const edges = new Int32Array(m);
    for (let e = 0; e < m; e++) edges[fill[from[e]]++] = e;
    return { start, edges };
  }

  function components(n: number, source: ArrayLike<number>, target: ArrayLike<number>): Components {
    const m = source.length;
    const out = csr(n, source, m);
    const index = new Int32Array(n).fill(-1);
    const low = new Int32Array(n);
    const pos = new Int32Array(n);
    const onStack = new Uint8Array(n);
    const component = new Int32Array(n).fill(-1);
    const stack: number[] = [];
    const call: number[] = [];
    let next = 0;
    let count = 0;
    for (let root = 0; root < n; root++) {
      if (index[root] >= 0) continue;
      index[root] = low[root] = next++;
      pos[root] = out.start[root];
      stack.push(root);
      onStack[root] = 1;
      call.push(root);
      while (call.length) {
        const v = call[call.length - 1];
        if (pos[v] < out.start[v + 1]) {
          const w = target[out.edges[pos[v]++]];
          if (index[w] < 0) {
            index[w] = low[w] = next++;
            pos[w] = out.start[w];
            stack.push(w);
            onStack[w] = 1;
            call.push(w);
          } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
          continue;
        }
        call.pop();
        if (low[v] === index[v]) {
          let w: number;
          do {
            w = stack.pop()!;
            onStack[w] = 0;
            component[w] = count;
          } while (w !== v);
          count++;
        }
        if (call.length) {
          const u = call[call.length - 1];
          if (low[v] < low[u]) low[u] = low[v];
        }
      }
    }
    const size = new Int32Array(count);
    for (let v = 0; v < n; v++) size[component[v]]++;
    const cyclic = new Uint8Array(m);
    const selfLoop = new Uint8Array(count);
    for (let e = 0; e < m; e++) {
      if (component[source[e]] === component[target[e]]) cyclic[e] = 1;
      if (source[e] === target[e]) selfLoop[component[source[e]]] = 1;
    }
    let cycles = 0;
    for (let c = 0; c < count; c++) if (size[c] > 1 || selfLoop[c]) cycles++;
    return { component, count, cyclic, cycles };
  }

  /** Busiest first, then index: the order roots and ties are taken in. */
  function byVolume(n: number, volume: ArrayLike<number>): Int32Array {
    const order = Int32Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => volume[b] - volume[a] || a - b);
    return order;
  }

  function layers(n: number, source: ArrayLike<number>, target: ArrayLike<number>, volume: ArrayLike<number>) {
    const m = source.length;
    const out = csr(n, source, m);
    const indeg = new Int32Array(n);
    for (let e = 0; e < m; e++) if (source[e] !== target[e]) indeg[target[e]]++;
    // DFS from the sources (busiest first), then from whatever is left: edges to a node still on the DFS stack close a cycle.
    const rank = byVolume(n, volume);
    const roots = [...rank.filter((v) => indeg[v] === 0), ...rank.filter((v) => indeg[v] !== 0)];
    const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
    const pos = new Int32Array(n);
    const back = new Uint8Array(m);
    for (const root of roots) {
      if (state[root]) continue;
      const call = [root];
      state[root] = 1;
      pos[root] = out.start[root];
      while (call.length) {
        const v = call[call.length - 1];
        if (pos[v] < out.start[v + 1]) {
          const e = out.edges[pos[v]++];
          const w = target[e];
          if (state[w] === 1) back[e] = 1;
          else if (state[w] === 0) {
            state[w] = 1;
            pos[w] = out.start[w];
            call.push(w);
          }
          continue;
        }
        state[v] = 2;
        call.pop();
      }
    }
    // Longest path over the remaining DAG (Kahn's order).
    const dagIn = new Int32Array(n);
    for (let e = 0; e < m; e++) if (!back[e]) dagIn[target[e]]++;
    const layer = new Int32Array(n);
    const queue: number[] = [];
    for (const v of rank) if (dagIn[v] === 0) queue.push(v);
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q];
      for (let k = out.start[v]; k < out.start[v + 1]; k++) {
        const e = out.edges[k];
        if (back[e]) continue;
        const w = target[e];
        if (layer[v] + 1 > layer[w]) layer[w] = layer[v] + 1;
        if (--dagIn[w] === 0) queue.push(w);
      }
    }
    let count = 0;
    for (let v = 0; v < n; v++) if (layer[v] + 1 > count) count = layer[v] + 1;
    // Order within layers: busiest first, then barycentre sweeps over every neighbour in another layer.
    const rows: number[][] = Array.from({ length: count }, () => []);
    for (const v of rank) rows[layer[v]].push(v);
    const at = new Float64Array(n);
    const place = () => {
      for (const row of rows) for (let i = 0; i < row.length; i++) at[row[i]] = row.length === 1 ? 0.5 : i / (row.length - 1);
    };
    place();
    const inc = csr(n, target, m);
    const bary = new Float64Array(n);
    for (let sweep = 0; sweep < 12; sweep++) {
      const down = sweep % 2 === 0;
      for (let k = 0; k < count; k++) {
        const row = rows[down ? k : count - 1 - k];
        for (const v of row) {
          let sum = 0;
          let cnt = 0;
          for (let j = out.start[v]; j < out.start[v + 1]; j++) {
            const w = target[out.edges[j]];
            if (layer[w] !== layer[v]) {
              sum += at[w];
              cnt++;
            }
          }
          for (let j = inc.start[v]; j < inc.start[v + 1]; j++) {
            const w = source[inc.edges[j]];
            if (layer[w] !== layer[v]) {
              sum += at[w];
              cnt++;
            }
          }
          bary[v] = cnt ? sum / cnt : at[v];
        }
        row.sort((a, b) => bary[a] - bary[b] || at[a] - at[b] || a - b);
        for (let i = 0; i < row.length; i++) at[row[i]] = row.length === 1 ? 0.5 : i / (row.length - 1);
      }
    }
    const order = new Int32Array(n);
    for (const row of rows) for (let i = 0; i < row.length; i++) order[row[i]] = i;
    return { layer, back, order, count, rows };
  }

  interface Quad {
    x0: number;
    y0: number;
    size: number;
    /** Total charge and its centroid. */
    q: number;
    cx: number;
    cy: number;
    kids: Quad[] | null;
    pts: number[] | null;
  }

  function buildQuad(ids: number[], x: Float64Array, y: Float64Array, charge: Float64Array, x0: number, y0: number, size: number, depth: number): Quad {
    let q = 0;
    let w = 0;
    let cx = 0;
    let cy = 0;
    for (const i of ids) {
      const a = Math.abs(charge[i]);
      q += charge[i];
      w += a;
      cx += a * x[i];
      cy += a * y[i];
    }
    const node: Quad = { x0, y0, size, q, cx: w ? cx / w : x0, cy: w ? cy / w : y0, kids: null, pts: null };
    if (ids.length <= 1 || depth > 24) {
      node.pts = ids;
      return node;
    }
    const h = size / 2;
    const parts: number[][] = [[], [], [], []];
    for (const i of ids) parts[(x[i] >= x0 + h ? 1 : 0) + (y[i] >= y0 + h ? 2 : 0)].push(i);
    node.kids = [];
    for (let k = 0; k < 4; k++)
      if (parts[k].length) node.kids.push(buildQuad(parts[k], x, y, charge, x0 + (k & 1 ? h : 0), y0 + (k & 2 ? h : 0), h, depth + 1));
    return node;
  }

  function force(req: LayoutRequest, progress?: (fraction: number) => void): { x: Float64Array; y: Float64Array } {
    const n = req.n;
    const m = req.source.length;
    const random = mulberry32(req.seed ?? 1);
    const jiggle = () => (random() - 0.5) * 1e-6;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    const vx = new Float64Array(n);
    const vy = new Float64Array(n);
    // d3's phyllotaxis start, busiest nodes in the middle.
    const rank = byVolume(n, req.volume);
    for (let k = 0; k < n; k++) {
      const i = rank[k];
      const r = 10 * Math.sqrt(0.5 + k);
      const a = k * Math.PI * (3 - Math.sqrt(5));
      x[i] = r * Math.cos(a);
      y[i] = r * Math.sin(a);
    }
    const degree = new Float64Array(n);
    for (let e = 0; e < m; e++) {
      if (req.source[e] === req.target[e]) continue;
      degree[req.source[e]]++;
      degree[req.target[e]]++;
    }
    const strength = new Float64Array(m);
    const bias = new Float64Array(m);
    const distance = new Float64Array(m);
    for (let e = 0; e < m; e++) {
      const s = req.source[e];
      const t = req.target[e];
      if (s === t) continue;
      strength[e] = 1 / Math.min(degree[s], degree[t]);
      bias[e] = degree[s] / (degree[s] + degree[t]);
      distance[e] = 24 + req.radius[s] + req.radius[t];
    }
    const charge = new Float64Array(n);
    for (let i = 0; i < n; i++) charge[i] = -30 - 2 * req.radius[i];
    const ids = Array.from({ length: n }, (_, i) => i);
    const ticks = Math.max(1, req.iterations ?? 300);
    const alphaMin = 0.001;
    const alphaDecay = 1 - Math.pow(alphaMin, 1 / ticks);
    const theta2 = 0.81;
    const centre = 0.06;
    let alpha = 1;
    for (let tick = 0; tick < ticks; tick++) {
      alpha += (0 - alpha) * alphaDecay;
      // Links (d3.forceLink).
      for (let e = 0; e < m; e++) {
        if (strength[e] === 0) continue;
        const s = req.source[e];
        const t = req.target[e];
        let dx = x[t] + vx[t] - x[s] - vx[s] || jiggle();
        let dy = y[t] + vy[t] - y[s] - vy[s] || jiggle();
        let l = Math.sqrt(dx * dx + dy * dy);
        l = ((l - distance[e]) / l) * alpha * strength[e];
        dx *= l;
        dy *= l;
        vx[t] -= dx * bias[e];
        vy[t] -= dy * bias[e];
        vx[s] += dx * (1 - bias[e]);
        vy[s] += dy * (1 - bias[e]);
      }
      // Many-body (d3.forceManyBody, Barnes–Hut).
      let x0 = Infinity;
      let y0 = Infinity;
      let x1 = -Infinity;
      let y1 = -Infinity;
      for (let i = 0; i < n; i++) {
        if (x[i] < x0) x0 = x[i];
        if (y[i] < y0) y0 = y[i];
        if (x[i] > x1) x1 = x[i];
        if (y[i] > y1) y1 = y[i];
      }
      const root = buildQuad(ids, x, y, charge, x0, y0, Math.max(x1 - x0, y1 - y0, 1) * 1.0001, 0);
      const stack: Quad[] = [];
      for (let i = 0; i < n; i++) {
        stack.push(root);
        while (stack.length) {
          const quad = stack.pop()!;
          if (quad.pts === null) {
            const dx = quad.cx - x[i];
            const dy = quad.cy - y[i];
            let l = dx * dx + dy * dy;
            if ((quad.size * quad.size) / theta2 < l) {
              if (l < 1) l = Math.sqrt(l);
              vx[i] += (dx * quad.q * alpha) / l;
              vy[i] += (dy * quad.q * alpha) / l;
              continue;
            }
            for (const k of quad.kids!) stack.push(k);
            continue;
          }
          for (const j of quad.pts) {
            if (j === i) continue;
            let dx = x[j] - x[i];
            let dy = y[j] - y[i];
            if (dx === 0) dx = jiggle();
            if (dy === 0) dy = jiggle();
            let l = dx * dx + dy * dy;
            if (l < 1) l = Math.sqrt(l);
            vx[i] += (dx * charge[j] * alpha) / l;
            vy[i] += (dy * charge[j] * alpha) / l;
          }
        }
      }
      // Centre (d3.forceX / forceY at 0), then velocity Verlet with decay 0.4.
      for (let i = 0; i < n; i++) {
        vx[i] += -x[i] * centre * alpha;
        vy[i] += -y[i] * centre * alpha;
        x[i] += vx[i] *= 0.6;
        y[i] += vy[i] *= 0.6;
      }
      if (progress && tick % 20 === 19) progress((tick + 1) / ticks);
    }
    return { x, y };
  }

  function layout(req: LayoutRequest, progress?: (fraction: number) => void): LayoutResult {
    const n = req.n;
    if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`layout: n must be a non-negative integer, got ${String(n)}`);
    if (req.source.length !== req.target.length) throw new RangeError('layout: source and target differ in length');
    for (let e = 0; e < req.source.length; e++) {
      const s = req.source[e];
      const t = req.target[e];
      if (!(s >= 0 && s < n && t >= 0 && t < n)) throw new RangeError(`layout: edge ${e} refers to a node outside 0…${n - 1}`);
    }
    if (req.kind !== 'force' && req.kind !== 'hierarchical' && req.kind !== 'radial') throw new TypeError(`layout: unknown kind ${String(req.kind)}`);
    const comps = components(n, req.source, req.target);
    const lay = layers(n, req.source, req.target, req.volume);
    let x: Float64Array = new Float64Array(n);
    let y: Float64Array = new Float64Array(n);
    if (req.kind === 'force') {
      const f = force(req, progress);
      x = f.x;
      y = f.y;
    } else if (req.kind === 'hierarchical') {
      for (let v = 0; v < n; v++) {
        const size = lay.rows[lay.layer[v]].length;
        x[v] = size === 1 ? 0.5 : (lay.order[v] + 0.5) / size;
        y[v] = lay.layer[v];
      }
    } else {
      // Rings: a single node at depth 0 sits in the centre; otherwise ring k has radius k + 1.
      const inner = lay.rows[0]?.length === 1 ? 0 : 1;
      for (let v = 0; v < n; v++) {
        const size = lay.rows[lay.layer[v]].length;
        const r = lay.layer[v] + inner;
        const a = -Math.PI / 2 + (2 * Math.PI * (lay.order[v] + 0.5)) / size + lay.layer[v] * 0.35;
        x[v] = r * Math.cos(a);
        y[v] = r * Math.sin(a);
      }
    }
    progress?.(1);
    return { kind: req.kind, x, y, layer: lay.layer, back: lay.back, ...comps };
  }

  return { components, layers, layout };
}
