import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { defaultFilters, type CapacityGauge, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC } from 'apache-arrow';
import '../src/index.js';
import type UsageCapacityGauges from '../src/components/capacity-gauges/capacity-gauges.component.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type { CapacityResourceDrilldown, UsageDrilldownEvent } from '../src/events/usage-drilldown.js';
import type { UsageRequestCapacityAlertEvent } from '../src/events/usage-request-capacity-alert.js';
import { svgToPng } from '../src/internal/png-export.js';
import { chartClient } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT } from './helpers/snapshot.js';

const LONG = { timeout: 60_000, interval: 50 };
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageCapacityGauges) => el.shadowRoot!;
const frameOf = (el: UsageCapacityGauges) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const cards = (el: UsageCapacityGauges) => [...root(el).querySelectorAll<HTMLLIElement>('li.gauge')];
const card = (el: UsageCapacityGauges, resource: string, env = 'production') =>
  cards(el).find((c) => c.dataset.resource === resource && c.dataset.environment === env)!;
/** The gauge button's accessible name: its text without the (aria-hidden) drawing. */
const nameOf = (b: Element) => {
  const c = b.cloneNode(true) as Element;
  c.querySelectorAll('svg').forEach((n) => n.remove());
  return text(c);
};
const deepActive = () => {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};

// ---- independent figures straight from the snapshot's capacity table (no DuckDB, no query module)

interface Sample {
  t: number;
  res: string;
  env: string;
  usage: number;
  max: number;
  warn: number;
  crit: number;
  unit: string;
}
let loaded: Promise<{ end: number; rows: Sample[] }> | undefined;

function loadCapacity() {
  loaded ??= (async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string }; tables: Record<string, { file: string }> };
    const bytes = await (await fetch(new URL(manifest.tables.capacity.file, new URL(SNAPSHOT, location.href)))).arrayBuffer();
    const t = tableFromIPC(new Uint8Array(bytes));
    const tsType = String(t.schema.fields.find((f) => f.name === 'ts')!.type);
    const div = /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1;
    const col = (n: string) => t.getChild(n)!;
    const [ts, res, env, cur, max, warn, crit, unit] = [
      'ts',
      'resource_type',
      'environment',
      'current_usage',
      'max_capacity',
      'warning_threshold',
      'critical_threshold',
      'unit',
    ].map(col);
    const rows: Sample[] = [];
    for (let i = 0; i < t.numRows; i++) {
      const v = ts.get(i) as unknown;
      rows.push({
        t: typeof v === 'bigint' ? Number(v) / div : Number(v),
        res: String(res.get(i)),
        env: String(env.get(i)),
        usage: Number(cur.get(i)),
        max: Number(max.get(i)),
        warn: Number(warn.get(i)),
        crit: Number(crit.get(i)),
        unit: String(unit.get(i)),
      });
    }
    return { end: Date.parse(manifest.time_range.end), rows };
  })();
  return loaded;
}

const level = (s: Sample) => (s.max <= 0 ? 'unknown' : s.usage / s.max >= s.crit ? 'critical' : s.usage / s.max >= s.warn ? 'warning' : 'ok');

/** Latest sample and the window's peak per resource × environment, in plain code. */
async function independent(days = 30, envs: string[] = ['production']) {
  const { end, rows } = await loadCapacity();
  const start = end - days * DAY;
  const out = new Map<string, { latest: Sample; peak?: Sample; peakTies: number; window: Sample[] }>();
  for (const s of rows) {
    if (s.t >= end || (envs.length && !envs.includes(s.env))) continue;
    const k = `${s.res}|${s.env}`;
    const e = out.get(k) ?? { latest: s, peakTies: 0, window: [] };
    if (s.t > e.latest.t || (s.t === e.latest.t && s.usage > e.latest.usage)) e.latest = s;
    if (s.t >= start && s.max > 0) {
      e.window.push(s);
      const u = s.usage / s.max;
      const p = e.peak;
      if (!p || u > p.usage / p.max || (u === p.usage / p.max && (s.t > p.t || (s.t === p.t && s.usage > p.usage)))) e.peak = s;
    }
    out.set(k, e);
  }
  for (const e of out.values()) if (e.peak) e.peakTies = e.window.filter((s) => s.usage / s.max === e.peak!.usage / e.peak!.max).length;
  return { end, start, byKey: out };
}

let shared: Promise<UsageDataClient> | undefined;
const client = () =>
  (shared ??= UsageDataClient.open({
    source: new HttpSource(new URL(SNAPSHOT, location.href).href),
    connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
  }));

async function real(filters: UsageFilters = defaultFilters(), attrs: { variant?: string; environment?: string } = {}) {
  const c = await client();
  const wrap = await fixture<HTMLDivElement>(
    html`<div style="width: 1100px">
      <usage-capacity-gauges
        .client=${c}
        .filters=${filters}
        locale="en-US"
        variant=${attrs.variant ?? 'radial'}
        environment=${attrs.environment ?? ''}
      ></usage-capacity-gauges>
    </div>`,
  );
  const el = wrap.querySelector('usage-capacity-gauges')!;
  await waitUntil(() => el.gauges && cards(el).length > 0, 'the gauges did not render', LONG);
  await elementUpdated(el);
  return el;
}

async function openDetail(el: UsageCapacityGauges) {
  await waitUntil(() => el.series && el.detailLayout && root(el).querySelector('.detail-plot svg path.series-mean'), 'the detail did not paint', LONG);
  await elementUpdated(el);
}

/** Usage as the chart writes it: whole from 100, one decimal from 1, else two significant digits. */
const nf = {
  format: (v: number) =>
    new Intl.NumberFormat(
      'en-US',
      Math.abs(v) >= 100 ? { maximumFractionDigits: 0 } : Math.abs(v) >= 1 || v === 0 ? { maximumFractionDigits: 1 } : { maximumSignificantDigits: 2 },
    ).format(v),
};
const pf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

describe('<usage-capacity-gauges> on the real snapshot', () => {
  it('values, peaks and statuses equal an independent computation from the capacity rows; the demo crosses both thresholds; accessible', async () => {
    const want = await independent();
    const el = await real();
    expect(el.gauges!.length).to.equal(want.byKey.size);
    expect(cards(el)).to.have.length(want.byKey.size);
    for (const [k, e] of want.byKey) {
      const [res, env] = k.split('|');
      const g = el.gauges!.find((x) => x.resourceType === res && x.environment === env)!;
      const u = e.latest.usage / e.latest.max;
      expect(g.currentUsage, k).to.equal(e.latest.usage);
      expect(g.maxCapacity, k).to.equal(e.latest.max);
      expect(g.utilisation!, k).to.be.closeTo(100 * u, 1e-9);
      expect(g.status, k).to.equal(level(e.latest));
      expect(g.peakAt, k).to.equal(e.peak!.t);
      expect(g.peakUtilisation!, k).to.be.closeTo((100 * e.peak!.usage) / e.peak!.max, 1e-9);
      expect(g.peakSamples, k).to.equal(e.peakTies);
      expect(g.samples, k).to.equal(e.window.length);
      expect(g.warningSamples, k).to.equal(e.window.filter((s) => s.usage / s.max >= s.warn).length);
      expect(g.criticalSamples, k).to.equal(e.window.filter((s) => s.usage / s.max >= s.crit).length);
      // Shown: status in words, the value with its unit, the peak, all in the button's name too.
      const c = card(el, res, env);
      const status = { ok: 'OK', warning: 'Warning', critical: 'Critical', unknown: 'No capacity set' }[level(e.latest)];
      expect(c.dataset.status).to.equal(level(e.latest));
      expect(text(c.querySelector('.status-text'))).to.equal(status);
      expect(c.querySelector(`.status-icon.status-${level(e.latest)}`)).to.exist;
      const figure = `${nf.format(e.latest.usage)} / ${nf.format(e.latest.max)} ${e.latest.unit}, ${pf.format(100 * u)} %`;
      expect(text(c.querySelector('.figure'))).to.equal(`${figure}.`);
      expect(text(c.querySelector('.peak'))).to.contain(`Peak ${pf.format((100 * e.peak!.usage) / e.peak!.max)} % (${level(e.peak!)})`);
      const button = c.querySelector('.gauge-button')!;
      const name = nameOf(button);
      const label = { api_rate_limit: 'API rate limit', compute: 'Compute', memory: 'Memory', tokens_per_min: 'Tokens per minute' }[res];
      expect(name.startsWith(`${label}, ${env}: Status ${status}. `), name).to.equal(true);
      expect(name)
        .to.contain(`${figure}.`)
        .and.contain(`Peak ${pf.format((100 * e.peak!.usage) / e.peak!.max)} %`);
      const described = button
        .getAttribute('aria-describedby')!
        .split(' ')
        .map((id) => text(root(el).getElementById(id)));
      expect(described[0])
        .to.contain(`Warning at ${pf.format(100 * e.latest.warn)} %`)
        .and.contain(`critical at ${pf.format(100 * e.latest.crit)} %`);
      // Zones from the thresholds: three, the critical one cross-hatched.
      expect(c.querySelectorAll('.zone')).to.have.length(3);
      expect(c.querySelector('.zone-critical + .zone-texture')!.getAttribute('fill')).to.match(/^url\(#.+-critical\)$/);
    }
    // The demo crosses both thresholds in the window (some resource at warning, some at critical).
    const all = [...want.byKey.values()].flatMap((e) => e.window);
    expect(all.some((s) => level(s) === 'warning')).to.equal(true);
    expect(all.some((s) => level(s) === 'critical')).to.equal(true);
    // Table view / CSV: every resource × environment.
    expect(frameOf(el).rows).to.have.length(want.byKey.size);
    const csv = frameOf(el)
      .csv()
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/);
    expect(csv[0]).to.equal(
      'Resource,Environment,Status,Utilisation %,Current usage,Max capacity,Unit,Sampled at (UTC),Peak utilisation %,Peak usage,Peak at (UTC),Warning threshold %,Critical threshold %,Samples in period,Samples at warning or above,Samples at critical',
    );
    expect(csv[1].split(',').slice(0, 2)).to.deep.equal(['API rate limit', 'production']);
    // PNG: one board holding every shown gauge.
    const board = frameOf(el).pngTarget!()!;
    expect(board.querySelectorAll('svg.gauge-svg')).to.have.length(cards(el).length);
    expect(board.getBoundingClientRect().width).to.be.greaterThan(0);
    const png = await svgToPng(board, { scale: 1 });
    expect(png.type).to.equal('image/png');
    expect(png.size).to.be.greaterThan(1000);
    await expect(el).to.be.accessible();
  });

  it('environments: production by default, the selector switches, "All" groups every environment; the table lists all', async () => {
    const want = await independent(30, []);
    const el = await real(defaultFilters({ environments: [] }));
    expect(el.environments).to.deep.equal(['production', 'staging', 'development']);
    // The chart's own "Filters" panel offers the environment only (capacity is fleet-level).
    expect((root(el).querySelector('usage-chart-filters') as unknown as { fields: string[] }).fields).to.deep.equal(['environments']);
    expect(new Set(cards(el).map((c) => c.dataset.environment))).to.deep.equal(new Set(['production']));
    expect(frameOf(el).rows).to.have.length(want.byKey.size);
    const btn = (e: string) => root(el).querySelector<HTMLButtonElement>(`[part="environment-select"] button[data-environment="${e}"]`)!;
    expect(btn('production').getAttribute('aria-pressed')).to.equal('true');
    btn('staging').click();
    await elementUpdated(el);
    expect(el.environment).to.equal('staging');
    expect(el.getAttribute('environment')).to.equal('staging');
    expect(cards(el).every((c) => c.dataset.environment === 'staging')).to.equal(true);
    const g = want.byKey.get('memory|staging')!;
    expect(card(el, 'memory', 'staging').dataset.status).to.equal(level(g.latest));
    btn('all').click();
    await elementUpdated(el);
    expect(cards(el)).to.have.length(want.byKey.size);
    expect([...root(el).querySelectorAll('.env-group h3')].map(text)).to.deep.equal(['Production', 'Staging', 'Development']);
    await expect(el).to.be.accessible();
  });

  it('the variant toggle switches radial ↔ bullet and reflects `variant`', async () => {
    const el = await real();
    expect(root(el).querySelectorAll('svg.gauge-svg.radial')).to.have.length(cards(el).length);
    const toggle = (v: string) => root(el).querySelector<HTMLButtonElement>(`[part="variant-toggle"] button[data-variant="${v}"]`)!;
    toggle('bullet').click();
    await elementUpdated(el);
    expect(el.variant).to.equal('bullet');
    expect(el.getAttribute('variant')).to.equal('bullet');
    expect(toggle('bullet').getAttribute('aria-pressed')).to.equal('true');
    expect(root(el).querySelectorAll('svg.gauge-svg.bullet')).to.have.length(cards(el).length);
    expect(root(el).querySelector('svg.gauge-svg.radial')).to.equal(null);
    // The peak tick sits at the peak's place on the bar.
    const g = el.gauges![0];
    const c = card(el, g.resourceType, g.environment);
    const x = Number(c.querySelector('.peak-line')!.getAttribute('x1'));
    expect(x).to.be.closeTo(10 + (240 * Math.min(100, g.peakUtilisation!)) / 100, 0.01);
    await expect(el).to.be.accessible();
    toggle('radial').click();
    await elementUpdated(el);
    expect(el.getAttribute('variant')).to.equal('radial');
    // The attribute sets it too.
    const b = await real(defaultFilters(), { variant: 'bullet' });
    expect(root(b).querySelectorAll('svg.gauge-svg.bullet')).to.have.length(cards(b).length);
  });

  it('click → drill-down event and the utilisation over time with threshold lines, mean and max, breaches marked (equal to an independent count)', async () => {
    const want = await independent();
    const el = await real();
    const res = 'api_rate_limit';
    const e = want.byKey.get(`${res}|production`)!;
    setTimeout(() => card(el, res).querySelector<HTMLButtonElement>('.gauge-button')!.click());
    const ev = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    expect(ev.bubbles && ev.composed && ev.cancelable).to.equal(true);
    expect(ev.detail).to.deep.equal({
      kind: 'capacity-resource',
      resourceType: res,
      environment: 'production',
      filters: defaultFilters(),
    } as CapacityResourceDrilldown);
    await openDetail(el);
    expect(card(el, res).querySelector('.gauge-button')!.getAttribute('aria-expanded')).to.equal('true');
    // Day buckets of the window's samples, in plain code.
    const days = new Map<number, Sample[]>();
    for (const s of e.window) days.set(Math.floor(s.t / DAY) * DAY, [...(days.get(Math.floor(s.t / DAY) * DAY) ?? []), s]);
    const v = el.series!;
    expect(v.bucket).to.equal('day');
    expect(v.points.map((p) => p.t)).to.deep.equal([...days.keys()].sort((a, b) => a - b));
    for (const p of v.points) {
      const ss = days.get(p.t)!;
      expect(p.max).to.be.closeTo(Math.max(...ss.map((s) => (100 * s.usage) / s.max)), 1e-9);
      expect(p.avg).to.be.closeTo(ss.reduce((a, s) => a + (100 * s.usage) / s.max, 0) / ss.length, 1e-9);
    }
    const warnDays = [...days.values()].filter((ss) => ss.some((s) => s.usage / s.max >= s.warn)).length;
    const critDays = [...days.values()].filter((ss) => ss.some((s) => s.usage / s.max >= s.crit)).length;
    expect([v.warningBuckets, v.criticalBuckets]).to.deep.equal([warnDays, critDays]);
    expect(critDays).to.be.greaterThan(0);
    // Threshold lines at the thresholds; breach marks drawn; mean and max lines.
    const svg = root(el).querySelector('.detail-plot svg')!;
    const y = el.detailLayout!.y;
    expect(Number(svg.querySelector('line.threshold-warning')!.getAttribute('y1'))).to.be.closeTo(y(100 * e.latest.warn), 0.11);
    expect(Number(svg.querySelector('line.threshold-critical')!.getAttribute('y1'))).to.be.closeTo(y(100 * e.latest.crit), 0.11);
    expect(svg.querySelector('path.series-mean')!.getAttribute('d')).to.match(/^M/);
    expect(svg.querySelector('path.series-max')!.getAttribute('d')).to.match(/^M/);
    expect((svg.querySelector('path.breach-critical')!.getAttribute('d')!.match(/M/g) ?? []).length).to.equal(critDays);
    expect(svg.getAttribute('role')).to.equal('img');
    expect(text(root(el).querySelector('.detail-summary'))).to.contain(`${critDays} the critical threshold`);
    await expect(el).to.be.accessible();
    // The detail's keyboard: one tab stop; arrows show each bucket's values (announced), End the last; Escape hides, then closes.
    const plot = root(el).querySelector<HTMLElement>('.detail-plot')!;
    plot.focus();
    await sendKeys({ press: 'ArrowRight' });
    await elementUpdated(el);
    const tip = () => root(el).querySelector('[role="tooltip"]');
    const first = [...days.keys()].sort((a, b) => a - b)[0];
    const firstMax = Math.max(...days.get(first)!.map((s) => (100 * s.usage) / s.max));
    expect(text(tip())).to.contain(`Max ${pf.format(firstMax)} %`);
    expect(text(root(el).querySelector('[role="status"]'))).to.contain(`Samples ${days.get(first)!.length}`);
    await sendKeys({ press: 'End' });
    await elementUpdated(el);
    const last = [...days.keys()].sort((a, b) => b - a)[0];
    expect(text(root(el).querySelector('[role="status"]'))).to.contain(`Samples ${days.get(last)!.length}`);
    expect(Number(svg.querySelector('line.detail-rule')!.getAttribute('x1'))).to.be.closeTo(el.detailLayout!.x(last + DAY / 2), 0.11);
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(tip()).to.equal(null);
    expect(root(el).querySelector('[part="detail"]')).to.exist;
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(root(el).querySelector('[part="detail"]')).to.equal(null);
    expect(deepActive()).to.equal(card(el, res).querySelector('.gauge-button'));
    card(el, res).querySelector<HTMLButtonElement>('.gauge-button')!.click();
    await openDetail(el);
    // A second click closes it.
    card(el, res).querySelector<HTMLButtonElement>('.gauge-button')!.click();
    await elementUpdated(el);
    expect(root(el).querySelector('[part="detail"]')).to.equal(null);
  });

  it('keyboard: Tab reaches the gauges (one stop, arrows inside), Enter/Space open the detail, Escape closes it and returns focus; a vetoed drill-down keeps it closed', async () => {
    const el = await real();
    frameOf(el).shadowRoot!.querySelector<HTMLButtonElement>('[part~="fullscreen-button"]')!.focus();
    let guard = 0;
    while (!(deepActive() as HTMLElement | null)?.classList?.contains('gauge-button') && guard++ < 20) await sendKeys({ press: 'Tab' });
    const first = deepActive() as HTMLButtonElement;
    expect(first.classList.contains('gauge-button')).to.equal(true);
    await sendKeys({ press: 'Enter' });
    await openDetail(el);
    expect(first.getAttribute('aria-expanded')).to.equal('true');
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(root(el).querySelector('[part="detail"]')).to.equal(null);
    expect(deepActive()).to.equal(first);
    await sendKeys({ press: 'Space' });
    await elementUpdated(el);
    expect(root(el).querySelector('[part="detail"]')).to.exist;
    // Escape from inside the panel (its Close button) returns to the gauge too.
    root(el).querySelector<HTMLButtonElement>('[part="detail-close"]')!.focus();
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(deepActive()).to.equal(first);
    // The gauges are one Tab stop (roving tabindex): the arrow keys go from a gauge to its "Configure alert", then the next gauge.
    await sendKeys({ press: 'ArrowRight' });
    expect((deepActive() as HTMLElement).classList.contains('alert-button')).to.equal(true);
    await sendKeys({ press: 'ArrowRight' });
    expect((deepActive() as HTMLElement).classList.contains('gauge-button')).to.equal(true);
    expect(deepActive()).not.to.equal(first);
    const stops = [...root(el).querySelectorAll<HTMLElement>('.gauge-button, .alert-button')].filter((b) => b.tabIndex === 0);
    expect(stops, 'one Tab stop for the gauges').to.deep.equal([deepActive()]);
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'ArrowLeft' });
    expect(deepActive()).to.equal(first);
    // A host's preventDefault() keeps the inline detail closed.
    el.addEventListener('usage-drilldown', (e) => e.preventDefault(), { once: true });
    first.click();
    await elementUpdated(el);
    expect(root(el).querySelector('[part="detail"]')).to.equal(null);
  });

  it('"Configure alert" emits usage-request-capacity-alert with the thresholds, utilisation and unit', async () => {
    const want = await independent();
    const el = await real();
    const e = want.byKey.get('memory|production')!;
    setTimeout(() => card(el, 'memory').querySelector<HTMLButtonElement>('.alert-button')!.click());
    const ev = (await oneEvent(el, 'usage-request-capacity-alert')) as UsageRequestCapacityAlertEvent;
    expect(ev.bubbles && ev.composed).to.equal(true);
    const d = ev.detail;
    expect(d).to.deep.include({
      resourceType: 'memory',
      environment: 'production',
      unit: e.latest.unit,
      currentUsage: e.latest.usage,
      maxCapacity: e.latest.max,
      status: level(e.latest),
      at: new Date(e.latest.t).toISOString(),
    });
    expect(d.warningThreshold).to.be.closeTo(100 * e.latest.warn, 1e-9);
    expect(d.criticalThreshold).to.be.closeTo(100 * e.latest.crit, 1e-9);
    expect(d.utilisation!).to.be.closeTo((100 * e.latest.usage) / e.latest.max, 1e-9);
    expect(d.filters).to.deep.equal(defaultFilters());
    expect(root(el).querySelector('[part="detail"]')).to.equal(null);
  });
});

// ---- a stand-in client: states, hostile strings, edge values

const gauge = (over: Partial<CapacityGauge> = {}): CapacityGauge => ({
  resourceType: 'api_rate_limit',
  environment: 'production',
  at: Date.UTC(2026, 9, 31, 23),
  currentUsage: 812,
  maxCapacity: 1000,
  utilisation: 81.2,
  warningThreshold: 75,
  criticalThreshold: 90,
  status: 'warning',
  unit: 'req/min',
  peakUtilisation: 95,
  peakAt: Date.UTC(2026, 9, 5, 14),
  peakUsage: 950,
  peakCapacity: 1000,
  peakStatus: 'critical',
  peakSamples: 1,
  samples: 720,
  warningSamples: 40,
  criticalSamples: 3,
  ...over,
});

async function standIn(answer: () => unknown, series: () => unknown = () => []) {
  const wrap = await fixture<HTMLDivElement>(
    html`<div style="width: 900px">
      <usage-capacity-gauges locale="en-US" .client=${chartClient({ capacityUtilisation: answer, capacitySeries: series })}></usage-capacity-gauges>
    </div>`,
  );
  return wrap.querySelector('usage-capacity-gauges')!;
}

describe('<usage-capacity-gauges> with a stand-in client', () => {
  it('shows loading, empty and error (Retry re-runs), each accessible', async () => {
    const loading = await standIn(() => new Promise(() => undefined));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await standIn(() => []);
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

  it('paints from the snapshot’s precomputed rows before the query answers (when the exporter ships them)', async () => {
    const wrap = await fixture<HTMLDivElement>(
      html`<div style="width: 900px">
        <usage-capacity-gauges .client=${chartClient({}, { capacityUtilisation: [gauge()] })}></usage-capacity-gauges>
      </div>`,
    );
    const el = wrap.querySelector('usage-capacity-gauges')!;
    await waitUntil(() => cards(el).length === 1, 'no first paint');
    expect(frameOf(el).state).to.equal('ready');
  });

  it('the example of the issue: "812 / 1,000 req/min, 81 %", peak with its time; no capacity and no peak said in words; above capacity widens the scale', async () => {
    const el = await standIn(() => [
      gauge(),
      gauge({
        resourceType: 'compute',
        unit: 'vCPU',
        maxCapacity: 0,
        utilisation: null,
        status: 'unknown',
        currentUsage: 3,
        peakUtilisation: null,
        peakAt: null,
        peakUsage: null,
        peakCapacity: null,
        peakStatus: null,
        peakSamples: 0,
        samples: 0,
      }),
      gauge({
        resourceType: 'memory',
        unit: 'GiB',
        currentUsage: 300,
        maxCapacity: 256,
        utilisation: 117.1875,
        status: 'critical',
        peakUtilisation: 117.1875,
        peakSamples: 2,
      }),
    ]);
    await waitUntil(() => cards(el).length === 3);
    const api = card(el, 'api_rate_limit');
    expect(text(api.querySelector('.figure'))).to.equal('812 / 1,000 req/min, 81 %.');
    expect(text(api.querySelector('.peak'))).to.equal('Peak 95 % (critical): 950 / 1,000 req/min, Oct 5, 2026, 14:00 UTC.');
    expect(text(api.querySelector('.thresholds'))).to.equal('Warning at 75 % (750 req/min), critical at 90 % (900 req/min)');
    const compute = card(el, 'compute');
    expect(text(compute.querySelector('.status-text'))).to.equal('No capacity set');
    expect(text(compute.querySelector('.peak'))).to.equal('No samples in this period.');
    expect(compute.querySelector('.needle')).to.equal(null);
    const mem = card(el, 'memory');
    expect(text(mem.querySelector('.peak'))).to.contain('reached 2 times');
    expect([...mem.querySelectorAll('.end-label')].map(text)).to.deep.equal(['0', '120']);
    await expect(el).to.be.accessible();
  });

  it('renders hostile resource types, environments and units as inert text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">' + 'x'.repeat(200) + ' وحدة';
    const el = await standIn(
      () => [gauge({ unit: hostile }), gauge({ resourceType: hostile, environment: hostile, unit: hostile })],
      () => [
        {
          resourceType: hostile,
          environment: hostile,
          t: Date.UTC(2026, 9, 30),
          samples: 24,
          avgUtilisation: 60,
          maxUtilisation: 92,
          breaches: 3,
          criticalBreaches: 1,
        },
      ],
    );
    await waitUntil(() => cards(el).length > 0);
    expect(text(card(el, 'api_rate_limit').querySelector('.figure'))).to.equal(`812 / 1,000 ${hostile}, 81 %.`);
    root(el).querySelector<HTMLButtonElement>(`[part="environment-select"] button[data-environment="all"]`)!.click();
    await elementUpdated(el);
    const h = cards(el).find((c) => c.dataset.resource === hostile)!;
    expect(text(h.querySelector('.gauge-title'))).to.equal(`${hostile}, ${hostile}:`);
    expect(nameOf(h.querySelector('.gauge-button')!)).to.contain(hostile);
    setTimeout(() => h.querySelector<HTMLButtonElement>('.alert-button')!.click());
    const ev = (await oneEvent(el, 'usage-request-capacity-alert')) as UsageRequestCapacityAlertEvent;
    expect([ev.detail.resourceType, ev.detail.environment, ev.detail.unit]).to.deep.equal([hostile, hostile, hostile]);
    h.querySelector<HTMLButtonElement>('.gauge-button')!.click();
    await openDetail(el);
    expect(text(root(el).querySelector('.detail h3'))).to.contain(hostile);
    // Hover shows the bucket under the pointer; leaving hides it.
    const plot = root(el).querySelector<HTMLElement>('.detail-plot')!;
    const r = plot.querySelector('svg')!.getBoundingClientRect();
    plot.dispatchEvent(
      new PointerEvent('pointermove', { bubbles: true, composed: true, clientX: r.left + el.detailLayout!.x(Date.UTC(2026, 9, 30, 12)), clientY: r.top + 50 }),
    );
    await waitUntil(() => root(el).querySelector('[role="tooltip"]'), 'no tooltip on hover');
    expect(text(root(el).querySelector('[role="tooltip"]')))
      .to.contain('30 Oct 2026')
      .and.contain('Max 92 %')
      .and.contain('Level reached Critical');
    plot.dispatchEvent(new PointerEvent('pointerleave'));
    await waitUntil(() => !root(el).querySelector('[role="tooltip"]'), 'the tooltip stayed');
    expect(root(el).querySelector('img')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    await expect(el).to.be.accessible();
  });
});
