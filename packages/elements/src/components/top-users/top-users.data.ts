/**
 * Pure parts of chart 2.7: the table's columns, the drill-down details of a row, and paging through
 * every user with the `topUsers` module's `offset`/`limit` and `totalUsers`.
 */
import { HIGH_CONCENTRATION, TOP_USERS_DEFAULT_PARAMS, topUsers, type TopUser, type TopUsersParams, type UsageFilters } from '@usage-analytics/queries';
import type { DepartmentDrilldown, UserDrilldown } from '../../events/usage-drilldown.js';
import type { QueryClient } from '../../internal/context.js';
import type { DataColumn } from '../data-table/data-table.model.js';
import { formatPercent } from '../../internal/format.js';

/** Rows of the default view (PRD 2.7: top 20). */
export const TOP_USERS_LIMIT = TOP_USERS_DEFAULT_PARAMS.limit;
/** Page size used when "View all" pages through every user. */
export const VIEW_ALL_PAGE = 1000;

/** The snapshot precomputes exactly these (the default view). */
export const TOP_USERS_PARAMS: TopUsersParams = TOP_USERS_DEFAULT_PARAMS;

export function userDrilldown(row: Pick<TopUser, 'userId' | 'userName'>, filters: UsageFilters): UserDrilldown {
  return { kind: 'user', userId: row.userId, userName: row.userName, filters: { ...structuredClone(filters), userIds: [row.userId] } };
}

export function departmentDrilldown(department: string, filters: UsageFilters): DepartmentDrilldown {
  return { kind: 'department', department, filters: { ...structuredClone(filters), departments: [department] } };
}

/** "High" when the share of the top agent is at least {@link HIGH_CONCENTRATION} (the text says it, not only a colour). */
export function concentrationText(row: Pick<TopUser, 'concentration' | 'topAgent'>, locale = 'en-US'): string {
  const pct = formatPercent(row.concentration, locale, { digits: 0 });
  const high = row.concentration >= HIGH_CONCENTRATION;
  return `${high ? 'High risk · ' : ''}${pct} on ${row.topAgent}`;
}

/** The columns of the table (sortable and searchable; user id and department are drill cells). */
export function topUserColumns(filters: UsageFilters, locale = 'en-US'): DataColumn<TopUser>[] {
  const usd = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' });
  return [
    { key: 'rank', label: 'Rank', type: 'integer', searchable: false },
    { key: 'userId', label: 'User ID', drill: (r) => userDrilldown(r, filters) },
    { key: 'userName', label: 'Name' },
    { key: 'departmentId', label: 'Department', drill: (r) => (r.departmentId ? departmentDrilldown(r.departmentId, filters) : undefined) },
    { key: 'primaryIntent', label: 'Primary intent' },
    { key: 'calls', label: 'Calls', type: 'integer', searchable: false },
    {
      key: 'cost',
      label: 'Cost impact',
      type: 'currency',
      searchable: false,
      format: (v, r) => `${usd.format(Number(v))}${r.costShare === null ? '' : ` (${formatPercent(r.costShare, locale)} of cost)`}`,
    },
    { key: 'costShare', label: 'Share of cost', type: 'percent', searchable: false },
    { key: 'concentration', label: 'Concentration risk', type: 'percent', searchable: false, format: (_v, r) => concentrationText(r, locale) },
    { key: 'agentsUsed', label: 'Agents used', type: 'integer', searchable: false },
    { key: 'lastActive', label: 'Last active', type: 'datetime', searchable: false },
  ];
}

/** Every user of the filtered window, page by page (`offset`/`limit` until `totalUsers` rows are in). */
export async function fetchAllUsers(
  client: QueryClient,
  filters: UsageFilters,
  opts: { channel?: string; signal?: AbortSignal; pageSize?: number } = {},
): Promise<TopUser[]> {
  const limit = opts.pageSize ?? VIEW_ALL_PAGE;
  const out: TopUser[] = [];
  for (let offset = 0; ; offset += limit) {
    opts.signal?.throwIfAborted();
    const page = await client.run(topUsers, filters, { limit, offset }, { channel: opts.channel, signal: opts.signal });
    out.push(...page);
    if (page.length < limit || out.length >= (page[0]?.totalUsers ?? 0)) return out;
  }
}
