/** Reference implementation of the userJourney module (plain TS over the fixture rows). */
import type { UsageFilters } from '@usage-analytics/queries';
import type { Dataset } from '../fixtures.js';
import { cmpStr, windowRows } from './common.js';
import { logRow } from './usage.js';

export function refUserJourney(ds: Dataset, f: UsageFilters, params: { userId: string; limit?: number; offset?: number }) {
  const rows = windowRows(ds, f, { userIds: true })
    .filter((r) => r.user_id === params.userId)
    .sort((a, b) => b.ts - a.ts || cmpStr(b.request_id, a.request_id));
  const off = params.offset ?? 0;
  return rows.slice(off, off + (params.limit ?? 50)).map((r) => ({ ...logRow(r, rows.length), agentId: r.agent_id }));
}
