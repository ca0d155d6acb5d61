import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageDependencyGraph } from '../packages/elements/src/index.js';
import { syntheticGraph } from '../packages/elements/src/components/dependency-graph/dependency-graph.data.js';
import { defaultFilters, type AgentCallGraph } from '../packages/queries/src/index.js';

interface Args {
  layout: 'force' | 'hierarchical' | 'radial';
  colourBy: 'department' | 'error-rate';
  minCalls: number;
  renderer: 'auto' | 'svg' | 'canvas';
  locale: string;
}

/** A small agentic workflow: a router fanning out, a mutual pair, a cycle back to the router, a self-call. */
const WORKFLOW: AgentCallGraph = {
  nodes: [
    { agentId: 'agt-router', name: 'Router', departmentId: 'engineering', status: 'active', requests: 9200, errorRate: 1.2 },
    { agentId: 'agt-code', name: 'Code Helper', departmentId: 'engineering', status: 'active', requests: 7100, errorRate: 3.4 },
    { agentId: 'agt-writer', name: 'Writer', departmentId: 'marketing', status: 'active', requests: 5200, errorRate: 2.1 },
    { agentId: 'agt-analyst', name: 'Analyst', departmentId: 'sales', status: 'active', requests: 3100, errorRate: 8.9 },
    { agentId: 'agt-search', name: 'Search', departmentId: 'support', status: 'active', requests: 2500, errorRate: 14.5 },
    { agentId: 'agt-support', name: 'Support Bot', departmentId: 'support', status: 'active', requests: 1800, errorRate: 4.4 },
    { agentId: 'agt-summarise', name: 'Summariser', departmentId: 'research', status: 'beta', requests: 900, errorRate: 0.5 },
  ],
  edges: [
    { source: 'agt-router', target: 'agt-code', calls: 1200, avgLatencyMs: 840, errorRate: 2.5 },
    { source: 'agt-router', target: 'agt-writer', calls: 640, avgLatencyMs: 1210, errorRate: 1.9 },
    { source: 'agt-code', target: 'agt-writer', calls: 300, avgLatencyMs: 990, errorRate: 3.3 },
    { source: 'agt-writer', target: 'agt-code', calls: 90, avgLatencyMs: 1020, errorRate: 4.4 },
    { source: 'agt-writer', target: 'agt-analyst', calls: 75, avgLatencyMs: 1530, errorRate: 9.3 },
    { source: 'agt-analyst', target: 'agt-router', calls: 30, avgLatencyMs: 450, errorRate: 0 },
    { source: 'agt-support', target: 'agt-search', calls: 410, avgLatencyMs: 380, errorRate: 12.2 },
    { source: 'agt-search', target: 'agt-search', calls: 25, avgLatencyMs: 300, errorRate: 20 },
    { source: 'agt-analyst', target: 'agt-summarise', calls: 60, avgLatencyMs: 2100, errorRate: 1.7 },
    { source: 'agt-support', target: 'agt-summarise', calls: 12, avgLatencyMs: 1900, errorRate: 0 },
  ],
};

const HOSTILE: AgentCallGraph = {
  nodes: [
    {
      agentId: '<img src=x onerror="alert(1)">',
      name: '<script>alert(2)</script> وكيل',
      departmentId: '<b>dept</b>',
      status: 'active',
      requests: 500,
      errorRate: 3,
    },
    { agentId: 'agt-b', name: 'x'.repeat(300), departmentId: 'engineering', status: 'active', requests: 200, errorRate: 1 },
  ],
  edges: [
    { source: '<img src=x onerror="alert(1)">', target: 'agt-b', calls: 40, avgLatencyMs: 500, errorRate: 2 },
    { source: 'agt-b', target: '<img src=x onerror="alert(1)">', calls: 10, avgLatencyMs: 700, errorRate: 0 },
  ],
};

const big = syntheticGraph(500, 5000, 3);
const BIG: AgentCallGraph = { nodes: big.nodes, edges: big.edges };

function client(answer: () => Promise<AgentCallGraph>): QueryClient {
  return {
    run: () => answer(),
    precomputed: () => undefined,
  } as unknown as QueryClient;
}
const resolves = (g: AgentCallGraph) => () => new Promise<AgentCallGraph>((r) => setTimeout(() => r(g), 200));

function chart(args: Args, c?: QueryClient): HTMLElement {
  const el = document.createElement('usage-dependency-graph') as UsageDependencyGraph;
  if (c) {
    el.client = c;
    el.filters = defaultFilters();
  }
  el.layout = args.layout;
  el.colourBy = args.colourBy;
  el.minCalls = args.minCalls;
  el.renderer = args.renderer;
  el.locale = args.locale;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.14 Agent dependency graph',
  component: 'usage-dependency-graph',
  args: { layout: 'force', colourBy: 'department', minCalls: 1, renderer: 'auto', locale: 'en-US' },
  argTypes: {
    layout: { control: 'inline-radio', options: ['force', 'hierarchical', 'radial'] },
    colourBy: { control: 'inline-radio', options: ['department', 'error-rate'] },
    minCalls: { control: { type: 'number', min: 1 } },
    renderer: { control: 'inline-radio', options: ['auto', 'svg', 'canvas'] },
    locale: { control: 'select', options: ['en-US', 'de-DE', 'fr-FR', 'ar-EG'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Agents (size = requests, colour = department or error rate) and their calls (width = calls, arrow to the called agent, mutual pairs as two curves). Edges on a cycle are dashed (SVG) or ticked (canvas) in the cycle colour. Force, hierarchical and radial layouts are computed in a Web Worker. Up to 300 agents / 2,000 edges in SVG, above on a canvas; wheel or drag to zoom and pan. Click an agent for `usage-drilldown` `{kind: "agent"}`, an edge for `{kind: "agent-call"}`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

/** The real test snapshot through DuckDB-WASM (needs .data/test-snapshot at build time). */
export const LiveSnapshot: Story = {
  render: (args) => {
    const provider = document.createElement('usage-provider');
    provider.src = SNAPSHOT_URL;
    provider.bundleBase = BUNDLE_BASE;
    provider.filters = defaultFilters();
    provider.append(chart(args));
    return provider;
  },
};
export const Workflow: Story = { render: (args) => chart(args, client(resolves(WORKFLOW))) };
export const Hierarchical: Story = { args: { layout: 'hierarchical' }, render: (args) => chart(args, client(resolves(WORKFLOW))) };
export const Radial: Story = { args: { layout: 'radial' }, render: (args) => chart(args, client(resolves(WORKFLOW))) };
export const ByErrorRate: Story = { args: { colourBy: 'error-rate' }, render: (args) => chart(args, client(resolves(WORKFLOW))) };
export const LowVolumeHidden: Story = { args: { minCalls: 60 }, render: (args) => chart(args, client(resolves(WORKFLOW))) };
/** 500 agents and 5,000 edges: canvas, laid out in a worker with progress. */
export const Big500x5000: Story = { render: (args) => chart(args, client(resolves(BIG))) };
export const HostileNames: Story = { render: (args) => chart(args, client(resolves(HOSTILE))) };
export const Loading: Story = {
  render: (args) =>
    chart(
      args,
      client(() => new Promise(() => undefined)),
    ),
};
export const Empty: Story = { render: (args) => chart(args, client(resolves({ nodes: [], edges: [] }))) };
export const QueryError: Story = {
  render: (args) =>
    chart(
      args,
      client(() => Promise.reject(Object.assign(new Error('query failed: Catalog Error'), { code: 'query_failed' }))),
    ),
};
