/** Reference for chart 2.14's modules (agentCallGraph in both agentMatch modes, callsBetweenAgents), from their docs. */
import type { UsageFilters } from '@usage-analytics/queries';
import type { Dataset, RequestRow } from '../fixtures.js';
import { cmpStr, groupBy, windowRows } from './common.js';
import { logRow } from './usage.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** From the docs: edges over agent-to-agent requests (agentIds on the called agent, or on either end), nodes = agents on an edge. */
export function refCallGraph(d: Dataset, f: UsageFilters, match: 'called' | 'either' = 'called') {
  const either = match === 'either' && f.agentIds.length > 0;
  const rows = windowRows(d, f, either ? { agentIds: true } : {});
  const keep = (r: RequestRow) => !either || f.agentIds.includes(r.agent_id) || f.agentIds.includes(r.calling_agent_id as string);
  const calls = rows.filter((r) => r.calling_agent_id !== null && keep(r));
  const edges = [...groupBy(calls, (r) => JSON.stringify([r.calling_agent_id, r.agent_id]))]
    .map(([k, rs]) => {
      const [source, target] = JSON.parse(k) as string[];
      return {
        source,
        target,
        calls: rs.length,
        avgLatencyMs: mean(rs.map((r) => r.latency_ms)),
        errorRate: (100 * rs.filter((r) => r.status !== 'success').length) / rs.length,
      };
    })
    .sort((a, b) => cmpStr(a.source, b.source) || cmpStr(a.target, b.target));
  const ids = [...new Set(edges.flatMap((e) => [e.source, e.target]))].sort(cmpStr);
  const nodes = ids.map((id) => {
    const own = rows.filter((r) => r.agent_id === id);
    const a = d.agents.find((x) => x.agent_id === id);
    return {
      agentId: id,
      name: a?.agent_name ?? id,
      departmentId: a?.department_id ?? null,
      status: a?.agent_status ?? null,
      requests: own.length,
      errorRate: own.length === 0 ? 0 : (100 * own.filter((r) => r.status !== 'success').length) / own.length,
    };
  });
  return { nodes, edges };
}

export function refCallsBetweenAgents(d: Dataset, f: UsageFilters, p: { source: string; target: string; limit?: number; offset?: number }) {
  const rows = windowRows(d, f, { agentIds: true })
    .filter((r) => r.calling_agent_id === p.source && r.agent_id === p.target)
    .sort((a, b) => b.ts - a.ts || cmpStr(b.request_id, a.request_id));
  const off = p.offset ?? 0;
  return rows.slice(off, off + (p.limit ?? 50)).map((r) => logRow(r, rows.length));
}
