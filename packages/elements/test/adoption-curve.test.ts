import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { defaultFilters, type AdoptionBenchmark, type AdoptionCurve, type AdoptionSeries, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC, type Table } from 'apache-arrow';
import '../src/index.js';
import type UsageAdoptionCurve from '../src/components/adoption-curve/adoption-curve.component.js';
import { stageColour } from '../src/components/adoption-curve/adoption-curve.data.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type { UsageDrilldownDetail } from '../src/events/usage-drilldown.js';
import { chartClient } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT } from './helpers/snapshot.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageAdoptionCurve) => el.shadowRoot!;
const frameOf = (el: UsageAdoptionCurve) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const svg = (el: UsageAdoptionCurve) => root(el).querySelector<SVGSVGElement>('.plot svg')!;
const plot = (el: UsageAdoptionCurve) => root(el).querySelector<HTMLElement>('.plot')!;
const curves = (el: UsageAdoptionCurve) => [...svg(el).querySelectorAll<SVGPathElement>('g.series path.curve')];
const tooltip = (el: UsageAdoptionCurve) => root(el).querySelector<HTMLElement>('[role="tooltip"]');
const painted = (el: UsageAdoptionCurve, n = 1) => waitUntil(() => el.layout && curves(el).length >= n, 'curves did not paint', { timeout: 30_000 });

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const D0 = Date.UTC(2026, 9, 1);

/** A series of `days` days from 2026-10-01 whose cumulative users follow `cum(i)`. */
function series(key: string, over: Partial<AdoptionSeries>, days: number, cum: (i: number) => number): AdoptionSeries {
  const points = Array.from({ length: days }, (_, i) => ({
    date: iso(D0 + i * DAY),
    newUsers: cum(i) - (i ? cum(i - 1) : 0),
    requests: 3 * (cum(i) - (i ? cum(i - 1) : 0)),
    cumulativeUsers: cum(i),
    cumulativeRequests: 3 * cum(i),
    adoptionRate: cum(i) / 10,
  }));
  return {
    key,
    agentId: key,
    version: null,
    launchDate: iso(D0),
    launchSource: 'registry',
    stage: 'active',
    agentName: key.toUpperCase(),
    points,
    forecast: Array.from({ length: 5 }, (_, h) => ({ date: iso(D0 + (days + h) * DAY), cumulativeUsers: cum(days - 1) + h + 1, cumulativeRequests: null })),
    fit: { users: { capacity: 100, rate: 0.2, rmse: 1 }, requests: null },
    ...over,
  };
}

const SAMPLE: AdoptionCurve = {
  eligibleUsers: 1000,
  series: [
    series('agt-a', { agentName: 'Alpha' }, 20, (i) => 5 * i),
    series('agt-b', { agentName: 'Beta bot', stage: 'beta', launchDate: iso(D0 + 5 * DAY), forecast: [] }, 20, (i) => Math.max(0, 2 * (i - 5))),
    series('agt-c', { stage: 'deprecated', launchSource: 'first_request' }, 20, (i) => 40 + i),
  ],
};
const BENCH: AdoptionBenchmark = {
  days: 10,
  agentIds: ['x', 'y', 'z'],
  points: Array.from({ length: 10 }, (_, k) => ({
    day: k,
    users: { p25: k, median: 2 * k, p75: 3 * k },
    requests: { p25: 3 * k, median: 6 * k, p75: 9 * k },
  })),
};

const answering = (curve: AdoptionCurve = SAMPLE, bench: AdoptionBenchmark = BENCH) =>
  chartClient({ adoptionCurve: () => curve, adoptionBenchmark: () => bench }, {}, { departments: ['support'] });

async function chartWith(client: ReturnType<typeof chartClient>, filters: UsageFilters = defaultFilters(), agentId?: string) {
  const div = await fixture<HTMLDivElement>(
    html`<div style="width: 900px"><usage-adoption-curve .client=${client} .filters=${filters} agent-id=${agentId ?? ''}></usage-adoption-curve></div>`,
  );
  const el = div.querySelector('usage-adoption-curve')!;
  if (!agentId) el.removeAttribute('agent-id');
  el.agentId = agentId;
  await elementUpdated(el);
  return el;
}

describe('<usage-adoption-curve> with a stand-in client', () => {
  it('is accessible with data, loading, empty and in error', async () => {
    const el = await chartWith(answering());
    await painted(el, 3);
    await expect(el).to.be.accessible();
    const loading = await chartWith(chartClient({}));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await chartWith(answering({ eligibleUsers: 0, series: [] }));
    await waitUntil(() => frameOf(empty).state === 'empty');
    expect(text(frameOf(empty).shadowRoot!.querySelector('[part="empty"]'))).to.contain('No agent had requests');
    await expect(empty).to.be.accessible();
    const failed = await chartWith(
      chartClient({ adoptionCurve: () => Promise.reject(Object.assign(new Error('query failed: boom'), { code: 'query_failed' })) }),
    );
    await waitUntil(() => frameOf(failed).state === 'error');
    expect(text(frameOf(failed).shadowRoot!.querySelector('[part="error"]'))).to.contain('query failed: boom');
    await expect(failed).to.be.accessible();
  });

  it('draws one line per series coloured by stage, the stage in text, the forecast dashed and the benchmark band', async () => {
    const el = await chartWith(answering());
    await painted(el, 3);
    const paths = curves(el);
    expect(paths).to.have.length(3);
    const palette = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#000000'];
    expect(paths.map((p) => p.getAttribute('stroke')!.toLowerCase())).to.deep.equal(
      (['active', 'beta', 'deprecated'] as const).map((s) => stageColour(s, palette).toLowerCase()),
    );
    // Forecast: dashed, only where the series has one.
    const forecasts = [...svg(el).querySelectorAll('g.series path.forecast')];
    expect(forecasts.map((p) => p.closest('g.series')!.getAttribute('data-key'))).to.deep.equal(['agt-a', 'agt-c']);
    expect(forecasts[0].getAttribute('stroke-dasharray')).to.equal('6 4');
    expect(svg(el).querySelector('path.benchmark-band')).to.not.equal(null);
    // Legend and series buttons carry the stage as text.
    const legend = text(root(el).querySelector('[part="legend"]'));
    expect(legend)
      .to.contain('Active')
      .and.to.contain('Beta')
      .and.to.contain('Deprecated')
      .and.to.contain('Past successful launches')
      .and.to.contain('3 agents');
    const buttons = [...root(el).querySelectorAll('[part="series-button"]')].map(text);
    expect(buttons[0]).to.contain('Alpha').and.to.contain('Active').and.to.contain('launched Oct 1, 2026');
    expect(buttons[1]).to.contain('Beta bot').and.to.contain('Beta').and.to.contain('Oct 6, 2026');
    expect(buttons[2]).to.contain('AGT-C').and.to.contain('(first request)');
    // Days since launch: Beta bot's line starts at day 0 on its launch (Oct 6), i.e. at the same pixel as Alpha's day 0.
    const layout = el.layout!;
    const model = el.model!;
    expect(model.lines[1].points[0]).to.include({ x: 0, date: iso(D0 + 5 * DAY), daysSinceLaunch: 0 });
    expect(model.lines[1].points).to.have.length(15);
    expect(model.band).to.have.length(10);
    expect(layout.px(0)).to.equal(layout.plot.left);
    // CSV and the table view: every observed and forecast day of each series, then the benchmark's days.
    expect(frameOf(el).rows).to.have.length(3 * 20 + 5 + 5 + 10);
    expect((frameOf(el).rows as { kind: string }[]).filter((r) => r.kind === 'benchmark')).to.have.length(10);
    // Calendar axis: no band, Beta bot's line covers all 20 days.
    el.axis = 'calendar';
    await waitUntil(() => el.model?.axis === 'calendar' && !svg(el).querySelector('path.benchmark-band'), 'calendar axis');
    expect(el.model!.lines[1].points).to.have.length(20);
    // Requests metric: the y values switch.
    el.metric = 'requests';
    await waitUntil(() => el.model?.metric === 'requests');
    expect(el.model!.lines[0].points[19].value).to.equal(3 * 5 * 19);
    // Hiding the forecast asks for none.
    el.hideForecast = true;
    await waitUntil(() => !svg(el).querySelector('path.forecast'), 'forecast hidden');
  });

  it('leaves the benchmark out when every series is older than it, and keeps end labels apart', async () => {
    const old = (key: string, cum: (i: number) => number) => series(key, { launchDate: '2025-01-01' }, 20, cum);
    const el = await chartWith(
      answering({ eligibleUsers: 100, series: [old('agt-a', (i) => 50 + i), old('agt-b', (i) => 50 + i), old('agt-c', (i) => 51 + i)] }),
    );
    await painted(el, 3);
    await waitUntil(() => text(root(el).querySelector('[data-benchmark]')).includes('not drawn'), 'benchmark note');
    expect(el.model!.bandBeforeLines).to.equal(true);
    expect(svg(el).querySelector('path.benchmark-band')).to.equal(null);
    expect(text(root(el).querySelector('[data-benchmark]')))
      .to.contain('not drawn')
      .and.to.contain('days 0–29');
    // Three labels ending at (almost) the same point: at least 12 px apart.
    const ys = [...svg(el).querySelectorAll('text.end-label')].map((t) => Number(t.getAttribute('y'))).sort((a, b) => a - b);
    expect(ys).to.have.length(3);
    expect(ys[1] - ys[0]).to.be.at.least(12);
    expect(ys[2] - ys[1]).to.be.at.least(12);
  });

  it('asks for up to 10 picked agents, and per version for a fixed agent (Level 3)', async () => {
    const client = answering();
    const el = await chartWith(client);
    await painted(el, 3);
    const curveRuns = () => client.runs.filter((r) => r.module === 'adoptionCurve');
    expect(curveRuns()[0].params).to.deep.equal({ agentIds: undefined, byVersion: false, forecastDays: 30 });
    // The picker is the filter bar's multi-select: choose two agents through it.
    el.agents = ['agt-a', 'agt-b'];
    await waitUntil(() => curveRuns().length === 2);
    expect(curveRuns()[1].params).to.deep.include({ agentIds: ['agt-a', 'agt-b'] });
    const trigger = root(el).querySelector<HTMLButtonElement>('[part="filter-trigger"]')!;
    expect(text(trigger)).to.contain('2 selected');
    const fixed = answering();
    const detail = await chartWith(fixed, defaultFilters(), 'agt-a');
    await painted(detail, 3);
    const run = fixed.runs.find((r) => r.module === 'adoptionCurve')!;
    expect(run.params).to.deep.equal({ agentIds: ['agt-a'], byVersion: true, forecastDays: 30 });
    // The agent is the subject: its status and the agent filter do not hide it (a deprecated agent still shows).
    expect(run.filters).to.deep.include({ agentIds: [], agentStatuses: [] });
    expect(root(detail).querySelector('[part="filter-trigger"]')).to.equal(null);
  });

  it('is keyboard operable: ←/→ through days with the tooltip, ↑/↓ between series, Enter opens the agent, Escape clears', async () => {
    const el = await chartWith(answering());
    await painted(el, 3);
    root(el).querySelector<HTMLSelectElement>('[part="metric-select"]')!.focus();
    let guard = 0;
    while (!plot(el).matches(':focus') && guard++ < 10) await sendKeys({ press: 'Tab' });
    expect(plot(el).matches(':focus')).to.equal(true);
    await waitUntil(() => tooltip(el));
    expect(text(tooltip(el)))
      .to.contain('Alpha')
      .and.to.contain('Oct 20, 2026')
      .and.to.contain('Cumulative users 95');
    await sendKeys({ press: 'ArrowLeft' });
    await waitUntil(() => text(tooltip(el)).includes('Oct 19, 2026'));
    expect(text(tooltip(el)))
      .to.contain('New users that day 5')
      .and.to.contain('Cumulative users 90');
    expect(text(root(el).querySelector('[role="status"]')))
      .to.contain('Alpha')
      .and.to.contain('Day 18 since launch');
    await sendKeys({ press: 'Home' });
    await waitUntil(() => text(tooltip(el)).includes('Oct 1, 2026'));
    // Day 0: the benchmark's median there (the band covers days 0–9).
    expect(text(tooltip(el))).to.contain('Past launches (median) 0');
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await waitUntil(() => text(tooltip(el)).includes('Oct 3, 2026'));
    expect(text(tooltip(el))).to.contain('Past launches (median) 4 (P25–P75 2–6)');
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => text(tooltip(el)).includes('Beta bot'));
    expect(text(tooltip(el))).to.contain('Lifecycle stage Beta');
    const ev = oneEvent(el, 'usage-drilldown') as Promise<CustomEvent<UsageDrilldownDetail>>;
    await sendKeys({ press: 'Enter' });
    expect((await ev).detail).to.deep.include({ kind: 'agent', agentId: 'agt-b' });
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !tooltip(el), 'Escape hides the tooltip');
  });

  it('opens the agent from a click on its line and from its series button', async () => {
    const el = await chartWith(answering());
    await painted(el, 3);
    const layout = el.layout!;
    const r = svg(el).getBoundingClientRect();
    const line = el.model!.lines[2];
    const p = line.points[15];
    let ev = oneEvent(el, 'usage-drilldown') as Promise<CustomEvent<UsageDrilldownDetail>>;
    plot(el).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: r.left + layout.px(p.x), clientY: r.top + layout.py(p.value) }));
    expect((await ev).detail).to.deep.include({ kind: 'agent', agentId: 'agt-c' });
    ev = oneEvent(el, 'usage-drilldown') as Promise<CustomEvent<UsageDrilldownDetail>>;
    root(el).querySelectorAll<HTMLButtonElement>('[part="series-button"]')[0].click();
    expect((await ev).detail).to.deep.include({ kind: 'agent', agentId: 'agt-a' });
    // Hover shows the day's metrics.
    plot(el).dispatchEvent(new PointerEvent('pointermove', { bubbles: true, clientX: r.left + layout.px(p.x), clientY: r.top + layout.py(p.value) }));
    await waitUntil(() => tooltip(el));
    expect(text(tooltip(el)))
      .to.contain('AGT-C')
      .and.to.contain('Oct 16, 2026');
  });

  it('renders hostile agent names as inert text', async () => {
    const hostile = '<img src=x onerror="window.__pwnedAdoption=1">';
    const el = await chartWith(
      answering({
        eligibleUsers: 10,
        series: [
          series('agt-x', { agentName: hostile, stage: '<b>odd</b>' }, 10, (i) => i),
          series('agt-y', { agentName: 'وكيل' + 'z'.repeat(300) }, 10, (i) => 2 * i),
        ],
      }),
    );
    await painted(el, 2);
    plot(el).focus();
    await waitUntil(() => tooltip(el));
    expect(text(tooltip(el))).to.contain(hostile);
    expect(text(root(el).querySelector('[part="series-button"]'))).to.contain(hostile);
    expect(root(el).querySelector('img')).to.equal(null);
    expect((window as { __pwnedAdoption?: number }).__pwnedAdoption).to.equal(undefined);
    // An unknown stage reads "Not in registry", never the raw text as markup.
    expect(text(root(el).querySelector('[part="legend"]'))).to.contain('Not in registry');
    await expect(el).to.be.accessible();
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real generated snapshot (.data/test-snapshot), counted independently with apache-arrow.

async function table(name: string): Promise<Table> {
  const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string }> };
  const res = await fetch(new URL(manifest.tables[name].file, new URL(SNAPSHOT, location.href)).href);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

/** Epoch ms of a timestamp cell (apache-arrow gives ms numbers, or bigint µs). */
const ms = (v: unknown): number => (typeof v === 'bigint' ? Number(v) / 1000 : v instanceof Date ? v.getTime() : Number(v));
const dayOf = (t: number) => Math.floor(t / DAY) * DAY;

describe('<usage-adoption-curve> over the real snapshot', () => {
  it('cumulative users, launch days, stages and the benchmark launches match an independent count', async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { start: string; end: string } };
    const end = Date.parse(manifest.time_range.end);
    const dataStart = Date.parse(manifest.time_range.start);
    const req = await table('requests');
    const ag = await table('agents');
    const registry = new Map<string, { status: string; name: string; created: number }>();
    for (let i = 0; i < ag.numRows; i++)
      registry.set(String(ag.getChild('agent_id')!.get(i)), {
        status: String(ag.getChild('agent_status')!.get(i)),
        name: String(ag.getChild('agent_name')!.get(i)),
        created: ms(ag.getChild('created_at')!.get(i)),
      });
    const users = new Map<string, Set<string>>();
    const windowUsers = new Map<string, Set<string>>();
    const firstAny = new Map<string, number>();
    const [ts, uid, aid, env] = ['ts', 'user_id', 'agent_id', 'environment'].map((c) => req.getChild(c)!);
    for (let i = 0; i < req.numRows; i++) {
      const t = ms(ts.get(i));
      const a = String(aid.get(i));
      firstAny.set(a, Math.min(firstAny.get(a) ?? Infinity, dayOf(t)));
      if (String(env.get(i)) !== 'production' || registry.get(a)?.status !== 'active' || t >= end) continue;
      const u = String(uid.get(i));
      (users.get(a) ?? users.set(a, new Set()).get(a)!).add(u);
      if (t >= end - 30 * DAY) (windowUsers.get(a) ?? windowUsers.set(a, new Set()).get(a)!).add(u);
    }
    // The three active agents with most production users in the last 30 days (ties by id).
    const picked = [...windowUsers]
      .sort((a, b) => b[1].size - a[1].size || (a[0] < b[0] ? -1 : 1))
      .slice(0, 3)
      .map(([a]) => a);
    expect(picked).to.have.length(3);

    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-adoption-curve></usage-adoption-curve></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-adoption-curve')!;
    await waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy, 'chart did not render', { timeout: 60_000, interval: 100 });
    // Default: the top 10 (or fewer) of the active agents with production requests before the end.
    expect(el.data!.series).to.have.length(Math.min(10, users.size));
    el.agents = picked;
    await waitUntil(() => el.data?.series.length === 3 && !frameOf(el).busy, 'picked agents', { timeout: 30_000 });
    await painted(el, 3);
    for (const s of el.data!.series) {
      const reg = registry.get(s.agentId)!;
      const launch = Math.min(dayOf(reg.created), firstAny.get(s.agentId)!);
      expect(s.points.at(-1)!.cumulativeUsers, s.agentId).to.equal(users.get(s.agentId)!.size);
      expect(s.launchDate, s.agentId).to.equal(iso(launch));
      expect(s.stage).to.equal('active');
      expect(s.agentName).to.equal(reg.name);
      expect(s.forecast).to.have.length(s.fit.users || s.fit.requests ? 30 : 0);
    }
    expect(el.data!.series.map((s) => s.agentId).sort()).to.deep.equal([...picked].sort());
    // Benchmark launches: active now, launched on/after the data start and ≥ 30 days before the end, with production requests.
    const lastDay = dayOf(end - 1);
    const past = [...registry]
      .filter(([id, a]) => {
        if (a.status !== 'active' || !firstAny.has(id) || !users.has(id)) return false;
        const launch = Math.min(dayOf(a.created), firstAny.get(id)!);
        return launch >= dayOf(dataStart) && (lastDay - launch) / DAY >= 29;
      })
      .map(([id]) => id)
      .sort();
    await waitUntil(() => el.benchmark !== undefined, 'benchmark', { timeout: 30_000 });
    expect(el.benchmark!.agentIds).to.deep.equal(past);
    expect(el.benchmark!.points).to.have.length(past.length ? 30 : 0);
    await expect(provider).to.be.accessible();
  });

  it('Level 3: a fixed agent shows its versions, counted independently, older versions "superseded"', async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string } };
    const end = Date.parse(manifest.time_range.end);
    const req = await table('requests');
    const ag = await table('agents');
    const current = new Map<string, { status: string; version: string }>();
    for (let i = 0; i < ag.numRows; i++)
      current.set(String(ag.getChild('agent_id')!.get(i)), {
        status: String(ag.getChild('agent_status')!.get(i)),
        version: String(ag.getChild('version')!.get(i)),
      });
    // Distinct users per agent × version under the default filters (production, active agents), before the end.
    const users = new Map<string, Map<string, Set<string>>>();
    const [ts, uid, aid, env, ver] = ['ts', 'user_id', 'agent_id', 'environment', 'agent_version'].map((c) => req.getChild(c)!);
    for (let i = 0; i < req.numRows; i++) {
      const a = String(aid.get(i));
      if (String(env.get(i)) !== 'production' || current.get(a)?.status !== 'active' || ms(ts.get(i)) >= end) continue;
      const byVersion = users.get(a) ?? users.set(a, new Map()).get(a)!;
      const v = String(ver.get(i));
      (byVersion.get(v) ?? byVersion.set(v, new Set()).get(v)!).add(String(uid.get(i)));
    }
    // The active agent with most versions in use (then most users, then id).
    const total = (m: Map<string, Set<string>>) => [...m.values()].reduce((n, s) => n + s.size, 0);
    const [agentId, versions] = [...users].sort((a, b) => b[1].size - a[1].size || total(b[1]) - total(a[1]) || (a[0] < b[0] ? -1 : 1))[0];
    expect(versions.size).to.be.greaterThan(1);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-adoption-curve agent-id=${agentId}></usage-adoption-curve></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-adoption-curve')!;
    await waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy, 'chart did not render', { timeout: 60_000, interval: 100 });
    await painted(el, Math.min(10, versions.size));
    const series = el.data!.series;
    expect(series.map((s) => s.version).sort()).to.deep.equal([...versions.keys()].sort().slice(0, 10));
    for (const s of series) {
      expect(s.agentId).to.equal(agentId);
      expect(s.points.at(-1)!.cumulativeUsers, s.key).to.equal(versions.get(s.version!)!.size);
      expect(s.stage, s.key).to.equal(s.version === current.get(agentId)!.version ? 'active' : 'superseded');
    }
    expect(root(el).querySelector('[part="filter-trigger"]')).to.equal(null);
    const ev = oneEvent(el, 'usage-drilldown') as Promise<CustomEvent<UsageDrilldownDetail>>;
    root(el).querySelector<HTMLButtonElement>('[part="series-button"]')!.click();
    expect((await ev).detail).to.deep.include({ kind: 'agent', agentId });
    await expect(provider).to.be.accessible();
  });
});
