/**
 * Reference: the members of a saved segment (A2.3), written from the criteria's definition
 * (README "Filters", `SegmentCriteria` in queries), not from its SQL. Timestamps are epoch µs.
 */
import type { SavedSegmentFilter, SegmentCriteria } from '@usage-analytics/queries';
import type { Dataset, RequestRow } from '../fixtures.js';
import { US_DAY, anchorOf, segmentsOf } from './common.js';

export interface Member {
  department: string;
  requests: number;
}

/** Criteria as a host may write them (defaults optional). */
export type LooseCriteria = Partial<Omit<SegmentCriteria, 'requests' | 'agents'>> & {
  requests?: { min?: number; max?: number };
  agents?: { ids?: string[]; mode?: 'any' | 'all' };
};

/**
 * Users with at least one request in [end − windowDays, end) matching every criterion: requests in
 * the window within [min, max]; used any / all of the agents; department at their last request in
 * the window among `departments`; engagement segment as of `end` over the window among `engagement`;
 * last request at or after end − lastActiveWithinDays.
 */
export function refSegmentMembers(requests: readonly RequestRow[], users: Dataset['users'], end: number, c: LooseCriteria): Map<string, Member> {
  const w = c.windowDays ?? 30;
  const start = end - w * US_DAY;
  const per = new Map<string, { n: number; last: number; dept: string; agents: Set<string> }>();
  for (const r of requests) {
    if (r.ts < start || r.ts >= end) continue;
    const e = per.get(r.user_id) ?? { n: 0, last: -Infinity, dept: '', agents: new Set<string>() };
    e.n++;
    e.agents.add(r.agent_id);
    if (r.ts > e.last) {
      e.last = r.ts;
      e.dept = r.department_id;
    }
    per.set(r.user_id, e);
  }
  const segs = c.engagement?.length ? segmentsOf({ requests, users } as Dataset, { start, end }) : undefined;
  const out = new Map<string, Member>();
  for (const [u, e] of per) {
    if (c.requests?.min !== undefined && e.n < c.requests.min) continue;
    if (c.requests?.max !== undefined && e.n > c.requests.max) continue;
    const ids = c.agents?.ids ?? [];
    if (ids.length && (c.agents?.mode === 'all' ? !ids.every((a) => e.agents.has(a)) : !ids.some((a) => e.agents.has(a)))) continue;
    if (c.departments?.length && !c.departments.includes(e.dept)) continue;
    if (segs && !c.engagement!.includes(segs.get(u) as never)) continue;
    if (c.lastActiveWithinDays !== undefined && e.last < end - c.lastActiveWithinDays * US_DAY) continue;
    out.set(u, { department: e.dept, requests: e.n });
  }
  return out;
}

/** The union of the members of the selected saved segments, or null when none is selected. */
export function savedMembersOf(ds: Dataset, segments: readonly SavedSegmentFilter[] | undefined): Set<string> | null {
  if (!segments?.length) return null;
  const out = new Set<string>();
  for (const s of segments) for (const u of refSegmentMembers(ds.requests, ds.users, anchorOf(ds), s.criteria).keys()) out.add(u);
  return out;
}
