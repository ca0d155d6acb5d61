import { elementUpdated, expect, fixture, html, oneEvent } from '@open-wc/testing';
import { csvParseRows } from 'd3-dsv';
import '../src/index.js';
import { comparator, formatCell, searchIndex, searchRows, type DataColumn } from '../src/components/data-table/data-table.model.js';
import type UsageDataTable from '../src/components/data-table/data-table.component.js';
import type { UsageDrilldownEvent } from '../src/events/usage-drilldown.js';
import { defaultFilters } from '@usage-analytics/queries';
import { sendKeys } from './helpers/commands.js';

interface User {
  id: string;
  name: string | null;
  dept: string;
  calls: number;
  share: number;
  last: string;
}

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const USERS: User[] = [
  { id: 'u10', name: 'Zoë', dept: 'sales', calls: 5, share: 5, last: '2026-10-30T10:00:00Z' },
  { id: 'u2', name: 'adam', dept: 'engineering', calls: 120, share: 60, last: '2026-10-01T00:00:00Z' },
  { id: 'u1', name: null, dept: 'support', calls: 30, share: 15, last: '2026-10-15T00:00:00Z' },
];
const COLUMNS: DataColumn<User>[] = [
  { key: 'id', label: 'User', drill: (u) => ({ kind: 'department', department: u.dept, filters: defaultFilters({ userIds: [u.id] }) }) },
  { key: 'name', label: 'Name' },
  { key: 'dept', label: 'Department' },
  { key: 'calls', label: 'Calls', type: 'integer' },
  { key: 'share', label: 'Share', type: 'percent' },
  { key: 'last', label: 'Last active', type: 'datetime' },
];

const bodyRows = (el: UsageDataTable<User>) =>
  [...el.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => text(td)));
const header = (el: UsageDataTable<User>, key: string) => el.shadowRoot!.querySelector<HTMLButtonElement>(`button.sort[data-key="${key}"]`)!;

async function table(rows: readonly User[] = USERS, pageSize = 50) {
  return fixture<UsageDataTable<User>>(
    html`<usage-data-table label="Top users" .rows=${rows} .columns=${COLUMNS} page-size=${pageSize} locale="en-US"></usage-data-table>`,
  );
}

describe('data-table model', () => {
  it('formatCell(value, type) formats by type and locale', () => {
    expect(formatCell(1234.567, 'number')).to.equal('1,234.57');
    expect(formatCell(1234.567, 'integer', 'de-DE')).to.equal('1.235');
    expect(formatCell(12.34, 'percent')).to.equal('12.3%');
    expect(formatCell(3.5, 'currency')).to.equal('$3.50');
    expect(formatCell(Date.UTC(2026, 9, 5, 14, 30), 'datetime')).to.equal('2026-10-05 14:30 UTC');
    expect(formatCell('2026-10-05T23:00:00Z', 'date')).to.equal('2026-10-05');
    expect(formatCell(null, 'number')).to.equal('');
    expect(formatCell(['a', 'b'])).to.equal('a, b');
  });

  it('comparator(column, direction) sorts numbers numerically, text naturally, empties last both ways', () => {
    const ids = (rows: User[]) => rows.map((r) => r.id);
    const by = (key: string, dir: 'ascending' | 'descending') =>
      ids(
        [...USERS].sort(
          comparator(
            COLUMNS.find((c) => c.key === key)!,
            dir,
          ),
        ),
      );
    expect(by('calls', 'ascending')).to.deep.equal(['u10', 'u1', 'u2']);
    expect(by('calls', 'descending')).to.deep.equal(['u2', 'u1', 'u10']);
    expect(by('id', 'ascending')).to.deep.equal(['u1', 'u2', 'u10']); // natural: u2 < u10
    expect(by('name', 'ascending')).to.deep.equal(['u2', 'u10', 'u1']); // case-insensitive; null last
    expect(by('name', 'descending')).to.deep.equal(['u10', 'u2', 'u1']);
    expect(by('last', 'ascending')).to.deep.equal(['u2', 'u1', 'u10']);
  });

  it('searchRows(rows, index, query) matches every term in the displayed text, case-insensitively', () => {
    const index = searchIndex(USERS, COLUMNS);
    expect(searchRows(USERS, index, 'SALES').map((u) => u.id)).to.deep.equal(['u10']);
    expect(searchRows(USERS, index, '60%').map((u) => u.id)).to.deep.equal(['u2']);
    expect(searchRows(USERS, index, 'u1 support').map((u) => u.id)).to.deep.equal(['u1']);
    expect(searchRows(USERS, index, '  ')).to.have.length(3);
  });
});

describe('<usage-data-table>', () => {
  it('is accessible: a captioned table in a focusable scroll region, sort buttons in headers', async () => {
    const el = await table();
    expect(text(el.shadowRoot!.querySelector('caption'))).to.equal('Top users');
    const region = el.shadowRoot!.querySelector('[part="scroller"]')!;
    expect(region.getAttribute('tabindex')).to.equal('0');
    expect([...el.shadowRoot!.querySelectorAll('th')].map((th) => th.getAttribute('aria-sort'))).to.deep.equal(Array(6).fill('none'));
    await expect(el).to.be.accessible();
  });

  it('sorts on every column by click and keyboard, with aria-sort', async () => {
    const el = await table();
    header(el, 'calls').click();
    await elementUpdated(el);
    expect(bodyRows(el).map((r) => r[0])).to.deep.equal(['u10', 'u1', 'u2']);
    expect(header(el, 'calls').closest('th')!.getAttribute('aria-sort')).to.equal('ascending');
    header(el, 'calls').focus();
    await sendKeys({ press: 'Enter' });
    await elementUpdated(el);
    expect(bodyRows(el).map((r) => r[0])).to.deep.equal(['u2', 'u1', 'u10']);
    expect(header(el, 'calls').closest('th')!.getAttribute('aria-sort')).to.equal('descending');
    for (const c of COLUMNS) {
      header(el, c.key).click();
      await elementUpdated(el);
      expect(header(el, c.key).closest('th')!.getAttribute('aria-sort'), c.key).to.equal('ascending');
    }
    expect(el.getAttribute('sort-key')).to.equal('last');
  });

  it('formats cells by type and renders user text as text', async () => {
    const hostile: User = {
      id: '<img src=x onerror="window.__pwned=1">',
      name: 'مستخدم',
      dept: 'x'.repeat(300),
      calls: 1,
      share: 50,
      last: '2026-10-01T00:00:00Z',
    };
    const el = await table([USERS[1], hostile]);
    expect(bodyRows(el)[0]).to.deep.equal(['u2', 'adam', 'engineering', '120', '60%', '2026-10-01 00:00 UTC']);
    expect(el.shadowRoot!.querySelector('tbody img')).to.equal(null);
    expect(bodyRows(el)[1][0]).to.equal(hostile.id);
    expect(el.shadowRoot!.querySelectorAll('tbody td')[8].getBoundingClientRect().width).to.be.lessThan(420);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('searches, says how many rows match, and shows an empty message', async () => {
    const el = await table();
    const input = el.shadowRoot!.querySelector<HTMLInputElement>('[part="search"]')!;
    input.focus();
    await sendKeys({ type: 'SUP' });
    await elementUpdated(el);
    expect(bodyRows(el).map((r) => r[0])).to.deep.equal(['u1']);
    expect(text(el.shadowRoot!.querySelector('[part="count"]'))).to.equal('Rows 1–1 of 1 (filtered from 3)');
    el.search = 'nobody';
    await elementUpdated(el);
    expect(text(el.shadowRoot!.querySelector('[part="empty"]'))).to.equal('No rows match.');
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="csv-button"]')!.disabled).to.be.true;
  });

  it('exports the matching rows, in the shown order, as formula-safe CSV', async () => {
    const rows = [...USERS, { id: 'u9', name: '=1+2', dept: 'sales', calls: 9, share: 9, last: '2026-10-02T00:00:00Z' }];
    const el = await table(rows);
    el.search = 'sales';
    header(el, 'calls').click();
    await elementUpdated(el);
    expect(csvParseRows(el.csv())).to.deep.equal([
      ['User', 'Name', 'Department', 'Calls', 'Share', 'Last active'],
      ['u10', 'Zoë', 'sales', '5', '5', '2026-10-30T10:00:00.000Z'],
      ['u9', "'=1+2", 'sales', '9', '9', '2026-10-02T00:00:00.000Z'],
    ]);
  });

  it('pages 10,000 rows (sorted and searched quickly) with First/Previous/Next/Last', async () => {
    const many: User[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: `u${i}`,
      name: `user ${i}`,
      dept: `d${i % 20}`,
      calls: (i * 7919) % 10_007,
      share: i / 10_000,
      last: '2026-10-01T00:00:00Z',
    }));
    const el = await table(many, 50);
    expect(bodyRows(el)).to.have.length(50);
    expect(el.shadowRoot!.querySelectorAll('tbody tr')).to.have.length(50);
    const t0 = performance.now();
    header(el, 'calls').click();
    await elementUpdated(el);
    expect(performance.now() - t0, 'sort 10k rows').to.be.lessThan(500);
    expect(text(el.shadowRoot!.querySelector('.page-of'))).to.equal('Page 1 of 200');
    const pager = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="pager"] button')];
    pager[3].click(); // Last
    await elementUpdated(el);
    expect(text(el.shadowRoot!.querySelector('.page-of'))).to.equal('Page 200 of 200');
    expect(text(el.shadowRoot!.querySelector('[part="count"]'))).to.equal('Rows 9,951–10,000 of 10,000');
    pager[1].click(); // Previous
    await elementUpdated(el);
    expect(el.page).to.equal(198);
    el.search = 'd7';
    await elementUpdated(el);
    expect(el.page, 'a new search starts at page 1').to.equal(0);
    expect(el.visibleRows).to.have.length(500);
  });

  it('a drill cell is a button that emits usage-drilldown with its detail', async () => {
    const el = await table();
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="drill-button"]')!;
    setTimeout(() => button.click());
    const ev = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    expect(ev.detail).to.deep.include({ kind: 'department', department: 'sales' });
  });

  it('is themable through custom properties', async () => {
    const el = await table();
    el.style.setProperty('--usage-table-header-background', 'rgb(4, 5, 6)');
    expect(getComputedStyle(el.shadowRoot!.querySelector('th')!).backgroundColor).to.equal('rgb(4, 5, 6)');
  });
});
