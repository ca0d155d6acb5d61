import { consume } from '@lit/context';
import { Task, TaskStatus, type Task as TaskType } from '@lit/task';
import type { ActionsClient } from '@usage-analytics/actions';
import { adoptionBenchmark, adoptionCurve, type AdoptionBenchmark, type AdoptionCurve, type Dimensions, type UsageFilters } from '@usage-analytics/queries';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { z } from 'zod';
import '../../events/usage-drilldown.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { actionsClientContext } from '../../internal/context.js';
import { Memo } from '../../internal/memo.js';
import { PaintController } from '../../internal/paint-controller.js';
import { ResizeController } from '../../internal/resize-controller.js';
import { TooltipController } from '../../internal/tooltip.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import { MultiSelect } from '../filter-bar/multi-select.js';
import {
  SCREEN_COLUMNS,
  STAGE_LABELS,
  agentDrilldown,
  announce,
  campaignLabel,
  curveModel,
  dayNumber,
  formatters,
  metricLabel,
  pointTooltip,
  screenRows,
  stageColour,
  stagesOf,
  type AxisMode,
  type CampaignMarker,
  type CurveLine,
  type CurveModel,
  type Metric,
} from './adoption-curve.data.js';
import { adoptionCurves, type CurveLayout } from './adoption-curve.draw.js';
import styles from './adoption-curve.styles.js';
import { rovingFocus } from '../../internal/roving-focus.js';

/** What the markers need of `GET /v1/campaigns` (A2.1's stored campaigns). */
const CampaignRows = z.array(
  z.object({
    id: z.string(),
    starts_on: z.string(),
    ends_on: z.string().nullable(),
    baseline: z.object({ users: z.number(), requests: z.number() }).passthrough().nullable().optional(),
  }),
);

/** Most series compared at once (PRD FR2.5). */
export const MAX_SERIES = 10;

/**
 * @summary Chart 2.10 Agent Adoption Curve: cumulative users (or requests) of up to 10 agents or
 * versions since their launch, on a days-since-launch or calendar axis, coloured by lifecycle stage,
 * against the benchmark band of past successful launches (median, P25–P75), with a logistic forecast
 * of each curve drawn dashed.
 *
 * Inside `<usage-provider>` it takes the client and the shared filters from context; alone, set
 * `client` and `filters`. `filters-override` (property, or JSON attribute) is merged over them.
 * Which agents: the "Agents" picker (the filter bar's multi-select, at most 10), else the filters'
 * agents, else the 10 with most users in the period. With `agent-id` (Level 3, agent detail) it shows
 * that agent's versions instead and hides the picker; the agent and agent-status filters are then
 * ignored (as in the agent detail: a deprecated agent's adoption shows under the default "Active").
 *
 * Definitions (also in the chart's note): launch day = the earlier of the registry date (the agent's
 * `created_at`; a version's `last_deployed_at` when it is the registry's current version) and the first
 * request in the snapshot. Cumulative counts start at the snapshot's first data, so an agent launched
 * before the data starts above zero. Past successful launch = an agent that is `active` in the
 * registry now, launched on or after the data start and at least `benchmark-days` days before the
 * window end, with requests under the filters. Forecast = a logistic S-curve K / (1 + e^(−r(t − t₀)))
 * least-squares fitted to the window's days since launch (at least 5), projected `forecast-days`.
 *
 * Keyboard: the plot is one tab stop; ← / → move through the focused series' days (Home / End: first
 * and last), ↑ / ↓ move between series, the tooltip shows that day's adoption metrics and a status
 * region reads them; Enter or Space opens the agent; Escape clears. Each series is also a button
 * under the plot (its name, stage and launch day) that opens the agent.
 *
 * Reach of a promotion (A2.1): `campaigns` (or, with `agent-id` and an actions client from the
 * provider, the agent's campaigns from `GET /v1/campaigns`) are marked on the calendar axis by a
 * dashed rule at their first day and listed as text under the plot with their 30-day baseline.
 *
 * @fires usage-drilldown - `{kind: 'agent', agentId, filters}` from a line (click, Enter) or a series button.
 * @fires usage-retry - Retry was pressed after an error (the chart re-runs its queries).
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart controls - The row of the agent picker, axis, metric and forecast controls.
 * @csspart filter - The agent picker (the filter bar's multi-select; also `filter-trigger`, `popup`, `listbox`, `option`, `search`).
 * @csspart axis-select - The axis choice (days since launch / calendar).
 * @csspart metric-select - The metric choice (users / requests).
 * @csspart forecast-toggle - The forecast checkbox.
 * @csspart plot - The focusable plot.
 * @csspart svg - The chart's `<svg>`.
 * @csspart series-list - The list of series buttons.
 * @csspart series-button - One series' button (opens the agent).
 * @csspart campaigns - The list of promotion campaigns (with `campaigns`, or the agent's from the actions service).
 * @csspart legend - The legend (stages, forecast, benchmark).
 * @csspart note - The definitions note.
 * @csspart tooltip - The tooltip.
 *
 * @cssproperty --usage-adoption-curve-height - Height of the plot (default 320px).
 * @cssproperty --usage-adoption-curve-band-colour - Colour of the benchmark band and median (default the text colour).
 * @cssproperty --usage-adoption-curve-campaign-colour - Colour of the campaign markers (default the text colour).
 */
export default class UsageAdoptionCurve extends UsageChartElement {
  static override styles = styles;

  /** Title of the frame. */
  @property() override heading = 'Agent Adoption Curve';

  /** One-line purpose under the title. */
  @property() override description = 'How fast agents win users after launch, against past successful launches, with a forecast.';

  /** A fixed agent (Level 3): its versions' curves, no picker. */
  @property({ attribute: 'agent-id' }) agentId?: string;

  /** One line per agent × version instead of per agent (always on with `agent-id`). */
  @property({ type: Boolean, attribute: 'by-version' }) byVersion = false;

  /** The x axis: days since each series' launch, or calendar dates. */
  @property({ reflect: true }) axis: AxisMode = 'launch';

  /** What is cumulated: distinct users or requests. */
  @property({ reflect: true }) metric: Metric = 'users';

  /** Hides the forecast overlay (and skips the fit). */
  @property({ type: Boolean, attribute: 'hide-forecast' }) hideForecast = false;

  /** Days the forecast projects (1–90). */
  @property({ type: Number, attribute: 'forecast-days' }) forecastDays = 30;

  /** N: days since launch the benchmark covers, and the least age of a past launch (7–365). */
  @property({ type: Number, attribute: 'benchmark-days' }) benchmarkDays = 30;

  /** The agents picked (at most 10; empty: the filters' agents, else the top 10). */
  @property({ attribute: false }) agents: string[] = [];

  /**
   * Promotion campaigns (A2.1) to mark on the calendar axis. Unset with `agent-id` and an actions
   * client from the provider: the agent's campaigns from `GET /v1/campaigns` (none if that fails).
   */
  @property({ attribute: false }) campaigns?: CampaignMarker[];

  @consume({ context: actionsClientContext, subscribe: true })
  @state()
  private actionsClient?: ActionsClient;

  private readonly campaignsTask = new Task(this, {
    args: () => [this.campaigns === undefined && this.agentId ? this.actionsClient : undefined, this.agentId ?? ''] as const,
    task: async ([client, agentId], { signal }): Promise<CampaignMarker[]> => {
      if (!client || !agentId) return [];
      try {
        const rows = await client.get(`/v1/campaigns?agentId=${encodeURIComponent(agentId)}`, CampaignRows, signal);
        return rows.map((r) => ({ id: r.id, startsOn: r.starts_on, endsOn: r.ends_on, baseline: r.baseline ?? null }));
      } catch {
        return [];
      }
    },
  });

  /** The campaigns marked: `campaigns`, else the agent's from the actions service (oldest first). */
  get campaignMarkers(): CampaignMarker[] {
    const list = this.campaigns ?? (this.campaignsTask.status === TaskStatus.COMPLETE ? this.campaignsTask.value : undefined) ?? [];
    return [...list].sort((a, b) => a.startsOn.localeCompare(b.startsOn) || a.id.localeCompare(b.id));
  }

  @state() private focusKey?: string;
  @state() private focusX?: number;
  @state() private announcement = '';
  @state() private tooMany = false;

  /** The layout of the last paint (scales and hit-testing), for tests and tools. */
  layout?: CurveLayout;

  private readonly tooltip = new TooltipController(this);
  private readonly size = new ResizeController(this);
  private readonly picker = new MultiSelect(this, 'adoption-agents');
  private readonly modelMemo = new Memo<CurveModel>();

  private fixedBase?: { base: UsageFilters; value: UsageFilters };
  /** With `agent-id`: the filters without agent and status filters (the agent is the subject, as in the agent detail). */
  private get curveFilters(): UsageFilters {
    const base = this.activeFilters;
    if (!this.agentId) return base;
    if (this.fixedBase?.base !== base) this.fixedBase = { base, value: { ...base, agentIds: [], agentStatuses: [] } };
    return this.fixedBase.value;
  }

  private readonly task = this.queryTask(adoptionCurve, {
    filters: () => this.curveFilters,
    deps: () => [this.agentId ?? '', this.agents.join('\u0000'), this.byVersion, this.hideForecast ? 0 : this.forecastDays] as const,
    params: (agentId, picked, byVersion, forecastDays) => ({
      agentIds: agentId ? [agentId] : picked ? picked.split('\u0000') : undefined,
      byVersion: Boolean(agentId) || byVersion,
      forecastDays,
    }),
  });

  private readonly benchmarkTask = this.queryTask(adoptionBenchmark, {
    channel: '-benchmark',
    enabled: () => this.axis === 'launch',
    deps: () => [this.benchmarkDays] as const,
    params: (days) => ({ days }),
  });

  private readonly dimsTask = new Task(this, {
    args: () => [this.agentId ? undefined : this.activeClient] as const,
    task: async ([client]): Promise<Dimensions | undefined> => (client?.dimensions ? client.dimensions() : undefined),
  });

  constructor() {
    super();
    new PaintController(this).add({
      module: adoptionCurves,
      svg: () => this.renderRoot.querySelector<SVGSVGElement>('.plot svg'),
      args: () => {
        const model = this.model;
        return model && model.lines.length ? ([model, this.focusKey, this.focusX, this.stagePalette, this.campaignMarkers] as const) : undefined;
      },
      size: () => (this.size.height > 0 ? [this.size.width, this.size.height] : [0, 0]),
      draw: ([model, key, x, palette, campaigns], [width, height]) => ({
        data: model,
        options: {
          width,
          height,
          colour: (l: CurveLine) => stageColour(l.stage, palette),
          focus: key !== undefined && x !== undefined ? { key, x } : null,
          campaigns: campaigns.map((c) => ({ id: c.id, x: dayNumber(c.startsOn), label: campaignLabel(c) })),
        },
      }),
      done: (layout) => (this.layout = layout),
    });
  }

  /** The adoption curves on screen (the query's answer). */
  get data(): AdoptionCurve | undefined {
    return this.task.value;
  }

  /** The benchmark band's answer (launch axis only). */
  get benchmark(): AdoptionBenchmark | undefined {
    return this.axis === 'launch' ? this.benchmarkTask.value : undefined;
  }

  /** What is plotted. */
  get model(): CurveModel | undefined {
    const data = this.data;
    if (!data) return undefined;
    const bench = this.benchmark;
    return this.modelMemo.get([data, bench, this.axis, this.metric, this.hideForecast], () =>
      curveModel(data, bench, this.axis, this.metric, !this.hideForecast),
    );
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly TaskType<any, any>[] {
    return [this.task, this.benchmarkTask];
  }

  private get stagePalette(): string[] {
    return this.theme.palette;
  }

  override render() {
    const data = this.data;
    const status = this.frameStatus(this.task, data, (d) => d.series.length === 0);
    const ready = data && status.state === 'ready';
    const model = ready ? this.model : undefined;
    const f = formatters(this.activeLocale);
    return this.renderFrame(
      {
        status,
        emptyMessage: this.agentId
          ? `This agent had no requests up to the end of the ${this.periodLabel}.`
          : `No agent had requests up to the end of the ${this.periodLabel}.`,
        rows: ready ? screenRows(data, this.benchmark, this.metric) : [],
        columns: SCREEN_COLUMNS,
        filename: 'adoption-curve',
        pngTarget: () => this.renderRoot.querySelector<SVGSVGElement>('.plot svg'),
      },
      html`
        ${this.renderControls()}
        <div class="plot-wrap">
          <div
            class="plot"
            part="plot"
            tabindex="0"
            role="group"
            aria-roledescription="interactive chart"
            aria-label=${model ? this.plotLabel(model) : this.heading}
            aria-describedby=${this.tooltip.visible ? `adoption-help ${this.tooltip.id}` : 'adoption-help'}
            @keydown=${this.onKey}
            @focus=${this.onFocus}
            @blur=${this.onBlur}
            @pointermove=${this.onPointer}
            @pointerleave=${this.onLeave}
            @click=${this.onClick}
          >
            <svg part="svg" role="img" aria-label=${model ? this.plotLabel(model) : this.heading}></svg>
          </div>
          ${this.tooltip.render()}
        </div>
        <p id="adoption-help" class="visually-hidden">
          Left and right arrows move through the days of the focused series, up and down between series; Enter opens the agent; Escape clears.
        </p>
        <span class="visually-hidden" role="status">${this.announcement}</span>
        ${model ? this.renderSeriesList(model, f) : nothing} ${model ? this.renderCampaigns(model, f) : nothing}
        <div slot="legend" class="legend" part="legend">${model ? this.renderLegend(model) : nothing}</div>
        <p slot="footer" class="note" part="note">${this.note()}</p>
      `,
    );
  }

  private plotLabel(model: CurveModel): string {
    const axis = model.axis === 'launch' ? 'days since launch' : 'date';
    return `${this.heading}: ${metricLabel(model.metric).toLowerCase()} of ${model.lines.length} ${this.agentId || this.byVersion ? 'versions' : 'agents'} by ${axis}`;
  }

  private renderControls() {
    const dims = this.dimsTask;
    return html`<div class="controls" part="controls">
      ${
        this.agentId
          ? nothing
          : this.picker.render({
              label: `Agents (up to ${MAX_SERIES})`,
              options: dims.value?.agentIds ?? (this.agents.length ? [...this.agents] : undefined),
              loading: !dims.value,
              selected: this.agents,
              format: (v) => v,
              onChange: (next) => {
                this.tooMany = next.length > MAX_SERIES;
                this.agents = next.slice(0, MAX_SERIES);
              },
              error: dims.status === TaskStatus.ERROR ? 'Agents could not be loaded.' : undefined,
              footer: this.tooMany
                ? html`<p class="hint" role="status">At most ${MAX_SERIES} agents can be compared; the first ${MAX_SERIES} are kept.</p>`
                : nothing,
            })
      }
      <label
        >Axis
        <select part="axis-select" .value=${this.axis} @change=${(e: Event) => (this.axis = (e.target as HTMLSelectElement).value as AxisMode)}>
          <option value="launch" ?selected=${this.axis === 'launch'}>Days since launch</option>
          <option value="calendar" ?selected=${this.axis === 'calendar'}>Calendar</option>
        </select></label
      >
      <label
        >Show
        <select part="metric-select" .value=${this.metric} @change=${(e: Event) => (this.metric = (e.target as HTMLSelectElement).value as Metric)}>
          <option value="users" ?selected=${this.metric === 'users'}>Cumulative users</option>
          <option value="requests" ?selected=${this.metric === 'requests'}>Cumulative requests</option>
        </select></label
      >
      <label
        ><input
          type="checkbox"
          part="forecast-toggle"
          .checked=${!this.hideForecast}
          @change=${(e: Event) => (this.hideForecast = !(e.target as HTMLInputElement).checked)}
        />
        Forecast ${this.forecastDays} days</label
      >
    </div>`;
  }

  private renderSeriesList(model: CurveModel, f: ReturnType<typeof formatters>) {
    return html`<ul class="series-list" part="series-list" aria-label="Series (open the agent)" ${rovingFocus()}>
      ${model.lines.map(
        (l) =>
          html`<li>
            <button
              type="button"
              part="series-button"
              data-key=${l.key}
              style=${`border-left: 4px solid ${stageColour(l.stage, this.stagePalette)}`}
              @click=${() => this.drill(l)}
            >
              <bdi>${l.label}</bdi> · ${STAGE_LABELS[l.stage]} · launched ${f.date(l.launchDate)}${l.launchSource === 'first_request' ? ' (first request)' : ''}
            </button>
          </li>`,
      )}
    </ul>`;
  }

  /** The campaigns as text (the plot's markers are `aria-hidden`): where each is, and its baseline. */
  private renderCampaigns(model: CurveModel, f: ReturnType<typeof formatters>) {
    const list = this.campaignMarkers;
    if (!list.length) return nothing;
    const lo = model.xs[0];
    const hi = model.xs[model.xs.length - 1];
    return html`<div class="campaigns" part="campaigns">
      <span id="adoption-campaigns">Promotion campaigns${model.axis === 'calendar' ? ' (dashed rules ▲ on the plot)' : ' (marked on the calendar axis)'}:</span>
      <ul aria-labelledby="adoption-campaigns">
        ${list.map((c) => {
          const x = dayNumber(c.startsOn);
          const off = model.axis === 'calendar' && (lo === undefined || x < lo || x > hi) ? ' (outside the dates shown)' : '';
          return html`<li data-campaign=${c.id}>${campaignLabel(c, f)}${off}</li>`;
        })}
      </ul>
    </div>`;
  }

  private renderLegend(model: CurveModel) {
    const palette = this.stagePalette;
    return html`<span>Lifecycle stage:</span> ${stagesOf(model).map(
        (s) =>
          html`<span data-stage=${s}><span class="swatch" style=${`color: ${stageColour(s, palette)}`} aria-hidden="true"></span>${STAGE_LABELS[s]}</span>`,
      )}
      ${
        model.lines.some((l) => l.forecast.length)
          ? html`<span><span class="swatch dashed" aria-hidden="true"></span>Forecast (logistic fit, ${this.forecastDays} days)</span>`
          : nothing
      }
      ${
        model.band.length
          ? html`<span data-benchmark
              ><span class="swatch band" aria-hidden="true"></span>Past successful launches: median (dotted) and P25–P75
              (${this.benchmark?.agentIds.length ?? 0} agents)</span
            >`
          : model.bandBeforeLines
            ? html`<span data-benchmark
                >Past launches: not drawn — the benchmark covers days 0–${this.benchmarkDays - 1} after launch, and every series shown is older.</span
              >`
            : model.axis === 'launch'
              ? html`<span data-benchmark>No past launch old enough for a ${this.benchmarkDays}-day benchmark.</span>`
              : nothing
      }`;
  }

  private note(): string {
    return (
      `Launch day: the registry date (agent created, or the current version's deployment) or the first request, whichever is earlier. ` +
      `Counts start at the data's first day. Benchmark: agents active now that launched on or after the data start and at least ${this.benchmarkDays} days before the period end. ` +
      `Forecast: a logistic S-curve fitted by least squares to each series' days since launch in the period (at least 5).`
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Interaction

  private get focusedLine(): CurveLine | undefined {
    return this.model?.lines.find((l) => l.key === this.focusKey);
  }

  /** Focuses line `line` at `x` and shows the tooltip there; `speak` announces it. */
  private show(line: CurveLine, x: number, speak: boolean): void {
    const model = this.model;
    const layout = this.layout;
    if (!model || !layout) return;
    this.focusKey = line.key;
    this.focusX = x;
    const f = formatters(this.activeLocale);
    const content = pointTooltip(model, line, x, f);
    const p = line.points.find((q) => q.x === x);
    if (content && p) this.tooltip.show(content, { x: layout.px(x), y: layout.py(p.value) });
    if (speak) this.announcement = announce(model, line, x, f);
  }

  private clearFocus(): void {
    this.focusKey = undefined;
    this.focusX = undefined;
    this.tooltip.hide();
  }

  private drill(line: CurveLine): void {
    this.emit('usage-drilldown', { detail: agentDrilldown(line, this.activeFilters), cancelable: true });
  }

  private onFocus = (): void => {
    const model = this.model;
    if (!model?.lines.length || this.focusKey) return;
    const line = model.lines[0];
    const last = line.points[line.points.length - 1];
    if (last) this.show(line, last.x, true);
  };

  private onBlur = (): void => this.clearFocus();

  private onKey = (e: KeyboardEvent): void => {
    const model = this.model;
    if (!model?.lines.length) return;
    let line = this.focusedLine ?? model.lines[0];
    const xs = line.points.map((p) => p.x);
    let i = this.focusX === undefined ? xs.length - 1 : xs.indexOf(this.focusX);
    if (i < 0) i = xs.length - 1;
    switch (e.key) {
      case 'ArrowLeft':
        i = Math.max(0, i - 1);
        break;
      case 'ArrowRight':
        i = Math.min(xs.length - 1, i + 1);
        break;
      case 'Home':
        i = 0;
        break;
      case 'End':
        i = xs.length - 1;
        break;
      case 'ArrowUp':
      case 'ArrowDown': {
        const k = model.lines.indexOf(line);
        const next = model.lines[(k + (e.key === 'ArrowDown' ? 1 : -1) + model.lines.length) % model.lines.length];
        const x = xs[i];
        // The same x on the next line, else its nearest day.
        const near = next.points.reduce((b, p) => (Math.abs(p.x - x) < Math.abs(b.x - x) ? p : b), next.points[0]);
        line = next;
        e.preventDefault();
        if (near) this.show(line, near.x, true);
        return;
      }
      case 'Enter':
      case ' ':
        e.preventDefault();
        this.drill(line);
        return;
      case 'Escape':
        if (this.focusKey !== undefined) {
          e.preventDefault();
          e.stopPropagation();
          this.clearFocus();
          this.announcement = '';
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    if (xs.length) this.show(line, xs[i], true);
  };

  private hit(e: PointerEvent | MouseEvent): { line: CurveLine; x: number } | undefined {
    const layout = this.layout;
    const svg = this.renderRoot.querySelector<SVGSVGElement>('.plot svg');
    if (!layout || !svg) return undefined;
    const r = svg.getBoundingClientRect();
    const px = e.clientX - r.left;
    const py = e.clientY - r.top;
    if (px < layout.plot.left || px > layout.plot.left + layout.plot.width) return undefined;
    const x = layout.xAt(px);
    if (x === undefined) return undefined;
    const line = layout.lineAt(x, py);
    return line ? { line, x } : undefined;
  }

  private onPointer = (e: PointerEvent): void => {
    const h = this.hit(e);
    if (h) this.show(h.line, h.x, false);
  };

  private onLeave = (): void => {
    if (this.renderRoot.querySelector('.plot') !== (this.renderRoot as ShadowRoot).activeElement) this.clearFocus();
  };

  private onClick = (e: MouseEvent): void => {
    const h = this.hit(e);
    if (h) this.drill(h.line);
  };

  override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    this.size.observe(this.renderRoot.querySelector('.plot'));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-adoption-curve': UsageAdoptionCurve;
  }
}
