import { consume } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import { AlertStates, type ActionsClient, type AlertState } from '@usage-analytics/actions';
import { capacitySeries, capacityUtilisation, resolveTimeRange, type CapacityGauge, type CapacityPoint } from '@usage-analytics/queries';
import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { BUCKET_MS } from '../../charts/time-axis.js';
import '../../events/usage-drilldown.js';
import '../../events/usage-request-capacity-alert.js';
import type { UsageActionCompleteEvent } from '../../events/usage-action.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { actionsClientContext, isAbort, toFailure } from '../../internal/context.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { Memo } from '../../internal/memo.js';
import { PaintController } from '../../internal/paint-controller.js';
import { ResizeController } from '../../internal/resize-controller.js';
import { TooltipController } from '../../internal/tooltip.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import {
  ALL_ENVIRONMENTS,
  TABLE_COLUMNS,
  VARIANTS,
  alertDetail,
  environmentLabel,
  environmentsOf,
  formatters,
  gaugeGroups,
  nearestPoint,
  pointTooltip,
  resourceDrilldown,
  resourceLabel,
  seriesSummary,
  seriesView,
  shownEnvironments,
  tableRows,
  type GaugeGroup,
  type GaugeVariant,
  type GaugeView,
  type SeriesView,
} from './capacity-gauges.data.js';
import styles from './capacity-gauges.styles.js';
import { alertRuleFor, gaugeAlertView, type GaugeAlertView } from './capacity-alerts.js';
import { capacitySeriesChart } from './capacity-series-chart.js';
import { BULLET, RADIAL, bulletGauge, radialGauge, statusIcon } from './gauge-svg.js';
import { rovingFocus } from '../../internal/roving-focus.js';

let instances = 0;

/**
 * @summary Chart 2.13 Capacity Utilization: one gauge per resource (API rate limit, compute, memory,
 * tokens per minute) for the chosen environment — radial dials or bullet bars (`variant`) — with
 * green / yellow / red zones from each resource's warning and critical thresholds (hatched and
 * cross-hatched as well as coloured, and the status said in words with its own icon shape), the
 * latest value with its unit ("812 / 1,000 req/min, 81 %"), and the peak of the filtered period
 * with when it happened. Activating a gauge opens its utilisation over time below the gauges (bucket
 * mean and max, the thresholds as lines, breaches marked) and emits a drill-down; "Configure alert"
 * asks the host for a capacity alert.
 *
 * Capacity is fleet-level: only the time range and the environment filter apply (agent,
 * department and the other filters do not narrow capacity samples). The environment selector shows
 * the environments under the filter: production by default, one at a time or all grouped.
 *
 * Keyboard: every gauge is a button (Tab; Enter or Space opens or closes its detail); "Configure
 * alert" follows it; Escape closes the detail and returns to its gauge. The detail chart holds one
 * tab stop: ←/→ move between buckets (Page Up/Down by a day or a week, Home/End), each shown in a
 * tooltip and announced; Escape hides the values first. Pointer hover shows the same tooltip.
 *
 * @fires usage-drilldown - Cancelable. `{kind: 'capacity-resource', resourceType, environment, filters}` from a gauge (a host's `preventDefault()` keeps the inline detail closed).
 * @fires usage-request-capacity-alert - "Configure alert" on a gauge: `{resourceType, environment, unit, warningThreshold, criticalThreshold, currentUsage, maxCapacity, utilisation, status, at, filters}`.
 * @fires usage-retry - Retry was pressed after an error (the chart re-runs its queries).
 *
 * With an actions client (the provider's `actions`, or this element's), each gauge also shows the
 * A2.5 alert rule that applies to it (`GET /v1/alerts`: its environment's rule, else the rule for
 * every environment): the rule's thresholds as dashed marks with a dot across the band (apart
 * from the gauge's own ticks, which are the snapshot's thresholds) and a line under the gauge with
 * its state (firing warning / critical, recovered, not firing, not evaluated yet), also in the
 * gauge button's description. It reloads after a `usage-action-complete` of `capacity-alert`
 * anywhere in the document, and on `refreshAlerts()`. Without a client nothing of this shows.
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart variant-toggle - The Radial / Bullet buttons (`aria-pressed`).
 * @csspart environment-select - The environment buttons (`aria-pressed`).
 * @csspart gauges - Each environment's list of gauges.
 * @csspart gauge - A gauge card (`data-resource`, `data-environment`, `data-status`).
 * @csspart gauge-button - The gauge itself (opens the detail).
 * @csspart gauge-svg - The gauge's drawing.
 * @csspart status - The status icon and text.
 * @csspart alert-button - "Configure alert".
 * @csspart alert-rule - The alert rule's line under a gauge (`data-alert-state`: critical, warning, recovered, ok, pending).
 * @csspart detail - The detail panel.
 * @csspart detail-svg - The detail panel's chart.
 * @csspart detail-close - The detail panel's Close button.
 * @csspart tooltip - The detail chart's tooltip.
 *
 * @cssproperty --usage-capacity-ok - The OK zone (default the theme's `--usage-cat-3`, bluish green).
 * @cssproperty --usage-capacity-warning - The warning zone (default `--usage-cat-1`, orange; hatched).
 * @cssproperty --usage-capacity-critical - The critical zone (default `--usage-cat-6`, vermillion; cross-hatched).
 * @cssproperty --usage-capacity-value - The current value's arc, needle and bar (default the text colour).
 * @cssproperty --usage-capacity-peak - The peak marker (default the accent colour).
 * @cssproperty --usage-capacity-mean - The detail's mean line (default `--usage-cat-5`, blue).
 * @cssproperty --usage-capacity-max - The detail's max line (default the text colour, dashed).
 * @cssproperty --usage-capacity-card-min-width - Minimum width of a gauge card (default 13.5rem radial, 15rem bullet).
 * @cssproperty --usage-capacity-detail-height - Height of the detail chart (default 240px).
 * @cssproperty --usage-capacity-alert - The alert rule's marks on the gauge (default the text colour).
 */
export default class UsageCapacityGauges extends UsageChartElement {
  static override styles = styles;

  /** Capacity samples are fleet-level: the chart's own "Filters" panel offers only the environment (e.g. every environment while the page shows production). */
  protected override chartFilterFields = ['environments'] as const;

  /** `radial` dials or `bullet` bars (the toggle in the frame sets it; reflected). */
  @property({ reflect: true }) variant: GaugeVariant = 'radial';

  /**
   * The environment shown: one of the environments under the filter, or `all` (every environment,
   * grouped). Empty or absent from the data: production when shown, else the first. Reflected.
   */
  @property({ reflect: true }) environment = '';

  /** Title of the frame. */
  @property() override heading = 'Capacity Utilization';

  /** One-line purpose under the title. */
  @property() override description = 'Latest usage against capacity per resource, with the warning and critical zones and the peak of the period.';

  /** The gauge whose detail is open (`resource|environment`), if any. */
  @state() private selected?: string;

  @state() private announcement = '';

  /** The actions client (for the alert rules); overrides the one the provider hands down. */
  @property({ attribute: false }) actions?: ActionsClient;

  @consume({ context: actionsClientContext, subscribe: true })
  @state()
  private contextActions?: ActionsClient;

  /** Bumped to reload the alert rules. */
  @state() private alertsVersion = 0;

  /** `GET /v1/alerts` when an actions client is there (its failure leaves the gauges as they are). */
  private readonly alertsTask = new Task(this, {
    task: async ([client], { signal }) => (client ? (await client.get('/v1/alerts', AlertStates, signal)).alerts : undefined),
    args: () => [this.actions ?? this.contextActions, this.alertsVersion] as const,
  });

  /** The layout of the detail chart's last paint (scales, plot), for tests and tools. */
  detailLayout?: ReturnType<typeof capacitySeriesChart.draw>;

  private readonly uid = `cap${++instances}`;
  private readonly size = new ResizeController(this);
  private readonly tooltip = new TooltipController(this);
  /** The detail bucket under the pointer or the keyboard (index into the series' points). */
  private active = -1;
  private readonly painter = new PaintController(this);
  private readonly groupsMemo = new Memo<GaugeGroup[]>();
  private readonly rowsMemo = new Memo<ReturnType<typeof tableRows>>();
  private readonly seriesMemo = new Memo<SeriesView | undefined>();

  private readonly firstPaint = new FirstPaint(capacityUtilisation);
  private readonly task = this.queryTask(capacityUtilisation);
  private readonly seriesTask = this.queryTask(capacitySeries, {
    channel: '-series',
    enabled: () => this.selectedGauge !== undefined,
    deps: () => [this.selectedGauge?.resourceType] as const,
    params: (resourceType: string | undefined) => ({ resourceType }),
  });

  constructor() {
    super();
    this.painter.add({
      module: capacitySeriesChart,
      svg: () => this.renderRoot.querySelector<SVGSVGElement>('.detail-plot svg'),
      args: () => {
        const v = this.series;
        return v && v.points.length ? ([v, this.activeFilters, this.heading] as const) : undefined;
      },
      size: () => [this.size.width, this.size.height],
      draw: ([v], [width, height]) => {
        const range = this.windowRange(v);
        return {
          data: { points: v.points, warning: v.warning, critical: v.critical, domain: range, step: BUCKET_MS[v.bucket] },
          options: {
            width,
            height,
            label: `${v.label}, ${v.environment}: utilisation per ${v.bucket} (mean solid, max dashed) with the warning (${Math.round(v.warning)} %) and critical (${Math.round(v.critical)} %) thresholds`,
          },
        };
      },
      done: (layout) => {
        this.detailLayout = layout;
        // A redraw (new data, new size) drops the focus rule: the tooltip goes with it.
        if (this.tooltip.visible) this.tooltip.hide();
      },
    });
  }

  /**
   * The latest sample and the period's peak per resource × environment (every environment under the
   * filter): the query's answer, else the snapshot's precomputed rows when it ships them, else the
   * previous answer while a new query runs.
   */
  get gauges(): CapacityGauge[] | undefined {
    return shown(this.task, this.firstPaint.value(this.activeClient, this.activeFilters, undefined));
  }

  /** The environments on offer (under the filter, in the data). */
  get environments(): string[] {
    return environmentsOf(this.gauges ?? []);
  }

  /** The gauges drawn, grouped by environment. */
  get groups(): GaugeGroup[] {
    const gauges = this.gauges ?? [];
    const shown = shownEnvironments(environmentsOf(gauges), this.environment);
    const locale = this.activeLocale;
    const start = this.windowStart;
    return this.groupsMemo.get([gauges, shown.join('\u0000'), locale, start], () => gaugeGroups(gauges, shown, formatters(locale), start));
  }

  /** The A2.5 alert rules with their states (undefined without an actions client, while loading, or after an error). */
  get alerts(): AlertState[] | undefined {
    return this.alertsTask.status === TaskStatus.COMPLETE ? this.alertsTask.value : undefined;
  }

  /** Reloads the alert rules (done by itself after a `capacity-alert` action completes). */
  refreshAlerts(): void {
    this.alertsVersion++;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('usage-action-complete', this.onActionComplete);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('usage-action-complete', this.onActionComplete);
  }

  private onActionComplete = (e: Event): void => {
    if ((e as UsageActionCompleteEvent).detail?.action === 'capacity-alert') this.refreshAlerts();
  };

  /** The open detail's series (undefined while closed or loading). */
  get series(): SeriesView | undefined {
    const g = this.selectedGauge;
    const points = this.seriesTask.status === TaskStatus.COMPLETE ? this.seriesTask.value : undefined;
    const bucket = this.bucket;
    return this.seriesMemo.get([g, points, bucket], () => (g && points ? seriesView(points as CapacityPoint[], g, bucket) : undefined));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return this.selectedGauge ? [this.task, this.seriesTask] : [this.task];
  }

  override render() {
    const gauges = this.gauges;
    const status = this.frameStatus(this.task, gauges, (d) => d.length === 0);
    const ready = gauges && status.state === 'ready';
    const rows = this.rowsMemo.get([gauges], () => tableRows(gauges ?? []));
    return this.renderFrame(
      {
        status,
        emptyMessage: `No capacity samples up to the end of the ${this.periodLabel} for these environments.`,
        rows: ready ? rows : [],
        columns: TABLE_COLUMNS,
        filename: 'capacity-utilization',
        pngTarget: () => this.pngBoard(),
      },
      html`
        <span slot="actions" class="actions">
          <span class="segmented" role="group" aria-label="Gauge style" part="variant-toggle">
            ${VARIANTS.map(
              (v) =>
                html`<button type="button" data-variant=${v} aria-pressed=${this.variant === v ? 'true' : 'false'} @click=${() => this.setVariant(v)}>
                  ${v === 'radial' ? 'Radial' : 'Bullet'}
                </button>`,
            )}
          </span>
        </span>
        ${ready ? this.renderBody() : nothing}
        <span class="visually-hidden" role="status">${this.announcement}</span>
        <div slot="footer" class="notes">
          ${
            ready
              ? `Capacity is fleet-level: only the time range and the environment filter apply. Zones: OK (plain), Warning (hatched), Critical (cross-hatched); ▲ marks the peak of the period. Select a gauge for its utilisation over time.${
                  this.alerts?.length ? ' Dashed marks with a dot: the thresholds of the alert rule set on the resource (A2.5), apart from the zones.' : ''
                }`
              : nothing
          }
        </div>
      `,
    );
  }

  protected override updated(changed: Map<string, unknown>): void {
    super.updated(changed);
    this.size.observe(this.renderRoot.querySelector('.detail-plot'));
  }

  /** Moves keyboard focus to the first gauge. */
  override focus(options?: FocusOptions): void {
    const b = this.renderRoot.querySelector<HTMLButtonElement>('.gauge-button');
    if (b) b.focus(options);
    else super.focus(options);
  }

  private renderBody(): TemplateResult {
    const envs = this.environments;
    const groups = this.groups;
    const shown = groups.map((g) => g.environment);
    const current = shown.length > 1 ? ALL_ENVIRONMENTS : shown[0];
    return html`
      <div class="controls">
        ${
          envs.length > 1
            ? html`<span id=${`${this.uid}-env`}>Environment</span>
                <span class="segmented" role="group" aria-labelledby=${`${this.uid}-env`} part="environment-select">
                  ${[...envs, ALL_ENVIRONMENTS].map(
                    (e) =>
                      html`<button type="button" data-environment=${e} aria-pressed=${current === e ? 'true' : 'false'} @click=${() => this.setEnvironment(e)}>
                        ${e === ALL_ENVIRONMENTS ? 'All' : environmentLabel(e)}
                      </button>`,
                  )}
                </span>`
            : html`<span>Environment: <strong>${environmentLabel(envs[0] ?? '')}</strong></span>`
        }
      </div>
      ${groups.map(
        (group) =>
          html`<section class="env-group" aria-labelledby=${`${this.uid}-h-${shown.indexOf(group.environment)}`}>
            <h3 id=${`${this.uid}-h-${shown.indexOf(group.environment)}`} class=${shown.length > 1 ? '' : 'visually-hidden'}>
              ${environmentLabel(group.environment)}
            </h3>
            <ul class="grid" part="gauges" ${rovingFocus({ items: '.gauge-button, .alert-button' })}>
              ${repeat(
                group.gauges,
                (g) => g.key,
                (g, i) => this.renderGauge(g, `${this.uid}-${shown.indexOf(group.environment)}-${i}`),
              )}
            </ul>
          </section>`,
      )}
      ${this.renderDetail()}
    `;
  }

  private renderGauge(v: GaugeView, uid: string): TemplateResult {
    const open = this.selected === v.key;
    const rule = alertRuleFor(this.alerts, v.gauge);
    const alert: GaugeAlertView | undefined = rule ? gaugeAlertView(rule, v.gauge, formatters(this.activeLocale), `${v.label}, ${v.environment}`) : undefined;
    const described = [`${uid}-thresholds`, v.staleText ? `${uid}-stale` : '', alert ? `${uid}-alert` : ''].filter(Boolean).join(' ');
    const ticks = alert ? { warning: alert.warningPct, critical: alert.criticalPct } : undefined;
    return html`<li
      class=${`gauge${open ? ' selected' : ''}`}
      part="gauge"
      data-resource=${v.gauge.resourceType}
      data-environment=${v.environment}
      data-status=${v.status}
    >
      <button
        type="button"
        class="gauge-button"
        part="gauge-button"
        aria-expanded=${open ? 'true' : 'false'}
        aria-controls=${`${this.uid}-detail`}
        aria-describedby=${described}
        @click=${() => this.toggle(v)}
        @keydown=${this.onGaugeKey}
      >
        <span class="gauge-title">${v.label}<span class="visually-hidden">, ${v.environment}:</span></span>
        ${this.variant === 'bullet' ? bulletGauge(v, uid, ticks) : radialGauge(v, uid, ticks)}
        <span class="status" part="status"
          >${statusIcon(v.status)}<span class="visually-hidden">Status</span> <span class="status-text">${v.statusText}</span
          ><span class="visually-hidden">.</span></span
        >
        <span class="figure">${v.figureText}<span class="visually-hidden">.</span></span>
        <span class="peak">${v.peakText}<span class="visually-hidden">.</span></span>
      </button>
      <p class="thresholds" id=${`${uid}-thresholds`}>${v.thresholdsText}</p>
      ${v.staleText ? html`<p class="stale" id=${`${uid}-stale`}>${v.staleText}</p>` : nothing}
      ${
        alert
          ? html`<p
              class="alert-rule"
              part="alert-rule"
              id=${`${uid}-alert`}
              role="note"
              aria-label=${alert.ariaLabel}
              data-alert-state=${alert.state}
              data-rule=${alert.rule.ruleId}
            >
              ${statusIcon(alert.state === 'critical' || alert.state === 'warning' ? alert.state : 'ok')}
              <span class="alert-state">${alert.stateText}</span><span class="visually-hidden">.</span>
              <span class="alert-thresholds">${alert.thresholdsText}</span>
            </p>`
          : nothing
      }
      <button
        type="button"
        class="alert-button"
        part="alert-button"
        aria-label=${`Configure alert: ${v.label}, ${v.environment}`}
        @click=${() => this.requestAlert(v)}
      >
        Configure alert
      </button>
    </li>`;
  }

  private renderDetail(): TemplateResult | typeof nothing {
    const g = this.selectedGauge;
    if (!g) return nothing;
    const v = this.series;
    const f = formatters(this.activeLocale, this.activeTimeZone);
    const failed = this.seriesTask.status === TaskStatus.ERROR && !isAbort(this.seriesTask.error);
    const title = `${resourceLabel(g.resourceType)} · ${g.environment}: utilisation per ${this.bucket}`;
    return html`<section class="detail" part="detail" id=${`${this.uid}-detail`} aria-labelledby=${`${this.uid}-detail-h`} @keydown=${this.onDetailKey}>
      <div class="detail-head">
        <h3 id=${`${this.uid}-detail-h`}>${title}</h3>
        <button type="button" class="chart-button" part="detail-close" @click=${() => this.close(true)}>Close</button>
      </div>
      ${
        failed
          ? html`<p role="alert">The utilisation over time could not be loaded: ${toFailure(this.seriesTask.error).message}</p>`
          : v
            ? v.points.length
              ? html`<div
                    class="detail-plot"
                    tabindex="0"
                    role="group"
                    aria-roledescription="interactive chart"
                    aria-label=${`${title}; ${seriesSummary(v, f)}`}
                    aria-describedby=${`${this.uid}-detail-help ${this.tooltip.id}`}
                    @pointermove=${this.onPlotPointer}
                    @pointerleave=${this.onPlotLeave}
                    @keydown=${this.onPlotKey}
                    @blur=${this.onPlotLeave}
                  >
                    <svg part="detail-svg"></svg>
                    ${this.tooltip.render()}
                  </div>
                  <p id=${`${this.uid}-detail-help`} class="visually-hidden">
                    Arrow keys move between ${this.bucket === 'hour' ? 'hours' : 'days'}, Page Up and Page Down by
                    ${this.bucket === 'hour' ? 'a day' : 'a week'}, Home and End to the ends; Escape hides the values, then closes the detail.
                  </p>
                  <div class="detail-legend" aria-hidden="true">
                    <span
                      ><svg width="22" height="8"><line class="series-mean" x1="0" x2="22" y1="4" y2="4"></line></svg>Mean</span
                    >
                    <span
                      ><svg width="22" height="8"><line class="series-max" x1="0" x2="22" y1="4" y2="4"></line></svg>Max</span
                    >
                    <span
                      ><svg width="22" height="8"><line class="threshold threshold-warning" x1="0" x2="22" y1="4" y2="4"></line></svg>Warning threshold</span
                    >
                    <span
                      ><svg width="22" height="8"><line class="threshold threshold-critical" x1="0" x2="22" y1="4" y2="4"></line></svg>Critical threshold</span
                    >
                    <span
                      ><svg width="12" height="12"><path class="breach breach-warning" d="M6,2L9.5,8.5H2.5Z"></path></svg>At warning</span
                    >
                    <span
                      ><svg width="12" height="12"><path class="breach breach-critical" d="M6,1.5L10.5,6L6,10.5L1.5,6Z"></path></svg>At critical</span
                    >
                  </div>
                  <p class="detail-summary">${seriesSummary(v, f)}</p>`
              : html`<p class="detail-summary">No samples of this resource in the ${this.periodLabel}.</p>`
            : html`<p class="detail-summary">Loading…</p>`
      }
    </section>`;
  }

  /** The selected gauge's row (closed when it is no longer in the answer). */
  private get selectedGauge(): CapacityGauge | undefined {
    const key = this.selected;
    return key ? this.gauges?.find((g) => `${g.resourceType}|${g.environment}` === key) : undefined;
  }

  /** The filtered window as the queries resolve it: its start (epoch ms, when the snapshot's end is known) and bucket. */
  private get window(): { start?: number; bucket: 'hour' | 'day' } {
    const anchor = this.activeClient?.anchor;
    const range = this.activeFilters.timeRange;
    try {
      const r = resolveTimeRange(range, anchor ?? 0);
      return { start: anchor !== undefined || range.preset === 'custom' ? r.start / 1000 : undefined, bucket: r.bucket };
    } catch {
      return { bucket: 'day' };
    }
  }

  private get bucket(): 'hour' | 'day' {
    return this.window.bucket;
  }

  private get windowStart(): number | undefined {
    return this.window.start;
  }

  private windowRange(v: SeriesView): [number, number] {
    const step = BUCKET_MS[v.bucket];
    const first = v.points[0].t;
    const last = v.points[v.points.length - 1].t + step;
    const start = this.windowStart;
    return [Math.min(first, start ?? first), Math.max(last, first + step)];
  }

  private setVariant(v: GaugeVariant): void {
    this.variant = v;
    this.announcement = `${v === 'radial' ? 'Radial' : 'Bullet'} gauges`;
  }

  private setEnvironment(e: string): void {
    this.environment = e;
    this.announcement = e === ALL_ENVIRONMENTS ? 'All environments' : `Environment ${e}`;
    const sel = this.selectedGauge;
    if (sel && e !== ALL_ENVIRONMENTS && sel.environment !== e) this.close(false);
  }

  private toggle(v: GaugeView): void {
    if (this.selected === v.key) {
      this.close(false);
      return;
    }
    const ev = this.emit('usage-drilldown', { detail: resourceDrilldown(v.gauge, this.activeFilters), cancelable: true });
    if (ev.defaultPrevented) return;
    this.selected = v.key;
    this.announcement = `Showing ${v.label}, ${v.environment} over time below the gauges.`;
  }

  private close(refocus: boolean): void {
    const key = this.selected;
    this.selected = undefined;
    this.announcement = 'Detail closed.';
    if (refocus && key) {
      void this.updateComplete.then(() => {
        const [r, e] = key.split('|');
        const li = [...this.renderRoot.querySelectorAll<HTMLElement>('li.gauge')].find((n) => n.dataset.resource === r && n.dataset.environment === e);
        li?.querySelector<HTMLButtonElement>('.gauge-button')?.focus();
      });
    }
  }

  private requestAlert(v: GaugeView): void {
    this.emit('usage-request-capacity-alert', { detail: alertDetail(v.gauge, this.activeFilters) });
  }

  private onGaugeKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.selected) {
      e.preventDefault();
      this.close(true);
    }
  };

  private onDetailKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close(true);
    }
  };

  /** Shows bucket `i` of the detail: tooltip, focus rule, announcement (keyboard). */
  private showPoint(i: number, source: 'pointer' | 'keyboard'): void {
    const v = this.series;
    const layout = this.detailLayout;
    const svg = this.renderRoot.querySelector<SVGSVGElement>('.detail-plot svg');
    if (!v || !layout || !svg || i < 0 || i >= v.points.length) return;
    this.active = i;
    const p = v.points[i];
    const cx = layout.x(p.t + BUCKET_MS[v.bucket] / 2);
    let rule = svg.querySelector<SVGLineElement>('line.detail-rule');
    if (!rule) {
      rule = document.createElementNS('http://www.w3.org/2000/svg', 'line');
      rule.setAttribute('class', 'focus-rule detail-rule');
      svg.querySelector('.layer-focus')?.append(rule);
    }
    for (const [k, val] of [
      ['x1', cx],
      ['x2', cx],
      ['y1', layout.plot.top],
      ['y2', layout.plot.top + layout.plot.height],
    ] as const)
      rule.setAttribute(k, String(Math.round(val * 10) / 10));
    const content = pointTooltip(p, v, formatters(this.activeLocale, this.activeTimeZone), { timeZone: this.activeTimeZone });
    this.tooltip.show(content, { x: cx, y: layout.y(p.max) });
    if (source === 'keyboard') this.announcement = `${content.title}: ${(content.rows ?? []).map((r) => `${r.label} ${r.value}`).join(', ')}`;
  }

  private hidePoint(): void {
    this.tooltip.hide();
    this.renderRoot.querySelector('.detail-plot svg line.detail-rule')?.remove();
  }

  private onPlotPointer = (e: PointerEvent): void => {
    const v = this.series;
    const layout = this.detailLayout;
    const svg = this.renderRoot.querySelector<SVGSVGElement>('.detail-plot svg');
    if (!v || !layout || !svg) return;
    const r = svg.getBoundingClientRect();
    const px = e.clientX - r.left;
    if (px < layout.plot.left || px > layout.plot.left + layout.plot.width) {
      this.hidePoint();
      return;
    }
    this.showPoint(nearestPoint(v.points, layout.x.invert(px).getTime() - BUCKET_MS[v.bucket] / 2), 'pointer');
  };

  private onPlotLeave = (): void => {
    this.hidePoint();
  };

  private onPlotKey = (e: KeyboardEvent): void => {
    const n = this.series?.points.length ?? 0;
    if (!n) return;
    const i = this.tooltip.visible ? this.active : -1;
    const page = this.bucket === 'hour' ? 24 : 7;
    const to = (
      {
        ArrowRight: i + 1,
        ArrowLeft: i < 0 ? n - 1 : i - 1,
        PageDown: i + page,
        PageUp: i < 0 ? n - 1 - page : i - page,
        Home: 0,
        End: n - 1,
      } as Record<string, number>
    )[e.key];
    if (to !== undefined) {
      e.preventDefault();
      this.showPoint(Math.max(0, Math.min(n - 1, to)), 'keyboard');
    } else if (e.key === 'Escape' && this.tooltip.visible) {
      e.preventDefault();
      e.stopPropagation();
      this.hidePoint();
    }
  };

  /**
   * One `<svg>` with every shown gauge and its words, for the frame's PNG export (a live copy in a
   * stage off screen, so the styles resolve; rebuilt on each export).
   */
  private pngBoard(): SVGSVGElement | undefined {
    const cards = [...this.renderRoot.querySelectorAll<HTMLElement>('li.gauge')];
    if (!cards.length) return undefined;
    const NS = 'http://www.w3.org/2000/svg';
    const bullet = this.variant === 'bullet';
    const gw = bullet ? BULLET.width : RADIAL.width;
    const gh = bullet ? BULLET.height : RADIAL.height;
    const cw = gw + 20;
    const ch = gh + 84;
    const cols = Math.max(1, Math.min(cards.length, bullet ? 3 : 4));
    const rows = Math.ceil(cards.length / cols);
    const board = document.createElementNS(NS, 'svg');
    board.setAttribute('width', String(cols * cw));
    board.setAttribute('height', String(rows * ch + 8));
    const text = (x: number, y: number, s: string, cls: string) => {
      const t = document.createElementNS(NS, 'text');
      t.setAttribute('x', String(x));
      t.setAttribute('y', String(y));
      t.setAttribute('class', cls);
      t.textContent = s;
      return t;
    };
    cards.forEach((card, i) => {
      const x = (i % cols) * cw + 10;
      const y = Math.floor(i / cols) * ch + 4;
      const g = document.createElementNS(NS, 'g');
      g.append(text(x, y + 14, `${card.querySelector('.gauge-title')?.textContent ?? ''} · ${card.dataset.environment ?? ''}`, 'tick-label board-title'));
      const copy = card.querySelector('svg.gauge-svg')!.cloneNode(true) as SVGSVGElement;
      copy.setAttribute('x', String(x));
      copy.setAttribute('y', String(y + 20));
      g.append(copy);
      g.append(text(x, y + gh + 36, card.querySelector('.status-text')?.textContent ?? '', 'tick-label'));
      g.append(text(x, y + gh + 52, card.querySelector('.figure')?.textContent ?? '', 'tick-label'));
      g.append(text(x, y + gh + 68, (card.querySelector('.peak')?.textContent ?? '').slice(0, 60), 'tick-label'));
      board.append(g);
    });
    let stage = this.renderRoot.querySelector<HTMLDivElement>('.png-stage');
    if (!stage) {
      stage = document.createElement('div');
      stage.className = 'png-stage';
      stage.setAttribute('aria-hidden', 'true');
      this.renderRoot.append(stage);
    }
    stage.replaceChildren(board);
    return board;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-capacity-gauges': UsageCapacityGauges;
  }
}
