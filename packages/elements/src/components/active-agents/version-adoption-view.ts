/**
 * The version toggle of chart 2.3: for the agents with two or more versions in use, how each
 * agent's requests move from old to new versions day by day — its query (a data task of the
 * chart), the lines (through the chart's paint scheduler), the agent picker and the legend that
 * says each version's share in words. Rendered inside the chart's shadow root.
 */
import { TaskStatus, type Task } from '@lit/task';
import type { VersionAdoptionRow } from '@usage-analytics/queries';
import { html, type LitElement, type TemplateResult } from 'lit';
import { isAbort, toFailure } from '../../internal/context.js';
import { Memo } from '../../internal/memo.js';
import type { PaintController } from '../../internal/paint-controller.js';
import { colourFor } from '../../internal/palette.js';
import { adoptionSeries, formatters, type AdoptionSeries } from './active-agents.data.js';
import { adoptionLines } from './adoption-lines.js';

export interface VersionAdoptionInputs {
  /** The `versionAdoption` query. */
  task: Task<readonly unknown[], VersionAdoptionRow[]>;
  /** The agent picked (default: the multi-version agent with most requests), and picking one. */
  agent(): string | undefined;
  choose(agentId: string): void;
  /** The chart's width, the locale and the period's name ("last 30 days"). */
  width(): number;
  locale(): string;
  period(): string;
  /** The chart's categorical palette (its `ThemeController`'s: the same array until the theme changes). */
  palette(): readonly string[];
}

export class VersionAdoptionView {
  private readonly memo = new Memo<AdoptionSeries[]>();

  constructor(
    private readonly host: LitElement,
    painter: PaintController,
    private readonly inputs: VersionAdoptionInputs,
  ) {
    painter.add({
      module: adoptionLines,
      svg: () => host.renderRoot.querySelector<SVGSVGElement>('svg.adoption-svg'),
      args: () => {
        const current = this.current;
        return current ? ([current, inputs.palette()] as const) : undefined;
      },
      size: () => [Math.min(Math.max(inputs.width() - 24, 160), 720), 0],
      draw: ([current, palette], [width]) => {
        const keys = current.versions.map((_, k) => String(k));
        return { data: current, options: { width, colour: (i: number) => colourFor(String(i), keys, palette) } };
      },
    });
  }

  /** Version adoption of the agents with 2+ versions, once the query answered. */
  get series(): AdoptionSeries[] | undefined {
    const rows = this.inputs.task.status === TaskStatus.COMPLETE ? this.inputs.task.value : undefined;
    if (!rows) return undefined;
    return this.memo.get([rows], () => adoptionSeries(rows));
  }

  /** The agent whose versions are shown. */
  get current(): AdoptionSeries | undefined {
    const series = this.series;
    return series?.find((s) => s.agentId === this.inputs.agent()) ?? series?.[0];
  }

  /** The panel: the error, loading or empty message, else the agent picker, the lines and the versions in words. */
  render(): TemplateResult {
    const task = this.inputs.task;
    const series = this.series;
    let body;
    if (task.status === TaskStatus.ERROR && !isAbort(task.error))
      body = html`<p role="alert">Version adoption could not be loaded: ${toFailure(task.error).message}</p>`;
    else if (!series) body = html`<p class="muted">Loading version adoption…</p>`;
    else if (series.length === 0) body = html`<p class="muted">No agent in scope had two or more versions in use in the ${this.inputs.period()}.</p>`;
    else body = this.renderAgent(series, this.current ?? series[0]);
    return html`<section part="adoption" class="adoption" aria-label="Version adoption">
      <h4>Version adoption: new vs old</h4>
      ${body}
    </section>`;
  }

  private renderAgent(series: AdoptionSeries[], current: AdoptionSeries): TemplateResult {
    const f = formatters(this.inputs.locale());
    const palette = this.inputs.palette();
    const totalReq = current.requests.reduce((a, b) => a + b, 0);
    const share = (i: number) => f.pct(totalReq ? (current.requests[i] / totalReq) * 100 : 0);
    let lastDay = current.dates.length - 1;
    while (lastDay >= 0 && !current.share.some((s) => s[lastDay] > 0)) lastDay--;
    const newest = current.versions.length - 1;
    return html`<label
        >Agent
        <select part="version-select" @change=${(e: Event) => this.inputs.choose((e.target as HTMLSelectElement).value)}>
          ${series.map((s) => html`<option value=${s.agentId} ?selected=${s === current}>${s.agentId}</option>`)}
        </select></label
      >
      <svg
        part="adoption-svg"
        class="adoption-svg"
        role="img"
        aria-label=${`Share of ${current.agentId}'s requests by version per day: ${current.versions
          .map((v, i) => `version ${v} ${share(i)} of the period${lastDay >= 0 ? `, ${f.pct(current.share[i][lastDay])} on ${current.dates[lastDay]}` : ''}`)
          .join('; ')}`}
      ></svg>
      <ul class="versions" aria-label="Versions">
        ${current.versions.map(
          (v, i) =>
            html`<li data-version=${v}>
              <span
                class=${`line-key ${i === newest ? '' : 'old'}`}
                style=${`border-top-color: ${colourFor(
                  String(i),
                  current.versions.map((_, k) => String(k)),
                  palette,
                )}`}
              ></span>
              <span>${i === newest ? 'New' : 'Old'} <bdi>${v}</bdi>: ${f.count(current.requests[i])} requests (${share(i)})</span>
            </li>`,
        )}
      </ul>`;
  }
}
