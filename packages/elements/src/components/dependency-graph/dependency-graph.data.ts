/**
 * Pure view-model of `<usage-dependency-graph>`: nodes in volume order (the keyboard order), edges as
 * index pairs with their mutual partners, sizes (node radius ∝ √requests, edge width ∝ √calls), the
 * low-volume cut, the table rows and columns with their drill-downs, texts for tooltips and the
 * live region, and a synthetic graph for benches and stories.
 */
import type { AgentCallGraph, CallGraphEdge, CallGraphNode, UsageFilters } from '@usage-analytics/queries';
import type { AgentCallDrilldown, AgentDrilldown } from '../../events/usage-drilldown.js';
import type { DataColumn } from '../../internal/data-column.js';

export interface GraphModel {
  /** Busiest first (requests desc, then agent id): the keyboard order. */
  nodes: CallGraphNode[];
  edges: CallGraphEdge[];
  index: Map<string, number>;
  source: Int32Array;
  target: Int32Array;
  /** Per edge: the opposite edge exists (drawn as two curves). */
  mutual: Uint8Array;
  /** Per node: calls made to other agents / received from them. */
  outCalls: Float64Array;
  inCalls: Float64Array;
  maxCalls: number;
  maxRequests: number;
}

const byCode = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function graphModel(graph: AgentCallGraph): GraphModel {
  const nodes = [...graph.nodes].sort((a, b) => b.requests - a.requests || byCode(a.agentId, b.agentId));
  const index = new Map(nodes.map((n, i) => [n.agentId, i]));
  // Edges to agents the node list lacks (should not happen) are dropped rather than drawn to nowhere.
  const edges = graph.edges.filter((e) => index.has(e.source) && index.has(e.target));
  const m = edges.length;
  const source = new Int32Array(m);
  const target = new Int32Array(m);
  const outCalls = new Float64Array(nodes.length);
  const inCalls = new Float64Array(nodes.length);
  const pairs = new Set<string>();
  let maxCalls = 0;
  edges.forEach((e, i) => {
    source[i] = index.get(e.source)!;
    target[i] = index.get(e.target)!;
    outCalls[source[i]] += e.calls;
    inCalls[target[i]] += e.calls;
    pairs.add(`${source[i]},${target[i]}`);
    if (e.calls > maxCalls) maxCalls = e.calls;
  });
  const mutual = new Uint8Array(m);
  for (let i = 0; i < m; i++) if (source[i] !== target[i] && pairs.has(`${target[i]},${source[i]}`)) mutual[i] = 1;
  const maxRequests = nodes.reduce((mx, n) => Math.max(mx, n.requests), 0);
  return { nodes, edges, index, source, target, mutual, outCalls, inCalls, maxCalls, maxRequests };
}

/** Node radius in px: √requests from `min` to `max` (smaller nodes when there are many). */
export function nodeRadius(requests: number, maxRequests: number, nodeCount: number): number {
  const max = nodeCount > 300 ? 12 : nodeCount > 80 ? 16 : 22;
  const min = nodeCount > 300 ? 2.5 : 4;
  return maxRequests > 0 ? min + (max - min) * Math.sqrt(Math.max(0, requests) / maxRequests) : min;
}

/** Edge width in px: √calls from 0.75 to 7. */
export function edgeWidth(calls: number, maxCalls: number): number {
  return maxCalls > 0 ? 0.75 + 6.25 * Math.sqrt(Math.max(0, calls) / maxCalls) : 0.75;
}

/** Per edge: shown (calls ≥ `minCalls`). */
export function visibleEdges(model: GraphModel, minCalls: number): { visible: Uint8Array; hidden: number } {
  const visible = new Uint8Array(model.edges.length);
  let hidden = 0;
  model.edges.forEach((e, i) => {
    if (e.calls >= minCalls) visible[i] = 1;
    else hidden++;
  });
  return { visible, hidden };
}

/** Slider stops for "min calls per edge": 1, then the distinct call counts (at most ~60 stops, log-spaced). */
export function callStops(model: GraphModel): number[] {
  const values = [...new Set(model.edges.map((e) => e.calls))].sort((a, b) => a - b);
  if (!values.length) return [1];
  if (values.length <= 60) return values[0] === 1 ? values : [1, ...values];
  const out = new Set<number>([1]);
  const lo = Math.log(Math.max(1, values[0]));
  const hi = Math.log(values[values.length - 1]);
  for (let i = 0; i <= 59; i++) {
    const target = Math.exp(lo + ((hi - lo) * i) / 59);
    // The smallest real count at or above the target (so each stop hides a real set of edges).
    const v = values.find((x) => x >= target) ?? values[values.length - 1];
    out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

export interface Formatters {
  count(v: number): string;
  ms(v: number): string;
  pct(v: number): string;
}

export function formatters(locale: string): Formatters {
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const p = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, minimumFractionDigits: 1 });
  return { count: (v) => n.format(v), ms: (v) => `${n.format(v)} ms`, pct: (v) => p.format(v / 100) };
}

export const nodeName = (n: CallGraphNode): string => (n.name && n.name !== n.agentId ? `${n.name} (${n.agentId})` : n.agentId);

/** The live-region text of a focused node. */
export function describeNode(model: GraphModel, i: number, f: Formatters): string {
  const n = model.nodes[i];
  let callers = 0;
  let callees = 0;
  for (let e = 0; e < model.edges.length; e++) {
    if (model.target[e] === i) callers++;
    if (model.source[e] === i) callees++;
  }
  return (
    `${nodeName(n)}, ${n.departmentId ?? 'no department'}: ${f.count(n.requests)} requests, ${f.pct(n.errorRate)} errors; ` +
    `calls in ${f.count(model.inCalls[i])} from ${callers} ${callers === 1 ? 'agent' : 'agents'}, ` +
    `calls out ${f.count(model.outCalls[i])} to ${callees} ${callees === 1 ? 'agent' : 'agents'}. ` +
    `Agent ${i + 1} of ${model.nodes.length} by volume.`
  );
}

export function describeEdge(model: GraphModel, e: number, f: Formatters, cyclic: boolean): string {
  const edge = model.edges[e];
  const s = model.nodes[model.source[e]];
  const t = model.nodes[model.target[e]];
  return `${nodeName(s)} calls ${nodeName(t)}: ${f.count(edge.calls)} calls, average latency ${f.ms(edge.avgLatencyMs)}, ${f.pct(edge.errorRate)} errors${cyclic ? ', on a cycle' : ''}.`;
}

export function agentDrilldown(agentId: string, filters: UsageFilters): AgentDrilldown {
  return { kind: 'agent', agentId, filters: { ...structuredClone(filters), agentIds: [agentId] } };
}

export function agentCallDrilldown(source: string, target: string, filters: UsageFilters): AgentCallDrilldown {
  return { kind: 'agent-call', source, target, filters: structuredClone(filters) };
}

/** A row of the chart's table (CSV, data-table view): one edge. */
export interface EdgeRow {
  source: string;
  sourceName: string;
  target: string;
  targetName: string;
  calls: number;
  avgLatencyMs: number;
  errorRate: number;
  inCycle: string;
  shown: string;
}

export function edgeRows(model: GraphModel, cyclic: ArrayLike<number> | undefined, visible: ArrayLike<number>): EdgeRow[] {
  return model.edges
    .map((e, i) => ({
      source: e.source,
      sourceName: model.nodes[model.source[i]].name,
      target: e.target,
      targetName: model.nodes[model.target[i]].name,
      calls: e.calls,
      avgLatencyMs: e.avgLatencyMs,
      errorRate: e.errorRate,
      inCycle: cyclic?.[i] ? 'yes' : 'no',
      shown: visible[i] ? 'yes' : 'no',
    }))
    .sort((a, b) => b.calls - a.calls || byCode(a.source, b.source) || byCode(a.target, b.target));
}

export function edgeColumns(filters: () => UsageFilters): DataColumn<EdgeRow>[] {
  const call = (r: EdgeRow) => agentCallDrilldown(r.source, r.target, filters());
  return [
    { key: 'source', label: 'Caller', drill: (r) => agentDrilldown(r.source, filters()) },
    { key: 'sourceName', label: 'Caller name' },
    { key: 'target', label: 'Called agent', drill: (r) => agentDrilldown(r.target, filters()) },
    { key: 'targetName', label: 'Called name' },
    { key: 'calls', label: 'Calls', type: 'integer', drill: call },
    { key: 'avgLatencyMs', label: 'Avg latency (ms)', type: 'integer' },
    { key: 'errorRate', label: 'Error rate (%)', type: 'number', format: (v) => (typeof v === 'number' ? v.toFixed(1) : '') },
    { key: 'inCycle', label: 'In a cycle' },
    { key: 'shown', label: 'Shown' },
  ];
}

/**
 * A synthetic call graph of `n` agents and `m` edges with cycles (benches, stories, big-graph tests):
 * a layered flow of callers to callees with ~8 % of edges pointing back up, volumes Zipf-like, over 12
 * departments; deterministic for a seed.
 */
export function syntheticGraph(n: number, m: number, seed = 1): AgentCallGraph & { indices: { source: number[]; target: number[]; volume: number[] } } {
  let s = seed >>> 0 || 1;
  const rnd = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const depts = ['engineering', 'sales', 'support', 'finance', 'legal', 'hr', 'marketing', 'ops', 'research', 'security', 'design', 'data'];
  const nodes: CallGraphNode[] = Array.from({ length: n }, (_, i) => ({
    agentId: `agt-${String(i).padStart(4, '0')}`,
    name: `Agent ${i}`,
    departmentId: depts[i % depts.length],
    status: 'active',
    requests: Math.round(50_000 / (1 + i) ** 0.8),
    errorRate: Math.round(rnd() * rnd() * 300) / 10,
  }));
  const level = nodes.map(() => Math.floor(rnd() * 6));
  const seen = new Set<string>();
  const edges: CallGraphEdge[] = [];
  const max = Math.min(m, n * (n - 1));
  while (edges.length < max) {
    // Busier agents call and are called more: pick by a skewed index.
    const a = Math.floor(n * rnd() ** 1.6);
    const b = Math.floor(n * rnd() ** 1.3);
    if (a === b) continue;
    const up = rnd() < 0.08;
    const [src, tgt] = level[a] <= level[b] !== up ? [a, b] : [b, a];
    const key = `${src},${tgt}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({
      source: nodes[src].agentId,
      target: nodes[tgt].agentId,
      calls: 1 + Math.floor(2000 * rnd() ** 4),
      avgLatencyMs: 100 + Math.round(rnd() * 3000),
      errorRate: Math.round(rnd() * rnd() * 250) / 10,
    });
  }
  const index = new Map(nodes.map((x, i) => [x.agentId, i]));
  return {
    nodes,
    edges,
    indices: { source: edges.map((e) => index.get(e.source)!), target: edges.map((e) => index.get(e.target)!), volume: nodes.map((x) => x.requests) },
  };
}
