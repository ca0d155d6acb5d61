import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageRetentionCohorts } from '../packages/elements/src/index.js';
import { defaultFilters, type RetentionCell } from '../packages/queries/src/index.js';

interface Args {
  locale: string;
  filtersOverride: string;
}

/** Twelve monthly cohorts ending in November 2026 (its month not over yet). */
function cohorts(n = 12): RetentionCell[] {
  const out: RetentionCell[] = [];
  for (let r = 0; r < n; r++) {
    const month = new Date(Date.UTC(2025, 11 + r, 1)).toISOString().slice(0, 7);
    const size = 120 + ((r * 53) % 90);
    for (let k = 0; k < n - r; k++) {
      const retained = k === 0 ? size : Math.round(size * (0.25 + 0.45 * Math.exp(-k / 2.5)) * (1 + ((r + k) % 3) * 0.04));
      out.push({
        cohortMonth: month,
        monthOffset: k,
        cohortSize: size,
        retainedUsers: Math.min(size, retained),
        retentionPct: (Math.min(size, retained) / size) * 100,
        incomplete: r + k === n - 1,
      });
    }
  }
  return out;
}

function client(answer: () => Promise<RetentionCell[]>): QueryClient {
  return { run: () => answer(), precomputed: () => undefined } as unknown as QueryClient;
}
const resolves = (cells: RetentionCell[]) => () => new Promise<RetentionCell[]>((r) => setTimeout(() => r(cells), 200));

function chart(args: Args, c: QueryClient): HTMLElement {
  const el = document.createElement('usage-retention-cohorts') as UsageRetentionCohorts;
  el.client = c;
  el.filters = defaultFilters();
  el.locale = args.locale;
  if (args.filtersOverride) el.setAttribute('filters-override', args.filtersOverride);
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.9 Retention cohorts',
  component: 'usage-retention-cohorts',
  args: { locale: 'en-US', filtersOverride: '' },
  argTypes: { locale: { control: 'select', options: ['en-US', 'de-DE', 'ar-EG'] } },
  parameters: {
    docs: {
      description: {
        component:
          'Monthly cohorts × months since first seen, green (high) → red (low) with the percentage printed; hover or focus for retained / cohort size; hatched `*` cells are months not over yet. Click or Enter fires `usage-drilldown` `{kind: "cohort-cell"}`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = { render: (args) => chart(args, client(resolves(cohorts()))) };
export const PerChartFilters: Story = {
  args: { filtersOverride: '{"departments":["sales"],"intents":["email"]}' },
  render: (args) => chart(args, client(resolves(cohorts(6)))),
};
export const Loading: Story = {
  render: (args) =>
    chart(
      args,
      client(() => new Promise(() => undefined)),
    ),
};
export const Empty: Story = { render: (args) => chart(args, client(resolves([]))) };
export const QueryError: Story = {
  render: (args) =>
    chart(
      args,
      client(() => Promise.reject(Object.assign(new Error('query failed: <img src=x> shown as text'), { code: 'query_failed' }))),
    ),
};
