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
 * Force layout: a line-by-line port of d3-force 3 (forceSimulation with forceLink, forceManyBody,
 * forceX/forceY) and of the d3-quadtree 3 its many-body force builds every tick. It is a port, not an
 * import, because the layout runs in a Blob-URL Worker made from this function's source text, which
 * cannot `import` anything; a module worker (`new Worker(new URL('./w.js', import.meta.url))`) is
 * bundler-specific syntax that web-test-runner, Vite (Storybook), the rollup demo build and a consumer's
 * bundler of the published package each treat differently, while a Blob worker works unbundled in all of
 * them. test/graph-layout.test.ts pins the port to the real d3-force (a dependency of this package): on
 * the same graphs, from the same start with the same random source, the positions must come out equal.
 *
 * The simulation, as d3 would be configured: nodes in index order starting on d3's phyllotaxis spiral
 * (10·√(0.5 + k), k·π(3 − √5)) with k the node's rank by volume (busiest in the middle); alpha 1 → 0.001
 * over `iterations` ticks (alphaDecay 1 − 0.001^(1/ticks)), velocity decay 0.4; forces in this order:
 * forceLink over the edges that are not self-calls (distance 24 + both radii, d3's default strength
 * 1 / min(count) and bias), forceManyBody (strength −30 − 2·radius, θ 0.9, distanceMin 1), forceX(0) and
 * forceY(0) at strength 0.06 (a weak pull to the centre that also holds isolated nodes and separate
 * components). d3's random source is a seeded PRNG (mulberry32) used by jiggle for coincident points,
 * so a seed gives the same layout every time.
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

/**
 * The self-contained kernel (see the file header: keep every helper INSIDE this function).
 *
 * Its force layout is a port of d3-force + d3-quadtree rather than an import of them: the function's
 * source text becomes a Blob-URL Worker, which cannot import; a Blob worker needs no bundler-specific
 * worker syntax, so the package runs the same unbundled (web-test-runner), under Vite (Storybook), in
 * the rollup demo build and when published. The port follows d3's order of operations exactly, and
 * test/graph-layout.test.ts runs the real d3-force next to it and requires the same positions — change
 * the two together.
 */
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

  /**
   * d3-quadtree 3's point quadtree, ported for the many-body force (addAll, cover, add, visit and
   * visitAfter, the same arithmetic in the same order), stored in flat arrays: quad q is internal when
   * `data[q] < 0` (children `kid[4q…4q+3]`, -1 when empty), else a leaf holding node `data[q]` with
   * `next[q]` the next coincident leaf. `value`/`cx`/`cy` are forceManyBody's accumulated charge and
   * its centroid. Rebuilt every tick, as d3 does, into the same buffers.
   */
  function quadtree() {
    let cap = 64;
    let kid = new Int32Array(cap * 4);
    let data = new Int32Array(cap);
    let next = new Int32Array(cap);
    let value = new Float64Array(cap);
    let cx = new Float64Array(cap);
    let cy = new Float64Array(cap);
    let used = 0;
    const t = { root: -1, x0: NaN, y0: NaN, x1: NaN, y1: NaN, kid, data, next, value, cx, cy };

    function alloc(d: number): number {
      if (used === cap) {
        cap *= 2;
        const grow = <A extends Int32Array | Float64Array>(a: A, size: number): A => {
          const b = new (a.constructor as new (n: number) => A)(size);
          b.set(a);
          return b;
        };
        t.kid = kid = grow(kid, cap * 4);
        t.data = data = grow(data, cap);
        t.next = next = grow(next, cap);
        t.value = value = grow(value, cap);
        t.cx = cx = grow(cx, cap);
        t.cy = cy = grow(cy, cap);
      }
      const q = used++;
      kid[4 * q] = kid[4 * q + 1] = kid[4 * q + 2] = kid[4 * q + 3] = -1;
      data[q] = d;
      next[q] = -1;
      return q;
    }

    /** d3's cover() on an empty tree: only the extent changes (integer origin, side doubled until it covers). */
    function cover(x: number, y: number) {
      if (isNaN(x) || isNaN(y)) return;
      let x0 = t.x0;
      let y0 = t.y0;
      let x1 = t.x1;
      let y1 = t.y1;
      if (isNaN(x0)) {
        x1 = (x0 = Math.floor(x)) + 1;
        y1 = (y0 = Math.floor(y)) + 1;
      } else {
        let z = x1 - x0 || 1;
        while (x0 > x || x >= x1 || y0 > y || y >= y1) {
          const i = (y < y0 ? 2 : 0) | (x < x0 ? 1 : 0);
          z *= 2;
          switch (i) {
            case 0:
              x1 = x0 + z;
              y1 = y0 + z;
              break;
            case 1:
              x0 = x1 - z;
              y1 = y0 + z;
              break;
            case 2:
              x1 = x0 + z;
              y0 = y1 - z;
              break;
            case 3:
              x0 = x1 - z;
              y0 = y1 - z;
              break;
          }
        }
      }
      t.x0 = x0;
      t.y0 = y0;
      t.x1 = x1;
      t.y1 = y1;
    }

    function add(X: Float64Array, Y: Float64Array, d: number) {
      const x = X[d];
      const y = Y[d];
      if (isNaN(x) || isNaN(y)) return;
      let node = t.root;
      const leaf = alloc(d);
      if (node < 0) {
        t.root = leaf;
        return;
      }
      let x0 = t.x0;
      let y0 = t.y0;
      let x1 = t.x1;
      let y1 = t.y1;
      let xm: number;
      let ym: number;
      let parent = -1;
      let i = 0;
      while (data[node] < 0) {
        if (x >= (xm = (x0 + x1) / 2)) x0 = xm;
        else x1 = xm;
        if (y >= (ym = (y0 + y1) / 2)) y0 = ym;
        else y1 = ym;
        parent = node;
        i = (y >= ym ? 2 : 0) | (x >= xm ? 1 : 0);
        node = kid[4 * parent + i];
        if (node < 0) {
          kid[4 * parent + i] = leaf;
          return;
        }
      }
      const xp = X[data[node]];
      const yp = Y[data[node]];
      if (x === xp && y === yp) {
        next[leaf] = node;
        if (parent >= 0) kid[4 * parent + i] = leaf;
        else t.root = leaf;
        return;
      }
      let j: number;
      do {
        const p = alloc(-1);
        if (parent >= 0) kid[4 * parent + i] = p;
        else t.root = p;
        parent = p;
        if (x >= (xm = (x0 + x1) / 2)) x0 = xm;
        else x1 = xm;
        if (y >= (ym = (y0 + y1) / 2)) y0 = ym;
        else y1 = ym;
      } while ((i = (y >= ym ? 2 : 0) | (x >= xm ? 1 : 0)) === (j = (yp >= ym ? 2 : 0) | (xp >= xm ? 1 : 0)));
      kid[4 * parent + j] = node;
      kid[4 * parent + i] = leaf;
    }

    /** quadtree(nodes, d => d.x, d => d.y): a fresh tree over nodes 0…n-1 in index order. */
    function addAll(n: number, X: Float64Array, Y: Float64Array) {
      used = 0;
      t.root = -1;
      t.x0 = t.y0 = t.x1 = t.y1 = NaN;
      let x0 = Infinity;
      let y0 = x0;
      let x1 = -x0;
      let y1 = x1;
      for (let i = 0; i < n; i++) {
        const x = X[i];
        const y = Y[i];
        if (isNaN(x) || isNaN(y)) continue;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
      if (x0 > x1 || y0 > y1) return;
      cover(x0, y0);
      cover(x1, y1);
      for (let i = 0; i < n; i++) add(X, Y, i);
    }

    return { t, addAll, size: () => used };
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
    // d3's phyllotaxis start (initialRadius 10, initialAngle π(3 − √5)), busiest nodes in the middle.
    const rank = byVolume(n, req.volume);
    const initialAngle = Math.PI * (3 - Math.sqrt(5));
    for (let k = 0; k < n; k++) {
      const i = rank[k];
      const r = 10 * Math.sqrt(0.5 + k);
      const a = k * initialAngle;
      x[i] = r * Math.cos(a);
      y[i] = r * Math.sin(a);
    }
    // forceLink over the edges that are not self-calls, in edge order: count, bias, strength 1 / min(count), distance.
    const links: number[] = [];
    for (let e = 0; e < m; e++) if (req.source[e] !== req.target[e]) links.push(e);
    const L = links.length;
    const ls = new Int32Array(L);
    const lt = new Int32Array(L);
    const count = new Float64Array(n);
    for (let k = 0; k < L; k++) {
      ls[k] = req.source[links[k]];
      lt[k] = req.target[links[k]];
      count[ls[k]]++;
      count[lt[k]]++;
    }
    const bias = new Float64Array(L);
    const strength = new Float64Array(L);
    const distance = new Float64Array(L);
    for (let k = 0; k < L; k++) {
      const s = ls[k];
      const t = lt[k];
      bias[k] = count[s] / (count[s] + count[t]);
      strength[k] = 1 / Math.min(count[s], count[t]);
      distance[k] = 24 + req.radius[s] + req.radius[t];
    }
    // forceManyBody: strength per node, θ² = 0.81, distanceMin² = 1, distanceMax² = ∞.
    const charge = new Float64Array(n);
    for (let i = 0; i < n; i++) charge[i] = -30 - 2 * req.radius[i];
    const theta2 = 0.81;
    const distanceMin2 = 1;
    const distanceMax2 = Infinity;
    // forceX(0) and forceY(0), strength 0.06: a weak pull to the centre that also holds stray components.
    const centre = 0.06;
    const ticks = Math.max(1, req.iterations ?? 300);
    const alphaMin = 0.001;
    const alphaDecay = 1 - Math.pow(alphaMin, 1 / ticks);
    const velocityDecay = 0.6;
    const tree = quadtree();
    const qt = tree.t;
    // Per quad: its Barnes–Hut threshold w² / θ² (w from d3's halving of the extent) and a visit stack.
    let far = new Float64Array(64);
    let stack = new Int32Array(64);
    let order = new Int32Array(64);
    let spanX0 = new Float64Array(64);
    let spanX1 = new Float64Array(64);
    let alpha = 1;
    for (let tick = 0; tick < ticks; tick++) {
      alpha += (0 - alpha) * alphaDecay;
      // forceLink (1 iteration).
      for (let k = 0; k < L; k++) {
        const s = ls[k];
        const t = lt[k];
        let dx = x[t] + vx[t] - x[s] - vx[s] || jiggle();
        let dy = y[t] + vy[t] - y[s] - vy[s] || jiggle();
        let l = Math.sqrt(dx * dx + dy * dy);
        l = ((l - distance[k]) / l) * alpha * strength[k];
        dx *= l;
        dy *= l;
        let b: number;
        vx[t] -= dx * (b = bias[k]);
        vy[t] -= dy * b;
        vx[s] += dx * (b = 1 - b);
        vy[s] += dy * b;
      }
      // forceManyBody: quadtree(nodes).visitAfter(accumulate), then visit(apply) per node.
      tree.addAll(n, x, y);
      const { kid, data, next, value, cx, cy } = qt;
      if (qt.root >= 0) {
        const size = tree.size();
        if (stack.length < size) {
          far = new Float64Array(2 * size);
          stack = new Int32Array(2 * size);
          order = new Int32Array(2 * size);
          spanX0 = new Float64Array(2 * size);
          spanX1 = new Float64Array(2 * size);
        }
        // visitAfter(accumulate): a pre-order list (with each quad's x-span, as visit() halves it), then
        // taken backwards so children come before their parent.
        let top = 0;
        let len = 0;
        stack[top++] = qt.root;
        spanX0[qt.root] = qt.x0;
        spanX1[qt.root] = qt.x1;
        while (top) {
          const q = stack[--top];
          const x0 = spanX0[q];
          const x1 = spanX1[q];
          const w = x1 - x0;
          far[q] = (w * w) / theta2;
          if (data[q] < 0) {
            const xm = (x0 + x1) / 2;
            for (let c = 0; c < 4; c++) {
              const k = kid[4 * q + c];
              if (k < 0) continue;
              spanX0[k] = c & 1 ? xm : x0;
              spanX1[k] = c & 1 ? x1 : xm;
              stack[top++] = k;
            }
          }
          order[len++] = q;
        }
        for (let o = len - 1; o >= 0; o--) {
          const q = order[o];
          let s = 0;
          if (data[q] < 0) {
            let w = 0;
            let sx = 0;
            let sy = 0;
            for (let c = 0; c < 4; c++) {
              const k = kid[4 * q + c];
              let a: number;
              if (k >= 0 && (a = Math.abs(value[k]))) {
                s += value[k];
                w += a;
                sx += a * cx[k];
                sy += a * cy[k];
              }
            }
            cx[q] = sx / w;
            cy[q] = sy / w;
          } else {
            cx[q] = x[data[q]];
            cy[q] = y[data[q]];
            let k = q;
            do s += charge[data[k]];
            while ((k = next[k]) >= 0);
          }
          value[q] = s;
        }
        // visit(apply) for each node: children pushed 3, 2, 1, 0, so quadrant 0 is taken first.
        for (let i = 0; i < n; i++) {
          top = 0;
          stack[top++] = qt.root;
          while (top) {
            let q = stack[--top];
            if (!value[q]) continue;
            let dx = cx[q] - x[i];
            let dy = cy[q] - y[i];
            let l = dx * dx + dy * dy;
            if (far[q] < l) {
              // Barnes–Hut: the quad as one body.
              if (l < distanceMax2) {
                if (dx === 0) l += (dx = jiggle()) * dx;
                if (dy === 0) l += (dy = jiggle()) * dy;
                if (l < distanceMin2) l = Math.sqrt(distanceMin2 * l);
                vx[i] += (dx * value[q] * alpha) / l;
                vy[i] += (dy * value[q] * alpha) / l;
              }
              continue;
            }
            if (data[q] < 0 || l >= distanceMax2) {
              if (data[q] < 0)
                for (let c = 3; c >= 0; c--) {
                  const k = kid[4 * q + c];
                  if (k >= 0) stack[top++] = k;
                }
              continue;
            }
            if (data[q] !== i || next[q] >= 0) {
              if (dx === 0) l += (dx = jiggle()) * dx;
              if (dy === 0) l += (dy = jiggle()) * dy;
              if (l < distanceMin2) l = Math.sqrt(distanceMin2 * l);
            }
            do
              if (data[q] !== i) {
                const w = (charge[data[q]] * alpha) / l;
                vx[i] += dx * w;
                vy[i] += dy * w;
              }
            while ((q = next[q]) >= 0);
          }
        }
      }
      // forceX, forceY, then the velocity Verlet step with velocity decay 0.4.
      for (let i = 0; i < n; i++) vx[i] += (0 - x[i]) * centre * alpha;
      for (let i = 0; i < n; i++) vy[i] += (0 - y[i]) * centre * alpha;
      for (let i = 0; i < n; i++) {
        x[i] += vx[i] *= velocityDecay;
        y[i] += vy[i] *= velocityDecay;
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
