import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import { actionsFor } from './support/actions.js';
import '../packages/elements/src/index.js';
import type { UsageActionCapacityAlert } from '../packages/elements/src/index.js';

/**
 * A2.5 Set capacity threshold alert against a running actions service (there is no stand-in:
 * start one first):
 *
 *   SNAPSHOT_DIR=.data/test-snapshot TOKEN_SECRET=storybook-dev-secret-0123456789-abcdef \
 *     CORS_ORIGINS=http://localhost:6006 PORT=8787 pnpm exec tsx packages/actions-service/src/main.ts
 *
 * The story signs a short-lived token in the browser with `tokenSecret` for the roles you pick — a
 * development shortcut only: in the portal the token is signed on the server and the secret never
 * reaches a browser. The service keeps its rules (PGlite in memory) until it stops: setting the same
 * resource × environment again makes a new revision. The gauges story reads the same snapshot
 * through DuckDB-WASM and shows each rule on its gauge.
 */
interface Args {
  serviceUrl: string;
  tokenSecret: string;
  roles: string;
  departments: string;
  resourceType: string;
  environment: string;
  theme: '' | 'light' | 'dark';
}

function dialog(args: Args, prefilled = false): HTMLElement {
  const provider = document.createElement('usage-provider');
  if (args.theme) provider.theme = args.theme;
  provider.actions = actionsFor(args);
  const el = document.createElement('usage-action-capacity-alert') as UsageActionCapacityAlert;
  el.resourceType = args.resourceType;
  el.environment = args.environment;
  if (prefilled) {
    // As a gauge of 2.13 sends it ("Configure alert"): the snapshot's thresholds and the latest sample.
    el.prefill = {
      resourceType: args.resourceType,
      environment: args.environment,
      unit: 'GiB',
      warningThreshold: 80,
      criticalThreshold: 92,
      currentUsage: 241.9,
      maxCapacity: 256,
      utilisation: 94.5,
      status: 'critical',
      at: '2026-10-31T23:00:00.000Z',
      filters: provider.filters,
    };
  }
  provider.append(el);
  provider.addEventListener('usage-action-complete', (e) => console.info('usage-action-complete', e.detail));
  provider.addEventListener('usage-action-cancel', (e) => console.info('usage-action-cancel', e.detail));
  return provider;
}

/** The whole tab restricted to 2.13: "Configure alert" on a gauge opens the dialog; after Confirm the gauge shows the rule. */
function tab(args: Args): HTMLElement {
  const el = document.createElement('usage-analytics');
  // Storybook serves .data/test-snapshot at snapshot/ and the DuckDB bundles at duckdb/ (the service above reads the same snapshot).
  el.setAttribute('src', SNAPSHOT_URL);
  el.setAttribute('bundle-base', BUNDLE_BASE);
  el.setAttribute('no-url-state', '');
  if (args.theme) el.theme = args.theme;
  el.charts = [{ id: '2.13', tag: 'usage-capacity-gauges', title: 'Capacity' }];
  el.actions = actionsFor(args);
  el.addEventListener('usage-action-complete', (e) => console.info('usage-action-complete', e.detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/Actions/A2.5 Capacity threshold alert',
  component: 'usage-action-capacity-alert',
  args: {
    serviceUrl: 'http://127.0.0.1:8787',
    tokenSecret: 'storybook-dev-secret-0123456789-abcdef',
    roles: 'devops',
    departments: '*',
    resourceType: 'memory',
    environment: 'production',
    theme: '',
  },
  argTypes: {
    roles: { control: 'select', options: ['devops', 'platform_architect', 'engineering_manager', 'product_manager', 'finance'] },
    resourceType: { control: 'select', options: ['api_rate_limit', 'compute', 'memory', 'tokens_per_min'] },
    environment: { control: 'select', options: ['production', 'staging', 'development', 'all'] },
    theme: { control: 'select', options: ['', 'light', 'dark'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'A2.5 Set capacity threshold alert on the shared action dialog: resource, environment (or all), warning / critical as % of capacity or absolute, channels (in-app, e-mail, webhook), escalation; checked with the service’s schema; the preview counts the hours of the last 30 days at warning and critical and lists the rules already set; Review → Confirm → rule id and revision. Needs a running actions service (see the comment at the top of stories/action-capacity-alert.stories.ts); a role without the action (product_manager, finance) sees no button.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const CapacityAlert: Story = { render: (args) => dialog(args) };

/** Prefilled as from a gauge's "Configure alert" (memory at 94.5 % of 256 GiB): the % / absolute switch converts with that capacity. */
export const PrefilledFromGauge: Story = { render: (args) => dialog(args, true) };

export const NotAllowed: Story = { args: { roles: 'product_manager' }, render: (args) => dialog(args) };

export const DarkTheme: Story = { args: { theme: 'dark' }, render: (args) => dialog(args, true) };

/** 2.13 in the tab with the actions client: the gauges show each rule's thresholds and state. */
export const OnTheCapacityGauges: Story = { render: (args) => tab(args) };
