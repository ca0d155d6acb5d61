/**
 * The snapshot's DuckDB database file (snapshot.duckdb, issue 12): written by native DuckDB 1.5 in
 * storage v1.4.0, attached by DuckDB-WASM 1.32. A snapshot loaded from it holds the same tables as
 * one loaded from its Arrow streams (row for row, column types with their ENUM values, NULLs) and
 * answers every query module alike, copied into memory or as views; a damaged file is refused with
 * the checksum error a damaged table gets; a manifest without the file loads from the streams.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsSource, openSnapshotDir, SnapshotError, UsageDataClient, WasmNodeConnector } from '@usage-analytics/data-client/node';
import * as Q from '@usage-analytics/queries';
import { DEFAULT_FILTERS, TABLE_NAMES, TABLES, defaultFilters, type Manifest, type QueryModule, type UsageFilters } from '@usage-analytics/queries';
import { runDemo } from '../src/demo/index.js';
import { DATABASE_FILE, DATABASE_STORAGE_VERSION, writeBrotliSidecar, writeZstdSidecar } from '../src/database-file.js';
import { NativeConnector } from '../src/native-connector.js';
import { verifySnapshot } from '../src/snapshot-writer.js';
import { cleanupTmp, tmp } from './helpers.js';
import { zstdDecode } from './zstd-decode.js';
import { SAMPLE_SQL, benchParams, toSample, type Sample } from '../../../scripts/bench/cases.js';

type AnyModule = QueryModule<any, any>;
const modules = Object.values(Q).filter(
  (v): v is AnyModule => !!v && typeof v === 'object' && typeof (v as AnyModule).sql === 'function' && typeof (v as AnyModule).transform === 'function',
);

let dir: string;
let manifest: Manifest;
let fromArrow: UsageDataClient;
let fromCopy: UsageDataClient;
let fromViews: UsageDataClient;
let sample: Sample;

beforeAll(async () => {
  dir = join(tmp('dbfile'), 'snap');
  // PII published for one column, so the file holds real values there and NULLs in the withheld one.
  await runDemo({ requests: 12_000, days: 60, seed: 5, end: Date.UTC(2026, 9, 1), outDir: dir, publishPii: ['user_name'] });
  manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  fromArrow = await openSnapshotDir(dir, { database: 'arrow' });
  fromCopy = await openSnapshotDir(dir, { database: 'copy' });
  fromViews = await openSnapshotDir(dir, { database: 'views' });
  await Promise.all([fromArrow.ready, fromCopy.ready, fromViews.ready]);
  const native = await NativeConnector.create();
  try {
    await native.loadSnapshot(dir);
    sample = toSample((await native.query(SAMPLE_SQL))[0]);
  } finally {
    native.close();
  }
}, 180_000);

afterAll(async () => {
  await Promise.all([fromArrow?.close(), fromCopy?.close(), fromViews?.close()]);
  cleanupTmp();
});

describe('the exporter writes snapshot.duckdb', () => {
  it('lists it in the manifest with its size, SHA-256 and storage version, and verifySnapshot checks it', () => {
    expect(manifest.database).toMatchObject({ file: `${manifest.snapshot_id}/${DATABASE_FILE}`, storage_version: DATABASE_STORAGE_VERSION });
    const bytes = readFileSync(join(dir, manifest.database!.file));
    expect(manifest.database!.bytes).toBe(bytes.length);
    expect(verifySnapshot(dir, manifest)).toEqual([]);
    const damaged = { ...manifest, database: { ...manifest.database!, sha256: '0'.repeat(64) } };
    expect(verifySnapshot(dir, damaged)).toEqual([`${manifest.database!.file}: sha256 mismatch`]);
  });

  it('writes the brotli sidecar snapshot.duckdb.br, listed as database.br, which decodes to the exact file', () => {
    const entry = manifest.database as NonNullable<Manifest['database']> & { br?: { file: string; bytes: number } };
    expect(entry.br).toEqual({ file: `${manifest.snapshot_id}/${DATABASE_FILE}.br`, bytes: expect.any(Number) });
    const raw = readFileSync(join(dir, entry.file));
    const packed = readFileSync(join(dir, entry.br!.file));
    expect(packed.length).toBe(entry.br!.bytes);
    expect(packed.length).toBeLessThan(raw.length);
    const decoded = brotliDecompressSync(packed);
    expect(decoded.equals(raw)).toBe(true);
    expect(createHash('sha256').update(decoded).digest('hex')).toBe(entry.sha256);
    // The version folder's manifest names it relative to the folder; verifySnapshot notices a missing or resized sidecar.
    const inner = JSON.parse(readFileSync(join(dir, manifest.snapshot_id, 'manifest.json'), 'utf8')) as { database: { br: { file: string } } };
    expect(inner.database.br.file).toBe(`${DATABASE_FILE}.br`);
    expect(verifySnapshot(dir, { ...manifest, database: { ...entry, br: { ...entry.br!, bytes: entry.br!.bytes + 1 } } } as Manifest)).toEqual([
      `${entry.br!.file}: ${entry.br!.bytes} bytes, manifest says ${entry.br!.bytes + 1}`,
    ]);
  });

  it('writes the zstd sidecar snapshot.duckdb.zst, listed as database.zst, which decodes to the exact file', async () => {
    const entry = manifest.database as NonNullable<Manifest['database']> & { zst?: { file: string; bytes: number } };
    expect(entry.zst).toEqual({ file: `${manifest.snapshot_id}/${DATABASE_FILE}.zst`, bytes: expect.any(Number) });
    const raw = readFileSync(join(dir, entry.file));
    const packed = readFileSync(join(dir, entry.zst!.file));
    expect(packed.length).toBe(entry.zst!.bytes);
    expect(packed.length).toBeLessThan(raw.length);
    const { bytes: decoded } = await zstdDecode(packed, raw.length);
    expect(decoded.equals(raw)).toBe(true);
    expect(createHash('sha256').update(decoded).digest('hex')).toBe(entry.sha256);
    const inner = JSON.parse(readFileSync(join(dir, manifest.snapshot_id, 'manifest.json'), 'utf8')) as { database: { zst: { file: string } } };
    expect(inner.database.zst.file).toBe(`${DATABASE_FILE}.zst`);
    expect(verifySnapshot(dir, { ...manifest, database: { ...entry, zst: { ...entry.zst!, file: `${entry.zst!.file}.gone` } } } as Manifest)).toEqual([
      `missing ${entry.zst!.file}.gone`,
    ]);
  });

  it('writeZstdSidecar writes any file as zstd frames of `frame` bytes that decode to it (empty, incompressible, several frames)', async () => {
    const d = tmp('dbfile-zst');
    const cases: [string, Buffer, number, number][] = [
      // name, bytes, frame size, expected content size of the first frame
      ['empty.duckdb', Buffer.alloc(0), 1 << 20, -1],
      ['random.duckdb', randomBytes(300_000), 1 << 20, 300_000],
      ['text.duckdb', Buffer.from('abc'.repeat(200_000)), 1 << 20, 600_000],
      // 600,000 bytes in frames of 65,536: ten frames, the last one short.
      ['frames.duckdb', Buffer.from(Array.from({ length: 600_000 }, (_, i) => (i * 7919) % 251)), 65_536, 65_536],
      // exactly two frames
      ['exact.duckdb', randomBytes(2 * 65_536), 65_536, 65_536],
    ];
    for (const [name, bytes, frame, first] of cases) {
      writeFileSync(join(d, name), bytes);
      const out = await writeZstdSidecar(d, name, 3, frame);
      expect(out.file).toBe(`${name}.zst`);
      const packed = readFileSync(join(d, out.file));
      expect(out.bytes).toBe(packed.length);
      if (bytes.length === 0) {
        expect(packed.length, name).toBe(0); // an empty body decodes to nothing
        continue;
      }
      const decoded = await zstdDecode(packed, bytes.length);
      expect(decoded.bytes.equals(bytes), name).toBe(true);
      expect(decoded.firstFrameSize, name).toBe(first);
    }
  });

  it('writeBrotliSidecar streams any file into <file>.br (empty and incompressible files too)', async () => {
    const d = tmp('dbfile-br');
    const cases: [string, Buffer][] = [
      ['empty.duckdb', Buffer.alloc(0)],
      ['random.duckdb', randomBytes(300_000)],
      ['text.duckdb', Buffer.from('abc'.repeat(200_000))],
    ];
    for (const [name, bytes] of cases) {
      writeFileSync(join(d, name), bytes);
      const out = await writeBrotliSidecar(d, name);
      expect(out.file).toBe(`${name}.br`);
      const packed = readFileSync(join(d, out.file));
      expect(out.bytes).toBe(packed.length);
      expect(brotliDecompressSync(packed).equals(bytes)).toBe(true);
    }
  });

  it('holds requests and sessions in time order (row groups cover narrow time ranges)', async () => {
    const native = await NativeConnector.create();
    try {
      await native.query(`ATTACH '${join(dir, manifest.database!.file)}' AS f (READ_ONLY)`);
      const [r] = await native.query(`SELECT count(*) FILTER (WHERE ts < lag) AS back FROM (SELECT ts, lag(ts) OVER (ORDER BY rowid) AS lag FROM f.requests)`);
      expect(r.back).toBe(0);
      const [s] = await native.query(
        `SELECT count(*) FILTER (WHERE session_start < lag) AS back FROM (SELECT session_start, lag(session_start) OVER (ORDER BY rowid) AS lag FROM f.sessions)`,
      );
      expect(s.back).toBe(0);
    } finally {
      native.close();
    }
  });
});

/** Every row of a table in a canonical order (all columns), as JSON-safe values. */
async function rowsOf(client: UsageDataClient, t: string): Promise<unknown[]> {
  const cols = TABLES[t as keyof typeof TABLES].columns.map((c) => `"${c.name}"`);
  // ENUM columns compare by their sorted value order, which is the strings' order: ORDER BY every column as text is unique.
  return client.connector.query(`SELECT * FROM "${t}" ORDER BY ${cols.map((c) => `${c}::VARCHAR`).join(', ')}`);
}

/** The values of a DuckDB `ENUM('a', 'b''c')` type name. */
function enumValues(type: string): string[] {
  return [...type.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1].replace(/''/g, "'"));
}

/** DuckDB's VARCHAR order (bytes of UTF-8). */
const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function typesOf(client: UsageDataClient, t: string): Promise<unknown[]> {
  return client.connector.query(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = '${t}' ORDER BY ordinal_position`,
  );
}

describe('loaded from the database file = loaded from the Arrow streams', () => {
  it.each(TABLE_NAMES)('table %s: same column types (ENUMs sorted, holding every value) and the same rows, NULLs included', async (t) => {
    const arrowTypes = (await typesOf(fromArrow, t)) as { column_name: string; data_type: string }[];
    const types = (await typesOf(fromCopy, t)) as typeof arrowTypes;
    expect(types.length).toBe(TABLES[t].columns.length);
    // A view reports the types of the attached table.
    expect(await typesOf(fromViews, t)).toEqual(types);
    for (const [i, { column_name: col, data_type: type }] of types.entries()) {
      expect(arrowTypes[i].column_name).toBe(col);
      if (!type.startsWith('ENUM(')) {
        expect(type, col).toBe(arrowTypes[i].data_type);
        continue;
      }
      // The Arrow loader builds its ENUM from the stream's dictionary (which may hold values no row
      // uses); the exporter's (the file's, and native DuckDB's) from the values present, plus ''. Both sorted.
      expect(arrowTypes[i].data_type, col).toMatch(/^ENUM\(/);
      const fileValues = enumValues(type);
      const arrowValues = enumValues(arrowTypes[i].data_type);
      const present = (await fromArrow.connector.query(`SELECT DISTINCT "${col}"::VARCHAR AS v FROM "${t}" WHERE "${col}" IS NOT NULL`)).map((r) =>
        String(r.v),
      );
      expect(fileValues, col).toEqual([...new Set(['', ...present])].sort(byBytes));
      expect([...arrowValues].sort(byBytes), col).toEqual(arrowValues);
      expect(
        fileValues.filter((v) => !arrowValues.includes(v)),
        col,
      ).toEqual([]);
    }
    const rows = await rowsOf(fromArrow, t);
    expect(rows.length).toBe(manifest.tables[t].rows);
    expect(await rowsOf(fromCopy, t)).toEqual(rows);
    expect(await rowsOf(fromViews, t)).toEqual(rows);
  });

  it('keeps NULLs: withheld PII columns are all NULL, published ones are not', async () => {
    const pii = `SELECT count(email) AS emails, count(user_name) AS names, count(*) AS n FROM users`;
    const [u] = await fromCopy.connector.query(pii);
    expect(u.emails).toBe(0);
    expect(Number(u.names)).toBeGreaterThan(0);
    expect(await fromArrow.connector.query(pii)).toEqual([u]);
    // A nullable dictionary column keeps its NULLs through the ENUM.
    const q = `SELECT count(*) - count(calling_agent_id) AS nulls FROM requests`;
    const [a] = await fromArrow.connector.query(q);
    expect(Number(a.nulls)).toBeGreaterThan(0);
    expect(await fromCopy.connector.query(q)).toEqual([a]);
  });

  const scenarios: Record<string, UsageFilters> = {
    default: DEFAULT_FILTERS,
    all: defaultFilters({ timeRange: { preset: '90d' }, agentStatuses: [], environments: [] }),
    cut: defaultFilters({
      timeRange: { preset: 'custom', start: '2026-09-03T07:30:00Z', end: '2026-09-21T13:00:00Z' },
      requestStatuses: ['error', 'timeout'],
      userSegments: ['power', 'new'],
    }),
  };

  it.each(Object.keys(scenarios))(
    'every query module answers alike under %s filters (copy, views, Arrow)',
    async (name) => {
      const filters = scenarios[name];
      expect(modules.length).toBeGreaterThan(30);
      for (const m of modules) {
        const params = benchParams(m.name, sample);
        const expected = await fromArrow.run(m, filters, params);
        expect(await fromCopy.run(m, filters, params), m.name).toEqual(expected);
        expect(await fromViews.run(m, filters, params), m.name).toEqual(expected);
      }
    },
    120_000,
  );
});

/** A copy of the snapshot's version folder whose manifest may be edited and files damaged. */
function copySnapshot(edit: (m: Manifest, d: string) => void): string {
  const src = join(dir, manifest.snapshot_id);
  const out = join(tmp('dbfile-copy'), 'v');
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(src)) if (f !== 'private') copyFileSync(join(src, f), join(out, f));
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
  edit(m, out);
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(m));
  return out;
}

async function loadError(d: string): Promise<SnapshotError> {
  const client = await openSnapshotDir(d);
  try {
    const err = await client.ready.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SnapshotError);
    return err as SnapshotError;
  } finally {
    await client.close();
  }
}

describe('a damaged database file', () => {
  it('a flipped byte: checksum_mismatch naming the file, as for a table', async () => {
    const d = copySnapshot((m, out) => {
      const bytes = readFileSync(join(out, DATABASE_FILE));
      bytes[bytes.length >> 1] ^= 0xff;
      writeFileSync(join(out, DATABASE_FILE), bytes);
    });
    const err = await loadError(d);
    expect(err.code).toBe('checksum_mismatch');
    expect(err.message).toMatch(/^checksum mismatch for snapshot\.duckdb: expected [0-9a-f]{12}…, got [0-9a-f]{12}…$/);
    expect(err.detail).toMatchObject({ file: DATABASE_FILE, expected: manifest.database!.sha256 });
    // The same error a damaged table gives.
    const t = await loadError(
      copySnapshot((m, out) => {
        const bytes = readFileSync(join(out, 'users.arrows'));
        bytes[bytes.length - 9] ^= 0xff;
        writeFileSync(join(out, 'users.arrows'), bytes);
        delete m.database;
      }),
    );
    expect(t.code).toBe('checksum_mismatch');
    expect(t.message).toMatch(/^checksum mismatch for users\.arrows: /);
  }, 60_000);

  it('a truncated file: checksum_mismatch', async () => {
    const d = copySnapshot((m, out) => {
      const bytes = readFileSync(join(out, DATABASE_FILE));
      writeFileSync(join(out, DATABASE_FILE), bytes.subarray(0, bytes.length - 4096));
    });
    const err = await loadError(d);
    expect(err.code).toBe('checksum_mismatch');
    expect(err.detail).toMatchObject({ file: DATABASE_FILE });
  }, 60_000);

  it('a manifest checksum that does not match the file: checksum_mismatch; with verify off the file still loads', async () => {
    const d = copySnapshot((m) => {
      m.database!.sha256 = 'f'.repeat(64);
    });
    expect((await loadError(d)).code).toBe('checksum_mismatch');
    const client = await openSnapshotDir(d, { verify: false });
    try {
      await expect(client.ready).resolves.toBeUndefined();
    } finally {
      await client.close();
    }
  }, 60_000);

  it('a file that is not a DuckDB database (checksum matching): load_failed naming the file', async () => {
    const d = copySnapshot((m, out) => {
      const junk = new TextEncoder().encode('not a database '.repeat(1000));
      writeFileSync(join(out, DATABASE_FILE), junk);
      m.database!.bytes = junk.length;
      m.database!.sha256 = createHash('sha256').update(junk).digest('hex');
    });
    const err = await loadError(d);
    expect(err.code).toBe('load_failed');
    expect(err.message).toContain(DATABASE_FILE);
  }, 60_000);

  it('a server that does not publish the file (HTTP 404) gets the Arrow streams; another read failure is fetch_failed', async () => {
    const fs = new FsSource(dir);
    const asked: string[] = [];
    const source = (status: number) => ({
      location: fs.location,
      manifestPath: fs.manifestPath,
      read: (p: string) => {
        asked.push(p);
        // The message an HTTP source gives (fetch.ts httpError).
        return p.endsWith(DATABASE_FILE) ? Promise.reject(new Error(`GET http://host/${p} → HTTP ${status}`)) : fs.read(p);
      },
    });
    const client = await UsageDataClient.open({ source: source(404), connector: await WasmNodeConnector.create() });
    try {
      await client.ready;
      expect(asked).toContain(manifest.database!.file);
      expect(asked).toContain(manifest.tables.requests.file);
      expect(await client.run(Q.kpis, DEFAULT_FILTERS, undefined)).toEqual(await fromArrow.run(Q.kpis, DEFAULT_FILTERS, undefined));
    } finally {
      await client.close();
    }
    const failing = await UsageDataClient.open({ source: source(500), connector: await WasmNodeConnector.create() });
    try {
      await expect(failing.ready).rejects.toMatchObject({ code: 'fetch_failed', message: expect.stringContaining(DATABASE_FILE) });
    } finally {
      await failing.close();
    }
  }, 60_000);

  it('a manifest without the file (an older snapshot) loads from the Arrow streams', async () => {
    const d = copySnapshot((m, out) => {
      delete m.database;
      writeFileSync(join(out, DATABASE_FILE), 'gone');
    });
    const client = await openSnapshotDir(d);
    try {
      await client.ready;
      expect(await client.run(Q.kpis, DEFAULT_FILTERS, undefined)).toEqual(await fromArrow.run(Q.kpis, DEFAULT_FILTERS, undefined));
    } finally {
      await client.close();
    }
  }, 60_000);
});
