/**
 * The anomalies of chart 2.5: a marker button on each flagged day of the time series (placed with
 * the last paint's scales) and the likely-causes panel of the day one opens — the departments,
 * agents and statuses whose change explains most of it (`anomalyCauses`, a query per day; a newer
 * one cancels the older). The panel takes focus when it opens and gives it back to its marker
 * when it closes. Rendered inside the chart's shadow root.
 */
import { anomalyCauses, type AnomalyCauses, type CallsOverTime, type UsageFilters } from '@usage-analytics/queries';
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { StackedAreaLayout } from '../../charts/stacked-area.js';
import { isAbort, toFailure, type ChartClient } from '../../internal/context.js';
import { causesSummary, causeText, type AnomalyMarker } from './calls-over-time.data.js';

/** The causes panel of a clicked anomaly. */
export interface CausesState {
  date: string;
  status: 'loading' | 'ready' | 'error';
  value?: AnomalyCauses;
  error?: string;
}

export class AnomalyCausesView implements ReactiveController {
  /** The likely causes of the selected anomaly. */
  causes?: CausesState;
  private abort?: AbortController;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly channel: string,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.abort?.abort();
  }

  /** Opens the panel of `date` (a day in `timeZone`) and asks for its causes under `filters`. */
  async open(date: string, client: ChartClient | undefined, filters: UsageFilters, timeZone = 'UTC'): Promise<void> {
    this.abort?.abort();
    if (!client) return;
    const abort = (this.abort = new AbortController());
    this.set({ date, status: 'loading' });
    await this.host.updateComplete;
    this.host.shadowRoot?.querySelector<HTMLElement>('[part="causes"]')?.focus();
    try {
      const value = await client.run(anomalyCauses, filters, { date }, { channel: `${this.channel}-causes`, signal: abort.signal, timeZone });
      if (!abort.signal.aborted) this.set({ date, status: 'ready', value });
    } catch (e) {
      if (!abort.signal.aborted && !isAbort(e)) this.set({ date, status: 'error', error: toFailure(e).message });
    }
  }

  /** The marker buttons of `markers` inside the painted window. */
  renderMarkers(
    layout: StackedAreaLayout | undefined,
    data: CallsOverTime | undefined,
    markers: AnomalyMarker[],
    onTotal: boolean,
    nf: Intl.NumberFormat,
    open: (date: string) => void,
  ) {
    if (!layout || !data) return nothing;
    const [v0, v1] = layout.domain;
    const { plot } = layout;
    // On the total's line when it is drawn alone, else at the top of the plot.
    const top = (m: AnomalyMarker) => {
      const p = data.points.find((x) => x.label === m.date || x.label.startsWith(m.date));
      const y = layout.y(onTotal ? (p?.total ?? m.value) : layout.y.domain()[1]);
      return Math.min(plot.top + plot.height, Math.max(plot.top, y));
    };
    return markers
      .filter((m) => m.t >= v0 && m.t <= v1)
      .map(
        (m) =>
          html`<button
            type="button"
            part="anomaly-marker"
            class="marker"
            data-date=${m.date}
            data-direction=${m.direction}
            aria-pressed=${this.causes?.date === m.date ? 'true' : 'false'}
            aria-label=${`Anomaly on ${m.date}: ${m.direction}, ${nf.format(m.value)} calls vs ${nf.format(m.expected)} expected (score ${nf.format(m.score)}). Show likely causes.`}
            title=${`${m.date}: ${m.direction}`}
            style=${`left:${layout.x(m.t)}px;top:${top(m)}px`}
            @click=${() => open(m.date)}
          ></button>`,
      );
  }

  /** The causes panel (nothing while closed). */
  renderCauses(nf: Intl.NumberFormat): TemplateResult | typeof nothing {
    const c = this.causes;
    if (!c) return nothing;
    const list = (title: string, dim: string, items: AnomalyCauses['departments']) =>
      html`<div>
        <h4>${title}</h4>
        ${
          items.length
            ? html`<ol part="cause-list" data-dimension=${dim}>
                ${items.map((i) => html`<li data-key=${i.key}><bdi>${i.key}</bdi>: ${causeText(i, (v) => nf.format(v))}</li>`)}
              </ol>`
            : html`<p>None.</p>`
        }
      </div>`;
    return html`<section part="causes" class="causes" role="region" aria-label=${`Likely causes of the anomaly on ${c.date}`} tabindex="-1">
      <div class="causes-head">
        <h3>Likely causes: ${c.date}</h3>
        <button part="causes-close" class="chart-button" type="button" @click=${this.close}>Close</button>
      </div>
      ${c.status === 'loading' ? html`<p role="status">Finding the causes…</p>` : nothing}
      ${c.status === 'error' ? html`<p role="alert">The causes could not be computed: ${c.error}</p>` : nothing}
      ${
        c.value
          ? html`<p>${causesSummary(c.value, (v) => nf.format(v))}</p>
              <div class="cause-lists">
                ${list('Departments', 'department', c.value.departments)} ${list('Agents', 'agent', c.value.agents)}
                ${list('Statuses', 'status', c.value.statuses)}
              </div>`
          : nothing
      }
    </section>`;
  }

  private close = (): void => {
    const date = this.causes?.date;
    this.abort?.abort();
    this.set(undefined);
    void this.host.updateComplete.then(() => this.host.shadowRoot?.querySelector<HTMLElement>(`[part="anomaly-marker"][data-date="${date}"]`)?.focus());
  };

  private set(causes: CausesState | undefined): void {
    this.causes = causes;
    this.host.requestUpdate();
  }
}
