import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageDrilldownPanel, UsageTopUsers } from '../packages/elements/src/index.js';
import { defaultFilters, type TopUser } from '../packages/queries/src/index.js';

interface Args {
  heading: string;
  viewAll: boolean;
  users: number;
}

const DEPTS = ['engineering', 'support', 'sales', 'marketing', 'finance', 'legal'];
const INTENTS = ['coding', 'search', 'writing', 'analysis'];

function users(n: number, names: (i: number) => string | null = (i) => (i % 9 === 0 ? null : `User ${i}`)): TopUser[] {
  const total = Array.from({ length: n }, (_, i) => 5 + ((n - i) * 97) / 10).reduce((a, b) => a + b, 0);
  return Array.from({ length: n }, (_, i) => {
    const cost = 5 + ((n - i) * 97) / 10;
    const concentration = ((i * 37) % 60) + 40;
    return {
      rank: i + 1,
      userId: `user-${String(i).padStart(4, '0')}`,
      userName: names(i),
      departmentId: DEPTS[(i * 7) % DEPTS.length],
      calls: 2000 - i * 13,
      primaryIntent: INTENTS[i % INTENTS.length],
      cost,
      costShare: (100 * cost) / total,
      topAgent: `agt-${(i * 3) % 11}`,
      concentration,
      risk: concentration >= 90 ? 'high' : 'normal',
      agentsUsed: 1 + (i % 6),
      lastActive: Date.UTC(2026, 9, 30) - i * 3_600_000,
      intentsUsed: 1 + (i % 4),
      intentDiversity: (i % 10) / 10,
      totalUsers: n,
    } satisfies TopUser;
  });
}

/** A stand-in client answering `topUsers` pages from an in-memory list (and the journey of any user). */
function storyClient(all: TopUser[]): QueryClient {
  return {
    precomputed: () => undefined,
    run: (async (module: { name: string }, _filters: unknown, params: { limit?: number; offset?: number; userId?: string } = {}) => {
      await new Promise((r) => setTimeout(r, 200));
      if (module.name === 'userJourney') {
        return Array.from({ length: 12 }, (_, i) => ({
          requestId: `r${i}`,
          ts: Date.UTC(2026, 9, 30, 12) - i * 600_000,
          userId: params.userId,
          sessionId: `s-${Math.floor(i / 4)}`,
          agentId: `agt-${i % 3}`,
          status: 'success',
          total: 12,
        }));
      }
      const offset = params.offset ?? 0;
      return all.slice(offset, offset + (params.limit ?? 20));
    }) as QueryClient['run'],
  };
}

function chart(args: Args, rows: TopUser[] = users(args.users)): HTMLElement {
  const wrap = document.createElement('div');
  const el = document.createElement('usage-top-users') as UsageTopUsers;
  const panel = document.createElement('usage-drilldown-panel') as UsageDrilldownPanel;
  const client = storyClient(rows);
  el.heading = args.heading;
  el.viewAll = args.viewAll;
  el.client = client;
  el.filters = defaultFilters();
  panel.client = client;
  el.addEventListener('usage-drilldown', (e) => {
    console.info('usage-drilldown', e.detail);
    if (e.detail.kind === 'user') panel.show(e.detail);
  });
  wrap.append(el, panel);
  return wrap;
}

const meta: Meta<Args> = {
  title: 'Usage/Charts/2.7 Top users',
  component: 'usage-top-users',
  args: { heading: 'Top Users', viewAll: false, users: 240 },
  parameters: {
    docs: {
      description: {
        component:
          'Top 20 users by calls with department, primary intent, cost impact, concentration risk ("High risk" in text at ≥ 90 %), agents used and last activity. Sort, search by id or name, CSV export, "View all". A user id emits `usage-drilldown` `{kind: "user"}` (here it opens `<usage-drilldown-panel>` with the journey), a department `{kind: "department"}`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = { render: (args) => chart(args) };
export const ViewAll: Story = { args: { viewAll: true }, render: (args) => chart(args) };
export const Empty: Story = { args: { users: 0 }, render: (args) => chart(args) };
export const HostileText: Story = {
  render: (args) =>
    chart(
      args,
      users(4, (i) => ['<img src=x onerror="alert(1)">', 'x'.repeat(200), 'مستخدم تجريبي', '=HYPERLINK("http://evil")'][i]),
    ),
};
export const RealSnapshot: Story = {
  render: (args) => {
    const provider = document.createElement('usage-provider');
    provider.src = SNAPSHOT_URL;
    provider.bundleBase = BUNDLE_BASE;
    provider.filters = defaultFilters();
    const el = document.createElement('usage-top-users') as UsageTopUsers;
    el.heading = args.heading;
    provider.append(el);
    return provider;
  },
};
