import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { actionsFor } from './support/actions.js';
import '../packages/elements/src/index.js';

/**
 * A2.4 Export users against a running actions service (there is no stand-in: start one first, as the comment at
 * the top of stories/actions.stories.ts says). The story signs a short-lived token in the browser
 * with `tokenSecret` for the roles you pick — a development shortcut only.
 */
interface Args {
  serviceUrl: string;
  tokenSecret: string;
  roles: string;
  departments: string;
  agentId: string;
  theme: '' | 'light' | 'dark';
}

function exportUsers(args: Args): HTMLElement {
  const provider = document.createElement('usage-provider');
  if (args.theme) provider.theme = args.theme;
  provider.actions = actionsFor(args);
  const el = document.createElement('usage-action-export-users');
  provider.append(el);
  provider.addEventListener('usage-action-complete', (e) => console.info('usage-action-complete', e.detail));
  return provider;
}

const meta: Meta<Args> = {
  title: 'Usage/Actions/A2.4 Export users',
  component: 'usage-action-export-users',
  args: {
    serviceUrl: 'http://127.0.0.1:8787',
    tokenSecret: 'storybook-dev-secret-0123456789-abcdef',
    roles: 'business_analyst',
    departments: '*',
    agentId: 'agt-access-request-advisor',
    theme: '',
  },
  argTypes: {
    roles: { control: 'select', options: ['business_analyst', 'customer_success', 'director_ai_ml', 'finance'] },
    theme: { control: 'select', options: ['', 'light', 'dark'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'A2.4 Export users on the shared action dialog: the users under the current filters as CSV, with personal fields (name, e-mail) only for roles allowed to see them (others get them annotated and empty); Review → Confirm → the download. Needs a running actions service (see the comment at the top of stories/actions.stories.ts).',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

/** A2.4 as a business analyst: name and e-mail are annotated and exported empty. */
export const ExportUsers: Story = { render: (args) => exportUsers(args) };

/** A2.4 as customer success: personal fields included. */
export const ExportUsersWithPii: Story = { args: { roles: 'customer_success' }, render: (args) => exportUsers(args) };

export const DarkTheme: Story = { args: { theme: 'dark' }, render: (args) => exportUsers(args) };
