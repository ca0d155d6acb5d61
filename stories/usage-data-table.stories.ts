import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import type { DataColumn, UsageDataTable } from '../packages/elements/src/index.js';
import { defaultFilters } from '../packages/queries/src/index.js';

interface User {
  user_id: string;
  name: string | null;
  department: string;
  calls: number;
  cost: number;
  share: number;
  last_active: string;
}

interface Args {
  label: string;
  pageSize: number;
  rows: number;
}

const DEPTS = ['engineering', 'support', 'sales', 'marketing', 'finance', 'legal'];

function users(n: number): User[] {
  return Array.from({ length: n }, (_, i) => ({
    user_id: `user-${String(i).padStart(5, '0')}`,
    name: i % 7 === 0 ? null : `User ${i}`,
    department: DEPTS[(i * 7) % DEPTS.length],
    calls: (i * 7919) % 5003,
    cost: ((i * 104729) % 100_000) / 100,
    share: ((i * 31) % 1000) / 10_000,
    last_active: new Date(Date.UTC(2026, 9, 1) + ((i * 3_600_000 * 7) % (30 * 86_400_000))).toISOString(),
  }));
}

const COLUMNS: DataColumn<User>[] = [
  { key: 'user_id', label: 'User', drill: (u) => ({ kind: 'department', department: u.department, filters: defaultFilters({ userIds: [u.user_id] }) }) },
  { key: 'name', label: 'Name' },
  { key: 'department', label: 'Department' },
  { key: 'calls', label: 'Calls', type: 'integer' },
  { key: 'cost', label: 'Cost', type: 'currency' },
  { key: 'share', label: 'Share of calls', type: 'percent' },
  { key: 'last_active', label: 'Last active', type: 'datetime' },
];

function table(args: Args, rows: User[] = users(args.rows)): HTMLElement {
  const el = document.createElement('usage-data-table') as unknown as UsageDataTable<User>;
  el.label = args.label;
  el.pageSize = args.pageSize;
  el.rows = rows;
  el.columns = COLUMNS;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', e.detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/Shared/Data table',
  component: 'usage-data-table',
  args: { label: 'Top users', pageSize: 20, rows: 60 },
  parameters: {
    docs: {
      description: {
        component:
          'Sort on every column (click or Enter; `aria-sort`), search, CSV export of the matching rows, paging for 10k rows (UX2.5). Cells with a `drill` column emit `usage-drilldown`.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const Default: Story = { render: (args) => table(args) };
export const TenThousandRows: Story = { args: { rows: 10_000, pageSize: 50 }, render: (args) => table(args) };
export const Empty: Story = { args: { rows: 0 }, render: (args) => table(args) };
export const HostileText: Story = {
  render: (args) =>
    table(args, [
      {
        user_id: '<img src=x onerror="alert(1)">',
        name: '=HYPERLINK("http://evil")',
        department: 'x'.repeat(200),
        calls: 1,
        cost: 1,
        share: 0.1,
        last_active: '2026-10-01T00:00:00Z',
      },
      { user_id: 'u-rtl', name: 'مستخدم تجريبي', department: 'قسم المبيعات', calls: 2, cost: 2, share: 0.2, last_active: '2026-10-02T00:00:00Z' },
    ]),
};
export const Themed: Story = {
  render: (args) => {
    const el = table(args);
    el.style.setProperty('--usage-table-stripe', 'rgb(0 114 178 / 0.06)');
    el.style.setProperty('--usage-table-header-background', '#e8f1f8');
    el.style.setProperty('--usage-table-max-height', '20rem');
    return el;
  },
};
