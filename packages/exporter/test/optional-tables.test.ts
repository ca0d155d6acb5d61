/**
 * A snapshot written before an optional table existed (OPTIONAL_TABLES: maintenance_windows,
 * forecast_history) still loads into native DuckDB, as into the data-client: the table is there,
 * empty, with the schema's columns, and the modules that read it answer "none".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_FILTERS, OPTIONAL_TABLES, TABLES, forecastHistory, maintenanceWindows, makeContext, toMicros } from '@usage-analytics/queries';
import { runDemo } from '../src/demo/index.js';
import { NativeConnector } from '../src/native-connector.js';
import { cleanupTmp, tmp } from './helpers.js';

afterAll(cleanupTmp);

describe('optional tables in native DuckDB', () => {
  it('creates a missing optional table empty; the modules reading it answer none', async () => {
    const dir = tmp('optional');
    await runDemo({ requests: 2_000, days: 20, seed: 3, end: Date.UTC(2026, 10, 1), outDir: dir });
    const path = join(dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(path, 'utf8'));
    for (const t of OPTIONAL_TABLES) expect(manifest.tables[t].rows, t).toBeGreaterThan(0); // the demo writes them
    for (const t of OPTIONAL_TABLES) delete manifest.tables[t];
    writeFileSync(path, JSON.stringify(manifest));
    const db = await NativeConnector.create();
    try {
      const m = await db.loadSnapshot(dir);
      for (const t of OPTIONAL_TABLES) {
        const cols = await db.query(`SELECT column_name FROM information_schema.columns WHERE table_name = '${t}' ORDER BY ordinal_position`);
        expect(cols.map((c) => c.column_name)).toEqual(TABLES[t].columns.map((c) => c.name));
        expect(await db.query(`SELECT count(*)::INTEGER AS n FROM ${t}`)).toEqual([{ n: 0 }]);
      }
      const ctx = makeContext(DEFAULT_FILTERS, toMicros(m.time_range.end), toMicros(m.time_range.start));
      const run = async <P, R>(mod: { sql: (c: typeof ctx, p: P) => { text: string }; transform: (rows: never[], c: typeof ctx, p: P) => R }, p: P) =>
        mod.transform((await db.query(mod.sql(ctx, p).text)) as never[], ctx, p);
      expect(await run(maintenanceWindows, undefined)).toEqual([]);
      expect(await run(forecastHistory, { scope: 'fleet' })).toEqual({ scope: 'fleet', key: '', forecasts: [] });
    } finally {
      await db.close();
    }
  });
});
