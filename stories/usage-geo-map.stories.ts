import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageGeoMap } from '../packages/elements/src/index.js';
import { defaultFilters, type Geography } from '../packages/queries/src/index.js';
import { benchGeography } from '../scripts/bench/draw-geo-map.js';

interface Args {
  metric: 'requests' | 'users';
  projection: 'mercator' | 'robinson';
  country: string;
  locale: string;
}

const s = (requests: number, users: number, avgLatencyMs = 640) => ({ requests, users, avgLatencyMs });

/** A small world: a few busy countries, a long tail, cities with coordinates, and an Unknown bucket (~2 %). */
const SAMPLE: Geography = {
  countries: [
    { country: 'US', ...s(5200, 410, 520) },
    { country: 'GB', ...s(1900, 160, 610) },
    { country: 'DE', ...s(1500, 130, 580) },
    { country: 'FR', ...s(1100, 95, 600) },
    { country: 'IN', ...s(980, 120, 910) },
    { country: 'JP', ...s(760, 60, 700) },
    { country: 'BR', ...s(420, 44, 880) },
    { country: 'AU', ...s(300, 25, 990) },
    { country: 'SG', ...s(260, 22, 720) },
    { country: 'ZA', ...s(90, 9, 1200) },
    { country: 'KE', ...s(25, 4, 1400) },
    { country: 'Unknown', ...s(240, 31, 800) },
  ],
  cities: [
    { country: 'US', region: 'NY', city: 'New York', latitude: 40.7128, longitude: -74.006, ...s(2600, 200) },
    { country: 'US', region: 'CA', city: 'San Francisco', latitude: 37.7749, longitude: -122.4194, ...s(1800, 140) },
    { country: 'US', region: 'IL', city: 'Chicago', latitude: 41.8781, longitude: -87.6298, ...s(800, 70) },
    { country: 'GB', region: 'England', city: 'London', latitude: 51.5074, longitude: -0.1278, ...s(1500, 120) },
    { country: 'GB', region: 'Scotland', city: 'Edinburgh', latitude: 55.9533, longitude: -3.1883, ...s(400, 40) },
    { country: 'DE', region: 'Berlin', city: 'Berlin', latitude: 52.52, longitude: 13.405, ...s(900, 80) },
    { country: 'DE', region: 'Bavaria', city: 'Munich', latitude: 48.1351, longitude: 11.582, ...s(600, 50) },
    { country: 'FR', region: 'Île-de-France', city: 'Paris', latitude: 48.8566, longitude: 2.3522, ...s(800, 70) },
    { country: 'FR', region: 'Auvergne-Rhône-Alpes', city: 'Lyon', latitude: 45.764, longitude: 4.8357, ...s(300, 25) },
    { country: 'IN', region: 'Karnataka', city: 'Bengaluru', latitude: 12.9716, longitude: 77.5946, ...s(700, 90) },
    { country: 'IN', region: 'Maharashtra', city: 'Mumbai', latitude: 19.076, longitude: 72.8777, ...s(280, 30) },
    { country: 'JP', region: 'Tokyo', city: 'Tokyo', latitude: 35.6762, longitude: 139.6503, ...s(760, 60) },
    { country: 'BR', region: 'SP', city: 'São Paulo', latitude: -23.5505, longitude: -46.6333, ...s(420, 44) },
    { country: 'AU', region: 'NSW', city: 'Sydney', latitude: -33.8688, longitude: 151.2093, ...s(300, 25) },
    { country: 'SG', region: 'Unknown', city: 'Singapore', latitude: 1.3521, longitude: 103.8198, ...s(260, 22) },
    { country: 'ZA', region: 'Gauteng', city: 'Johannesburg', latitude: -26.2041, longitude: 28.0473, ...s(90, 9) },
    { country: 'KE', region: 'Nairobi', city: 'Nairobi', latitude: -1.2921, longitude: 36.8219, ...s(25, 4) },
  ],
};

const HOSTILE: Geography = {
  countries: [{ country: 'FR', ...s(50, 5) }],
  cities: [
    { country: 'FR', region: '<script>alert(1)</script>', city: '<img src=x onerror="alert(2)">', latitude: 48.85, longitude: 2.35, ...s(30, 3) },
    { country: 'FR', region: 'Unknown', city: `مدينة ${'long-name-'.repeat(12)}`, latitude: 45.76, longitude: 4.83, ...s(20, 2) },
  ],
};

function client(answer: () => Promise<Geography>): QueryClient {
  return { run: () => answer(), precomputed: () => undefined } as unknown as QueryClient;
}
const resolves = (g: Geography) => () => new Promise<Geography>((r) => setTimeout(() => r(g), 200));

function chart(args: Args, c: QueryClient): HTMLElement {
  const el = document.createElement('usage-geo-map') as UsageGeoMap;
  el.client = c;
  el.filters = defaultFilters();
  el.metric = args.metric;
  el.projection = args.projection;
  el.country = args.country;
  el.locale = args.locale;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.15 Geographic usage map',
  component: 'usage-geo-map',
  args: { metric: 'requests', projection: 'mercator', country: '', locale: 'en-US' },
  argTypes: {
    metric: { control: 'inline-radio', options: ['requests', 'users'] },
    projection: { control: 'inline-radio', options: ['mercator', 'robinson'] },
    country: { control: 'select', options: ['', 'US', 'GB', 'DE', 'FR', 'IN', 'JP'] },
    locale: { control: 'select', options: ['en-US', 'de-DE', 'fr-FR', 'ar-EG'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'World choropleth of requests or exact unique users per country (log-spaced viridis classes, countries without data hatched grey) with city bubbles sized by users, in Mercator or Robinson. Click or Enter zooms to a country and labels its cities; clicking the zoomed country, a city or the Unknown location bucket fires `usage-drilldown` `{kind: "geo", country, region?, city?, stats, filters}`. The world outlines (Natural Earth 1:110m) are bundled.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

export const World: Story = { render: (args) => chart(args, client(resolves(SAMPLE))) };
export const Robinson: Story = { args: { projection: 'robinson', metric: 'users' }, render: (args) => chart(args, client(resolves(SAMPLE))) };
export const ZoomedToACountry: Story = { args: { country: 'US' }, render: (args) => chart(args, client(resolves(SAMPLE))) };
export const Large: Story = {
  name: 'Large (200 countries, 500 cities)',
  render: (args) => chart(args, client(resolves(benchGeography()))),
};
export const HostileNames: Story = { args: { country: 'FR' }, render: (args) => chart(args, client(resolves(HOSTILE))) };
export const Loading: Story = {
  render: (args) =>
    chart(
      args,
      client(() => new Promise(() => undefined)),
    ),
};
export const Empty: Story = { render: (args) => chart(args, client(resolves({ countries: [], cities: [] }))) };
export const QueryError: Story = {
  render: (args) =>
    chart(
      args,
      client(() => Promise.reject(Object.assign(new Error('query failed: Catalog Error'), { code: 'query_failed' }))),
    ),
};
