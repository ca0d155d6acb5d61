import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { defaultFilters, type RetentionCell, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC, type Table } from 'apache-arrow';
import '../src/index.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type { HeatmapDrilldown } from '../src/components/intent-matrix/heatmap-element.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type UsageRetentionCohorts from '../src/components/retention-cohorts/retention-cohorts.component.js';
import { RETENTION_STOPS, parseColour } from '../src/internal/palette.js';
import { chartClient } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, SNAPSHOT, loadSnapshot } from './helpers/snapshot.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageRetentionCohorts) => el.shadowRoot!;
const frameOf = (el: UsageRetentionCohorts) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const svg = (el: UsageRetentionCohorts) => root(el).querySelector('svg')!;
const cells = (el: UsageRetentionCohorts) => [...svg(el).querySelectorAll<SVGGElement>('g.cell')];
const cell = (el: UsageRetentionCohorts, r: number, c: number) => svg(el).querySelector<SVGGElement>(`g.cell[data-row="${r}"][data-col="${c}"]`)!;
const label = (el: UsageRetentionCohorts, r: number, c: number) => svg(el).querySelector(`.cell-labels text[data-row="${r}"][data-col="${c}"]`);
const tooltip = (el: UsageRetentionCohorts) => root(el).querySelector<HTMLElement>('[role="tooltip"]');
const painted = (el: UsageRetentionCohorts) => waitUntil(() => el.layout && cells(el).length > 0, 'heatmap did not paint', { timeout: 30_000 });

const c = (cohortMonth: string, monthOffset: number, cohortSize: number, retainedUsers: number, incomplete = false): RetentionCell => ({
  cohortMonth,
  monthOffset,
  cohortSize,
  retainedUsers,
  retentionPct: (retainedUsers / cohortSize) * 100,
  incomplete,
});

/** Three cohorts, the last month not over yet. */
const SAMPLE: RetentionCell[] = [
  c('2026-08', 0, 200, 200),
  c('2026-08', 1, 200, 90),
  c('2026-08', 2, 200, 31, true),
  c('2026-09', 0, 150, 150),
  c('2026-09', 1, 150, 123, true),
  c('2026-10', 0, 40, 40, true),
];

async function chartWith(client: ReturnType<typeof chartClient>, filters: UsageFilters = defaultFilters()) {
  const div = await fixture<HTMLDivElement>(
    html`<div style="width: 700px"><usage-retention-cohorts .client=${client} .filters=${filters}></usage-retention-cohorts></div>`,
  );
  const el = div.querySelector('usage-retention-cohorts')!;
  await elementUpdated(el);
  return el;
}

const answering = (cells: RetentionCell[] = SAMPLE) => chartClient({ retentionCohorts: () => cells });

describe('<usage-retention-cohorts> with a stand-in client', () => {
  it('is accessible with data, loading, empty and in error', async () => {
    const el = await chartWith(answering());
    await painted(el);
    await expect(el).to.be.accessible();
    const loading = await chartWith(chartClient({}));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await chartWith(answering([]));
    await waitUntil(() => frameOf(empty).state === 'empty');
    expect(text(frameOf(empty).shadowRoot!.querySelector('[part="empty"]'))).to.equal('No user cohorts match these filters.');
    await expect(empty).to.be.accessible();
    const failed = await chartWith(
      chartClient({ retentionCohorts: () => Promise.reject(Object.assign(new Error('query failed: <b>boom</b>'), { code: 'query_failed' })) }),
    );
    await waitUntil(() => frameOf(failed).state === 'error');
    await elementUpdated(frameOf(failed));
    expect(text(frameOf(failed).shadowRoot!.querySelector('.error-message'))).to.equal('query failed: <b>boom</b>');
    await expect(failed).to.be.accessible();
  });

  it('draws cohorts × months with the percentage printed, green high and red low, incomplete months hatched', async () => {
    const el = await chartWith(answering());
    await painted(el);
    expect(cells(el)).to.have.length(6); // a triangle: later cohorts have fewer months
    expect([...svg(el).querySelectorAll('.row-header title')].map((t) => t.textContent)).to.deep.equal(['2026-08 (200)', '2026-09 (150)', '2026-10 (40)']);
    expect([...svg(el).querySelectorAll('.col-header title')].map((t) => t.textContent)).to.deep.equal(['M0', 'M1', 'M2']);
    expect(text(label(el, 0, 1))).to.equal('45.0%');
    expect(text(label(el, 0, 2))).to.equal('15.5%*');
    expect(cell(el, 0, 1).getAttribute('aria-label')).to.equal('Cohort 2026-08, month 1 (2026-09): 45.0 % retained, 90 of 200 users');
    expect(cell(el, 1, 1).getAttribute('aria-label')).to.equal('Cohort 2026-09, month 1 (2026-10): 82.0 % retained, 123 of 150 users, incomplete month');
    expect(parseColour(cell(el, 0, 0).querySelector('rect')!.getAttribute('fill')!)).to.deep.equal(parseColour(RETENTION_STOPS[2])); // 100 % = green
    expect(cell(el, 0, 2).hasAttribute('data-incomplete')).to.equal(true);
    expect(cell(el, 0, 2).querySelector('.cell-hatch')).to.exist;
    expect(cell(el, 0, 1).hasAttribute('data-incomplete')).to.equal(false);
    const low = parseColour(cell(el, 0, 2).querySelector('rect')!.getAttribute('fill')!);
    expect(low[0]).to.be.greaterThan(low[1]); // 15.5 % leans red
    expect(text(root(el).querySelector('[part="legend"]'))).to.contain('month not over yet (incomplete)');
  });

  it('hover and focus show the absolute numbers; Enter and click emit a cohort-cell drill-down', async () => {
    const filters = defaultFilters({ departments: ['sales'] });
    const el = await chartWith(answering(), filters);
    await painted(el);
    cell(el, 0, 1)
      .querySelector('rect')!
      .dispatchEvent(new PointerEvent('pointermove', { bubbles: true }));
    await elementUpdated(el);
    let rows = [...tooltip(el)!.querySelectorAll('tr')].map((tr) => [text(tr.querySelector('th')), text(tr.querySelector('td'))]);
    expect(text(tooltip(el)!.querySelector('.tooltip-title'))).to.equal('Cohort 2026-08 · month 1 (2026-09)');
    expect(rows).to.deep.equal([
      ['Retained users', '90 of 200'],
      ['Retention', '45.0 %'],
    ]);
    setTimeout(() =>
      cell(el, 1, 1)
        .querySelector('rect')!
        .dispatchEvent(new MouseEvent('click', { bubbles: true })),
    );
    let ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<HeatmapDrilldown>;
    expect(ev.detail).to.deep.equal({ kind: 'cohort-cell', cohortMonth: '2026-09', monthOffset: 1, filters });
    expect(ev.composed && ev.bubbles).to.equal(true);

    // Keyboard: Tab reaches the grid (one stop), arrows move, Enter drills.
    frameOf(el).shadowRoot!.querySelector<HTMLButtonElement>('[part~="fullscreen-button"]')!.focus();
    let guard = 0;
    while (!svg(el).querySelector('g.cell:focus') && guard++ < 10) await sendKeys({ press: 'Tab' });
    expect(svg(el).querySelector('g.cell:focus'), 'Tab did not reach the grid').to.exist;
    el.layout!.setActive({ kind: 'cell', row: 0, col: 0 }, true);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowRight' }); // 2026-10 has only month 0: stays
    await elementUpdated(el);
    expect(cell(el, 2, 0).matches(':focus')).to.equal(true);
    rows = [...tooltip(el)!.querySelectorAll('tr')].map((tr) => [text(tr.querySelector('th')), text(tr.querySelector('td'))]);
    expect(rows[0]).to.deep.equal(['Retained users', '40 of 40']);
    expect(text(tooltip(el)!.querySelector('.tooltip-note'))).to.contain('Incomplete');
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<HeatmapDrilldown>;
    expect(ev.detail).to.deep.include({ kind: 'cohort-cell', cohortMonth: '2026-10', monthOffset: 0 });
  });

  it('exports the cohort data (unrounded retention) through the frame and merges filters-override', async () => {
    const client = answering();
    const el = await chartWith(client);
    el.filtersOverride = { departments: ['support'], agentIds: ['agent-7'], intents: ['code_gen'] };
    await painted(el);
    await waitUntil(() => client.runs.at(-1)!.filters.departments.length === 1);
    const f = client.runs.at(-1)!.filters;
    expect([f.departments, f.agentIds, f.intents, f.environments]).to.deep.equal([['support'], ['agent-7'], ['code_gen'], ['production']]);
    const csv = frameOf(el).csv().trim().split('\n');
    expect(csv[0]).to.equal('Cohort month,Month offset,Activity month,Cohort size,Retained users,Retention %,Incomplete');
    expect(csv).to.have.length(7);
    expect(csv).to.include(`2026-09,1,2026-10,150,123,${(123 / 150) * 100},true`);
  });

  it('renders hostile text inert (long and right-to-left locale digits)', async () => {
    const el = await chartWith(answering());
    el.locale = 'ar-EG';
    el.heading = '<img src=x onerror="window.__pwned=1"> قسم';
    await painted(el);
    await waitUntil(() => /[٠-٩]/.test(text(label(el, 0, 1))), 'no Arabic digits');
    expect(root(el).querySelector('img')).to.equal(null);
    expect(frameOf(el).shadowRoot!.querySelector('img')).to.equal(null);
    expect(text(frameOf(el).shadowRoot!.querySelector('[part="title"]'))).to.equal('<img src=x onerror="window.__pwned=1"> قسم');
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    await expect(el).to.be.accessible();
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real generated snapshot (.data/test-snapshot), counted independently with apache-arrow.

async function fetchTable(file: string): Promise<Table> {
  const res = await fetch(new URL(file, new URL(SNAPSHOT, location.href)).href);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

const toMs = (v: unknown, type: string): number => {
  if (typeof v === 'bigint') return Number(v) / (/MICRO/i.test(type) ? 1000 : /NANO/i.test(type) ? 1e6 : 1);
  return v instanceof Date ? v.getTime() : Number(v);
};
const monthOf = (t: number) => new Date(t).toISOString().slice(0, 7);
const addMonth = (m: string, k: number) => {
  const [y, mo] = m.split('-').map(Number);
  return new Date(Date.UTC(y, mo - 1 + k, 1)).toISOString().slice(0, 7);
};

/** Month-0 cohort sizes and month-1 retained users under the default filters except time (production, active agents). */
async function expectedCohorts(): Promise<Map<string, { size: number; m1: number }>> {
  const snap = await loadSnapshot();
  const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string }> };
  const [requests, users] = await Promise.all([fetchTable(manifest.tables.requests.file), fetchTable(manifest.tables.users.file)]);
  const userCol = requests.getChild('user_id')!;
  const active = new Map<string, Set<string>>(); // user → months active
  snap.requests.forEach((r, i) => {
    if (r.t >= snap.end || r.environment !== 'production' || !snap.activeAgents.has(r.agent)) return;
    const u = String(userCol.get(i));
    const s = active.get(u) ?? new Set<string>();
    active.set(u, s);
    s.add(monthOf(r.t));
  });
  const seenType = String(users.schema.fields.find((f) => f.name === 'first_seen_at')!.type);
  const ids = users.getChild('user_id')!;
  const seen = users.getChild('first_seen_at')!;
  const out = new Map<string, { size: number; m1: number }>();
  for (let i = 0; i < users.numRows; i++) {
    const months = active.get(String(ids.get(i)));
    const cm = monthOf(toMs(seen.get(i), seenType));
    if (!months?.has(cm)) continue;
    const e = out.get(cm) ?? { size: 0, m1: 0 };
    out.set(cm, e);
    e.size++;
    if (months.has(addMonth(cm, 1))) e.m1++;
  }
  return out;
}

describe('<usage-retention-cohorts> over the real snapshot', () => {
  it("renders each cohort's month-0 size and month-1 retention, matching an independent count", async () => {
    const expected = await expectedCohorts();
    expect(expected.size).to.be.greaterThan(1);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-retention-cohorts></usage-retention-cohorts></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-retention-cohorts')!;
    await waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy, 'chart did not render', { timeout: 60_000, interval: 100 });
    await painted(el);
    const grid = el.grid!;
    expect(grid.cohorts).to.deep.equal([...expected.keys()].sort());
    const nf = new Intl.NumberFormat('en-US');
    const pf = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    grid.cohorts.forEach((cm, r) => {
      const e = expected.get(cm)!;
      expect(cell(el, r, 0).getAttribute('aria-label'), cm).to.match(
        new RegExp(`^Cohort ${cm}, month 0 .*: 100\\.0 % retained, ${nf.format(e.size)} of ${nf.format(e.size)} users`),
      );
      if (grid.cells[r][1]) {
        const pct = (e.m1 / e.size) * 100;
        expect(grid.cells[r][1]!.retainedUsers, `${cm} month 1`).to.equal(e.m1);
        expect(grid.cells[r][1]!.retentionPct, `${cm} month 1 (DA2.3: unrounded)`).to.be.closeTo(pct, 1e-9);
        expect(text(label(el, r, 1)), `${cm} month 1 printed`).to.match(new RegExp(`^${pf.format(pct).replace('.', '\\.')}%`));
      }
    });
    expect(grid.cells.filter((row) => row[1]).length, 'no cohort has a month 1').to.be.greaterThan(0);
    // The last cohort's month is not over at the snapshot's end → marked incomplete.
    const last = grid.cohorts.length - 1;
    expect(cell(el, last, 0).hasAttribute('data-incomplete')).to.equal(new Date((await loadSnapshot()).end).getUTCDate() !== 1);
    await expect(provider).to.be.accessible();
  });
});
