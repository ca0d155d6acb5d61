import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES, TABLES } from '@usage-analytics/queries';
import { runDemo } from '../src/demo/index.js';
import { runLogsSnapshot } from '../src/logs-snapshot.js';
import { NativeConnector } from '../src/native-connector.js';
import { readManifest } from '../src/snapshot-writer.js';
import { tmp, cleanupTmp } from './helpers.js';

afterAll(cleanupTmp);

describe('demo → Parquet logs → snapshot', () => {
  it('re-derives the same requests, sessions and user first-seen dates', async () => {
    const dir = tmp('roundtrip');
    await runDemo({ requests: 20_000, days: 40, seed: 9, end: Date.UTC(2026, 10, 1), outDir: join(dir, 'demo') });
    const db = await NativeConnector.create();
    try {
      await db.loadSnapshot(join(dir, 'demo'));
      const logs = join(dir, 'requests.parquet');
      await db.connection.run(`COPY (SELECT * FROM requests) TO '${logs}' (FORMAT parquet)`);
      const r = await runLogsSnapshot({ sources: [logs], outDir: join(dir, 'logs') });
      expect(r.validation).toMatchObject({ input: 20_000, exported: 20_000, quarantined: 0 });
      const m = readManifest(join(dir, 'logs'))!;
      await db.loadTables(join(dir, 'logs'), Object.fromEntries(TABLE_NAMES.map((n) => [`l_${n}`, m.tables[n].file])));
      const diff = async (a: string, b: string) => {
        const [x] = await db.query(`SELECT (SELECT count(*) FROM (${a} EXCEPT ALL ${b})) + (SELECT count(*) FROM (${b} EXCEPT ALL ${a})) AS n`);
        return x.n;
      };
      const reqCols = TABLES.requests.columns.map((c) => c.name).join(', ');
      expect(await diff(`SELECT ${reqCols} FROM requests`, `SELECT ${reqCols} FROM l_requests`)).toBe(0);
      // Sessions: identical except that logs cannot tell "user_abandoned" from "completed".
      const sesCols = TABLES.sessions.columns
        .filter((c) => !['exit_reason', 'session_successful'].includes(c.name))
        .map((c) => c.name)
        .join(', ');
      expect(await diff(`SELECT ${sesCols} FROM sessions`, `SELECT ${sesCols} FROM l_sessions`)).toBe(0);
      expect(
        await diff(`SELECT session_id, replace(exit_reason, 'user_abandoned', 'completed') FROM sessions`, `SELECT session_id, exit_reason FROM l_sessions`),
      ).toBe(0);
      // Users: same ids and departments; first_seen_at equal for users who started in the period.
      expect(await diff(`SELECT user_id, department_id FROM users`, `SELECT user_id, department_id FROM l_users`)).toBe(0);
      const [start] = await db.query(`SELECT min(ts) AS t FROM requests`);
      expect(
        await diff(
          `SELECT user_id, first_seen_at FROM users WHERE first_seen_at >= make_timestamp(${Math.round((start.t as number) * 1000)})`,
          `SELECT user_id, first_seen_at FROM l_users WHERE user_id IN (SELECT user_id FROM users WHERE first_seen_at >= make_timestamp(${Math.round((start.t as number) * 1000)}))`,
        ),
      ).toBe(0);
      // Agents: every agent with requests or calls.
      const [a] = await db.query(
        `SELECT count(*) AS n FROM (SELECT agent_id FROM requests UNION SELECT calling_agent_id FROM requests WHERE calling_agent_id IS NOT NULL)`,
      );
      expect(m.tables.agents.rows).toBe(a.n);
    } finally {
      db.close();
    }
  }, 60_000);
});
