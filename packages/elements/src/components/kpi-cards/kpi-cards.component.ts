import { Task, TaskStatus, initialState } from '@lit/task';
import { kpis, type Kpis, type TimeRange, type UsageFilters } from '@usage-analytics/queries';
import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import '../../events/usage-drilldown.js';
import { isAbort, toFailure, type LoadFailure } from '../../internal/context.js';
import { failureTemplate } from '../../internal/failure.js';
import { currentPeriodLabel, formatDelta, formatValue, previousPeriodLabel } from '../../internal/format.js';
import { FirstPaint } from '../../internal/first-paint.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import styles from './kpi-cards.styles.js';
import { rovingFocus } from '../../internal/roving-focus.js';

/** The four cards, in order. */
export const KPI_CARDS = [
  { metric: 'totalCalls', label: 'Total API Calls', fractionDigits: 0 },
  { metric: 'uniqueUsers', label: 'Unique Users', fractionDigits: 0 },
  { metric: 'activeAgents', label: 'Active Agents', fractionDigits: 0 },
  { metric: 'avgCallsPerUser', label: 'Avg Calls per User', fractionDigits: 1 },
] as const satisfies readonly { metric: keyof Kpis; label: string; fractionDigits: number }[];

let instances = 0;

/** Figures with the filters they were computed for: a card's labels always come from these filters. */
interface Computed {
  filters: UsageFilters;
  value: Kpis;
}

/**
 * @summary Four KPI cards (Total API Calls, Unique Users, Active Agents, Avg Calls per User), each
 * with its change against the previous period of the same length.
 *
 * Inside `<usage-provider>` it takes the client and the filters from context; alone, set the
 * `client` and `filters` properties. The default view paints from the snapshot's precomputed
 * results before DuckDB-WASM has started.
 *
 * @fires usage-drilldown - A card was activated (click, Enter or Space): `{kind: 'kpi', metric, filters}`.
 *
 * @csspart base - The wrapper (`role="group"`) around the cards or the message.
 * @csspart card - One card (`role="group"`, focusable).
 * @csspart label - The card's name.
 * @csspart value - The figure (compact when large; the full value is in its `title`).
 * @csspart delta - The change against the previous period (▲/▼, signed %, words).
 * @csspart stale - A card still showing the figures of the previous filters (same period, labelled with it) while the new ones load.
 * @csspart skeleton - A placeholder card while loading.
 * @csspart empty - The message when no request matches the filters.
 * @csspart error - The error message (`role="alert"`).
 * @csspart retry-button - The button that runs the query again.
 *
 * @cssproperty --usage-kpi-min-width - Minimum card width before the grid wraps (default 12rem).
 * @cssproperty --usage-kpi-gap - Gap between cards.
 * @cssproperty --usage-kpi-padding - Padding inside a card.
 * @cssproperty --usage-kpi-min-height - Minimum card height.
 * @cssproperty --usage-kpi-background - Card background.
 * @cssproperty --usage-kpi-value-size - Font size of the figure.
 * @cssproperty --usage-kpi-value-color - Colour of the figure.
 * @cssproperty --usage-kpi-label-size - Font size of the label.
 * @cssproperty --usage-kpi-delta-size - Font size of the change.
 * @cssproperty --usage-kpi-positive-color - Colour of an increase (with ▲ and a + sign).
 * @cssproperty --usage-kpi-negative-color - Colour of a decrease (with ▼ and a - sign).
 */
export default class UsageKpiCards extends UsageChartElement {
  static override styles = styles;

  /** Values at or above this size are shown compact ("12.3K"). */
  @property({ type: Number, attribute: 'compact-threshold' }) compactThreshold = 10_000;

  /** Accessible name of the group of cards. */
  @property() label = 'Usage KPIs';

  /** One coordinator channel per element: a newer request supersedes the older one. */
  private readonly channel = `usage-kpi-cards-${++instances}`;

  /** Precomputed first-paint result for the current client and filters. */
  private readonly firstPaint = new FirstPaint(kpis);

  private readonly kpisTask = new Task(this, {
    args: () => [this.activeClient, this.activeFilters] as const,
    task: async ([client, filters], { signal }): Promise<Computed | typeof initialState> => {
      if (!client) return initialState;
      return { filters, value: await client.run(kpis, filters, undefined, { channel: this.channel, signal }) };
    },
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.kpisTask];
  }

  override render() {
    const task = this.kpisTask;
    let body: unknown;
    let busy = false;
    if (!this.activeClient) {
      const status = this.loadStatus;
      if (status?.state === 'error' && status.error) {
        body = this.renderUnavailable(status.error);
      } else {
        body = this.renderSkeleton();
        busy = true;
      }
    } else if (task.status === TaskStatus.ERROR && !isAbort(task.error)) {
      body = this.renderError(toFailure(task.error));
    } else {
      const shown = this.shown();
      busy = !shown || shown.stale;
      if (!shown) body = this.renderSkeleton();
      else if (shown.value.totalCalls.value === 0 && shown.value.totalCalls.previous === 0) body = this.renderEmpty(shown.filters);
      else body = this.renderCards(shown);
    }
    return html`
      <div part="base" class="grid" role="group" aria-label=${this.label} aria-busy=${busy ? 'true' : 'false'} ${rovingFocus({ items: '.card' })}>
        <span class="visually-hidden" role="status">${busy ? 'Loading usage KPIs…' : ''}</span>
        ${body}
      </div>
    `;
  }

  /**
   * What the cards show: the answer for the current filters (the query's, or the snapshot's
   * precomputed one before the engine exists); while a newer query runs, the previous answer only
   * when it is for the same period (it keeps its own labels and is marked stale) — a figure is never
   * shown under another period's label ("vs previous 7 days" over a 30-day total), so after a period
   * change the cards are pending until the new figures arrive.
   */
  private shown(): (Computed & { stale: boolean }) | undefined {
    const task = this.kpisTask;
    const filters = this.activeFilters;
    const done = task.status === TaskStatus.COMPLETE || task.status === TaskStatus.PENDING ? task.value : undefined;
    if (task.status === TaskStatus.COMPLETE && done?.filters === filters) return { ...done, stale: false };
    const first = this.firstPaint.value(this.activeClient, filters, undefined);
    if (first) return { filters, value: first, stale: false };
    if (done && samePeriod(done.filters.timeRange, filters.timeRange)) return { ...done, stale: true };
    return undefined;
  }

  protected override updated(): void {
    if (this.shadowRoot?.querySelector('[part~="value"]')) markFirstDataPaint();
  }

  private renderCards({ value: data, filters, stale }: Computed & { stale: boolean }) {
    const locale = this.activeLocale;
    const previous = previousPeriodLabel(filters.timeRange);
    return KPI_CARDS.map(({ metric, label, fractionDigits }) => {
      const kpi = data[metric];
      const value = formatValue(kpi.value, { locale, fractionDigits, compactThreshold: this.compactThreshold });
      const prev = formatValue(kpi.previous, { locale, fractionDigits, compactThreshold: this.compactThreshold });
      const delta = formatDelta(kpi.delta, locale);
      const spokenDelta = delta.direction === 'na' ? `Change vs ${previous}: ${delta.spoken}` : `${capitalize(delta.spoken)} vs ${previous} (${prev.full})`;
      return html`
        <div
          part=${stale ? 'card stale' : 'card'}
          class="card"
          role="group"
          data-metric=${metric}
          aria-label=${`${label}: ${value.full}. ${spokenDelta}.`}
          @click=${() => this.drill(metric)}
          @keydown=${(e: KeyboardEvent) => this.handleKeydown(e, metric)}
        >
          <span part="label" class="label">${label}</span>
          <span part="value" class="value" title=${value.full}>${value.display}</span>
          <span part="delta" class="delta ${delta.direction}" title=${`${previous}: ${prev.full}`}>
            ${delta.glyph ? html`<span class="glyph" aria-hidden="true">${delta.glyph}</span>` : nothing}
            <span class="delta-text">${delta.text}</span>
            <span class="delta-note">vs ${previous}</span>
          </span>
        </div>
      `;
    });
  }

  private renderSkeleton() {
    return KPI_CARDS.map(
      () => html`
        <div part="card skeleton" class="card skeleton" aria-hidden="true">
          <span class="bone label-bone"></span>
          <span class="bone value-bone"></span>
          <span class="bone delta-bone"></span>
        </div>
      `,
    );
  }

  private renderEmpty(filters: UsageFilters) {
    return html`
      <div part="empty" class="message empty">
        <p>No API calls match these filters in the ${currentPeriodLabel(filters.timeRange)}.</p>
      </div>
    `;
  }

  private renderError(error: LoadFailure) {
    return failureTemplate(error, 'The KPIs', this.retry);
  }

  /** The provider failed to load the data: it shows the details and the retry; the cards say why they are empty. */
  private renderUnavailable(error: LoadFailure) {
    return html`
      <div part="error" class="message error" role="alert">
        <p>The KPIs are unavailable: the usage data could not be loaded (<code class="error-code">${error.code}</code>).</p>
      </div>
    `;
  }

  /** Runs the query again (after an error). */
  override retry = (): void => {
    void this.kpisTask.run();
  };

  private handleKeydown(event: KeyboardEvent, metric: keyof Kpis): void {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.drill(metric);
    }
  }

  private drill(metric: keyof Kpis): void {
    this.emit('usage-drilldown', { detail: { kind: 'kpi', metric, filters: structuredClone(this.activeFilters) } });
  }
}

/**
 * Marks `usage:first-data-paint` once per page, in the frame the first real figures paint
 * (read by `pnpm bench`: navigation → default view painted).
 */
function markFirstDataPaint(): void {
  if (typeof performance === 'undefined' || performance.getEntriesByName('usage:first-data-paint').length > 0 || firstPaintPending) return;
  firstPaintPending = true;
  requestAnimationFrame(() => performance.mark('usage:first-data-paint'));
}
let firstPaintPending = false;

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** The same period: same preset, and for a custom range the same bounds. */
function samePeriod(a: TimeRange, b: TimeRange): boolean {
  if (a.preset !== b.preset) return false;
  return a.preset !== 'custom' || (b.preset === 'custom' && a.start === b.start && a.end === b.end);
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-kpi-cards': UsageKpiCards;
  }
}
