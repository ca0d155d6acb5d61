/**
 * Locale and time zone (issue 11, part 5): `locale` gives German numbers and month names on the
 * axis; `<html lang>` reaches a chart inside `<usage-analytics>`'s shadow root; `locale` on the tab
 * reaches a slotted chart; `time-zone` on the provider changes the day buckets the chart shows,
 * checked against plain code over the test snapshot's Arrow rows (local days with Intl).
 */
import { elementUpdated, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { defaultFilters } from '@usage-analytics/queries';
import '../src/index.js';
import type UsageAnalytics from '../src/components/analytics/analytics.component.js';
import type UsageApiCalls from '../src/components/api-calls/api-calls.component.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import { pointDrilldown } from '../src/components/api-calls/api-calls.data.js';
import { chartClient, makeCalls } from './helpers/chart-fakes.js';
import { BUNDLES, SNAPSHOT, loadSnapshot } from './helpers/snapshot.js';

const root = (el: UsageApiCalls) => el.shadowRoot!;
const frameOf = (el: UsageApiCalls) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const svg = (el: UsageApiCalls) => root(el).querySelector('svg')!;
const ticks = (el: UsageApiCalls) => [...svg(el).querySelectorAll('.axis-x .tick text, [class*="axis-x"] .tick text')].map((t) => t.textContent ?? '');
const painted = (el: UsageApiCalls) =>
  waitUntil(() => el.layout && svg(el)?.querySelector('path.area, path.line, image.raster'), 'chart did not paint', { timeout: 60_000 });

const KEYS = ['engineering', 'support', 'sales'];
const CALLS = makeCalls(30, KEYS, (i, k) => (k === 'engineering' ? 100 + i : k === 'support' ? 50 : 10 + (i % 7)));
const answering = () => chartClient({ callsOverTime: () => CALLS, apiCallsForecast: () => ({ horizon: 14, series: [] }) }, {}, { departments: KEYS });

/** Every element below `node`, through open shadow roots. */
function deepFind<T extends Element>(node: ParentNode, tag: string): T | undefined {
  for (const el of node.querySelectorAll('*')) {
    if (el.localName === tag) return el as T;
    if (el.shadowRoot) {
      const hit = deepFind<T>(el.shadowRoot, tag);
      if (hit) return hit;
    }
  }
  return undefined;
}

describe('locale', () => {
  afterEach(() => document.documentElement.removeAttribute('lang'));

  it('locale="de-DE" gives German numbers and German month names on the time axis', async () => {
    const el = await fixture<UsageApiCalls>(
      html`<div style="width: 900px"><usage-api-calls locale="de-DE" .client=${answering()} .filters=${defaultFilters()}></usage-api-calls></div>`,
    ).then((d) => d.querySelector('usage-api-calls')!);
    await painted(el);
    const total = CALLS.total;
    expect(total).to.be.greaterThan(1000);
    const label = root(el).querySelector('[part="plot"]')!.getAttribute('aria-label')!;
    expect(label).to.contain(new Intl.NumberFormat('de-DE').format(total));
    expect(label).not.to.contain(new Intl.NumberFormat('en-US').format(total));
    const german = ticks(el).join(' ');
    // October 2026 (the fake series' month): "Okt." in German, never the English "Oct".
    expect(german).to.match(/Okt|Nov/);
    expect(german).not.to.match(/Oct/);
    // The same chart in English.
    el.locale = 'en-GB';
    await elementUpdated(el);
    await waitUntil(() => /Oct|Nov/.test(ticks(el).join(' ')), 'ticks did not switch to English', { timeout: 10_000 });
  });

  it('an invalid locale warns and falls back to English', async () => {
    const warn = console.warn;
    const seen: string[] = [];
    console.warn = (m: string) => seen.push(String(m));
    try {
      const el = await fixture<UsageApiCalls>(html`<usage-api-calls locale="not a locale!!" .client=${answering()}></usage-api-calls>`);
      expect(el.activeLocale).to.equal('en');
      expect(seen.join('\n')).to.contain('not a BCP 47 locale');
    } finally {
      console.warn = warn;
    }
  });

  it('<html lang="fr"> reaches a chart inside <usage-analytics>’s shadow root; locale on the tab reaches a slotted chart and wins', async () => {
    document.documentElement.lang = 'fr';
    const tab = await fixture<UsageAnalytics>(html`
      <usage-analytics src=${SNAPSHOT} bundle-base=${BUNDLES} no-url-state>
        <usage-api-calls slot="charts" id="slotted"></usage-api-calls>
      </usage-analytics>
    `);
    const inner = await waitUntil(() => deepFind<UsageApiCalls>(tab.shadowRoot!, 'usage-api-calls'), 'no chart in the tab', { timeout: 30_000 }).then(() =>
      deepFind<UsageApiCalls>(tab.shadowRoot!, 'usage-api-calls')!,
    );
    expect(inner.activeLocale).to.equal('fr');
    await painted(inner);
    await waitUntil(() => /oct|nov|sept/i.test(ticks(inner).join(' ')), `no French month on the axis: ${ticks(inner).join(' | ')}`, { timeout: 30_000 });
    const slotted = tab.querySelector<UsageApiCalls>('#slotted')!;
    expect(slotted.activeLocale).to.equal('fr');
    tab.locale = 'de-DE';
    await waitUntil(() => inner.activeLocale === 'de-DE' && slotted.activeLocale === 'de-DE', 'locale did not reach the charts', { timeout: 10_000 });
    await waitUntil(() => /Okt|Nov|Sept/.test(ticks(inner).join(' ')), 'the chart did not repaint in German', { timeout: 30_000 });
  });
});

describe('time-zone', () => {
  /** Calls per local day (YYYY-MM-DD in `zone`) per department, default filters, in [start, end). */
  async function expectedDays(zone: string, start: number, end: number): Promise<Map<string, Map<string, number>>> {
    const snap = await loadSnapshot();
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    const out = new Map<string, Map<string, number>>();
    for (const r of snap.requests) {
      if (r.t < start || r.t >= end || r.environment !== 'production' || !snap.activeAgents.has(r.agent)) continue;
      const day = fmt.format(Math.floor(r.t));
      let m = out.get(day);
      if (!m) out.set(day, (m = new Map()));
      m.set(r.department, (m.get(r.department) ?? 0) + 1);
    }
    return out;
  }

  /** The chart's CSV as day → department → calls (observed rows only). */
  function csvDays(el: UsageApiCalls): Map<string, Map<string, number>> {
    const csv = frameOf(el).csv().trim().split('\n');
    const header = csv[0].split(',');
    const out = new Map<string, Map<string, number>>();
    for (const line of csv.slice(1)) {
      const cells = line.split(',');
      if (cells[1] !== 'observed') continue;
      const m = new Map<string, number>();
      for (let c = 3; c < header.length && !header[c].startsWith('forecast'); c++) if (Number(cells[c]) > 0) m.set(header[c], Number(cells[c]));
      out.set(new Date(Date.parse(cells[0])).toISOString().slice(0, 10), m);
    }
    return out;
  }

  const nonEmpty = (m: Map<string, Map<string, number>>) => new Map([...m].filter(([, v]) => v.size > 0));
  const plain = (m: Map<string, Map<string, number>>) => JSON.stringify([...nonEmpty(m)].map(([d, v]) => [d, [...v].sort()]).sort());

  it('time-zone on the provider buckets by local day (plain code over the Arrow rows), not from the UTC first paint', async () => {
    const snap = await loadSnapshot();
    const end = Date.parse(snap.manifest.time_range.end);
    const start = end - 30 * 86_400_000;
    const zone = 'Asia/Tokyo';
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} time-zone=${zone} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-api-calls></usage-api-calls></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-api-calls')!;
    expect(el.activeTimeZone).to.equal(zone);
    await waitUntil(() => frameOf(el)?.state === 'ready', 'chart did not render', { timeout: 60_000, interval: 10 });
    expect(provider.loadStatus.state, 'the UTC precomputed rows are not painted in another zone').to.equal('ready');
    await painted(el);
    const local = await expectedDays(zone, start, end);
    const utc = await expectedDays('UTC', start, end);
    expect(plain(local)).not.to.equal(plain(utc)); // the zone matters for this data (the test can fail)
    expect(plain(csvDays(el))).to.equal(plain(local));

    // Back to UTC at runtime: the chart repaints with the UTC days.
    provider.timeZone = 'UTC';
    await waitUntil(() => el.activeTimeZone === 'UTC', 'zone did not change');
    await waitUntil(() => plain(csvDays(el)) === plain(utc), 'chart did not repaint with UTC days', { timeout: 30_000 });
  });
});

describe('drill-down in a time zone', () => {
  it('a local day bucket drills into the instants of its local midnights (a 23-hour DST day in Berlin)', () => {
    const day = Date.UTC(2026, 2, 29); // the wall-clock start of 29 March, as the zone-aware query returns it
    const chart = {
      bucket: 'day' as const,
      by: 'department' as const,
      keys: ['a'],
      total: 1,
      previousTotal: 0,
      points: [{ t: day, label: '2026-03-29', total: 1, previous: 0, values: { a: 1 } }],
    };
    const f = defaultFilters({ timeRange: { preset: 'custom', start: '2026-03-29', end: '2026-03-30' } });
    const berlin = pointDrilldown(chart, 0, f, undefined, undefined, 'Europe/Berlin')!;
    expect(berlin.bucketStart).to.equal('2026-03-28T23:00:00.000Z');
    expect(berlin.bucketEnd).to.equal('2026-03-29T22:00:00.000Z');
    const utc = pointDrilldown(chart, 0, f, undefined)!;
    expect([utc.bucketStart, utc.bucketEnd]).to.deep.equal(['2026-03-29T00:00:00.000Z', '2026-03-30T00:00:00.000Z']);
  });
});
