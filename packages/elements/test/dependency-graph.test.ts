import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { agentCallGraph, defaultFilters, type AgentCallGraph, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC, type Table } from 'apache-arrow';
import '../src/index.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageDependencyGraph from '../src/components/dependency-graph/dependency-graph.component.js';
import { syntheticGraph } from '../src/components/dependency-graph/dependency-graph.data.js';
import type UsageDrilldownPanel from '../src/components/drilldown-panel/drilldown-panel.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type { UsageDrilldownDetail } from '../src/events/usage-drilldown.js';
import { chartClient } from './helpers/chart-fakes.js';
import { renamedSnapshot } from './helpers/hostile-snapshot.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT } from './helpers/snapshot.js';

const LONG = { timeout: 60_000, interval: 50 };
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageDependencyGraph) => el.shadowRoot!;
const frameOf = (el: UsageDependencyGraph) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const plot = (el: UsageDependencyGraph) => root(el).querySelector<HTMLDivElement>('.plot')!;
const circles = (el: UsageDependencyGraph) => root(el).querySelectorAll('.plot svg g.nodes circle');
const edgePaths = (el: UsageDependencyGraph) => [...root(el).querySelectorAll<SVGPathElement>('.plot svg g.edges path')];
const drawn = (el: UsageDependencyGraph) => waitUntil(() => el.scene && !el.isPending(), 'graph did not draw', LONG);

/**
 * Focuses the plot. In the long headless run of the whole suite Chromium sometimes moves the focus
 * without firing `focus` on the plot (the page has lost system focus); then the event the browser
 * would send is dispatched by hand, so the chart's own focus handling is still what gets tested.
 */
async function focusPlot(el: UsageDependencyGraph) {
  const p = plot(el);
  p.focus();
  expect(root(el).activeElement === p, 'the plot has the focus').to.equal(true);
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  await elementUpdated(el);
  if (text(root(el).querySelector('[aria-live="polite"]')) === '') p.dispatchEvent(new FocusEvent('focus'));
}

/** A graph through the module's own transform (the rows its SQL returns). */
function graphOf(
  nodes: [id: string, name: string, dept: string | null, requests: number, errorRate?: number][],
  edges: [string, string, number][],
): AgentCallGraph {
  const rows = [
    ...edges.map(([s, t, calls]) => ({ kind: 'edge', source: s, target: t, calls, avg_latency: 100 + calls, error_rate: calls % 7 })),
    ...nodes.map(([id, name, dept, requests, err]) => ({
      kind: 'node',
      source: id,
      name,
      department_id: dept,
      status: 'active',
      requests,
      node_error_rate: err ?? 1,
    })),
  ];
  return agentCallGraph.transform(rows, undefined as never, undefined);
}

// router → code ↔ writer (mutual), writer → analyst → router (closes a cycle of 4 with code), search (self-call), support → search.
const SAMPLE = graphOf(
  [
    ['agt-router', 'Router', 'engineering', 900],
    ['agt-code', 'Code Helper', 'engineering', 700, 12],
    ['agt-writer', 'Writer', 'marketing', 500],
    ['agt-analyst', 'Analyst', 'sales', 300],
    ['agt-search', 'Search', 'support', 200, 30],
    ['agt-support', 'Support Bot', 'support', 100],
  ],
  [
    ['agt-router', 'agt-code', 120],
    ['agt-code', 'agt-writer', 60],
    ['agt-writer', 'agt-code', 15],
    ['agt-writer', 'agt-analyst', 8],
    ['agt-analyst', 'agt-router', 3],
    ['agt-search', 'agt-search', 5],
    ['agt-support', 'agt-search', 40],
  ],
);

const answering = (g: AgentCallGraph = SAMPLE) =>
  chartClient({ agentCallGraph: () => g }, {}, { departments: ['engineering', 'marketing', 'sales', 'support'] });

async function chartWith(client: unknown, attrs: { layout?: string; renderer?: string; filters?: UsageFilters } = {}) {
  const div = await fixture<HTMLDivElement>(
    html`<div style="width: 820px">
      <usage-dependency-graph
        .client=${client}
        .filters=${attrs.filters ?? defaultFilters()}
        layout=${attrs.layout ?? 'force'}
        renderer=${attrs.renderer ?? 'auto'}
      ></usage-dependency-graph>
    </div>`,
  );
  const el = div.querySelector('usage-dependency-graph')!;
  await elementUpdated(el);
  return el;
}

function clickAt(el: UsageDependencyGraph, target: { node: number } | { edge: number }) {
  const p = el.screenPoint(target)!;
  const rect = plot(el).getBoundingClientRect();
  plot(el).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: rect.left + p.x, clientY: rect.top + p.y }));
}

describe('<usage-dependency-graph> with a stand-in client', () => {
  it('is accessible with data, loading, empty and in error', async () => {
    const el = await chartWith(answering());
    await drawn(el);
    await expect(el).to.be.accessible();
    const loading = await chartWith(chartClient({}));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await chartWith(answering({ nodes: [], edges: [] }));
    await waitUntil(() => frameOf(empty).state === 'empty');
    expect(text(frameOf(empty).shadowRoot!.querySelector('[part="empty"]'))).to.contain('No agent called another agent');
    await expect(empty).to.be.accessible();
    const failed = await chartWith(
      chartClient({ agentCallGraph: () => Promise.reject(Object.assign(new Error('query failed: boom'), { code: 'query_failed' })) }),
    );
    await waitUntil(() => frameOf(failed).state === 'error');
    await expect(failed).to.be.accessible();
  });

  it('draws the snapshot’s precomputed graph while the query runs; a focused agent waits for its own query', async () => {
    // Like the real client, the first paint answers the default filters only (rows are keyed by SQL text).
    const precomputedFor = (filters: UsageFilters) => (filters.agentIds?.length ? undefined : SAMPLE);
    const pending = () => ({ ...chartClient({}), precomputed: (_m: unknown, f: UsageFilters) => precomputedFor(f) });
    const el = await chartWith(pending());
    await waitUntil(() => el.scene, 'no first paint', LONG);
    expect(frameOf(el).state).to.equal('ready');
    expect(el.model?.nodes.length).to.equal(SAMPLE.nodes.length);
    const focused = document.createElement('usage-dependency-graph') as UsageDependencyGraph;
    focused.client = pending() as never;
    focused.focusAgent = 'agt-router';
    el.parentElement!.append(focused);
    await elementUpdated(focused);
    expect(frameOf(focused).state).to.equal('loading');
    expect(focused.data).to.equal(undefined);
  });

  it('asks for both ends of the agent filter, and focus-agent replaces agentIds', async () => {
    const client = answering();
    const el = await chartWith(client, { filters: defaultFilters({ agentIds: ['agt-a', 'agt-b'] }) });
    await drawn(el);
    const runs = (client as unknown as { runs: { module: string; filters: UsageFilters; params: unknown }[] }).runs;
    expect(runs[runs.length - 1].params).to.deep.equal({ agentMatch: 'either' });
    expect(runs[runs.length - 1].filters.agentIds).to.deep.equal(['agt-a', 'agt-b']);
    el.focusAgent = 'agt-code';
    await waitUntil(() => runs[runs.length - 1].filters.agentIds.join() === 'agt-code');
    await drawn(el);
    expect(text(root(el).querySelector('[part="summary"]'))).to.contain('Neighbourhood of agt-code');
  });

  it('draws every agent and edge (SVG), mutual edges as curves, a self-call as a loop, cycle edges dashed and counted', async () => {
    const el = await chartWith(answering());
    await drawn(el);
    expect(el.scene!.mode).to.equal('svg');
    expect(circles(el)).to.have.length(6);
    const paths = edgePaths(el);
    expect(paths).to.have.length(7);
    const pathOf = (s: string, t: string) => paths.find((p) => p.dataset.edge === String(el.model!.edges.findIndex((e) => e.source === s && e.target === t)))!;
    expect(pathOf('agt-code', 'agt-writer').getAttribute('d')).to.contain('Q');
    expect(pathOf('agt-writer', 'agt-code').getAttribute('d')).to.contain('Q');
    expect(pathOf('agt-router', 'agt-code').getAttribute('d')).to.not.contain('Q');
    expect(pathOf('agt-search', 'agt-search').getAttribute('d')).to.contain('A');
    // Cycles: {router, code, writer, analyst} and search's self-call; support → search is not on one.
    expect(el.layoutResult!.cycles).to.equal(2);
    const cyclic = paths.filter((p) => p.classList.contains('cyclic')).map((p) => el.model!.edges[Number(p.dataset.edge)]);
    expect(cyclic.map((e) => `${e.source}>${e.target}`).sort()).to.deep.equal(
      ['agt-analyst>agt-router', 'agt-code>agt-writer', 'agt-router>agt-code', 'agt-search>agt-search', 'agt-writer>agt-analyst', 'agt-writer>agt-code'].sort(),
    );
    expect(text(root(el).querySelector('[part="summary"]'))).to.contain('6 agents, 7 call edges. 2 cycles (6 edges on a cycle).');
    // Width grows with calls.
    expect(Number(pathOf('agt-router', 'agt-code').getAttribute('stroke-width'))).to.be.greaterThan(
      Number(pathOf('agt-analyst', 'agt-router').getAttribute('stroke-width')),
    );
    // The table: one row per edge, busiest first, with the cycle flag.
    const rows = frameOf(el).rows as { source: string; calls: number; inCycle: string }[];
    expect(rows.map((r) => r.calls)).to.deep.equal([120, 60, 40, 15, 8, 5, 3]);
    expect(rows.find((r) => r.source === 'agt-support')!.inCycle).to.equal('no');
  });

  it('the slider hides low-volume edges and says how many', async () => {
    const el = await chartWith(answering());
    await drawn(el);
    const slider = root(el).querySelector<HTMLInputElement>('[part="min-calls"]')!;
    // Stops: 1 and the distinct call counts.
    slider.value = String([1, 3, 5, 8, 15, 40, 60, 120].indexOf(15));
    slider.dispatchEvent(new Event('input'));
    await elementUpdated(el);
    await drawn(el);
    expect(el.minCalls).to.equal(15);
    expect(edgePaths(el)).to.have.length(4);
    expect(text(root(el).querySelector('.controls'))).to.contain('3 of 7 edges hidden');
    expect(text(root(el).querySelector('[part="summary"]'))).to.contain('3 hidden below 15 calls');
    expect((frameOf(el).rows as { shown: string }[]).filter((r) => r.shown === 'no')).to.have.length(3);
    // Nodes stay, positions stay (the layout does not change with the slider).
    expect(circles(el)).to.have.length(6);
  });

  it('switches layouts: hierarchical puts callers above callees (except edges closing a cycle), radial puts depths on rings', async () => {
    const el = await chartWith(answering());
    await drawn(el);
    const force = el.layoutResult!;
    root(el).querySelector<HTMLButtonElement>('[data-layout="hierarchical"]')!.click();
    await waitUntil(() => el.layoutResult?.kind === 'hierarchical', 'hierarchical', LONG);
    await drawn(el);
    expect(root(el).querySelector('[data-layout="hierarchical"]')!.getAttribute('aria-pressed')).to.equal('true');
    const h = el.scene!;
    const m = el.model!;
    for (let e = 0; e < m.edges.length; e++) {
      if (h.layout.back[e] || m.source[e] === m.target[e]) continue;
      expect(h.scene.y[m.source[e]], `${m.edges[e].source} above ${m.edges[e].target}`).to.be.lessThan(h.scene.y[m.target[e]]);
    }
    root(el).querySelector<HTMLButtonElement>('[data-layout="radial"]')!.click();
    await waitUntil(() => el.layoutResult?.kind === 'radial', 'radial', LONG);
    await drawn(el);
    const r = el.layoutResult!;
    for (let i = 0; i < m.nodes.length; i++) expect(Math.round(Math.hypot(r.x[i], r.y[i]))).to.equal(r.layer[i] + 1);
    expect(force.kind).to.equal('force');
  });

  it('a click on an agent drills to the agent, on an edge to the calls behind it', async () => {
    const el = await chartWith(answering(), { filters: defaultFilters({ departments: ['engineering'] }) });
    await drawn(el);
    const code = el.model!.index.get('agt-code')!;
    setTimeout(() => clickAt(el, { node: code }));
    const agent = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(agent.detail).to.deep.include({ kind: 'agent', agentId: 'agt-code' });
    expect((agent.detail as { filters: UsageFilters }).filters.agentIds).to.deep.equal(['agt-code']);
    expect(agent.cancelable).to.equal(true);
    const e = el.model!.edges.findIndex((x) => x.source === 'agt-support' && x.target === 'agt-search');
    setTimeout(() => clickAt(el, { edge: e }));
    const call = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(call.detail).to.deep.include({ kind: 'agent-call', source: 'agt-support', target: 'agt-search' });
    expect((call.detail as { filters: UsageFilters }).filters.departments).to.deep.equal(['engineering']);
    // Hover shows the edge's calls, latency and error rate.
    const p = el.screenPoint({ edge: e })!;
    const rect = plot(el).getBoundingClientRect();
    plot(el).dispatchEvent(new PointerEvent('pointermove', { bubbles: true, composed: true, clientX: rect.left + p.x, clientY: rect.top + p.y }));
    await elementUpdated(el);
    const tip = text(root(el).querySelector('[role="tooltip"]'));
    expect(tip).to.contain('Calls 40');
    expect(tip).to.contain('Avg latency 140 ms');
    expect(tip).to.contain('Error rate 5.0%');
  });

  it('keyboard: arrows move through agents by volume with their description live, Enter drills', async () => {
    const el = await chartWith(answering());
    await drawn(el);
    await focusPlot(el);
    const live = () => text(root(el).querySelector('[aria-live="polite"]'));
    await waitUntil(() => live() !== '', 'focus did not announce the first agent');
    expect(live()).to.contain('Router (agt-router), engineering: 900 requests');
    expect(live()).to.contain('calls in 3 from 1 agent, calls out 120 to 1 agent. Agent 1 of 6 by volume.');
    const order: string[] = [];
    for (let k = 0; k < 5; k++) {
      await sendKeys({ press: 'ArrowRight' });
      await elementUpdated(el);
      order.push(live().split(',')[0]);
    }
    expect(order).to.deep.equal(['Code Helper (agt-code)', 'Writer (agt-writer)', 'Analyst (agt-analyst)', 'Search (agt-search)', 'Support Bot (agt-support)']);
    await sendKeys({ press: 'Home' });
    await elementUpdated(el);
    expect(live()).to.contain('agt-router');
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(ev.detail).to.deep.include({ kind: 'agent', agentId: 'agt-router' });
    // The focused node is highlighted with its edges (router: in from analyst, out to code).
    expect(root(el).querySelectorAll('.plot svg g.highlight path.edge')).to.have.length(2);
    // ] steps through its edges, busiest first; Enter opens the calls behind the edge; Escape goes back to the agent.
    await sendKeys({ press: ']' });
    await elementUpdated(el);
    expect(live()).to.contain('Edge 1 of 2: Router (agt-router) calls Code Helper (agt-code): 120 calls');
    await sendKeys({ press: ']' });
    await elementUpdated(el);
    expect(live()).to.contain('Edge 2 of 2: Analyst (agt-analyst) calls Router (agt-router): 3 calls');
    expect(root(el).querySelectorAll('.plot svg g.highlight path.edge')).to.have.length(1);
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const edgeEv = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(edgeEv.detail).to.deep.include({ kind: 'agent-call', source: 'agt-analyst', target: 'agt-router' });
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(live()).to.contain('Router (agt-router), engineering');
    await expect(el).to.be.accessible();
  });

  it('colours by department or by error rate (with a legend for each)', async () => {
    const el = await chartWith(answering());
    await drawn(el);
    const fills = () => [...circles(el)].map((c) => c.getAttribute('fill'));
    const dept = fills();
    const m = el.model!;
    expect(dept[m.index.get('agt-router')!]).to.equal(dept[m.index.get('agt-code')!]);
    expect(dept[m.index.get('agt-router')!]).to.not.equal(dept[m.index.get('agt-writer')!]);
    expect(text(root(el).querySelector('[part="legend"]'))).to.contain('Colour: department');
    root(el).querySelector<HTMLButtonElement>('[data-colour="error-rate"]')!.click();
    await elementUpdated(el);
    await drawn(el);
    const err = fills();
    expect(err).to.not.deep.equal(dept);
    expect(err[m.index.get('agt-router')!]).to.equal(err[m.index.get('agt-writer')!]); // both 1 %
    expect(root(el).querySelector('.ramp-bar')!.getAttribute('aria-label')).to.match(/^Colour scale of error rate from 0.0% to 30.0% or more$/);
    await expect(el).to.be.accessible();
  });

  it('renders hostile agent names as inert text', async () => {
    const hostile = '<img src=x onerror="window.__pwnedGraph=1">';
    const g = graphOf(
      [
        [hostile, hostile, '<script>window.__pwnedGraph=2</script>', 50],
        ['agt-b', 'B', 'x', 10],
      ],
      [
        [hostile, 'agt-b', 5],
        ['agt-b', hostile, 2],
      ],
    );
    const el = await chartWith(answering(g));
    await drawn(el);
    expect(root(el).querySelector('.plot svg text')!.textContent).to.contain('<img');
    await focusPlot(el);
    await waitUntil(() => text(root(el).querySelector('[aria-live="polite"]')) !== '', 'focus did not announce the first agent');
    expect(text(root(el).querySelector('[aria-live="polite"]'))).to.contain(hostile);
    expect(root(el).querySelector('img, script')).to.equal(null);
    expect(frameOf(el).shadowRoot!.querySelector('img, script')).to.equal(null);
    expect((window as { __pwnedGraph?: number }).__pwnedGraph).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('a big graph (500 agents, 5,000 edges) draws on a canvas laid out in a worker; nodes hit through the quadtree; zoom redraws', async () => {
    const big = syntheticGraph(500, 5000, 3);
    const el = await chartWith(answering({ nodes: big.nodes, edges: big.edges }));
    let sawProgress = false;
    await waitUntil(
      () => {
        if (root(el).querySelector('[part="progress"] progress')) sawProgress = true;
        return el.scene?.mode === 'canvas' && !el.isPending();
      },
      'canvas',
      { timeout: 60_000, interval: 5 },
    );
    await drawn(el);
    expect(sawProgress, 'the layout progress showed').to.equal(true);
    expect(el.layoutThread).to.equal('worker');
    expect(root(el).querySelector('.plot canvas')).to.not.equal(null);
    expect(circles(el)).to.have.length(0);
    expect(el.layoutResult!.cycles).to.be.greaterThan(0);
    // The canvas has ink.
    const canvas = root(el).querySelector<HTMLCanvasElement>('.plot canvas')!;
    const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let ink = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) ink++;
    expect(ink).to.be.greaterThan(1000);
    const busiest = 0;
    setTimeout(() => clickAt(el, { node: busiest }));
    const ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(ev.detail).to.deep.include({ kind: 'agent', agentId: el.model!.nodes[busiest].agentId });
    const before = el.screenPoint({ node: 5 })!;
    el.zoomBy(2);
    await new Promise((r) => requestAnimationFrame(r));
    const after = el.screenPoint({ node: 5 })!;
    expect(el.scene!.transform.k).to.be.closeTo(2, 1e-9);
    expect(after.x).to.not.equal(before.x);
    // Raising the slider can bring it back to SVG (≤ 2,000 shown edges is not enough: 500 agents stay > 300).
    el.minCalls = 1000;
    await drawn(el);
    expect(el.scene!.mode).to.equal('canvas');
    await expect(el).to.be.accessible();
  });
});

async function fetchTable(name: string): Promise<Table> {
  const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string }> };
  const res = await fetch(new URL(manifest.tables[name].file, new URL(SNAPSHOT, location.href)).href);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

/** Edges and agents counted from the snapshot's rows: default filters (30 days, production, active called agent). */
async function expectedFromRows(focus?: string) {
  const [requests, agents] = await Promise.all([fetchTable('requests'), fetchTable('agents')]);
  const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string } };
  const end = Date.parse(manifest.time_range.end);
  const start = end - 30 * DAY;
  const active = new Set<string>();
  for (let i = 0; i < agents.numRows; i++)
    if (String(agents.getChild('agent_status')!.get(i)) === 'active') active.add(String(agents.getChild('agent_id')!.get(i)));
  const tsType = String(requests.schema.fields.find((f) => f.name === 'ts')!.type);
  const divisor = /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1;
  const col = (n: string) => requests.getChild(n)!;
  const [ts, env, agent, caller] = ['ts', 'environment', 'agent_id', 'calling_agent_id'].map(col);
  const edges = new Map<string, number>();
  const volume = new Map<string, number>();
  for (let i = 0; i < requests.numRows; i++) {
    const v = ts.get(i) as unknown;
    const t = typeof v === 'bigint' ? Number(v) / divisor : v instanceof Date ? v.getTime() : Number(v);
    const a = String(agent.get(i));
    if (t < start || t >= end || String(env.get(i)) !== 'production' || !active.has(a)) continue;
    volume.set(a, (volume.get(a) ?? 0) + 1);
    const c = caller.get(i);
    if (c === null || c === undefined) continue;
    if (focus && a !== focus && String(c) !== focus) continue;
    const k = `${String(c)}\u0000${a}`;
    edges.set(k, (edges.get(k) ?? 0) + 1);
  }
  const nodes = new Set([...edges.keys()].flatMap((k) => k.split('\u0000')));
  return { edges, nodes, volume };
}

describe('<usage-dependency-graph> over the real snapshot', () => {
  it('has the agents and call edges counted from the rows; the edge drill-down lists that many calls', async () => {
    const expected = await expectedFromRows();
    expect(expected.edges.size, 'the snapshot has agent-to-agent calls').to.be.greaterThan(0);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-dependency-graph></usage-dependency-graph></div>
        <usage-drilldown-panel></usage-drilldown-panel>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-dependency-graph')!;
    await waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy, 'chart did not render', LONG);
    await drawn(el);
    const m = el.model!;
    expect(m.nodes.length).to.equal(expected.nodes.size);
    expect(m.edges.length).to.equal(expected.edges.size);
    for (const e of m.edges) expect(e.calls, `${e.source} → ${e.target}`).to.equal(expected.edges.get(`${e.source}\u0000${e.target}`));
    for (const n of m.nodes) expect(n.requests, n.agentId).to.equal(expected.volume.get(n.agentId) ?? 0);
    // Drawn: one mark per agent and per edge (SVG) or the canvas.
    if (el.scene!.mode === 'svg') {
      expect(circles(el)).to.have.length(expected.nodes.size);
      expect(edgePaths(el)).to.have.length(expected.edges.size);
    }
    expect(frameOf(el).rows).to.have.length(expected.edges.size);
    // Cycles: independent count of strongly connected components by mutual reachability.
    const ids = [...expected.nodes];
    const reach = new Map(ids.map((a) => [a, new Set([a])]));
    for (const k of expected.edges.keys()) {
      const [s, t] = k.split('\u0000');
      reach.get(s)!.add(t);
    }
    for (const k of ids) for (const i of ids) if (reach.get(i)!.has(k)) for (const j of reach.get(k)!) reach.get(i)!.add(j);
    const seen = new Set<string>();
    let cycles = 0;
    for (const a of ids) {
      if (seen.has(a)) continue;
      const comp = ids.filter((b) => reach.get(a)!.has(b) && reach.get(b)!.has(a));
      comp.forEach((b) => seen.add(b));
      if (comp.length > 1 || expected.edges.has(`${a}\u0000${a}`)) cycles++;
    }
    expect(el.layoutResult!.cycles).to.equal(cycles);
    await expect(provider).to.be.accessible();

    // The busiest edge whose middle is not under an agent opens the calls behind it.
    const panel = provider.querySelector('usage-drilldown-panel') as UsageDrilldownPanel;
    const clickable = m.edges
      .map((e, i) => ({ e, i }))
      .filter(({ i }) => {
        const p = el.screenPoint({ edge: i });
        return p !== undefined && el.hitAt(p.x, p.y).edge === i;
      });
    expect(clickable.length, 'edges with a clickable middle').to.be.greaterThan(0);
    const busiest = clickable.reduce((b, c) => (c.e.calls > b.e.calls ? c : b)).i;
    const got = new Promise<CustomEvent<UsageDrilldownDetail>>((resolve) =>
      el.addEventListener('usage-drilldown', (e) => resolve(e as CustomEvent<UsageDrilldownDetail>), { once: true }),
    );
    clickAt(el, { edge: busiest });
    const detail = (await got).detail;
    expect(detail.kind).to.equal('agent-call');
    panel.show(detail as never);
    await waitUntil(() => panel.rows !== undefined, 'panel rows', LONG);
    expect(panel.total).to.equal(m.edges[busiest].calls);
    expect(text(panel.shadowRoot!.querySelector('[part="title"]'))).to.equal(`Calls from ${m.edges[busiest].source} to ${m.edges[busiest].target}`);
    panel.close();
  });

  it("with focus-agent shows that agent's callers and callees", async () => {
    const all = await expectedFromRows();
    // An agent that both calls and is called, if any; else the busiest caller.
    const callers = new Set([...all.edges.keys()].map((k) => k.split('\u0000')[0]));
    const callees = new Set([...all.edges.keys()].map((k) => k.split('\u0000')[1]));
    const focus = [...callers].find((a) => callees.has(a)) ?? [...callers][0];
    const expected = await expectedFromRows(focus);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-dependency-graph focus-agent=${focus}></usage-dependency-graph></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-dependency-graph')!;
    await waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy, 'chart did not render', LONG);
    await drawn(el);
    expect(el.model!.edges.length).to.equal(expected.edges.size);
    expect(el.model!.nodes.map((n) => n.agentId).sort()).to.deep.equal([...expected.nodes].sort());
    expect(el.model!.edges.every((e) => e.source === focus || e.target === focus)).to.equal(true);
  });

  it('hostile agent ids from the snapshot stay inert text', async () => {
    const { edges } = await expectedFromRows();
    const [[k]] = [...edges.entries()].sort((a, b) => b[1] - a[1]);
    const victim = k.split('\u0000')[0];
    const hostile = `<img src=x onerror="window.__pwnedGraph2=1">${'x'.repeat(2000)}`;
    const client = await UsageDataClient.open({
      source: await renamedSnapshot({ agents: { [victim]: hostile } }),
      connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
    });
    try {
      const el = await chartWith(client);
      await waitUntil(() => frameOf(el)?.state === 'ready', 'chart did not render', LONG);
      await drawn(el);
      expect(el.model!.index.has(hostile)).to.equal(true);
      plot(el).focus();
      for (let i = 0; i < el.model!.index.get(hostile)!; i++) await sendKeys({ press: 'ArrowRight' });
      await elementUpdated(el);
      expect(text(root(el).querySelector('[aria-live="polite"]'))).to.contain('<img src=x');
      expect(root(el).querySelector('img, script')).to.equal(null);
      expect((window as { __pwnedGraph2?: number }).__pwnedGraph2).to.equal(undefined);
      await expect(el).to.be.accessible();
    } finally {
      await client.close();
    }
  });
});
