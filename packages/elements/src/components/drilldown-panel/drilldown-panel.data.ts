/**
 * Pure parts of `<usage-drilldown-panel>`: which drill-downs it shows, their titles, the table
 * columns, and a user's requests grouped into sessions with their agent sequence.
 */
import type {
  CohortUser,
  JourneySession as LinkSession,
  PlaceUser,
  RequestLogRow,
  SegmentUser,
  UsageFilters,
  UserCalls,
  UserJourneyRow,
} from '@usage-analytics/queries';
import type { UsageDrilldownDetail } from '../../events/usage-drilldown.js';
import type { DataColumn } from '../data-table/data-table.model.js';

/** The drill-down kinds the panel shows (the others are levels or filters of the tab). */
export const PANEL_KINDS = ['time-bucket', 'segment', 'cohort-cell', 'user', 'hour-weekday', 'call-range', 'journey-link', 'geo', 'agent-call'] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];
export type PanelDetail = Extract<UsageDrilldownDetail, { kind: PanelKind }>;

export const isPanelDetail = (d: unknown): d is PanelDetail =>
  !!d && typeof d === 'object' && (PANEL_KINDS as readonly string[]).includes((d as { kind?: unknown }).kind as string);

/** Rows per page of the panel's lists. */
export const PANEL_PAGE = 50;
/** Requests of a user fetched per page of the journey. */
export const JOURNEY_PAGE = 200;

const HW_DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const SEGMENT_NAMES: Record<string, string> = { new: 'New users', returning: 'Returning users', power: 'Power users' };

const fmtInstant = (iso: string) => {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC` : iso;
};

/** The dialog's title. */
export function panelTitle(d: PanelDetail): string {
  switch (d.kind) {
    case 'time-bucket':
      return `Requests from ${fmtInstant(d.bucketStart)} to ${fmtInstant(d.bucketEnd)}${d.department ? ` in ${d.department}` : ''}`;
    case 'segment':
      return `${SEGMENT_NAMES[d.segment] ?? d.segment}`;
    case 'cohort-cell':
      return `Cohort ${d.cohortMonth}, month ${d.monthOffset}: active users`;
    case 'user':
      return `Journey of user ${d.userId}${d.userName ? ` (${d.userName})` : ''}`;
    case 'hour-weekday':
      return `Requests on ${HW_DAYS[d.weekday - 1] ?? `weekday ${d.weekday}`}s, ${String(d.hour).padStart(2, '0')}:00–${String((d.hour + 1) % 24).padStart(2, '0')}:00 (${d.timeZone})`;
    case 'call-range':
      return `Users with ${callRangeText(d.min, d.max)}`;
    case 'journey-link':
      return `Sessions: ${d.label}`;
    case 'geo':
      return d.country === 'Unknown' ? 'Users without a known location' : `Users in ${placeText(d)}`;
    case 'agent-call':
      return `Calls from ${d.source} to ${d.target}`;
  }
}

/** "Paris, Île-de-France, France" / "France" (a region of 'Unknown' is left out). */
export function placeText(d: Extract<PanelDetail, { kind: 'geo' }>): string {
  return [d.city ?? '', d.region && d.region !== 'Unknown' ? d.region : '', d.countryName].filter(Boolean).join(', ');
}

/** The place's figures from the map: "1,234 requests · 56 users · 6.2 % of requests · average latency 812 ms". */
export function placeStats(d: Extract<PanelDetail, { kind: 'geo' }>, locale = 'en-US'): string {
  const nf = new Intl.NumberFormat(locale);
  const one = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const s = d.stats;
  return `${nf.format(s.requests)} requests · ${nf.format(s.users)} ${s.users === 1 ? 'user' : 'users'} · ${one.format(s.share)} % of requests · average latency ${nf.format(Math.round(s.avgLatencyMs))} ms`;
}

/** "5 calls", "10–19 calls", "at least 43 calls" (max exclusive). */
export function callRangeText(min: number, max: number | null): string {
  if (max === null) return `at least ${min} ${min === 1 ? 'call' : 'calls'}`;
  if (max - 1 <= min) return `${min} ${min === 1 ? 'call' : 'calls'}`;
  return `${min}–${max - 1} calls`;
}

/** A suggested segment name for "Save as segment". */
export function segmentName(d: PanelDetail): string {
  if (d.kind === 'segment') return SEGMENT_NAMES[d.segment] ?? d.segment;
  if (d.kind === 'cohort-cell') return `Cohort ${d.cohortMonth}, month ${d.monthOffset}`;
  if (d.kind === 'call-range') return `Users with ${callRangeText(d.min, d.max)}`;
  if (d.kind === 'journey-link') return `Journey: ${d.label}`;
  return panelTitle(d);
}

/** Filters that select a segment's users (`userSegments: [segment]`). */
export function segmentFilters(d: PanelDetail): UsageFilters {
  const f = structuredClone(d.filters);
  return d.kind === 'segment' ? { ...f, userSegments: [d.segment] } : f;
}

const userDrill =
  (filters: UsageFilters) =>
  (r: { userId: string; userName?: string | null }): UsageDrilldownDetail => ({
    kind: 'user',
    userId: r.userId,
    userName: r.userName ?? null,
    filters: { ...structuredClone(filters), userIds: [r.userId] },
  });

export function requestColumns(): DataColumn<RequestLogRow>[] {
  return [
    { key: 'ts', label: 'Time', type: 'datetime' },
    { key: 'requestId', label: 'Request' },
    { key: 'userId', label: 'User' },
    { key: 'departmentId', label: 'Department' },
    { key: 'intent', label: 'Intent' },
    { key: 'status', label: 'Status' },
    { key: 'latencyMs', label: 'Latency (ms)', type: 'integer' },
    { key: 'costUsd', label: 'Cost', type: 'currency' },
  ];
}

export function segmentColumns(filters: UsageFilters): DataColumn<SegmentUser>[] {
  return [
    { key: 'userId', label: 'User ID', drill: userDrill(filters) },
    { key: 'userName', label: 'Name' },
    { key: 'departmentId', label: 'Department' },
    { key: 'calls', label: 'Calls', type: 'integer' },
    { key: 'lastActive', label: 'Last active', type: 'datetime' },
    { key: 'firstSeen', label: 'First seen', type: 'date' },
  ];
}

export function cohortColumns(filters: UsageFilters): DataColumn<CohortUser>[] {
  return [
    { key: 'userId', label: 'User ID', drill: userDrill(filters) },
    { key: 'departmentId', label: 'Department' },
    { key: 'requests', label: 'Requests that month', type: 'integer' },
  ];
}

export function callRangeColumns(filters: UsageFilters): DataColumn<UserCalls>[] {
  return [
    { key: 'userId', label: 'User ID', drill: userDrill(filters) },
    { key: 'departmentId', label: 'Department' },
    { key: 'calls', label: 'Calls', type: 'integer' },
    { key: 'daysActive', label: 'Days active', type: 'integer' },
    { key: 'score', label: 'Engagement score', type: 'integer' },
    { key: 'lastActive', label: 'Last active', type: 'datetime' },
  ];
}

/** The `journeySessions` / `journeyLinkUsers` params of a journey-link drill-down. */
export function journeyParams(d: Extract<PanelDetail, { kind: 'journey-link' }>) {
  return { step: d.step, source: d.source, anySource: d.anySource, targetKind: d.targetKind, target: d.target, steps: d.steps, topN: d.topN, anchor: d.anchor };
}

/** The sessions behind a journey link (chart 2.11): the whole agent path of each. */
export function journeyColumns(filters: UsageFilters): DataColumn<LinkSession>[] {
  return [
    { key: 'sessionId', label: 'Session' },
    { key: 'userId', label: 'User ID', drill: userDrill(filters) },
    { key: 'start', label: 'Start', type: 'datetime' },
    { key: 'length', label: 'Agents', type: 'integer' },
    { key: 'exitReason', label: 'Exit reason' },
    { key: 'path', label: 'Path', format: (_v, r) => r.path.join(' → ') },
  ];
}

export function placeColumns(filters: UsageFilters): DataColumn<PlaceUser>[] {
  return [
    { key: 'userId', label: 'User ID', drill: userDrill(filters) },
    { key: 'userName', label: 'Name' },
    { key: 'departmentId', label: 'Department' },
    { key: 'requests', label: 'Requests from here', type: 'integer' },
    { key: 'lastSeen', label: 'Last seen here', type: 'datetime' },
  ];
}

export interface JourneySession {
  /** The session id, or `null` for a request outside any session. */
  sessionId: string | null;
  start: number;
  end: number;
  requests: number;
  errors: number;
  /** Agents in call order, consecutive repeats collapsed. */
  agents: string[];
}

/**
 * Groups a user's requests (any order) into sessions, latest session first; inside a session the
 * agent sequence is in time order with consecutive repeats collapsed. Requests without a session
 * are one entry each.
 */
export function sessionsOf(rows: readonly UserJourneyRow[]): JourneySession[] {
  const groups = new Map<string, UserJourneyRow[]>();
  for (const r of rows) {
    const key = r.sessionId ?? `\u0000${r.requestId}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
  }
  const out: JourneySession[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => a.ts - b.ts || (a.requestId < b.requestId ? -1 : a.requestId > b.requestId ? 1 : 0));
    const agents: string[] = [];
    for (const r of g) {
      const a = r.agentId;
      if (agents[agents.length - 1] !== a) agents.push(a);
    }
    out.push({
      sessionId: g[0].sessionId,
      start: g[0].ts,
      end: g[g.length - 1].ts,
      requests: g.length,
      errors: g.filter((r) => r.status !== 'success').length,
      agents,
    });
  }
  return out.sort((a, b) => b.end - a.end || (a.sessionId ?? '').localeCompare(b.sessionId ?? ''));
}
