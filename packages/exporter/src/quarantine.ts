/**
 * Validation of request rows in SQL. Every input row ends up either in `valid` (exported) or with a
 * reason in `checked.__reason` (quarantined); lines that are not rows (the scan's or the reader's
 * rejects) are quarantined as `malformed_row`. The first failing check names the reason, and
 * the quarantine file's `error` says what was wrong, naming the column and the value:
 *
 *   invalid_json, nul_character, missing_ts, invalid_ts, ts_out_of_range, missing_user_id,
 *   missing_agent_id, missing_status, unknown_status, unknown_environment,
 *   missing_|invalid_|negative_|out_of_range_ latency_ms, input_tokens, output_tokens, cost_usd,
 *   invalid_latitude, invalid_longitude, missing_request_id, duplicate_request_id, malformed_row
 *
 * Values are converted with TRY_CAST after range checks, so a value that does not fit its column
 * (NaN, ±inf, 1e308, 2147483648 in an INTEGER, 1e39 in a FLOAT) quarantines its row and can never
 * abort the export: no cast that can fail runs on any row.
 *
 * The quarantine file is NDJSON, one object per row:
 *   {"reason", "source_file", "source_row" (1-based data row in the file), "source_line" (physical
 *    line: NDJSON rows and malformed lines), "error" (what is wrong: column and value, or the
 *    reader's message), "row" (the original row; non-finite doubles as strings, so it is JSON)}
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLES, ident, literal } from '@usage-analytics/queries';
import { DEFAULTS, PROVIDER_BY_MODEL_PREFIX } from './column-map.js';
import { type LoadedLogs, type SourceFile, txt } from './logs-reader.js';
import { type ValueTransforms, mapValuesSql } from './value-transforms.js';

export const REASONS = [
  'invalid_json',
  'nul_character',
  'missing_ts',
  'invalid_ts',
  'ts_out_of_range',
  'missing_user_id',
  'missing_agent_id',
  'missing_status',
  'unknown_status',
  'unknown_environment',
  ...(['latency_ms', 'input_tokens', 'output_tokens', 'cost_usd'] as const).flatMap(
    (c) => [`missing_${c}`, `invalid_${c}`, `negative_${c}`, `out_of_range_${c}`] as const,
  ),
  'invalid_latitude',
  'invalid_longitude',
  'missing_request_id',
  'duplicate_request_id',
  'malformed_row',
] as const;

/** Largest accepted cost of one request (USD): larger values are unit errors, and 1e308 would overflow sums to null. */
export const MAX_COST_USD = 1_000_000;
const INT32_MAX = 2_147_483_647;

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL.*)$/;

function epoch(x: string): string {
  return `CASE WHEN ${x} IS NULL OR isnan(${x}) OR isinf(${x}) OR abs(${x}) >= 1e19 THEN NULL
    WHEN abs(${x}) < 1e11 THEN make_timestamp(CAST(${x} * 1e6 AS BIGINT))
    WHEN abs(${x}) < 1e14 THEN make_timestamp(CAST(${x} * 1e3 AS BIGINT))
    WHEN abs(${x}) < 1e17 THEN make_timestamp(CAST(${x} AS BIGINT))
    ELSE make_timestamp(CAST(${x} / 1e3 AS BIGINT)) END`;
}

/** Parsed timestamp from a column of any type (strings: ISO 8601 with or without offset, or epoch s/ms/µs/ns). */
export function parseTs(c: string, type: string, text = txt(c)): string {
  if (type === 'TIMESTAMP') return c;
  if (/^(TIMESTAMP|DATE)/.test(type)) return `TRY_CAST(${c} AS TIMESTAMP)`;
  if (NUMERIC.test(type)) return epoch(`CAST(${c} AS DOUBLE)`);
  return `COALESCE(CAST(TRY_CAST(${text} AS TIMESTAMPTZ) AS TIMESTAMP), ${epoch(`TRY_CAST(${text} AS DOUBLE)`)})`;
}

function parseNum(c: string, type: string, text: string): string {
  return NUMERIC.test(type) ? `CAST(${c} AS DOUBLE)` : `TRY_CAST(${text} AS DOUBLE)`;
}

/** The value as it was given, JSON-quoted and clipped, for a message. */
const shown = (x: string) => `CAST(to_json(CASE WHEN length(${x}) > 80 THEN left(${x}, 79) || '…' ELSE ${x} END) AS VARCHAR)`;

interface Check {
  when: string;
  reason: string;
  /** SQL of the message (VARCHAR). */
  detail: string;
}

/**
 * SQL of one file's rows. `rows`: parsed schema columns + __reason, for every row. `details`:
 * __row, __reason, __detail for the file's quarantined rows only (computed when the quarantine
 * file is written, so valid rows never pay for the messages).
 */
function partSql(file: SourceFile, fileIndex: number, mode: 'rows' | 'details', transforms?: ValueTransforms): string {
  const m = file.mapping.columns;
  const valueMaps = transforms?.valueMaps ?? {};
  // A value-mapped column is read as its (mapped) text, whatever its source type.
  const typeOfSource = (col: string) => file.columns.find((c) => c.name === col)?.type ?? 'VARCHAR';
  const mappedSources = new Set(Object.keys(valueMaps).map((t) => m[t]));
  const typeOf = (col: string) => (mappedSources.has(col) ? 'VARCHAR' : typeOfSource(col));
  const factor = (t: string) => transforms?.units[t]?.factor ?? 1;
  const inner: string[] = ['__fi', '__row'];
  const values: Record<string, string> = {};
  const checks: Check[] = [];
  const src = (t: string) => (m[t] !== undefined ? ident(m[t]).text : null);
  // Each mapped column's trimmed text is computed once (innermost query) as __t<k>.
  const sources = [...new Set(Object.values(m))];
  const tx = (t: string) => (valueMaps[t] ? mapValuesSql(`__t${sources.indexOf(m[t])}`, valueMaps[t]) : `__t${sources.indexOf(m[t])}`);
  /** `latency_ms` or `latency_ms (column "duration")`, as a SQL string literal. */
  const label = (t: string) => literal(m[t] === undefined || m[t] === t ? t : `${t} (column ${JSON.stringify(m[t])})`).text;
  const says = (t: string, what: string) => `${label(t)} || ${literal(`: ${what}`).text}`;
  const saysValue = (t: string, raw: string, what: string) => `${label(t)} || ': ' || ${shown(raw)} || ${literal(` ${what}`).text}`;

  if (file.format === 'ndjson') {
    checks.push({
      when: 'NOT __obj',
      reason: 'invalid_json',
      detail: `CASE WHEN json_valid(__line) THEN 'a JSON ' || lower(json_type(__line)) || ', not an object' ELSE 'not valid JSON' END`,
    });
  }
  // NUL in text: no SQL literal, filter or URL can carry it, so such a value could never be selected.
  const texts = Object.keys(m).filter((t) => !NUMERIC.test(typeOf(m[t])) && !/^(TIMESTAMP|DATE)/.test(typeOf(m[t])));
  if (texts.length > 0) {
    // NDJSON: a NUL can only come from a \u0000 escape, so most lines are cleared by one search.
    const maybe = file.format === 'ndjson' ? `WHEN NOT contains(__line, '\\u0000') THEN NULL ` : '';
    inner.push(
      `CASE ${maybe}${texts.map((t) => `WHEN contains(CAST(${src(t)} AS VARCHAR), chr(0)) THEN ${says(t, 'contains a NUL character (U+0000)')}`).join(' ')} END AS __nul`,
    );
    checks.push({ when: '__nul IS NOT NULL', reason: 'nul_character', detail: '__nul' });
  }
  // ts
  const ts = src('ts')!;
  inner.push(`${tx('ts')} AS __r_ts`, `${parseTs(ts, typeOf(m.ts), tx('ts'))} AS __p_ts`);
  checks.push(
    { when: '__r_ts IS NULL', reason: 'missing_ts', detail: says('ts', 'missing') },
    { when: '__p_ts IS NULL', reason: 'invalid_ts', detail: saysValue('ts', '__r_ts', 'is not an ISO 8601 time or epoch number') },
    {
      when: `__p_ts < TIMESTAMP '2000-01-01' OR __p_ts > CAST(now() AS TIMESTAMP) + INTERVAL 1 DAY`,
      reason: 'ts_out_of_range',
      detail: saysValue('ts', '__r_ts', 'is before 2000 or more than a day in the future'),
    },
  );
  values.ts = '__p_ts';
  // required strings
  for (const t of ['user_id', 'agent_id'] as const) {
    inner.push(`${tx(t)} AS __p_${t}`);
    checks.push({ when: `__p_${t} IS NULL`, reason: `missing_${t}`, detail: says(t, 'missing or blank') });
    values[t] = `__p_${t}`;
  }
  // status
  inner.push(`lower(${tx('status')}) AS __p_status`);
  checks.push(
    { when: '__p_status IS NULL', reason: 'missing_status', detail: says('status', 'missing or blank') },
    {
      when: `__p_status NOT IN ('success', 'error', 'timeout')`,
      reason: 'unknown_status',
      detail: saysValue('status', '__p_status', 'is not success, error or timeout'),
    },
  );
  values.status = '__p_status';
  // environment
  if (src('environment')) {
    const e = `lower(${tx('environment')})`;
    inner.push(`${e} AS __r_environment`);
    inner.push(
      `CASE ${e} WHEN 'production' THEN 'production' WHEN 'prod' THEN 'production' WHEN 'prd' THEN 'production' WHEN 'staging' THEN 'staging' WHEN 'stage' THEN 'staging' WHEN 'stg' THEN 'staging' WHEN 'development' THEN 'development' WHEN 'dev' THEN 'development' END AS __p_environment`,
    );
    checks.push({
      when: '__r_environment IS NOT NULL AND __p_environment IS NULL',
      reason: 'unknown_environment',
      detail: saysValue('environment', '__r_environment', 'is not production, staging or development'),
    });
    values.environment = `COALESCE(__p_environment, ${literal(DEFAULTS.environment).text})`;
  } else values.environment = literal(DEFAULTS.environment).text;
  // numbers: range-checked in DOUBLE, converted with TRY_CAST (which cannot fail)
  const numbers: [string, number, string][] = [
    ['latency_ms', INT32_MAX + 0.5, 'INTEGER'],
    ['input_tokens', INT32_MAX + 0.5, 'INTEGER'],
    ['output_tokens', INT32_MAX + 0.5, 'INTEGER'],
    ['cost_usd', MAX_COST_USD, 'DOUBLE'],
  ];
  for (const [t, max, type] of numbers) {
    const c = src(t)!;
    const f = factor(t);
    inner.push(`${tx(t)} AS __r_${t}`, `${parseNum(c, typeOf(m[t]), tx(t))}${f === 1 ? '' : ` * ${f}`} AS __p_${t}`);
    const isInt = type === 'INTEGER';
    checks.push(
      { when: `__r_${t} IS NULL`, reason: `missing_${t}`, detail: says(t, 'missing or blank') },
      { when: `__p_${t} IS NULL OR isnan(__p_${t})`, reason: `invalid_${t}`, detail: saysValue(t, `__r_${t}`, 'is not a number') },
      { when: `__p_${t} < 0`, reason: `negative_${t}`, detail: saysValue(t, `__r_${t}`, 'is negative') },
      {
        when: isInt ? `__p_${t} >= ${max}` : `__p_${t} > ${max}`,
        reason: `out_of_range_${t}`,
        detail: saysValue(t, `__r_${t}`, `is above ${isInt ? INT32_MAX : max}${isInt ? ' (32-bit integer)' : ' USD per request'}`),
      },
    );
    values[t] = isInt ? `TRY_CAST(round(__p_${t}) AS INTEGER)` : `__p_${t}`;
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
    inner.push(`${tx(t)} AS __r_${t}`, `${parseNum(c, typeOf(m[t]), tx(t))} AS __p_${t}`);
    checks.push({
      when: `__r_${t} IS NOT NULL AND (__p_${t} IS NULL OR isnan(__p_${t}) OR abs(__p_${t}) > ${limit})`,
      reason: `invalid_${t}`,
      detail: saysValue(t, `__r_${t}`, `is not a number in -${limit}…${limit}`),
    });
    values[t] = `TRY_CAST(__p_${t} AS FLOAT)`;
  }
  // request id: required when the column exists, generated (deterministic) when it does not
  if (src('request_id')) {
    inner.push(`${tx('request_id')} AS __p_request_id`);
    checks.push({ when: '__p_request_id IS NULL', reason: 'missing_request_id', detail: says('request_id', 'blank') });
    values.request_id = '__p_request_id';
  } else {
    values.request_id = `'gen-' || substr(md5(${literal(file.path).text} || ':' || CAST(__row AS VARCHAR)), 1, 24)`;
  }
  // optional strings with defaults
  for (const t of ['department_id', 'agent_version', 'model_family', 'api_client'] as const) {
    values[t] = src(t) ? `COALESCE(${tx(t)}, ${literal(DEFAULTS[t]).text})` : literal(DEFAULTS[t]).text;
  }
  values.intent_category = src('intent_category')
    ? `COALESCE(lower(replace(replace(${tx('intent_category')}, ' ', '_'), '-', '_')), ${literal(DEFAULTS.intent_category).text})`
    : literal(DEFAULTS.intent_category).text;
  const inferred = `CASE ${PROVIDER_BY_MODEL_PREFIX.map(([p, v]) => `WHEN starts_with(lower(${values.model_family}), ${literal(p).text}) THEN ${literal(v).text}`).join(' ')} ELSE ${literal(DEFAULTS.provider).text} END`;
  values.provider = src('provider') ? `COALESCE(${tx('provider')}, ${inferred})` : inferred;
  // nullable strings
  for (const t of ['session_id', 'region', 'city', 'calling_agent_id'] as const) values[t] = src(t) ? tx(t) : 'CAST(NULL AS VARCHAR)';
  values.country = src('country') ? `CASE WHEN length(${tx('country')}) = 2 THEN upper(${tx('country')}) ELSE ${tx('country')} END` : 'CAST(NULL AS VARCHAR)';

  // Columns referenced by value expressions must be visible in the outer query: pass them through.
  const passthrough = sources.map((_, k) => `__t${k}`);
  if (file.format === 'ndjson') passthrough.push('__obj', '__line');
  const base = [
    ...sources.map((c) => ident(c).text),
    ...sources.map((c, k) => `${txt(ident(c).text)} AS __t${k}`),
    ...(file.format === 'ndjson' ? ['__obj', '__line'] : []),
  ];
  const reason = `CASE ${checks.map((c) => `WHEN ${c.when} THEN ${literal(c.reason).text}`).join(' ')} END`;
  const columns = [...inner, ...[...new Set(passthrough)]].join(', ');
  if (mode === 'details') {
    const detail = `CASE ${checks.map((c) => `WHEN ${c.when} THEN ${c.detail}`).join(' ')} END`;
    const quarantined = `SELECT __fi, __row, ${base.join(', ')} FROM ${file.table} WHERE __row IN (SELECT __row FROM checked WHERE __fi = ${fileIndex} AND __reason IS NOT NULL)`;
    return `SELECT __row, ${reason} AS __reason, ${detail} AS __detail FROM (SELECT ${columns} FROM (${quarantined}))`;
  }
  const outer = TABLES.requests.columns.map((c) => `${values[c.name]} AS ${ident(c.name).text}`);
  return `SELECT __fi, __row, ${reason} AS __reason, ${outer.join(', ')}
    FROM (SELECT ${columns} FROM (SELECT __fi, __row, ${base.join(', ')} FROM ${file.table}))`;
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
export async function validateRequests(conn: DuckDBConnection, loaded: LoadedLogs, transforms?: ValueTransforms): Promise<ValidationResult> {
  const parts = loaded.files.map((f, i) => `(${partSql(f, i, 'rows', transforms)})`);
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

/** A source column as JSON: non-finite doubles become strings ("nan", "inf", "-inf") so every line is valid JSON. */
function jsonValue(c: { name: string; type: string }): string {
  const col = `f.${ident(c.name).text}`;
  if (c.type === 'DOUBLE' || c.type === 'FLOAT') return `CASE WHEN isfinite(${col}) THEN to_json(${col}) ELSE to_json(CAST(${col} AS VARCHAR)) END`;
  if (/DOUBLE|FLOAT/.test(c.type)) return `to_json(CAST(${col} AS VARCHAR))`;
  return col;
}

/** Writes the quarantined rows (original values + reason + what is wrong) as NDJSON. */
export async function writeQuarantine(conn: DuckDBConnection, loaded: LoadedLogs, path: string, transforms?: ValueTransforms): Promise<void> {
  const parts = loaded.files.map((f, i) => {
    const row =
      f.format === 'ndjson'
        ? `CASE WHEN json_valid(f.__line) THEN CAST(f.__line AS JSON) ELSE to_json(f.__line) END`
        : f.columns.length > 0
          ? `to_json(struct_pack(${f.columns.map((c) => `${ident(c.name).text} := ${jsonValue(c)}`).join(', ')}))`
          : `CAST('{}' AS JSON)`;
    const error = `CASE WHEN c.__reason = 'duplicate_request_id' THEN 'request_id: ' || CAST(to_json(c.request_id) AS VARCHAR) || ' was already used by an earlier row' ELSE d.__detail END`;
    return `SELECT c.__reason AS reason, ${literal(f.path).text} AS source_file, c.__row AS source_row, f.__ln AS source_line,
      ${error} AS error, ${row} AS "row", ${i} AS __fi
      FROM checked c JOIN ${f.table} f ON f.__row = c.__row JOIN (${partSql(f, i, 'details', transforms)}) d ON d.__row = c.__row
      WHERE c.__fi = ${i} AND c.__reason IS NOT NULL`;
  });
  parts.push(`SELECT 'malformed_row', file, NULL, line, error, CAST(row_json AS JSON), -1 FROM rejected`);
  await conn.run(
    `COPY (SELECT reason, source_file, source_row, source_line, error, "row" FROM (${parts.join(' UNION ALL ')}) ORDER BY source_file, __fi, source_row, source_line)
     TO ${literal(path).text} (FORMAT json)`,
  );
}
