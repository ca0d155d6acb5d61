import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageTimeHeatmap } from '../packages/elements/src/index.js';
import { defaultFilters, hourWeekday, type HourWeekdayCell, type MaintenanceWindow } from '../packages/queries/src/index.js';

interface Args {
  timeZone: string;
  utc: boolean;
  quietHours: number;
  locale: string;
}

/** A typical week: office-hours peaks on weekdays, a quiet weekend; through the module's own transform. */
function week(scale = 1): HourWeekdayCell[] {
  const rows = [];
  for (let w = 1; w <= 7; w++) {
    for (let h = 0; h < 24; h++) {
      const office = w <= 5 ? Math.exp(-((h - 10.5) ** 2) / 8) + 0.7 * Math.exp(-((h - 15) ** 2) / 6) : 0.15 * Math.exp(-((h - 13) ** 2) / 12);
      const avg = Math.round(scale * (2 + 120 * office) * 10) / 10;
      rows.push({ hour: h, weekday: w, requests: Math.round(avg * 13), occurrences: 13, avg: (Math.round(avg * 13) / 13) as number, pr: 0 });
    }
  }
  const cells = hourWeekday.transform(rows, undefined as never, undefined);
  // Percentile ranks as the module computes them.
  for (const c of cells) c.percentileRank = (100 * cells.filter((x) => x.avg < c.avg).length) / 167;
  return cells;
}

const at = (iso: string) => Date.parse(iso);
const WINDOWS: MaintenanceWindow[] = [
  {
    windowId: 'mw-platform-patch',
    agentId: null,
    agentName: null,
    title: 'Platform patching',
    startsAt: at('2026-08-02T03:00:00Z'),
    endsAt: at('2026-08-02T05:00:00Z'),
    recurrence: 'weekly',
    recursUntil: null,
    createdBy: 'ops',
    occurrences: Array.from({ length: 13 }, (_, i) => ({
      start: at('2026-08-02T03:00:00Z') + i * 7 * 86_400_000,
      end: at('2026-08-02T05:00:00Z') + i * 7 * 86_400_000,
    })),
    upcoming: [],
    slots: [6 * 24 + 3, 6 * 24 + 4],
  },
  {
    windowId: 'mw-upgrade',
    agentId: 'agt-support-bot',
    agentName: 'Support Bot',
    title: 'Version upgrade',
    startsAt: at('2026-11-11T04:00:00Z'),
    endsAt: at('2026-11-11T07:00:00Z'),
    recurrence: 'none',
    recursUntil: null,
    createdBy: 'u001',
    occurrences: [],
    upcoming: [{ start: at('2026-11-11T04:00:00Z'), end: at('2026-11-11T07:00:00Z') }],
    slots: [2 * 24 + 4, 2 * 24 + 5, 2 * 24 + 6],
  },
];

const HOSTILE: MaintenanceWindow[] = [
  { ...WINDOWS[0], windowId: 'x', title: '<img src=x onerror="alert(1)"> صيانة', agentId: 'agt-x', agentName: '<script>alert(2)</script>' },
];

function client(cells: () => Promise<HourWeekdayCell[]>, windows: MaintenanceWindow[] = WINDOWS): QueryClient {
  return {
    run: (m: { name: string }) => (m.name === 'maintenanceWindows' ? Promise.resolve(windows) : cells()),
    precomputed: () => undefined,
  } as unknown as QueryClient;
}
const resolves = (c: HourWeekdayCell[]) => () => new Promise<HourWeekdayCell[]>((r) => setTimeout(() => r(c), 200));

function chart(args: Args, c?: QueryClient): HTMLElement {
  const el = document.createElement('usage-time-heatmap') as UsageTimeHeatmap;
  if (c) {
    el.client = c;
    el.filters = defaultFilters();
  }
  el.timeZone = args.timeZone;
  el.utc = args.utc;
  el.quietHours = args.quietHours;
  el.locale = args.locale;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.16 Time-of-day heatmap',
  component: 'usage-time-heatmap',
  args: { timeZone: '', utc: false, quietHours: 3, locale: 'en-US' },
  argTypes: {
    timeZone: { control: 'select', options: ['', 'UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Australia/Sydney'] },
    utc: { control: 'boolean' },
    quietHours: { control: { type: 'range', min: 1, max: 6, step: 1 } },
    locale: { control: 'select', options: ['en-US', 'de-DE', 'fr-FR', 'ar-EG'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Hours (rows) × weekdays (columns) in the viewer’s time zone (or UTC with the switch), coloured by average calls per hour (viridis), percentile rank in the tooltip. Maintenance windows are hatched and outlined and listed; the quietest contiguous hours are suggested as windows (dotted). Click or Enter on a cell fires `usage-drilldown` `{kind: "hour-weekday"}`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

/** The real test snapshot through DuckDB-WASM (needs .data/test-snapshot at build time): the demo's maintenance windows. */
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
export const Default: Story = { render: (args) => chart(args, client(resolves(week()))) };
export const Utc: Story = { args: { utc: true }, render: (args) => chart(args, client(resolves(week()))) };
export const FourHourSuggestions: Story = { args: { quietHours: 4 }, render: (args) => chart(args, client(resolves(week()))) };
export const NoMaintenanceWindows: Story = { render: (args) => chart(args, client(resolves(week()), [])) };
export const HostileWindowText: Story = { render: (args) => chart(args, client(resolves(week()), HOSTILE)) };
export const Loading: Story = {
  render: (args) =>
    chart(
      args,
      client(() => new Promise(() => undefined)),
    ),
};
export const Empty: Story = { render: (args) => chart(args, client(resolves(week(0)), [])) };
export const QueryError: Story = {
  render: (args) =>
    chart(
      args,
      client(() => Promise.reject(Object.assign(new Error('query failed: Catalog Error'), { code: 'query_failed' }))),
    ),
};
