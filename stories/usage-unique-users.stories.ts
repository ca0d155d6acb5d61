import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageUniqueUsers } from '../packages/elements/src/index.js';
import { defaultFilters, userSegments, type RetentionCell, type UserSegments } from '../packages/queries/src/index.js';

interface Args {
  hideRetention: boolean;
  locale: string;
}

const DAY = 86_400_000;
const T = Date.UTC(2026, 9, 31);

/** A UserSegments through the query module's own transform. */
function segs(
  s: Record<string, [number, number, number | null]>,
  split: [number, number],
  periods: Record<'30d' | '90d', [number, number, number, number]>,
): UserSegments {
  const rows = [
    ...Object.entries(s).map(([key, [users, calls, last]]) => ({ kind: 'segment', key, users, calls, last_ms: last, avg_days: 4.2 })),
    { kind: 'split', key: 'new', users: split[0] },
    { kind: 'split', key: 'returning', users: split[1] },
    ...Object.entries(periods).map(([key, [cur, prev, retained, churned]]) => ({ kind: 'period', key, cur, prev, retained, churned })),
  ];
  return userSegments.transform(rows, undefined as never, undefined);
}

const SAMPLE = segs({ power: [98, 41_200, T], regular: [612, 38_400, T], new: [184, 2_950, T - DAY], dormant: [97, 0, T - 45 * DAY] }, [184, 710], {
  '30d': [894, 812, 702, 110],
  '90d': [960, 640, 590, 50],
});
const EMPTY = segs({}, [0, 0], { '30d': [0, 0, 0, 0], '90d': [0, 0, 0, 0] });

const RETENTION: RetentionCell[] = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09'].flatMap((m, i) => [
  { cohortMonth: m, monthOffset: 0, cohortSize: 120 + i * 10, retainedUsers: 120 + i * 10, retentionPct: 100, incomplete: false },
  {
    cohortMonth: m,
    monthOffset: 1,
    cohortSize: 120 + i * 10,
    retainedUsers: 50 + i * 6,
    retentionPct: ((50 + i * 6) / (120 + i * 10)) * 100,
    incomplete: false,
  },
]);

function client(answer: () => Promise<UserSegments>): QueryClient {
  return {
    run: (m: { name: string }) => (m.name === 'retentionCohorts' ? Promise.resolve(RETENTION) : answer()),
    precomputed: () => undefined,
  } as unknown as QueryClient;
}
const resolves = (d: UserSegments) => () => new Promise<UserSegments>((r) => setTimeout(() => r(d), 200));

function chart(args: Args, c: QueryClient, heading?: string): HTMLElement {
  const el = document.createElement('usage-unique-users') as UsageUniqueUsers;
  el.client = c;
  el.filters = defaultFilters();
  el.hideRetention = args.hideRetention;
  el.locale = args.locale;
  if (heading) el.heading = heading;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.2 Unique users',
  component: 'usage-unique-users',
  args: { hideRetention: false, locale: 'en-US' },
  argTypes: { locale: { control: 'select', options: ['en-US', 'de-DE', 'fr-FR', 'ar-EG'] } },
  parameters: {
    docs: {
      description: {
        component:
          'Users by segment (power / returning / new / dormant) with counts and shares, new vs returning, MoM and QoQ unique users with deltas and churn, and month-1 retention by cohort. Hover or focus a segment for engagement; click or Enter fires `usage-drilldown` `{kind: "segment"}`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = { render: (args) => chart(args, client(resolves(SAMPLE))) };
export const WithoutRetention: Story = { args: { hideRetention: true }, render: (args) => chart(args, client(resolves(SAMPLE))) };
export const HostileHeading: Story = { render: (args) => chart(args, client(resolves(SAMPLE)), '<img src=x onerror="alert(1)"> قسم الدعم') };
export const Loading: Story = {
  render: (args) =>
    chart(
      args,
      client(() => new Promise(() => undefined)),
    ),
};
export const Empty: Story = { render: (args) => chart(args, client(resolves(EMPTY))) };
export const QueryError: Story = {
  render: (args) =>
    chart(
      args,
      client(() => Promise.reject(Object.assign(new Error('query failed: Catalog Error'), { code: 'query_failed' }))),
    ),
};
