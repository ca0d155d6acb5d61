/**
 * Value maps and units for request logs, applied in DuckDB SQL before validation:
 *   --map-values status=200:success,5xx:error,408:timeout,429:error
 *       each source value (trimmed text) is compared with the patterns in order: an exact value,
 *       or digits with `x` for any digit (`5xx`, `4xx`), or `*` for anything else. Values no
 *       pattern matches pass through unchanged (and are validated as before).
 *       The schema's statuses are success | error | timeout: a throttled request (429) is an error.
 *   --unit latency=s      the source column's unit; converted to the schema's (latency_ms: ms,
 *                         cost_usd: USD).
 */
import { TABLES, literal } from '@usage-analytics/queries';
import { CliError } from './errors.js';

export interface ValueRule {
  pattern: string;
  value: string;
}

/** target column → its value rules, and target column → multiplier to the schema's unit. */
export interface ValueTransforms {
  valueMaps: Record<string, ValueRule[]>;
  units: Record<string, { unit: string; factor: number }>;
}

const COLUMNS = new Set(TABLES.requests.columns.map((c) => c.name));

/** Units per numeric target column: name → factor to the schema's unit. */
export const UNITS: Record<string, Record<string, number>> = {
  latency_ms: { s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 },
  cost_usd: { usd: 1, cents: 0.01, micro_usd: 0.000001 },
};

/** Short names accepted for targets: latency → latency_ms, cost → cost_usd. */
const SHORT: Record<string, string> = { latency: 'latency_ms', cost: 'cost_usd' };

function target(name: string, flag: string, arg: string): string {
  const t = SHORT[name] ?? name;
  if (!COLUMNS.has(t))
    throw new CliError(`${flag}: unknown target column "${name}" (requests columns: ${[...COLUMNS].join(', ')})`, { field: flag.slice(2), value: arg });
  return t;
}

/** Parses `--map-values target=pattern:value,…` arguments (one per column). */
export function parseValueMaps(args: readonly string[]): Record<string, ValueRule[]> {
  const out: Record<string, ValueRule[]> = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0 || eq === arg.length - 1)
      throw new CliError(`--map-values expects target=pattern:value,… (e.g. status=200:success,5xx:error), got "${arg}"`, { field: 'map-values', value: arg });
    const t = target(arg.slice(0, eq).trim(), '--map-values', arg);
    if (out[t]) throw new CliError(`--map-values: "${t}" is given twice; put all its pairs in one flag`, { field: 'map-values', value: arg });
    const rules: ValueRule[] = [];
    for (const pair of arg.slice(eq + 1).split(',')) {
      const colon = pair.lastIndexOf(':');
      const pattern = pair.slice(0, colon).trim();
      const value = pair.slice(colon + 1).trim();
      if (colon <= 0 || pattern === '' || value === '')
        throw new CliError(`--map-values ${t}: expects pattern:value pairs separated by commas, got "${pair}"`, { field: 'map-values', value: arg });
      rules.push({ pattern, value });
    }
    out[t] = rules;
  }
  return out;
}

/** Parses `--unit target=unit` arguments. */
export function parseUnits(args: readonly string[]): ValueTransforms['units'] {
  const out: ValueTransforms['units'] = {};
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq <= 0 || eq === arg.length - 1) throw new CliError(`--unit expects target=unit (e.g. latency=s), got "${arg}"`, { field: 'unit', value: arg });
    const name = arg.slice(0, eq).trim();
    const t = SHORT[name] ?? name;
    const units = UNITS[t];
    if (!units) throw new CliError(`--unit: no units for "${name}" (columns with units: ${Object.keys(UNITS).join(', ')})`, { field: 'unit', value: arg });
    const unit = arg.slice(eq + 1).trim();
    if (units[unit] === undefined) throw new CliError(`--unit ${t}: unknown unit "${unit}" (${Object.keys(units).join(', ')})`, { field: 'unit', value: arg });
    out[t] = { unit, factor: units[unit] };
  }
  return out;
}

/** SQL condition: the text `x` matches `pattern`. */
function matches(x: string, pattern: string): string {
  if (pattern === '*') return 'TRUE';
  if (/^[0-9x]+$/i.test(pattern) && /x/i.test(pattern) && /\d|^x+$/i.test(pattern)) {
    return `regexp_full_match(${x}, ${literal(pattern.replace(/x/gi, '[0-9]')).text})`;
  }
  return `${x} = ${literal(pattern).text}`;
}

/** SQL of the mapped text: CASE over the rules, unmatched values unchanged (NULL stays NULL). */
export function mapValuesSql(x: string, rules: readonly ValueRule[]): string {
  if (rules.length === 0) return x;
  return `CASE WHEN ${x} IS NULL THEN NULL ${rules.map((r) => `WHEN ${matches(x, r.pattern)} THEN ${literal(r.value).text}`).join(' ')} ELSE ${x} END`;
}

/** The same mapping in plain code (for tests and the dry run). */
export function mapValue(x: string | null, rules: readonly ValueRule[]): string | null {
  if (x === null) return null;
  for (const r of rules) {
    if (r.pattern === '*' || r.pattern === x) return r.value;
    if (/^[0-9x]+$/i.test(r.pattern) && /x/i.test(r.pattern) && new RegExp(`^${r.pattern.replace(/x/gi, '[0-9]')}$`).test(x)) return r.value;
  }
  return x;
}
