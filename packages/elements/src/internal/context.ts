/**
 * Contexts shared by `<usage-provider>` and the elements inside it (`@lit/context`), so nested
 * elements find the data client and the filters without globals. Keys use `Symbol.for` so two
 * copies of the SDK on one page still meet.
 */
import { createContext } from '@lit/context';
import type { ActionsClient } from '@usage-analytics/actions';
import type { LoadProgress, UsageDataClient } from '@usage-analytics/data-client';
import type { Dimensions, Micros, SavedSegmentFilter, UsageFilters } from '@usage-analytics/queries';

/** What an element needs from the data client to run query modules (a `UsageDataClient`, or a stand-in in stories). */
export type QueryClient = Pick<UsageDataClient, 'run' | 'precomputed'>;

/** Anything that can list the filter options (a `UsageDataClient`, or a stand-in). */
export interface DimensionsSource {
  dimensions(): Promise<Dimensions>;
  /** The snapshot's data end (exact µs), used to prefill a custom range and to bound it (optional). */
  readonly anchor?: Micros;
  /** The snapshot's first request (exact µs); with `anchor`, a custom range far from the data is refused (optional). */
  readonly dataStart?: Micros;
}

/**
 * Everything a chart reads from its data client, typed once (a `UsageDataClient` is one; a
 * stand-in need only run queries): the queries and their precomputed first paint, and, when the
 * client has them, the snapshot's manifest ("Last updated"), its data end (the anchor of relative
 * time ranges) and the filter options (the chart's "Filters" panel and colour domains).
 */
export interface ChartClient extends QueryClient, Partial<DimensionsSource> {
  readonly manifest?: { readonly generated_at?: string };
}

/** The data client opened (or accepted) by the provider; `undefined` until a snapshot is open or after it failed. */
export const dataClientContext = createContext<UsageDataClient | undefined>(Symbol.for('usage-analytics/data-client'));

/** The actions service client handed down by the provider's `actions` property (the action dialogs read it). */
export const actionsClientContext = createContext<ActionsClient | undefined>(Symbol.for('usage-analytics/actions-client'));

/**
 * The saved user segments (A2.3) the caller may see, loaded by the provider from the actions
 * service (`GET /v1/segments`); `undefined` without an actions client. Each is ready to use as a
 * filter (`UsageFilters.savedSegments`): its criteria normalised.
 */
export interface SavedSegmentList {
  state: 'loading' | 'ready' | 'error';
  segments: SavedSegmentFilter[];
  /** Why the list could not be loaded (state `error`). */
  error?: string;
}

export const savedSegmentsContext = createContext<SavedSegmentList | undefined>(Symbol.for('usage-analytics/saved-segments'));

/** The shared filter state held by the provider. */
export const filtersContext = createContext<UsageFilters>(Symbol.for('usage-analytics/filters'));

import type { LoadFailure } from './failure.js';

export type { LoadFailure } from './failure.js';
export { toFailure } from './failure.js';

/** The provider's loading state, so nested elements can show it instead of waiting silently. */
export interface LoadStatus {
  state: 'idle' | 'loading' | 'ready' | 'error';
  progress?: LoadProgress;
  error?: LoadFailure;
}

export const loadStatusContext = createContext<LoadStatus>(Symbol.for('usage-analytics/load-status'));

/** True for a superseded query (the coordinator's `StaleQueryError`, or an `AbortError`). */
export const isAbort = (e: unknown): boolean => e instanceof Error && e.name === 'AbortError';

/**
 * The locale and time zone set on `<usage-provider>` / `<usage-analytics>` (`locale`, `time-zone`),
 * inherited by every chart inside, slotted ones too. Each field is `undefined` when not set there:
 * a chart then falls back to the nearest `lang` (locale) and to UTC (time zone). Values are
 * validated by the provider (an invalid one is warned about and left out).
 */
export interface LocaleSettings {
  /** A canonical BCP 47 tag (`de-DE`). */
  locale?: string;
  /** A canonical IANA zone (`Europe/Berlin`; `local` already resolved to the browser's zone). */
  timeZone?: string;
}

export const localeContext = createContext<LocaleSettings>(Symbol.for('usage-analytics/locale'));
