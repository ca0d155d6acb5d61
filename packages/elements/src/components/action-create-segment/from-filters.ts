/**
 * The tab's filters as A2.3 segment criteria, as far as they map (pure; no DOM). Departments,
 * agents (any of them) and user segments (engagement) map one to one; the time range maps to the
 * nearest segment window (7, 30 or 90 days, always ending at the snapshot's end). Everything else a
 * segment cannot express (intents, providers, agent statuses, environments, request statuses, model
 * families, an exact user list) is listed in `unmapped`, so the dialog can say the saved segment is
 * not identical to the view.
 */
import { SEGMENT_WINDOWS, type SegmentCriteria } from '@usage-analytics/actions';
import type { TimeRange, UsageFilters } from '@usage-analytics/queries';

export type SegmentWindow = (typeof SEGMENT_WINDOWS)[number];

export interface FiltersAsCriteria {
  criteria: SegmentCriteria;
  /** What of the filters the criteria do not express, one sentence fragment each (empty when the segment matches the view). */
  unmapped: string[];
}

const DAY_MS = 86_400_000;
const PRESET_DAYS: Record<string, number> = { '1h': 1 / 24, '24h': 1, '7d': 7, '30d': 30, '90d': 90 };

/** The segment window nearest to `days` (ties go to the longer window). */
export function nearestWindow(days: number): SegmentWindow {
  let best: SegmentWindow = SEGMENT_WINDOWS[0];
  for (const w of SEGMENT_WINDOWS) if (Math.abs(w - days) <= Math.abs(best - days)) best = w;
  return best;
}

/** The length of a time range in days (undefined when it cannot be read). */
function rangeDays(range: TimeRange | undefined): number | undefined {
  if (!range) return undefined;
  if (range.preset === 'custom') {
    const ms = Date.parse(range.end) - Date.parse(range.start);
    return Number.isFinite(ms) && ms > 0 ? ms / DAY_MS : undefined;
  }
  return PRESET_DAYS[range.preset];
}

const LABELS: [keyof UsageFilters, string][] = [
  ['intents', 'Intents'],
  ['providers', 'Providers'],
  ['agentStatuses', 'Agent statuses'],
  ['environments', 'Environments'],
  ['requestStatuses', 'Request statuses'],
  ['modelFamilies', 'Model families'],
];

/** Up to four values and a count of the rest. */
const few = (values: readonly string[]) => (values.length > 4 ? `${values.slice(0, 4).join(', ')} and ${values.length - 4} more` : values.join(', '));

/**
 * Maps `filters` to segment criteria. `options.userIds` (an exact user list from a drill-down) and
 * a `userIds` filter cannot be expressed and are listed in `unmapped`.
 */
export function fromFilters(filters: Partial<UsageFilters>, options: { userIds?: readonly string[] } = {}): FiltersAsCriteria {
  const unmapped: string[] = [];
  const criteria: SegmentCriteria = {};
  const days = rangeDays(filters.timeRange);
  if (days !== undefined) {
    const w = nearestWindow(days);
    criteria.windowDays = w;
    const range = filters.timeRange!;
    if (range.preset === 'custom') unmapped.push(`Time range ${range.start} → ${range.end}: the segment looks at the last ${w} days of the data instead`);
    else if (PRESET_DAYS[range.preset] !== w) unmapped.push(`Time range ${range.preset}: the segment looks at the last ${w} days instead`);
  } else if (filters.timeRange) unmapped.push('Time range: not readable, the segment looks at the last 30 days');
  if (filters.departments?.length) criteria.departments = [...filters.departments];
  if (filters.agentIds?.length) criteria.agents = { ids: [...filters.agentIds], mode: 'any' };
  if (filters.userSegments?.length) criteria.engagement = [...new Set(filters.userSegments)];
  for (const [key, label] of LABELS) {
    const v = filters[key];
    if (Array.isArray(v) && v.length) unmapped.push(`${label}: ${few(v.map(String))}`);
  }
  const users = [...new Set([...(filters.userIds ?? []), ...(options.userIds ?? [])])];
  if (users.length) unmapped.push(`The exact list of ${users.length === 1 ? '1 user' : `${users.length} users`}: a segment selects users by its criteria`);
  return { criteria, unmapped };
}
