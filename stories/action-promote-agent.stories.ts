import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { actionsFor } from './support/actions.js';
import '../packages/elements/src/index.js';

/**
 * A2.1 Promote agent against a running actions service (no stand-in: start one first, as in
 * stories/actions.stories.ts):
 *
 *   SNAPSHOT_DIR=.data/test-snapshot TOKEN_SECRET=storybook-dev-secret-0123456789-abcdef \
 *     CORS_ORIGINS=http://localhost:6006 PORT=8787 pnpm exec tsx packages/actions-service/src/main.ts
 *
 * The story signs a short-lived token in the browser with `tokenSecret` for the roles and
 * departments you pick — a development shortcut only: in the portal the token is signed on the
 * server. The service keeps its campaigns until it stops, so a second Confirm shows the first
 * campaign under "Earlier campaigns".
 */
interface Args {
  serviceUrl: string;
  tokenSecret: string;
  roles: string;
  departments: string;
  agentId: string;
  theme: '' | 'light' | 'dark';
}

function promote(args: Args, withAgent = true): HTMLElement {
  const provider = document.createElement('usage-provider');
  if (args.theme) provider.theme = args.theme;
  provider.actions = actionsFor(args);
  const el = document.createElement('usage-action-promote-agent');
  if (withAgent) el.agentId = args.agentId;
  provider.append(el);
  provider.addEventListener('usage-action-complete', (e) => console.info('usage-action-complete', e.detail));
  provider.addEventListener('usage-action-cancel', (e) => console.info('usage-action-cancel', e.detail));
  return provider;
}

const meta: Meta<Args> = {
  title: 'Usage/Actions/Promote agent',
  component: 'usage-action-promote-agent',
  args: {
    serviceUrl: 'http://127.0.0.1:8787',
    tokenSecret: 'storybook-dev-secret-0123456789-abcdef',
    roles: 'product_manager',
    departments: '*',
    agentId: 'agt-access-request-advisor',
    theme: '',
  },
  argTypes: {
    roles: {
      control: 'select',
      options: ['product_manager', 'director_ai_ml', 'engineering_manager', 'finance', 'platform_architect', 'business_analyst', 'customer_success'],
    },
    theme: { control: 'select', options: ['', 'light', 'dark'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'A2.1 Promote agent on the shared action dialog: channels (e-mail, in-app banner, docs banner), message, audience (departments × engagement segments) with a live audience count and the agent’s earlier campaigns, Review → Confirm, result (campaign id, notices queued, dates). Needs a running actions service (see the comment at the top of this file); a role without the action (finance) sees no button.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

/** As a product manager acting for every department. */
export const PromoteAgent: Story = { render: (args) => promote(args) };

/** Without `agent-id`: choose an active agent first. */
export const PromoteAnyAgent: Story = { render: (args) => promote(args, false) };

/** A director acting for one department: the audience is limited to it. */
export const OneDepartment: Story = { args: { roles: 'director_ai_ml', departments: 'engineering' }, render: (args) => promote(args) };

/** Finance may not promote: no button. */
export const AsFinance: Story = { args: { roles: 'finance' }, render: (args) => promote(args) };

export const DarkTheme: Story = { args: { theme: 'dark' }, render: (args) => promote(args) };
