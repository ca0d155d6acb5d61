import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageHeader, MessageReader, type Table, tableFromIPC } from 'apache-arrow';
import { TABLES, TABLE_NAMES, type TableName, type TableSpec } from '@usage-analytics/queries';
import { TableBuilder, writeTable } from '../src/arrow-writer.js';
import { runDemo } from '../src/demo/index.js';
import { NativeConnector } from '../src/native-connector.js';
import { readSnapshot, tmp, cleanupTmp } from './helpers.js';

afterAll(cleanupTmp);

/** Arrow values in the NativeConnector's conventions (timestamps → epoch ms, lists → arrays). */
function arrowRows(t: Table, spec: TableSpec, limit = Infinity): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  const n = Math.min(t.numRows, limit);
  const cols = spec.columns.map((c) => {
    const v = t.getChild(c.name)!;
    if (c.type === 'timestamp') {
      const out: (number | null)[] = [];
      for (const d of v.data) {
        const values = d.values as BigInt64Array;
        for (let k = 0; k < d.length; k++) out.push(d.getValid(k) ? Number(values[d.offset + k]) / 1000 : null);
      }
      return (i: number) => out[i];
    }
    if (c.type === 'string_list') return (i: number) => (v.get(i) === null ? null : [...(v.get(i)!.toArray() as string[])]);
    return (i: number) => v.get(i);
  });
  for (let i = 0; i < n; i++) {
    const r: Record<string, unknown> = {};
    spec.columns.forEach((c, k) => (r[c.name] = cols[k](i)));
    rows.push(r);
  }
  return rows;
}

function countMessages(bytes: Uint8Array): { dictionaries: number; batches: number } {
  const reader = new MessageReader(bytes);
  let dictionaries = 0;
  let batches = 0;
  for (let m = reader.readMessage(); m; m = reader.readMessage()) {
    if (m.headerType === MessageHeader.DictionaryBatch) dictionaries++;
    if (m.headerType === MessageHeader.RecordBatch) batches++;
    if (m.bodyLength > 0) reader.readMessageBody(m.bodyLength);
  }
  return { dictionaries, batches };
}

describe('arrow writer', () => {
  it('round-trips every column type with nulls across record batches; one dictionary message per column', () => {
    const dir = tmp('arrow');
    const b = new TableBuilder(TABLES.agents);
    const rows = 1000;
    for (let i = 0; i < rows; i++) {
      b.appendRow({
        agent_id: `agent-${i}-${'x'.repeat(i % 20)}`,
        agent_name: i % 7 === 0 ? 'Ünïcødé ✓ “name”' : `Agent ${i}`,
        agent_description: i % 3 === 0 ? null : `desc ${i}`,
        owner_team: `team-${i % 5}`,
        department_id: ['engineering', 'customer-success', 'hr'][i % 3],
        business_unit: i % 4 === 0 ? null : 'Technology',
        agent_status: ['active', 'beta', 'deprecated', 'archived'][i % 4],
        version: `1.${i % 10}`,
        created_at: 1_700_000_000_000_000 + i * 1_000_001,
        last_deployed_at: i % 2 ? null : 1_710_000_000_000_000 + i,
        deprecation_date: null,
        replacement_agent_id: i % 5 === 0 ? `agent-${i + 1}` : null,
        quality_score_avg: i % 6 === 0 ? null : i / 100,
        cost_per_request: 0.001 * i,
        max_requests_per_minute: i % 9 === 0 ? null : i,
        allowed_departments: i % 8 === 0 ? ['hr', 'legal'] : i % 8 === 1 ? [] : null,
        tags: [`t${i % 3}`, 'x'],
        documentation_url: null,
        support_contact: 'a@b.c',
      });
    }
    const path = join(dir, 'agents.arrows');
    const w = writeTable(path, TABLES.agents, b, 128);
    expect(w.rows).toBe(rows);
    const bytes = readFileSync(path);
    expect(bytes.length).toBe(w.bytes);
    const counts = countMessages(bytes);
    expect(counts.batches).toBe(Math.ceil(rows / 128));
    expect(counts.dictionaries).toBe(TABLES.agents.columns.filter((c) => c.type === 'dict').length);
    const t = tableFromIPC(bytes);
    expect(t.numRows).toBe(rows);
    const back = arrowRows(t, TABLES.agents);
    expect(back[0].allowed_departments).toEqual(['hr', 'legal']);
    expect(back[1].allowed_departments).toEqual([]);
    expect(back[2].allowed_departments).toBeNull();
    expect(back[7].agent_name).toBe('Ünïcødé ✓ “name”');
    expect(back[3].agent_description).toBeNull();
    expect(back[5].created_at).toBe((1_700_000_000_000_000 + 5 * 1_000_001) / 1000);
    expect(back[999].agent_id).toBe(`agent-999-${'x'.repeat(19)}`);
    expect(back[9].max_requests_per_minute).toBeNull();
  });

  it('refuses nulls in a required column', () => {
    const b = new TableBuilder(TABLES.users);
    b.appendRow({ user_id: null, department_id: 'x', first_seen_at: 1 });
    expect(() => writeTable(join(tmp('arrow-null'), 'u.arrows'), TABLES.users, b)).toThrow(/not nullable/);
  });
});

describe('NativeConnector', () => {
  let dir: string;
  let db: NativeConnector;
  let tables: Record<TableName, Table>;

  beforeAll(async () => {
    dir = tmp('native');
    // Batches of 5000 rows: DuckDB chunks (2048) do not line up with record batches.
    await runDemo({ requests: 30_000, days: 40, seed: 3, end: Date.UTC(2026, 10, 1), outDir: dir, batchRows: 5000 });
    tables = readSnapshot(dir).tables;
    db = await NativeConnector.create();
    await db.loadSnapshot(dir);
  }, 60_000);

  afterAll(() => db?.close());

  it('loads every table with the schema types', async () => {
    const types = await db.query(
      `SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_name = 'requests' ORDER BY ordinal_position`,
    );
    expect(types.map((r) => r.column_name)).toEqual(TABLES.requests.columns.map((c) => c.name));
    // dict columns of the big tables are stored as sorted ENUMs (queries/src/storage.ts)
    const expected = {
      string: 'VARCHAR',
      dict: 'ENUM',
      timestamp: 'TIMESTAMP',
      int32: 'INTEGER',
      float32: 'FLOAT',
      float64: 'DOUBLE',
      bool: 'BOOLEAN',
      string_list: 'VARCHAR[]',
    };
    expect(types.map((r) => String(r.data_type).replace(/^ENUM\(.*\)$/s, 'ENUM'))).toEqual(TABLES.requests.columns.map((c) => expected[c.type]));
    for (const name of TABLE_NAMES) {
      const [{ n }] = await db.query(`SELECT count(*) AS n FROM ${name}`);
      expect(n, name).toBe(tables[name].numRows);
    }
  });

  it('holds exactly the Arrow values (all columns, all tables)', async () => {
    for (const name of TABLE_NAMES) {
      const expected = arrowRows(tables[name], TABLES[name]);
      const actual = await db.query(`SELECT * FROM ${name}`);
      expect(actual.length, name).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) {
        if (JSON.stringify(actual[i]) !== JSON.stringify(expected[i])) expect(actual[i], `${name} row ${i}`).toEqual(expected[i]);
      }
    }
  }, 60_000);

  it('aggregates agree with plain TypeScript over the Arrow data', async () => {
    const r = tables.requests;
    let cost = 0;
    let nullCountry = 0;
    const users = new Set<string>();
    for (let i = 0; i < r.numRows; i++) {
      cost += r.getChild('cost_usd')!.get(i) as number;
      if (r.getChild('country')!.get(i) === null) nullCountry++;
      users.add(r.getChild('user_id')!.get(i) as string);
    }
    const [q] = await db.query(`SELECT sum(cost_usd) AS cost, count(*) FILTER (WHERE country IS NULL) AS nc, count(DISTINCT user_id) AS u FROM requests`);
    expect(q.cost as number).toBeCloseTo(cost, 6);
    expect(q.nc).toBe(nullCountry);
    expect(q.u).toBe(users.size);
  });

  it('converts values to plain JS', async () => {
    const [r] = await db.query(`SELECT 42::BIGINT AS big, (2::HUGEINT ** 70)::HUGEINT AS huge, 1.25::DECIMAL(5,2) AS dec, DATE '2026-01-02' AS d,
      TIMESTAMP '2026-01-02 03:04:05.678901' AS ts, [1, 2] AS l, {'a': 1, 'b': 'x'} AS s, NULL AS n, 'x' AS v`);
    expect(r.big).toBe(42);
    expect(r.huge).toBe('1180591620717411303424');
    expect(r.dec).toBe(1.25);
    expect(r.d).toBe(Date.UTC(2026, 0, 2));
    expect(r.ts).toBeCloseTo(Date.UTC(2026, 0, 2, 3, 4, 5, 678) + 0.901, 6);
    expect(r.l).toEqual([1, 2]);
    expect(r.s).toEqual({ a: 1, b: 'x' });
    expect(r.n).toBeNull();
    expect(r.v).toBe('x');
  });
});
