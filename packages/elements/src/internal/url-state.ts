/**
 * The tab's filters and level in the query string, so a link reproduces the view and Back works.
 *
 * Compact: only values that differ from `DEFAULT_FILTERS` (and a non-fleet level) are written, under
 * short keys (`t=7d&d=engineering,support&level=agent:agt-x`). Lists are comma-separated; a comma
 * or backslash inside a value is escaped with a backslash, and `URLSearchParams` percent-encodes
 * the rest. Parsing never throws: unknown or malformed values are dropped and reported as
 * {@link UrlProblem}s (values the snapshot lacks are checked later, in `url-check.ts`, once its
 * dimensions are known). Keys that are not ours (the host page's own parameters) are left alone.
 *
 * Saved segments (A2.3) are written by id (`ss=id1,id2`); a link's ids are returned apart
 * ({@link ParsedQuery.savedSegmentIds}) and resolved to their criteria by the tab once the actions
 * service has listed them (unknown ids are dropped with a console warning).
 *
 * {@link UrlStateController} keeps a host's state and `location` in sync: `push()` after a user
 * change (`history.pushState`), `popstate` restores (Back/Forward). It writes only when the query
 * differs, and restoring never writes, so the two directions cannot loop.
 */
import {
  AGENT_STATUSES,
  DEFAULT_FILTERS,
  ENVIRONMENTS,
  REQUEST_STATUSES,
  TIME_PRESETS,
  USER_SEGMENTS,
  defaultFilters,
  instantProblem,
  parseMicros,
  MAX_YEAR,
  MIN_YEAR,
  type Dimensions,
  type TimeRange,
  type UsageFilters,
} from '@usage-analytics/queries';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { COMPARE_DIMENSIONS, type CompareDimension, type UsageLevel } from '../events/usage-level-change.js';
import { describeProblem, type Noun, type UrlProblem } from './url-problems.js';

export type { Noun, UrlProblem } from './url-problems.js';

/** A list filter: its query key, how a reader names its values, and for closed vocabularies the values allowed. */
interface ListKey {
  field: ListField;
  key: string;
  what: Noun;
  allowed?: readonly string[];
}

export type ListField = Exclude<keyof UsageFilters, 'timeRange' | 'savedSegments'>;

/** The query key of the saved segments' ids. */
export const SAVED_KEY = 'ss';
const SAVED: Noun = ['saved segment', 'saved segments'];

/** Query keys of every list filter, in the order they are written. */
export const LIST_KEYS: readonly ListKey[] = [
  { field: 'departments', key: 'd', what: ['department', 'departments'] },
  { field: 'agentStatuses', key: 's', what: ['agent status', 'agent statuses'], allowed: AGENT_STATUSES },
  { field: 'intents', key: 'i', what: ['intent', 'intents'] },
  { field: 'userSegments', key: 'seg', what: ['user segment', 'user segments'], allowed: USER_SEGMENTS },
  { field: 'environments', key: 'env', what: ['environment', 'environments'], allowed: ENVIRONMENTS },
  { field: 'providers', key: 'p', what: ['provider', 'providers'] },
  { field: 'agentIds', key: 'a', what: ['agent', 'agents'] },
  { field: 'userIds', key: 'u', what: ['user', 'users'] },
  { field: 'requestStatuses', key: 'rs', what: ['request status', 'request statuses'], allowed: REQUEST_STATUSES },
  { field: 'modelFamilies', key: 'm', what: ['model family', 'model families'] },
];

/** The list key of a filter field. */
export const listKeyOf = (field: ListField): ListKey => LIST_KEYS.find((k) => k.field === field)!;

/** Every query key this module reads and writes (others on the page are preserved). */
export const URL_KEYS: readonly string[] = ['t', ...LIST_KEYS.map((k) => k.key), SAVED_KEY, 'level', 'by', 'cv'];

/** Written for an empty list whose default is not empty (agent status, environment): "All". */
const ALL = '*';
export const RANGE_SEP = '..';

export interface ParsedQuery {
  filters: UsageFilters;
  level: UsageLevel;
  /** Every value that was dropped, one entry each (see {@link summarizeProblems} for the notice). */
  problems: UrlProblem[];
  /** True when the query held at least one of our keys. */
  present: boolean;
  /** The saved segments' ids (`ss=`), to resolve against the actions service's list (`filters.savedSegments` stays empty). */
  savedSegmentIds: string[];
}

// ---- encoding ------------------------------------------------------------------------------

/** Joins values with commas, escaping `\` and `,` inside each value (and a value that is just `*`). */
export function encodeList(values: readonly string[]): string {
  return values.map((v) => (v === ALL ? `\\${ALL}` : v.replace(/\\/g, '\\\\').replace(/,/g, '\\,'))).join(',');
}

/** Splits {@link encodeList}'s output back into values (a lone trailing `\` is kept as text). */
export function decodeList(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) cur += text[++i];
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

function encodeRange(range: TimeRange): string | undefined {
  if (range.preset === 'custom') return `${range.start}${RANGE_SEP}${range.end}`;
  return range.preset === DEFAULT_FILTERS.timeRange.preset ? undefined : range.preset;
}

function encodeLevel(level: UsageLevel, params: URLSearchParams): void {
  if (level.kind === 'agent') params.set('level', `agent:${level.agentId}`);
  if (level.kind !== 'compare') return;
  params.set('level', 'compare');
  if (level.by !== 'department') params.set('by', level.by);
  if (level.values?.length) params.set('cv', encodeList(level.values));
}

/**
 * The compact query for `filters` at `level`: only non-default values, short keys. `pendingSavedIds`
 * are saved-segment ids of a link not resolved yet: written after the selected ones, so they survive.
 */
export function filtersToQuery(filters: UsageFilters, level: UsageLevel = { kind: 'fleet' }, pendingSavedIds: readonly string[] = []): URLSearchParams {
  const params = new URLSearchParams();
  const t = encodeRange(filters.timeRange);
  if (t) params.set('t', t);
  for (const { field, key } of LIST_KEYS) {
    const values = filters[field] as readonly string[];
    const def = DEFAULT_FILTERS[field] as readonly string[];
    if (sameList(values, def)) continue;
    params.set(key, values.length === 0 ? ALL : encodeList(values));
  }
  const saved = [...new Set([...(filters.savedSegments ?? []).map((s) => s.id), ...pendingSavedIds])];
  if (saved.length) params.set(SAVED_KEY, encodeList(saved));
  encodeLevel(level, params);
  return params;
}

/**
 * A readable query string for `params` (`?t=7d&d=a,b`): like `params.toString()` but keeps `,` and
 * `:` literal (both are allowed in a query and `URLSearchParams` reads them back the same).
 */
export function toQueryString(params: URLSearchParams): string {
  const s = params.toString().replace(/%2C/gi, ',').replace(/%3A/gi, ':');
  return s ? `?${s}` : '';
}

// ---- decoding ------------------------------------------------------------------------------

type Report = (p: UrlProblem) => void;
const TIME: Noun = ['time range', 'time ranges'];
const LEVEL: Noun = ['level', 'levels'];
const COMPARED: Noun = ['compared value', 'compared values'];

function decodeRange(text: string, report: Report): TimeRange | undefined {
  if ((TIME_PRESETS as readonly string[]).includes(text)) return { preset: text as TimeRange['preset'] } as TimeRange;
  const at = text.indexOf(RANGE_SEP);
  if (at > 0) {
    const start = text.slice(0, at);
    const end = text.slice(at + RANGE_SEP.length);
    // The queries' own rule: real dates only (no 2025-02-30, no T24:00), years 1700–2200.
    const s = parseMicros(start);
    const e = parseMicros(end);
    if (s !== null && e !== null) {
      if (e > s) return { preset: 'custom', start, end };
      return void report({ what: TIME, value: text, why: 'the end is not after the start' });
    }
    if (/^\d{4}-/.test(start) && /^\d{4}-/.test(end)) {
      const problem = instantProblem(start) ?? instantProblem(end) ?? `outside the years ${MIN_YEAR}–${MAX_YEAR}`;
      return void report({ what: TIME, value: text, why: `not a real date: ${problem}` });
    }
  }
  report({ what: TIME, value: text, why: `expected ${TIME_PRESETS.join(', ')} or START..END with ISO dates` });
  return undefined;
}

function decodeValues(what: Noun, allowed: readonly string[] | undefined, text: string, report: Report): string[] {
  if (text === ALL) return [];
  const out: string[] = [];
  for (const v of decodeList(text)) {
    if (v.length === 0) report({ what, value: '', why: 'empty value' });
    else if (v.includes('\u0000')) report({ what, value: v, why: 'contains a NUL character' });
    else if (allowed && !allowed.includes(v)) report({ what, value: v, why: `unknown; expected ${allowed.join(', ')}` });
    else if (out.includes(v)) report({ what, value: v, why: 'repeated' });
    else out.push(v);
  }
  return out;
}

/** The values a comparison by `by` may take without looking at the snapshot (`undefined`: checked against it later). */
const CLOSED_COMPARE: Partial<Record<CompareDimension, readonly string[]>> = { environment: ENVIRONMENTS };

function decodeLevel(params: URLSearchParams, report: Report): UsageLevel {
  const text = params.get('level');
  if (text === null || text === 'fleet') return { kind: 'fleet' };
  if (text.startsWith('agent:') && text.length > 'agent:'.length) {
    const agentId = text.slice('agent:'.length);
    if (!agentId.includes('\u0000')) return { kind: 'agent', agentId };
    report({ what: ['agent', 'agents'], value: agentId, why: 'contains a NUL character' });
    return { kind: 'fleet' };
  }
  if (text === 'compare') {
    const byText = params.get('by') ?? 'department';
    let by: CompareDimension = 'department';
    if ((COMPARE_DIMENSIONS as readonly string[]).includes(byText)) by = byText as CompareDimension;
    else report({ what: ['comparison', 'comparisons'], value: byText, why: `unknown; expected ${COMPARE_DIMENSIONS.join(', ')}` });
    const cv = params.get('cv');
    const values = cv === null ? [] : decodeValues(COMPARED, CLOSED_COMPARE[by], cv, report);
    return values.length ? { kind: 'compare', by, values } : { kind: 'compare', by };
  }
  report({ what: LEVEL, value: text, why: 'unknown; expected fleet, compare or agent:<id>' });
  return { kind: 'fleet' };
}

/**
 * Reads filters and level from a query. Missing keys take the PRD defaults; unknown or malformed
 * values are dropped with a problem each. Never throws.
 */
export function queryToFilters(params: URLSearchParams | string): ParsedQuery {
  const p = typeof params === 'string' ? new URLSearchParams(params) : params;
  const problems: UrlProblem[] = [];
  const report: Report = (m) => void problems.push(m);
  const filters = defaultFilters();
  const present = URL_KEYS.some((k) => p.has(k));
  const t = p.get('t');
  if (t !== null) filters.timeRange = decodeRange(t, report) ?? filters.timeRange;
  for (const def of LIST_KEYS) {
    const text = p.get(def.key);
    if (p.getAll(def.key).length > 1) report({ what: [`${def.key}=`, `${def.key}=`], value: '', why: 'given more than once; the first is used' });
    if (text === null) continue;
    const values = decodeValues(def.what, def.allowed, text, report);
    // Nothing usable left (e.g. env=prod): keep the default rather than widening to "All".
    if (values.length > 0 || text === ALL) (filters[def.field] as string[]) = values;
  }
  const ss = p.get(SAVED_KEY);
  const savedSegmentIds = ss === null || ss === ALL ? [] : decodeValues(SAVED, undefined, ss, report);
  return { filters, level: decodeLevel(p, report), problems, present, savedSegmentIds };
}

/** Filters whose values the snapshot enumerates (user ids are not enumerated). */
export const SNAPSHOT_FIELDS = ['departments', 'intents', 'providers', 'modelFamilies', 'agentIds'] as const satisfies readonly (keyof Dimensions &
  ListField)[];

/**
 * Drops values the snapshot does not have (departments, intents, providers, model families, agent
 * ids), e.g. from an old link, with a problem each. Returns the same object when nothing changed.
 */
export function sanitizeFilters(filters: UsageFilters, dims: Dimensions): { filters: UsageFilters; problems: UrlProblem[]; warnings: string[] } {
  const problems: UrlProblem[] = [];
  let out = filters;
  for (const field of SNAPSHOT_FIELDS) {
    const known = new Set(dims[field]);
    const values = filters[field] as string[];
    const kept = values.filter((v) => known.has(v));
    if (kept.length === values.length) continue;
    for (const v of values) if (!known.has(v)) problems.push({ what: listKeyOf(field).what, value: v, why: 'not in this snapshot' });
    out = { ...out, [field]: kept };
  }
  return { filters: out, problems, warnings: problems.map(describeProblem) };
}

/** `search` with our keys replaced by `ours` and every other parameter kept, as a query string. */
export function mergeQuery(search: string, ours: URLSearchParams): string {
  const merged = new URLSearchParams(search);
  for (const k of URL_KEYS) merged.delete(k);
  for (const [k, v] of ours) merged.append(k, v);
  return toQueryString(merged);
}

/** Our keys of `search`: as written (`raw`), or the state they mean in canonical form. */
function ownPart(search: string, raw: boolean): string {
  const params = new URLSearchParams(search);
  if (raw) return new URLSearchParams([...params].filter(([k]) => URL_KEYS.includes(k))).toString();
  const { filters, level, savedSegmentIds } = queryToFilters(params);
  return filtersToQuery(filters, level, savedSegmentIds).toString();
}

// ---- controller ----------------------------------------------------------------------------

export interface UrlState {
  filters: UsageFilters;
  level: UsageLevel;
}

export interface UrlStateOptions {
  /** Checked on every read and write (e.g. a `no-url-state` attribute). */
  enabled: () => boolean;
  /** The current state, written on connect when the URL holds none of our keys. */
  current: () => UrlState;
  /** Applies a state read from the URL: `load` on connect, `history` on Back/Forward. */
  apply: (state: ParsedQuery, cause: 'load' | 'history') => void;
  /** The window whose `location`/`history` are used (tests). */
  window?: Window;
  /** Saved-segment ids of a link that are not resolved yet: kept in the URL meanwhile. */
  pendingSavedIds?: () => readonly string[];
}

/**
 * Syncs a host's filters and level with `location`. On connect: a URL with our keys is applied;
 * otherwise a non-default initial state is written with `replaceState`, so every history entry
 * carries its own state. `push()` after a user change; `popstate` applies without writing.
 */
export class UrlStateController implements ReactiveController {
  private readonly win: Window;

  constructor(
    host: ReactiveControllerHost,
    private readonly options: UrlStateOptions,
  ) {
    this.win = options.window ?? window;
    host.addController(this);
  }

  hostConnected(): void {
    this.win.addEventListener('popstate', this.onPopState);
    if (!this.options.enabled()) return;
    const parsed = queryToFilters(this.win.location.search);
    if (parsed.present) {
      this.options.apply(parsed, 'load');
      if (parsed.problems.length) this.write(filtersToQuery(parsed.filters, parsed.level, parsed.savedSegmentIds), 'replace');
    } else {
      this.replace(this.options.current());
    }
  }

  hostDisconnected(): void {
    this.win.removeEventListener('popstate', this.onPopState);
  }

  /** Records a user change as a new history entry (no-op when the URL already says so). */
  push(state: UrlState): void {
    this.write(filtersToQuery(state.filters, state.level, this.options.pendingSavedIds?.()), 'push');
  }

  /** Rewrites the current history entry (e.g. after dropping values the snapshot lacks). */
  replace(state: UrlState): void {
    this.write(filtersToQuery(state.filters, state.level, this.options.pendingSavedIds?.()), 'replace');
  }

  private write(ours: URLSearchParams, mode: 'push' | 'replace'): void {
    if (!this.options.enabled()) return;
    const { location, history } = this.win;
    // A push records a different state only; a replace also cleans up how the URL says it.
    if (ownPart(location.search, mode === 'replace') === ours.toString()) return;
    const url = `${location.pathname}${mergeQuery(location.search, ours)}${location.hash}`;
    if (mode === 'push') history.pushState(history.state, '', url);
    else history.replaceState(history.state, '', url);
  }

  private onPopState = (): void => {
    if (!this.options.enabled()) return;
    this.options.apply(queryToFilters(this.win.location.search), 'history');
  };
}
