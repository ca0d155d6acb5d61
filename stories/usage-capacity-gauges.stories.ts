import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageCapacityGauges } from '../packages/elements/src/index.js';
import { defaultFilters, type CapacityGauge, type CapacityPoint, type UsageFilters } from '../packages/queries/src/index.js';

interface Args {
  variant: 'radial' | 'bullet';
  environment: string;
  locale: string;
}

const HOUR = 3_600_000;
const END = Date.UTC(2026, 10, 1);
const RESOURCES = [
  { type: 'api_rate_limit', unit: 'req/min', max: 1000, warning: 75, critical: 90, now: 81.2, peak: 97 },
  { type: 'compute', unit: 'vCPU', max: 64, warning: 70, critical: 85, now: 55, peak: 88 },
  { type: 'memory', unit: 'GiB', max: 256, warning: 80, critical: 92, now: 94.5, peak: 100 },
  { type: 'tokens_per_min', unit: 'tokens/min', max: 2_000_000, warning: 75, critical: 90, now: 31, peak: 62 },
];
const ENVS = ['production', 'staging', 'development'];
const status = (u: number, w: number, c: number) => (u >= c ? 'critical' : u >= w ? 'warning' : 'ok');

/** 4 resources × 3 environments: production runs hot (warning and critical), staging and development cooler. */
function gauges(over: (g: CapacityGauge) => Partial<CapacityGauge> = () => ({})): CapacityGauge[] {
  return ENVS.flatMap((environment, e) =>
    RESOURCES.map((r) => {
      const now = r.now * (1 - 0.25 * e);
      const peak = Math.min(100, r.peak * (1 - 0.2 * e));
      const g: CapacityGauge = {
        resourceType: r.type,
        environment,
        at: END - HOUR,
        currentUsage: (r.max * now) / 100,
        maxCapacity: r.max,
        utilisation: now,
        warningThreshold: r.warning,
        criticalThreshold: r.critical,
        status: status(now, r.warning, r.critical),
        unit: r.unit,
        peakUtilisation: peak,
        peakAt: END - (3 + e) * 24 * HOUR - 10 * HOUR,
        peakUsage: (r.max * peak) / 100,
        peakCapacity: r.max,
        peakStatus: status(peak, r.warning, r.critical),
        peakSamples: peak === 100 ? 3 : 1,
        samples: 720,
        warningSamples: 60,
        criticalSamples: 12,
      };
      return { ...g, ...over(g) };
    }),
  );
}

/** 30 days of day buckets with a weekly rhythm for every environment. */
function series(resourceType: string): CapacityPoint[] {
  const r = RESOURCES.find((x) => x.type === resourceType) ?? RESOURCES[0];
  return ENVS.flatMap((environment, e) =>
    Array.from({ length: 30 }, (_, d) => {
      const avg = (r.now - 15) * (1 - 0.25 * e) + 12 * Math.sin((2 * Math.PI * d) / 7);
      const max = Math.min(100, avg + 14);
      return {
        resourceType,
        environment,
        t: END - (30 - d) * 24 * HOUR,
        samples: 24,
        avgUtilisation: avg,
        maxUtilisation: max,
        breaches: max >= r.warning ? 4 : 0,
        criticalBreaches: max >= r.critical ? 1 : 0,
      };
    }),
  );
}

function client(answer: () => Promise<CapacityGauge[]>): QueryClient {
  return {
    run: (m: { name: string }, _f: UsageFilters, p?: { resourceType?: string }) =>
      m.name === 'capacitySeries' ? Promise.resolve(series(p?.resourceType ?? 'api_rate_limit')) : answer(),
    precomputed: () => undefined,
  } as unknown as QueryClient;
}
const resolves = (g: CapacityGauge[]) => () => new Promise<CapacityGauge[]>((r) => setTimeout(() => r(g), 200));

function chart(args: Args, c?: QueryClient, filters: UsageFilters = defaultFilters({ environments: [] })): HTMLElement {
  const el = document.createElement('usage-capacity-gauges') as UsageCapacityGauges;
  if (c) {
    el.client = c;
    el.filters = filters;
  }
  el.variant = args.variant;
  el.environment = args.environment;
  el.locale = args.locale;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  el.addEventListener('usage-request-capacity-alert', (e) => console.info('usage-request-capacity-alert', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.13 Capacity gauges',
  component: 'usage-capacity-gauges',
  args: { variant: 'radial', environment: '', locale: 'en-US' },
  argTypes: {
    variant: { control: 'inline-radio', options: ['radial', 'bullet'] },
    environment: { control: 'select', options: ['', 'production', 'staging', 'development', 'all'] },
    locale: { control: 'select', options: ['en-US', 'de-DE', 'fr-FR', 'ar-EG'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'One gauge per resource (API rate limit, compute, memory, tokens per minute) for the chosen environment (production by default, or all grouped), radial or bullet. Zones from each resource’s thresholds: OK plain, Warning hatched, Critical cross-hatched, and the status in words with its own icon shape. The latest value with its unit and the peak of the period with its time. A gauge opens its utilisation over time (mean, max, thresholds, breaches) and fires `usage-drilldown` `{kind: "capacity-resource"}`; "Configure alert" fires `usage-request-capacity-alert`.',
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
    provider.filters = defaultFilters({ environments: [] });
    provider.append(chart(args));
    return provider;
  },
};
export const Radial: Story = { render: (args) => chart(args, client(resolves(gauges()))) };
export const Bullet: Story = { args: { variant: 'bullet' }, render: (args) => chart(args, client(resolves(gauges()))) };
export const AllEnvironments: Story = { args: { environment: 'all', variant: 'bullet' }, render: (args) => chart(args, client(resolves(gauges()))) };
export const ProductionFilterOnly: Story = {
  render: (args) => chart(args, client(resolves(gauges().filter((g) => g.environment === 'production'))), defaultFilters()),
};
export const NoCapacityAndNoPeak: Story = {
  render: (args) =>
    chart(
      args,
      client(
        resolves(
          gauges((g) =>
            g.resourceType === 'compute'
              ? {
                  maxCapacity: 0,
                  utilisation: null,
                  status: 'unknown',
                  peakUtilisation: null,
                  peakAt: null,
                  peakUsage: null,
                  peakCapacity: null,
                  peakStatus: null,
                  samples: 0,
                }
              : {},
          ),
        ),
      ),
    ),
};
export const HostileUnit: Story = {
  render: (args) => chart(args, client(resolves(gauges((g) => (g.resourceType === 'memory' ? { unit: '<img src=x onerror="alert(1)"> وحدة' } : {}))))),
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
      client(() => Promise.reject(Object.assign(new Error('query failed: Catalog Error'), { code: 'query_failed' }))),
    ),
};
