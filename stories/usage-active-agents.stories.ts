import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageActiveAgents } from '../packages/elements/src/index.js';
import { agentPortfolio, defaultFilters, versionAdoption, type AgentPortfolio, type VersionAdoptionRow } from '../packages/queries/src/index.js';

interface Args {
  showVersions: boolean;
  locale: string;
}

const DAY = 86_400_000;
const T = Date.UTC(2026, 9, 31);
const STATUSES = ['active', 'active', 'active', 'beta', 'deprecated', 'archived'];
const BANDS = ['none', 'low', 'medium', 'high'];

/** An AgentPortfolio through the query module's own transform. */
function portfolio(agents: { id: string; name: string; status: string; band: string; requests: number; version?: string }[]): AgentPortfolio {
  return agentPortfolio.transform(
    agents.map((a, i) => ({
      agent_id: a.id,
      agent_name: a.name,
      agent_status: a.status,
      version: a.version ?? `${1 + (i % 3)}.${i % 10}`,
      owner_team: 'platform',
      department_id: 'engineering',
      last_deployed: T - (i % 40) * DAY,
      deprecation: null,
      requests: a.requests,
      users: Math.ceil(a.requests / 12),
      last_ms: a.requests ? T - (i % 5) * DAY : null,
      per_day: a.requests / 30,
      band: a.band,
      top_users: a.requests ? [`usr-${i}a`, `usr-${i}b`] : [],
      q1: 40,
      q2: 400,
    })),
    undefined as never,
    undefined,
  );
}

const SAMPLE = portfolio(
  Array.from({ length: 48 }, (_, i) => {
    const band = BANDS[(i * 7) % 4];
    const requests = band === 'none' ? 0 : band === 'low' ? 5 + i : band === 'medium' ? 100 + i * 3 : 800 + i * 40;
    return { id: `agt-${String(i).padStart(2, '0')}`, name: `Agent ${i}`, status: STATUSES[i % STATUSES.length], band, requests };
  }),
);

const HOSTILE = portfolio([
  { id: 'agt-x', name: '<img src=x onerror="alert(1)">', status: 'active', band: 'high', requests: 900 },
  { id: 'agt-y', name: `وكيل الدعم ${'long-name-'.repeat(20)}`, status: 'beta', band: 'low', requests: 3 },
]);

const VERSIONS: VersionAdoptionRow[] = versionAdoption.transform(
  Array.from({ length: 30 }, (_, d) => {
    const date = new Date(T - (29 - d) * DAY).toISOString().slice(0, 10);
    const moved = Math.min(100, d * 4);
    return [
      { date, agent_id: 'agt-00', agent_version: '1.9', requests: 100 - moved },
      { date, agent_id: 'agt-00', agent_version: '2.0', requests: moved },
    ];
  }).flat(),
  undefined as never,
  {},
);

function client(answer: () => Promise<AgentPortfolio>): QueryClient {
  return {
    run: (m: { name: string }) => (m.name === 'versionAdoption' ? Promise.resolve(VERSIONS) : answer()),
    precomputed: () => undefined,
  } as unknown as QueryClient;
}
const resolves = (p: AgentPortfolio) => () => new Promise<AgentPortfolio>((r) => setTimeout(() => r(p), 200));

function chart(args: Args, c: QueryClient): HTMLElement {
  const el = document.createElement('usage-active-agents') as UsageActiveAgents;
  el.client = c;
  el.filters = defaultFilters();
  el.showVersions = args.showVersions;
  el.locale = args.locale;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.3 Active agents',
  component: 'usage-active-agents',
  args: { showVersions: false, locale: 'en-US' },
  argTypes: { locale: { control: 'select', options: ['en-US', 'de-DE', 'fr-FR', 'ar-EG'] } },
  parameters: {
    docs: {
      description: {
        component:
          'Agent portfolio health: statuses × usage intensity (agent counts), the agent list, and a version toggle showing new vs old adoption. A cell or status fires `usage-drilldown` `{kind: "agent-status"}`; an agent fires `{kind: "agent"}`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = { render: (args) => chart(args, client(resolves(SAMPLE))) };
export const VersionAdoption: Story = { args: { showVersions: true }, render: (args) => chart(args, client(resolves(SAMPLE))) };
export const HostileNames: Story = { render: (args) => chart(args, client(resolves(HOSTILE))) };
export const Loading: Story = {
  render: (args) =>
    chart(
      args,
      client(() => new Promise(() => undefined)),
    ),
};
export const Empty: Story = { render: (args) => chart(args, client(resolves(portfolio([])))) };
export const QueryError: Story = {
  render: (args) =>
    chart(
      args,
      client(() => Promise.reject(Object.assign(new Error('query failed: Catalog Error'), { code: 'query_failed' }))),
    ),
};
