import { TaskStatus, type Task } from '@lit/task';
import { retentionCohorts, type RetentionCell } from '@usage-analytics/queries';
import { css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { HeatmapLayout } from '../../charts/heatmap.js';
import { retentionScale, RETENTION_STOPS } from '../../internal/palette.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { HeatmapView } from '../../internal/heatmap-view.js';
import { Memo } from '../../internal/memo.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import { heatmapElementStyles } from '../intent-matrix/heatmap-element.js';
import { SCREEN_COLUMNS, cellTooltip, cohortDrilldown, cohortGrid, formatters, heatmapData, screenRows, type CohortGrid } from './retention-cohorts.data.js';

/** Retention colour domain: 0 % red, 50 % neutral, 100 % green (fixed, so a colour means the same under every filter). */
export const RETENTION_DOMAIN: [number, number, number] = [0, 50, 100];

/**
 * @summary Chart 2.9 User Retention Cohorts: monthly cohorts of users by the month they were first
 * seen (rows) × months since then (columns); each cell prints the share of the cohort active in that
 * month, coloured green (high) → red (low) (UX2.2); hover or focus shows the absolute numbers.
 *
 * Cohort size = users first seen in the month who were active in it under the filters (so month 0
 * is 100 %). The time range does not apply (cohorts span all history); every other filter does, and
 * `filters-override` (e.g. `{"departments":["sales"],"agentIds":["a-1"],"intents":["code_gen"]}`)
 * narrows this chart alone. Months not over yet at the snapshot's end are hatched and marked `*`.
 * Colours: Okabe–Ito vermillion → neutral → bluish green over a fixed 0–50–100 % domain
 * (distinguishable under red–green colour blindness); the value is always printed too.
 *
 * Keyboard: one tab stop on the grid; arrow keys move between cells (Home/End: ends of the row),
 * Enter or Space opens the users of the cell, Escape hides the tooltip.
 *
 * @fires usage-drilldown - `{kind: 'cohort-cell', cohortMonth, monthOffset, filters}` from a cell.
 * @fires usage-retry - Retry was pressed after an error (the chart re-runs its query).
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart plot - The scrolling container of the grid.
 * @csspart svg - The heatmap's `<svg>` (an ARIA grid).
 * @csspart legend - The colour ramp and the incomplete-month key.
 * @csspart tooltip - The tooltip.
 *
 * @cssproperty --usage-heatmap-max-height - Height above which the grid scrolls (default 820px: 20 departments fit, PRD PR2.2).
 * @cssproperty --usage-retention-min-height - Minimum height of the chart body (default 9rem).
 */
export default class UsageRetentionCohorts extends UsageChartElement {
  protected override chartFilterFields = ['departments', 'agentIds', 'intents', 'requestStatuses', 'modelFamilies'] as const;

  static override styles = [
    heatmapElementStyles,
    // A few monthly cohorts make a short grid: a lower frame minimum than the 16rem default leaves no blank band.
    css`
      usage-chart-frame {
        --usage-chart-frame-min-height: var(--usage-retention-min-height, 9rem);
      }
    `,
  ];

  /** Highest month offset shown (default: all). */
  @property({ type: Number, attribute: 'max-offset' }) maxOffset?: number;

  /** Title of the frame. */
  @property() override heading = 'User Retention Cohorts';

  /** One-line purpose under the title. */
  @property() override description = 'Share of each monthly cohort of new users still active in the months after they were first seen.';

  @state() private announcement = '';

  private readonly gridMemo = new Memo<CohortGrid>();
  private readonly view = new HeatmapView(this, {
    args: () => {
      const grid = this.grid;
      return grid && grid.cohorts.length > 0 ? ([grid, this.activeLocale] as const) : undefined;
    },
    draw: ([grid, locale]) => {
      const colour = retentionScale(RETENTION_DOMAIN);
      return {
        data: heatmapData(grid, formatters(locale)),
        options: {
          colour: (v: number) => colour(v),
          minCellWidth: 52,
          maxCellWidth: 72,
          rowHeaderWidth: 120,
          rotateColumns: false,
          corner: 'Cohort / month',
          label: `${this.heading}: ${grid.cohorts.length} monthly cohorts, up to ${grid.offsets.length - 1} months since first seen`,
        },
      };
    },
    describe: (target) => {
      const cell = target.kind === 'cell' ? this.grid?.cells[target.row]?.[target.col] : undefined;
      return cell ? cellTooltip(cell, formatters(this.activeLocale)) : undefined;
    },
    activate: (target) => {
      const cell = target.kind === 'cell' ? this.grid?.cells[target.row]?.[target.col] : undefined;
      if (cell) this.emit('usage-drilldown', { detail: cohortDrilldown(cell, this.activeFilters) });
    },
    announce: (text) => (this.announcement = text),
  });

  private readonly task = this.queryTask(retentionCohorts, {
    deps: () => [this.maxOffset] as const,
    params: (maxOffset) => (maxOffset === undefined ? {} : { maxOffset }),
  });

  /** The cells the chart shows (the query's answer; the previous one while a new query runs). */
  get data(): RetentionCell[] | undefined {
    const task = this.task;
    if (task.status === TaskStatus.COMPLETE || task.status === TaskStatus.PENDING) return task.value;
    return undefined;
  }

  /** The layout of the last paint (cell rectangles and keyboard position), for tests and tools. */
  get layout(): HeatmapLayout | undefined {
    return this.view.layout;
  }

  /** The cells as cohorts × offsets. */
  get grid(): CohortGrid | undefined {
    const cells = this.data;
    if (!cells) return undefined;
    return this.gridMemo.get([cells], () => cohortGrid(cells));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.task];
  }

  override render() {
    const data = this.data;
    const task = this.task;
    const status = this.frameStatus(task, data, (d) => d.length === 0);
    const frameState = status.state;
    const hasIncomplete = !!data?.some((c) => c.incomplete);
    return this.renderFrame(
      {
        status,
        emptyMessage: 'No user cohorts match these filters.',
        rows: data && frameState === 'ready' ? screenRows(data) : [],
        columns: SCREEN_COLUMNS,
        filename: 'retention-cohorts',
      },
      html`
        ${this.view.render({ help: 'Arrow keys move between cells; Enter opens the users of the focused cell.' })}
        <span class="visually-hidden" role="status">${this.announcement}</span>
        <div slot="legend" part="legend" class="ramp">
          <span>Retention</span>
          <span>0 %</span>
          <span
            class="ramp-bar"
            role="img"
            aria-label="Colour scale: red at 0 %, neutral at 50 %, green at 100 %"
            style=${`background: linear-gradient(to right, ${RETENTION_STOPS.join(', ')})`}
          ></span>
          <span>100 %</span>
          ${hasIncomplete ? html`<span class="incomplete-key">* hatched: month not over yet (incomplete)</span>` : nothing}
        </div>
        <div slot="footer" class="notes">
          <span
            >Rows: users by the month they were first seen (cohort size in brackets). Columns: months since then. Hover or focus a cell for the numbers.</span
          >
        </div>
      `,
    );
  }

  /** Moves keyboard focus into the grid (the active cell). */
  override focus(options?: FocusOptions): void {
    if (!this.view.focus(options)) super.focus(options);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-retention-cohorts': UsageRetentionCohorts;
  }
}
