import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { UsageDataClient } from '@usage-analytics/data-client';
import {
  journeyLinkUsers,
  journeySessions,
  requestsInBucket,
  requestsInHourWeekday,
  userJourney,
  usersByCallRange,
  callsBetweenAgents,
  usersInCohortCell,
  usersInPlace,
  usersInSegment,
  type CohortUser,
  type JourneySession as LinkSession,
  type PlaceUser,
  type RequestLogRow,
  type SegmentUser,
  type UserCalls,
  type UserJourneyRow,
} from '@usage-analytics/queries';
import { html, nothing, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import '../../events/usage-drilldown.js';
import '../../events/usage-request-save-segment.js';
import { dataClientContext, isAbort, toFailure, type QueryClient } from '../../internal/context.js';
import { UsageElement } from '../../internal/usage-element.js';
import '../data-table/data-table.js';
import {
  JOURNEY_PAGE,
  PANEL_PAGE,
  callRangeColumns,
  cohortColumns,
  isPanelDetail,
  journeyColumns,
  journeyParams,
  panelTitle,
  placeColumns,
  placeStats,
  requestColumns,
  segmentColumns,
  segmentFilters,
  segmentName,
  sessionsOf,
  type PanelDetail,
} from './drilldown-panel.data.js';
import styles from './drilldown-panel.styles.js';

type PanelRows = RequestLogRow[] | SegmentUser[] | CohortUser[] | UserJourneyRow[] | UserCalls[] | LinkSession[] | PlaceUser[];

/** Most users "Save as segment" lists for a cohort cell or a call range (their ids travel in the event). */
export const MAX_SEGMENT_USERS = 10_000;

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** Focusable elements under `root` in tree order, looking into open shadow roots. */
function deepFocusables(root: Element | ShadowRoot): HTMLElement[] {
  const out: HTMLElement[] = [];
  const visit = (node: Element | ShadowRoot) => {
    for (const el of Array.from(node.children)) {
      if (el instanceof HTMLElement && el.matches(FOCUSABLE) && !el.classList.contains('sentinel') && el.getClientRects().length > 0) out.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
      if (el instanceof HTMLSlotElement) for (const a of el.assignedElements()) visit(a);
      visit(el);
    }
  };
  visit(root);
  return out;
}

/** The focused element, looking into shadow roots. */
export function deepActiveElement(doc: Document = document): HTMLElement | null {
  let a: Element | null = doc.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a instanceof HTMLElement ? a : null;
}

/**
 * @summary The drill-down dialog of the tab: the requests of a time bucket, the users of a segment,
 * a retention cohort cell or a range of calls per user, the sessions behind a journey link (each with "Save as segment"), the users of a place on the map, the calls behind an edge of the dependency graph, or a user's journey (recent sessions with
 * their agent sequence). A modal `<dialog>` (`role="dialog"`, `aria-modal`): focus stays inside,
 * Escape or Close closes it, and focus returns to what opened it.
 *
 * `<usage-analytics>` opens it for `usage-drilldown` events nobody prevented; hosts can use it
 * alone with `show(detail)`. The data client comes from `<usage-provider>` or `client`.
 *
 * @fires usage-request-save-segment - "Save as segment": `{source, name, filters, userIds?}` (no backend; the host acts).
 * @fires usage-drilldown - A user id in a users list (cancelable): `{kind: 'user', userId, filters}`.
 * @fires usage-drilldown-panel-close - The dialog closed (not bubbling).
 *
 * @csspart dialog - The `<dialog>`.
 * @csspart title - The heading (at most two lines; a long name is cut with an ellipsis, the whole title is in its tooltip).
 * @csspart close-button - Close.
 * @csspart table - The `<usage-data-table>` of a list.
 * @csspart pager - Previous / next page of a list.
 * @csspart page-button - A pager button.
 * @csspart save-segment-button - "Save as segment".
 * @csspart journey - The list of sessions.
 * @csspart session - One session of the journey.
 * @csspart chip - One agent of a session.
 * @csspart message - Loading, empty and error messages.
 * @csspart retry-button - Runs the failed query again.
 * @csspart stats - A place's figures (geo drill-down).
 *
 * @cssproperty --usage-drilldown-panel-width - Width of the dialog (default 64rem).
 */
export default class UsageDrilldownPanel extends UsageElement {
  static override styles = styles;

  /** The data client; overrides the one from `<usage-provider>`. */
  @property({ attribute: false }) client?: QueryClient;

  /** What is shown (set by {@link show}). */
  @property({ attribute: false }) detail?: PanelDetail;

  /** Whether the dialog is open. */
  @property({ type: Boolean, reflect: true }) open = false;

  /** BCP 47 locale of the numbers. */
  @property() locale?: string;

  @consume({ context: dataClientContext, subscribe: true })
  @state()
  private contextClient?: UsageDataClient;

  /** Zero-based page of the list. */
  @state() page = 0;
  @state() private saveStatus = '';

  @query('dialog') private dialog?: HTMLDialogElement;

  private returnFocus?: HTMLElement | null;

  private readonly rowsTask = new Task(this, {
    args: () => [this.client ?? this.contextClient, this.open ? this.detail : undefined, this.page] as const,
    task: async ([client, detail, page], { signal }): Promise<PanelRows | typeof initialState> => {
      if (!client || !detail) return initialState;
      const opts = { channel: 'usage-drilldown-panel', signal };
      switch (detail.kind) {
        case 'time-bucket':
          return client.run(
            requestsInBucket,
            detail.filters,
            {
              bucketStart: Date.parse(detail.bucketStart),
              // The detail's instants (a local DST day lasts 23 or 25 hours).
              bucketEnd: Date.parse(detail.bucketEnd),
              bucket: detail.bucket,
              ...(detail.department ? { by: 'department' as const, key: detail.department } : {}),
              limit: PANEL_PAGE,
              offset: page * PANEL_PAGE,
            },
            opts,
          );
        case 'segment':
          return client.run(usersInSegment, detail.filters, { segment: detail.segment, limit: PANEL_PAGE, offset: page * PANEL_PAGE }, opts);
        case 'cohort-cell':
          return client.run(
            usersInCohortCell,
            detail.filters,
            { cohortMonth: detail.cohortMonth, monthOffset: detail.monthOffset, limit: PANEL_PAGE, offset: page * PANEL_PAGE },
            opts,
          );
        case 'user':
          return client.run(userJourney, detail.filters, { userId: detail.userId, limit: JOURNEY_PAGE, offset: page * JOURNEY_PAGE }, opts);
        case 'hour-weekday':
          return client.run(
            requestsInHourWeekday,
            detail.filters,
            { weekday: detail.weekday, hour: detail.hour, timeZone: detail.timeZone, limit: PANEL_PAGE, offset: page * PANEL_PAGE },
            opts,
          );
        case 'call-range':
          return client.run(usersByCallRange, detail.filters, { min: detail.min, max: detail.max, limit: PANEL_PAGE, offset: page * PANEL_PAGE }, opts);
        case 'journey-link':
          return client.run(journeySessions, detail.filters, { ...journeyParams(detail), limit: PANEL_PAGE, offset: page * PANEL_PAGE }, opts);
        case 'geo':
          return client.run(
            usersInPlace,
            detail.filters,
            {
              country: detail.country,
              ...(detail.city !== undefined ? { region: detail.region ?? 'Unknown', city: detail.city } : {}),
              limit: PANEL_PAGE,
              offset: page * PANEL_PAGE,
            },
            opts,
          );
        case 'agent-call':
          return client.run(
            callsBetweenAgents,
            detail.filters,
            { source: detail.source, target: detail.target, limit: PANEL_PAGE, offset: page * PANEL_PAGE },
            opts,
          );
      }
    },
  });

  /** Opens the dialog on a drill-down; focus returns to `returnFocus` (default: what has focus now) on close. */
  show(detail: PanelDetail, returnFocus: HTMLElement | null = deepActiveElement()): void {
    if (!isPanelDetail(detail)) throw new TypeError(`<usage-drilldown-panel> cannot show ${JSON.stringify((detail as { kind?: unknown })?.kind)}`);
    // A drill-down from inside the open panel keeps the original opener.
    if (!this.open || !this.returnFocus?.isConnected) this.returnFocus = returnFocus;
    this.detail = detail;
    this.page = 0;
    this.saveStatus = '';
    this.open = true;
  }

  /** Closes the dialog and returns focus to what opened it. */
  close(): void {
    if (!this.open) return;
    this.open = false;
    this.dialog?.close();
    const target = this.returnFocus;
    this.returnFocus = undefined;
    if (target?.isConnected) target.focus();
    this.dispatchEvent(new CustomEvent('usage-drilldown-panel-close', { bubbles: false, composed: false }));
  }

  /** Rows in the whole list (from the query's window count). */
  get total(): number {
    const rows = this.rowsTask.status === TaskStatus.COMPLETE ? this.rowsTask.value : undefined;
    return Array.isArray(rows) && rows.length ? (rows[0] as { total: number }).total : 0;
  }

  /** The rows of the current page. */
  get rows(): PanelRows | undefined {
    return this.rowsTask.status === TaskStatus.COMPLETE && Array.isArray(this.rowsTask.value) ? this.rowsTask.value : undefined;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.rowsTask];
  }

  override render() {
    const d = this.detail;
    return html`
      <dialog part="dialog" role="dialog" aria-modal="true" aria-labelledby="title" @cancel=${this.onCancel} @keydown=${this.onKeydown}>
        ${
          d && this.open
            ? html`<span class="sentinel" tabindex="0" @focus=${() => this.focusEdge('last')}></span>
                <div class="inner">
                  <header>
                    <h2 id="title" part="title" title=${panelTitle(d)}><bdi>${panelTitle(d)}</bdi></h2>
                    <button part="close-button" class="close" type="button" @click=${() => this.close()}>Close</button>
                  </header>
                  ${this.renderBody(d)}
                </div>
                <span class="sentinel" tabindex="0" @focus=${() => this.focusEdge('first')}></span>`
            : nothing
        }
      </dialog>
    `;
  }

  protected override updated(): void {
    const dialog = this.dialog;
    if (!dialog) return;
    if (this.open && !dialog.open) {
      dialog.showModal();
      this.renderRoot.querySelector<HTMLElement>('.close')?.focus();
    } else if (!this.open && dialog.open) dialog.close();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.open = false;
  }

  private renderBody(d: PanelDetail): TemplateResult {
    const task = this.rowsTask;
    if (!(this.client ?? this.contextClient)) return html`<p part="message" class="message" role="status">Waiting for the usage data…</p>`;
    if (task.status === TaskStatus.ERROR && !isAbort(task.error)) {
      return html`<p part="message" class="message" role="alert">Could not load this drill-down: ${toFailure(task.error).message}</p>
        <div class="actions"><button part="retry-button" type="button" @click=${() => void task.run()}>Retry</button></div>`;
    }
    const rows = this.rows;
    const busy = task.status === TaskStatus.PENDING || task.status === TaskStatus.INITIAL;
    const status = html`<p part="message" class="message" role="status">${busy ? 'Loading…' : ''}</p>`;
    if (!rows) return status;
    if (d.kind === 'user') return html`${status}${this.renderJourney(rows as UserJourneyRow[])}`;
    // One table; what differs per kind is its label, file name, columns and empty message.
    const spec = (() => {
      switch (d.kind) {
        case 'time-bucket':
          return { label: 'Requests in this time bucket', filename: 'bucket-requests', columns: requestColumns(), empty: 'No requests in this bucket.' };
        case 'hour-weekday':
          return {
            label: 'Requests in this hour of the week',
            filename: 'hour-weekday-requests',
            columns: requestColumns(),
            empty: 'No requests in this hour of the week.',
          };
        case 'segment':
          return { label: 'Users of the segment', filename: 'segment-users', columns: segmentColumns(d.filters), empty: 'No users in this segment.' };
        case 'cohort-cell':
          return { label: 'Users of the cohort cell', filename: 'cohort-users', columns: cohortColumns(d.filters), empty: 'No users in this cell.' };
        case 'call-range':
          return {
            label: 'Users in this range of calls',
            filename: 'call-range-users',
            columns: callRangeColumns(d.filters),
            empty: 'No users in this range.',
          };
        case 'journey-link':
          return { label: 'Sessions behind this link', filename: 'journey-sessions', columns: journeyColumns(d.filters), empty: 'No sessions on this link.' };
        case 'geo':
          return { label: 'Users in this place', filename: 'place-users', columns: placeColumns(d.filters), empty: 'No users here under these filters.' };
        case 'agent-call':
          return {
            label: 'Calls between the two agents (latest first)',
            filename: 'agent-calls',
            columns: requestColumns(),
            empty: 'No calls between these agents.',
          };
      }
    })();
    const table = html`<usage-data-table
      part="table"
      label=${spec.label}
      filename=${spec.filename}
      .rows=${rows}
      .columns=${spec.columns}
      .pageSize=${PANEL_PAGE}
      .locale=${this.locale}
      hide-search
      empty-message=${spec.empty}
    ></usage-data-table>`;
    const canSave = d.kind === 'segment' || d.kind === 'cohort-cell' || d.kind === 'call-range' || d.kind === 'journey-link';
    return html`${status} ${d.kind === 'geo' ? html`<p part="stats" class="stats">${placeStats(d, this.locale || 'en-US')}</p>` : nothing}
    ${
      canSave
        ? html`<div class="actions">
            <button part="save-segment-button" class="save" type="button" ?disabled=${this.total === 0} @click=${this.saveSegment}>Save as segment</button>
            <span role="status">${this.saveStatus}</span>
          </div>`
        : nothing
    }
    ${table}
    ${this.renderPager(PANEL_PAGE, d.kind === 'time-bucket' || d.kind === 'hour-weekday' || d.kind === 'agent-call' ? 'requests' : d.kind === 'journey-link' ? 'sessions' : 'users')}`;
  }

  private renderPager(size: number, noun: string) {
    const total = this.total;
    const rows = this.rows?.length ?? 0;
    const nf = new Intl.NumberFormat(this.locale || 'en-US');
    const first = this.page * size;
    const pages = Math.max(1, Math.ceil(total / size));
    return html`<nav part="pager" class="pager" aria-label="Pages">
      <span>${total ? `${nf.format(first + 1)}–${nf.format(first + rows)} of ${nf.format(total)} ${noun}` : `No ${noun}`}</span>
      ${
        pages > 1
          ? html`<button part="page-button" type="button" class="prev" ?disabled=${this.page === 0} @click=${() => (this.page -= 1)}>Previous page</button>
              <button part="page-button" type="button" class="next" ?disabled=${this.page >= pages - 1} @click=${() => (this.page += 1)}>Next page</button>`
          : nothing
      }
    </nav>`;
  }

  private renderJourney(rows: UserJourneyRow[]) {
    const sessions = sessionsOf(rows);
    const time = (t: number) => `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
    const hm = (t: number) => new Date(t).toISOString().slice(11, 16);
    return html`
      ${
        sessions.length
          ? html`<ol part="journey" class="journey" aria-label="Sessions, latest first" tabindex="0">
              ${sessions.map(
                (s) =>
                  html`<li part="session" class="session">
                    <p class="session-head">
                      <strong class="session-name" title=${s.sessionId ?? ''}
                        ><bdi>${s.sessionId ? `Session ${s.sessionId}` : 'Request outside a session'}</bdi></strong
                      >
                      · ${time(s.start)}${s.end !== s.start ? `–${hm(s.end)}` : ''} · ${s.requests}
                      ${s.requests === 1 ? 'request' : 'requests'}${s.errors ? ` · ${s.errors} failed` : ''}
                    </p>
                    <ol class="chips" aria-label="Agents in order">
                      ${s.agents.map(
                        (a, i) =>
                          html`${i ? html`<span class="arrow" aria-hidden="true">→</span>` : nothing}
                            <li part="chip" class="chip" title=${a}><bdi>${a}</bdi></li>`,
                      )}
                    </ol>
                  </li>`,
              )}
            </ol>`
          : html`<p part="message" class="message">No requests by this user under these filters.</p>`
      }
      ${this.renderPager(JOURNEY_PAGE, 'requests')}
    `;
  }

  private saveSegment = async (): Promise<void> => {
    const d = this.detail;
    if (!d || (d.kind !== 'segment' && d.kind !== 'cohort-cell' && d.kind !== 'call-range' && d.kind !== 'journey-link')) return;
    if (d.kind === 'segment') {
      this.emit('usage-request-save-segment', { detail: { source: d.kind, name: segmentName(d), filters: segmentFilters(d) } });
      this.saveStatus = 'Save requested.';
      return;
    }
    const client = this.client ?? this.contextClient;
    if (!client) return;
    try {
      const userIds =
        d.kind === 'journey-link'
          ? await client.run(journeyLinkUsers, d.filters, { ...journeyParams(d), limit: MAX_SEGMENT_USERS })
          : (d.kind === 'call-range'
              ? await client.run(usersByCallRange, d.filters, { min: d.min, max: d.max, limit: MAX_SEGMENT_USERS })
              : await client.run(usersInCohortCell, d.filters, { cohortMonth: d.cohortMonth, monthOffset: d.monthOffset, limit: MAX_SEGMENT_USERS })
            ).map((u) => u.userId);
      this.emit('usage-request-save-segment', {
        detail: {
          source: d.kind,
          name: segmentName(d),
          filters: structuredClone(d.filters),
          userIds,
          ...(d.kind === 'call-range'
            ? { requests: { min: Math.max(0, Math.ceil(d.min)), ...(d.max !== null ? { max: Math.max(0, Math.ceil(d.max) - 1) } : {}) } }
            : {}),
        },
      });
      this.saveStatus = 'Save requested.';
    } catch (e) {
      this.saveStatus = `Could not list the users: ${toFailure(e).message}`;
    }
  };

  private focusEdge(which: 'first' | 'last'): void {
    const inner = this.renderRoot.querySelector('.inner');
    if (!inner) return;
    const all = deepFocusables(inner);
    (which === 'first' ? all[0] : all[all.length - 1])?.focus();
  }

  private onCancel = (e: Event): void => {
    e.preventDefault();
    this.close();
  };

  private onKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.close();
    }
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-drilldown-panel': UsageDrilldownPanel;
  }
  interface HTMLElementEventMap {
    'usage-drilldown-panel-close': CustomEvent<undefined>;
  }
}
