/**
 * Column mapping for request logs: each schema column of `requests` is looked up in the source by
 * an explicit `--map target=source`, else by its own name, else by a common alias (all
 * case-insensitive). Required columns must be found; optional ones get defaults when absent.
 */
import { TABLES } from '@usage-analytics/queries';
import { CliError } from './errors.js';

export const REQUEST_ALIASES: Record<string, string[]> = {
  request_id: ['id', 'requestid', 'request_uuid', 'uuid', 'trace_id', 'event_id'],
  ts: ['timestamp', 'time', 'created_at', 'event_time', 'request_ts', 'request_time', 'start_time', 'datetime', '@timestamp'],
  user_id: ['user', 'userid', 'uid', 'principal_id'],
  agent_id: ['agent', 'agentid', 'bot_id', 'assistant_id'],
  department_id: ['department', 'dept', 'dept_id', 'departmentid'],
  environment: ['env', 'deployment_environment', 'stage'],
  agent_version: ['version', 'agentversion', 'agent_ver'],
  intent_category: ['intent', 'category', 'intent_type'],
  status: ['outcome', 'result', 'request_status', 'state'],
  model_family: ['model', 'model_name', 'llm_model'],
  provider: ['model_provider', 'vendor', 'llm_provider'],
  latency_ms: ['latency', 'duration_ms', 'elapsed_ms', 'response_time_ms'],
  input_tokens: ['prompt_tokens', 'tokens_in', 'tokens_input'],
  output_tokens: ['completion_tokens', 'tokens_out', 'tokens_output'],
  cost_usd: ['cost', 'price_usd', 'cost_dollars'],
  session_id: ['session', 'sessionid', 'conversation_id', 'thread_id'],
  api_client: ['client', 'api_client_name', 'user_agent', 'channel'],
  country: ['country_code', 'geo_country'],
  region: ['state', 'province', 'geo_region'],
  city: ['geo_city'],
  latitude: ['lat'],
  longitude: ['lon', 'lng', 'long'],
  calling_agent_id: ['caller_agent_id', 'parent_agent_id', 'calling_agent'],
};

/** Columns that must exist in every source file (after mapping). */
export const REQUIRED_SOURCE_COLUMNS = ['ts', 'user_id', 'agent_id', 'status', 'latency_ms', 'input_tokens', 'output_tokens', 'cost_usd'] as const;

/** Values used when an optional non-nullable column is absent from the source or null in a row. */
export const DEFAULTS: Record<string, string> = {
  department_id: 'unknown',
  environment: 'production',
  agent_version: 'unknown',
  intent_category: 'other',
  model_family: 'unknown',
  provider: 'unknown',
  api_client: 'unknown',
};

/** Provider inferred from the model family when there is no provider column. */
export const PROVIDER_BY_MODEL_PREFIX: [string, string][] = [
  ['gpt', 'openai'],
  ['o1', 'openai'],
  ['o3', 'openai'],
  ['claude', 'anthropic'],
  ['gemini', 'google'],
  ['llama', 'meta'],
  ['mistral', 'mistral'],
  ['mixtral', 'mistral'],
  ['command', 'cohere'],
];

/** Parses `--map target=source` arguments. */
export function parseMappings(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const known = new Set(TABLES.requests.columns.map((c) => c.name));
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0 || eq === arg.length - 1) throw new CliError(`--map expects target=source, got "${arg}"`, { field: 'map', value: arg });
    const target = arg.slice(0, eq).trim();
    const source = arg.slice(eq + 1).trim();
    if (!known.has(target))
      throw new CliError(`--map: unknown target column "${target}" (requests columns: ${[...known].join(', ')})`, { field: 'map', value: arg });
    out[target] = source;
  }
  return out;
}

export interface ResolvedMapping {
  /** target column → source column (only for columns found). */
  columns: Record<string, string>;
  /** Required targets that were not found. */
  missing: string[];
}

/** Resolves target columns against one source's column names. */
export function resolveColumns(
  sourceColumns: readonly string[],
  explicit: Record<string, string>,
  preferred: Record<string, readonly string[]> = {},
): ResolvedMapping {
  const byLower = new Map<string, string>();
  for (const c of sourceColumns) if (!byLower.has(c.toLowerCase())) byLower.set(c.toLowerCase(), c);
  const columns: Record<string, string> = {};
  const missing: string[] = [];
  for (const col of TABLES.requests.columns) {
    const target = col.name;
    let found: string | undefined;
    if (explicit[target] !== undefined) {
      found = byLower.get(explicit[target].toLowerCase());
      if (!found) {
        missing.push(target);
        continue;
      }
    } else {
      // A preset's sources come first (used only when present), then the name and its aliases.
      for (const cand of [...(preferred[target] ?? []), target, ...(REQUEST_ALIASES[target] ?? [])]) {
        found = byLower.get(cand.toLowerCase());
        if (found) break;
      }
    }
    if (found) columns[target] = found;
    else if ((REQUIRED_SOURCE_COLUMNS as readonly string[]).includes(target)) missing.push(target);
  }
  return { columns, missing };
}

export function lookedFor(target: string, explicit: Record<string, string>, preferred: Record<string, readonly string[]> = {}): string {
  return explicit[target] !== undefined
    ? `"${explicit[target]}" (from --map ${target}=${explicit[target]})`
    : [...(preferred[target] ?? []), target, ...(REQUEST_ALIASES[target] ?? [])].join(', ');
}

/**
 * The paths a dotted `--map` source may name inside a nested record, most nested first:
 * `attributes.gen_ai.agent.name` may be `attributes → gen_ai → agent → name` or
 * `attributes → "gen_ai.agent.name"` (OpenTelemetry attribute keys contain dots), and every
 * grouping between. Double quotes pin a key with dots: `attributes."gen_ai.agent.name"` names one
 * path. The first part is the top-level column; a source without a dot has no nested paths.
 */
export function nestedPaths(source: string): string[][] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  let sawQuote = false;
  for (const ch of source) {
    if (ch === '"') {
      quoted = !quoted;
      sawQuote = true;
    } else if (ch === '.' && !quoted) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (quoted) throw new CliError(`--map: unbalanced double quote in "${source}"`, { field: 'map', value: source });
  parts.push(cur);
  if (parts.length < 2) return [];
  if (parts.some((p) => p === '')) throw new CliError(`--map: empty field name in "${source}"`, { field: 'map', value: source });
  if (sawQuote || parts.length > 7) return [parts];
  // Every way to group parts[1..] into consecutive keys (2^(n-2) of them), the most nested first.
  const rest = parts.slice(1);
  const out: string[][] = [];
  for (let mask = (1 << (rest.length - 1)) - 1; mask >= 0; mask--) {
    const keys = [rest[0]];
    for (let j = 1; j < rest.length; j++) {
      if (mask & (1 << (j - 1))) keys.push(rest[j]);
      else keys[keys.length - 1] += `.${rest[j]}`;
    }
    out.push([parts[0], ...keys]);
  }
  return out;
}
