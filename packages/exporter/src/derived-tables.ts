/**
 * The tables other than requests for a logs snapshot: read from optional files (--users, --agents,
 * --sessions, --capacity) and/or derived from the valid requests (`valid`):
 *   users:    first_seen_at = min(ts) (or the file's value when earlier), department from the
 *             latest request (the file's value wins), name/email from the file only;
 *   agents:   a minimal registry (status 'active', most recent version, creation = first request,
 *             department = the one with the most requests); file values win; agents seen only as
 *             calling_agent_id are included;
 *   sessions: grouped by session_id, agent sequence ordered by ts; counts, start/end, context from
 *             the requests; the file adds sessions without requests and session_successful /
 *             exit_reason (e.g. user_abandoned, which requests cannot show);
 *   capacity, maintenance_windows: the file, else empty;   intent_rules: empty.
 * Optional files use the schema's column names (case-insensitive); list columns may be lists, JSON
 * arrays or comma-separated text.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLES, type ColumnSpec, type TableName } from '@usage-analytics/queries';
import { InputError } from './errors.js';
import { formatOf, txt } from './logs-reader.js';
import { parseTs } from './quarantine.js';
import { ident, literal } from '@usage-analytics/queries';

const DUCK_TYPES = {
  string: 'VARCHAR',
  dict: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  int32: 'INTEGER',
  float32: 'FLOAT',
  float64: 'DOUBLE',
  bool: 'BOOLEAN',
  string_list: 'VARCHAR[]',
} as const;

function castFor(col: ColumnSpec, c: string, type: string): string {
  switch (col.type) {
    case 'string':
    case 'dict':
      return txt(c);
    case 'timestamp':
      return parseTs(c, type);
    case 'int32':
      return `TRY_CAST(round(TRY_CAST(${c} AS DOUBLE)) AS INTEGER)`;
    case 'float32':
      return `TRY_CAST(${c} AS FLOAT)`;
    case 'float64':
      return `TRY_CAST(${c} AS DOUBLE)`;
    case 'bool':
      return `TRY_CAST(${c} AS BOOLEAN)`;
    case 'string_list':
      if (type.endsWith('[]')) return `CAST(${c} AS VARCHAR[])`;
      return `CASE WHEN ${txt(c)} IS NULL THEN NULL WHEN starts_with(${txt(c)}, '[') THEN TRY(from_json(${txt(c)}, '["VARCHAR"]')) ELSE list_transform(string_split(${txt(c)}, ','), x -> trim(x)) END`;
  }
}

const REQUIRED_IN_FILE: Record<string, string[]> = {
  users: ['user_id'],
  agents: ['agent_id'],
  sessions: ['session_id', 'user_id', 'session_start'],
  capacity: ['ts', 'resource_type', 'current_usage', 'max_capacity'],
  maintenance_windows: ['window_id', 'starts_at', 'ends_at'],
};

/** Reads an optional table file into temp table `__file_<name>` with the spec's columns (NULL when absent). */
export async function readTableFile(conn: DuckDBConnection, name: TableName, path: string): Promise<string> {
  const format = formatOf(path);
  const p = literal(path);
  const rel =
    format === 'parquet'
      ? `read_parquet(${p})`
      : format === 'csv'
        ? `read_csv(${p}, header = true)`
        : format === 'ndjson'
          ? `read_json_auto(${p}, format = 'newline_delimited')`
          : null;
  const raw = `__raw_${name}`;
  try {
    if (format === 'duckdb') {
      await conn.run(`ATTACH ${p} AS __optdb (READ_ONLY)`);
      try {
        await conn.run(`CREATE OR REPLACE TEMP TABLE ${raw} AS SELECT * FROM __optdb.${ident(name)}`);
      } finally {
        await conn.run(`DETACH __optdb`);
      }
    } else await conn.run(`CREATE OR REPLACE TEMP TABLE ${raw} AS SELECT * FROM ${rel}`);
  } catch (e) {
    throw new InputError(`${path}: cannot read ${name} table as ${format}: ${(e as Error).message.split('\n')[0]}`);
  }
  const cols = (await conn.runAndReadAll(`DESCRIBE ${raw}`)).getRows().map((r) => ({ name: String(r[0]), type: String(r[1]) }));
  const byLower = new Map(cols.map((c) => [c.name.toLowerCase(), c]));
  for (const req of REQUIRED_IN_FILE[name] ?? []) {
    if (!byLower.has(req))
      throw new InputError(`${path}: missing required column "${req}" for the ${name} table (columns present: ${cols.map((c) => c.name).join(', ')})`);
  }
  const select = TABLES[name].columns.map((c) => {
    const found = byLower.get(c.name);
    return `${found ? castFor(c, ident(found.name).text, found.type) : `CAST(NULL AS ${DUCK_TYPES[c.type]})`} AS ${ident(c.name)}`;
  });
  const table = `__file_${name}`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${select.join(', ')} FROM ${raw}`);
  await conn.run(`DROP TABLE ${raw}`);
  return table;
}

export interface OptionalFiles {
  users?: string;
  agents?: string;
  sessions?: string;
  capacity?: string;
  /** Agent registry: planned maintenance windows (else the table is empty). */
  maintenance_windows?: string;
}

/** Builds temp tables t_users, t_agents, t_sessions, t_capacity, t_intent_rules; returns warnings. */
export async function buildTables(conn: DuckDBConnection, files: OptionalFiles, rangeStart: string): Promise<string[]> {
  const warnings: string[] = [];
  const fileOf = async (name: TableName): Promise<string | null> =>
    files[name as keyof OptionalFiles] ? readTableFile(conn, name, files[name as keyof OptionalFiles]!) : null;

  // users
  await conn.run(`CREATE OR REPLACE TEMP TABLE d_users AS
    SELECT user_id, arg_max(department_id, (ts, __ord)) AS department_id, min(ts) AS first_seen_at FROM valid GROUP BY user_id`);
  const fu = await fileOf('users');
  if (fu) {
    await dropNullKeys(conn, fu, 'user_id', files.users!, warnings);
    await conn.run(`CREATE OR REPLACE TEMP TABLE t_users AS
      SELECT COALESCE(f.user_id, d.user_id) AS user_id, f.user_name, f.email,
        COALESCE(f.department_id, d.department_id, 'unknown') AS department_id,
        COALESCE(least(f.first_seen_at, d.first_seen_at), d.first_seen_at, f.first_seen_at, TIMESTAMP ${literal(rangeStart)}) AS first_seen_at
      FROM ${fu} f FULL OUTER JOIN d_users d ON f.user_id = d.user_id`);
  } else {
    await conn.run(`CREATE OR REPLACE TEMP TABLE t_users AS
      SELECT user_id, CAST(NULL AS VARCHAR) AS user_name, CAST(NULL AS VARCHAR) AS email, department_id, first_seen_at FROM d_users`);
  }

  // agents (including agents seen only as callers)
  await conn.run(`CREATE OR REPLACE TEMP TABLE d_agents AS
    WITH seen AS (
      SELECT agent_id, department_id, agent_version, ts, __ord FROM valid
      UNION ALL SELECT calling_agent_id, NULL, NULL, ts, __ord FROM valid WHERE calling_agent_id IS NOT NULL),
    dept AS (SELECT agent_id, department_id, count(*) AS n FROM seen WHERE department_id IS NOT NULL GROUP BY ALL)
    SELECT s.agent_id, COALESCE(any_value(top.department_id), 'unknown') AS department_id,
      COALESCE(arg_max(s.agent_version, (s.ts, s.__ord)) FILTER (WHERE s.agent_version IS NOT NULL), 'unknown') AS version,
      min(s.ts) AS created_at
    FROM seen s LEFT JOIN (SELECT agent_id, first(department_id ORDER BY n DESC, department_id) AS department_id FROM dept GROUP BY agent_id) top USING (agent_id)
    GROUP BY s.agent_id`);
  const fa = await fileOf('agents');
  if (fa) await dropNullKeys(conn, fa, 'agent_id', files.agents!, warnings);
  const agentCols = TABLES.agents.columns.map((c) => {
    const col = ident(c.name);
    const derived: Record<string, string> = {
      agent_id: 'd.agent_id',
      agent_name: 'd.agent_id',
      owner_team: `'unknown'`,
      department_id: 'd.department_id',
      agent_status: `'active'`,
      version: 'd.version',
      created_at: 'd.created_at',
    };
    const fallback: Record<string, string> = {
      department_id: `'unknown'`,
      owner_team: `'unknown'`,
      agent_status: `'active'`,
      version: `'unknown'`,
      created_at: `TIMESTAMP ${literal(rangeStart)}`,
    };
    const parts = [fa ? `f.${col}` : null, derived[c.name] ?? null, c.name === 'agent_name' && fa ? 'f.agent_id' : null, fallback[c.name] ?? null].filter(
      Boolean,
    );
    const value = parts.length === 0 ? `CAST(NULL AS ${DUCK_TYPES[c.type]})` : parts.length === 1 ? parts[0]! : `COALESCE(${parts.join(', ')})`;
    return `${value} AS ${col}`;
  });
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE t_agents AS SELECT ${agentCols.join(', ')} FROM ${fa ? `${fa} f FULL OUTER JOIN d_agents d ON f.agent_id = d.agent_id` : 'd_agents d'}`,
  );

  // sessions
  // Ordered lists via list_sort of (ts, ord, agent) structs: ~6x faster than list(... ORDER BY ...).
  await conn.run(`CREATE OR REPLACE TEMP TABLE d_sessions AS
    SELECT session_id, arg_min(user_id, (ts, __ord)) AS user_id, min(ts) AS session_start,
      max(ts + to_microseconds(CAST(latency_ms AS BIGINT) * 1000)) AS session_end,
      list_transform(list_sort(list({'t': ts, 'o': __ord, 'a': agent_id})), x -> x.a) AS agent_sequence, CAST(count(*) AS INTEGER) AS request_count,
      CAST(count(*) FILTER (WHERE status = 'success') AS INTEGER) AS success_count,
      CAST(count(*) FILTER (WHERE status <> 'success') AS INTEGER) AS error_count,
      arg_min(department_id, (ts, __ord)) AS department_id, arg_min(environment, (ts, __ord)) AS environment,
      arg_min(api_client, (ts, __ord)) AS api_client, arg_min_null(country, (ts, __ord)) AS country,
      arg_max(status, (ts, __ord)) AS last_status
    FROM valid WHERE session_id IS NOT NULL GROUP BY session_id`);
  const fs = await fileOf('sessions');
  const exitDerived = `CASE d.last_status WHEN 'error' THEN 'error' WHEN 'timeout' THEN 'timeout' ELSE 'completed' END`;
  if (fs) {
    await dropNullKeys(conn, fs, 'session_id', files.sessions!, warnings);
    await conn.run(`CREATE OR REPLACE TEMP TABLE t_sessions AS
      SELECT COALESCE(d.session_id, f.session_id) AS session_id, COALESCE(d.user_id, f.user_id) AS user_id,
        COALESCE(d.session_start, f.session_start) AS session_start, COALESCE(d.session_end, f.session_end, f.session_start) AS session_end,
        COALESCE(d.agent_sequence, f.agent_sequence, []) AS agent_sequence,
        COALESCE(d.request_count, f.request_count, len(f.agent_sequence), 0) AS request_count,
        COALESCE(d.success_count, f.success_count, 0) AS success_count, COALESCE(d.error_count, f.error_count, 0) AS error_count,
        COALESCE(d.department_id, f.department_id, 'unknown') AS department_id, COALESCE(d.environment, f.environment, 'production') AS environment,
        COALESCE(d.api_client, f.api_client, 'unknown') AS api_client, COALESCE(d.country, f.country) AS country,
        COALESCE(f.exit_reason, ${exitDerived}) AS exit_reason_,
        COALESCE(f.session_successful, COALESCE(f.exit_reason, ${exitDerived}) = 'completed') AS session_successful
      FROM ${fs} f FULL OUTER JOIN d_sessions d ON f.session_id = d.session_id`);
    await conn.run(`ALTER TABLE t_sessions RENAME COLUMN exit_reason_ TO exit_reason`);
  } else {
    await conn.run(`CREATE OR REPLACE TEMP TABLE t_sessions AS
      SELECT session_id, user_id, session_start, session_end, agent_sequence, request_count, success_count, error_count,
        department_id, environment, api_client, country, ${exitDerived} = 'completed' AS session_successful, ${exitDerived} AS exit_reason
      FROM d_sessions d`);
  }

  // capacity
  const fc = await fileOf('capacity');
  if (fc) {
    await conn.run(`CREATE OR REPLACE TEMP TABLE t_capacity AS
      SELECT ts, resource_type, COALESCE(environment, 'production') AS environment, current_usage, max_capacity,
        COALESCE(warning_threshold, 0.75) AS warning_threshold, COALESCE(critical_threshold, 0.9) AS critical_threshold, COALESCE(unit, '') AS unit
      FROM ${fc}`);
    const bad = Number(
      (
        await conn.runAndReadAll(`SELECT count(*) FROM t_capacity WHERE ts IS NULL OR resource_type IS NULL OR current_usage IS NULL OR max_capacity IS NULL`)
      ).getRows()[0][0],
    );
    if (bad > 0) {
      warnings.push(`${files.capacity}: ${bad} capacity rows without ts, resource_type, current_usage or max_capacity were skipped`);
      await conn.run(`DELETE FROM t_capacity WHERE ts IS NULL OR resource_type IS NULL OR current_usage IS NULL OR max_capacity IS NULL`);
    }
  } else {
    await conn.run(`CREATE OR REPLACE TEMP TABLE t_capacity AS SELECT ${emptyColumns('capacity')} LIMIT 0`);
  }
  await conn.run(`CREATE OR REPLACE TEMP TABLE t_intent_rules AS SELECT ${emptyColumns('intent_rules')} LIMIT 0`);
  // maintenance windows (agent registry): the file, else empty
  const fm = await fileOf('maintenance_windows');
  if (fm) {
    await dropNullKeys(conn, fm, 'window_id', files.maintenance_windows!, warnings);
    await conn.run(`CREATE OR REPLACE TEMP TABLE t_maintenance_windows AS
      SELECT window_id, agent_id, COALESCE(title, '') AS title, starts_at, ends_at, COALESCE(lower(trim(recurrence)), 'none') AS recurrence, recurs_until,
        COALESCE(created_by, 'system') AS created_by, COALESCE(created_at, starts_at) AS created_at
      FROM ${fm}`);
    const badWhere = `starts_at IS NULL OR ends_at IS NULL OR ends_at <= starts_at OR recurrence NOT IN ('none', 'weekly')`;
    const bad = Number((await conn.runAndReadAll(`SELECT count(*) FROM t_maintenance_windows WHERE ${badWhere}`)).getRows()[0][0]);
    if (bad > 0) {
      warnings.push(
        `${files.maintenance_windows}: ${bad} maintenance windows without starts_at < ends_at or with a recurrence other than none/weekly were skipped`,
      );
      await conn.run(`DELETE FROM t_maintenance_windows WHERE ${badWhere}`);
    }
  } else {
    await conn.run(`CREATE OR REPLACE TEMP TABLE t_maintenance_windows AS SELECT ${emptyColumns('maintenance_windows')} LIMIT 0`);
  }
  return warnings;
}

function emptyColumns(name: TableName): string {
  return TABLES[name].columns.map((c) => `CAST(NULL AS ${DUCK_TYPES[c.type]}) AS ${ident(c.name)}`).join(', ');
}

async function dropNullKeys(conn: DuckDBConnection, table: string, key: string, path: string, warnings: string[]): Promise<void> {
  const n = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${table} WHERE ${ident(key)} IS NULL`)).getRows()[0][0]);
  if (n > 0) {
    warnings.push(`${path}: ${n} rows without ${key} were skipped`);
    await conn.run(`DELETE FROM ${table} WHERE ${ident(key)} IS NULL`);
  }
  const dup = Number((await conn.runAndReadAll(`SELECT count(*) - count(DISTINCT ${ident(key)}) FROM ${table}`)).getRows()[0][0]);
  if (dup > 0) {
    warnings.push(`${path}: ${dup} rows with a repeated ${key} were skipped (first one kept)`);
    await conn.run(`DELETE FROM ${table} WHERE rowid NOT IN (SELECT min(rowid) FROM ${table} GROUP BY ${ident(key)})`);
  }
}
