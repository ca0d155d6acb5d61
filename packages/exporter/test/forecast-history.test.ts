/**
 * forecast_history (chart 2.12 accuracy tracking), checked against independent computations:
 * - the daily counts behind the forecasts equal plain counts over the published rows (production,
 *   active agents), and the latest origin's rows equal the chart's live forecast (usageForecast on
 *   DuckDB-WASM) for the fleet and a department;
 * - every hindcast equals the forecast over a copy of the data cut at its origin (native DuckDB,
 *   requests at or after the origin deleted): no hindcast uses data at or after its origin;
 * - forecastHistory's actuals and realised MAPE / coverage equal plain arithmetic, on both engines;
 * - a later logs export carries the previous rows over and adds its origin; a tampered previous
 *   table is refused (hindcast instead, with a warning).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC, type Table } from 'apache-arrow';
import { openSnapshotDir, type UsageDataClient } from '@usage-analytics/data-client/node';
import {
  DEFAULT_FILTERS,
  ParamError,
  defaultFilters,
  forecastHistory,
  makeContext,
  usageForecast,
  type Manifest,
  type QueryModule,
  type UsageFilters,
} from '@usage-analytics/queries';
import { runDemo } from '../src/demo/index.js';
import { runLogsSnapshot } from '../src/logs-snapshot.js';
import { NativeConnector } from '../src/native-connector.js';
import { HINDCAST_WEEKS, HISTORY_HORIZON, HISTORY_TOP_AGENTS } from '../src/forecast-history.js';
import { DAY_MS, cleanupTmp, col, micros, readSnapshot, tmp } from './helpers.js';

interface HRow {
  origin: string;
  scope_kind: string;
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

const rowsOf = (t: Table): HRow[] => [...t].map((r) => r.toJSON() as unknown as HRow);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let dir: string;
let manifest: Manifest;
let history: HRow[];
let client: UsageDataClient;
/** Plain daily counts under the default view: fleet and per department, by date. */
const plain = { fleet: new Map<string, number>(), dept: new Map<string, Map<string, number>>() };

beforeAll(async () => {
  dir = join(tmp('fchist'), 'snap');
  await runDemo({ requests: 20_000, days: 120, seed: 7, end: Date.UTC(2026, 10, 1), outDir: dir });
  const snap = readSnapshot(dir);
  manifest = snap.manifest;
  history = rowsOf(snap.tables.forecast_history);
  const status = new Map<string, string>();
  const ids = col<string>(snap.tables.agents, 'agent_id');
  col<string>(snap.tables.agents, 'agent_status').forEach((s, i) => status.set(ids[i], s));
  const t = snap.tables.requests;
  const tsUs = micros(t, 'ts');
  const env = col<string>(t, 'environment');
  const agent = col<string>(t, 'agent_id');
  const dept = col<string>(t, 'department_id');
  for (let i = 0; i < t.numRows; i++) {
    if (env[i] !== 'production' || status.get(agent[i]) !== 'active') continue;
    const d = day(Math.floor(tsUs[i]! / 1000));
    plain.fleet.set(d, (plain.fleet.get(d) ?? 0) + 1);
    let m = plain.dept.get(dept[i]);
    if (!m) plain.dept.set(dept[i], (m = new Map()));
    m.set(d, (m.get(d) ?? 0) + 1);
  }
  client = await openSnapshotDir(dir);
  await client.ready;
}, 300_000);

afterAll(async () => {
  await client?.close();
  cleanupTmp();
});

const scopeRows = (kind: string, key: string, origin?: string) =>
  history.filter((r) => r.scope_kind === kind && r.scope_key === key && (origin === undefined || r.origin === origin)).sort((a, b) => a.step - b.step);

describe('forecast_history in a demo snapshot', () => {
  it('holds the latest origin for the fleet, every department and the top agents, and weekly hindcasts before it', () => {
    const origins = [...new Set(history.map((r) => r.origin))].sort();
    expect(origins.at(-1)).toBe('2026-11-01'); // the day after the last full day
    expect(origins).toHaveLength(HINDCAST_WEEKS + 1);
    for (let i = 1; i < origins.length; i++) expect(Date.parse(origins[i]) - Date.parse(origins[i - 1])).toBe(7 * DAY_MS);
    const latest = history.filter((r) => r.origin === '2026-11-01');
    expect(new Set(latest.filter((r) => r.scope_kind === 'department').map((r) => r.scope_key))).toEqual(new Set(plain.dept.keys()));
    expect(new Set(latest.filter((r) => r.scope_kind === 'agent').map((r) => r.scope_key)).size).toBe(HISTORY_TOP_AGENTS);
    expect(latest.every((r) => !r.hindcast)).toBe(true);
    expect(history.filter((r) => r.origin < '2026-11-01').every((r) => r.hindcast)).toBe(true);
    for (const o of origins) {
      const f = scopeRows('fleet', '', o);
      expect(f).toHaveLength(HISTORY_HORIZON);
      expect(f[0].date).toBe(o);
      expect(f.map((r) => r.step)).toEqual(Array.from({ length: HISTORY_HORIZON }, (_, i) => i + 1));
      for (const r of f) expect(r.lower95 <= r.lower80 && r.lower80 <= r.predicted && r.predicted <= r.upper80 && r.upper80 <= r.upper95).toBe(true);
    }
    expect(manifest.tables.forecast_history.rows).toBe(history.length);
  });

  it('the latest fleet and department forecasts equal the live forecast, whose inputs are the plain daily counts', async () => {
    const live = await client.run(usageForecast, DEFAULT_FILTERS as UsageFilters, { horizon: HISTORY_HORIZON });
    const [fleet] = live.series;
    for (const p of fleet.history) expect(p.value).toBe(plain.fleet.get(p.date) ?? 0);
    expect(fleet.history.reduce((n, p) => n + p.value, 0)).toBe([...plain.fleet.values()].reduce((a, b) => a + b, 0));
    const stored = scopeRows('fleet', '', '2026-11-01');
    expect(stored.map((r) => [r.date, r.predicted, r.lower80, r.upper80, r.lower95, r.upper95])).toEqual(
      fleet.forecast.points.map((p) => [p.date, p.predicted, p.lower80, p.upper80, p.lower95, p.upper95]),
    );
    expect(stored[0].model_type).toBe(fleet.forecast.model_type);
    expect(stored[0].backtest_mape).toBe(fleet.forecast.mape);
    expect(stored[0].baseline_mape).toBe(fleet.forecast.baseline_mape);

    const byDept = await client.run(usageForecast, DEFAULT_FILTERS as UsageFilters, { horizon: HISTORY_HORIZON, by: 'department' });
    const s = byDept.series.find((x) => x.key === 'engineering') ?? byDept.series[0];
    for (const p of s.history) expect(p.value).toBe(plain.dept.get(s.key)?.get(p.date) ?? 0);
    expect(scopeRows('department', s.key, '2026-11-01').map((r) => r.predicted)).toEqual(s.forecast.points.map((p) => p.predicted));
  }, 120_000);

  it('every fleet and department hindcast equals the forecast over the data cut at its origin (no data at or after the origin is used)', async () => {
    const hindcasts = [...new Set(history.filter((r) => r.hindcast).map((r) => `${r.origin}|${r.scope_kind}|${r.scope_key}`))];
    const origins = [...new Set(hindcasts.map((h) => h.split('|')[0]))].sort();
    const dept = history.find((r) => r.hindcast && r.scope_kind === 'department')!.scope_key;
    const db = await NativeConnector.create();
    try {
      await db.loadSnapshot(dir);
      // Newest first: each cut removes more.
      for (const origin of [...origins].reverse()) {
        await db.query(`DELETE FROM requests WHERE ts >= TIMESTAMP '${origin} 00:00:00'`);
        const ctx = makeContext(DEFAULT_FILTERS as UsageFilters, `${origin}T00:00:00Z`, manifest.time_range.start);
        const run = async (by?: 'department') =>
          usageForecast.transform(await db.query(usageForecast.sql(ctx, { horizon: HISTORY_HORIZON, by }).text), ctx, { horizon: HISTORY_HORIZON, by });
        const [fleet] = (await run()).series;
        expect(
          scopeRows('fleet', '', origin).map((r) => r.predicted),
          origin,
        ).toEqual(fleet.forecast.points.map((p) => p.predicted));
        expect(scopeRows('fleet', '', origin).map((r) => r.upper95)).toEqual(fleet.forecast.points.map((p) => p.upper95));
        const d = (await run('department')).series.find((x) => x.key === dept)!;
        expect(
          scopeRows('department', dept, origin).map((r) => r.predicted),
          `${origin} ${dept}`,
        ).toEqual(d.forecast.points.map((p) => p.predicted));
      }
    } finally {
      db.close();
    }
  }, 300_000);

  it('forecastHistory: actuals and realised MAPE / band coverage equal plain arithmetic, the same on native DuckDB and WASM', async () => {
    const h = await client.run(forecastHistory, DEFAULT_FILTERS as UsageFilters, { scope: 'fleet' });
    expect(h.forecasts.map((f) => f.origin)).toEqual([...new Set(history.map((r) => r.origin))].sort());
    for (const f of h.forecasts) {
      const stored = scopeRows('fleet', '', f.origin);
      expect(f.points.map((p) => p.predicted)).toEqual(stored.map((r) => r.predicted));
      let n = 0;
      let ape = 0;
      let apeN = 0;
      let in95 = 0;
      for (const p of f.points) {
        const expected = p.date < '2026-11-01' ? (plain.fleet.get(p.date) ?? 0) : null;
        expect(p.actual, `${f.origin} ${p.date}`).toBe(expected);
        if (expected === null) continue;
        n++;
        if (expected > 0) {
          ape += Math.abs(expected - p.predicted) / expected;
          apeN++;
        }
        if (expected >= p.lower95 && expected <= p.upper95) in95++;
      }
      expect(f.realised.days).toBe(n);
      if (n === 0) expect(f.realised.mape).toBeNull();
      else {
        expect(f.realised.mape).toBeCloseTo((100 * ape) / apeN, 9);
        expect(f.realised.coverage95).toBeCloseTo((100 * in95) / n, 9);
      }
    }
    // The oldest hindcast has 84 days of actuals; the latest origin none.
    expect(h.forecasts[0].realised.days).toBe(7 * HINDCAST_WEEKS);
    expect(h.forecasts.at(-1)!.realised.days).toBe(0);

    // Engines equal: native DuckDB gives the same rows for a department and an agent.
    const db = await NativeConnector.create();
    try {
      await db.loadSnapshot(dir);
      const agent = history.find((r) => r.scope_kind === 'agent')!.scope_key;
      for (const params of [
        { scope: 'department', key: 'engineering' },
        { scope: 'agent', key: agent },
      ] as const) {
        const filters = defaultFilters();
        const ctx = makeContext(filters, manifest.time_range.end, manifest.time_range.start);
        const q = forecastHistory as QueryModule<typeof params, unknown>;
        const native = q.transform(await db.query(q.sql(ctx, params).text), ctx, params);
        expect(await client.run(forecastHistory, filters, params)).toEqual(native);
      }
    } finally {
      db.close();
    }
  }, 120_000);

  it('refuses bad params with a ParamError; an unknown key has no past forecasts', async () => {
    const ctx = makeContext(DEFAULT_FILTERS as UsageFilters, manifest.time_range.end, manifest.time_range.start);
    expect(() => forecastHistory.sql(ctx, { scope: 'team' as never })).toThrow(ParamError);
    expect(() => forecastHistory.sql(ctx, { scope: 'agent' })).toThrow(ParamError);
    const none = await client.run(forecastHistory, DEFAULT_FILTERS as UsageFilters, { scope: 'department', key: "x' OR 1=1 --" });
    expect(none.forecasts).toEqual([]);
  });
});

describe('forecast_history across logs exports', () => {
  const start = Date.UTC(2026, 2, 2); // a Monday
  function writeLogs(path: string, days: number): void {
    const lines: string[] = [];
    let id = 0;
    for (let d = 0; d < days; d++) {
      const weekday = new Date(start + d * DAY_MS).getUTCDay();
      const n = (weekday === 0 || weekday === 6 ? 12 : 30) + (d % 5);
      for (let i = 0; i < n; i++) {
        lines.push(
          JSON.stringify({
            request_id: `r${id++}`,
            ts: new Date(start + d * DAY_MS + ((i * 997) % 86_000) * 1000).toISOString(),
            user_id: `u${i % 9}`,
            agent_id: i % 3 === 0 ? 'agent-b' : 'agent-a',
            department_id: i % 2 ? 'sales' : 'support',
            status: 'success',
            latency_ms: 100,
            input_tokens: 10,
            output_tokens: 5,
            cost_usd: 0.01,
          }),
        );
      }
    }
    writeFileSync(path, lines.join('\n') + '\n');
  }

  it('the first export hindcasts; the next carries the rows over and adds its origin; a tampered table is refused', async () => {
    const base = tmp('fclogs');
    const out = join(base, 'out');
    writeLogs(join(base, 'a.ndjson'), 70);
    const first = await runLogsSnapshot({ sources: [join(base, 'a.ndjson')], outDir: out });
    const r1 = rowsOf(readSnapshot(out).tables.forecast_history);
    const o1 = [...new Set(r1.map((r) => r.origin))].sort();
    // Logs end at their last request: that day is partial, so the origin is the last log day.
    expect(o1.at(-1)).toBe(day(start + 69 * DAY_MS));
    expect(o1.length).toBeGreaterThan(1);
    expect(r1.filter((r) => r.origin < o1.at(-1)!).every((r) => r.hindcast)).toBe(true);
    expect(first.manifest.tables.forecast_history.rows).toBe(r1.length);

    writeLogs(join(base, 'a.ndjson'), 77); // a week more
    await runLogsSnapshot({ sources: [join(base, 'a.ndjson')], outDir: out });
    const r2 = rowsOf(readSnapshot(out).tables.forecast_history);
    const o2 = [...new Set(r2.map((r) => r.origin))].sort();
    expect(o2).toEqual([...o1, day(start + 76 * DAY_MS)]);
    // Every earlier row kept as it was (the old "latest" origin stays a real forecast, not a hindcast).
    const key = (r: HRow) => `${r.origin}|${r.scope_kind}|${r.scope_key}|${r.step}`;
    const m2 = new Map(r2.map((r) => [key(r), r]));
    for (const r of r1) expect(m2.get(key(r))).toEqual(r);
    expect(r2.filter((r) => r.origin === o1.at(-1)).every((r) => !r.hindcast)).toBe(true);

    // Tamper with the published table: the next export refuses it and hindcasts instead.
    const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    const path = join(out, m.tables.forecast_history.file);
    const bytes = readFileSync(path);
    bytes[bytes.length - 20] ^= 0xff;
    writeFileSync(path, bytes);
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      await runLogsSnapshot({ sources: [join(base, 'a.ndjson')], outDir: out });
      await new Promise((r) => setTimeout(r, 10));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.some((w) => /forecast history not carried over/.test(w))).toBe(true);
    const r3 = rowsOf(
      tableFromIPC(readFileSync(join(out, (JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest).tables.forecast_history.file))),
    );
    expect(r3.filter((r) => r.origin < o2.at(-1)!).every((r) => r.hindcast)).toBe(true);
  }, 300_000);
});
