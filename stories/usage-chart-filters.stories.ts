import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import '../packages/elements/src/components/chart-filters/chart-filters.js';
import { defaultFilters, type Dimensions, type UsageFilters } from '../packages/queries/src/index.js';

interface Args {
  chart: string;
}

const DIMS: Dimensions = {
  departments: ['engineering', 'finance', 'hr', 'marketing', 'sales', 'support'],
  intents: ['analysis', 'code_gen', 'content', 'customer_support', 'other'],
  providers: ['anthropic', 'openai'],
  modelFamilies: ['claude-3.5', 'gpt-4o', 'gpt-4o-mini', 'llama-3'],
  agentIds: Array.from({ length: 30 }, (_, i) => `agt-${String(i + 1).padStart(3, '0')}`),
};
const source = { dimensions: async () => DIMS };

/** A standalone `<usage-chart-filters>` (plain DOM) that keeps its own value and logs its events. */
function chartFilters(args: Args, opts: { fields?: string[]; value?: Partial<UsageFilters>; base?: UsageFilters } = {}): HTMLElement {
  const wrap = document.createElement('div');
  wrap.style.cssText = 'display:flex;justify-content:flex-end;min-height:22rem';
  const el = document.createElement('usage-chart-filters');
  el.chart = args.chart;
  el.client = source;
  el.base = opts.base ?? defaultFilters();
  if (opts.fields) el.fields = opts.fields as never;
  if (opts.value) el.value = opts.value;
  el.addEventListener('usage-chart-filter-change', (e) => console.info('usage-chart-filter-change', e.detail));
  wrap.append(el);
  return wrap;
}

const meta: Meta<Args> = {
  title: 'Usage/Chart filters',
  component: 'usage-chart-filters',
  args: { chart: 'Top Users' },
  parameters: {
    docs: {
      description: {
        component:
          'A chart’s own filters (PRD “Secondary Filters (Per chart)”: agent, request status, model family, plus what a chart adds, e.g. department and segment for Top Users). Every chart shows it in its toolbar; the choice overrides the shared filters for that chart only (`filtersOverride`) and fires `usage-chart-filter-change`. Keyboard: Enter opens, Tab moves between filters, Escape closes.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = { render: (args) => chartFilters(args) };

export const TopUsersFields: Story = {
  render: (args) =>
    chartFilters(args, { fields: ['departments', 'userSegments', 'agentIds', 'requestStatuses', 'modelFamilies'], value: { userSegments: ['power'] } }),
};

/** Where the chart sets nothing, the shared selection shows (here: two departments from the filter bar). */
export const OverSharedFilters: Story = {
  args: { chart: 'User Retention Cohorts' },
  render: (args) =>
    chartFilters(args, {
      fields: ['departments', 'agentIds', 'intents', 'requestStatuses', 'modelFamilies'],
      base: defaultFilters({ departments: ['sales', 'support'] }),
      value: { intents: ['analysis'] },
    }),
};
