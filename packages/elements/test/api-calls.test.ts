import { lazyPartsLoaded } from '../src/internal/lazy.js';
import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import '../src/index.js';
import type UsageApiCalls from '../src/components/api-calls/api-calls.component.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type { UsageDrilldownEvent } from '../src/events/usage-drilldown.js';
import type { UsageSeriesToggleEvent } from '../src/events/usage-series-toggle.js';
import type { UsageZoomEvent } from '../src/events/usage-zoom.js';
import { swatchFor, sortDomain } from '../src/internal/palette.js';
import { DAY, END, chartClient, makeCalls, makeForecast, never } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, SNAPSHOT, callsByDayAndDepartment, loadSnapshot } from './helpers/snapshot.js';

/** Waits (a few frames at most) for the keyboard tooltip to show the day `t`, then checks it. */
async function titleMoves(el: UsageApiCalls, t: number): Promise<void> {
  const title = () => text(tooltip(el)?.querySelector('.tooltip-title') ?? null);
  await waitUntil(() => title() === dayTitle(el, t), `the tooltip did not move to ${dayTitle(el, t)}`, { timeout: 2_000 }).catch(() => undefined);
  expect(title()).to.equal(dayTitle(el, t));
}

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** A day bucket's title as the chart writes it: Intl in the chart's locale (en-US in the test browser). */
const dayTitle = (el: { activeLocale: string }, d: number) =>
  new Intl.DateTimeFormat(el.activeLocale, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
const root = (el: UsageApiCalls) => el.shadowRoot!;
const frameOf = (el: UsageApiCalls) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const frameRoot = (el: UsageApiCalls) => frameOf(el).shadowRoot!;
const plot = (el: UsageApiCalls) => root(el).querySelector<HTMLElement>('[part="plot"]')!;
const svg = (el: UsageApiCalls) => root(el).querySelector('svg')!;
const areas = (el: UsageApiCalls) => [...svg(el).querySelectorAll<SVGPathElement>('path.area')];
const lines = (el: UsageApiCalls) => [...svg(el).querySelectorAll<SVGPathElement>('path.line')];
const legendToggles = (el: UsageApiCalls) => [...root(el).querySelectorAll<HTMLButtonElement>('[part="legend-toggle"]')];
const tooltip = (el: UsageApiCalls) => root(el).querySelector<HTMLElement>('[role="tooltip"]');
const painted = async (el: UsageApiCalls) => {
  await waitUntil(() => el.layout && (areas(el).length > 0 || lines(el).length > 0 || svg(el).querySelector('image.raster')), 'chart did not paint', {
    timeout: 20_000,
  });
  await lazyPartsLoaded(); // the brush (drag-to-zoom, click) binds once d3-brush has loaded
};

const KEYS = ['engineering', 'support', 'sales'];
const CALLS = makeCalls(30, KEYS, (i, k) => (k === 'engineering' ? 100 + i : k === 'support' ? 50 : 10 + (i % 7)));

async function chartWith(client: ReturnType<typeof chartClient>, extra: Partial<UsageApiCalls> = {}) {
  const el = await fixture<UsageApiCalls>(
    html`<div style="width: 800px"><usage-api-calls .client=${client} .filters=${extra.filters ?? defaultFilters()}></usage-api-calls></div>`,
  ).then((div) => div.querySelector('usage-api-calls')!);
  Object.assign(el, extra);
  await elementUpdated(el);
  return el;
}

/** Answers callsOverTime with `calls` and the forecast with the total's, or each compared department's. */
const answering = (calls = CALLS, forecastLevel = 200) =>
  chartClient(
    {
      callsOverTime: () => calls,
      apiCallsForecast: (_f, p) => {
        const { horizon, departments } = p as { horizon: number; departments?: string[] };
        if (!departments) return makeForecast(horizon, forecastLevel);
        return { horizon, series: departments.map((d) => makeForecast(horizon, forecastLevel / 4, d).series[0]) };
      },
    },
    {},
    { departments: [...KEYS, 'aaa-first'] },
  );

describe('<usage-api-calls> with a stand-in client', () => {
  it('is accessible with data, loading, empty and in error', async () => {
    const el = await chartWith(answering());
    await painted(el);
    await expect(el).to.be.accessible();
    const loading = await chartWith(chartClient({}));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await chartWith(chartClient({ callsOverTime: () => makeCalls(30, KEYS, () => 0) }));
    await waitUntil(() => frameOf(empty).state === 'empty');
    await expect(empty).to.be.accessible();
    const failed = await chartWith(
      chartClient({ callsOverTime: () => Promise.reject(Object.assign(new Error('query failed: boom'), { code: 'query_failed' })) }),
    );
    await waitUntil(() => frameOf(failed).state === 'error');
    await expect(failed).to.be.accessible();
  });

  it('stacks one area per department with stable colours from the sorted snapshot domain', async () => {
    const el = await chartWith(answering());
    await painted(el);
    expect(areas(el).map((a) => a.dataset.key)).to.deep.equal(KEYS);
    const domain = sortDomain([...KEYS, 'aaa-first']);
    for (const a of areas(el)) expect(a.getAttribute('stroke')).to.equal(swatchFor(a.dataset.key!, domain).colour);
    expect(el.layout!.renderer).to.equal('svg');
    expect(legendToggles(el).map((b) => text(b.querySelector('bdi')))).to.deep.equal(KEYS);
  });

  it('shows the trend and the dashed forecast with its 80% band after the last day', async () => {
    const el = await chartWith(answering(), { forecastDays: 21 } as Partial<UsageApiCalls>);
    await waitUntil(() => svg(el).querySelector('path.forecast-line'), 'no forecast drawn');
    expect(svg(el).querySelector('path.forecast-band')).to.exist;
    expect(svg(el).querySelector('path.trend-line')).to.exist;
    expect(svg(el).querySelector('path.forecast-line')!.getAttribute('stroke-dasharray')).to.equal('6 4');
    expect(el.view[1]).to.equal(END + 21 * DAY); // the chart widens to the end of the forecast
    expect(text(root(el).querySelector('.notes'))).to.contain('next 21 days');
  });

  it('clamps the horizon to 14–30 days and asks the forecast for the compared departments', async () => {
    const client = answering();
    const el = await chartWith(client, { forecastDays: 90, compare: 'sales,support' } as Partial<UsageApiCalls>);
    const last = () => client.runs.filter((r) => r.module === 'apiCallsForecast').at(-1)?.params as { horizon: number; departments?: string[] } | undefined;
    await waitUntil(() => last()?.departments);
    const params = last()!;
    expect(params.horizon).to.equal(30);
    expect(params.departments).to.deep.equal(['sales', 'support']);
    void el;
  });

  it('draws up to five compared departments as lines instead of stacked areas', async () => {
    const el = await chartWith(answering(), { compare: 'sales, support,sales,a,b,c,d' } as Partial<UsageApiCalls>);
    await painted(el);
    expect(areas(el)).to.have.length(0);
    expect(lines(el).map((l) => l.dataset.key)).to.deep.equal(['sales', 'support', 'a', 'b', 'c']);
    expect(text(root(el).querySelector('.notes'))).to.contain('Comparing the first 5 departments (1 more ignored)');
    expect(root(el).querySelector('[part="legend"]')!.getAttribute('aria-label')).to.equal('Compared departments');
  });

  it('in comparison mode each compared department gets its own forecast, in its colour', async () => {
    const el = await chartWith(answering(), { compare: 'sales,support' } as Partial<UsageApiCalls>);
    await waitUntil(() => svg(el).querySelectorAll('g.forecast').length === 2, 'no per-department forecasts');
    const groups = [...svg(el).querySelectorAll<SVGGElement>('g.forecast')];
    expect(groups.map((g) => g.dataset.key)).to.deep.equal(['sales', 'support']);
    const domain = sortDomain([...KEYS, 'aaa-first']);
    const stroke = (groups[0].querySelector('path.forecast-line') as SVGPathElement).style.stroke;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(swatchFor('sales', domain).colour.slice(i, i + 2), 16));
    expect(stroke).to.equal(`rgb(${r}, ${g}, ${b})`);
    // Hiding a compared department hides its forecast too.
    legendToggles(el)[0].click();
    await waitUntil(() => svg(el).querySelectorAll('g.forecast').length === 1);
    expect(svg(el).querySelector<SVGGElement>('g.forecast')!.dataset.key).to.equal('support');
  });

  it('hovering shows the tooltip of the bucket and band under the pointer; leaving hides it', async () => {
    const el = await chartWith(answering(), { hideForecast: true } as Partial<UsageApiCalls>);
    await painted(el);
    const layout = el.layout!;
    const box = svg(el).getBoundingClientRect();
    const index = 7;
    const { x } = layout.anchor(index);
    const y = layout.y(CALLS.points[index].values.engineering + CALLS.points[index].values.support / 2);
    plot(el).dispatchEvent(new PointerEvent('pointermove', { clientX: box.left + x, clientY: box.top + y, bubbles: true, composed: true }));
    await elementUpdated(el);
    const tip = tooltip(el)!;
    expect(text(tip.querySelector('.tooltip-title'))).to.equal(dayTitle(el, CALLS.points[index].t));
    expect(text(tip.querySelector('tr.emphasis'))).to.equal(`support ${CALLS.points[index].values.support}`);
    expect(svg(el).querySelectorAll('.focus-dot')).to.have.length(3);
    plot(el).dispatchEvent(new PointerEvent('pointerleave', { bubbles: false }));
    await elementUpdated(el);
    expect(tooltip(el)).to.equal(null);
  });

  it('toggles a department from the legend (aria-pressed) and emits usage-series-toggle', async () => {
    const el = await chartWith(answering());
    await painted(el);
    const support = legendToggles(el)[1];
    expect(support.getAttribute('aria-pressed')).to.equal('true');
    setTimeout(() => support.click());
    const ev = (await oneEvent(el, 'usage-series-toggle')) as UsageSeriesToggleEvent;
    expect(ev.detail).to.deep.equal({ key: 'support', hidden: true, hiddenKeys: ['support'] });
    await elementUpdated(el);
    expect(support.getAttribute('aria-pressed')).to.equal('false');
    await waitUntil(() => areas(el).length === 2);
    expect(areas(el).map((a) => a.dataset.key)).to.deep.equal(['engineering', 'sales']);
    expect(frameOf(el).csv().split('\n')[0]).to.equal('bucket_start,kind,total,engineering,sales,forecast_series,forecast,forecast_lower_80,forecast_upper_80');
  });

  it("emits a department drill-down from the legend's View button", async () => {
    const filters = defaultFilters({ intents: ['code_gen'] });
    const el = await chartWith(answering(), { filters });
    await painted(el);
    const view = root(el).querySelector<HTMLButtonElement>('[data-key="sales"] [part="legend-drill"]')!;
    expect(view.getAttribute('aria-label')).to.equal('View department sales');
    setTimeout(() => view.click());
    const ev = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    expect(ev.detail).to.deep.equal({ kind: 'department', department: 'sales', filters: { ...filters, departments: ['sales'] } });
  });

  it('a click on a data point emits a time-bucket drill-down with the department under the pointer', async () => {
    const el = await chartWith(answering(), { hideForecast: true } as Partial<UsageApiCalls>);
    await painted(el);
    const layout = el.layout!;
    const index = 10;
    const { x } = layout.anchor(index);
    // A point inside the bottom band (engineering).
    const y = layout.y(CALLS.points[index].values.engineering / 2);
    const box = svg(el).getBoundingClientRect();
    const overlay = svg(el).querySelector<SVGRectElement>('.layer-interaction .overlay')!;
    const at = { clientX: box.left + x, clientY: box.top + y, bubbles: true, view: window, button: 0 };
    setTimeout(() => {
      overlay.dispatchEvent(new MouseEvent('mousedown', at));
      window.dispatchEvent(new MouseEvent('mouseup', at));
    });
    const ev = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    const t = CALLS.points[index].t;
    expect(ev.detail).to.deep.include({
      kind: 'time-bucket',
      bucket: 'day',
      department: 'engineering',
      bucketStart: new Date(t).toISOString(),
      bucketEnd: new Date(t + DAY).toISOString(),
    });
    const f = (ev.detail as { filters: UsageFilters }).filters;
    expect(f.timeRange).to.deep.equal({ preset: 'custom', start: new Date(t).toISOString(), end: new Date(t + DAY).toISOString() });
    expect(f.departments).to.deep.equal(['engineering']);
    expect(f.environments).to.deep.equal(['production']);
  });

  it('click-drag zooms (usage-zoom), Reset zoom and 0 restore, +/- zoom and Shift+arrows pan', async () => {
    const el = await chartWith(answering(), { hideForecast: true } as Partial<UsageApiCalls>);
    await painted(el);
    const layout = el.layout!;
    const box = svg(el).getBoundingClientRect();
    const overlay = svg(el).querySelector<SVGRectElement>('.layer-interaction .overlay')!;
    const x0 = layout.x(CALLS.points[5].t);
    const x1 = layout.x(CALLS.points[15].t);
    const ev = (p: number) => ({ clientX: box.left + p, clientY: box.top + layout.plot.top + 20, bubbles: true, view: window, button: 0 });
    setTimeout(() => {
      overlay.dispatchEvent(new MouseEvent('mousedown', ev(x0)));
      window.dispatchEvent(new MouseEvent('mousemove', ev((x0 + x1) / 2)));
      window.dispatchEvent(new MouseEvent('mousemove', ev(x1)));
      window.dispatchEvent(new MouseEvent('mouseup', ev(x1)));
    });
    const zoomed = (await oneEvent(el, 'usage-zoom')) as UsageZoomEvent;
    expect(zoomed.detail.zoomed).to.be.true;
    expect(zoomed.detail.source).to.equal('brush');
    expect(Math.abs(zoomed.detail.start - CALLS.points[5].t)).to.be.lessThan(DAY / 4);
    expect(Math.abs(zoomed.detail.end - CALLS.points[15].t)).to.be.lessThan(DAY / 4);
    await elementUpdated(el);
    const reset = root(el).querySelector<HTMLButtonElement>('[part="reset-zoom-button"]')!;
    expect(reset.hidden).to.be.false;
    setTimeout(() => reset.click());
    expect(((await oneEvent(el, 'usage-zoom')) as UsageZoomEvent).detail.zoomed).to.be.false;
    await elementUpdated(el);
    expect(reset.hidden).to.be.true;

    plot(el).focus();
    setTimeout(() => void sendKeys({ press: '+' }));
    const plus = (await oneEvent(el, 'usage-zoom')) as UsageZoomEvent;
    expect(plus.detail.source).to.equal('keyboard');
    expect(plus.detail.end - plus.detail.start).to.be.closeTo(15 * DAY, DAY);
    setTimeout(async () => {
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'ArrowLeft' });
      await sendKeys({ up: 'Shift' });
    });
    const pan = (await oneEvent(el, 'usage-zoom')) as UsageZoomEvent;
    expect(pan.detail.start).to.be.lessThan(plus.detail.start);
    expect(pan.detail.end - pan.detail.start).to.be.closeTo(plus.detail.end - plus.detail.start, 1);
    setTimeout(() => void sendKeys({ press: '0' }));
    expect(((await oneEvent(el, 'usage-zoom')) as UsageZoomEvent).detail.zoomed).to.be.false;
  });

  it('the plot is focusable; arrows move the tooltip (role=tooltip, aria-describedby) and Enter drills', async () => {
    const el = await chartWith(answering(), { hideForecast: true } as Partial<UsageApiCalls>);
    await painted(el);
    plot(el).focus();
    await elementUpdated(el);
    const tip = tooltip(el)!;
    expect(tip, 'tooltip follows focus').to.exist;
    expect(plot(el).getAttribute('aria-describedby')).to.contain(tip.id);
    const last = CALLS.points[CALLS.points.length - 1];
    expect(text(tip.querySelector('.tooltip-title'))).to.equal(dayTitle(el, Date.UTC(2026, 9, 31)));
    expect(text(tip)).to.contain(`Total ${last.total}`);
    await sendKeys({ press: 'ArrowLeft' });
    await titleMoves(el, Date.UTC(2026, 9, 30));
    await sendKeys({ press: 'ArrowDown' });
    await elementUpdated(el);
    expect(text(tooltip(el)!.querySelector('tr.emphasis th'))).to.equal('sales');
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const ev = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    expect(ev.detail).to.deep.include({ kind: 'time-bucket', department: 'sales', bucketStart: '2026-10-30T00:00:00.000Z' });
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(tooltip(el)).to.equal(null);
  });

  it('Escape clears the focus marker and the tooltip, and lets a second Escape through', async () => {
    const el = await chartWith(answering(), { hideForecast: true } as Partial<UsageApiCalls>);
    await painted(el);
    plot(el).focus();
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'ArrowUp' });
    await elementUpdated(el);
    expect(tooltip(el)).to.exist;
    expect(svg(el).querySelectorAll('.focus-dot')).to.have.length(3);
    const seen: KeyboardEvent[] = [];
    const listen = (e: Event) => seen.push(e as KeyboardEvent);
    document.addEventListener('keydown', listen);
    try {
      await sendKeys({ press: 'Escape' });
      await elementUpdated(el);
      expect(tooltip(el)).to.equal(null);
      expect(svg(el).querySelectorAll('.focus-dot, .focus-rule'), 'focus marker').to.have.length(0);
      expect(
        seen.filter((e) => e.key === 'Escape'),
        'the first Escape is used up',
      ).to.have.length(0);
      await sendKeys({ press: 'Escape' });
      expect(
        seen.filter((e) => e.key === 'Escape'),
        'nothing left to clear: the page gets it',
      ).to.have.length(1);
      // The next arrow starts again from the last bucket.
      await sendKeys({ press: 'ArrowLeft' });
      await titleMoves(el, Date.UTC(2026, 9, 30));
      expect(text(tooltip(el)!.querySelector('tr.emphasis th'))).to.equal('Total');
    } finally {
      document.removeEventListener('keydown', listen);
    }
  });

  it('Tab stops once on the toolbar, the plot and the legend; arrow keys move inside the toolbar and the legend', async () => {
    const el = await chartWith(answering(), { hideForecast: true } as Partial<UsageApiCalls>);
    await painted(el);
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    const deep = () => {
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a?.getAttribute('part') ?? a?.tagName ?? 'none';
    };
    try {
      before.focus();
      const all: string[] = [];
      for (let i = 0; i < 4; i++) {
        await sendKeys({ press: 'Tab' });
        all.push(deep());
      }
      // One stop each (roving tabindex): the frame's toolbar (its first button: the chart's Filters), the plot, the legend (its first toggle).
      expect(all.slice(0, 3)).to.deep.equal(['toggle', 'plot', 'legend-toggle']);
      expect(all[3]).not.to.match(/legend|button (png|table|fullscreen)-button/);
      // Inside the toolbar the arrow keys reach every button.
      await sendKeys({ down: 'Shift' });
      for (let i = 0; i < 3; i++) await sendKeys({ press: 'Tab' });
      await sendKeys({ up: 'Shift' });
      expect(deep()).to.equal('toggle');
      const inToolbar: string[] = [];
      for (let i = 0; i < 5; i++) {
        await sendKeys({ press: 'ArrowRight' });
        inToolbar.push(deep());
      }
      expect(inToolbar).to.deep.equal(['button csv-button', 'button png-button', 'button table-button', 'button fullscreen-button', 'toggle']);
      // And in the legend: toggle, view, next toggle, …
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Tab' });
      const inLegend = [deep()];
      for (let i = 0; i < 3; i++) {
        await sendKeys({ press: 'ArrowRight' });
        inLegend.push(deep());
      }
      expect(inLegend).to.deep.equal(['legend-toggle', 'legend-drill', 'legend-toggle', 'legend-drill']);
    } finally {
      before.remove();
    }
  });

  it('paints the precomputed result synchronously and still runs the query', async () => {
    const client = chartClient({}, { callsOverTime: CALLS });
    const el = await chartWith(client);
    expect(frameOf(el).state).to.equal('ready');
    expect(client.runs.map((r) => r.module)).to.include('callsOverTime');
  });

  it('merges filters-override over the shared filters (property and JSON attribute)', async () => {
    const client = answering();
    const el = await chartWith(client);
    el.setAttribute('filters-override', '{"departments":["sales"],"environments":["staging"]}');
    await waitUntil(() => client.runs.some((r) => r.module === 'callsOverTime' && r.filters.departments[0] === 'sales'));
    const run = client.runs.filter((r) => r.module === 'callsOverTime').at(-1)!;
    expect(run.filters.environments).to.deep.equal(['staging']);
    expect(run.filters.agentStatuses).to.deep.equal(['active']);
    el.setAttribute('filters-override', 'not json');
    await elementUpdated(el);
    expect(el.filtersOverride).to.equal(undefined);
  });

  it('shows the error with its code and retries (usage-retry)', async () => {
    const err = Object.assign(new Error('query failed: Binder Error'), { code: 'query_failed' });
    const client = chartClient({ callsOverTime: (_f, _p, call) => (call === 0 ? Promise.reject(err) : CALLS) });
    const el = await chartWith(client);
    await waitUntil(() => frameOf(el).state === 'error');
    const panel = frameRoot(el).querySelector('[part="error"]')!;
    expect(panel.getAttribute('role')).to.equal('alert');
    expect(text(panel)).to.contain('query failed: Binder Error');
    expect(text(panel.querySelector('code'))).to.equal('query_failed');
    setTimeout(() => panel.querySelector<HTMLButtonElement>('[part="retry-button"]')!.click());
    await oneEvent(el, 'usage-retry');
    await painted(el);
    expect(frameOf(el).state).to.equal('ready');
  });

  it('renders hostile department names (markup, very long, right-to-left) as inert text', async () => {
    const hostile = ['<img src=x onerror="window.__pwned=1">', 'x'.repeat(300), 'قسم المبيعات', '=HYPERLINK("http://evil")'];
    const calls = makeCalls(10, hostile, (i) => 5 + i);
    const el = await chartWith(chartClient({ callsOverTime: () => calls }), { hideForecast: true } as Partial<UsageApiCalls>);
    await painted(el);
    expect(root(el).querySelector('img, script')).to.equal(null);
    expect(frameRoot(el).querySelector('img, script')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    const names = legendToggles(el).map((b) => b.querySelector('bdi')!.textContent);
    expect(names).to.deep.equal(hostile);
    expect(legendToggles(el)[1].getBoundingClientRect().width).to.be.lessThan(400);
    plot(el).focus();
    await elementUpdated(el);
    expect(text(tooltip(el))).to.contain('<img src=x onerror="window.__pwned=1">');
    const csv = frameOf(el).csv();
    expect(csv.split('\n')[0]).to.contain(`'=HYPERLINK(""http://evil"")`);
    await expect(el).to.be.accessible();
  });

  it('switches to canvas above the mark budget (one <image>, no paths)', async () => {
    const many = makeCalls(24 * 40, KEYS, (i, k) => (i % 24) + k.length, 'hour');
    const el = await chartWith(chartClient({ callsOverTime: () => many }), { hideForecast: true, canvasThreshold: 1000 } as Partial<UsageApiCalls>);
    await painted(el);
    expect(el.layout!.renderer).to.equal('canvas');
    expect(areas(el)).to.have.length(0);
    const img = svg(el).querySelector('image.raster')!;
    expect(img.getAttribute('href')).to.match(/^data:image\/png;base64,/);
    expect(text(root(el).querySelector('.notes'))).to.equal('');
  });

  it('exports the canvas-rendered chart as a PNG that keeps its marks', async () => {
    const many = makeCalls(24 * 40, KEYS, (i, k) => (k === 'engineering' ? 40 : 5) + (i % 3));
    const el = await chartWith(chartClient({ callsOverTime: () => many }), { hideForecast: true, canvasThreshold: 1000 } as Partial<UsageApiCalls>);
    await painted(el);
    expect(el.layout!.renderer).to.equal('canvas');
    const blob = await frameOf(el).exportPng();
    const bitmap = await createImageBitmap(blob);
    const scale = bitmap.width / Number(svg(el).getAttribute('width'));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(bitmap, 0, 0);
    const layout = el.layout!;
    const { x } = layout.anchor(480);
    const y = layout.y(20); // inside the bottom band (engineering, 40–42 calls)
    const [r, g, b] = ctx.getImageData(Math.round(x * scale), Math.round(y * scale), 1, 1).data;
    const colour = swatchFor('engineering', sortDomain(KEYS)).colour;
    expect([r, g, b]).to.deep.equal([1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16)));
  });

  it('explains why there is no forecast with hourly buckets', async () => {
    const hourly = makeCalls(48, KEYS, () => 3, 'hour');
    const el = await chartWith(
      chartClient({ callsOverTime: () => hourly, apiCallsForecast: (_f, p) => makeForecast((p as { horizon: number }).horizon, 50) }),
      { filters: defaultFilters({ timeRange: { preset: '24h' } }) },
    );
    await waitUntil(() => text(root(el).querySelector('.notes')).includes('daily buckets'));
    expect(svg(el).querySelector('path.forecast-line')).to.equal(null);
  });

  it('uses parts and custom properties for styling', async () => {
    const el = await chartWith(answering());
    await painted(el);
    el.style.setProperty('--usage-api-calls-height', '200px');
    await waitUntil(() => plot(el).getBoundingClientRect().height === 200);
    await waitUntil(() => Number(svg(el).getAttribute('height')) === 200, 'chart did not resize');
    expect(frameOf(el).getAttribute('exportparts')).to.contain('title:frame-title');
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real generated snapshot (.data/test-snapshot), counted independently with apache-arrow.

describe('<usage-api-calls> over the real snapshot', () => {
  it('renders the calls per department per day of the last 30 days, matching an independent count', async () => {
    const snap = await loadSnapshot();
    const start = snap.end - 30 * DAY;
    const expected = callsByDayAndDepartment(snap, start, snap.end);
    const total = [...expected.values()].reduce((s, m) => s + [...m.values()].reduce((a, b) => a + b, 0), 0);
    expect(total).to.be.greaterThan(0);

    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-api-calls></usage-api-calls></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-api-calls')!;
    await waitUntil(() => frameOf(el)?.state === 'ready', 'chart did not render', { timeout: 60_000, interval: 10 });
    expect(provider.loadStatus.state, 'painted from the precomputed result, before DuckDB-WASM had loaded the tables').to.equal('loading');
    await painted(el);
    expect(plot(el).getAttribute('aria-label')).to.contain(`${new Intl.NumberFormat('en-US').format(total)} calls in 30 day buckets`);

    // Every department present, and the CSV (what is on screen) equals the independent count.
    const depts = new Set([...expected.values()].flatMap((m) => [...m.keys()]));
    expect(new Set(areas(el).map((a) => a.dataset.key))).to.deep.equal(depts);
    const csv = frameOf(el).csv().trim().split('\n');
    const header = csv[0].split(',');
    const observed = csv.slice(1).filter((l) => l.split(',')[1] === 'observed');
    expect(observed).to.have.length(30);
    for (const line of observed) {
      const cells = line.split(',');
      const day = Date.parse(cells[0]);
      const m = expected.get(day)!;
      for (let c = 3; c < header.length && !header[c].startsWith('forecast'); c++)
        expect(Number(cells[c]), `${cells[0]} ${header[c]}`).to.equal(m.get(header[c]) ?? 0);
      expect(Number(cells[2])).to.equal([...m.values()].reduce((a, b) => a + b, 0));
    }

    // Colours follow the snapshot's sorted department domain once the engine is ready.
    await waitUntil(() => provider.loadStatus.state === 'ready', 'snapshot did not load', { timeout: 60_000, interval: 100 });
    await waitUntil(() => el.departmentDomain.length === snap.departments.length, 'no department domain', { timeout: 30_000 });
    expect(el.departmentDomain).to.deep.equal(snap.departments);
    await waitUntil(() => areas(el).every((a) => a.getAttribute('stroke') === swatchFor(a.dataset.key!, snap.departments).colour));

    // The forecast (fitted on the last 30 days) is drawn after the last day; the footer says when the data were generated.
    await waitUntil(() => svg(el).querySelector('path.forecast-line'), 'no forecast', { timeout: 30_000 });
    expect(text(frameRoot(el).querySelector('[part="updated"] time'))).to.match(/2026/);
    expect(frameRoot(el).querySelector('[part="updated"] time')!.getAttribute('datetime')).to.equal(new Date(snap.manifest.generated_at).toISOString());
    await expect(provider).to.be.accessible();
  });

  it('the focused day shows the same numbers as the count (keyboard tooltip)', async () => {
    const snap = await loadSnapshot();
    const expected = callsByDayAndDepartment(snap, snap.end - 30 * DAY, snap.end);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-api-calls hide-forecast></usage-api-calls></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-api-calls')!;
    await waitUntil(() => frameOf(el)?.state === 'ready', 'chart did not render', { timeout: 60_000, interval: 100 });
    await painted(el);
    plot(el).focus();
    await sendKeys({ press: 'Home' });
    await elementUpdated(el);
    const first = expected.get(snap.end - 30 * DAY)!;
    const tip = tooltip(el)!;
    const rows = [...tip.querySelectorAll('tr')].map((tr) => [text(tr.querySelector('th')), text(tr.querySelector('td'))]);
    for (const [dept, n] of first) expect(rows, dept).to.deep.include([dept, new Intl.NumberFormat('en-US').format(n)]);
    expect(rows.at(-1)).to.deep.equal(['Total', new Intl.NumberFormat('en-US').format([...first.values()].reduce((a, b) => a + b, 0))]);
  });

  it('compares departments as lines with their own forecasts fitted on the snapshot', async () => {
    const snap = await loadSnapshot();
    const expected = callsByDayAndDepartment(snap, snap.end - 30 * DAY, snap.end);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-api-calls compare="engineering,support"></usage-api-calls></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-api-calls')!;
    await waitUntil(() => svg(el).querySelectorAll('g.forecast').length === 2, 'no per-department forecasts', { timeout: 60_000, interval: 100 });
    expect(lines(el).map((l) => l.dataset.key)).to.deep.equal(['engineering', 'support']);
    const rows = frameOf(el).rows as unknown as { kind: string; t: number; values: Record<string, number> }[];
    for (const r of rows.filter((x) => x.kind === 'observed')) {
      expect(r.values.engineering, new Date(r.t).toISOString()).to.equal(expected.get(r.t)!.get('engineering') ?? 0);
      expect(r.values.support).to.equal(expected.get(r.t)!.get('support') ?? 0);
    }
    const forecastRows = rows.filter((x) => x.kind === 'forecast');
    expect(forecastRows).to.have.length(2 * 14);
  });

  it('runs a non-default filter through DuckDB-WASM (7 days, one department) and matches the count', async () => {
    const snap = await loadSnapshot();
    const expected = callsByDayAndDepartment(snap, snap.end - 7 * DAY, snap.end);
    const dept = 'engineering';
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters({ timeRange: { preset: '7d' } })}>
        <div style="width: 900px"><usage-api-calls hide-forecast filters-override=${JSON.stringify({ departments: [dept] })}></usage-api-calls></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-api-calls')!;
    await waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy, 'chart did not render', { timeout: 60_000, interval: 100 });
    await painted(el);
    expect(areas(el).map((a) => a.dataset.key)).to.deep.equal([dept]);
    const rows = frameOf(el).rows as unknown as { t: number; total: number }[];
    expect(rows.map((r) => r.total)).to.deep.equal([...expected.entries()].map(([, m]) => m.get(dept) ?? 0));
  });
});

void never;
