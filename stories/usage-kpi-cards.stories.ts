import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import type { UsageKpiCards } from '../packages/elements/src/index.js';
import { defaultFilters } from '../packages/queries/src/index.js';
import { EMPTY_KPIS, NEW_KPIS, SAMPLE_KPIS, fails, never, resolves, storyClient } from './support/fakes.js';

interface Args {
  locale: string;
  compactThreshold: number;
  label: string;
}

/** Renders a `<usage-kpi-cards>` with the given client (plain DOM: stories stay free of a lit copy at the root). */
function cards(args: Args, client: UsageKpiCards['client']): HTMLElement {
  const el = document.createElement('usage-kpi-cards');
  el.locale = args.locale;
  el.compactThreshold = args.compactThreshold;
  el.label = args.label;
  el.client = client;
  el.filters = defaultFilters();
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', e.detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/KPI cards',
  component: 'usage-kpi-cards',
  args: { locale: 'en-US', compactThreshold: 10_000, label: 'Usage KPIs' },
  argTypes: {
    locale: { control: 'select', options: ['en-US', 'de-DE', 'fr-FR', 'ja-JP'] },
    compactThreshold: { control: { type: 'number', min: 0, step: 1000 } },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Total API Calls, Unique Users, Active Agents and Avg Calls per User with the change against the previous period. Click a card, or focus it and press Enter, to fire `usage-drilldown`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = { render: (args) => cards(args, storyClient(resolves(SAMPLE_KPIS))) };

/** The snapshot shipped this view: it paints at once, before DuckDB-WASM starts. */
export const FirstPaintFromPrecomputed: Story = { render: (args) => cards(args, storyClient(never, SAMPLE_KPIS)) };

export const NoPreviousPeriod: Story = { render: (args) => cards(args, storyClient(resolves(NEW_KPIS))) };

export const Loading: Story = { render: (args) => cards(args, storyClient(never)) };

export const Empty: Story = { render: (args) => cards(args, storyClient(resolves(EMPTY_KPIS))) };

export const QueryError: Story = {
  render: (args) => cards(args, storyClient(fails('query failed: Catalog Error: Table with name requests does not exist!'))),
};

export const HostileErrorText: Story = {
  render: (args) => cards(args, storyClient(fails('<img src=x onerror="alert(1)"> is shown as text'))),
};

export const Themed: Story = {
  render: (args) => {
    const el = cards(args, storyClient(resolves(SAMPLE_KPIS)));
    el.style.setProperty('--usage-kpi-min-width', '10rem');
    el.style.setProperty('--usage-kpi-value-size', '2.5rem');
    el.style.setProperty('--usage-radius', '2px');
    return el;
  },
};
