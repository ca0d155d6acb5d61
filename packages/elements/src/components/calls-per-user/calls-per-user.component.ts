import type { Task } from '@lit/task';
import { atRiskUsers, callsPerUser, type AtRiskUser, type CallsPerUser } from '@usage-analytics/queries';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import '../../events/usage-drilldown.js';
import type { UsageDrilldownDetail, UsageDrilldownEvent } from '../../events/usage-drilldown.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { Memo } from '../../internal/memo.js';
import { PaintController } from '../../internal/paint-controller.js';
import { ResizeController } from '../../internal/resize-controller.js';
import { TooltipController } from '../../internal/tooltip.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import '../data-table/data-table.js';
import {
  AT_RISK_PARAMS,
  SCREEN_COLUMNS,
  atRiskColumns,
  atRiskRows,
  barTooltip,
  formatters,
  histogramData,
  outlierRanges,
  rangeDrilldown,
  screenRows,
  type AtRiskRow,
} from './calls-per-user.data.js';
import styles from './calls-per-user.styles.js';
import { histogram, type HistogramLayout } from './histogram.js';

/**
 * @summary Chart 2.4 Calls per User: how deeply people use the agents — a histogram of calls per
 * user in the filtered window (one bar per count when counts are small, nice linear bins for a wide
 * body, 1-2-5 log bins when the tail is long), P25 / P50 / P75 / P90 markers, the previous period's
 * distribution as a dashed step line on the same bins, and the outliers (above P90, below P10) drawn
 * apart in each bar (colour and texture, and said in text); beside it, the users at risk (falling
 * engagement: the last 7 days below half their weekly average of the 3 weeks before, or no calls
 * in 14 days).
 *
 * Inside `<usage-provider>` it takes the client and filters from context; alone, set `client` and
 * `filters`. `filters-override` (property or JSON attribute) narrows this chart alone. At the agent
 * level, pass filters with `agentIds: [id]` (and `agentStatuses: []`).
 *
 * Keyboard: the histogram holds one tab stop; ←/→ move between bars (Home/End: the ends), Enter or
 * Space opens the users of the focused bar, Escape hides the tooltip. Hover or focus shows the bar's
 * counts and a few sample users. The outlier buttons in the legend and the user ids of the at-risk
 * list are buttons too.
 *
 * @fires usage-drilldown - Cancelable. `{kind: 'call-range', min, max, filters}` from a bar (max
 *   exclusive) or an outlier button (above P90: max null); `{kind: 'user', userId, filters}` from an
 *   at-risk user id (filters with `userIds: [userId]`).
 * @fires usage-retry - Retry was pressed after an error (the chart re-runs its queries).
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart plot - The container of the histogram.
 * @csspart svg - The histogram's `<svg>`.
 * @csspart summary - The line with the average, the median and the previous period.
 * @csspart legend - The key (bars, outliers, previous period).
 * @csspart outlier-button - The "above P90" and "below P10" buttons (open those users).
 * @csspart at-risk - The at-risk panel.
 * @csspart at-risk-table - The at-risk panel's `<usage-data-table>`.
 * @csspart tooltip - The tooltip.
 *
 * @cssproperty --usage-calls-per-user-height - Height of the histogram (default 280px).
 * @cssproperty --usage-calls-per-user-bar - Fill of the bars (default the theme's `--usage-cat-5`, blue).
 * @cssproperty --usage-calls-per-user-high - Fill of the users above P90 (default `--usage-cat-6`, vermillion, hatched).
 * @cssproperty --usage-calls-per-user-low - Fill of the users below P10 (default `--usage-cat-1`, orange, dotted).
 * @cssproperty --usage-calls-per-user-list-max-height - Height above which the at-risk list scrolls (default 18rem).
 */
export default class UsageCallsPerUser extends UsageChartElement {
  protected override chartFilterFields = ['departments', 'userSegments', 'agentIds', 'requestStatuses', 'modelFamilies'] as const;

  static override styles = styles;

  /** Hides the previous period's distribution (the dashed step line over the bars). */
  @property({ type: Boolean, attribute: 'hide-previous' }) hidePrevious = false;

  /** Rows per page of the at-risk list. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 10;

  /** Title of the frame. */
  @property() override heading = 'Calls per User';

  /** One-line purpose under the title. */
  @property() override description = 'How many calls each user made in the period: the spread, the outliers and who is dropping off.';

  @state() private announcement = '';

  @query('.plot-wrap svg') private svg?: SVGSVGElement;

  /** The layout of the last paint (bars, scales, keyboard position), for tests and tools. */
  layout?: HistogramLayout;

  private readonly tooltip = new TooltipController(this);
  private readonly size = new ResizeController(this);
  private readonly painter = new PaintController(this);
  private readonly rowsMemo = new Memo<AtRiskRow[]>();
  private readonly columnsMemo = new Memo<ReturnType<typeof atRiskColumns>>();

  private readonly firstPaint = new FirstPaint(callsPerUser);
  private readonly firstAtRisk = new FirstPaint(atRiskUsers);
  private readonly task = this.queryTask(callsPerUser);
  private readonly atRiskTask = this.queryTask(atRiskUsers, { channel: '-at-risk', params: () => AT_RISK_PARAMS });

  constructor() {
    super();
    this.painter.add({
      module: histogram,
      svg: () => this.svg,
      args: () => {
        const d = this.data;
        return d && d.users > 0 ? ([d, this.activeLocale, !this.hidePrevious, this.heading] as const) : undefined;
      },
      size: () => [this.size.width, this.size.height],
      draw: ([d, locale, previous, heading], [width, height]) => {
        const f = formatters(locale);
        return {
          data: histogramData(d, f, previous),
          options: {
            width,
            height,
            label: `${heading}: ${f.count(d.users)} users in ${d.bins.length} bars of calls per user`,
            onHover: this.onHover,
            onActivate: this.activateBar,
          },
        };
      },
      done: (layout) => {
        this.layout = layout;
      },
    });
    this.addEventListener('usage-drilldown', this.onTableDrilldown);
  }

  /** The distribution shown: the query's answer, else the precomputed first paint, else the previous answer while a new query runs. */
  get data(): CallsPerUser | undefined {
    return shown(this.task, this.firstPaint.value(this.activeClient, this.activeFilters, undefined));
  }

  /** The at-risk users listed (the first 100, busiest before first; each carries the total). */
  get atRisk(): AtRiskUser[] | undefined {
    return shown(this.atRiskTask, this.firstAtRisk.value(this.activeClient, this.activeFilters, AT_RISK_PARAMS));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.task, this.atRiskTask];
  }

  override render() {
    const data = this.data;
    const status = this.frameStatus(this.task, data, (d) => d.users === 0);
    const ready = data && status.state === 'ready';
    return this.renderFrame(
      {
        status,
        emptyMessage: `No users made calls under these filters in the ${this.periodLabel}.`,
        rows: ready ? screenRows(data) : [],
        columns: SCREEN_COLUMNS,
        filename: 'calls-per-user',
        pngTarget: () => this.svg,
      },
      html`
        <div class="layout">
          <div class="chart">
            ${ready ? this.renderSummary(data) : nothing}
            <div part="plot" class="plot-wrap">
              <svg part="svg" tabindex="-1" aria-describedby="cpu-help"></svg>
              ${this.tooltip.render()}
            </div>
            <p id="cpu-help" class="visually-hidden">Arrow keys move between bars; Enter opens the users of the focused bar.</p>
            <div part="legend" class="legend">${ready ? this.renderLegend(data) : nothing}</div>
          </div>
          ${this.renderAtRisk()}
        </div>
        <span class="visually-hidden" role="status">${this.announcement}</span>
        <div slot="footer" class="notes">${ready ? this.binNote(data) : nothing}</div>
      `,
    );
  }

  protected override updated(changed: Map<string, unknown>): void {
    super.updated(changed);
    this.size.observe(this.renderRoot.querySelector('.plot-wrap'));
  }

  /** Moves keyboard focus to the histogram's active bar. */
  override focus(options?: FocusOptions): void {
    const node = this.layout?.node(this.layout.active) as unknown as HTMLElement | undefined;
    if (node) node.focus(options);
    else super.focus(options);
  }

  private renderSummary(d: CallsPerUser) {
    const f = formatters(this.activeLocale);
    const p = d.percentiles!;
    const prev = d.previousAvgCalls === null ? 'no calls in the previous period' : `previous period ${f.calls(d.previousAvgCalls)}`;
    return html`<p part="summary" class="summary">
      <strong>${f.calls(d.avgCalls)}</strong> calls per user on average (${prev}) · ${f.count(d.users)} users · median ${f.calls(p.p50)} · P25 ${f.calls(p.p25)}
      · P75 ${f.calls(p.p75)} · P90 ${f.calls(p.p90)}
    </p>`;
  }

  private renderLegend(d: CallsPerUser) {
    const f = formatters(this.activeLocale);
    const p = d.percentiles!;
    const r = outlierRanges(p);
    return html`<span><span class="key mid" aria-hidden="true"></span>Users per bar</span>
      <span
        ><span class="key high" aria-hidden="true"></span>Hatched: above P90 (more than ${f.calls(p.p90)} calls)
        <button
          part="outlier-button"
          type="button"
          data-outliers="high"
          ?disabled=${d.outliersHigh === 0}
          @click=${() => this.drill(rangeDrilldown(r.high.min, null, this.activeFilters))}
        >
          ${f.count(d.outliersHigh)} ${d.outliersHigh === 1 ? 'user' : 'users'}
        </button></span
      >
      <span
        ><span class="key low" aria-hidden="true"></span
        >${r.low ? `Dotted: below P10 (fewer than ${f.calls(p.p10)} calls)` : `Dotted: below P10 (none: P10 is ${f.calls(p.p10)} call, the fewest possible)`}
        ${
          r.low
            ? html`<button
                part="outlier-button"
                type="button"
                data-outliers="low"
                ?disabled=${d.outliersLow === 0}
                @click=${() => r.low && this.drill(rangeDrilldown(r.low.min, r.low.max, this.activeFilters))}
              >
                ${f.count(d.outliersLow)} ${d.outliersLow === 1 ? 'user' : 'users'}
              </button>`
            : nothing
        }</span
      >
      ${
        !this.hidePrevious && d.previousUsers > 0
          ? html`<span><span class="key previous" aria-hidden="true"></span>Dashed line: previous period (${f.count(d.previousUsers)} users)</span>`
          : nothing
      }`;
  }

  private binNote(d: CallsPerUser): string {
    const f = formatters(this.activeLocale);
    const how =
      d.scale === 'log'
        ? `Log bins (1, 2, 3, 5, 10, 20, 50, …): the busiest user made ${f.count(d.maxCalls)} calls, a long tail.`
        : d.binWidth === 1
          ? 'One bar per number of calls.'
          : `Bins of ${f.count(d.binWidth ?? 1)} calls.`;
    return `${how} Markers: P25, P50 (solid), P75, P90. Click a bar, or press Enter on it, for its users.`;
  }

  private renderAtRisk() {
    const users = this.atRisk;
    const f = formatters(this.activeLocale);
    const total = users?.[0]?.total ?? 0;
    const rows = this.rowsMemo.get([users], () => atRiskRows(users ?? []));
    const filters = this.activeFilters;
    const locale = this.activeLocale;
    const columns = this.columnsMemo.get([filters, locale], () => atRiskColumns(filters, locale));
    return html`<section part="at-risk" class="at-risk" aria-labelledby="at-risk-title">
      <h4 id="at-risk-title">At risk: ${users ? f.count(total) : '…'} ${total === 1 ? 'user' : 'users'}</h4>
      <p>Falling engagement: calls in the last 7 days (7d) below half their weekly average of the 3 weeks before (before), or no calls in 14 days.</p>
      ${
        users
          ? html`<usage-data-table
              part="at-risk-table"
              exportparts="table:at-risk-table-table,drill-button:at-risk-user-button"
              label=${total > rows.length ? `At-risk users (${f.count(rows.length)} of ${f.count(total)}, busiest before first)` : 'At-risk users'}
              filename="at-risk-users"
              .rows=${rows}
              .columns=${columns}
              .pageSize=${this.pageSize}
              .locale=${this.locale}
              hide-search
              empty-message="No user is at risk."
            ></usage-data-table>`
          : nothing
      }
    </section>`;
  }

  private drill(detail: UsageDrilldownDetail): void {
    this.emit('usage-drilldown', { detail, cancelable: true });
  }

  private readonly activateBar = (i: number): void => {
    const b = this.data?.bins[i];
    if (b) this.drill(rangeDrilldown(b.min, b.max, this.activeFilters));
  };

  private readonly onHover = (i: number | null, rect: { x: number; y: number; width: number; height: number } | null, source: 'pointer' | 'focus'): void => {
    const d = this.data;
    const b = i === null ? undefined : d?.bins[i];
    if (!d || !b || !rect) {
      this.tooltip.hide();
      return;
    }
    const content = barTooltip(b, d, formatters(this.activeLocale));
    this.tooltip.show(content, { x: rect.x + rect.width, y: rect.y + Math.min(rect.height, 40) / 2 });
    if (source === 'focus') this.announcement = `${content.title}: ${(content.rows ?? []).map((r) => `${r.label} ${r.value}`).join(', ')}`;
  };

  /** The at-risk table's drill cells emit a plain event: re-emit it from here, cancelable. */
  private onTableDrilldown = (e: UsageDrilldownEvent): void => {
    if (e.composedPath()[0] === this) return;
    e.stopPropagation();
    this.drill(e.detail);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-calls-per-user': UsageCallsPerUser;
  }
}
