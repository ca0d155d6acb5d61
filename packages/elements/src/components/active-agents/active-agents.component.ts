import type { Task } from '@lit/task';
import { INTENSITY_BANDS, agentPortfolio, versionAdoption, type AgentPortfolio, type PortfolioAgent } from '@usage-analytics/queries';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { robustSequential, type HeatmapLayout, type HeatmapTarget } from '../../charts/heatmap.js';
import '../../events/usage-drilldown.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { HeatmapView } from '../../internal/heatmap-view.js';
import { PaintController } from '../../internal/paint-controller.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import type UsageDataTable from '../data-table/data-table.component.js';
import '../data-table/data-table.js';
import {
  SCREEN_COLUMNS,
  agentColumns,
  agentTooltip,
  bandTooltip,
  cellTooltip,
  formatters,
  heatmapData,
  screenRows,
  statusDrilldown,
  statusTooltip,
  statusesOf,
  totals,
  type AdoptionSeries,
} from './active-agents.data.js';
import styles from './active-agents.styles.js';
import { VersionAdoptionView } from './version-adoption-view.js';

/**
 * @summary Chart 2.3 Active Agents: the agent portfolio's health matrix, registry statuses
 * (active / beta / deprecated / archived) × usage intensity (none / low / medium / high, terciles of
 * requests), with agent counts and totals; the per-agent list; and a version toggle that shows how
 * traffic moves from old to new versions for the agents with two or more versions in use.
 *
 * Inside `<usage-provider>` it takes the client and the shared filters from context; alone, set
 * `client` and `filters`. `filters-override` (property, or JSON attribute) is merged over them.
 * A department filter keeps only the department's own agents (their usage counted from every
 * department); the agent-status filter does not hide rows (every status stays visible).
 *
 * Keyboard: the matrix holds one tab stop; arrow keys move between cells and onto the status and
 * band headers, Enter or Space opens a cell or a status. In the list, each agent name is a button
 * (focus shows requests, top users and last deployment; Enter opens the agent). Escape hides the tooltip.
 *
 * @fires usage-drilldown - `{kind: 'agent-status', status, band?, filters}` from a cell (with `band`) or a
 *   status header; `{kind: 'agent', agentId, filters}` from an agent of the list.
 * @fires usage-retry - Retry was pressed after an error (the chart re-runs its queries).
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart plot - The scrolling container of the matrix.
 * @csspart svg - The matrix `<svg>` (an ARIA grid).
 * @csspart version-button - The "Version adoption" toggle (`aria-pressed`).
 * @csspart adoption - The version adoption panel.
 * @csspart version-select - The agent picker of the version adoption panel.
 * @csspart adoption-svg - The adoption lines `<svg>`.
 * @csspart agent-table - The `<usage-data-table>` of agents.
 * @csspart tooltip - The tooltip.
 *
 * @cssproperty --usage-heatmap-max-height - Height above which the matrix scrolls (default 640px).
 * @cssproperty --usage-active-agents-table-max-height - Height above which the agent list scrolls (default 24rem).
 */
export default class UsageActiveAgents extends UsageChartElement {
  protected override chartFilterFields = ['departments', 'agentIds', 'modelFamilies'] as const;

  static override styles = styles;

  /** Shows the version adoption panel (new vs old versions); toggled by the "Version adoption" button. */
  @property({ type: Boolean, reflect: true, attribute: 'show-versions' }) showVersions = false;

  /** The agent whose versions the adoption panel shows (default: the multi-version agent with most requests). */
  @property({ attribute: 'version-agent' }) versionAgent?: string;

  /** Rows per page of the agent list. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 10;

  /** Title of the frame. */
  @property() override heading = 'Active Agents';

  /** One-line purpose under the title. */
  @property() override description = 'The agent portfolio by lifecycle status and usage intensity, and each agent’s usage.';

  @state() private announcement = '';

  @query('svg.matrix') private svg!: SVGSVGElement;
  @query('usage-data-table') private table?: UsageDataTable<PortfolioAgent>;

  private readonly firstPaint = new FirstPaint(agentPortfolio);
  private readonly painter = new PaintController(this);
  private tooltipIn: 'matrix' | 'table' | undefined;
  private readonly columns = agentColumns(() => this.activeFilters);
  private readonly view = new HeatmapView(this, {
    painter: this.painter,
    observe: '.layout',
    width: (measured) => Math.min(measured, 720),
    args: () => {
      const data = this.data;
      return data && data.agents.length > 0 ? ([data, this.activeLocale] as const) : undefined;
    },
    draw: ([data, locale]) => {
      const f = formatters(locale);
      const robust = robustSequential(
        INTENSITY_BANDS.flatMap((b) => statusesOf(data).map((s) => data.matrix[s]?.[b] ?? 0)),
        { clampAt: 1 },
      );
      return {
        data: heatmapData(data, f),
        options: {
          colour: robust.scale,
          headers: true,
          corner: 'Status / usage',
          maxCellWidth: 120,
          label: `${this.heading}: ${f.count(data.agents.length)} agents by status and usage intensity`,
        },
      };
    },
    describe: (target) => {
      const data = this.data;
      if (!data) return undefined;
      const f = formatters(this.activeLocale);
      const statuses = statusesOf(data);
      if (target.kind === 'cell') return cellTooltip(data, statuses[target.row], INTENSITY_BANDS[target.col], f);
      return target.kind === 'row' ? statusTooltip(data, target.row, f) : bandTooltip(data, target.col, f);
    },
    activate: (target) => this.activate(target),
    showing: () => (this.tooltipIn = 'matrix'),
    owns: () => this.tooltipIn === 'matrix',
    announce: (text) => (this.announcement = text),
  });

  private readonly task = this.queryTask(agentPortfolio);

  private readonly versionTask = this.queryTask(versionAdoption, {
    channel: '-versions',
    enabled: () => this.showVersions,
    deps: () => [this.scopedAgentIds] as const,
    params: (agentIds) => (agentIds ? { agentIds: agentIds.split('\u0000') } : {}),
  });

  private readonly versions = new VersionAdoptionView(this, this.painter, {
    task: this.versionTask,
    agent: () => this.versionAgent,
    choose: (agentId) => (this.versionAgent = agentId),
    width: () => this.view.size.width,
    locale: () => this.activeLocale,
    period: () => this.periodLabel,
    palette: () => this.theme.palette,
  });

  /** With a department filter: the department's agents (joined, a stable task argument). */
  private get scopedAgentIds(): string | undefined {
    const data = this.data;
    if (!this.activeFilters.departments.length || !data) return undefined;
    return data.agents.map((a) => a.agentId).join('\u0000') || undefined;
  }

  /** What the chart shows now: the query's answer, else a precomputed first paint. */
  get data(): AgentPortfolio | undefined {
    return shown(this.task, this.firstPaint.value(this.activeClient, this.activeFilters, undefined));
  }

  /** The layout of the last paint of the matrix, for tests and tools. */
  get layout(): HeatmapLayout | undefined {
    return this.view.layout;
  }

  /** Version adoption of the agents with 2+ versions (when the panel is shown and its query answered). */
  get adoption(): AdoptionSeries[] | undefined {
    return this.versions.series;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.task, this.versionTask];
  }

  override render() {
    const data = this.data;
    const task = this.task;
    const status = this.frameStatus(task, data, (d) => d.agents.length === 0);
    const frameState = status.state;
    const ready = data && frameState === 'ready';
    return this.renderFrame(
      {
        status,
        emptyMessage: this.activeFilters.departments.length
          ? 'No agents are owned by the selected departments.'
          : 'The agent registry holds no agents for these filters.',
        rows: ready ? screenRows(data) : [],
        columns: SCREEN_COLUMNS,
        filename: 'active-agents',
        pngTarget: () => this.svg,
      },
      html`
        <span slot="actions" class="actions">
          <button part="version-button" type="button" aria-pressed=${this.showVersions ? 'true' : 'false'} @click=${this.toggleVersions}>
            Version adoption
          </button>
        </span>
        <div class="layout">
          ${this.view.render({
            help: 'Arrow keys move between cells and onto the status and band headers; Enter opens the agents behind what is focused.',
            svgClass: 'matrix',
            tooltip: this.tooltipIn === 'matrix',
          })}
          ${ready && this.showVersions ? this.versions.render() : nothing}
          <div
            class="agents"
            @focusin=${this.onTableFocus}
            @focusout=${this.onTableLeave}
            @pointerover=${this.onTablePointer}
            @pointerleave=${this.onTableLeave}
          >
            ${
              ready
                ? html`<usage-data-table
                    part="agent-table"
                    exportparts="table:agent-table-table,row:agent-table-row,drill-button:agent-button"
                    label=${`Agents (${formatters(this.activeLocale).count(data.agents.length)}) in the ${this.periodLabel}`}
                    filename="agents"
                    .rows=${data.agents}
                    .columns=${this.columns}
                    .pageSize=${this.pageSize}
                    sort-key="requests"
                    sort-direction="descending"
                    .locale=${this.locale}
                  ></usage-data-table>`
                : nothing
            }
            ${this.tooltipIn === 'table' ? this.view.tooltip.render() : nothing}
          </div>
        </div>
        <span class="visually-hidden" role="status">${this.announcement}</span>
        <div slot="legend" class="ramp">${ready ? this.renderLegend(data) : nothing}</div>
      `,
    );
  }

  private renderLegend(data: AgentPortfolio) {
    const f = formatters(this.activeLocale);
    const t = totals(data);
    const statuses = statusesOf(data);
    return html`<span>${f.count(t.total)} agents:</span>
      ${statuses.map((s, i) => html`<span data-status=${s}><bdi>${s}</bdi> ${f.count(t.rows[i])}</span>`)}
      <span class="muted">Each cell prints its number of agents; the colour repeats it (viridis).</span>`;
  }

  /** Moves keyboard focus into the matrix (the active cell). */
  override focus(options?: FocusOptions): void {
    if (!this.view.focus(options)) super.focus(options);
  }

  private activate(target: HeatmapTarget): void {
    const data = this.data;
    if (!data) return;
    const statuses = statusesOf(data);
    if (target.kind === 'cell')
      this.emit('usage-drilldown', { detail: statusDrilldown(statuses[target.row], this.activeFilters, INTENSITY_BANDS[target.col]), cancelable: true });
    else if (target.kind === 'row') this.emit('usage-drilldown', { detail: statusDrilldown(statuses[target.row], this.activeFilters), cancelable: true });
  }

  /** The agent of a row of the list from an event inside the table (by its position on the page). */
  private agentAt(e: Event): { agent: PortfolioAgent; row: HTMLElement } | undefined {
    const table = this.table;
    if (!table) return undefined;
    const row = e.composedPath().find((n): n is HTMLElement => n instanceof HTMLElement && n.getAttribute('part') === 'row');
    if (!row) return undefined;
    const index = [...(row.parentElement?.children ?? [])].indexOf(row);
    const size = Math.max(1, Math.floor(table.pageSize) || 1);
    const agent = table.visibleRows[table.page * size + index];
    return agent ? { agent, row } : undefined;
  }

  private showAgent(agent: PortfolioAgent, row: HTMLElement, focus: boolean): void {
    const wrap = this.renderRoot.querySelector<HTMLElement>('.agents');
    if (!wrap) return;
    const content = agentTooltip(agent, formatters(this.activeLocale));
    const r = row.getBoundingClientRect();
    const w = wrap.getBoundingClientRect();
    this.tooltipIn = 'table';
    this.view.tooltip.show(content, { x: Math.min(r.left - w.left + 240, w.width - 8), y: r.top - w.top + r.height / 2 });
    if (focus) this.announcement = `${content.title}: ${(content.rows ?? []).map((x) => `${x.label} ${x.value}`).join(', ')}`;
  }

  private onTablePointer = (e: PointerEvent): void => {
    const hit = this.agentAt(e);
    if (hit) this.showAgent(hit.agent, hit.row, false);
    else if (this.tooltipIn === 'table') this.view.tooltip.hide();
  };

  private onTableFocus = (e: FocusEvent): void => {
    const hit = this.agentAt(e);
    if (hit) this.showAgent(hit.agent, hit.row, true);
  };

  private onTableLeave = (): void => {
    if (this.tooltipIn === 'table') this.view.tooltip.hide();
  };

  private toggleVersions = (): void => {
    this.showVersions = !this.showVersions;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-active-agents': UsageActiveAgents;
  }
}
