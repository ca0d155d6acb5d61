/**
 * A dataset the demo never makes: its data end (the anchor of every relative preset, exclusive) is
 * not on a millisecond boundary, and requests sit at the last microsecond before it, exactly at and
 * one microsecond before every preset's window start and previous-window start, and around custom
 * bounds written with 4, 5 and 6 fractional digits. A client that keeps only milliseconds (a JS
 * `Date`) moves some of these requests between windows; an exact one does not.
 *
 * Every boundary request has its own user (`b:<label>`), so both call and user counts show a move.
 */
import { TIME_PRESETS, type TimePreset } from '@usage-analytics/queries';
import {
  AGENT_DEFS,
  DEPARTMENTS,
  INTENTS,
  Rand,
  US_DAY,
  US_HOUR,
  req,
  smallDataset,
  us,
  user,
  type Dataset,
  type RequestRow,
  type UserRow,
} from './fixtures.js';
import { microsToIso } from './reference/instant.js';

/** Data end, exclusive: 457 µs past the millisecond `.123`. */
export const SUBMS_ANCHOR = '2026-03-10T09:30:00.123457Z';
/** First request (also sub-millisecond). */
export const SUBMS_START = '2025-08-20T06:15:42.000250Z';

export const PRESET_SPAN: Record<TimePreset, number> = { '1h': US_HOUR, '24h': 24 * US_HOUR, '7d': 7 * US_DAY, '30d': 30 * US_DAY, '90d': 90 * US_DAY };

/** Custom ranges whose bounds have 4, 5 and 6 fractional digits (one with a UTC offset). */
export const SUBMS_CUSTOM: { name: string; start: string; end: string }[] = [
  { name: '4 and 5 digits, day buckets', start: '2026-02-14T08:00:00.1234', end: '2026-02-20T17:45:10.98765' },
  { name: '6 digits, hour buckets', start: '2026-03-09T10:00:00.000001', end: '2026-03-10T02:30:00.999999' },
  { name: '6 digits with a +05:30 offset', start: '2026-03-01T01:02:03.000450+05:30', end: '2026-03-03T23:59:59.999999+05:30' },
];

/** The labelled boundary instants (µs) of the dataset; each holds one request by user `b:<label>`. */
export function subMsBoundaries(): Record<string, number> {
  const a = us(SUBMS_ANCHOR);
  const out: Record<string, number> = {
    'last µs': a - 1,
    'old ms anchor': a - 457, // = …:00.123000: a millisecond anchor excludes it, the exact one does not
    'before old ms anchor': a - 458,
  };
  for (const p of TIME_PRESETS) {
    const span = PRESET_SPAN[p];
    out[`${p} start`] = a - span;
    out[`${p} start −1µs`] = a - span - 1;
    out[`${p} prev start`] = a - 2 * span;
    out[`${p} prev start −1µs`] = a - 2 * span - 1;
  }
  for (const c of SUBMS_CUSTOM) {
    const s = us(c.start);
    const e = us(c.end);
    const msFloor = (t: number) => Math.floor(t / 1000) * 1000;
    out[`${c.name}: start`] = s;
    out[`${c.name}: start −1µs`] = s - 1;
    out[`${c.name}: start ms floor`] = msFloor(s); // inside a truncated range, outside the exact one
    out[`${c.name}: end −1µs`] = e - 1;
    out[`${c.name}: end`] = e;
    out[`${c.name}: end ms floor`] = msFloor(e); // outside a truncated range, inside the exact one
    out[`${c.name}: prev start`] = s - (e - s);
    out[`${c.name}: prev start −1µs`] = s - (e - s) - 1;
  }
  return out;
}

export const boundaryUser = (label: string): string => `b:${label}`;

/** ~1,500 background requests at random microseconds, plus one request per boundary instant. */
export function subMsDataset(seed = 7): Dataset {
  const rnd = new Rand(seed);
  const a = us(SUBMS_ANCHOR);
  const s = us(SUBMS_START);
  const agents = AGENT_DEFS.filter((d) => d.id !== 'a10-idle');
  const requests: RequestRow[] = [];
  const users: UserRow[] = [];
  const first = new Map<string, number>();
  const add = (r: RequestRow) => {
    requests.push(r);
    first.set(r.user_id, Math.min(first.get(r.user_id) ?? Infinity, r.ts));
  };
  const mk = (ts: number, userId: string, dept: string): RequestRow => {
    const agent = rnd.pick(agents);
    return req({
      ts,
      user_id: userId,
      department_id: dept,
      agent_id: agent.id,
      agent_version: agent.versions[0],
      model_family: agent.model,
      provider: agent.provider,
      intent_category: rnd.pick(INTENTS),
      environment: rnd.weighted(['production', 'staging', 'development'], [80, 15, 5]),
      status: rnd.weighted(['success', 'error', 'timeout'], [90, 7, 3]),
      latency_ms: rnd.int(100, 3000),
      cost_usd: rnd.int(1, 5000) / 1e5,
    });
  };
  add(mk(s, 'u00', DEPARTMENTS[0])); // the first request is the data start
  for (let i = 0; i < 40; i++) {
    const id = `u${String(i).padStart(2, '0')}`;
    const dept = DEPARTMENTS[i % DEPARTMENTS.length];
    // Users 30–39 start inside the last 30 days ("new"); the rest span the whole range with gaps.
    const from = i >= 30 ? a - rnd.int(1, 29) * US_DAY - rnd.int(0, US_DAY - 1) : s;
    const n = i < 4 ? 120 : rnd.int(3, 40);
    for (let k = 0; k < n; k++) add(mk(from + Math.floor(rnd.next() * (a - from)), id, dept));
  }
  // Boundary requests pass the PRD default filters too (production, an active agent, success).
  const active = agents.filter((d) => d.status === 'active');
  Object.entries(subMsBoundaries()).forEach(([label, ts], i) => {
    const agent = active[i % active.length];
    add({
      ...mk(ts, boundaryUser(label), DEPARTMENTS[i % DEPARTMENTS.length]),
      agent_id: agent.id,
      agent_version: agent.versions[0],
      model_family: agent.model,
      provider: agent.provider,
      environment: 'production',
      status: 'success',
    });
  });
  for (const [id, ts] of first) users.push(user(id, ts, requests.find((r) => r.user_id === id)!.department_id));
  users.sort((x, y) => (x.user_id < y.user_id ? -1 : 1));
  const last = Math.max(...requests.map((r) => r.ts));
  if (microsToIso(last + 1) !== microsToIso(a)) throw new Error(`sub-ms fixture: the last request must be the anchor − 1 µs, got ${microsToIso(last)}`);
  return smallDataset('subms', SUBMS_ANCHOR, SUBMS_START, requests, users);
}
