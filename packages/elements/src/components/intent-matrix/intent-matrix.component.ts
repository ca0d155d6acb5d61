import type { Task } from '@lit/task';
import { intentMatrix, type IntentMatrix } from '@usage-analytics/queries';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { robustSequential, type HeatmapLayout, type HeatmapTarget } from '../../charts/heatmap.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { HeatmapView } from '../../internal/heatmap-view.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import { heatmapElementStyles } from './heatmap-element.js';
import {
  SCREEN_COLUMNS,
  cellDrilldown,
  cellTooltip,
  columnTooltip,
  departmentDrilldown,
  formatters,
  heatmapData,
  intentDrilldown,
  rowTooltip,
  screenRows,
  type IntentColourBy,
} from './intent-matrix.data.js';

/**
 * @summary Chart 2.8 Intent Distribution Matrix: departments (rows) × intent categories (columns),
 * coloured by each cell's share of its department (or by request count), with marginal totals:
 * department volume right of each row, intent popularity under each column.
 *
 * Inside `<usage-provider>` it takes the client and the shared filters from context; alone, set
 * `client` and `filters`. `filters-override` (property, or JSON attribute) is merged over them.
 *
 * Colour: viridis (colour-blind-safe, readable in greyscale) over [0, 95th percentile of the
 * non-zero values]; larger values take the top colour, so one dominant cell cannot wash out the
 * rest. Every cell prints its value; the text is black or white, whichever contrasts more.
 *
 * Keyboard: the grid holds one tab stop; arrow keys move between cells and onto the department and
 * intent headers, Home/End go to the ends of a row, Enter or Space opens the cell or header,
 * Escape hides the tooltip.
 *
 * @fires usage-drilldown - `{kind: 'intent-cell', department, intent, filters}` from a cell,
 *   `{kind: 'department', department, filters}` from a row header, `{kind: 'intent', intent, filters}`
 *   from a column header; `filters` are the chart's, narrowed to what was clicked.
 * @fires usage-retry - Retry was pressed after an error (the chart re-runs its query).
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart plot - The scrolling container of the grid.
 * @csspart svg - The heatmap's `<svg>` (an ARIA grid).
 * @csspart colour-button - The "Colour by count" toggle (`aria-pressed`).
 * @csspart legend - The colour ramp.
 * @csspart tooltip - The tooltip.
 *
 * @cssproperty --usage-heatmap-max-height - Height above which the grid scrolls (default 820px: 20 departments fit, PRD PR2.2).
 */
export default class UsageIntentMatrix extends UsageChartElement {
  static override styles = heatmapElementStyles;

  /** What the colour shows: `share` of the department (default) or absolute `count`. */
  @property({ attribute: 'colour-by', reflect: true }) colourBy: IntentColourBy = 'share';

  /** Title of the frame. */
  @property() override heading = 'Intent Distribution';

  /** One-line purpose under the title. */
  @property() override description = 'Which departments use which intent categories, as a share of each department’s requests.';

  @state() private announcement = '';

  private readonly firstPaint = new FirstPaint(intentMatrix);
  private readonly view = new HeatmapView(this, {
    args: () => {
      const data = this.data;
      return data && data.total > 0 ? ([data, this.colourBy, this.activeLocale] as const) : undefined;
    },
    draw: ([data, colourBy, locale]) => {
      const f = formatters(locale);
      return {
        data: heatmapData(data, colourBy, f),
        options: {
          colour: this.scale(data).scale,
          headers: true,
          corner: 'Department / intent',
          label: `${this.heading}: ${data.departments.length} departments × ${data.intents.length} intents, ${f.count(data.total)} requests`,
        },
      };
    },
    describe: (target) => {
      const data = this.data;
      if (!data) return undefined;
      const f = formatters(this.activeLocale);
      return target.kind === 'cell'
        ? cellTooltip(data, target.row, target.col, f)
        : target.kind === 'row'
          ? rowTooltip(data, target.row, f)
          : columnTooltip(data, target.col, f);
    },
    activate: (target) => this.activate(target),
    announce: (text) => (this.announcement = text),
  });

  private readonly task = this.queryTask(intentMatrix);

  /** What the chart shows now: the query's answer, else a precomputed first paint. */
  get data(): IntentMatrix | undefined {
    return shown(this.task, this.firstPaint.value(this.activeClient, this.activeFilters, undefined));
  }

  /** The layout of the last paint (cell rectangles and keyboard position), for tests and tools. */
  get layout(): HeatmapLayout | undefined {
    return this.view.layout;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.task];
  }

  override render() {
    const data = this.data;
    const task = this.task;
    const status = this.frameStatus(task, data, (d) => d.total === 0);
    const frameState = status.state;
    const ramp = data && frameState === 'ready' ? this.scale(data) : undefined;
    const byCount = this.colourBy === 'count';
    return this.renderFrame(
      {
        status,
        emptyMessage: `No requests match these filters in the ${this.periodLabel}.`,
        rows: data && frameState === 'ready' ? screenRows(data) : [],
        columns: SCREEN_COLUMNS,
        filename: 'intent-matrix',
      },
      html`
        <span slot="actions" class="actions">
          <button part="colour-button" type="button" aria-pressed=${byCount ? 'true' : 'false'} @click=${this.toggleColour}>Colour by count</button>
        </span>
        ${this.view.render({ help: 'Arrow keys move between cells and onto the department and intent headers; Enter opens what is focused.' })}
        <span class="visually-hidden" role="status">${this.announcement}</span>
        <div slot="legend" part="legend" class="ramp">
          ${
            ramp
              ? html`<span>${byCount ? 'Requests' : 'Share of department'}</span>
                  <span>${byCount ? '0' : '0 %'}</span>
                  <span
                    class="ramp-bar"
                    role="img"
                    aria-label=${`Colour scale from 0 to ${ramp.maxText}${ramp.clamped ? ' or more' : ''}`}
                    style=${`background: linear-gradient(to right, ${ramp.stops})`}
                  ></span>
                  <span>${ramp.clamped ? '≥ ' : ''}${ramp.maxText}</span>`
              : nothing
          }
        </div>
        <div slot="footer" class="notes">
          <span
            >Right: requests per department; bottom: requests per
            intent.${ramp?.clamped ? ' The colour scale ends at the 95th percentile so one large cell cannot wash out the rest.' : ''}</span
          >
        </div>
      `,
    );
  }

  /** Moves keyboard focus into the grid (the active cell). */
  override focus(options?: FocusOptions): void {
    if (!this.view.focus(options)) super.focus(options);
  }

  private scale(data: IntentMatrix) {
    const f = formatters(this.activeLocale);
    const byCount = this.colourBy === 'count';
    const robust = robustSequential((byCount ? data.counts : data.pctOfDept).flat());
    const stops = Array.from({ length: 9 }, (_, i) => robust.sequential(robust.sequential.domain()[1] * (i / 8))).join(', ');
    return { ...robust, stops, maxText: byCount ? f.count(Math.round(robust.max)) : f.pct(robust.max) };
  }

  private activate(target: HeatmapTarget): void {
    const data = this.data;
    if (!data) return;
    const filters = this.activeFilters;
    if (target.kind === 'cell') this.emit('usage-drilldown', { detail: cellDrilldown(data.departments[target.row], data.intents[target.col], filters) });
    else if (target.kind === 'row') this.emit('usage-drilldown', { detail: departmentDrilldown(data.departments[target.row], filters) });
    else this.emit('usage-drilldown', { detail: intentDrilldown(data.intents[target.col], filters) });
  }

  private toggleColour = (): void => {
    this.colourBy = this.colourBy === 'count' ? 'share' : 'count';
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-intent-matrix': UsageIntentMatrix;
  }
}
