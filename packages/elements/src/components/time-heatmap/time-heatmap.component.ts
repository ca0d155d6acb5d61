import { TaskStatus, type Task } from '@lit/task';
import { hourWeekday, maintenanceWindows, type HourWeekdayCell, type MaintenanceWindow } from '@usage-analytics/queries';
import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { robustSequential, type HeatmapLayout, type HeatmapTarget } from '../../charts/heatmap.js';
import { maintenanceOverlay } from '../../charts/maintenance-overlay.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { isAbort, toFailure } from '../../internal/context.js';
import { HeatmapView } from '../../internal/heatmap-view.js';
import { PaintController } from '../../internal/paint-controller.js';
import { token } from '../../theme/tokens.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import { heatmapElementStyles } from '../intent-matrix/heatmap-element.js';
import {
  WEEKDAYS,
  browserTimeZone,
  cellDrilldown,
  cellTooltip,
  formatters,
  heatView,
  heatmapData,
  hh,
  overlayMarks,
  screenColumns,
  screenRows,
  spanText,
  windowAgent,
  windowSchedule,
  type HeatView,
} from './time-heatmap.data.js';

/**
 * @summary Chart 2.16 Time-of-Day Usage Heatmap: a 24 × 7 grid (rows = hours 00–23, columns =
 * Monday…Sunday) in the viewer's time zone (or UTC with the switch), coloured by the average calls per
 * hour of each weekday-hour over the period, with its percentile rank in the tooltip. Maintenance
 * windows from the agent registry are drawn over the hours they cover (hatched and outlined) and
 * listed as text; the busiest hours are listed as peaks, and the quietest contiguous hours of the
 * week are suggested as maintenance windows (dotted outline and a list).
 *
 * Inside `<usage-provider>` it takes the client and the shared filters from context; alone, set
 * `client` and `filters`. `filters-override` (property, or JSON attribute) is merged over them;
 * `filters-override='{"agentIds":["agt-x"]}'` shows one agent with its own windows (the agent detail level).
 *
 * Time zones are exact across DST (a spring-forward hour does not occur that week, a fall-back hour
 * occurs twice) and for half-hour zones: the query counts per UTC step and maps to local hours with Intl.
 *
 * Keyboard: the grid holds one tab stop; arrow keys move between cells, Home/End go to the ends of a
 * row, Enter or Space opens the cell's requests, Escape hides the tooltip.
 *
 * @fires usage-drilldown - `{kind: 'hour-weekday', weekday, hour, timeZone, filters}` from a cell.
 * @fires usage-retry - Retry was pressed after an error (the chart re-runs its queries).
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart plot - The scrolling container of the grid.
 * @csspart svg - The heatmap's `<svg>` (an ARIA grid).
 * @csspart utc-button - The "UTC" switch (`aria-pressed`).
 * @csspart legend - The colour ramp and the overlay key.
 * @csspart tooltip - The tooltip.
 * @csspart peaks - The list of peak hours.
 * @csspart suggestions - The list of suggested maintenance windows.
 * @csspart windows - The list of maintenance windows.
 *
 * @cssproperty --usage-heatmap-max-height - Height above which the grid scrolls (default 820px).
 */
export default class UsageTimeHeatmap extends UsageChartElement {
  static override styles = [
    heatmapElementStyles,
    css`
      .lists {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
        gap: ${token('space-m')};
        margin-top: ${token('space-m')};
        font-size: 0.875rem;
      }
      .lists h3 {
        font-size: 0.875rem;
        margin: 0 0 ${token('space-xs')};
      }
      .lists ol,
      .lists ul {
        margin: 0;
        padding-inline-start: 1.25rem;
      }
      .lists .muted,
      .zone {
        color: ${token('color-text-muted')};
      }
      .key {
        display: inline-flex;
        align-items: center;
        gap: ${token('space-xs')};
      }
      .key svg {
        color: ${token('color-text')};
      }
      svg .maintenance-overlay {
        color: ${token('color-text')};
      }
      svg .mark-halo {
        stroke: ${token('color-surface')};
      }
    `,
  ];

  /** IANA time zone of the grid (attribute `time-zone`); empty = the provider's / tab's `time-zone`, else the browser's. */
  @property({ attribute: 'time-zone' }) override timeZone = '';

  /** Show UTC instead of `time-zone` (the switch in the frame). */
  @property({ type: Boolean, reflect: true }) utc = false;

  /** Length in hours of the suggested maintenance windows (1–12; default 3). */
  @property({ attribute: 'quiet-hours', type: Number }) quietHours = 3;

  /** How many peak hours to list (default 5). */
  @property({ type: Number }) peaks = 5;

  /** Title of the frame. */
  @property() override heading = 'Time-of-Day Usage';

  /** One-line purpose under the title. */
  @property() override description = 'Average calls per hour for each weekday and hour, with maintenance windows and the quietest hours.';

  @state() private announcement = '';

  private readonly painter = new PaintController(this);
  private readonly view = new HeatmapView(this, {
    painter: this.painter,
    args: () => {
      const v = this.heat;
      return v && v.cells.some((c) => c.requests > 0) ? ([v, this.activeLocale] as const) : undefined;
    },
    draw: ([v, locale]) => {
      const f = formatters(locale);
      return {
        data: { ...heatmapData(v, f), label: (r: number, c: number) => f.avg(v.cells[c * 24 + r].avg) },
        options: {
          colour: this.scale(v).scale,
          cellHeight: 22,
          minCellWidth: 44,
          maxCellWidth: 110,
          rowHeaderWidth: 56,
          rotateColumns: false,
          corner: 'Hour',
          label: `${this.heading}: average calls per hour by hour of day (rows) and weekday (columns), ${v.zone}`,
        },
      };
    },
    describe: (target) => {
      const v = this.heat;
      return v && target.kind === 'cell' ? cellTooltip(v, target.row, target.col, formatters(this.activeLocale)) : undefined;
    },
    activate: (target) => this.activate(target),
    announce: (text) => (this.announcement = text),
  });

  private readonly cellsTask = this.queryTask(hourWeekday, { deps: () => [this.zone] as const, params: (timeZone: string) => ({ timeZone }) });
  private readonly windowsTask = this.queryTask(maintenanceWindows, {
    channel: '-windows',
    deps: () => [this.zone] as const,
    params: (timeZone: string) => ({ timeZone }),
  });

  private memo?: { cells: HourWeekdayCell[]; windows: readonly MaintenanceWindow[]; zone: string; quiet: number; peaks: number; value: HeatView };

  constructor() {
    super();
    this.painter.add({
      module: maintenanceOverlay,
      svg: () => this.renderRoot.querySelector<SVGSVGElement>('.plot svg'),
      args: () => {
        const v = this.heat;
        const layout = this.view.layout;
        return v && layout && v.cells.some((c) => c.requests > 0) ? ([v, layout] as const) : undefined;
      },
      draw: ([v, layout]) => ({ data: overlayMarks(v), options: { layout } }),
    });
  }

  /** The time zone shown: UTC with the switch, else `time-zone`, else the provider's, else the browser's. */
  get zone(): string {
    return this.utc ? 'UTC' : this.timeZone || this.contextLocale?.timeZone || browserTimeZone();
  }

  /** What the chart shows (cells, windows, peaks, suggestions), once the cells are loaded. */
  get heat(): HeatView | undefined {
    const cells = this.cellsTask.status === TaskStatus.ERROR ? undefined : this.cellsTask.value;
    if (!cells) return undefined;
    const windows = this.windowsTask.status === TaskStatus.COMPLETE ? (this.windowsTask.value ?? []) : (this.memo?.windows ?? []);
    const zone = this.zone;
    const quiet = Math.min(12, Math.max(1, Math.round(this.quietHours) || 3));
    const peaks = Math.min(24, Math.max(1, Math.round(this.peaks) || 5));
    const m = this.memo;
    if (m && m.cells === cells && m.windows === windows && m.zone === zone && m.quiet === quiet && m.peaks === peaks) return m.value;
    const value = heatView(cells, windows, zone, quiet, peaks);
    this.memo = { cells, windows, zone, quiet, peaks, value };
    return value;
  }

  /** The layout of the last paint (cell rectangles and keyboard position), for tests and tools. */
  get layout(): HeatmapLayout | undefined {
    return this.view.layout;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.cellsTask, this.windowsTask];
  }

  override render() {
    const v = this.heat;
    const status = this.frameStatus(this.cellsTask, v, (d) => d.cells.every((c) => c.requests === 0));
    const ready = status.state === 'ready' && v;
    const f = formatters(this.activeLocale);
    const ramp = ready ? this.scale(v) : undefined;
    return this.renderFrame(
      {
        status,
        emptyMessage: `No requests match these filters in the ${this.periodLabel}.`,
        rows: ready ? screenRows(v) : [],
        columns: screenColumns(this.zone),
        filename: 'time-of-day-usage',
      },
      html`
        <span slot="actions" class="actions">
          <button part="utc-button" type="button" aria-pressed=${this.utc ? 'true' : 'false'} @click=${this.toggleUtc}>UTC</button>
        </span>
        <p class="zone">Times in <strong>${this.zone}</strong>${this.utc || this.timeZone || this.contextLocale?.timeZone ? '' : ' (your time zone)'}.</p>
        ${this.view.render({ help: 'Arrow keys move between cells; Enter opens the requests of the focused hour.' })}
        <span class="visually-hidden" role="status">${this.announcement}</span>
        <div slot="legend" part="legend" class="ramp">
          ${
            ramp
              ? html`<span>Calls per hour</span><span>0</span>
                  <span
                    class="ramp-bar"
                    role="img"
                    aria-label=${`Colour scale from 0 to ${f.avg(ramp.max)}${ramp.clamped ? ' or more' : ''} calls per hour`}
                    style=${`background: linear-gradient(to right, ${ramp.stops})`}
                  ></span>
                  <span>${ramp.clamped ? '≥ ' : ''}${f.avg(ramp.max)}</span>
                  <span class="key"
                    ><svg width="16" height="12" aria-hidden="true">
                      <defs>
                        <pattern id="key-hatch" patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)">
                          <line x1="0" y1="0" x2="0" y2="4" stroke="currentColor" stroke-width="1.5"></line>
                        </pattern>
                      </defs>
                      <rect x="1" y="1" width="14" height="10" fill="url(#key-hatch)" stroke="currentColor" stroke-width="1.5"></rect></svg
                    >Maintenance window</span
                  >
                  <span class="key"
                    ><svg width="16" height="12" aria-hidden="true">
                      <rect x="1" y="1" width="14" height="10" fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="2 2"></rect></svg
                    >Suggested window</span
                  >`
              : nothing
          }
        </div>
        ${ready ? this.renderLists(v) : nothing}
      `,
    );
  }

  /** Moves keyboard focus into the grid (the active cell). */
  override focus(options?: FocusOptions): void {
    if (!this.view.focus(options)) super.focus(options);
  }

  private renderLists(v: HeatView) {
    const f = formatters(this.activeLocale);
    const locale = this.activeLocale;
    const windowsError =
      this.windowsTask.status === TaskStatus.ERROR && !isAbort(this.windowsTask.error) ? toFailure(this.windowsTask.error).message : undefined;
    return html`<div class="lists">
      <section aria-labelledby="peaks-h">
        <h3 id="peaks-h">Peak hours</h3>
        ${
          v.peaks.length
            ? html`<ol part="peaks">
                ${v.peaks.map(
                  (c) =>
                    html`<li data-weekday=${c.weekday} data-hour=${c.hour}>
                      ${WEEKDAYS[c.weekday - 1]} ${hh(c.hour)}–${hh(c.hour + 1)}: ${f.avg(c.avg)} calls per hour (percentile rank ${f.pct(c.percentileRank)})
                    </li>`,
                )}
              </ol>`
            : html`<p class="muted">No calls in this period.</p>`
        }
      </section>
      <section aria-labelledby="quiet-h">
        <h3 id="quiet-h">Suggested maintenance windows (quietest ${v.quiet[0]?.hours ?? this.quietHours} hours)</h3>
        ${
          v.quiet.length
            ? html`<ol part="suggestions">
                ${v.quiet.map(
                  (r) =>
                    html`<li data-start=${r.start} data-hours=${r.hours}>
                      ${spanText(r.start, r.hours)}: ${f.avg(r.avg)} calls per hour on average (${f.count(r.requests)} requests in the period)
                    </li>`,
                )}
              </ol>`
            : html`<p class="muted">Not enough of the week in this period to suggest a window.</p>`
        }
      </section>
      <section aria-labelledby="windows-h">
        <h3 id="windows-h">Maintenance windows</h3>
        ${windowsError ? html`<p role="alert">The maintenance windows could not be loaded: ${windowsError}</p>` : nothing}
        ${
          v.windows.length
            ? html`<ul part="windows">
                ${v.windows.map(
                  (w) =>
                    html`<li data-window=${w.windowId}>
                      <bdi class="window-title">${w.title}</bdi> — <bdi class="window-agent">${windowAgent(w)}</bdi>: ${windowSchedule(w, v.zone, locale)}
                    </li>`,
                )}
              </ul>`
            : windowsError
              ? nothing
              : html`<p class="muted">No maintenance windows in this period.</p>`
        }
      </section>
    </div>`;
  }

  private scale(v: HeatView) {
    const robust = robustSequential(v.cells.filter((c) => c.occurrences > 0).map((c) => c.avg));
    const stops = Array.from({ length: 9 }, (_, i) => robust.sequential(robust.sequential.domain()[1] * (i / 8))).join(', ');
    return { ...robust, stops };
  }

  private activate(target: HeatmapTarget): void {
    if (target.kind !== 'cell') return;
    this.emit('usage-drilldown', { detail: cellDrilldown(target.col + 1, target.row, this.zone, this.activeFilters) });
  }

  private toggleUtc = (): void => {
    this.utc = !this.utc;
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-time-heatmap': UsageTimeHeatmap;
  }
}
