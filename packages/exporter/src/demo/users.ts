/**
 * Demo users as parallel typed arrays (no per-user objects on the hot path): department, home city,
 * heavy-tailed activity weight (Pareto), arrival day, lifetime (churn), client preference, the
 * moment they move to v2.0, a few department transfers, and PII (name, email).
 */
import { Rng, WeightedPicker, pickWeighted, permute32 } from '../prng.js';
import { API_CLIENTS, CLIENT_WEIGHTS_BUSINESS, CLIENT_WEIGHTS_TECH, COUNTRIES, DEPARTMENTS, FIRST_NAMES, LAST_NAMES } from './catalog.js';
import { DAY_US } from './agents.js';

export interface CityRef {
  country: number;
  region: number;
  city: number;
  lat: number;
  lon: number;
  tz: number;
}

/** Flattened geography with dictionary indices for country, region and city. */
export interface Geography {
  cities: CityRef[];
  countryCodes: string[];
  regions: string[];
  cityNames: string[];
  /** Weighted pick of a city index. */
  cityWeights: number[];
}

export function buildGeography(): Geography {
  const regions: string[] = [];
  const cityNames: string[] = [];
  const regionIdx = new Map<string, number>();
  const cityIdx = new Map<string, number>();
  const cities: CityRef[] = [];
  const cityWeights: number[] = [];
  COUNTRIES.forEach((country, ci) => {
    country.cities.forEach((c, k) => {
      if (!regionIdx.has(c.region)) regionIdx.set(c.region, regions.push(c.region) - 1);
      if (!cityIdx.has(c.city)) cityIdx.set(c.city, cityNames.push(c.city) - 1);
      cities.push({ country: ci, region: regionIdx.get(c.region)!, city: cityIdx.get(c.city)!, lat: c.lat, lon: c.lon, tz: c.tz });
      // The first city of a country is its biggest hub.
      cityWeights.push((country.weight * (k === 0 ? 2 : 1)) / (country.cities.length + 1));
    });
  });
  return { cities, countryCodes: COUNTRIES.map((c) => c.code), regions, cityNames, cityWeights };
}

export interface DemoUsers {
  count: number;
  ids: string[];
  names: (string | null)[];
  emails: (string | null)[];
  dept: Int32Array;
  /** Department after a transfer (or the same), and when the transfer happens (µs, Infinity = never). */
  dept2: Int32Array;
  transferAt: Float64Array;
  /** Home city index into Geography.cities. */
  city: Int32Array;
  /** 0 when the location is unknown (requests carry null geography). */
  geoKnown: Uint8Array;
  weight: Float64Array;
  /** Arrival day relative to the period start (negative: before the period). */
  arrivalDay: Int32Array;
  /** first_seen_at of users who arrived before the period (µs); NaN for the others. */
  priorFirstSeen: Float64Array;
  /** Active lifetime in days after arrival. */
  lifetimeDays: Float64Array;
  preferredClient: Int32Array;
  technical: Uint8Array;
  /** The user switches to v2.0 once the v2.0 share exceeds this threshold. */
  v2Threshold: Float64Array;
}

function asciiSlug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '');
}

/**
 * @param arrivalVolume relative volume of each day of the period (new users arrive in proportion)
 */
export function buildUsers(rng: Rng, count: number, start: number, arrivalVolume: Float64Array, geo: Geography, idKey: number): DemoUsers {
  const days = arrivalVolume.length;
  const deptPicker = new WeightedPicker(DEPARTMENTS.map((d) => d.weight));
  const cityPicker = new WeightedPicker(geo.cityWeights);
  const dayPicker = new WeightedPicker(arrivalVolume);
  const u: DemoUsers = {
    count,
    ids: new Array(count),
    names: new Array(count),
    emails: new Array(count),
    dept: new Int32Array(count),
    dept2: new Int32Array(count),
    transferAt: new Float64Array(count),
    city: new Int32Array(count),
    geoKnown: new Uint8Array(count),
    weight: new Float64Array(count),
    arrivalDay: new Int32Array(count),
    priorFirstSeen: new Float64Array(count),
    lifetimeDays: new Float64Array(count),
    preferredClient: new Int32Array(count),
    technical: new Uint8Array(count),
    v2Threshold: new Float64Array(count),
  };
  const emailCounts = new Map<string, number>();
  const preShare = 0.35;
  for (let i = 0; i < count; i++) {
    const hex = permute32(i, idKey).toString(16).padStart(8, '0');
    u.ids[i] = `usr-${hex}`;
    const dept = deptPicker.pick(rng);
    u.dept[i] = dept;
    u.dept2[i] = dept;
    u.transferAt[i] = Infinity;
    u.city[i] = cityPicker.pick(rng);
    u.geoKnown[i] = rng.chance(0.98) ? 1 : 0;
    const tech = DEPARTMENTS[dept].technical;
    u.technical[i] = tech ? 1 : 0;
    u.preferredClient[i] = pickWeighted(rng, tech ? CLIENT_WEIGHTS_TECH : CLIENT_WEIGHTS_BUSINESS);
    // Heavy tail: a few users make a large share of the requests.
    const w = Math.min(400, rng.pareto(1, 1.1));
    u.weight[i] = w;
    // Churn: many try-and-leave users, long-lived regulars; heavy users stay longer.
    const longLived = rng.chance(w > 4 ? 0.85 : 0.55);
    u.lifetimeDays[i] = longLived ? 20 + rng.exponential(420) : 1 + rng.exponential(14);
    if (rng.chance(preShare)) {
      const before = 1 + rng.int(365);
      u.arrivalDay[i] = -before;
      u.priorFirstSeen[i] = start - before * DAY_US + Math.floor(rng.next() * DAY_US);
    } else {
      u.arrivalDay[i] = dayPicker.pick(rng);
      u.priorFirstSeen[i] = NaN;
    }
    // Engineering migrates to v2.0 earlier than the rest.
    u.v2Threshold[i] = rng.next() * (tech ? 0.8 : 1);
    if (rng.chance(0.012)) {
      u.dept2[i] = deptPicker.pick(rng);
      u.transferAt[i] = start + rng.next() * days * DAY_US;
    }
    if (rng.chance(0.01)) {
      // Service accounts: no name, no email.
      u.names[i] = null;
      u.emails[i] = null;
    } else {
      const first = FIRST_NAMES[rng.int(FIRST_NAMES.length)];
      const last = LAST_NAMES[rng.int(LAST_NAMES.length)];
      u.names[i] = `${first} ${last}`;
      const local = `${asciiSlug(first)}.${asciiSlug(last)}`;
      const n = emailCounts.get(local) ?? 0;
      emailCounts.set(local, n + 1);
      u.emails[i] = `${local}${n === 0 ? '' : n + 1}@example.com`;
    }
  }
  return u;
}

export function userDeptAt(u: DemoUsers, i: number, t: number): number {
  return t >= u.transferAt[i] ? u.dept2[i] : u.dept[i];
}

export const CLIENT_COUNT = API_CLIENTS.length;
