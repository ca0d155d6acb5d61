/**
 * Reference semantics in plain TypeScript, written from the module definitions (not from their SQL):
 * time ranges, user segments, the filter predicate and small numeric helpers. Timestamps are epoch µs.
 */
import type { UsageFilters } from '@usage-analytics/queries';
import type { Dataset, RequestRow } from '../fixtures.js';
import { isoToMicros } from './instant.js';
import { savedMembersOf } from './saved-segments.js';

export const US_MS = 1000;
export const US_HOUR = 3_600_000_000;
export const US_DAY = 86_400_000_000;
export const MS_DAY = 86_400_000;

export interface Range {
  start: number;
  end: number;
  prevStart: number;
  prevEnd: number;
  bucket: 'hour' | 'day';
}

const PRESET_US: Record<string, number> = { '1h': US_HOUR, '24h': 24 * US_HOUR, '7d': 7 * US_DAY, '30d': 30 * US_DAY, '90d': 90 * US_DAY };

/** The window [start, end) in µs, the previous window of equal length, and the suggested bucket. */
export function rangeOf(ds: Dataset, f: UsageFilters): Range {
  const anchor = isoToMicros(ds.anchor);
  let start: number;
  let end: number;
  if (f.timeRange.preset === 'custom') {
    start = isoToMicros(f.timeRange.start);
    end = isoToMicros(f.timeRange.end);
  } else {
    end = anchor;
    start = anchor - PRESET_US[f.timeRange.preset];
  }
  const span = end - start;
  return { start, end, prevStart: start - span, prevEnd: start, bucket: span <= 3 * US_DAY ? 'hour' : 'day' };
}

export const anchorOf = (ds: Dataset): number => isoToMicros(ds.anchor);
export const dataStartOf = (ds: Dataset): number => isoToMicros(ds.start);

export type Segment = 'power' | 'regular' | 'new' | 'dormant';

/**
 * User segments as of the window end, over all requests (no filter):
 * no request before the end → no segment; last request more than 30 days before the end → dormant;
 * first seen within the last 30 days → new; among users with window requests, rank (1 + number of
 * users with strictly more window requests) ≤ ceil(users with window requests / 10) → power; else regular.
 */
export function segmentsOf(ds: Dataset, range: { start: number; end: number }): Map<string, Segment> {
  const last = new Map<string, number>();
  const win = new Map<string, number>();
  for (const r of ds.requests) {
    if (r.ts < range.end) last.set(r.user_id, Math.max(last.get(r.user_id) ?? -Infinity, r.ts));
    if (r.ts >= range.start && r.ts < range.end) win.set(r.user_id, (win.get(r.user_id) ?? 0) + 1);
  }
  const counts = [...win.values()];
  const cut = Math.ceil(counts.length / 10);
  const out = new Map<string, Segment>();
  for (const u of ds.users) {
    const l = last.get(u.user_id);
    if (l === undefined) continue;
    let seg: Segment;
    if (l < range.end - 30 * US_DAY) seg = 'dormant';
    else if (u.first_seen_at >= range.end - 30 * US_DAY) seg = 'new';
    else {
      const n = win.get(u.user_id);
      if (n !== undefined && 1 + counts.filter((c) => c > n).length <= cut) seg = 'power';
      else seg = 'regular';
    }
    out.set(u.user_id, seg);
  }
  return out;
}

export type Omit = Partial<Record<keyof UsageFilters, boolean>>;

/** The filter predicate on a request, time excluded. */
export function filterPred(ds: Dataset, f: UsageFilters, range: Range, omit: Omit = {}): (r: RequestRow) => boolean {
  const status = new Map(ds.agents.map((a) => [a.agent_id, a.agent_status]));
  const segs = f.userSegments.length > 0 && !omit.userSegments ? segmentsOf(ds, range) : null;
  const saved = omit.savedSegments ? null : savedMembersOf(ds, f.savedSegments);
  const has = (key: keyof UsageFilters, values: readonly string[], v: string | null) => omit[key] || values.length === 0 || (v !== null && values.includes(v));
  return (r) =>
    has('departments', f.departments, r.department_id) &&
    has('intents', f.intents, r.intent_category) &&
    has('environments', f.environments, r.environment) &&
    has('providers', f.providers, r.provider) &&
    has('agentIds', f.agentIds, r.agent_id) &&
    has('userIds', f.userIds, r.user_id) &&
    has('requestStatuses', f.requestStatuses, r.status) &&
    has('modelFamilies', f.modelFamilies, r.model_family) &&
    has('agentStatuses', f.agentStatuses, status.get(r.agent_id) ?? null) &&
    (segs === null || f.userSegments.includes(segs.get(r.user_id) as never)) &&
    (saved === null || saved.has(r.user_id));
}

/** Requests passing the filters within [from, to). */
export function select(ds: Dataset, f: UsageFilters, range: Range, from: number, to: number, omit: Omit = {}): RequestRow[] {
  const p = filterPred(ds, f, range, omit);
  return ds.requests.filter((r) => r.ts >= from && r.ts < to && p(r));
}

export const windowRows = (ds: Dataset, f: UsageFilters, omit: Omit = {}): RequestRow[] => {
  const range = rangeOf(ds, f);
  return select(ds, f, range, range.start, range.end, omit);
};

// ---------------------------------------------------------------------------------------------
// Numbers and calendars

export const msOf = (u: number): number => Math.floor(u / US_MS);
export const dayOf = (u: number): number => Math.floor(u / US_DAY) * US_DAY;
export const hourOf = (u: number): number => Math.floor(u / US_HOUR) * US_HOUR;
export const isoDate = (u: number): string => new Date(msOf(u)).toISOString().slice(0, 10);
export const monthKey = (u: number): string => new Date(msOf(u)).toISOString().slice(0, 7);
export const monthIndex = (u: number): number => {
  const d = new Date(msOf(u));
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
export const monthStartUs = (index: number): number => Date.UTC(Math.floor(index / 12), index % 12, 1) * US_MS;
export const monthLabel = (index: number): string => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** Every bucket start from the bucket of `start` to the bucket of the last µs before `end`. */
export function buckets(start: number, end: number, size: number): number[] {
  const out: number[] = [];
  if (end <= start) return out;
  for (let b = Math.floor(start / size) * size; b <= Math.floor((end - 1) / size) * size; b += size) out.push(b);
  return out;
}

/** Quantile with linear interpolation between closest ranks (Hyndman–Fan type 7), as DuckDB's quantile_cont. */
export function quantile7(sorted: readonly number[], p: number): number {
  const rn = (sorted.length - 1) * p;
  const lo = Math.floor(rn);
  const hi = Math.ceil(rn);
  if (lo === hi) return sorted[lo];
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rn - lo);
}

/**
 * Hamilton's method at one decimal for counts (non-negative integers): shares in % summing to exactly
 * 100.0. Item i gets ⌊1000·v/S⌋ tenths; the tenths left over go to the largest remainders 1000·v mod S
 * (integers over the same S, so equal means equal). Ties, in this order: the larger count, the key
 * that sorts first (tuple order for a path), the earlier position.
 */
export function hamilton(values: readonly number[], keys?: readonly (string | readonly string[])[]): number[] {
  if (!values.every((v) => Number.isSafeInteger(v) && v >= 0 && v * 1000 <= Number.MAX_SAFE_INTEGER))
    throw new Error(`reference hamilton: counts only, got ${values}`);
  const total = values.reduce((a, b) => a + b, 0);
  if (total === 0) return values.map(() => 0);
  const tenths = values.map((v) => Math.floor((v * 1000) / total));
  const rem = values.map((v, i) => v * 1000 - tenths[i] * total);
  const keyCmp = (i: number, j: number): number => {
    if (!keys) return 0;
    const [a, b] = [keys[i], keys[j]].map((k) => (typeof k === 'string' ? [k] : k));
    for (let x = 0; x < Math.min(a.length, b.length); x++) if (a[x] !== b[x]) return cmpStr(a[x], b[x]);
    return a.length - b.length;
  };
  const idx = values.map((_, i) => i).sort((i, j) => rem[j] - rem[i] || values[j] - values[i] || keyCmp(i, j) || i - j);
  let left = 1000 - tenths.reduce((a, b) => a + b, 0);
  for (const i of idx) {
    if (left-- <= 0) break;
    tenths[i]++;
  }
  return tenths.map((x) => x / 10);
}

export const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function groupBy<T, K>(xs: readonly T[], key: (x: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of xs) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}

export const distinct = <T>(xs: Iterable<T>): number => new Set(xs).size;
export const isoDow = (u: number): number => {
  const d = new Date(msOf(u)).getUTCDay();
  return d === 0 ? 7 : d;
};
export const utcHour = (u: number): number => new Date(msOf(u)).getUTCHours();
