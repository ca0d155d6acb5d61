import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { BUNDLE_BASE, SNAPSHOT_URL } from './support/data.js';
import '../packages/elements/src/index.js';
import type { UsageDrilldownPanel } from '../packages/elements/src/index.js';
import { defaultFilters } from '../packages/queries/src/index.js';

type PanelDetail = Parameters<UsageDrilldownPanel['show']>[0];

interface Args {
  theme: '' | 'light' | 'dark';
  /** Opens the panel as soon as the story renders (else: press the button). */
  openOnRender: boolean;
}

const DAY = '2026-10-14T00:00:00.000Z';
const NEXT_DAY = '2026-10-15T00:00:00.000Z';

const DETAILS: Record<string, { label: string; detail: PanelDetail }> = {
  bucket: {
    label: 'Requests of 14 October 2026',
    detail: {
      kind: 'time-bucket',
      bucketStart: DAY,
      bucketEnd: NEXT_DAY,
      bucket: 'day',
      filters: defaultFilters({ timeRange: { preset: 'custom', start: DAY, end: NEXT_DAY } }),
    },
  },
  segment: { label: 'Power users', detail: { kind: 'segment', segment: 'power', filters: defaultFilters({ userSegments: ['power'] }) } },
};

/**
 * A provider on the test snapshot with a button that opens `<usage-drilldown-panel>` for `which`
 * (as the tab does on a chart's `usage-drilldown`); focus returns to the button when it closes.
 */
function panel(args: Args, which: keyof typeof DETAILS): HTMLElement {
  const provider = document.createElement('usage-provider');
  provider.src = SNAPSHOT_URL;
  provider.bundleBase = BUNDLE_BASE;
  provider.filters = defaultFilters();
  if (args.theme) provider.theme = args.theme;
  const { label, detail } = DETAILS[which];
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = `Open: ${label}`;
  const el = document.createElement('usage-drilldown-panel') as UsageDrilldownPanel;
  button.addEventListener('click', () => el.show(detail, button));
  el.addEventListener('usage-request-save-segment', (e) => console.info('usage-request-save-segment', e.detail));
  provider.append(button, el);
  if (args.openOnRender) {
    // Once Storybook has put the story in the page (show() needs the panel's <dialog>).
    const open = async () => {
      if (!el.isConnected) return void requestAnimationFrame(() => void open());
      await el.updateComplete;
      el.show(detail, button);
    };
    void open();
  }
  return provider;
}

const meta: Meta<Args> = {
  title: 'Usage/Drill-down panel',
  component: 'usage-drilldown-panel',
  args: { theme: '', openOnRender: true },
  argTypes: { theme: { control: 'select', options: ['', 'light', 'dark'] } },
  parameters: {
    docs: {
      description: {
        component:
          "The modal dialog the tab opens on a chart's `usage-drilldown`: a time bucket's requests, a segment's or cohort cell's users (with \"Save as segment\"), a user's journey, a place's users. Escape or Close shuts it and focus goes back to the opener. Here on the test snapshot (`pnpm build-storybook` makes it); alone it takes the client from `<usage-provider>` or `client`.",
      },
      // Each story opens a modal dialog over the page: keep them out of the docs page's inline previews.
      story: { inline: false, iframeHeight: 520 },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

/** A day's requests (`{kind: 'time-bucket'}`), as from a point of 2.1 Calls over time. */
export const TimeBucket: Story = { render: (args) => panel(args, 'bucket') };

/** The power users (`{kind: 'segment'}`), as from 2.2 Unique users, with "Save as segment". */
export const Segment: Story = { render: (args) => panel(args, 'segment') };

/** Closed until the button is pressed. */
export const Closed: Story = { args: { openOnRender: false }, render: (args) => panel(args, 'bucket') };

export const DarkTheme: Story = { args: { theme: 'dark' }, render: (args) => panel(args, 'segment') };
