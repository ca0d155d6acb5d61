/**
 * The actions' effects flowing back into the data: the actions service's agent registry (status,
 * sunset, replacement, quota set by A2.2 / A2.10 …) laid over the new snapshot's `agents` table,
 * so the charts show the new status. Only rows an action changed (`source: 'action'`) override;
 * agents the registry does not know keep the logs' values, registry rows for unknown agents are
 * counted and skipped.
 *
 *   usage-exporter snapshot … --registry http://actions:8787/v1/registry/agents   (ACTIONS_TOKEN = a bearer token)
 *   usage-exporter demo … --registry registry.json                                (the same JSON saved to a file)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TABLES } from '@usage-analytics/queries';
import { type Table, tableFromIPC } from 'apache-arrow';
import { TableBuilder, writeTable, type WrittenFile } from './arrow-writer.js';
import { CliError } from './errors.js';

export interface RegistryRow {
  agent_id: string;
  status: 'active' | 'beta' | 'deprecated' | 'archived';
  /** YYYY-MM-DD (UTC) or null. */
  sunset_date: string | null;
  replacement_agent_id: string | null;
  max_requests_per_minute: number | null;
  source: 'snapshot' | 'action';
}

/** Rows, or a loader called at each snapshot write (so --watch picks up new actions). */
export type RegistrySource = readonly RegistryRow[] | (() => Promise<readonly RegistryRow[]>);

const STATUSES = new Set(['active', 'beta', 'deprecated', 'archived']);

/** Checks the registry JSON (an array of rows as `GET /v1/registry/agents` returns); names the first bad row and field. */
export function parseRegistry(json: unknown, from: string): RegistryRow[] {
  if (!Array.isArray(json)) throw new CliError(`--registry ${from}: expected a JSON array of agents`, { field: 'registry', value: from });
  return json.map((r: Record<string, unknown>, i) => {
    const bad = (field: string, why: string) =>
      new CliError(`--registry ${from}: row ${i} (${String(r?.agent_id)}): ${field} ${why}`, { field: 'registry', value: from });
    if (!r || typeof r !== 'object') throw bad('row', 'is not an object');
    if (typeof r.agent_id !== 'string' || !r.agent_id) throw bad('agent_id', 'must be a non-empty string');
    if (typeof r.status !== 'string' || !STATUSES.has(r.status)) throw bad('status', `must be one of ${[...STATUSES].join(', ')}`);
    if (
      r.sunset_date != null &&
      (typeof r.sunset_date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(r.sunset_date) || Number.isNaN(Date.parse(`${r.sunset_date}T00:00:00Z`)))
    )
      throw bad('sunset_date', 'must be YYYY-MM-DD or null');
    if (r.replacement_agent_id != null && typeof r.replacement_agent_id !== 'string') throw bad('replacement_agent_id', 'must be a string or null');
    if (r.max_requests_per_minute != null && !(Number.isInteger(r.max_requests_per_minute) && (r.max_requests_per_minute as number) > 0))
      throw bad('max_requests_per_minute', 'must be a positive integer or null');
    if (r.source !== 'snapshot' && r.source !== 'action') throw bad('source', "must be 'snapshot' or 'action'");
    return {
      agent_id: r.agent_id,
      status: r.status as RegistryRow['status'],
      sunset_date: (r.sunset_date as string | null) ?? null,
      replacement_agent_id: (r.replacement_agent_id as string | null) ?? null,
      max_requests_per_minute: (r.max_requests_per_minute as number | null) ?? null,
      source: r.source,
    };
  });
}

/** Reads the registry from a file or an http(s) URL (with `Authorization: Bearer $ACTIONS_TOKEN` when set). */
export async function loadRegistry(from: string, env: NodeJS.ProcessEnv = process.env): Promise<RegistryRow[]> {
  let text: string;
  if (/^https?:\/\//.test(from)) {
    let res: Response;
    try {
      res = await fetch(from, { headers: env.ACTIONS_TOKEN ? { authorization: `Bearer ${env.ACTIONS_TOKEN}` } : {}, signal: AbortSignal.timeout(30_000) });
    } catch (e) {
      throw new CliError(`--registry ${from}: the actions service could not be reached (${(e as Error).message})`, { field: 'registry', value: from });
    }
    if (!res.ok) {
      const hint = res.status === 401 || res.status === 403 ? ' (set ACTIONS_TOKEN to a token the service accepts)' : '';
      throw new CliError(`--registry ${from}: HTTP ${res.status}${hint}`, { field: 'registry', value: from });
    }
    text = await res.text();
  } else {
    try {
      text = readFileSync(from, 'utf8');
    } catch (e) {
      throw new CliError(`--registry ${from}: ${(e as Error).message}`, { field: 'registry', value: from });
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`--registry ${from}: not JSON`, { field: 'registry', value: from });
  }
  return parseRegistry(json, from);
}

export interface RegistryApplied {
  /** Agents whose row an action changed and that the snapshot has. */
  applied: number;
  /** Registry rows (changed by an action) for agents the snapshot does not have. */
  unknown: string[];
}

/**
 * Rewrites `dir/agents.arrows` with the registry's action-made changes; returns the new file's
 * record and what was applied. Columns the registry does not own are copied value for value.
 */
export function applyRegistry(dir: string, registry: readonly RegistryRow[]): { file: WrittenFile; report: RegistryApplied } {
  const spec = TABLES.agents;
  const path = join(dir, spec.file);
  const table = tableFromIPC(readFileSync(path));
  const changed = new Map(registry.filter((r) => r.source === 'action').map((r) => [r.agent_id, r]));
  const b = new TableBuilder(spec);
  const seen = new Set<string>();
  let applied = 0;
  const rows = readRows(table);
  for (const row of rows) {
    const r = changed.get(String(row.agent_id));
    if (r) {
      seen.add(r.agent_id);
      applied++;
      row.agent_status = r.status;
      row.deprecation_date = r.sunset_date ? Date.parse(`${r.sunset_date}T00:00:00Z`) * 1000 : row.deprecation_date;
      row.replacement_agent_id = r.replacement_agent_id ?? row.replacement_agent_id;
      row.max_requests_per_minute = r.max_requests_per_minute ?? row.max_requests_per_minute;
    }
    b.appendRow(row);
  }
  const file = writeTable(path, spec, b);
  return { file, report: { applied, unknown: [...changed.keys()].filter((id) => !seen.has(id)).sort() } };
}

/** Rows as plain values in the TableBuilder's units (timestamps in µs from the raw column, lists as arrays). */
function readRows(table: Table): Record<string, unknown>[] {
  const spec = TABLES.agents;
  const out: Record<string, unknown>[] = Array.from({ length: table.numRows }, () => ({}));
  for (const c of spec.columns) {
    const col = table.getChild(c.name);
    if (!col) continue;
    let i = 0;
    for (const data of col.data) {
      for (let j = 0; j < data.length; j++, i++) {
        const valid = data.getValid(j);
        if (!valid) {
          out[i][c.name] = null;
        } else if (c.type === 'timestamp') {
          out[i][c.name] = Number((data.values as BigInt64Array)[data.offset + j]);
        } else if (c.type === 'string_list') {
          out[i][c.name] = [...(col.get(i) as Iterable<string>)];
        } else {
          out[i][c.name] = col.get(i);
        }
      }
    }
  }
  return out;
}
