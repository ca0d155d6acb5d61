import { TaskStatus, type Task } from '@lit/task';
import { retentionCohorts, userSegments, type PeriodComparison, type UserSegments } from '@usage-analytics/queries';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import '../../events/usage-drilldown.js';
import { isAbort, toFailure } from '../../internal/context.js';
import { formatDelta } from '../../internal/format.js';
import { textOn } from '../../internal/palette.js';
import { ResizeController } from '../../internal/resize-controller.js';
import { TooltipController } from '../../internal/tooltip.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { Memo } from '../../internal/memo.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { PaintController } from '../../internal/paint-controller.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import { sparkline } from './sparkline.js';
import {
  PERIOD_LABELS,
  SCREEN_COLUMNS,
  formatters,
  month1Retention,
  screenRows,
  segmentAriaLabel,
  segmentColour,
  segmentDrilldown,
  segmentTooltip,
  segmentViews,
  type Formatters,
  type RetentionPoint,
  type SegmentView,
} from './unique-users.data.js';
import styles from './unique-users.styles.js';
import { rovingFocus } from '../../internal/roving-focus.js';

/** Parameters of the retention overlay query: the same as `<usage-retention-cohorts>`' default, so one cached answer serves both. */
export const RETENTION_OVERLAY_PARAMS = Object.freeze({});

/**
 * @summary Chart 2.2 Unique Users: the users in scope split into power / returning / new /
 * dormant segments (a stacked bar with counts and shares), new vs returning users of the period,
 * month-over-month and quarter-over-quarter unique users with their deltas and churn, and a
 * month-1 retention overlay (one point per monthly cohort).
 *
 * Inside `<usage-provider>` it takes the client and the shared filters from context; alone, set
 * `client` and `filters`. `filters-override` (property, or JSON attribute) is merged over them.
 * The first paint uses the snapshot's precomputed result when there is one.
 *
 * Keyboard: each segment of the bar is a button (Tab, or ←/→ between segments); focus shows its
 * engagement (avg calls, last active) in the tooltip, Enter or Space opens the segment's users,
 * Escape hides the tooltip. Deltas carry a sign, an arrow and words, not colour alone.
 *
 * @fires usage-drilldown - `{kind: 'segment', segment, filters}` (filters narrowed to `userSegments: [segment]`).
 * @fires usage-retry - Retry was pressed after an error (the chart re-runs its queries).
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart bar - The segment bar (a group of buttons).
 * @csspart segment - One segment's button.
 * @csspart segment-list - The list of segments with counts and shares.
 * @csspart figures - The comparison figures (a description list).
 * @csspart figure - One figure (new vs returning, MoM, QoQ, retention).
 * @csspart delta - A change against the previous period (sign, arrow, text).
 * @csspart retention - The month-1 retention sparkline `<svg>`.
 * @csspart tooltip - The tooltip.
 *
 * @cssproperty --usage-unique-users-bar-height - Height of the segment bar (default 2.75rem).
 * @cssproperty --usage-unique-users-figure-min-width - Narrowest a figure gets before wrapping (default 11rem).
 * @cssproperty --usage-unique-users-figure-background - Background of the figures.
 */
export default class UsageUniqueUsers extends UsageChartElement {
  static override styles = styles;

  /** Hides the month-1 retention overlay (and skips its query). */
  @property({ type: Boolean, attribute: 'hide-retention' }) hideRetention = false;

  /** Title of the frame. */
  @property() override heading = 'Unique Users';

  /** One-line purpose under the title. */
  @property() override description =
    'Who the users are (new, returning, power, dormant), how the base changes month over month and quarter over quarter, and churn.';

  @state() private announcement = '';
  @state() private activeSegment?: string;

  @query('svg.spark') private sparkSvg?: SVGSVGElement;

  private readonly tooltip = new TooltipController(this);
  private readonly size = new ResizeController(this);
  /** The retention sparkline's cell. */
  private readonly sparkSize = new ResizeController(this);
  private readonly firstPaint = new FirstPaint(userSegments);
  private readonly retentionMemo = new Memo<RetentionPoint[]>();

  private readonly task = this.queryTask(userSegments);

  private readonly retentionTask = this.queryTask(retentionCohorts, {
    channel: '-retention',
    enabled: () => !this.hideRetention,
    params: () => RETENTION_OVERLAY_PARAMS,
  });

  /** What the chart shows now: the query's answer, else a precomputed first paint. */
  get data(): UserSegments | undefined {
    return shown(this.task, this.firstPaint.value(this.activeClient, this.activeFilters, undefined));
  }

  /** Month-1 retention of each finished cohort (the overlay), once its query answered. */
  get retention(): RetentionPoint[] | undefined {
    const cells = this.retentionTask.status === TaskStatus.COMPLETE ? this.retentionTask.value : undefined;
    if (!cells) return undefined;
    return this.retentionMemo.get([cells], () => month1Retention(cells));
  }

  constructor() {
    super();
    // The month-1 retention sparkline, redrawn when its points, the locale or the width change.
    new PaintController(this).add({
      module: sparkline,
      svg: () => this.sparkSvg,
      args: () => {
        const points = this.retention;
        return points?.length ? ([points, this.activeLocale] as const) : undefined;
      },
      // The width its cell was last observed at (read without forcing a layout: reading clientWidth
      // here, after every update, cost the demo's first paint 0.2 s of forced layouts).
      size: () => (this.sparkSize.width > 0 ? [Math.max(80, this.sparkSize.width - 4), 44] : [0, 0]),
      draw: ([points, locale], [width, height]) => {
        const f = formatters(locale);
        const data = points.map((p) => ({
          key: p.cohortMonth,
          value: p.pct,
          title: `${p.cohortMonth}: ${f.pct(p.pct)} (${f.count(p.retained)} of ${f.count(p.cohortSize)})`,
        }));
        return { data, options: { width, height, domain: [0, 100] as [number, number] } };
      },
    });
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.task, this.retentionTask];
  }

  override render() {
    const data = this.data;
    const task = this.task;
    const views = data ? segmentViews(data) : undefined;
    const status = this.frameStatus(
      task,
      data,
      (d) => views!.total === 0 && d.newVsReturning.new + d.newVsReturning.returning === 0 && d.comparisons.every((c) => c.current + c.previous === 0),
    );
    const frameState = status.state;
    const f = formatters(this.activeLocale);
    return this.renderFrame(
      {
        status,
        emptyMessage: `No users match these filters in the ${this.periodLabel}.`,
        rows: data && frameState === 'ready' ? screenRows(data) : [],
        columns: SCREEN_COLUMNS,
        filename: 'unique-users',
        pngTarget: () => this.sparkSvg,
      },
      html`
        ${data && views && frameState === 'ready' ? this.renderBody(data, views.segments, views.total, f) : nothing}
        <span class="visually-hidden" role="status">${this.announcement}</span>
      `,
    );
  }

  private renderBody(data: UserSegments, segments: SegmentView[], total: number, f: Formatters) {
    const palette = this.theme.palette;
    const shown = segments.filter((s) => s.users > 0);
    return html`<div class="layout">
      <div class="bar-wrap">
        <div part="bar" class="bar" role="group" aria-label=${`${f.count(total)} users in scope by segment`} ${rovingFocus({ items: '.segment', wrap: false })}>
          ${shown.map((s) => {
            const colour = segmentColour(s.segment, palette);
            const active = this.activeSegment === s.segment;
            return html`<button
              part="segment"
              class="segment"
              type="button"
              data-segment=${s.segment}
              style=${`flex-grow: ${s.users}; background: ${colour}; color: ${textOn(colour)}`}
              aria-label=${segmentAriaLabel(s, f)}
              aria-describedby=${active && this.tooltip.visible ? this.tooltip.id : nothing}
              @click=${() => this.drill(s)}
              @pointerenter=${(e: PointerEvent) => this.showSegment(s, e.currentTarget as HTMLElement, false)}
              @pointerleave=${this.onLeave}
              @focus=${(e: FocusEvent) => this.showSegment(s, e.currentTarget as HTMLElement, true)}
              @blur=${this.onLeave}
            >
              ${s.share >= 12 ? `${f.pct(s.share)}` : ''}
            </button>`;
          })}
        </div>
        ${this.tooltip.render()}
      </div>
      <ul part="segment-list" class="segment-list" aria-label="Segments">
        ${segments.map(
          (s) =>
            html`<li>
              <span class="swatch" style=${`background: ${segmentColour(s.segment, palette)}`}></span>
              <span>${s.label}</span>
              <span class="num">${f.count(s.users)}</span>
              <span class="muted">(${f.pct(s.share)})</span>
            </li>`,
        )}
      </ul>
      <dl part="figures" class="figures">
        <div part="figure" class="figure">
          <dt>New vs returning</dt>
          <dd><span class="big" data-figure="new">${f.count(data.newVsReturning.new)}</span> new</dd>
          <dd>
            <span class="num" data-figure="returning">${f.count(data.newVsReturning.returning)}</span> returning
            <span class="muted">in the ${this.periodLabel}</span>
          </dd>
        </div>
        ${data.comparisons.map((c) => this.renderComparison(c, f))} ${this.hideRetention ? nothing : this.renderRetention(f)}
      </dl>
    </div>`;
  }

  private renderComparison(c: PeriodComparison, f: Formatters) {
    const d = formatDelta(c.change, this.activeLocale);
    const labels = PERIOD_LABELS[c.period];
    return html`<div part="figure" class="figure" data-period=${c.period}>
      <dt>${labels.short} <span class="muted">· ${labels.long}</span></dt>
      <dd><span class="big" data-figure="current">${f.count(c.current)}</span> users <span class="muted">vs ${f.count(c.previous)}</span></dd>
      <dd>
        <span part="delta" class="delta" data-direction=${d.direction}
          ><span aria-hidden="true">${d.glyph} ${d.text}</span><span class="visually-hidden">${labels.short}: ${d.spoken}</span></span
        >
      </dd>
      <dd data-figure="churn">
        Churn <span class="num">${f.rate(c.churnRate)}</span>
        <span class="muted">(${f.count(c.churned)} of ${f.count(c.previous)} left; ${f.count(c.retained)} retained)</span>
      </dd>
    </div>`;
  }

  private renderRetention(f: Formatters) {
    const task = this.retentionTask;
    const points = this.retention;
    let body;
    if (task.status === TaskStatus.ERROR && !isAbort(task.error)) body = html`<dd class="muted">Retention unavailable: ${toFailure(task.error).message}</dd>`;
    else if (!points) body = html`<dd class="muted">Loading…</dd>`;
    else if (points.length === 0) body = html`<dd class="muted">No cohort has finished its first month yet.</dd>`;
    else {
      const last = points[points.length - 1];
      const mean = points.reduce((s, p) => s + p.pct, 0) / points.length;
      body = html`<dd><span class="big" data-figure="retention">${f.pct(last.pct)}</span> <span class="muted">of the ${last.cohortMonth} cohort</span></dd>
        <dd>
          <svg
            part="retention"
            class="spark"
            role="img"
            aria-label=${`Month-1 retention by cohort: ${points.map((p) => `${p.cohortMonth} ${f.pct(p.pct)}`).join(', ')}`}
          ></svg>
        </dd>
        <dd class="muted">Average ${f.pct(mean)} over ${f.count(points.length)} cohorts</dd>`;
    }
    return html`<div part="figure" class="figure" data-figure-kind="retention">
      <dt>Month-1 retention</dt>
      ${body}
    </div>`;
  }

  protected override updated(): void {
    this.size.observe(this.renderRoot.querySelector('.figures'));
    this.sparkSize.observe(this.sparkSvg?.parentElement);
  }

  private showSegment(s: SegmentView, button: HTMLElement, focus: boolean): void {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.bar-wrap');
    if (!wrap) return;
    const f = formatters(this.activeLocale);
    const content = segmentTooltip(s, f);
    const b = button.getBoundingClientRect();
    const w = wrap.getBoundingClientRect();
    this.activeSegment = s.segment;
    this.tooltip.show(content, { x: b.left - w.left + b.width / 2, y: b.bottom - w.top });
    if (focus) this.announcement = `${content.title}: ${(content.rows ?? []).map((r) => `${r.label} ${r.value}`).join(', ')}`;
  }

  private onLeave = (): void => {
    const focused = (this.renderRoot as ShadowRoot).activeElement;
    if (focused?.classList.contains('segment')) return;
    this.activeSegment = undefined;
    this.tooltip.hide();
  };

  private drill(s: SegmentView): void {
    this.emit('usage-drilldown', { detail: segmentDrilldown(s.segment, this.activeFilters), cancelable: true });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-unique-users': UsageUniqueUsers;
  }
}
