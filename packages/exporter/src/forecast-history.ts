/**
 * The `forecast_history` table (chart 2.12, accuracy tracking): forecasts of daily requests kept
 * in the snapshot so that later snapshots can draw them against what happened.
 *
 * Rows per origin (the first forecast day; the model sees only the days before it), for the fleet,
 * each department and the top {@link HISTORY_TOP_AGENTS} agents (hindcasts: the fleet, the top
 * {@link HINDCAST_TOP_DEPARTMENTS} departments and top {@link HINDCAST_TOP_AGENTS} agents), under the default view's filters
 * (production, active agents), {@link HISTORY_HORIZON} days each. The forecast is the chart's own:
 * the `dailySeries` SQL of `usageForecast`, run once in native DuckDB, then `usageForecast.transform`
 * over the days before each origin, so the latest origin equals what the chart forecasts live.
 *
 * Origins:
 * - this export's origin (the day after the last full day of data);
 * - a later logs export whose --out folder already publishes a snapshot of logs carries that
 *   snapshot's rows over (validated: format, size, SHA-256, columns) and adds its own origin;
 * - a demo, or the first export of a log source (or an invalid previous table), hindcasts weekly
 *   origins over the last {@link HINDCAST_WEEKS} weeks (rows flagged `hindcast`), each with at
 *   least {@link MIN_TRAINING_DAYS} days of training data.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_FILTERS, TABLES, dailySeries, makeContext, str, usageForecast, type Manifest, type Row } from '@usage-analytics/queries';
import { TableBuilder, writeTable, type WrittenFile } from './arrow-writer.js';
import type { NativeConnector } from './native-connector.js';
import { readArrow } from './redact.js';
import { readManifest } from './manifest-file.js';

export const HISTORY_HORIZON = 90;
export const HISTORY_TOP_AGENTS = 8;
export const HINDCAST_WEEKS = 12;
/** Hindcasts (about 7 ms each) are capped: the fleet, the top departments and the top agents. */
export const HINDCAST_TOP_DEPARTMENTS = 8;
export const HINDCAST_TOP_AGENTS = 4;
export const MIN_TRAINING_DAYS = 28;
const DAY_MS = 86_400_000;

export type ScopeKind = 'fleet' | 'department' | 'agent';

/** One row of `forecast_history` (see the schema for the columns). */
export interface ForecastHistoryRow {
  origin: string;
  scope_kind: ScopeKind;
  scope_key: string;
  date: string;
  step: number;
  predicted: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
  model_type: string;
  backtest_mape: number | null;
  baseline_mape: number | null;
  hindcast: boolean;
}

export interface ForecastHistoryResult {
  file: WrittenFile;
  rows: number;
  /** Origins computed now, and those carried over from the previous snapshot. */
  computed: string[];
  carried: number;
  /** Why the previous snapshot's rows were not carried over, when there was one. */
  warning?: string;
  ms: number;
}

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/** The scopes' daily-series rows under the default view (whole data range). */
interface Scope {
  kind: ScopeKind;
  key: string;
  rows: Row[];
  /** Whether past origins are hindcast for this scope. */
  hindcast: boolean;
}

async function scopeRows(db: Pick<NativeConnector, 'query'>, timeRange: Manifest['time_range']): Promise<Scope[]> {
  const ctx = makeContext(DEFAULT_FILTERS, timeRange.end, timeRange.start);
  const run = async (by?: 'department' | 'agent') => db.query(dailySeries.sql(ctx, { span: 'all', by }).text);
  const group = (rows: Row[]) => {
    const out = new Map<string, Row[]>();
    for (const r of rows) {
      const k = str(r.key);
      let list = out.get(k);
      if (!list) out.set(k, (list = []));
      list.push(r);
    }
    return out;
  };
  // Ranked by requests over the last 28 full days (ties by key).
  const ranked = (series: Map<string, Row[]>) =>
    [...series]
      .map(([key, rows]) => ({
        key,
        rows,
        recent: rows
          .filter((r) => r.partial !== true)
          .slice(-28)
          .reduce((n, r) => n + Number(r.requests), 0),
      }))
      .sort((a, b) => b.recent - a.recent || (a.key < b.key ? -1 : 1));
  const scopes: Scope[] = [{ kind: 'fleet', key: '', rows: await run(), hindcast: true }];
  ranked(group(await run('department'))).forEach((d, i) =>
    scopes.push({ kind: 'department', key: d.key, rows: d.rows, hindcast: i < HINDCAST_TOP_DEPARTMENTS }),
  );
  ranked(group(await run('agent')))
    .filter((a) => a.recent > 0)
    .slice(0, HISTORY_TOP_AGENTS)
    .forEach((a, i) => scopes.push({ kind: 'agent', key: a.key, rows: a.rows, hindcast: i < HINDCAST_TOP_AGENTS }));
  return scopes;
}

/** The forecast of one scope's series made at `origin` (only rows before it), as table rows. */
function forecastAt(scope: Scope, origin: string, timeRange: Manifest['time_range'], hindcast: boolean): ForecastHistoryRow[] {
  const rows = scope.rows.filter((r) => str(r.date) < origin);
  const full = rows.filter((r) => r.partial !== true);
  if (full.length < (hindcast ? MIN_TRAINING_DAYS : 2)) return [];
  const ctx = makeContext(DEFAULT_FILTERS, timeRange.end, timeRange.start);
  const [series] = usageForecast.transform(rows, ctx, { horizon: HISTORY_HORIZON }).series;
  const f = series?.forecast;
  if (!f || f.points.length === 0 || f.points[0].date !== origin) return [];
  return f.points.map((p, i) => ({
    origin,
    scope_kind: scope.kind,
    scope_key: scope.key,
    date: p.date,
    step: i + 1,
    predicted: p.predicted,
    lower80: p.lower80,
    upper80: p.upper80,
    lower95: p.lower95,
    upper95: p.upper95,
    model_type: f.model_type,
    backtest_mape: f.mape,
    baseline_mape: f.baseline_mape,
    hindcast,
  }));
}

/**
 * The previous snapshot's rows (DIR/manifest.json when it publishes a logs snapshot with this
 * table), checked: size and SHA-256 as in its manifest, and the schema's columns. Returns a
 * reason instead when it cannot be used; `null` when there is no previous logs snapshot.
 */
export function previousRows(outDir: string): { rows: ForecastHistoryRow[] } | { reason: string } | null {
  let manifest: Manifest | null;
  try {
    manifest = readManifest(outDir);
  } catch (e) {
    return { reason: `the current manifest.json cannot be read (${(e as Error).message})` };
  }
  if (!manifest || manifest.source?.kind !== 'logs') return null;
  const entry = manifest.tables?.forecast_history;
  if (!entry) return null;
  const path = join(outDir, entry.file);
  if (!existsSync(path)) return { reason: `${entry.file} is missing` };
  const bytes = readFileSync(path);
  if (bytes.length !== entry.bytes || createHash('sha256').update(bytes).digest('hex') !== entry.sha256)
    return { reason: `${entry.file} does not match its manifest` };
  const table = readArrow(path);
  const names = TABLES.forecast_history.columns.map((c) => c.name);
  const missing = names.filter((n) => !table.getChild(n));
  if (missing.length) return { reason: `${entry.file} lacks columns ${missing.join(', ')}` };
  const out: ForecastHistoryRow[] = [];
  for (const r of table) {
    const o = r.toJSON() as Record<string, unknown>;
    const row = {} as Record<string, unknown>;
    for (const n of names) row[n] = o[n];
    const fin = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
    const kind = row.scope_kind;
    const day = /^\d{4}-\d{2}-\d{2}$/;
    if (
      !day.test(String(row.origin)) ||
      !day.test(String(row.date)) ||
      (kind !== 'fleet' && kind !== 'department' && kind !== 'agent') ||
      ![row.predicted, row.lower80, row.upper80, row.lower95, row.upper95].every(fin)
    )
      return { reason: `${entry.file} has a malformed row (${JSON.stringify(o)})` };
    out.push({ ...(row as unknown as ForecastHistoryRow), scope_key: str(row.scope_key), step: Number(row.step), hindcast: row.hindcast === true });
  }
  return { rows: out };
}

/** Computes the rows (see the module comment) and writes `forecast_history.arrows` into `dir`. */
export async function writeForecastHistory(
  db: Pick<NativeConnector, 'query'>,
  dir: string,
  opts: { timeRange: Manifest['time_range']; outDir: string; source: Manifest['source'] },
): Promise<ForecastHistoryResult> {
  const t0 = performance.now();
  const scopes = await scopeRows(db, opts.timeRange);
  const fleetFull = scopes[0].rows.filter((r) => r.partial !== true);
  const rows: ForecastHistoryRow[] = [];
  const computed: string[] = [];
  let carried = 0;
  let warning: string | undefined;
  if (fleetFull.length > 0) {
    const latest = addDays(str(fleetFull[fleetFull.length - 1].date), 1);
    const previous = opts.source.kind === 'logs' ? previousRows(opts.outDir) : null;
    if (previous && 'reason' in previous) warning = `forecast history not carried over: ${previous.reason}; past origins hindcast instead`;
    const carry = previous && 'rows' in previous ? previous.rows.filter((r) => r.origin < latest) : null;
    if (carry) {
      rows.push(...carry);
      carried = carry.length;
    }
    const origins = [latest];
    if (!carry) {
      const first = str(fleetFull[0].date);
      for (let k = 1; k <= HINDCAST_WEEKS; k++) {
        const o = addDays(latest, -7 * k);
        if ((Date.parse(o) - Date.parse(first)) / DAY_MS < MIN_TRAINING_DAYS) break;
        origins.push(o);
      }
    }
    for (const origin of origins.sort()) {
      const hindcast = origin !== latest;
      for (const s of scopes) if (!hindcast || s.hindcast) rows.push(...forecastAt(s, origin, opts.timeRange, hindcast));
      computed.push(origin);
    }
  }
  rows.sort((a, b) =>
    a.origin !== b.origin
      ? a.origin < b.origin
        ? -1
        : 1
      : a.scope_kind !== b.scope_kind
        ? a.scope_kind < b.scope_kind
          ? -1
          : 1
        : a.scope_key !== b.scope_key
          ? a.scope_key < b.scope_key
            ? -1
            : 1
          : a.step - b.step,
  );
  const b = new TableBuilder(TABLES.forecast_history);
  for (const r of rows) b.appendRow({ ...r });
  const file = writeTable(join(dir, TABLES.forecast_history.file), TABLES.forecast_history, b);
  return { file, rows: rows.length, computed, carried, warning, ms: performance.now() - t0 };
}
