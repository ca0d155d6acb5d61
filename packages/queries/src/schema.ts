/**
 * The snapshot format: the contract between the exporter (writes it) and the data-client (reads it).
 *
 * A snapshot is a directory holding `manifest.json` and one Arrow IPC **stream** file (`.arrows`)
 * per table. Timestamps are Arrow `Timestamp(MICROSECOND)` without a zone and are UTC by
 * convention (DuckDB `TIMESTAMP`). Low-cardinality strings are dictionary-encoded
 * (`Dictionary<Int32, Utf8>`). Bump {@link FORMAT_VERSION} on any incompatible change.
 */

import { ident } from './sql.js';

export const FORMAT_NAME = 'usage-analytics-snapshot';
export const FORMAT_VERSION = 1;

/** Column logical types, mapped to Arrow by the exporter and to DuckDB types on load. */
export type ColumnType =
  | 'string' // Utf8
  | 'dict' // Dictionary<Int32, Utf8>
  | 'timestamp' // Timestamp(us), UTC
  | 'int32'
  | 'float32'
  | 'float64'
  | 'bool'
  | 'string_list'; // List<Utf8>

/** The DuckDB type each column type loads as (both engines). */
export const DUCKDB_TYPES: Readonly<Record<ColumnType, string>> = {
  string: 'VARCHAR',
  dict: 'VARCHAR',
  timestamp: 'TIMESTAMP',
  int32: 'INTEGER',
  float32: 'FLOAT',
  float64: 'DOUBLE',
  bool: 'BOOLEAN',
  string_list: 'VARCHAR[]',
};

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  /** Nullable columns may hold nulls; required ones never do (the exporter quarantines such rows). */
  nullable?: boolean;
  /** Personally identifiable: redacted by exports unless the caller is allowed to see PII. */
  pii?: boolean;
  doc: string;
}

export interface TableSpec {
  name: TableName;
  file: string;
  doc: string;
  columns: ColumnSpec[];
}

export const TABLE_NAMES = ['requests', 'agents', 'users', 'sessions', 'capacity', 'intent_rules', 'maintenance_windows', 'forecast_history'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/**
 * Tables added to format version 1 after its first release. A snapshot written before them still
 * loads: the manifest may leave them out, and the client then creates them empty from
 * {@link TABLES} (charts that read them show "none" rather than failing). Every other table is
 * required.
 */
export const OPTIONAL_TABLES: readonly TableName[] = ['maintenance_windows', 'forecast_history'];

export const REQUEST_STATUSES = ['success', 'error', 'timeout'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

export const AGENT_STATUSES = ['active', 'beta', 'deprecated', 'archived'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const EXIT_REASONS = ['completed', 'error', 'timeout', 'user_abandoned'] as const;

export const RESOURCE_TYPES = ['api_rate_limit', 'compute', 'memory', 'tokens_per_min'] as const;

/** The PRD's intent categories; the snapshot may hold others (rules can add categories). */
export const DEFAULT_INTENTS = ['customer_support', 'code_gen', 'analysis', 'content', 'other'] as const;

const requests: TableSpec = {
  name: 'requests',
  file: 'requests.arrows',
  doc: 'One row per agent request (the fact table). User-level grain keeps unique users exact for any filter.',
  columns: [
    { name: 'request_id', type: 'string', doc: 'Unique request id' },
    { name: 'ts', type: 'timestamp', doc: 'Request start, UTC' },
    { name: 'user_id', type: 'dict', doc: 'Calling user' },
    { name: 'agent_id', type: 'dict', doc: 'Agent that served the request' },
    { name: 'department_id', type: 'dict', doc: "The user's department at request time" },
    { name: 'environment', type: 'dict', doc: 'production | staging | development' },
    { name: 'agent_version', type: 'dict', doc: 'Agent version that served the request, e.g. 2.0' },
    { name: 'intent_category', type: 'dict', doc: 'Intent category (customer_support, code_gen, ...)' },
    { name: 'status', type: 'dict', doc: 'success | error | timeout' },
    { name: 'model_family', type: 'dict', doc: 'Model family, e.g. gpt-4, claude-3' },
    { name: 'provider', type: 'dict', doc: 'Model provider, e.g. openai, anthropic' },
    { name: 'latency_ms', type: 'int32', doc: 'End-to-end latency in milliseconds (>= 0)' },
    { name: 'input_tokens', type: 'int32', doc: 'Prompt tokens (>= 0)' },
    { name: 'output_tokens', type: 'int32', doc: 'Completion tokens (>= 0)' },
    { name: 'cost_usd', type: 'float64', doc: 'Cost of the request in USD (>= 0)' },
    { name: 'session_id', type: 'string', nullable: true, doc: 'Session the request belongs to' },
    { name: 'api_client', type: 'dict', doc: 'Calling client (web-portal, python-sdk, slack-bot, ...)' },
    { name: 'country', type: 'dict', nullable: true, doc: 'ISO 3166-1 alpha-2 country of the user' },
    { name: 'region', type: 'dict', nullable: true, doc: 'Region / state' },
    { name: 'city', type: 'dict', nullable: true, doc: 'City' },
    { name: 'latitude', type: 'float32', nullable: true, doc: 'City latitude' },
    { name: 'longitude', type: 'float32', nullable: true, doc: 'City longitude' },
    { name: 'calling_agent_id', type: 'dict', nullable: true, doc: 'Agent that made this call (agent→agent), null for user calls' },
  ],
};

const agents: TableSpec = {
  name: 'agents',
  file: 'agents.arrows',
  doc: 'The agent registry (agent_metadata_extended). Usage figures are derived from requests by queries.',
  columns: [
    { name: 'agent_id', type: 'string', doc: 'Primary key' },
    { name: 'agent_name', type: 'string', doc: 'Display name (user text: render as text)' },
    { name: 'agent_description', type: 'string', nullable: true, doc: 'Description' },
    { name: 'owner_team', type: 'dict', doc: 'Owning team' },
    { name: 'department_id', type: 'dict', doc: 'Owning department' },
    { name: 'business_unit', type: 'dict', nullable: true, doc: 'Business unit' },
    { name: 'agent_status', type: 'dict', doc: 'active | beta | deprecated | archived' },
    { name: 'version', type: 'dict', doc: 'Current version' },
    { name: 'created_at', type: 'timestamp', doc: 'Creation time, UTC' },
    { name: 'last_deployed_at', type: 'timestamp', nullable: true, doc: 'Last deployment, UTC' },
    { name: 'deprecation_date', type: 'timestamp', nullable: true, doc: 'Planned or past end of life, UTC' },
    { name: 'replacement_agent_id', type: 'string', nullable: true, doc: 'Agent that replaces this one' },
    { name: 'quality_score_avg', type: 'float64', nullable: true, doc: 'Average quality score 0–10' },
    { name: 'cost_per_request', type: 'float64', nullable: true, doc: 'List price per request, USD' },
    { name: 'max_requests_per_minute', type: 'int32', nullable: true, doc: 'Quota; null = unlimited' },
    { name: 'allowed_departments', type: 'string_list', nullable: true, doc: 'Null = all departments' },
    { name: 'tags', type: 'string_list', nullable: true, doc: 'Free tags' },
    { name: 'documentation_url', type: 'string', nullable: true, doc: 'Docs link' },
    { name: 'support_contact', type: 'string', nullable: true, doc: 'Support contact' },
  ],
};

const users: TableSpec = {
  name: 'users',
  file: 'users.arrows',
  doc: 'User directory. first_seen_at is over all history, so users first seen before a range are not "new".',
  columns: [
    { name: 'user_id', type: 'string', doc: 'Primary key (immutable, PRD AS2.1)' },
    { name: 'user_name', type: 'string', nullable: true, pii: true, doc: 'Display name' },
    { name: 'email', type: 'string', nullable: true, pii: true, doc: 'Email address' },
    { name: 'department_id', type: 'dict', doc: 'Current department' },
    { name: 'first_seen_at', type: 'timestamp', doc: 'First request ever, UTC' },
  ],
};

const sessions: TableSpec = {
  name: 'sessions',
  file: 'sessions.arrows',
  doc: 'user_session_traces: one row per session with its ordered agent sequence.',
  columns: [
    { name: 'session_id', type: 'string', doc: 'Primary key' },
    { name: 'user_id', type: 'dict', doc: 'User' },
    { name: 'session_start', type: 'timestamp', doc: 'UTC' },
    { name: 'session_end', type: 'timestamp', doc: 'UTC' },
    { name: 'agent_sequence', type: 'string_list', doc: 'Ordered agent ids (repeats and loops allowed)' },
    { name: 'request_count', type: 'int32', doc: 'Requests in the session' },
    { name: 'success_count', type: 'int32', doc: 'Successful requests' },
    { name: 'error_count', type: 'int32', doc: 'Failed requests (error + timeout)' },
    { name: 'department_id', type: 'dict', doc: "User's department" },
    { name: 'environment', type: 'dict', doc: 'Environment' },
    { name: 'api_client', type: 'dict', doc: 'Client' },
    { name: 'country', type: 'dict', nullable: true, doc: 'Country code' },
    { name: 'session_successful', type: 'bool', doc: 'True when the session completed' },
    { name: 'exit_reason', type: 'dict', doc: 'completed | error | timeout | user_abandoned' },
  ],
};

const capacity: TableSpec = {
  name: 'capacity',
  file: 'capacity.arrows',
  doc: 'Capacity samples per resource. Thresholds are fractions of max_capacity (0.75 = 75 %).',
  columns: [
    { name: 'ts', type: 'timestamp', doc: 'Sample time, UTC' },
    { name: 'resource_type', type: 'dict', doc: 'api_rate_limit | compute | memory | tokens_per_min' },
    { name: 'environment', type: 'dict', doc: 'Environment' },
    { name: 'current_usage', type: 'float64', doc: 'Usage in the resource unit' },
    { name: 'max_capacity', type: 'float64', doc: 'Capacity in the resource unit' },
    { name: 'warning_threshold', type: 'float64', doc: 'Fraction of max at which to warn' },
    { name: 'critical_threshold', type: 'float64', doc: 'Fraction of max that is critical' },
    { name: 'unit', type: 'dict', doc: 'Unit label (req/min, vCPU, GiB, tokens/min)' },
  ],
};

const intentRules: TableSpec = {
  name: 'intent_rules',
  file: 'intent_rules.arrows',
  doc: 'intent_classification_rules',
  columns: [
    { name: 'rule_id', type: 'string', doc: 'Primary key' },
    { name: 'rule_name', type: 'string', doc: 'Name' },
    { name: 'intent_category', type: 'dict', doc: 'Category assigned' },
    { name: 'rule_type', type: 'dict', doc: 'regex | keyword | ml_model' },
    { name: 'pattern', type: 'string', nullable: true, doc: 'Regex or comma-separated keywords' },
    { name: 'ml_model_id', type: 'string', nullable: true, doc: 'Model id for ml_model rules' },
    { name: 'confidence_threshold', type: 'float64', nullable: true, doc: 'Minimum confidence 0–1' },
    { name: 'applicable_agents', type: 'string_list', nullable: true, doc: 'Null = all agents' },
    { name: 'applicable_departments', type: 'string_list', nullable: true, doc: 'Null = all departments' },
    { name: 'priority', type: 'int32', doc: 'Execution order, lower first' },
    { name: 'is_active', type: 'bool', doc: 'Active' },
    { name: 'created_by', type: 'string', doc: 'User id' },
    { name: 'last_updated_at', type: 'timestamp', doc: 'UTC' },
  ],
};

/** How a maintenance window repeats: `none` (once) or `weekly` (every 7 days from `starts_at`, until `recurs_until`). */
export const MAINTENANCE_RECURRENCES = ['none', 'weekly'] as const;
export type MaintenanceRecurrence = (typeof MAINTENANCE_RECURRENCES)[number];

const maintenanceWindows: TableSpec = {
  name: 'maintenance_windows',
  file: 'maintenance_windows.arrows',
  doc: 'Agent registry: planned downtime (PRD A2.6). Chart 2.16 draws them over the hours they cover.',
  columns: [
    { name: 'window_id', type: 'string', doc: 'Primary key' },
    { name: 'agent_id', type: 'string', nullable: true, doc: 'Agent under maintenance; null = the whole platform' },
    { name: 'title', type: 'string', doc: 'What is done (user text: render as text)' },
    { name: 'starts_at', type: 'timestamp', doc: 'Start of the (first) window, UTC' },
    { name: 'ends_at', type: 'timestamp', doc: 'End of the (first) window, exclusive, UTC (after starts_at)' },
    { name: 'recurrence', type: 'dict', doc: 'none | weekly' },
    { name: 'recurs_until', type: 'timestamp', nullable: true, doc: 'Weekly windows: no occurrence starts at or after this; null = open-ended' },
    { name: 'created_by', type: 'string', doc: 'User id (or "system")' },
    { name: 'created_at', type: 'timestamp', doc: 'When it was scheduled, UTC' },
  ],
};

const forecastHistory: TableSpec = {
  name: 'forecast_history',
  file: 'forecast_history.arrows',
  doc:
    'Forecasts of daily requests kept for accuracy tracking (chart 2.12): per origin, the forecast made for the fleet, each department and the top agents ' +
    'under the default view (production, active agents), from data before the origin only. The exporter adds the current origin to the rows of the previous ' +
    'snapshot (logs) or hindcasts weekly origins (demo, first export).',
  columns: [
    { name: 'origin', type: 'dict', doc: 'First forecast day, YYYY-MM-DD (UTC); the model saw only days before it' },
    { name: 'scope_kind', type: 'dict', doc: 'fleet | department | agent' },
    { name: 'scope_key', type: 'string', doc: "Department or agent id ('' for the fleet)" },
    { name: 'date', type: 'string', doc: 'Forecast day, YYYY-MM-DD (UTC)' },
    { name: 'step', type: 'int32', doc: 'Days after the origin, 1 = the origin itself' },
    { name: 'predicted', type: 'float64', doc: 'Point forecast (requests)' },
    { name: 'lower80', type: 'float64', doc: '80 % prediction interval, lower bound' },
    { name: 'upper80', type: 'float64', doc: '80 % prediction interval, upper bound' },
    { name: 'lower95', type: 'float64', doc: '95 % prediction interval, lower bound' },
    { name: 'upper95', type: 'float64', doc: '95 % prediction interval, upper bound' },
    { name: 'model_type', type: 'dict', doc: 'Model used (ensemble, ets, theta, seasonal_naive, damped_trend_fallback)' },
    { name: 'backtest_mape', type: 'float64', nullable: true, doc: "The model's backtest MAPE (%) at the origin" },
    { name: 'baseline_mape', type: 'float64', nullable: true, doc: "The seasonal-naive baseline's backtest MAPE (%) at the origin" },
    { name: 'hindcast', type: 'bool', doc: 'True when made after the fact (demo or first export) from the data before the origin' },
  ],
};

export const TABLES: Record<TableName, TableSpec> = {
  requests,
  agents,
  users,
  sessions,
  capacity,
  intent_rules: intentRules,
  maintenance_windows: maintenanceWindows,
  forecast_history: forecastHistory,
};

/** `CREATE OR REPLACE TABLE` with the table's columns and no rows (an optional table a snapshot leaves out). */
export function emptyTableSql(name: TableName): string {
  const cols = TABLES[name].columns.map((c) => `${ident(c.name).text} ${DUCKDB_TYPES[c.type]}`).join(', ');
  return `CREATE OR REPLACE TABLE ${ident(name).text} (${cols})`;
}

/** Per-table entry of the manifest. */
export interface ManifestTable {
  file: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface InjectedAnomaly {
  /** UTC day, YYYY-MM-DD */
  date: string;
  kind: 'spike' | 'outage' | 'dip';
  /** Multiplier applied to that day's expected volume (2.5 = +150 %, 0.1 = outage). */
  factor: number;
  department_id?: string;
  agent_id?: string;
  note: string;
}

export interface Manifest {
  format: typeof FORMAT_NAME;
  format_version: number;
  /** Unique id of this snapshot version (also its folder name). */
  snapshot_id: string;
  generated_at: string;
  source: { kind: 'demo'; seed: number; requests: number; days: number } | { kind: 'logs'; inputs: string[]; mapping?: Record<string, string> };
  /** Data time range [start, end) of request timestamps, ISO UTC. end is the anchor for relative presets. */
  time_range: { start: string; end: string };
  /** Table files relative to the manifest's own URL. */
  tables: Record<TableName, ManifestTable>;
  /** Input rows = requests.rows + quarantine.rows, always. */
  input_rows: number;
  quarantine: { rows: number; file: string | null; reasons: Record<string, number> };
  /**
   * Every table of `tables` in one DuckDB database file (storage v1.4.0, ENUMs kept, requests and
   * sessions sorted by time), which the client fetches, checks and ATTACHes read-only instead of
   * loading the Arrow streams. Absent in snapshots written before it: those load from the streams.
   */
  database?: { file: string; bytes: number; sha256: string; storage_version: string };
  /** Results of the default view computed at export time in native DuckDB (first paint without WASM). */
  precomputed?: { file: string; bytes: number; sha256: string };
  /** Demo only: injected anomalies, the ground truth for anomaly-detection tests. */
  ground_truth?: { anomalies: InjectedAnomaly[] };
}
