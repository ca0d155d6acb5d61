/**
 * The world geometry of chart 2.15, bundled with the element (never fetched at run time): Natural
 * Earth 1:110m country outlines from `world-atlas` (TopoJSON, 108 KB raw / 38 KB gzip) and the ISO
 * 3166-1 alpha-2 → numeric table of `i18n-iso-countries` (its `codes.json`, 10 KB / 3 KB gzip; the
 * package's entry is CommonJS and pulls `diacritics`, so only its data table is imported). Both are
 * standard JSON modules (`with { type: 'json' }`): native in the browser under the test runner, the
 * JSON plugin in the rollup build, Vite's JSON support in Storybook.
 *
 * Country names come from the built-in `Intl.DisplayNames(['en'], { type: 'region' })` instead of a
 * locale file. 1:110m has no outline for a few small countries (Singapore, Hong Kong, …); the chart
 * draws those as a dot where their cities are.
 */
import type { Feature, FeatureCollection, Geometry, MultiLineString } from 'geojson';
import { geoCentroid } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import codes from 'i18n-iso-countries/codes.json' with { type: 'json' };
import atlas from 'world-atlas/countries-110m.json' with { type: 'json' };

export type CountryFeature = Feature<Geometry, { name: string }> & { id?: string };

interface World {
  /** Countries with an ISO numeric id (three digits, as world-atlas spells them). */
  countries: CountryFeature[];
  /** Borders between countries (one path). */
  borders: MultiLineString;
}

let world: World | undefined;

/** The 1:110m countries and their shared borders (decoded once). */
export function worldGeometry(): World {
  if (world) return world;
  type Topo = Parameters<typeof mesh>[0];
  type Obj = NonNullable<Parameters<typeof mesh>[1]>;
  const topo = atlas as unknown as Topo;
  const countries = (topo.objects as Record<string, Obj>).countries as Obj;
  const fc = feature(topo, countries) as unknown as FeatureCollection<Geometry, { name: string }>;
  world = {
    countries: fc.features as CountryFeature[],
    borders: mesh(topo, countries, (a, b) => a !== b),
  };
  return world;
}

/** Alpha-2 code and spherical centroid of every outlined country (for synthetic data: the bench and stories). */
export function outlinedCountries(): { code: string; lon: number; lat: number }[] {
  const out: { code: string; lon: number; lat: number }[] = [];
  for (const f of worldGeometry().countries) {
    const code = f.id && f.id !== '010' ? alpha2Of(String(f.id)) : undefined;
    if (!code) continue;
    const [lon, lat] = geoCentroid(f);
    out.push({ code, lon, lat });
  }
  return out;
}

let outlines: Set<string> | undefined;

/** Whether the 1:110m map has an outline for an ISO numeric id (Antarctica is not drawn). */
export function hasOutline(numeric: string | undefined): boolean {
  outlines ??= new Set(
    worldGeometry()
      .countries.map((f) => String(f.id ?? ''))
      .filter((id) => id && id !== '010'),
  );
  return !!numeric && outlines.has(numeric);
}

let alpha2ToNumeric: Map<string, string> | undefined;
let numericToAlpha2: Map<string, string> | undefined;

function tables(): void {
  if (alpha2ToNumeric) return;
  alpha2ToNumeric = new Map();
  numericToAlpha2 = new Map();
  for (const [a2, , n] of codes as unknown as [string, string, string][]) {
    alpha2ToNumeric.set(a2, n);
    numericToAlpha2.set(n, a2);
  }
}

/** ISO 3166-1 numeric ('250') of an alpha-2 code ('FR'; any case), or undefined. */
export function numericOf(alpha2: string): string | undefined {
  tables();
  return alpha2ToNumeric!.get(alpha2.toUpperCase());
}

/** Alpha-2 of an ISO numeric id, or undefined. */
export function alpha2Of(numeric: string): string | undefined {
  tables();
  return numericToAlpha2!.get(numeric);
}

let names: Intl.DisplayNames | undefined;

/** English name of an alpha-2 code ('FR' → 'France'); the code itself when unknown. */
export function countryName(alpha2: string): string {
  if (alpha2 === 'Unknown') return 'Unknown location';
  if (!/^[A-Za-z]{2}$/.test(alpha2)) return alpha2;
  try {
    names ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    return names.of(alpha2.toUpperCase()) ?? alpha2;
  } catch {
    return alpha2;
  }
}
