import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, MISSING_SNAPSHOT_URL, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { UsageLevel } from '../packages/elements/src/index.js';
import { defaultFilters, type UsageFilters } from '../packages/queries/src/index.js';

interface Args {
  src: string;
  bundleBase: string;
  theme: 'light' | 'dark' | 'auto' | '';
  urlState: boolean;
}

/** `<usage-analytics>` built with plain DOM; `level`/`filters` set the starting view. */
function analytics(args: Args, start: { level?: UsageLevel; filters?: UsageFilters } = {}): HTMLElement {
  const el = document.createElement('usage-analytics');
  el.src = args.src;
  el.bundleBase = args.bundleBase;
  if (args.theme) el.theme = args.theme;
  el.noUrlState = !args.urlState;
  if (start.filters) el.filters = start.filters;
  if (start.level) el.level = start.level;
  for (const type of ['usage-level-change', 'usage-filter-change', 'usage-drilldown'] as const) {
    el.addEventListener(type, (e) => console.info(type, (e as CustomEvent).detail));
  }
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/Analytics tab',
  component: 'usage-analytics',
  // Storybook serves .data/test-snapshot at snapshot/ and the DuckDB bundles at duckdb/.
  args: { src: SNAPSHOT_URL, bundleBase: BUNDLE_BASE, theme: '', urlState: false },
  argTypes: { theme: { control: 'select', options: ['', 'light', 'dark', 'auto'] } },
  parameters: {
    layout: 'fullscreen',
    docs: {
      description: {
        component:
          'The whole tab: provider, filter bar, KPI cards and the registered charts, at three levels (fleet, comparison, agent detail). Filters and level live in the URL unless `no-url-state` is set; the stories turn it off so they do not write to the Storybook frame.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

// Each story loads the whole tab on DuckDB-WASM: the docs page shows the first two only ('!autodocs' on the
// others), not eight tabs at once; every story keeps its own page in the sidebar.

/** Level 1: the fleet over the test snapshot. */
export const Fleet: Story = { render: (args) => analytics(args) };

/** Level 2: two departments side by side. */
export const CompareDepartments: Story = {
  tags: ['!autodocs'],
  render: (args) => analytics(args, { filters: defaultFilters({ departments: ['engineering', 'support'] }), level: { kind: 'compare', by: 'department' } }),
};

/** Level 2: production vs staging. */
export const CompareEnvironments: Story = {
  tags: ['!autodocs'],
  render: (args) => analytics(args, { filters: defaultFilters({ environments: ['production', 'staging'] }), level: { kind: 'compare', by: 'environment' } }),
};

/** Level 2: agent versions (the two most used are chosen first). */
export const CompareVersions: Story = {
  tags: ['!autodocs'],
  render: (args) => analytics(args, { level: { kind: 'compare', by: 'agent_version' } }),
};

/** Level 3: one agent's daily requests, adoption, API clients and request log (a user opens their journey), its top users and retention. */
export const AgentDetail: Story = {
  tags: ['!autodocs'],
  render: (args) => analytics(args, { level: { kind: 'agent', agentId: 'agt-support-copilot' } }),
};

/**
 * A link the snapshot cannot show as written (an old or hand-edited URL): unknown departments and
 * agent, a range outside the years 1700–2200. It is cleaned once before anything queries, the
 * frame's URL is rewritten in place, and one short notice says what was ignored.
 */
export const LinkWithUnknownValues: Story = {
  tags: ['!autodocs'],
  args: { urlState: true },
  render: (args) => {
    const own = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries({
      d: `engineering,no-such-dept,${Array.from({ length: 200 }, (_, i) => `old-dept-${i}`).join(',')}`,
      level: 'agent:agt-retired',
      t: '0001-01-01..9999-12-31',
    }))
      own.set(k, v);
    history.replaceState(history.state, '', `${location.pathname}?${own}`);
    return analytics(args);
  },
};

export const MissingSnapshot: Story = { args: { src: MISSING_SNAPSHOT_URL }, render: (args) => analytics(args) };

export const Dark: Story = {
  tags: ['!autodocs'],
  args: { theme: 'dark' },
  render: (args) => analytics(args),
};

/** Narrow container: everything in one column. */
export const Narrow: Story = {
  tags: ['!autodocs'],
  render: (args) => {
    const wrap = document.createElement('div');
    wrap.style.maxWidth = '420px';
    wrap.append(analytics(args));
    return wrap;
  },
};
