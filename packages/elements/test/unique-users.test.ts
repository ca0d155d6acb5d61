import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { defaultFilters, userSegments, type RetentionCell, type UsageFilters, type UserSegments } from '@usage-analytics/queries';
import { tableFromIPC, type Table } from 'apache-arrow';
import '../src/index.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type UsageUniqueUsers from '../src/components/unique-users/unique-users.component.js';
import type { UsageDrilldownDetail } from '../src/events/usage-drilldown.js';
import { chartClient, never } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT, loadSnapshot } from './helpers/snapshot.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageUniqueUsers) => el.shadowRoot!;
const frameOf = (el: UsageUniqueUsers) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const segment = (el: UsageUniqueUsers, s: string) => root(el).querySelector<HTMLButtonElement>(`.segment[data-segment="${s}"]`)!;
const segments = (el: UsageUniqueUsers) => [...root(el).querySelectorAll<HTMLButtonElement>('.segment')];
const tooltip = (el: UsageUniqueUsers) => root(el).querySelector<HTMLElement>('[role="tooltip"]');
const period = (el: UsageUniqueUsers, p: string) => root(el).querySelector(`[data-period="${p}"]`);
const rendered = (el: UsageUniqueUsers) => waitUntil(() => segments(el).length > 0, 'segments did not render', { timeout: 30_000 });
const T = Date.UTC(2026, 9, 28);

/** A UserSegments through the module's own transform. */
function segs(
  s: Record<string, [users: number, calls: number, lastMs: number | null]>,
  split: { new: number; returning: number },
  periods: Record<'30d' | '90d', [cur: number, prev: number, retained: number, churned: number]>,
): UserSegments {
  const rows = [
    ...Object.entries(s).map(([key, [users, calls, last]]) => ({ kind: 'segment', key, users, calls, last_ms: last, avg_days: 3.5 })),
    { kind: 'split', key: 'new', users: split.new },
    { kind: 'split', key: 'returning', users: split.returning },
    ...Object.entries(periods).map(([key, [cur, prev, retained, churned]]) => ({ kind: 'period', key, cur, prev, retained, churned })),
  ];
  return userSegments.transform(rows, undefined as never, undefined);
}

const SAMPLE = segs(
  { power: [20, 4000, T], regular: [120, 3600, T], new: [40, 200, T - DAY], dormant: [20, 0, T - 40 * DAY] },
  { new: 40, returning: 140 },
  { '30d': [180, 150, 130, 20], '90d': [220, 250, 190, 60] },
);
const EMPTY = segs({}, { new: 0, returning: 0 }, { '30d': [0, 0, 0, 0], '90d': [0, 0, 0, 0] });

const cell = (cohortMonth: string, monthOffset: number, cohortSize: number, retainedUsers: number, incomplete = false): RetentionCell => ({
  cohortMonth,
  monthOffset,
  cohortSize,
  retainedUsers,
  retentionPct: (retainedUsers / cohortSize) * 100,
  incomplete,
});
const RETENTION = [
  cell('2026-08', 0, 200, 200),
  cell('2026-08', 1, 200, 90),
  cell('2026-09', 0, 100, 100),
  cell('2026-09', 1, 100, 45),
  cell('2026-10', 0, 40, 40, true),
  cell('2026-10', 1, 40, 3, true),
];

const answering = (d: UserSegments = SAMPLE, r: RetentionCell[] = RETENTION) => chartClient({ userSegments: () => d, retentionCohorts: () => r });

async function chartWith(client: ReturnType<typeof chartClient>, filters: UsageFilters = defaultFilters()) {
  const div = await fixture<HTMLDivElement>(
    html`<div style="width: 800px"><usage-unique-users .client=${client} .filters=${filters}></usage-unique-users></div>`,
  );
  const el = div.querySelector('usage-unique-users')!;
  await elementUpdated(el);
  return el;
}

describe('<usage-unique-users> with a stand-in client', () => {
  it('is accessible with data, loading, empty and in error', async () => {
    const el = await chartWith(answering());
    await rendered(el);
    await waitUntil(() => root(el).querySelector('svg.spark circle'), 'retention overlay did not draw');
    await expect(el).to.be.accessible();
    const loading = await chartWith(chartClient({}));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await chartWith(answering(EMPTY, []));
    await waitUntil(() => frameOf(empty).state === 'empty');
    expect(text(frameOf(empty).shadowRoot!.querySelector('[part="empty"]'))).to.contain('No users match these filters');
    await expect(empty).to.be.accessible();
    const failed = await chartWith(
      chartClient({ userSegments: () => Promise.reject(Object.assign(new Error('query failed: boom'), { code: 'query_failed' })), retentionCohorts: () => [] }),
    );
    await waitUntil(() => frameOf(failed).state === 'error');
    expect(text(frameOf(failed).shadowRoot!.querySelector('[part="error"]'))).to.contain('query failed: boom');
    await expect(failed).to.be.accessible();
  });

  it('shows segment counts and shares, new vs returning, MoM / QoQ with deltas and churn, and month-1 retention', async () => {
    const el = await chartWith(answering());
    await rendered(el);
    expect(segments(el).map((b) => b.dataset.segment)).to.deep.equal(['power', 'regular', 'new', 'dormant']);
    expect(segment(el, 'power').getAttribute('aria-label')).to.equal(
      'Power users: 20 users, 10.0 %; average 200.0 calls, last active Oct 28, 2026. Open the user list',
    );
    const list = [...root(el).querySelectorAll('[part="segment-list"] li')].map(text);
    expect(list).to.deep.equal(['Power users 20 (10.0 %)', 'Returning users 120 (60.0 %)', 'New users 40 (20.0 %)', 'Dormant users 20 (10.0 %)']);
    expect(text(root(el).querySelector('[data-figure="new"]'))).to.equal('40');
    expect(text(root(el).querySelector('[data-figure="returning"]'))).to.equal('140');
    // MoM: 180 vs 150 = +20.0 %, churn 20 / 150; QoQ: 220 vs 250 = -12.0 %, churn 60 / 250.
    const mom = period(el, '30d')!;
    expect(text(mom.querySelector('[data-figure="current"]'))).to.equal('180');
    expect(text(mom.querySelector('[part="delta"] [aria-hidden]'))).to.equal('▲ +20.0%');
    expect(text(mom.querySelector('[part="delta"] .visually-hidden'))).to.equal('MoM: up 20.0%');
    expect(text(mom.querySelector('[data-figure="churn"]'))).to.equal('Churn 13.3 % (20 of 150 left; 130 retained)');
    const qoq = period(el, '90d')!;
    expect(text(qoq.querySelector('[part="delta"] [aria-hidden]'))).to.equal('▼ -12.0%');
    expect(qoq.querySelector('[part="delta"]')!.getAttribute('data-direction')).to.equal('down');
    expect(text(qoq.querySelector('[data-figure="churn"]'))).to.contain('Churn 24.0 %');
    // Retention: month 1 of finished cohorts only (2026-10 is not over).
    await waitUntil(() => root(el).querySelector('[data-figure="retention"]'));
    expect(text(root(el).querySelector('[data-figure="retention"]'))).to.equal('45.0 %');
    // The sparkline draws once its cell has been measured (a ResizeObserver, the next frame).
    await waitUntil(() => root(el).querySelectorAll('svg.spark circle').length > 0);
    expect(root(el).querySelectorAll('svg.spark circle')).to.have.length(2);
    expect(root(el).querySelector('svg.spark')!.getAttribute('aria-label')).to.equal('Month-1 retention by cohort: 2026-08 45.0 %, 2026-09 45.0 %');
    // CSV: what is on screen.
    const csv = frameOf(el).csv().trim().split('\n');
    expect(csv[0]).to.equal('Segment,Users,% of users,Calls,Avg calls,Last active');
    expect(csv[1]).to.match(/^power,20,10,4000,200,2026-10-28/);
  });

  it('hover and focus show engagement; click, Enter and ←/→ work; the event carries the segment filter', async () => {
    const filters = defaultFilters({ departments: ['sales'] });
    const el = await chartWith(answering(), filters);
    await rendered(el);
    segment(el, 'new').dispatchEvent(new PointerEvent('pointerenter'));
    await elementUpdated(el);
    const tip = tooltip(el)!;
    expect(text(tip.querySelector('.tooltip-title'))).to.equal('New users');
    const rows = [...tip.querySelectorAll('tr')].map((tr) => [text(tr.querySelector('th')), text(tr.querySelector('td'))]);
    expect(rows).to.deep.include(['Avg calls per user', '5.0']);
    expect(rows).to.deep.include(['Last active', 'Oct 27, 2026']);
    setTimeout(() => segment(el, 'new').click());
    let ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(ev.bubbles && ev.composed).to.equal(true);
    expect(ev.detail).to.deep.equal({ kind: 'segment', segment: 'new', filters: { ...filters, userSegments: ['new'] } });
    expect(filters.userSegments).to.deep.equal([]);
    // Keyboard: Tab reaches the bar, arrows move, Enter drills.
    const frameButtons = frameOf(el).shadowRoot!.querySelectorAll<HTMLButtonElement>('button');
    frameButtons[frameButtons.length - 1].focus();
    let guard = 0;
    while (!segment(el, 'power').matches(':focus') && guard++ < 10) await sendKeys({ press: 'Tab' });
    expect(segment(el, 'power').matches(':focus'), 'Tab did not reach the segment bar').to.equal(true);
    await sendKeys({ press: 'ArrowRight' });
    await elementUpdated(el);
    expect(segment(el, 'regular').matches(':focus')).to.equal(true);
    expect(text(tooltip(el)!.querySelector('.tooltip-title'))).to.equal('Returning users');
    expect(segment(el, 'regular').getAttribute('aria-describedby')).to.equal(tooltip(el)!.id);
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(ev.detail).to.deep.include({ kind: 'segment', segment: 'regular' });
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(tooltip(el)).to.equal(null);
  });

  it('shows n/a (not a colour) when the previous period is empty, and skips zero segments in the bar', async () => {
    const d = segs({ new: [5, 10, T] }, { new: 5, returning: 0 }, { '30d': [5, 0, 0, 0], '90d': [5, 0, 0, 0] });
    const el = await chartWith(answering(d, []));
    await rendered(el);
    expect(segments(el).map((b) => b.dataset.segment)).to.deep.equal(['new']);
    expect(text(period(el, '30d')!.querySelector('[part="delta"] [aria-hidden]'))).to.equal('n/a');
    expect(text(period(el, '30d')!.querySelector('[data-figure="churn"]'))).to.contain('Churn n/a');
    await waitUntil(() => text(root(el).querySelector('[data-figure-kind="retention"]')).includes('No cohort'));
  });

  it('renders a hostile heading and description as inert text', async () => {
    const hostile = '<img src=x onerror="window.__pwnedUsers=1">';
    const el = await chartWith(answering());
    el.heading = hostile;
    el.description = `قسم الدعم ${'y'.repeat(300)}`;
    await rendered(el);
    await elementUpdated(el);
    expect(frameOf(el).shadowRoot!.querySelector('img')).to.equal(null);
    expect(root(el).querySelector('img')).to.equal(null);
    expect(text(frameOf(el).shadowRoot!.querySelector('[part="title"]'))).to.equal(hostile);
    expect((window as { __pwnedUsers?: number }).__pwnedUsers).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('merges filters-override and retries after an error', async () => {
    let fail = true;
    const client = chartClient({ userSegments: () => (fail ? Promise.reject(new Error('nope')) : SAMPLE), retentionCohorts: () => RETENTION });
    const el = await chartWith(client);
    await waitUntil(() => frameOf(el).state === 'error');
    await elementUpdated(frameOf(el));
    fail = false;
    setTimeout(() => frameOf(el).shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]')!.click());
    await oneEvent(el, 'usage-retry');
    await rendered(el);
    el.setAttribute('filters-override', JSON.stringify({ departments: ['sales'] }));
    await waitUntil(() => client.runs.filter((r) => r.module === 'userSegments').at(-1)!.filters.departments.length === 1);
    expect(client.runs.at(-1)!.filters.environments).to.deep.equal(['production']);
    void never;
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real generated snapshot (.data/test-snapshot), counted independently with apache-arrow.

async function table(name: string): Promise<Table> {
  const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string }> };
  const res = await fetch(new URL(manifest.tables[name].file, new URL(SNAPSHOT, location.href)).href);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

const msOf = (v: unknown): number => (typeof v === 'bigint' ? Number(v) / 1000 : v instanceof Date ? v.getTime() : Number(v));

/** New / returning users of the last 30 days and the MoM figures, under the default filters. */
async function expected() {
  const snap = await loadSnapshot();
  const [requests, users] = await Promise.all([table('requests'), table('users')]);
  const firstSeen = new Map<string, number>();
  const uid = users.getChild('user_id')!;
  const fs = users.getChild('first_seen_at')!;
  for (let i = 0; i < users.numRows; i++) firstSeen.set(String(uid.get(i)), msOf(fs.get(i)));
  const ruser = requests.getChild('user_id')!;
  const start = snap.end - 30 * DAY;
  const prevStart = snap.end - 60 * DAY;
  const cur = new Set<string>();
  const prev = new Set<string>();
  const scope = new Set<string>();
  const lastAny = new Map<string, number>();
  snap.requests.forEach((r, i) => {
    const u = String(ruser.get(i));
    if (r.t < snap.end) lastAny.set(u, Math.max(lastAny.get(u) ?? 0, r.t));
    if (r.t >= snap.end || r.environment !== 'production' || !snap.activeAgents.has(r.agent)) return;
    scope.add(u);
    if (r.t >= start) cur.add(u);
    else if (r.t >= prevStart) prev.add(u);
  });
  const isNew = (u: string) => (firstSeen.get(u) ?? -Infinity) >= start;
  const inUsers = [...scope].filter((u) => firstSeen.has(u));
  const dormant = inUsers.filter((u) => lastAny.get(u)! < start).length;
  const newSegment = inUsers.filter((u) => lastAny.get(u)! >= start && isNew(u)).length;
  return {
    newUsers: [...cur].filter(isNew).length,
    returning: [...cur].filter((u) => !isNew(u)).length,
    cur: cur.size,
    prev: prev.size,
    churned: [...prev].filter((u) => !cur.has(u)).length,
    scope: inUsers.length,
    dormant,
    newSegment,
  };
}

describe('<usage-unique-users> over the real snapshot', () => {
  it('renders new vs returning, MoM and churn, and the segment sizes, matching an independent count', async () => {
    const e = await expected();
    expect(e.cur).to.be.greaterThan(0);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-unique-users></usage-unique-users></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-unique-users')!;
    await waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy, 'chart did not render', { timeout: 60_000, interval: 100 });
    await rendered(el);
    const nf = new Intl.NumberFormat('en-US');
    expect(text(root(el).querySelector('[data-figure="new"]'))).to.equal(nf.format(e.newUsers));
    expect(text(root(el).querySelector('[data-figure="returning"]'))).to.equal(nf.format(e.returning));
    const mom = period(el, '30d')!;
    expect(text(mom.querySelector('[data-figure="current"]'))).to.equal(nf.format(e.cur));
    expect(text(mom)).to.contain(`vs ${nf.format(e.prev)}`);
    expect(text(mom.querySelector('[data-figure="churn"]'))).to.contain(`(${nf.format(e.churned)} of ${nf.format(e.prev)} left;`);
    const data = el.data!;
    expect(data.segments.reduce((s, x) => s + x.users, 0)).to.equal(e.scope);
    expect(data.segments.find((s) => s.segment === 'dormant')!.users).to.equal(e.dormant);
    expect(data.segments.find((s) => s.segment === 'new')!.users).to.equal(e.newSegment);
    const list = [...root(el).querySelectorAll('[part="segment-list"] li')].map(text);
    expect(list[3]).to.match(new RegExp(`^Dormant users ${nf.format(e.dormant)} \\(`));
    await waitUntil(
      () => root(el).querySelector('[data-figure-kind="retention"]') && !text(root(el).querySelector('[data-figure-kind="retention"]')).includes('Loading'),
      'retention',
      { timeout: 30_000 },
    );
    await expect(provider).to.be.accessible();
  });
});
