/**
 * The filter changes `pnpm bench` times on the tab (issue 12): a few single-dimension changes and
 * many random combinations drawn from the snapshot's own dimensions with a seeded PRNG, so a seed
 * repeats a run exactly and a new seed (the default) draws a new set. Every state passes
 * `validateFilters` against the snapshot's dimensions; no two are the same (so the coordinator's
 * cache cannot answer a change), and none equals the tab's starting filters.
 */
import {
  AGENT_STATUSES,
  ENVIRONMENTS,
  REQUEST_STATUSES,
  TIME_PRESETS,
  USER_SEGMENTS,
  validateFilters,
  type Dimensions,
  type UsageFilters,
} from '@usage-analytics/queries';

export interface FilterChange {
  /** Short human label (printed with the change's time). */
  name: string;
  /** `single` (one dimension changed from the base) or `combo`. */
  kind: 'single' | 'combo';
  filters: UsageFilters;
}

export interface DrawOptions {
  seed: number;
  /** Number of changes in all (≥ 40 for a p95); default 60. */
  count?: number;
  /** The snapshot's data window, epoch ms: `[dataStart, anchor)`. */
  dataStart: number;
  anchor: number;
}

/** mulberry32: a small, fast 32-bit PRNG; the same seed gives the same sequence on every engine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fresh seed for a run (printed by the bench; `BENCH_SEED` repeats it). */
export function newSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** `k` distinct values of `xs` (k clipped to its length), in the PRNG's order. */
function pick<T>(rand: () => number, xs: readonly T[], k: number): T[] {
  const pool = [...xs];
  const out: T[] = [];
  for (let i = 0; i < Math.min(k, pool.length); i++) out.push(pool.splice(Math.floor(rand() * pool.length), 1)[0]);
  return out;
}

const int = (rand: () => number, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));

/** ISO instant with an explicit `Z` (so it is an instant in any time zone), to the second. */
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/**
 * A custom range inside the data that cuts through days: starts at a random hour (and minute) of a
 * random day, lasts from 5 hours to 45 days, and ends before the anchor.
 */
function customRange(rand: () => number, dataStart: number, anchor: number): { preset: 'custom'; start: string; end: string } {
  const span = Math.max(HOUR, anchor - dataStart);
  const length = Math.min(span, rand() < 0.25 ? int(rand, 5, 60) * HOUR : int(rand, 2, 45) * DAY + int(rand, 1, 23) * HOUR);
  const start = dataStart + Math.floor(rand() * Math.max(1, (span - length) / (15 * 60_000))) * 15 * 60_000 + int(rand, 0, 3) * 15 * 60_000;
  const end = Math.min(anchor, start + length);
  return { preset: 'custom', start: iso(start), end: iso(end > start ? end : start + HOUR) };
}

/** The single-dimension changes (kept so runs can be compared with the older bench). */
function singles(base: UsageFilters, dims: Dimensions, rand: () => number): FilterChange[] {
  const one = (name: string, patch: Partial<UsageFilters>): FilterChange => ({ name, kind: 'single', filters: { ...base, ...patch } });
  const dep = pick(rand, dims.departments, 1)[0];
  const intent = pick(rand, dims.intents, 1)[0];
  const provider = pick(rand, dims.providers, 1)[0];
  const out = [
    one('7 days', { timeRange: { preset: '7d' } }),
    one('90 days', { timeRange: { preset: '90d' } }),
    one('staging', { environments: ['staging'] }),
    one('errors', { requestStatuses: ['error'] }),
    one('power users', { userSegments: ['power'] }),
  ];
  if (dep) out.push(one(`department ${dep}`, { departments: [dep] }));
  if (intent) out.push(one(`intent ${intent}`, { intents: [intent] }));
  if (provider) out.push(one(`provider ${provider}`, { providers: [provider] }));
  return out;
}

type Dim =
  'time' | 'departments' | 'intents' | 'userSegments' | 'providers' | 'requestStatuses' | 'environments' | 'agentStatuses' | 'agentIds' | 'modelFamilies';

/** One random combination: the shape (departments + intent + segment) half the time, else 2–5 random dimensions; always a new time window or not, at random. */
function combo(base: UsageFilters, dims: Dimensions, rand: () => number, o: DrawOptions): FilterChange {
  const f: UsageFilters = { ...base };
  const labels: string[] = [];
  const all: Dim[] = [
    'time',
    'departments',
    'intents',
    'userSegments',
    'providers',
    'requestStatuses',
    'environments',
    'agentStatuses',
    'agentIds',
    'modelFamilies',
  ];
  const chosen: Dim[] =
    rand() < 0.5
      ? ['departments', 'intents', 'userSegments', ...pick(rand, ['time', 'providers', 'requestStatuses'] as Dim[], int(rand, 0, 2))]
      : pick(rand, all, int(rand, 2, 5));
  for (const d of chosen) {
    switch (d) {
      case 'time': {
        if (rand() < 0.7) {
          const r = customRange(rand, o.dataStart, o.anchor);
          f.timeRange = r;
          labels.push(`${r.start.slice(5, 16)}→${r.end.slice(5, 16)}`);
        } else {
          const p = pick(rand, TIME_PRESETS, 1)[0];
          f.timeRange = { preset: p };
          labels.push(p);
        }
        break;
      }
      case 'departments':
        f.departments = pick(rand, dims.departments, int(rand, 2, 4));
        labels.push(`${f.departments.length} depts`);
        break;
      case 'intents':
        f.intents = pick(rand, dims.intents, int(rand, 1, 2));
        labels.push(f.intents.join('+'));
        break;
      case 'userSegments':
        f.userSegments = pick(rand, USER_SEGMENTS, int(rand, 1, 2));
        labels.push(f.userSegments.join('+'));
        break;
      case 'providers':
        f.providers = pick(rand, dims.providers, int(rand, 1, 2));
        labels.push(f.providers.join('+'));
        break;
      case 'requestStatuses':
        f.requestStatuses = pick(rand, REQUEST_STATUSES, int(rand, 1, 2));
        labels.push(f.requestStatuses.join('+'));
        break;
      case 'environments':
        f.environments = pick(rand, ENVIRONMENTS, int(rand, 1, 3));
        labels.push(f.environments.join('+'));
        break;
      case 'agentStatuses':
        f.agentStatuses = rand() < 0.25 ? [] : pick(rand, AGENT_STATUSES, int(rand, 1, 3));
        labels.push(f.agentStatuses.length ? f.agentStatuses.join('+') : 'all statuses');
        break;
      case 'agentIds':
        f.agentIds = pick(rand, dims.agentIds, int(rand, 1, 3));
        labels.push(`${f.agentIds.length} agents`);
        break;
      case 'modelFamilies':
        f.modelFamilies = pick(rand, dims.modelFamilies, 1);
        labels.push(f.modelFamilies.join('+'));
        break;
    }
  }
  return { name: labels.join(' · '), kind: 'combo', filters: f };
}

/** Canonical key of a filter state (list order does not matter to the SQL's `IN`, but it does to the cache key; sort so repeats are caught). */
export function filterKey(f: UsageFilters): string {
  return JSON.stringify(Object.entries(f).map(([k, v]) => [k, Array.isArray(v) ? [...v].map((x) => JSON.stringify(x)).sort() : v]));
}

/**
 * Draws `count` distinct, valid filter changes from `base` (the tab's filters): the singles first
 * (shuffled into the run), the rest combinations. Deterministic for a seed.
 */
export function drawFilterChanges(base: UsageFilters, dims: Dimensions, o: DrawOptions): FilterChange[] {
  const count = o.count ?? 60;
  const rand = prng(o.seed);
  const seen = new Set([filterKey(base)]);
  const out: FilterChange[] = [];
  const add = (c: FilterChange) => {
    const k = filterKey(c.filters);
    if (seen.has(k) || out.length >= count) return false;
    validateFilters(c.filters, dims);
    seen.add(k);
    out.push(c);
    return true;
  };
  for (const s of singles(base, dims, rand)) add(s);
  for (let tries = 0; out.length < count && tries < count * 50; tries++) add(combo(base, dims, rand, o));
  // Shuffle (Fisher–Yates) so singles and combinations interleave; the first change stays a combination-or-single at random.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** The older bench's 20 changes (16 single departments, 7 d, 90 d, staging, the first intent), for comparison (`BENCH_FILTERS=old`). */
export function oldFilterChanges(base: UsageFilters, dims: Dimensions): FilterChange[] {
  const one = (name: string, patch: Partial<UsageFilters>): FilterChange => ({ name, kind: 'single', filters: { ...base, ...patch } });
  return [
    ...dims.departments.slice(0, 16).map((d) => one(`department ${d}`, { departments: [d] })),
    one('7 days', { timeRange: { preset: '7d' } }),
    one('90 days', { timeRange: { preset: '90d' } }),
    one('staging', { environments: ['staging'] }),
    one(`intent ${dims.intents[0]}`, { intents: [dims.intents[0]] }),
  ];
}
