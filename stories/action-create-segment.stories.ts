import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { actionsFor } from './support/actions.js';
import { defaultFilters } from '../packages/queries/src/index.js';
import '../packages/elements/src/index.js';

/**
 * A2.3 Create user segment against a running actions service (there is no stand-in: start one first):
 *
 *   SNAPSHOT_DIR=.data/test-snapshot TOKEN_SECRET=storybook-dev-secret-0123456789-abcdef \
 *     CORS_ORIGINS=http://localhost:6006 PORT=8787 pnpm exec tsx packages/actions-service/src/main.ts
 *
 * The story signs a short-lived token in the browser with `tokenSecret` for the roles you pick — a
 * development shortcut only: in the portal the token is signed on the server and the secret never
 * reaches a browser. Saved segments stay until the service stops.
 */
interface Args {
  serviceUrl: string;
  tokenSecret: string;
  roles: string;
  departments: string;
  theme: '' | 'light' | 'dark';
}

function createSegment(args: Args, prefill?: 'filters' | 'criteria'): HTMLElement {
  const provider = document.createElement('usage-provider');
  if (args.theme) provider.theme = args.theme;
  provider.actions = actionsFor(args);
  const el = document.createElement('usage-action-create-segment');
  if (prefill === 'criteria') {
    el.criteria = { windowDays: 7, requests: { min: 10 }, engagement: ['power', 'regular'] };
    el.values = { ...el.values, name: 'Busy this week', sharing: 'department' };
  }
  if (prefill === 'filters') {
    // As the tab does from a view: what the segment cannot express is listed in a note.
    el.filters = defaultFilters({ timeRange: { preset: '24h' }, userSegments: ['power'], intents: ['billing'] });
    el.useFilters = true;
  }
  provider.append(el);
  provider.addEventListener('usage-action-complete', (e) => console.info('usage-action-complete', e.detail));
  provider.addEventListener('usage-action-cancel', (e) => console.info('usage-action-cancel', e.detail));
  return provider;
}

const meta: Meta<Args> = {
  title: 'Usage/Actions/Create user segment',
  component: 'usage-action-create-segment',
  args: {
    serviceUrl: 'http://127.0.0.1:8787',
    tokenSecret: 'storybook-dev-secret-0123456789-abcdef',
    roles: 'business_analyst',
    departments: '*',
    theme: '',
  },
  argTypes: {
    roles: {
      control: 'select',
      options: ['business_analyst', 'product_manager', 'customer_success', 'engineering_manager', 'director_ai_ml', 'finance'],
    },
    theme: { control: 'select', options: ['', 'light', 'dark'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'A2.3 Create user segment: a builder (window, requests range, agents any/all, departments, engagement, last active) with a live count (debounced) of the users it selects, by department and the busiest; Review → Confirm saves it privately or shared. Needs a running actions service (see the comment at the top of stories/action-create-segment.stories.ts); a role without the action (engineering_manager) sees no button.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const CreateSegment: Story = { render: (args) => createSegment(args) };

/** Prefilled criteria and name (`criteria`, `values`). */
export const Prefilled: Story = { render: (args) => createSegment(args, 'criteria') };

/** Prefilled from the tab's filters (`use-filters`): a note lists the filters that did not map. */
export const FromFilters: Story = { render: (args) => createSegment(args, 'filters') };

/** A department-scoped analyst: only their departments to choose from. */
export const OneDepartment: Story = { args: { departments: 'engineering' }, render: (args) => createSegment(args) };

/** A role without A2.3: no button. */
export const WithoutTheRight: Story = { args: { roles: 'engineering_manager' }, render: (args) => createSegment(args) };

export const DarkTheme: Story = { args: { theme: 'dark' }, render: (args) => createSegment(args) };
