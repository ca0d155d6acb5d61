/**
 * What the filter bar shows for each filter (pure): labels, where the options come from, how a
 * value reads, and which filters differ from the PRD defaults (for chips and the count).
 */
import {
  DEFAULT_FILTERS,
  REQUEST_STATUSES,
  USER_SEGMENTS,
  type Dimensions,
  type SavedSegmentFilter,
  type TimeRange,
  type UsageFilters,
} from '@usage-analytics/queries';
import { isAbort, toFailure } from '../../internal/context.js';
import type { ListFilterField } from '../../internal/filter-fields.js';
import type { ListField } from '../../internal/url-state.js';
import type { MultiSelectConfig } from './multi-select.js';

export type { ListFilterField };

export interface ListFilterDef {
  field: ListFilterField;
  /** Singular label ("Department"), used in chips. */
  label: string;
  /** Label of the control ("Departments"). */
  plural: string;
  /** Primary filters are always visible; secondary ones sit under "More filters". */
  primary: boolean;
  /** The options; `undefined` while the snapshot's dimensions are loading. */
  options: (dims: Dimensions | undefined) => readonly string[] | undefined;
  /** How a value reads (default: the value itself, as text). */
  format?: (value: string) => string;
}

const titleCase = (v: string): string => v.replace(/[_-]+/g, ' ').replace(/\b\p{L}/gu, (c) => c.toUpperCase());

const NAMED: Record<string, string> = {
  // PRD wording for the segments and intents
  power: 'Power (top 10%)',
  regular: 'Regular',
  new: 'New (30d)',
  dormant: 'Dormant (30d+)',
  customer_support: 'Customer Support',
  code_gen: 'Code Gen',
};
const named = (v: string): string => NAMED[v] ?? titleCase(v);

/** Agent statuses offered (PRD: Active, Beta, Deprecated; `archived` stays reachable by URL). */
export const AGENT_STATUS_OPTIONS = ['active', 'beta', 'deprecated'] as const;
export const ENVIRONMENT_OPTIONS = ['production', 'staging', 'development'] as const;

export const LIST_FILTERS: readonly ListFilterDef[] = [
  { field: 'departments', label: 'Department', plural: 'Departments', primary: true, options: (d) => d?.departments },
  { field: 'agentStatuses', label: 'Agent status', plural: 'Agent status', primary: true, options: () => AGENT_STATUS_OPTIONS, format: titleCase },
  { field: 'intents', label: 'Intent', plural: 'Intent category', primary: true, options: (d) => d?.intents, format: named },
  { field: 'userSegments', label: 'User segment', plural: 'User segment', primary: true, options: () => USER_SEGMENTS, format: named },
  { field: 'environments', label: 'Environment', plural: 'Environment', primary: true, options: () => ENVIRONMENT_OPTIONS, format: titleCase },
  { field: 'providers', label: 'Provider', plural: 'Provider', primary: true, options: (d) => d?.providers },
  { field: 'agentIds', label: 'Agent', plural: 'Agents', primary: false, options: (d) => d?.agentIds },
  { field: 'requestStatuses', label: 'Request status', plural: 'Request status', primary: false, options: () => REQUEST_STATUSES, format: titleCase },
  { field: 'modelFamilies', label: 'Model family', plural: 'Model family', primary: false, options: (d) => d?.modelFamilies },
];

export const formatValue = (def: ListFilterDef, value: string): string => (def.format ? def.format(value) : value);

/** Options to list: the known ones, plus any selected value they lack (so it stays visible and removable). */
export function optionsFor(def: ListFilterDef, dims: Dimensions | undefined, selected: readonly string[]): string[] | undefined {
  const known = def.options(dims);
  if (!known) return undefined;
  return [...known, ...selected.filter((v) => !known.includes(v))];
}

/**
 * The multi-select of a list filter, for every host that renders one (the filter bar, a chart's
 * own filters): its options once the dimensions are in (the selected values listed meanwhile, so
 * they can be removed), a loading state, and the dimensions' load error.
 */
export function listSelectConfig(
  def: ListFilterDef,
  selected: readonly string[],
  dims: { value?: Dimensions; error?: unknown },
  onChange: (next: string[]) => void,
): MultiSelectConfig {
  const fixed = def.options(undefined) !== undefined;
  const failed = !fixed && !dims.value && dims.error !== undefined && !isAbort(dims.error);
  const options = optionsFor(def, dims.value, selected);
  return {
    label: def.plural,
    options: options ?? (selected.length ? [...selected] : undefined),
    loading: !options,
    selected,
    format: (v) => formatValue(def, v),
    onChange,
    error: failed ? `Options could not be loaded: ${toFailure(dims.error).message}` : undefined,
  };
}

export const TIME_LABELS: Record<string, string> = { '1h': '1h', '24h': '24h', '7d': '7d', '30d': '30d', '90d': '90d', custom: 'Custom' };

/** "7d", or "2026-10-01 – 2026-10-08" for a custom range. */
export function describeRange(range: TimeRange): string {
  if (range.preset !== 'custom') return TIME_LABELS[range.preset] ?? range.preset;
  const day = (s: string) => (/^\d{4}-\d{2}-\d{2}T00:00(:00(\.0+)?)?Z?$/.test(s) ? s.slice(0, 10) : s);
  return `${day(range.start)} – ${day(range.end)}`;
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

export function isDefaultRange(range: TimeRange): boolean {
  return range.preset === DEFAULT_FILTERS.timeRange.preset;
}

/** True when `field` differs from the PRD default. */
export function isChanged(filters: UsageFilters, field: keyof UsageFilters): boolean {
  if (field === 'timeRange') return !isDefaultRange(filters.timeRange);
  if (field === 'savedSegments') return (filters.savedSegments ?? []).length > 0;
  return !sameList(filters[field] as string[], DEFAULT_FILTERS[field] as string[]);
}

// ---- saved segments (A2.3) in the "User segment" list -------------------------------------------

/** A saved segment's value in the "User segment" list (beside `power`, `regular`, …). */
export const SAVED_PREFIX = 'saved:';
export const SAVED_GROUP_LABEL = 'Saved segments';
export const savedValue = (id: string): string => `${SAVED_PREFIX}${id}`;
export const isSavedValue = (v: string): boolean => v.startsWith(SAVED_PREFIX);

/** The "User segment" list's selection: the engagement segments, then the saved segments (`saved:<id>`). */
export function userSegmentSelection(filters: UsageFilters): string[] {
  return [...filters.userSegments, ...(filters.savedSegments ?? []).map((s) => savedValue(s.id))];
}

/**
 * The filters a new "User segment" selection means. A saved segment keeps the criteria it was
 * selected with (`current`), else takes them from the list; an id found in neither is dropped.
 */
export function fromUserSegmentSelection(
  next: readonly string[],
  current: readonly SavedSegmentFilter[],
  list: readonly SavedSegmentFilter[],
): Partial<UsageFilters> {
  const saved: SavedSegmentFilter[] = [];
  for (const v of next) {
    if (!isSavedValue(v)) continue;
    const id = v.slice(SAVED_PREFIX.length);
    const s = current.find((x) => x.id === id) ?? list.find((x) => x.id === id);
    if (s && !saved.some((x) => x.id === id)) saved.push(s);
  }
  return { userSegments: next.filter((v) => !isSavedValue(v)) as UsageFilters['userSegments'], savedSegments: saved };
}

/** How a "User segment" value reads: an engagement segment's PRD name, or a saved segment's name (user text, rendered as text). */
export function formatUserSegment(v: string, current: readonly SavedSegmentFilter[], list: readonly SavedSegmentFilter[]): string {
  if (!isSavedValue(v)) return named(v);
  const id = v.slice(SAVED_PREFIX.length);
  return (current.find((x) => x.id === id) ?? list.find((x) => x.id === id))?.name ?? id;
}

/** How many filters differ from the PRD defaults (one per filter, however many values it holds). */
export function changedCount(filters: UsageFilters, fields?: readonly (keyof UsageFilters)[]): number {
  const keys = fields ?? (Object.keys(DEFAULT_FILTERS) as (keyof UsageFilters)[]);
  return keys.filter((k) => isChanged(filters, k)).length;
}

/** One removable chip: what it says and the change its removal makes. */
export interface Chip {
  id: string;
  label: string;
  value: string;
  remove: Partial<UsageFilters>;
}

/**
 * Chips for the non-default filters. Lists that default to "All" get one chip per value (removing it
 * removes that value); the others (time, agent status, environment) get one chip for the filter
 * (removing it restores the default).
 */
export function chipsFor(filters: UsageFilters): Chip[] {
  const chips: Chip[] = [];
  if (!isDefaultRange(filters.timeRange)) {
    chips.push({ id: 'timeRange', label: 'Time range', value: describeRange(filters.timeRange), remove: { timeRange: { ...DEFAULT_FILTERS.timeRange } } });
  }
  const defs: { field: ListField; label: string; format?: (v: string) => string }[] = [...LIST_FILTERS, { field: 'userIds', label: 'User' }];
  const order: ListField[] = [
    'departments',
    'agentStatuses',
    'intents',
    'userSegments',
    'environments',
    'providers',
    'agentIds',
    'userIds',
    'requestStatuses',
    'modelFamilies',
  ];
  for (const field of order) {
    if (field === 'environments') {
      // The saved segments, after the engagement segments (one chip each, by name).
      const saved = filters.savedSegments ?? [];
      saved.forEach((s, i) =>
        chips.push({ id: `savedSegments:${i}`, label: 'Saved segment', value: s.name, remove: { savedSegments: saved.filter((x) => x.id !== s.id) } }),
      );
    }
    const def = defs.find((d) => d.field === field)!;
    const values = filters[field] as string[];
    const defaults = DEFAULT_FILTERS[field] as string[];
    if (sameList(values, defaults)) continue;
    const fmt = (v: string) => (def.format ? def.format(v) : v);
    if (defaults.length === 0) {
      values.forEach((v, i) => chips.push({ id: `${field}:${i}`, label: def.label, value: fmt(v), remove: { [field]: values.filter((x) => x !== v) } }));
    } else {
      chips.push({ id: field, label: def.label, value: values.length ? values.map(fmt).join(', ') : 'All', remove: { [field]: [...defaults] } });
    }
  }
  return chips;
}
