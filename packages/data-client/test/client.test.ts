/** UsageDataClient loading: manifest validation, checksums, row counts, progress, precomputed results. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { FORMAT_VERSION, TABLE_NAMES, defaultFilters } from '@usage-analytics/queries';
import { SnapshotError, UsageDataClient, WasmNodeConnector, type LoadProgress } from '../src/node.js';
import { MemorySource, buildSnapshot, dropTables, shared, singleUserDataset, type SnapshotFiles } from './fixtures.js';

let conn: WasmNodeConnector;
let snap: SnapshotFiles;

beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  snap = await buildSnapshot(singleUserDataset());
}, 30_000);
afterAll(async () => conn?.close());

const clone = <T>(x: T): T => structuredClone(x);

async function open(manifest: unknown, files = snap.files, verify = true) {
  await dropTables(conn);
  return UsageDataClient.open({ source: new MemorySource(manifest, files), connector: shared(conn), verify });
}

async function loadError(manifest: unknown, files = snap.files): Promise<SnapshotError> {
  const client = await open(manifest, files);
  const err = await client.ready.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SnapshotError);
  return err as SnapshotError;
}

describe('UsageDataClient.open', () => {
  it('loads a valid snapshot, reports progress and answers queries', async () => {
    await dropTables(conn);
    const progress: LoadProgress[] = [];
    const client = await UsageDataClient.open({
      source: new MemorySource(snap.manifest, snap.files),
      connector: shared(conn),
      onProgress: (p) => progress.push(p),
    });
    await client.ready;
    expect(progress[0].phase).toBe('manifest');
    expect(progress.at(-1)).toEqual({ phase: 'ready', done: TABLE_NAMES.length, total: TABLE_NAMES.length });
    const k = await client.run(Q.kpis, defaultFilters({ agentStatuses: [] }), undefined);
    expect(k.totalCalls.value).toBe(5);
  });

  it('loads a snapshot written before an optional table existed: the table is created empty with the schema columns', async () => {
    for (const t of Q.OPTIONAL_TABLES) {
      const manifest = clone(snap.manifest) as unknown as { tables: Record<string, unknown> };
      delete manifest.tables[t];
      const client = await open(manifest);
      await client.ready;
      const cols = await conn.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = '${t}' ORDER BY ordinal_position`);
      expect(cols.map((c) => c.column_name)).toEqual(Q.TABLES[t].columns.map((c) => c.name));
      expect(await conn.query(`SELECT count(*)::INTEGER AS n FROM ${t}`)).toEqual([{ n: 0 }]);
      // The charts' queries over it answer "none" rather than failing.
      const k = await client.run(Q.kpis, defaultFilters({ agentStatuses: [] }), undefined);
      expect(k.totalCalls.value).toBe(5);
      if (t === 'maintenance_windows') expect(await client.run(Q.maintenanceWindows, defaultFilters({ agentStatuses: [] }), undefined)).toEqual([]);
    }
    // A required table is still required.
    const manifest = clone(snap.manifest) as unknown as { tables: Record<string, unknown> };
    delete manifest.tables.agents;
    await expect(open(manifest)).rejects.toMatchObject({ field: 'tables.agents' });
  });

  it('rejects a file whose bytes do not match the manifest checksum (checksum_mismatch)', async () => {
    const files = new Map(snap.files);
    const bytes = new Uint8Array(files.get('users.arrows')!);
    bytes[bytes.length - 9] ^= 0xff;
    files.set('users.arrows', bytes);
    const err = await loadError(snap.manifest, files);
    expect(err.code).toBe('checksum_mismatch');
    expect(err.detail).toMatchObject({ file: 'users.arrows', table: 'users', expected: snap.manifest.tables.users.sha256 });
  });

  it('rejects a manifest checksum that does not match the file (checksum_mismatch), and run() surfaces it', async () => {
    const m = clone(snap.manifest);
    m.tables.sessions.sha256 = '0'.repeat(64);
    const client = await open(m);
    await expect(client.ready).rejects.toMatchObject({ code: 'checksum_mismatch' });
    await expect(client.run(Q.kpis, defaultFilters(), undefined)).rejects.toMatchObject({ name: 'SnapshotError', code: 'checksum_mismatch' });
  });

  it('skips checksums with verify: false', async () => {
    const m = clone(snap.manifest);
    m.tables.sessions.sha256 = '0'.repeat(64);
    const client = await open(m, snap.files, false);
    await expect(client.ready).resolves.toBeUndefined();
  });

  it('rejects another format version (unsupported_version)', async () => {
    const m = clone(snap.manifest);
    m.format_version = FORMAT_VERSION + 1;
    const err = await open(m).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SnapshotError);
    expect(err).toMatchObject({ code: 'unsupported_version', detail: { expected: String(FORMAT_VERSION), actual: String(FORMAT_VERSION + 1) } });
  });

  it('rejects another format name (unsupported_format) and invalid manifests', async () => {
    await expect(open({ ...clone(snap.manifest), format: 'parquet-dump' })).rejects.toMatchObject({ code: 'unsupported_format' });
    const m = clone(snap.manifest) as Partial<Q.Manifest>;
    delete (m.tables as Partial<Q.Manifest['tables']>).capacity;
    await expect(open(m)).rejects.toMatchObject({ code: 'invalid_manifest' });
    await expect(open({ ...clone(snap.manifest), time_range: { start: 'x', end: 'y' } })).rejects.toMatchObject({ code: 'invalid_manifest' });
    await dropTables(conn);
    const garbled = { location: 'mem', manifestPath: 'manifest.json', read: async () => new TextEncoder().encode('{not json') };
    await expect(UsageDataClient.open({ source: garbled, connector: shared(conn) })).rejects.toMatchObject({ code: 'invalid_manifest' });
  });

  it('rejects a table whose row count differs from the manifest (load_failed)', async () => {
    const m = clone(snap.manifest);
    m.tables.requests.rows += 1;
    const err = await loadError(m);
    expect(err.code).toBe('load_failed');
    expect(err.message).toMatch(/requests.*loaded 6 rows, manifest says 7/);
  });

  it('reports missing files (fetch_failed)', async () => {
    const files = new Map(snap.files);
    files.delete('capacity.arrows');
    const err = await loadError(snap.manifest, files);
    expect(err).toMatchObject({ code: 'fetch_failed', detail: { table: 'capacity' } });
  });

  it('starts the engine while the tables download, not after (Connector.start), and waits for it before the first use', async () => {
    await dropTables(conn);
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let engineUp!: () => void;
    const started = new Promise<void>((r) => (engineUp = r));
    const source = new MemorySource(snap.manifest, snap.files);
    const read = source.read.bind(source);
    source.read = async (path) => {
      if (path.endsWith('.arrows')) await gate;
      return read(path);
    };
    const connector = {
      ...shared(conn),
      query: (q: string) => (events.push('query'), conn.query(q)),
      start: async () => {
        events.push('start');
        await started;
        events.push('started');
      },
    };
    const client = await UsageDataClient.open({ source, connector });
    await new Promise((r) => setTimeout(r, 20));
    expect(events, 'the engine was asked to start before any table arrived').toEqual(['start']);
    release();
    await new Promise((r) => setTimeout(r, 20));
    expect(events, 'tables downloaded, but nothing runs on an engine still starting').toEqual(['start']);
    engineUp();
    await client.ready;
    expect(events.slice(0, 2)).toEqual(['start', 'started']);
    expect(events.filter((e) => e === 'start')).toHaveLength(1);
    expect(events.length).toBeGreaterThan(2);
  });

  it('an engine that cannot start fails the load with its own error; a download that failed first is reported first', async () => {
    const engineFailure = new SnapshotError('engine_failed', 'the query engine could not start: test');
    const failing = { ...shared(conn), start: () => Promise.reject(engineFailure) };
    await dropTables(conn);
    let client = await UsageDataClient.open({ source: new MemorySource(snap.manifest, snap.files), connector: failing });
    await expect(client.ready).rejects.toBe(engineFailure);
    const files = new Map(snap.files);
    files.delete('requests.arrows');
    client = await UsageDataClient.open({ source: new MemorySource(snap.manifest, files), connector: failing });
    await expect(client.ready).rejects.toMatchObject({ code: 'fetch_failed', detail: { table: 'requests' } });
  });

  it('serves precomputed first-paint rows for the exact SQL without touching the engine', async () => {
    const filters = defaultFilters();
    const probe = await open(snap.manifest);
    const sql = Q.kpis.sql(probe.context(filters), undefined).text;
    await probe.ready; // its tables must be in before the next open drops them (else both load at once)
    const pre = { entries: [{ name: 'kpis', sql, rows: [{ period: 'current', calls: 42, users: 7, agents: 3 }] }] };
    const bytes = new TextEncoder().encode(JSON.stringify(pre));
    const { sha256Hex } = await import('../src/checksum.js');
    const m = { ...clone(snap.manifest), precomputed: { file: 'precomputed.json', bytes: bytes.length, sha256: await sha256Hex(bytes) } };
    const files = new Map(snap.files).set('precomputed.json', bytes);
    const client = await open(m, files);
    expect(client.precomputed(Q.kpis, filters, undefined)?.totalCalls.value).toBe(42);
    expect((await client.run(Q.kpis, filters, undefined)).totalCalls.value).toBe(42);
    await client.ready;
  });

  it('serves shipped dimensions before the tables are loaded, and ignores malformed ones', async () => {
    const { sha256Hex } = await import('../src/checksum.js');
    const withPre = async (pre: unknown) => {
      const bytes = new TextEncoder().encode(JSON.stringify(pre));
      const m = { ...clone(snap.manifest), precomputed: { file: 'precomputed.json', bytes: bytes.length, sha256: await sha256Hex(bytes) } };
      return open(m, new Map(snap.files).set('precomputed.json', bytes));
    };
    const dims = { departments: ['shipped-dept'], intents: ['i'], providers: ['p'], modelFamilies: ['m'], agentIds: ['a'] };
    const client = await withPre({ entries: [], dimensions: dims });
    let loaded = false;
    void client.ready.then(() => (loaded = true));
    expect(await client.dimensions()).toEqual(dims);
    expect(loaded, 'answered before the tables were in').toBe(false);
    await client.ready;
    // A malformed payload is ignored: the dimensions come from the loaded tables.
    const other = await withPre({ entries: [], dimensions: { departments: 'x' } });
    await other.ready;
    expect((await other.dimensions()).departments).not.toContain('shipped-dept');
    expect((await other.dimensions()).agentIds.length).toBeGreaterThan(0);
  });
});
