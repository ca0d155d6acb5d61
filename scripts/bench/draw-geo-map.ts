/**
 * Draw benchmark of chart 2.15 (`<usage-geo-map>`), for the bench page: 200 countries with values and
 * 500 city bubbles (synthetic, skewed like real usage) through the element's view model (`geoView`:
 * names, shares, centres), colour scale and bubble sizes, then the draw at 1100 × 560 on the bundled
 * 1:110m world — into a fresh SVG (cold: projected outlines cached, as after the first paint), into
 * the same SVG with the other metric (update), and with the projection switched (Mercator ↔ Robinson,
 * outlines projected anew: the cache is cleared first). `decodeMs` is the TopoJSON decode (once per
 * page; 0 when an earlier bench decoded it) and `firstMs` the first paint after it. Medians in ms.
 */
import type { Geography } from '@usage-analytics/queries';
import {
  bubbleRadius,
  cityLabel,
  colourScale,
  countryLabel,
  formatters,
  geoView,
  keyboardOrder,
  valueOf,
  type CityRow,
  type CountryRow,
  type GeoMetric,
  type GeoProjectionKind,
} from '../../packages/elements/src/components/geo-map/geo-map.data.js';
import { clearProjectionCache, geoMapChart } from '../../packages/elements/src/components/geo-map/geo-map.draw.js';
import { outlinedCountries, worldGeometry } from '../../packages/elements/src/components/geo-map/world.js';

export interface GeoMapBench {
  countries: number;
  cities: number;
  /** Decoding the bundled TopoJSON into GeoJSON (once per page). */
  decodeMs: number;
  /** The first paint of a page after the decode: projection of the outlines + draw. */
  firstMs: number;
  coldMs: number;
  updateMs: number;
  projectionSwitchMs: number;
  /** The fastest run of each. */
  min: { cold: number; update: number; projectionSwitch: number };
}

const COUNTRIES = 200;
const CITIES = 500;
const W = 1100;
const H = 560;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** 200 countries (those with an outline first, then dots) and 500 cities near their country's centroid. */
export function benchGeography(): Geography {
  let seed = 17;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const places = outlinedCountries();
  // Small countries without a 1:110m outline fill up to 200 (drawn as dots).
  const extra = [
    'SG',
    'HK',
    'MT',
    'BH',
    'LU',
    'MU',
    'BB',
    'MV',
    'AD',
    'MC',
    'LI',
    'SM',
    'QA',
    'KM',
    'SC',
    'TO',
    'WS',
    'DM',
    'LC',
    'GD',
    'AG',
    'KN',
    'VC',
    'ST',
    'CV',
    'MO',
    'PF',
    'GU',
    'AW',
    'CW',
  ];
  for (const code of extra) places.push({ code, lon: rand() * 300 - 150, lat: rand() * 100 - 40 });
  const chosen = places.slice(0, COUNTRIES);
  const countries: Geography['countries'] = [];
  const cities: Geography['cities'] = [];
  chosen.forEach((p, i) => {
    const weight = rand() ** 4 * 50_000 + 10;
    const nCities = Math.floor(CITIES / COUNTRIES) + (i < CITIES % COUNTRIES ? 1 : 0);
    let requests = 0;
    let users = 0;
    for (let c = 0; c < nCities; c++) {
      const r = Math.max(1, Math.round((weight / nCities) * (0.3 + rand())));
      const u = Math.max(1, Math.round(r / (5 + rand() * 20)));
      requests += r;
      users += u;
      cities.push({
        country: p.code,
        region: `Region ${c % 3}`,
        city: `City ${i}-${c}`,
        latitude: Math.max(-60, Math.min(75, p.lat + (rand() - 0.5) * 4)),
        longitude: p.lon + (rand() - 0.5) * 4,
        requests: r,
        users: u,
        avgLatencyMs: 300 + rand() * 2000,
      });
    }
    countries.push({ country: p.code, requests, users, avgLatencyMs: 300 + rand() * 2000 });
  });
  countries.push({ country: 'Unknown', requests: 1234, users: 200, avgLatencyMs: 900 });
  return { countries, cities };
}

/** Times view model + draw (median of `runs`, after one warm-up): cold, metric update, projection switch. */
export function benchGeoMap(runs: number): GeoMapBench {
  const t0 = performance.now();
  worldGeometry();
  const decodeMs = performance.now() - t0;
  const data = benchGeography();
  const host = document.createElement('div');
  host.style.cssText = `position:relative;width:${W}px;height:${H}px;font:11px system-ui`;
  document.body.append(host);
  const f = formatters('en-US');
  const paint = (svg: SVGSVGElement, metric: GeoMetric, projection: GeoProjectionKind, cold: boolean): number => {
    const t = performance.now();
    const view = geoView(data);
    const scale = colourScale(view.countries.map((c) => valueOf(c, metric)));
    const radius = bubbleRadius(Math.max(0, ...view.cities.map((c) => c.users)), 14);
    const options = {
      width: W,
      height: H,
      projection,
      colour: (r: CountryRow) => scale.colour(valueOf(r, metric)),
      radius: (c: CityRow) => radius(c.users),
      order: keyboardOrder(view.countries, metric).map((c) => c.code),
      describeCountry: (r: CountryRow) => countryLabel(r, f),
      describeCity: (c: CityRow) => cityLabel(c, f),
      transitionMs: 0,
    };
    const d = { countries: view.countries, cities: view.cities };
    if (cold) geoMapChart.draw(svg, d, options);
    else geoMapChart.update(svg, d, options);
    svg.getBoundingClientRect();
    void host.offsetHeight; // style + layout of the new nodes
    return performance.now() - t;
  };
  const fresh = () => {
    host.replaceChildren(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    return host.firstElementChild as SVGSVGElement;
  };
  clearProjectionCache();
  const first = paint(fresh(), 'requests', 'mercator', true);
  const cold: number[] = [];
  const update: number[] = [];
  const sw: number[] = [];
  let drawnCities = 0;
  for (let r = 0; r < Math.max(runs, 5) + 1; r++) {
    const svg = fresh();
    cold.push(paint(svg, 'requests', 'mercator', true));
    update.push(paint(svg, 'users', 'mercator', false));
    clearProjectionCache();
    sw.push(paint(svg, 'users', r % 2 ? 'mercator' : 'robinson', false));
    paint(svg, 'users', 'mercator', false); // the Mercator outlines cached again for the next cold run
    drawnCities = svg.querySelectorAll('circle.city').length;
  }
  host.remove();
  return {
    countries: data.countries.length - 1,
    cities: drawnCities,
    decodeMs,
    firstMs: first,
    coldMs: median(cold.slice(1)),
    updateMs: median(update.slice(1)),
    projectionSwitchMs: median(sw.slice(1)),
    min: { cold: Math.min(...cold.slice(1)), update: Math.min(...update.slice(1)), projectionSwitch: Math.min(...sw.slice(1)) },
  };
}
