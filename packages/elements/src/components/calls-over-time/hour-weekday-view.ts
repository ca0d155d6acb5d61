/**
 * The second and third views of chart 2.5: the hour-of-day × weekday heatmap (average calls per
 * occurrence of each hour, its busiest slots named) and the day-of-week seasonality bars, both
 * from one `hourWeekday` query — its own data task, drawing (through the chart's paint scheduler)
 * and templates, rendered inside the chart's shadow root.
 */
import { TaskStatus, type Task } from '@lit/task';
import type { HourWeekdayCell } from '@usage-analytics/queries';
import { html, nothing, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { heatmap, robustSequential, type HeatmapLayout, type HeatmapTarget } from '../../charts/heatmap.js';
import { isAbort, toFailure } from '../../internal/context.js';
import type { PaintController } from '../../internal/paint-controller.js';
import { heatmapGrid, peakSlots, weekdaySeasonality, WEEKDAYS } from './calls-over-time.data.js';

export interface HourWeekdayInputs {
  /** The `hourWeekday` query (a data task of the chart). */
  task: Task<readonly unknown[], HourWeekdayCell[]>;
  locale(): string;
  /** The width to draw the grid at. */
  width(): number;
  /** Prefix of element ids. */
  channel: string;
}

export class HourWeekdayView {
  /** The `hourWeekday` query (a data task of the chart). */
  readonly task: Task<readonly unknown[], HourWeekdayCell[]>;
  /** The layout of the last paint of the grid. */
  layout?: HeatmapLayout;
  /** The hovered or focused cell, in words. */
  private readout = '';

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    painter: PaintController,
    private readonly inputs: HourWeekdayInputs,
  ) {
    this.task = inputs.task;
    painter.add({
      module: heatmap,
      svg: () => host.shadowRoot?.querySelector<SVGSVGElement>('.heat svg'),
      args: () => {
        const cells = this.cells;
        return cells ? ([cells, inputs.locale()] as const) : undefined;
      },
      size: () => [inputs.width(), 0],
      draw: ([cells, locale], [width]) => {
        const nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
        const grid = heatmapGrid(cells, (v) => nf.format(v));
        const say = (target: HeatmapTarget | null) => this.say(target?.kind === 'cell' ? grid.ariaLabel(target.row, target.col) : '');
        return {
          data: grid,
          options: {
            width,
            colour: robustSequential(
              cells.map((c) => c.avg),
              { clampAt: 1 },
            ).scale,
            cellHeight: 22,
            minCellWidth: 18,
            rowHeaderWidth: 44,
            label: 'Average calls per hour of day (UTC) and weekday',
            corner: 'Day \\ Hour',
            rotateColumns: false,
            onHover: say,
            onActivate: (target: HeatmapTarget) => target.kind === 'cell' && say(target),
          },
        };
      },
      done: (layout) => {
        this.layout = layout;
      },
    });
  }

  /** The cells (hourWeekday), when loaded. */
  get cells(): HourWeekdayCell[] | undefined {
    return this.task.status === TaskStatus.COMPLETE ? this.task.value : undefined;
  }

  /** The heatmap section: title, error or loading, the grid, the readout and the peak hours. */
  renderHeatmap(nf: Intl.NumberFormat): TemplateResult {
    const cells = this.cells;
    const peaks = cells ? peakSlots(cells) : [];
    const error = this.task.status === TaskStatus.ERROR && !isAbort(this.task.error) ? toFailure(this.task.error).message : undefined;
    const id = `${this.inputs.channel}-heat`;
    return html`<section part="heatmap" aria-labelledby=${id}>
      <h3 id=${id}>Hour of day × weekday (UTC): average calls per occurrence</h3>
      ${error ? html`<p role="alert">The heatmap could not be loaded: ${error}</p>` : nothing} ${!cells && !error ? html`<p>Loading…</p>` : nothing}
      <div class="heat" ?hidden=${!cells}><svg part="heatmap-svg" tabindex="-1"></svg></div>
      <p part="heatmap-readout" aria-live="polite">${this.readout}</p>
      ${
        peaks.length
          ? html`<p part="peaks">
              Peak hours:
              ${peaks.map((p, i) => html`${i ? ', ' : ''}<span data-weekday=${p.weekday} data-hour=${p.hour}>${WEEKDAYS[p.weekday - 1]} ${String(p.hour).padStart(2, '0')}:00 (${nf.format(p.avg)})</span>`)}
            </p>`
          : nothing
      }
    </section>`;
  }

  /** The weekday bars: average calls per day of each weekday. */
  renderSeasonality(nf: Intl.NumberFormat): TemplateResult | typeof nothing {
    const cells = this.cells;
    if (!cells) return nothing;
    const days = weekdaySeasonality(cells);
    const max = Math.max(1, ...days.map((d) => d.avg));
    const id = `${this.inputs.channel}-season`;
    return html`<section aria-labelledby=${id}>
      <h3 id=${id}>Day-of-week seasonality: average calls per day</h3>
      <ol part="seasonality" class="bars">
        ${days.map(
          (d) =>
            html`<li data-weekday=${d.weekday} data-avg=${d.avg}>
              <span>${d.name.slice(0, 3)}</span><span class="bar" style=${`width:${(100 * d.avg) / max}%`}></span
              ><span class="bar-value">${nf.format(d.avg)}</span>
              <span class="visually-hidden">${d.name}: ${nf.format(d.avg)} calls on average over ${d.days} days</span>
            </li>`,
        )}
      </ol>
    </section>`;
  }

  private say(text: string): void {
    this.readout = text;
    this.host.requestUpdate();
  }
}
