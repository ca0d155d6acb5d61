/**
 * The real test snapshot (.data/test-snapshot) read directly with apache-arrow, for counting the
 * expected figures independently of DuckDB and of the query modules.
 */
import { tableFromIPC, type Table } from 'apache-arrow';

export const SNAPSHOT = '/.data/test-snapshot/manifest.json';
export const BUNDLES = '/node_modules/@duckdb/duckdb-wasm/dist/';
export const DAY = 86_400_000;

export interface SnapshotRequest {
  t: number;
  department: string;
  environment: string;
  agent: string;
  /** Request status: success | error | timeout. */
  status: string;
}

export interface LoadedSnapshot {
  manifest: { generated_at: string; time_range: { start: string; end: string } };
  end: number;
  requests: SnapshotRequest[];
  activeAgents: Set<string>;
  departments: string[];
}

async function fetchTable(url: string): Promise<Table> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

let cached: Promise<LoadedSnapshot> | undefined;

/** Reads the manifest, the requests and the agents (once per test file). */
export function loadSnapshot(): Promise<LoadedSnapshot> {
  cached ??= (async () => {
    const res = await fetch(SNAPSHOT);
    if (!res.ok) throw new Error(`${SNAPSHOT} → HTTP ${res.status}: generate it with bash scripts/test-snapshot.sh`);
    const manifest = (await res.json()) as LoadedSnapshot['manifest'] & { tables: Record<string, { file: string }> };
    const base = new URL(SNAPSHOT, location.href);
    const [requests, agents] = await Promise.all([
      fetchTable(new URL(manifest.tables.requests.file, base).href),
      fetchTable(new URL(manifest.tables.agents.file, base).href),
    ]);
    const activeAgents = new Set<string>();
    const agentId = agents.getChild('agent_id')!;
    const agentStatus = agents.getChild('agent_status')!;
    for (let i = 0; i < agents.numRows; i++) if (String(agentStatus.get(i)) === 'active') activeAgents.add(String(agentId.get(i)));
    const tsType = String(requests.schema.fields.find((f) => f.name === 'ts')!.type);
    const divisor = /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1;
    const ts = requests.getChild('ts')!;
    const dept = requests.getChild('department_id')!;
    const env = requests.getChild('environment')!;
    const agent = requests.getChild('agent_id')!;
    const status = requests.getChild('status')!;
    const rows: SnapshotRequest[] = [];
    const departments = new Set<string>();
    for (let i = 0; i < requests.numRows; i++) {
      const v = ts.get(i) as unknown;
      const t = typeof v === 'bigint' ? Number(v) / divisor : v instanceof Date ? v.getTime() : Number(v);
      const d = dept.get(i);
      if (d !== null && d !== undefined) departments.add(String(d));
      rows.push({
        t,
        department: d === null || d === undefined ? 'Unknown' : String(d),
        environment: String(env.get(i)),
        agent: String(agent.get(i)),
        status: String(status.get(i)),
      });
    }
    return { manifest, end: Date.parse(manifest.time_range.end), requests: rows, activeAgents, departments: [...departments].sort() };
  })();
  return cached;
}

/** Calls per UTC day per department under the default filters (production, active agents) in [start, end). */
export function callsByDayAndDepartment(snap: LoadedSnapshot, start: number, end: number): Map<number, Map<string, number>> {
  const out = new Map<number, Map<string, number>>();
  for (let d = Math.floor(start / DAY) * DAY; d < end; d += DAY) out.set(d, new Map());
  for (const r of snap.requests) {
    if (r.t < start || r.t >= end || r.environment !== 'production' || !snap.activeAgents.has(r.agent)) continue;
    const day = Math.floor(r.t / DAY) * DAY;
    const m = out.get(day)!;
    m.set(r.department, (m.get(r.department) ?? 0) + 1);
  }
  return out;
}
