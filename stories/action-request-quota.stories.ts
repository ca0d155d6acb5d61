import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { actionsFor } from './support/actions.js';
import '../packages/elements/src/index.js';

/**
 * A2.10 Request quota increase against a running actions service (there is no stand-in: start one first, as the comment at
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

function requestQuota(args: Args, global = false): HTMLElement {
  const provider = document.createElement('usage-provider');
  if (args.theme) provider.theme = args.theme;
  provider.actions = actionsFor(args);
  const el = document.createElement('usage-action-request-quota');
  if (!global) el.agentId = args.agentId;
  provider.append(el);
  provider.addEventListener('usage-action-complete', (e) => console.info('usage-action-complete', e.detail));
  return provider;
}

const meta: Meta<Args> = {
  title: 'Usage/Actions/A2.10 Request quota',
  component: 'usage-action-request-quota',
  args: {
    serviceUrl: 'http://127.0.0.1:8787',
    tokenSecret: 'storybook-dev-secret-0123456789-abcdef',
    roles: 'platform_architect',
    departments: '*',
    agentId: 'agt-access-request-advisor',
    theme: '',
  },
  argTypes: {
    roles: { control: 'select', options: ['platform_architect', 'devops', 'finance', 'director_ai_ml', 'business_analyst'] },
    theme: { control: 'select', options: ['', 'light', 'dark'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'A2.10 Request quota increase on the shared action dialog: for one agent (`agent-id`) or, without it, for an agent or the whole fleet (global needs departments `*`); Review → Confirm → the request id. Needs a running actions service (see the comment at the top of stories/actions.stories.ts); a role without the action sees no button.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

/** A2.10 for one agent (roles platform_architect, devops or finance). */
export const RequestQuota: Story = { render: (args) => requestQuota(args) };

/** A2.10 without `agent-id`: agent or global (global needs departments `*`). */
export const RequestQuotaAnyScope: Story = { render: (args) => requestQuota(args, true) };

export const DarkTheme: Story = { args: { theme: 'dark' }, render: (args) => requestQuota(args) };
