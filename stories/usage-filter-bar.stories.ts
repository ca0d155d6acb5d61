import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { DimensionsSource } from '../packages/elements/src/index.js';
import { defaultFilters, normaliseSegmentCriteria, type Dimensions, type SavedSegmentFilter, type UsageFilters } from '../packages/queries/src/index.js';

interface Args {
  label: string;
}

const DIMS: Dimensions = {
  departments: [
    'communications',
    'compliance',
    'customer-success',
    'data-science',
    'design',
    'engineering',
    'executive',
    'finance',
    'hr',
    'it',
    'legal',
    'marketing',
    'operations',
    'platform',
    'procurement',
    'product',
    'research',
    'sales',
    'security',
    'support',
  ],
  intents: ['analysis', 'code_gen', 'content', 'customer_support', 'other'],
  providers: ['anthropic', 'google', 'meta', 'mistral', 'openai'],
  modelFamilies: ['claude-3.5', 'gemini-1.5', 'gpt-4o', 'gpt-4o-mini', 'llama-3', 'mistral-large'],
  agentIds: Array.from({ length: 40 }, (_, i) => `agt-${String(i + 1).padStart(3, '0')}`),
};

/** A standalone `<usage-filter-bar>` (plain DOM), logging its events. */
function filterBar(args: Args, opts: { filters?: UsageFilters; dimensions?: Dimensions; client?: DimensionsSource } = {}): HTMLElement {
  const el = document.createElement('usage-filter-bar');
  el.label = args.label;
  if (opts.filters) el.filters = opts.filters;
  if (opts.dimensions) el.dimensions = opts.dimensions;
  if (opts.client) el.client = opts.client;
  el.addEventListener('usage-filter-change', (e) => console.info('usage-filter-change', e.detail));
  el.addEventListener('usage-level-change', (e) => console.info('usage-level-change', e.detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/Filter bar',
  component: 'usage-filter-bar',
  args: { label: 'Usage filters' },
  parameters: {
    docs: {
      description: {
        component:
          'The primary filters (time range with a custom range, departments, agent status, intent, user segment, environment, provider) with the PRD defaults, secondary filters under "More filters", active-filter chips, a count and Reset. Every change fires `usage-filter-change`; inside `<usage-provider>` the provider applies it. Keyboard: Tab between controls; on a filter button ArrowDown opens the list; arrows move, Space/Enter toggle, typing searches, Escape closes.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = { render: (args) => filterBar(args, { dimensions: DIMS }) };

export const WithActiveFilters: Story = {
  render: (args) =>
    filterBar(args, {
      dimensions: DIMS,
      filters: defaultFilters({
        timeRange: { preset: '7d' },
        departments: ['engineering', 'support'],
        environments: ['production', 'staging'],
        userSegments: ['power'],
        requestStatuses: ['error'],
      }),
    }),
};

export const CustomRange: Story = {
  render: (args) => filterBar(args, { dimensions: DIMS, filters: defaultFilters({ timeRange: { preset: 'custom', start: '2026-10-01', end: '2026-10-15' } }) }),
};

/** Names from the data are text: markup, very long and right-to-left values stay inert. */
export const HostileValues: Story = {
  render: (args) => {
    const hostile = ['<img src=x onerror="alert(1)">', 'a very long department name '.repeat(12).trim(), 'מחלקת מכירות', 'قسم المبيعات'];
    return filterBar(args, { dimensions: { ...DIMS, departments: hostile }, filters: defaultFilters({ departments: hostile.slice(0, 3) }) });
  },
};

const SAVED: SavedSegmentFilter[] = [
  { id: 'seg-1', name: 'Heavy code users', criteria: normaliseSegmentCriteria({ requests: { min: 50 }, agents: { ids: ['agt-001'], mode: 'any' } }) },
  {
    id: 'seg-2',
    name: '<b>Sales</b> power users (last 7 days)',
    criteria: normaliseSegmentCriteria({ windowDays: 7, departments: ['sales'], engagement: ['power'] }),
  },
];

/** Saved segments (A2.3; in a provider they come from the actions service) under the engagement segments; one selected, with its chip. */
export const SavedSegments: Story = {
  render: (args) => {
    const el = filterBar(args, { dimensions: DIMS, filters: defaultFilters({ userSegments: ['power'], savedSegments: [SAVED[1]] }) });
    (el as HTMLElementTagNameMap['usage-filter-bar']).savedSegments = { state: 'ready', segments: SAVED };
    return el;
  },
};

export const OptionsFailedToLoad: Story = {
  render: (args) => filterBar(args, { client: { dimensions: () => Promise.reject(new Error('query failed: the engine stopped')) } }),
};

/** Inside `<usage-provider>` over the test snapshot: options from `client.dimensions()`, changes applied by the provider. */
export const InProvider: Story = {
  render: (args) => {
    const provider = document.createElement('usage-provider');
    provider.src = SNAPSHOT_URL;
    provider.bundleBase = BUNDLE_BASE;
    provider.append(filterBar(args), document.createElement('usage-kpi-cards'));
    return provider;
  },
};

export const Dark: Story = {
  render: (args) => {
    const wrap = document.createElement('div');
    wrap.className = 'usage-theme-dark';
    wrap.style.cssText = 'padding: 1rem; background: var(--usage-color-background);';
    wrap.append(filterBar(args, { dimensions: DIMS, filters: defaultFilters({ departments: ['finance'] }) }));
    return wrap;
  },
};
