import { provide } from '@lit/context';
import type { ActionsClient } from '@usage-analytics/actions';
import {
  DEFAULT_STALL_MS,
  DEFAULT_TIMEOUT_MS,
  HttpSource,
  UsageDataClient,
  WasmBrowserConnector,
  type Connector,
  type FetchLimits,
  type LoadProgress,
  type SnapshotSource,
} from '@usage-analytics/data-client';
import { TABLE_NAMES, defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { canonicalLocale, canonicalTimeZone } from '../../internal/locale.js';
import type { UsageActionCompleteEvent } from '../../events/usage-action.js';
import type { UsageFilterChangeEvent } from '../../events/usage-filter-change.js';
import '../../events/usage-load-progress.js';
import '../../events/usage-snapshot-update.js';
import {
  actionsClientContext,
  dataClientContext,
  filtersContext,
  loadStatusContext,
  localeContext,
  savedSegmentsContext,
  toFailure,
  type LoadFailure,
  type LoadStatus,
  type LocaleSettings,
  type SavedSegmentList,
} from '../../internal/context.js';
import { failureTemplate } from '../../internal/failure.js';
import { UsageElement, markOnce } from '../../internal/usage-element.js';
import { loadSavedSegments } from './saved-segments.js';
import styles from './provider.styles.js';

/** Properties whose change means a different data source: the provider (re)opens it. */
const SOURCE_PROPS = ['src', 'bundleBase', 'client', 'source', 'connector', 'noVerify', 'threads'] as const;

/**
 * @summary Opens a usage snapshot and hands its data client and the shared filters to the
 * `usage-*` elements inside it, showing loading progress and load errors.
 *
 * @slot - The dashboard: `<usage-kpi-cards>` and the other `usage-*` elements.
 *
 * @fires usage-load-progress - At each loading step: `manifest`, then `insert` for every table, then `ready`.
 * @fires usage-snapshot-update - A newer snapshot at `src` was loaded in the background and swapped in.
 * @fires usage-saved-segments-change - With an `actions` client: the saved segments (A2.3) were loaded or refreshed (`{state: 'ready', segments}`), or could not be (`{state: 'error', error}`).
 *
 * @csspart base - The wrapper around the status line, the error panel and the slot.
 * @csspart status - The live region that holds the loading progress.
 * @csspart progress - The `<progress>` bar (tables loaded of total).
 * @csspart error - The error panel (`role="alert"`).
 * @csspart error-message - The error's message.
 * @csspart error-code - The error's code (e.g. `checksum_mismatch`).
 * @csspart retry-button - The button that reopens the snapshot.
 *
 * @cssproperty --usage-provider-progress-width - Width of the progress bar (default 8rem).
 */
export default class UsageProvider extends UsageElement {
  static override styles = styles;

  /** URL of the snapshot's `manifest.json` (resolved against the document). */
  @property() src?: string;

  /** URL of the folder that serves the DuckDB-WASM bundles (`duckdb-eh.wasm`, `duckdb-browser-eh.worker.js`, …). Default `./duckdb/`. */
  @property({ attribute: 'bundle-base' }) bundleBase?: string;

  /**
   * Seconds between checks of `src`'s manifest for a newer snapshot (exporter `--watch`); the new
   * version loads in the background and replaces the current one when ready (PRD FR2.1). 0 = off.
   */
  @property({ type: Number, attribute: 'refresh-interval' }) refreshInterval = 30;

  /**
   * Seconds without a byte after which a download (manifest, tables, the engine's files) fails
   * with `fetch_timeout` and the Retry button (default 30). 0 = wait forever. Applies at the next (re)open.
   */
  @property({ type: Number, attribute: 'stall-timeout' }) stallTimeout = DEFAULT_STALL_MS / 1000;

  /** Seconds one file may take to download in all (default 600). 0 = no limit. Applies at the next (re)open. */
  @property({ type: Number, attribute: 'fetch-timeout' }) fetchTimeout = DEFAULT_TIMEOUT_MS / 1000;

  /** Skip the sha256 check of the snapshot files (not recommended). */
  @property({ type: Boolean, attribute: 'no-verify' }) noVerify = false;

  /**
   * Run DuckDB-WASM's multi-threaded build when the page is cross-origin isolated (served with
   * COOP/COEP; `crossOriginIsolated`) and `bundle-base` serves its COI files; otherwise (and by
   * default) the single-threaded build. Off by default: on the 2-core machine of the README's
   * Speed section the threaded build started later and answered slower. Applies at the next (re)open.
   */
  @property({ type: Boolean }) threads = false;

  /** Sets the `--usage-*` tokens for the subtree: `light`, `dark` or `auto` (system). Unset: inherit the page's tokens. */
  @property({ reflect: true }) theme?: 'light' | 'dark' | 'auto';

  /** A client opened elsewhere, used instead of `src`. The provider does not close it. */
  @property({ attribute: false }) client?: UsageDataClient;

  /** A custom snapshot source used instead of `src` (e.g. with auth headers). */
  @property({ attribute: false }) source?: SnapshotSource;

  /** A custom engine connector used instead of the DuckDB-WASM worker (the provider does not close it). */
  @property({ attribute: false }) connector?: Connector;

  /** The actions service client (`ActionsClient`) handed to the `usage-action-*` dialogs inside (their own `actions` property wins). */
  @provide({ context: actionsClientContext })
  @property({ attribute: false })
  actions?: ActionsClient;

  /**
   * The saved user segments (A2.3) the `actions` client's user may see (`GET /v1/segments`), offered
   * by the filter bar as filters (read-only; `undefined` without `actions`). Reloaded when `actions`
   * changes and when a `usage-action-complete` for `create-segment` bubbles up from inside.
   */
  @provide({ context: savedSegmentsContext })
  @state()
  savedSegments?: SavedSegmentList;

  /**
   * BCP 47 locale of numbers, dates and axis ticks in every chart inside (slotted ones too); a
   * chart's own `locale` wins. Unset: each chart uses the nearest `lang` (through shadow roots),
   * else the browser's language. An invalid tag warns and uses `en`.
   */
  @property() locale?: string;

  /**
   * IANA time zone of days, hours, weeks and months in every chart inside (`Europe/Berlin`; `local`
   * = the browser's). Unset: UTC (the time-of-day heatmap: the browser's). An unknown zone warns and uses UTC.
   */
  @property({ attribute: 'time-zone' }) timeZone?: string;

  /** The validated `locale` and `time-zone`, handed to the charts (read-only). */
  @provide({ context: localeContext })
  @state()
  localeSettings: LocaleSettings = {};

  /** The shared filters (default: the PRD defaults). Descendants change them with `usage-filter-change`. */
  @provide({ context: filtersContext })
  @property({ attribute: false })
  filters: UsageFilters = defaultFilters();

  /** Where loading is (read-only): `idle`, `loading` (with `progress`), `ready` or `error` (with `error`). */
  @provide({ context: loadStatusContext })
  @state()
  loadStatus: LoadStatus = { state: 'idle' };

  @provide({ context: dataClientContext })
  @state()
  private activeClient?: UsageDataClient;

  /** The client this provider opened (and so closes, with its connector unless that was given). */
  private ownedClient?: UsageDataClient;
  private ownsConnector = false;
  /** Bumped on every (re)open and release: late results of an older open are dropped. */
  private generation = 0;
  private releaseTimer?: ReturnType<typeof setTimeout>;
  private refreshTimer?: ReturnType<typeof setInterval>;
  private refreshing = false;
  private released = false;
  private segmentsAbort?: AbortController;

  constructor() {
    super();
    this.addEventListener('usage-filter-change', this.handleFilterChange);
    this.addEventListener('usage-action-complete', this.handleActionComplete);
  }

  /** Reloads the saved segments from the actions service (e.g. after one was created outside). */
  refreshSavedSegments(): Promise<void> {
    return this.loadSegments();
  }

  /** The data client in use, once the manifest is read (or the one given in `client`). */
  get dataClient(): UsageDataClient | undefined {
    return this.activeClient;
  }

  /**
   * Reopens the snapshot (after an error, or to pick up a new version at the same URL). Files at
   * `src` are revalidated with the server, so an error response the browser cached does not outlive the fix.
   */
  retry(): void {
    this.open(true);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    clearTimeout(this.releaseTimer);
    if (this.released) {
      this.released = false;
      this.open();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Moving the element re-connects it in the same task: keep the engine. Removal frees it.
    this.releaseTimer = setTimeout(() => {
      if (!this.isConnected) {
        this.released = true;
        this.generation++;
        this.closeOwned();
        this.activeClient = undefined;
        this.loadStatus = { state: 'idle' };
      }
    }, 0);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('locale') || changed.has('timeZone')) {
      this.localeSettings = { locale: canonicalLocale(this.locale), timeZone: canonicalTimeZone(this.timeZone) };
    }
    if (changed.has('actions')) void this.loadSegments();
    if (SOURCE_PROPS.some((p) => changed.has(p))) this.open();
    else if (changed.has('refreshInterval')) this.scheduleRefresh();
  }

  /** Polls the manifest while a snapshot this provider opened from `src`/`source` is in use. */
  private scheduleRefresh(): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    const seconds = Number(this.refreshInterval);
    if (!this.ownedClient || this.connector || !(seconds > 0)) return;
    this.refreshTimer = setInterval(() => void this.checkForUpdate(), seconds * 1000);
  }

  /** Loads a newer snapshot beside the current one and swaps it in when ready; on failure keeps the current one. */
  private async checkForUpdate(): Promise<void> {
    const current = this.ownedClient;
    const source = this.source ?? (this.src ? new HttpSource(this.src, this.limits()) : undefined);
    if (this.refreshing || !current || !source) return;
    const gen = this.generation;
    this.refreshing = true;
    let next: UsageDataClient | undefined;
    try {
      const manifest = await UsageDataClient.readManifest(source);
      if (manifest.snapshot_id === current.snapshotId) return;
      next = await UsageDataClient.open({
        source,
        connector: new WasmBrowserConnector({ bundleBase: this.bundleBase, ...this.limits(), threads: this.threads }),
        verify: !this.noVerify,
      });
      await next.ready;
      if (gen !== this.generation || this.ownedClient !== current) return;
      this.ownedClient = next;
      this.activeClient = next;
      next = undefined;
      void current.close().catch(() => undefined);
      this.emit('usage-snapshot-update', {
        detail: { previousSnapshotId: current.snapshotId, snapshotId: this.ownedClient.snapshotId, generatedAt: this.ownedClient.manifest.generated_at },
      });
    } catch {
      // The current snapshot stays; the next tick tries again.
    } finally {
      if (next) void next.close().catch(() => undefined);
      this.refreshing = false;
    }
  }

  override render() {
    const { state, progress, error } = this.loadStatus;
    return html`
      <div part="base" class="base" aria-busy=${state === 'loading' ? 'true' : 'false'}>
        ${state === 'error' && error ? this.renderError(error) : nothing}
        <div part="status" role="status" aria-live="polite">
          ${
            state === 'loading'
              ? html`<div class="status">
                  <progress part="progress" aria-label="Tables loaded" max=${progress?.total ?? TABLE_NAMES.length} .value=${progress?.done ?? 0}></progress>
                  <span class="status-text">${describeProgress(progress)}</span>
                </div>`
              : nothing
          }
        </div>
        <slot></slot>
      </div>
    `;
  }

  private renderError(error: LoadFailure) {
    // An adopted `client` is the host's to reopen; a source the provider opened gets Retry.
    return failureTemplate(error, 'The usage data', this.client ? undefined : () => this.retry());
  }

  private handleActionComplete = (event: UsageActionCompleteEvent): void => {
    if (event.detail?.action === 'create-segment') void this.loadSegments();
  };

  /** Loads the saved segments (the previous list stays listed meanwhile); a newer load supersedes an older one. */
  private async loadSegments(): Promise<void> {
    this.segmentsAbort?.abort();
    const actions = this.actions;
    if (!actions) {
      this.segmentsAbort = undefined;
      this.savedSegments = undefined;
      return;
    }
    const abort = (this.segmentsAbort = new AbortController());
    this.savedSegments = { state: 'loading', segments: this.savedSegments?.segments ?? [] };
    try {
      const segments = await loadSavedSegments(actions, abort.signal);
      if (abort.signal.aborted) return;
      this.savedSegments = { state: 'ready', segments };
      this.emit('usage-saved-segments-change', { detail: { state: 'ready', segments } });
    } catch (e) {
      if (abort.signal.aborted) return;
      const error = (e as Error)?.message ?? String(e);
      this.savedSegments = { state: 'error', segments: this.savedSegments?.segments ?? [], error };
      this.emit('usage-saved-segments-change', { detail: { state: 'error', segments: this.savedSegments.segments, error } });
    }
  }

  private handleFilterChange = (event: UsageFilterChangeEvent): void => {
    const { filters, replace } = event.detail;
    this.filters = replace ? defaultFilters(filters) : { ...this.filters, ...filters };
  };

  /** Opens the configured source (or adopts `client`), replacing whatever was open. */
  private open(revalidate = false): void {
    const gen = ++this.generation;
    this.closeOwned();
    this.activeClient = undefined;

    const external = this.client;
    if (external) {
      this.activeClient = external;
      this.report({ phase: 'fetch', done: 0, total: TABLE_NAMES.length });
      external.ready.then(
        () => gen === this.generation && this.markReady(),
        (e: unknown) => gen === this.generation && this.fail(e),
      );
      return;
    }

    let source: SnapshotSource | undefined;
    let connector: Connector;
    try {
      source = this.source ?? (this.src ? new HttpSource(this.src, { ...this.limits(), init: revalidate ? { cache: 'no-cache' } : undefined }) : undefined);
      if (!source) {
        this.loadStatus = { state: 'idle' };
        return;
      }
      connector = this.connector ?? new WasmBrowserConnector({ bundleBase: this.bundleBase, ...this.limits(), threads: this.threads });
    } catch (e) {
      this.fail(e); // e.g. an unparsable URL
      return;
    }

    this.loadStatus = { state: 'loading' };
    const onProgress = (p: LoadProgress): void => {
      if (gen === this.generation) this.report(p);
    };
    UsageDataClient.open({ source, connector, verify: !this.noVerify, onProgress }).then(
      (client) => {
        if (gen !== this.generation) {
          void client.close().catch(() => undefined);
          return;
        }
        this.ownedClient = client;
        this.ownsConnector = !this.connector;
        this.activeClient = client; // first paint can use precomputed results while tables load
        this.report({ phase: 'fetch', done: 0, total: TABLE_NAMES.length }); // the client exists: listeners can use it now
        client.ready.then(
          () => {
            if (gen !== this.generation) return;
            this.markReady();
            this.scheduleRefresh();
          },
          (e: unknown) => gen === this.generation && this.fail(e),
        );
      },
      (e: unknown) => {
        if (!this.connector) void connector.close().catch(() => undefined);
        if (gen === this.generation) this.fail(e);
      },
    );
  }

  /** The download timeouts in ms (attributes are seconds; an invalid value falls back to the default). */
  private limits(): FetchLimits {
    const ms = (seconds: number, fallback: number) => (Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : fallback);
    return { stallTimeoutMs: ms(Number(this.stallTimeout), DEFAULT_STALL_MS), timeoutMs: ms(Number(this.fetchTimeout), DEFAULT_TIMEOUT_MS) };
  }

  private report(progress: LoadProgress): void {
    this.loadStatus = { state: progress.phase === 'ready' ? 'ready' : 'loading', progress };
    this.emit('usage-load-progress', { detail: { ...progress } });
  }

  private markReady(): void {
    markOnce('usage:data-ready');
    if (this.loadStatus.progress?.phase !== 'ready') {
      const total = TABLE_NAMES.length;
      this.report({ phase: 'ready', done: total, total });
    }
  }

  private fail(e: unknown): void {
    this.activeClient = undefined;
    this.closeOwned();
    this.loadStatus = { state: 'error', progress: this.loadStatus.progress, error: toFailure(e) };
  }

  private closeOwned(): void {
    clearInterval(this.refreshTimer);
    this.refreshTimer = undefined;
    const owned = this.ownedClient;
    this.ownedClient = undefined;
    if (owned && this.ownsConnector) void owned.close().catch(() => undefined);
  }
}

function describeProgress(p: LoadProgress | undefined): string {
  if (!p) return 'Opening the usage snapshot…';
  switch (p.phase) {
    case 'manifest':
      return 'Reading the snapshot manifest…';
    case 'fetch':
      return `Downloading tables (${p.done} of ${p.total})…`;
    case 'verify':
      return `Verifying checksums (${p.done} of ${p.total})…`;
    case 'insert':
      return p.done === 0
        ? `Starting the query engine and loading table “${p.table ?? ''}” (1 of ${p.total})…`
        : `Loading table “${p.table ?? ''}” (${p.done + 1} of ${p.total})…`;
    case 'ready':
      return `Ready: ${p.done} of ${p.total} tables loaded.`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-provider': UsageProvider;
  }
}
