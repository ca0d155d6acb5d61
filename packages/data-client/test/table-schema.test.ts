/**
 * Each table file is checked against TABLES (queries/schema.ts) at load, on a real DuckDB-WASM:
 * swapped or foreign files fail with the table and the missing/unexpected columns, non-Arrow bytes
 * with a matching checksum say so, compatible types and all-null PII columns load.
 */
import {
  Null,
  RecordBatchFileWriter,
  Table,
  TimestampMillisecond,
  TimestampMicrosecond,
  Int16,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { TABLES, defaultFilters, type Manifest, type TableName } from '@usage-analytics/queries';
import { SnapshotError, UsageDataClient, WasmNodeConnector, sha256Hex } from '../src/node.js';
import { MemorySource, buildSnapshot, dropTables, shared, singleUserDataset, type SnapshotFiles } from './fixtures.js';

let conn: WasmNodeConnector;
let snap: SnapshotFiles;

beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  snap = await buildSnapshot(singleUserDataset());
}, 30_000);
afterAll(async () => conn?.close());

const file = (t: TableName) => TABLES[t].file;

/** The snapshot with some table files replaced; their manifest entries (sha256, rows, bytes) match the new bytes. */
async function withFiles(replace: Partial<Record<TableName, Uint8Array>>) {
  const manifest: Manifest = structuredClone(snap.manifest);
  const files = new Map(snap.files);
  for (const [t, bytes] of Object.entries(replace) as [TableName, Uint8Array][]) {
    files.set(file(t), bytes);
    let rows = manifest.tables[t].rows;
    try {
      rows = tableFromIPC(bytes).numRows;
    } catch {
      // not Arrow: keep the count
    }
    manifest.tables[t] = { file: file(t), rows, bytes: bytes.length, sha256: await sha256Hex(bytes) };
  }
  await dropTables(conn);
  return UsageDataClient.open({ source: new MemorySource(manifest, files), connector: shared(conn) });
}

async function loadError(replace: Partial<Record<TableName, Uint8Array>>): Promise<SnapshotError> {
  const client = await withFiles(replace);
  const err = await client.ready.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SnapshotError);
  return err as SnapshotError;
}

/** Table `t` of the fixture with some columns replaced (same order) — other columns untouched. */
function withColumns(t: TableName, replace: Record<string, (n: number) => Vector>): Uint8Array {
  const table = tableFromIPC(snap.files.get(file(t))!);
  const cols: Record<string, Vector> = {};
  for (const f of table.schema.fields) cols[f.name] = replace[f.name]?.(table.numRows) ?? table.getChild(f.name)!;
  return tableToIPC(new Table(cols), 'stream');
}

const nullColumn = (n: number) => makeVector(makeData({ type: new Null(), length: n }));
const strings = (values: (string | null)[]) => vectorFromArray(values, new Utf8());

describe('table schema check at load', () => {
  it('fails on swapped users ↔ agents files naming the table, the missing and the unexpected columns', async () => {
    const err = await loadError({ users: snap.files.get(file('agents'))!, agents: snap.files.get(file('users'))! });
    expect(err.code).toBe('schema_mismatch');
    expect(err.field).toBe('agents');
    expect(err.message).toBe(
      'table "agents" (agents.arrows) does not have the agents table\'s columns: missing columns agent_id, agent_name, agent_description, owner_team, business_unit, agent_status, version, created_at … (10 more); ' +
        'unexpected columns user_id, user_name, email, first_seen_at — these are the columns of table "users": are the files swapped?',
    );
  });

  it('fails on a file with a matching checksum that is not Arrow, instead of "Table with name capacity does not exist!"', async () => {
    const err = await loadError({ capacity: new TextEncoder().encode('{"ts": "2026-01-01", "usage": 1}\n') });
    expect(err).toMatchObject({ code: 'invalid_arrow', field: 'capacity' });
    expect(err.message).toMatch(/^table "capacity" \(capacity\.arrows\) is not an Arrow IPC stream: /);
    expect(err.message).not.toMatch(/does not exist/);
    const empty = await loadError({ capacity: new Uint8Array(0) });
    expect(empty.message).toBe('table "capacity" (capacity.arrows) is not an Arrow IPC stream: the file is empty');
  });

  it('says an Arrow IPC *file* is not the stream format snapshots use', async () => {
    const table = tableFromIPC(snap.files.get(file('intent_rules'))!);
    const err = await loadError({ intent_rules: RecordBatchFileWriter.writeAll(table).toUint8Array(true) });
    expect(err).toMatchObject({ code: 'invalid_arrow', field: 'intent_rules' });
    expect(err.message).toContain('it is an Arrow IPC *file* (it starts with "ARROW1"); snapshots hold IPC streams (.arrows)');
  });

  it('names columns of an incompatible type', async () => {
    const users = withColumns('users', { first_seen_at: (n) => strings(Array.from({ length: n }, () => '2026-01-01')) });
    const err = await loadError({ users });
    expect(err).toMatchObject({ code: 'schema_mismatch', field: 'users' });
    expect(err.message).toBe(
      'table "users" (users.arrows) has columns of the wrong type: first_seen_at is Utf8, expected Timestamp without time zone (UTC by convention)',
    );
    // In the ENUM tables, dictionary columns must be dictionary-encoded (the loader builds ENUMs from the dictionaries).
    const requests = withColumns('requests', { status: (n) => strings(Array.from({ length: n }, () => 'success')) });
    expect((await loadError({ requests })).message).toBe(
      'table "requests" (requests.arrows) has columns of the wrong type: status is Utf8, expected Dictionary<Int32, Utf8>',
    );
    const zoned = withColumns('users', {
      first_seen_at: (n) => makeVector(makeData({ type: new TimestampMicrosecond('Europe/Paris'), length: n, data: new BigInt64Array(n) })),
    });
    expect((await loadError({ users: zoned })).message).toContain(
      'first_seen_at is Timestamp<MICROSECOND, Europe/Paris>, expected Timestamp without time zone',
    );
    const required = withColumns('users', { user_id: nullColumn });
    expect((await loadError({ users: required })).message).toContain('user_id is Null, but user_id may not be null (expected string)');
  });

  it('loads all-null PII columns (Utf8 nulls or the Arrow Null type) as VARCHAR, and the queries that read them work', async () => {
    for (const pii of [(n: number) => strings(Array.from({ length: n }, () => null)), nullColumn]) {
      const users = withColumns('users', { user_name: pii, email: pii });
      const client = await withFiles({ users });
      await client.ready;
      const types = await client.sql(
        Q.sql`SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_name = 'users' ORDER BY ordinal_position`,
      );
      expect(types).toEqual([
        { c: 'user_id', t: 'VARCHAR' },
        { c: 'user_name', t: 'VARCHAR' },
        { c: 'email', t: 'VARCHAR' },
        { c: 'department_id', t: 'VARCHAR' },
        { c: 'first_seen_at', t: 'TIMESTAMP' },
      ]);
      const top = await client.run(Q.topUsers, defaultFilters({ agentStatuses: [] }), { limit: 5 });
      expect(top.map((u) => [u.userId, u.userName])).toEqual([['solo', null]]);
    }
  });

  it("loads compatible types (Timestamp in ms, Int16) with the same values as the exporter's types", async () => {
    const source = tableFromIPC(snap.files.get(file('users'))!);
    const firstSeenUs = [...source.getChild('first_seen_at')!].map((v) => BigInt(v as bigint));
    const users = withColumns('users', {
      first_seen_at: (n) => makeVector(makeData({ type: new TimestampMillisecond(), length: n, data: BigInt64Array.from(firstSeenUs, (u) => u / 1000n) })),
    });
    const agents = withColumns('agents', {
      max_requests_per_minute: (n) =>
        vectorFromArray(
          Array.from({ length: n }, (_, i) => (i % 2 ? null : i * 10)),
          new Int16(),
        ),
    });
    const client = await withFiles({ users, agents });
    await client.ready;
    const [u] = await client.sql(Q.sql`SELECT epoch_us(first_seen_at) AS us, typeof(first_seen_at) AS t FROM users`);
    expect(u).toEqual({ us: Number(firstSeenUs[0]), t: 'TIMESTAMP' });
    const quotas = await client.sql(Q.sql`SELECT max_requests_per_minute AS q, typeof(max_requests_per_minute) AS t FROM agents ORDER BY agent_id LIMIT 3`);
    expect(quotas.map((r) => r.t)).toEqual(['INTEGER', 'INTEGER', 'INTEGER']);
    expect(quotas.map((r) => r.q)).toEqual([0, null, 20]);
  });
});
