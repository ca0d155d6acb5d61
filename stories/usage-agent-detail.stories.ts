import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { UsageAgentDetail } from '../packages/elements/src/index.js';
import { defaultFilters } from '../packages/queries/src/index.js';

interface Args {
  agentId: string;
  theme: '' | 'light' | 'dark';
}

/** `<usage-agent-detail>` inside a provider that reads the test snapshot through DuckDB-WASM. */
function detail(args: Args): HTMLElement {
  const provider = document.createElement('usage-provider');
  provider.src = SNAPSHOT_URL;
  provider.bundleBase = BUNDLE_BASE;
  provider.filters = defaultFilters();
  if (args.theme) provider.theme = args.theme;
  const el = document.createElement('usage-agent-detail') as UsageAgentDetail;
  el.agentId = args.agentId;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', e.detail));
  provider.append(el);
  return provider;
}

const meta: Meta<Args> = {
  title: 'Usage/Tab/Agent detail (Level 3)',
  component: 'usage-agent-detail',
  args: { agentId: 'agt-code-assistant', theme: '' },
  argTypes: {
    agentId: { control: 'select', options: ['agt-code-assistant', 'agt-support-copilot', 'agt-data-analyst', 'agt-content-writer', 'agt-enterprise-search'] },
    theme: { control: 'select', options: ['', 'light', 'dark'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          "Level 3 of the tab for one agent: daily requests and users, the adoption curve, the API clients with their error rates, and the request log with user attribution (a user fires `usage-drilldown` `{kind: 'user'}`). Here on the test snapshot (`pnpm build-storybook` makes it).",
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = { render: (args) => detail(args) };

/** An agent the snapshot does not know: each section says it has no requests. */
export const UnknownAgent: Story = { args: { agentId: 'agt-does-not-exist' }, render: (args) => detail(args) };

export const DarkTheme: Story = { args: { theme: 'dark' }, render: (args) => detail(args) };
