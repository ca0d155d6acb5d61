/**
 * Pure parts of `<usage-geo-map>` (chart 2.15): the view model from the `geography` answer (countries
 * with their ISO numeric id and English name, the Unknown bucket, cities), the colour scale and its
 * legend, the keyboard order, tooltips, the table / CSV rows and the drill-down details.
 *
 * Colour: request and user counts per country are heavily skewed (one country often holds a fifth of
 * the requests, the smallest a handful), so a linear scale would paint almost every country in the
 * lowest class. The classes are **log-spaced** instead: six bins between the smallest and the largest
 * value with equal *ratios* (each bin ×(max/min)^(1/6)), thresholds rounded to two significant digits.
 * Unlike quantiles, the legend still reads as magnitudes (10–25, 25–63, …) and a country's class does
 * not depend on how many other countries happen to be small. Colours are viridis (colour-blind-safe,
 * readable in greyscale) from light yellow (few) to dark purple (many); countries without data are a
 * neutral grey with a hatch, distinct from every class.
 */
import type { CityStats, CountryStats, Geography, UsageFilters } from '@usage-analytics/queries';
import { interpolateViridis } from 'd3-scale-chromatic';
import type { GeoDrilldown } from '../../events/usage-drilldown.js';
import type { DataColumn } from '../../internal/data-column.js';
import type { TooltipContent } from '../../internal/tooltip.js';
import { countryName, numericOf } from './world.js';

export type GeoMetric = 'requests' | 'users';
export type GeoProjectionKind = 'mercator' | 'robinson';

export const METRIC_LABELS: Record<GeoMetric, string> = { requests: 'Requests', users: 'Unique users' };

/** A country with data (or the Unknown bucket). */
export interface CountryRow {
  /** ISO alpha-2 as in the data ('Unknown' for the bucket). */
  code: string;
  name: string;
  /** ISO 3166-1 numeric ('250'), when the code is a known country. */
  numeric?: string;
  requests: number;
  users: number;
  avgLatencyMs: number;
  /** Percentage (0–100) of the window's requests. */
  share: number;
  /** Longitude and latitude of its cities (request-weighted mean), for countries the map has no outline for. */
  centre?: [number, number];
}

export interface CityRow {
  /** Stable key: country, region, city. */
  key: string;
  country: string;
  countryName: string;
  region: string;
  city: string;
  latitude: number | null;
  longitude: number | null;
  requests: number;
  users: number;
  avgLatencyMs: number;
  share: number;
}

export interface GeoView {
  /** Countries with data, by code (the Unknown bucket is apart). */
  countries: CountryRow[];
  unknown?: CountryRow;
  cities: CityRow[];
  totalRequests: number;
}

const cityKey = (c: Pick<CityStats, 'country' | 'region' | 'city'>) => JSON.stringify([c.country, c.region, c.city]);

/** The view model of a `geography` answer. */
export function geoView(geo: Geography): GeoView {
  const totalRequests = geo.countries.reduce((s, c) => s + c.requests, 0);
  const share = (n: number) => (totalRequests ? (100 * n) / totalRequests : 0);
  const cities: CityRow[] = geo.cities.map((c) => ({
    key: cityKey(c),
    country: c.country,
    countryName: countryName(c.country),
    region: c.region,
    city: c.city,
    latitude: c.latitude,
    longitude: c.longitude,
    requests: c.requests,
    users: c.users,
    avgLatencyMs: c.avgLatencyMs,
    share: share(c.requests),
  }));
  const centres = new Map<string, { x: number; y: number; w: number }>();
  for (const c of cities) {
    if (c.latitude === null || c.longitude === null) continue;
    const m = centres.get(c.country) ?? { x: 0, y: 0, w: 0 };
    m.x += c.longitude * c.requests;
    m.y += c.latitude * c.requests;
    m.w += c.requests;
    centres.set(c.country, m);
  }
  const row = (c: CountryStats): CountryRow => {
    const m = centres.get(c.country);
    return {
      code: c.country,
      name: countryName(c.country),
      numeric: c.country === 'Unknown' ? undefined : numericOf(c.country),
      requests: c.requests,
      users: c.users,
      avgLatencyMs: c.avgLatencyMs,
      share: share(c.requests),
      centre: m && m.w > 0 ? [m.x / m.w, m.y / m.w] : undefined,
    };
  };
  const countries = geo.countries.filter((c) => c.country !== 'Unknown').map(row);
  const u = geo.countries.find((c) => c.country === 'Unknown');
  return { countries, unknown: u ? row(u) : undefined, cities, totalRequests };
}

/** The value of the metric. */
export const valueOf = (r: Pick<CountryRow, GeoMetric>, metric: GeoMetric): number => r[metric];

/** Countries in keyboard order: by the metric, largest first, then by code. */
export function keyboardOrder(countries: readonly CountryRow[], metric: GeoMetric): CountryRow[] {
  return [...countries].sort((a, b) => valueOf(b, metric) - valueOf(a, metric) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Colour of countries without data. */
export const NO_DATA_COLOUR = '#d4d4d4';
export const BINS = 6;

export interface ColourScale {
  /** Upper bounds of the first BINS − 1 classes (exclusive); a value ≥ thresholds[i] is in class i + 1. */
  thresholds: number[];
  colours: string[];
  min: number;
  max: number;
  colour(value: number): string;
  /** Class index of a value. */
  bin(value: number): number;
}

/** Whole numbers below 100, else two significant digits (a legend reads 7, 25, 63, 160, not 7.1, 24.7, 62.9, 158.3). */
function nice(v: number): number {
  if (v <= 0) return 0;
  if (v < 100) return Math.round(v);
  const p = Math.pow(10, Math.floor(Math.log10(v)) - 1);
  return Math.round(v / p) * p;
}

/** Six log-spaced classes over the countries' values (see the file header); one class when all are equal. */
export function colourScale(values: readonly number[]): ColourScale {
  const pos = values.filter((v) => v > 0);
  const min = pos.length ? Math.min(...pos) : 0;
  const max = pos.length ? Math.max(...pos) : 0;
  const thresholds: number[] = [];
  if (min > 0 && max > min) {
    const ratio = max / min;
    for (let i = 1; i < BINS; i++) {
      const t = nice(min * Math.pow(ratio, i / BINS));
      if (t > min && t <= max && (thresholds.length === 0 || t > thresholds[thresholds.length - 1])) thresholds.push(t);
    }
  }
  const n = thresholds.length + 1;
  // Light (few) to dark (many): viridis from 0.95 down to 0.05.
  const colours = Array.from({ length: n }, (_, i) => interpolateViridis(n === 1 ? 0.5 : 0.95 - (0.9 * i) / (n - 1)));
  const bin = (v: number) => {
    let i = 0;
    while (i < thresholds.length && v >= thresholds[i]) i++;
    return i;
  };
  return { thresholds, colours, min, max, bin, colour: (v) => (v > 0 ? colours[bin(v)] : NO_DATA_COLOUR) };
}

/** The legend's classes: "min–t1", "t1–t2", …, "tn–max". */
export function legendItems(scale: ColourScale, fmt: (v: number) => string): { colour: string; label: string }[] {
  const bounds = [scale.min, ...scale.thresholds, scale.max];
  return scale.colours.map((colour, i) => {
    const lo = bounds[i];
    const hi = bounds[i + 1];
    const label = i === scale.colours.length - 1 ? (lo === hi ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`) : `${fmt(lo)} to under ${fmt(hi)}`;
    return { colour, label };
  });
}

export interface GeoFormatters {
  count(v: number): string;
  pct(v: number): string;
  ms(v: number): string;
}

export function formatters(locale: string): GeoFormatters {
  const nf = new Intl.NumberFormat(locale);
  const one = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const ms = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  return { count: (v) => nf.format(v), pct: (v) => `${one.format(v)} %`, ms: (v) => `${ms.format(v)} ms` };
}

/** "France (FR): 1,234 requests, 56 unique users, 6.2 % of requests, average latency 812 ms". */
export function countryLabel(r: CountryRow, f: GeoFormatters): string {
  const name = r.code === 'Unknown' ? 'Unknown location' : `${r.name} (${r.code})`;
  return `${name}: ${f.count(r.requests)} requests, ${f.count(r.users)} unique users, ${f.pct(r.share)} of requests, average latency ${f.ms(r.avgLatencyMs)}`;
}

export function placeName(c: Pick<CityRow, 'city' | 'region' | 'countryName'>): string {
  return [c.city, c.region === 'Unknown' ? '' : c.region, c.countryName].filter(Boolean).join(', ');
}

export function cityLabel(c: CityRow, f: GeoFormatters): string {
  return `${placeName(c)}: ${f.count(c.users)} unique users, ${f.count(c.requests)} requests, average latency ${f.ms(c.avgLatencyMs)}`;
}

export function countryTooltip(r: CountryRow, f: GeoFormatters): TooltipContent {
  return {
    title: r.code === 'Unknown' ? 'Unknown location' : `${r.name} (${r.code})`,
    rows: [
      { label: 'Requests', value: f.count(r.requests) },
      { label: 'Unique users', value: f.count(r.users) },
      { label: 'Share of requests', value: f.pct(r.share) },
      { label: 'Average latency', value: f.ms(r.avgLatencyMs) },
    ],
  };
}

export function cityTooltip(c: CityRow, f: GeoFormatters): TooltipContent {
  return {
    title: placeName(c),
    rows: [
      { label: 'Unique users', value: f.count(c.users) },
      { label: 'Requests', value: f.count(c.requests) },
      { label: 'Share of requests', value: f.pct(c.share) },
      { label: 'Average latency', value: f.ms(c.avgLatencyMs) },
    ],
  };
}

/** Tooltip of a country without data. */
export function emptyTooltip(name: string): TooltipContent {
  return { title: name, note: 'No requests from here in this period.' };
}

/** One row of the table view and the CSV: a country, the Unknown bucket or a city. */
export interface GeoRow {
  level: 'Country' | 'City';
  country: string;
  code: string;
  region: string;
  city: string;
  requests: number;
  users: number;
  share: number;
  avgLatencyMs: number;
  latitude: number | null;
  longitude: number | null;
}

/** Rows of the table: the countries by requests (Unknown last), then their cities; zoomed, one country and its cities. */
export function tableRows(view: GeoView, zoom = ''): GeoRow[] {
  const countries = keyboardOrder(
    view.countries.filter((c) => !zoom || c.code === zoom),
    'requests',
  );
  const out: GeoRow[] = countries.map((c) => ({
    level: 'Country',
    country: c.name,
    code: c.code,
    region: '',
    city: '',
    requests: c.requests,
    users: c.users,
    share: c.share,
    avgLatencyMs: c.avgLatencyMs,
    latitude: null,
    longitude: null,
  }));
  const u = view.unknown;
  if (u && !zoom)
    out.push({
      level: 'Country',
      country: 'Unknown location',
      code: 'Unknown',
      region: '',
      city: '',
      requests: u.requests,
      users: u.users,
      share: u.share,
      avgLatencyMs: u.avgLatencyMs,
      latitude: null,
      longitude: null,
    });
  const order = new Map(countries.map((c, i) => [c.code, i]));
  const cities = view.cities
    .filter((c) => !zoom || c.country === zoom)
    .sort((a, b) => (order.get(a.country) ?? 1e9) - (order.get(b.country) ?? 1e9) || b.users - a.users || (a.key < b.key ? -1 : 1));
  for (const c of cities)
    out.push({
      level: 'City',
      country: c.countryName,
      code: c.country,
      region: c.region,
      city: c.city,
      requests: c.requests,
      users: c.users,
      share: c.share,
      avgLatencyMs: c.avgLatencyMs,
      latitude: c.latitude,
      longitude: c.longitude,
    });
  return out;
}

export function geoColumns(filters: () => UsageFilters): DataColumn<GeoRow>[] {
  return [
    { key: 'level', label: 'Level' },
    {
      key: 'country',
      label: 'Country',
      drill: (r) => (r.level === 'Country' ? placeDrilldown({ ...r, name: r.country }, filters()) : undefined),
    },
    { key: 'code', label: 'Code' },
    { key: 'region', label: 'Region' },
    {
      key: 'city',
      label: 'City',
      drill: (r) => (r.level === 'City' ? placeDrilldown({ ...r, name: r.country }, filters(), { region: r.region, city: r.city }) : undefined),
    },
    { key: 'requests', label: 'Requests', type: 'integer' },
    { key: 'users', label: 'Unique users', type: 'integer' },
    { key: 'share', label: 'Share of requests', type: 'percent', searchable: false },
    { key: 'avgLatencyMs', label: 'Average latency (ms)', type: 'number', format: (v) => (typeof v === 'number' ? v.toFixed(0) : ''), searchable: false },
    { key: 'latitude', label: 'Latitude', type: 'number', searchable: false },
    { key: 'longitude', label: 'Longitude', type: 'number', searchable: false },
  ];
}

/** The drill-down of a country, the Unknown bucket (`code` 'Unknown') or a city: the users there. */
export function placeDrilldown(
  place: { code: string; name: string; requests: number; users: number; avgLatencyMs: number; share: number },
  filters: UsageFilters,
  city?: { region: string; city: string },
): GeoDrilldown {
  return {
    kind: 'geo',
    country: place.code,
    countryName: place.code === 'Unknown' ? 'Unknown location' : place.name,
    ...(city ? { region: city.region, city: city.city } : {}),
    stats: { requests: place.requests, users: place.users, avgLatencyMs: place.avgLatencyMs, share: place.share },
    filters: structuredClone(filters),
  };
}

/** Bubble radius (px at zoom 1) by users: area ∝ users (sqrt scale), largest city `maxRadius`. */
export function bubbleRadius(maxUsers: number, maxRadius: number): (users: number) => number {
  return (u) => (maxUsers > 0 && u > 0 ? Math.max(1.5, maxRadius * Math.sqrt(u / maxUsers)) : 0);
}
