import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import type { UsageChartFrame } from '../packages/elements/src/index.js';

interface Args {
  heading: string;
  description: string;
  state: 'ready' | 'loading' | 'empty' | 'error';
  updatedAt: string;
}

const ROWS = Array.from({ length: 14 }, (_, i) => ({ day: Date.UTC(2026, 9, 18 + i), calls: 120 + ((i * 37) % 60) }));
const COLUMNS = [
  { key: 'day', label: 'Day', type: 'date' as const },
  { key: 'calls', label: 'Calls', type: 'integer' as const },
];

/** A tiny bar chart as the slotted content (any SVG works: PNG export serialises it). */
function bars(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '560');
  svg.setAttribute('height', '220');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Calls per day, last 14 days');
  ROWS.forEach((r, i) => {
    const rect = document.createElementNS(ns, 'rect');
    const h = r.calls;
    rect.setAttribute('x', String(10 + i * 39));
    rect.setAttribute('y', String(210 - h));
    rect.setAttribute('width', '30');
    rect.setAttribute('height', String(h));
    rect.setAttribute('fill', 'var(--usage-cat-5, #0072B2)');
    svg.append(rect);
  });
  return svg;
}

function frame(args: Args, configure?: (f: UsageChartFrame) => void): HTMLElement {
  const f = document.createElement('usage-chart-frame');
  f.heading = args.heading;
  f.description = args.description;
  f.state = args.state;
  f.updatedAt = args.updatedAt;
  f.rows = ROWS;
  f.columns = COLUMNS;
  f.retry = () => console.info('retry callback');
  f.addEventListener('usage-retry', (e) => console.info('usage-retry', e.detail));
  f.append(bars());
  const reset = document.createElement('button');
  reset.slot = 'actions';
  reset.type = 'button';
  reset.textContent = 'Chart action';
  f.append(reset);
  configure?.(f);
  return f;
}

const meta: Meta<Args> = {
  title: 'Usage/Shared/Chart frame',
  component: 'usage-chart-frame',
  args: {
    heading: 'Calls per day',
    description: 'How many API calls the fleet served each day.',
    state: 'ready',
    updatedAt: '2026-11-28T00:13:08.694Z',
  },
  argTypes: { state: { control: 'select', options: ['ready', 'loading', 'empty', 'error'] } },
  parameters: {
    docs: {
      description: {
        component:
          'The frame every chart sits in: title, purpose, toolbar (Export CSV, Export PNG with progress, Data table, Fullscreen), skeleton, empty and error states with Retry, and the "last updated" time.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Ready: Story = { render: (args) => frame(args) };
export const Loading: Story = { args: { state: 'loading' }, render: (args) => frame(args) };
export const Empty: Story = {
  args: { state: 'empty' },
  render: (args) => frame(args, (f) => (f.emptyMessage = 'No API calls match these filters in the last 30 days.')),
};
export const QueryError: Story = {
  args: { state: 'error' },
  render: (args) => frame(args, (f) => (f.error = { message: 'query failed: Binder Error: column "x" not found', code: 'query_failed' })),
};
export const DataTableView: Story = { render: (args) => frame(args, (f) => (f.tableView = true)) };
export const HostileTitle: Story = {
  args: { heading: '<img src=x onerror="alert(1)"> is shown as text', description: 'قسم المبيعات — right-to-left text stays readable' },
  render: (args) => frame(args),
};
export const Themed: Story = {
  render: (args) =>
    frame(args, (f) => {
      f.style.setProperty('--usage-chart-frame-background', '#fffdf5');
      f.style.setProperty('--usage-chart-frame-radius', '2px');
      f.style.setProperty('--usage-chart-frame-title-size', '1.4rem');
    }),
};
