import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageCallsOverTime } from '../packages/elements/src/index.js';
import { defaultFilters, type AnomalyCauses, type CallsOverTime, type HourWeekdayCell, type UsageForecast } from '../packages/queries/src/index.js';

interface Args {
  split: 'total' | 'version' | 'environment';
  compare: string;
  hideForecast: boolean;
  heading: string;
}

const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 1);
const DEPTS = ['engineering', 'support', 'sales', 'marketing', 'data-science'];
const SPIKE = 12;
const DIP = 22;

/** Weekly-seasonal calls per key, with a spike and a dip (deterministic). */
function calls(days: number, keys: string[] = DEPTS, by: CallsOverTime['by'] = 'department'): CallsOverTime {
  const points = Array.from({ length: days }, (_, i) => {
    const t = END - (days - i) * DAY;
    const weekday = new Date(t).getUTCDay();
    const season = weekday === 0 || weekday === 6 ? 0.35 : 1;
    const shock = i === days - SPIKE ? 2.6 : i === days - DIP ? 0.3 : 1;
    const values: Record<string, number> = {};
    keys.forEach((k, j) => (values[k] = Math.round(((keys.length - j) * 12 + 5) * season * shock * (1 + 0.1 * Math.sin(i + j)))));
    const total = Object.values(values).reduce((a, b) => a + b, 0);
    return { t, label: new Date(t).toISOString().slice(0, 10), total, previous: 0, values };
  });
  return { bucket: 'day', by, keys, points, total: points.reduce((s, p) => s + p.total, 0), previousTotal: 0 };
}

function forecast(data: CallsOverTime): UsageForecast {
  const history = data.points.map((p, i) => {
    const flagged = i === data.points.length - SPIKE || i === data.points.length - DIP;
    return {
      date: p.label,
      value: p.total,
      users: 1,
      partial: false,
      expected: flagged ? p.total / (i === data.points.length - SPIKE ? 2.6 : 0.3) : p.total,
      score: flagged ? 6 : 0,
      isAnomaly: flagged,
      direction: (i === data.points.length - DIP ? 'dip' : 'spike') as 'spike' | 'dip',
    };
  });
  const level = data.total / data.points.length;
  const points = Array.from({ length: 14 }, (_, i) => ({
    date: new Date(END + i * DAY).toISOString().slice(0, 10),
    predicted: level,
    lower80: level * 0.8,
    upper80: level * 1.2,
    lower95: level * 0.7,
    upper95: level * 1.3,
    baseline: null,
    bands: [],
  }));
  const f = {
    model_type: 'ensemble' as const,
    points,
    mape: 8,
    smape: 8,
    baseline_mape: 12,
    baseline_smape: 12,
    backtest_origins: 3,
    backtest_horizon: 14,
    params: { period: 7, interval_method: 'empirical' as const },
    training_start: history[0].date,
    training_end: history.at(-1)!.date,
    notes: [],
  };
  return { horizon: 14, series: [{ key: '', history, cleanedDates: [], forecast: f }] };
}

const cells = (): HourWeekdayCell[] =>
  Array.from({ length: 168 }, (_, i) => {
    const weekday = Math.floor(i / 24) + 1;
    const hour = i % 24;
    const requests = Math.round((weekday >= 6 ? 20 : 80) * Math.exp(-((hour - 14) ** 2) / 18) + 4);
    return { hour, weekday, requests, occurrences: 4, avg: requests / 4, percentileRank: 0 };
  });

const causes = (date: string, names = DEPTS): AnomalyCauses => ({
  date,
  weeks: 4,
  actual: 900,
  expected: 350,
  departments: names
    .slice(0, 3)
    .map((key, i) => ({ key, actual: 400 - i * 100, expected: 100, delta: 300 - i * 100, contribution: (100 * (300 - i * 100)) / 550 })),
  agents: [{ key: 'agt-support-copilot', actual: 500, expected: 120, delta: 380, contribution: (100 * 380) / 550 }],
  statuses: [{ key: 'success', actual: 850, expected: 330, delta: 520, contribution: (100 * 520) / 550 }],
});

function storyClient(mode: 'ok' | 'never' | 'fail' | 'empty', keys: string[] = DEPTS): QueryClient {
  const client = {
    manifest: { generated_at: '2026-11-28T00:13:08.694Z' },
    dimensions: async () => ({ departments: [...keys].sort(), intents: [], providers: [], modelFamilies: [], agentIds: [] }),
    run(module: { name: string }, _f: unknown, params: { by?: string; date?: string }) {
      if (mode === 'never') return new Promise(() => undefined);
      if (mode === 'fail')
        return Promise.reject(Object.assign(new Error('query failed: Catalog Error: Table with name requests does not exist!'), { code: 'query_failed' }));
      const by = params?.by;
      const data =
        mode === 'empty'
          ? calls(30, [])
          : by === 'agent_version'
            ? calls(30, ['2.0', '1.9'], 'agent_version')
            : by === 'environment'
              ? calls(30, ['production', 'staging', 'development'], 'environment')
              : by === 'agent'
                ? calls(30, ['agt-support-copilot', 'agt-code-assistant'], 'agent')
                : calls(30, keys);
      const value =
        module.name === 'usageForecast'
          ? forecast(calls(30, keys))
          : module.name === 'hourWeekday'
            ? cells()
            : module.name === 'anomalyCauses'
              ? causes(params.date!, keys)
              : data;
      return new Promise((r) => setTimeout(() => r(value), 250));
    },
    precomputed: () => undefined,
  };
  return client as unknown as QueryClient;
}

function chart(args: Args, client?: QueryClient): UsageCallsOverTime {
  const el = document.createElement('usage-calls-over-time');
  el.split = args.split;
  if (args.compare) el.compare = args.compare;
  el.hideForecast = args.hideForecast;
  el.heading = args.heading;
  if (client) {
    el.client = client;
    el.filters = defaultFilters();
  }
  for (const type of ['usage-drilldown', 'usage-zoom'] as const) el.addEventListener(type, (e) => console.info(type, e.detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/Charts/2.5 API Calls Over Time',
  component: 'usage-calls-over-time',
  args: { split: 'total', compare: '', hideForecast: false, heading: 'API Calls Over Time' },
  argTypes: { split: { control: 'select', options: ['total', 'version', 'environment'] } },
  parameters: {
    docs: {
      description: {
        component:
          'Calls over time with anomaly markers (click one for its likely causes), the forecast and its band, zoom (drag) and pan (Shift+drag); an hour-of-day × weekday heatmap and the weekday seasonality. Hover a bucket for its top agents and departments; click it for its requests.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

/** The real test snapshot through DuckDB-WASM (needs .data/test-snapshot at build time); its whole range shows the injected anomalies. */
export const LiveSnapshot: Story = {
  render: (args) => {
    const provider = document.createElement('usage-provider');
    provider.src = SNAPSHOT_URL;
    provider.bundleBase = BUNDLE_BASE;
    provider.filters = defaultFilters({ timeRange: { preset: 'custom', start: '2026-07-04', end: '2026-11-01' } });
    provider.append(chart(args));
    return provider;
  },
};

export const Total: Story = { render: (args) => chart(args, storyClient('ok')) };
export const CompareDepartments: Story = { args: { compare: 'engineering,support,sales' }, render: (args) => chart(args, storyClient('ok')) };
export const VersionSplit: Story = { args: { split: 'version' }, render: (args) => chart(args, storyClient('ok')) };
export const EnvironmentSplit: Story = { args: { split: 'environment' }, render: (args) => chart(args, storyClient('ok')) };
export const Loading: Story = { render: (args) => chart(args, storyClient('never')) };
export const Empty: Story = { render: (args) => chart(args, storyClient('empty')) };
export const QueryError: Story = { render: (args) => chart(args, storyClient('fail')) };
export const HostileDepartmentNames: Story = {
  render: (args) =>
    chart(args, storyClient('ok', ['<img src=x onerror="alert(1)">', 'a-very-long-department-name-'.repeat(8), 'قسم المبيعات', '=HYPERLINK("http://evil")'])),
};
