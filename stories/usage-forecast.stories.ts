import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageForecastChart } from '../packages/elements/src/index.js';
import { forecast } from '../packages/forecast/src/index.js';
import { defaultFilters, forecastHistory, usageForecast, type Row } from '../packages/queries/src/index.js';

interface Args {
  horizon: number;
  scope: 'fleet' | 'department' | 'agent';
  scopeKey: string;
  compareOrigin: string;
  heading: string;
}

const DAY = 86_400_000;
const END = Date.UTC(2026, 10, 1);
const DEPTS = ['engineering', 'support', 'sales', 'marketing'];
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** A weekly-seasonal daily series with a gentle trend, noise and one outage (deterministic). */
function daily(days: number, scale = 1): { date: string; value: number }[] {
  return Array.from({ length: days }, (_, i) => {
    const t = END - (days - i) * DAY;
    const weekday = new Date(t).getUTCDay();
    const season = weekday === 0 || weekday === 6 ? 0.4 : 1 + 0.05 * weekday;
    const outage = i === days - 40 ? 0.1 : 1;
    return { date: iso(t), value: Math.round(scale * 800 * season * (1 + i / (days * 2)) * (1 + 0.06 * Math.sin(i * 1.7)) * outage) };
  });
}

/** dailySeries rows (the SQL's shape) for usageForecast's own transform. */
const seriesRows = (points: { date: string; value: number }[]): Row[] =>
  points.map((p) => ({ key: '', date: p.date, requests: p.value, users: 1, partial: false }));

/** forecastHistory rows: weekly past forecasts made with the real model from the days before each origin. */
function historyRows(points: { date: string; value: number }[]): Row[] {
  const rows: Row[] = [];
  const actual = new Map(points.map((p) => [p.date, p.value]));
  for (let k = 8; k >= 0; k--) {
    const origin = iso(END - k * 7 * DAY);
    const train = points.filter((p) => p.date < origin);
    const f = forecast(train, { horizon: 90 });
    f.points.forEach((p, i) =>
      rows.push({
        origin,
        step: i + 1,
        ...p,
        model_type: f.model_type,
        backtest_mape: f.mape,
        baseline_mape: f.baseline_mape,
        hindcast: k > 0,
        actual: actual.get(p.date) ?? null,
      }),
    );
  }
  return rows;
}

/** A client answering with the query modules' own transforms over synthetic rows, after `delay` ms. */
function storyClient(mode: 'ok' | 'never' | 'fail' | 'empty' | 'hostile', { days = 150, delay = 300 } = {}): QueryClient {
  const hostile = '<img src=x onerror="alert(1)">';
  const client = {
    manifest: { generated_at: '2026-11-28T00:13:08.694Z' },
    dimensions: async () => ({
      departments: mode === 'hostile' ? [hostile, ...DEPTS] : DEPTS,
      intents: [],
      providers: [],
      modelFamilies: [],
      agentIds: mode === 'hostile' ? [hostile, 'agt-1'] : ['agt-1', 'agt-2'],
    }),
    run(module: { name: string }, filters: unknown, params: { horizon?: number; scope?: string; key?: string }) {
      if (mode === 'never') return new Promise(() => undefined);
      if (mode === 'fail')
        return Promise.reject(Object.assign(new Error('query failed: Catalog Error: Table with name requests does not exist!'), { code: 'query_failed' }));
      const scale = params?.key ? 0.3 : 1;
      const points = mode === 'empty' ? [] : daily(days, scale);
      const value =
        module.name === 'usageForecast'
          ? usageForecast.transform(seriesRows(points), undefined as never, params)
          : forecastHistory.transform(historyRows(points), undefined as never, params as never);
      void filters;
      return new Promise((r) => setTimeout(() => r(value), delay));
    },
  };
  return client as unknown as QueryClient;
}

function chart(args: Args, client?: QueryClient): UsageForecastChart {
  const el = document.createElement('usage-forecast');
  el.horizon = args.horizon as 30;
  el.scope = args.scope;
  if (args.scopeKey) el.scopeKey = args.scopeKey;
  if (args.compareOrigin) el.compareOrigin = args.compareOrigin;
  el.heading = args.heading;
  if (client) {
    el.client = client;
    el.filters = defaultFilters();
  }
  for (const type of ['usage-drilldown', 'usage-forecast-period'] as const) el.addEventListener(type, (e) => console.info(type, e.detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/Charts/2.12 Usage Forecast',
  component: 'usage-forecast',
  args: { horizon: 30, scope: 'fleet', scopeKey: '', compareOrigin: '', heading: 'Usage Forecast' },
  argTypes: {
    horizon: { control: { type: 'inline-radio' }, options: [30, 60, 90] },
    scope: { control: { type: 'inline-radio' }, options: ['fleet', 'department', 'agent'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          '30/60/90-day forecast of daily requests for the fleet, a department or an agent, with 80 % and 95 % bands, the model explained, and past forecasts (kept in the snapshot) drawn against what happened. Keyboard: focus the plot, ←/→ through the days, Enter on a forecast day for its assumptions and model.',
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

export const Fleet: Story = { render: (args) => chart(args, storyClient('ok')) };
export const NinetyDays: Story = { args: { horizon: 90 }, render: (args) => chart(args, storyClient('ok')) };
export const Department: Story = { args: { scope: 'department', scopeKey: 'sales' }, render: (args) => chart(args, storyClient('ok')) };
export const AllPastForecasts: Story = { args: { compareOrigin: 'all' }, render: (args) => chart(args, storyClient('ok')) };
/** Ten days of history: the damped-trend fallback, no backtest, no past forecasts. */
export const ShortHistory: Story = { render: (args) => chart(args, storyClient('ok', { days: 10 })) };
export const Loading: Story = { render: (args) => chart(args, storyClient('never')) };
export const Empty: Story = { render: (args) => chart(args, storyClient('empty')) };
export const QueryError: Story = { render: (args) => chart(args, storyClient('fail')) };
export const HostileNames: Story = {
  args: { scope: 'agent', scopeKey: '<img src=x onerror="alert(1)">' },
  render: (args) => chart(args, storyClient('hostile')),
};
