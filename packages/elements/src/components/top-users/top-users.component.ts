import { Task, initialState } from '@lit/task';
import { topUsers, type TopUser } from '@usage-analytics/queries';
import { html } from 'lit';
import { property } from 'lit/decorators.js';
import '../../events/usage-drilldown.js';
import type { UsageDrilldownEvent } from '../../events/usage-drilldown.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { Memo } from '../../internal/memo.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import '../data-table/data-table.js';
import { TOP_USERS_LIMIT, TOP_USERS_PARAMS, fetchAllUsers, topUserColumns } from './top-users.data.js';
import styles from './top-users.styles.js';

/**
 * @summary Chart 2.7 Top Users: the top 20 users by calls in the filtered window with department,
 * primary intent, cost impact (cost and share of cost), concentration risk (share of calls on the
 * user's top agent; "High risk" at ≥ 90 %, said in text), agents used and last activity. Sort by
 * any column, search by user id or name, CSV export; "View all" pages through every user.
 *
 * Names are PII: they are shown (as inert text) and exported only as the snapshot carries them.
 * Inside `<usage-provider>` it takes the client and filters from context; alone, set `client` and
 * `filters`. `filters-override` (property or JSON attribute) is merged over them.
 *
 * @fires usage-drilldown - Cancelable. `{kind: 'user', userId, userName, filters}` from a user id
 *   (filters with `userIds: [userId]`); `{kind: 'department', department, filters}` from a department.
 * @fires usage-retry - Retry was pressed after an error.
 *
 * @csspart frame - The `<usage-chart-frame>`.
 * @csspart table - The `<usage-data-table>`.
 * @csspart view-all-button - "View all users" / "Show top 20".
 * @csspart note - The line saying how many users are shown.
 */
export default class UsageTopUsers extends UsageChartElement {
  protected override chartFilterFields = ['departments', 'userSegments', 'agentIds', 'requestStatuses', 'modelFamilies'] as const;

  static override styles = styles;

  /** Shows every user (paged through the module) instead of the top 20. */
  @property({ type: Boolean, reflect: true, attribute: 'view-all' }) viewAll = false;

  /** Rows per table page. */
  @property({ type: Number, attribute: 'page-size' }) pageSize = 20;

  @property() override heading = 'Top Users';

  @property() override description = 'The heaviest users, what they cost and how concentrated they are on one agent.';

  private readonly firstPaint = new FirstPaint(topUsers);
  private readonly columnsMemo = new Memo<ReturnType<typeof topUserColumns>>();

  private readonly usersTask = new Task(this, {
    args: () => [this.activeClient, this.activeFilters, this.viewAll] as const,
    task: async ([client, filters, all], { signal }) => {
      if (!client) return initialState;
      if (all) return fetchAllUsers(client, filters, { channel: this.queryChannel, signal });
      return client.run(topUsers, filters, TOP_USERS_PARAMS, { channel: this.queryChannel, signal });
    },
  });

  constructor() {
    super();
    this.addEventListener('usage-drilldown', this.onTableDrilldown);
  }

  /** The rows shown: the query's answer, else the precomputed first paint (top 20 only). */
  get data(): TopUser[] | undefined {
    return shown(this.usersTask, this.viewAll ? undefined : this.firstPaint.value(this.activeClient, this.activeFilters, TOP_USERS_PARAMS));
  }

  /** Users in the filtered window (all of them, not only the rows shown). */
  get totalUsers(): number {
    return this.data?.[0]?.totalUsers ?? 0;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.usersTask];
  }

  override render() {
    const data = this.data;
    const task = this.usersTask;
    const status = this.frameStatus(task, data, (d) => d.length === 0);
    const rows = data ?? [];
    const columns = this.columns();
    const nf = new Intl.NumberFormat(this.activeLocale);
    const total = this.totalUsers;
    return this.renderFrame(
      {
        status,
        emptyMessage: `No users made calls under these filters in the ${this.periodLabel}.`,
        rows,
        columns,
        filename: this.viewAll ? 'all-users' : 'top-users',
        noPng: true,
      },
      html`
        <button
          slot="actions"
          part="view-all-button"
          class="view-all"
          type="button"
          aria-pressed=${this.viewAll ? 'true' : 'false'}
          ?disabled=${!this.viewAll && total > 0 && total <= TOP_USERS_LIMIT}
          @click=${this.toggleViewAll}
        >
          ${this.viewAll ? `Show top ${TOP_USERS_LIMIT}` : 'View all users'}
        </button>
        <usage-data-table
          part="table"
          .rows=${rows}
          .columns=${columns}
          .label=${this.viewAll ? 'All users' : `Top ${TOP_USERS_LIMIT} users by calls`}
          .filename=${this.viewAll ? 'all-users' : 'top-users'}
          .pageSize=${this.pageSize}
          .locale=${this.locale}
          empty-message="No user matches the search."
        ></usage-data-table>
        <p slot="footer" part="note" class="note">
          ${rows.length ? `Showing ${nf.format(rows.length)} of ${nf.format(total)} users. Concentration: share of a user's calls on their top agent; "High risk" at 90% or more.` : ''}
        </p>
      `,
    );
  }

  /** The table element (for hosts and tests). */
  get table() {
    return this.renderRoot.querySelector('usage-data-table');
  }

  private columns() {
    const filters = this.activeFilters;
    const locale = this.activeLocale;
    return this.columnsMemo.get([filters, locale], () => topUserColumns(filters, locale));
  }

  private toggleViewAll = (): void => {
    this.viewAll = !this.viewAll;
  };

  /** The data table's drill cells emit a plain event: re-emit it from here, cancelable (the tab honours `preventDefault()`). */
  private onTableDrilldown = (e: UsageDrilldownEvent): void => {
    if (e.composedPath()[0] === this) return;
    e.stopPropagation();
    this.emit('usage-drilldown', { detail: e.detail, cancelable: true });
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-top-users': UsageTopUsers;
  }
}
