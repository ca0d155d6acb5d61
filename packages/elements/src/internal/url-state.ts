/**
 * The tab's filters and level in the query string, so a link reproduces the view and Back works.
 *
 * Compact: only values that differ from `DEFAULT_FILTERS` (and a non-fleet level) are written, under
 * short keys (`t=7d&d=engineering,support&level=agent:agt-x`). Lists are comma-separated; a comma
 * or backslash inside a value is escaped with a backslash, and `URLSearchParams` percent-encodes
 * the rest. Parsing never throws: unknown or malformed values are dropped and reported as warnings.
 * Keys that are not ours (the host page's own parameters) are left alone.
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
  type Dimensions,
  type TimeRange,
  type UsageFilters,
} from '@usage-analytics/queries';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { COMPARE_DIMENSIONS, type CompareDimension, type UsageLevel } from '../events/usage-level-change.js';

/** A list filter: its query key and, for closed vocabularies, the values allowed. */
interface ListKey {
  field: ListField;
  key: string;
  allowed?: readonly string[];
}

export type ListField = Exclude<keyof UsageFilters, 'timeRange'>;

/** Query keys of every list filter, in the order they are written. */
export const LIST_KEYS: readonly ListKey[] = [
  { field: 'departments', key: 'd' },
  { field: 'agentStatuses', key: 's', allowed: AGENT_STATUSES },
  { field: 'intents', key: 'i' },
  { field: 'userSegments', key: 'seg', allowed: USER_SEGMENTS },
  { field: 'environments', key: 'env', allowed: ENVIRONMENTS },
  { field: 'providers', key: 'p' },
  { field: 'agentIds', key: 'a' },
  { field: 'userIds', key: 'u' },
  { field: 'requestStatuses', key: 'rs', allowed: REQUEST_STATUSES },
  { field: 'modelFamilies', key: 'm' },
];

/** Every query key this module reads and writes (others on the page are preserved). */
export const URL_KEYS: readonly string[] = ['t', ...LIST_KEYS.map((k) => k.key), 'level', 'by', 'cv'];

/** Written for an empty list whose default is not empty (agent status, environment): "All". */
const ALL = '*';
const RANGE_SEP = '..';
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Epoch ms of an ISO date or date-time as the queries read it (bare date = UTC midnight, no zone = UTC); NaN if malformed. */
export function parseIsoInstant(text: string): number {
  if (!ISO.test(text)) return NaN;
  if (text.length === 10) return Date.parse(`${text}T00:00:00Z`);
  const iso = text.replace(' ', 'T');
  return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
}

export interface ParsedQuery {
  filters: UsageFilters;
  level: UsageLevel;
  /** One line per dropped value, e.g. `unknown environment "prod" (s=…) ignored`. */
  warnings: string[];
  /** True when the query held at least one of our keys. */
  present: boolean;
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

/** The compact query for `filters` at `level`: only non-default values, short keys. */
export function filtersToQuery(filters: UsageFilters, level: UsageLevel = { kind: 'fleet' }): URLSearchParams {
  const params = new URLSearchParams();
  const t = encodeRange(filters.timeRange);
  if (t) params.set('t', t);
  for (const { field, key } of LIST_KEYS) {
    const values = filters[field] as readonly string[];
    const def = DEFAULT_FILTERS[field] as readonly string[];
    if (sameList(values, def)) continue;
    params.set(key, values.length === 0 ? ALL : encodeList(values));
  }
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

const quote = (v: string): string => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);

function decodeRange(text: string, warn: (m: string) => void): TimeRange | undefined {
  if ((TIME_PRESETS as readonly string[]).includes(text)) return { preset: text as TimeRange['preset'] } as TimeRange;
  const at = text.indexOf(RANGE_SEP);
  if (at > 0) {
    const start = text.slice(0, at);
    const end = text.slice(at + RANGE_SEP.length);
    const s = parseIsoInstant(start);
    const e = parseIsoInstant(end);
    if (Number.isFinite(s) && Number.isFinite(e) && e > s) return { preset: 'custom', start, end };
    if (Number.isFinite(s) && Number.isFinite(e)) {
      warn(`time range t=${quote(text)} ignored: the end is not after the start`);
      return undefined;
    }
  }
  warn(`time range t=${quote(text)} ignored: expected ${TIME_PRESETS.join(', ')} or START..END (ISO dates)`);
  return undefined;
}

function decodeValues(name: string, key: string, allowed: readonly string[] | undefined, text: string, warn: (m: string) => void): string[] {
  if (text === ALL) return [];
  const out: string[] = [];
  for (const v of decodeList(text)) {
    if (v.length === 0) warn(`empty value in ${key}= ignored`);
    else if (allowed && !allowed.includes(v)) warn(`unknown ${name} value ${quote(v)} ignored (expected ${allowed.join(', ')})`);
    else if (out.includes(v)) warn(`duplicate ${name} value ${quote(v)} ignored`);
    else out.push(v);
  }
  return out;
}

function decodeLevel(params: URLSearchParams, warn: (m: string) => void): UsageLevel {
  const text = params.get('level');
  if (text === null || text === 'fleet') return { kind: 'fleet' };
  if (text.startsWith('agent:') && text.length > 'agent:'.length) return { kind: 'agent', agentId: text.slice('agent:'.length) };
  if (text === 'compare') {
    const byText = params.get('by') ?? 'department';
    let by: CompareDimension = 'department';
    if ((COMPARE_DIMENSIONS as readonly string[]).includes(byText)) by = byText as CompareDimension;
    else warn(`unknown comparison by=${quote(byText)} ignored (expected ${COMPARE_DIMENSIONS.join(', ')})`);
    const cv = params.get('cv');
    const values = cv === null ? [] : decodeValues('comparison', 'cv', undefined, cv, warn);
    return values.length ? { kind: 'compare', by, values } : { kind: 'compare', by };
  }
  warn(`unknown level=${quote(text)} ignored (expected fleet, compare or agent:<id>)`);
  return { kind: 'fleet' };
}

/**
 * Reads filters and level from a query. Missing keys take the PRD defaults; unknown or malformed
 * values are dropped with a warning each. Never throws.
 */
export function queryToFilters(params: URLSearchParams | string): ParsedQuery {
  const p = typeof params === 'string' ? new URLSearchParams(params) : params;
  const warnings: string[] = [];
  const warn = (m: string) => void warnings.push(m);
  const filters = defaultFilters();
  const present = URL_KEYS.some((k) => p.has(k));
  const t = p.get('t');
  if (t !== null) filters.timeRange = decodeRange(t, warn) ?? filters.timeRange;
  for (const def of LIST_KEYS) {
    const text = p.get(def.key);
    if (p.getAll(def.key).length > 1) warn(`repeated ${def.key}= ignored after the first`);
    if (text === null) continue;
    const values = decodeValues(def.field, def.key, def.allowed, text, warn);
    // Nothing usable left (e.g. env=prod): keep the default rather than widening to "All".
    if (values.length > 0 || text === ALL) (filters[def.field] as string[]) = values;
  }
  return { filters, level: decodeLevel(p, warn), warnings, present };
}

/**
 * Drops values the snapshot does not have (departments, intents, providers, model families, agent
 * ids), e.g. from an old link, with a warning each. Returns the same object when nothing changed.
 */
export function sanitizeFilters(filters: UsageFilters, dims: Dimensions): { filters: UsageFilters; warnings: string[] } {
  const warnings: string[] = [];
  const known: [ListField, string[]][] = [
    ['departments', dims.departments],
    ['intents', dims.intents],
    ['providers', dims.providers],
    ['modelFamilies', dims.modelFamilies],
    ['agentIds', dims.agentIds],
  ];
  let out = filters;
  for (const [field, allowed] of known) {
    const values = filters[field] as string[];
    const kept = values.filter((v) => allowed.includes(v));
    if (kept.length === values.length) continue;
    for (const v of values) if (!allowed.includes(v)) warnings.push(`${field} value ${quote(v)} is not in this snapshot and was ignored`);
    out = { ...out, [field]: kept };
  }
  return { filters: out, warnings };
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
  const { filters, level } = queryToFilters(params);
  return filtersToQuery(filters, level).toString();
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
      if (parsed.warnings.length) this.write(filtersToQuery(parsed.filters, parsed.level), 'replace');
    } else {
      this.replace(this.options.current());
    }
  }

  hostDisconnected(): void {
    this.win.removeEventListener('popstate', this.onPopState);
  }

  /** Records a user change as a new history entry (no-op when the URL already says so). */
  push(state: UrlState): void {
    this.write(filtersToQuery(state.filters, state.level), 'push');
  }

  /** Rewrites the current history entry (e.g. after dropping values the snapshot lacks). */
  replace(state: UrlState): void {
    this.write(filtersToQuery(state.filters, state.level), 'replace');
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
