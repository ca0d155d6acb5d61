import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageAdoptionCurve } from '../packages/elements/src/index.js';
import { adoptionBenchmark, adoptionCurve, defaultFilters, type AdoptionBenchmark, type AdoptionCurve } from '../packages/queries/src/index.js';

interface Args {
  axis: 'launch' | 'calendar';
  metric: 'users' | 'requests';
  hideForecast: boolean;
  byVersion: boolean;
  locale: string;
}

const DAY = 86_400_000;
const END = Date.UTC(2026, 9, 31);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const STAGES = ['active', 'beta', 'active', 'deprecated', 'active', 'beta', 'archived', 'active'];

/**
 * Adoption curves through the query module's own transform (so the forecast is the real logistic fit):
 * `n` agents over `days` days, each launched at a different day with a logistic uptake.
 */
function curves(n: number, days: number, names: (i: number) => string = (i) => `Agent ${i + 1}`): AdoptionCurve {
  const rows: Record<string, unknown>[] = [{ kind: 'eligible', eligible: 5000 }];
  for (let i = 0; i < n; i++) {
    const key = `agt-${String(i).padStart(2, '0')}`;
    const launch = END - Math.round(days * (0.2 + (0.75 * i) / Math.max(1, n))) * DAY;
    const capacity = 200 + 150 * ((i * 7) % 5);
    rows.push({
      kind: 'series',
      series: key,
      stage: STAGES[i % STAGES.length],
      agent_name: names(i),
      launch_source: i % 3 ? 'registry' : 'first_request',
      launch_date: iso(launch),
    });
    let cumR = 0;
    let prev = 0;
    for (let d = 0; d < days; d++) {
      const t = END - (days - d) * DAY;
      const age = (t - launch) / DAY;
      const cu = age < 0 ? 0 : Math.round(capacity / (1 + Math.exp(-(age - 20 - i) / (4 + i))));
      const req = age < 0 ? 0 : Math.round(cu * 0.6 + (d % 7 < 5 ? 20 : 5));
      cumR += req;
      rows.push({
        kind: 'point',
        series: key,
        agent_id: key,
        version: null,
        date: iso(t),
        new_users: cu - prev,
        requests: req,
        cum_users: cu,
        cum_requests: cumR,
      });
      prev = cu;
    }
  }
  return adoptionCurve.transform(rows, undefined as never, { forecastDays: 30 });
}

const BENCH: AdoptionBenchmark = adoptionBenchmark.transform(
  [
    ...['agt-p1', 'agt-p2', 'agt-p3', 'agt-p4'].map((agent_id) => ({ kind: 'agent', agent_id })),
    ...Array.from({ length: 30 }, (_, k) => {
      const s = (m: number) => m / (1 + Math.exp(-(k - 12) / 4));
      return { kind: 'point', k, u25: s(120), u50: s(220), u75: s(340), r25: s(900), r50: s(1600), r75: s(2500) };
    }),
  ],
  undefined as never,
  { days: 30 },
);

function client(answer: () => Promise<AdoptionCurve>): QueryClient {
  return {
    run: (m: { name: string }) => (m.name === 'adoptionBenchmark' ? Promise.resolve(BENCH) : answer()),
    precomputed: () => undefined,
    dimensions: () =>
      Promise.resolve({
        departments: [],
        intents: [],
        providers: [],
        modelFamilies: [],
        agentIds: Array.from({ length: 24 }, (_, i) => `agt-${String(i).padStart(2, '0')}`),
      }),
  } as unknown as QueryClient;
}
const resolves = (c: AdoptionCurve) => () => new Promise<AdoptionCurve>((r) => setTimeout(() => r(c), 200));

function chart(args: Args, c?: QueryClient, agentId?: string): HTMLElement {
  const el = document.createElement('usage-adoption-curve') as UsageAdoptionCurve;
  if (c) el.client = c;
  el.filters = defaultFilters({ timeRange: { preset: '90d' } });
  el.axis = args.axis;
  el.metric = args.metric;
  el.hideForecast = args.hideForecast;
  el.byVersion = args.byVersion;
  el.locale = args.locale;
  if (agentId) el.agentId = agentId;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.10 Agent adoption curve',
  component: 'usage-adoption-curve',
  args: { axis: 'launch', metric: 'users', hideForecast: false, byVersion: false, locale: 'en-US' },
  argTypes: {
    axis: { control: 'inline-radio', options: ['launch', 'calendar'] },
    metric: { control: 'inline-radio', options: ['users', 'requests'] },
    locale: { control: 'select', options: ['en-US', 'de-DE', 'fr-FR', 'ar-EG'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Cumulative users (or requests) of up to 10 agents or versions since launch, coloured by lifecycle stage, against the median and P25–P75 of past successful launches, with a dashed logistic forecast. A line, Enter on the focused line, or a series button fires `usage-drilldown` `{kind: "agent"}`.',
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
    provider.filters = defaultFilters({ timeRange: { preset: '90d' } });
    const el = chart(args);
    provider.append(el);
    return provider;
  },
};

export const Default: Story = { render: (args) => chart(args, client(resolves(curves(6, 90)))) };
export const CalendarAxis: Story = { args: { axis: 'calendar' }, render: (args) => chart(args, client(resolves(curves(6, 90)))) };
export const TenAgentsAYear: Story = { render: (args) => chart(args, client(resolves(curves(10, 365)))) };
/** Level 3 (agent detail): one agent's versions. */
export const AgentVersions: Story = { render: (args) => chart(args, client(resolves(curves(3, 90, (i) => `Support Bot v${i + 1}.0`))), 'agt-00') };
export const Loading: Story = {
  render: (args) =>
    chart(
      args,
      client(() => new Promise(() => undefined)),
    ),
};
export const Empty: Story = { render: (args) => chart(args, client(resolves({ eligibleUsers: 0, series: [] }))) };
export const QueryError: Story = {
  render: (args) =>
    chart(
      args,
      client(() => Promise.reject(Object.assign(new Error('query failed: Catalog Error'), { code: 'query_failed' }))),
    ),
};
const HOSTILE = ['<img src=x onerror="alert(1)">', `وكيل الدعم ${'long-name-'.repeat(20)}`, '=HYPERLINK("http://evil")'];
export const HostileNames: Story = {
  render: (args) => chart(args, client(resolves(curves(3, 60, (i) => HOSTILE[i])))),
};
