/**
 * PRD DA2.4 on the demo data, end to end (generator → snapshot → DuckDB-WASM → usageForecast):
 * backtest MAPE < 15 % at 30 days and < 25 % at 90 days, beside the seasonal-naive baseline; and
 * the anomaly flags against the generator's injected anomalies (its recorded ground truth).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSnapshotDir, type UsageDataClient } from '@usage-analytics/data-client/node';
import { defaultFilters, usageForecast, type InjectedAnomaly } from '@usage-analytics/queries';
import { runDemo } from '../src/demo/index.js';
import { cleanupTmp, tmp } from './helpers.js';

let client: UsageDataClient;
let truth: InjectedAnomaly[];
const fleet = defaultFilters({ agentStatuses: [], environments: [] });

beforeAll(async () => {
  const dir = join(tmp('forecast'), 'snap');
  const r = await runDemo({ requests: 400_000, days: 180, seed: 42, end: Date.UTC(2026, 10, 1), outDir: dir });
  truth = r.manifest.ground_truth?.anomalies ?? [];
  client = await openSnapshotDir(dir);
  await client.ready;
}, 300_000);

afterAll(async () => {
  await client?.close();
  cleanupTmp();
});

describe('usage forecast on demo data (DA2.4)', () => {
  for (const [horizon, limit] of [
    [30, 15],
    [90, 25],
  ] as const) {
    it(`backtest MAPE at ${horizon} days is below ${limit} %, and reported with the baseline`, async () => {
      const f = await client.run(usageForecast, fleet, { horizon });
      const [s] = f.series;
      expect(s.forecast.model_type).toBe('ensemble');
      expect(s.forecast.points).toHaveLength(horizon);
      expect(s.forecast.points[0].date).toBe('2026-11-01');
      expect(s.forecast.backtest_origins).toBeGreaterThanOrEqual(3);
      expect(s.forecast.mape).not.toBeNull();
      expect(s.forecast.baseline_mape).not.toBeNull();
      console.log(
        `[DA2.4] h=${horizon}: ensemble MAPE ${s.forecast.mape!.toFixed(2)} % vs seasonal-naive ${s.forecast.baseline_mape!.toFixed(2)} % (${s.forecast.backtest_origins} origins)`,
      );
      expect(s.forecast.mape!).toBeLessThan(limit);
      for (const p of s.forecast.points) {
        expect(p.lower95).toBeLessThanOrEqual(p.lower80);
        expect(p.lower80).toBeLessThanOrEqual(p.predicted);
        expect(p.predicted).toBeLessThanOrEqual(p.upper80);
        expect(p.upper80).toBeLessThanOrEqual(p.upper95);
      }
    });
  }

  it('flags the injected anomalies: recall and precision', async () => {
    expect(truth.length).toBeGreaterThanOrEqual(4);
    const fleetTruth = truth.filter((a) => !a.department_id && !a.agent_id);
    const deptTruth = truth.filter((a) => a.department_id);
    const f = await client.run(usageForecast, fleet, { horizon: 7 });
    const flagged = f.series[0].history.filter((p) => p.isAnomaly).map((p) => p.date);
    const hits = fleetTruth.filter((a) => flagged.includes(a.date));
    // Department anomalies are looked for in their department's series.
    const byDept = await client.run(usageForecast, fleet, { horizon: 7, by: 'department' });
    const deptHits = deptTruth.filter((a) => byDept.series.find((s) => s.key === a.department_id)?.history.find((p) => p.date === a.date)?.isAnomaly);
    const truthDates = new Set(fleetTruth.map((a) => a.date));
    const falseFlags = flagged.filter((d) => !truthDates.has(d) && !deptTruth.some((a) => a.date === d));
    const recall = (hits.length + deptHits.length) / (fleetTruth.length + deptTruth.length);
    const precision = flagged.length === 0 ? 0 : (flagged.length - falseFlags.length) / flagged.length;
    console.log(
      `[anomalies] injected ${truth.length} (fleet ${fleetTruth.length}, department ${deptTruth.length}); found ${hits.length + deptHits.length}; ` +
        `fleet flags ${flagged.length} (${falseFlags.join(', ') || 'no false flags'}); recall ${recall.toFixed(2)}, precision ${precision.toFixed(2)}`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.8);
    expect(precision).toBeGreaterThanOrEqual(0.8);
  });
});
