import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageCallsPerUser } from '../packages/elements/src/index.js';
import { callsPerUser, defaultFilters, makeContext, type AtRiskUser, type CallsPerUser } from '../packages/queries/src/index.js';

interface Args {
  locale: string;
  hidePrevious: boolean;
  filtersOverride: string;
}

/** Hyndman–Fan type 7, as DuckDB's quantile_cont. */
function q7(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.ceil(h)] ?? sorted[lo]) - sorted[lo]);
}

/**
 * A distribution of `users` users' calls (log-normal-ish with spread `sigma`, deterministic), and the
 * previous period's a little lighter, binned by the real module's transform (so the bins are the chart's).
 */
function distribution(users: number, median: number, sigma: number, seed = 7): CallsPerUser {
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-9)) * Math.cos(2 * Math.PI * rand());
  const draw = (n: number, m: number) => Array.from({ length: n }, () => Math.max(1, Math.round(m * Math.exp(sigma * gauss()))));
  const cur = draw(users, median);
  const prev = draw(Math.round(users * 0.9), median * 0.85);
  const rows = [];
  const pcts = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return [0.1, 0.25, 0.5, 0.75, 0.9].map((p) => q7(sorted, p));
  };
  rows.push({ period: 'none', n: 0, users: 0, samples: [], p: pcts(cur), pp: pcts(prev) });
  for (const [period, xs] of [
    ['current', cur],
    ['previous', prev],
  ] as const) {
    const byN = new Map<number, string[]>();
    xs.forEach((n, i) => byN.set(n, [...(byN.get(n) ?? []), `user-${String(i).padStart(4, '0')}`]));
    for (const [n, ids] of byN) rows.push({ period, n, users: ids.length, samples: period === 'current' ? ids.sort().slice(0, 3) : [] });
  }
  const ctx = makeContext(defaultFilters(), new Date('2026-11-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
  return callsPerUser.transform(rows, ctx, undefined);
}

const atRisk = (n: number): AtRiskUser[] =>
  Array.from({ length: n }, (_, i) => ({
    userId: i === 0 ? '<img src=x onerror=alert(1)> shown as text' : `user-${String(1000 + i)}`,
    departmentId: ['engineering', 'sales', 'support', 'finance'][i % 4],
    reason: i % 5 === 0 ? 'inactive_14d' : 'drop',
    last7: i % 5 === 0 ? 0 : 1 + (i % 3),
    prev21: 60 - i,
    lastActive: Date.UTC(2026, 9, 31 - (i % 20)),
    total: n,
  }));

function client(answer: (module: string) => Promise<unknown>): QueryClient {
  return { run: (m: { name: string }) => answer(m.name), precomputed: () => undefined } as unknown as QueryClient;
}
const resolves =
  (d: CallsPerUser, risk = atRisk(24)) =>
  (name: string) =>
    new Promise<unknown>((r) => setTimeout(() => r(name === 'atRiskUsers' ? risk : d), 200));

function chart(args: Args, c: QueryClient): HTMLElement {
  const el = document.createElement('usage-calls-per-user') as UsageCallsPerUser;
  el.client = c;
  el.filters = defaultFilters();
  el.locale = args.locale;
  el.hidePrevious = args.hidePrevious;
  if (args.filtersOverride) el.setAttribute('filters-override', args.filtersOverride);
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.4 Calls per user',
  component: 'usage-calls-per-user',
  args: { locale: 'en-US', hidePrevious: false, filtersOverride: '' },
  argTypes: { locale: { control: 'select', options: ['en-US', 'de-DE', 'ar-EG'] } },
  parameters: {
    docs: {
      description: {
        component:
          'Histogram of calls per user (one bar per count, nice linear bins, or 1-2-5 log bins for a long tail), P25/P50/P75/P90 markers, the previous period as a dashed step line, users above P90 (hatched) and below P10 (dotted) split out of each bar, and the at-risk users beside it. Click or Enter on a bar fires `usage-drilldown` `{kind: "call-range", min, max}`; the outlier buttons fire the same for the outliers; an at-risk user id fires `{kind: "user"}`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

/** A long tail (log bins). */
export const LongTail: Story = { render: (args) => chart(args, client(resolves(distribution(2000, 6, 1.1)))) };
/** A compact distribution: one bar per number of calls. */
export const FewCalls: Story = { render: (args) => chart(args, client(resolves(distribution(300, 4, 0.35)))) };
/** A wide body without a long tail: linear bins of a nice width. */
export const WideBody: Story = { render: (args) => chart(args, client(resolves(distribution(800, 60, 0.35)))) };
export const PerChartFilters: Story = {
  args: { filtersOverride: '{"departments":["sales"]}' },
  render: (args) => chart(args, client(resolves(distribution(400, 5, 0.9, 3), atRisk(3)))),
};
export const Loading: Story = {
  render: (args) =>
    chart(
      args,
      client(() => new Promise(() => undefined)),
    ),
};
export const Empty: Story = { render: (args) => chart(args, client(resolves(distribution(0, 1, 1), []))) };
export const QueryError: Story = {
  render: (args) =>
    chart(
      args,
      client(() => Promise.reject(Object.assign(new Error('query failed: <img src=x> shown as text'), { code: 'query_failed' }))),
    ),
};
