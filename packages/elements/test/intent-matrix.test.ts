import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { defaultFilters, intentMatrix, type IntentMatrix, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC } from 'apache-arrow';
import '../src/index.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageIntentMatrix from '../src/components/intent-matrix/intent-matrix.component.js';
import type { HeatmapDrilldown } from '../src/components/intent-matrix/heatmap-element.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import { chartClient, never } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT, loadSnapshot } from './helpers/snapshot.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageIntentMatrix) => el.shadowRoot!;
const frameOf = (el: UsageIntentMatrix) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const svg = (el: UsageIntentMatrix) => root(el).querySelector('svg')!;
const cells = (el: UsageIntentMatrix) => [...svg(el).querySelectorAll<SVGGElement>('g.cell')];
const cell = (el: UsageIntentMatrix, r: number, c: number) => svg(el).querySelector<SVGGElement>(`g.cell[data-row="${r}"][data-col="${c}"]`)!;
const label = (el: UsageIntentMatrix, r: number, c: number) => svg(el).querySelector(`.cell-labels text[data-row="${r}"][data-col="${c}"]`);
const tooltip = (el: UsageIntentMatrix) => root(el).querySelector<HTMLElement>('[role="tooltip"]');
const painted = (el: UsageIntentMatrix) => waitUntil(() => el.layout && cells(el).length > 0, 'heatmap did not paint', { timeout: 30_000 });

/** An IntentMatrix from department → intent → count, through the module's own transform. */
function matrix(counts: Record<string, Record<string, number>>): IntentMatrix {
  const rows = Object.entries(counts).flatMap(([d, m]) => Object.entries(m).map(([i, n]) => ({ department_id: d, intent_category: i, requests: n })));
  return intentMatrix.transform(rows, undefined as never, undefined);
}

const SAMPLE = matrix({
  engineering: { code_gen: 600, debugging: 300, docs: 100 },
  sales: { code_gen: 10, docs: 90, email: 400 },
  support: { debugging: 50, docs: 200, email: 250 },
});

async function chartWith(client: ReturnType<typeof chartClient>, filters: UsageFilters = defaultFilters()) {
  const div = await fixture<HTMLDivElement>(
    html`<div style="width: 800px"><usage-intent-matrix .client=${client} .filters=${filters}></usage-intent-matrix></div>`,
  );
  const el = div.querySelector('usage-intent-matrix')!;
  await elementUpdated(el);
  return el;
}

const answering = (m: IntentMatrix = SAMPLE) => chartClient({ intentMatrix: () => m });

describe('<usage-intent-matrix> with a stand-in client', () => {
  it('is accessible with data, loading, empty and in error', async () => {
    const el = await chartWith(answering());
    await painted(el);
    await expect(el).to.be.accessible();
    const loading = await chartWith(chartClient({}));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await chartWith(answering(matrix({})));
    await waitUntil(() => frameOf(empty).state === 'empty');
    expect(text(frameOf(empty).shadowRoot!.querySelector('[part="empty"]'))).to.contain('No requests match these filters');
    await expect(empty).to.be.accessible();
    const failed = await chartWith(
      chartClient({ intentMatrix: () => Promise.reject(Object.assign(new Error('query failed: boom'), { code: 'query_failed' })) }),
    );
    await waitUntil(() => frameOf(failed).state === 'error');
    expect(text(frameOf(failed).shadowRoot!.querySelector('[part="error"]'))).to.contain('query failed: boom');
    await expect(failed).to.be.accessible();
  });

  it('draws departments × intents with the share of department printed and marginal totals', async () => {
    const el = await chartWith(answering());
    await painted(el);
    expect(cells(el)).to.have.length(3 * 4);
    expect([...svg(el).querySelectorAll('.row-header title')].map((t) => t.textContent)).to.deep.equal(['engineering', 'sales', 'support']);
    expect([...svg(el).querySelectorAll('.col-header title')].map((t) => t.textContent)).to.deep.equal(['code_gen', 'debugging', 'docs', 'email']);
    expect(cell(el, 0, 0).getAttribute('aria-label')).to.equal('engineering × code_gen: 600 requests, 60.0 % of department');
    expect(text(label(el, 0, 0))).to.equal('60%');
    expect([...svg(el).querySelectorAll('.row-total .total-label')].map((t) => t.textContent)).to.deep.equal(['1K', '500', '500']);
    expect([...svg(el).querySelectorAll('.col-total')].map((t) => t.getAttribute('aria-label'))).to.deep.equal([
      'code_gen: 610',
      'debugging: 350',
      'docs: 390',
      'email: 650',
    ]);
    // CSV: one row per cell, the numbers the chart shows.
    const csv = frameOf(el).csv().trim().split('\n');
    expect(csv[0]).to.equal('Department,Intent,Requests,% of department,% of intent,Department total,Intent total');
    expect(csv).to.include('sales,code_gen,10,2,1.6,500,610');
  });

  it('toggles the colour between share of department and absolute count', async () => {
    const el = await chartWith(answering());
    await painted(el);
    const fill = () => cell(el, 1, 3).querySelector('rect')!.getAttribute('fill');
    const shareFill = fill();
    const button = root(el).querySelector<HTMLButtonElement>('[part="colour-button"]')!;
    expect(button.getAttribute('aria-pressed')).to.equal('false');
    button.click();
    await elementUpdated(el);
    await waitUntil(() => fill() !== shareFill);
    expect(el.colourBy).to.equal('count');
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    expect(text(label(el, 1, 3))).to.equal('400');
    expect(text(root(el).querySelector('[part="legend"]'))).to.contain('Requests');
  });

  it('click on a cell, a row header and a column header emits the right usage-drilldown', async () => {
    const filters = defaultFilters({ environments: ['staging'] });
    const el = await chartWith(answering(), filters);
    await painted(el);
    setTimeout(() =>
      cell(el, 1, 2)
        .querySelector('rect')!
        .dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })),
    );
    let ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<HeatmapDrilldown>;
    expect(ev.bubbles && ev.composed).to.equal(true);
    expect(ev.detail).to.deep.equal({
      kind: 'intent-cell',
      department: 'sales',
      intent: 'docs',
      filters: { ...filters, departments: ['sales'], intents: ['docs'] },
    });
    setTimeout(() =>
      svg(el)
        .querySelector('.row-header[data-row="2"] text')!
        .dispatchEvent(new MouseEvent('click', { bubbles: true })),
    );
    ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<HeatmapDrilldown>;
    expect(ev.detail).to.deep.equal({ kind: 'department', department: 'support', filters: { ...filters, departments: ['support'] } });
    setTimeout(() =>
      svg(el)
        .querySelector('.col-header[data-col="3"] rect')!
        .dispatchEvent(new MouseEvent('click', { bubbles: true })),
    );
    ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<HeatmapDrilldown>;
    expect(ev.detail).to.deep.equal({ kind: 'intent', intent: 'email', filters: { ...filters, intents: ['email'] } });
    expect(filters.departments).to.deep.equal([]); // the chart's filters are not mutated
  });

  it('Tab reaches the grid; arrows move the tooltip with count, % of department and % of intent; Enter drills', async () => {
    const el = await chartWith(answering());
    await painted(el);
    const button = root(el).querySelector<HTMLButtonElement>('[part="colour-button"]')!;
    button.focus();
    let guard = 0;
    while (!cell(el, 0, 0).matches(':focus') && guard++ < 10) await sendKeys({ press: 'Tab' });
    expect(cell(el, 0, 0).matches(':focus'), 'Tab did not reach the grid').to.equal(true);
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowDown' });
    await elementUpdated(el);
    expect(cell(el, 1, 1).matches(':focus')).to.equal(true);
    const tip = tooltip(el)!;
    expect(text(tip.querySelector('.tooltip-title'))).to.equal('sales × debugging');
    const rows = [...tip.querySelectorAll('tr')].map((tr) => [text(tr.querySelector('th')), text(tr.querySelector('td'))]);
    expect(rows).to.deep.equal([
      ['Requests', '0'],
      ['% of department', '0.0 %'],
      ['% of intent', '0.0 %'],
    ]);
    await sendKeys({ press: 'ArrowUp' });
    await elementUpdated(el);
    expect(text(tooltip(el)!.querySelectorAll('td')[2])).to.equal('85.7 %'); // 300 of 350 debugging requests
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<HeatmapDrilldown>;
    expect(ev.detail).to.deep.include({ kind: 'intent-cell', department: 'engineering', intent: 'debugging' });
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(tooltip(el)).to.equal(null);
  });

  it('renders hostile names (markup, very long, right-to-left) as inert text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const rtl = 'قسم الدعم';
    const el = await chartWith(answering(matrix({ [hostile]: { [rtl]: 5, ['y'.repeat(400)]: 3 }, [rtl]: { [hostile]: 1 } })));
    await painted(el);
    expect(svg(el).querySelector('img')).to.equal(null);
    expect(root(el).querySelector('img')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    expect([...svg(el).querySelectorAll('.row-header title')].map((t) => t.textContent)).to.include(hostile);
    expect(cells(el).map((c) => c.getAttribute('aria-label'))).to.include(`${hostile} × ${rtl}: 5 requests, 62.5 % of department`);
    await expect(el).to.be.accessible();
  });

  it('merges filters-override over the shared filters and retries after an error', async () => {
    let fail = true;
    const client = chartClient({ intentMatrix: () => (fail ? Promise.reject(new Error('nope')) : SAMPLE) });
    const el = await chartWith(client);
    await waitUntil(() => frameOf(el).state === 'error');
    await elementUpdated(frameOf(el));
    fail = false;
    setTimeout(() => frameOf(el).shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]')!.click());
    await oneEvent(el, 'usage-retry');
    await painted(el);
    el.setAttribute('filters-override', JSON.stringify({ departments: ['sales'] }));
    await waitUntil(() => client.runs.at(-1)!.filters.departments.length === 1);
    expect(client.runs.at(-1)!.filters.departments).to.deep.equal(['sales']);
    expect(client.runs.at(-1)!.filters.environments).to.deep.equal(['production']);
    void never;
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real generated snapshot (.data/test-snapshot), counted independently with apache-arrow.

/** Requests per department × intent under the default filters (last 30 days, production, active agents). */
async function expectedCounts(): Promise<{ counts: Map<string, Map<string, number>>; total: number }> {
  const snap = await loadSnapshot();
  const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string }> };
  const res = await fetch(new URL(manifest.tables.requests.file, new URL(SNAPSHOT, location.href)).href);
  const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
  const intent = table.getChild('intent_category')!;
  const start = snap.end - 30 * DAY;
  const counts = new Map<string, Map<string, number>>();
  let total = 0;
  snap.requests.forEach((r, i) => {
    if (r.t < start || r.t >= snap.end || r.environment !== 'production' || !snap.activeAgents.has(r.agent)) return;
    const m = counts.get(r.department) ?? new Map<string, number>();
    counts.set(r.department, m);
    const k = String(intent.get(i));
    m.set(k, (m.get(k) ?? 0) + 1);
    total++;
  });
  return { counts, total };
}

describe('<usage-intent-matrix> at the PRD sizes', () => {
  it('shows 20 departments without scrolling or paging (PR2.2), and 50 intents × 20 departments as 1,000 cells', async () => {
    const counts: Record<string, Record<string, number>> = {};
    for (let d = 0; d < 20; d++) {
      counts[`department-${String(d).padStart(2, '0')}`] = Object.fromEntries(
        Array.from({ length: 50 }, (_, i) => [`intent-${String(i).padStart(2, '0')}`, 1 + ((d * 7 + i * 13) % 97)]),
      );
    }
    const el = await chartWith(answering(matrix(counts)));
    await painted(el);
    expect(cells(el).length).to.equal(1000);
    const plot = root(el).querySelector<HTMLElement>('.plot')!;
    expect(plot.scrollHeight, 'the 20 rows fit the default height').to.be.at.most(plot.clientHeight + 1);
    const rowHeaders = svg(el).querySelectorAll('[data-row]:not([data-col])');
    expect(rowHeaders.length).to.be.at.least(20);
  });
});

describe('<usage-intent-matrix> over the real snapshot', () => {
  it("renders each department's intent counts and shares, matching an independent count", async () => {
    const { counts, total } = await expectedCounts();
    expect(total).to.be.greaterThan(0);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-intent-matrix></usage-intent-matrix></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-intent-matrix')!;
    await waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy, 'chart did not render', { timeout: 60_000, interval: 100 });
    await painted(el);
    const data = el.data!;
    expect(data.total).to.equal(total);
    const nf = new Intl.NumberFormat('en-US');
    const depts = [...counts.keys()].filter((d) => d !== 'Unknown').sort();
    expect(data.departments.filter((d) => d !== '')).to.deep.equal(depts);
    const d = data.departments.indexOf(depts[0]);
    const row = counts.get(depts[0])!;
    const rowTotal = [...row.values()].reduce((a, b) => a + b, 0);
    data.intents.forEach((intentKey, c) => {
      const n = row.get(intentKey) ?? 0;
      const label = cell(el, d, c).getAttribute('aria-label')!;
      expect(label, intentKey).to.match(new RegExp(`^${depts[0]} × ${intentKey}: ${nf.format(n)} requests, `));
      const pct = Number(/([\d.]+) % of department$/.exec(label)![1]);
      expect(Math.abs(pct - (n / rowTotal) * 100), intentKey).to.be.at.most(0.1);
    });
    expect(svg(el).querySelectorAll('.row-total')[d].querySelector('.total-label')!.textContent).to.equal(
      new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(rowTotal),
    );
    await expect(provider).to.be.accessible();
  });
});
