import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { defaultFilters, type AtRiskUser, type CallsPerUser, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC } from 'apache-arrow';
import '../src/index.js';
import type UsageCallsPerUser from '../src/components/calls-per-user/calls-per-user.component.js';
import { binPosition } from '../src/components/calls-per-user/calls-per-user.data.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageDrilldownPanel from '../src/components/drilldown-panel/drilldown-panel.component.js';
import { callRangeText } from '../src/components/drilldown-panel/drilldown-panel.data.js';
import type { CallRangeDrilldown, UsageDrilldownEvent } from '../src/events/usage-drilldown.js';
import type { UsageRequestSaveSegmentEvent } from '../src/events/usage-request-save-segment.js';
import { chartClient } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT } from './helpers/snapshot.js';

const LONG = { timeout: 60_000, interval: 50 };
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageCallsPerUser) => el.shadowRoot!;
const frameOf = (el: UsageCallsPerUser) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const bars = (el: UsageCallsPerUser) => [...root(el).querySelectorAll<SVGGElement>('svg g.bar')];
const tooltip = (el: UsageCallsPerUser) => root(el).querySelector<HTMLElement>('[role="tooltip"]');
const deepActive = () => {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Hyndman–Fan type 7 (what DuckDB's quantile_cont computes). */
function q7(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.ceil(h)] ?? sorted[lo]) - sorted[lo]);
}

// ---- independent figures straight from the snapshot's Arrow files (no DuckDB, no query module)

interface Row {
  t: number;
  user: string;
  agent: string;
  env: string;
}
let snapshot: Promise<{ end: number; rows: Row[]; agentStatus: Map<string, string>; dept: Map<string, string> }> | undefined;

function loadRows() {
  snapshot ??= (async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string }; tables: Record<string, { file: string }> };
    const base = new URL(SNAPSHOT, location.href);
    const table = async (name: string) => tableFromIPC(new Uint8Array(await (await fetch(new URL(manifest.tables[name].file, base))).arrayBuffer()));
    const [requests, agents, users] = await Promise.all([table('requests'), table('agents'), table('users')]);
    const agentStatus = new Map<string, string>();
    for (let i = 0; i < agents.numRows; i++) agentStatus.set(String(agents.getChild('agent_id')!.get(i)), String(agents.getChild('agent_status')!.get(i)));
    const dept = new Map<string, string>();
    for (let i = 0; i < users.numRows; i++) dept.set(String(users.getChild('user_id')!.get(i)), String(users.getChild('department_id')!.get(i)));
    const tsType = String(requests.schema.fields.find((f) => f.name === 'ts')!.type);
    const div = /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1;
    const [ts, env, ag, user] = ['ts', 'environment', 'agent_id', 'user_id'].map((n) => requests.getChild(n)!);
    const rows: Row[] = [];
    for (let i = 0; i < requests.numRows; i++) {
      const v = ts.get(i) as unknown;
      rows.push({ t: typeof v === 'bigint' ? Number(v) / div : Number(v), user: String(user.get(i)), agent: String(ag.get(i)), env: String(env.get(i)) });
    }
    return { end: Date.parse(manifest.time_range.end), rows, agentStatus, dept };
  })();
  return snapshot;
}

/** Calls per user in [start, end) for production requests of agents passing `agentOk`. */
function countsIn(rows: Row[], start: number, end: number, ok: (r: Row) => boolean): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of rows) if (r.t >= start && r.t < end && r.env === 'production' && ok(r)) m.set(r.user, (m.get(r.user) ?? 0) + 1);
  return m;
}

async function independent(agentId?: string) {
  const { end, rows, agentStatus, dept } = await loadRows();
  const ok = agentId ? (r: Row) => r.agent === agentId : (r: Row) => agentStatus.get(r.agent) === 'active';
  const cur = countsIn(rows, end - 30 * DAY, end, ok);
  const prev = countsIn(rows, end - 60 * DAY, end - 30 * DAY, ok);
  const sorted = [...cur.values()].sort((a, b) => a - b);
  const p = { p10: q7(sorted, 0.1), p25: q7(sorted, 0.25), p50: q7(sorted, 0.5), p75: q7(sorted, 0.75), p90: q7(sorted, 0.9) };
  // At risk (engagement.ts): window users whose last 7 days fell below half their weekly average of the 3 weeks before, or silent 14 days.
  const last = (days: number, from = 0) => countsIn(rows, end - days * DAY, end - from * DAY, ok);
  const [l7, l14, p21] = [last(7), last(14), last(28, 7)];
  const atRisk = [...cur.keys()]
    .filter((u) => !l14.get(u) || ((p21.get(u) ?? 0) > 0 && 6 * (l7.get(u) ?? 0) < (p21.get(u) ?? 0)))
    .sort((a, b) => (p21.get(b) ?? 0) - (p21.get(a) ?? 0) || cmp(a, b));
  return { cur, prev, p, atRisk, dept };
}

let shared: Promise<UsageDataClient> | undefined;
const client = () =>
  (shared ??= UsageDataClient.open({
    source: new HttpSource(new URL(SNAPSHOT, location.href).href),
    connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
  }));

async function real(filters: UsageFilters = defaultFilters()) {
  const c = await client();
  const wrap = await fixture<HTMLDivElement>(
    html`<div style="width: 1000px"><usage-calls-per-user .client=${c} .filters=${filters} locale="en-US"></usage-calls-per-user></div>`,
  );
  const el = wrap.querySelector('usage-calls-per-user')!;
  await painted(el);
  return el;
}

async function painted(el: UsageCallsPerUser) {
  await waitUntil(() => el.data && el.atRisk && el.layout && bars(el).length === el.data.bins.length, 'the histogram did not paint', LONG);
  await elementUpdated(el);
}

/** Focuses the histogram by keyboard (Tab from the frame's last toolbar button), as a user would. */
async function tabToBars(el: UsageCallsPerUser) {
  frameOf(el).shadowRoot!.querySelector<HTMLButtonElement>('[part~="fullscreen-button"]')!.focus();
  let guard = 0;
  while (!bars(el).includes(deepActive() as SVGGElement) && guard++ < 12) await sendKeys({ press: 'Tab' });
}

/** Checks the chart's answer against the independent per-user counts. */
function expectMatches(d: CallsPerUser, want: Awaited<ReturnType<typeof independent>>) {
  const { cur, prev, p } = want;
  expect(d.users).to.equal(cur.size);
  expect(d.calls).to.equal([...cur.values()].reduce((a, b) => a + b, 0));
  expect(d.previousUsers).to.equal(prev.size);
  for (const k of ['p10', 'p25', 'p50', 'p75', 'p90'] as const) expect(d.percentiles![k], k).to.be.closeTo(p[k], 1e-9);
  const hi = Math.max(...cur.values(), ...prev.values());
  // Bins: contiguous from 1, covering the largest count of either period; the documented choice of scale.
  expect(d.bins[0].min).to.equal(1);
  for (let i = 1; i < d.bins.length; i++) expect(d.bins[i].min).to.equal(d.bins[i - 1].max);
  expect(d.bins[d.bins.length - 1].max).to.be.greaterThan(hi);
  expect(d.bins[d.bins.length - 1].min).to.be.at.most(hi);
  expect(d.scale).to.equal(hi <= 24 || hi < 10 * Math.max(1, p.p50) ? 'linear' : 'log');
  for (const b of d.bins) {
    const mine = [...cur].filter(([, n]) => n >= b.min && n < b.max);
    expect(b.users, `users in ${b.label}`).to.equal(mine.length);
    expect(b.previousUsers, `previous users in ${b.label}`).to.equal([...prev.values()].filter((n) => n >= b.min && n < b.max).length);
    expect(b.aboveP90, `above P90 in ${b.label}`).to.equal(mine.filter(([, n]) => n > p.p90).length);
    expect(b.belowP10, `below P10 in ${b.label}`).to.equal(mine.filter(([, n]) => n < p.p10).length);
    const top = mine.sort((a, b2) => b2[1] - a[1] || cmp(a[0], b2[0])).slice(0, 3);
    expect(b.samples, `samples of ${b.label}`).to.deep.equal(top.map(([u]) => u));
  }
  expect(d.outliersHigh).to.equal([...cur.values()].filter((n) => n > p.p90).length);
  expect(d.outliersLow).to.equal([...cur.values()].filter((n) => n < p.p10).length);
}

describe('<usage-calls-per-user> on the real snapshot', () => {
  it('bars, previous period, percentiles, outliers and samples equal an independent count; at-risk users too; accessible', async () => {
    const want = await independent();
    const el = await real();
    const d = el.data!;
    expectMatches(d, want);
    expect(d.outliersHigh + d.outliersLow).to.be.greaterThan(0);
    // Drawn: one focusable bar per bin, named with its count (text, not only colour).
    const gs = bars(el);
    expect(gs.map((g) => g.getAttribute('aria-label')!.split(':')[0])).to.deep.equal(d.bins.map((b) => `${b.label} ${b.label === '1' ? 'call' : 'calls'}`));
    expect(gs.filter((g) => g.getAttribute('tabindex') === '0')).to.have.length(1);
    const hb = d.bins.find((b) => b.aboveP90 > 0)!;
    expect(gs[d.bins.indexOf(hb)].getAttribute('aria-label')).to.contain(`${hb.aboveP90} above P90`);
    expect(gs[d.bins.indexOf(hb)].querySelector('.seg-high')).to.exist;
    expect([...root(el).querySelectorAll('svg .marker-label')].map((t) => t.textContent).join('/')).to.equal('P25/P50/P75/P90');
    expect(root(el).querySelector('svg .previous-line')).to.exist;
    // The P50 marker sits over the median's bar.
    const m = root(el).querySelector<SVGLineElement>('svg .marker-p50')!;
    expect(Number(m.getAttribute('x1'))).to.be.closeTo(el.layout!.px(binPosition(d.bins, want.p.p50 + 0.5)), 1e-6);
    const legend = text(root(el).querySelector('[part="legend"]'));
    expect(legend).to.contain(`above P90`).and.contain(`${d.outliersHigh} users`);
    expect(text(root(el).querySelector('[part="summary"]'))).to.contain(`${d.users} users`);
    // At risk.
    expect(el.atRisk!.map((u) => u.userId)).to.deep.equal(want.atRisk.slice(0, 100));
    expect(el.atRisk![0]?.total ?? 0).to.equal(want.atRisk.length);
    expect(el.atRisk!.every((u) => u.departmentId === (want.dept.get(u.userId) ?? null))).to.equal(true);
    expect(text(root(el).querySelector('#at-risk-title'))).to.equal(`At risk: ${want.atRisk.length} ${want.atRisk.length === 1 ? 'user' : 'users'}`);
    // CSV / table view: one row per bar; PNG: the histogram.
    expect(frameOf(el).rows).to.have.length(d.bins.length);
    const csv = frameOf(el)
      .csv()
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
    expect(csv[0]).to.equal(
      'Calls per user,From (calls),"To (calls, exclusive)",Users,Share of users %,"Users, previous period",Below P10,Above P90,Sample users',
    );
    expect(csv[1].split(',').slice(0, 4)).to.deep.equal([d.bins[0].label, String(d.bins[0].min), String(d.bins[0].max), String(d.bins[0].users)]);
    expect(frameOf(el).pngTarget!()).to.equal(root(el).querySelector('svg'));
    await expect(el).to.be.accessible();
  });

  it('paints the default view from the snapshot’s precomputed rows before any query answers', async () => {
    const c = await client();
    const live = await real();
    const first = { run: () => new Promise(() => undefined), precomputed: (m: never, f: never, p: never) => c.precomputed(m, f, p) };
    const wrap = await fixture<HTMLDivElement>(
      html`<div style="width: 1000px"><usage-calls-per-user .client=${first} .filters=${defaultFilters()}></usage-calls-per-user></div>`,
    );
    const el = wrap.querySelector('usage-calls-per-user')!;
    await painted(el);
    expect(el.data).to.deep.equal(live.data);
    expect(el.atRisk).to.deep.equal(live.atRisk);
  });

  it('a bar click drills to its call range; the panel lists exactly those users, paged, and "Save as segment" emits their ids', async () => {
    const want = await independent();
    const el = await real();
    const d = el.data!;
    const i = d.bins.reduce((best, b, k) => (b.users > d.bins[best].users ? k : best), 0);
    const b = d.bins[i];
    const r = bars(el)[i].querySelector('.hit')!.getBoundingClientRect();
    setTimeout(() => bars(el)[i].dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: r.left + r.width / 2, clientY: r.top + 5 })));
    const ev = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    expect(ev.cancelable && ev.bubbles && ev.composed).to.equal(true);
    expect(ev.detail).to.deep.equal({ kind: 'call-range', min: b.min, max: b.max, filters: defaultFilters() });

    const expected = [...want.cur].filter(([, n]) => n >= b.min && n < b.max).sort((x, y) => y[1] - x[1] || cmp(x[0], y[0]));
    const wrap = await fixture<HTMLElement>(html`<div><usage-drilldown-panel .client=${await client()}></usage-drilldown-panel></div>`);
    const panel = wrap.querySelector('usage-drilldown-panel') as UsageDrilldownPanel;
    panel.show(ev.detail as CallRangeDrilldown);
    await waitUntil(() => panel.rows, 'panel rows', LONG);
    await elementUpdated(panel);
    expect(panel.total).to.equal(b.users);
    expect(text(panel.shadowRoot!.querySelector('[part="title"]'))).to.equal(
      `Users with ${b.max - b.min === 1 ? `${b.min} call${b.min === 1 ? '' : 's'}` : `${b.min}–${b.max - 1} calls`}`,
    );
    expect((panel.rows as { userId: string; calls: number }[]).map((u) => [u.userId, u.calls])).to.deep.equal(expected.slice(0, 50));
    if (b.users > 50) {
      panel.shadowRoot!.querySelector<HTMLButtonElement>('button.next')!.click();
      await waitUntil(() => panel.rows && panel.page === 1 && (panel.rows[0] as { userId: string }).userId === expected[50][0], 'page 2', LONG);
    }
    setTimeout(() => panel.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-segment-button"]')!.click());
    const save = (await oneEvent(panel, 'usage-request-save-segment')) as UsageRequestSaveSegmentEvent;
    expect(save.detail.source).to.equal('call-range');
    expect(save.detail.userIds).to.deep.equal(expected.map(([u]) => u));
    await expect(panel).to.be.accessible();
    panel.close();
  });

  it('the outlier buttons open the users above P90 and below P10', async () => {
    const want = await independent();
    const el = await real();
    const d = el.data!;
    setTimeout(() => root(el).querySelector<HTMLButtonElement>('[data-outliers="high"]')!.click());
    const high = (await oneEvent(el, 'usage-drilldown')).detail as CallRangeDrilldown;
    expect(high.max).to.equal(null);
    expect([...want.cur.values()].filter((n) => n >= high.min).length).to.equal(d.outliersHigh);
    const low = root(el).querySelector<HTMLButtonElement>('[data-outliers="low"]');
    if (low) {
      setTimeout(() => low.click());
      const ev = (await oneEvent(el, 'usage-drilldown')).detail as CallRangeDrilldown;
      expect([...want.cur.values()].filter((n) => n >= ev.min && n < ev.max!).length).to.equal(d.outliersLow);
    } else {
      expect(d.outliersLow).to.equal(0);
      expect(d.percentiles!.p10).to.be.at.most(1);
      expect(text(root(el).querySelector('[part="legend"]'))).to.contain('below P10 (none: P10 is 1 call, the fewest possible)');
    }
  });

  it('keyboard: one tab stop, arrows and Home/End move between bars with the tooltip and its sample users, Enter drills, Escape hides', async () => {
    const el = await real();
    const d = el.data!;
    await tabToBars(el);
    expect(deepActive()).to.equal(bars(el)[0]);
    await waitUntil(() => tooltip(el), 'no tooltip on focus');
    expect(text(tooltip(el))).to.contain(`${d.bins[0].label} call`);
    for (const s of d.bins[0].samples) expect(text(tooltip(el))).to.contain(s);
    await sendKeys({ press: 'ArrowRight' });
    expect(deepActive()).to.equal(bars(el)[1]);
    expect(bars(el)[0].getAttribute('tabindex')).to.equal('-1');
    await sendKeys({ press: 'End' });
    expect(deepActive()).to.equal(bars(el)[d.bins.length - 1]);
    await sendKeys({ press: 'ArrowRight' });
    expect(deepActive()).to.equal(bars(el)[d.bins.length - 1]);
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'ArrowRight' });
    await elementUpdated(el);
    expect(text(root(el).querySelector('[role="status"]'))).to.contain(d.bins[1].label);
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const ev = (await oneEvent(el, 'usage-drilldown')).detail as CallRangeDrilldown;
    expect([ev.min, ev.max]).to.deep.equal([d.bins[1].min, d.bins[1].max]);
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(tooltip(el)).to.equal(null);
    // focus() from the host lands on the bar holding the tab stop.
    (deepActive() as HTMLElement).blur();
    el.focus();
    expect(deepActive()).to.equal(bars(el)[1]);
  });

  it('at the agent level (agentIds: [id], agentStatuses: []) it counts that agent’s users only', async () => {
    const { rows } = await loadRows();
    const byAgent = new Map<string, number>();
    for (const r of rows) byAgent.set(r.agent, (byAgent.get(r.agent) ?? 0) + 1);
    const agentId = [...byAgent].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0][0];
    const want = await independent(agentId);
    const el = await real(defaultFilters({ agentIds: [agentId], agentStatuses: [] }));
    expectMatches(el.data!, want);
    expect(el.atRisk!.map((u) => u.userId)).to.deep.equal(want.atRisk.slice(0, 100));
  });
});

// ---- a stand-in client: states, bins text, hostile names

const bin = (min: number, max: number, users: number, over: Partial<CallsPerUser['bins'][number]> = {}) => ({
  min,
  max,
  label: max - 1 === min ? String(min) : `${min}–${max - 1}`,
  users,
  previousUsers: 0,
  belowP10: 0,
  aboveP90: 0,
  samples: [],
  ...over,
});
const answer = (over: Partial<CallsPerUser> = {}): CallsPerUser => ({
  scale: 'linear',
  binWidth: 1,
  bins: [bin(1, 2, 3, { belowP10: 3 }), bin(2, 3, 5), bin(3, 4, 2, { aboveP90: 2 })],
  users: 10,
  calls: 23,
  avgCalls: 2.3,
  maxCalls: 3,
  previousUsers: 0,
  previousCalls: 0,
  previousAvgCalls: null,
  percentiles: { p10: 1.5, p25: 2, p50: 2, p75: 2.5, p90: 2.75 },
  previousPercentiles: null,
  outliersHigh: 2,
  outliersLow: 3,
  ...over,
});
const risk = (userId: string, departmentId: string | null = null): AtRiskUser => ({
  userId,
  departmentId,
  reason: 'drop',
  last7: 1,
  prev21: 12,
  lastActive: Date.UTC(2026, 9, 30),
  total: 1,
});

async function standIn(calls: () => unknown, atRisk: () => unknown = () => []) {
  const wrap = await fixture<HTMLDivElement>(
    html`<div style="width: 900px"><usage-calls-per-user .client=${chartClient({ callsPerUser: calls, atRiskUsers: atRisk })}></usage-calls-per-user></div>`,
  );
  return wrap.querySelector('usage-calls-per-user')!;
}

describe('<usage-calls-per-user> with a stand-in client', () => {
  it('shows loading, empty and error (Retry re-runs), each accessible', async () => {
    const loading = await standIn(() => new Promise(() => undefined));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await standIn(() => answer({ users: 0, calls: 0, bins: [], percentiles: null, outliersHigh: 0, outliersLow: 0 }));
    await waitUntil(() => frameOf(empty).state === 'empty');
    await expect(empty).to.be.accessible();
    let n = 0;
    const failed = await standIn(() => {
      n++;
      return Promise.reject(Object.assign(new Error('<b>boom</b>'), { code: 'query_failed' }));
    });
    await waitUntil(() => frameOf(failed).state === 'error');
    await expect(failed).to.be.accessible();
    failed.retry();
    await waitUntil(() => n === 2, 'Retry did not re-run');
  });

  it('per-chart filters narrow both queries; hover shows the bar; markers at one place share a label; call-range titles', async () => {
    const c = chartClient({ callsPerUser: () => answer(), atRiskUsers: () => [] });
    const wrap = await fixture<HTMLDivElement>(
      html`<div style="width: 900px"><usage-calls-per-user .client=${c} filters-override='{"departments":["sales"]}'></usage-calls-per-user></div>`,
    );
    const el = wrap.querySelector('usage-calls-per-user')!;
    await painted(el);
    expect(c.runs.map((r) => [r.module, r.filters.departments])).to.deep.equal([
      ['callsPerUser', ['sales']],
      ['atRiskUsers', ['sales']],
    ]);
    expect(c.runs[1].params).to.deep.equal({ limit: 100 });
    // Hover shows the bar under the pointer (the whole column is the target); leaving hides it.
    const svgEl = root(el).querySelector('svg')!;
    const col = bars(el)[1].querySelector('.hit')!.getBoundingClientRect();
    svgEl.dispatchEvent(new PointerEvent('pointermove', { bubbles: true, composed: true, clientX: col.left + col.width / 2, clientY: col.top + 4 }));
    await waitUntil(() => tooltip(el), 'no tooltip on hover');
    expect(text(tooltip(el)!.querySelector('.tooltip-title'))).to.equal('2 calls');
    svgEl.dispatchEvent(new PointerEvent('pointerleave'));
    await waitUntil(() => !tooltip(el), 'the tooltip stayed');
    // Markers at the same place share a label.
    expect([...root(el).querySelectorAll('svg .marker-label')].map((t) => t.textContent)).to.deep.equal(['P25/P50', 'P75', 'P90']);
    expect(callRangeText(43, null)).to.equal('at least 43 calls');
    expect(callRangeText(1, 2)).to.equal('1 call');
    expect(callRangeText(10, 20)).to.equal('10–19 calls');
  });

  it('says how the bins were chosen, and hides the previous period on request', async () => {
    const log = await standIn(() =>
      answer({ scale: 'log', binWidth: null, maxCalls: 480, previousUsers: 4, bins: [bin(1, 2, 3, { previousUsers: 4 }), bin(2, 3, 7)] }),
    );
    await painted(log);
    expect(text(frameOf(log).querySelector('.notes'))).to.contain('Log bins (1, 2, 3, 5, 10, 20, 50, …): the busiest user made 480 calls');
    expect(root(log).querySelector('svg .previous-line')).to.exist;
    log.hidePrevious = true;
    await elementUpdated(log);
    await waitUntil(() => !root(log).querySelector('svg .previous-line'), 'the previous line stayed');
    const wide = await standIn(() => answer({ binWidth: 5 }));
    await painted(wide);
    expect(text(root(wide).querySelector('.notes'))).to.contain('Bins of 5 calls.');
  });

  it('renders hostile user ids (sample users, at-risk list) as inert text; an at-risk id drills to the user', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">' + 'x'.repeat(300) + ' مستخدم';
    const filters = defaultFilters({ timeRange: { preset: '7d' } });
    const wrap = await fixture<HTMLDivElement>(
      html`<div style="width: 900px">
        <usage-calls-per-user
          .filters=${filters}
          .client=${chartClient({ callsPerUser: () => answer({ bins: [bin(1, 2, 10, { samples: [hostile, 'u2'] })] }), atRiskUsers: () => [risk(hostile, hostile)] })}
        ></usage-calls-per-user>
      </div>`,
    );
    const el = wrap.querySelector('usage-calls-per-user')!;
    await painted(el);
    await tabToBars(el);
    await waitUntil(() => tooltip(el), 'no tooltip');
    expect(text(tooltip(el))).to.contain(`e.g. ${hostile}, u2`);
    const table = root(el).querySelector('usage-data-table')!;
    await waitUntil(() => table.shadowRoot!.querySelector('tbody tr'), 'no at-risk row');
    const btn = table.shadowRoot!.querySelector<HTMLButtonElement>('td[data-key="userId"] button')!;
    expect(text(btn)).to.equal(hostile);
    expect(root(el).querySelector('img')).to.equal(null);
    expect(table.shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    await expect(el).to.be.accessible();
    setTimeout(() => btn.click());
    const ev = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    expect(ev.cancelable).to.equal(true);
    expect(ev.detail).to.deep.equal({ kind: 'user', userId: hostile, userName: null, filters: { ...filters, userIds: [hostile] } });
  });
});
