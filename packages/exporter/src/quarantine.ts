/**
 * Validation of request rows in SQL. Every input row ends up either in `valid` (exported) or with a
 * reason in `checked.__reason` (quarantined); CSV lines the reader rejected are quarantined as
 * `malformed_row`. The first failing check names the reason:
 *
 *   invalid_json, missing_ts, invalid_ts, ts_out_of_range, missing_user_id, missing_agent_id,
 *   missing_status, unknown_status, unknown_environment, missing_|invalid_|negative_ latency_ms,
 *   input_tokens, output_tokens, cost_usd, invalid_latitude, invalid_longitude,
 *   missing_request_id, duplicate_request_id, malformed_row
 *
 * The quarantine file is NDJSON, one object per row:
 *   {"reason", "source_file", "source_row" (1-based data row in the file), "source_line" (CSV
 *    reader rejects only), "error" (reader message, rejects only), "row" (the original row)}
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLES } from '@usage-analytics/queries';
import { DEFAULTS, PROVIDER_BY_MODEL_PREFIX } from './column-map.js';
import type { LoadedLogs, SourceFile } from './logs-reader.js';
import { ident, literal } from '@usage-analytics/queries';

export const REASONS = [
  'invalid_json',
  'missing_ts',
  'invalid_ts',
  'ts_out_of_range',
  'missing_user_id',
  'missing_agent_id',
  'missing_status',
  'unknown_status',
  'unknown_environment',
  'missing_latency_ms',
  'invalid_latency_ms',
  'negative_latency_ms',
  'missing_input_tokens',
  'invalid_input_tokens',
  'negative_input_tokens',
  'missing_output_tokens',
  'invalid_output_tokens',
  'negative_output_tokens',
  'missing_cost_usd',
  'invalid_cost_usd',
  'negative_cost_usd',
  'invalid_latitude',
  'invalid_longitude',
  'missing_request_id',
  'duplicate_request_id',
  'malformed_row',
] as const;

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

const txt = (c: string) => `NULLIF(trim(CAST(${c} AS VARCHAR)), '')`;

function epoch(x: string): string {
  return `CASE WHEN ${x} IS NULL OR isnan(${x}) OR isinf(${x}) OR abs(${x}) >= 1e19 THEN NULL
    WHEN abs(${x}) < 1e11 THEN make_timestamp(CAST(${x} * 1e6 AS BIGINT))
    WHEN abs(${x}) < 1e14 THEN make_timestamp(CAST(${x} * 1e3 AS BIGINT))
    WHEN abs(${x}) < 1e17 THEN make_timestamp(CAST(${x} AS BIGINT))
    ELSE make_timestamp(CAST(${x} / 1e3 AS BIGINT)) END`;
}

/** Parsed timestamp from a column of any type (strings: ISO 8601 with or without offset, or epoch s/ms/µs/ns). */
export function parseTs(c: string, type: string): string {
  if (type === 'TIMESTAMP') return c;
  if (/^(TIMESTAMP|DATE)/.test(type)) return `CAST(${c} AS TIMESTAMP)`;
  if (NUMERIC.test(type)) return epoch(`CAST(${c} AS DOUBLE)`);
  return `COALESCE(CAST(TRY_CAST(${txt(c)} AS TIMESTAMPTZ) AS TIMESTAMP), ${epoch(`TRY_CAST(${txt(c)} AS DOUBLE)`)})`;
}

function parseNum(c: string, type: string): string {
  return NUMERIC.test(type) ? `CAST(${c} AS DOUBLE)` : `TRY_CAST(${txt(c)} AS DOUBLE)`;
}

interface Check {
  when: string;
  reason: string;
}

/** SQL of one file's rows: parsed schema columns + __reason. */
function partSql(file: SourceFile, fileIndex: number): string {
  const m = file.mapping.columns;
  const typeOf = (col: string) => file.columns.find((c) => c.name === col)?.type ?? 'VARCHAR';
  const inner: string[] = ['__fi', '__row'];
  const values: Record<string, string> = {};
  const checks: Check[] = [];
  const src = (t: string) => (m[t] !== undefined ? ident(m[t]).text : null);

  if (file.format === 'ndjson') {
    inner.push(`CASE WHEN json_valid(__line) THEN json_type(CAST(__line AS JSON)) <> 'OBJECT' ELSE true END AS __bad_json`);
    checks.push({ when: '__bad_json', reason: 'invalid_json' });
  }
  // ts
  const ts = src('ts')!;
  inner.push(`${ts} IS NULL OR ${txt(ts)} IS NULL AS __m_ts`, `${parseTs(ts, typeOf(m.ts))} AS __p_ts`);
  checks.push({ when: '__m_ts', reason: 'missing_ts' }, { when: '__p_ts IS NULL', reason: 'invalid_ts' });
  checks.push({ when: `__p_ts < TIMESTAMP '2000-01-01' OR __p_ts > CAST(now() AS TIMESTAMP) + INTERVAL 1 DAY`, reason: 'ts_out_of_range' });
  values.ts = '__p_ts';
  // required strings
  for (const t of ['user_id', 'agent_id'] as const) {
    inner.push(`${txt(src(t)!)} AS __p_${t}`);
    checks.push({ when: `__p_${t} IS NULL`, reason: `missing_${t}` });
    values[t] = `__p_${t}`;
  }
  // status
  inner.push(`lower(${txt(src('status')!)}) AS __p_status`);
  checks.push({ when: '__p_status IS NULL', reason: 'missing_status' }, { when: `__p_status NOT IN ('success', 'error', 'timeout')`, reason: 'unknown_status' });
  values.status = '__p_status';
  // environment
  if (src('environment')) {
    const e = `lower(${txt(src('environment')!)})`;
    inner.push(`${e} AS __r_environment`);
    inner.push(
      `CASE ${e} WHEN 'production' THEN 'production' WHEN 'prod' THEN 'production' WHEN 'prd' THEN 'production' WHEN 'staging' THEN 'staging' WHEN 'stage' THEN 'staging' WHEN 'stg' THEN 'staging' WHEN 'development' THEN 'development' WHEN 'dev' THEN 'development' END AS __p_environment`,
    );
    checks.push({ when: '__r_environment IS NOT NULL AND __p_environment IS NULL', reason: 'unknown_environment' });
    values.environment = `COALESCE(__p_environment, ${literal(DEFAULTS.environment)})`;
  } else values.environment = literal(DEFAULTS.environment).text;
  // numbers
  const numbers: [string, boolean][] = [
    ['latency_ms', true],
    ['input_tokens', true],
    ['output_tokens', true],
    ['cost_usd', false],
  ];
  for (const [t, isInt] of numbers) {
    const c = src(t)!;
    inner.push(`${c} IS NULL OR ${txt(c)} IS NULL AS __m_${t}`, `${parseNum(c, typeOf(m[t]))} AS __p_${t}`);
    checks.push(
      { when: `__m_${t}`, reason: `missing_${t}` },
      { when: `__p_${t} IS NULL OR isnan(__p_${t}) OR isinf(__p_${t})${isInt ? ` OR __p_${t} > 2147483647` : ''}`, reason: `invalid_${t}` },
      { when: `__p_${t} < 0`, reason: `negative_${t}` },
    );
    values[t] = isInt ? `CAST(round(__p_${t}) AS INTEGER)` : `__p_${t}`;
  }
  // coordinates (nullable, but present values must be valid)
  for (const [t, limit] of [
    ['latitude', 90],
    ['longitude', 180],
  ] as const) {
    const c = src(t);
    if (!c) {
      values[t] = 'CAST(NULL AS FLOAT)';
      continue;
    }
    inner.push(`${txt(c)} AS __r_${t}`, `${parseNum(c, typeOf(m[t]))} AS __p_${t}`);
    checks.push({ when: `__r_${t} IS NOT NULL AND (__p_${t} IS NULL OR isnan(__p_${t}) OR abs(__p_${t}) > ${limit})`, reason: `invalid_${t}` });
    values[t] = `CAST(__p_${t} AS FLOAT)`;
  }
  // request id: required when the column exists, generated (deterministic) when it does not
  if (src('request_id')) {
    inner.push(`${txt(src('request_id')!)} AS __p_request_id`);
    checks.push({ when: '__p_request_id IS NULL', reason: 'missing_request_id' });
    values.request_id = '__p_request_id';
  } else {
    values.request_id = `'gen-' || substr(md5(${literal(file.path)} || ':' || CAST(__row AS VARCHAR)), 1, 24)`;
  }
  // optional strings with defaults
  for (const t of ['department_id', 'agent_version', 'model_family', 'api_client'] as const) {
    values[t] = src(t) ? `COALESCE(${txt(src(t)!)}, ${literal(DEFAULTS[t])})` : literal(DEFAULTS[t]).text;
  }
  values.intent_category = src('intent_category')
    ? `COALESCE(lower(replace(replace(${txt(src('intent_category')!)}, ' ', '_'), '-', '_')), ${literal(DEFAULTS.intent_category)})`
    : literal(DEFAULTS.intent_category).text;
  const inferred = `CASE ${PROVIDER_BY_MODEL_PREFIX.map(([p, v]) => `WHEN starts_with(lower(${values.model_family}), ${literal(p)}) THEN ${literal(v)}`).join(' ')} ELSE ${literal(DEFAULTS.provider)} END`;
  values.provider = src('provider') ? `COALESCE(${txt(src('provider')!)}, ${inferred})` : inferred;
  // nullable strings
  for (const t of ['session_id', 'region', 'city', 'calling_agent_id'] as const) values[t] = src(t) ? txt(src(t)!) : 'CAST(NULL AS VARCHAR)';
  values.country = src('country') ? `CASE WHEN length(${txt(src('country')!)}) = 2 THEN upper(${txt(src('country')!)}) ELSE ${txt(src('country')!)} END` : 'CAST(NULL AS VARCHAR)';

  // Raw columns referenced by value expressions must be visible in the outer query: pass them through.
  const passthrough = [...new Set(Object.values(m))].map((c) => ident(c));
  const reason = `CASE ${checks.map((c) => `WHEN ${c.when} THEN ${literal(c.reason)}`).join(' ')} END`;
  const outer = TABLES.requests.columns.map((c) => `${values[c.name]} AS ${ident(c.name)}`);
  void fileIndex;
  return `SELECT __fi, __row, ${reason} AS __reason, ${outer.join(', ')}
    FROM (SELECT ${[...inner, ...passthrough].join(', ')} FROM ${file.table})`;
}

export interface ValidationResult {
  input: number;
  exported: number;
  quarantined: number;
  reasons: Record<string, number>;
}

/**
 * Builds `checked` (all rows, parsed, with __reason) and `valid` (rows without a reason, the
 * requests table's columns + __ord), and counts reasons.
 */
export async function validateRequests(conn: DuckDBConnection, loaded: LoadedLogs): Promise<ValidationResult> {
  const parts = loaded.files.map((f, i) => `(${partSql(f, i)})`);
  const union = parts.length > 0 ? parts.join(' UNION ALL ') : `SELECT NULL LIMIT 0`;
  // __ord: input order (file, then row) without a sort.
  await conn.run(`CREATE OR REPLACE TEMP TABLE checked AS SELECT *, (CAST(__fi AS BIGINT) << 32) + __row AS __ord FROM (${union})`);
  // The first occurrence of a request id wins; later ones are duplicates (window only if needed).
  const dups = Number((await conn.runAndReadAll(`SELECT count(*) - count(DISTINCT request_id) FROM checked WHERE __reason IS NULL`)).getRows()[0][0]);
  if (dups > 0) {
    await conn.run(
      `UPDATE checked SET __reason = 'duplicate_request_id' WHERE __ord IN (
         SELECT __ord FROM (SELECT __ord, row_number() OVER (PARTITION BY request_id ORDER BY __ord) AS rn FROM checked WHERE __reason IS NULL) WHERE rn > 1)`,
    );
  }
  const cols = TABLES.requests.columns.map((c) => ident(c.name)).join(', ');
  await conn.run(`CREATE OR REPLACE TEMP TABLE valid AS SELECT ${cols}, __ord FROM checked WHERE __reason IS NULL`);
  const reasons: Record<string, number> = {};
  for (const [r, n] of (await conn.runAndReadAll(`SELECT __reason, count(*) FROM checked WHERE __reason IS NOT NULL GROUP BY 1 ORDER BY 1`)).getRows()) {
    reasons[String(r)] = Number(n);
  }
  if (loaded.rejected > 0) reasons.malformed_row = loaded.rejected;
  const counts = (await conn.runAndReadAll(`SELECT count(*), count(*) FILTER (WHERE __reason IS NULL) FROM checked`)).getRows()[0];
  const checkedRows = Number(counts[0]);
  const exported = Number(counts[1]);
  const input = loaded.rows + loaded.rejected;
  const quarantined = checkedRows - exported + loaded.rejected;
  if (checkedRows !== loaded.rows) throw new Error(`validation lost rows: read ${loaded.rows}, checked ${checkedRows}`);
  if (input !== exported + quarantined) throw new Error(`row accounting failed: input ${input} != exported ${exported} + quarantined ${quarantined}`);
  return { input, exported, quarantined, reasons };
}

/** Writes the quarantined rows (original values + reason) as NDJSON. */
export async function writeQuarantine(conn: DuckDBConnection, loaded: LoadedLogs, path: string): Promise<void> {
  const parts = loaded.files.map((f, i) => {
    const row =
      f.format === 'ndjson'
        ? `CASE WHEN json_valid(f.__line) THEN CAST(f.__line AS JSON) ELSE to_json(f.__line) END`
        : f.columns.length > 0
          ? `to_json(struct_pack(${f.columns.map((c) => `${ident(c.name)} := f.${ident(c.name)}`).join(', ')}))`
          : `CAST('{}' AS JSON)`;
    return `SELECT c.__reason AS reason, ${literal(f.path)} AS source_file, c.__row AS source_row, CAST(NULL AS BIGINT) AS source_line,
      CAST(NULL AS VARCHAR) AS error, ${row} AS "row", ${i} AS __fi
      FROM checked c JOIN ${f.table} f ON f.__row = c.__row WHERE c.__fi = ${i} AND c.__reason IS NOT NULL`;
  });
  parts.push(`SELECT 'malformed_row', file, NULL, CAST(line AS BIGINT), error, to_json(csv_line), -1 FROM rejected`);
  await conn.run(
    `COPY (SELECT reason, source_file, source_row, source_line, error, "row" FROM (${parts.join(' UNION ALL ')}) ORDER BY source_file, __fi, source_row, source_line)
     TO ${literal(path)} (FORMAT json)`,
  );
}
