import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { actionsFor } from './support/actions.js';
import '../packages/elements/src/index.js';

/**
 * The action dialogs against a running actions service (there is no stand-in: start one first):
 *
 *   SNAPSHOT_DIR=.data/test-snapshot TOKEN_SECRET=storybook-dev-secret-0123456789-abcdef \
 *     CORS_ORIGINS=http://localhost:6006 PORT=8787 pnpm exec tsx packages/actions-service/src/main.ts
 *
 * The story signs a short-lived token in the browser with `tokenSecret` for the roles you pick —
 * a development shortcut only: in the portal the token is signed on the server and the secret never
 * reaches a browser. The service keeps its state (PGlite in memory) until it stops, so an agent
 * deprecated once answers 409 "already deprecated" next time: pick another `agentId`.
 */
interface Args {
  serviceUrl: string;
  tokenSecret: string;
  roles: string;
  departments: string;
  agentId: string;
  theme: '' | 'light' | 'dark';
}

function deprecate(args: Args): HTMLElement {
  const provider = document.createElement('usage-provider');
  if (args.theme) provider.theme = args.theme;
  provider.actions = actionsFor(args);
  const el = document.createElement('usage-action-deprecate-agent');
  el.agentId = args.agentId;
  provider.append(el);
  provider.addEventListener('usage-action-complete', (e) => console.info('usage-action-complete', e.detail));
  provider.addEventListener('usage-action-cancel', (e) => console.info('usage-action-cancel', e.detail));
  return provider;
}

const meta: Meta<Args> = {
  title: 'Usage/Actions',
  component: 'usage-action-deprecate-agent',
  args: {
    serviceUrl: 'http://127.0.0.1:8787',
    tokenSecret: 'storybook-dev-secret-0123456789-abcdef',
    roles: 'director_ai_ml',
    departments: '*',
    agentId: 'agt-access-request-advisor',
    theme: '',
  },
  argTypes: {
    roles: {
      control: 'select',
      options: ['director_ai_ml', 'engineering_manager', 'finance', 'product_manager', 'platform_architect', 'business_analyst', 'customer_success'],
    },
    theme: { control: 'select', options: ['', 'light', 'dark'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'A2.2 Deprecate agent on the shared action dialog: form, impact preview, Review → Confirm, result or error with Retry (same idempotency key). Needs a running actions service (see the comment at the top of stories/actions.stories.ts); a role without the action (finance) sees no button.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const DeprecateAgent: Story = { render: (args) => deprecate(args) };

export const DeprecateAgentAsFinance: Story = { args: { roles: 'finance' }, render: (args) => deprecate(args) };

export const DarkTheme: Story = { args: { theme: 'dark' }, render: (args) => deprecate(args) };
