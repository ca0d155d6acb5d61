import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageAgentDistribution } from '../packages/elements/src/index.js';
import { agentHierarchy, defaultFilters, type Concentration, type Gini, type HierarchyNode } from '../packages/queries/src/index.js';
import { benchHierarchy } from '../scripts/bench/draw-agent-distribution.js';

interface Args {
  view: 'treemap' | 'sunburst';
  locale: string;
}

const DEPARTMENTS = ['engineering', 'support', 'sales', 'finance', 'legal', 'marketing'];
const INTENTS = ['code_gen', 'customer_support', 'analysis', 'content', 'legal_review', 'other'];

interface Leaf {
  dept: string;
  agent: string;
  name: string;
  intent: string;
  requests: number;
  users: number;
}

/** A hierarchy through the query module's own transform (its GROUPING SETS rows, in its SQL order). */
function hierarchyOf(leaves: Leaf[]): HierarchyNode {
  const rows: Record<string, unknown>[] = [];
  const add = (d: string | null, a: string | null, i: string | null, ls: Leaf[]) =>
    rows.push({
      department_id: d,
      agent_id: a,
      intent_category: i,
      requests: ls.reduce((s, l) => s + l.requests, 0),
      users: Math.max(1, ...ls.map((l) => l.users)),
      cost: ls.reduce((s, l) => s + l.requests * 0.004, 0),
      agent_name: a ? ls[0].name : null,
      quality: a ? 6 + (a.length % 4) : null,
    });
  if (!leaves.length) return agentHierarchy.transform([], undefined as never, undefined);
  add(null, null, null, leaves);
  for (const d of [...new Set(leaves.map((l) => l.dept))].sort()) {
    const dl = leaves.filter((l) => l.dept === d);
    add(d, null, null, dl);
    for (const a of [...new Set(dl.map((l) => l.agent))].sort()) {
      const al = dl.filter((l) => l.agent === a);
      add(d, a, null, al);
      for (const l of [...al].sort((x, y) => (x.intent < y.intent ? -1 : 1))) add(d, a, l.intent, [l]);
    }
  }
  return agentHierarchy.transform(rows, undefined as never, undefined);
}

function sample(): HierarchyNode {
  let seed = 5;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const leaves: Leaf[] = [];
  for (let a = 0; a < 30; a++) {
    const dept = DEPARTMENTS[a % DEPARTMENTS.length];
    const weight = rand() ** 2 * 4000 + 30;
    for (const intent of INTENTS) {
      if (rand() < 0.3) continue;
      const requests = Math.max(1, Math.round(weight * rand() ** 2));
      leaves.push({
        dept,
        agent: `agt-${String(a).padStart(2, '0')}`,
        name: `Agent ${a}`,
        intent,
        requests,
        users: Math.max(1, Math.round(requests / (2 + rand() * 25))),
      });
    }
  }
  return hierarchyOf(leaves);
}

const conc = (n: number, total: number, k: number, share: number, g: number): Concentration => ({
  gini: g,
  n,
  total,
  topShare: share / 2,
  top: 'agt-00',
  topDecileCount: k,
  topDecileShare: share,
});
const GINI: Gini = { agents: conc(30, 52_000, 3, 41.7, 0.58), users: conc(2_140, 52_000, 214, 38.2, 0.49) };

const HOSTILE = hierarchyOf([
  { dept: '<img src=x onerror="alert(1)">', agent: 'agt-x', name: '<script>alert(2)</script>', intent: 'other', requests: 900, users: 30 },
  { dept: 'sales', agent: 'agt-y', name: `وكيل الدعم ${'long-name-'.repeat(20)}`, intent: 'analysis', requests: 400, users: 12 },
]);

function client(answer: () => Promise<HierarchyNode>): QueryClient {
  return {
    run: (m: { name: string }) => (m.name === 'gini' ? Promise.resolve(GINI) : answer()),
    precomputed: () => undefined,
  } as unknown as QueryClient;
}
const resolves = (h: HierarchyNode) => () => new Promise<HierarchyNode>((r) => setTimeout(() => r(h), 200));

function chart(args: Args, c: QueryClient): HTMLElement {
  const el = document.createElement('usage-agent-distribution') as UsageAgentDistribution;
  el.client = c;
  el.filters = defaultFilters();
  el.view = args.view;
  el.locale = args.locale;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.6 Agent distribution',
  component: 'usage-agent-distribution',
  args: { view: 'treemap', locale: 'en-US' },
  argTypes: {
    view: { control: 'inline-radio', options: ['treemap', 'sunburst'] },
    locale: { control: 'select', options: ['en-US', 'de-DE', 'fr-FR', 'ar-EG'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Department → agent → intent as a treemap or sunburst: size = requests, colour = requests per user. Click or Enter zooms in, the breadcrumb, Backspace or Escape zoom out. The Gini coefficients of requests per agent and per user are read out in words. "Open department view" fires `usage-drilldown` `{kind: "department"}`, "Open agent detail" `{kind: "agent"}`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Treemap: Story = { render: (args) => chart(args, client(resolves(sample()))) };
export const Sunburst: Story = { args: { view: 'sunburst' }, render: (args) => chart(args, client(resolves(sample()))) };
export const Large: Story = {
  name: 'Large (200 agents × 20 intents)',
  render: (args) => chart(args, client(resolves(benchHierarchy()))),
};
export const HostileNames: Story = { render: (args) => chart(args, client(resolves(HOSTILE))) };
export const Loading: Story = {
  render: (args) =>
    chart(
      args,
      client(() => new Promise(() => undefined)),
    ),
};
export const Empty: Story = { render: (args) => chart(args, client(resolves(hierarchyOf([])))) };
export const QueryError: Story = {
  render: (args) =>
    chart(
      args,
      client(() => Promise.reject(Object.assign(new Error('query failed: Catalog Error'), { code: 'query_failed' }))),
    ),
};
