/**
 * Locale and time zone (issue 11, part 5): `locale` gives German numbers and month names on the
 * axis; `<html lang>` reaches a chart inside `<usage-analytics>`'s shadow root; `locale` on the tab
 * reaches a slotted chart; `time-zone` on the provider changes the day buckets the chart shows,
 * checked against plain code over the test snapshot's Arrow rows (local days with Intl).
 */
import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { defaultFilters } from '@usage-analytics/queries';
import '../src/index.js';
import type UsageAnalytics from '../src/components/analytics/analytics.component.js';
import type UsageApiCalls from '../src/components/api-calls/api-calls.component.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import { localIsoOf, pointDrilldown } from '../src/components/api-calls/api-calls.data.js';
import { formatters, pointTooltip } from '../src/components/capacity-gauges/capacity-gauges.data.js';
import { chartClient, makeCalls, makeForecast } from './helpers/chart-fakes.js';
import type { AnomalyDrilldown, UsageDrilldownEvent } from '../src/events/usage-drilldown.js';
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
      out.set(cells[0].slice(0, 10), m); // the bucket's local date (UTC: …Z; another zone: local time with its offset)
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
    // The CSV's bucket_start is the local midnight with Tokyo's offset, not a wall time marked Z.
    const starts = frameOf(el)
      .csv()
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    expect(starts.length).to.be.greaterThan(20);
    for (const s of starts) expect(s).to.match(/^\d{4}-\d{2}-\d{2}T00:00:00\+09:00$/);

    // Back to UTC at runtime: the chart repaints with the UTC days.
    provider.timeZone = 'UTC';
    await waitUntil(() => el.activeTimeZone === 'UTC', 'zone did not change');
    await waitUntil(() => plain(csvDays(el)) === plain(utc), 'chart did not repaint with UTC days', { timeout: 30_000 });
    expect(frameOf(el).csv().split('\n')[1]).to.match(/^\d{4}-\d{2}-\d{2}T00:00:00\.000Z,/);
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

describe('calls-over-time hover and anomaly causes in a time zone', () => {
  const NY = 'America/New_York';
  /** One flagged day, 2026-10-22. */
  function forecast() {
    const f = makeForecast(14, 100);
    f.series[0].history = f.series[0].history.map((p) => (p.date === '2026-10-22' ? { ...p, value: 300, score: 6, isAnomaly: true } : p));
    return f;
  }
  const nyClient = () =>
    chartClient(
      {
        callsOverTime: (_f, p) => ((p as { by?: string }).by === 'agent' ? makeCalls(1, ['a01'], () => 5) : makeCalls(30, ['engineering'], () => 50)),
        usageForecast: () => forecast(),
        hourWeekday: () => [],
        anomalyCauses: (_f, p) => ({ date: (p as { date: string }).date, weeks: 0, actual: 1, expected: 0, departments: [], agents: [], statuses: [] }),
      },
      {},
      { departments: ['engineering'] },
    );
  /** The instant of a New York wall-clock time (EDT before 1 November 02:00, EST after). */
  const nyInstant = (y: number, m: number, d: number, h: number, edt: boolean) => Date.UTC(y, m - 1, d, h + (edt ? 4 : 5));

  it('the causes query and the anomaly drill-down use the local day (a 25-hour day at the fall-back)', async () => {
    const client = nyClient();
    const div = await fixture<HTMLDivElement>(
      html`<div style="width: 800px">
        <usage-calls-over-time .client=${client} .filters=${defaultFilters()} time-zone=${NY} split="total"></usage-calls-over-time>
      </div>`,
    );
    const el = div.querySelector('usage-calls-over-time')!;
    await waitUntil(() => el.shadowRoot!.querySelectorAll('[part="anomaly-marker"]').length === 1, 'no marker', { timeout: 20_000 });
    // The fall-back day (past the chart's days here: opened as the causes of a day not flagged).
    setTimeout(() => void el.openAnomaly('2026-11-01'));
    const ev = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    const d = ev.detail as AnomalyDrilldown;
    expect(d.filters.timeRange).to.deep.equal({
      preset: 'custom',
      start: new Date(nyInstant(2026, 11, 1, 0, true)).toISOString(), // 04:00Z
      end: new Date(nyInstant(2026, 11, 2, 0, false)).toISOString(), // 05:00Z: 25 hours later
    });
    await waitUntil(() => el.causes?.status === 'ready');
    const run = client.runs.find((r) => r.module === 'anomalyCauses')!;
    expect(run.params).to.deep.equal({ date: '2026-11-01' });
    expect(run.timeZone).to.equal(NY);
  });

  it('the hover breakdown queries the local bucket in the zone', async () => {
    const client = nyClient();
    const div = await fixture<HTMLDivElement>(
      html`<div style="width: 800px">
        <usage-calls-over-time .client=${client} .filters=${defaultFilters()} time-zone=${NY} split="total"></usage-calls-over-time>
      </div>`,
    );
    const el = div.querySelector('usage-calls-over-time')!;
    await waitUntil(() => el.layout && el.shadowRoot!.querySelector('.plot svg path.area, .plot svg path.line'), 'chart did not paint', { timeout: 20_000 });
    const layout = el.layout!;
    const svgEl = el.shadowRoot!.querySelector('.plot svg')!;
    const box = svgEl.getBoundingClientRect();
    const plotEl = el.shadowRoot!.querySelector<HTMLElement>('[part="plot"]')!;
    // The last bucket: 2026-10-31 (wall-clock midnight, as the zone-aware query returns it).
    const x = box.left + layout.x(layout.centre(29));
    plotEl.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: box.top + layout.plot.top + layout.plot.height / 2, bubbles: true }));
    await waitUntil(() => el.breakdown, 'no breakdown', { timeout: 5000 });
    expect(el.breakdown!.t).to.equal(Date.UTC(2026, 9, 31));
    const hovers = client.runs.filter((r) => r.module === 'callsOverTime' && (r.params as { by: string }).by === 'agent');
    expect(hovers).to.have.length(1);
    expect(hovers[0].timeZone).to.equal(NY);
    expect(hovers[0].filters.timeRange).to.deep.equal({
      preset: 'custom',
      start: new Date(nyInstant(2026, 10, 31, 0, true)).toISOString(),
      end: new Date(nyInstant(2026, 11, 1, 0, true)).toISOString(),
    });
  });
});

describe('CSV bucket_start in a time zone', () => {
  /** Wall-clock ms (as if UTC) of the instant `ms` in `zone`, from Intl parts. */
  const wallOfIntl = (zone: string, ms: number) => {
    const p: Record<string, number> = {};
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    for (const x of f.formatToParts(ms)) if (x.type !== 'literal') p[x.type] = Number(x.value);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  };

  it('local bucket starts carry their UTC offset across the New York DST changes and in Kolkata', () => {
    const cases: [string, number, string][] = [
      ['America/New_York', Date.UTC(2026, 2, 8), '2026-03-08T00:00:00-05:00'],
      ['America/New_York', Date.UTC(2026, 2, 8, 3), '2026-03-08T03:00:00-04:00'],
      ['America/New_York', Date.UTC(2026, 2, 9), '2026-03-09T00:00:00-04:00'],
      ['America/New_York', Date.UTC(2026, 10, 1), '2026-11-01T00:00:00-04:00'],
      ['America/New_York', Date.UTC(2026, 10, 1, 1), '2026-11-01T01:00:00-04:00'], // the fall-back hour: its first occurrence
      ['America/New_York', Date.UTC(2026, 10, 1, 2), '2026-11-01T02:00:00-05:00'],
      ['America/New_York', Date.UTC(2026, 10, 2), '2026-11-02T00:00:00-05:00'],
      ['Asia/Kolkata', Date.UTC(2026, 2, 8), '2026-03-08T00:00:00+05:30'],
      ['Asia/Kolkata', Date.UTC(2026, 10, 1, 13), '2026-11-01T13:00:00+05:30'],
    ];
    for (const [zone, wall, want] of cases) {
      const got = localIsoOf(wall, zone);
      expect(got, `${zone} ${new Date(wall).toISOString()}`).to.equal(want);
      // The text names an instant whose local time in the zone is the bucket's wall time.
      expect(wallOfIntl(zone, Date.parse(got))).to.equal(wall);
    }
  });
});

describe('capacity detail labels in a time zone', () => {
  it('a series bucket (local wall-clock ms) is labelled with the zone, not UTC', () => {
    const f = formatters('en-US', 'Asia/Kolkata');
    expect(f.bucketTime(Date.UTC(2026, 9, 5, 14))).to.equal('Oct 5, 2026, 14:00 Asia/Kolkata');
    expect(formatters('en-US').bucketTime(Date.UTC(2026, 9, 5, 14))).to.equal(formatters('en-US').when(Date.UTC(2026, 9, 5, 14)));
    const point = { t: Date.UTC(2026, 9, 5, 14), avg: 50, max: 60, level: 0, samples: 2, breaches: 0, criticalBreaches: 0 };
    const view = { bucket: 'hour', warning: 80, critical: 95 } as unknown as Parameters<typeof pointTooltip>[1];
    const tip = pointTooltip(point as unknown as Parameters<typeof pointTooltip>[0], view, f, { locale: 'en-US', timeZone: 'Asia/Kolkata' });
    expect(tip.title).to.contain('14:00').and.contain('Asia/Kolkata');
  });
});

describe('agent detail in a time zone', () => {
  it('asks for its daily rows and adoption curve in the zone', async () => {
    const client = chartClient({});
    const el = await fixture<HTMLElement>(
      html`<usage-agent-detail .client=${client} .filters=${defaultFilters()} agent-id="a01" time-zone="America/New_York"></usage-agent-detail>`,
    );
    await waitUntil(() => client.runs.some((r) => r.module === 'agentDaily') && client.runs.some((r) => r.module === 'adoptionCurve'), 'no queries');
    expect(el.localName).to.equal('usage-agent-detail');
    for (const m of ['agentDaily', 'adoptionCurve']) expect(client.runs.find((r) => r.module === m)!.timeZone, m).to.equal('America/New_York');
  });
});
