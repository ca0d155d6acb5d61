import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES, type Manifest } from '@usage-analytics/queries';
import { runDemo } from '../src/demo/index.js';
import { runLogsSnapshot } from '../src/logs-snapshot.js';
import { NativeConnector } from '../src/native-connector.js';
import { tmp, cleanupTmp } from './helpers.js';

afterAll(cleanupTmp);

// Smoke test of the contract with the browser side: the .arrows files load into DuckDB-WASM (as
// IPC streams) and give the same answers as native DuckDB.
const require = createRequire(import.meta.url);

async function wasm() {
  const duckdb = require('@duckdb/duckdb-wasm/blocking');
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
  const bundles = { mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' }, eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' } };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate(() => {});
  return db.connect();
}

const SQL = `SELECT (SELECT count(*) FROM requests)::INTEGER AS n, (SELECT count(DISTINCT user_id) FROM requests)::INTEGER AS users,
  (SELECT count(*) FROM requests WHERE country IS NULL)::INTEGER AS no_country, (SELECT round(sum(cost_usd), 6) FROM requests) AS cost,
  (SELECT sum(len(agent_sequence)) FROM sessions)::INTEGER AS steps, (SELECT count(*) FROM agents WHERE allowed_departments IS NULL)::INTEGER AS open_agents,
  (SELECT count(*) FROM capacity)::INTEGER AS capacity, (SELECT count(*) FROM users WHERE email IS NULL)::INTEGER AS no_email,
  (SELECT epoch_ms(max(ts)) FROM requests)::DOUBLE AS last_ts`;

describe('DuckDB-WASM compatibility', () => {
  it('demo and logs snapshots load into DuckDB-WASM and agree with native DuckDB', async () => {
    const dir = tmp('wasm');
    await runDemo({ requests: 8000, days: 20, seed: 4, end: Date.UTC(2026, 10, 1), outDir: join(dir, 'demo'), batchRows: 3000 });
    writeFileSync(
      join(dir, 'logs.csv'),
      'ts,user_id,agent_id,status,latency_ms,input_tokens,output_tokens,cost_usd\n2026-03-01T10:00:00Z,u1,a1,success,10,1,2,0.5\n',
    );
    await runLogsSnapshot({ sources: [join(dir, 'logs.csv')], outDir: join(dir, 'logs') });
    const conn = await wasm();
    for (const snap of ['demo', 'logs']) {
      const base = join(dir, snap);
      const m = JSON.parse(readFileSync(join(base, 'manifest.json'), 'utf8')) as Manifest;
      for (const name of TABLE_NAMES) {
        conn.query(`DROP TABLE IF EXISTS ${name}`);
        conn.insertArrowFromIPCStream(readFileSync(join(base, m.tables[name].file)), { name });
      }
      const fromWasm = conn.query(SQL).toArray()[0].toJSON();
      const native = await NativeConnector.create();
      await native.loadSnapshot(base);
      const [fromNative] = await native.query(SQL);
      native.close();
      expect({ ...fromWasm }, snap).toEqual(fromNative);
      expect(fromNative.n, snap).toBe(m.tables.requests.rows);
    }
    conn.close();
  }, 60_000);
});
