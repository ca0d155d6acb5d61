import { Task, TaskStatus, initialState } from '@lit/task';
import {
  adoptionCurve,
  agentApiClients,
  agentDaily,
  agentRequestLog,
  type AdoptionCurve,
  type AgentDay,
  type ApiClientStats,
  type RequestLogRow,
  type UsageFilters,
} from '@usage-analytics/queries';
import { line } from 'd3-shape';
import { scaleLinear } from 'd3-scale';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { isAbort, toFailure } from '../../internal/context.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import type { UserDrilldown } from '../../events/usage-drilldown.js';
import styles from './agent-detail.styles.js';

let instances = 0;

/** What a section reads from its `Task`. */
interface TaskView<R> {
  readonly status: TaskStatus;
  readonly value?: R;
  readonly error?: unknown;
  run(): Promise<void>;
}

/** Rows of the request log per page. */
const PAGE = 25;

/**
 * @summary Level 3 of the Usage Analytics tab: one agent's daily requests and users, its adoption
 * curve (first-time users and cumulative users, against the users eligible), the API clients
 * calling it with their error rates (integration health), and its request log with user
 * attribution (a user opens their journey), as plain accessible tables.
 *
 * The agent-id and agent-status filters are ignored (a deprecated agent's detail works under the
 * default "Active" filter); every other filter applies. Inside `<usage-provider>` it takes the
 * client and filters from context; alone, set `client` and `filters`.
 *
 * @csspart base - The wrapper.
 * @csspart section - One section (daily, API clients, request log).
 * @csspart table - A table.
 * @csspart table-wrap - A table's scroll container (a focusable region).
 * @csspart empty - The message when the agent has no requests under the filters.
 * @csspart error - An error message (`role="alert"`).
 * @csspart retry-button - Runs the failed query again.
 * @csspart more-button - Loads the next page of the request log.
 * @csspart user-button - A user in the request log (opens their journey).
 * @csspart adoption-chart - The cumulative-users line (SVG).
 *
 * @fires usage-drilldown - `{ kind: 'user' }` when a user of the request log is activated (the tab opens their journey).
 *
 * @cssproperty --usage-agent-detail-max-height - Height of a table before it scrolls (default 24rem).
 * @cssproperty --usage-agent-detail-name-max-width - Widest an agent id is printed before it is cut with an ellipsis (default 40ch).
 */
export default class UsageAgentDetail extends UsageChartElement {
  static override styles = styles;

  /** The agent shown. */
  @property({ attribute: 'agent-id' }) agentId = '';

  /** Rows of the request log to show. */
  @state() private logLimit = PAGE;

  private readonly channel = `usage-agent-detail-${++instances}`;

  // Days in the chart's time zone (agentDaily and adoptionCurve bucket by local day).
  private readonly dailyTask = new Task(this, {
    args: () => [this.activeClient, this.activeFilters, this.agentId, this.activeTimeZone] as const,
    task: async ([client, filters, agentId, timeZone], { signal }) =>
      client && agentId ? client.run(agentDaily, filters, { agentId }, { channel: `${this.channel}-daily`, signal, timeZone }) : initialState,
  });

  private readonly clientsTask = new Task(this, {
    args: () => [this.activeClient, this.activeFilters, this.agentId] as const,
    task: async ([client, filters, agentId], { signal }) =>
      client && agentId ? client.run(agentApiClients, filters, { agentId }, { channel: `${this.channel}-clients`, signal }) : initialState,
  });

  /** Adoption of this agent: the filters without agent and status filters (the agent is the series). */
  private readonly adoptionTask = new Task(this, {
    args: () => [this.activeClient, this.adoptionFilters, this.agentId, this.activeTimeZone] as const,
    task: async ([client, filters, agentId, timeZone], { signal }) =>
      client && agentId
        ? client.run(adoptionCurve, filters, { agentIds: [agentId], limit: 1 }, { channel: `${this.channel}-adoption`, signal, timeZone })
        : initialState,
  });

  private adoptionBase?: { base: UsageFilters; value: UsageFilters };
  private get adoptionFilters(): UsageFilters {
    const base = this.activeFilters;
    if (this.adoptionBase?.base !== base) this.adoptionBase = { base, value: { ...base, agentIds: [], agentStatuses: [] } };
    return this.adoptionBase.value;
  }

  private readonly logTask = new Task(this, {
    args: () => [this.activeClient, this.activeFilters, this.agentId, this.logLimit] as const,
    task: async ([client, filters, agentId, limit], { signal }) =>
      client && agentId ? client.run(agentRequestLog, filters, { agentId, limit, offset: 0 }, { channel: `${this.channel}-log`, signal }) : initialState,
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('agentId') || changed.has('filters') || (changed as Map<PropertyKey, unknown>).has('contextFilters')) this.logLimit = PAGE;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.dailyTask, this.adoptionTask, this.clientsTask, this.logTask];
  }

  override render() {
    if (!this.agentId) return html`<div part="base" class="base"><p part="empty" class="message">No agent selected.</p></div>`;
    return html`
      <div part="base" class="base">
        ${this.section('daily', 'Daily requests and users', this.dailyTask, (rows) => this.renderDaily(rows))}
        ${this.section('adoption', 'Adoption: first-time users and cumulative users', this.adoptionTask, (curve) => this.renderAdoption(curve))}
        ${this.section('clients', 'API clients calling this agent (integration health)', this.clientsTask, (rows) => this.renderClients(rows))}
        ${this.section('log', 'Request log (latest first)', this.logTask, (rows) => this.renderLog(rows))}
      </div>
    `;
  }

  private section<R>(id: string, title: string, task: TaskView<R>, body: (value: R) => TemplateResult): TemplateResult {
    let content: unknown;
    const busy = task.status === TaskStatus.PENDING || (task.status === TaskStatus.INITIAL && !!this.activeClient);
    if (task.status === TaskStatus.ERROR && !isAbort(task.error)) {
      const failure = toFailure(task.error);
      content = html`<div part="error" class="message error" role="alert">
        <p>This could not be loaded: <span class="error-message">${failure.message}</span> (<code>${failure.code}</code>)</p>
        <button part="retry-button" type="button" @click=${() => void task.run()}>Retry</button>
      </div>`;
    } else if (task.value !== undefined) {
      content = body(task.value);
    } else {
      content = html`<p class="message">Loading…</p>`;
    }
    return html`
      <section part="section" class="section" aria-labelledby="${id}-title" aria-busy=${busy ? 'true' : 'false'} data-section=${id}>
        <h3 id="${id}-title" class="title">${title}</h3>
        ${content}
      </section>
    `;
  }

  /** A captioned table in a focusable scroll region; `numeric` lists the columns aligned to the end. */
  private table(id: string, caption: string, head: string[], numeric: number[], rows: TemplateResult[]): TemplateResult {
    return html`
      <div part="table-wrap" class="table-wrap" role="region" aria-labelledby="${id}-caption" tabindex="0">
        <table part="table" data-table=${id}>
          <caption id="${id}-caption">
            ${caption}
          </caption>
          <thead>
            <tr>
              ${head.map((h, i) => html`<th scope="col" class=${numeric.includes(i) ? 'num' : ''}>${h}</th>`)}
            </tr>
          </thead>
          <tbody>
            ${rows}
          </tbody>
        </table>
      </div>
    `;
  }

  private empty(what: string): TemplateResult {
    // A long agent id is cut to one line; the whole id is in the title and the DOM.
    return html`<p part="empty" class="message">No ${what} for <bdi class="name" title=${this.agentId}>${this.agentId}</bdi> under these filters.</p>`;
  }

  private renderDaily(days: AgentDay[]): TemplateResult {
    const n = this.nf();
    const total = days.reduce((s, d) => s + d.requests, 0);
    if (total === 0) return this.empty('requests');
    const active = days.filter((d) => d.requests > 0).length;
    return html`
      <p class="summary">${n.format(total)} requests on ${n.format(active)} of ${n.format(days.length)} days.</p>
      ${this.table(
        'daily',
        'Requests, distinct users and errors per UTC day',
        ['Date', 'Requests', 'Users', 'Errors'],
        [1, 2, 3],
        days.map(
          (d) =>
            html`<tr>
              <th scope="row">${d.date}</th>
              <td class="num">${n.format(d.requests)}</td>
              <td class="num">${n.format(d.users)}</td>
              <td class="num">${n.format(d.errors)}</td>
            </tr>`,
        ),
      )}
    `;
  }

  private renderClients(clients: ApiClientStats[]): TemplateResult {
    if (clients.length === 0) return this.empty('API clients');
    const n = this.nf();
    const pct = new Intl.NumberFormat(this.activeLocale, { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });
    return this.table(
      'clients',
      'API clients by requests, with error rate (errors and timeouts) and latency',
      ['API client', 'Requests', 'Users', 'Error rate', 'Timeouts', 'Avg latency (ms)', 'Last call (UTC)'],
      [1, 2, 3, 4, 5],
      clients.map(
        (c) =>
          html`<tr>
            <th scope="row"><bdi>${c.apiClient}</bdi></th>
            <td class="num">${n.format(c.requests)}</td>
            <td class="num">${n.format(c.users)}</td>
            <td class="num">${pct.format(c.errorRate / 100)}</td>
            <td class="num">${n.format(c.timeouts)}</td>
            <td class="num">${n.format(Math.round(c.avgLatencyMs))}</td>
            <td>${utc(c.lastSeen)}</td>
          </tr>`,
      ),
    );
  }

  private renderLog(rows: RequestLogRow[]): TemplateResult {
    if (rows.length === 0) return this.empty('requests');
    const n = this.nf();
    const usd = new Intl.NumberFormat(this.activeLocale, { style: 'currency', currency: 'USD', minimumFractionDigits: 4, maximumFractionDigits: 4 });
    const total = rows[0].total;
    return html`
      ${this.table(
        'log',
        `Showing ${n.format(rows.length)} of ${n.format(total)} requests`,
        ['Time (UTC)', 'User', 'Department', 'Status', 'Intent', 'Version', 'Environment', 'API client', 'Latency (ms)', 'Cost'],
        [8, 9],
        rows.map(
          (r) =>
            html`<tr>
              <th scope="row" title=${r.requestId}>${utc(r.ts)}</th>
              <td>
                <button part="user-button" type="button" class="link" aria-label=${`Journey of user ${r.userId}`} @click=${() => this.openJourney(r.userId)}>
                  <bdi>${r.userId}</bdi>
                </button>
              </td>
              <td><bdi>${r.departmentId}</bdi></td>
              <td class=${r.status === 'success' ? '' : 'bad'}>${r.status}</td>
              <td><bdi>${r.intent}</bdi></td>
              <td><bdi>${r.agentVersion}</bdi></td>
              <td>${r.environment}</td>
              <td><bdi>${r.apiClient}</bdi></td>
              <td class="num">${n.format(r.latencyMs)}</td>
              <td class="num">${usd.format(r.costUsd)}</td>
            </tr>`,
        ),
      )}
      ${
        rows.length < total
          ? html`<button part="more-button" type="button" class="more" @click=${() => (this.logLimit += PAGE)}>
              Show ${Math.min(PAGE, total - rows.length)} more
            </button>`
          : nothing
      }
    `;
  }

  private renderAdoption(curve: AdoptionCurve): TemplateResult {
    const series = curve.series[0];
    const points = series?.points ?? [];
    const last = points[points.length - 1];
    if (!series || !last || last.cumulativeUsers === 0) return this.empty('users');
    const n = this.nf();
    const pct = new Intl.NumberFormat(this.activeLocale, { style: 'percent', maximumFractionDigits: 1 });
    const newInWindow = points.reduce((s, p) => s + p.newUsers, 0);
    const before = last.cumulativeUsers - newInWindow;
    const rate = last.adoptionRate === null ? '' : `, ${pct.format(last.adoptionRate / 100)} of the ${n.format(curve.eligibleUsers)} users eligible`;
    const summary = `${n.format(last.cumulativeUsers)} users have used this agent${rate}: ${n.format(before)} before ${points[0].date}, ${n.format(newInWindow)} new since.`;
    // A small cumulative-users line: the S-curve of chart 2.10 for one agent.
    const W = 480;
    const H = 96;
    const x = scaleLinear([0, Math.max(1, points.length - 1)], [4, W - 4]);
    const y = scaleLinear([0, Math.max(1, last.cumulativeUsers)], [H - 4, 4]);
    const path =
      line<(typeof points)[number]>(
        (_, i) => x(i),
        (p) => y(p.cumulativeUsers),
      )(points) ?? '';
    return html`
      <p class="summary">${summary}</p>
      <svg
        part="adoption-chart"
        class="adoption"
        viewBox="0 0 ${W} ${H}"
        preserveAspectRatio="none"
        role="img"
        aria-label=${`Cumulative users from ${n.format(points[0].cumulativeUsers)} on ${points[0].date} to ${n.format(last.cumulativeUsers)} on ${last.date}`}
      >
        <path d=${path}></path>
      </svg>
      ${this.table(
        'adoption',
        'First-time users per UTC day, cumulative users and adoption rate',
        ['Date', 'New users', 'Cumulative users', 'Adoption rate'],
        [1, 2, 3],
        points
          .filter((p) => p.newUsers > 0)
          .map(
            (p) =>
              html`<tr>
                <th scope="row">${p.date}</th>
                <td class="num">${n.format(p.newUsers)}</td>
                <td class="num">${n.format(p.cumulativeUsers)}</td>
                <td class="num">${p.adoptionRate === null ? '—' : pct.format(p.adoptionRate / 100)}</td>
              </tr>`,
          ),
      )}
    `;
  }

  /** Asks the tab for a user's journey (their sessions with this agent and others, under the filters). */
  private openJourney(userId: string): void {
    const filters = this.activeFilters;
    const detail: UserDrilldown = { kind: 'user', userId, filters: { ...structuredClone(filters), agentIds: [], agentStatuses: [], userIds: [userId] } };
    this.emit('usage-drilldown', { detail });
  }

  private nf(): Intl.NumberFormat {
    return new Intl.NumberFormat(this.activeLocale);
  }
}

/** `2026-10-31 23:59` (UTC). */
const utc = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

declare global {
  interface HTMLElementTagNameMap {
    'usage-agent-detail': UsageAgentDetail;
  }
}
