import { whereSql } from '../filters.js';
import { defineQuery, str } from '../module.js';
import { literal, sql } from '../sql.js';
import { REQUEST_COLUMNS, toRequestLogRow, type RequestLogRow } from './agent-detail.js';
import { page, stringParam } from './shared.js';

/** A request of the journey: the request log row plus the agent called. */
export interface UserJourneyRow extends RequestLogRow {
  agentId: string;
}

export interface UserJourneyParams {
  userId: string;
  /** Page size (default 50). */
  limit?: number;
  offset?: number;
}

/**
 * Drill-down (2.7 click on a user): one user's requests in the filtered window, latest first
 * (ts desc, request id desc), paged; `total` = the user's requests in the window. The `userIds`
 * filter is ignored (the user is the scope). Group by `sessionId` for the journey timeline.
 */
export const userJourney = defineQuery<UserJourneyParams, UserJourneyRow[]>({
  name: 'userJourney',
  sql(ctx, params) {
    return sql`SELECT ${REQUEST_COLUMNS}
FROM requests WHERE ${whereSql(ctx, { omit: { userIds: true } })} AND user_id = ${literal(stringParam('userId', params?.userId))}
ORDER BY ts DESC, request_id DESC
${page(params)}`;
  },
  transform(rows) {
    return rows.map((r) => ({ ...toRequestLogRow(r), agentId: str(r.agent_id) }));
  },
});
