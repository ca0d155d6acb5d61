/**
 * The agent registry the actions change. It starts from the snapshot's `agents` table and is
 * refreshed from each new snapshot; a row an action changed (`source = 'action'`) keeps its status,
 * sunset and replacement. `GET /v1/registry/agents` gives it to the exporter for the next snapshot.
 */
import type { Db, Queryable } from './db.js';
import type { RegistryAgent } from './usage-data.js';

export interface AgentRow {
  agent_id: string;
  agent_name: string;
  department_id: string | null;
  status: string;
  version: string | null;
  sunset_date: string | null;
  replacement_agent_id: string | null;
  migration_guide_url: string | null;
  max_requests_per_minute: number | null;
  source: 'snapshot' | 'action';
  revision: number;
  updated_at: string;
  updated_by: string | null;
}

const COLUMNS = `agent_id, agent_name, department_id, status, version, to_char(sunset_date, 'YYYY-MM-DD') AS sunset_date, replacement_agent_id,
  migration_guide_url, max_requests_per_minute, source, revision, updated_at::text AS updated_at, updated_by`;

/** Upserts the snapshot's agents (one statement); returns how many rows it touched. */
export async function syncRegistry(db: Db, agents: readonly RegistryAgent[]): Promise<number> {
  if (!agents.length) return 0;
  const { rows } = await db.query<{ n: number }>(
    `WITH s AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(agent_id, agent_name, department_id, status, version)),
     up AS (
       INSERT INTO agent_registry AS r (agent_id, agent_name, department_id, status, version)
       SELECT agent_id, agent_name, department_id, status, version FROM s
       ON CONFLICT (agent_id) DO UPDATE SET
         agent_name = excluded.agent_name,
         department_id = excluded.department_id,
         version = excluded.version,
         status = CASE WHEN r.source = 'action' THEN r.status ELSE excluded.status END
       RETURNING 1)
     SELECT count(*)::int AS n FROM up`,
    [
      agents.map((a) => a.agentId),
      agents.map((a) => a.agentName),
      agents.map((a) => a.departmentId),
      agents.map((a) => (['active', 'beta', 'deprecated', 'archived'].includes(a.status) ? a.status : 'active')),
      agents.map((a) => a.version),
    ],
  );
  return rows[0].n;
}

export async function getAgent(q: Queryable, agentId: string, forUpdate = false): Promise<AgentRow | undefined> {
  const { rows } = await q.query<AgentRow>(`SELECT ${COLUMNS} FROM agent_registry WHERE agent_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [agentId]);
  return rows[0];
}

export async function listAgents(q: Queryable): Promise<AgentRow[]> {
  return (await q.query<AgentRow>(`SELECT ${COLUMNS} FROM agent_registry ORDER BY agent_id`)).rows;
}
