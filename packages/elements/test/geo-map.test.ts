import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { defaultFilters, type Geography, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC, type Table } from 'apache-arrow';
import '../src/index.js';
import '../src/components/drilldown-panel/drilldown-panel.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageDrilldownPanel from '../src/components/drilldown-panel/drilldown-panel.component.js';
import type UsageGeoMap from '../src/components/geo-map/geo-map.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import { BINS, NO_DATA_COLOUR, colourScale, geoView, legendItems } from '../src/components/geo-map/geo-map.data.js';
import { panelTitle, placeStats } from '../src/components/drilldown-panel/drilldown-panel.data.js';
import type { GeoDrilldown, UsageDrilldownDetail } from '../src/events/usage-drilldown.js';
import { chartClient } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT } from './helpers/snapshot.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageGeoMap) => el.shadowRoot!;
const frameOf = (el: UsageGeoMap) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const svg = (el: UsageGeoMap) => root(el).querySelector<SVGSVGElement>('.plot svg')!;
const country = (el: UsageGeoMap, code: string) => svg(el).querySelector<SVGElement>(`.has-data[data-code="${code}"]`);
const cities = (el: UsageGeoMap) => [...svg(el).querySelectorAll<SVGCircleElement>('circle.city')];
const focused = (el: UsageGeoMap) => root(el).activeElement as Element | null;
const painted = (el: UsageGeoMap) => waitUntil(() => el.layout && svg(el).querySelector('.country'), 'map did not paint', { timeout: 30_000 });
const click = (node: Element) => node.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));

const stats = (requests: number, users: number, avgLatencyMs = 500) => ({ requests, users, avgLatencyMs });
const SAMPLE: Geography = {
  countries: [
    { country: 'FR', ...stats(400, 40, 700) },
    { country: 'JP', ...stats(90, 30) },
    { country: 'SG', ...stats(30, 3) },
    { country: 'US', ...stats(1200, 20, 450) },
    { country: 'Unknown', ...stats(80, 12, 900) },
  ],
  cities: [
    { country: 'FR', region: 'Île-de-France', city: 'Paris', latitude: 48.8566, longitude: 2.3522, ...stats(300, 30) },
    { country: 'FR', region: 'Auvergne-Rhône-Alpes', city: 'Lyon', latitude: 45.764, longitude: 4.8357, ...stats(100, 10) },
    { country: 'JP', region: 'Tokyo', city: 'Tokyo', latitude: 35.6762, longitude: 139.6503, ...stats(90, 30) },
    { country: 'SG', region: 'Unknown', city: 'Singapore', latitude: 1.3521, longitude: 103.8198, ...stats(30, 3) },
    { country: 'US', region: 'NY', city: 'New York', latitude: 40.7128, longitude: -74.006, ...stats(1000, 15) },
    { country: 'US', region: 'CA', city: 'San Francisco', latitude: 37.7749, longitude: -122.4194, ...stats(200, 5) },
  ],
};
const TOTAL = 1200 + 400 + 90 + 30 + 80;

const answering = (g: Geography = SAMPLE) => chartClient({ geography: () => g });

async function mapWith(client: ReturnType<typeof chartClient>, filters: UsageFilters = defaultFilters()) {
  const div = await fixture<HTMLDivElement>(
    html`<div style="width: 900px"><usage-geo-map .client=${client} .filters=${filters} transition-ms="0"></usage-geo-map></div>`,
  );
  const el = div.querySelector('usage-geo-map')!;
  await elementUpdated(el);
  return el;
}

describe('geo map view model', () => {
  it('log-spaced classes: equal ratios between rounded thresholds, no data apart, one class when all are equal', () => {
    const s = colourScale([1, 10, 100, 1000, 10_000, 100_000, 1_000_000]);
    expect(s.thresholds).to.deep.equal([10, 100, 1000, 10_000, 100_000]);
    expect(s.colours).to.have.length(BINS);
    expect([1, 9, 10, 99_999, 100_000, 1_000_000].map((v) => s.bin(v))).to.deep.equal([0, 0, 1, 4, 5, 5]);
    expect(s.colour(0)).to.equal(NO_DATA_COLOUR);
    expect(new Set(s.colours).has(NO_DATA_COLOUR)).to.equal(false);
    expect(legendItems(s, String).map((i) => i.label)).to.deep.equal([
      '1 to under 10',
      '10 to under 100',
      '100 to under 1000',
      '1000 to under 10000',
      '10000 to under 100000',
      '100000–1000000',
    ]);
    const flat = colourScale([7, 7, 7]);
    expect(flat.thresholds).to.deep.equal([]);
    expect(legendItems(flat, String).map((i) => i.label)).to.deep.equal(['7']);
  });

  it('names countries, keeps Unknown apart, shares of the window, centres from the cities', () => {
    const v = geoView(SAMPLE);
    expect(v.countries.map((c) => [c.code, c.name, c.numeric])).to.deep.equal([
      ['FR', 'France', '250'],
      ['JP', 'Japan', '392'],
      ['SG', 'Singapore', '702'],
      ['US', 'United States', '840'],
    ]);
    expect(v.unknown!.requests).to.equal(80);
    expect(v.countries.reduce((a, c) => a + c.share, 0) + v.unknown!.share).to.be.closeTo(100, 1e-9);
    // France's centre: request-weighted mean of Paris (300) and Lyon (100).
    expect(v.countries[0].centre![0]).to.be.closeTo((2.3522 * 300 + 4.8357 * 100) / 400, 1e-9);
  });
});

describe('the drill-down panel for a place', () => {
  it('titles a country, a city (a region of Unknown left out) and the Unknown bucket, with the place figures', () => {
    const base = { kind: 'geo' as const, stats: { requests: 1234, users: 1, avgLatencyMs: 811.6, share: 6.25 }, filters: defaultFilters() };
    expect(panelTitle({ ...base, country: 'FR', countryName: 'France' })).to.equal('Users in France');
    expect(panelTitle({ ...base, country: 'FR', countryName: 'France', region: 'Île-de-France', city: 'Paris' })).to.equal(
      'Users in Paris, Île-de-France, France',
    );
    expect(panelTitle({ ...base, country: 'SG', countryName: 'Singapore', region: 'Unknown', city: 'Singapore' })).to.equal('Users in Singapore, Singapore');
    expect(panelTitle({ ...base, country: 'Unknown', countryName: 'Unknown location' })).to.equal('Users without a known location');
    expect(placeStats({ ...base, country: 'FR', countryName: 'France' })).to.equal('1,234 requests · 1 user · 6.3 % of requests · average latency 812 ms');
  });
});

describe('<usage-geo-map> with a stand-in client', () => {
  it('is accessible with data (both projections, zoomed), loading, empty and in error', async () => {
    const el = await mapWith(answering());
    await painted(el);
    await expect(el).to.be.accessible();
    el.projection = 'robinson';
    await waitUntil(() => el.layout?.projection === 'robinson');
    el.country = 'FR';
    await waitUntil(() => el.layout?.zoom === 'FR');
    await expect(el).to.be.accessible();
    const loading = await mapWith(chartClient({}));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await mapWith(answering({ countries: [], cities: [] }));
    await waitUntil(() => frameOf(empty).state === 'empty');
    await expect(empty).to.be.accessible();
    const failed = await mapWith(chartClient({ geography: () => Promise.reject(Object.assign(new Error('query failed: boom'), { code: 'query_failed' })) }));
    await waitUntil(() => frameOf(failed).state === 'error');
    expect(text(frameOf(failed).shadowRoot!.querySelector('[part="error"]'))).to.contain('query failed: boom');
    await expect(failed).to.be.accessible();
  });

  it('paints the snapshot’s precomputed rows while the query runs', async () => {
    const el = await mapWith(chartClient({}, { geography: SAMPLE }));
    await painted(el);
    expect(frameOf(el).state).to.equal('ready');
    expect(el.data).to.equal(SAMPLE);
  });

  it('fills countries with data by the metric on log-spaced classes, hatches the rest, and dots countries without an outline', async () => {
    const el = await mapWith(answering());
    await painted(el);
    const fill = (code: string) => country(el, code)!.getAttribute('fill');
    // Requests: US (1200) darkest, SG (30) lightest; distinct classes.
    expect(fill('US')).to.not.equal(fill('SG'));
    expect(svg(el).querySelectorAll('.no-data').length).to.be.greaterThan(100);
    expect(svg(el).querySelector('.no-data')!.getAttribute('fill')).to.match(/^url\(#/);
    // Singapore has no 1:110m outline: a dot.
    expect(country(el, 'SG')!.tagName).to.equal('circle');
    expect(country(el, 'FR')!.getAttribute('aria-label')).to.equal(
      `France (FR): 400 requests, 40 unique users, ${((400 / TOTAL) * 100).toFixed(1)} % of requests, average latency 700 ms`,
    );
    // Keyboard order by requests.
    expect(el.layout!.items.map((i) => (i.target.kind === 'country' ? i.target.row.code : ''))).to.deep.equal(['US', 'FR', 'JP', 'SG']);
    const usRequests = fill('US');
    const frRequests = fill('FR');
    // Metric toggle: users → FR (40) is now the top, US (20) no longer.
    click(root(el).querySelector('[data-metric="users"]')!);
    await waitUntil(() => el.layout!.items[0]?.target.kind === 'country' && (el.layout!.items[0].target as { row: { code: string } }).row.code === 'FR');
    expect(el.metric).to.equal('users');
    expect(root(el).querySelector('[data-metric="users"]')!.getAttribute('aria-pressed')).to.equal('true');
    expect(fill('FR')).to.not.equal(frRequests);
    expect(fill('US')).to.not.equal(usRequests);
    expect(text(root(el).querySelector('[part="legend"]'))).to.contain('Unique users per country');
    expect(text(root(el).querySelector('[part="legend"]'))).to.contain('No data');
  });

  it('switches projection (Mercator ↔ Robinson): other outlines, a globe outline in Robinson', async () => {
    const el = await mapWith(answering());
    await painted(el);
    const d0 = country(el, 'FR')!.getAttribute('d');
    expect(svg(el).querySelector('.sphere')).to.equal(null);
    click(root(el).querySelector('[data-projection="robinson"]')!);
    await waitUntil(() => el.layout?.projection === 'robinson');
    expect(el.projection).to.equal('robinson');
    expect(svg(el).querySelector('.sphere')).to.not.equal(null);
    expect(country(el, 'FR')!.getAttribute('d')).to.not.equal(d0);
    // Paris stays over France in both.
    const [x, y] = el.layout!.project(2.3522, 48.8566)!;
    const box = (country(el, 'FR') as SVGPathElement).getBBox();
    expect(x).to.be.within(box.x, box.x + box.width);
    expect(y).to.be.within(box.y, box.y + box.height);
  });

  it('click on a country zooms to it: its cities with labels; Back to world returns', async () => {
    const el = await mapWith(answering());
    await painted(el);
    // World: every city, no labels.
    expect(cities(el)).to.have.length(6);
    expect(svg(el).querySelectorAll('.city-label')).to.have.length(0);
    click(country(el, 'FR')!);
    await waitUntil(() => el.layout?.zoom === 'FR');
    expect(el.country).to.equal('FR');
    expect(el.layout!.transform().k).to.be.greaterThan(3);
    expect(cities(el).map((c) => c.getAttribute('aria-label'))).to.deep.equal([
      'Paris, Île-de-France, France: 30 unique users, 300 requests, average latency 500 ms',
      'Lyon, Auvergne-Rhône-Alpes, France: 10 unique users, 100 requests, average latency 500 ms',
    ]);
    expect([...svg(el).querySelectorAll('.city-label')].map((t) => t.textContent)).to.deep.equal(['Paris', 'Lyon']);
    // Paris's bubble is inside the visible map after the zoom.
    const frame = svg(el).getBoundingClientRect();
    const paris = cities(el)[0].getBoundingClientRect();
    expect(paris.x).to.be.within(frame.x, frame.right);
    expect(paris.y).to.be.within(frame.y, frame.bottom);
    expect(text(root(el).querySelector('[part="zoom-bar"]'))).to.contain('France · 2 cities');
    // Sizes by users (sqrt): Paris (30) vs Lyon (10) radius ratio √3.
    const r = cities(el).map((c) => Number(c.getAttribute('r')));
    expect(r[0] / r[1]).to.be.closeTo(Math.sqrt(3), 0.01);
    // Other countries are dimmed; the table lists France and its cities.
    expect(country(el, 'US')!.classList.contains('dimmed')).to.equal(true);
    expect((frameOf(el).rows as { level: string; city: string }[]).map((x) => `${x.level}:${x.city}`)).to.deep.equal(['Country:', 'City:Paris', 'City:Lyon']);
    click(root(el).querySelector('[part="back-button"]')!);
    await waitUntil(() => el.layout?.zoom === '');
    expect(el.layout!.transform().k).to.equal(1);
    expect(cities(el)).to.have.length(6);
    // Free zoom: + doubles the scale (bubbles keep their screen size), Reset view goes back.
    const r0 = Number(cities(el)[0].getAttribute('r'));
    click(root(el).querySelector('[aria-label="Zoom in"]')!);
    await el.layout!.settled();
    expect(el.layout!.transform().k).to.equal(2);
    expect(Number(cities(el)[0].getAttribute('r'))).to.be.closeTo(r0 / 2, 1e-3);
    click(root(el).querySelector('[aria-label="Zoom out"]')!);
    await el.layout!.settled();
    expect(el.layout!.transform().k).to.equal(1);
    click(root(el).querySelector('[aria-label="Zoom in"]')!);
    await el.layout!.settled();
    click([...root(el).querySelectorAll('button')].find((b) => text(b) === 'Reset view')!);
    await el.layout!.settled();
    expect(el.layout!.transform().k).to.equal(1);
  });

  it('animates the zoom, and a redraw during the animation lands on the country', async () => {
    const el = await mapWith(answering());
    el.transitionMs = 400;
    await painted(el);
    el.country = 'JP';
    await waitUntil(() => el.layout?.zoom === 'JP');
    await new Promise((r) => setTimeout(r, 60));
    const mid = el.layout!.transform().k;
    el.metric = 'users';
    await waitUntil(() => svg(el).getAttribute('aria-label')!.includes('unique users'));
    await el.layout!.settled();
    const k = el.layout!.transform().k;
    expect(k).to.be.greaterThan(mid);
    expect(k).to.be.greaterThan(3);
    const tokyo = cities(el)[0].getBoundingClientRect();
    const frame = svg(el).getBoundingClientRect();
    expect(tokyo.x).to.be.within(frame.x, frame.right);
  });

  it('exports CSV (countries, Unknown, cities) and a PNG of the map', async () => {
    const el = await mapWith(answering());
    await painted(el);
    const csv = frameOf(el).csv().trim().split('\n');
    expect(csv[0]).to.equal('Level,Country,Code,Region,City,Requests,Unique users,Share of requests,Average latency (ms),Latitude,Longitude');
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).to.deep.equal([
      'Country,United States,US',
      'Country,France,FR',
      'Country,Japan,JP',
      'Country,Singapore,SG',
      'Country,Unknown location,Unknown',
      'City,United States,US',
      'City,United States,US',
      'City,France,FR',
      'City,France,FR',
      'City,Japan,JP',
      'City,Singapore,SG',
    ]);
    const { svgToPng } = await import('../src/internal/png-export.js');
    const png = await svgToPng(svg(el));
    expect(png.type).to.equal('image/png');
    expect(png.size).to.be.greaterThan(5000);
  });

  it('drill-downs: a zoomed country, a city bubble, the Unknown bucket and a table cell emit usage-drilldown of kind geo', async () => {
    const filters = defaultFilters({ departments: ['sales'] });
    const el = await mapWith(answering(), filters);
    await painted(el);
    // Unknown bucket beside the map.
    const unknown = root(el).querySelector('[part="unknown"]')!;
    expect(text(unknown)).to.contain(`Unknown location 80 requests · 12 users · ${((80 / TOTAL) * 100).toFixed(1)} % of requests`);
    setTimeout(() => click(unknown));
    let e = await oneEvent(el, 'usage-drilldown');
    let d = e.detail as GeoDrilldown;
    expect([d.kind, d.country, d.countryName, d.city]).to.deep.equal(['geo', 'Unknown', 'Unknown location', undefined]);
    expect(d.stats).to.deep.equal({ requests: 80, users: 12, avgLatencyMs: 900, share: (100 * 80) / TOTAL });
    expect(d.filters).to.deep.equal(filters);
    expect(d.filters).to.not.equal(filters);
    // A city bubble at world level drills straight away.
    const sf = cities(el).find((c) => c.getAttribute('data-key')!.includes('San Francisco'))!;
    setTimeout(() => click(sf));
    e = await oneEvent(el, 'usage-drilldown');
    d = e.detail as GeoDrilldown;
    expect([d.country, d.region, d.city, d.stats.users]).to.deep.equal(['US', 'CA', 'San Francisco', 5]);
    // Zoomed: clicking the country itself drills; "Users in France" too.
    el.country = 'FR';
    await waitUntil(() => el.layout?.zoom === 'FR');
    setTimeout(() => click(country(el, 'FR')!));
    e = await oneEvent(el, 'usage-drilldown');
    expect([(e.detail as GeoDrilldown).country, (e.detail as GeoDrilldown).city]).to.deep.equal(['FR', undefined]);
    setTimeout(() => click(root(el).querySelector('[part="drill-button"]')!));
    e = await oneEvent(el, 'usage-drilldown');
    expect((e.detail as GeoDrilldown).stats.requests).to.equal(400);
    // A city cell of the data table.
    frameOf(el).tableView = true;
    await elementUpdated(frameOf(el));
    const table = frameOf(el).shadowRoot!.querySelector('usage-data-table')!;
    await elementUpdated(table);
    const lyon = [...table.shadowRoot!.querySelectorAll('button')].find((b) => text(b) === 'Lyon')!;
    setTimeout(() => click(lyon));
    e = await oneEvent(el, 'usage-drilldown');
    expect([(e.detail as GeoDrilldown).city, (e.detail as GeoDrilldown).region]).to.deep.equal(['Lyon', 'Auvergne-Rhône-Alpes']);
  });

  it('keyboard: Tab reaches the map, arrows follow the metric order, Enter zooms, then drills, Escape goes back', async () => {
    const el = await mapWith(answering());
    await painted(el);
    const before = await fixture<HTMLButtonElement>(html`<button>before</button>`);
    el.before(before);
    before.focus();
    // Tab goes through the frame's buttons first; the map's active item is the largest country.
    for (let i = 0; i < 20 && focused(el)?.getAttribute('data-code') !== 'US'; i++) await sendKeys({ press: 'Tab' });
    expect(focused(el)?.getAttribute('data-code')).to.equal('US');
    expect(root(el).querySelector('[role="tooltip"]')).to.not.equal(null);
    await sendKeys({ press: 'ArrowRight' });
    expect(focused(el)?.getAttribute('data-code')).to.equal('FR');
    await sendKeys({ press: 'End' });
    expect(focused(el)?.getAttribute('data-code')).to.equal('SG');
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'ArrowLeft' });
    expect(focused(el)?.getAttribute('data-code')).to.equal('FR');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.layout?.zoom === 'FR' && focused(el)?.getAttribute('data-code') === 'FR', 'zoomed with focus');
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(el)?.getAttribute('data-key')).to.contain('Paris');
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const e = await oneEvent(el, 'usage-drilldown');
    expect((e.detail as GeoDrilldown).city).to.equal('Paris');
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => el.layout?.zoom === '' && focused(el)?.getAttribute('data-code') === 'FR', 'back with focus on France');
  });

  it('renders hostile city and region names (markup, long, right-to-left) as inert text', async () => {
    const hostile = '<img src=x onerror="window.__pwnedGeo=1">';
    const rtl = `مدينة ${'long-'.repeat(40)}`;
    const el = await mapWith(
      answering({
        countries: [{ country: 'FR', ...stats(10, 2) }],
        cities: [
          { country: 'FR', region: '<script>window.__pwnedGeo=2</script>', city: hostile, latitude: 48.8, longitude: 2.3, ...stats(6, 1) },
          { country: 'FR', region: 'Unknown', city: rtl, latitude: 45.7, longitude: 4.8, ...stats(4, 1) },
        ],
      }),
    );
    await painted(el);
    el.country = 'FR';
    await waitUntil(() => el.layout?.zoom === 'FR');
    expect(root(el).querySelector('img, script')).to.equal(null);
    expect((window as { __pwnedGeo?: number }).__pwnedGeo).to.equal(undefined);
    expect([...svg(el).querySelectorAll('.city-label')].map((t) => t.textContent)).to.include(hostile);
    setTimeout(() => click(cities(el).find((c) => c.getAttribute('data-key')!.includes('<img'))!));
    const e = await oneEvent(el, 'usage-drilldown');
    expect((e.detail as GeoDrilldown).city).to.equal(hostile);
    frameOf(el).tableView = true;
    await elementUpdated(frameOf(el));
    expect(frameOf(el).shadowRoot!.querySelector('usage-data-table')!.shadowRoot!.querySelector('img, script')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real generated snapshot (.data/test-snapshot), counted independently with apache-arrow.

async function fetchTable(name: string): Promise<Table> {
  const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string }> };
  const res = await fetch(new URL(manifest.tables[name].file, new URL(SNAPSHOT, location.href)).href);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

interface Place {
  requests: number;
  users: Set<string>;
  latency: number;
}

describe('<usage-geo-map> over the real snapshot', () => {
  it('shows per-country requests, exact users, shares and the Unknown bucket counted from the rows; zoom shows the cities; the panel lists the users', async () => {
    const [requests, agents] = await Promise.all([fetchTable('requests'), fetchTable('agents')]);
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string } };
    const end = Date.parse(manifest.time_range.end);
    const start = end - 30 * DAY;
    const active = new Set<string>();
    for (let i = 0; i < agents.numRows; i++)
      if (String(agents.getChild('agent_status')!.get(i)) === 'active') active.add(String(agents.getChild('agent_id')!.get(i)));
    const tsType = String(requests.schema.fields.find((f) => f.name === 'ts')!.type);
    const divisor = /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1;
    const col = (n: string) => requests.getChild(n)!;
    const [ts, env, agent, user, ctry, city, latency] = ['ts', 'environment', 'agent_id', 'user_id', 'country', 'city', 'latency_ms'].map(col);
    const countries = new Map<string, Place>();
    const citiesOf = new Map<string, Map<string, Place>>();
    const add = (m: Map<string, Place>, k: string, u: string, l: number) => {
      let p = m.get(k);
      if (!p) m.set(k, (p = { requests: 0, users: new Set(), latency: 0 }));
      p.requests++;
      p.users.add(u);
      p.latency += l;
    };
    let total = 0;
    for (let i = 0; i < requests.numRows; i++) {
      const v = ts.get(i) as unknown;
      const t = typeof v === 'bigint' ? Number(v) / divisor : v instanceof Date ? v.getTime() : Number(v);
      const a = String(agent.get(i));
      if (t < start || t >= end || String(env.get(i)) !== 'production' || !active.has(a)) continue;
      const c = ctry.get(i) === null || ctry.get(i) === undefined ? 'Unknown' : String(ctry.get(i));
      const u = String(user.get(i));
      total++;
      add(countries, c, u, Number(latency.get(i)));
      const ci = city.get(i);
      if (ci !== null && ci !== undefined) {
        if (!citiesOf.has(c)) citiesOf.set(c, new Map());
        add(citiesOf.get(c)!, String(ci), u, Number(latency.get(i)));
      }
    }
    expect(countries.size).to.be.greaterThan(10);
    expect(countries.has('Unknown')).to.equal(true);

    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 1000px"><usage-geo-map transition-ms="0"></usage-geo-map></div>
        <usage-drilldown-panel></usage-drilldown-panel>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-geo-map')!;
    await waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy, 'map did not render', { timeout: 60_000, interval: 100 });
    await painted(el);
    const view = el.view!;
    expect(view.countries.map((c) => c.code).sort()).to.deep.equal([...countries.keys()].filter((k) => k !== 'Unknown').sort());
    const pct = (n: number) => `${((100 * n) / total).toFixed(1)} %`;
    const ms = (p: Place) => `${Math.round(p.latency / p.requests).toLocaleString('en-US')} ms`;
    // A few countries' labels as shown, and the Unknown bucket.
    const byRequests = [...countries.entries()].filter(([k]) => k !== 'Unknown').sort((a, b) => b[1].requests - a[1].requests || (a[0] < b[0] ? -1 : 1));
    for (const [code, p] of [byRequests[0], byRequests[1], byRequests[byRequests.length - 1]]) {
      const label = country(el, code)!.getAttribute('aria-label')!;
      expect(label, code).to.contain(
        `(${code}): ${p.requests.toLocaleString('en-US')} requests, ${p.users.size.toLocaleString('en-US')} unique users, ${pct(p.requests)} of requests`,
      );
      expect(label, code).to.contain(`average latency ${ms(p)}`);
    }
    const u = countries.get('Unknown')!;
    expect(text(root(el).querySelector('[part="unknown"]'))).to.contain(
      `${u.requests.toLocaleString('en-US')} requests · ${u.users.size} users · ${pct(u.requests)} of requests`,
    );
    // Keyboard order = requests order.
    expect(el.layout!.items.map((i) => (i.target as { row: { code: string } }).row.code)).to.deep.equal(byRequests.map(([k]) => k));
    // CSV (the table's rows): one per country + Unknown, then the cities; requests add up to the window.
    const csv = frameOf(el).rows as { level: string; code: string; city: string; requests: number; users: number }[];
    const countryRows = csv.filter((r) => r.level === 'Country');
    expect(countryRows.reduce((s, r) => s + r.requests, 0)).to.equal(total);
    expect(countryRows.find((r) => r.code === 'Unknown')!.users).to.equal(u.users.size);
    // Metric toggle: keyboard order by exact users.
    el.metric = 'users';
    await waitUntil(
      () =>
        el.layout &&
        (el.layout.items[0].target as { row: { code: string } }).row.code !== undefined &&
        svg(el).getAttribute('aria-label')!.includes('unique users'),
    );
    const byUsers = [...countries.entries()].filter(([k]) => k !== 'Unknown').sort((a, b) => b[1].users.size - a[1].users.size || (a[0] < b[0] ? -1 : 1));
    expect(el.layout!.items.map((i) => (i.target as { row: { code: string } }).row.code)).to.deep.equal(byUsers.map(([k]) => k));
    // Zoom to the top country: its cities as bubbles, sized by their users.
    const top = byRequests[0][0];
    click(country(el, top)!);
    await waitUntil(() => el.layout?.zoom === top);
    const expectedCities = [...citiesOf.get(top)!.entries()].sort((a, b) => b[1].users.size - a[1].users.size || 0);
    expect(cities(el)).to.have.length(expectedCities.length);
    expect([...svg(el).querySelectorAll('.city-label')].map((t) => t.textContent).sort()).to.deep.equal(expectedCities.map(([k]) => k).sort());
    for (const c of cities(el)) {
      const name = JSON.parse(c.getAttribute('data-key')!)[2] as string;
      expect(c.getAttribute('aria-label'), name).to.contain(
        `: ${citiesOf.get(top)!.get(name)!.users.size} unique users, ${citiesOf.get(top)!.get(name)!.requests.toLocaleString('en-US')} requests`,
      );
    }
    await expect(provider).to.be.accessible();

    // The drill-down of the Unknown bucket lists exactly the users with rows without a country.
    const panel = provider.querySelector('usage-drilldown-panel') as UsageDrilldownPanel;
    el.addEventListener('usage-drilldown', (e) => panel.show(e.detail as Extract<UsageDrilldownDetail, { kind: 'geo' }>));
    el.country = '';
    await waitUntil(() => el.layout?.zoom === '');
    click(root(el).querySelector('[part="unknown"]')!);
    await waitUntil(() => panel.rows !== undefined, 'panel rows', { timeout: 30_000 });
    expect(text(panel.shadowRoot!.querySelector('[part="title"]'))).to.equal('Users without a known location');
    expect(text(panel.shadowRoot!.querySelector('[part="stats"]'))).to.contain(`${u.requests.toLocaleString('en-US')} requests · ${u.users.size} users`);
    expect(panel.total).to.equal(u.users.size);
    const listed = panel.rows as { userId: string; requests: number }[];
    for (const r of listed.slice(0, 5)) expect(u.users.has(r.userId), r.userId).to.equal(true);
    panel.close();
  });

  it('Level 3 (one agent): shows only that agent’s countries', async () => {
    const requests = await fetchTable('requests');
    const agent = String(requests.getChild('agent_id')!.get(0));
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset: '90d' } })}>
        <div style="width: 900px"><usage-geo-map transition-ms="0" filters-override=${JSON.stringify({ agentIds: [agent] })}></usage-geo-map></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-geo-map')!;
    await waitUntil(() => frameOf(el)?.state !== 'loading' && !frameOf(el).busy, 'map did not render', { timeout: 60_000, interval: 100 });
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string } };
    const end = Date.parse(manifest.time_range.end);
    const tsType = String(requests.schema.fields.find((f) => f.name === 'ts')!.type);
    const divisor = /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1;
    const per = new Map<string, number>();
    for (let i = 0; i < requests.numRows; i++) {
      const v = requests.getChild('ts')!.get(i) as unknown;
      const t = typeof v === 'bigint' ? Number(v) / divisor : v instanceof Date ? v.getTime() : Number(v);
      if (t < end - 90 * DAY || t >= end || String(requests.getChild('agent_id')!.get(i)) !== agent) continue;
      const c = requests.getChild('country')!.get(i);
      const k = c === null || c === undefined ? 'Unknown' : String(c);
      per.set(k, (per.get(k) ?? 0) + 1);
    }
    const shown = new Map([...(el.view?.countries ?? []), ...(el.view?.unknown ? [el.view.unknown] : [])].map((c) => [c.code, c.requests]));
    expect(shown).to.deep.equal(per);
  });
});
