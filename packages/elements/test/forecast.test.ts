import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { forecast } from '@usage-analytics/forecast';
import { defaultFilters, forecastHistory, usageForecast, type Row, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC } from 'apache-arrow';
import '../src/index.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageForecastChart from '../src/components/forecast/forecast.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type { UsageDrilldownEvent } from '../src/events/usage-drilldown.js';
import type { UsageForecastPeriodEvent } from '../src/events/usage-forecast-period.js';
import { chartClient } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT, loadSnapshot, type LoadedSnapshot } from './helpers/snapshot.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageForecastChart) => el.shadowRoot!;
const frameOf = (el: UsageForecastChart) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const plot = (el: UsageForecastChart) => root(el).querySelector<HTMLElement>('[part="plot"]')!;
const svg = (el: UsageForecastChart) => root(el).querySelector('svg')!;
const tooltip = (el: UsageForecastChart) => root(el).querySelector<HTMLElement>('[role="tooltip"]');
const details = (el: UsageForecastChart) => root(el).querySelector<HTMLElement>('[part="details"]');
const painted = (el: UsageForecastChart) =>
  waitUntil(() => el.layout && svg(el)?.querySelector('path.actual-line') && svg(el).querySelector('path.forecast-band'), 'chart did not paint', {
    timeout: 30_000,
  });
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const END = Date.UTC(2026, 10, 1);
const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A weekly-seasonal series of `days` days ending the day before END. */
function series(days: number, scale = 1): { date: string; value: number }[] {
  return Array.from({ length: days }, (_, i) => {
    const t = END - (days - i) * DAY;
    const weekday = new Date(t).getUTCDay();
    return { date: iso(t), value: Math.round(scale * 500 * (weekday === 0 || weekday === 6 ? 0.4 : 1) * (1 + i / 400) * (1 + 0.05 * Math.sin(i))) };
  });
}

/** Answers through the modules' own transforms (the real model) over synthetic rows. */
function answering(days = 84, extras: Parameters<typeof chartClient>[2] = {}) {
  return chartClient(
    {
      usageForecast: (f: UsageFilters, params) =>
        usageForecast.transform(
          series(days, f.departments.length || f.agentIds.length ? 0.2 : 1).map((p) => ({
            key: '',
            date: p.date,
            requests: p.value,
            users: 1,
            partial: false,
          })),
          undefined as never,
          params as never,
        ),
      forecastHistory: (_f, params) => {
        const points = series(days);
        const actual = new Map(points.map((p) => [p.date, p.value]));
        const rows: Row[] = [];
        for (const k of [4, 2]) {
          const origin = iso(END - k * 7 * DAY);
          const fc = forecast(
            points.filter((p) => p.date < origin),
            { horizon: 30 },
          );
          fc.points.forEach((p, i) =>
            rows.push({
              origin,
              step: i + 1,
              ...p,
              model_type: fc.model_type,
              backtest_mape: fc.mape,
              baseline_mape: fc.baseline_mape,
              hindcast: true,
              actual: actual.get(p.date) ?? null,
            }),
          );
        }
        return forecastHistory.transform(rows, undefined as never, params as never);
      },
    },
    {},
    extras,
  );
}

async function chartWith(client: ReturnType<typeof chartClient>, props: Partial<UsageForecastChart> = {}) {
  const el = await fixture<UsageForecastChart>(
    html`<div style="width: 900px"><usage-forecast .client=${client} .filters=${defaultFilters()}></usage-forecast></div>`,
  ).then((div) => div.querySelector('usage-forecast')!);
  Object.assign(el, props);
  await elementUpdated(el);
  return el;
}

describe('<usage-forecast> with a stand-in client (real model)', () => {
  it('is accessible with data (and open details), loading, empty and in error', async () => {
    const el = await chartWith(answering());
    await painted(el);
    await expect(el).to.be.accessible();
    el.openDetails(iso(END + 3 * DAY));
    await waitUntil(() => details(el));
    await expect(el).to.be.accessible();
    const loading = await chartWith(chartClient({}));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await chartWith(chartClient({ usageForecast: () => usageForecast.transform([], undefined as never, { horizon: 30 }) }));
    await waitUntil(() => frameOf(empty).state === 'empty');
    await expect(empty).to.be.accessible();
    const failed = await chartWith(
      chartClient({ usageForecast: () => Promise.reject(Object.assign(new Error('query failed: boom'), { code: 'query_failed' })) }),
    );
    await waitUntil(() => frameOf(failed).state === 'error');
    await expect(failed).to.be.accessible();
  });

  it('draws the history, the forecast with nested 95 % and 80 % bands, the origin rule and the picked past forecast', async () => {
    const el = await chartWith(answering());
    await painted(el);
    const bands = [...svg(el).querySelectorAll('g.forecast')].map((g) => g.getAttribute('data-key'));
    expect(bands).to.deep.equal(['band-95', 'band-80']);
    expect(svg(el).querySelectorAll('path.forecast-line')).to.have.length(2);
    expect(svg(el).querySelector('line.origin-rule')).to.exist;
    // Default comparison: the newest past forecast with four weeks observed (made 4 weeks ago), with its band.
    expect([...svg(el).querySelectorAll('g.past-forecast')].map((g) => g.getAttribute('data-origin'))).to.deep.equal([iso(END - 28 * DAY)]);
    expect(svg(el).querySelector('g.past-forecast path.past-band')).to.exist;
    expect(el.layout!.days).to.have.length(84 + 30);
    expect(el.layout!.historyCount).to.equal(84);
    const pick = root(el).querySelector<HTMLSelectElement>('[part="past-select"]')!;
    pick.value = 'all';
    pick.dispatchEvent(new Event('change'));
    await waitUntil(() => svg(el).querySelectorAll('g.past-forecast').length === 2);
    expect(svg(el).querySelector('g.past-forecast path.past-band')).to.equal(null);
  });

  it('horizon buttons (30 / 60 / 90) re-run the forecast; scope and key pickers narrow the filters', async () => {
    const client = answering(84, { departments: ['engineering', 'sales'] });
    const el = await chartWith(client);
    await painted(el);
    const buttons = [...root(el).querySelectorAll<HTMLButtonElement>('[part="horizon-button"]')];
    expect(buttons.map((b) => b.getAttribute('aria-pressed'))).to.deep.equal(['true', 'false', 'false']);
    buttons[2].focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.layout?.days.length === 84 + 90, 'no 90-day forecast');
    expect((client.runs.at(-1)!.params as { horizon: number }).horizon).to.equal(90);
    expect(buttons.map((b) => b.getAttribute('aria-pressed'))).to.deep.equal(['false', 'false', 'true']);
    expect(
      frameOf(el)
        .csv()
        .trim()
        .split('\n')
        .filter((l) => l.includes(',forecast,')),
    ).to.have.length(90);

    const scope = root(el).querySelector<HTMLSelectElement>('[part="scope-select"]')!;
    scope.value = 'department';
    scope.dispatchEvent(new Event('change'));
    await waitUntil(() => frameOf(el).state === 'empty', 'asks for a department');
    await waitUntil(() => root(el).querySelectorAll('[part="key-select"] option').length === 3);
    const key = root(el).querySelector<HTMLSelectElement>('[part="key-select"]')!;
    key.value = 'sales';
    key.dispatchEvent(new Event('change'));
    await waitUntil(() => client.runs.some((r) => r.module === 'usageForecast' && r.filters.departments.includes('sales')), 'no department forecast');
    await painted(el);
    const hist = client.runs.filter((r) => r.module === 'forecastHistory').at(-1)!;
    expect(hist.params).to.deep.equal({ scope: 'department', key: 'sales' });
    expect(frameOf(el).csv().split('\n')[1]).to.contain('Department sales');
  });

  it('keyboard: ←/→ move through the days with the tooltip (bands on forecast days); Enter opens the details; Escape clears', async () => {
    const el = await chartWith(answering());
    await painted(el);
    plot(el).focus();
    await waitUntil(() => tooltip(el));
    expect(text(tooltip(el))).to.contain(new Date(END - DAY).toUTCString().slice(5, 16).replace(/^0/, ''));
    const s = el.series!;
    expect(text(tooltip(el))).to.contain(`Requests ${nf.format(s.history.at(-1)!.value)}`);
    expect(plot(el).getAttribute('aria-describedby')).to.contain(tooltip(el)!.id);
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    const p = s.forecast.points[1];
    await waitUntil(() => text(tooltip(el)).includes('2 d ahead'));
    expect(text(tooltip(el))).to.contain(`80 % band ${nf.format(p.lower80)}–${nf.format(p.upper80)}`);
    expect(text(tooltip(el))).to.contain(`95 % band ${nf.format(p.lower95)}–${nf.format(p.upper95)}`);
    expect(text(tooltip(el))).to.contain(`Model ${s.forecast.model_type}, backtest MAPE ${s.forecast.mape!.toFixed(1)} %`);
    expect(text(root(el).querySelector('[role="status"]'))).to.contain('forecast');

    const opened = oneEvent(el, 'usage-forecast-period') as Promise<UsageForecastPeriodEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await opened).detail).to.deep.equal({ date: p.date, scope: 'fleet', key: '' });
    await waitUntil(() => details(el) && root(el).activeElement === details(el), 'details not focused');
    const d = text(details(el));
    for (const label of ['Method', 'Trend', 'Weekly seasonality', 'Yearly seasonality', 'Backtest accuracy', 'Prediction bands', 'Training data'])
      expect(d, label).to.contain(label);
    expect(d).to.contain(`MAPE ${s.forecast.mape!.toFixed(1)} %`);
    expect(d).to.contain(`${s.forecast.baseline_mape!.toFixed(1)} % for the seasonal-naive baseline`);
    expect(d).to.contain(`${nf.format(p.predicted)} requests predicted`);
    expect(d).to.match(/Busiest \w+days/);
    root(el).querySelector<HTMLButtonElement>('[part="details-close"]')!.click();
    await waitUntil(() => !details(el) && root(el).activeElement === plot(el));

    // Home: the first day (history): Enter drills into its requests.
    await sendKeys({ press: 'Home' });
    const drill = oneEvent(el, 'usage-drilldown') as Promise<UsageDrilldownEvent>;
    await sendKeys({ press: 'Enter' });
    const detail = (await drill).detail;
    expect(detail.kind).to.equal('time-bucket');
    expect(detail.kind === 'time-bucket' && detail.bucketStart).to.equal(new Date(END - 84 * DAY).toISOString());
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !tooltip(el));
  });

  it('in a time zone, Enter on a history day drills into the instants of its local midnights', async () => {
    const el = await chartWith(answering(), { timeZone: 'America/New_York' });
    await painted(el);
    plot(el).focus();
    await waitUntil(() => tooltip(el));
    await sendKeys({ press: 'Home' });
    const drill = oneEvent(el, 'usage-drilldown') as Promise<UsageDrilldownEvent>;
    await sendKeys({ press: 'Enter' });
    const detail = (await drill).detail;
    expect(detail.kind).to.equal('time-bucket');
    // 2026-08-09 in New York (EDT, UTC−4): 04:00Z to 04:00Z the next day.
    const first = END - 84 * DAY;
    expect(iso(first)).to.equal('2026-08-09');
    if (detail.kind !== 'time-bucket') return;
    expect([detail.bucketStart, detail.bucketEnd]).to.deep.equal([
      new Date(first + 4 * 3_600_000).toISOString(),
      new Date(first + DAY + 4 * 3_600_000).toISOString(),
    ]);
    expect(detail.filters.timeRange).to.deep.equal({ preset: 'custom', start: detail.bucketStart, end: detail.bucketEnd });
  });

  it('a click on a forecast day opens its details; the past-forecast table reports realised accuracy', async () => {
    const el = await chartWith(answering());
    await painted(el);
    const layout = el.layout!;
    const box = svg(el).getBoundingClientRect();
    const { x, y } = layout.anchor(layout.historyCount + 9);
    svg(el).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: box.left + x, clientY: box.top + y }));
    await waitUntil(() => details(el));
    expect(text(details(el))).to.contain('10 days ahead');
    const rows = [...root(el).querySelectorAll('[part="accuracy"] tbody tr')];
    expect(rows.map((r) => r.getAttribute('data-origin'))).to.deep.equal([iso(END - 14 * DAY), iso(END - 28 * DAY)]);
    // Independently: the 4-week-old forecast against the series.
    const actual = new Map(series(84).map((p) => [p.date, p.value]));
    const fc = forecast(
      series(84).filter((p) => p.date < iso(END - 28 * DAY)),
      { horizon: 30 },
    );
    const observed = fc.points.filter((p) => actual.has(p.date));
    const mape = (100 * observed.reduce((a, p) => a + Math.abs(actual.get(p.date)! - p.predicted) / actual.get(p.date)!, 0)) / observed.length;
    const cells = [...rows[1].querySelectorAll('td')].map(text);
    expect(cells[1]).to.equal(String(observed.length));
    expect(cells[2]).to.equal(`${mape.toFixed(1)} %`);
  });

  it('renders hostile department and agent names as inert text', async () => {
    const hostile = '<img src=x onerror="window.__pwnedForecast=1">';
    const client = answering(84, { departments: [hostile, 'sales'] });
    const el = await chartWith(client, { scope: 'department', scopeKey: hostile });
    await painted(el);
    expect(root(el).querySelector('img')).to.equal(null);
    expect(frameOf(el).shadowRoot!.querySelector('img')).to.equal(null);
    const options = [...root(el).querySelectorAll<HTMLOptionElement>('[part="key-select"] option')].map((o) => o.textContent);
    expect(options).to.include(hostile);
    el.openDetails(el.series!.forecast.points[0].date);
    await waitUntil(() => details(el));
    expect(text(details(el))).to.contain(`Department ${hostile}`);
    expect(root(el).querySelector('img')).to.equal(null);
    expect((window as unknown as { __pwnedForecast?: number }).__pwnedForecast).to.equal(undefined);
    expect(client.runs.filter((r) => r.module === 'usageForecast').at(-1)!.filters.departments).to.deep.equal([hostile]);
  });
});

/** Requests per UTC day under the default filters, optionally of one department or agent, over the snapshot's days. */
function plainDaily(snap: LoadedSnapshot, keep: (r: LoadedSnapshot['requests'][number]) => boolean = () => true): Map<string, number> {
  const out = new Map<string, number>();
  const start = Date.parse(snap.manifest.time_range.start);
  for (let d = start; d < snap.end; d += DAY) out.set(iso(d), 0);
  for (const r of snap.requests) {
    if (r.environment !== 'production' || !snap.activeAgents.has(r.agent) || !keep(r)) continue;
    const k = iso(r.t);
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
}

async function historyTable(): Promise<Record<string, unknown>[]> {
  const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string }> };
  const res = await fetch(new URL(manifest.tables.forecast_history.file, new URL(SNAPSHOT, location.href)).href);
  return [...tableFromIPC(new Uint8Array(await res.arrayBuffer()))].map((r) => r.toJSON());
}

describe('<usage-forecast> over the real snapshot', () => {
  it('fleet: the history equals an independent count; past forecasts from forecast_history with their realised MAPE and coverage', async () => {
    const snap = await loadSnapshot();
    const expected = plainDaily(snap);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-forecast></usage-forecast></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-forecast')!;
    await waitUntil(() => frameOf(el)?.state === 'ready', 'chart did not render', { timeout: 90_000, interval: 50 });
    await painted(el);
    await el.settled();
    const s = el.series!;
    expect(s.history.map((d) => [d.date, d.value])).to.deep.equal([...expected]);
    expect(s.forecast.points).to.have.length(30);
    expect(s.forecast.points[0].date).to.equal('2026-11-01');

    // CSV: every history day with its count, then 30 forecast days with their bands.
    const csv = frameOf(el).csv().trim().split('\n');
    expect(csv[0]).to.equal('date,scope,kind,request_count,forecast_value,lower80,upper80,lower95,upper95,model_type');
    const hist = csv.slice(1).filter((l) => l.split(',')[2] === 'history');
    expect(hist.map((l) => [l.split(',')[0], Number(l.split(',')[3])])).to.deep.equal([...expected]);
    expect(csv.slice(1).filter((l) => l.split(',')[2] === 'forecast')).to.have.length(30);

    // The accuracy table: every past fleet origin, realised MAPE and 95 % coverage from the arrow rows and the plain count.
    const rows = (await historyTable()).filter((r) => r.scope_kind === 'fleet' && String(r.origin) < '2026-11-01');
    const origins = [...new Set(rows.map((r) => String(r.origin)))].sort().reverse();
    expect(origins.length).to.be.greaterThan(5);
    await waitUntil(() => root(el).querySelectorAll('[part="accuracy"] tbody tr').length === origins.length, 'no accuracy table', { timeout: 30_000 });
    const trs = [...root(el).querySelectorAll('[part="accuracy"] tbody tr')];
    expect(trs.map((t) => t.getAttribute('data-origin'))).to.deep.equal(origins);
    for (const [i, origin] of origins.entries()) {
      const mine = rows.filter((r) => r.origin === origin && expected.has(String(r.date)));
      let ape = 0;
      let n = 0;
      let in95 = 0;
      for (const r of mine) {
        const a = expected.get(String(r.date))!;
        if (a > 0) {
          ape += Math.abs(a - Number(r.predicted)) / a;
          n++;
        }
        if (a >= Number(r.lower95) && a <= Number(r.upper95)) in95++;
      }
      const cells = [...trs[i].querySelectorAll('td')].map(text);
      expect(cells[1], origin).to.equal(String(mine.length));
      expect(cells[2], origin).to.equal(`${((100 * ape) / n).toFixed(1)} %`);
      expect(cells[4], origin).to.equal(`${((100 * in95) / mine.length).toFixed(1)} %`);
    }
    expect(svg(el).querySelectorAll('g.past-forecast').length).to.equal(1);
    await expect(provider).to.be.accessible();
  });

  it('Level 3: a fixed agent scope forecasts that agent (history equals its plain count) without a scope picker', async () => {
    const snap = await loadSnapshot();
    const counts = new Map<string, number>();
    for (const r of snap.requests) if (r.environment === 'production' && snap.activeAgents.has(r.agent)) counts.set(r.agent, (counts.get(r.agent) ?? 0) + 1);
    const agent = [...counts].sort((a, b) => b[1] - a[1])[0][0];
    const expected = plainDaily(snap, (r) => r.agent === agent);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-forecast scope="agent" scope-key=${agent} fixed-scope horizon="60"></usage-forecast></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-forecast')!;
    await waitUntil(() => frameOf(el)?.state === 'ready', 'chart did not render', { timeout: 90_000, interval: 50 });
    await painted(el);
    expect(root(el).querySelector('[part="scope-select"]')).to.equal(null);
    expect(el.series!.history.map((d) => [d.date, d.value])).to.deep.equal([...expected]);
    expect(el.series!.forecast.points).to.have.length(60);
    expect(plot(el).getAttribute('aria-label')).to.contain(`Agent ${agent}`);
  });
});
