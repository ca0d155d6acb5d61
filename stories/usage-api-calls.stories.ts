import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageApiCalls } from '../packages/elements/src/index.js';
import { defaultFilters, type CallsOverTime, type UsageForecast } from '../packages/queries/src/index.js';

interface Args {
  compare: string;
  forecastDays: number;
  hideForecast: boolean;
  heading: string;
}

const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 1);
const DEPTS = ['engineering', 'support', 'sales', 'customer-success', 'marketing', 'data-science', 'product', 'operations', 'finance', 'it', 'platform', 'hr'];

/** Weekly-seasonal calls per department with a gentle trend (deterministic). */
function calls(days: number, keys: string[] = DEPTS, bucket: 'day' | 'hour' = 'day'): CallsOverTime {
  const step = bucket === 'day' ? DAY : 3_600_000;
  const points = Array.from({ length: days }, (_, i) => {
    const t = END - (days - i) * step;
    const weekday = new Date(t).getUTCDay();
    const season = weekday === 0 || weekday === 6 ? 0.35 : 1;
    const values: Record<string, number> = {};
    keys.forEach((k, j) => (values[k] = Math.round(((keys.length - j) * 9 + 4) * season * (1 + i / (days * 3)) * (1 + 0.15 * Math.sin(i + j)))));
    const total = Object.values(values).reduce((a, b) => a + b, 0);
    return { t, label: new Date(t).toISOString().slice(0, 10), total, previous: 0, values };
  });
  return { bucket, by: 'department', keys, points, total: points.reduce((s, p) => s + p.total, 0), previousTotal: 0 };
}

/** A seasonal stand-in forecast of the total (key '') or of each department in `keys`. */
function forecast(data: CallsOverTime, horizon: number, keys: string[] = ['']): UsageForecast {
  return { horizon, series: keys.map((key) => forecastOf(data, horizon, key)) };
}

function forecastOf(data: CallsOverTime, horizon: number, key: string): UsageForecast['series'][number] {
  const last = data.points.slice(-30);
  const valueOf = (p: CallsOverTime['points'][number]) => (key ? (p.values[key] ?? 0) : p.total);
  const level = last.reduce((s, p) => s + valueOf(p), 0) / last.length;
  const history = last.map((p) => ({
    date: p.label,
    value: valueOf(p),
    users: 1,
    partial: false,
    expected: valueOf(p),
    score: 0,
    isAnomaly: false,
    direction: 'spike' as const,
  }));
  const points = Array.from({ length: horizon }, (_, i) => {
    const weekday = new Date(END + i * DAY).getUTCDay();
    const v = level * (weekday === 0 || weekday === 6 ? 0.45 : 1.2);
    return {
      date: new Date(END + i * DAY).toISOString().slice(0, 10),
      predicted: v,
      lower80: v * (0.85 - i / 200),
      upper80: v * (1.15 + i / 200),
      lower95: v * 0.7,
      upper95: v * 1.3,
      baseline: null,
      bands: [],
    };
  });
  const result = {
    model_type: 'ensemble' as const,
    points,
    mape: 8,
    smape: 8,
    baseline_mape: 12,
    baseline_smape: 12,
    backtest_origins: 3,
    backtest_horizon: horizon,
    params: { period: 7, interval_method: 'empirical' as const },
    training_start: history[0].date,
    training_end: history.at(-1)!.date,
    notes: [],
  };
  return { key, history, cleanedDates: [], forecast: result };
}

/** A client answering every query after `delay` ms; `fail` rejects, `first` is the precomputed paint. */
function storyClient(data: CallsOverTime | 'never' | 'fail', { delay = 300, first }: { delay?: number; first?: CallsOverTime } = {}): QueryClient {
  const client = {
    manifest: { generated_at: '2026-11-28T00:13:08.694Z' },
    // Every department of the "snapshot" (the colour domain): here, the data's own.
    dimensions: async () => ({
      departments: typeof data === 'object' ? [...data.keys].sort() : DEPTS,
      intents: [],
      providers: [],
      modelFamilies: [],
      agentIds: [],
    }),
    run(module: { name: string }, _filters: unknown, params: { horizon?: number; departments?: string[] }) {
      if (data === 'never') return new Promise(() => undefined);
      if (data === 'fail')
        return Promise.reject(Object.assign(new Error('query failed: Catalog Error: Table with name requests does not exist!'), { code: 'query_failed' }));
      const value = module.name === 'apiCallsForecast' ? forecast(data, params.horizon ?? 14, params.departments) : data;
      return new Promise((r) => setTimeout(() => r(value), delay));
    },
    precomputed: (module: { name: string }) => (module.name === 'callsOverTime' ? first : undefined),
  };
  return client as unknown as QueryClient;
}

function chart(args: Args, client?: QueryClient): UsageApiCalls {
  const el = document.createElement('usage-api-calls');
  if (args.compare) el.compare = args.compare;
  el.forecastDays = args.forecastDays;
  el.hideForecast = args.hideForecast;
  el.heading = args.heading;
  if (client) {
    el.client = client;
    el.filters = defaultFilters();
  }
  for (const type of ['usage-drilldown', 'usage-zoom', 'usage-series-toggle'] as const) el.addEventListener(type, (e) => console.info(type, e.detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/Charts/2.1 Total API Calls',
  component: 'usage-api-calls',
  args: { compare: '', forecastDays: 14, hideForecast: false, heading: 'Total API Calls' },
  argTypes: { forecastDays: { control: { type: 'range', min: 14, max: 30, step: 1 } } },
  parameters: {
    docs: {
      description: {
        component:
          'Calls stacked by department over time (or up to five departments compared as lines), the trend and a forecast fitted on the last 30 days. Drag to zoom, Shift+drag to pan, click a point for its requests, use the legend to hide a department or open it. Keyboard: focus the plot, then arrows, Enter, +/-, 0.',
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

export const Stacked: Story = { render: (args) => chart(args, storyClient(calls(30))) };
export const CompareDepartments: Story = { args: { compare: 'engineering,support,sales' }, render: (args) => chart(args, storyClient(calls(30))) };
export const FirstPaintFromPrecomputed: Story = { render: (args) => chart(args, storyClient('never', { first: calls(30) })) };
export const NinetyDays: Story = { args: { forecastDays: 30 }, render: (args) => chart(args, storyClient(calls(90))) };
/** 20 departments × a year of hours: above the SVG budget, the areas are painted on a canvas. */
export const CanvasRendering: Story = {
  args: { hideForecast: true },
  render: (args) =>
    chart(
      args,
      storyClient(calls(24 * 365, [...DEPTS, 'research', 'security', 'design', 'legal', 'procurement', 'compliance', 'communications', 'executive'], 'hour')),
    ),
};
export const Loading: Story = { render: (args) => chart(args, storyClient('never')) };
export const Empty: Story = { render: (args) => chart(args, storyClient(calls(30, []))) };
export const QueryError: Story = { render: (args) => chart(args, storyClient('fail')) };
export const HostileDepartmentNames: Story = {
  render: (args) =>
    chart(
      args,
      storyClient(calls(30, ['<img src=x onerror="alert(1)">', 'a-very-long-department-name-'.repeat(8), 'قسم المبيعات', '=HYPERLINK("http://evil")'])),
    ),
};
