import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageIntentMatrix } from '../packages/elements/src/index.js';
import { defaultFilters, intentMatrix, type IntentMatrix } from '../packages/queries/src/index.js';

interface Args {
  colourBy: 'share' | 'count';
  locale: string;
}

/** An IntentMatrix from department → intent → count, through the query module's own transform. */
function matrix(counts: Record<string, Record<string, number>>): IntentMatrix {
  const rows = Object.entries(counts).flatMap(([d, m]) => Object.entries(m).map(([i, n]) => ({ department_id: d, intent_category: i, requests: n })));
  return intentMatrix.transform(rows, undefined as never, undefined);
}

const SAMPLE = matrix({
  engineering: { code_gen: 18_420, debugging: 9_310, docs: 2_204, analysis: 1_120, other: 310 },
  'data-science': { analysis: 7_420, code_gen: 3_904, docs: 610, other: 120 },
  sales: { email: 6_240, content: 2_410, analysis: 830, other: 90 },
  support: { customer_support: 12_880, email: 4_210, docs: 1_020 },
  marketing: { content: 5_120, email: 1_980, analysis: 420 },
  finance: { analysis: 2_210, docs: 310, other: 40 },
});

/** PR2.3: 50 intents × 20 departments, one outlier cell. */
const LARGE = matrix(
  Object.fromEntries(
    Array.from({ length: 20 }, (_, d) => [
      `department-${String(d + 1).padStart(2, '0')}`,
      Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`intent_${String(i + 1).padStart(2, '0')}`, d === 3 && i === 7 ? 250_000 : ((d * 37 + i * 101) % 997) + 5]),
      ),
    ]),
  ),
);

const HOSTILE = matrix({
  '<img src=x onerror="alert(1)">': { code_gen: 40, 'قسم الدعم': 12 },
  ['a-very-long-department-name-'.repeat(6)]: { code_gen: 5, docs: 9 },
  'قسم المبيعات': { email: 30, '<b>bold</b>': 2 },
});

function client(answer: () => Promise<IntentMatrix>): QueryClient {
  return { run: () => answer(), precomputed: () => undefined } as unknown as QueryClient;
}
const resolves = (m: IntentMatrix) => () => new Promise<IntentMatrix>((r) => setTimeout(() => r(m), 200));

function chart(args: Args, c: QueryClient): HTMLElement {
  const el = document.createElement('usage-intent-matrix') as UsageIntentMatrix;
  el.client = c;
  el.filters = defaultFilters();
  el.colourBy = args.colourBy;
  el.locale = args.locale;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.8 Intent matrix',
  component: 'usage-intent-matrix',
  args: { colourBy: 'share', locale: 'en-US' },
  argTypes: {
    colourBy: { control: 'inline-radio', options: ['share', 'count'] },
    locale: { control: 'select', options: ['en-US', 'de-DE', 'fr-FR', 'ar-EG'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Departments × intents, coloured by share of department (viridis, clamped at the 95th percentile) with department and intent totals. Click or Enter on a cell, a department or an intent fires `usage-drilldown`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = { render: (args) => chart(args, client(resolves(SAMPLE))) };
export const ByCount: Story = { args: { colourBy: 'count' }, render: (args) => chart(args, client(resolves(SAMPLE))) };
export const FiftyIntentsTwentyDepartments: Story = { render: (args) => chart(args, client(resolves(LARGE))) };
export const HostileNames: Story = { render: (args) => chart(args, client(resolves(HOSTILE))) };
export const Loading: Story = {
  render: (args) =>
    chart(
      args,
      client(() => new Promise(() => undefined)),
    ),
};
export const Empty: Story = { render: (args) => chart(args, client(resolves(matrix({})))) };
export const QueryError: Story = {
  render: (args) =>
    chart(
      args,
      client(() => Promise.reject(Object.assign(new Error('query failed: Catalog Error'), { code: 'query_failed' }))),
    ),
};
