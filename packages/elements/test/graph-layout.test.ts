/**
 * The dependency graph's pure kernel (graph-layout.ts): Tarjan's components and the edges on cycles
 * against a brute-force reachability reference, layering against its definition, the three layouts'
 * geometry and determinism, the force layout against the real d3-force (it is a port of it), and the
 * Blob worker giving the same numbers as the main thread.
 */
import { expect } from '@open-wc/testing';
import { forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import { graphKernel, type LayoutRequest } from '../src/components/dependency-graph/graph-layout.js';
import { LayoutRunner } from '../src/components/dependency-graph/graph-layout-worker.js';
import { defaultFilters } from '@usage-analytics/queries';
import {
  callStops,
  edgeColumns,
  edgeRows,
  edgeWidth,
  graphModel,
  nodeRadius,
  syntheticGraph,
  visibleEdges,
} from '../src/components/dependency-graph/dependency-graph.data.js';

const K = graphKernel();

/** reach[u][v]: v reachable from u (Floyd–Warshall on booleans; u reaches itself). */
function reach(n: number, src: number[], tgt: number[]): boolean[][] {
  const r = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i === j));
  src.forEach((s, e) => (r[s][tgt[e]] = true));
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) if (r[i][k]) for (let j = 0; j < n; j++) if (r[k][j]) r[i][j] = true;
  return r;
}

function random(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function randomGraph(n: number, m: number, seed: number) {
  const rnd = random(seed);
  const src: number[] = [];
  const tgt: number[] = [];
  const seen = new Set<string>();
  while (src.length < m) {
    const s = Math.floor(rnd() * n);
    const t = Math.floor(rnd() * n);
    if (seen.has(`${s},${t}`)) continue;
    seen.add(`${s},${t}`);
    src.push(s);
    tgt.push(t);
  }
  return { src, tgt };
}

const request = (kind: LayoutRequest['kind'], n: number, src: number[], tgt: number[], seed = 1): LayoutRequest => ({
  kind,
  n,
  source: src,
  target: tgt,
  volume: Array.from({ length: n }, (_, i) => (i * 7919) % 101),
  radius: Array.from({ length: n }, (_, i) => 3 + (i % 5)),
  seed,
});

describe('graph kernel: components and cycles', () => {
  it('a chain has no cycle; a ring, a mutual pair and a self-call each count as one', () => {
    const chain = K.components(4, [0, 1, 2], [1, 2, 3]);
    expect(chain.count).to.equal(4);
    expect(chain.cycles).to.equal(0);
    expect([...chain.cyclic]).to.deep.equal([0, 0, 0]);
    // 0→1→2→0 (ring), 3↔4 (mutual), 5→5 (self), 2→3 and 4→6 (bridges, not on a cycle).
    const g = K.components(7, [0, 1, 2, 3, 4, 5, 2, 4], [1, 2, 0, 4, 3, 5, 3, 6]);
    expect(g.cycles).to.equal(3);
    expect([...g.cyclic]).to.deep.equal([1, 1, 1, 1, 1, 1, 0, 0]);
    expect(g.component[0]).to.equal(g.component[1]);
    expect(g.component[0]).to.equal(g.component[2]);
    expect(g.component[3]).to.equal(g.component[4]);
    expect(g.component[0]).to.not.equal(g.component[3]);
  });

  it('matches mutual reachability on random graphs (components, cyclic edges, cycle count)', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const n = 5 + seed * 3;
      const { src, tgt } = randomGraph(n, Math.floor(n * 1.3), seed);
      const r = reach(n, src, tgt);
      const c = K.components(n, src, tgt);
      for (let u = 0; u < n; u++) for (let v = 0; v < n; v++) expect(c.component[u] === c.component[v], `${seed}: ${u},${v}`).to.equal(r[u][v] && r[v][u]);
      src.forEach((s, e) => expect(c.cyclic[e] === 1, `edge ${e}`).to.equal(r[tgt[e]][s]));
      const comps = new Map<number, number[]>();
      for (let v = 0; v < n; v++) comps.set(c.component[v], [...(comps.get(c.component[v]) ?? []), v]);
      const expected = [...comps.values()].filter((vs) => vs.length > 1 || src.some((s, e) => s === vs[0] && tgt[e] === vs[0])).length;
      expect(c.cycles, `seed ${seed}`).to.equal(expected);
    }
  });

  it('handles a deep chain without recursion limits', () => {
    const n = 20_000;
    const src = Array.from({ length: n - 1 }, (_, i) => i);
    const c = K.components(n, [...src, n - 1], [...src.map((i) => i + 1), 0]);
    expect(c.count).to.equal(1);
    expect(c.cycles).to.equal(1);
  });
});

describe('graph kernel: layers', () => {
  it('back edges break every cycle; each layer is the longest path over the rest; callers above callees', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const n = 8 + seed * 4;
      const { src, tgt } = randomGraph(n, n * 2, seed + 100);
      const L = K.layers(n, src, tgt, request('hierarchical', n, src, tgt).volume);
      const kept = src.map((_, e) => e).filter((e) => !L.back[e]);
      // Acyclic: no kept edge closes a path.
      const r = reach(
        n,
        kept.map((e) => src[e]),
        kept.map((e) => tgt[e]),
      );
      for (const e of kept) expect(r[tgt[e]][src[e]], `seed ${seed} edge ${e} is on a cycle`).to.equal(false);
      // Longest path: layer(v) = 0 without kept in-edges, else 1 + max over its kept predecessors.
      for (let v = 0; v < n; v++) {
        const preds = kept.filter((e) => tgt[e] === v).map((e) => L.layer[src[e]]);
        expect(L.layer[v], `seed ${seed} node ${v}`).to.equal(preds.length ? 1 + Math.max(...preds) : 0);
      }
      // Only edges that close a cycle are reversed.
      const full = reach(n, src, tgt);
      src.forEach((s, e) => {
        if (L.back[e]) expect(full[tgt[e]][s]).to.equal(true);
      });
      // order: a permutation of 0…size-1 within each layer.
      for (let k = 0; k < L.count; k++) {
        const row = [...L.layer.keys()].filter((v) => L.layer[v] === k).map((v) => L.order[v]);
        expect(row.sort((a, b) => a - b)).to.deep.equal(row.map((_, i) => i));
      }
    }
  });
});

describe('graph kernel: layouts', () => {
  const { src, tgt } = randomGraph(60, 150, 7);

  it('hierarchical: y is the layer and x lies in (0, 1); radial: distance from the centre is the ring', () => {
    const h = K.layout(request('hierarchical', 60, src, tgt));
    const L = K.layers(60, src, tgt, request('hierarchical', 60, src, tgt).volume);
    expect([...h.y]).to.deep.equal([...L.layer]);
    for (const x of h.x) expect(x).to.be.within(0, 1);
    const r = K.layout(request('radial', 60, src, tgt));
    const inner = [...L.layer].filter((l) => l === 0).length === 1 ? 0 : 1;
    for (let v = 0; v < 60; v++) expect(Math.hypot(r.x[v], r.y[v])).to.be.closeTo(L.layer[v] + inner, 1e-9);
  });

  it('force: finite, deterministic for a seed, different for another; linked nodes end up closer than unlinked ones', () => {
    const a = K.layout(request('force', 60, src, tgt, 3));
    const b = K.layout(request('force', 60, src, tgt, 3));
    expect([...a.x]).to.deep.equal([...b.x]);
    expect([...a.y]).to.deep.equal([...b.y]);
    for (const v of [...a.x, ...a.y]) expect(Number.isFinite(v)).to.equal(true);
    const d = (i: number, j: number) => Math.hypot(a.x[i] - a.x[j], a.y[i] - a.y[j]);
    const linked = new Set(src.map((s, e) => `${Math.min(s, tgt[e])},${Math.max(s, tgt[e])}`));
    let sumL = 0;
    let nL = 0;
    let sumU = 0;
    let nU = 0;
    for (let i = 0; i < 60; i++)
      for (let j = i + 1; j < 60; j++) {
        if (linked.has(`${i},${j}`)) ((sumL += d(i, j)), nL++);
        else ((sumU += d(i, j)), nU++);
      }
    expect(sumL / nL).to.be.lessThan((sumU / nU) * 0.8);
    // Coincident start points (n = 2, no edges) still separate.
    const two = K.layout({ kind: 'force', n: 2, source: [], target: [], volume: [1, 1], radius: [3, 3] });
    expect(Math.hypot(two.x[0] - two.x[1], two.y[0] - two.y[1])).to.be.greaterThan(1);
  });

  it('empty and single-node graphs lay out; bad input is refused with the bad value named', () => {
    for (const kind of ['force', 'hierarchical', 'radial'] as const) {
      expect(K.layout({ kind, n: 0, source: [], target: [], volume: [], radius: [] }).x.length).to.equal(0);
      const one = K.layout({ kind, n: 1, source: [0], target: [0], volume: [5], radius: [4] });
      expect(Number.isFinite(one.x[0]) && Number.isFinite(one.y[0])).to.equal(true);
      expect(one.cycles).to.equal(1);
    }
    expect(() => K.layout({ kind: 'force', n: 2, source: [0], target: [2], volume: [1, 1], radius: [1, 1] })).to.throw(/edge 0/);
    expect(() => K.layout({ kind: 'grid' as never, n: 1, source: [], target: [], volume: [1], radius: [1] })).to.throw(/grid/);
  });

  it('the kernel is self-contained: its source text alone gives the same layout', () => {
    const fresh = new Function(`return (${graphKernel.toString()})();`)() as ReturnType<typeof graphKernel>;
    const a = K.layout(request('force', 60, src, tgt, 9));
    const b = fresh.layout(request('force', 60, src, tgt, 9));
    expect([...b.x]).to.deep.equal([...a.x]);
  });

  it('the Blob worker gives the same result as the main thread, reports progress, and a newer run supersedes an older one', async () => {
    const g = syntheticGraph(200, 1500, 5);
    const req: LayoutRequest = { kind: 'force', n: g.nodes.length, ...g.indices, radius: g.nodes.map(() => 4), seed: 2 };
    const runner = new LayoutRunner();
    const progress: number[] = [];
    const first = runner.run(req).catch((e: unknown) => e);
    const inWorker = await runner.run(req, { onProgress: (p) => progress.push(p) });
    expect(((await first) as Error)?.name).to.equal('AbortError');
    expect(runner.lastThread).to.equal('worker');
    expect(progress.length).to.be.greaterThan(3);
    expect(progress[progress.length - 1]).to.equal(1);
    const onMain = await new LayoutRunner().run(req, { mainThread: true });
    expect([...inWorker.x]).to.deep.equal([...onMain.x]);
    expect([...inWorker.cyclic]).to.deep.equal([...onMain.cyclic]);
    runner.dispose();
  });
});

/** The PRNG the kernel seeds (mulberry32), written out again for d3's randomSource. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface D3Node extends SimulationNodeDatum {
  id: number;
}

/**
 * The force layout the kernel documents, run by d3-force itself: nodes on d3's phyllotaxis spiral in
 * order of volume (busiest first, then index), links = the edges that are not self-calls, forceLink
 * (distance 24 + both radii, default strength and bias), forceManyBody (−30 − 2·radius, θ 0.9),
 * forceX/forceY(0) at 0.06, alpha 1 → 0.001 over the ticks, the seeded random source.
 */
function d3Layout(req: LayoutRequest): { x: number[]; y: number[] } {
  const n = req.n;
  const rank = Array.from({ length: n }, (_, i) => i).sort((a, b) => req.volume[b] - req.volume[a] || a - b);
  const nodes: D3Node[] = Array.from({ length: n }, (_, id) => ({ id }));
  const initialAngle = Math.PI * (3 - Math.sqrt(5)); // d3's, so the start is bit-identical
  rank.forEach((i, k) => {
    nodes[i].x = 10 * Math.sqrt(0.5 + k) * Math.cos(k * initialAngle);
    nodes[i].y = 10 * Math.sqrt(0.5 + k) * Math.sin(k * initialAngle);
  });
  const links: SimulationLinkDatum<D3Node>[] = [];
  for (let e = 0; e < req.source.length; e++) if (req.source[e] !== req.target[e]) links.push({ source: req.source[e], target: req.target[e] });
  const ticks = req.iterations ?? 300;
  const r = (d: D3Node | string | number) => req.radius[(d as D3Node).id];
  const sim = forceSimulation(nodes)
    .stop()
    .randomSource(mulberry32(req.seed ?? 1))
    .alphaDecay(1 - Math.pow(0.001, 1 / ticks))
    .force(
      'link',
      forceLink<D3Node, SimulationLinkDatum<D3Node>>(links)
        .id((d) => d.id)
        .distance((l) => 24 + r(l.source) + r(l.target)),
    )
    .force(
      'charge',
      forceManyBody<D3Node>()
        .strength((d) => -30 - 2 * req.radius[d.id])
        .theta(0.9),
    )
    .force('x', forceX<D3Node>(0).strength(0.06))
    .force('y', forceY<D3Node>(0).strength(0.06));
  sim.tick(ticks);
  return { x: nodes.map((d) => d.x!), y: nodes.map((d) => d.y!) };
}

describe('graph kernel: the force layout is d3-force', () => {
  const ring = (n: number) => ({ src: [...Array(n).keys()], tgt: [...Array(n).keys()].map((i) => (i + 1) % n) });
  const graphs: Record<string, () => { n: number; src: number[]; tgt: number[] }> = {
    // A 12-ring with a chord, a mutual pair on it and a duplicate edge.
    'ring with a cycle': () => {
      const g = ring(12);
      return { n: 12, src: [...g.src, 0, 4, 3], tgt: [...g.tgt, 6, 3, 4] };
    },
    'star (one hub calling 29 agents)': () => ({ n: 30, src: Array<number>(29).fill(0), tgt: [...Array(29).keys()].map((i) => i + 1) }),
    'random, 200 agents and 800 edges': () => ({ n: 200, ...randomGraph(200, 800, 11) }),
    'isolated agents and a self-call': () => ({ n: 14, src: [0, 1, 2, 3, 3, 9], tgt: [1, 2, 0, 4, 3, 9] }),
    'two components': () => {
      const a = ring(8);
      return { n: 16, src: [...a.src, ...a.src.map((i) => i + 8)], tgt: [...a.tgt, ...a.tgt.map((i) => i + 8)] };
    },
  };

  for (const [name, make] of Object.entries(graphs)) {
    it(`${name}: the same positions as d3-force from the same start and random source`, () => {
      const { n, src, tgt } = make();
      for (const [seed, iterations] of [
        [1, undefined],
        [7, 120],
      ] as const) {
        const req = { ...request('force', n, src, tgt, seed), iterations };
        const ours = K.layout(req);
        const d3 = d3Layout(req);
        let extent = 0;
        let dev = 0;
        for (let i = 0; i < n; i++) {
          extent = Math.max(extent, Math.abs(d3.x[i]), Math.abs(d3.y[i]));
          dev = Math.max(dev, Math.abs(ours.x[i] - d3.x[i]), Math.abs(ours.y[i] - d3.y[i]));
        }
        expect(extent, 'the layout spreads out').to.be.greaterThan(20);
        // In practice the deviation is exactly 0: the same arithmetic in the same order.
        expect(dev, `${name}, seed ${seed}: max |Δ| ${dev} of extent ${extent}`).to.be.at.most(1e-9 * extent);
      }
    });
  }

  it('the element-sized graph (500 agents, 5,000 edges, busiest first) matches d3-force too', () => {
    const g = syntheticGraph(500, 5000, 7);
    const model = graphModel(g);
    const n = model.nodes.length;
    const req: LayoutRequest = {
      kind: 'force',
      n,
      source: [...model.source],
      target: [...model.target],
      volume: model.nodes.map((x) => x.requests),
      radius: model.nodes.map((x) => nodeRadius(x.requests, model.maxRequests, n)),
      seed: 1,
    };
    const ours = K.layout(req);
    const d3 = d3Layout(req);
    let extent = 0;
    let dev = 0;
    for (let i = 0; i < n; i++) {
      extent = Math.max(extent, Math.abs(d3.x[i]), Math.abs(d3.y[i]));
      dev = Math.max(dev, Math.abs(ours.x[i] - d3.x[i]), Math.abs(ours.y[i] - d3.y[i]));
    }
    expect(dev, `max |Δ| ${dev} of extent ${extent}`).to.be.at.most(1e-9 * extent);
  });
});

describe('layout runner fallback', () => {
  it('runs on the main thread when no worker can start, with the same result', async () => {
    const req: LayoutRequest = { kind: 'hierarchical', n: 4, source: [0, 1, 2], target: [1, 2, 0], volume: [4, 3, 2, 1], radius: [3, 3, 3, 3] };
    const real = window.Worker;
    (window as { Worker: unknown }).Worker = class {
      constructor() {
        throw new Error('blocked by CSP');
      }
    };
    try {
      const runner = new LayoutRunner();
      const progress: number[] = [];
      const r = await runner.run(req, { onProgress: (p) => progress.push(p) });
      expect(runner.lastThread).to.equal('main');
      expect(progress[0]).to.equal(0);
      expect([...r.y]).to.deep.equal([...K.layout(req).y]);
      expect(r.cycles).to.equal(1);
    } finally {
      window.Worker = real;
    }
  });
});

describe('dependency-graph view-model', () => {
  const g = {
    nodes: [
      { agentId: 'b', name: 'B', departmentId: 'x', status: 'active', requests: 50, errorRate: 0 },
      { agentId: 'a', name: 'A', departmentId: null, status: null, requests: 50, errorRate: 0 },
      { agentId: 'c', name: 'c', departmentId: 'y', status: 'active', requests: 900, errorRate: 0 },
    ],
    edges: [
      { source: 'a', target: 'b', calls: 5, avgLatencyMs: 1, errorRate: 0 },
      { source: 'b', target: 'a', calls: 9, avgLatencyMs: 1, errorRate: 0 },
      { source: 'c', target: 'a', calls: 1, avgLatencyMs: 1, errorRate: 0 },
      { source: 'c', target: 'c', calls: 2, avgLatencyMs: 1, errorRate: 0 },
      { source: 'c', target: 'gone', calls: 2, avgLatencyMs: 1, errorRate: 0 },
    ],
  };

  it('orders agents by volume then id, indexes edges, finds mutual pairs (not self-calls), sums calls in and out', () => {
    const m = graphModel(g);
    expect(m.nodes.map((n) => n.agentId)).to.deep.equal(['c', 'a', 'b']);
    expect(m.edges).to.have.length(4); // the edge to an unknown agent is dropped
    expect([...m.source]).to.deep.equal([1, 2, 0, 0]);
    expect([...m.target]).to.deep.equal([2, 1, 1, 0]);
    expect([...m.mutual]).to.deep.equal([1, 1, 0, 0]);
    expect([...m.inCalls]).to.deep.equal([2, 10, 5]);
    expect([...m.outCalls]).to.deep.equal([3, 5, 9]);
    expect(m.maxCalls).to.equal(9);
  });

  it('sizes grow with the square root; the slider cut and its stops', () => {
    expect(nodeRadius(0, 100, 10)).to.equal(4);
    expect(nodeRadius(100, 100, 10)).to.equal(22);
    expect(nodeRadius(25, 100, 10)).to.be.closeTo(4 + 18 * 0.5, 1e-9);
    expect(edgeWidth(9, 9)).to.equal(7);
    expect(edgeWidth(0, 9)).to.equal(0.75);
    const m = graphModel(g);
    expect(visibleEdges(m, 3).hidden).to.equal(2);
    expect([...visibleEdges(m, 3).visible]).to.deep.equal([1, 1, 0, 0]);
    expect(callStops(m)).to.deep.equal([1, 2, 5, 9]);
    const many = graphModel(syntheticGraph(200, 3000, 4));
    const stops = callStops(many);
    expect(stops.length).to.be.at.most(61);
    expect(stops[0]).to.equal(1);
    expect(stops[stops.length - 1]).to.equal(many.maxCalls);
    expect([...stops].sort((a, b) => a - b)).to.deep.equal(stops);
  });

  it('table rows: busiest edge first, cycle and shown flags; drill-downs carry the filters', () => {
    const m = graphModel(g);
    const rows = edgeRows(m, Uint8Array.from([1, 1, 0, 1]), Uint8Array.from([1, 1, 0, 0]));
    expect(rows.map((r) => `${r.source}>${r.target}:${r.calls}:${r.inCycle}:${r.shown}`)).to.deep.equal([
      'b>a:9:yes:yes',
      'a>b:5:yes:yes',
      'c>c:2:yes:no',
      'c>a:1:no:no',
    ]);
    const f = defaultFilters({ departments: ['x'], agentIds: ['q'] });
    const cols = edgeColumns(() => f);
    expect(cols.find((c) => c.key === 'calls')!.drill!(rows[0])).to.deep.equal({ kind: 'agent-call', source: 'b', target: 'a', filters: f });
    expect(cols.find((c) => c.key === 'source')!.drill!(rows[0])).to.deep.equal({ kind: 'agent', agentId: 'b', filters: { ...f, agentIds: ['b'] } });
  });
});
