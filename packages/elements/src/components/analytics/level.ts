/**
 * The tab's level as shared state: a context the charts can read (to overlay a comparison), and
 * pure helpers that name the level for the breadcrumb and the indicator.
 */
import { createContext } from '@lit/context';
import { DEFAULT_FILTERS, type UsageFilters } from '@usage-analytics/queries';
import { MAX_COMPARED, type CompareDimension, type UsageLevel } from '../../events/usage-level-change.js';
import { changedCount } from '../filter-bar/filter-defs.js';

/** The level `<usage-analytics>` is at; charts consume it to split by the compared dimension. */
export const levelContext = createContext<UsageLevel>(Symbol.for('usage-analytics/level'));

/** The filter that selects the compared keys, per dimension (`agent_version` has none). */
export const COMPARE_FIELDS: Record<CompareDimension, 'departments' | 'environments' | 'intents' | 'providers' | undefined> = {
  department: 'departments',
  environment: 'environments',
  agent_version: undefined,
  intent: 'intents',
  provider: 'providers',
};

export const COMPARE_LABELS: Record<CompareDimension, string> = {
  department: 'Departments',
  environment: 'Environments',
  agent_version: 'Agent versions',
  intent: 'Intents',
  provider: 'Providers',
};

/** Fewest keys that make a comparison (one intent is an intent-only view). */
export const MIN_COMPARED: Record<CompareDimension, number> = { department: 2, environment: 2, agent_version: 2, intent: 1, provider: 2 };

/** The keys compared at a `compare` level (at most {@link MAX_COMPARED}); `[]` otherwise. */
export function comparedKeys(level: UsageLevel, filters: UsageFilters): string[] {
  if (level.kind !== 'compare') return [];
  const field = COMPARE_FIELDS[level.by];
  const keys = level.values?.length ? level.values : field ? filters[field] : [];
  return keys.slice(0, MAX_COMPARED);
}

export interface LevelDescription {
  /** 1 fleet, 2 filtered subset or comparison, 3 agent detail. */
  number: 1 | 2 | 3;
  title: string;
  /** What the comparison still needs ("choose 2–5 departments in the filter bar"), if anything. */
  hint?: string;
}

/** Filters that narrow the fleet to a subset (every one but the time range). */
const NARROWING = (Object.keys(DEFAULT_FILTERS) as (keyof UsageFilters)[]).filter((k) => k !== 'timeRange');

/** Names the level for the indicator: a filtered fleet view counts as Level 2 (a filtered subset). */
export function describeLevel(level: UsageLevel, filters: UsageFilters): LevelDescription {
  if (level.kind === 'agent') return { number: 3, title: `Agent detail: ${level.agentId}` };
  if (level.kind === 'compare') {
    const keys = comparedKeys(level, filters);
    const what = COMPARE_LABELS[level.by].toLowerCase();
    const min = MIN_COMPARED[level.by];
    const field = COMPARE_FIELDS[level.by];
    const selected = level.values?.length ? level.values.length : field ? filters[field].length : 0;
    let hint: string | undefined;
    if (selected > MAX_COMPARED) hint = `Only the first ${MAX_COMPARED} of the ${selected} selected ${what} are compared.`;
    else if (keys.length < min) hint = `Choose ${min}–${MAX_COMPARED} ${what}${field ? ' in the filter bar' : ''} to compare them.`;
    return { number: 2, title: keys.length ? `Comparing ${what}: ${keys.join(' vs ')}` : `Comparing ${what}`, hint };
  }
  const narrowed = changedCount(filters, NARROWING);
  return narrowed > 0
    ? { number: 2, title: `Filtered subset (${narrowed} ${narrowed === 1 ? 'filter' : 'filters'})` }
    : { number: 1, title: 'Fleet view: the whole organisation' };
}

/** The detail of a `usage-drilldown` into an agent (`{kind: 'agent', agentId}`), checked structurally. */
export function agentOf(detail: unknown): string | undefined {
  const d = detail as { kind?: unknown; agentId?: unknown } | null | undefined;
  return d?.kind === 'agent' && typeof d.agentId === 'string' && d.agentId.length > 0 ? d.agentId : undefined;
}

/** The department of a `usage-drilldown` with kind `department`, checked structurally. */
export function departmentOf(detail: unknown): string | undefined {
  const d = detail as { kind?: unknown; department?: unknown } | null | undefined;
  return d?.kind === 'department' && typeof d.department === 'string' && d.department.length > 0 ? d.department : undefined;
}

/** Deep equality of two levels. */
export function sameLevel(a: UsageLevel, b: UsageLevel): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'agent' && b.kind === 'agent') return a.agentId === b.agentId;
  if (a.kind === 'compare' && b.kind === 'compare') {
    const av = a.values ?? [];
    const bv = b.values ?? [];
    return a.by === b.by && av.length === bv.length && av.every((v, i) => v === bv[i]);
  }
  return true;
}
