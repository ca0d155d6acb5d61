/**
 * The inputs every chart element shares, written once: the data client and filters from
 * `<usage-provider>` (context) or set directly, per-chart `filters-override`, the locale, and the
 * provider's load status. It also owns the chart's frame: {@link UsageChartElement.renderFrame}
 * renders `<usage-chart-frame>` with the one `exportparts` list, the chart's "Filters" panel, the
 * "Last updated" time and a Retry that re-runs every data task. Charts keep their own queries,
 * drawing and events.
 *
 * The base layer names the frame and the filters panel by tag only: a chart component imports
 * `chart-frame.js` and `chart-filters.js` to register them.
 */
import { ContextConsumer, consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { UsageDataClient } from '@usage-analytics/data-client';
import { DEFAULT_FILTERS, type QueryModule, type UsageFilters } from '@usage-analytics/queries';
import { html, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { UsageChartFilterChangeEvent } from '../events/usage-chart-filter-change.js';
import {
  dataClientContext,
  filtersContext,
  isAbort,
  loadStatusContext,
  localeContext,
  toFailure,
  type ChartClient,
  type LoadStatus,
  type LocaleSettings,
} from './context.js';
import { canonicalTimeZone, resolveLocale, watchLang } from './locale.js';
import type { DataColumn } from './data-column.js';
import { SECONDARY_CHART_FIELDS, type ListFilterField } from './filter-fields.js';
import { currentPeriodLabel } from './format.js';
import { FRAME_EXPORTPARTS, type FrameState, type FrameStatus } from './frame.js';
import { ThemeController } from './theme-controller.js';
import { UsageElement } from './usage-element.js';

/** The `filters-override` attribute converter (JSON object); anything else is ignored. */
export const jsonObject = {
  fromAttribute(value: string | null): Partial<UsageFilters> | undefined {
    if (!value) return undefined;
    try {
      const v = JSON.parse(value) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Partial<UsageFilters>) : undefined;
    } catch {
      return undefined;
    }
  },
  toAttribute(value: Partial<UsageFilters> | undefined): string | null {
    return value ? JSON.stringify(value) : null;
  },
};

/** What a chart hands its frame besides the status (see {@link UsageChartElement.renderFrame}). */
export interface FrameInputs<R extends object> {
  status: FrameStatus;
  emptyMessage: string;
  /** The rows on screen (CSV and the data-table view) and their columns. */
  rows: readonly R[];
  columns?: readonly DataColumn<R>[];
  /** File name of exports, without extension. */
  filename: string;
  /** The SVG to export as PNG (default: the first in the chart). */
  pngTarget?: () => SVGSVGElement | null | undefined;
  /** Charts that are not drawn (tables) hide Export PNG. */
  noPng?: boolean;
}

/** How {@link UsageChartElement.queryTask} runs a query module. */
export interface QueryTaskOptions<P, D extends readonly unknown[]> {
  /** Suffix of the coordinator channel (each query of a chart has its own). */
  channel?: string;
  /** The filters (default: the chart's `activeFilters`). */
  filters?: () => UsageFilters;
  /** What the params are made of, compared like task args (a change re-runs the query). */
  deps?: () => Readonly<D>;
  /** The module's params from `deps` (default: none). */
  params?: (...deps: D) => P;
  /** Whether the query runs now (default: always; off, the task rests). */
  enabled?: () => boolean;
}

let charts = 0;

export class UsageChartElement extends UsageElement {
  /** The data client; overrides the one from `<usage-provider>`. */
  @property({ attribute: false }) client?: ChartClient;

  /** Title of the chart's frame (each framed chart declares it with its default). */
  declare heading?: string;

  /** One-line purpose under the title (each framed chart declares it). */
  declare description?: string;

  /** The filters; override the provider's. Default: the PRD defaults. */
  @property({ attribute: false }) filters?: UsageFilters;

  /** Per-chart filters merged over the shared ones (attribute: JSON, e.g. `{"departments":["sales"]}`). */
  @property({ attribute: 'filters-override', converter: jsonObject }) filtersOverride?: Partial<UsageFilters>;

  /**
   * BCP 47 locale of numbers, dates and axis ticks. Default: the provider's / tab's `locale`, else
   * the nearest `lang` (walking out through shadow roots to `<html lang>`; a `lang` changed at
   * runtime in the page re-renders the chart), else the browser's.
   */
  @property() locale?: string;

  /**
   * IANA time zone of days, hours and months (attribute `time-zone`; `local` = the browser's).
   * Default: the provider's / tab's `time-zone`, else UTC. Unknown zones warn and use UTC.
   */
  @property({ attribute: 'time-zone' }) timeZone?: string;

  /**
   * Re-query on filter changes even while off screen. By default a chart more than 200 px
   * outside the viewport keeps what it shows and catches up when it scrolls near, so a filter
   * change only costs the charts one can see (the engine runs one query at a time).
   */
  @property({ type: Boolean, reflect: true }) eager = false;

  /** Whether the chart is within 200 px of the viewport (true until the first observation). */
  @state() protected nearViewport = true;

  @consume({ context: dataClientContext, subscribe: true })
  @state()
  protected contextClient?: UsageDataClient;

  @consume({ context: filtersContext, subscribe: true })
  @state()
  protected contextFilters?: UsageFilters;

  /**
   * The provider's load status, as far as a chart reads it: updated (and the chart re-rendered) when
   * its `state` or `error` changes, not on each progress step of the load (a table loaded, bytes
   * received), which re-rendered every chart ten times while the engine loaded.
   */
  @state()
  protected loadStatus?: LoadStatus;

  @consume({ context: localeContext, subscribe: true })
  @state()
  protected contextLocale?: LocaleSettings;

  private merged?: { base: UsageFilters; override?: Partial<UsageFilters>; value: UsageFilters };
  private shownFilters?: UsageFilters;
  private observer?: IntersectionObserver;
  private unwatchLang?: () => void;

  /**
   * The chart's categorical palette (`this.theme.palette`), re-read when the OS colour scheme, a
   * theme class or attribute on the page, or an inline `--usage-cat-*` changes; charts that cache
   * drawings pass {@link onThemeChange}.
   */
  protected readonly theme = new ThemeController(this, () => this.onThemeChange());

  /** Called when the palette changed, before the re-render (charts drop cached drawings here). */
  protected onThemeChange(): void {}

  /**
   * Re-reads the theme tokens (`--usage-cat-1…8`, `--usage-color-surface`) and redraws when they
   * changed. Theme switches through the OS, a class or attribute on the page, or an inline style
   * are picked up by themselves; call this after changing tokens in a stylesheet. Returns whether
   * the palette changed.
   */
  refreshTheme(): boolean {
    return this.theme.refresh();
  }

  /** The categorical palette the chart draws with now (`--usage-cat-1…8` as resolved on it; read-only). */
  get themePalette(): readonly string[] {
    return this.theme.palette;
  }

  /** This chart's coordinator channel: a newer query on it supersedes the older one. */
  protected readonly queryChannel = `${this.localName}-${++charts}`;

  /**
   * A data task that runs `module` with the chart's client, under its filters, on its own channel
   * (re-run when the client, the filters or `deps` change; without a client it rests).
   */
  protected queryTask<P, R, D extends readonly unknown[] = []>(module: QueryModule<P, R>, options: QueryTaskOptions<P, D> = {}): Task<readonly unknown[], R> {
    const { channel = '', filters = () => this.activeFilters, deps, params, enabled } = options;
    return new Task(this, {
      args: () => [enabled?.() === false ? undefined : this.activeClient, filters(), this.activeTimeZone, ...(deps?.() ?? [])] as const,
      task: async ([client, f, timeZone, ...rest], { signal }) => {
        if (!client) return initialState;
        const p = params ? params(...(rest as unknown as D)) : (undefined as P);
        return (client as ChartClient).run(module, f as UsageFilters, p, { channel: `${this.queryChannel}${channel}`, signal, timeZone: timeZone as string });
      },
    });
  }

  /** The filters the chart's own "Filters" panel offers (PRD: agent, request status, model family; some charts add more). */
  protected chartFilterFields: readonly ListFilterField[] = SECONDARY_CHART_FIELDS;

  constructor() {
    super();
    this.addEventListener('usage-chart-filter-change', this.onChartFilterChange);
    new ContextConsumer(this, {
      context: loadStatusContext,
      subscribe: true,
      callback: (next) => {
        const prev = this.loadStatus;
        if (next?.state !== prev?.state || next?.error !== prev?.error) this.loadStatus = next;
      },
    });
  }

  /** The chart's "Filters" button and panel, for its frame's `actions` slot. */
  protected renderChartFilters(): TemplateResult {
    const base = this.filters ?? this.contextFilters ?? DEFAULT_FILTERS;
    return html`<usage-chart-filters
      slot="actions"
      part="chart-filters"
      .fields=${this.chartFilterFields}
      .value=${this.filtersOverride ?? {}}
      .base=${base}
      .client=${this.activeClient}
      chart=${this.heading || this.localName}
    ></usage-chart-filters>`;
  }

  /**
   * The chart in its frame: title and purpose, the state the chart is in, its rows for CSV and the
   * table view, the snapshot's "Last updated", the chart's "Filters" panel, and Retry. Every frame
   * part is exported as `frame-<part>` ({@link FRAME_EXPORTPARTS}), the same for every chart.
   */
  protected renderFrame<R extends object>(frame: FrameInputs<R>, content: unknown): TemplateResult {
    const { status } = frame;
    return html`<usage-chart-frame
      part="frame"
      exportparts=${FRAME_EXPORTPARTS}
      .heading=${this.heading ?? ''}
      .description=${this.description ?? ''}
      .state=${status.state}
      .busy=${status.busy}
      .error=${status.error}
      .emptyMessage=${frame.emptyMessage}
      .updatedAt=${this.activeClient?.manifest?.generated_at}
      .rows=${frame.rows}
      .columns=${frame.columns}
      .filename=${frame.filename}
      .locale=${this.activeLocale}
      .retry=${this.retry}
      .pngTarget=${frame.pngTarget}
      ?no-png=${frame.noPng ?? false}
    >
      ${this.renderChartFilters()} ${content}
    </usage-chart-frame>`;
  }

  /** Runs every data task of the chart again (the frame's Retry after an error). */
  retry = (): void => {
    for (const task of this.dataTasks) void task.run();
  };

  /** "last 30 days" (or "selected period") of the filters the chart shows, for empty messages. */
  protected get periodLabel(): string {
    return currentPeriodLabel(this.activeFilters.timeRange);
  }

  /**
   * The chart frame's state from the chart's main query: the provider's load error (before there
   * is a client), the query's error (aborts do not count), else empty or ready once there is data;
   * `busy` while a newer query runs over data on screen.
   */
  protected frameStatus<R>(task: { readonly status: TaskStatus; readonly error?: unknown }, data: R | undefined, isEmpty: (data: R) => boolean): FrameStatus {
    const load = this.loadStatus;
    if (!this.activeClient && load?.state === 'error' && load.error) {
      return { state: 'error', error: { ...load.error, message: `The usage data could not be loaded: ${load.error.message}` }, busy: false };
    }
    if (task.status === TaskStatus.ERROR && !isAbort(task.error)) return { state: 'error', error: toFailure(task.error), busy: false };
    if (data === undefined) return { state: 'loading', busy: false };
    const state: FrameState = isEmpty(data) ? 'empty' : 'ready';
    return { state, busy: state === 'ready' && task.status === TaskStatus.PENDING };
  }

  /** From this chart's own panel: becomes `filtersOverride` (an empty selection falls back to the shared filter). */
  private onChartFilterChange = (e: UsageChartFilterChangeEvent): void => {
    const origin = e.composedPath()[0] as Node | undefined;
    if (!origin || origin.getRootNode() !== this.renderRoot) return;
    const next: Partial<UsageFilters> = {};
    for (const [k, v] of Object.entries(e.detail.override) as [keyof UsageFilters, unknown][]) {
      if (Array.isArray(v) && v.length === 0) continue;
      (next as Record<string, unknown>)[k] = v;
    }
    this.filtersOverride = Object.keys(next).length ? next : undefined;
  };

  override connectedCallback(): void {
    super.connectedCallback();
    // Without its own or the provider's locale, the chart follows the nearest `lang`, also when it changes.
    this.unwatchLang = watchLang(() => {
      if (!this.locale && !this.contextLocale?.locale) this.requestUpdate();
    });
    if (typeof IntersectionObserver === 'undefined') return;
    this.observer = new IntersectionObserver(
      (entries) => {
        const near = entries[entries.length - 1].isIntersecting;
        if (near !== this.nearViewport) this.nearViewport = near;
      },
      { rootMargin: '200px 0px' },
    );
    this.observer.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unwatchLang?.();
    this.unwatchLang = undefined;
    this.observer?.disconnect();
    this.observer = undefined;
    this.nearViewport = true;
  }

  protected get activeClient(): ChartClient | undefined {
    return this.client ?? this.contextClient;
  }

  /**
   * The shared filters with `filtersOverride` merged over them (a stable object while inputs
   * stay). Off screen (and not `eager`), the filters of the last time the chart was near the
   * viewport: its queries do not rerun until it comes back.
   */
  get activeFilters(): UsageFilters {
    const base = this.filters ?? this.contextFilters ?? DEFAULT_FILTERS;
    const override = this.filtersOverride;
    if (this.merged?.base !== base || this.merged.override !== override) {
      this.merged = { base, override, value: override ? { ...base, ...override } : base };
    }
    if (this.nearViewport || this.eager || !this.shownFilters) this.shownFilters = this.merged.value;
    return this.shownFilters;
  }

  /** True when the chart shows older filters than the current ones (off screen, catching up later). */
  get deferred(): boolean {
    return this.shownFilters !== undefined && this.merged !== undefined && this.shownFilters !== this.merged.value;
  }

  /** The locale the chart formats with (see `locale`). */
  get activeLocale(): string {
    return resolveLocale(this, this.locale, this.contextLocale?.locale);
  }

  /** Locale and zone of the chart's date labels (`formatBucket`, axis ticks). */
  protected get timeLabels(): { locale: string; timeZone: string } {
    return { locale: this.activeLocale, timeZone: this.activeTimeZone };
  }

  /** The IANA time zone the chart's days and hours are in (see `timeZone`). */
  get activeTimeZone(): string {
    return canonicalTimeZone(this.timeZone) ?? this.contextLocale?.timeZone ?? 'UTC';
  }
}
